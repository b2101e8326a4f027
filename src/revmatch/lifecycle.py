"""The program's life: rounds, leavers, closures, least-disruption re-matching, what-if.

Reverse-mentoring programs run for months. Pairs close early, mentors change
jobs, new executives join, and the next cohort must not repeat old pairs. Each
of these everyday operations is one call here, with the guarantees of a fresh
:func:`~revmatch.matching.match` (nothing lost, forbidden stays forbidden,
proven optimum):

======================  ======================================================
:func:`next_round`      start the next round: the result's pairs go to
                        ``history`` (so they are never repeated by default) and
                        the executives left unmatched get ``priority``
:func:`remove_people`   people leave; their reporting lines stay in ``org``, so
                        no reporting chain through them is lost
:func:`close_pair`      a pair ends early; it goes to ``history``
:func:`rematch`         after people leave, join or change: keep every pair that
                        still works unless moving it gains more than the
                        switching cost, re-pair the rest, report the changes
:func:`compare`         pairs added, removed, changed and the metric deltas of
                        two results
:func:`sweep`           metrics of many settings, compiling and scoring once
======================  ======================================================

Everything takes and returns values: programs and results are never changed
in place.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp

from ._pipeline.assign import (
    objective_weights,
    pair_groups,
    pin_groups,
    solve_scores,
    take_pins,
)
from ._pipeline.audit import input_digest
from ._pipeline.report import build_result
from .availability import block_overlaps
from .compile import ProgramArrays, compile_program
from .constraints import decode_reasons, reason_block
from .exceptions import InfeasibleError, InvalidInputError, Problem
from .models import HistoryEntry, MatchConfig, Program, cut_program
from .result import MatchResult, score_stats
from .scoring import (
    ComponentFn,
    ScoreMatrix,
    _block_rows,
    active_weights,
    component_block,
    score_arrays,
)
from .solvers import METHODS, Quota, SolverError, solve
from .solvers._network import integer_weights

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Change",
    "ChangeReport",
    "Comparison",
    "PairDiff",
    "SweepResult",
    "close_pair",
    "compare",
    "current_round",
    "force_pinned",
    "next_round",
    "rematch",
    "rematch_changes",
    "remove_people",
    "sweep",
]

ChangeKind = Literal["kept", "ended", "new"]
DiffKind = Literal["added", "removed", "changed", "rescored"]

#: Reasons of an ended pair that still met every rule: it counts as a change
#: against ``max_changes``.
MOVE_REASONS: frozenset[str] = frozenset({"moved", "capacity", "displaced", "dropped"})


# --------------------------------------------------------------------------- helpers


def _as_program(program: Program | Mapping[str, Any]) -> Program:
    return program if isinstance(program, Program) else Program.model_validate(program)


def _as_config(
    config: MatchConfig | Mapping[str, Any] | None, result: MatchResult | None = None
) -> MatchConfig:
    if isinstance(config, MatchConfig):
        return config
    if config is not None:
        return MatchConfig.model_validate(config)
    if result is not None:
        return result_config(result)
    return MatchConfig()


def result_config(result: MatchResult) -> MatchConfig:
    """The settings a result was computed with.

    From its score matrix when present, else from ``audit["config"]`` (results
    read from JSON), else the defaults.
    """
    if result.scores is not None:
        return result.scores.config
    raw = result.audit.get("config")
    if isinstance(raw, Mapping):
        return MatchConfig.model_validate(raw)
    return MatchConfig()


def _check_ids(ids: Iterable[str], known: set[str], what: str, name: str) -> list[str]:
    out: list[str] = []
    problems: list[Problem] = []
    for i, pid in enumerate(ids):
        if not isinstance(pid, str):
            problems.append(
                Problem(
                    f"expected an id (a string). Got {type(pid).__name__}",
                    record=f"{name}[{i}]",
                )
            )
        elif pid not in known:
            problems.append(Problem(f"{pid!r} is not {what}", record=f"{name}[{i}]"))
        else:
            out.append(pid)
    if problems:
        raise InvalidInputError(problems)
    return out


def current_round(result: MatchResult, program: Program) -> int:
    """The round a result belongs to.

    Parameters
    ----------
    result : MatchResult
        A result of :func:`~revmatch.matching.match`, :func:`rematch` or
        :func:`close_pair`.
    program : Program
        The program the result was computed for.

    Returns
    -------
    int
        ``result.audit["round"]`` when set (by :func:`rematch` and
        :func:`close_pair`), else one more than the highest round in
        ``program.history`` (1 when there is no history).

    Examples
    --------
    >>> import revmatch as rm
    >>> from revmatch.lifecycle import current_round
    >>> program = rm.datasets.make_program(n_executives=4, n_mentors=6, seed=1)
    >>> current_round(rm.match(program), program)
    1
    """
    stamped = result.audit.get("round")
    if isinstance(stamped, int) and not isinstance(stamped, bool):
        return stamped
    return max((h.round for h in program.history), default=0) + 1


# --------------------------------------------------------------------------- rounds


def next_round(result: MatchResult, program: Program, *, round: int | None = None) -> Program:
    """Start the next round of a program from this round's result.

    Parameters
    ----------
    result : MatchResult
        This round's result.
    program : Program
        This round's program.
    round : int, optional
        Round number recorded for the result's pairs; by default
        :func:`current_round`.

    Returns
    -------
    Program
        The same people with the result's pairs appended to ``history`` (so
        the next match never repeats them unless ``allow_repeats`` is set),
        ``priority`` set to the executives the result left unmatched (they
        earn ``MatchConfig.priority_bonus``) and ``pinned`` cleared: every pin
        was honoured in this round, so it is now history. A pair already in
        the history with the same round is not added twice.

    Raises
    ------
    InvalidInputError
        If ``round`` is not an integer.

    Examples
    --------
    >>> import revmatch as rm
    >>> program = rm.datasets.make_program(n_executives=5, n_mentors=8, seed=2)
    >>> first = rm.match(program)
    >>> from revmatch.lifecycle import next_round
    >>> second_program = next_round(first, program)
    >>> {(h.executive_id, h.mentor_id) for h in second_program.history} == {
    ...     (p.executive_id, p.mentor_id) for p in first.pairs}
    True
    >>> second = rm.match(second_program)
    >>> any((p.executive_id, p.mentor_id) in {(h.executive_id, h.mentor_id)
    ...     for h in second_program.history} for p in second.pairs)
    False
    """
    if round is None:
        number = current_round(result, program)
    elif isinstance(round, bool) or not isinstance(round, int):
        raise InvalidInputError(
            Problem(f"expected an integer. Got {round!r}", field="round", expected="an int")
        )
    else:
        number = round
    seen = {(h.executive_id, h.mentor_id, h.round) for h in program.history}
    added = []
    for p in result.pairs:
        key = (p.executive_id, p.mentor_id, number)
        if key not in seen:
            seen.add(key)
            added.append(
                HistoryEntry(executive_id=p.executive_id, mentor_id=p.mentor_id, round=number)
            )
    present = {e.id for e in program.executives}
    priority = tuple(u.id for u in result.unmatched if u.role == "executive" and u.id in present)
    return program.replace(history=(*program.history, *added), pinned=(), priority=priority)


def remove_people(program: Program, ids: Iterable[str]) -> Program:
    """Remove mentors and executives from a program, keeping their reporting lines.

    Parameters
    ----------
    program : Program
        The program.
    ids : iterable of str
        Ids of mentors or executives who leave.

    Returns
    -------
    Program
        The program without them. Each leaver becomes an ``org`` entry with
        their manager, so reporting chains that pass through them still
        forbid the pairs they forbade (a mentor two levels below an executive
        stays below them when the manager in between leaves). ``org`` is
        rewritten with one entry per id of the whole chart (see
        :func:`revmatch.models.cut_program`). Pins and priority entries that
        name a leaver are dropped; ``history`` is kept.

    Raises
    ------
    InvalidInputError
        If an id is not a mentor or executive of the program (every such id
        is named).

    Examples
    --------
    >>> import revmatch as rm
    >>> program = rm.datasets.make_program(n_executives=4, n_mentors=6, seed=1)
    >>> from revmatch.lifecycle import remove_people
    >>> smaller = remove_people(program, ["m-0001", "e-0002"])
    >>> len(smaller.mentors), len(smaller.executives)
    (5, 3)
    >>> any(o.id == "m-0001" for o in smaller.org)
    True
    """
    people = {p.id: p for p in program.people()}
    gone = set(_check_ids(list(ids), set(people), "a mentor or executive of this program", "ids"))
    if not gone:
        return program
    return cut_program(
        program,
        [pid for pid in people if pid not in gone],
        pinned=tuple(
            p for p in program.pinned if p.executive_id not in gone and p.mentor_id not in gone
        ),
        priority=tuple(p for p in program.priority if p not in gone),
    )


def close_pair(
    result: MatchResult,
    program: Program | Mapping[str, Any] | None,
    executive_id: str,
    reason: str,
    *,
    mentor_id: str | None = None,
    executive_done: bool = True,
    custom: Mapping[str, ComponentFn] | None = None,
) -> tuple[MatchResult, Program]:
    """Close a pair before the round ends.

    Parameters
    ----------
    result : MatchResult
        The current result.
    program : Program, mapping or None
        The program the result was computed for; ``None`` takes it from the
        result's score matrix (absent when the result was read from JSON).
    executive_id : str
        The executive whose pair closes.
    reason : str
        Why, in words (e.g. ``"executive feels done"``); kept in the audit.
    mentor_id : str, optional
        Close only the pair with this mentor (for executives with several
        mentors); by default every pair of the executive.
    executive_done : bool, default True
        The executive is done for this round and leaves the program (with
        :func:`remove_people`, so their reporting lines stay). With ``False``
        they stay, unmatched, and a later :func:`rematch` may pair them with
        someone else. Either way, an executive who still has another open
        pair stays.
    custom : mapping of str to ComponentFn, optional
        Custom score components of the result's config (taken from the
        result's score matrix when it has one).

    Returns
    -------
    result : MatchResult
        The result without the closed pair(s), rebuilt against the new
        program: metrics, unmatched people and spare capacity are up to date.
        ``audit["closed"]`` lists every closure of the round with its reason
        and ``audit["round"]`` the round.
    program : Program
        The program with the closed pair(s) in ``history`` (round
        :func:`current_round`), so they are never formed again by default,
        and without pins on them.

    Raises
    ------
    InvalidInputError
        If the executive has no such pair in the result, the reason is empty,
        ``program`` is None for a result read from JSON, or the result was
        computed for another program (its
        ``audit["input_digest"]`` differs): close pairs on the program the
        result came from, or :func:`rematch` first.

    Examples
    --------
    >>> import revmatch as rm
    >>> program = rm.datasets.make_program(n_executives=5, n_mentors=8, seed=2)
    >>> result = rm.match(program)
    >>> who = result.pairs[0].executive_id
    >>> from revmatch.lifecycle import close_pair
    >>> after, program2 = close_pair(result, program, who, "executive feels done")
    >>> len(after.pairs) == len(result.pairs) - 1, who in {e.id for e in program2.executives}
    (True, False)
    >>> after.audit["closed"][0]["reason"]
    'executive feels done'
    """
    if program is None:
        if result.scores is None:
            raise InvalidInputError(
                Problem(
                    "this result was read from JSON and does not carry its program",
                    field="program",
                    expected="the program the result was computed for",
                )
            )
        program = result.scores.arrays.program
    program = _as_program(program)
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInputError(
            Problem("a closure needs a reason", field="reason", expected="a non-empty text")
        )
    digest = result.audit.get("input_digest")
    if digest is not None and digest != input_digest(program):
        raise InvalidInputError(
            "the result was not computed for this program (their input digests differ); "
            "close pairs on the program the result came from, or rematch first"
        )
    closing = [
        p
        for p in result.pairs
        if p.executive_id == executive_id and (mentor_id is None or p.mentor_id == mentor_id)
    ]
    if not closing:
        with_whom = "" if mentor_id is None else f" with mentor {mentor_id!r}"
        raise InvalidInputError(
            Problem(
                f"executive {executive_id!r} has no open pair{with_whom} in this result",
                field="executive_id",
                expected="an executive paired in the result",
            )
        )
    number = current_round(result, program)
    closed = {(p.executive_id, p.mentor_id) for p in closing}
    history = (
        *program.history,
        *(HistoryEntry(executive_id=e, mentor_id=m, round=number) for e, m in sorted(closed)),
    )
    new_program = program.replace(
        history=history,
        pinned=tuple(p for p in program.pinned if (p.executive_id, p.mentor_id) not in closed),
    )
    remaining = [p for p in result.pairs if (p.executive_id, p.mentor_id) not in closed]
    if executive_done and not any(p.executive_id == executive_id for p in remaining):
        new_program = remove_people(new_program, [executive_id])

    config = result_config(result)
    if custom is None and result.scores is not None:
        custom = result.scores.custom
    arrays = compile_program(new_program, config)
    scores = score_arrays(arrays, config, custom=custom)
    rows = np.array([arrays.exec_index[p.executive_id] for p in remaining], dtype=np.intp)
    cols = np.array([arrays.mentor_index[p.mentor_id] for p in remaining], dtype=np.intp)
    order = np.lexsort((cols, rows))
    rows, cols = rows[order], cols[order]
    log = [dict(entry) for entry in result.audit.get("closed", [])]
    log += [
        {"executive_id": e, "mentor_id": m, "reason": reason.strip(), "round": number}
        for e, m in sorted(closed)
    ]
    extra: dict[str, Any] = {"round": number, "closed": log}
    if "forced_pins" in result.audit:
        extra["forced_pins"] = result.audit["forced_pins"]
    new_result = build_result(
        scores,
        rows,
        cols,
        arrays.pinned.contains(rows, cols),
        method=str(result.audit.get("method", "unknown")),
        audit_extra=extra,
    )
    return new_result, new_program


# --------------------------------------------------------------------------- pins


def force_pinned(scores: ScoreMatrix) -> tuple[ScoreMatrix, list[dict[str, Any]]]:
    """Let pinned pairs through the hard rules, recording which rules they break.

    Parameters
    ----------
    scores : ScoreMatrix
        Scores of a program with pinned pairs.

    Returns
    -------
    scores : ScoreMatrix
        The same scores with the reason mask cleared at pinned pairs that break
        a rule (only there; every other pair keeps its rules), so the solver
        front end accepts them. ``scores`` itself when no pin breaks a rule.
    forced : list of dict
        One record per forced pin: ``executive_id``, ``mentor_id`` and the
        ``rules`` it breaks; meant for the audit record (``audit["forced_pins"]``).

    Notes
    -----
    Forcing overrides the rules for the named pairs only, never for a pair the
    solver picks. A pin that exceeds a mentor's capacity is still an error.

    Examples
    --------
    >>> import revmatch as rm
    >>> from revmatch.lifecycle import force_pinned
    >>> program = rm.Program(
    ...     mentors=[{"id": "m1", "timezone": "UTC", "manager_id": "e1",
    ...               "availability": ["Mon 12:00-14:00"]}],
    ...     executives=[{"id": "e1", "timezone": "UTC", "availability": ["Mon 12:00-14:00"]}],
    ...     pinned=[{"executive_id": "e1", "mentor_id": "m1"}])
    >>> forced_scores, forced = force_pinned(rm.score(program))
    >>> forced
    [{'executive_id': 'e1', 'mentor_id': 'm1', 'rules': ['reporting_chain']}]
    """
    arrays = scores.arrays
    width = max(arrays.shape[1], 1)
    rows = (arrays.pinned.keys // width).astype(np.intp)
    cols = (arrays.pinned.keys % width).astype(np.intp)
    masks = scores.reasons[rows, cols]
    broken = np.flatnonzero(masks != 0)
    if broken.size == 0:
        return scores, []
    reasons = scores.reasons.copy()
    reasons[rows[broken], cols[broken]] = 0
    forced = [
        {
            "executive_id": arrays.executives[rows[k]].id,
            "mentor_id": arrays.mentors[cols[k]].id,
            "rules": decode_reasons(int(masks[k])),
        }
        for k in broken.tolist()
    ]
    return dataclasses.replace(scores, reasons=reasons), forced


# --------------------------------------------------------------------------- rematch


@dataclass(frozen=True)
class Change:
    """What happened to one pair in :func:`rematch`.

    Attributes
    ----------
    kind : {"kept", "ended", "new"}
        The previous pair stays, ends, or the pair is new.
    executive_id, mentor_id : str
        The pair.
    reason : str
        Why, as a code. For ``"ended"``: ``executive_left``,
        ``mentor_left``, ``rule_broken`` (see ``rules``) — forced by the new
        program — or, for a pair that still met every rule: ``moved`` (the
        executive got a better pairing), ``capacity`` (the mentor's capacity
        fell below the pairs they held), ``displaced`` (the mentor went to
        another executive, for more coverage or a better total, and no other
        mentor was left for this one) or ``dropped`` (the pair no longer adds
        to the objective). For ``"new"``: ``joined`` (the executive was not in
        the previous result), ``was_unmatched``, ``moved`` (the executive's
        previous pair moved for this one), ``replacement`` (the executive's
        previous pair ended for another reason) or ``additional`` (a further
        mentor for an executive who keeps their pair). Empty for ``"kept"``.
    rules : tuple of str
        The hard rules a ``rule_broken`` pair now breaks.
    other_mentor_id : str or None
        For a moved pair, the executive's new mentor; for a new pair, the
        executive's previous mentor.
    score_before, score_after : float or None
        The pair's score in the previous and in the new result.
    detail : str
        One sentence for people.
    """

    kind: ChangeKind
    executive_id: str
    mentor_id: str
    reason: str = ""
    rules: tuple[str, ...] = ()
    other_mentor_id: str | None = None
    score_before: float | None = None
    score_after: float | None = None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the change as a JSON-ready mapping."""
        return {**dataclasses.asdict(self), "rules": list(self.rules)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Change:
        """Rebuild a change from :meth:`to_dict` output."""
        return cls(**{**data, "rules": tuple(data.get("rules", ()))})


@dataclass(frozen=True)
class ChangeReport:
    """The changes of a :func:`rematch`, read back with :func:`rematch_changes`.

    Attributes
    ----------
    changes : tuple of Change
        Every previous pair (kept or ended) and every new pair, by executive.
    switching_cost : float
        The switching cost used.
    max_changes : int or None
        The limit on moved pairs, if any.
    """

    changes: tuple[Change, ...]
    switching_cost: float
    max_changes: int | None = None

    @property
    def kept(self) -> tuple[Change, ...]:
        """Previous pairs that stay."""
        return tuple(c for c in self.changes if c.kind == "kept")

    @property
    def ended(self) -> tuple[Change, ...]:
        """Previous pairs that end, with the reason."""
        return tuple(c for c in self.changes if c.kind == "ended")

    @property
    def new(self) -> tuple[Change, ...]:
        """Pairs that did not exist before."""
        return tuple(c for c in self.changes if c.kind == "new")

    @property
    def n_moved(self) -> int:
        """Previous pairs that met every rule but were not kept (what ``max_changes`` bounds)."""
        return sum(c.kind == "ended" and c.reason in MOVE_REASONS for c in self.changes)

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def to_records(self) -> list[dict[str, Any]]:
        """One JSON-ready record per change (``rules`` joined with ``;``)."""
        return [{**c.to_dict(), "rules": ";".join(c.rules)} for c in self.changes]

    def summary(self) -> str:
        """One line: how many pairs were kept, ended (by reason) and formed."""
        reasons: dict[str, int] = {}
        for c in self.ended:
            reasons[c.reason] = reasons.get(c.reason, 0) + 1
        why = ", ".join(f"{k} {v}" for k, v in sorted(reasons.items()))
        limit = "" if self.max_changes is None else f" (max_changes {self.max_changes})"
        return (
            f"kept {len(self.kept)}, ended {len(self.ended)}"
            + (f" ({why})" if why else "")
            + f", new {len(self.new)}; {self.n_moved} still-feasible pair(s) moved{limit}"
        )

    def table(self) -> str:
        """A fixed-width text table of the changes other than kept pairs, then the summary."""
        head = f"{'change':<6} {'executive':<12} {'mentor':<12} {'reason':<14} detail"
        lines = [head, "-" * len(head)]
        for c in self.changes:
            if c.kind != "kept":
                lines.append(
                    f"{c.kind:<6} {c.executive_id:<12} {c.mentor_id:<12} {c.reason:<14} {c.detail}"
                )
        lines += ["", self.summary()]
        return "\n".join(lines)


@dataclass(frozen=True)
class _Previous:
    """Previous pairs split into those forced out and those that may stay."""

    rows: NDArray[np.intp]
    cols: NDArray[np.intp]
    ended: list[Change]


def _previous_pairs(previous: MatchResult, scores: ScoreMatrix) -> _Previous:
    arrays = scores.arrays
    ended: list[Change] = []
    keep: set[tuple[int, int]] = set()
    for p in previous.pairs:
        r = arrays.exec_index.get(p.executive_id)
        c = arrays.mentor_index.get(p.mentor_id)
        if r is None or c is None:
            reason = "executive_left" if r is None else "mentor_left"
            who = {
                (True, True): "both people left the program",
                (True, False): "the executive left the program",
                (False, True): "the mentor left the program",
            }[(r is None, c is None)]
            ended.append(
                Change(
                    "ended", p.executive_id, p.mentor_id, reason, score_before=p.score, detail=who
                )
            )
            continue
        mask = int(scores.reasons[r, c])
        if mask:
            rules = tuple(decode_reasons(mask))
            ended.append(
                Change(
                    "ended",
                    p.executive_id,
                    p.mentor_id,
                    "rule_broken",
                    rules=rules,
                    score_before=p.score,
                    detail=f"the pair now breaks the rule(s) {', '.join(rules)}",
                )
            )
            continue
        keep.add((r, c))
    ordered = sorted(keep)
    return _Previous(
        np.array([r for r, _ in ordered], dtype=np.intp),
        np.array([c for _, c in ordered], dtype=np.intp),
        ended,
    )


Solved = tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.bool_], str]


def _kept(
    rows: NDArray[np.intp], cols: NDArray[np.intp], keys: NDArray[np.int64], width: int
) -> int:
    return int(np.isin(rows.astype(np.int64) * width + cols, keys).sum())


def _solve_budget(
    scores: ScoreMatrix,
    weights: NDArray[np.float64],
    keep_rows: NDArray[np.intp],
    keep_cols: NDArray[np.intp],
    max_changes: int,
) -> tuple[Solved, dict[str, Any]]:
    """Best assignment that keeps all but at most ``max_changes`` of the given pairs.

    ``weights`` already carries the switching bonus at the pairs. Three exact
    steps, each stopping as soon as it proves an optimum (see :func:`rematch`):
    the unconstrained optimum, a Lagrangian multiplier on the kept count, the
    integer program.
    """
    config = scores.config
    width = max(scores.arrays.shape[1], 1)
    keys = np.unique(keep_rows.astype(np.int64) * width + keep_cols)
    target = int(keep_rows.size - max_changes)
    # With max_score, pairs of weight <= 0 are never chosen; fixing that mask
    # keeps the relaxed problems' feasible set equal to the constrained one.
    mask = weights > 0 if config.objective == "max_score" else None

    def run(bonus: float, base: NDArray[np.float64] = weights) -> tuple[Solved, int, float]:
        """Optimum with ``bonus`` more on the pairs: (solution, kept, total without bonus)."""
        w = base.copy()
        w[keep_rows, keep_cols] += bonus
        out = solve_scores(scores, weights=w, feasible=mask)
        return out, _kept(out[0], out[1], keys, width), math.fsum(base[out[0], out[1]].tolist())

    found, kept, total = run(0.0)
    if kept >= target:
        return found, {"optimality": "unconstrained"}
    if config.method != "auto" and not METHODS[config.method].optimal:
        raise InvalidInputError(
            Problem(
                f"max_changes needs an exact optimisation method; {config.method!r} is not one",
                field="method",
                expected="'auto' or one of "
                + ", ".join(name for name, info in METHODS.items() if info.optimal),
            )
        )
    # The most pairs that can stay at full coverage: if that is below the
    # target, coverage itself must give way, which only the integer program
    # (limit first, coverage second) can decide.
    if config.objective != "maximin" and run(1.0, np.zeros_like(weights))[1] >= target:
        # Each solution x is a line total(x) + bonus * kept(x) in the bonus;
        # the optimum is their upper envelope. Keep one line below the target
        # (low) and one at or above it (found), and jump to where they cross:
        # either a better line appears there, or the crossing is a breakpoint
        # of the envelope, which the target falls inside (a duality gap).
        low_total, low_kept = total, kept
        bonus = 1.0
        found, kept, total = run(bonus)
        for _ in range(64):
            if kept >= target:
                break
            low_total, low_kept = total, kept
            bonus *= 2.0
            found, kept, total = run(bonus)
        for _ in range(64):
            if kept < target:  # no bonus reached the target: leave it to the integer program
                break
            if kept == target:
                return found, {"optimality": "lagrangian", "multiplier": bonus}
            cross = (low_total - total) / (kept - low_kept)
            trial, got, value = run(cross)
            if got == target:
                found, kept, total, bonus = trial, got, value, cross
                continue
            envelope = low_total + cross * low_kept
            if value + cross * got <= envelope + 1e-9 * (1.0 + abs(envelope)):
                break
            if got < target:
                low_total, low_kept = value, got
            else:
                found, kept, total, bonus = trial, got, value, cross
    solver = _solve_limited if config.objective == "maximin" else _budget_milp
    return solver(scores, weights, keep_rows, keep_cols, max_changes), {
        "optimality": "integer_program"
    }


@dataclass(frozen=True)
class _Room:
    """What is left for the solver once pinned pairs have taken their places."""

    capacities: NDArray[np.int64]
    row_capacities: NDArray[np.int64]
    allowed: NDArray[np.bool_]
    pin_rows: NDArray[np.intp]
    pin_cols: NDArray[np.intp]
    groups: NDArray[np.intp] | None


def _room(scores: ScoreMatrix) -> _Room:
    arrays, config = scores.arrays, scores.config
    capacities = arrays.capacities.copy()
    pins = take_pins(scores, capacities)
    pin_rows, pin_cols = pins.rows, pins.cols
    allowed = scores.feasible.copy()
    allowed[pin_rows, pin_cols] = False
    allowed[pin_groups(arrays, config, pin_rows, pin_cols)] = False
    groups = pair_groups(arrays, config) if config.mentors_per_executive > 1 else None
    return _Room(capacities, pins.row_capacities, allowed, pin_rows, pin_cols, groups)


def _with_pins(room: _Room, rows: NDArray[np.intp], cols: NDArray[np.intp], method: str) -> Solved:
    all_rows = np.concatenate([rows, room.pin_rows]).astype(np.intp)
    all_cols = np.concatenate([cols, room.pin_cols]).astype(np.intp)
    pinned = np.concatenate([np.zeros(rows.size, bool), np.ones(room.pin_rows.size, bool)])
    order = np.lexsort((all_cols, all_rows))
    return all_rows[order], all_cols[order], pinned[order], method


def _budget_milp(
    scores: ScoreMatrix,
    weights: NDArray[np.float64],
    keep_rows: NDArray[np.intp],
    keep_cols: NDArray[np.intp],
    max_changes: int,
) -> Solved:
    """The integer program of a bounded re-match, one binary per allowed pair.

    Rows, columns and pair groups are bounded as in :mod:`revmatch.solvers`
    (``milp``); one more row asks for at least ``len(keep_rows) -
    max_changes`` of the given pairs. Solved lexicographically with HiGHS:
    most pairs first (``coverage_then_score``), then the largest total of the
    weights scaled exactly to integers (:func:`integer_weights`). The count's
    optimum is fixed as an equality: the same set as ``>=`` at an optimum, and
    far easier for HiGHS's branch and bound.

    Raises
    ------
    InfeasibleError
        If no assignment keeps that many pairs, naming the most that can stay.
    """
    config = scores.config
    room = _room(scores)
    mask = room.allowed & (weights > 0) if config.objective == "max_score" else room.allowed
    pr, pc = np.nonzero(mask)
    n, m = scores.arrays.shape
    e = pr.size
    index = np.arange(e)
    blocks = [
        sp.csr_array((np.ones(e), (pr, index)), shape=(n, e)),
        sp.csr_array((np.ones(e), (pc, index)), shape=(m, e)),
    ]
    upper = [room.row_capacities.astype(float), room.capacities.astype(float)]
    if room.groups is not None:
        labels = room.groups[pr, pc]
        grouped = np.flatnonzero(labels >= 0)
        _, group = np.unique(
            np.stack([pr[grouped], labels[grouped]], axis=1), axis=0, return_inverse=True
        )
        n_groups = int(group.max()) + 1 if grouped.size else 0
        blocks.append(
            sp.csr_array((np.ones(grouped.size), (group.reshape(-1), grouped)), shape=(n_groups, e))
        )
        upper.append(np.ones(n_groups))
    width = max(m, 1)
    keep = np.isin(
        pr.astype(np.int64) * width + pc, keep_rows.astype(np.int64) * width + keep_cols
    ).astype(float)
    target = keep_rows.size - max_changes
    bounded = LinearConstraint(sp.vstack(blocks, format="csr"), -np.inf, np.concatenate(upper))
    integral = np.ones(e, dtype=np.intp)

    def best(cost: NDArray[np.float64], *more: LinearConstraint) -> OptimizeResult:
        found = milp(
            cost,
            integrality=integral,
            bounds=Bounds(0, 1),
            constraints=[bounded, *more],
            options={"mip_rel_gap": 0.0, "presolve": True},
        )
        _proven(found)
        return found

    most = round(-float(best(-keep).fun)) if e else 0
    if most < target:
        raise InfeasibleError(
            f"max_changes={max_changes} cannot be met: of the {keep_rows.size} previous pairs "
            f"that still meet every rule, at most {most} can stay together with the new "
            "capacities and pins",
            rows=keep_rows.tolist(),
            cols=keep_cols.tolist(),
        )
    levels = [LinearConstraint(keep[None, :], target, np.inf)]
    if config.objective != "max_score":
        count = float(np.rint(-best(-np.ones(e), *levels).fun))
        levels.append(LinearConstraint(np.ones((1, e)), count, count))
    ints, _ = integer_weights(weights[pr, pc], 2**30)
    found = best(-ints.astype(float), *levels)
    chosen = np.flatnonzero(np.asarray(found.x) > 0.5)
    rows, cols = pr[chosen].astype(np.intp), pc[chosen].astype(np.intp)
    short = np.flatnonzero(np.bincount(rows, minlength=n) < np.minimum(room.row_capacities, m))
    if config.strict and short.size:
        raise InfeasibleError(
            f"strict=True, but with max_changes={max_changes} {short.size} executive(s) "
            "cannot get all their partners",
            rows=short.tolist(),
        )
    return _with_pins(room, rows, cols, "milp")


def _proven(result: OptimizeResult) -> None:
    if result.status != 0 or result.x is None:
        raise SolverError(f"HiGHS did not prove an optimum: {result.message}")


def _solve_limited(
    scores: ScoreMatrix,
    weights: NDArray[np.float64],
    keep_rows: NDArray[np.intp],
    keep_cols: NDArray[np.intp],
    max_changes: int,
) -> Solved:
    """Solve with at most ``max_changes`` of the pairs ``(keep_rows, keep_cols)`` not kept.

    Each mentor with such a pair gets a second, "keep" column that holds only
    their previous pairs (with the switching bonus); the pair is forbidden in
    the mentor's own column. A quota per such mentor bounds both columns
    together by the mentor's capacity, and a quota over all keep columns asks
    for at least ``len(keep_rows) - max_changes`` pairs. ``weights`` already
    carries the bonus at the previous pairs.
    """
    arrays, config = scores.arrays, scores.config
    n, m = arrays.shape
    room = _room(scores)
    capacities = room.capacities
    mentors, slot = np.unique(keep_cols, return_inverse=True)
    slot = slot.reshape(-1)
    p = mentors.size
    wide_weights = np.zeros((n, m + p), dtype=np.float64)
    wide_weights[:, :m] = weights
    wide_weights[keep_rows, m + slot] = weights[keep_rows, keep_cols]
    wide_feasible = np.zeros((n, m + p), dtype=bool)
    wide_feasible[:, :m] = room.allowed
    wide_feasible[keep_rows, keep_cols] = False
    wide_feasible[keep_rows, m + slot] = True
    wide_capacities = np.concatenate([capacities, capacities[mentors]])
    quotas = [
        Quota(
            f"capacity of mentor {arrays.mentors[c].id!r}", cols=[c, m + j], max=int(capacities[c])
        )
        for j, c in enumerate(mentors.tolist())
    ]
    quotas.append(
        Quota(
            f"at most {max_changes} previous pair(s) change",
            cols=np.arange(m, m + p),
            min=int(keep_rows.size - max_changes),
        )
    )
    extra: dict[str, Any] = {}
    if config.mentors_per_executive > 1 or room.pin_rows.size:
        extra["row_capacities"] = room.row_capacities
    if room.groups is not None:
        extra["pair_groups"] = np.concatenate([room.groups, room.groups[:, mentors]], axis=1)
    assignment = solve(
        wide_weights,
        feasible=wide_feasible,
        capacities=wide_capacities,
        objective=config.objective,
        method="milp",
        strict=config.strict,
        quotas=quotas,
        **extra,
    )
    chosen = np.asarray(assignment.cols)
    cols = np.where(chosen >= m, mentors[np.maximum(chosen - m, 0)], chosen).astype(np.intp)
    return _with_pins(room, np.asarray(assignment.rows, dtype=np.intp), cols, assignment.method)


def _changes(
    previous: MatchResult,
    scores: ScoreMatrix,
    prev: _Previous,
    rows: NDArray[np.intp],
    cols: NDArray[np.intp],
) -> list[Change]:
    arrays = scores.arrays
    eid, mid = arrays.exec_ids, arrays.mentor_ids
    chosen = set(zip(rows.tolist(), cols.tolist(), strict=True))
    candidates = set(zip(prev.rows.tolist(), prev.cols.tolist(), strict=True))
    before = {(p.executive_id, p.mentor_id): p.score for p in previous.pairs}
    known = {p.executive_id for p in previous.pairs} | {
        u.id for u in previous.unmatched if u.role == "executive"
    }
    held = np.bincount(prev.cols, minlength=arrays.shape[1])
    new_of_row: dict[int, list[int]] = {}
    new_of_col: dict[int, list[int]] = {}
    for r, c in sorted(chosen - candidates):
        new_of_row.setdefault(r, []).append(c)
        new_of_col.setdefault(c, []).append(r)

    out = list(prev.ended)
    ended_of: dict[str, Change] = {}
    for change in prev.ended:
        ended_of.setdefault(change.executive_id, change)
    for r, c in sorted(candidates):
        e, m = eid[r], mid[c]
        old = before[(e, m)]
        now = float(scores.values[r, c])
        if (r, c) in chosen:
            out.append(Change("kept", e, m, score_before=old, score_after=now))
            continue
        other: str | None = None
        if r in new_of_row:
            other = mid[new_of_row[r][0]]
            new_score = float(scores.values[r, new_of_row[r][0]])
            reason = "moved"
            detail = f"moved to mentor {other!r} (score {old:.3f} -> {new_score:.3f})"
        elif held[c] > arrays.capacities[c]:
            reason = "capacity"
            detail = (
                f"mentor {m!r} now takes {int(arrays.capacities[c])} executive(s), "
                f"fewer than the {int(held[c])} they held"
            )
        elif c in new_of_col:
            taker = eid[new_of_col[c][0]]
            reason = "displaced"
            detail = (
                f"the mentor now mentors {taker!r} (more coverage or a better total) "
                "and no other mentor was free for this executive"
            )
        else:
            reason, detail = "dropped", "the pair no longer adds to the objective"
        change = Change(
            "ended", e, m, reason, other_mentor_id=other, score_before=old, detail=detail
        )
        ended_of.setdefault(e, change)
        out.append(change)
    previous_mentor = {p.executive_id: p.mentor_id for p in previous.pairs}
    for r, c in sorted(chosen - candidates):
        e, m = eid[r], mid[c]
        now = float(scores.values[r, c])
        if e not in known:
            reason, detail, other = "joined", "the executive joined the program", None
        elif e in ended_of:
            gone = ended_of[e]
            other = gone.mentor_id
            if gone.reason == "moved":
                reason = "moved"
                detail = f"replaces the pair with mentor {other!r}, moved for a better pairing"
            else:
                reason = "replacement"
                detail = f"replaces the pair with mentor {other!r}, which ended: {gone.detail}"
        elif e in previous_mentor:
            reason, detail, other = "additional", "a further mentor for the executive", None
        else:
            reason, detail, other = "was_unmatched", "the executive was unmatched before", None
        out.append(
            Change("new", e, m, reason, other_mentor_id=other, score_after=now, detail=detail)
        )
    rank = {"ended": 0, "kept": 1, "new": 2}
    out.sort(key=lambda ch: (ch.executive_id, rank[ch.kind], ch.mentor_id))
    return out


def rematch(
    previous: MatchResult,
    program: Program | Mapping[str, Any],
    config: MatchConfig | Mapping[str, Any] | None = None,
    *,
    max_changes: int | None = None,
    force_pins: bool = False,
    custom: Mapping[str, ComponentFn] | None = None,
) -> MatchResult:
    """Re-match a changed program, keeping what still works, exactly.

    Parameters
    ----------
    previous : MatchResult
        The result in force (from :func:`~revmatch.matching.match`, an earlier
        ``rematch``, :func:`close_pair` or read from JSON).
    program : Program or mapping
        The program now: people may have left (use :func:`remove_people`),
        joined or changed availability, capacity or anything else.
    config : MatchConfig or mapping, optional
        Settings; by default those of ``previous`` (see
        :func:`result_config`). ``config.switching_cost`` is what moving a
        previous pair costs.
    max_changes : int, optional
        At most this many previous pairs that still meet every rule may move
        (end for any reason but a person leaving or a rule broken). Needs a
        method that supports quotas (``"auto"``, the default, picks
        ``"milp"``).
    force_pins : bool, default False
        Keep pinned pairs that break a hard rule instead of raising; each is
        recorded in ``audit["forced_pins"]`` with the rules it breaks.
    custom : mapping of str to ComponentFn, optional
        Custom score components, weighted as ``"custom:<name>"``.

    Returns
    -------
    MatchResult
        The new result, with every guarantee of ``match``. Its audit also
        holds ``"changes"`` (one record per kept, ended and new pair, see
        :class:`Change`; read them with :func:`rematch_changes`),
        ``"rematch"`` (counts, switching cost, ``max_changes``, the previous
        input digest) and ``"round"`` when ``previous`` had one.

    Raises
    ------
    InvalidInputError
        If the program or config is invalid, a pinned pair breaks a rule
        (without ``force_pins``), ``max_changes`` is not an integer >= 0, or
        the method cannot express ``max_changes``.
    InfeasibleError
        If capacities and pins now leave room for fewer than the required
        previous pairs (so ``max_changes`` cannot be met), or with
        ``config.strict`` when not every executive can be matched.

    Notes
    -----
    Let :math:`P` be the previous pairs whose executive and mentor are both
    still in the program and that break no hard rule now, and :math:`s` the
    switching cost. ``rematch`` solves, exactly, the assignment problem of
    ``config.objective`` with weights
    :math:`w'(e, m) = w(e, m) + s\\,[(e, m) \\in P]`, where :math:`w` are the
    solver weights of a fresh match (scores plus priority and repeat terms,
    :func:`~revmatch.matching.objective_weights`). So among assignments of
    equal coverage the one with the largest :math:`\\sum w + s\\,|\\text{kept}|`
    wins: a set of pairs moves only when the rest gains more than :math:`s`
    per moved pair. Coverage comes first (with the default objective), so a
    pair also moves when that lets more executives be matched — a newcomer
    who can only be paired with a taken mentor, say. On an unchanged program
    with :math:`s > 0` the previous optimum is the unique optimum, so nothing
    changes.

    With ``max_changes=k`` the bound :math:`|P \\setminus \\text{chosen}| \\le k`
    is a hard constraint (pinned previous pairs always stay and do not
    count). It is solved exactly in up to three steps, each stopping as soon
    as it proves an optimum; ``audit["rematch"]["optimality"]`` says which:

    1. ``"unconstrained"``: the optimum without the bound already changes at
       most :math:`k` pairs, so it is optimal with the bound too.
    2. ``"lagrangian"``: the kept count of the optimum with an extra bonus
       :math:`\\mu` on the pairs of :math:`P` never falls as :math:`\\mu`
       grows; a parametric search on :math:`\\mu` (each step one exact solve
       of ``config.method``, jumping to where the two solutions that bracket
       the target cross) looks for an optimum that keeps exactly
       :math:`|P| - k` pairs. Such an optimum is optimal for the bounded
       problem (weak duality: for any :math:`x` keeping at least
       :math:`|P| - k`, :math:`f(x) \\le f(x) + \\mu(\\text{kept}(x) - |P| + k)
       \\le f(x^*)`); the multiplier is recorded.
    3. ``"integer_program"``: when the kept count jumps over :math:`|P| - k`
       (a duality gap), when fewer than :math:`|P| - k` pairs can stay at full
       coverage, or for ``maximin``, an integer program decides (HiGHS through
       :func:`scipy.optimize.milp`): one binary per allowed pair, the row,
       column and group bounds of the ``"milp"`` method and one more row
       asking for at least :math:`|P| - k` kept pairs; the limit comes first,
       then the most pairs, then the largest total of the weights scaled
       exactly to integers. For ``maximin`` the same bound goes through
       :func:`~revmatch.solvers.solve` with quotas (a second column per
       mentor holding only their previous pairs, a quota per such mentor on
       both columns, a quota on all second columns). When capacities or pins
       leave room for fewer pairs, the error names the most that can stay.
       This step costs seconds at 200 executives x 400 mentors; steps 1 and 2
       a few exact solves.

    Examples
    --------
    >>> import revmatch as rm
    >>> program = rm.datasets.make_program(n_executives=6, n_mentors=9, seed=3)
    >>> first = rm.match(program)
    >>> leaver = first.pairs[0].mentor_id
    >>> from revmatch.lifecycle import rematch, rematch_changes, remove_people
    >>> second = rematch(first, remove_people(program, [leaver]))
    >>> report = rematch_changes(second)
    >>> [c.reason for c in report.ended]
    ['mentor_left']
    >>> len(report.kept) == len(first.pairs) - 1
    True
    """
    timings: dict[str, float] = {}
    start = perf_counter()
    program = _as_program(program)
    config = _as_config(config, previous)
    if max_changes is not None and (
        isinstance(max_changes, bool) or not isinstance(max_changes, int) or max_changes < 0
    ):
        raise InvalidInputError(
            Problem(
                f"expected an integer >= 0. Got {max_changes!r}",
                field="max_changes",
                expected="an int >= 0 or None",
            )
        )
    timings["validate"] = perf_counter() - start

    t = perf_counter()
    arrays = compile_program(program, config)
    timings["compile"] = perf_counter() - t
    t = perf_counter()
    scores = score_arrays(arrays, config, custom=custom)
    forced: list[dict[str, Any]] = []
    if force_pins:
        scores, forced = force_pinned(scores)
    timings["score"] = perf_counter() - t

    t = perf_counter()
    prev = _previous_pairs(previous, scores)
    weights = np.array(objective_weights(scores), dtype=np.float64, copy=True)
    weights[prev.rows, prev.cols] += config.switching_cost
    free = ~arrays.pinned.contains(prev.rows, prev.cols)
    free_rows, free_cols = prev.rows[free], prev.cols[free]
    proof: dict[str, Any] = {"optimality": "unconstrained"}
    if max_changes is None or max_changes >= free_rows.size:
        rows, cols, pinned, method = solve_scores(scores, weights=weights)
    else:
        (rows, cols, pinned, method), proof = _solve_budget(
            scores, weights, free_rows, free_cols, max_changes
        )
    timings["solve"] = perf_counter() - t

    changes = _changes(previous, scores, prev, rows, cols)
    report = ChangeReport(tuple(changes), config.switching_cost, max_changes)
    if max_changes is not None and report.n_moved > max_changes:
        can_stay = int(free_rows.size) - report.n_moved
        raise InfeasibleError(
            f"max_changes={max_changes} cannot be met: of the {free_rows.size} previous pairs "
            f"that still meet every rule, at most {can_stay} can stay together with the new "
            "capacities and pins; allow at least "
            f"{report.n_moved} change(s)",
            rows=free_rows.tolist(),
            cols=free_cols.tolist(),
        )
    audit_extra: dict[str, Any] = {
        "rematch": {
            "previous_digest": previous.audit.get("input_digest"),
            "switching_cost": config.switching_cost,
            "max_changes": max_changes,
            "kept": len(report.kept),
            "ended": len(report.ended),
            "new": len(report.new),
            "moved": report.n_moved,
            **proof,
        },
        "changes": [c.to_dict() for c in changes],
    }
    number = previous.audit.get("round")
    if isinstance(number, int) and not isinstance(number, bool):
        audit_extra["round"] = number
    if forced:
        audit_extra["forced_pins"] = forced
    return build_result(
        scores,
        rows,
        cols,
        pinned,
        method=method,
        timings=timings,
        start=start,
        audit_extra=audit_extra,
    )


def rematch_changes(result: MatchResult) -> ChangeReport:
    """The changes recorded by :func:`rematch` in a result (also one read from JSON).

    Parameters
    ----------
    result : MatchResult
        A result of :func:`rematch`.

    Returns
    -------
    ChangeReport
        Kept, ended (with reasons) and new pairs.

    Raises
    ------
    InvalidInputError
        If the result does not come from :func:`rematch`.
    """
    info = result.audit.get("rematch")
    raw = result.audit.get("changes")
    if not isinstance(info, Mapping) or not isinstance(raw, list):
        raise InvalidInputError(
            "this result has no change record; it does not come from revmatch.rematch"
        )
    limit = info.get("max_changes")
    return ChangeReport(
        tuple(Change.from_dict(c) for c in raw),
        float(info.get("switching_cost", 0.0)),
        int(limit) if limit is not None else None,
    )


# --------------------------------------------------------------------------- compare


@dataclass(frozen=True)
class PairDiff:
    """One difference between two results' pairs, seen from the executive.

    Attributes
    ----------
    kind : {"added", "removed", "changed", "rescored"}
        ``added``: the executive has a pair only in the second result;
        ``removed``: only in the first; ``changed``: a different mentor;
        ``rescored``: the same pair with a different score.
    executive_id : str
        The executive.
    mentor_before, mentor_after : str or None
        The mentor in the first and in the second result.
    score_before, score_after : float or None
        The pair's score in the first and in the second result.
    """

    kind: DiffKind
    executive_id: str
    mentor_before: str | None
    mentor_after: str | None
    score_before: float | None
    score_after: float | None


def _numeric_metrics(metrics: Mapping[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in metrics.items():
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            out[key] = float(value)
        elif isinstance(value, Mapping):
            for name, count in value.items():
                if isinstance(count, int | float) and not isinstance(count, bool):
                    out[f"{key}.{name}"] = float(count)
    return out


@dataclass(frozen=True)
class Comparison:
    """Differences between two results: the basis of what-if work.

    Attributes
    ----------
    added, removed, changed, rescored : tuple of PairDiff
        Pair differences by kind (see :class:`PairDiff`), by executive id.
    metrics_before, metrics_after : dict of str to float
        Numeric metrics of both results; counts of unmatched reasons appear as
        ``unmatched_reasons.<code>`` (0 when absent from one side).
    metric_deltas : dict of str to float
        ``after - before`` for every metric of both.
    """

    added: tuple[PairDiff, ...]
    removed: tuple[PairDiff, ...]
    changed: tuple[PairDiff, ...]
    rescored: tuple[PairDiff, ...]
    metrics_before: dict[str, float]
    metrics_after: dict[str, float]
    metric_deltas: dict[str, float]

    @property
    def differences(self) -> tuple[PairDiff, ...]:
        """Every pair difference, by executive id then kind."""
        order = {"removed": 0, "changed": 1, "added": 2, "rescored": 3}
        return tuple(
            sorted(
                (*self.added, *self.removed, *self.changed, *self.rescored),
                key=lambda d: (
                    d.executive_id,
                    order[d.kind],
                    d.mentor_before or "",
                    d.mentor_after or "",
                ),
            )
        )

    @property
    def changed_metrics(self) -> dict[str, float]:
        """The metric deltas that are not zero."""
        return {k: v for k, v in self.metric_deltas.items() if v != 0}

    @property
    def is_empty(self) -> bool:
        """True when the results have the same pairs, scores and metrics."""
        return not self.differences and not self.changed_metrics

    def to_records(self) -> list[dict[str, Any]]:
        """One record per pair difference (see :class:`PairDiff`)."""
        return [dataclasses.asdict(d) for d in self.differences]

    def to_dict(self) -> dict[str, Any]:
        """The whole comparison as a JSON-ready mapping."""
        return {
            "differences": self.to_records(),
            "counts": {
                "added": len(self.added),
                "removed": len(self.removed),
                "changed": len(self.changed),
                "rescored": len(self.rescored),
            },
            "metrics": {
                k: {
                    "before": self.metrics_before.get(k),
                    "after": self.metrics_after.get(k),
                    "delta": v,
                }
                for k, v in self.metric_deltas.items()
            },
        }

    def to_json(self, path: str | Path | None = None, *, indent: int | None = 2) -> str:
        """Serialise :meth:`to_dict` to JSON; also write it to ``path`` when given."""
        text = json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)
        if path is not None:
            Path(path).write_text(text + "\n", encoding="utf-8")
        return text

    def to_pandas(self) -> pd.DataFrame:
        """:meth:`to_records` as a pandas DataFrame (needs the pandas extra)."""
        return _frame(self.to_records(), "Comparison.to_pandas()")

    def summary(self) -> str:
        """One line of counts, then the metrics that changed."""
        lines = [
            f"{len(self.added)} added, {len(self.removed)} removed, "
            f"{len(self.changed)} changed, {len(self.rescored)} rescored"
        ]
        for key, delta in self.changed_metrics.items():
            lines.append(
                f"  {key}: {_number(self.metrics_before.get(key))} -> "
                f"{_number(self.metrics_after.get(key))} ({delta:+.6g})"
            )
        return "\n".join(lines)

    def table(self) -> str:
        """A fixed-width text table of the pair differences, then :meth:`summary`."""
        head = f"{'kind':<9} {'executive':<12} {'mentor before':<14} {'mentor after':<14} score"
        lines = [head, "-" * len(head)]
        for d in self.differences:
            score = f"{_number(d.score_before)} -> {_number(d.score_after)}"
            lines.append(
                f"{d.kind:<9} {d.executive_id:<12} {d.mentor_before or '-':<14} "
                f"{d.mentor_after or '-':<14} {score}"
            )
        return "\n".join([*lines, "", self.summary()])


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.6g}"


def compare(a: MatchResult, b: MatchResult) -> Comparison:
    """Compare two results: pairs added, removed and changed, and metric deltas.

    Parameters
    ----------
    a, b : MatchResult
        The "before" and the "after" result (e.g. two settings of a what-if,
        or a result and its :func:`rematch`); results read from JSON work.

    Returns
    -------
    Comparison
        Differences seen from each executive: a mentor only in ``b`` is
        *added*, only in ``a`` *removed*, a different mentor *changed* (for
        executives with several mentors, the sorted mentors that differ are
        paired up; the rest are added or removed), the same pair with another
        score *rescored*; plus ``b - a`` for every numeric metric.
        ``compare(a, a).is_empty`` is True.

    Examples
    --------
    >>> import revmatch as rm
    >>> from revmatch.lifecycle import compare
    >>> program = rm.datasets.make_program(n_executives=8, n_mentors=12, seed=0)
    >>> a = rm.match(program)
    >>> compare(a, a).is_empty
    True
    >>> b = rm.match(program, rm.MatchConfig(weights={"topic": 0.1}))
    >>> diff = compare(a, b)
    >>> diff.metric_deltas["score_mean"] == round(
    ...     b.metrics["score_mean"] - a.metrics["score_mean"], 9)
    True
    """

    def by_executive(result: MatchResult) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for p in result.pairs:
            out.setdefault(p.executive_id, {})[p.mentor_id] = p.score
        return out

    before, after = by_executive(a), by_executive(b)
    added: list[PairDiff] = []
    removed: list[PairDiff] = []
    changed: list[PairDiff] = []
    rescored: list[PairDiff] = []
    for e in sorted(before.keys() | after.keys()):
        old, new = before.get(e, {}), after.get(e, {})
        for m in sorted(old.keys() & new.keys()):
            if old[m] != new[m]:
                rescored.append(PairDiff("rescored", e, m, m, old[m], new[m]))
        gone = sorted(old.keys() - new.keys())
        came = sorted(new.keys() - old.keys())
        for m_old, m_new in zip(gone, came, strict=False):
            changed.append(PairDiff("changed", e, m_old, m_new, old[m_old], new[m_new]))
        for m in gone[len(came) :]:
            removed.append(PairDiff("removed", e, m, None, old[m], None))
        for m in came[len(gone) :]:
            added.append(PairDiff("added", e, None, m, None, new[m]))
    ma, mb = _numeric_metrics(a.metrics), _numeric_metrics(b.metrics)
    prefix = "unmatched_reasons."
    for key in ma.keys() | mb.keys():
        if key.startswith(prefix):
            ma.setdefault(key, 0.0)
            mb.setdefault(key, 0.0)
    keys = sorted(ma.keys() & mb.keys())
    deltas = {k: round(mb[k] - ma[k], 9) for k in keys}
    return Comparison(
        tuple(added),
        tuple(removed),
        tuple(changed),
        tuple(rescored),
        {k: ma[k] for k in keys},
        {k: mb[k] for k in keys},
        deltas,
    )


# --------------------------------------------------------------------------- sweep

#: Which stage of a match reads each MatchConfig field. A sweep redoes a stage
#: only for settings whose fields of that stage differ.
_FIELD_STAGE: Mapping[str, str] = {
    "preferred_window": "compile",
    "topic_weights": "components",
    "session_minutes": "components",
    "seniority_span": "components",
    "min_overlap_minutes": "rules",
    "require_shared_language": "rules",
    "exclude_same_department": "rules",
    "min_grade_gap": "rules",
    "allow_repeats": "rules",
    "weights": "total",
    "score_decimals": "total",
    "objective": "solve",
    "method": "solve",
    "mentors_per_executive": "solve",
    "strict": "solve",
    "priority_bonus": "solve",
    "repeat_bonus": "solve",
    "switching_cost": "solve",
    "candidates": "solve",
}

#: Config fields each built-in component reads (all others read none).
_COMPONENT_FIELDS: Mapping[str, tuple[str, ...]] = {
    "topic": ("topic_weights",),
    "availability": ("session_minutes",),
    "window": ("session_minutes",),
    "seniority": ("seniority_span",),
}

_RULE_FIELDS = tuple(name for name, stage in _FIELD_STAGE.items() if stage == "rules")

SWEEP_METRICS: tuple[str, ...] = (
    "method",
    "n_pairs",
    "matched_executives",
    "coverage",
    "score_mean",
    "score_median",
    "score_min",
    "score_p10",
    "objective_value",
    "mentor_load",
    "unmatched_executives",
)
"""Columns of a sweep record after ``setting`` and the parameters."""


def _frozen(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted(value.items()))
    return value


def _component_key(name: str, config: MatchConfig) -> tuple[Any, ...]:
    return (name, *(_frozen(getattr(config, f)) for f in _COMPONENT_FIELDS.get(name, ())))


def _rule_key(config: MatchConfig) -> tuple[Any, ...]:
    return tuple(getattr(config, f) for f in _RULE_FIELDS)


def _flat(config: MatchConfig) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in config.model_dump(mode="json").items():
        if isinstance(value, dict):
            for name, v in value.items():
                out[f"{key}.{name}"] = v
        elif isinstance(value, list):
            out[key] = "-".join(str(v) for v in value)
        else:
            out[key] = value
    return out


def _apply(base: MatchConfig, changes: Mapping[str, Any], where: str) -> MatchConfig:
    """``base`` with ``changes`` (fields, or ``weights.<name>``/``topic_weights.<name>``)."""
    data = base.model_dump()
    for key, value in changes.items():
        field_name, dot, name = str(key).partition(".")
        if field_name not in MatchConfig.model_fields or (
            dot and field_name not in ("weights", "topic_weights")
        ):
            raise InvalidInputError(
                Problem(
                    f"unknown setting {key!r}",
                    record=where,
                    expected="a MatchConfig field, 'weights.<component>' or "
                    "'topic_weights.<topic>'",
                )
            )
        if dot:
            data[field_name] = {**data[field_name], name: value}
        elif field_name in ("weights", "topic_weights") and isinstance(value, Mapping):
            data[field_name] = {**data[field_name], **value}
        else:
            data[field_name] = value
    try:
        return MatchConfig(**data)
    except InvalidInputError as exc:
        raise InvalidInputError([_named(p, where) for p in exc.problems]) from None


def _named(problem: Problem, where: str) -> Problem:
    """The problem, located at setting ``where`` (kept inside it when already placed)."""
    inner = problem.record if problem.record not in (None, "config") else None
    return dataclasses.replace(problem, record=f"{where} ({inner})" if inner else where)


def _settings(
    base: MatchConfig,
    configs: Iterable[MatchConfig | Mapping[str, Any]] | None,
    grid: Mapping[str, Sequence[Any]] | None,
) -> tuple[list[MatchConfig], list[str]]:
    """The settings to run and the grid's own column names."""
    if (configs is None) == (grid is None):
        raise InvalidInputError("pass exactly one of 'configs' (a list of settings) and 'grid'")
    if grid is not None:
        keys = list(grid)
        columns: list[str] = []
        for key in keys:
            values = grid[key]
            if isinstance(values, str | bytes) or not isinstance(values, Sequence):
                raise InvalidInputError(
                    Problem("expected a list of values", record=f"grid[{key!r}]")
                )
            if key in ("weights", "topic_weights"):
                columns += [f"{key}.{n}" for v in values if isinstance(v, Mapping) for n in v]
            else:
                columns.append(key)
        out = [
            _apply(base, dict(zip(keys, combo, strict=True)), f"grid setting {i}")
            for i, combo in enumerate(itertools.product(*(grid[k] for k in keys)))
        ]
        return out, list(dict.fromkeys(columns))
    assert configs is not None  # for the type checker: exactly one is given
    out = []
    for i, item in enumerate(configs):
        if isinstance(item, MatchConfig):
            out.append(item)
        elif isinstance(item, Mapping):
            out.append(_apply(base, item, f"configs[{i}]"))
        else:
            raise InvalidInputError(
                Problem(
                    f"expected a MatchConfig or a mapping of changes. Got {type(item).__name__}",
                    record=f"configs[{i}]",
                )
            )
    return out, []


@dataclass
class _Prepared:
    """Compiled arrays, full component arrays and rule masks for one preferred window."""

    arrays: ProgramArrays
    components: dict[tuple[Any, ...], NDArray[np.float64]]
    reasons: dict[tuple[Any, ...], NDArray[np.uint16]]


def _prepare(
    program: Program,
    settings: Sequence[MatchConfig],
    custom: Mapping[str, ComponentFn],
) -> dict[Any, _Prepared]:
    """Compile once per preferred window; compute each needed component and rule mask once.

    Shared weekly time (the expensive part) is computed once per block of
    executives and feeds every component and every rule mask. Blocks follow
    :func:`~revmatch.scoring.score_arrays`, so every value equals a fresh
    score's bit for bit.
    """
    groups: dict[Any, list[MatchConfig]] = {}
    for config in settings:
        groups.setdefault(config.preferred_window, []).append(config)
    out: dict[Any, _Prepared] = {}
    for window, configs in groups.items():
        arrays = compile_program(program, configs[0])
        shape = arrays.shape
        need_components: dict[tuple[Any, ...], MatchConfig] = {}
        need_rules: dict[tuple[Any, ...], MatchConfig] = {}
        for config in configs:
            for name in active_weights(config, custom):
                need_components.setdefault(_component_key(name, config), config)
            need_rules.setdefault(_rule_key(config), config)
        components = {key: np.zeros(shape) for key in need_components}
        reasons = {key: np.zeros(shape, dtype=np.uint16) for key in need_rules}
        for rows, overlap in block_overlaps(arrays.availability, _block_rows(*shape)):
            for key, config in need_components.items():
                components[key][rows] = component_block(
                    key[0], arrays, config, rows, overlap, custom
                )
            for key, config in need_rules.items():
                reasons[key][rows] = reason_block(arrays, config, rows, overlap.min_minutes)
        out[window] = _Prepared(arrays, components, reasons)
    return out


def _setting_scores(
    prepared: _Prepared, config: MatchConfig, custom: Mapping[str, ComponentFn]
) -> ScoreMatrix:
    """The score matrix of one setting: only the weighted sum is computed here."""
    weights = active_weights(config, custom)
    total_weight = sum(weights.values())
    values = np.zeros(prepared.arrays.shape, dtype=np.float64)
    for name, weight in weights.items():
        # Same operations in the same order as score_arrays, so values are equal exactly.
        values += (weight / total_weight) * prepared.components[_component_key(name, config)]
    np.round(values, config.score_decimals, out=values)
    return ScoreMatrix(
        values, prepared.reasons[_rule_key(config)], prepared.arrays, config, weights, custom
    )


def _setting_metrics(
    scores: ScoreMatrix, rows: NDArray[np.intp], cols: NDArray[np.intp], method: str
) -> dict[str, Any]:
    arrays = scores.arrays
    n_exec = arrays.shape[0]
    matched = int(np.unique(rows).size)
    capacity = int(arrays.capacities.sum())
    return {
        "method": method,
        "n_pairs": int(rows.size),
        "matched_executives": matched,
        "coverage": round(matched / n_exec, 6) if n_exec else 0.0,
        **score_stats([float(v) for v in scores.values[rows, cols]]),
        "objective_value": round(float(scores.values[rows, cols].sum()), 9),
        "mentor_load": round(rows.size / capacity, 6) if capacity else 0.0,
        "unmatched_executives": n_exec - matched,
    }


@dataclass(frozen=True)
class SweepResult:
    """Metrics of every setting of a :func:`sweep`, one record per setting.

    Attributes
    ----------
    records : tuple of dict
        ``setting`` (index), the parameters, then :data:`SWEEP_METRICS`.
    configs : tuple of MatchConfig
        The setting of each record, to match the interesting ones in full.
    parameters : tuple of str
        Parameter columns: grid keys, and config fields (flattened as
        ``weights.topic``) that differ between settings.
    timings : dict of str to float
        Seconds spent preparing (compile, components, rules), solving, in all.
    """

    records: tuple[dict[str, Any], ...]
    configs: tuple[MatchConfig, ...]
    parameters: tuple[str, ...]
    timings: dict[str, float] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.records)

    def __getitem__(self, index: int) -> dict[str, Any]:
        return self.records[index]

    def to_records(self) -> list[dict[str, Any]]:
        """The records, as fresh dicts."""
        return [dict(r) for r in self.records]

    def to_pandas(self) -> pd.DataFrame:
        """The records as a pandas DataFrame indexed by ``setting`` (needs the pandas extra)."""
        return _frame(self.to_records(), "SweepResult.to_pandas()").set_index("setting")

    def best(self, metric: str = "score_mean", *, maximize: bool = True) -> dict[str, Any]:
        """The record with the best ``metric`` (the first one on ties).

        Raises
        ------
        InvalidInputError
            If the sweep is empty or ``metric`` is not a numeric column.
        """
        if not self.records:
            raise InvalidInputError("the sweep has no settings")
        value = self.records[0].get(metric)
        if isinstance(value, bool) or not isinstance(value, int | float):
            numeric = [k for k, v in self.records[0].items() if isinstance(v, int | float)]
            raise InvalidInputError(
                Problem(
                    f"{metric!r} is not a numeric column of the sweep",
                    field="metric",
                    expected="one of " + ", ".join(numeric),
                )
            )
        sign = 1.0 if maximize else -1.0
        return max(self.records, key=lambda r: sign * float(r[metric]))

    def table(self, limit: int | None = None) -> str:
        """A fixed-width text table of the records (at most ``limit`` rows)."""
        columns = ["setting", *self.parameters, *SWEEP_METRICS]
        shown = self.records if limit is None else self.records[:limit]

        def cell(value: Any) -> str:
            if isinstance(value, float):
                return f"{value:.4g}"
            return "-" if value is None else str(value)

        body = [[cell(r.get(c)) for c in columns] for r in shown]
        widths = [max([len(c), *(len(row[i]) for row in body)]) for i, c in enumerate(columns)]
        lines = [" ".join(c.rjust(w) for c, w in zip(columns, widths, strict=True))]
        lines.append("-" * len(lines[0]))
        lines += [" ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)) for row in body]
        if limit is not None and len(self.records) > limit:
            lines.append(f"... {len(self.records) - limit} more settings")
        return "\n".join(lines)


def sweep(
    program: Program | Mapping[str, Any],
    configs: Iterable[MatchConfig | Mapping[str, Any]] | None = None,
    *,
    grid: Mapping[str, Sequence[Any]] | None = None,
    base: MatchConfig | Mapping[str, Any] | None = None,
    custom: Mapping[str, ComponentFn] | None = None,
) -> SweepResult:
    """Match one program under many settings, compiling and scoring only once.

    Parameters
    ----------
    program : Program or mapping
        The program.
    configs : iterable of MatchConfig or mapping, optional
        The settings: full configs, or mappings of changes to ``base`` (keys
        are config fields, or ``"weights.<component>"`` and
        ``"topic_weights.<topic>"`` to change one entry).
    grid : mapping of str to sequence, optional
        Instead of ``configs``: every combination of these values (same
        keys), in ``itertools.product`` order, applied to ``base``.
    base : MatchConfig or mapping, optional
        The settings the changes apply to; ``MatchConfig()`` by default.
    custom : mapping of str to ComponentFn, optional
        Custom score components, weighted as ``"custom:<name>"``.

    Returns
    -------
    SweepResult
        One record per setting: ``setting``, the parameters that vary, and
        the solver method, pairs, matched executives, coverage, score mean,
        median, min and 10th percentile, objective value (sum of the chosen
        pairs' scores), mentor load and unmatched executives — the values
        :func:`~revmatch.matching.match` reports for the same setting.
        ``to_pandas()`` gives a DataFrame.

    Raises
    ------
    InvalidInputError
        If both or neither of ``configs`` and ``grid`` are given, a setting is
        invalid (naming it), or a setting's pinned pair breaks a rule.
    InfeasibleError
        If a setting has ``strict=True`` and cannot match everyone.

    Notes
    -----
    What a match computes depends on a few fields each: the compiled arrays
    on ``preferred_window``; the score components on ``topic_weights``,
    ``session_minutes`` and ``seniority_span``; the rules on
    ``min_overlap_minutes``, ``require_shared_language``,
    ``exclude_same_department``, ``min_grade_gap`` and ``allow_repeats``;
    the total on ``weights`` and ``score_decimals``; the rest only the solve.
    ``candidates`` is not used: the sweep always solves the dense matrix,
    whose optimum a candidate-graph solve certifies anyway.
    The sweep compiles once per preferred window, computes shared time once,
    each component array once per distinct value of its fields and each rule
    mask once per distinct threshold; per setting only the weighted sum (with
    the rounding of :func:`~revmatch.scoring.score`) and the solve remain.
    Meeting proposals and explanations, the costly part of ``match``, are
    skipped: ``match`` the settings you keep. Memory: one
    (executives x mentors) array per distinct component and rule mask.

    Examples
    --------
    >>> import revmatch as rm
    >>> program = rm.datasets.make_program(n_executives=10, n_mentors=15, seed=0)
    >>> from revmatch.lifecycle import sweep
    >>> table = sweep(program, grid={"weights.topic": [0.2, 0.55, 0.9],
    ...                                 "min_overlap_minutes": [30, 60]})
    >>> len(table), table.parameters
    (6, ('weights.topic', 'min_overlap_minutes'))
    >>> best = table.best("score_mean")
    >>> full = rm.match(program, table.configs[best["setting"]])
    >>> full.metrics["score_mean"] == best["score_mean"]
    True
    """
    start = perf_counter()
    program = _as_program(program)
    base_config = _as_config(base)
    custom = dict(custom or {})
    settings, grid_columns = _settings(base_config, configs, grid)
    prepared = _prepare(program, settings, custom)
    prepare_seconds = perf_counter() - start

    flats = [_flat(c) for c in settings]
    varying = [
        k for k in (flats[0] if flats else {}) if any(f.get(k) != flats[0][k] for f in flats)
    ]
    parameters = tuple(dict.fromkeys([*grid_columns, *varying]))
    records: list[dict[str, Any]] = []
    solve_seconds = 0.0
    for i, (config, flat) in enumerate(zip(settings, flats, strict=True)):
        scores = _setting_scores(prepared[config.preferred_window], config, custom)
        t = perf_counter()
        try:
            rows, cols, _, method = solve_scores(scores)
        except InvalidInputError as exc:
            raise InvalidInputError([_named(p, f"setting {i}") for p in exc.problems]) from None
        solve_seconds += perf_counter() - t
        records.append(
            {
                "setting": i,
                **{k: flat.get(k) for k in parameters},
                **_setting_metrics(scores, rows, cols, method),
            }
        )
    return SweepResult(
        tuple(records),
        tuple(settings),
        parameters,
        {
            "prepare": round(prepare_seconds, 6),
            "solve": round(solve_seconds, 6),
            "total": round(perf_counter() - start, 6),
        },
    )


def _frame(records: list[dict[str, Any]], what: str) -> pd.DataFrame:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - exercised only without pandas
        raise ImportError(f"pandas is needed for {what}: pip install 'revmatch[pandas]'") from None
    return pd.DataFrame.from_records(records)
