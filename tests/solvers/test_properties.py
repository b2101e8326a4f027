"""Property tests: random instances, every exact method against brute force."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from revmatch.solvers import METHODS, solve
from tests.strategies.matrices import Instance, instances
from tests.strategies.oracles import check_assignment, instance_optimum, objective_key, same_value

EXACT = [m for m, info in METHODS.items() if info.optimal and info.available()]
OBJECTIVES = ["coverage_then_score", "max_score", "maximin"]


def _check_against_brute_force(inst: Instance, method: str, objective: str) -> None:
    a = solve(inst.weights, method=method, objective=objective, **inst.kwargs())
    check_assignment(inst, a, objective)
    got = objective_key(inst.weights, a.rows, a.cols, objective)
    want = instance_optimum(inst, objective)
    assert same_value(got, want, 1e-9), (method, objective, got, want)


@given(instances(), st.sampled_from(OBJECTIVES), st.sampled_from(EXACT))
def test_every_exact_method_is_optimal(inst: Instance, objective: str, method: str) -> None:
    _check_against_brute_force(inst, method, objective)


@given(
    instances(flexible=True),
    st.sampled_from(OBJECTIVES),
    st.sampled_from([m for m in EXACT if "pair_groups" in METHODS[m].features]),
)
def test_network_methods_are_optimal_with_groups_and_two_sided_capacities(
    inst: Instance, objective: str, method: str
) -> None:
    _check_against_brute_force(inst, method, objective)


@given(instances(), st.sampled_from(OBJECTIVES))
def test_objective_does_not_depend_on_the_order_of_rows_and_columns(
    inst: Instance, objective: str
) -> None:
    n, m = inst.weights.shape
    rp = np.random.default_rng(n * 7 + m).permutation(n)
    cp = np.random.default_rng(n + 11 * m).permutation(m)
    a = solve(inst.weights, objective=objective, **inst.kwargs())
    b = solve(
        inst.weights[np.ix_(rp, cp)],
        objective=objective,
        feasible=inst.mask[np.ix_(rp, cp)],
        capacities=inst.col_caps[cp],
        row_capacities=inst.row_caps[rp],
    )
    assert same_value(
        objective_key(inst.weights, a.rows, a.cols, objective),
        objective_key(inst.weights[np.ix_(rp, cp)], b.rows, b.cols, objective),
        1e-9,
    )


@given(instances(flexible=True), st.sampled_from(["coverage_then_score", "max_score"]))
def test_greedy_respects_every_constraint(inst: Instance, objective: str) -> None:
    a = solve(inst.weights, method="greedy", objective=objective, **inst.kwargs())
    check_assignment(inst, a, objective)
    assert not a.exact
    # Maximal: no remaining candidate pair could still be added.
    left_r = inst.row_caps - np.bincount(a.rows, minlength=inst.weights.shape[0])
    left_c = inst.col_caps - np.bincount(a.cols, minlength=inst.weights.shape[1])
    taken = set(a.pairs())
    for i, j in zip(*np.nonzero(inst.mask), strict=True):
        if (int(i), int(j)) in taken or (objective == "max_score" and inst.weights[i, j] <= 0):
            continue
        if inst.pair_groups is not None and inst.pair_groups[i, j] >= 0:
            same = [inst.pair_groups[r, c] for r, c in taken if r == i]
            if inst.pair_groups[i, j] in same:
                continue
        assert left_r[i] == 0 or left_c[j] == 0


@given(
    values=st.lists(
        st.one_of(
            st.floats(-1e6, 1e6),
            st.sampled_from([np.nan, np.inf, -np.inf]),
        ),
        max_size=60,
    ),
    chunk=st.integers(1, 8),
)
def test_stepwise_extremes_equal_whole_array_ones(values: list[float], chunk: int) -> None:
    from unittest import mock

    from revmatch.solvers import _problem

    arr = np.asarray(values, dtype=np.float64)
    want = (float(arr.min()), float(arr.max())) if arr.size else (0.0, 0.0)
    with (
        mock.patch.object(_problem, "_EXTREMES_CHUNK", chunk),
        mock.patch.object(_problem, "_EXTREMES_WHOLE", 0 if arr.size else 1),
    ):
        got = _problem.extremes(arr)
    np.testing.assert_equal(got, want)


@given(
    n=st.integers(0, 7),
    m=st.integers(0, 7),
    seed=st.integers(0, 2**32 - 1),
    density=st.floats(0.0, 1.0),
    transposed=st.booleans(),
)
def test_mask_cells_lists_the_true_cells_in_row_major_order(
    n: int, m: int, seed: int, density: float, transposed: bool
) -> None:
    from revmatch.solvers._problem import mask_cells

    rng = np.random.default_rng(seed)
    # A transposed view is not C-contiguous: the order must still be row-major.
    mask = (rng.random((m, n)) < density).T if transposed else rng.random((n, m)) < density
    flat, rows, cols = mask_cells(mask)
    want_rows, want_cols = np.nonzero(mask)
    np.testing.assert_array_equal(rows, want_rows)
    np.testing.assert_array_equal(cols, want_cols)
    np.testing.assert_array_equal(flat, want_rows * m + want_cols)
    assert rows.dtype == cols.dtype == flat.dtype == np.intp


@given(
    n=st.integers(1, 7),
    m=st.integers(1, 7),
    seed=st.integers(0, 2**32 - 1),
    density=st.floats(0.0, 1.0),
)
def test_ortools_arcs_from_a_mask_equal_those_from_its_candidate_list(
    n: int, m: int, seed: int, density: float
) -> None:
    from revmatch.solvers._flow import _candidate_arcs, _mask_arcs
    from revmatch.solvers._problem import Candidates, validate

    rng = np.random.default_rng(seed)
    # Sparse enough at times to leave rows and columns without candidates.
    mask = rng.random((n, m)) < density
    problem = validate(
        rng.random((n, m)),
        feasible=mask,
        capacities=None,
        row_capacities=None,
        pair_groups=None,
        quotas=None,
    )
    direct = _mask_arcs(problem, problem.feasible)
    listed = _candidate_arcs(Candidates.of(problem, problem.feasible))
    for name in ("rows_used", "cols_used", "left", "right", "weights"):
        np.testing.assert_array_equal(getattr(direct, name), getattr(listed, name), err_msg=name)
    assert direct.left.dtype == direct.right.dtype == np.int32
    # Without a mask (every cell an arc, built from the shape alone): the
    # arcs of the candidate list of every cell.
    whole = validate(
        problem.weights,
        feasible=None,
        capacities=None,
        row_capacities=None,
        pair_groups=None,
        quotas=None,
    )
    direct = _mask_arcs(whole, whole.feasible)
    listed = _candidate_arcs(Candidates.of(whole, np.ones((n, m), dtype=np.bool_)))
    for name in ("rows_used", "cols_used", "left", "right", "weights"):
        np.testing.assert_array_equal(getattr(direct, name), getattr(listed, name), err_msg=name)
    assert direct.left.dtype == direct.right.dtype == np.int32
