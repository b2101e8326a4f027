"""Integer programming with :func:`scipy.optimize.milp` (HiGHS) for side constraints.

One binary variable per candidate pair::

    sum of x over row i            <= row_capacities[i]
    sum of x over column j         <= capacities[j]
    sum of x over row i, group g   <= 1
    sum of x over quota q + s_q    >= min_q      (s_q >= 0: shortfall, integer)
    sum of x over quota q          <= max_q
    sum of x over quota q - min_share_q * sum of x  >= 0
    sum of x over quota q - max_share_q * sum of x  <= 0

solved lexicographically, one HiGHS run per level: least total shortfall
``sum s`` first, then (``cardinality_first``) most pairs, then the largest
total of integer-scaled weights, each level's optimum fixed as a constraint for
the next. Integer objectives make the default absolute gap (1e-6) exact.

Without quotas the constraint matrix is totally unimodular (two laminar
families: rows refined by groups, and columns; the cardinality row is the
whole set), so the LP relaxation has integral vertices and is solved as an LP
(about a hundred times faster); a fractional answer, which would mean a
numerical accident, falls back to the integer program.

With quotas, :func:`solve_quota_program` tries the exact routes in order of
cost and names the one that answered (:data:`ROUTES`): the optimum without
quotas when it meets them, a min-cost flow when the quotas count one side's
people in nested or disjoint sets (:mod:`revmatch.solvers._quota_flow`),
then the integer program, on a priced working set of pairs above
:data:`COLUMNS_FROM` pairs (:mod:`revmatch.solvers._quota_columns`). Every
route optimises the same levels with the same integer weights.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp

from revmatch.solvers._assignment import SolverError
from revmatch.solvers._network import SCORE_GRID, integer_weights, pairs_from_mask
from revmatch.solvers._problem import BoolArray, FloatArray, IntpArray, Problem
from revmatch.solvers._quota_columns import solve_quota_columns
from revmatch.solvers._quota_flow import flow_pairs, meets_quotas, unconstrained_pairs

__all__ = [
    "COLUMNS_FROM",
    "ROUTES",
    "WEIGHT_LIMIT",
    "MilpModel",
    "highs_optimum",
    "milp_levels",
    "solve_levels",
    "solve_milp",
    "solve_quota_program",
]

Pairs = tuple[IntpArray, IntpArray]

#: Integer weights stay below this, well inside HiGHS's exact float integers.
WEIGHT_LIMIT = 2**30
#: Quota programs with more candidate pairs than this are solved by column
#: generation with reduced-cost fixing (same optimum, a far smaller program).
COLUMNS_FROM = 2_000
#: How a quota program can be solved, cheapest first (see :func:`solve_quota_program`).
ROUTES = ("unconstrained", "flow", "columns", "milp")


class MilpModel:
    """The constraint system of one problem restricted to one mask."""

    def __init__(self, problem: Problem, mask: BoolArray) -> None:
        self.pr, self.pc = pairs_from_mask(mask)
        n, m = problem.shape
        e = self.pr.size
        slack_quotas = [q for q in problem.quotas if q.min > 0]
        self.n_x, self.n_s = e, len(slack_quotas)
        blocks: list[sp.csr_array] = []
        lower: list[FloatArray] = []
        upper: list[FloatArray] = []
        cols = np.arange(e)

        def add(rows: IntpArray, n_rows: int, lo: FloatArray, hi: FloatArray) -> None:
            blocks.append(
                sp.csr_array((np.ones(e), (rows, cols)), shape=(n_rows, self.n_x + self.n_s))
            )
            lower.append(lo)
            upper.append(hi)

        add(self.pr, n, np.full(n, -np.inf), problem.row_capacities.astype(float))
        add(self.pc, m, np.full(m, -np.inf), problem.capacities.astype(float))
        if problem.pair_groups is not None:
            labels = problem.pair_groups[self.pr, self.pc]
            grouped = np.flatnonzero(labels >= 0)
            keys = np.stack([self.pr[grouped], labels[grouped]], axis=1)
            _, inverse = np.unique(keys, axis=0, return_inverse=True)
            n_groups = int(inverse.max()) + 1 if grouped.size else 0
            block = sp.csr_array(
                (np.ones(grouped.size), (inverse.reshape(-1), grouped)),
                shape=(n_groups, self.n_x + self.n_s),
            )
            blocks.append(block)
            lower.append(np.full(n_groups, -np.inf))
            upper.append(np.ones(n_groups))
        slack_index = {id(q): k for k, q in enumerate(slack_quotas)}
        for q in problem.quotas:
            inside = (q.row_mask[self.pr] & q.col_mask[self.pc]).astype(float)
            row = np.concatenate([inside, np.zeros(self.n_s)])
            if q.min > 0:
                with_slack = row.copy()
                with_slack[self.n_x + slack_index[id(q)]] = 1.0
                blocks.append(sp.csr_array(with_slack[None, :]))
                lower.append(np.array([float(q.min)]))
                upper.append(np.array([np.inf]))
            if q.max is not None:
                blocks.append(sp.csr_array(row[None, :]))
                lower.append(np.array([-np.inf]))
                upper.append(np.array([float(q.max)]))
            everyone = np.concatenate([np.ones(self.n_x), np.zeros(self.n_s)])
            if q.min_share > 0:
                blocks.append(sp.csr_array((row - q.min_share * everyone)[None, :]))
                lower.append(np.array([0.0]))
                upper.append(np.array([np.inf]))
            if q.max_share is not None:
                blocks.append(sp.csr_array((row - q.max_share * everyone)[None, :]))
                lower.append(np.array([-np.inf]))
                upper.append(np.array([0.0]))
        self.matrix = sp.vstack(blocks, format="csr")
        self.lower = np.concatenate(lower)
        self.upper = np.concatenate(upper)
        self.slack_max = np.array([float(q.min) for q in slack_quotas])
        self.integral = not problem.quotas
        self.fixed: list[LinearConstraint] = []

    @property
    def n_vars(self) -> int:
        return self.n_x + self.n_s

    def minimise(self, cost: FloatArray) -> tuple[float, FloatArray]:
        """Minimise ``cost @ v`` under the model and every fixed level."""
        bounds = Bounds(np.zeros(self.n_vars), np.concatenate([np.ones(self.n_x), self.slack_max]))
        constraints = [LinearConstraint(self.matrix, self.lower, self.upper), *self.fixed]
        if self.integral:
            v = highs_optimum(cost, None, bounds, constraints)
            if np.allclose(v, np.rint(v), atol=1e-6):
                return float(np.rint(v) @ cost), np.rint(v)
        v = np.rint(highs_optimum(cost, np.ones(self.n_vars, dtype=np.intp), bounds, constraints))
        return float(v @ cost), v

    def fix(self, cost: FloatArray, best: float) -> None:
        """Keep later levels at this level's optimum: ``cost @ v <= best``."""
        self.fixed.append(LinearConstraint(cost[None, :], -np.inf, best))

    def shortfall_cost(self) -> FloatArray:
        cost = np.zeros(self.n_vars)
        cost[self.n_x :] = 1.0
        return cost

    def count_cost(self) -> FloatArray:
        cost = np.zeros(self.n_vars)
        cost[: self.n_x] = -1.0
        return cost


def highs_optimum(
    cost: FloatArray,
    integrality: IntpArray | None,
    bounds: Bounds,
    constraints: Sequence[LinearConstraint],
) -> FloatArray:
    """``argmin cost @ v`` by HiGHS (:func:`scipy.optimize.milp`, no gap), or SolverError.

    ``integrality`` None solves the linear relaxation. The one place every
    integer program of the solvers is run and its status checked.
    """
    result: OptimizeResult = milp(
        cost,
        integrality=integrality,
        bounds=bounds,
        constraints=constraints,
        options={"mip_rel_gap": 0.0, "presolve": True},
    )
    if result.status != 0 or result.x is None:
        raise SolverError(f"HiGHS did not prove an optimum: {result.message}")
    return np.asarray(result.x, dtype=float)


def solve_levels(
    model: MilpModel, cardinality_first: bool, record: Callable[[float], None]
) -> None:
    """Solve the levels in turn (least shortfall, most pairs if asked), fixing each."""
    if model.n_s:
        cost = model.shortfall_cost()
        best, _ = model.minimise(cost)
        record(best)
        model.fix(cost, best)
    if cardinality_first:
        cost = model.count_cost()
        best, _ = model.minimise(cost)
        record(best)
        model.fix(cost, best)


def milp_levels(problem: Problem, mask: BoolArray) -> tuple[float, ...]:
    """(least total shortfall, minus the most pairs) within ``mask``; lower is better.

    What a ``maximin`` threshold must preserve when quotas are present.
    """
    model = MilpModel(problem, mask)
    if model.n_x == 0:
        return (float(model.slack_max.sum()), 0.0)
    found: list[float] = []
    solve_levels(model, True, found.append)
    return tuple(found)


def solve_milp(problem: Problem, mask: BoolArray, cardinality_first: bool) -> Pairs:
    """Solve the lexicographic integer program described in the module docs.

    With quotas, the cheapest exact route answers (:func:`solve_quota_program`).
    """
    if problem.quotas:
        return solve_quota_program(problem, mask, cardinality_first)[1]
    return _integer_program(problem, mask, cardinality_first)


def solve_quota_program(
    problem: Problem, mask: BoolArray, cardinality_first: bool
) -> tuple[str, Pairs]:
    """The quota program's optimum over ``mask`` and the route (of :data:`ROUTES`) that found it.

    1. ``"unconstrained"``: an optimum without the quotas, for the same
       integer weights, that meets every quota is an optimum with them
       (quotas only remove assignments).
    2. ``"flow"``: quotas on one side's people, in nested or disjoint sets,
       make a network; min-cost flows solve the levels exactly.
    3. ``"columns"``: above :data:`COLUMNS_FROM` candidate pairs, the integer
       program on a priced working set with a dual-bound proof for the rest.
    4. ``"milp"``: the whole integer program.
    """
    pr, pc = pairs_from_mask(mask)
    if pr.size == 0:
        return "milp", (pr, pc)
    ints: NDArray[np.int64]
    ints, scale = integer_weights(problem.weights[pr, pc], WEIGHT_LIMIT)
    if scale == 1.0 / SCORE_GRID:
        grid = problem.weights  # already the integers times 1e-6
    else:
        grid = np.zeros(problem.shape)
        grid[pr, pc] = ints * SCORE_GRID
    free = unconstrained_pairs(problem, mask, cardinality_first, grid)
    if meets_quotas(problem, *free):
        return "unconstrained", free
    found = flow_pairs(problem, mask, cardinality_first, ints)
    if found is not None:
        return "flow", found
    if pr.size > COLUMNS_FROM:
        return "columns", solve_quota_columns(problem, mask, cardinality_first)
    return "milp", _integer_program(problem, mask, cardinality_first)


def _integer_program(problem: Problem, mask: BoolArray, cardinality_first: bool) -> Pairs:
    model = MilpModel(problem, mask)
    if model.n_x == 0:
        return model.pr, model.pc
    solve_levels(model, cardinality_first, lambda _: None)
    ints: NDArray[np.int64]
    ints, _ = integer_weights(problem.weights[model.pr, model.pc], WEIGHT_LIMIT)
    cost = np.zeros(model.n_vars)
    cost[: model.n_x] = -ints.astype(float)
    _, v = model.minimise(cost)
    chosen = np.flatnonzero(v[: model.n_x] > 0.5)
    return model.pr[chosen], model.pc[chosen]
