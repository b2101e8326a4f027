"""Deferred acceptance: stability, side-optimality, and a textbook reference."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st

from revmatch.exceptions import InfeasibleError, InvalidInputError
from revmatch.solvers import Assignment, blocking_pairs, solve, stable_match
from revmatch.solvers._stable import _preference_lists
from tests.solvers._instances import forbid_densify
from tests.strategies.matrices import markets
from tests.strategies.oracles import by_preference, prefers, reference_da


def _idx(*values: int) -> np.ndarray:
    return np.array(values, dtype=np.intp)


@given(markets(), st.sampled_from(["executives", "mentors"]))
def test_stable_match_equals_reference_and_has_no_blocking_pair(
    market: tuple[np.ndarray, np.ndarray, np.ndarray, list[int]], optimal: str
) -> None:
    ex, mentor, ok, caps = market
    a = stable_match(ex, mentor, feasible=ok, capacities=caps, optimal=optimal)  # type: ignore[arg-type]
    assert set(a.pairs()) == reference_da(ex, mentor, ok, caps, optimal)
    assert blocking_pairs(ex, mentor, a, feasible=ok, capacities=caps) == []
    assert ok[a.rows, a.cols].all()
    assert (np.bincount(a.cols, minlength=len(caps)) <= np.array(caps, int)).all()


@given(markets(), st.sampled_from([1.0, -1.0, 1e13]))
def test_preference_lists_are_sorted_best_first(
    market: tuple[np.ndarray, np.ndarray, np.ndarray, list[int]], scale: float
) -> None:
    # 1e13 pushes the packed keys past 62 bits: the lexicographic fallback.
    ex, _, ok, _ = market
    scores = ex * scale
    cells, start = _preference_lists(scores, ok)
    n, m = scores.shape
    for i in range(n):
        expected = sorted((j for j in range(m) if ok[i, j]), key=by_preference(scores[i]))
        assert cells[start[i] : start[i + 1]].tolist() == [i * m + j for j in expected]
    assert start[-1] == cells.size == int(ok.sum())


@given(markets())
def test_each_side_gets_its_best_stable_matching(
    market: tuple[np.ndarray, np.ndarray, np.ndarray, list[int]],
) -> None:
    ex, mentor, ok, caps = market
    by_ex = stable_match(ex, mentor, feasible=ok, capacities=caps)
    by_mentor = stable_match(ex, mentor, feasible=ok, capacities=caps, optimal="mentors")
    # Rural hospitals theorem: the same executives are matched in both.
    assert set(by_ex.rows.tolist()) == set(by_mentor.rows.tolist())
    got_ex = dict(by_ex.pairs())
    got_m = dict(by_mentor.pairs())
    for i, j in got_ex.items():  # executives do at least as well when they propose
        k = got_m[i]
        assert not prefers(list(ex[i]), k, j)


def test_blocking_pairs_finds_an_unstable_pair() -> None:
    ex = np.array([[0.9, 0.1], [0.8, 0.7]])
    a = Assignment(_idx(0, 1), _idx(1, 0), 0.0, "greedy", "max_score", False)
    # Executive 0 wants mentor 0, who prefers executive 0 to executive 1 (0.9 > 0.8).
    assert blocking_pairs(ex, None, a) == [(0, 0)]
    assert blocking_pairs(ex, None, stable_match(ex)) == []


def test_blocking_pairs_counts_free_capacity() -> None:
    ex = np.array([[0.9, 0.1], [0.8, 0.7]])
    a = Assignment(_idx(1), _idx(0), 0.0, "greedy", "max_score", False)
    assert blocking_pairs(ex, None, a, capacities=[2, 1]) == [(0, 0), (0, 1)]


def test_ties_are_broken_by_lower_index() -> None:
    a = stable_match(np.ones((2, 2)))
    assert list(a.pairs()) == [(0, 0), (1, 1)]
    b = stable_match(np.ones((3, 1)), capacities=[1])
    assert list(b.pairs()) == [(0, 0)]


def test_solve_with_stable_method() -> None:
    w = np.array([[0.9, 0.5], [0.8, 0.0]])
    a = solve(w, method="stable")
    assert a.method == "stable"
    assert a.exact
    assert list(a.pairs()) == [(0, 0), (1, 1)]
    b = solve(w, method="stable", objective="max_score")
    assert list(b.pairs()) == [(0, 0)]
    with pytest.raises(InfeasibleError, match=r"rows \[1\] .* stable matching"):
        solve(w, method="stable", objective="max_score", strict=True)
    with pytest.raises(InvalidInputError, match="does not support objective 'maximin'"):
        solve(w, method="stable", objective="maximin")


def test_stable_match_input_errors() -> None:
    with pytest.raises(InvalidInputError, match="optimal must be"):
        stable_match(np.ones((2, 2)), optimal="both")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="mentor_scores must have the shape"):
        stable_match(np.ones((2, 2)), np.ones((2, 3)))
    with pytest.raises(InvalidInputError, match=r"mentor_scores: .*weights\[0, 0\] is nan"):
        stable_match(np.ones((1, 1)), np.full((1, 1), np.nan))
    a = Assignment(_idx(0, 0), _idx(0, 1), 0.0, "greedy", "max_score", False)
    with pytest.raises(InvalidInputError, match="more than one mentor"):
        blocking_pairs(np.ones((2, 2)), None, a)


def test_empty_market() -> None:
    assert len(stable_match(np.zeros((0, 3)))) == 0
    assert len(stable_match(np.zeros((3, 0)), optimal="mentors")) == 0


def _stored(values: np.ndarray, ok: np.ndarray, fmt: str) -> object:
    """The acceptable pairs of ``values`` as a sparse array (zeros stay stored)."""
    r, c = np.nonzero(ok)
    return sp.coo_array((values[r, c], (r, c)), shape=values.shape).asformat(fmt)


@given(
    markets(),
    st.sampled_from(["executives", "mentors"]),
    st.sampled_from(["none", "dense", "sparse"]),
    st.sampled_from(["csr", "coo", "csc"]),
)
def test_sparse_scores_give_the_dense_stable_matching(
    market: tuple[np.ndarray, np.ndarray, np.ndarray, list[int]],
    optimal: str,
    mentor_form: str,
    fmt: str,
) -> None:
    ex, mentor, ok, caps = market
    mentor_arg = {"none": None, "dense": mentor, "sparse": _stored(mentor, ok, fmt)}[mentor_form]
    expected_mentor = ex if mentor_form == "none" else mentor
    a = stable_match(_stored(ex, ok, fmt), mentor_arg, capacities=caps, optimal=optimal)  # type: ignore[arg-type]
    b = stable_match(ex, expected_mentor, feasible=ok, capacities=caps, optimal=optimal)  # type: ignore[arg-type]
    assert a == b
    assert blocking_pairs(_stored(ex, ok, fmt), mentor_arg, a, capacities=caps) == []


def test_executive_proposing_on_sparse_scores_builds_no_dense_matrix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    forbid_densify(monkeypatch, "revmatch.solvers._stable")
    rng = np.random.default_rng(5)
    n = 4000
    keys = np.unique(rng.integers(0, n * n, 8 * n))
    scores = sp.csr_array((np.round(rng.random(keys.size), 6), (keys // n, keys % n)), (n, n))
    a = stable_match(scores, capacities=2)
    assert len(a) > n // 2
    assert np.isin(a.rows * n + a.cols, keys).all()  # only stored pairs
    assert (np.bincount(a.cols, minlength=n) <= 2).all()
    with pytest.raises(AssertionError, match="densify"):
        stable_match(scores, optimal="mentors")


def test_sparse_stable_match_input_errors() -> None:
    ex = sp.csr_array(np.array([[0.5, 0.0], [0.2, 0.3]]))
    missing = sp.csr_array(np.array([[0.5, 0.0], [0.0, 0.3]]))
    with pytest.raises(InvalidInputError, match="store every pair"):
        stable_match(ex, missing)
    with pytest.raises(InvalidInputError, match="feasible"):
        stable_match(ex, feasible=np.ones((2, 2), bool))
    with pytest.raises(InvalidInputError, match="both sparse"):
        stable_match(np.ones((2, 2)), missing)
    with pytest.raises(InvalidInputError, match="mentor_scores must have the shape"):
        stable_match(ex, np.ones((3, 2)))
