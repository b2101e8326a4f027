"""Solve a candidate graph exactly and prove the result optimal for the full problem.

The problem
-----------
Choose pairs ``x_ij in {0, 1}`` maximising ``sum w_ij x_ij`` such that
executive ``i`` has at most ``r_i`` pairs, mentor ``j`` at most ``c_j``, and
(with several mentors per executive) at most one pair per topic group
``(i, l)``. Only *allowed* pairs may be chosen. ``coverage_then_score``
maximises the number of pairs first; it is the same problem with every
weight raised by ``S = B - w_min``, where ``B > K * (w_max - w_min)`` for
``K`` the most pairs any assignment can have, so that one more pair always
outweighs any gain in weight (the argument of
:func:`revmatch.solvers._dense.assignment_matrix`). ``w_min`` and ``w_max``
are bounds over *all* pairs of the program, so the shift is the same for the
candidate graph and the full problem.

The certificate
---------------
The linear relaxation of the full problem is

    max  sum w_ij x_ij
    s.t. sum_j x_ij <= r_i,  sum_i x_ij <= c_j,  sum_{j in l} x_ij <= 1,  0 <= x <= 1

and its dual is: prices ``u_i, g_il, v_j, z_ij >= 0`` with
``u_i + g_il + v_j + z_ij >= w_ij`` for every allowed pair, minimising
``D = sum r_i u_i + sum g_il + sum c_j v_j + sum z_ij``. By weak duality any
feasible dual bounds every assignment: ``sum w x <= D``. So an assignment
``x`` of the candidate graph is optimal for the *full* problem as soon as a
dual exists that

1. satisfies the constraint for every candidate pair,
2. satisfies it for every pruned allowed pair, with ``z_ij = 0``, and
3. has ``D`` equal to the weight of ``x``.

Here the dual comes from the solver layer:
:func:`revmatch.solvers.solve_with_duals` solves the candidate graph and reads
an optimal dual off the residual network of its flow, checking conditions 1
and 3 (dual feasibility on the graph, complementary slackness) in exact
integer arithmetic. Its potentials are shortest distances from the source,
the pointwise largest feasible ones, so the executives' prices are as large
and the mentors' as small as any optimal dual allows (``u_i`` is what the
optimum loses without executive ``i``), which is what condition 2 needs: most
mentors are then free (``v_j = 0``), and an executive's price is close to the
value of its own pair. This module checks condition 2 per executive against
the bound of its pruned pairs, and where the bound is too loose by walking its
pairs again
(:meth:`ProgramCandidates.expand`). Where it fails, the executive's list is
*widened* (doubled, see :func:`certify`); pairs that break condition 2 join
the graph and the graph is solved again. Lists only grow, so the loop ends,
with an assignment that is optimal for the full problem.

Units
-----
Weights, bounds and prices are integers in units of
:func:`revmatch.scale._pairs.objective_decimals`, which hold every objective
weight of the dense path exactly (score, priority and repeat bonus), so the
checks above are exact comparisons of the true weights ``w_ij`` with
``u_i + g_il + v_j``: not of weights rounded to the score grid, which can tie
pairs the true objective tells apart. (Only a bonus with more than 12
decimals is rounded to ``1e-12``; the audit's ``tolerance`` then says how far
the certified total may be from the true optimum.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from revmatch.solvers import METHODS as SOLVER_METHODS
from revmatch.solvers import DualSolution, PairGraph, solve_with_duals

__all__ = [
    "METHODS",
    "SPARSE_NEEDS_ONE",
    "Certified",
    "Graph",
    "certify",
]

IntpArray = NDArray[np.intp]
Int64Array = NDArray[np.int64]

Graph = PairGraph
"""The candidate graph: :class:`revmatch.solvers.PairGraph`."""

METHODS: tuple[str, ...] = (
    "auto",
    *(name for name, info in SOLVER_METHODS.items() if "duals" in info.features),
)
"""Solver methods of the candidate graph (``MatchConfig.method`` in candidate mode):
``"auto"`` and the registry's methods with the feature ``"duals"``."""

SPARSE_NEEDS_ONE = (
    "Method 'sparse' needs one mentor per executive in candidate mode; methods that "
    "can: ortools, flow (or method='auto')."
)


@dataclass(frozen=True)
class Certified:
    """The certified assignment and how it was reached.

    Attributes
    ----------
    rows, cols : ndarray of intp
        Chosen pairs, sorted by (row, col).
    weights : ndarray of int64
        Their objective weights (unshifted units).
    certified : bool
        Always True on return (the loop only ends with a certificate).
    rounds : int
        Solves of the candidate graph.
    n_candidates : int
        Pairs in the final graph.
    widened : int
        Executives whose pairs were walked again beyond the first ``k``.
    method : str
        The graph solver used.
    """

    rows: IntpArray
    cols: IntpArray
    weights: Int64Array
    certified: bool
    rounds: int
    n_candidates: int
    widened: int
    method: str


Expand = Callable[
    [IntpArray, Int64Array, Callable[[IntpArray, IntpArray], Int64Array], Int64Array],
    tuple[IntpArray, IntpArray, Int64Array, Int64Array, Int64Array],
]


def certify(
    graph: Graph,
    bound: Int64Array,
    keep: Int64Array,
    shift: int,
    cardinality_first: bool,
    method: str,
    expand: Expand,
    labels: Callable[[IntpArray, IntpArray], IntpArray] | None = None,
) -> Certified:
    """Solve, check the certificate, widen where it fails, repeat.

    Parameters
    ----------
    graph : Graph
        Candidate pairs with *unshifted* weights.
    bound : ndarray of int64
        Per executive, an upper bound of every pruned allowed pair's weight.
    keep : ndarray of int64
        Per executive, the length of its candidate list (``k`` per place).
    shift : int
        ``S`` of the module notes (0 for ``max_score``).
    cardinality_first : bool
        ``coverage_then_score``.
    method : str
        Graph solver, one of :data:`METHODS`.
    expand : callable
        ``expand(execs, threshold, dual, keep) -> (rows, cols, weights, bound,
        violations)``: the ``keep`` best allowed pairs of each executive with
        weight above ``threshold`` (unshifted), the new bound of the pairs it
        leaves out, and per executive how many of those pairs weigh more than
        ``threshold + dual(r, c)``.
    labels : callable, optional
        ``labels(r, c)``: topic group of pairs, when executives take several
        mentors.

    Returns
    -------
    Certified

    Notes
    -----
    An executive fails the check when its bound exceeds its price. Its list
    is then doubled (the walk keeps twice as many pairs, still only above the
    price), until the pairs it leaves out all lie below the price, or some
    pair breaks the dual constraint: those pairs join the graph, which is
    solved again. Lists only grow and are at most as long as the executive's
    allowed pairs, so the loop ends; when it does, every pruned pair satisfies
    the dual constraint and the assignment is optimal for the full problem.
    """
    rows, cols, raw = graph.rows, graph.cols, graph.weights
    bound = bound.copy()
    keep = keep.astype(np.int64).copy()
    rounds = 0
    widened: set[int] = set()
    while True:
        rows, cols, raw = _dedupe(rows, cols, raw, graph.n_cols)
        current = PairGraph(
            graph.n_rows,
            graph.n_cols,
            rows,
            cols,
            raw,
            graph.row_capacities,
            graph.capacities,
            None if labels is None else labels(rows, cols),
        )
        sol = solve_with_duals(
            current,
            shift=shift,
            objective="coverage_then_score" if cardinality_first else "max_score",
            method=method,
        )
        rounds += 1
        # Unshifted threshold of each executive: u_i + g + v_j >= w_ij + S.
        theta = sol.u - shift
        pending = np.flatnonzero(bound > theta)
        widened.update(pending.tolist())

        def dual(r: IntpArray, c: IntpArray, sol: DualSolution = sol) -> Int64Array:
            extra = sol.v[c]
            if labels is not None:
                extra = extra + sol.group_price(r, labels(r, c))
            return extra

        broken = False
        added: list[tuple[IntpArray, IntpArray, Int64Array]] = []
        while pending.size and not broken:
            keep[pending] *= 2
            new_r, new_c, new_w, new_bound, violations = expand(
                pending, theta[pending], dual, keep[pending]
            )
            bound[pending] = new_bound
            added.append((new_r, new_c, new_w))
            broken = bool(violations.any())
            pending = pending[new_bound > theta[pending]]
        if not broken:
            break
        rows = np.concatenate([rows, *(a[0] for a in added)])
        cols = np.concatenate([cols, *(a[1] for a in added)])
        raw = np.concatenate([raw, *(a[2] for a in added)])
    chosen = sol.chosen
    order = np.lexsort((cols[chosen], rows[chosen]))
    pick = chosen[order]
    return Certified(
        rows=rows[pick],
        cols=cols[pick],
        weights=raw[pick],
        certified=True,
        rounds=rounds,
        n_candidates=int(rows.size),
        widened=len(widened),
        method=sol.method,
    )


def _dedupe(
    rows: IntpArray, cols: IntpArray, weights: Int64Array, n_cols: int
) -> tuple[IntpArray, IntpArray, Int64Array]:
    keys = rows.astype(np.int64) * max(n_cols, 1) + cols
    _, first = np.unique(keys, return_index=True)
    return rows[first], cols[first], weights[first]
