"""The flow network behind every solver, and the exact cardinality checks built on it.

Every problem the solvers accept is a bipartite b-matching in which each pair is
used at most once. As a network::

    source -> row i            capacity row_capacities[i]
    row i -> column j          capacity 1, one arc per pair that may be chosen
    row i -> (row i, group g)  capacity 1, when pairs of row i carry group label g
    (row i, group g) -> col j  capacity 1, replacing the direct arc
    column j -> sink           capacity capacities[j]

Integral flows are exactly the feasible assignments, so maximum flow gives the
maximum number of pairs, and min-cost flow on the same arcs gives the optimum.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import breadth_first_order, maximum_bipartite_matching, maximum_flow

from revmatch.solvers._problem import (
    BoolArray,
    Candidates,
    FloatArray,
    IntpArray,
    Problem,
    extremes,
    mask_cells,
)

__all__ = [
    "Network",
    "build_network",
    "candidate_network",
    "exact_float_limit",
    "grid_integers",
    "hall_violation",
    "integer_weights",
    "max_cardinality",
    "pairs_from_mask",
]


def pairs_from_mask(mask: BoolArray) -> tuple[IntpArray, IntpArray]:
    """Row-major (row, col) indices of the True entries of ``mask``."""
    _, rows, cols = mask_cells(mask)
    return rows, cols


@dataclass(frozen=True)
class Network:
    """Arc lists of the assignment network (see the module docstring).

    The first ``n_pairs`` arcs are the pair arcs, in the order of
    ``pair_rows``/``pair_cols`` (row-major); flow on arc ``k`` means pair
    ``(pair_rows[k], pair_cols[k])`` is chosen.
    """

    n_nodes: int
    source: int
    sink: int
    tails: IntpArray
    heads: IntpArray
    caps: IntpArray
    pair_rows: IntpArray
    pair_cols: IntpArray

    @property
    def n_pairs(self) -> int:
        """Number of pair arcs."""
        return int(self.pair_rows.size)


def build_network(problem: Problem, mask: BoolArray, row_caps: IntpArray | None = None) -> Network:
    """Build the network of ``problem`` restricted to the pairs in ``mask``.

    Parameters
    ----------
    problem : Problem
    mask : (n, m) bool
        Pairs that may be chosen.
    row_caps : (n,) intp, optional
        Source arc capacities; defaults to ``problem.row_capacities``.
    """
    pr, pc = pairs_from_mask(mask)
    labels = None if problem.pair_groups is None else problem.pair_groups[pr, pc]
    rcap = problem.row_capacities if row_caps is None else row_caps
    return _assemble(problem.shape, rcap, problem.capacities, pr, pc, labels)


def candidate_network(candidates: Candidates) -> Network:
    """The network of a candidate list (pair arcs in the list's order)."""
    c = candidates
    return _assemble(c.shape, c.row_capacities, c.capacities, c.rows, c.cols, c.labels)


def _assemble(
    shape: tuple[int, int],
    rcap: IntpArray,
    ccap: IntpArray,
    pr: IntpArray,
    pc: IntpArray,
    labels: IntpArray | None,
) -> Network:
    n, m = shape
    source, first_col = 0, n + 1
    # Group nodes sit between the columns and the sink.
    first_group = first_col + m
    heads_pair = first_col + pc
    tails_pair = 1 + pr
    extra_tails: list[IntpArray] = []
    extra_heads: list[IntpArray] = []
    n_groups = 0
    if labels is not None:
        grouped = labels >= 0
        if grouped.any():
            keys = np.stack([pr[grouped], labels[grouped]], axis=1)
            uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
            n_groups = int(uniq.shape[0])
            tails_pair = tails_pair.copy()
            tails_pair[grouped] = first_group + inverse.reshape(-1)
            extra_tails.append((1 + uniq[:, 0]).astype(np.intp))
            extra_heads.append((first_group + np.arange(n_groups)).astype(np.intp))
    sink = first_group + n_groups
    rows_used = np.flatnonzero(rcap > 0)
    cols_used = np.flatnonzero(ccap > 0)
    tails = np.concatenate(
        [tails_pair, *extra_tails, np.zeros(rows_used.size, np.intp), first_col + cols_used]
    ).astype(np.intp)
    heads = np.concatenate(
        [heads_pair, *extra_heads, 1 + rows_used, np.full(cols_used.size, sink, np.intp)]
    ).astype(np.intp)
    caps = np.concatenate(
        [
            np.ones(pr.size + sum(t.size for t in extra_tails), np.intp),
            rcap[rows_used],
            ccap[cols_used],
        ]
    ).astype(np.intp)
    return Network(sink + 1, source, sink, tails, heads, caps, pr, pc)


def _flow_graph(net: Network) -> sp.csr_array:
    return sp.csr_array(
        (net.caps.astype(np.int32), (net.tails, net.heads)), shape=(net.n_nodes, net.n_nodes)
    )


def max_cardinality(problem: Problem, mask: BoolArray) -> int:
    """Largest number of pairs any feasible assignment within ``mask`` can have.

    Uses Hopcroft–Karp (:func:`scipy.sparse.csgraph.maximum_bipartite_matching`,
    :math:`O(E\\sqrt{V})`) when every capacity is one and there are no groups,
    and Dinic's maximum flow on the network otherwise.
    """
    if not mask.any():
        return 0
    if problem.unit:
        matching = maximum_bipartite_matching(sp.csr_array(mask), perm_type="column")
        return int(np.count_nonzero(matching >= 0))
    net = build_network(problem, mask)
    return int(maximum_flow(_flow_graph(net), net.source, net.sink).flow_value)


@dataclass(frozen=True)
class HallViolation:
    """Why some rows cannot all get their demanded number of partners.

    Attributes
    ----------
    short_rows : rows that get fewer partners than demanded in a maximum flow.
    competing_rows : every row in the deficient set (short rows included).
    full_cols : the columns those rows could use; all are at capacity.
    missing : total number of partners short.
    """

    short_rows: IntpArray
    competing_rows: IntpArray
    full_cols: IntpArray
    missing: int


def hall_violation(problem: Problem, mask: BoolArray, demand: IntpArray) -> HallViolation | None:
    """Return the minimum-cut explanation when ``demand`` cannot be met, else None.

    The rows reachable from the source in the residual network of a maximum
    flow form a set whose demand exceeds what its usable columns can give
    (Hall's condition fails for it); every column reachable from them is full.
    """
    net = build_network(problem, mask, row_caps=demand)
    graph = _flow_graph(net)
    result = maximum_flow(graph, net.source, net.sink)
    wanted = int(demand.sum())
    if int(result.flow_value) >= wanted:
        return None
    n, m = problem.shape
    flow = result.flow.tocsr()
    residual = (graph - flow).tocsr()
    residual.data[residual.data < 0] = 0
    residual.eliminate_zeros()
    reached = breadth_first_order(residual, net.source, directed=True, return_predecessors=False)
    seen = np.zeros(net.n_nodes, dtype=np.bool_)
    seen[reached] = True
    inflow = np.asarray(flow[[net.source], :].toarray()).reshape(-1)[1 : n + 1]
    short = np.flatnonzero(inflow < demand)
    return HallViolation(
        short_rows=short.astype(np.intp),
        competing_rows=np.flatnonzero(seen[1 : n + 1]).astype(np.intp),
        full_cols=np.flatnonzero(seen[n + 1 : n + 1 + m]).astype(np.intp),
        missing=wanted - int(result.flow_value),
    )


#: Exact decimal grid of revmatch scores; weights on it scale to integers exactly.
SCORE_GRID = 1e-6


#: Distance from an integer (in grid units) still counted as on the grid.
_GRID_TOLERANCE = 1e-6
#: Elements per chunk of the scaling loops: the temporaries stay in cache
#: and no large fresh array is touched but the result.
_CHUNK = 1 << 16


def _rounded(
    values: FloatArray,
    factor: float,
    divide: bool,
    tolerance: float | None,
    dtype: type[np.int64] | type[np.float64],
) -> NDArray[Any] | None:
    """``rint(values / factor)`` (or ``* factor``) in ``dtype``, one chunk at a time.

    With ``tolerance``, None as soon as a scaled value lies farther than that
    from an integer, or a nonzero value would round to 0 (so the grid never
    takes a weight's sign away). Without it, a nonzero value that would round
    to 0 becomes ``+-1`` instead: the integers keep the sign of every value.
    The arithmetic is that of the whole-array expression, element by
    element, so the result is the same; only the temporaries are chunk-sized.
    """
    flat = values.reshape(-1)
    out = np.empty(flat.size, dtype=dtype)
    size = min(_CHUNK, flat.size)
    scaled, whole = np.empty(size), np.empty(size)
    op = np.divide if divide else np.multiply
    for lo in range(0, flat.size, _CHUNK):
        part = flat[lo : lo + _CHUNK]
        s, w = scaled[: part.size], whole[: part.size]
        op(part, factor, out=s)
        np.rint(s, out=w)
        lost = (w == 0) & (part != 0)
        if tolerance is not None:
            np.subtract(s, w, out=s)
            np.abs(s, out=s)
            if float(s.max()) > tolerance or lost.any():
                return None
        elif lost.any():
            w[lost] = np.sign(part[lost])
        np.copyto(out[lo : lo + part.size], w, casting="unsafe")
    return out.reshape(values.shape)


def magnitude(values: FloatArray) -> float:
    """Largest ``|value|``, from :func:`extremes` (no ``|values|`` temporary); 0 when empty."""
    lo, hi = extremes(values.reshape(-1))
    return max(-lo, hi)


def _on_grid(values: FloatArray, dtype: type[np.int64] | type[np.float64]) -> NDArray[Any] | None:
    """``values / 1e-6`` rounded, in ``dtype``, if every value lies on the score grid.

    On the grid means within ``1e-6`` grid units (``1e-12``) of a multiple of
    ``1e-6``, and not a nonzero value next to 0: ``1e-12`` is not taken for 0,
    so that every method sees the same pairs of weight 0 (under ``max_score``,
    the pairs it may leave out). A fixed sample is checked first, so weights
    off the grid are rejected without a full pass.
    """
    flat = values.reshape(-1)
    sample = flat[:: max(1, flat.size // 256)]
    probe = sample / SCORE_GRID
    whole = np.rint(probe)
    if not bool(np.all(np.abs(probe - whole) <= _GRID_TOLERANCE)):
        return None
    if bool(((whole == 0) & (sample != 0)).any()):
        return None
    return _rounded(values, SCORE_GRID, True, _GRID_TOLERANCE, dtype)


def grid_integers(values: FloatArray) -> NDArray[np.int64] | None:
    """``values / 1e-6`` as integers if every value lies on the score grid, else None."""
    return _on_grid(values, np.int64)


def grid_values(values: FloatArray) -> FloatArray | None:
    """:func:`grid_integers` held in float64 (exact: the caller bounds their size)."""
    return _on_grid(values, np.float64)


def integer_weights(values: FloatArray, limit: int) -> tuple[NDArray[np.int64], float]:
    """Scale float weights to integers for the integer-cost methods.

    Parameters
    ----------
    values : float64 array
        Weights to convert.
    limit : int
        Largest absolute integer the caller can afford (overflow headroom of
        the integer solver).

    Returns
    -------
    ints : int64 array
        ``rint(values * scale)``.
    scale : float
        ``10**6`` when every weight lies on the ``1e-6`` grid of revmatch
        scores and fits (then the conversion is exact), else the largest power
        of two with ``max|values| * scale <= limit``.

    Notes
    -----
    Every integer has the sign of its weight: 0 only for a weight of exactly
    0, so all methods agree on which pairs are worth nothing (``max_score``
    leaves out the pairs of weight <= 0 before any method runs, and a tiny
    positive weight stays worth taking). Off the grid each weight moves by at
    most ``0.5 / scale``, or by less than ``1 / scale`` when a nonzero weight
    would round to 0 and becomes ``+-1``; so an optimum of the integer
    problem is within ``2 k / scale`` of the true optimum, ``k`` being the
    number of chosen pairs (the rounding can favour the returned assignment
    by ``k / scale`` and disfavour the true optimum by as much).
    """
    if values.size == 0:
        return np.zeros(values.shape, np.int64), 1.0
    amax = magnitude(values)
    grid = grid_integers(values) if amax / SCORE_GRID <= limit else None
    if grid is not None:
        return grid, 1.0 / SCORE_GRID
    scale = 2.0 ** np.floor(np.log2(limit / amax)) if amax > 0 else 1.0
    ints = _rounded(values, float(scale), False, None, np.int64)
    assert ints is not None  # no tolerance, no rejection
    return ints, float(scale)


def exact_float_limit(n_terms: int, factor: int) -> int:
    """Largest integer weight keeping float64 arithmetic exact in a LAPJV-type solver.

    Costs reach ``factor * max|w|`` and the solver adds up to ``n_terms`` of
    them (paths and potentials), so every intermediate stays an integer below
    ``2**53`` and every comparison is exact.
    """
    return max(1, 2**52 // (max(n_terms, 1) * max(factor, 1)))
