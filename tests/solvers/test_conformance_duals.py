"""Conformance of ``solve_with_duals`` over every method with the feature ``"duals"``.

On the shared table (integer weights) each such method must reach the same
optimum as ``solve``, and return prices that are dual feasible (non-negative,
``u_i + g_il + v_j >= w_ij + shift`` on every pair) and complementary slack
(a positive price only on a full row, column or group; the dual objective
equals the assignment's weight).
"""

from __future__ import annotations

import numpy as np
import pytest

from revmatch import InvalidInputError
from revmatch.solvers import METHODS, DualSolution, PairGraph, solve, solve_with_duals
from tests.solvers._instances import Instance, families, flexible_families, tiny
from tests.strategies.oracles import instance_optimum

DUALS = [name for name, info in METHODS.items() if "duals" in info.features]
OBJECTIVES = ["coverage_then_score", "max_score"]
TABLE = [inst for inst in [*families(), *flexible_families()] if not inst.quotas]


def graph_of(inst: Instance, unit: float = 1e6) -> PairGraph:
    """The instance's feasible pairs with weights in integer units."""
    n, m = inst.weights.shape
    mask = np.ones((n, m), bool) if inst.feasible is None else np.asarray(inst.feasible, bool)
    rows, cols = np.nonzero(mask)
    caps = np.broadcast_to(np.asarray(1 if inst.capacities is None else inst.capacities), (m,))
    row_caps = np.broadcast_to(
        np.asarray(1 if inst.row_capacities is None else inst.row_capacities), (n,)
    )
    labels = None
    if inst.pair_groups is not None:
        labels = np.asarray(inst.pair_groups, dtype=np.intp)[rows, cols]
    return PairGraph(
        n,
        m,
        rows.astype(np.intp),
        cols.astype(np.intp),
        np.rint(inst.weights[rows, cols] * unit).astype(np.int64),
        row_caps.astype(np.int64),
        caps.astype(np.int64),
        labels,
    )


def coverage_shift(graph: PairGraph) -> int:
    """A shift that makes one more pair outweigh any gain in weight."""
    low = int(graph.weights.min(initial=0)) - 1
    high = int(graph.weights.max(initial=0)) + 1
    most = min(int(graph.row_capacities.sum()), int(graph.capacities.sum()))
    return (most + 1) * (high - low) + 1 - low


def check_duals(graph: PairGraph, sol: DualSolution, shift: int) -> None:
    """Dual feasibility and complementary slackness, in exact integers."""
    w = graph.weights + shift
    groups = np.zeros(graph.rows.size, np.int64)
    if graph.labels is not None:
        groups = sol.group_price(graph.rows, graph.labels)
    price = sol.u[graph.rows] + sol.v[graph.cols] + groups
    assert (sol.u >= 0).all()
    assert (sol.v >= 0).all()
    assert (sol.group_prices >= 0).all()
    unchosen = np.ones(graph.rows.size, bool)
    unchosen[sol.chosen] = False
    assert (price[unchosen] >= w[unchosen]).all(), "dual infeasible on an unchosen pair"
    slack = np.maximum(w[sol.chosen] - price[sol.chosen], 0)  # z_ij
    per_row = np.bincount(graph.rows[sol.chosen], minlength=graph.n_rows)
    per_col = np.bincount(graph.cols[sol.chosen], minlength=graph.n_cols)
    assert (per_row[sol.u > 0] == graph.row_capacities[sol.u > 0]).all(), "priced row not full"
    assert (per_col[sol.v > 0] == graph.capacities[sol.v > 0]).all(), "priced column not full"
    if sol.group_keys.size:
        assert graph.labels is not None
        used = graph.rows[sol.chosen].astype(np.int64) * sol.n_labels + graph.labels[sol.chosen]
        assert np.isin(sol.group_keys, used).all(), "priced group unused"
    dual = (
        sum(int(a) * int(b) for a, b in zip(graph.row_capacities, sol.u, strict=True))
        + sum(int(a) * int(b) for a, b in zip(graph.capacities, sol.v, strict=True))
        + sum(int(g) for g in sol.group_prices)
        + sum(int(z) for z in slack)
    )
    assert dual == sum(int(x) for x in w[sol.chosen])


def usable(method: str, graph: PairGraph) -> bool:
    return method != "sparse" or (graph.labels is None and bool((graph.row_capacities <= 1).all()))


@pytest.mark.parametrize("objective", OBJECTIVES)
@pytest.mark.parametrize("method", [*DUALS, "auto"])
def test_duals_are_feasible_slack_and_the_assignment_optimal(method: str, objective: str) -> None:
    for inst in TABLE:
        graph = graph_of(inst)
        if not usable(method, graph):
            continue
        shift = coverage_shift(graph) if objective == "coverage_then_score" else 0
        sol = solve_with_duals(graph, shift=shift, objective=objective, method=method)
        check_duals(graph, sol, shift)
        rows, cols = graph.rows[sol.chosen], graph.cols[sol.chosen]
        ints = np.zeros(inst.weights.shape)
        ints[graph.rows, graph.cols] = graph.weights
        reference = solve(ints, method="milp", objective=objective, **inst.kwargs())
        assert rows.size == len(reference) or objective == "max_score", inst.name
        assert ints[rows, cols].sum() == ints[reference.rows, reference.cols].sum(), inst.name


@pytest.mark.parametrize("method", DUALS)
def test_duals_on_tiny_instances_reach_brute_force(method: str) -> None:
    for seed in range(20):
        inst = tiny(seed)
        graph = graph_of(inst, unit=4)
        for objective in OBJECTIVES:
            shift = coverage_shift(graph) if objective == "coverage_then_score" else 0
            sol = solve_with_duals(graph, shift=shift, objective=objective, method=method)
            check_duals(graph, sol, shift)
            chosen = graph.weights[sol.chosen] / 4
            best = instance_optimum(inst, objective)
            key = (float(chosen.size), float(chosen.sum()))
            if objective == "max_score":
                key = (float(chosen.sum()),)
            assert key == pytest.approx(best), (seed, objective)


@pytest.mark.parametrize("method", [m for m in METHODS if m not in DUALS])
def test_a_method_without_duals_refuses_and_names_those_that_can(method: str) -> None:
    graph = graph_of(tiny(0))
    with pytest.raises(
        InvalidInputError, match=r"cannot express duals.*methods that can: "
    ) as info:
        solve_with_duals(graph, method=method)
    assert all(m in str(info.value) for m in DUALS)


def test_sparse_needs_one_place_per_row_and_the_objective_is_checked() -> None:
    graph = graph_of(tiny(0))
    two = PairGraph(**{**graph.__dict__, "row_capacities": graph.row_capacities + 1})
    with pytest.raises(InvalidInputError, match=r"one place per row.*methods that can: ortools"):
        solve_with_duals(two, method="sparse")
    with pytest.raises(InvalidInputError, match="objective"):
        solve_with_duals(graph, objective="maximin")
    with pytest.raises(InvalidInputError, match="shift must be 0"):
        solve_with_duals(graph, shift=5, objective="max_score")
