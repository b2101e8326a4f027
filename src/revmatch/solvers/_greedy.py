"""The greedy baseline: heaviest pair first. Not exact."""

from __future__ import annotations

import numpy as np

from revmatch.solvers._network import pairs_from_mask
from revmatch.solvers._problem import BoolArray, IntpArray, Problem

__all__ = ["solve_greedy"]


def solve_greedy(
    problem: Problem, mask: BoolArray, cardinality_first: bool
) -> tuple[IntpArray, IntpArray]:
    """Take pairs by decreasing weight while their row, column and group allow.

    Ties go to the lower (row, col). ``cardinality_first`` is ignored: greedy
    has no notion of coverage beyond taking every pair it still can, which
    makes the result maximal (no pair can be added) but not maximum. Time
    :math:`O(E \\log E)` for the sort plus :math:`O(E)` for the scan. A weight
    ratio of 1/2 to the optimum is all that is guaranteed for ``max_score``.
    """
    pr, pc = pairs_from_mask(mask)
    order = np.lexsort((pc, pr, -problem.weights[pr, pc]))
    row_left = problem.row_capacities.tolist()
    col_left = problem.capacities.tolist()
    groups = problem.pair_groups
    labels = groups[pr, pc].tolist() if groups is not None else None
    used: set[tuple[int, int]] = set()
    chosen: list[int] = []
    rows, cols = pr.tolist(), pc.tolist()
    for k in order.tolist():
        i, j = rows[k], cols[k]
        if row_left[i] == 0 or col_left[j] == 0:
            continue
        if labels is not None and labels[k] >= 0:
            if (i, labels[k]) in used:
                continue
            used.add((i, labels[k]))
        row_left[i] -= 1
        col_left[j] -= 1
        chosen.append(k)
    idx = np.asarray(chosen, dtype=np.intp)
    return pr[idx], pc[idx]
