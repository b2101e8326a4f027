"""Exact quota programs without branch and bound: the unconstrained optimum, or a flow.

The ``milp`` method's quota program (see :mod:`revmatch.solvers._milp`) is
lexicographic: least total shortfall below the minimums, then (with
``cardinality_first``) most pairs, then the largest total of the integer
weights :func:`~revmatch.solvers._network.integer_weights` gives with the
integer program's limit. Two cases need no integer program at all.

*The unconstrained optimum* (:func:`unconstrained_pairs`). Quotas only remove
assignments. When an optimum of the same objective without quotas (most
pairs, then the largest total of the same integers) meets every quota, its
shortfall is 0, and no assignment that meets the quotas has more pairs or a
larger total, so it is an optimum of the quota program. The check counts
each quota's block and the total, so share quotas are checked against the
number of pairs actually chosen.

*A network flow* (:func:`flow_pairs`). When every quota counts the pairs of
a set of rows (its columns are every column that has a pair) or of a set of
columns, and the row sets form a laminar family (any two are disjoint or
nested), as do the column sets, the program is a min-cost flow::

    source -> row set -> ... -> row -> (row, pair group) -> column -> ... -> column set -> sink

with ``[min, max]`` bounds on the arc into (out of) each quota's set. Its
node-arc incidence matrix is totally unimodular, so the flow found is an
integral optimum of the linear program over the same constraints, and so of
the integer program. The levels are solved in turn, each fixed exactly for
the next: a circulation that rewards pairs (the most pairs with every
minimum met), then the cheapest flow of that value. Share quotas are counts
once the number of pairs ``C`` is fixed (``ceil(min_share C) <= count <=
floor(max_share C)``); the largest ``C`` that can meet them is found by
trying ``C`` downwards from the most pairs the other bounds allow, at most
:data:`SHARE_TRIES` values. This route gives up (returns ``None``, and the
integer program decides) when the minimums cannot all be met (a positive
shortfall), when share quotas come without ``cardinality_first``, or when
the tries run out.

Flows are solved by OR-tools' ``SimpleMinCostFlow`` (cost scaling) when it is
installed and the costs fit its range, otherwise by HiGHS's dual simplex
(:func:`scipy.optimize.linprog`) on the same incidence matrix, whose basic
solutions are integral; a fractional answer (a numerical accident) also
hands the problem to the integer program.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import linprog
from scipy.sparse.csgraph import maximum_flow

from revmatch.solvers._assignment import SolverError
from revmatch.solvers._dense import solve_jv
from revmatch.solvers._flow import solve_flow, solve_ortools
from revmatch.solvers._network import build_network
from revmatch.solvers._problem import BoolArray, IntpArray, Problem

__all__ = ["SHARE_TRIES", "flow_pairs", "meets_quotas", "one_sided", "unconstrained_pairs"]

Pairs = tuple[IntpArray, IntpArray]
Int64Array = NDArray[np.int64]

#: Values of the number of pairs tried for share quotas before the integer program decides.
SHARE_TRIES = 8


def _have_ortools() -> bool:
    return importlib.util.find_spec("ortools") is not None


def meets_quotas(problem: Problem, rows: IntpArray, cols: IntpArray) -> bool:
    """Whether the pairs meet every quota: minimum, maximum and both shares."""
    for q in problem.quotas:
        count = int(np.count_nonzero(q.row_mask[rows] & q.col_mask[cols]))
        if count < q.min or (q.max is not None and count > q.max):
            return False
        if not all(q.shares_met(count, rows.size)):
            return False
    return True


def unconstrained_pairs(
    problem: Problem, mask: BoolArray, cardinality_first: bool, weights: NDArray[np.float64]
) -> Pairs:
    """An optimum without the quotas, for the integer weights the quota program uses.

    ``weights`` is the full matrix whose values on ``mask`` are those
    integers times ``1e-6``: on the score grid, so every method turns it back
    into exactly the same integers. OR-tools solves it when installed, else
    scipy's assignment (rows and columns copied for capacities), else
    networkx's min-cost flow (pair groups, many-to-many pairs).
    """
    free = dataclasses.replace(problem, weights=weights, quotas=())
    if _have_ortools():
        return solve_ortools(free, mask, cardinality_first)
    if not free.features() & {"pair_groups", "many_to_many"}:
        return solve_jv(free, mask, cardinality_first)
    return solve_flow(free, mask, cardinality_first)


# -- which quotas a network can carry --------------------------------------------------


@dataclass(frozen=True)
class _Side:
    """The quotas counted on one side, as a laminar tree over that side's people."""

    quotas: list[int]  # indices into problem.quotas, largest set first
    parent: list[int]  # position in ``quotas`` of the smallest enclosing set, or -1
    owner: IntpArray  # per person: position of the smallest set holding them, or -1


def _laminar(sets: list[tuple[int, BoolArray]], size: int) -> _Side | None:
    """The tree of ``sets`` when any two are disjoint or nested, else None."""
    order = sorted(range(len(sets)), key=lambda i: (-int(sets[i][1].sum()), i))
    quotas = [sets[i][0] for i in order]
    members = [sets[i][1] for i in order]
    parent: list[int] = []
    owner = np.full(size, -1, dtype=np.intp)
    for pos, own in enumerate(members):
        enclosing = -1
        for earlier in range(pos):
            if not (own & members[earlier]).any():
                continue
            if (own & ~members[earlier]).any():
                return None  # crossing sets: not a network
            enclosing = earlier  # later in the order is smaller: the last one is the smallest
        parent.append(enclosing)
        owner[own] = pos
    return _Side(quotas, parent, owner)


def one_sided(problem: Problem, mask: BoolArray) -> tuple[_Side, _Side] | None:
    """Row-side and column-side laminar trees of the quotas, or None when they are not."""
    rows_used, cols_used = mask.any(axis=1), mask.any(axis=0)
    row_sets: list[tuple[int, BoolArray]] = []
    col_sets: list[tuple[int, BoolArray]] = []
    for k, q in enumerate(problem.quotas):
        if not (cols_used & ~q.col_mask).any():
            row_sets.append((k, q.row_mask & rows_used))
        elif not (rows_used & ~q.row_mask).any():
            col_sets.append((k, q.col_mask & cols_used))
        else:
            return None
    n, m = problem.shape
    rows = _laminar(row_sets, n)
    cols = _laminar(col_sets, m)
    return None if rows is None or cols is None else (rows, cols)


# -- the network and its flows ------------------------------------------------------


@dataclass(frozen=True)
class _Net:
    """Arcs of the quota network; the first ``n_pairs`` arcs are the pairs."""

    n_nodes: int
    source: int
    sink: int
    tails: IntpArray
    heads: IntpArray
    upper: Int64Array
    n_pairs: int
    pair_rows: IntpArray
    pair_cols: IntpArray
    group_arcs: IntpArray  # arc of each quota, in problem.quotas order


def _network(problem: Problem, mask: BoolArray, rows: _Side, cols: _Side) -> _Net:
    """The assignment network with the quota trees between source, people and sink."""
    base = build_network(problem, mask)
    n, _ = problem.shape
    tails, heads = base.tails.copy(), base.heads.copy()
    first_row_set = base.n_nodes
    first_col_set = first_row_set + len(rows.quotas)
    n_nodes = first_col_set + len(cols.quotas)

    def row_node(pos: IntpArray) -> IntpArray:
        return np.where(pos < 0, base.source, first_row_set + pos)

    def col_node(pos: IntpArray) -> IntpArray:
        return np.where(pos < 0, base.sink, first_col_set + pos)

    from_source = np.flatnonzero(tails == base.source)
    tails[from_source] = row_node(rows.owner[heads[from_source] - 1])
    into_sink = np.flatnonzero(heads == base.sink)
    heads[into_sink] = col_node(cols.owner[tails[into_sink] - 1 - n])
    row_parent = np.asarray(rows.parent, dtype=np.intp)
    col_parent = np.asarray(cols.parent, dtype=np.intp)
    big = int(base.caps[from_source].sum())
    group_arcs = np.zeros(len(problem.quotas), dtype=np.intp)
    group_arcs[rows.quotas] = base.tails.size + np.arange(len(rows.quotas))
    group_arcs[cols.quotas] = base.tails.size + len(rows.quotas) + np.arange(len(cols.quotas))
    return _Net(
        n_nodes,
        base.source,
        base.sink,
        np.concatenate(
            [tails, row_node(row_parent), first_col_set + np.arange(len(cols.quotas))]
        ).astype(np.intp),
        np.concatenate(
            [heads, first_row_set + np.arange(len(rows.quotas)), col_node(col_parent)]
        ).astype(np.intp),
        np.concatenate(
            [base.caps.astype(np.int64), np.full(len(problem.quotas), big, dtype=np.int64)]
        ),
        base.n_pairs,
        base.pair_rows,
        base.pair_cols,
        group_arcs,
    )


def min_cost_flow(
    tails: IntpArray,
    heads: IntpArray,
    lower: Int64Array,
    upper: Int64Array,
    cost: Int64Array,
    supply: Int64Array,
) -> Int64Array | None:
    """An integral min-cost flow with arc bounds ``[lower, upper]``, or None if none exists.

    ``supply[v]`` is the net outflow of node ``v`` (they sum to 0). Lower
    bounds are taken out first (each arc's lower bound leaves its tail and
    reaches its head as supply), leaving an ordinary min-cost flow problem.
    """
    if (upper < lower).any():
        return None
    supply = supply.copy()
    np.subtract.at(supply, tails, lower)
    np.add.at(supply, heads, lower)
    cap = upper - lower
    n_nodes = supply.size
    safe = 2**62 // ((n_nodes + 1) ** 2)
    if _have_ortools() and int(np.abs(cost).max(initial=0)) <= safe:
        flow = _ortools(tails, heads, cap, cost, supply)
    else:
        flow = _highs(tails, heads, cap, cost, supply)
    return None if flow is None else flow + lower


def _ortools(
    tails: IntpArray, heads: IntpArray, cap: Int64Array, cost: Int64Array, supply: Int64Array
) -> Int64Array | None:
    from ortools.graph.python import min_cost_flow as mcf

    solver = mcf.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), cap, cost
    )
    solver.set_nodes_supplies(np.arange(supply.size, dtype=np.int32), supply)
    status = solver.solve()
    if status == solver.INFEASIBLE:
        return None
    if status != solver.OPTIMAL:
        raise SolverError(f"OR-tools min-cost flow ended with status {status}.")
    return np.asarray(solver.flows(np.arange(tails.size, dtype=np.int32)), dtype=np.int64)


class _FractionalError(Exception):
    """HiGHS returned a non-integral flow: the integer program decides instead."""


def _highs(
    tails: IntpArray, heads: IntpArray, cap: Int64Array, cost: Int64Array, supply: Int64Array
) -> Int64Array | None:
    arcs = np.arange(tails.size)
    incidence = sp.csr_array(
        (
            np.concatenate([np.ones(arcs.size), -np.ones(arcs.size)]),
            (np.concatenate([tails, heads]), np.concatenate([arcs, arcs])),
        ),
        shape=(supply.size, arcs.size),
    )
    result = linprog(  # type: ignore[call-overload]
        cost.astype(float),
        A_eq=incidence,
        b_eq=supply.astype(float),
        bounds=np.stack([np.zeros(arcs.size), cap.astype(float)], axis=1),
        method="highs-ds",
    )
    if result.status == 2:
        return None
    if result.status != 0:
        raise SolverError(f"HiGHS did not solve the quota flow: {result.message}")
    x = np.asarray(result.x, dtype=float)
    if not np.allclose(x, np.rint(x), atol=1e-6):
        raise _FractionalError  # a numerical accident on a network matrix
    flow: Int64Array = np.rint(x).astype(np.int64)
    return flow


def _bounds(problem: Problem, net: _Net, total: int | None) -> tuple[Int64Array, Int64Array]:
    """Arc bounds: every quota's minimum as a lower bound, its maximum (and shares at ``total``)."""
    lower = np.zeros(net.tails.size, dtype=np.int64)
    upper = net.upper.copy()
    for k, q in enumerate(problem.quotas):
        lo, hi = q.min, net.upper[net.group_arcs[k]]
        if q.max is not None:
            hi = min(hi, q.max)
        if total is not None:
            lo = max(lo, math.ceil(q.min_share * total - 1e-9))
            if q.max_share is not None:
                hi = min(hi, math.floor(q.max_share * total + 1e-9))
        lower[net.group_arcs[k]], upper[net.group_arcs[k]] = lo, hi
    return lower, upper


def _with_return(
    net: _Net, lower: Int64Array, upper: Int64Array, cost: Int64Array, back: int
) -> Int64Array | None:
    """A min-cost circulation through a return arc sink -> source costing ``back`` per pair."""
    big = int(net.upper[: net.n_pairs].sum())
    flow = min_cost_flow(
        np.append(net.tails, net.sink),
        np.append(net.heads, net.source),
        np.append(lower, 0),
        np.append(upper, big),
        np.append(cost, back),
        np.zeros(net.n_nodes, dtype=np.int64),
    )
    return None if flow is None else flow[:-1]


def _most_pairs(net: _Net, lower: Int64Array, upper: Int64Array) -> int | None:
    """The most pairs a flow within the bounds carries; None when no flow meets them."""
    if not lower.any():
        # Dinic's maximum flow; far cheaper than a circulation.
        graph = sp.csr_array(
            (upper.astype(np.int32), (net.tails, net.heads)), shape=(net.n_nodes, net.n_nodes)
        )
        return int(maximum_flow(graph, net.source, net.sink).flow_value)
    cost = np.zeros(net.tails.size, dtype=np.int64)
    most = _with_return(net, lower, upper, cost, -1)
    return None if most is None else int(most[net.tails == net.source].sum())


def _of_value(
    net: _Net, lower: Int64Array, upper: Int64Array, cost: Int64Array, total: int
) -> Int64Array | None:
    supply = np.zeros(net.n_nodes, dtype=np.int64)
    supply[net.source], supply[net.sink] = total, -total
    return min_cost_flow(net.tails, net.heads, lower, upper, cost, supply)


def _share_total(
    problem: Problem,
    net: _Net,
    lower: Int64Array,
    upper: Int64Array,
    top: int,
    shares: list[tuple[int, float, bool]],
) -> int | None:
    """The most pairs that can meet the share quotas (at most ``top``), or None if not found.

    With one share bound, the numbers of pairs ``C`` that can meet it form an
    interval: for a minimum share ``s``, ``C`` can iff ``kmax(C) >= s C``,
    where ``kmax(C)``, the most pairs the block can hold in a flow of value
    ``C``, is the value of a parametric linear program (concave in ``C``)
    and an integer at integer ``C`` (total unimodularity); a maximum share
    is the mirror image with the least pairs, convex. A circulation that
    rewards the block's pairs at the share's price finds a ``C`` inside the
    interval, and bisection between it and ``top`` finds the interval's end.
    With several share bounds, ``C`` is tried downwards from ``top``.
    """
    zero = np.zeros(net.tails.size, dtype=np.int64)

    def feasible(total: int) -> bool:
        return _of_value(net, *_bounds(problem, net, total), zero, total) is not None

    if feasible(top):
        return top
    if len(shares) > 1:
        for total in range(top - 1, max(top - SHARE_TRIES, -1), -1):
            if feasible(total):
                return total
        return None
    k, share, is_min = shares[0]
    price = Fraction(share).limit_denominator(1000)
    cost = zero.copy()
    cost[net.group_arcs[k]] = -price.denominator if is_min else price.denominator
    back = price.numerator if is_min else -price.numerator
    inside = _with_return(net, lower, upper, cost, back)
    if inside is None:
        return None
    low, high = int(inside[net.tails == net.source].sum()), top
    if not feasible(low):
        return None  # the rounded price missed the interval: the integer program decides
    while high - low > 1:
        middle = (low + high) // 2
        if feasible(middle):
            low = middle
        else:
            high = middle
    return low


def flow_pairs(
    problem: Problem, mask: BoolArray, cardinality_first: bool, ints: Int64Array
) -> Pairs | None:
    """The quota program solved as min-cost flows (see the module docs), or None.

    ``ints`` are the integer weights of the pairs of ``mask`` in row-major
    order, as the integer program uses them. None when the quotas do not
    form the network (crossing sets, blocks of rows and columns both), when
    the minimums cannot all be met, when shares come without
    ``cardinality_first``, or when the number of pairs that meets the
    shares is not found (see :func:`_share_total`).
    """
    try:
        return _flow_pairs(problem, mask, cardinality_first, ints)
    except _FractionalError:
        return None


def _flow_pairs(
    problem: Problem, mask: BoolArray, cardinality_first: bool, ints: Int64Array
) -> Pairs | None:
    """:func:`flow_pairs` without the guard."""
    sides = one_sided(problem, mask)
    shares = [
        (k, q.min_share if side else float(q.max_share or 0.0), side)
        for k, q in enumerate(problem.quotas)
        for side in (True, False)
        if (q.min_share > 0 if side else q.max_share is not None)
    ]
    if sides is None or (shares and not cardinality_first):
        return None
    net = _network(problem, mask, *sides)
    cost = np.zeros(net.tails.size, dtype=np.int64)
    lower, upper = _bounds(problem, net, None)
    if not cardinality_first:
        cost[: net.n_pairs] = -ints
        flow = _with_return(net, lower, upper, cost, 0)
    else:
        top = _most_pairs(net, lower, upper)
        if top is None:
            return None  # some minimum cannot be met: the shortfall level decides
        total = _share_total(problem, net, lower, upper, top, shares) if shares else top
        if total is None:
            return None
        cost[: net.n_pairs] = -ints
        flow = _of_value(net, *_bounds(problem, net, total), cost, total)
    if flow is None:
        return None
    used = np.flatnonzero(flow[: net.n_pairs] > 0)
    return net.pair_rows[used], net.pair_cols[used]
