"""Conformance of change budgets (``solve(budget=...)``) over every method of the registry.

Every method with the feature ``"budget"`` must reach the brute-force optimum
among the assignments that keep enough of the budget pairs, on the tiny
instances, and the same objective as ``milp`` on the shared table; every
other method refuses the budget and names those that can.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from revmatch import InfeasibleError, InvalidInputError
from revmatch.solvers import METHODS, Assignment, ChangeBudget, Quota, solve
from tests.solvers._instances import Instance, families, flexible_families, supports, tiny
from tests.strategies.oracles import brute_force, check_assignment, objective_key, same_value

OBJECTIVES = ["coverage_then_score", "max_score", "maximin"]
BUDGET = [name for name, info in METHODS.items() if "budget" in info.features]
NO_BUDGET = [name for name in METHODS if name not in BUDGET]
TABLE = {inst.name: inst for inst in [*families(), *flexible_families()] if not inst.quotas}


def previous(inst: Instance) -> tuple[np.ndarray, np.ndarray]:
    """Budget pairs: the optimum of the instance under reversed weights."""
    a = solve(-inst.weights, method="milp", **inst.kwargs())
    return np.asarray(a.rows), np.asarray(a.cols)


def kept(a: Assignment, rows: np.ndarray, cols: np.ndarray) -> int:
    return len(set(a.pairs()) & set(zip(rows.tolist(), cols.tolist(), strict=True)))


@functools.cache
def _brute(seed: int, objective: str, max_changes: int) -> tuple[float, ...] | None:
    inst = tiny(seed)
    rows, cols = previous(inst)
    return brute_force(
        inst.weights,
        objective,
        **inst.kwargs(),
        keep=set(zip(rows.tolist(), cols.tolist(), strict=True)),
        min_kept=rows.size - max_changes,
    )


def test_the_exact_methods_and_only_they_take_a_budget() -> None:
    assert [name for name, info in METHODS.items() if info.optimal] == BUDGET


@pytest.mark.parametrize("max_changes", [0, 1])
@pytest.mark.parametrize("objective", OBJECTIVES)
@pytest.mark.parametrize("method", [*BUDGET, "auto"])
def test_budgeted_solve_matches_brute_force(method: str, objective: str, max_changes: int) -> None:
    for seed in range(12):
        inst = tiny(seed)
        if method != "auto" and (
            not supports(method, inst) or objective not in METHODS[method].objectives
        ):
            continue
        rows, cols = previous(inst)
        budget = ChangeBudget(rows, cols, max_changes)
        best = _brute(seed, objective, max_changes)
        if best is None:
            with pytest.raises(InfeasibleError, match=f"max_changes={max_changes} cannot be met"):
                solve(
                    inst.weights, method=method, objective=objective, budget=budget, **inst.kwargs()
                )
            continue
        a = solve(inst.weights, method=method, objective=objective, budget=budget, **inst.kwargs())
        check_assignment(inst, a, objective)
        assert kept(a, rows, cols) >= rows.size - max_changes, seed
        assert a.budget_step in {"unconstrained", "lagrangian", "integer_program"}
        key = objective_key(inst.weights, a.rows, a.cols, objective)
        assert same_value(key, best, 1e-9), (seed, key, best)


@pytest.mark.parametrize("objective", OBJECTIVES)
@pytest.mark.parametrize("method", BUDGET)
def test_budgeted_methods_agree_with_milp_on_the_table(method: str, objective: str) -> None:
    for name, inst in TABLE.items():
        if not supports(method, inst) or objective not in METHODS[method].objectives:
            continue
        rows, cols = previous(inst)
        budget = ChangeBudget(rows, cols, rows.size // 3)
        try:
            reference = solve(
                inst.weights, method="milp", objective=objective, budget=budget, **inst.kwargs()
            )
        except InfeasibleError:
            with pytest.raises(InfeasibleError):
                solve(
                    inst.weights, method=method, objective=objective, budget=budget, **inst.kwargs()
                )
            continue
        a = solve(inst.weights, method=method, objective=objective, budget=budget, **inst.kwargs())
        check_assignment(inst, a, objective)
        assert kept(a, rows, cols) >= rows.size - rows.size // 3, name
        key = objective_key(inst.weights, a.rows, a.cols, objective)
        ref = objective_key(inst.weights, reference.rows, reference.cols, objective)
        scale = 1.0 + len(a) * float(np.abs(inst.weights).max(initial=0.0))
        assert same_value(key, ref, 1e-9 * scale), (name, key, ref)


@pytest.mark.parametrize("method", NO_BUDGET)
def test_a_method_without_the_feature_refuses_a_budget(method: str) -> None:
    w = np.array([[0.2, 0.9], [0.9, 0.2]])
    with pytest.raises(
        InvalidInputError, match=r"cannot express budget.*methods that can: "
    ) as info:
        solve(w, method=method, budget=ChangeBudget([0], [0], 0))
    named = str(info.value).split("methods that can: ", 1)[1]
    assert all(m in named for m in BUDGET)


def test_each_step_is_reported() -> None:
    w = np.array([[0.2, 0.9], [0.9, 0.2]])
    keep = ChangeBudget([0, 1], [1, 0], 0)
    assert solve(w, budget=keep).budget_step == "unconstrained"
    gap = solve(w, budget=ChangeBudget([0, 1], [0, 1], 1))
    assert gap.budget_step == "integer_program"
    assert sorted(gap.pairs()) == [(0, 0), (1, 1)]
    # One of two pairs sharing column 0 must stay: a bonus of 1 or more on
    # them makes keeping exactly one optimal.
    w3 = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    bounded = solve(w3, budget=ChangeBudget([0, 1], [0, 0], 1))
    assert bounded.budget_step == "lagrangian"
    assert bounded.multiplier is not None
    assert bounded.total == pytest.approx(1.0)


def test_a_budget_that_cannot_be_met_names_the_most_that_can_stay() -> None:
    with pytest.raises(InfeasibleError, match=r"max_changes=0 cannot be met.*at most 1") as info:
        solve(np.ones((2, 1)), budget=ChangeBudget([0, 1], [0, 0], 0))
    assert info.value.rows == (0, 1)


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        (ChangeBudget([0], [0], -1), "max_changes must be an integer >= 0"),
        (ChangeBudget([0], [0], True), "max_changes must be an integer >= 0"),  # type: ignore[arg-type]
        (ChangeBudget([0, 0], [1, 1], 0), "lists a pair twice"),
        (ChangeBudget([2], [0], 0), r"budget pair \(2, 0\) is outside the 2x2 matrix"),
        (ChangeBudget([0, 1], [0], 0), "same length"),
    ],
)
def test_malformed_budgets_are_named(budget: ChangeBudget, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        solve(np.eye(2), budget=budget)


def test_a_budget_and_quotas_are_not_combined() -> None:
    with pytest.raises(InvalidInputError, match="cannot be combined with quotas"):
        solve(
            np.eye(2),
            method="milp",
            quotas=[Quota("q", cols=[0], max=1)],
            budget=ChangeBudget([0], [0], 0),
        )
