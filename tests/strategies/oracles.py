"""Independent oracles: answers computed from definitions, not from revmatch's machinery.

Sections: the brute-force assignment optimum and its objective keys; stable
matching by the textbook; reporting chains; the hard rules of a pair; fixes
applied as written; weekly time through plain ``datetime`` and ``zoneinfo``.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import ArrayLike, NDArray

import revmatch as rm
from revmatch.availability import SLOTS_PER_WEEK, MeetingSlot, Slot
from revmatch.solvers import Assignment, Quota

from .matrices import Float2D, Instance

Key = tuple[float, ...]
Person = tuple[str, Sequence[Slot]]
Window = tuple[int, int] | None
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# ----------------------------------------------------------------------------- assignment optimum


def _key(values: Sequence[float], objective: str) -> Key:
    total = math.fsum(values)
    if objective == "max_score":
        return (total,)
    if objective == "maximin":
        return (float(len(values)), min(values) if values else math.inf, total)
    return (float(len(values)), total)


def objective_key(
    weights: Float2D, rows: NDArray[np.intp], cols: NDArray[np.intp], objective: str
) -> Key:
    """The lexicographic value an assignment reaches (larger is better)."""
    return _key(weights[rows, cols].tolist(), objective)


def better(a: Key, b: Key, tol: float = 0.0) -> bool:
    """``a`` beats ``b`` lexicographically; components within ``tol`` count as equal."""
    for x, y in zip(a, b, strict=True):
        if abs(x - y) > tol:
            return x > y
    return False


def tolerance(weights: Float2D, k: int) -> float:
    """Agreement bound on totals stated in docs/solvers.md: 1e-9 (1 + k max|w|)."""
    amax = float(np.abs(weights).max()) if weights.size else 0.0
    return 1e-9 * (1.0 + k * amax)


def same_value(a: Key, b: Key, tol: float) -> bool:
    """Lexicographic keys equal: counts exactly, weights within ``tol``."""
    return len(a) == len(b) and all(
        x == y if i == 0 and len(a) > 1 else math.isclose(x, y, rel_tol=0, abs_tol=tol)
        for i, (x, y) in enumerate(zip(a, b, strict=True))
    )


def _quotas_ok(quotas: Sequence[Quota], chosen: Sequence[tuple[int, int]], n: int, m: int) -> bool:
    rows = np.array([r for r, _ in chosen], np.intp)
    cols = np.array([c for _, c in chosen], np.intp)
    for q in quotas:
        in_rows = np.ones(n, np.bool_) if q.rows is None else np.isin(np.arange(n), q.rows)
        in_cols = np.ones(m, np.bool_) if q.cols is None else np.isin(np.arange(m), q.cols)
        count = int((in_rows[rows] & in_cols[cols]).sum())
        if count < q.min or (q.max is not None and count > q.max):
            return False
    return True


def brute_force(
    weights: ArrayLike,
    objective: str,
    *,
    feasible: ArrayLike | None = None,
    capacities: ArrayLike | None = None,
    row_capacities: ArrayLike | None = None,
    pair_groups: ArrayLike | None = None,
    quotas: Sequence[Quota] = (),
    keep: Collection[tuple[int, int]] = (),
    min_kept: int = 0,
    tol: float = 0.0,
) -> Key | None:
    """Best :func:`objective_key` over every assignment of a tiny instance (None: no assignment).

    An assignment takes feasible pairs: at most ``row_capacities[r]`` in row ``r`` and
    ``capacities[c]`` in column ``c`` (ones when not given), never two pairs of one
    row with one ``pair_groups`` label >= 0, every quota met, and at least
    ``min_kept`` pairs of ``keep``; ``max_score`` takes pairs of positive weight
    only. Keys are compared with :func:`better` at ``tol``. The keyword names are
    those of :func:`revmatch.solvers.solve`, so ``**Instance.kwargs()`` fits.
    """
    w = np.asarray(weights, dtype=float)
    n, m = w.shape
    mask = np.ones((n, m), np.bool_) if feasible is None else np.asarray(feasible, np.bool_)
    col_left = [1] * m if capacities is None else [int(c) for c in np.asarray(capacities)]
    row_caps = [1] * n if row_capacities is None else [int(c) for c in np.asarray(row_capacities)]
    groups = None if pair_groups is None else np.asarray(pair_groups)
    candidates = [
        [c for c in range(m) if mask[r, c] and (objective != "max_score" or w[r, c] > 0)]
        for r in range(n)
    ]
    assert sum(map(len, candidates)) <= 16, "instance too large for brute force"
    chosen: list[tuple[int, int]] = []
    best: Key | None = None

    def walk(r: int) -> None:
        nonlocal best
        if r == n:
            if sum(rc in keep for rc in chosen) < min_kept:
                return
            if not _quotas_ok(quotas, chosen, n, m):
                return
            key = _key([float(w[rc]) for rc in chosen], objective)
            if best is None or better(key, best, tol):
                best = key
            return
        for size in range(min(row_caps[r], len(candidates[r])) + 1):
            for cols in itertools.combinations(candidates[r], size):
                if any(col_left[c] <= 0 for c in cols):
                    continue
                if groups is not None:
                    labels = [int(groups[r, c]) for c in cols if groups[r, c] >= 0]
                    if len(labels) != len(set(labels)):
                        continue
                for c in cols:
                    col_left[c] -= 1
                    chosen.append((r, c))
                walk(r + 1)
                for c in cols:
                    col_left[c] += 1
                    chosen.pop()

    walk(0)
    return best


def instance_optimum(inst: Instance, objective: str) -> Key:
    """:func:`brute_force` over an instance of the solver table (which always has an answer)."""
    best = brute_force(inst.weights, objective, **inst.kwargs())
    assert best is not None
    return best


def check_assignment(inst: Instance, a: Assignment, objective: str) -> None:
    """Assert every hard constraint on ``a`` (never a forbidden pair, capacities, groups)."""
    rows, cols = a.rows, a.cols
    n, m = inst.weights.shape
    assert rows.dtype == np.intp
    assert cols.dtype == np.intp
    assert np.array_equal(np.lexsort((cols, rows)), np.arange(rows.size))
    assert inst.mask[rows, cols].all(), "forbidden pair returned"
    assert len({(r, c) for r, c in a.pairs()}) == len(a), "pair returned twice"
    assert (np.bincount(rows, minlength=n) <= inst.row_caps).all()
    assert (np.bincount(cols, minlength=m) <= inst.col_caps).all()
    if inst.pair_groups is not None:
        labels = inst.pair_groups[rows, cols]
        seen = [(r, g) for r, g in zip(rows.tolist(), labels.tolist(), strict=True) if g >= 0]
        assert len(seen) == len(set(seen)), "two pairs of one row share a group"
    if objective == "max_score":
        assert (inst.weights[rows, cols] > 0).all()
    assert math.isclose(a.total, math.fsum(inst.weights[rows, cols].tolist()), rel_tol=0, abs_tol=0)


# ----------------------------------------------------------------------------- stable matching


def prefers(scores_row: list[float], a: int, b: int) -> bool:
    """Textbook strict preference: higher score, ties to the lower index."""
    return (scores_row[a], -a) > (scores_row[b], -b)


def by_preference(scores: NDArray[np.float64]) -> Any:
    """Sort key: higher score first, then lower index."""

    def key(k: int) -> tuple[float, int]:
        return (-float(scores[k]), k)

    return key


def reference_da(
    ex: np.ndarray, mentor: np.ndarray, ok: np.ndarray, caps: list[int], optimal: str
) -> set[tuple[int, int]]:
    """Deferred acceptance written plainly from the definition, one proposal at a time."""
    n, m = ex.shape
    ex_list = [
        sorted((j for j in range(m) if ok[i, j]), key=by_preference(ex[i])) for i in range(n)
    ]
    mentor_list = [
        sorted((i for i in range(n) if ok[i, j]), key=by_preference(mentor[:, j])) for j in range(m)
    ]
    if optimal == "executives":
        holds: dict[int, list[int]] = {j: [] for j in range(m)}
        tried = [0] * n
        while True:
            free = [
                i
                for i in range(n)
                if all(i not in h for h in holds.values()) and tried[i] < len(ex_list[i])
            ]
            if not free:
                break
            i = free[0]
            j = ex_list[i][tried[i]]
            tried[i] += 1
            holds[j].append(i)
            holds[j].sort(key=by_preference(mentor[:, j]))
            del holds[j][caps[j] :]
        return {(i, j) for j, h in holds.items() for i in h}
    partner: dict[int, int] = {}
    tried_m = [0] * m
    while True:

        def load(j: int) -> int:
            return sum(1 for v in partner.values() if v == j)

        ready = [j for j in range(m) if load(j) < caps[j] and tried_m[j] < len(mentor_list[j])]
        if not ready:
            break
        j = ready[0]
        i = mentor_list[j][tried_m[j]]
        tried_m[j] += 1
        if i not in partner or prefers(list(ex[i]), j, partner[i]):
            partner[i] = j
    return set(partner.items())


# ----------------------------------------------------------------------------- reporting chains


def chain_above(
    person: str, managers: Mapping[str, str | None], *, strict: bool = False
) -> list[str]:
    """Everyone above ``person``, nearest first; stops at a cycle.

    An unknown manager ends the chain, or raises ``KeyError`` with ``strict``.
    """
    out: list[str] = []
    boss = managers[person] if strict else managers.get(person)
    while boss is not None and boss not in out:
        out.append(boss)
        boss = managers[boss] if strict else managers.get(boss)
    return out


def program_managers(program: rm.Program) -> dict[str, str | None]:
    """Each id's manager: the person's own ``manager_id``, else the first org row naming one."""
    managers: dict[str, str | None] = {p.id: p.manager_id for p in program.people()}
    for entry in program.org:
        if managers.get(entry.id) is None:
            managers[entry.id] = entry.manager_id
    return managers


# ----------------------------------------------------------------------------- rules of a pair


def broken_rules(
    program: rm.Program, config: rm.MatchConfig, executive_id: str, mentor_id: str
) -> list[str]:
    """The hard rules a pair breaks, from their definitions in DESIGN.md and the README."""
    e = next(x for x in program.executives if x.id == executive_id)
    m = next(x for x in program.mentors if x.id == mentor_id)
    broken = []
    if e.id in chain_above(m.id, program_managers(program)):
        broken.append("reporting_chain")
    if m.id in e.blocked or e.id in m.blocked:
        broken.append("blocked")
    if not config.allow_repeats and any(
        (h.executive_id, h.mentor_id) == (e.id, m.id) for h in program.history
    ):
        broken.append("repeat")
    shared = set(e.languages) & set(m.languages)
    if config.require_shared_language and e.languages and m.languages and not shared:
        broken.append("language")
    if config.exclude_same_department and e.department and e.department == m.department:
        broken.append("same_department")
    if e.grade is not None and m.grade is not None and e.grade - m.grade < config.min_grade_gap:
        broken.append("not_junior")
    in_person = "remote" not in (e.mode, m.mode) and (
        e.location is None or m.location is None or e.location == m.location
    )
    video = "onsite" not in (e.mode, m.mode)
    if not (in_person or video):
        broken.append("location")
    return broken


# ----------------------------------------------------------------------------- fixes as written

CHANGE = re.compile(r"^(?P<name>[\w ,-]+?) (?P<old>-?\d+) → (?P<new>-?\d+)$")


def applied(
    program: rm.Program, config: rm.MatchConfig, fix: rm.Relaxation
) -> tuple[rm.Program, rm.MatchConfig]:
    """The program and config with exactly the fix's settings applied."""
    settings = dict(fix.settings)
    capacity = settings.pop("capacity", {})
    assert isinstance(capacity, dict)
    mentors = [
        m.model_copy(update={"capacity": capacity.get(m.id, m.capacity)}) for m in program.mentors
    ]
    return program.replace(mentors=mentors), config.replace(**settings)


def partners(result: rm.MatchResult, pid: str) -> set[str]:
    """Everyone ``pid`` is paired with, on either side."""
    return {p.mentor_id for p in result.pairs if p.executive_id == pid} | {
        p.executive_id for p in result.pairs if p.mentor_id == pid
    }


def check_no_op_free(fix: rm.Relaxation, program: rm.Program, config: rm.MatchConfig) -> None:
    """Every change of the fix changes something: no setting is set to its current value."""
    for change in fix.changes:
        moved = CHANGE.match(change)
        if moved:
            assert moved["old"] != moved["new"], change
    for name, value in fix.settings.items():
        if name == "capacity":
            assert isinstance(value, dict)
            now = {m.id: m.capacity for m in program.mentors}
            assert all(places > now[mid] for mid, places in value.items()), fix
        else:
            assert getattr(config, name) != value, fix


# ----------------------------------------------------------------------------- weekly time


def covers(person: Person, instant: datetime, any_slot: bool) -> bool:
    """The person's wall clock at ``instant`` shows a time inside one of their slots.

    ``any_slot`` False counts weekly slots only, True fortnightly ones too.
    """
    zone, slots = person
    wall = instant.astimezone(ZoneInfo(zone))
    minute = wall.hour * 60 + wall.minute
    return any(
        s.day == wall.weekday() and s.start <= minute < s.end and (any_slot or s.every == 1)
        for s in slots
    )


def session_instants(
    zone: str, monday: date, day: int, minute: int, n_cells: int
) -> list[datetime]:
    """The UTC instants of each 15 minutes of a session at local ``day`` and ``minute``.

    The wall time is read in ``zone`` with ``fold=0`` (skipped and repeated
    times alike); the session lasts its length in real time.
    """
    wall = datetime.combine(
        monday + timedelta(days=day), time(minute // 60, minute % 60), tzinfo=ZoneInfo(zone)
    )
    begin = wall.astimezone(UTC)
    return [begin + timedelta(minutes=15 * j) for j in range(n_cells)]


def ref_cells(p: Person, monday: date, window: Window) -> list[tuple[bool, bool, bool]]:
    """(weekly, any, preferred) for each UTC cell of the week of ``monday``."""
    zone, slots = p
    tz = ZoneInfo(zone)
    t0 = datetime.combine(monday, time(), tzinfo=UTC)
    out = []
    for u in range(SLOTS_PER_WEEK):
        wall = (t0 + timedelta(minutes=15 * u)).astimezone(tz)
        day, minute = wall.weekday(), wall.hour * 60 + wall.minute
        hits = [s.every for s in slots if s.day == day and s.start <= minute < s.end]
        full = 1 in hits
        anything = bool(hits)
        pref = anything and window is not None and window[0] <= minute < window[1]
        out.append((full, anything, pref))
    return out


def ref_overlap(
    ex: Person, me: Person, weeks: Sequence[date], window: Window
) -> tuple[float, float, float]:
    """(min, mean, preferred) weekly shared minutes, a fortnightly cell counting half."""
    shared: list[float] = []
    preferred: list[float] = []
    for monday in weeks:
        a, b = ref_cells(ex, monday, window), ref_cells(me, monday, window)
        total = pref = 0.0
        for (fa, aa, pa), (fb, ab, pb) in zip(a, b, strict=True):
            if fa and fb:
                total += 15
            elif aa and ab:
                total += 7.5
            if pa and pb:
                pref += 15 if (fa and fb) else 7.5
        shared.append(total)
        preferred.append(pref)
    return min(shared), sum(shared) / len(weeks), sum(preferred) / len(weeks)


def ref_meeting_weeks(
    ex: Person, me: Person, weeks: Sequence[date], n_cells: int, key: int
) -> np.ndarray:
    """``ok[w, c]``: the session at exec-local cell ``c`` lies in shared cells in week ``w``.

    The session is checked at its real instants, which may lie outside the
    UTC week of ``w``'s Monday.  ``key`` 0 uses weekly slots only, 1 any slot.
    """
    ok = np.zeros((len(weeks), SLOTS_PER_WEEK), dtype=bool)
    for w, monday in enumerate(weeks):
        for c in range(SLOTS_PER_WEEK):
            day, minute = divmod(15 * c, 1440)
            cells = session_instants(ex[0], monday, day, minute, n_cells)
            ok[w, c] = all(covers(ex, t, bool(key)) and covers(me, t, bool(key)) for t in cells)
    return ok


def span(begin: datetime, finish: datetime, zone: str) -> str:
    """``"Mon 12:00-13:00"`` on the wall clock of ``zone``."""
    b, f = begin.astimezone(ZoneInfo(zone)), finish.astimezone(ZoneInfo(zone))
    return f"{DAYS[b.weekday()]} {b:%H:%M}-{f:%H:%M}"


@dataclass(frozen=True)
class Week:
    """One program week of a proposed slot: whether it fits, and where it lies locally."""

    monday: date
    ok: bool
    executive: str
    mentor: str


def meeting_weeks(
    executive: Person, mentor: Person, slot: MeetingSlot, session: int, weeks: Sequence[date]
) -> list[Week]:
    """The proposed slot in every program week: whether it fits, and where it lies locally."""
    out: list[Week] = []
    any_slot = slot.every == 2
    for monday in weeks:
        instants = session_instants(executive[0], monday, slot.day, slot.start, -(-session // 15))
        begin = instants[0]
        finish = begin + timedelta(minutes=session)
        ok = all(covers(executive, t, any_slot) and covers(mentor, t, any_slot) for t in instants)
        out.append(
            Week(monday, ok, span(begin, finish, executive[0]), span(begin, finish, mentor[0]))
        )
    return out
