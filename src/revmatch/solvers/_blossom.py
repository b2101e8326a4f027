"""Edmonds' blossom algorithm via :func:`networkx.max_weight_matching`.

A general-graph matching algorithm, far slower than the bipartite methods, kept
for small instances and as an independent oracle in the tests.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from revmatch.solvers._network import integer_weights
from revmatch.solvers._problem import BoolArray, Candidates, IntpArray, Problem
from revmatch.solvers._sparse import copied_edges

__all__ = ["solve_blossom"]


def solve_blossom(
    problem: Problem, mask: BoolArray, cardinality_first: bool
) -> tuple[IntpArray, IntpArray]:
    """Solve with networkx's blossom matching on the copied bipartite graph.

    ``cardinality_first`` maps to ``maxcardinality=True`` (the heaviest among
    maximum matchings). Weights are scaled to integers, with which networkx
    computes exactly; they are shifted to be >= 1 (a constant per pair changes
    nothing once the number of pairs is fixed, and ``max_score`` weights are
    already positive).
    """
    candidates = Candidates.of(problem, mask)
    (row_of, col_of), (er, ec), pair_of_edge = copied_edges(candidates)
    if er.size == 0:
        return np.zeros(0, np.intp), np.zeros(0, np.intp)
    ints, _ = integer_weights(candidates.weights, 2**52)
    if pair_of_edge is not None:
        ints = ints[pair_of_edge]
    if cardinality_first:
        ints = ints - ints.min() + 1
    p = row_of.size
    graph: nx.Graph[int] = nx.Graph()
    graph.add_weighted_edges_from(zip(er.tolist(), (p + ec).tolist(), ints.tolist(), strict=True))
    matching = nx.max_weight_matching(graph, maxcardinality=cardinality_first)
    ends = np.array(sorted((min(u, v), max(u, v)) for u, v in matching), dtype=np.intp)
    if ends.size == 0:
        return np.zeros(0, np.intp), np.zeros(0, np.intp)
    return row_of[ends[:, 0]], col_of[ends[:, 1] - p]
