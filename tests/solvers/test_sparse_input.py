"""Sparse weights: the stored entries are the candidates, and every result equals dense input."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st

from revmatch import InvalidInputError
from revmatch.solvers import METHODS, solve
from tests.extras import method_param, needs
from tests.solvers._instances import (
    Instance,
    families,
    flexible_families,
    forbid_densify,
    reference_method,
    supports,
    tiny,
)
from tests.strategies.oracles import check_assignment, objective_key, same_value, tolerance

OBJECTIVES = ["coverage_then_score", "max_score", "maximin"]
PAIR_METHODS = [name for name, info in METHODS.items() if info.pair_solver is not None]
TABLE = {inst.name: inst for inst in [*families(), *flexible_families()]}
FORMATS = ["coo", "csr", "csc", "lil", "dok"]


def as_sparse(inst: Instance, fmt: str = "coo", matrix: bool = False) -> Any:
    """The instance's feasible pairs as stored entries (zero weights stay stored)."""
    r, c = np.nonzero(inst.mask)
    cls = sp.coo_matrix if matrix else sp.coo_array
    coo = cls((inst.weights[r, c], (r, c)), shape=inst.weights.shape)
    return coo.asformat(fmt)


def sparse_kwargs(inst: Instance) -> dict[str, Any]:
    kwargs = inst.kwargs()
    del kwargs["feasible"]
    return kwargs


def _dense_key(inst: Instance, objective: str) -> tuple[float, ...]:
    a = solve(inst.weights, method=reference_method(inst), objective=objective, **inst.kwargs())
    return objective_key(inst.weights, a.rows, a.cols, objective)


@pytest.mark.parametrize("objective", OBJECTIVES)
@pytest.mark.parametrize("method", [method_param(m) for m in ["auto", *PAIR_METHODS, "jv"]])
def test_sparse_input_reaches_the_dense_objective(method: str, objective: str) -> None:
    for name, inst in TABLE.items():
        if method != "auto" and not supports(method, inst):
            continue
        a = solve(as_sparse(inst), method=method, objective=objective, **sparse_kwargs(inst))
        check_assignment(inst, a, objective)
        key = objective_key(inst.weights, a.rows, a.cols, objective)
        assert same_value(key, _dense_key(inst, objective), tolerance(inst.weights, len(a))), name
        if method != "auto":
            assert a.method == method


@needs("ortools")
@given(
    st.integers(0, 400),
    st.sampled_from(FORMATS),
    st.booleans(),
    st.sampled_from(OBJECTIVES),
    st.sampled_from(["auto", "sparse", "ortools", "flow"]),
)
def test_any_sparse_format_gives_the_dense_result(
    seed: int, fmt: str, matrix: bool, objective: str, method: str
) -> None:
    inst = tiny(seed, n=4, m=5)
    a = solve(
        as_sparse(inst, fmt, matrix), method=method, objective=objective, **sparse_kwargs(inst)
    )
    check_assignment(inst, a, objective)
    dense = solve(inst.weights, method="jv", objective=objective, **inst.kwargs())
    assert same_value(
        objective_key(inst.weights, a.rows, a.cols, objective),
        objective_key(inst.weights, dense.rows, dense.cols, objective),
        1e-9,
    )


@needs("ortools")
def test_pair_methods_never_build_the_dense_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    n = 3000
    k = 6 * n
    rows, cols = rng.integers(0, n, k), rng.integers(0, n, k)
    keys = np.unique(rows * n + cols)
    weights = sp.csr_array(
        (np.round(rng.random(keys.size), 6), (keys // n, keys % n)), shape=(n, n)
    )

    forbid_densify(monkeypatch, "revmatch.solvers._solve")
    results = {m: solve(weights, method=m) for m in ("auto", "sparse", "ortools")}
    assert results["auto"].method == "ortools"
    counts = {len(a) for a in results.values()}
    totals = [a.total for a in results.values()]
    assert len(counts) == 1
    assert max(totals) - min(totals) <= 1e-9 * (1 + len(results["auto"]))
    with pytest.raises(AssertionError, match="densify"):
        solve(weights, method="jv")  # a dense method expands the matrix


@needs("ortools")
def test_explicit_zeros_are_candidates_and_absent_entries_are_not() -> None:
    # The only candidate of row 0 weighs exactly 0; row 1 may not take column 0.
    weights = sp.coo_array(([0.0, 0.5], ([0, 1], [0, 1])), shape=(2, 2))
    for method in ("auto", "sparse", "ortools", "flow", "jv"):
        a = solve(weights, method=method)
        assert list(a.pairs()) == [(0, 0), (1, 1)], method
        assert list(solve(weights, method=method, objective="max_score").pairs()) == [(1, 1)]


def test_an_empty_sparse_matrix_gives_no_pairs() -> None:
    for shape in [(3, 4), (0, 4), (4, 0)]:
        a = solve(sp.csr_array(shape), method="auto")
        assert len(a) == 0
        assert a.total == 0.0


@pytest.mark.parametrize(
    ("weights", "kwargs", "field"),
    [
        (sp.coo_array(([0.1, 0.2], ([0, 0], [1, 1])), shape=(2, 2)), {}, "weights[0, 1]"),
        (sp.coo_array(([0.1, np.nan], ([0, 1], [1, 0])), shape=(2, 2)), {}, "weights[1, 0]"),
        (sp.coo_array(([0.1, np.inf], ([0, 1], [1, 0])), shape=(2, 2)), {}, "weights[1, 0]"),
        (sp.csr_array(np.eye(2)), {"feasible": np.ones((2, 2), bool)}, "feasible"),
        (sp.csr_array(np.eye(2)), {"capacities": [1, -1]}, "capacities[1]"),
        (sp.csr_array(np.eye(2) * 1e200), {}, "weights"),
        (sp.coo_array(np.array([1.0, 2.0])), {}, "weights"),
        (sp.csr_array(np.eye(2, dtype=complex)), {}, "weights"),
    ],
)
def test_bad_sparse_input_names_the_field(weights: Any, kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        solve(weights, method="auto", **kwargs)
    assert info.value.problems[0].field == field


def test_sparse_input_with_groups_strict_and_maximin_goes_dense() -> None:
    inst = TABLE["pair_groups"]
    for kwargs in ({"strict": False}, {"objective": "maximin"}):
        a = solve(as_sparse(inst), method="auto", **sparse_kwargs(inst), **kwargs)
        objective = str(kwargs.get("objective", "coverage_then_score"))
        check_assignment(inst, a, objective)
        assert same_value(
            objective_key(inst.weights, a.rows, a.cols, objective),
            _dense_key(inst, objective),
            tolerance(inst.weights, len(a)),
        )
    square = TABLE["uniform"]
    a = solve(as_sparse(square), method="sparse", strict=True)
    assert len(a) == square.weights.shape[0]


def test_sparse_input_errors_come_before_any_dense_matrix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    forbid_densify(monkeypatch, "revmatch.solvers._solve")
    weights = sp.csr_array(np.eye(3))
    with pytest.raises(InvalidInputError, match="Unknown method 'hungarian'"):
        solve(weights, method="hungarian")
    caps = {"capacities": [2, 2, 2], "row_capacities": [2, 2, 2]}
    with pytest.raises(InvalidInputError, match="cannot express many_to_many"):
        solve(weights, method="sparse", **caps)
    assert len(solve(weights, method="auto", **caps)) == 3
