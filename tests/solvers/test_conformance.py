"""One conformance suite over every exact method (the shared instance table)."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from revmatch import InvalidInputError
from revmatch.solvers import METHODS, solve
from tests.extras import method_param, needs, needs_method
from tests.solvers._instances import families, flexible_families, reference_method, supports, tiny
from tests.strategies.oracles import (
    check_assignment,
    instance_optimum,
    objective_key,
    same_value,
    tolerance,
)

OBJECTIVES = ["coverage_then_score", "max_score", "maximin"]
EXACT = [name for name, info in METHODS.items() if info.optimal]
FAMILIES = {inst.name: inst for inst in families()}
FLEXIBLE = {inst.name: inst for inst in flexible_families()}


@functools.cache
def _reference(name: str, objective: str) -> tuple[float, ...]:
    inst = FAMILIES.get(name) or FLEXIBLE[name]
    a = solve(inst.weights, method=reference_method(inst), objective=objective, **inst.kwargs())
    return objective_key(inst.weights, a.rows, a.cols, objective)


@functools.cache
def _brute(seed: int, objective: str) -> tuple[float, ...]:
    return instance_optimum(tiny(seed), objective)


def _cases(*, supported: bool) -> list[tuple[str, str, str]]:
    """(method, family, objective) triples the method can (or cannot) express."""
    return [
        (method, name, objective)
        for method in EXACT
        for name in [*FAMILIES, *FLEXIBLE]
        for objective in OBJECTIVES
        if (
            supports(method, FAMILIES.get(name) or FLEXIBLE[name])
            and objective in METHODS[method].objectives
        )
        == supported
    ]


def test_every_exact_method_is_checked_on_most_of_the_table() -> None:
    # The table must keep exercising every method: a capability change that
    # silently removes a method from it should fail here.
    for method in EXACT:
        cases = [c for c in _cases(supported=True) if c[0] == method]
        assert len(cases) >= len(FAMILIES) * len(OBJECTIVES), method


@pytest.mark.parametrize(
    ("method", "name", "objective"),
    [pytest.param(*case, marks=needs_method(case[0])) for case in _cases(supported=True)],
)
def test_exact_methods_reach_the_same_objective(method: str, name: str, objective: str) -> None:
    inst = FAMILIES.get(name) or FLEXIBLE[name]
    a = solve(inst.weights, method=method, objective=objective, **inst.kwargs())
    check_assignment(inst, a, objective)
    assert a.method == method
    assert a.exact
    key = objective_key(inst.weights, a.rows, a.cols, objective)
    assert same_value(key, _reference(name, objective), tolerance(inst.weights, len(a)))


@pytest.mark.parametrize(("method", "name", "objective"), _cases(supported=False))
def test_a_method_refuses_what_it_cannot_express_and_names_those_that_can(
    method: str, name: str, objective: str
) -> None:
    inst = FAMILIES.get(name) or FLEXIBLE[name]
    with pytest.raises(InvalidInputError, match="methods that can: ") as info:
        solve(inst.weights, method=method, objective=objective, **inst.kwargs())
    named = str(info.value).split("methods that can: ", 1)[1]
    capable = [m for m in EXACT if supports(m, inst) and objective in METHODS[m].objectives]
    assert capable, name
    assert all(m in named for m in capable), (named, capable)
    assert method not in named.replace("(or method='auto')", "").split(", ")


@pytest.mark.parametrize("objective", OBJECTIVES)
@pytest.mark.parametrize("method", [method_param(m) for m in EXACT])
def test_exact_methods_match_brute_force(method: str, objective: str) -> None:
    for seed in range(25):
        inst = tiny(seed)
        a = solve(inst.weights, method=method, objective=objective, **inst.kwargs())
        check_assignment(inst, a, objective)
        key = objective_key(inst.weights, a.rows, a.cols, objective)
        assert same_value(key, _brute(seed, objective), 1e-9), (seed, key)


@pytest.mark.parametrize("method", [method_param(m) for m in EXACT])
def test_same_input_gives_the_same_output(method: str) -> None:
    inst = FAMILIES["score_ties"]
    first = solve(inst.weights, method=method)
    assert all(solve(inst.weights.copy(), method=method) == first for _ in range(3))


def test_auto_equals_jv_on_every_family() -> None:
    for name, inst in FAMILIES.items():
        for objective in OBJECTIVES:
            a = solve(inst.weights, method="auto", objective=objective, **inst.kwargs())
            check_assignment(inst, a, objective)
            assert a.method != "auto"
            key = objective_key(inst.weights, a.rows, a.cols, objective)
            assert same_value(key, _reference(name, objective), tolerance(inst.weights, len(a)))


@needs("ortools", "lap")
def test_forbidden_pairs_never_leak_even_with_huge_weights() -> None:
    rng = np.random.default_rng(3)
    w = rng.random((12, 12))
    feasible = rng.random((12, 12)) < 0.4
    w[~feasible] = 1e12
    for method in EXACT:
        for objective in OBJECTIVES:
            a = solve(w, feasible=feasible, method=method, objective=objective)
            assert feasible[a.rows, a.cols].all()
