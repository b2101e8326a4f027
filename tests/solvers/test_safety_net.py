"""The front end's safety net: a method's wrong answer never reaches the caller.

Each test replaces a method by one that returns a broken pair list and checks
that :func:`revmatch.solvers.solve` raises :class:`SolverError` naming the fault.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
import scipy.sparse as sp

from revmatch.solvers import SolverError, _solve, solve
from revmatch.solvers._problem import BoolArray, Candidates, IntpArray, Problem
from revmatch.solvers._registry import METHODS

Pairs = tuple[IntpArray, IntpArray]


def _index(values: list[int]) -> IntpArray:
    return np.array(values, dtype=np.intp)


def _replace(monkeypatch: pytest.MonkeyPatch, name: str, rows: list[int], cols: list[int]) -> None:
    """Make method ``name`` return the given pairs, dense and pair-list paths alike."""

    def dense(problem: Problem, mask: BoolArray, cardinality_first: bool) -> Pairs:
        return _index(rows), _index(cols)

    def pairs(candidates: Candidates, cardinality_first: bool) -> Pairs:
        return _index(rows), _index(cols)

    info = METHODS[name]
    broken = dataclasses.replace(
        info, solver=dense, pair_solver=None if info.pair_solver is None else pairs
    )
    monkeypatch.setattr(_solve, "METHODS", {**METHODS, name: broken})


W = np.arange(1.0, 13.0).reshape(3, 4)

BROKEN: list[tuple[str, list[int], list[int], dict[str, object], str]] = [
    ("row past the end", [0, 3], [0, 1], {}, "an index outside the 3x4 matrix"),
    ("negative column", [0, 1], [0, -1], {}, "an index outside the 3x4 matrix"),
    ("huge column", [0], [2**40], {}, "an index outside the 3x4 matrix"),
    ("row twice", [0, 0], [0, 1], {}, "more pairs for a row than its capacity"),
    ("negative first row", [-1, 1], [0, 1], {}, "an index outside the 3x4 matrix"),
    ("column past the end", [0, 1, 2], [0, 1, 4], {}, "an index outside the 3x4 matrix"),
    ("column twice", [0, 1], [2, 2], {}, "more pairs for a column than its capacity"),
    (
        "forbidden pair",
        [0, 1],
        [0, 1],
        {"feasible": ~np.eye(3, 4, dtype=bool)},
        "the forbidden pair (0, 0)",
    ),
    (
        "closed column",
        [0],
        [3],
        {"capacities": [1, 1, 1, 0]},
        "the forbidden pair (0, 3)",
    ),
    (
        "same pair twice",
        [1, 1],
        [2, 2],
        {"capacities": 2, "row_capacities": 2},
        "a pair twice",
    ),
]


@pytest.mark.parametrize(
    ("rows", "cols", "options", "message"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
@pytest.mark.parametrize("method", ["jv", "flow"])
def test_broken_dense_result_is_refused(
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    rows: list[int],
    cols: list[int],
    options: dict[str, object],
    message: str,
) -> None:
    if method == "jv" and "row_capacities" in options:
        method = "flow"  # jv cannot express a pair shared by two multi-capacity sides
    _replace(monkeypatch, method, rows, cols)
    with pytest.raises(SolverError, match=re.escape(f"method {method!r} returned {message}")):
        solve(W, method=method, **options)  # type: ignore[arg-type]


def _sparse(mask: BoolArray) -> sp.csr_array:
    r, c = np.nonzero(mask)
    return sp.csr_array((W[r, c], (r, c)), shape=W.shape)


@pytest.mark.parametrize(
    ("rows", "cols", "message"),
    [
        ([0, 1], [1, 3], "the forbidden pair (1, 3)"),  # not a stored entry
        ([0, 3], [1, 1], "an index outside the 3x4 matrix"),
        ([0, 0], [1, 2], "more pairs for a row than its capacity"),
        ([0, 1], [1, 1], "more pairs for a column than its capacity"),
        # Column 5 of row 0 has the key of the candidate (1, 1): the range
        # check must come before the lookup.
        ([0], [5], "an index outside the 3x4 matrix"),
        ([-1, 0], [1, 2], "an index outside the 3x4 matrix"),
    ],
)
def test_broken_pair_list_result_is_refused(
    monkeypatch: pytest.MonkeyPatch, rows: list[int], cols: list[int], message: str
) -> None:
    mask = np.zeros(W.shape, dtype=bool)
    mask[0, 1] = mask[0, 2] = mask[1, 1] = mask[2, 3] = True
    _replace(monkeypatch, "sparse", rows, cols)
    with pytest.raises(SolverError, match=re.escape(f"method 'sparse' returned {message}")):
        solve(_sparse(mask), method="sparse")


def test_intact_replacement_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The replacement itself is sound: a valid answer goes through unchanged."""
    _replace(monkeypatch, "jv", [0, 1, 2], [3, 2, 1])
    result = solve(W, method="jv")
    assert list(result.pairs()) == [(0, 3), (1, 2), (2, 1)]
    assert result.total == W[0, 3] + W[1, 2] + W[2, 1]

