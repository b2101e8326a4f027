"""The routes of a quota program: each reaches the integer program's optimum, and is taken.

:func:`revmatch.solvers._milp.solve_quota_program` answers with the
unconstrained optimum when it meets the quotas, with min-cost flows when
the quotas count one side's people in nested or disjoint sets, and with the
integer program otherwise. Each route is checked against the full integer
program (the ``milp`` method's own levels) and against brute force over
every assignment of tiny instances, with the route it took asserted.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revmatch.solvers import Quota, _milp, _quota_flow, solve
from revmatch.solvers._network import integer_weights, pairs_from_mask
from revmatch.solvers._problem import Problem, validate
from tests.fairness.test_quota_columns import check_feasible, levels

Case = tuple[Problem, np.ndarray, bool]


@st.composite
def laminar(draw: st.DrawFn, size: int) -> list[list[int]]:
    """Sets of ``range(size)`` any two of which are disjoint or nested (intervals of a shuffle)."""
    order = draw(st.permutations(range(size)))
    kept: list[tuple[int, int]] = []
    for _ in range(draw(st.integers(1, 3))):
        lo = draw(st.integers(0, size - 1))
        hi = draw(st.integers(lo + 1, size))
        if all(
            hi <= a or b <= lo or (a <= lo and hi <= b) or (lo <= a and b <= hi) for a, b in kept
        ):
            kept.append((lo, hi))
    return [sorted(order[lo:hi]) for lo, hi in kept]


@st.composite
def one_sided_problems(draw: st.DrawFn, max_side: int = 6, shares: bool = True) -> Case:
    """Quotas on sets of rows and sets of columns, each side's sets laminar."""
    n = draw(st.integers(1, max_side))
    m = draw(st.integers(1, max_side))
    w = np.array(draw(st.lists(st.integers(-20, 100), min_size=n * m, max_size=n * m)))
    feasible = np.array(draw(st.lists(st.booleans(), min_size=n * m, max_size=n * m)))
    capacities = draw(st.lists(st.integers(0, 2), min_size=m, max_size=m))
    row_caps = draw(st.none() | st.lists(st.integers(1, 2), min_size=n, max_size=n))
    groups = None
    if draw(st.booleans()):
        groups = np.array(draw(st.lists(st.integers(-1, 1), min_size=n * m, max_size=n * m)))
        groups = groups.reshape(n, m)
    kinds = ["min", "max", "min_share", "max_share"] if shares else ["min", "max"]
    quotas = []
    for side, size in (("rows", n), ("cols", m)):
        if not draw(st.booleans()):
            continue
        for block in draw(laminar(size)):
            kind = draw(st.sampled_from(kinds))
            bound: dict[str, float] = {}
            if kind in ("min", "max"):
                bound[kind] = draw(st.integers(0 if kind == "max" else 1, 3))
            else:
                bound[kind] = draw(st.sampled_from([0.25, 0.4, 0.5, 0.75]))
            quotas.append(Quota(f"q{len(quotas)}", **{side: block}, **bound))  # type: ignore[arg-type]
    problem = validate(
        w.reshape(n, m) / 100.0,
        feasible=feasible.reshape(n, m),
        capacities=capacities,
        row_capacities=row_caps,
        pair_groups=groups,
        quotas=quotas,
    )
    cardinality_first = draw(st.booleans())
    mask = problem.feasible if cardinality_first else problem.feasible & (problem.weights > 0)
    return problem, np.ascontiguousarray(mask), cardinality_first


def ints_of(problem: Problem, mask: np.ndarray) -> np.ndarray:
    pr, pc = pairs_from_mask(mask)
    ints, _ = integer_weights(problem.weights[pr, pc], _milp.WEIGHT_LIMIT)
    return ints


def share_bounds(problem: Problem) -> int:
    return sum((q.min_share > 0) + (q.max_share is not None) for q in problem.quotas)


@settings(max_examples=200, deadline=None)
@given(one_sided_problems())
def test_flow_route_reaches_the_integer_programs_optimum(case: Case) -> None:
    problem, mask, cardinality_first = case
    assert _quota_flow.one_sided(problem, mask) is not None
    full = _milp._integer_program(problem, mask, cardinality_first)
    best = levels(problem, *full, cardinality_first)
    got = _quota_flow.flow_pairs(problem, mask, cardinality_first, ints_of(problem, mask))
    shares = share_bounds(problem)
    # The route must answer whenever its conditions hold: every minimum met by
    # the optimum, and at most one share bound (whose price is exact here),
    # which needs the number of pairs as a level.
    if best[0] == 0 and (shares == 0 or (shares == 1 and cardinality_first)):
        assert got is not None
    if got is not None:
        check_feasible(problem, mask, *got)
        assert levels(problem, *got, cardinality_first) == best


@settings(max_examples=60, deadline=None)
@given(
    st.integers(4, 12),
    st.integers(4, 12),
    st.integers(0, 2**32 - 1),
    st.sampled_from(["min_share", "max_share"]),
    st.sampled_from([0.1, 0.25, 0.4, 0.5, 0.75, 0.9]),
    st.sampled_from(["rows", "cols"]),
)
def test_one_share_bound_is_met_at_the_most_pairs(
    n: int, m: int, seed: int, kind: str, share: float, side: str
) -> None:
    """A binding share: bisection on the number of pairs finds the integer program's."""
    rng = np.random.default_rng(seed)
    size = n if side == "rows" else m
    block = sorted(rng.choice(size, size=int(rng.integers(1, size)), replace=False).tolist())
    quota = Quota("share", **{side: block, kind: share})  # type: ignore[arg-type]
    problem = validate(
        np.round(rng.uniform(0, 1, (n, m)), 2),
        feasible=rng.random((n, m)) < 0.6,
        capacities=None,
        row_capacities=None,
        pair_groups=None,
        quotas=[quota],
    )
    mask = problem.feasible
    got = _quota_flow.flow_pairs(problem, mask, True, ints_of(problem, mask))
    assert got is not None
    full = _milp._integer_program(problem, mask, True)
    check_feasible(problem, mask, *got)
    assert levels(problem, *got, True) == levels(problem, *full, True)


@settings(max_examples=60, deadline=None)
@given(one_sided_problems(max_side=5))
def test_flow_route_without_ortools_solves_by_linear_programming(case: Case) -> None:
    problem, mask, cardinality_first = case
    full = _milp._integer_program(problem, mask, cardinality_first)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_quota_flow, "_have_ortools", lambda: False)
        route, got = _milp.solve_quota_program(problem, mask, cardinality_first)
        flow = _quota_flow.flow_pairs(problem, mask, cardinality_first, ints_of(problem, mask))
    check_feasible(problem, mask, *got)
    best = levels(problem, *full, cardinality_first)
    assert levels(problem, *got, cardinality_first) == best
    assert route in _milp.ROUTES
    if flow is not None:
        assert levels(problem, *flow, cardinality_first) == best


def brute_levels(problem: Problem, mask: np.ndarray, count: bool) -> tuple[float, ...]:
    """The best (shortfall, [pairs,] total) over every assignment that keeps the hard rules."""
    n, m = problem.shape
    pr, pc = pairs_from_mask(mask)
    best: tuple[float, ...] | None = None
    for size in range(pr.size + 1):
        for chosen in itertools.combinations(range(pr.size), size):
            rows, cols = pr[list(chosen)], pc[list(chosen)]
            if (np.bincount(rows, minlength=n) > problem.row_capacities).any():
                continue
            if (np.bincount(cols, minlength=m) > problem.capacities).any():
                continue
            if problem.pair_groups is not None:
                keys = [
                    (r, g)
                    for r, g in zip(rows, problem.pair_groups[rows, cols], strict=True)
                    if g >= 0
                ]
                if len(keys) != len(set(keys)):
                    continue
            ok = True
            for q in problem.quotas:
                inside = int((q.row_mask[rows] & q.col_mask[cols]).sum())
                ok &= q.max is None or inside <= q.max
                ok &= all(q.shares_met(inside, rows.size))
            if not ok:
                continue
            short, *rest = levels(problem, rows, cols, count)
            key = (-short, *rest)
            best = key if best is None or key > best else best
    assert best is not None  # the empty assignment always qualifies
    return (-best[0], *best[1:])


@settings(max_examples=80, deadline=None)
@given(one_sided_problems(max_side=3))
def test_every_route_matches_brute_force(case: Case) -> None:
    problem, mask, cardinality_first = case
    if np.count_nonzero(mask) > 9:
        mask = mask.copy()
        mask.reshape(-1)[np.flatnonzero(mask.reshape(-1))[9:]] = False
    route, got = _milp.solve_quota_program(problem, mask, cardinality_first)
    check_feasible(problem, mask, *got)
    assert levels(problem, *got, cardinality_first) == brute_levels(
        problem, mask, cardinality_first
    )
    if route == "unconstrained":
        assert _quota_flow.meets_quotas(problem, *got)


def program(quotas: list[Quota]) -> Problem:
    rng = np.random.default_rng(7)
    w = np.round(rng.uniform(0, 1, (30, 30)), 3)
    return validate(
        w,
        feasible=rng.random((30, 30)) < 0.5,
        capacities=None,
        row_capacities=None,
        pair_groups=None,
        quotas=quotas,
    )


@pytest.mark.parametrize(
    ("quotas", "route"),
    [
        ([Quota("loose", rows=range(10), max=30)], "unconstrained"),
        ([Quota("first rows", rows=range(10), max=4)], "flow"),
        ([Quota("nested", rows=range(10), max=6), Quota("in it", rows=range(3), min=3)], "flow"),
        ([Quota("first mentors", cols=range(12), max=5)], "flow"),
        ([Quota("share", rows=range(15), max_share=0.3)], "flow"),
        ([Quota("block", rows=range(15), cols=range(15), max=2)], "milp"),
        ([Quota("a", rows=range(10), max=3), Quota("b", rows=range(5, 15), max=3)], "milp"),
    ],
)
def test_route_taken_and_its_optimum(quotas: list[Quota], route: str) -> None:
    problem = program(quotas)
    taken, got = _milp.solve_quota_program(problem, problem.feasible, True)
    assert taken == route
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_milp, "solve_quota_program", lambda *a: ("milp", _milp._integer_program(*a)))
        full = solve(problem.weights, feasible=problem.feasible, quotas=quotas, method="milp")
    check_feasible(problem, problem.feasible, *got)
    assert levels(problem, *got, True) == levels(problem, full.rows, full.cols, True)
