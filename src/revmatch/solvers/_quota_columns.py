"""Exact quota programs at scale: column generation with reduced-cost fixing.

The integer program of :mod:`revmatch.solvers._milp` has one binary variable
per allowed pair: four million at 2,000 x 2,000, far beyond what HiGHS's
branch and bound handles in reasonable time. Yet an optimum uses at most one
pair per row (or a few), and almost every pair is provably useless. This
module solves the same lexicographic program (least quota shortfall, then
with ``cardinality_first`` most pairs, then the largest integer-scaled
weight, each level's optimum fixed for the next) on a small working set of
pairs, and proves that the pairs left out cannot change the answer.

For each level, with every earlier level fixed as a row ``cost @ v <= best``:

1. *Column generation.* The LP relaxation is solved on the working set with
   HiGHS (:func:`scipy.optimize.linprog`); the row duals ``y <= 0`` price
   every allowed pair at once (vectorised: rows, columns, topic groups, and
   the quota blocks as one ``(n, K) @ (K, m)`` product). Pairs of negative
   reduced cost join the set, until none is left (or a few rounds passed).
2. *Integer solve.* The integer program on the working set, exactly as the
   ``milp`` method solves it (HiGHS, ``mip_rel_gap=0``), gives ``z``.
3. *Proof.* For any duals ``y <= 0`` and any feasible ``v`` over *all*
   allowed pairs, ``cost @ v >= L(y) = y @ b + sum(min(d, 0) * upper)``
   (weak duality, with ``d = cost - A.T @ y`` the reduced costs), and a
   solution that uses pair ``e`` with ``d_e >= 0`` costs at least
   ``L(y) + d_e``. So every pair with ``L(y) + d_e > z`` is in no solution
   as good as ``z`` and is dropped for this level and all later ones (a
   later level only looks at this level's optima). When the level's costs
   are integers and ``z - L(y) < 1``, ``z`` is proved optimal as it stands.
   Otherwise every pair not dropped joins the set and the integer program is
   solved once more: now it sees every pair that can matter, so its optimum
   is the optimum over all pairs.

The bound is computed here from the duals, not read from HiGHS, so the proof
does not rest on the LP being solved to optimality (an inexact LP only
weakens the bound and keeps more pairs), and a margin covers rounding in
the sums. Only the integer optimum on the working set is taken from HiGHS,
as the ``milp`` method takes it.

Quota rows make the LP fractional only in a few pairs, so its bound is close
to the integer optimum and almost every pair is dropped at the last level;
the integer programs stay a few times larger than the number of rows.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from revmatch.solvers._assignment import SolverError
from revmatch.solvers._network import integer_weights, max_cardinality, pairs_from_mask
from revmatch.solvers._problem import BoolArray, FloatArray, IntpArray, Problem

__all__ = ["QuotaStats", "solve_quota_columns"]

Pairs = tuple[IntpArray, IntpArray]

#: As in :mod:`revmatch.solvers._milp`: integer weights stay below this.
_WEIGHT_LIMIT = 2**30
#: Pairs per row and per column in the first working set (best weights).
_START = 6
#: Column-generation rounds per level before the proof step takes over.
_ROUNDS = 25


@dataclass
class QuotaStats:
    """What one solve did: working-set sizes, LP and integer runs, pairs dropped."""

    pairs: int = 0
    working_set: int = 0
    lp_runs: int = 0
    milp_runs: int = 0
    dropped: int = 0


@dataclass(frozen=True)
class _Row:
    """One quota row: ``sign * (count in block k - share * all pairs) [- slack] <= bound``."""

    quota: int
    sign: float
    share: float
    bound: float
    slack: int  # index of the shortfall variable, or -1


class _Program:
    """The lexicographic quota program over every allowed pair, solved on subsets."""

    def __init__(self, problem: Problem, mask: BoolArray) -> None:
        self.problem = problem
        self.pr, self.pc = pairs_from_mask(mask)
        n, m = problem.shape
        self.n, self.m = n, m
        e = self.pr.size
        self.gid = np.full(e, -1, dtype=np.intp)
        self.n_groups = 0
        if problem.pair_groups is not None:
            labels = problem.pair_groups[self.pr, self.pc]
            grouped = np.flatnonzero(labels >= 0)
            width = int(labels.max(initial=0)) + 1
            keys = self.pr[grouped].astype(np.int64) * width + labels[grouped]
            _, inverse = np.unique(keys, return_inverse=True)
            self.gid[grouped] = inverse.reshape(-1)
            self.n_groups = int(inverse.max()) + 1 if grouped.size else 0
        quotas = problem.quotas
        self.block_rows = np.stack([q.row_mask for q in quotas], axis=1).astype(float)
        self.block_cols = np.stack([q.col_mask for q in quotas], axis=1).astype(float)
        rows: list[_Row] = []
        slack_max: list[float] = []
        for k, q in enumerate(quotas):
            if q.min > 0:
                rows.append(_Row(k, -1.0, 0.0, -float(q.min), len(slack_max)))
                slack_max.append(float(q.min))
            if q.max is not None:
                rows.append(_Row(k, 1.0, 0.0, float(q.max), -1))
            if q.min_share > 0:
                rows.append(_Row(k, -1.0, q.min_share, 0.0, -1))
            if q.max_share is not None:
                rows.append(_Row(k, 1.0, q.max_share, 0.0, -1))
        self.rows = rows
        self.slack_max = np.array(slack_max)
        self.n_s = len(slack_max)
        self.levels: list[tuple[FloatArray, FloatArray, float]] = []
        self.alive = np.ones(e, dtype=bool)
        # The pairs of a solution feasible for every level fixed so far (none
        # is feasible before any level: the shortfall variables absorb it).
        self.incumbent = np.zeros(e, dtype=bool)
        self.stats = QuotaStats(pairs=e)

    def fix_total(self, total: int) -> None:
        """With the number of pairs fixed at ``total``, shares become counts.

        ``count >= s * total`` is ``count >= ceil(s * total)`` for an integer
        count, and ``count <= s * total`` is ``count <= floor(s * total)``:
        the same integer solutions, but 0/1 rows with a tighter relaxation.
        """
        rows = []
        for row in self.rows:
            if row.share:
                limit = row.share * total
                bound = -math.ceil(limit - 1e-9) if row.sign < 0 else math.floor(limit + 1e-9)
                row = _Row(row.quota, row.sign, 0.0, float(bound), -1)
            rows.append(row)
        self.rows = rows
        # The total must stay exactly ``total`` for the counts to mean the shares.
        self.levels.append((np.ones(self.pr.size), np.zeros(self.n_s), float(total)))

    # -- the constraint system on a subset of pairs ------------------------------------

    def _inside(self, k: int, idx: IntpArray) -> FloatArray:
        q = self.problem.quotas[k]
        return (q.row_mask[self.pr[idx]] & q.col_mask[self.pc[idx]]).astype(float)

    def system(self, idx: IntpArray) -> tuple[sp.csr_array, FloatArray]:
        """``A_ub`` and ``b_ub`` over the pairs ``idx`` and the shortfall variables."""
        k = idx.size
        width = k + self.n_s
        cols = np.arange(k)
        pieces = [
            sp.csr_array((np.ones(k), (self.pr[idx], cols)), shape=(self.n, width)),
            sp.csr_array((np.ones(k), (self.pc[idx], cols)), shape=(self.m, width)),
        ]
        bounds = [
            self.problem.row_capacities.astype(float),
            self.problem.capacities.astype(float),
        ]
        if self.n_groups:
            g = self.gid[idx]
            inside = np.flatnonzero(g >= 0)
            pieces.append(
                sp.csr_array(
                    (np.ones(inside.size), (g[inside], inside)), shape=(self.n_groups, width)
                )
            )
            bounds.append(np.ones(self.n_groups))
        dense = np.zeros((len(self.rows) + len(self.levels), width))
        for r, row in enumerate(self.rows):
            dense[r, :k] = row.sign * (self._inside(row.quota, idx) - row.share)
            if row.slack >= 0:
                dense[r, k + row.slack] = -1.0
        for r, (cost_x, cost_s, _) in enumerate(self.levels, start=len(self.rows)):
            dense[r, :k] = cost_x[idx]
            dense[r, k:] = cost_s
        pieces.append(sp.csr_array(dense))
        bounds.append(np.array([row.bound for row in self.rows] + [b for *_, b in self.levels]))
        return sp.vstack(pieces, format="csr"), np.concatenate(bounds)

    def upper(self, k: int) -> FloatArray:
        return np.concatenate([np.ones(k), self.slack_max])

    # -- pricing and the bound ------------------------------------------------------

    def reduced(self, y: FloatArray, cost_x: FloatArray, cost_s: FloatArray) -> tuple[
        FloatArray, FloatArray, float
    ]:
        """Reduced costs of every allowed pair and shortfall variable, and ``y @ b``."""
        n, m, g = self.n, self.m, self.n_groups
        y_row, y_col, y_grp = y[:n], y[n : n + m], y[n + m : n + m + g]
        y_q = y[n + m + g : n + m + g + len(self.rows)]
        y_l = y[n + m + g + len(self.rows) :]
        weight = np.zeros(len(self.problem.quotas))
        shift = 0.0
        for r, row in enumerate(self.rows):
            weight[row.quota] += y_q[r] * row.sign
            shift += y_q[r] * row.sign * row.share
        d = cost_x - y_row[self.pr] - y_col[self.pc] + shift
        if g:
            grouped = self.gid >= 0
            d[grouped] -= y_grp[self.gid[grouped]]
        if weight.any():
            blocks = (self.block_rows * weight) @ self.block_cols.T
            d -= blocks[self.pr, self.pc]
        d_s = cost_s.copy()
        for r, row in enumerate(self.rows):
            if row.slack >= 0:
                d_s[row.slack] += y_q[r]
        for level, (lx, ls, _) in enumerate(self.levels):
            d -= y_l[level] * lx
            d_s -= y_l[level] * ls
        _, b = self.system(np.zeros(0, dtype=np.intp))
        return d, d_s, float(y @ b)

    # -- one level --------------------------------------------------------------------

    def lp(self, idx: IntpArray, cost_x: FloatArray, cost_s: FloatArray) -> FloatArray:
        a, b = self.system(idx)
        self.stats.lp_runs += 1
        c = np.concatenate([cost_x[idx], cost_s])
        bounds = [(0.0, float(u)) for u in self.upper(idx.size)]
        result = linprog(  # type: ignore[call-overload]
            c, A_ub=a, b_ub=b, bounds=bounds, method="highs"
        )
        if result.status != 0:
            raise SolverError(f"HiGHS did not solve the quota LP: {result.message}")
        duals: FloatArray = np.asarray(result.ineqlin.marginals, dtype=float)
        return np.minimum(duals, 0.0)

    def integer(
        self, idx: IntpArray, cost_x: FloatArray, cost_s: FloatArray, cutoff: float | None = None
    ) -> tuple[float, FloatArray]:
        """The integer optimum over the pairs ``idx``; ``cutoff``: a known value it reaches.

        The cutoff, a cost some solution over ``idx`` attains, is added as the
        row ``c @ v <= cutoff``: it removes no optimum and lets branch and bound
        prune from the start, as an incumbent would.
        """
        a, b = self.system(idx)
        self.stats.milp_runs += 1
        c = np.concatenate([cost_x[idx], cost_s])
        if c.size == 0:
            # No variable: the empty solution, if every row allows it.
            if (b < 0).any():
                raise SolverError("The quota program has no solution on an empty set of pairs.")
            return 0.0, c
        constraints = [LinearConstraint(a, -np.inf, b)]
        if cutoff is not None:
            constraints.append(LinearConstraint(c[None, :], -np.inf, cutoff))
        result = milp(
            c,
            integrality=np.ones(c.size, dtype=np.intp),
            bounds=Bounds(np.zeros(c.size), self.upper(idx.size)),
            constraints=constraints,
            options={"mip_rel_gap": 0.0, "presolve": True},
        )
        if result.status != 0 or result.x is None:
            raise SolverError(f"HiGHS did not prove an optimum: {result.message}")
        v = np.rint(np.asarray(result.x, dtype=float))
        return float(v @ c), v

    def level(
        self,
        work: BoolArray,
        cost_x: FloatArray,
        cost_s: FloatArray,
        known: float | None = None,
    ) -> tuple[float, FloatArray, IntpArray]:
        """Optimum of one level over every live pair; grows ``work`` in place.

        ``known`` is a lower bound on the level's optimum over all pairs (no
        shortfall; no more pairs than without quotas): an integer optimum on
        the working set that reaches it needs no further proof.
        """
        if known is not None:
            idx = np.flatnonzero(work)
            z, v = self.integer(idx, cost_x, cost_s)
            if z < known + 0.5:
                return self._keep(z, v, idx)
        limit = 4 * (self.n + self.m)
        y = np.zeros(0)
        for _ in range(_ROUNDS):
            y = self.lp(np.flatnonzero(work), cost_x, cost_s)
            d, _, _ = self.reduced(y, cost_x, cost_s)
            tol = 1e-9 * (1.0 + float(np.abs(cost_x).max(initial=0.0)))
            priced = np.flatnonzero(self.alive & ~work & (d < -tol))
            if not priced.size:
                break
            if priced.size > limit:
                priced = priced[np.argpartition(d[priced], limit)[:limit]]
            elif priced.size < limit // 4:
                # A few stragglers: the pairs next in price are the likely next
                # ones, so they join too, saving LP rounds of a few pairs each.
                near = np.flatnonzero(self.alive & ~work)
                if near.size > limit // 4:
                    near = near[np.argpartition(d[near], limit // 4)[: limit // 4]]
                priced = near
            work[priced] = True
        d, d_s, yb = self.reduced(y, cost_x, cost_s)
        bound = yb + float(np.minimum(d, 0.0)[self.alive].sum())
        bound += float(np.minimum(d_s, 0.0) @ self.slack_max)
        # A first integer solve on the pairs the LP prices at (about) zero and
        # those of a solution of the earlier levels (so that one exists) gives
        # a close incumbent z: then the bound drops far more pairs before the
        # integer program on every pair that can still matter.
        # If the seed's incumbent leaves more live pairs than the working set
        # holds, the working set's own optimum comes next, as a closer one.
        tol = 1e-9 * (1.0 + float(np.abs(cost_x).max(initial=0.0)))
        seed = self.alive & ((work & (d <= tol)) | self.incumbent)
        cutoff = None
        for tried in (seed, work):
            idx = np.flatnonzero(tried & self.alive)
            z, v = self.integer(idx, cost_x, cost_s, cutoff)
            cutoff = z
            margin = 1e-9 * (1.0 + abs(yb) + abs(z) + float(np.abs(d[self.alive]).sum()))
            if z - bound < 1.0 - margin:  # every level's costs are integers
                return self._keep(z, v, idx)
            drop = self.alive & (d > 0) & (bound + d > z + margin)
            self.stats.dropped += int(drop.sum())
            self.alive &= ~drop
            if not (self.alive & ~tried).any():
                # Every live pair was tried: z is the optimum over all pairs.
                return self._keep(z, v, idx)
            if np.count_nonzero(self.alive) <= 2 * np.count_nonzero(work & self.alive):
                break
        work |= self.alive
        work &= self.alive
        idx = np.flatnonzero(work)
        z, v = self.integer(idx, cost_x, cost_s, z)
        return self._keep(z, v, idx)

    def _keep(self, z: float, v: FloatArray, idx: IntpArray) -> tuple[float, FloatArray, IntpArray]:
        """Record the level's solution as the incumbent of the next level."""
        self.incumbent[:] = False
        self.incumbent[idx[v[: idx.size] > 0.5]] = True
        return z, v, idx


def _start(problem: Problem, pr: IntpArray, pc: IntpArray, ints: FloatArray) -> BoolArray:
    """The best few pairs of every row and every column (by integer weight)."""
    n, m = problem.shape
    work = np.zeros(pr.size, dtype=bool)
    for own, size in ((pr, n), (pc, m)):
        order = np.lexsort((-ints, own))  # by owner, best first
        starts = np.searchsorted(own[order], np.arange(size))
        rank = np.arange(pr.size) - starts[own[order]]
        work[order[rank < _START]] = True
    return work


def solve_quota_columns(
    problem: Problem,
    mask: BoolArray,
    cardinality_first: bool,
    stats: Callable[[QuotaStats], None] | None = None,
) -> Pairs:
    """Solve the ``milp`` method's lexicographic quota program over ``mask``, exactly.

    Same levels, same integer weights and the same HiGHS integer solves as
    :func:`revmatch.solvers._milp.solve_milp`, run on a working set of pairs
    with a proof that the pairs outside it cannot improve any level (see the
    module docs). ``stats``, when given, receives the sizes and run counts.
    """
    program = _Program(problem, mask)
    pr, pc = program.pr, program.pc
    empty = np.zeros(0, dtype=np.intp)
    if pr.size == 0:
        return empty, empty
    ints: NDArray[np.int64]
    ints, _ = integer_weights(problem.weights[pr, pc], _WEIGHT_LIMIT)
    work = _start(problem, pr, pc, ints.astype(float))
    zero_x, zero_s = np.zeros(pr.size), np.zeros(program.n_s)
    levels: list[tuple[FloatArray, FloatArray]] = []
    bounds: list[float] = []
    if program.n_s:
        levels.append((zero_x, np.ones(program.n_s)))
        bounds.append(0.0)
    if cardinality_first:
        levels.append((np.full(pr.size, -1.0), zero_s))
        bounds.append(-float(max_cardinality(problem, mask)))
    for (cost_x, cost_s), known in zip(levels, bounds, strict=True):
        best, _, _ = program.level(work, cost_x, cost_s, known)
        program.levels.append((cost_x, cost_s, best))
    if cardinality_first:
        program.fix_total(round(-program.levels[-1][2]))
    _, v, idx = program.level(work, -ints.astype(float), zero_s)
    program.stats.working_set = int(idx.size)
    if stats is not None:
        stats(program.stats)
    chosen = idx[v[: idx.size] > 0.5]
    return pr[chosen], pc[chosen]
