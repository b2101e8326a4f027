"""The worst group's mean weight, maximised: :func:`solve_maximin_groups`.

One integer program (HiGHS through :func:`scipy.optimize.milp`) on the
constraint system of :mod:`revmatch.solvers._milp`, with one continuous
variable ``t`` more::

    (base_g + sum of w x over the rows of group g) / size_g  >= t   for every group g

solved lexicographically as the ``milp`` method solves its levels: least quota
shortfall first (when quotas have minimums), then the largest ``t``, then the
largest total weight with ``t`` fixed at its optimum. Weights are scaled to
integers first (exact on the ``1e-6`` grid of revmatch scores), so ``t`` is a
ratio of integers; two different group means differ by at least
``1 / (size_g * size_h)`` in those units, far above HiGHS's absolute gap of
``1e-6`` for groups of up to a thousand rows each.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike
from scipy.optimize import Bounds, LinearConstraint

from revmatch.exceptions import InvalidInputError
from revmatch.solvers._assignment import Assignment, Quota
from revmatch.solvers._milp import WEIGHT_LIMIT, MilpModel, highs_optimum, solve_levels
from revmatch.solvers._network import integer_weights
from revmatch.solvers._problem import BoolArray, FloatArray, IntpArray, validate
from revmatch.solvers._solve import solve

__all__ = ["solve_maximin_groups"]


def _membership(row_groups: ArrayLike, n: int) -> BoolArray:
    """Row groups as an (n_rows, n_groups) membership matrix, empty groups dropped."""
    given = np.asarray(row_groups)
    if given.ndim == 2 and given.shape[0] == n and given.dtype == np.bool_:
        member = given
    elif given.shape == (n,) and np.issubdtype(given.dtype, np.integer):
        if n and given.min() < 0:
            raise InvalidInputError("row_groups labels must be >= 0.")
        member = np.zeros((n, int(given.max()) + 1 if n else 0), dtype=bool)
        member[np.arange(n), given.astype(np.intp)] = True
    else:
        raise InvalidInputError(
            f"row_groups must be {n} integer labels (one per row) or an ({n}, n_groups) "
            f"boolean membership matrix. Got shape {given.shape}, dtype {given.dtype}."
        )
    return member[:, member.any(axis=0)]


def solve_maximin_groups(
    weights: ArrayLike,
    *,
    row_groups: ArrayLike,
    feasible: ArrayLike | None = None,
    capacities: ArrayLike | None = None,
    row_capacities: ArrayLike | None = None,
    pair_groups: ArrayLike | None = None,
    quotas: Sequence[Quota] | None = None,
    base: ArrayLike | None = None,
) -> tuple[Assignment, float]:
    """Maximise the worst group's mean weight per row, then the total weight.

    The rows (executives) are split into groups by ``row_groups``; a group's
    mean is the weight its rows earn, summed, divided by the number of rows
    in the group, matched or not: an unmatched row counts 0, so a group
    none of whose rows is matched has mean 0 (never undefined), and matching
    more of a group's rows raises its mean. This is the group form of the
    PeerReview4All objective [1]_.

    Parameters
    ----------
    weights : (n_rows, n_cols) array_like of float
        Weights to maximise (finite everywhere).
    row_groups : (n_rows,) array_like of int >= 0, or (n_rows, n_groups) bool
        The group of every row, or which groups each row belongs to (a row
        may be in several groups, or in none: then it counts in no mean).
    feasible, capacities, row_capacities, pair_groups, quotas
        As in :func:`~revmatch.solvers.solve`.
    base : (n_rows,) array_like of float, optional
        Weight each row has already earned outside the problem (e.g. pinned
        pairs); it counts in its group's mean.

    Returns
    -------
    assignment : Assignment
        The chosen pairs with ``objective="maximin_groups"`` and
        ``method="milp"``.
    worst : float
        The worst group's mean weight (``base`` included); 0 without rows.

    Raises
    ------
    InvalidInputError
        On malformed input, naming the field.

    Notes
    -----
    One integer program per level, as described in the module
    :mod:`revmatch.solvers._groups`; exact on the ``1e-6`` grid of revmatch
    scores for groups of up to a thousand rows.

    References
    ----------
    .. [1] Stelmakh, I., Shah, N. B., Singh, A. (2019). PeerReview4All: Fair
       and accurate reviewer assignment in peer review. ALT 2019, PMLR 98.
       https://proceedings.mlr.press/v98/stelmakh19a.html

    Examples
    --------
    >>> import numpy as np
    >>> from revmatch.solvers import solve_maximin_groups
    >>> w = np.array([[0.9, 0.8], [0.1, 0.5]])
    >>> a, worst = solve_maximin_groups(w, row_groups=[0, 1])
    >>> list(a.pairs()), worst
    ([(0, 0), (1, 1)], 0.5)
    """
    problem = validate(
        weights,
        feasible=feasible,
        capacities=capacities,
        row_capacities=row_capacities,
        pair_groups=pair_groups,
        quotas=quotas,
    )
    n, _ = problem.shape
    member = _membership(row_groups, n)
    earned = np.zeros(n) if base is None else np.asarray(base, dtype=np.float64).reshape(n)
    model = MilpModel(problem, problem.feasible)
    if n == 0 or member.shape[1] == 0:
        found = solve(
            problem.weights,
            feasible=problem.feasible,
            capacities=problem.capacities,
            row_capacities=problem.row_capacities,
            pair_groups=pair_groups,
            quotas=quotas,
            objective="max_score",
            method="milp",
        )
        return Assignment(found.rows, found.cols, found.total, "milp", "maximin_groups", True), 0.0
    ints, scale = integer_weights(problem.weights[model.pr, model.pc], WEIGHT_LIMIT)
    base_ints = np.rint(earned * scale)
    sizes = member.sum(axis=0).astype(float)
    groups = sp.csr_array(member.T.astype(float) / sizes[:, None])
    # Quota shortfall first, as in the milp method; cardinality is not a level here.
    solve_levels(model, False, lambda _: None)
    n_vars = model.n_vars + 1
    widen = sp.hstack([model.matrix, sp.csr_array(np.zeros((model.lower.size, 1)))], format="csr")
    fixed = []
    for level in model.fixed:
        coefficients = np.asarray(level.A, dtype=float).reshape(1, -1)
        fixed.append(LinearConstraint(np.hstack([coefficients, [[0.0]]]), level.lb, level.ub))
    k = sizes.size
    pair_of_row = sp.csr_array(
        (ints.astype(float), (model.pr, np.arange(model.n_x))), shape=(n, model.n_x)
    )
    per_group_x = sp.hstack([groups @ pair_of_row, sp.csr_array((k, model.n_s))], format="csr")
    per_group = sp.hstack([per_group_x, sp.csr_array(-np.ones((k, 1)))], format="csr")
    floor = -(groups @ base_ints)
    constraints = [
        LinearConstraint(widen, model.lower, model.upper),
        *fixed,
        LinearConstraint(per_group, floor, np.inf),
    ]
    top = float(max(ints.max(initial=0), 0)) * float(problem.row_capacities.max(initial=0))
    top += float(np.abs(base_ints).max(initial=0))
    bounds = Bounds(
        np.concatenate([np.zeros(model.n_vars), [-top - 1.0]]),
        np.concatenate([np.ones(model.n_x), model.slack_max, [top + 1.0]]),
    )
    integrality = np.concatenate([np.ones(model.n_vars, dtype=np.intp), [0]])
    cost = np.zeros(n_vars)
    cost[-1] = -1.0
    first = highs_optimum(cost, integrality, bounds, constraints)
    chosen = np.rint(first[: model.n_x]) > 0.5
    worst = _worst(groups, base_ints, model.pr[chosen], ints[chosen], n)
    # Keep every group at the optimum found (exact integers; see the module notes).
    constraints.append(
        LinearConstraint(
            sp.hstack([per_group_x, sp.csr_array((k, 1))]), worst + floor - 1e-7, np.inf
        )
    )
    cost = np.zeros(n_vars)
    cost[: model.n_x] = -ints.astype(float)
    second = highs_optimum(cost, integrality, bounds, constraints)
    picked = np.flatnonzero(np.rint(second[: model.n_x]) > 0.5)
    r, c = model.pr[picked], model.pc[picked]
    order = np.lexsort((c, r))
    r, c = r[order], c[order]
    total = math.fsum(problem.weights[r, c].tolist())
    mean = _worst(groups, base_ints, r, ints[picked][order], n) / scale
    return Assignment(r, c, total, "milp", "maximin_groups", True), float(mean)


def _worst(
    groups: sp.csr_array, base_ints: FloatArray, rows: IntpArray, ints: ArrayLike, n: int
) -> float:
    """The smallest group mean of integer weights (``base`` included)."""
    earned = np.bincount(rows, weights=np.asarray(ints, float), minlength=n) + base_ints
    return float((groups @ earned).min())
