"""Input validation and error messages of solve (pinned texts)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from revmatch.exceptions import InfeasibleError, InvalidInputError
from revmatch.solvers import Assignment, Quota, solve


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_weight_is_named_by_position(bad: float) -> None:
    w = np.ones((3, 4))
    w[1, 2] = bad
    with pytest.raises(InvalidInputError, match=r"weights\[1, 2\] is .*must be finite"):
        solve(w)


def test_non_finite_weight_is_an_error_even_where_infeasible() -> None:
    w = np.ones((2, 2))
    w[0, 1] = -np.inf
    feasible = np.array([[True, False], [True, True]])
    with pytest.raises(InvalidInputError, match=r"weights\[0, 1\].*feasible=False instead"):
        solve(w, feasible=feasible)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (np.ones(3), "must be a 2-D array"),
        (np.ones((2, 2, 2)), "must be a 2-D array"),
        ([["a", "b"]], "must be numbers"),
        ([[1.0, 2.0], [3.0]], "cannot be read"),
    ],
)
def test_malformed_weights(weights: object, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        solve(weights)  # type: ignore[arg-type]


def test_feasible_shape_and_dtype_are_checked() -> None:
    with pytest.raises(InvalidInputError, match=r"feasible mask must have the shape .*\(2, 3\)"):
        solve(np.ones((2, 3)), feasible=np.ones((3, 2), bool))
    with pytest.raises(InvalidInputError, match="feasible mask must be boolean"):
        solve(np.ones((2, 2)), feasible=np.full((2, 2), 0.5))
    a = solve(np.ones((2, 2)), feasible=np.array([[1, 0], [0, 1]]))
    assert list(a.pairs()) == [(0, 0), (1, 1)]


def test_capacity_errors_name_the_entry() -> None:
    with pytest.raises(InvalidInputError, match=r"one entry per column \(3\)"):
        solve(np.ones((2, 3)), capacities=[1, 1])
    with pytest.raises(InvalidInputError, match=r"'capacities' of column 1 must be >= 0\. Got -2"):
        solve(np.ones((2, 3)), capacities=[1, -2, 1])
    with pytest.raises(InvalidInputError, match="row_capacities must be integers"):
        solve(np.ones((2, 3)), row_capacities=[1.5, 1])
    with pytest.raises(InvalidInputError, match=r"pair_groups\[0, 1\] is -3"):
        solve(np.ones((2, 2)), pair_groups=[[0, -3], [0, 0]], method="auto")


def test_unknown_method_and_objective() -> None:
    with pytest.raises(
        InvalidInputError, match=r"Unknown method 'hungarian'.*'auto' or one of: jv"
    ):
        solve(np.ones((2, 2)), method="hungarian")
    with pytest.raises(InvalidInputError, match="Unknown objective 'best'"):
        solve(np.ones((2, 2)), objective="best")


def test_method_that_cannot_express_a_feature_names_those_that_can() -> None:
    groups = np.zeros((2, 3), dtype=int)
    with pytest.raises(
        InvalidInputError, match=r"'jv' cannot express pair_groups.*methods that can"
    ):
        solve(np.ones((2, 3)), pair_groups=groups, row_capacities=[2, 2])
    with pytest.raises(InvalidInputError, match=r"'jv' cannot express quotas"):
        solve(np.ones((2, 3)), quotas=[Quota("q", cols=[0], min=1)])


def test_quota_is_checked() -> None:
    with pytest.raises(InvalidInputError, match=r"Quota 'q' has min=3, max=1"):
        solve(np.ones((2, 2)), quotas=[Quota("q", min=3, max=1)], method="auto")
    with pytest.raises(InvalidInputError, match=r"quotas\[0\]\.cols contain index 5"):
        solve(np.ones((2, 2)), quotas=[Quota("q", cols=[5])], method="auto")


@pytest.mark.parametrize("shape", [(0, 0), (0, 3), (3, 0)])
def test_empty_sides_give_an_empty_assignment(shape: tuple[int, int]) -> None:
    a = solve(np.zeros(shape))
    assert len(a) == 0
    assert a.total == 0.0
    assert a.rows.dtype == np.intp


def test_huge_capacities_are_capped() -> None:
    w = np.array([[0.5, 0.1], [0.4, 0.2], [0.3, 0.9]])
    a = solve(w, capacities=[10**9, 10**9])
    assert len(a) == 3
    assert a.total == pytest.approx(0.5 + 0.4 + 0.9)


def test_zero_capacity_columns_and_rows_take_nothing() -> None:
    w = np.array([[0.9, 0.1], [0.8, 0.2]])
    a = solve(w, capacities=[0, 1], row_capacities=[1, 0])
    assert list(a.pairs()) == [(0, 1)]


def test_assignment_is_frozen_and_read_only() -> None:
    a = solve(np.eye(3))
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.total = 0.0  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        a.rows[0] = 2
    assert isinstance(a, Assignment)
    assert len(a) == 3
    assert list(a.pairs()) == [(0, 0), (1, 1), (2, 2)]


def test_max_score_never_returns_non_positive_pairs() -> None:
    w = np.array([[0.0, -1.0], [-0.5, 0.3]])
    a = solve(w, objective="max_score")
    assert list(a.pairs()) == [(1, 1)]
    b = solve(w)
    assert len(b) == 2


def test_strict_names_rows_without_any_partner() -> None:
    w = np.ones((3, 2))
    feasible = np.array([[True, False], [False, False], [False, True]])
    with pytest.raises(InfeasibleError, match=r"Rows \[1\] have no feasible column") as info:
        solve(w, feasible=feasible, strict=True)
    assert info.value.rows == (1,)


def test_strict_names_the_rows_competing_for_full_columns() -> None:
    w = np.ones((3, 3))
    feasible = np.array([[True, False, False], [True, False, False], [True, True, True]])
    with pytest.raises(InfeasibleError, match=r"compete for columns \[0\]") as info:
        solve(w, feasible=feasible, strict=True)
    assert info.value.cols == (0,)
    assert set(info.value.rows) <= {0, 1}
    assert len(info.value.rows) == 1
    # Capacity two on column 0 fixes it.
    a = solve(w, feasible=feasible, capacities=[2, 1, 1], strict=True)
    assert np.bincount(a.rows, minlength=3).tolist() == [1, 1, 1]


def test_strict_max_score_covers_every_row_with_positive_pairs() -> None:
    w = np.array([[0.9, 0.1], [0.7, 0.0]])
    assert list(solve(w, objective="max_score").pairs()) == [(0, 0)]
    a = solve(w, objective="max_score", strict=True)
    assert list(a.pairs()) == [(0, 1), (1, 0)]
    with pytest.raises(InfeasibleError):
        solve(np.array([[0.9, 0.8], [0.0, -1.0]]), objective="max_score", strict=True)


def test_partial_assignment_is_not_an_error_without_strict() -> None:
    a = solve(np.ones((4, 2)))
    assert len(a) == 2


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_weight_is_found_in_a_large_matrix(bad: float) -> None:
    # Above 2**21 entries the extremes are taken in cache-sized steps.
    w = np.full((1500, 1500), 0.5)
    w[1499, 1498] = bad
    with pytest.raises(InvalidInputError, match=r"weights\[1499, 1498\] is .*must be finite"):
        solve(w)
