"""Quota programs by column generation: the same optimum as the full integer program.

:func:`revmatch.solvers._quota_columns.solve_quota_columns` solves the
``milp`` method's lexicographic program on a working set of pairs and proves
that the others cannot matter. Here it is checked against the full integer
program (:func:`revmatch.solvers._milp.solve_milp` below its size threshold)
on random instances with every kind of quota, starting from a working set of
one pair per row and column so that pricing, fixing and the proof all run;
every answer is also checked for feasibility from scratch.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revmatch.solvers import Quota, _milp, _quota_columns, solve
from revmatch.solvers._problem import Problem, validate


@contextmanager
def smallest_start() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_quota_columns, "_START", 1)
        yield


@st.composite
def quota_problems(draw: st.DrawFn) -> tuple[Problem, np.ndarray, bool]:
    n = draw(st.integers(1, 7))
    m = draw(st.integers(1, 7))
    cells = st.lists(st.integers(-20, 100), min_size=n * m, max_size=n * m)
    w = np.array(draw(cells), dtype=float).reshape(n, m) / 100.0
    feasible = np.array(draw(st.lists(st.booleans(), min_size=n * m, max_size=n * m)))
    capacities = draw(st.lists(st.integers(0, 2), min_size=m, max_size=m))
    row_caps = draw(st.none() | st.lists(st.integers(1, 2), min_size=n, max_size=n))
    groups = None
    if draw(st.booleans()):
        labels = st.lists(st.integers(-1, 1), min_size=n * m, max_size=n * m)
        groups = np.array(draw(labels)).reshape(n, m)
    quotas = []
    for k in range(draw(st.integers(1, 3))):
        rows = draw(st.lists(st.integers(0, n - 1), unique=True))
        cols = draw(st.lists(st.integers(0, m - 1), min_size=1, unique=True))
        kind = draw(st.sampled_from(["min", "max", "min_share", "max_share"]))
        if kind == "min":
            quotas.append(Quota(f"q{k}", rows=rows, cols=cols, min=draw(st.integers(1, 3))))
        elif kind == "max":
            quotas.append(Quota(f"q{k}", rows=rows, cols=cols, max=draw(st.integers(0, 2))))
        else:
            share = draw(st.sampled_from([0.25, 0.4, 0.5, 0.75]))
            quotas.append(Quota(f"q{k}", rows=rows, cols=cols, **{kind: share}))
    problem = validate(
        w,
        feasible=feasible.reshape(n, m),
        capacities=capacities,
        row_capacities=row_caps,
        pair_groups=groups,
        quotas=quotas,
    )
    positive = draw(st.booleans())
    mask = problem.feasible & (problem.weights > 0) if positive else problem.feasible
    mask = np.ascontiguousarray(mask)
    return problem, mask, draw(st.booleans())


def check_feasible(problem: Problem, mask: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> None:
    """Every constraint of the program, recomputed from the pairs alone."""
    n, m = problem.shape
    assert mask[rows, cols].all()
    assert len(set(zip(rows.tolist(), cols.tolist(), strict=True))) == rows.size
    assert (np.bincount(rows, minlength=n) <= problem.row_capacities).all()
    assert (np.bincount(cols, minlength=m) <= problem.capacities).all()
    if problem.pair_groups is not None:
        labels = problem.pair_groups[rows, cols]
        keys = [(r, g) for r, g in zip(rows.tolist(), labels.tolist(), strict=True) if g >= 0]
        assert len(keys) == len(set(keys))
    for q in problem.quotas:
        count = int((q.row_mask[rows] & q.col_mask[cols]).sum())
        assert q.max is None or count <= q.max
        assert count >= q.min_share * rows.size - 1e-9
        assert q.max_share is None or count <= q.max_share * rows.size + 1e-9


def levels(problem: Problem, rows: np.ndarray, cols: np.ndarray, count: bool) -> tuple[float, ...]:
    """(total shortfall, [pairs,] total weight): what the program optimises, in order."""
    short = sum(
        max(q.min - int((q.row_mask[rows] & q.col_mask[cols]).sum()), 0) for q in problem.quotas
    )
    total = round(float(problem.weights[rows, cols].sum()), 6)
    return (short, rows.size, total) if count else (short, total)


@settings(max_examples=150, deadline=None)
@given(quota_problems())
def test_columns_reach_the_full_programs_optimum(case: tuple[Problem, np.ndarray, bool]) -> None:
    problem, mask, cardinality_first = case
    full = _milp.solve_milp(problem, mask, cardinality_first)
    with smallest_start():
        rows, cols = _quota_columns.solve_quota_columns(problem, mask, cardinality_first)
    check_feasible(problem, mask, rows, cols)
    assert levels(problem, rows, cols, cardinality_first) == levels(
        problem, *full, cardinality_first
    )


@pytest.mark.parametrize("seed", [0, 1])
def test_solve_switches_to_columns_on_large_programs_with_the_same_optimum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = 60, 50
    w = np.round(rng.uniform(0, 1, (n, m)), 3)
    feasible = rng.random((n, m)) < 0.9
    assert feasible.sum() > _milp.COLUMNS_FROM  # the column path runs
    half = list(range(n // 2))
    quotas = [
        Quota("top half", rows=half, min_share=0.6),
        Quota("first mentors", cols=list(range(10)), max=4),
        Quota("a block", rows=half, cols=list(range(25, 50)), min=12),
    ]
    stats: list[_quota_columns.QuotaStats] = []
    with pytest.MonkeyPatch.context() as patch:
        original = _quota_columns.solve_quota_columns
        patch.setattr(
            _milp,
            "solve_quota_columns",
            lambda p, k, c: original(p, k, c, stats=stats.append),
        )
        got = solve(w, feasible=feasible, capacities=2, quotas=quotas, method="milp")
    assert stats
    assert stats[0].working_set < stats[0].pairs
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_milp, "COLUMNS_FROM", 10**9)
        full = solve(w, feasible=feasible, capacities=2, quotas=quotas, method="milp")
    problem = validate(
        w, feasible=feasible, capacities=2, row_capacities=None, pair_groups=None, quotas=quotas
    )
    check_feasible(problem, problem.feasible, got.rows, got.cols)
    assert levels(problem, got.rows, got.cols, True) == levels(problem, full.rows, full.cols, True)
