"""The dense pipeline end to end: prepared program → scores → assignment → result."""

from __future__ import annotations

from collections.abc import Mapping
from time import perf_counter
from typing import Any

from revmatch._pipeline.assign import Solved, price_of_quotas, solve_scores
from revmatch._pipeline.prepare import Prepared
from revmatch._pipeline.report import build_result
from revmatch._pipeline.rules import force_pinned
from revmatch._pipeline.score import score_dense
from revmatch._pipeline.scoring import ComponentFn, ScoreMatrix
from revmatch.result import MatchResult

__all__ = ["dense_result", "run_dense"]


def run_dense(
    prepared: Prepared,
    custom: Mapping[str, ComponentFn] | None = None,
    *,
    force_pins: bool = False,
    audit_extra: Mapping[str, Any] | None = None,
) -> MatchResult:
    """Score every pair, solve exactly and explain: the dense path of :func:`revmatch.match`.

    Parameters
    ----------
    prepared : Prepared
        The validated, compiled program and its config.
    custom : mapping of str to ComponentFn, optional
        Custom score components.
    force_pins : bool, default False
        Keep pinned pairs that break a hard rule, recorded in
        ``audit["forced_pins"]``.
    audit_extra : mapping, optional
        More entries for the audit record.

    Returns
    -------
    MatchResult
        Pairs, unmatched people, metrics and the audit record.

    Raises
    ------
    InvalidInputError
        If a pinned pair breaks a rule (without ``force_pins``) or exceeds a
        capacity, or a custom component is bad.
    InfeasibleError
        With ``config.strict`` when not every executive can be matched.
    """
    scores = score_dense(prepared, custom)
    extra = dict(audit_extra or {})
    if force_pins:
        scores, forced = force_pinned(scores)
        if forced:
            extra["forced_pins"] = forced
    t = perf_counter()
    solved = solve_scores(scores)
    prepared.clock.stop("solve", t)
    if prepared.config.quotas:
        extra["price_of_quotas"] = price_of_quotas(scores, solved[0], solved[1])
    return dense_result(prepared, scores, solved, extra or None)


def dense_result(
    prepared: Prepared,
    scores: ScoreMatrix,
    solved: Solved,
    audit_extra: Mapping[str, Any] | None = None,
) -> MatchResult:
    """Explain one solved assignment of ``prepared``, timed on its clock.

    The last stage of :func:`run_dense`, shared with every assignment that
    :func:`revmatch.alternatives` explains.
    """
    rows, cols, pinned, method = solved
    return build_result(
        prepared.program,
        scores,
        rows,
        cols,
        pinned,
        method=method,
        timings=prepared.clock.timings,
        start=prepared.clock.start,
        audit_extra=audit_extra,
    )
