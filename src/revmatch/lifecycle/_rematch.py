"""Least-disruption re-matching: :func:`rematch`.

Pairs that still work stay unless moving them gains more than the switching
cost; ``max_changes`` bounds how many may move, solved exactly by the solver
layer (:class:`revmatch.solvers.ChangeBudget`).
"""

from __future__ import annotations

from collections.abc import Mapping
from time import perf_counter
from typing import Any

import numpy as np
from numpy.typing import NDArray

from revmatch._pipeline.assign import (
    Solved,
    objective_weights,
    solve_scores,
    solver_call,
    with_pins,
)
from revmatch._pipeline.compile import compile_program
from revmatch._pipeline.report import build_result
from revmatch._pipeline.rules import force_pinned
from revmatch._pipeline.scoring import (
    ComponentFn,
    ScoreMatrix,
    score_arrays,
)
from revmatch._progress import Progress
from revmatch.exceptions import InvalidInputError, Problem
from revmatch.lifecycle._changes import ChangeReport, change_list, previous_pairs
from revmatch.lifecycle._common import as_config, as_program
from revmatch.models import MatchConfig, Program
from revmatch.result import MatchResult
from revmatch.solvers import METHODS, ChangeBudget, solve

__all__ = ["rematch"]


def rematch(
    previous: MatchResult,
    program: Program | Mapping[str, Any],
    config: MatchConfig | Mapping[str, Any] | None = None,
    *,
    max_changes: int | None = None,
    force_pins: bool = False,
    custom: Mapping[str, ComponentFn] | None = None,
    progress: Progress | None = None,
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
        (end for any reason but a person leaving or a rule broken). Needs an
        exact optimisation method (feature ``"budget"`` of
        :data:`revmatch.solvers.METHODS`; ``"auto"``, the default, is one).
    force_pins : bool, default False
        Keep pinned pairs that break a hard rule instead of raising; each is
        recorded in ``audit["forced_pins"]`` with the rules it breaks.
    custom : mapping of str to ComponentFn, optional
        Custom score components, weighted as ``"custom:<name>"``.
    progress : Progress, optional
        Called as ``progress(done, 4, "stages")`` before compiling and after
        each of compile, score, solve (with ``max_changes``, the bounded
        search of the change budget) and the result.

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
    count): a :class:`~revmatch.solvers.ChangeBudget` on the pairs of
    :math:`P`, which :func:`~revmatch.solvers.solve` meets exactly in up to
    three steps, each stopping as soon
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
    program = as_program(program)
    config = as_config(config, previous)
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

    def stage(done: int) -> None:
        if progress is not None:
            progress(done, len(_STAGES), "stages")

    stage(0)
    t = perf_counter()
    arrays = compile_program(program, config)
    timings["compile"] = perf_counter() - t
    stage(1)
    t = perf_counter()
    scores = score_arrays(arrays, config, custom=custom)
    forced: list[dict[str, Any]] = []
    if force_pins:
        scores, forced = force_pinned(scores)
    timings["score"] = perf_counter() - t
    stage(2)

    t = perf_counter()
    prev = previous_pairs(previous, scores)
    weights = np.array(objective_weights(scores), dtype=np.float64, copy=True)
    weights[prev.rows, prev.cols] += config.switching_cost
    free = ~arrays.pinned.contains(prev.rows, prev.cols)
    free_rows, free_cols = prev.rows[free], prev.cols[free]
    proof: dict[str, Any] = {"optimality": "unconstrained"}
    if max_changes is None or max_changes >= free_rows.size:
        rows, cols, pinned, method = solve_scores(scores, weights=weights)
    else:
        (rows, cols, pinned, method), proof = _solve_budget(
            scores, weights, ChangeBudget(free_rows, free_cols, max_changes)
        )
    timings["solve"] = perf_counter() - t
    stage(3)

    changes = change_list(previous, scores, prev, rows, cols)
    report = ChangeReport(tuple(changes), config.switching_cost, max_changes)
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
    result = build_result(
        program,
        scores,
        rows,
        cols,
        pinned,
        method=method,
        timings=timings,
        start=start,
        audit_extra=audit_extra,
    )
    stage(4)
    return result


#: What :func:`rematch` reports to ``progress``, in turn.
_STAGES = ("compile", "score", "solve", "report")


def _solve_budget(
    scores: ScoreMatrix, weights: NDArray[np.float64], budget: ChangeBudget
) -> tuple[Solved, dict[str, Any]]:
    """Best assignment that keeps all but at most ``budget.max_changes`` of its pairs.

    ``weights`` already carries the switching bonus at the pairs. Pins take
    their places first, as in :func:`~revmatch._pipeline.assign.solve_scores`;
    the solver layer proves the optimum (:class:`~revmatch.solvers.ChangeBudget`).
    """
    config = scores.config
    if config.method != "auto" and "budget" not in METHODS[config.method].features:
        raise InvalidInputError(
            Problem(
                f"max_changes needs an exact optimisation method; {config.method!r} is not one",
                field="method",
                expected="'auto' or one of "
                + ", ".join(name for name, info in METHODS.items() if "budget" in info.features),
            )
        )
    call = solver_call(scores, weights=weights)
    found = solve(**call.kwargs, budget=budget)
    proof: dict[str, Any] = {"optimality": found.budget_step}
    if found.multiplier is not None:
        proof["multiplier"] = found.multiplier
    return with_pins(found.rows, found.cols, call.pins, found.method), proof
