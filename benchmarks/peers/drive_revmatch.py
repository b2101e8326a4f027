"""Run revmatch on a benchmark instance, with the rules closest to each peer.

Variants (all build the score matrix and feasibility mask from the
instance's preference lists inside the timed region, as the peers build
their objects):

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
    them higher (ties by index): mentormatch's preferred phase.
``match``
    ``rm.read_program`` + ``rm.match`` on the program file itself: validation,
    DST-aware scoring of every pair, rules, solve, meeting slots and
    explanations — more work than any peer does.
"""

from __future__ import annotations

import sys
from itertools import chain

import numpy as np
from _protocol import Instance, Pairs, run_driver
from numpy.typing import NDArray

import revmatch as rm


def _arrays(
    instance: Instance,
) -> tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.float64], NDArray[np.int64]]:
    n, m = len(instance.executives), len(instance.mentors)
    lengths = [len(row) for row in instance.prefs]
    rows = np.repeat(np.arange(n), lengths)
    flat = np.fromiter(
        chain.from_iterable(chain.from_iterable(instance.prefs)),
        dtype=np.int64,
        count=2 * rows.size,
    ).reshape(-1, 2)
    cols = flat[:, 0]
    weights = np.zeros((n, m))
    weights[rows, cols] = flat[:, 1] / 1e6
    feasible = np.zeros((n, m), dtype=bool)
    feasible[rows, cols] = True
    # Position of each mentor in the executive's list (lists are best first).
    rank = np.zeros((n, m))
    starts = np.cumsum([0, *lengths[:-1]]) if n else np.zeros(0, dtype=np.int64)
    rank[rows, cols] = np.arange(rows.size) - np.repeat(starts, lengths)
    return weights, feasible, rank, np.asarray(instance.capacities, dtype=np.int64)


def _match(instance: Instance) -> Pairs:
    result = rm.match(rm.read_program(instance.program_file))
    exec_index = {e: i for i, e in enumerate(instance.executives)}
    mentor_index = {m: j for j, m in enumerate(instance.mentors)}
    return [(exec_index[p.executive_id], mentor_index[p.mentor_id]) for p in result.pairs]


def solve(instance: Instance, variant: str) -> Pairs:
    if variant == "match":
        return _match(instance)
    weights, feasible, rank, capacities = _arrays(instance)
    if variant == "exact":
        assignment = rm.solve(weights, feasible=feasible, capacities=capacities, method="auto")
    elif variant == "max_score":
        assignment = rm.solve(
            weights, feasible=feasible, capacities=capacities, objective="max_score", method="auto"
        )
    elif variant == "stable":
        assignment = rm.stable_match(weights, feasible=feasible, capacities=capacities)
    elif variant == "stable_rank":
        assignment = rm.stable_match(weights, -rank, feasible=feasible, capacities=capacities)
    else:
        raise SystemExit(f"unknown variant {variant!r}")
    return list(zip(assignment.rows.tolist(), assignment.cols.tolist(), strict=True))


if __name__ == "__main__":
    sys.exit(run_driver("revmatch", ["revmatch", "numpy", "scipy"], solve))
