"""murty_k_best against enumeration of every assignment of tiny instances."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from revmatch.exceptions import InfeasibleError, InvalidInputError
from revmatch.solvers import Assignment, k_best_assignments, murty_k_best, solve

from ..strategies.matrices import Instance, instances

OBJECTIVES = ("coverage_then_score", "max_score", "maximin")
Key = tuple[float, ...]
Pairs = frozenset[tuple[int, int]]


def value(weights: NDArray[np.float64], pairs: Pairs, objective: str) -> Key:
    """The objective an assignment reaches, larger is better (definition, not the solver)."""
    values = [float(weights[p]) for p in sorted(pairs)]
    total = math.fsum(values)
    if objective == "max_score":
        return (total,)
    if objective == "maximin":
        return (float(len(values)), min(values) if values else 0.0, total)
    return (float(len(values)), total)


def every_assignment(inst: Instance, objective: str, strict: bool = False) -> Iterator[Pairs]:
    """Every set of pairs the rules allow, found by trying every subset row by row."""
    w = inst.weights
    n, m = w.shape
    groups = inst.pair_groups
    options = [
        [c for c in range(m) if inst.mask[r, c] and (objective != "max_score" or w[r, c] > 0)]
        for r in range(n)
    ]
    per_row = []
    for r in range(n):
        sets = []
        for size in range(min(int(inst.row_caps[r]), len(options[r])) + 1):
            for cols in itertools.combinations(options[r], size):
                labels = [
                    int(groups[r, c]) for c in cols if groups is not None and groups[r, c] >= 0
                ]
                if len(labels) == len(set(labels)):
                    sets.append(cols)
        per_row.append(sets)
    for choice in itertools.product(*per_row):
        load = np.zeros(m, np.intp)
        for cols in choice:
            load[list(cols)] += 1
        if (load > inst.col_caps).any():
            continue
        if strict and any(len(cols) < inst.row_caps[r] for r, cols in enumerate(choice)):
            continue
        yield frozenset((r, c) for r, cols in enumerate(choice) for c in cols)


def ranked(inst: Instance, objective: str, strict: bool = False) -> list[Key]:
    keys = [value(inst.weights, s, objective) for s in every_assignment(inst, objective, strict)]
    return sorted(keys, reverse=True)


def check_listing(inst: Instance, found: list[Assignment], objective: str, k: int) -> None:
    """Distinct, valid assignments whose objectives are the true top k (ties included)."""
    w = inst.weights
    sets = [frozenset(a.pairs()) for a in found]
    assert len(set(sets)) == len(sets), "an assignment is listed twice"
    allowed = set(every_assignment(inst, objective))
    assert all(s in allowed for s in sets), "an assignment breaks a rule"
    keys = [value(w, s, objective) for s in sets]
    assert keys == sorted(keys, reverse=True), "not best first"
    assert keys == ranked(inst, objective)[:k]
    for a, s in zip(found, sets, strict=True):
        assert a.total == math.fsum(w[p] for p in sorted(s))
        assert a.objective == objective


def grid(rows: list[list[int]]) -> NDArray[np.float64]:
    return np.array(rows, dtype=float) / 4


CASES = [
    Instance("square ties", grid([[1, 1, 1], [1, 1, 1], [1, 1, 1]])),
    Instance("rectangular wide", grid([[4, 3, 0, 1], [3, 4, 2, 2]])),
    Instance("rectangular tall", grid([[4, 3], [3, 4], [2, 2], [1, 0]])),
    Instance(
        "forbidden pairs",
        grid([[4, 1, 2, 3], [2, 4, 1, 3], [3, 2, 4, 1], [1, 3, 2, 4]]),
        feasible=np.array([[1, 0, 1, 1], [1, 1, 0, 1], [0, 1, 1, 0], [1, 1, 1, 0]], dtype=bool),
    ),
    Instance(
        "column capacities 1-2",
        grid([[4, 2, 1], [3, 3, 1], [2, 4, 2], [1, 1, 1]]),
        capacities=np.array([2, 1, 2], np.intp),
    ),
    Instance(
        "row capacities and groups",
        grid([[4, 3, 2, 1], [1, 2, 3, 4], [2, 2, 2, 2]]),
        capacities=np.array([1, 2, 1, 1], np.intp),
        row_capacities=np.array([2, 1, 2], np.intp),
        pair_groups=np.array([[0, 0, 1, -1], [0, 1, 1, 2], [-1, -1, 0, 0]], np.intp),
    ),
    Instance("negative and zero weights", grid([[2, -1, 0], [0, 0, -2], [1, 0, 0]])),
    Instance("empty", np.zeros((0, 3))),
]


@pytest.mark.parametrize("objective", OBJECTIVES)
@pytest.mark.parametrize("inst", CASES, ids=lambda inst: inst.name)
def test_top_k_equals_enumeration(inst: Instance, objective: str) -> None:
    k = 15
    found = murty_k_best(inst.weights, k, **inst.kwargs(), objective=objective)
    check_listing(inst, found, objective, k)
    assert len(found) == min(k, len(ranked(inst, objective)))


@pytest.mark.parametrize("objective", OBJECTIVES)
def test_lists_every_assignment_when_k_is_large(objective: str) -> None:
    inst = CASES[4]
    total = len(ranked(inst, objective))
    found = murty_k_best(inst.weights, total + 5, **inst.kwargs(), objective=objective)
    assert len(found) == total
    check_listing(inst, found, objective, total)


@pytest.mark.parametrize("objective", OBJECTIVES)
def test_first_is_what_solve_returns(objective: str) -> None:
    inst = CASES[3]
    for method in ("jv", "flow", "milp"):
        first = murty_k_best(inst.weights, 3, **inst.kwargs(), objective=objective, method=method)
        assert first[0] == solve(inst.weights, **inst.kwargs(), objective=objective, method=method)


@settings(max_examples=60, deadline=None)
@given(inst=instances(flexible=True), objective=st.sampled_from(OBJECTIVES), k=st.integers(1, 8))
def test_top_k_property(inst: Instance, objective: str, k: int) -> None:
    found = murty_k_best(inst.weights, k, **inst.kwargs(), objective=objective)
    check_listing(inst, found, objective, k)


@pytest.mark.parametrize("objective", OBJECTIVES)
def test_methods_agree_on_the_sequence(objective: str) -> None:
    rng = np.random.default_rng(42)
    w = rng.integers(0, 4, size=(4, 5)) / 4  # coarse grid: many ties
    feasible = rng.random((4, 5)) < 0.8
    by_method = {
        method: [
            value(w, frozenset(a.pairs()), objective)
            for a in murty_k_best(w, 12, feasible=feasible, objective=objective, method=method)
        ]
        for method in ("jv", "milp", "flow")
    }
    assert by_method["jv"] == by_method["milp"] == by_method["flow"]


def test_strict_lists_full_assignments_only() -> None:
    inst = CASES[3]
    found = murty_k_best(inst.weights, 50, feasible=inst.feasible, strict=True)
    full = ranked(inst, "coverage_then_score", strict=True)
    assert [value(inst.weights, frozenset(a.pairs()), "coverage_then_score") for a in found] == full
    assert all(len(a) == 4 for a in found)


def test_strict_without_a_full_assignment_raises() -> None:
    with pytest.raises(InfeasibleError, match="strict=True"):
        murty_k_best(np.ones((2, 1)), 2, strict=True)


def test_ties_come_in_pair_list_order_and_repeat() -> None:
    w = np.ones((2, 2))
    found = murty_k_best(w, 2)
    assert [list(a.pairs()) for a in found] == [[(0, 0), (1, 1)], [(0, 1), (1, 0)]]
    again = murty_k_best(w, 2)
    assert [list(a.pairs()) for a in again] == [list(a.pairs()) for a in found]


def test_sparse_weights_give_the_dense_listing() -> None:
    import scipy.sparse as sp

    inst = CASES[3]
    rows, cols = np.nonzero(inst.mask)
    candidates = sp.csr_array((inst.weights[rows, cols], (rows, cols)), shape=inst.weights.shape)
    found = murty_k_best(candidates, 6)
    dense = murty_k_best(inst.weights, 6, feasible=inst.mask)
    assert [list(a.pairs()) for a in found] == [list(a.pairs()) for a in dense]


def test_alias() -> None:
    assert k_best_assignments is murty_k_best


@pytest.mark.parametrize(
    ("k", "message"),
    [
        (0, r"^The 'k' of murty_k_best must be >= 1\. Got 0\.$"),
        (-3, r"^The 'k' of murty_k_best must be >= 1\. Got -3\.$"),
        (2.5, r"^The 'k' of murty_k_best must be an integer\. Got 2\.5\.$"),
        (True, r"^The 'k' of murty_k_best must be an integer\. Got True\.$"),
    ],
)
def test_bad_k(k: object, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        murty_k_best(np.ones((2, 2)), k)  # type: ignore[arg-type]


@pytest.mark.parametrize("method", ["greedy", "stable"])
def test_methods_without_a_proven_optimum_are_refused(method: str) -> None:
    with pytest.raises(InvalidInputError, match=f"'{method}' does not"):
        murty_k_best(np.ones((2, 2)), 2, method=method)


def test_bad_input_is_named_as_solve_names_it() -> None:
    w = np.ones((2, 2))
    w[1, 0] = np.nan
    with pytest.raises(InvalidInputError, match=r"weights\[1, 0\] is nan"):
        murty_k_best(w, 2)
    with pytest.raises(InvalidInputError, match="Unknown objective"):
        murty_k_best(np.ones((2, 2)), 2, objective="best")
