"""Pipeline stage 4b: chosen pairs in, an explained :class:`~revmatch.result.MatchResult` out.

Pairs are explained from any :class:`~revmatch._pipeline.score.Scores`
(dense or candidate) by :func:`build_pairs`; :func:`finish` adds metrics
and the audit record for both paths. The unmatched of the dense path, with
their reasons and smallest fixes, are built here too; candidate mode builds
its own from pair lists (:mod:`revmatch.scale`). Names and availability
slots, which the arrays do not hold, come from the program beside them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from time import perf_counter
from typing import Any

import numpy as np
from numpy.typing import NDArray

from revmatch._arrays import count_distinct
from revmatch._lazy import Batch, InOrder, Row, deferred
from revmatch._pipeline.assign import solve_scores
from revmatch._pipeline.audit import build_audit
from revmatch._pipeline.compile import ProgramArrays
from revmatch._pipeline.fairness import fairness_metrics
from revmatch._pipeline.quotas import blocks
from revmatch._pipeline.rules import REASON_BITS, reason_counts
from revmatch._pipeline.score import Scores
from revmatch._pipeline.scoring import (
    PairDetails,
    ScoreMatrix,
    absent_pairs,
    missing_inputs,
    pair_contributions,
)
from revmatch.availability import MeetingSlot, propose_meetings
from revmatch.models import Executive, MatchConfig, Mentor, Program
from revmatch.relax import Resolver, smallest_relaxation
from revmatch.result import PAIR_DETAILS, MatchResult, Pair, Unmatched, score_stats
from revmatch.solvers import METHODS

__all__ = [
    "assignment_stats",
    "build_pairs",
    "build_result",
    "executive_reasons",
    "finish",
    "idle_mentor",
    "make_pair",
    "meetings_for",
    "pair_people",
    "quota_blocked",
    "result_metrics",
    "spare_capacity",
]

_log = logging.getLogger("revmatch")


def build_result(
    program: Program,
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
    """Turn chosen pairs of the dense path into an explained :class:`MatchResult`.

    Parameters
    ----------
    program : Program
        The program the scores were computed from.
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
    t = perf_counter()
    pairs, values = build_pairs(program, scores, rows, cols, pinned)
    unmatched, spare = _build_unmatched(scores, rows, cols, method)
    # The stability audit is defined for one mentor per executive.
    one_each = scores.config.mentors_per_executive == 1
    blocking = _blocking_count(scores, rows, cols) if one_each else None
    result = finish(
        program,
        scores.arrays,
        scores.config,
        pairs,
        unmatched,
        rows,
        cols,
        spare=spare,
        values=values,
        blocking=blocking,
        method=method,
        timings=timings or {},
        explain_start=t,
        start=start if start is not None else t,
        audit_extra=audit_extra,
        scores=scores,
    )
    _log.info(
        "matched %d of %d executives with %d mentors (%s, %.3f s)",
        result.metrics["matched_executives"],
        result.metrics["n_executives"],
        result.metrics["n_mentors"],
        method,
        result.audit["timings"]["total"],
    )
    for u in unmatched:
        _log.debug("unmatched %s %s: %s", u.role, u.id, ",".join(u.reason_codes))
    return result


def finish(
    program: Program,
    arrays: ProgramArrays,
    config: MatchConfig,
    pairs: tuple[Pair, ...],
    unmatched: tuple[Unmatched, ...],
    rows: NDArray[np.intp],
    cols: NDArray[np.intp],
    *,
    spare: dict[str, int],
    values: NDArray[np.float64],
    blocking: int | None,
    method: str,
    timings: Mapping[str, float],
    explain_start: float,
    start: float,
    audit_extra: Mapping[str, Any] | None = None,
    scores: ScoreMatrix | None = None,
) -> MatchResult:
    """Metrics, audit record and result around explained pairs; shared by both paths.

    ``values`` are the chosen pairs' scores (their sum is the objective
    value); ``explain_start`` is when explaining began, ``start`` when the
    job began: ``explain`` and ``total`` are added to ``timings``. The
    result keeps ``program`` when it keeps ``scores``.
    """
    timings = dict(timings)
    timings["explain"] = perf_counter() - explain_start
    timings["total"] = perf_counter() - start
    metrics = result_metrics(arrays, pairs, unmatched, rows, cols, blocking=blocking)
    audit = build_audit(
        program,
        config,
        method=method,
        objective_value=float(values.sum()),
        timings=timings,
        audit_extra=audit_extra,
    )
    return MatchResult(
        pairs=pairs,
        unmatched=unmatched,
        metrics=metrics,
        audit=audit,
        spare_capacity=spare,
        scores=scores,
        program=None if scores is None else program,
    )


def build_pairs(
    program: Program,
    scores: Scores,
    rows: NDArray[np.intp],
    cols: NDArray[np.intp],
    pinned: NDArray[np.bool_],
) -> tuple[tuple[Pair, ...], NDArray[np.float64]]:
    """Explained pairs and their total scores, from dense or candidate scores of ``program``.

    Ids, scores and pins are set now; the rest of each pair is computed on
    first use, for all pairs at once: score parts, shared minutes, topics and
    names by one batch, meeting proposals by another (see
    :mod:`revmatch._lazy`). The values are those computed here at once.
    """
    rows, cols = rows.copy(), cols.copy()
    details: PairDetails | None = None
    if isinstance(scores, ScoreMatrix):
        values = np.asarray(scores.values[rows, cols])
    else:
        values, details = scores.pair_details(rows, cols)

    def explained() -> list[Row]:
        nonlocal details
        if details is None:
            _, details = scores.pair_details(rows, cols)
        return [vars(p) for p in _explained_pairs(program, scores, rows, cols, values, details)]

    def meetings() -> list[Row]:
        slots = meetings_for(program, scores.arrays, scores.config, rows.tolist(), cols.tolist())
        return [{"meeting": None if m is None else m.summary()} for m in slots]

    later, slots = Batch(explained), Batch(meetings)
    sources = dict.fromkeys(PAIR_DETAILS, later) | {"meeting": slots}
    ids_e, ids_m = scores.arrays.exec_ids, scores.arrays.mentor_ids
    pairs = tuple(
        deferred(
            Pair,
            {"executive_id": ids_e[r], "mentor_id": ids_m[c], "score": v, "pinned": p},
            k,
            sources,
        )
        for k, (r, c, v, p) in enumerate(
            zip(rows.tolist(), cols.tolist(), values.tolist(), pinned.tolist(), strict=True)
        )
    )
    return pairs, values


def _explained_pairs(
    program: Program,
    scores: Scores,
    rows: NDArray[np.intp],
    cols: NDArray[np.intp],
    values: NDArray[np.float64],
    details: PairDetails,
) -> list[Pair]:
    """Every pair with its score parts, shared minutes, topics and names (meeting left out)."""
    arrays, config = scores.arrays, scores.config
    people = pair_people(program, arrays, rows.tolist(), cols.tolist())
    absent = absent_pairs(missing_inputs(arrays, config, scores.weights), rows, cols)
    pairs = []
    for k, (r, c) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
        components = {n: round(float(v[k]), 6) for n, v in details.components.items()}
        missing = tuple(n for n in scores.weights if n in absent and absent[n][k])
        shares = pair_contributions(scores.weights, components, missing)
        contributions = {n: round(v, 6) for n, v in shares.items()}
        pairs.append(
            make_pair(
                arrays,
                config,
                r,
                c,
                score=float(values[k]),
                components=components,
                contributions=contributions,
                min_minutes=float(details.min_minutes[k]),
                mean_minutes=float(details.mean_minutes[k]),
                pinned=False,
                meeting=None,
                names=(people[k][0].name, people[k][1].name),
                missing=missing,
            )
        )
    return pairs


def spare_capacity(arrays: ProgramArrays, mentor_used: NDArray[np.int64]) -> dict[str, int]:
    """Mentor id -> places left, for mentors with places left."""
    return {
        m: int(arrays.capacities[c] - mentor_used[c])
        for c, m in enumerate(arrays.mentor_ids)
        if arrays.capacities[c] > mentor_used[c]
    }


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
    names: tuple[str | None, str | None],
    missing: tuple[str, ...] = (),
) -> Pair:
    """Build one explained :class:`Pair`: topics served, meeting slot, names.

    Shared by the dense path and the candidate path (:mod:`revmatch.scale`),
    which differ only in where scores and shared minutes come from;
    ``meeting`` comes from :func:`meetings_for`, ``names`` (executive's,
    mentor's) from the program, ``missing`` (the components left out of the
    score for missing data) from :func:`~revmatch._pipeline.scoring.absent_pairs`.
    """
    wished = arrays.interests[r] > 0
    known = arrays.expertise[c] > 0
    return Pair(
        executive_id=arrays.exec_ids[r],
        mentor_id=arrays.mentor_ids[c],
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
        meeting=None if meeting is None else meeting.summary(),
        pinned=pinned,
        executive_name=names[0],
        mentor_name=names[1],
        missing=missing,
    )


def pair_people(
    program: Program, arrays: ProgramArrays, rows: Sequence[int], cols: Sequence[int]
) -> list[tuple[Executive, Mentor]]:
    """The program's executive and mentor of each pair ``(rows[k], cols[k])`` of ``arrays``."""
    executives = {p.id: p for p in program.executives}
    mentors = {p.id: p for p in program.mentors}
    return [
        (executives[arrays.exec_ids[r]], mentors[arrays.mentor_ids[c]])
        for r, c in zip(rows, cols, strict=True)
    ]


def meetings_for(
    program: Program,
    arrays: ProgramArrays,
    config: MatchConfig,
    rows: Sequence[int],
    cols: Sequence[int],
) -> list[MeetingSlot | None]:
    """Proposed meeting slots of the pairs ``(rows[k], cols[k])``, computed in one batch."""
    people = pair_people(program, arrays, rows, cols)
    return propose_meetings(
        [
            ((arrays.exec_zones[r], e.availability), (arrays.mentor_zones[c], m.availability))
            for r, c, (e, m) in zip(rows, cols, people, strict=True)
        ],
        start=program.start,
        end=program.end,
        session_minutes=config.session_minutes,
        preferred_window=config.preferred_window_minutes,
    )


def executive_reasons(
    mask: NDArray[np.uint16],
    capacities: NDArray[np.int64] | None = None,
    free: NDArray[np.bool_] | None = None,
    *,
    optimal: bool = True,
    quota: NDArray[np.bool_] | None = None,
) -> tuple[dict[str, int], str]:
    """Reason counts and hint of an unmatched executive, from its row of reason masks.

    Shared by the dense path and the candidate path. With the mentors'
    ``capacities``, allowed mentors of capacity 0 count as ``no_capacity``:
    they take nobody, so they neither "would fit" nor were "needed". With
    ``free`` (mentors with a place left after the solve), allowed mentors
    that still have room count as ``no_gain``: they were not all needed
    elsewhere: with an optimal method, pairing with them would not raise
    the objective (under ``max_score``, such a pair scores 0); with a
    heuristic method (``optimal=False``) the method simply did not. With
    ``quota`` (the mentors whose pair, added to the result, would break a
    quota; see :func:`quota_blocked`), allowed mentors of capacity above 0
    in it count as ``quota`` and are left out of the other counts: more
    capacity would not bring them, nor is it the objective that keeps them.
    """
    if mask.size == 0:
        return {"no_mentors": 0}, "the program has no mentors"
    reasons = reason_counts(mask)
    allowed = mask == 0
    empty = allowed & (capacities == 0) if capacities is not None else np.zeros_like(allowed)
    held = allowed & ~empty & quota if quota is not None else np.zeros_like(allowed)
    roomy = allowed & ~empty & ~held & free if free is not None else np.zeros_like(allowed)
    n_empty = int(np.count_nonzero(empty))
    n_held = int(np.count_nonzero(held))
    n_roomy = int(np.count_nonzero(roomy))
    n_full = int(np.count_nonzero(allowed)) - n_empty - n_held - n_roomy
    if n_empty:
        reasons["no_capacity"] = n_empty
    if n_held:
        reasons["quota"] = n_held
    if n_roomy:
        reasons["no_gain"] = n_roomy
    why_not = (
        "pairing would not raise the objective (with max_score, a pair that scores 0 adds nothing)"
        if optimal
        else "the solver method, which does not prove an optimum, did not pair them"
    )
    if n_held:
        hint = (
            f"{n_held} mentor(s) would fit, but adding the pair would break a quota "
            "(rm.explain_quotas names the quotas that bind)"
        )
        if n_full:
            hint += (
                f"; {n_full} more were needed for other executives, "
                "and more mentor capacity would help"
            )
        if n_roomy:
            hint += f"; {n_roomy} more have free places, but {why_not}"
        if n_full:
            reasons["capacity"] = n_full
        return reasons, hint
    if n_full:
        reasons["capacity"] = n_full
        hint = (
            f"{n_full} mentor(s) would fit but all were needed for other executives; "
            "more mentor capacity would help"
        )
        if n_roomy:
            hint += f"; {n_roomy} more have free places, but {why_not}"
        return reasons, hint
    if n_roomy:
        return reasons, f"{n_roomy} allowed mentor(s) have free places, but {why_not}"
    if n_empty:
        return reasons, (
            f"the {n_empty} mentor(s) allowed have capacity 0; more mentor capacity would help"
        )
    top = max(reasons, key=lambda k: (reasons[k], k))
    return reasons, f"no mentor is allowed; most often excluded by {top} ({reasons[top]} mentors)"


def idle_mentor(capacity: int, n_executives: int) -> tuple[dict[str, int], str] | None:
    """Reasons and hint of an unmatched mentor who could take nobody at all, else None.

    Capacity 0 comes before a program without executives. Shared by the
    dense path and the candidate path.
    """
    if capacity == 0:
        return {"no_capacity": 0}, "the mentor has capacity 0"
    if n_executives == 0:
        return {"no_executives": 0}, "the program has no executives"
    return None


def method_is_optimal(method: str) -> bool:
    """Whether the solver method used proves an optimum (``auto`` always picks one that does)."""
    info = METHODS.get(method)
    return info is None or info.optimal


def _build_unmatched(
    scores: ScoreMatrix, rows: NDArray[np.intp], cols: NDArray[np.intp], method: str
) -> tuple[tuple[Unmatched, ...], dict[str, int]]:
    """Unmatched people with reasons and hints now, and their smallest fixes on first use.

    A fix is checked by solving again with it applied, as match() would, and
    the checks share one budget (:class:`~revmatch.relax.Resolver`), spent in
    the order of the people: so the fixes are computed in that order, up to
    the person asked about (:class:`revmatch._lazy.InOrder`).
    """
    arrays = scores.arrays
    n_exec, n_mentor = arrays.shape
    exec_used = np.bincount(rows, minlength=n_exec)
    mentor_used = np.bincount(cols, minlength=n_mentor)
    out: list[tuple[dict[str, Any], tuple[int, str] | None]] = []
    optimal = method_is_optimal(method)
    breaks = quota_blocked(scores, rows, cols)
    every_mentor = np.arange(n_mentor)
    for r in np.flatnonzero(exec_used == 0).tolist():
        reasons, hint = executive_reasons(
            scores.reasons[r],
            arrays.capacities,
            mentor_used < arrays.capacities,
            optimal=optimal,
            quota=None if breaks is None else breaks(r, every_mentor),
        )
        record: dict[str, Any] = {
            "id": arrays.exec_ids[r],
            "role": "executive",
            "reasons": reasons,
            "hint": hint,
        }
        out.append((record, (r, "executive") if n_mentor else None))
    places = scores.config.mentors_per_executive
    alone = np.flatnonzero(mentor_used == 0)
    # The unmatched mentors' columns, counted together (many may be unmatched).
    masks = scores.reasons[:, alone]
    allowed = masks == 0
    n_allowed = np.count_nonzero(allowed, axis=0).tolist()
    with_room = allowed & (exec_used < places)[:, None]
    # Executives with room whose pair with the mentor would break a quota.
    held_of = [0] * alone.size
    if breaks is not None and alone.size:
        held = with_room & breaks(np.arange(n_exec)[:, None], alone[None, :])
        with_room &= ~held
        held_of = np.count_nonzero(held, axis=0).tolist()
    n_roomy_of = np.count_nonzero(with_room, axis=0).tolist()
    counted = _column_reasons(masks)
    for k, c in enumerate(alone.tolist()):
        capacity = int(arrays.capacities[c])
        reasons = counted[k]
        n_feasible = n_allowed[k]
        idle = idle_mentor(capacity, n_exec)
        if idle is not None:
            reasons, hint = idle
        elif n_feasible:
            # An allowed executive either has all the mentors it may have, or
            # has room but the pair would break a quota, or has room and
            # still did not take this one: no gain in the objective.
            n_roomy, n_held = n_roomy_of[k], held_of[k]
            n_taken = n_feasible - n_roomy - n_held
            if n_taken:
                reasons["not_chosen"] = n_taken
            if n_held:
                reasons["quota"] = n_held
            if n_roomy:
                reasons["no_gain"] = n_roomy
            parts = []
            if n_taken:
                parts.append(
                    f"{n_taken} executive(s) would fit, but each has all the mentors it may have"
                )
            if n_held:
                parts.append(
                    f"{n_held} executive(s) would fit and have room, but adding the pair would "
                    "break a quota (rm.explain_quotas names the quotas that bind)"
                )
            if n_roomy:
                because = (
                    "the method, which does not prove an optimum, did not pair them"
                    if not optimal
                    else "pairing would not raise the objective, or they already have a "
                    "mentor of this topic group"
                    if places > 1
                    else "pairing would not raise the objective"
                )
                parts.append(f"{n_roomy} executive(s) would fit and have room, but {because}")
            hint = "; ".join(parts)
        else:
            top = max(reasons, key=lambda k: (reasons[k], k))
            hint = f"no executive is allowed; most often excluded by {top} ({reasons[top]})"
        record = {
            "id": arrays.mentor_ids[c],
            "role": "mentor",
            "reasons": reasons,
            "hint": hint,
            "spare": capacity,
        }
        out.append((record, (c, "mentor") if n_exec and capacity and not n_feasible else None))
    return _with_fixes(scores, out, mentor_used, (rows.copy(), cols)), spare_capacity(
        arrays, mentor_used
    )


def quota_blocked(
    scores: ScoreMatrix, rows: NDArray[np.intp], cols: NDArray[np.intp]
) -> Callable[[Any, Any], NDArray[np.bool_]] | None:
    """Which pairs, added to the solved pairs ``(rows, cols)``, would break a quota.

    None without quotas. Otherwise a function of executive and mentor
    indices (broadcast against each other) giving, for each such pair,
    whether the result's pairs plus that one pair break a count or share
    bound of ``config.quotas``, counted as the quotas count: over every
    pair, pins included.
    """
    config = scores.config
    if not config.quotas:
        return None
    found = [(b, int((b.rows[rows] & b.cols[cols]).sum())) for b in blocks(scores.arrays, config)]
    total = int(rows.size) + 1
    slack = 1e-9 * total

    def breaks(r: Any, c: Any) -> NDArray[np.bool_]:
        out = np.zeros(np.broadcast_shapes(np.shape(r), np.shape(c)), dtype=bool)
        for b, count in found:
            new = count + (b.rows[r] & b.cols[c])
            q = b.quota
            if q.max is not None:
                out |= new > q.max
            if q.min is not None:
                out |= new < q.min
            if q.max_share is not None:
                out |= new > q.max_share * total + slack
            if q.min_share is not None:
                out |= new < q.min_share * total - slack
        return out

    return breaks


def _column_reasons(masks: NDArray[np.uint16]) -> list[dict[str, int]]:
    """:func:`~revmatch._pipeline.rules.reason_counts` of every column of ``masks``."""
    counts = np.array(
        [np.count_nonzero(masks & bit, axis=0) for bit in REASON_BITS.values()], dtype=np.int64
    ).reshape(len(REASON_BITS), masks.shape[1])
    names = list(REASON_BITS)
    return [
        {name: n for name, n in zip(names, column, strict=True) if n}
        for column in counts.T.tolist()
    ]


def _with_fixes(
    scores: ScoreMatrix,
    people: list[tuple[dict[str, Any], tuple[int, str] | None]],
    mentor_used: NDArray[np.int64],
    pairs: tuple[NDArray[np.intp], NDArray[np.intp]],
) -> tuple[Unmatched, ...]:
    """The :class:`Unmatched` records, each with its fix deferred where one is sought."""
    sought = [person for _, person in people if person is not None]
    resolver = Resolver(scores, solve_scores)

    def fix(k: int) -> Row:
        index, role = sought[k]
        held = pairs if role == "mentor" else None
        return {
            "fix": smallest_relaxation(
                scores, index, role, mentor_used, pairs=held, resolver=resolver
            )
        }

    sources = {"fix": InOrder(fix, len(sought))}
    out: list[Unmatched] = []
    k = 0
    for record, person in people:
        if person is None:
            out.append(Unmatched(**record))
        else:
            out.append(deferred(Unmatched, {"spare": 0, **record}, k, sources))
            k += 1
    return tuple(out)


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


def assignment_stats(
    n_exec: int, rows: NDArray[np.intp], pair_scores: list[float]
) -> dict[str, Any]:
    """Pairs, matched executives, coverage and score statistics of an assignment.

    The part of the metrics that :func:`result_metrics` and a sweep's
    light metrics both report, computed once for both.
    """
    matched = count_distinct(rows)
    return {
        "n_pairs": int(rows.size),
        "matched_executives": matched,
        "coverage": round(matched / n_exec, 6) if n_exec else 0.0,
        **score_stats(pair_scores),
    }


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
        **assignment_stats(n_exec, rows, [p.score for p in pairs]),
        "topic_coverage": round(float(served.sum()) / total_wished, 6) if total_wished else None,
        "topic_coverage_by_topic": topic_coverage,
        "mentor_capacity": capacity,
        "mentor_load": round(len(pairs) / capacity, 6) if capacity else 0.0,
        "mentor_load_std": round(float(ratio.std()), 6) if n_mentor else 0.0,
        "blocking_pairs": blocking,
        "fairness": fairness_metrics(arrays, rows, cols, np.array([p.score for p in pairs])),
        "unmatched_executives": sum(u.role == "executive" for u in unmatched),
        "unmatched_mentors": sum(u.role == "mentor" for u in unmatched),
        "unmatched_reasons": dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
    }
