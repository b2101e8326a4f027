"""The short paths of :func:`solve` for one-to-one problems without a mask.

With every pair allowed and every capacity one, the front end checks the
solver's pairs in one pass per side, builds the result without re-sorting and
reads the default mask as a zero-stride view. These tests recompute each
claim independently: scipy's own assignment, the weights' own sum, the
dataclass's own constructor.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import maximum_bipartite_matching

from revmatch.exceptions import InvalidInputError
from revmatch.solvers import METHODS, Assignment, solve
from revmatch.solvers._problem import validate

SHAPES = st.tuples(st.integers(1, 12), st.integers(1, 12))
WEIGHTS = SHAPES.flatmap(
    lambda shape: arrays(np.float64, shape, elements=st.floats(-1e3, 1e3, width=32))
)
ONE_TO_ONE = [
    m for m in ("jv", "lapjv", "ortools", "sparse", "auto") if m == "auto" or METHODS[m].available()
]


@given(WEIGHTS)
def test_jv_returns_scipys_own_assignment(w: np.ndarray) -> None:
    a = solve(w, method="jv")
    r, c = linear_sum_assignment(w, maximize=True)
    assert a.rows.tolist() == r.tolist()
    assert a.cols.tolist() == c.tolist()
    assert a.total == math.fsum(w[r, c].tolist())


@given(WEIGHTS, st.sampled_from(ONE_TO_ONE))
def test_results_are_sorted_read_only_and_match_the_constructor(w: np.ndarray, method: str) -> None:
    a = solve(w, method=method)
    again = Assignment(a.rows.copy(), a.cols.copy(), a.total, a.method, a.objective, a.exact)
    assert a == again
    assert a.rows.dtype == np.intp
    assert a.cols.dtype == np.intp
    assert not a.rows.flags.writeable
    assert not a.cols.flags.writeable
    keys = a.rows * w.shape[1] + a.cols
    assert (np.diff(keys) > 0).all()
    # Coverage first: every row or every column is matched, each once.
    assert len(a) == min(w.shape)
    assert len(set(a.rows.tolist())) == len(set(a.cols.tolist())) == len(a)
    assert a.total == math.fsum(w[a.rows, a.cols].tolist())


def test_sorted_result_does_not_share_the_solvers_arrays() -> None:
    rows, cols = np.array([0, 1, 2], dtype=np.intp), np.array([2, 0, 1], dtype=np.intp)
    a = Assignment._of_sorted(rows, cols, 1.5, "jv", "coverage_then_score", True)
    rows[0], cols[0] = 7, 7
    assert a.rows.tolist() == [0, 1, 2]
    assert a.cols.tolist() == [2, 0, 1]
    assert a == Assignment([0, 1, 2], [2, 0, 1], 1.5, "jv", "coverage_then_score", True)
    assert a.budget_step is None
    assert a.multiplier is None
    with pytest.raises(ValueError, match="read-only"):
        a.rows[0] = 1


def test_default_mask_is_a_read_only_view_of_true() -> None:
    problem = validate(
        np.zeros((3, 5)),
        feasible=None,
        capacities=None,
        row_capacities=None,
        pair_groups=None,
        quotas=None,
    )
    mask = problem.feasible
    assert mask.shape == (3, 5)
    assert mask.dtype == np.bool_
    assert mask.all()
    assert mask[2, 4]
    assert mask.nbytes == 15
    assert mask.strides == (0, 0)
    assert not mask.flags.writeable
    assert problem.all_feasible
    assert problem.unit
    assert problem.capacities.tolist() == [1] * 5
    assert problem.row_capacities.tolist() == [1] * 3


def test_huge_weight_in_a_small_matrix_is_refused_without_a_warning() -> None:
    w = np.ones((4, 4))
    w[2, 1] = 1e200
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(InvalidInputError, match=r"reach 1e\+200 in magnitude"):
            solve(w)


def test_weights_near_the_limit_pass_though_their_squares_add_up_past_it() -> None:
    # Each |w| <= 1e150, but the sum of squares (3.2e300) exceeds the quick
    # bound, so the exact check decides: valid input.
    w = np.array([[9e149, 1.0], [2.0, 9e149]])
    a = solve(w, method="jv")
    assert list(a.pairs()) == [(0, 0), (1, 1)]
    assert a.total == math.fsum([9e149, 9e149])


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_weight_in_a_small_matrix_is_named(bad: float) -> None:
    w = np.ones((5, 6))
    w[3, 4] = bad
    with pytest.raises(InvalidInputError, match=r"weights\[3, 4\] is .*must be finite"):
        solve(w, method="auto")


@given(WEIGHTS, st.integers(0, 2**32 - 1), st.sampled_from(["sparse", "ortools", "auto"]))
def test_sparse_results_are_stored_pairs_sorted_and_read_only(
    w: np.ndarray, seed: int, method: str
) -> None:
    if method != "auto" and not METHODS[method].available():
        return
    keep = np.random.default_rng(seed).random(w.shape) < 0.08
    r, c = np.nonzero(keep)
    graph = sp.csr_array((w[r, c], (r, c)), shape=w.shape)
    a = solve(graph, method=method)
    assert keep[a.rows, a.cols].all()
    assert a == Assignment(a.rows.copy(), a.cols.copy(), a.total, a.method, a.objective, a.exact)
    assert not a.rows.flags.writeable
    assert not a.cols.flags.writeable
    assert (np.diff(a.rows * w.shape[1] + a.cols) > 0).all()
    assert len(set(a.rows.tolist())) == len(set(a.cols.tolist())) == len(a)
    assert a.total == math.fsum(w[a.rows, a.cols].tolist())
    # As many pairs as a maximum matching of the stored pairs.
    matched = maximum_bipartite_matching(sp.csr_array(keep.astype(np.int8)), perm_type="column")
    assert len(a) == int((matched >= 0).sum())


SQUARE = st.integers(1, 12).flatmap(
    lambda n: arrays(
        np.float64,
        (n, n),
        elements=st.floats(-1e9, 1e9, allow_subnormal=False)
        | st.sampled_from([-1e7, -0.5, 0.0, 3e6]),
    )
)


@given(SQUARE)
def test_lapjv_on_negated_weights_reaches_scipys_optimum(w: np.ndarray) -> None:
    """Off the score grid a square matrix goes to LAPJV as -w (scaled below lap's infinity)."""
    if not METHODS["lapjv"].available():
        return
    a = solve(w, method="lapjv")
    r, c = linear_sum_assignment(w, maximize=True)
    assert len(a) == w.shape[0]
    assert sorted(a.cols.tolist()) == list(range(w.shape[0]))
    best = math.fsum(w[r, c].tolist())
    assert abs(a.total - best) <= 1e-9 * (1 + w.shape[0] * float(np.abs(w).max()))
