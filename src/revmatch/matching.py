"""The main job: program in, explained pairs out."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import platform
import re
from collections.abc import Mapping, Sequence
from importlib import metadata
from time import perf_counter
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .availability import MeetingSlot, propose_meetings
from .compile import ProgramArrays, compile_program
from .constraints import decode_reasons, reason_counts
from .exceptions import InvalidInputError
from .models import MatchConfig, Program
from .relax import Resolver, smallest_relaxation
from .result import MatchResult, Meeting, Pair, Unmatched, score_stats
from .scoring import ComponentFn, ScoreMatrix, score_arrays
from .solvers import solve

_log = logging.getLogger("revmatch")

__all__ = [
    "build_result",
    "executive_reasons",
    "input_digest",
    "make_pair",
    "match",
    "meetings_for",
    "objective_weights",
    "result_metrics",
    "solve_scores",
]


def input_digest(program: Program) -> str:
    """SHA-256 of a canonical serialisation of the program.

    People, org entries, history and pins are sorted by id and the order of
    slots, ``blocked``, ``preferred`` and ``groups`` is normalised, so the
    digest does not depend on record order. (Language order is kept: the
    first-listed language means something.)
    """
    data = program.to_dict()
    for role in ("mentors", "executives"):
        for record in data[role]:
            for key in ("blocked", "preferred", "groups"):
                record[key] = sorted(record[key])
            record["availability"] = sorted(record["availability"], key=_canonical_key)
        data[role] = sorted(data[role], key=lambda r: r["id"])
    data["org"] = sorted(data["org"], key=lambda r: r["id"])
    for key in ("history", "pinned"):
        data[key] = sorted(data[key], key=_canonical)
    return hashlib.sha256(_canonical(data).encode("utf-8")).hexdigest()


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


_PLAIN_TEXT = re.compile(r'[^"\\\x00-\x1f]*')


def _canonical_key(value: Any) -> str:
    """``_canonical(value)``, without the encoder for plain strings (most slot texts)."""
    if isinstance(value, str) and _PLAIN_TEXT.fullmatch(value):
        return f'"{value}"'  # what json.dumps gives when nothing needs escaping
    return _canonical(value)


def _versions() -> dict[str, str]:
    return dict(_installed_versions())


@functools.cache
def _installed_versions() -> tuple[tuple[str, str], ...]:
    # Reading package metadata costs milliseconds per call, more than matching a
    # small program; the versions cannot change while the process runs.
    out = [("python", platform.python_version())]
    for name in ("revmatch", "numpy", "scipy", "networkx", "pydantic"):
        try:
            out.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:  # pragma: no cover - source checkout
            out.append((name, "unknown"))
    return tuple(out)


def _pinned(
    arrays: ProgramArrays, scores: ScoreMatrix, capacities: NDArray[np.int64]
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Check pinned pairs against the hard rules; take their capacity."""
    width = max(arrays.shape[1], 1)
    rows = (arrays.pinned.keys // width).astype(np.intp)
    cols = (arrays.pinned.keys % width).astype(np.intp)
    problems = []
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        broken = decode_reasons(int(scores.reasons[r, c]))
        pair = f"pinned pair ({arrays.executives[r].id!r}, {arrays.mentors[c].id!r})"
        if broken:
            problems.append(f"{pair} breaks the rule(s) {', '.join(broken)}")
        capacities[c] -= 1
        if capacities[c] < 0:
            problems.append(f"{pair} exceeds the capacity of mentor {arrays.mentors[c].id!r}")
    if problems:
        raise InvalidInputError("; ".join(problems))
    return rows, cols


def _pair_groups(
    arrays: ProgramArrays, config: MatchConfig, rows: NDArray[np.intp] | None = None
) -> NDArray[np.intp]:
    """Label each pair with the topic the mentor serves best for that executive.

    ``-1`` where the mentor serves none of the executive's topics. With
    ``rows``, only the pairs of those executives (one row each, in order).
    """
    tw = np.array([config.topic_weights.get(t, 1.0) for t in arrays.topics])
    interests = arrays.interests if rows is None else arrays.interests[rows]
    gain = (interests * tw)[:, None, :] * arrays.expertise[None, :, :]
    labels = np.argmax(gain, axis=2).astype(np.intp)
    labels[gain.max(axis=2) <= 0] = -1
    return np.asarray(labels, dtype=np.intp)


def _pin_groups(
    arrays: ProgramArrays,
    config: MatchConfig,
    pin_rows: NDArray[np.intp],
    pin_cols: NDArray[np.intp],
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Pairs that pins rule out under the rule of one mentor per topic group.

    With ``mentors_per_executive > 1`` an executive's mentors must come from
    different topic groups (:func:`_pair_groups`). A pin takes its group, so
    every mentor of that group is ruled out for the pinned executive (the
    pinned mentor included); the solver never sees the pins themselves.

    Raises
    ------
    InvalidInputError
        If two pins give one executive two mentors of one topic group.
    """
    none = np.zeros(0, dtype=np.intp)
    if config.mentors_per_executive == 1 or pin_rows.size == 0:
        return none, none
    # Blocks of pins keep the (pins x mentors x topics) gains small on large programs.
    step = max(1, (1 << 22) // max(arrays.expertise.size, 1))
    found_rows, found_cols, owns = [], [], []
    for lo in range(0, pin_rows.size, step):
        rows, cols = pin_rows[lo : lo + step], pin_cols[lo : lo + step]
        labels = _pair_groups(arrays, config, rows)
        own = labels[np.arange(rows.size), cols]
        hit, col = np.nonzero((labels == own[:, None]) & (own[:, None] >= 0))
        found_rows.append(rows[hit])
        found_cols.append(col)
        owns.append(own)
    own = np.concatenate(owns)
    first: dict[tuple[int, int], int] = {}
    problems = []
    for k, (r, g) in enumerate(zip(pin_rows.tolist(), own.tolist(), strict=True)):
        if g < 0:
            continue
        if (r, g) in first:
            other = arrays.mentors[int(pin_cols[first[r, g]])].id
            problems.append(
                f"pinned pairs ({arrays.executives[r].id!r}, {other!r}) and "
                f"({arrays.executives[r].id!r}, {arrays.mentors[int(pin_cols[k])].id!r}) "
                f"are in one topic group ({arrays.topics[g]!r}); an executive gets at most "
                "one mentor per topic group"
            )
        else:
            first[r, g] = k
    if problems:
        raise InvalidInputError("; ".join(problems))
    return (
        np.concatenate(found_rows).astype(np.intp),
        np.concatenate(found_cols).astype(np.intp),
    )


def match(
    program: Program | Mapping[str, Any],
    config: MatchConfig | Mapping[str, Any] | None = None,
    *,
    custom: Mapping[str, ComponentFn] | None = None,
    force_pins: bool = False,
) -> MatchResult:
    """Pair executives with mentors, exactly, and explain the result.

    Parameters
    ----------
    program : Program or mapping
        The validated program, or canonical data to validate.
    config : MatchConfig or mapping, optional
        Weights, rules and solver choice; ``MatchConfig()`` by default.
    custom : mapping of str to ComponentFn, optional
        Custom score components, weighted as ``"custom:<name>"``.
    force_pins : bool, default False
        Keep pinned pairs that break a hard rule instead of raising; each is
        recorded in ``audit["forced_pins"]`` with the rules it breaks.

    Returns
    -------
    MatchResult
        Pairs with score parts and meeting slots, unmatched people with
        reasons, metrics and an audit record.

    Raises
    ------
    InvalidInputError
        If the program or config is invalid, or a pinned pair breaks a rule.
    InfeasibleError
        With ``config.strict`` when not every executive can be matched.

    Notes
    -----
    The pipeline is compile → score → solve → explain; the audit record
    holds the time of each stage. Records are ordered by id before anything
    else, so the same program in any record order gives the same pairs.

    Examples
    --------
    >>> import revmatch as rm
    >>> program = rm.datasets.make_program(n_executives=6, n_mentors=9, seed=3)
    >>> result = rm.match(program)
    >>> len(result.pairs) + sum(u.role == "executive" for u in result.unmatched)
    6
    """
    timings: dict[str, float] = {}
    start = perf_counter()
    if not isinstance(program, Program):
        program = Program.model_validate(program)
    if config is None:
        config = MatchConfig()
    elif not isinstance(config, MatchConfig):
        config = MatchConfig.model_validate(config)
    timings["validate"] = perf_counter() - start
    if config.candidates is not None and not force_pins:
        from .scale import match_candidates  # the scale package builds on this module

        return match_candidates(program, config, custom=custom)

    t = perf_counter()
    arrays = compile_program(program, config)
    timings["compile"] = perf_counter() - t

    t = perf_counter()
    scores = score_arrays(arrays, config, custom=custom)
    timings["score"] = perf_counter() - t

    forced: list[dict[str, Any]] = []
    if force_pins:
        from .lifecycle import force_pinned  # lifecycle builds on this module

        scores, forced = force_pinned(scores)

    t = perf_counter()
    rows, cols, pinned_flags, method = solve_scores(scores)
    timings["solve"] = perf_counter() - t
    return build_result(
        scores,
        rows,
        cols,
        pinned_flags,
        method=method,
        timings=timings,
        start=start,
        audit_extra={"forced_pins": forced} if forced else None,
    )


def objective_weights(scores: ScoreMatrix) -> NDArray[np.float64]:
    """The solver's weights: scores plus the configured priority and repeat terms.

    ``priority_bonus`` is added to every pair of an executive listed in
    ``program.priority``; with ``allow_repeats``, ``repeat_bonus`` is added to
    pairs found in ``program.history``. Without either, this is
    ``scores.values`` itself (no copy).
    """
    arrays, config = scores.arrays, scores.config
    weights = scores.values
    priority = [arrays.exec_index[p] for p in arrays.program.priority if p in arrays.exec_index]
    if config.priority_bonus and priority:
        weights = weights.copy()
        weights[np.unique(priority)] += config.priority_bonus
    if config.allow_repeats and config.repeat_bonus and len(arrays.history):
        weights = weights.copy() if weights is scores.values else weights
        width = max(arrays.shape[1], 1)
        weights[arrays.history.keys // width, arrays.history.keys % width] += config.repeat_bonus
    return weights


def solve_scores(
    scores: ScoreMatrix,
    *,
    weights: NDArray[np.float64] | None = None,
    feasible: NDArray[np.bool_] | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.bool_], str]:
    """Solve the assignment behind a score matrix, honouring pins and capacities.

    Parameters
    ----------
    scores : ScoreMatrix
        Scores, reasons, arrays and config of the program.
    weights : ndarray, optional
        Weights to maximise instead of :func:`objective_weights` (e.g. with
        switching costs for re-matching); feasibility still comes from the
        rules.
    feasible : ndarray of bool, optional
        A further mask ANDed with the rules' feasibility.

    Returns
    -------
    rows, cols : ndarray of intp
        Chosen pairs (pins included), sorted by (row, col).
    pinned : ndarray of bool
        Which of them are pinned.
    method : str
        The solver method actually used.
    """
    arrays, config = scores.arrays, scores.config
    capacities = arrays.capacities.copy()
    pin_rows, pin_cols = _pinned(arrays, scores, capacities)
    row_capacities = np.full(arrays.shape[0], config.mentors_per_executive, dtype=np.int64)
    np.subtract.at(row_capacities, pin_rows, 1)
    row_capacities = np.maximum(row_capacities, 0)
    extra: dict[str, Any] = {}
    if config.mentors_per_executive > 1 or pin_rows.size:
        extra["row_capacities"] = row_capacities
    if config.mentors_per_executive > 1:
        extra["pair_groups"] = _pair_groups(arrays, config)
    if weights is None:
        weights = objective_weights(scores)
    allowed = scores.feasible
    if feasible is not None:
        allowed = allowed & feasible
    if pin_rows.size:
        allowed = allowed.copy()
        allowed[pin_rows, pin_cols] = False  # already taken; never chosen twice
        allowed[_pin_groups(arrays, config, pin_rows, pin_cols)] = False
    assignment = solve(
        weights,
        feasible=allowed,
        capacities=capacities,
        objective=config.objective,
        method=config.method,
        strict=config.strict,
        **extra,
    )
    rows = np.concatenate([assignment.rows, pin_rows]).astype(np.intp)
    cols = np.concatenate([assignment.cols, pin_cols]).astype(np.intp)
    pinned = np.concatenate([np.zeros(assignment.rows.size, bool), np.ones(pin_rows.size, bool)])
    order = np.lexsort((cols, rows))
    return rows[order], cols[order], pinned[order], assignment.method


def build_result(
    scores: ScoreMatrix,
    rows: NDArray[np.intp],
    cols: NDArray[np.intp],
    pinned: NDArray[np.bool_],
    *,
    method: str,
    timings: dict[str, float] | None = None,
    start: float | None = None,
    audit_extra: Mapping[str, Any] | None = None,
) -> MatchResult:
    """Turn chosen pairs into an explained :class:`MatchResult`.

    Parameters
    ----------
    scores : ScoreMatrix
        The scores behind the pairs.
    rows, cols : ndarray of intp
        Chosen (executive, mentor) indices, sorted by (row, col).
    pinned : ndarray of bool
        Which pairs are pinned.
    method : str
        Solver method used (for the audit record).
    timings : dict, optional
        Stage timings so far; ``explain`` and ``total`` are added.
    start : float, optional
        ``perf_counter()`` at the start of the whole job.
    audit_extra : mapping, optional
        More entries for the audit record.
    """
    timings = dict(timings or {})
    t = perf_counter()
    config, program = scores.config, scores.arrays.program
    pairs = _build_pairs(scores, rows, cols, pinned)
    unmatched, spare = _build_unmatched(scores, rows, cols)
    timings["explain"] = perf_counter() - t
    timings["total"] = perf_counter() - (start if start is not None else t)
    # The stability audit is defined for one mentor per executive.
    one_each = scores.config.mentors_per_executive == 1
    blocking = _blocking_count(scores, rows, cols) if one_each else None
    metrics = result_metrics(scores.arrays, pairs, unmatched, rows, cols, blocking=blocking)
    _log.info(
        "matched %d of %d executives with %d mentors (%s, %.3f s)",
        metrics["matched_executives"],
        metrics["n_executives"],
        metrics["n_mentors"],
        method,
        timings["total"],
    )
    for u in unmatched:
        _log.debug("unmatched %s %s: %s", u.role, u.id, ",".join(u.reason_codes))
    audit = {
        "input_digest": input_digest(program),
        "program": program.name,
        "config": config.model_dump(mode="json"),
        "versions": _versions(),
        "method": method,
        "objective": config.objective,
        "objective_value": round(float(scores.values[rows, cols].sum()), 9),
        "seed": None,
        "timings": {k: round(v, 6) for k, v in timings.items()},
        "warnings": [str(p) for p in program.warnings],
        **dict(audit_extra or {}),
    }
    return MatchResult(
        pairs=pairs,
        unmatched=unmatched,
        metrics=metrics,
        audit=audit,
        spare_capacity=spare,
        scores=scores,
    )


def make_pair(
    arrays: ProgramArrays,
    config: MatchConfig,
    r: int,
    c: int,
    *,
    score: float,
    components: dict[str, float],
    contributions: dict[str, float],
    min_minutes: float,
    mean_minutes: float,
    pinned: bool,
    meeting: MeetingSlot | None,
) -> Pair:
    """Build one explained :class:`Pair`: topics served, meeting slot, names.

    Shared by the dense path and the candidate path (:mod:`revmatch.scale`),
    which differ only in where scores and shared minutes come from;
    ``meeting`` comes from :func:`meetings_for`.
    """
    wished = arrays.interests[r] > 0
    known = arrays.expertise[c] > 0
    return Pair(
        executive_id=arrays.executives[r].id,
        mentor_id=arrays.mentors[c].id,
        score=score,
        components=components,
        contributions=contributions,
        min_overlap_minutes=min_minutes,
        mean_overlap_minutes=round(mean_minutes, 3),
        topics_covered=tuple(
            t for t, w, m in zip(arrays.topics, wished, known, strict=True) if w and m
        ),
        topics_uncovered=tuple(
            t for t, w, m in zip(arrays.topics, wished, known, strict=True) if w and not m
        ),
        meeting=None
        if meeting is None
        else Meeting(
            executive_local=meeting.executive_local,
            mentor_local=meeting.mentor_local,
            utc=meeting.utc,
            weeks_ok=meeting.weeks_ok,
            n_weeks=meeting.n_weeks,
            in_preferred_window=meeting.in_preferred_window,
            dst_notes=tuple(meeting.dst_notes),
        ),
        pinned=pinned,
        executive_name=arrays.executives[r].name,
        mentor_name=arrays.mentors[c].name,
    )


def meetings_for(
    arrays: ProgramArrays, config: MatchConfig, rows: Sequence[int], cols: Sequence[int]
) -> list[MeetingSlot | None]:
    """Proposed meeting slots of the pairs ``(rows[k], cols[k])``, computed in one batch."""
    return propose_meetings(
        [
            (
                (arrays.exec_zones[r], arrays.executives[r].availability),
                (arrays.mentor_zones[c], arrays.mentors[c].availability),
            )
            for r, c in zip(rows, cols, strict=True)
        ],
        start=arrays.program.start,
        end=arrays.program.end,
        session_minutes=config.session_minutes,
        preferred_window=config.preferred_window_minutes,
    )


def _build_pairs(
    scores: ScoreMatrix,
    rows: NDArray[np.intp],
    cols: NDArray[np.intp],
    pinned: NDArray[np.bool_],
) -> tuple[Pair, ...]:
    details = scores.details(rows, cols)
    meetings = meetings_for(scores.arrays, scores.config, rows.tolist(), cols.tolist())
    pairs = []
    for k, (r, c) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
        components = {n: round(float(v[k]), 6) for n, v in details.components.items()}
        pairs.append(
            make_pair(
                scores.arrays,
                scores.config,
                r,
                c,
                score=float(scores.values[r, c]),
                components=components,
                contributions={n: round(v, 6) for n, v in scores.contributions(components).items()},
                min_minutes=float(details.min_minutes[k]),
                mean_minutes=float(details.mean_minutes[k]),
                pinned=bool(pinned[k]),
                meeting=meetings[k],
            )
        )
    return tuple(pairs)


def executive_reasons(
    mask: NDArray[np.uint16], capacities: NDArray[np.int64] | None = None
) -> tuple[dict[str, int], str]:
    """Reason counts and hint of an unmatched executive, from its row of reason masks.

    Shared by the dense path and the candidate path. With the mentors'
    ``capacities``, allowed mentors of capacity 0 count as ``no_capacity``:
    they take nobody, so they neither "would fit" nor were "needed".
    """
    if mask.size == 0:
        return {"no_mentors": 0}, "the program has no mentors"
    reasons = reason_counts(mask)
    allowed = mask == 0
    n_empty = 0 if capacities is None else int(np.count_nonzero(allowed & (capacities == 0)))
    n_feasible = int(np.count_nonzero(allowed)) - n_empty
    if n_empty:
        reasons["no_capacity"] = n_empty
    if n_feasible:
        reasons["capacity"] = n_feasible
        return reasons, (
            f"{n_feasible} mentor(s) would fit but all were needed for other executives; "
            "more mentor capacity would help"
        )
    if n_empty:
        return reasons, (
            f"the {n_empty} mentor(s) allowed have capacity 0; more mentor capacity would help"
        )
    top = max(reasons, key=lambda k: (reasons[k], k))
    return reasons, f"no mentor is allowed; most often excluded by {top} ({reasons[top]} mentors)"


def _build_unmatched(
    scores: ScoreMatrix, rows: NDArray[np.intp], cols: NDArray[np.intp]
) -> tuple[tuple[Unmatched, ...], dict[str, int]]:
    arrays = scores.arrays
    n_exec, n_mentor = arrays.shape
    exec_used = np.bincount(rows, minlength=n_exec)
    mentor_used = np.bincount(cols, minlength=n_mentor)
    out: list[Unmatched] = []
    # A fix is checked by solving again with it applied, as match() would.
    resolver = Resolver(scores, solve_scores)
    for r in np.flatnonzero(exec_used == 0).tolist():
        reasons, hint = executive_reasons(scores.reasons[r], arrays.capacities)
        fix = (
            smallest_relaxation(scores, r, "executive", mentor_used, resolver=resolver)
            if n_mentor
            else None
        )
        out.append(Unmatched(arrays.executives[r].id, "executive", reasons, hint, fix=fix))
    for c in np.flatnonzero(mentor_used == 0).tolist():
        mentor = arrays.mentors[c]
        mask = scores.reasons[:, c]
        reasons = reason_counts(mask)
        n_feasible = int(np.count_nonzero(mask == 0))
        if mentor.capacity == 0:
            reasons = {"no_capacity": 0}
            hint = "the mentor has capacity 0"
        elif n_exec == 0:
            reasons = {"no_executives": 0}
            hint = "the program has no executives"
        elif n_feasible:
            reasons["not_chosen"] = n_feasible
            hint = f"{n_feasible} executive(s) would fit, but each was paired with another mentor"
        else:
            top = max(reasons, key=lambda k: (reasons[k], k))
            hint = f"no executive is allowed; most often excluded by {top} ({reasons[top]})"
        fix = (
            smallest_relaxation(
                scores, c, "mentor", mentor_used, pairs=(rows, cols), resolver=resolver
            )
            if n_exec and mentor.capacity and not n_feasible
            else None
        )
        out.append(
            Unmatched(mentor.id, "mentor", reasons, hint, spare=int(mentor.capacity), fix=fix)
        )
    spare = {
        m.id: int(m.capacity - mentor_used[c])
        for c, m in enumerate(arrays.mentors)
        if m.capacity > mentor_used[c]
    }
    return tuple(out), spare


def _blocking_count(scores: ScoreMatrix, rows: NDArray[np.intp], cols: NDArray[np.intp]) -> int:
    """Feasible pairs who would both rather be together than with what they have.

    Both sides rank by the pair score: executive ``i`` prefers mentor ``j``
    when ``S[i, j]`` beats its current pair (or it is unmatched); mentor
    ``j`` prefers ``i`` when it has a free place or ``S[i, j]`` beats its
    worst current pair. Ties are not blocking.
    """
    n_exec, n_mentor = scores.shape
    if not n_exec or not n_mentor:
        return 0
    values = scores.values
    exec_has = np.full(n_exec, -np.inf)
    exec_has[rows] = values[rows, cols]
    mentor_worst = np.full(n_mentor, np.inf)
    np.minimum.at(mentor_worst, cols, values[rows, cols])
    used = np.bincount(cols, minlength=n_mentor)
    mentor_bar = np.where(used >= scores.arrays.capacities, mentor_worst, -np.inf)
    count = 0
    for block in range(0, n_exec, 1024):
        part = slice(block, block + 1024)
        better = (values[part] > exec_has[part, None]) & (values[part] > mentor_bar[None, :])
        count += int(np.count_nonzero(better & (scores.reasons[part] == 0)))
    return count


def result_metrics(
    arrays: ProgramArrays,
    pairs: tuple[Pair, ...],
    unmatched: tuple[Unmatched, ...],
    rows: NDArray[np.intp],
    cols: NDArray[np.intp],
    *,
    blocking: int | None,
) -> dict[str, Any]:
    """The ``metrics`` of a result: coverage, scores, topic coverage, load, reasons.

    Shared by the dense path and the candidate path; ``blocking`` is the
    number of blocking pairs, or None where it is not computed.
    """
    n_exec, n_mentor = arrays.shape
    matched = int(np.unique(rows).size)
    capacity = int(arrays.capacities.sum())
    reasons: dict[str, int] = {}
    for u in unmatched:
        for code in u.reasons:
            reasons[code] = reasons.get(code, 0) + 1
    load = np.bincount(cols, minlength=n_mentor) if n_mentor else np.zeros(0)
    ratio = np.where(arrays.capacities > 0, load / np.maximum(arrays.capacities, 1), 0.0)
    # Topic coverage: the share of wished topic-levels (interest·5 per topic)
    # that the chosen mentors serve (interest·expertise).
    wished = arrays.interests.sum(axis=0) * 5.0
    served = (arrays.interests[rows] * arrays.expertise[cols]).sum(axis=0)
    topic_coverage = {
        t: round(float(served[k] / wished[k]), 6) if wished[k] else None
        for k, t in enumerate(arrays.topics)
    }
    total_wished = float(wished.sum())
    return {
        "n_executives": n_exec,
        "n_mentors": n_mentor,
        "n_pairs": len(pairs),
        "matched_executives": matched,
        "coverage": round(matched / n_exec, 6) if n_exec else 0.0,
        **score_stats([p.score for p in pairs]),
        "topic_coverage": round(float(served.sum()) / total_wished, 6) if total_wished else None,
        "topic_coverage_by_topic": topic_coverage,
        "mentor_capacity": capacity,
        "mentor_load": round(len(pairs) / capacity, 6) if capacity else 0.0,
        "mentor_load_std": round(float(ratio.std()), 6) if n_mentor else 0.0,
        "blocking_pairs": blocking,
        "unmatched_executives": sum(u.role == "executive" for u in unmatched),
        "unmatched_mentors": sum(u.role == "mentor" for u in unmatched),
        "unmatched_reasons": dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
    }
