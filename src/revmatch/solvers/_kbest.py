"""The k best assignments by Murty's partitioning: :func:`murty_k_best`."""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

from revmatch.exceptions import InfeasibleError, InvalidInputError
from revmatch.solvers._assignment import Assignment
from revmatch.solvers._problem import (
    OBJECTIVES,
    BoolArray,
    FloatArray,
    IntpArray,
    WeightsLike,
    densify,
    validate,
    validate_sparse,
)
from revmatch.solvers._registry import METHODS
from revmatch.solvers._solve import solve

__all__ = ["k_best_assignments", "murty_k_best"]

Pair = tuple[int, int]
Key = tuple[float, ...]


@dataclass(frozen=True)
class _Space:
    """The normalised problem every subproblem is cut from."""

    weights: FloatArray
    feasible: BoolArray
    capacities: IntpArray
    row_capacities: IntpArray
    pair_groups: IntpArray | None
    objective: str
    method: str
    strict: bool


def _check_k(k: object) -> int:
    if isinstance(k, bool) or not isinstance(k, int | np.integer):
        raise InvalidInputError(f"The 'k' of murty_k_best must be an integer. Got {k!r}.")
    if k < 1:
        raise InvalidInputError(f"The 'k' of murty_k_best must be >= 1. Got {k}.")
    return int(k)


def _check_method(method: str) -> None:
    if method in METHODS and not METHODS[method].optimal:
        able = [m for m, info in METHODS.items() if info.optimal]
        raise InvalidInputError(
            f"murty_k_best needs a method that proves an optimum; {method!r} does not. "
            f"Methods that do: {', '.join(able)} (or method='auto')."
        )


def key(assignment: Assignment, weights: FloatArray) -> Key:
    """Sort key of an assignment under its objective: smaller is better.

    ``coverage_then_score``: most pairs, then highest total. ``max_score``:
    highest total. ``maximin``: most pairs, then highest smallest weight, then
    highest total.
    """
    if assignment.objective == "max_score":
        return (-assignment.total,)
    if assignment.objective == "maximin":
        smallest = (
            float(weights[assignment.rows, assignment.cols].min()) if len(assignment) else 0.0
        )
        return (-float(len(assignment)), -smallest, -assignment.total)
    return (-float(len(assignment)), -assignment.total)


def _solve_node(space: _Space, forced: tuple[Pair, ...], banned: tuple[Pair, ...]) -> Assignment:
    """The best assignment that contains every ``forced`` pair and no ``banned`` one.

    Forced pairs leave the problem: each takes a place of its row and of its
    column, and (with groups) rules out its row's other pairs of its group.
    Rows and columns without places left are cut away before solving.
    """
    mask = space.feasible.copy()
    row_caps = space.row_capacities.copy()
    caps = space.capacities.copy()
    for r, c in banned:
        mask[r, c] = False
    for r, c in forced:
        mask[r, c] = False
        row_caps[r] -= 1
        caps[c] -= 1
        if space.pair_groups is not None and space.pair_groups[r, c] >= 0:
            mask[r, space.pair_groups[r] == space.pair_groups[r, c]] = False
    rows = np.flatnonzero(row_caps > 0)
    cols = np.flatnonzero(caps > 0)
    cut = np.ix_(rows, cols)
    weights, sub_mask = space.weights[cut], mask[cut]
    groups = None if space.pair_groups is None else space.pair_groups[cut]

    def run(allowed: BoolArray, objective: str) -> Assignment:
        return solve(
            weights,
            feasible=allowed,
            capacities=caps[cols],
            row_capacities=row_caps[rows],
            pair_groups=groups,
            objective=objective,
            method=space.method,
            strict=space.strict,
        )

    sub = run(sub_mask, space.objective)
    if space.objective == "maximin" and forced and len(sub):
        # The smallest weight of the whole assignment is capped by the forced
        # pairs: once the rest reaches that cap, the total decides among them.
        cap = min(float(space.weights[r, c]) for r, c in forced)
        if float(weights[sub.rows, sub.cols].min()) > cap:
            sub = run(sub_mask & (weights >= cap), "coverage_then_score")
    all_rows = np.concatenate([rows[sub.rows], np.array([r for r, _ in forced], dtype=np.intp)])
    all_cols = np.concatenate([cols[sub.cols], np.array([c for _, c in forced], dtype=np.intp)])
    total = math.fsum(space.weights[all_rows, all_cols].tolist())
    return Assignment(all_rows, all_cols, total, sub.method, space.objective, sub.exact)


def _space(
    weights: WeightsLike,
    feasible: ArrayLike | None,
    capacities: ArrayLike | None,
    row_capacities: ArrayLike | None,
    pair_groups: ArrayLike | None,
) -> tuple[FloatArray, BoolArray, IntpArray, IntpArray, IntpArray | None]:
    """Dense weights, mask, column and row capacities (as requested) and groups."""
    if sp.issparse(weights):
        candidates = validate_sparse(
            weights, feasible=feasible, capacities=capacities, row_capacities=row_capacities
        )
        weights, feasible = densify(candidates)
    problem = validate(
        np.asarray(weights),
        feasible=feasible,
        capacities=capacities,
        row_capacities=row_capacities,
        pair_groups=pair_groups,
        quotas=None,
    )
    return (
        problem.weights,
        np.array(problem.feasible, dtype=np.bool_),
        problem.capacities.copy(),
        problem.row_requests.copy(),
        problem.pair_groups,
    )


def murty_k_best(
    weights: WeightsLike,
    k: int,
    *,
    feasible: ArrayLike | None = None,
    capacities: ArrayLike | None = None,
    row_capacities: ArrayLike | None = None,
    pair_groups: ArrayLike | None = None,
    objective: str = "coverage_then_score",
    method: str = "auto",
    strict: bool = False,
) -> list[Assignment]:
    """The ``k`` best distinct assignments, best first, by Murty's partitioning.

    Every assignment is a set of chosen ``(row, col)`` pairs under the rules
    of :func:`~revmatch.solvers.solve` (mask, row and column capacities, pair
    groups, ``strict``), ranked by the same objective. The first is exactly
    what ``solve`` returns with the same arguments; each later one is the best
    assignment not yet listed.

    Parameters
    ----------
    weights : (n_rows, n_cols) array_like of float, or scipy.sparse array
        Weights to maximise, as in :func:`~revmatch.solvers.solve` (sparse
        weights are expanded to dense).
    k : int
        How many assignments to return, >= 1.
    feasible, capacities, row_capacities, pair_groups
        As in :func:`~revmatch.solvers.solve`.
    objective : {"coverage_then_score", "max_score", "maximin"}
        The order of assignments: most pairs, then highest total
        (``coverage_then_score``); highest total, using pairs of weight > 0
        only (``max_score``); most pairs, then highest smallest weight, then
        highest total (``maximin``).
    method : str, default "auto"
        The method of every subproblem: any method of :data:`METHODS` that
        proves an optimum and can express the problem, or ``"auto"``.
    strict : bool, default False
        Only assignments that give every row ``row_capacities[i]`` partners.

    Returns
    -------
    list of Assignment
        Distinct assignments, best first; fewer than ``k`` when fewer exist.
        With ``coverage_then_score`` and ``maximin`` every assignment with
        fewer pairs ranks after all those with more.
        Among assignments of equal objective, the one with the smaller sorted
        pair list comes first once both are known (see Notes).

    Raises
    ------
    InvalidInputError
        If ``k`` is not an integer >= 1, the method is ``"greedy"`` or
        ``"stable"`` (no proven optimum), or on any input ``solve`` rejects.
    InfeasibleError
        With ``strict=True`` when no assignment gives every row its partners.

    Notes
    -----
    Murty's algorithm [1]_, generalised from permutations to assignments with
    capacities: the best assignment ``S`` of a subspace (pairs forced in,
    pairs banned) is found by one call of ``solve``; the rest of the subspace
    splits into one part per free pair ``p_1 < ... < p_t`` of ``S`` (in
    ``(row, col)`` order): part ``i`` forces ``p_1 ... p_{i-1}`` in (each
    takes a place of its row and its column, and with groups rules out its
    row's other pairs of its group) and bans ``p_i``. No assignment of the
    subspace that contains all of ``S`` is lost: under every objective the
    optimum ``S`` has no strict superset in its subspace (one more pair would
    raise the count, or, with ``max_score``, the total). The parts are
    disjoint, so no assignment is listed twice, and a heap of subspaces
    keyed by their best assignment (ties: the smaller sorted pair list)
    yields the assignments in order. Ties whose later members are still
    hidden in unsplit subspaces are listed in the order they are found, so
    which of several equal assignments come back at the ``k``-th place
    depends on the partition, deterministically.

    With ``maximin`` and pairs forced in, the smallest weight is capped by
    the forced pairs: the subproblem is solved with ``maximin``, and when the
    rest's smallest weight exceeds the cap, solved again for the highest
    total among pairs of weight >= the cap.

    The cost is ``1 + (k - 1) t`` calls of ``solve`` for assignments of about
    ``t`` pairs, each on the rows and columns with places left; the method's
    float tolerance (see :func:`~revmatch.solvers.solve`) applies to the
    order of assignments whose totals differ by less than it.

    References
    ----------
    .. [1] Murty, K. G. (1968). An algorithm for ranking all the assignments
       in order of increasing cost. Operations Research 16(3), 682-687.
       https://doi.org/10.1287/opre.16.3.682

    Examples
    --------
    >>> import numpy as np
    >>> from revmatch.solvers import murty_k_best
    >>> w = np.array([[3.0, 2.0, 0.0], [2.0, 3.0, 1.0]])
    >>> [(list(a.pairs()), a.total) for a in murty_k_best(w, 3)]
    [([(0, 0), (1, 1)], 6.0), ([(0, 0), (1, 2)], 4.0), ([(0, 1), (1, 0)], 4.0)]

    Assignments with fewer pairs follow all those with more, down to the
    empty one:

    >>> [list(a.pairs()) for a in murty_k_best(np.ones((1, 2)), 5)]
    [[(0, 0)], [(0, 1)], []]
    """
    k = _check_k(k)
    if objective not in OBJECTIVES:
        raise InvalidInputError(
            f"Unknown objective {objective!r}. Expected one of: {', '.join(OBJECTIVES)}."
        )
    _check_method(method)
    w, mask, caps, row_caps, groups = _space(
        weights, feasible, capacities, row_capacities, pair_groups
    )
    space = _Space(w, mask, caps, row_caps, groups, objective, method, strict)
    best = solve(
        weights,
        feasible=feasible,
        capacities=capacities,
        row_capacities=row_capacities,
        pair_groups=pair_groups,
        objective=objective,
        method=method,
        strict=strict,
    )
    found = [best]
    heap: list[tuple[Key, tuple[Pair, ...], Assignment, tuple[Pair, ...], tuple[Pair, ...]]] = []

    def split(assignment: Assignment, forced: tuple[Pair, ...], banned: tuple[Pair, ...]) -> None:
        fixed = set(forced)
        free = [p for p in assignment.pairs() if p not in fixed]
        for i, pair in enumerate(free):
            part_forced, part_banned = forced + tuple(free[:i]), (*banned, pair)
            try:
                child = _solve_node(space, part_forced, part_banned)
            except InfeasibleError:  # strict: no full assignment in this part
                continue
            entry = (key(child, w), tuple(child.pairs()), child, part_forced, part_banned)
            heapq.heappush(heap, entry)

    if k > 1:
        split(best, (), ())
    while heap and len(found) < k:
        _, _, assignment, forced, banned = heapq.heappop(heap)
        found.append(assignment)
        if len(found) < k:
            split(assignment, forced, banned)
    return found


k_best_assignments = murty_k_best
"""Plain alias of :func:`murty_k_best`."""
