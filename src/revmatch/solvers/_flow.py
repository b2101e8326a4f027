"""Min-cost-flow methods: networkx's network simplex and OR-tools.

They work on the network of :mod:`revmatch.solvers._network` directly, so
capacities on both sides, many-to-many pairs and pair groups need no copying.
Costs must be integers: weights are scaled by :func:`integer_weights` (exact on
the 1e-6 score grid; otherwise within ``2k / scale`` of the optimum).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from revmatch.solvers._assignment import SolverError
from revmatch.solvers._network import Network, candidate_network, integer_weights
from revmatch.solvers._problem import BoolArray, Candidates, FloatArray, IntpArray, Problem

__all__ = ["flow_pairs", "ortools_pairs", "solve_flow", "solve_ortools"]

Pairs = tuple[IntpArray, IntpArray]
_EMPTY: Pairs = (np.zeros(0, np.intp), np.zeros(0, np.intp))


def _pair_costs(weights: FloatArray, net: Network, limit: int) -> NDArray[np.int64]:
    """Integer costs of every arc: minus the scaled weight on pair arcs, 0 elsewhere."""
    ints, _ = integer_weights(weights, limit)
    costs = np.zeros(net.tails.size, dtype=np.int64)
    costs[: net.n_pairs] = -ints
    return costs


def _chosen(net: Network, flow: NDArray[np.int64]) -> Pairs:
    used = np.flatnonzero(flow[: net.n_pairs] > 0)
    return net.pair_rows[used], net.pair_cols[used]


def solve_flow(problem: Problem, mask: BoolArray, cardinality_first: bool) -> Pairs:
    """Solve with networkx min-cost flow on the pairs of ``mask``; see :func:`flow_pairs`."""
    return flow_pairs(Candidates.of(problem, mask), cardinality_first)


def flow_pairs(candidates: Candidates, cardinality_first: bool) -> Pairs:
    """Solve with networkx min-cost flow (network simplex).

    ``cardinality_first``: :func:`networkx.max_flow_min_cost` (a maximum flow,
    then the cheapest flow of that value). Otherwise: a minimum-cost
    circulation with a free return arc sink -> source, which sends flow only
    along paths of negative cost, i.e. through pairs worth taking.
    """
    net = candidate_network(candidates)
    if net.n_pairs == 0:
        return _EMPTY
    # Python ints never overflow, but keep costs within exact float range too.
    costs = _pair_costs(candidates.weights, net, 2**52).tolist()
    graph: nx.DiGraph[int] = nx.DiGraph()
    graph.add_nodes_from(range(net.n_nodes))
    graph.add_edges_from(
        (t, h, {"capacity": c, "weight": w})
        for t, h, c, w in zip(
            net.tails.tolist(), net.heads.tolist(), net.caps.tolist(), costs, strict=True
        )
    )
    if cardinality_first:
        flow_dict = nx.max_flow_min_cost(graph, net.source, net.sink)
    else:
        graph.add_edge(net.sink, net.source, capacity=int(net.caps.sum()), weight=0)
        flow_dict = nx.min_cost_flow(graph)
    flow = np.fromiter(
        (flow_dict[t][h] for t, h in zip(net.tails.tolist(), net.heads.tolist(), strict=True)),
        dtype=np.int64,
        count=net.tails.size,
    )
    return _chosen(net, flow)


def _import_ortools() -> tuple[object, object]:
    try:
        from ortools.graph.python import linear_sum_assignment, min_cost_flow
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError(
            "The 'ortools' method needs OR-tools: pip install 'revmatch[fast]'"
        ) from exc
    return linear_sum_assignment, min_cost_flow


def _ortools_limit(n_nodes: int, factor: int = 1) -> int:
    """Largest |cost| OR-tools can take without overflow.

    Its cost-scaling algorithms multiply costs by ``n_nodes + 1`` and add up
    to ``n_nodes`` of them in a path; ``2**62`` leaves a factor of two of
    headroom in int64. ``factor`` reserves room for a cardinality term.
    """
    return max(1, min(2**40, 2**62 // ((n_nodes + 1) ** 2)) // factor)


def _ortools_flow(candidates: Candidates, cardinality_first: bool) -> Pairs:
    _, min_cost_flow = _import_ortools()
    net = candidate_network(candidates)
    if net.n_pairs == 0:
        return _EMPTY
    costs = _pair_costs(candidates.weights, net, _ortools_limit(net.n_nodes))
    tails, heads, caps = net.tails, net.heads, net.caps.astype(np.int64)
    total = int(caps[net.n_pairs :].sum())
    solver = min_cost_flow.SimpleMinCostFlow()  # type: ignore[attr-defined]
    if cardinality_first:
        solver.add_arcs_with_capacity_and_unit_cost(
            tails.astype(np.int32), heads.astype(np.int32), caps, costs
        )
        solver.set_node_supply(net.source, total)
        solver.set_node_supply(net.sink, -total)
        status = solver.solve_max_flow_with_min_cost()
    else:
        # A free return arc turns the problem into a min-cost circulation.
        solver.add_arcs_with_capacity_and_unit_cost(
            np.append(tails, net.sink).astype(np.int32),
            np.append(heads, net.source).astype(np.int32),
            np.append(caps, total),
            np.append(costs, 0),
        )
        status = solver.solve()
    if status != solver.OPTIMAL:
        raise SolverError(f"OR-tools min-cost flow ended with status {status}.")
    flow = np.asarray(solver.flows(np.arange(net.n_pairs, dtype=np.int32)), dtype=np.int64)
    return _chosen(net, flow)


@dataclass(frozen=True)
class _Arcs:
    """A unit-capacity candidate graph in OR-tools' form.

    ``left``/``right`` (int32) number the arcs' rows and columns among the
    rows and columns that have a candidate (``rows_used``, ``cols_used``, in
    the problem's numbering); ``weights`` are the arcs' weights.
    """

    rows_used: IntpArray
    cols_used: IntpArray
    left: NDArray[np.int32]
    right: NDArray[np.int32]
    weights: FloatArray


def _renumber(index: IntpArray, degree: IntpArray) -> tuple[IntpArray, NDArray[np.int32]]:
    """Rows (or columns) with a candidate, and ``index`` renumbered over them, in int32."""
    used = np.flatnonzero(degree).astype(np.intp, copy=False)
    if used.size == degree.size:  # every one has a candidate: nothing to renumber
        return used, index.astype(np.int32)
    return used, (np.cumsum(degree > 0) - 1).astype(np.int32)[index]


def _candidate_arcs(candidates: Candidates) -> _Arcs:
    """Arcs of a candidate list."""
    c = candidates
    n, m = c.shape
    row_deg, col_deg = c.degrees if not c.complete else (np.ones(n, np.intp), np.ones(m, np.intp))
    rows_used, left = _renumber(c.rows, row_deg)
    cols_used, right = _renumber(c.cols, col_deg)
    return _Arcs(rows_used, cols_used, left, right, c.weights)


def _mask_arcs(problem: Problem, mask: BoolArray) -> _Arcs:
    """Arcs of the pairs of a dense mask, built in int32 straight from the mask.

    Row-major like :meth:`Candidates.of`, without its intp row and column
    lists: about half the time at 1000 x 1000 with 30% of the pairs forbidden.
    The rows come out renumbered: each used row's rank is repeated once per
    candidate.
    """
    n, m = problem.shape
    if problem.full(mask):
        # Every cell is an arc: the lists follow from the shape, and the
        # weights are the matrix itself (no index list, no gather).
        every = np.arange(max(n, m), dtype=np.int32)
        return _Arcs(
            np.arange(n, dtype=np.intp),
            np.arange(m, dtype=np.intp),
            np.repeat(every[:n], m),
            np.tile(every[:m], n),
            problem.weights.reshape(-1),
        )
    per_row = np.count_nonzero(mask, axis=1)
    flat = np.flatnonzero(mask)
    rows_used = np.flatnonzero(per_row).astype(np.intp, copy=False)
    counts = per_row[rows_used]
    left = np.repeat(np.arange(rows_used.size, dtype=np.int32), counts)
    cols = flat - np.repeat(rows_used * m, counts)  # column of each arc
    cols_used, right = _renumber(cols, np.count_nonzero(mask, axis=0))
    return _Arcs(rows_used, cols_used, left, right, problem.weights.reshape(-1).take(flat))


def _ortools_assignment(arcs: _Arcs) -> Pairs | None:
    """OR-tools' linear sum assignment when a matching covers a side; else None.

    ``SimpleLinearSumAssignment`` needs a perfect matching of a square graph.
    With unit capacities and ``p`` rows, ``q`` columns (``p <= q``), add
    ``q - p`` dummy rows joined to every column at cost 0: the perfect
    matchings of that graph are exactly the matchings that cover every real
    row, which are the maximum ones when such a matching exists. The dummy
    rows add ``(q - p) q`` arcs, so this is used only while that stays small.
    When no matching covers the rows, OR-tools reports the problem infeasible
    and None sends the caller to min-cost flow (trying first is cheaper than
    checking first, and covering is the common case).
    """
    linear_sum_assignment, _ = _import_ortools()
    p, q = arcs.rows_used.size, arcs.cols_used.size
    left, right = arcs.left, arcs.right
    transposed = p > q
    if transposed:
        p, q = q, p
        left, right = right, left
    if p == 0:
        return _EMPTY
    if (q - p) * q > left.size:
        return None
    costs, _ = integer_weights(arcs.weights, _ortools_limit(2 * q))
    np.negative(costs, out=costs)
    solver = linear_sum_assignment.SimpleLinearSumAssignment()  # type: ignore[attr-defined]
    if q > p:
        left = np.concatenate([left, np.repeat(np.arange(p, q, dtype=np.int32), q)])
        right = np.concatenate([right, np.tile(np.arange(q, dtype=np.int32), q - p)])
        costs = np.concatenate([costs, np.zeros((q - p) * q, np.int64)])
    solver.add_arcs_with_cost(left, right, costs)
    status = solver.solve()
    if status == solver.INFEASIBLE:
        return None
    if status != solver.OPTIMAL:
        raise SolverError(f"OR-tools linear sum assignment ended with status {status}.")
    a = np.arange(p, dtype=np.intp)
    # right_mate takes one node at a time; map() is the cheapest loop over it.
    b = np.fromiter(map(solver.right_mate, range(p)), dtype=np.intp, count=p)
    if transposed:
        a, b = b, a
    return arcs.rows_used[a], arcs.cols_used[b]


def ortools_assignment(problem: Problem, mask: BoolArray) -> Pairs | None:
    """OR-tools' linear sum assignment on a unit problem, None when it does not apply.

    The first step of :func:`solve_ortools` for ``coverage_then_score``: None
    when no matching covers the smaller side (or the dummy arcs that would
    need are too many), where min-cost flow takes over.
    """
    return _ortools_assignment(_mask_arcs(problem, mask))


def solve_ortools(problem: Problem, mask: BoolArray, cardinality_first: bool) -> Pairs:
    """Solve with OR-tools: linear sum assignment where it applies, min-cost flow otherwise.

    ``SimpleLinearSumAssignment`` (cost scaling, Goldberg–Kennedy) serves
    unit-capacity ``coverage_then_score`` problems in which one side can be
    matched completely; everything else (capacities, pair groups, partial
    coverage, ``max_score``) goes to ``SimpleMinCostFlow``:
    ``solve_max_flow_with_min_cost`` for ``cardinality_first``, a min-cost
    circulation otherwise.
    """
    if cardinality_first and problem.unit:
        done = ortools_assignment(problem, mask)
        if done is not None:
            return done
    return _ortools_flow(Candidates.of(problem, mask), cardinality_first)


def ortools_pairs(candidates: Candidates, cardinality_first: bool) -> Pairs:
    """:func:`solve_ortools` on a candidate list."""
    if cardinality_first and candidates.unit:
        done = _ortools_assignment(_candidate_arcs(candidates))
        if done is not None:
            return done
    return _ortools_flow(candidates, cardinality_first)
