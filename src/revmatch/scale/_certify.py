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

Here the dual comes from the optimal flow: node potentials ``p`` with
non-negative reduced costs on the residual network (``p(x) = dist(s, x)``,
shortest distances from the source, which exist because an optimal flow
leaves no negative cycle) give ``u_i = p(i) - p(s)``, ``g_il = p(il) - p(i)``,
``v_j = p(s) - p(j)`` clipped at 0 and ``z_ij = w_ij - u_i - g_il - v_j`` on
chosen pairs; complementary slackness makes ``D`` equal to the weight of
``x``. Shortest distances are the pointwise largest feasible potentials with
``p(s) = 0``, so the executives' prices are as large and the mentors' as
small as any optimal dual allows (``u_i`` is what the optimum loses without
executive ``i``), which is what condition 2 needs: most mentors are then
free (``v_j = 0``), and an executive's price is close to the value of its own
pair. Conditions 1 and 3 are checked in exact integer arithmetic;
condition 2 is checked per executive against the bound of its pruned pairs,
and where the bound is too loose by walking its pairs again
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

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import maximum_bipartite_matching, min_weight_full_bipartite_matching

from revmatch.exceptions import InvalidInputError
from revmatch.solvers import SolverError
from revmatch.solvers._network import exact_float_limit

__all__ = [
    "METHODS",
    "SPARSE_NEEDS_ONE",
    "Certified",
    "Graph",
    "Solution",
    "certify",
    "solve_graph",
]

IntpArray = NDArray[np.intp]
Int64Array = NDArray[np.int64]

METHODS: tuple[str, ...] = ("auto", "ortools", "sparse", "flow")
"""Solver methods of the candidate graph (``MatchConfig.method`` in candidate mode)."""

_INF = np.int64(1) << 62

SPARSE_NEEDS_ONE = (
    "Method 'sparse' needs one mentor per executive in candidate mode; methods that "
    "can: ortools, flow (or method='auto')."
)


@dataclass(frozen=True)
class Graph:
    """An assignment problem on candidate pairs.

    Attributes
    ----------
    n_rows, n_cols : int
        Executives and mentors of the whole program.
    rows, cols : ndarray of intp
        Candidate pairs, without repeats.
    weights : ndarray of int64
        Their weights (already shifted for ``coverage_then_score``).
    row_capacities, capacities : ndarray of int64
        Places per executive and per mentor.
    labels : ndarray of intp or None
        Topic group of each pair (``-1``: none) when executives take several
        mentors, at most one per group.
    """

    n_rows: int
    n_cols: int
    rows: IntpArray
    cols: IntpArray
    weights: Int64Array
    row_capacities: Int64Array
    capacities: Int64Array
    labels: IntpArray | None = None


@dataclass(frozen=True)
class Solution:
    """Chosen pairs of a graph and an optimal dual of its linear relaxation.

    Attributes
    ----------
    chosen : ndarray of intp
        Indices into the graph's pairs.
    u : ndarray of int64, shape (n_rows,)
        Executive prices.
    v : ndarray of int64, shape (n_cols,)
        Mentor prices (0 for mentors outside the graph).
    group_keys, group_prices : ndarray of int64
        Sorted keys ``row * (n_labels) + label`` of topic groups with a
        positive price, and those prices.
    n_labels : int
        Label range used in the keys.
    method : str
        The solver used.
    """

    chosen: IntpArray
    u: Int64Array
    v: Int64Array
    group_keys: Int64Array
    group_prices: Int64Array
    n_labels: int
    method: str

    def group_price(self, rows: IntpArray, labels: IntpArray) -> Int64Array:
        """Price ``g_il`` of the topic groups ``(rows[p], labels[p])`` (0 if none)."""
        out = np.zeros(rows.size, dtype=np.int64)
        if self.group_keys.size == 0:
            return out
        keys = rows.astype(np.int64) * self.n_labels + labels
        pos = np.clip(np.searchsorted(self.group_keys, keys), 0, self.group_keys.size - 1)
        hit = (self.group_keys[pos] == keys) & (labels >= 0)
        out[hit] = self.group_prices[pos[hit]]
        return out


@dataclass(frozen=True)
class _Network:
    """Arc lists: pair arcs first (in graph order), then the rest."""

    n_nodes: int
    tails: Int64Array
    heads: Int64Array
    caps: Int64Array
    costs: Int64Array
    row_node: Int64Array  # node of each executive (-1: not in the graph)
    col_node: Int64Array  # node of each mentor (-1: not in the graph)
    group_keys: Int64Array  # sorted (row, label) keys of group nodes
    group_node: Int64Array
    n_labels: int


_SOURCE, _SINK = 0, 1


def _network(graph: Graph) -> _Network:
    rows_used = np.unique(graph.rows)
    cols_used = np.unique(graph.cols)
    row_node = np.full(graph.n_rows, -1, dtype=np.int64)
    col_node = np.full(graph.n_cols, -1, dtype=np.int64)
    row_node[rows_used] = 2 + np.arange(rows_used.size)
    first_col = 2 + rows_used.size
    col_node[cols_used] = first_col + np.arange(cols_used.size)
    n_nodes = first_col + cols_used.size
    pair_tails = row_node[graph.rows]
    extra_t: list[Int64Array] = []
    extra_h: list[Int64Array] = []
    group_keys = np.zeros(0, dtype=np.int64)
    group_node = np.zeros(0, dtype=np.int64)
    n_labels = 1
    if graph.labels is not None and bool((graph.labels >= 0).any()):
        n_labels = int(graph.labels.max()) + 1
        grouped = graph.labels >= 0
        keys = graph.rows[grouped].astype(np.int64) * n_labels + graph.labels[grouped]
        group_keys, inverse = np.unique(keys, return_inverse=True)
        group_node = n_nodes + np.arange(group_keys.size, dtype=np.int64)
        n_nodes += group_keys.size
        pair_tails = pair_tails.copy()
        pair_tails[grouped] = group_node[inverse.reshape(-1)]
        extra_t.append(row_node[group_keys // n_labels])
        extra_h.append(group_node)
    n_extra = sum(t.size for t in extra_t)
    tails = np.concatenate(
        [pair_tails, *extra_t, np.full(rows_used.size, _SOURCE), col_node[cols_used]]
    )
    heads = np.concatenate(
        [col_node[graph.cols], *extra_h, row_node[rows_used], np.full(cols_used.size, _SINK)]
    )
    caps = np.concatenate(
        [
            np.ones(graph.rows.size + n_extra, dtype=np.int64),
            graph.row_capacities[rows_used],
            graph.capacities[cols_used],
        ]
    )
    costs = np.concatenate([-graph.weights, np.zeros(tails.size - graph.rows.size, np.int64)])
    return _Network(
        int(n_nodes),
        tails.astype(np.int64),
        heads.astype(np.int64),
        caps.astype(np.int64),
        costs,
        row_node,
        col_node,
        group_keys,
        group_node,
        n_labels,
    )


def _ortools_ok(net: _Network, raw: Int64Array) -> bool:
    """Whether OR-tools is installed and its (unshifted) costs fit its overflow headroom.

    Its cost-scaling algorithms multiply costs by ``n_nodes + 1`` and add up to
    ``n_nodes`` of them in a path (the bound of
    :func:`revmatch.solvers._flow._ortools_limit`).
    """
    if importlib.util.find_spec("ortools") is None:
        return False
    limit = 2**62 // (net.n_nodes + 1) ** 2
    return int(np.abs(raw).max(initial=0)) <= limit


def _flows_ortools(net: _Network, cardinality_first: bool, raw: Int64Array) -> Int64Array:
    from ortools.graph.python import min_cost_flow

    solver = min_cost_flow.SimpleMinCostFlow()
    costs = np.concatenate([-raw, np.zeros(net.tails.size - raw.size, np.int64)])
    total = int(net.caps[raw.size :].sum()) + 1
    if cardinality_first:
        solver.add_arcs_with_capacity_and_unit_cost(
            net.tails.astype(np.int32), net.heads.astype(np.int32), net.caps, costs
        )
        solver.set_node_supply(_SOURCE, total)
        solver.set_node_supply(_SINK, -total)
        status = solver.solve_max_flow_with_min_cost()
    else:
        # A free return arc sink -> source: a circulation that sends flow only
        # along paths of negative cost, i.e. through pairs worth taking.
        solver.add_arcs_with_capacity_and_unit_cost(
            np.append(net.tails, _SINK).astype(np.int32),
            np.append(net.heads, _SOURCE).astype(np.int32),
            np.append(net.caps, total),
            np.append(costs, 0),
        )
        status = solver.solve()
    if status != solver.OPTIMAL:
        raise SolverError(f"OR-tools min-cost flow ended with status {status}.")
    return np.asarray(solver.flows(np.arange(net.tails.size, dtype=np.int32)), dtype=np.int64)


def _flows_networkx(net: _Network, cardinality_first: bool, raw: Int64Array) -> Int64Array:
    costs = np.concatenate([-raw, np.zeros(net.tails.size - raw.size, np.int64)])
    g: nx.DiGraph[int] = nx.DiGraph()
    g.add_nodes_from(range(net.n_nodes))
    g.add_edges_from(
        (t, h, {"capacity": c, "weight": w})
        for t, h, c, w in zip(
            net.tails.tolist(), net.heads.tolist(), net.caps.tolist(), costs.tolist(), strict=True
        )
    )
    if cardinality_first:
        flow = nx.max_flow_min_cost(g, _SOURCE, _SINK)
    else:
        g.add_edge(_SINK, _SOURCE, capacity=int(net.caps.sum()) + 1, weight=0)
        flow = nx.min_cost_flow(g)
    return np.fromiter(
        (flow[t][h] for t, h in zip(net.tails.tolist(), net.heads.tolist(), strict=True)),
        dtype=np.int64,
        count=net.tails.size,
    )


def _sparse_ok(graph: Graph, raw: Int64Array, cardinality_first: bool) -> bool:
    """Whether LAPJVsp's float64 arithmetic stays exact on this graph.

    Its costs reach twice the largest value (see :func:`_chosen_sparse`) and it
    adds up to one per node along a path, so they must stay below
    :func:`revmatch.solvers._network.exact_float_limit`; fine objective units
    (many decimals) with the coverage shift can exceed it.
    """
    values = graph.weights if cardinality_first else raw
    nodes = 2 * int(np.unique(graph.rows).size) + int(graph.capacities.sum())
    return int(np.abs(values).max(initial=0)) <= exact_float_limit(nodes, 4)


def _chosen_sparse(graph: Graph, raw: Int64Array, cardinality_first: bool) -> IntpArray:
    """LAPJVsp (csgraph) on the pairs, mentors copied once per place.

    Needs one place per executive and no topic groups. Every executive gets
    a private dummy column meaning "unmatched", so a full matching always
    exists; with costs ``top - value`` (``value`` the shifted weight when
    coverage comes first, the weight otherwise) a full matching of least cost
    is an optimal assignment (see :func:`revmatch.solvers._sparse.solve_sparse`).
    """
    rows_used, r_idx = np.unique(graph.rows, return_inverse=True)
    p = rows_used.size
    caps = np.minimum(graph.capacities, np.bincount(graph.cols, minlength=graph.n_cols))
    copies = caps[graph.cols]
    col_start = np.concatenate([[0], np.cumsum(caps)])
    pair_of_edge = np.repeat(np.arange(graph.rows.size), copies)
    offset = np.arange(pair_of_edge.size) - np.repeat(np.cumsum(copies) - copies, copies)
    edge_col = col_start[graph.cols[pair_of_edge]] + offset
    q = int(col_start[-1])
    value = (graph.weights if cardinality_first else raw)[pair_of_edge].astype(np.float64)
    top = 2.0 * float(value.max(initial=1.0))
    data = np.concatenate([top - value, np.full(p, top)])
    rr = np.concatenate([r_idx.reshape(-1)[pair_of_edge], np.arange(p)])
    cc = np.concatenate([edge_col, q + np.arange(p)])
    csr = sp.csr_array((data, (rr, cc)), shape=(p, q + p))
    if cardinality_first:
        head = sp.csr_array((data[: value.size], (rr[: value.size], cc[: value.size])), (p, q))
        if np.count_nonzero(maximum_bipartite_matching(head, perm_type="column") >= 0) == p:
            csr = head
    try:
        a, b = min_weight_full_bipartite_matching(csr)
    except ValueError as exc:  # every executive has its dummy: a full matching exists
        raise SolverError(f"LAPJVsp found no full matching where one exists: {exc}.") from exc
    real = b < q
    # Find the edge of each matched (row, column copy): keys are unique.
    width = q + p
    keys = rr[: value.size].astype(np.int64) * width + cc[: value.size]
    order = np.argsort(keys)
    found = order[np.searchsorted(keys, a[real].astype(np.int64) * width + b[real], sorter=order)]
    return pair_of_edge[found].astype(np.intp)


def _potentials(net: _Network, flow: Int64Array) -> Int64Array:
    """Shortest distances from the source in the residual network (Bellman-Ford).

    Raises
    ------
    SolverError
        If the residual network has a negative cycle (the flow is not optimal)
        or a node cannot be reached.
    """
    forward = flow < net.caps
    backward = flow > 0
    tails = np.concatenate([net.tails[forward], net.heads[backward], [_SINK]])
    heads = np.concatenate([net.heads[forward], net.tails[backward], [_SOURCE]])
    costs = np.concatenate([net.costs[forward], -net.costs[backward], [0]])
    if int(flow.sum()):
        # The return arc carries the total flow; its reverse is residual too.
        tails = np.append(tails, _SOURCE)
        heads = np.append(heads, _SINK)
        costs = np.append(costs, 0)
    order = np.argsort(heads, kind="stable")
    tails, heads, costs = tails[order], heads[order], costs[order]
    starts = np.flatnonzero(np.r_[True, heads[1:] != heads[:-1]])
    owners = heads[starts]
    dist = np.full(net.n_nodes, _INF, dtype=np.int64)
    dist[_SOURCE] = 0
    for _ in range(net.n_nodes + 1):
        through = np.minimum(dist[tails] + costs, _INF)
        best = np.minimum.reduceat(through, starts)
        new = dist.copy()
        new[owners] = np.minimum(dist[owners], best)
        if np.array_equal(new, dist):
            if bool((dist >= _INF).any()):
                raise SolverError("A node of the candidate network cannot be reached.")
            return dist
        dist = new
    raise SolverError("The candidate flow is not optimal: its residual network has a cycle.")


def solve_graph(graph: Graph, raw: Int64Array, cardinality_first: bool, method: str) -> Solution:
    """Solve a candidate graph exactly and derive an optimal dual.

    Parameters
    ----------
    graph : Graph
        Pairs with shifted weights (unshifted for ``max_score``).
    raw : ndarray of int64
        The unshifted weights (what OR-tools' max-flow-min-cost minimises;
        small numbers keep it clear of integer overflow).
    cardinality_first : bool
        The most pairs first (``coverage_then_score``).
    method : {"auto", "ortools", "sparse", "flow"}
        Solver of the graph. ``"auto"``: ``"sparse"`` with one place per
        executive, else ``"ortools"`` when installed (and the costs fit its
        integers), else ``"flow"``.

    Returns
    -------
    Solution

    Raises
    ------
    InvalidInputError
        If the method is unknown or cannot express the graph.
    SolverError
        If the dual check fails (a solver bug, never a data problem).
    """
    needs_flow = graph.labels is not None or bool((graph.row_capacities > 1).any())
    net = _network(graph)
    if method == "auto":
        # LAPJVsp was faster than OR-tools' min-cost flow on candidate graphs
        # with one place per executive (2.1 s vs 3.6 s at 20,000 x 200,000).
        flow_method = "ortools" if _ortools_ok(net, raw) else "flow"
        exact = _sparse_ok(graph, raw, cardinality_first)
        method = flow_method if needs_flow or not exact else "sparse"
    if method not in METHODS:
        raise InvalidInputError(
            f"Unknown method {method!r} for candidate mode. Expected one of: {', '.join(METHODS)}."
        )
    if method == "sparse" and needs_flow:
        raise InvalidInputError(SPARSE_NEEDS_ONE)
    if method == "sparse" and not _sparse_ok(graph, raw, cardinality_first):
        raise InvalidInputError(
            "The weights are too large for exact float costs in LAPJVsp at this size "
            "(lower score_decimals, or give the bonuses fewer decimals); "
            "methods that can: ortools, flow."
        )
    if graph.rows.size == 0:
        # No pair at all: nothing to choose, and every price may be 0.
        zeros = np.zeros(0, dtype=np.int64)
        return Solution(
            np.zeros(0, np.intp),
            np.zeros(graph.n_rows, np.int64),
            np.zeros(graph.n_cols, np.int64),
            zeros,
            zeros,
            1,
            method,
        )
    if method == "ortools":
        if importlib.util.find_spec("ortools") is None:
            raise ImportError("The 'ortools' method needs OR-tools: pip install 'revmatch[fast]'")
        if not _ortools_ok(net, raw):
            raise InvalidInputError(
                "The weights are too large for OR-tools' integer costs at this size "
                "(lower score_decimals); methods that can: sparse, flow."
            )
        flow = _flows_ortools(net, cardinality_first, raw)
    elif method == "flow":
        flow = _flows_networkx(net, cardinality_first, raw)
    else:
        flow = _flow_of(net, graph, _chosen_sparse(graph, raw, cardinality_first))
    n_pairs = graph.rows.size
    chosen = np.flatnonzero(flow[:n_pairs] > 0).astype(np.intp)
    flow = _flow_of(net, graph, chosen)
    dist = _potentials(net, flow)
    sol = _dual(net, graph, dist, chosen, method)
    _check_dual(graph, sol)
    return sol


def _flow_of(net: _Network, graph: Graph, chosen: IntpArray) -> Int64Array:
    """Flow on every arc of the network for the chosen pairs."""
    flow = np.zeros(net.tails.size, dtype=np.int64)
    flow[chosen] = 1
    n_pairs = graph.rows.size
    k = n_pairs
    if net.group_keys.size:
        assert graph.labels is not None
        grouped = graph.labels[chosen] >= 0
        keys = graph.rows[chosen][grouped].astype(np.int64) * net.n_labels
        keys = keys + graph.labels[chosen][grouped]
        used = np.searchsorted(net.group_keys, keys)
        flow[k + used] = 1
        k += net.group_keys.size
    rows_used = np.flatnonzero(net.row_node >= 0)
    cols_used = np.flatnonzero(net.col_node >= 0)
    per_row = np.bincount(graph.rows[chosen], minlength=graph.n_rows)
    per_col = np.bincount(graph.cols[chosen], minlength=graph.n_cols)
    flow[k : k + rows_used.size] = per_row[rows_used]
    k += rows_used.size
    flow[k : k + cols_used.size] = per_col[cols_used]
    return flow


def _dual(
    net: _Network, graph: Graph, dist: Int64Array, chosen: IntpArray, method: str
) -> Solution:
    # Potentials p = dist from the source: u_i = p(i) - p(s), v_j = p(s) - p(j),
    # g_il = p(il) - p(i), clipped at 0 (p(s) = 0).
    u = np.zeros(graph.n_rows, dtype=np.int64)
    v = np.zeros(graph.n_cols, dtype=np.int64)
    rows_used = np.flatnonzero(net.row_node >= 0)
    cols_used = np.flatnonzero(net.col_node >= 0)
    u[rows_used] = np.maximum(dist[net.row_node[rows_used]], 0)
    v[cols_used] = np.maximum(-dist[net.col_node[cols_used]], 0)
    g = np.zeros(net.group_keys.size, dtype=np.int64)
    if net.group_keys.size:
        owner = dist[net.row_node[net.group_keys // net.n_labels]]
        g = np.maximum(dist[net.group_node] - owner, 0)
    positive = g > 0
    return Solution(
        chosen=chosen,
        u=u,
        v=v,
        group_keys=net.group_keys[positive],
        group_prices=g[positive],
        n_labels=net.n_labels,
        method=method,
    )


def _pair_price(graph: Graph, sol: Solution, idx: IntpArray) -> Int64Array:
    r, c = graph.rows[idx], graph.cols[idx]
    price = sol.u[r] + sol.v[c]
    if graph.labels is not None:
        price = price + sol.group_price(r, graph.labels[idx])
    return price


def _check_dual(graph: Graph, sol: Solution) -> None:
    """Conditions 1 and 3 of the certificate, in exact integers."""
    everything = np.arange(graph.rows.size, dtype=np.intp)
    price = _pair_price(graph, sol, everything)
    unused = np.ones(graph.rows.size, dtype=bool)
    unused[sol.chosen] = False
    if bool((price[unused] < graph.weights[unused]).any()):
        raise SolverError("The candidate dual violates a pair constraint.")
    slack = np.maximum(graph.weights[sol.chosen] - price[sol.chosen], 0)
    dual = (
        _exact_dot(graph.row_capacities, sol.u)
        + _exact_dot(graph.capacities, sol.v)
        + sum(int(x) for x in sol.group_prices.tolist())
        + sum(int(x) for x in slack.tolist())
    )
    primal = sum(int(x) for x in graph.weights[sol.chosen].tolist())
    if dual != primal:
        raise SolverError(
            f"The candidate dual ({dual}) does not match the assignment ({primal}): "
            "the assignment is not optimal on its own graph."
        )


def _exact_dot(a: Int64Array, b: Int64Array) -> int:
    nz = np.flatnonzero(b)
    return sum(int(x) * int(y) for x, y in zip(a[nz].tolist(), b[nz].tolist(), strict=True))


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
        Graph solver (see :data:`METHODS`).
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
        shifted = Graph(
            graph.n_rows,
            graph.n_cols,
            rows,
            cols,
            raw + shift,
            graph.row_capacities,
            graph.capacities,
            None if labels is None else labels(rows, cols),
        )
        sol = solve_graph(shifted, raw, cardinality_first, method)
        rounds += 1
        # Unshifted threshold of each executive: u_i + g + v_j >= w_ij + S.
        theta = sol.u - shift
        pending = np.flatnonzero(bound > theta)
        widened.update(pending.tolist())

        def dual(r: IntpArray, c: IntpArray, sol: Solution = sol) -> Int64Array:
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
