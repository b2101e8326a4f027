"""Sparse assignment: :func:`scipy.sparse.csgraph.min_weight_full_bipartite_matching`.

Only the pairs that may be chosen become edges, so the work follows the number
of candidate pairs rather than ``n_rows * n_cols``.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import maximum_bipartite_matching, min_weight_full_bipartite_matching

from revmatch.solvers._assignment import SolverError
from revmatch.solvers._dense import replicas
from revmatch.solvers._network import exact_float_limit, integer_weights
from revmatch.solvers._problem import BoolArray, Candidates, FloatArray, IntpArray, Problem

__all__ = ["copied_edges", "edge_values", "solve_sparse", "sparse_pairs"]

Pairs = tuple[IntpArray, IntpArray]


def copied_edges(candidates: Candidates) -> tuple[Pairs, Pairs, IntpArray | None]:
    """Edges between row copies and column copies (see :mod:`._dense`).

    Returns
    -------
    (row_of_copy, col_of_copy), (edge_row_copy, edge_col_copy), pair_of_edge
        The original index of every copy, the copy indices of the edges, and
        for edge ``e`` the index ``k`` of its candidate pair
        ``(rows[k], cols[k])``; ``pair_of_edge`` is None when no copying
        happened (then ``k = e``).
    """
    pr, pc = candidates.rows, candidates.cols
    n, m = candidates.shape
    row_deg, col_deg = candidates.degrees
    row_of, col_of = replicas(candidates.row_capacities, candidates.capacities, row_deg, col_deg)
    row_rep = np.bincount(row_of, minlength=n)
    col_rep = np.bincount(col_of, minlength=m)
    row_start = (np.cumsum(row_rep) - row_rep).astype(np.intp)
    col_start = (np.cumsum(col_rep) - col_rep).astype(np.intp)
    if row_of.size == int(np.count_nonzero(row_rep)) and col_of.size == int(
        np.count_nonzero(col_rep)
    ):
        return (row_of, col_of), (row_start[pr], col_start[pc]), None
    # Each pair becomes row_rep * col_rep edges; at most one factor exceeds one
    # (otherwise the problem is many-to-many and never reaches this method).
    reps = row_rep[pr] * col_rep[pc]
    pair_of_edge = np.repeat(np.arange(pr.size, dtype=np.intp), reps)
    er, ec = pr[pair_of_edge], pc[pair_of_edge]
    offset = np.arange(er.size, dtype=np.intp) - np.repeat(np.cumsum(reps) - reps, reps)
    multi_row = row_rep[er] > 1
    edge_r = row_start[er] + np.where(multi_row, offset, 0)
    edge_c = col_start[ec] + np.where(multi_row, 0, offset)
    return (row_of, col_of), (edge_r.astype(np.intp), edge_c.astype(np.intp)), pair_of_edge


def edge_values(values: FloatArray, cardinality_first: bool, k: int) -> FloatArray:
    """Per-edge values to maximise; the sparse form of ``assignment_matrix``.

    With ``cardinality_first`` the values become ``B + (w - w_min)`` with
    ``B = (k + 1)(w_max - w_min)`` (or 1), so one more pair always outweighs
    any gain in weight; see :func:`revmatch.solvers._dense.assignment_matrix`
    for the proof and the float bound.
    """
    if not cardinality_first or values.size == 0:
        return values
    w_min = float(values.min())
    spread = float(values.max()) - w_min
    big = (k + 1) * spread if spread > 0 else 1.0
    return values + (big - w_min)


def _full_matching(graph: sp.csr_array) -> Pairs:
    """csgraph's LAPJVsp; its ``ValueError`` (no full matching) is a broken guarantee here.

    Every graph built below has a full matching with strictly positive costs
    (the dummy columns, or the Hopcroft–Karp check of the fast path), so a
    failure is a bug to report as :class:`SolverError`, never the
    dependency's bare error.
    """
    try:
        r_idx, c_idx = min_weight_full_bipartite_matching(graph)
    except ValueError as exc:
        raise SolverError(f"LAPJVsp found no full matching where one exists: {exc}.") from exc
    return r_idx.astype(np.intp, copy=False), c_idx.astype(np.intp, copy=False)


def _csr(
    rows: IntpArray, cols: IntpArray, data: FloatArray, shape: tuple[int, int]
) -> sp.csr_array:
    """CSR matrix from duplicate-free edges, skipping the COO sort when already row-major."""
    if rows.size > 1 and bool((rows[1:] < rows[:-1]).any()):
        order = np.argsort(rows, kind="stable")
        rows, cols, data = rows[order], cols[order], data[order]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=shape[0]))])
    return sp.csr_array((data, cols.astype(np.int32), indptr.astype(np.int32)), shape=shape)


def solve_sparse(problem: Problem, mask: BoolArray, cardinality_first: bool) -> Pairs:
    """Solve with csgraph's sparse LAPJV on the pairs of ``mask``; see :func:`sparse_pairs`."""
    return sparse_pairs(Candidates.of(problem, mask), cardinality_first)


def sparse_pairs(candidates: Candidates, cardinality_first: bool) -> Pairs:
    """Solve with csgraph's sparse LAPJV on the candidate pairs.

    Costs are integers held in float64 (:func:`integer_weights`, exact on the
    1e-6 score grid). That matters: with float costs that tie exactly, as
    quantised scores do, csgraph's LAPJVsp ran for minutes without finishing,
    in its ``maximize=True`` form and in the minimisation form alike, while
    integer-valued costs always finished quickly (regression test with a hang
    guard in ``tests/solvers``).

    Fast path (``cardinality_first`` only): when Hopcroft–Karp finds a matching
    that covers the smaller side of the copied graph, every optimum covers it
    too, so the full matching of minimum cost ``top - w`` over the candidate
    edges alone is the answer, with ``top = max(w) + spread`` so that costs lie
    in ``[spread, 2 spread]`` (the "2 - S" form).

    Otherwise every row copy ``r`` gets a private dummy column ``D_r`` meaning
    "left unmatched", so a matching that covers every row copy always exists and
    partial or rectangular problems need nothing else. A pair worth ``v``
    (:func:`edge_values`) costs ``top - v`` and a dummy (worth 0) costs
    ``top = 2 max(v)``, so every full matching costs ``n_copies * top - (value
    of its pairs)``: minimising cost maximises value. All costs are strictly
    positive, as csgraph drops explicit zeros from the sparse matrix.
    """
    (row_of, col_of), (er, ec), pair_of_edge = copied_edges(candidates)
    p, q = row_of.size, col_of.size
    if p == 0 or q == 0:
        return np.zeros(0, np.intp), np.zeros(0, np.intp)
    k = min(p, q)
    raw = candidates.weights
    if cardinality_first:
        ints, _ = integer_weights(raw, exact_float_limit(2 * (p + q), 4))
        weights = (ints if pair_of_edge is None else ints[pair_of_edge]).astype(np.float64)
        spread = float(weights.max() - weights.min()) or 1.0
        graph = _csr(er, ec, (float(weights.max()) + spread) - weights, (p, q))
        if np.count_nonzero(maximum_bipartite_matching(graph) >= 0) == k:
            r_idx, c_idx = _full_matching(graph)
            return row_of[r_idx], col_of[c_idx]
    # Values reach 2 (k + 2) max|w| with the cardinality term (see edge_values).
    factor = 4 * (k + 2) if cardinality_first else 4
    ints, _ = integer_weights(raw, exact_float_limit(2 * (p + q), factor))
    weights = (ints if pair_of_edge is None else ints[pair_of_edge]).astype(np.float64)
    values = edge_values(weights, cardinality_first, k)
    top = 2.0 * float(values.max())
    data = np.concatenate([top - values, np.full(p, top)])
    rows = np.concatenate([er, np.arange(p, dtype=np.intp)])
    cols = np.concatenate([ec, q + np.arange(p, dtype=np.intp)])
    graph = _csr(rows, cols, data, (p, q + p))
    r_idx, c_idx = _full_matching(graph)
    real = c_idx < q
    return row_of[r_idx[real]], col_of[c_idx[real]]
