"""Run revmatch on a benchmark instance, with the rules closest to each peer.

Variants (all build revmatch's input from the instance's preference lists
inside the timed region, as the peers build their objects: a dense score
matrix and feasibility mask for the solvers, a sparse matrix of the listed
pairs for stable matching):

``exact``
    ``rm.solve``: the default objective (as many executives as possible,
    then the largest total score), exact, ``method="auto"``.
``max_score``
    ``rm.solve(objective="max_score")``: the largest total score, which is
    what mentor-match's Munkres step maximises.
``stable``
    ``rm.stable_match``, executive-proposing, both sides ranking by score:
    the matching ``matching``'s ``HospitalResident`` computes.
``stable_rank``
    ``rm.stable_match`` with mentors preferring the executives that ranked
    them higher (ties by index): mentormatch's preferred phase. Both sides
    are given by list position (an executive's list is already its order),
    so only the mentor columns are read from the lists, as mentormatch reads
    ranks.
``match``
    ``rm.read_program`` + ``rm.match`` on the program file itself: validation,
    DST-aware scoring of every pair, rules, solve, meeting slots and
    explanations — more work than any peer does.
"""

from __future__ import annotations

import sys
from itertools import chain
from operator import itemgetter
from typing import Any

import numpy as np
import scipy.sparse as sp
from _protocol import Instance, Pairs, run_driver
from numpy.typing import NDArray

import revmatch as rm

IntArray = NDArray[np.intp]


def _cells(instance: Instance, with_scores: bool) -> tuple[IntArray, IntArray, IntArray | None]:
    """Flat cell number (row * n_mentors + column) of every listed pair, in list order.

    Also each row's list length and, if asked, every pair's score in millionths.
    """
    n, m = len(instance.executives), len(instance.mentors)
    lengths = np.fromiter((len(row) for row in instance.prefs), dtype=np.intp, count=n)
    total = int(lengths.sum())
    pairs = chain.from_iterable(instance.prefs)
    if with_scores:
        flat = np.fromiter(chain.from_iterable(pairs), dtype=np.int64, count=2 * total)
        cols, micro = flat[0::2], flat[1::2]
    else:
        cols, micro = np.fromiter(map(itemgetter(0), pairs), dtype=np.int64, count=total), None
    rows = np.repeat(np.arange(n, dtype=np.intp), lengths)
    return rows * m + cols, lengths, micro


def _dense(instance: Instance, cells: IntArray, values: NDArray[Any]) -> NDArray[Any]:
    n, m = len(instance.executives), len(instance.mentors)
    out = np.zeros(n * m, dtype=values.dtype)
    out[cells] = values
    return out.reshape(n, m)


def _graph(instance: Instance, cells: IntArray, values: NDArray[np.float64]) -> sp.csr_array:
    """The listed pairs as a sparse matrix: the stored entries are the acceptable pairs."""
    n, m = len(instance.executives), len(instance.mentors)
    order = np.argsort(cells)  # row-major: the canonical CSR layout
    cells = cells[order]
    indptr = np.searchsorted(cells, np.arange(n + 1) * m)
    return sp.csr_array((values[order], cells % m, indptr), shape=(n, m))


def _list_view(lengths: IntArray) -> NDArray[np.float64]:
    """Minus each pair's position in its executive's list (lists are best first)."""
    starts = np.cumsum(lengths) - lengths
    return (np.repeat(starts, lengths) - np.arange(int(lengths.sum()))).astype(np.float64)


def _match(instance: Instance) -> Pairs:
    result = rm.match(rm.read_program(instance.program_file))
    exec_index = {e: i for i, e in enumerate(instance.executives)}
    mentor_index = {m: j for j, m in enumerate(instance.mentors)}
    return [(exec_index[p.executive_id], mentor_index[p.mentor_id]) for p in result.pairs]


def solve(instance: Instance, variant: str) -> Pairs:
    if variant == "match":
        return _match(instance)
    capacities = np.asarray(instance.capacities, dtype=np.int64)
    if variant == "stable_rank":
        # Both sides by list position: the executives' lists are their own
        # order (score, then index), the mentors' view is mentormatch's rule.
        cells, lengths, _ = _cells(instance, with_scores=False)
        view = _graph(instance, cells, _list_view(lengths))
        assignment = rm.stable_match(view, capacities=capacities)
        return list(zip(assignment.rows.tolist(), assignment.cols.tolist(), strict=True))
    cells, _, micro = _cells(instance, with_scores=True)
    assert micro is not None
    if variant == "stable":
        assignment = rm.stable_match(_graph(instance, cells, micro / 1e6), capacities=capacities)
        return list(zip(assignment.rows.tolist(), assignment.cols.tolist(), strict=True))
    weights = _dense(instance, cells, micro / 1e6)
    feasible = _dense(instance, cells, np.ones(cells.size, dtype=np.bool_))
    if variant == "exact":
        assignment = rm.solve(weights, feasible=feasible, capacities=capacities, method="auto")
    elif variant == "max_score":
        assignment = rm.solve(
            weights, feasible=feasible, capacities=capacities, objective="max_score", method="auto"
        )
    else:
        raise SystemExit(f"unknown variant {variant!r}")
    return list(zip(assignment.rows.tolist(), assignment.cols.tolist(), strict=True))


if __name__ == "__main__":
    sys.exit(run_driver("revmatch", ["revmatch", "numpy", "scipy"], solve))
