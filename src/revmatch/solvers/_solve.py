"""The one front end of every solver: :func:`solve`."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import cast

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

from revmatch._arrays import sorted_unique
from revmatch.exceptions import InfeasibleError, InvalidInputError
from revmatch.solvers._assignment import Assignment, ChangeBudget, Quota, SolverError
from revmatch.solvers._auto import choose_method, choose_pair_method, small_assignment
from revmatch.solvers._budget import BudgetCall, check_budget, solve_budget
from revmatch.solvers._milp import milp_levels
from revmatch.solvers._network import hall_violation, max_cardinality
from revmatch.solvers._problem import (
    OBJECTIVES,
    BoolArray,
    Candidates,
    IntpArray,
    Problem,
    WeightsLike,
    densify,
    validate,
    validate_sparse,
)
from revmatch.solvers._registry import METHODS, MethodInfo
from revmatch.solvers._stable import deferred_acceptance

__all__ = ["capable", "solve"]


def _resolve_method(method: str, problem: Problem, objective: str) -> MethodInfo:
    if method == "auto":
        return METHODS[choose_method(problem, objective)]
    return capable(method, problem.features(), objective)


def capable(method: str, needed: frozenset[str], objective: str) -> MethodInfo:
    """The method's entry, after checking it exists and can express the problem."""
    if method not in METHODS:
        raise InvalidInputError(
            f"Unknown method {method!r}. Expected 'auto' or one of: {', '.join(METHODS)}."
        )
    info = METHODS[method]
    if objective not in info.objectives:
        able = [m for m, i in METHODS.items() if objective in i.objectives]
        raise InvalidInputError(
            f"Method {method!r} does not support objective {objective!r}; "
            f"methods that do: {', '.join(able)}."
        )
    missing = needed - info.features
    if missing:
        able = [m for m, i in METHODS.items() if needed <= i.features]
        raise InvalidInputError(
            f"Method {method!r} cannot express {', '.join(sorted(missing))} in this problem; "
            f"methods that can: {', '.join(able)} (or method='auto')."
        )
    return info


def _list(values: IntpArray, limit: int = 10) -> str:
    shown = ", ".join(str(int(v)) for v in values[:limit])
    return f"[{shown}{', ...' if values.size > limit else ''}]"


def _check_coverage(problem: Problem, mask: BoolArray) -> None:
    """Raise InfeasibleError when some row cannot get all its partners (strict mode).

    A row asks for ``row_requests[i]`` partners as given, not as capped to
    the number of columns: with or without a mask, one that asks for more
    partners than there are columns cannot get them all.
    """
    m = problem.shape[1]
    over = np.flatnonzero(problem.row_requests > m)
    if over.size:
        raise InfeasibleError(
            f"strict=True, but rows {_list(over)} ask for more partners than the {m} "
            "column(s) there are (each pair is chosen at most once).",
            rows=over.tolist(),
        )
    demand = problem.row_capacities
    if not demand.any():
        return
    violation = hall_violation(problem, mask, demand)
    if violation is None:
        return
    short = violation.short_rows
    alone = short[~mask[short].any(axis=1)]
    parts = [
        f"strict=True, but {violation.missing} requested pair(s) cannot be formed: "
        f"rows {_list(short)} cannot get all their partners."
    ]
    if alone.size:
        parts.append(f"Rows {_list(alone)} have no feasible column at all.")
    if violation.full_cols.size:
        parts.append(
            f"Rows {_list(violation.competing_rows)} compete for columns "
            f"{_list(violation.full_cols)}, which are all at capacity."
        )
    raise InfeasibleError(" ".join(parts), rows=short.tolist(), cols=violation.full_cols.tolist())


def _threshold(problem: Problem, mask: BoolArray, levels: Callable[[BoolArray], object]) -> float:
    """Largest weight ``t`` such that pairs ``>= t`` still reach the best levels.

    Binary search over the sorted distinct weights of ``mask``: the levels
    (cardinality, or quota shortfall then cardinality) can only get worse as
    the threshold rises, so the feasible thresholds form a prefix.
    """
    weights = problem.weights
    values = np.unique(weights[mask])
    target = levels(mask)
    lo, hi = 0, values.size - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if levels(mask & (weights >= values[mid])) == target:
            lo = mid
        else:
            hi = mid - 1
    return float(values[lo])


def _counts(index: IntpArray, size: int) -> IntpArray | None:
    """Pairs per row (or column); None if an index is out of range."""
    # One pass: bincount rejects negative indices, and one beyond the range
    # makes the counts longer than `size` (or too long to allocate).
    try:
        counts = np.bincount(index, minlength=size)
    except (ValueError, MemoryError):
        return None
    return counts if counts.size == size else None


def _check_pairs(
    sides: Problem | Candidates,
    rows: IntpArray,
    cols: IntpArray,
    where: str,
    forbidden: Callable[[], IntpArray],
) -> None:
    """Indices in range, no forbidden pair (``forbidden()`` lists their
    positions), capacities respected, no pair twice."""
    n, m = sides.shape
    per_row, per_col = _counts(rows, n), _counts(cols, m)
    if per_row is None or per_col is None:
        raise SolverError(f"{where} an index outside the {n}x{m} matrix.")
    bad = forbidden()
    if bad.size:
        k = int(bad[0])
        raise SolverError(f"{where} the forbidden pair ({rows[k]}, {cols[k]}).")
    if (per_row > sides.row_capacities).any():
        raise SolverError(f"{where} more pairs for a row than its capacity.")
    if (per_col > sides.capacities).any():
        raise SolverError(f"{where} more pairs for a column than its capacity.")
    # With unit row capacities a repeated pair already breaks the row count.
    if not sides.unit and sorted_unique(rows * m + cols).size != rows.size:
        raise SolverError(f"{where} a pair twice.")


def _increasing(rows: IntpArray) -> bool:
    """Whether ``rows`` is strictly increasing (sorted, no row twice)."""
    return rows.size < 2 or bool((rows[1:] > rows[:-1]).all())


def _one_to_one(
    problem: Problem, mask: BoolArray, full: bool, rows: IntpArray, cols: IntpArray
) -> bool:
    """The checks of :func:`_check_pairs` when every capacity is exactly one, one pass each.

    The pairs are then valid exactly when the indices are in range, no row
    and no column repeats and ``mask`` allows every pair. True when that
    holds and the rows come strictly increasing, the order most methods
    return; False sends the caller to the general check, which also names
    what is wrong.
    """
    return _distinct(problem.shape, rows, cols) and (
        full or rows.size == 0 or bool(mask[rows, cols].all())
    )


def _distinct(shape: tuple[int, int], rows: IntpArray, cols: IntpArray) -> bool:
    """Whether the indices are in range, no row or column repeats and the rows increase."""
    n, m = shape
    if rows.shape != cols.shape or rows.ndim != 1:
        return False
    if rows.size == 0:
        return True
    if not (_increasing(rows) and rows[0] >= 0 and rows[-1] < n):
        return False
    per_col = _counts(cols, m)
    return per_col is not None and int(per_col.max()) <= 1


def _verify(problem: Problem, mask: BoolArray, rows: IntpArray, cols: IntpArray, name: str) -> bool:
    """Safety net: never hand back a pair or a count the problem forbids.

    Returns whether the rows are strictly increasing (then the pairs are in
    ``(row, col)`` order already), where the check finds that out for free.
    """
    full = problem.full(mask)
    ones = problem.unit and problem.all_open  # every capacity exactly one
    simple = ones and problem.pair_groups is None and not problem.quotas
    if simple and _one_to_one(problem, mask, full, rows, cols):
        return True
    where = f"method {name!r} returned"
    _check_pairs(
        problem,
        rows,
        cols,
        where,
        lambda: np.zeros(0, np.intp) if full else np.flatnonzero(~mask[rows, cols]),
    )
    if problem.pair_groups is not None:
        labels = problem.pair_groups[rows, cols]
        grouped = labels >= 0
        keys = np.stack([rows[grouped], labels[grouped]], axis=1)
        if np.unique(keys, axis=0).shape[0] != keys.shape[0]:
            raise SolverError(f"{where} two pairs of one row in the same group.")
    for q in problem.quotas:
        count = int((q.row_mask[rows] & q.col_mask[cols]).sum())
        if q.max is not None and count > q.max:
            raise SolverError(f"{where} {count} pairs in quota {q.name!r} (max {q.max}).")
        if not all(q.shares_met(count, rows.size)):
            raise SolverError(
                f"{where} {count} of {rows.size} pairs in quota {q.name!r} "
                f"(shares {q.min_share}..{q.max_share})."
            )
    return False


def _check_strict_result(problem: Problem, rows: IntpArray, cols: IntpArray) -> None:
    """After solving: every quota minimum and every row demand met.

    Needed where the coverage pre-check is not enough: with quotas (each may be
    satisfiable alone but not together) and for stable matchings (which need
    not have the most pairs).
    """
    for q in problem.quotas:
        count = int((q.row_mask[rows] & q.col_mask[cols]).sum())
        if count < q.min:
            raise InfeasibleError(
                f"strict=True, but quota {q.name!r} needs at least {q.min} pairs and at most "
                f"{count} can be formed together with the other constraints.",
                rows=np.flatnonzero(q.row_mask).tolist() if q.rows_given else (),
                cols=np.flatnonzero(q.col_mask).tolist() if q.cols_given else (),
            )
    got = np.bincount(rows, minlength=problem.shape[0])
    short = np.flatnonzero(got < problem.row_capacities)
    if short.size:
        raise InfeasibleError(
            f"strict=True, but rows {_list(short)} cannot get all their partners "
            + ("in a stable matching." if not problem.quotas else "while every quota is met."),
            rows=short.tolist(),
        )


def solve(
    weights: WeightsLike,
    *,
    feasible: ArrayLike | None = None,
    capacities: ArrayLike | None = None,
    objective: str = "coverage_then_score",
    method: str = "jv",
    row_capacities: ArrayLike | None = None,
    pair_groups: ArrayLike | None = None,
    quotas: Sequence[Quota] | None = None,
    strict: bool = False,
    budget: ChangeBudget | None = None,
) -> Assignment:
    """Choose (row, column) pairs that maximise the given weights.

    Rows are executives, columns are mentors. Every method solves the same
    problem: choose pairs, each at most once, such that row ``i`` is in at most
    ``row_capacities[i]`` pairs and column ``j`` in at most ``capacities[j]``,
    no pair outside ``feasible`` is chosen, within one row at most one pair per
    ``pair_groups`` label, every quota is respected, and the objective is
    optimal.

    Parameters
    ----------
    weights : (n_rows, n_cols) array_like of float, or scipy.sparse array
        Weights to maximise. Every entry must be finite, also at infeasible
        positions (forbid pairs with ``feasible``, never with ``-inf``/NaN).
        A scipy.sparse array or matrix (any format) lists the candidate pairs
        itself: its stored entries, explicit zeros included, are the pairs
        that may be chosen (so ``feasible`` must be None), and a pair stored
        twice is an error. ``sparse``, ``ortools``, ``flow`` and ``auto`` on
        a sparse graph (at most 10% of the cells) then work on the stored
        pairs alone, in time and memory proportional to their number; any
        other method, ``maximin``, ``strict``, ``pair_groups`` or ``quotas``
        expand the matrix to dense (zeros off the candidates) first.
    feasible : (n_rows, n_cols) array_like of bool, optional
        Pairs that may be chosen; default all. A pair marked False is never
        returned, whatever its weight.
    capacities : (n_cols,) array_like of int >= 0, or int, optional
        Pairs each column may take; default 1; a single int applies to every
        column. Any size is fine (values above the number of rows cost
        nothing).
    objective : {"coverage_then_score", "max_score", "maximin"}
        ``"coverage_then_score"`` (default): the largest number of pairs, then
        the largest total weight among those. ``"max_score"``: the largest
        total weight; pairs with weight <= 0 add nothing and are never
        returned, so fewer pairs may be chosen. ``"maximin"``: the largest
        number of pairs, then the largest smallest weight among them, then the
        largest total.
    method : str, default "jv"
        A key of :data:`METHODS` or ``"auto"``, which picks the fastest exact
        method for the instance (see ``docs/solvers.md``). ``"stable"`` returns
        the executive-optimal stable matching with both sides ranking each
        other by ``weights`` (see :func:`stable_match`); it accepts
        ``coverage_then_score`` (every feasible pair acceptable) and
        ``max_score`` (only pairs of weight > 0 acceptable); with ``strict``
        it raises when the stable matching leaves a row unmatched (every
        stable matching leaves the same rows unmatched, so none would do).
    row_capacities : (n_rows,) array_like of int >= 0, or int, optional
        Pairs each row may take; default 1 (``mentors_per_executive``).
    pair_groups : (n_rows, n_cols) array_like of int, optional
        Group label of each pair, ``-1`` for none: within one row at most one
        chosen pair per label (e.g. the pair's topic, so that an executive's
        mentors cover different topics).
    quotas : sequence of Quota, optional
        Bounds on the number of chosen pairs in blocks of the matrix. Only
        ``"milp"`` (and ``"auto"``) support them.
    strict : bool, default False
        Require every row to get ``row_capacities[i]`` partners, as given
        (a row asking for more partners than there are columns never can),
        and every quota minimum to be met; raise :class:`InfeasibleError`
        otherwise, whatever the mask, method or form of the weights. Without
        it a partial assignment is a normal result.
    budget : ChangeBudget, optional
        Pairs of which all but at most ``budget.max_changes`` must be chosen
        (e.g. the pairs of a previous round): a hard constraint, solved
        exactly by every method with the feature ``"budget"`` (the exact
        optimisation methods; see Notes). Not with ``quotas``.

    Returns
    -------
    Assignment
        The chosen pairs sorted by ``(row, col)``, their total original weight,
        the method actually used and whether it is a proven optimum.

    Raises
    ------
    InvalidInputError
        On malformed input (naming the position or field), an unknown method or
        objective, or a method that cannot express the problem (naming those
        that can).
    InfeasibleError
        With ``strict=True``, naming the rows and columns at fault; and when
        no assignment keeps enough of the ``budget`` pairs, naming the most
        that can stay.
    ImportError
        When the method needs an optional package that is not installed.

    Notes
    -----
    ``coverage_then_score`` and ``maximin`` are lexicographic objectives solved
    exactly: the assignment-matrix methods encode the count of pairs in the
    weights (see :func:`revmatch.solvers._dense.assignment_matrix` for the
    proof and float bound), the flow methods compute a maximum flow of minimum
    cost, and ``maximin`` first finds the largest threshold that keeps the
    maximum number of pairs by binary search over the distinct weights, each
    step a Hopcroft–Karp or maximum-flow check (:math:`O(E\\sqrt{V}\\log E)` in
    all). Results of different exact methods agree on the objective within
    ``1e-9 * (1 + k * max|w|)`` (``k`` pairs); integer-cost methods scale
    weights exactly when they lie on the ``1e-6`` score grid.

    With ``strict=True`` and ``objective="max_score"``, full coverage is a
    constraint: the largest total among assignments that give every row its
    partners, still without pairs of weight <= 0.

    With a ``budget`` the method first solves without it; if the optimum
    leaves out too many budget pairs, a parametric search on a bonus for
    them (Lagrangian relaxation [1]_, each step one exact solve of the
    method) looks for an optimum that keeps exactly enough, which is optimal
    for the bounded problem by weak duality; where the kept count jumps over
    the target (a duality gap), and for ``maximin``, the integer program
    decides (HiGHS [2]_ through :func:`scipy.optimize.milp`).
    :attr:`Assignment.budget_step` records which step proved the optimum.

    References
    ----------
    .. [1] Fisher, M. L. (1981). The Lagrangian relaxation method for solving
       integer programming problems. Management Science 27(1), 1-18.
       https://doi.org/10.1287/mnsc.27.1.1
    .. [2] Huangfu, Q., Hall, J. A. J. (2018). Parallelizing the dual revised
       simplex method. Mathematical Programming Computation 10, 119-142.
       https://doi.org/10.1007/s12532-017-0130-5

    Examples
    --------
    >>> import numpy as np
    >>> from revmatch.solvers import solve
    >>> w = np.array([[0.9, 0.8], [0.7, 0.1]])
    >>> a = solve(w)
    >>> list(a.pairs()), round(a.total, 6)
    ([(0, 1), (1, 0)], 1.5)
    >>> a = solve(w, feasible=[[True, False], [True, True]], objective="max_score")
    >>> list(a.pairs())
    [(0, 0), (1, 1)]
    """
    if objective not in OBJECTIVES:
        raise InvalidInputError(
            f"Unknown objective {objective!r}. Expected one of: {', '.join(OBJECTIVES)}."
        )
    if type(weights) is not np.ndarray and sp.issparse(weights):
        candidates = validate_sparse(
            weights, feasible=feasible, capacities=capacities, row_capacities=row_capacities
        )
        simple = (
            pair_groups is None
            and not quotas
            and not strict
            and objective != "maximin"
            and budget is None
        )
        info = _pair_method(method, candidates, objective) if simple else None
        if info is not None:
            return _solve_pairs(info, candidates, objective)
        # Everything else works on the dense matrix, built from the checked entries.
        weights, feasible = densify(candidates)
    problem = validate(
        cast(ArrayLike, weights),  # sparse input is dense (or solved) by now
        feasible=feasible,
        capacities=capacities,
        row_capacities=row_capacities,
        pair_groups=pair_groups,
        quotas=quotas,
    )
    if budget is not None:
        return _solve_with_budget(
            problem,
            budget,
            feasible,
            capacities,
            row_capacities,
            pair_groups,
            objective=objective,
            method=method,
            strict=strict,
        )
    info = _resolve_method(method, problem, objective)
    mask = problem.feasible
    if objective == "max_score":
        mask = mask & (problem.weights > 0)
    if strict:
        _check_coverage(problem, mask)
    info, (rows, cols) = _run(info, problem, mask, objective, strict, auto=method == "auto")
    ordered = _verify(problem, mask, rows, cols, info.name)
    if strict and (problem.quotas or info.solver is None):
        _check_strict_result(problem, rows, cols)
    total = math.fsum(problem.weights[rows, cols].tolist())
    if ordered and rows.dtype == np.intp and cols.dtype == np.intp:
        return Assignment._of_sorted(rows, cols, total, info.name, objective, info.exact)
    return Assignment(rows, cols, total, info.name, objective, info.exact)


def _solve_with_budget(
    problem: Problem,
    budget: ChangeBudget,
    feasible: ArrayLike | None,
    capacities: ArrayLike | None,
    row_capacities: ArrayLike | None,
    pair_groups: ArrayLike | None,
    *,
    objective: str,
    method: str,
    strict: bool,
) -> Assignment:
    """:func:`solve` with a :class:`ChangeBudget`, on the arrays as the caller gave them."""
    if problem.quotas:
        raise InvalidInputError(
            "A change budget cannot be combined with quotas; give one or the other."
        )
    if method != "auto":
        capable(method, problem.features() | {"budget"}, objective)
    keep_rows, keep_cols = check_budget(budget, problem.shape)[:2]
    n, m = problem.shape
    call = BudgetCall(
        weights=problem.weights,
        feasible=np.ones((n, m), dtype=bool)
        if feasible is None
        else np.asarray(feasible, dtype=bool),
        capacities=np.broadcast_to(
            np.asarray(1 if capacities is None else capacities, dtype=np.int64), (m,)
        ),
        row_capacities=None
        if row_capacities is None
        else np.broadcast_to(np.asarray(row_capacities, dtype=np.int64), (n,)),
        pair_groups=None if pair_groups is None else np.asarray(pair_groups, dtype=np.intp),
        objective=objective,
        method=method,
        strict=strict,
        keep_rows=keep_rows,
        keep_cols=keep_cols,
        max_changes=int(budget.max_changes),
    )
    found = solve_budget(call, solve)
    rows, cols = np.asarray(found.rows), np.asarray(found.cols)
    mask = problem.feasible
    if objective == "max_score":
        mask = mask & (problem.weights > 0)
    _verify(problem, mask, rows, cols, found.method)
    width = max(m, 1)
    kept = int(np.isin(rows.astype(np.int64) * width + cols, keep_rows * width + keep_cols).sum())
    if kept < call.target:
        raise SolverError(
            f"method {found.method!r} returned {kept} budget pairs, fewer than the "
            f"{call.target} required."
        )
    return found


def _pair_method(method: str, candidates: Candidates, objective: str) -> MethodInfo | None:
    """The pair-list method for sparse input, or None when a dense method is asked for."""
    if method == "auto":
        name = choose_pair_method(candidates)
        return None if name is None else METHODS[name]
    # Errors are raised here, before a large sparse matrix would be expanded.
    info = capable(method, candidates.features(), objective)
    return info if info.pair_solver is not None else None


def _solve_pairs(info: MethodInfo, candidates: Candidates, objective: str) -> Assignment:
    """Solve sparse input on its candidate pairs, never building a dense matrix."""
    assert info.pair_solver is not None
    if objective == "max_score":
        candidates = candidates.keep(candidates.weights > 0)
    if candidates.rows.size:
        rows, cols = info.pair_solver(candidates, objective != "max_score")
    else:
        rows, cols = np.zeros(0, np.intp), np.zeros(0, np.intp)
    picked, ordered = _verify_pairs(candidates, rows, cols, info.name)
    total = math.fsum(candidates.weights[picked].tolist())
    if ordered and rows.dtype == np.intp and cols.dtype == np.intp:
        return Assignment._of_sorted(rows, cols, total, info.name, objective, info.exact)
    return Assignment(rows, cols, total, info.name, objective, info.exact)


def _verify_pairs(
    candidates: Candidates, rows: IntpArray, cols: IntpArray, name: str
) -> tuple[IntpArray, bool]:
    """:func:`_verify` for a candidate list.

    Returns each chosen pair's candidate index, and whether the rows are
    strictly increasing (found out for free where every capacity is one).
    """
    m = candidates.shape[1]
    keys = candidates.rows * m + candidates.cols  # sorted: the list is row-major
    chosen = rows * m + cols
    index = np.minimum(np.searchsorted(keys, chosen), max(keys.size - 1, 0)).astype(
        np.intp, copy=False
    )
    ones = candidates.unit and candidates.all_open and candidates.labels is None
    # Indices in range first: only then does a key name one pair.
    if (
        ones
        and _distinct(candidates.shape, rows, cols)
        and (rows.size == 0 or (keys.size > 0 and bool((keys[index] == chosen).all())))
    ):
        return index, True
    _check_pairs(
        candidates,
        rows,
        cols,
        f"method {name!r} returned",
        lambda: np.flatnonzero(keys[index] != chosen) if keys.size else np.arange(chosen.size),
    )
    return index, False


def _run(
    info: MethodInfo, problem: Problem, mask: BoolArray, objective: str, strict: bool, auto: bool
) -> tuple[MethodInfo, tuple[IntpArray, IntpArray]]:
    """The method that solved the problem (``auto`` may switch it) and its pairs."""
    if mask.size == 0 or (not problem.full(mask) and not mask.any()):
        return info, (np.zeros(0, np.intp), np.zeros(0, np.intp))
    solver = info.solver
    if solver is None:
        # "stable": both sides rank each other by the weights; `mask` already
        # drops pairs of weight <= 0 for max_score.
        w = problem.weights
        return info, deferred_acceptance(w, w, mask, problem.capacities, "executives")
    if objective == "maximin":
        mask = mask & (problem.weights >= _threshold(problem, mask, _levels(problem)))
    cardinality_first = objective != "max_score" or strict
    if auto and info.name == "ortools":
        done = small_assignment(problem, mask, cardinality_first)
        if done is not None:
            name, pairs = done
            return METHODS[name], pairs
    return info, solver(problem, mask, cardinality_first)


def _levels(problem: Problem) -> Callable[[BoolArray], object]:
    """What a maximin threshold must preserve: the best count of pairs.

    With quotas, the least quota shortfall comes first and both need the
    integer program; otherwise a matching or flow computation suffices.
    """
    if problem.quotas:
        return lambda mask: milp_levels(problem, mask)
    return lambda mask: max_cardinality(problem, mask)
