"""Optimal assignments of a pair list together with optimal dual potentials.

The problem is the linear relaxation of a capacitated assignment on integer
weights ``w`` over candidate pairs::

    max  sum w_ij x_ij
    s.t. sum_j x_ij <= r_i,  sum_i x_ij <= c_j,  sum_{j in l} x_ij <= 1,  0 <= x <= 1

(``l`` the topic groups of a row, when given). Its constraint matrix is
totally unimodular, so an optimal flow is an optimal assignment, and its dual
is: prices ``u_i, g_il, v_j, z_ij >= 0`` with ``u_i + g_il + v_j + z_ij >=
w_ij`` for every pair, minimising ``D = sum r_i u_i + sum g_il + sum c_j v_j
+ sum z_ij``.

:func:`solve_with_duals` solves the flow network

    source -> row i (r_i) -> [row i, group l (1)] -> column j (1 per pair) -> sink (c_j)

with OR-tools' min-cost flow (cost scaling) [1]_, networkx's network simplex
or, with one place per row, scipy's LAPJVsp [2]_, then reads an optimal dual
off the residual network: node potentials ``p(x) = dist(s, x)``, shortest
distances from the source (Bellman-Ford; an optimal flow leaves no negative
cycle), give ``u_i = p(i) - p(s)``, ``g_il = p(il) - p(i)``, ``v_j = p(s) -
p(j)`` clipped at 0, and ``z_ij = w_ij - u_i - g_il - v_j`` on chosen pairs.
Shortest distances are the pointwise largest feasible potentials with
``p(s) = 0``: the rows' prices are as large and the columns' as small as any
optimal dual allows. Dual feasibility on every pair and complementary
slackness (``D`` equal to the weight of the assignment) are checked in exact
integer arithmetic before anything is returned.

References
----------
.. [1] Goldberg, A. V. (1997). An efficient implementation of a scaling
   minimum-cost flow algorithm. Journal of Algorithms 22(1), 1-29.
   https://doi.org/10.1006/jagm.1995.0805
.. [2] Duff, I. S., Koster, J. (2001). On algorithms for permuting large
   entries to the diagonal of a sparse matrix. SIAM Journal on Matrix
   Analysis and Applications 22(4), 973-996.
   https://doi.org/10.1137/S0895479899358443
"""

from __future__ import annotations

import dataclasses
import importlib.util
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import maximum_bipartite_matching, min_weight_full_bipartite_matching

from revmatch._arrays import count_distinct, present
from revmatch.exceptions import InvalidInputError
from revmatch.solvers._assignment import SolverError
from revmatch.solvers._network import exact_float_limit
from revmatch.solvers._problem import OBJECTIVES
from revmatch.solvers._solve import capable

__all__ = ["DualSolution", "PairGraph", "solve_with_duals"]

IntpArray = NDArray[np.intp]
Int64Array = NDArray[np.int64]

_INF = np.int64(1) << 62


@dataclass(frozen=True)
class PairGraph:
    """An assignment problem on a list of candidate pairs with integer weights.

    Attributes
    ----------
    n_rows, n_cols : int
        Rows and columns of the whole problem (a row or column without a
        pair gets price 0).
    rows, cols : ndarray of intp
        Candidate pairs, each listed once.
    weights : ndarray of int64
        Their weights, to maximise.
    row_capacities, capacities : ndarray of int64
        Places per row and per column.
    labels : ndarray of intp or None
        Group of each pair (``-1``: none): a row takes at most one pair per
        group (topic groups when executives take several mentors).

    Examples
    --------
    >>> import numpy as np
    >>> from revmatch.solvers import PairGraph
    >>> g = PairGraph(1, 2, np.array([0, 0]), np.array([0, 1]), np.array([3, 5]),
    ...               np.array([1]), np.array([1, 1]))
    >>> g.rows.size
    2
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
class DualSolution:
    """Chosen pairs of a :class:`PairGraph` and an optimal dual of its linear relaxation.

    Attributes
    ----------
    chosen : ndarray of intp
        Indices into the graph's pairs.
    u : ndarray of int64, shape (n_rows,)
        Row prices.
    v : ndarray of int64, shape (n_cols,)
        Column prices (0 for columns without a pair).
    group_keys, group_prices : ndarray of int64
        Sorted keys ``row * n_labels + label`` of groups with a positive
        price, and those prices.
    n_labels : int
        Label range used in the keys.
    method : str
        The method that solved the graph (``"auto"`` resolved).

    Examples
    --------
    >>> import numpy as np
    >>> from revmatch.solvers import PairGraph, solve_with_duals
    >>> g = PairGraph(1, 2, np.array([0, 0]), np.array([0, 1]), np.array([3, 5]),
    ...               np.array([1]), np.array([1, 1]))
    >>> sol = solve_with_duals(g, method="flow")
    >>> sol.chosen.tolist(), sol.u.tolist(), sol.group_price(np.array([0]), np.array([-1])).tolist()
    ([1], [5], [0])
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
    row_node: Int64Array  # node of each row (-1: not in the graph)
    col_node: Int64Array  # node of each column (-1: not in the graph)
    group_keys: Int64Array  # sorted (row, label) keys of group nodes
    group_node: Int64Array
    n_labels: int


_SOURCE, _SINK = 0, 1


def _network(graph: PairGraph) -> _Network:
    rows_used = present(graph.rows, graph.n_rows)
    cols_used = present(graph.cols, graph.n_cols)
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


def _sparse_ok(graph: PairGraph, raw: Int64Array, cardinality_first: bool) -> bool:
    """Whether LAPJVsp's float64 arithmetic stays exact on this graph.

    Its costs reach twice the largest value (see :func:`_chosen_sparse`) and it
    adds up to one per node along a path, so they must stay below
    :func:`revmatch.solvers._network.exact_float_limit`; fine objective units
    (many decimals) with the coverage shift can exceed it.
    """
    values = graph.weights if cardinality_first else raw
    nodes = 2 * count_distinct(graph.rows) + int(graph.capacities.sum())
    return int(np.abs(values).max(initial=0)) <= exact_float_limit(nodes, 4)


def _chosen_sparse(graph: PairGraph, raw: Int64Array, cardinality_first: bool) -> IntpArray:
    """LAPJVsp (csgraph) on the pairs, columns copied once per place.

    Needs one place per row and no groups. Every row gets
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
    except ValueError as exc:  # every row has its dummy: a full matching exists
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
                raise SolverError("A node of the pair network cannot be reached.")
            return dist
        dist = new
    raise SolverError("The flow is not optimal: its residual network has a negative cycle.")


def solve_with_duals(
    graph: PairGraph,
    *,
    shift: int = 0,
    objective: str = "coverage_then_score",
    method: str = "auto",
) -> DualSolution:
    """Solve a pair list exactly and return an optimal dual with the assignment.

    Parameters
    ----------
    graph : PairGraph
        The candidate pairs, their integer weights, and the capacities.
    shift : int, default 0
        Added to every weight for the dual: the prices are optimal for the
        linear program with weights ``graph.weights + shift``. With
        ``coverage_then_score`` a shift larger than ``K * (w_max - w_min) -
        w_min`` (``K`` the most pairs any assignment can have) makes one more
        pair outweigh any gain in weight, so the dual proves the
        lexicographic optimum; 0 (the default) is allowed too. Must be 0 for
        ``max_score``.
    objective : {"coverage_then_score", "max_score"}
        ``"coverage_then_score"``: a maximum flow of least cost (the most
        pairs, then the largest total). ``"max_score"``: the largest total;
        pairs of weight <= 0 add nothing.
    method : str, default "auto"
        A method with the feature ``"duals"`` in
        :data:`~revmatch.solvers.METHODS` (``"sparse"``, ``"ortools"``,
        ``"flow"``) or ``"auto"``: ``"sparse"`` with one place per row and
        no groups (where its float costs stay exact), else ``"ortools"``
        when installed and the costs fit its integers, else ``"flow"``.

    Returns
    -------
    DualSolution
        The chosen pairs and the prices ``u`` (rows), ``v`` (columns) and
        ``g`` (topic groups) of an optimal dual.

    Raises
    ------
    InvalidInputError
        If the method is unknown, cannot give duals for this graph, or its
        integer or float arithmetic would not be exact at this size.
    ImportError
        If ``method="ortools"`` and OR-tools is not installed.
    SolverError
        If the dual fails its feasibility or complementary slackness check
        (a solver bug, never a data problem).

    Notes
    -----
    Every price is an ``int64`` in the units of the weights, so the dual
    constraint of a pair outside the graph, ``w_ij + shift <= u_i + g_il +
    v_j``, is an exact comparison: that is how a certificate proves an
    assignment of a pruned candidate graph optimal for the full problem
    (:mod:`revmatch.scale`). The Bellman-Ford pass for the potentials takes
    ``O(V E)`` in the worst case and a few passes in practice.

    Examples
    --------
    >>> import numpy as np
    >>> from revmatch.solvers import PairGraph, solve_with_duals
    >>> graph = PairGraph(
    ...     n_rows=2, n_cols=2,
    ...     rows=np.array([0, 0, 1]), cols=np.array([0, 1, 0]),
    ...     weights=np.array([9, 8, 7]),
    ...     row_capacities=np.array([1, 1]), capacities=np.array([1, 1]))
    >>> sol = solve_with_duals(graph, method="flow")
    >>> [(int(graph.rows[p]), int(graph.cols[p])) for p in sol.chosen]
    [(0, 1), (1, 0)]
    >>> sol.u.tolist(), sol.v.tolist()  # u_i + v_j >= w_ij, and 8 + 6 + 1 == 8 + 7
    ([8, 6], [1, 0])
    """
    if objective not in OBJECTIVES or objective == "maximin":
        raise InvalidInputError(
            f"solve_with_duals takes objective 'coverage_then_score' or 'max_score'. "
            f"Got {objective!r}."
        )
    cardinality_first = objective == "coverage_then_score"
    if shift and not cardinality_first:
        raise InvalidInputError(f"shift must be 0 with objective 'max_score'. Got {shift}.")
    raw = np.asarray(graph.weights, dtype=np.int64)
    graph = dataclasses.replace(graph, weights=raw + shift)
    open_pairs = (graph.row_capacities[graph.rows] > 0) & (graph.capacities[graph.cols] > 0)
    if not bool(open_pairs.all()):
        return _closed_prices(graph, open_pairs, shift, objective, method)
    needs_flow = graph.labels is not None or bool((graph.row_capacities > 1).any())
    net = _network(graph)
    if method == "auto":
        # LAPJVsp was faster than OR-tools' min-cost flow on candidate graphs
        # with one place per row (2.1 s vs 3.6 s at 20,000 x 200,000).
        flow_method = "ortools" if _ortools_ok(net, raw) else "flow"
        exact = _sparse_ok(graph, raw, cardinality_first)
        method = flow_method if needs_flow or not exact else "sparse"
    else:
        capable(method, frozenset({"duals"}), objective)
    if method == "sparse" and needs_flow:
        raise InvalidInputError(
            "Method 'sparse' gives duals only with one place per row and no pair groups; "
            "methods that can: ortools, flow (or method='auto')."
        )
    if method == "sparse" and not _sparse_ok(graph, raw, cardinality_first):
        raise InvalidInputError(
            "The weights are too large for exact float costs in LAPJVsp at this size "
            "(lower score_decimals, or give the bonuses fewer decimals); "
            "methods that can: ortools, flow."
        )
    if graph.rows.size == 0:
        # No pair at all: nothing to choose, and every price may be 0.
        zeros = np.zeros(0, dtype=np.int64)
        return DualSolution(
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


def _closed_prices(
    graph: PairGraph, open_pairs: NDArray[np.bool_], shift: int, objective: str, method: str
) -> DualSolution:
    """Solve without the pairs of a row or column of capacity 0, then price them.

    Such a pair is never chosen, and its row's (or column's) price costs
    nothing in the dual objective (capacity 0 times the price), so raising
    that price to cover the pair keeps the dual feasible and optimal. The
    flow network needs every node reachable, which a closed row is not.
    """
    index = np.flatnonzero(open_pairs).astype(np.intp)
    inner = dataclasses.replace(
        graph,
        rows=graph.rows[index],
        cols=graph.cols[index],
        weights=graph.weights[index] - shift,
        labels=None if graph.labels is None else graph.labels[index],
    )
    sol = solve_with_duals(inner, shift=shift, objective=objective, method=method)
    u, v = sol.u.copy(), sol.v.copy()
    closed = np.flatnonzero(~open_pairs)
    r, c = graph.rows[closed], graph.cols[closed]
    extra = np.zeros(closed.size, np.int64)
    if graph.labels is not None:
        extra = sol.group_price(r, graph.labels[closed])
    shut_rows = graph.row_capacities[r] == 0
    np.maximum.at(
        u, r[shut_rows], graph.weights[closed][shut_rows] - v[c[shut_rows]] - extra[shut_rows]
    )
    rest = ~shut_rows
    np.maximum.at(v, c[rest], graph.weights[closed][rest] - u[r[rest]] - extra[rest])
    out = dataclasses.replace(sol, chosen=index[sol.chosen], u=u, v=v)
    _check_dual(graph, out)
    return out


def _flow_of(net: _Network, graph: PairGraph, chosen: IntpArray) -> Int64Array:
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
    net: _Network, graph: PairGraph, dist: Int64Array, chosen: IntpArray, method: str
) -> DualSolution:
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
    return DualSolution(
        chosen=chosen,
        u=u,
        v=v,
        group_keys=net.group_keys[positive],
        group_prices=g[positive],
        n_labels=net.n_labels,
        method=method,
    )


def _pair_price(graph: PairGraph, sol: DualSolution, idx: IntpArray) -> Int64Array:
    r, c = graph.rows[idx], graph.cols[idx]
    price = sol.u[r] + sol.v[c]
    if graph.labels is not None:
        price = price + sol.group_price(r, graph.labels[idx])
    return price


def _check_dual(graph: PairGraph, sol: DualSolution) -> None:
    """Conditions 1 and 3 of the certificate, in exact integers."""
    everything = np.arange(graph.rows.size, dtype=np.intp)
    price = _pair_price(graph, sol, everything)
    unused = np.ones(graph.rows.size, dtype=bool)
    unused[sol.chosen] = False
    if bool((price[unused] < graph.weights[unused]).any()):
        raise SolverError("The dual violates a pair constraint.")
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
            f"The dual ({dual}) does not match the assignment ({primal}): "
            "the assignment is not optimal on its own graph."
        )


def _exact_dot(a: Int64Array, b: Int64Array) -> int:
    nz = np.flatnonzero(b)
    return sum(int(x) * int(y) for x, y in zip(a[nz].tolist(), b[nz].tolist(), strict=True))
