"""Assignments that keep all but at most ``k`` of given pairs (:class:`ChangeBudget`).

The problem is that of :func:`~revmatch.solvers.solve` with one more
constraint: of the budget pairs ``P``, at least ``|P| - k`` are chosen. It is
solved exactly in up to three steps, each stopping as soon as it proves an
optimum (recorded in :attr:`Assignment.budget_step`):

1. ``"unconstrained"``: the optimum without the bound keeps enough pairs.
2. ``"lagrangian"``: the kept count of the optimum with a bonus ``mu`` on the
   pairs of ``P`` never falls as ``mu`` grows; a parametric search on ``mu``
   (each step one exact solve of the method) looks for an optimum that keeps
   exactly ``|P| - k`` pairs, which is optimal for the bounded problem by weak
   duality.
3. ``"integer_program"``: when the kept count jumps over ``|P| - k`` (a
   duality gap), when fewer pairs can stay at full coverage, or for
   ``maximin``, HiGHS decides (:func:`scipy.optimize.milp`).

References
----------
.. [1] Fisher, M. L. (1981). The Lagrangian relaxation method for solving
   integer programming problems. Management Science 27(1), 1-18.
   https://doi.org/10.1287/mnsc.27.1.1
.. [2] Huangfu, Q., Hall, J. A. J. (2018). Parallelizing the dual revised
   simplex method. Mathematical Programming Computation 10, 119-142.
   https://doi.org/10.1007/s12532-017-0130-5
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp

from revmatch._arrays import sorted_unique
from revmatch.exceptions import InfeasibleError, InvalidInputError
from revmatch.solvers._assignment import Assignment, ChangeBudget, Quota, SolverError
from revmatch.solvers._network import integer_weights
from revmatch.solvers._problem import BoolArray, FloatArray, IntpArray

__all__ = ["BudgetCall", "solve_budget"]

#: Integer weights stay below this, well inside HiGHS's exact float integers.
_WEIGHT_LIMIT = 2**30

Solver = Callable[..., Assignment]


@dataclass(frozen=True)
class BudgetCall:
    """One bounded problem: the arrays of the :func:`solve` call and the budget.

    ``feasible``, ``capacities`` and ``row_capacities`` are the caller's
    arrays as given (already checked by :func:`solve`); ``keep_rows`` and
    ``keep_cols`` the budget pairs.
    """

    weights: FloatArray
    feasible: BoolArray
    capacities: NDArray[np.int64]
    row_capacities: NDArray[np.int64] | None
    pair_groups: IntpArray | None
    objective: str
    method: str
    strict: bool
    keep_rows: IntpArray
    keep_cols: IntpArray
    max_changes: int

    @property
    def target(self) -> int:
        """The fewest budget pairs that must be chosen."""
        return int(self.keep_rows.size - self.max_changes)

    def run(self, solve: Solver, weights: FloatArray, feasible: BoolArray) -> Assignment:
        """One unbounded solve of the call's problem with other weights and mask."""
        extra: dict[str, Any] = {}
        if self.row_capacities is not None:
            extra["row_capacities"] = self.row_capacities
        if self.pair_groups is not None:
            extra["pair_groups"] = self.pair_groups
        return solve(
            weights,
            feasible=feasible,
            capacities=self.capacities,
            objective=self.objective,
            method=self.method,
            strict=self.strict,
            **extra,
        )


def check_budget(budget: ChangeBudget, shape: tuple[int, int]) -> tuple[IntpArray, IntpArray, int]:
    """The budget's pairs as index arrays and its ``max_changes``, checked.

    Raises
    ------
    InvalidInputError
        If an index is out of range, a pair is listed twice, the lengths
        differ or ``max_changes`` is not an integer >= 0.
    """
    k = budget.max_changes
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 0:
        raise InvalidInputError(f"budget.max_changes must be an integer >= 0. Got {k!r}.")
    try:
        rows = np.asarray(budget.rows, dtype=np.intp).reshape(-1)
        cols = np.asarray(budget.cols, dtype=np.intp).reshape(-1)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"budget.rows and budget.cols must be integers: {exc}.") from exc
    if rows.shape != cols.shape:
        raise InvalidInputError(
            f"budget.rows and budget.cols must have the same length. Got {rows.size} and "
            f"{cols.size}."
        )
    n, m = shape
    outside = np.flatnonzero((rows < 0) | (rows >= n) | (cols < 0) | (cols >= m))
    if outside.size:
        p = int(outside[0])
        raise InvalidInputError(
            f"budget pair ({rows[p]}, {cols[p]}) is outside the {n}x{m} matrix."
        )
    if sorted_unique(rows.astype(np.int64) * max(m, 1) + cols).size != rows.size:
        raise InvalidInputError("budget lists a pair twice.")
    return rows, cols, int(k)


def _kept(call: BudgetCall, found: Assignment, keys: NDArray[np.int64]) -> int:
    width = max(call.weights.shape[1], 1)
    return int(np.isin(found.rows.astype(np.int64) * width + found.cols, keys).sum())


def solve_budget(call: BudgetCall, solve: Solver) -> Assignment:
    """The best assignment that keeps at least ``call.target`` budget pairs.

    ``solve`` is :func:`~revmatch.solvers.solve` itself (without a budget),
    which the Lagrangian steps call. See the module notes for the steps.

    Raises
    ------
    InfeasibleError
        If no assignment keeps enough pairs (naming the most that can stay),
        or with ``strict`` when not every row can get all its partners.
    """
    weights = call.weights
    width = max(weights.shape[1], 1)
    keys = sorted_unique(call.keep_rows.astype(np.int64) * width + call.keep_cols)
    target = call.target
    # With max_score, pairs of weight <= 0 are never chosen; fixing that mask
    # keeps the relaxed problems' feasible set equal to the constrained one.
    mask = call.feasible & (weights > 0) if call.objective == "max_score" else call.feasible

    def run(bonus: float, base: FloatArray = weights) -> tuple[Assignment, int, float]:
        """Optimum with ``bonus`` more on the pairs: (solution, kept, total without bonus)."""
        w = base.copy()
        w[call.keep_rows, call.keep_cols] += bonus
        out = call.run(solve, w, mask)
        return out, _kept(call, out, keys), math.fsum(base[out.rows, out.cols].tolist())

    found, kept, total = run(0.0)
    if kept >= target:
        return replace(found, budget_step="unconstrained")
    # The most pairs that can stay at full coverage: if that is below the
    # target, coverage itself must give way, which only the integer program
    # (limit first, coverage second) can decide.
    if call.objective != "maximin" and run(1.0, np.zeros_like(weights))[1] >= target:
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
                return _restate(call, found, "lagrangian", bonus)
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
    if call.objective == "maximin":
        return replace(_maximin_milp(call, solve), budget_step="integer_program")
    return _budget_milp(call, mask)


def _restate(call: BudgetCall, found: Assignment, step: str, bonus: float) -> Assignment:
    """``found`` (solved with a bonus) with its total in the caller's weights."""
    total = math.fsum(call.weights[found.rows, found.cols].tolist())
    return replace(found, total=total, budget_step=step, multiplier=bonus)


def _not_met(call: BudgetCall, most: int) -> InfeasibleError:
    return InfeasibleError(
        f"max_changes={call.max_changes} cannot be met: of the {call.keep_rows.size} budget "
        f"pairs, at most {most} can stay together with the capacities and other constraints; "
        f"allow at least {int(call.keep_rows.size) - most} change(s)",
        rows=call.keep_rows.tolist(),
        cols=call.keep_cols.tolist(),
    )


def _budget_milp(call: BudgetCall, mask: BoolArray) -> Assignment:
    """The integer program of a bounded problem, one binary per allowed pair.

    Rows, columns and pair groups are bounded as in the ``milp`` method; one
    more row asks for at least ``call.target`` budget pairs. Solved
    lexicographically with HiGHS: the most budget pairs first (to name the
    most that can stay when the target cannot be met), then the most pairs
    (unless ``max_score``), then the largest total of the weights scaled
    exactly to integers (:func:`integer_weights`). The count's optimum is
    fixed as an equality: the same set as ``>=`` at an optimum, and far
    easier for HiGHS's branch and bound.
    """
    weights = call.weights
    pr, pc = np.nonzero(mask)
    n, m = weights.shape
    e = pr.size
    index = np.arange(e)
    row_capacities = (
        np.ones(n, dtype=np.int64) if call.row_capacities is None else call.row_capacities
    )
    blocks = [
        sp.csr_array((np.ones(e), (pr, index)), shape=(n, e)),
        sp.csr_array((np.ones(e), (pc, index)), shape=(m, e)),
    ]
    upper = [row_capacities.astype(float), call.capacities.astype(float)]
    if call.pair_groups is not None:
        labels = call.pair_groups[pr, pc]
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
        pr.astype(np.int64) * width + pc, call.keep_rows.astype(np.int64) * width + call.keep_cols
    ).astype(float)
    target = call.target
    bounded = LinearConstraint(sp.vstack(blocks, format="csr"), -np.inf, np.concatenate(upper))
    integral = np.ones(e, dtype=np.intp)

    def best(cost: FloatArray, *more: LinearConstraint) -> OptimizeResult:
        found = milp(
            cost,
            integrality=integral,
            bounds=Bounds(0, 1),
            constraints=[bounded, *more],
            options={"mip_rel_gap": 0.0, "presolve": True},
        )
        if found.status != 0 or found.x is None:
            raise SolverError(f"HiGHS did not prove an optimum: {found.message}")
        return found

    most = round(-float(best(-keep).fun)) if e else 0
    if most < target:
        raise _not_met(call, most)
    levels = [LinearConstraint(keep[None, :], target, np.inf)]
    if call.objective != "max_score":
        count = float(np.rint(-best(-np.ones(e), *levels).fun))
        levels.append(LinearConstraint(np.ones((1, e)), count, count))
    ints, _ = integer_weights(weights[pr, pc], _WEIGHT_LIMIT)
    found = best(-ints.astype(float), *levels)
    chosen = np.flatnonzero(np.asarray(found.x) > 0.5)
    rows, cols = pr[chosen].astype(np.intp), pc[chosen].astype(np.intp)
    short = np.flatnonzero(np.bincount(rows, minlength=n) < np.minimum(row_capacities, m))
    if call.strict and short.size:
        shown = ", ".join(str(int(r)) for r in short[:10]) + (", ..." if short.size > 10 else "")
        raise InfeasibleError(
            f"strict=True, but with max_changes={call.max_changes} rows [{shown}] "
            "cannot get all their partners",
            rows=short.tolist(),
        )
    total = math.fsum(weights[rows, cols].tolist())
    return Assignment(rows, cols, total, "milp", call.objective, True, "integer_program")


def _maximin_milp(call: BudgetCall, solve: Solver) -> Assignment:
    """``maximin`` with the bound, as quotas of the ``milp`` method.

    Each column with budget pairs gets a second, "keep" column that holds
    only those pairs; the pair is forbidden in the column itself. A quota per
    such column bounds both copies together by its capacity, and a quota over
    all keep columns asks for at least ``call.target`` pairs.
    """
    weights = call.weights
    n, m = weights.shape
    capacities = call.capacities
    mentors, slot = np.unique(call.keep_cols, return_inverse=True)
    slot = slot.reshape(-1)
    p = mentors.size
    wide_weights = np.zeros((n, m + p), dtype=np.float64)
    wide_weights[:, :m] = weights
    wide_weights[call.keep_rows, m + slot] = weights[call.keep_rows, call.keep_cols]
    wide_feasible = np.zeros((n, m + p), dtype=bool)
    wide_feasible[:, :m] = call.feasible
    wide_feasible[call.keep_rows, call.keep_cols] = False
    wide_feasible[call.keep_rows, m + slot] = True
    quotas = [
        Quota(f"capacity of column {c}", cols=[c, m + j], max=int(capacities[c]))
        for j, c in enumerate(mentors.tolist())
    ]
    quotas.append(
        Quota(
            f"at most {call.max_changes} budget pair(s) change",
            cols=np.arange(m, m + p),
            min=call.target,
        )
    )
    extra: dict[str, Any] = {}
    if call.row_capacities is not None:
        extra["row_capacities"] = call.row_capacities
    if call.pair_groups is not None:
        extra["pair_groups"] = np.concatenate(
            [call.pair_groups, call.pair_groups[:, mentors]], axis=1
        )
    assignment = solve(
        wide_weights,
        feasible=wide_feasible,
        capacities=np.concatenate([capacities, capacities[mentors]]),
        objective=call.objective,
        method="milp",
        strict=call.strict,
        quotas=quotas,
        **extra,
    )
    chosen = np.asarray(assignment.cols)
    cols = np.where(chosen >= m, mentors[np.maximum(chosen - m, 0)], chosen).astype(np.intp)
    rows = np.asarray(assignment.rows, dtype=np.intp)
    kept = int((chosen >= m).sum())
    if kept < call.target:
        raise _not_met(call, kept)
    return Assignment(
        rows, cols, math.fsum(weights[rows, cols].tolist()), assignment.method, call.objective
    )
