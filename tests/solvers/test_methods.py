"""Method-specific behaviour: quotas, groups, maximin, scaling, registry, optional imports."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from unittest import mock

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from revmatch.exceptions import InfeasibleError, InvalidInputError
from revmatch.solvers import METHODS, Quota, _network, available_methods, solve
from revmatch.solvers._network import grid_integers, grid_values, integer_weights
from tests.extras import method_param, needs
from tests.solvers._instances import Instance, score_like
from tests.strategies.oracles import instance_optimum, objective_key, same_value


def test_registry_describes_every_method() -> None:
    assert set(METHODS) == {
        "jv",
        "lapjv",
        "sparse",
        "ortools",
        "flow",
        "blossom",
        "milp",
        "greedy",
        "stable",
    }
    assert [m for m, i in METHODS.items() if not i.exact] == ["greedy"]
    assert {m for m, i in METHODS.items() if not i.optimal} == {"greedy", "stable"}
    assert [m for m, i in METHODS.items() if "quotas" in i.features] == ["milp"]
    assert {METHODS[m].dependency for m in ("lapjv", "ortools")} == {"lap", "ortools"}
    assert set(available_methods()) <= set(METHODS)
    assert "jv" in available_methods()


@needs("ortools", "lap")
def test_maximin_raises_the_worst_pair() -> None:
    w = np.array([[1.0, 0.5], [0.5, 0.1]])
    assert list(solve(w).pairs()) == [(0, 0), (1, 1)]  # total 1.1, worst pair 0.1
    for method in ("jv", "sparse", "ortools", "flow", "milp", "blossom", "lapjv"):
        a = solve(w, objective="maximin", method=method)
        assert list(a.pairs()) == [(0, 1), (1, 0)], method  # worst pair 0.5, total 1.0


def test_maximin_keeps_the_most_pairs_before_the_worst_pair() -> None:
    w = np.array([[0.9, 0.05], [0.05, 0.0]])
    a = solve(w, objective="maximin")
    assert len(a) == 2  # two pairs with worst 0.0 beat one pair with worst 0.9


def test_quota_minimum_and_maximum() -> None:
    rng = np.random.default_rng(5)
    w = score_like(rng, 3, 4)
    women = [0, 1]  # a group of mentors: at least two pairs with them
    quotas = [
        Quota("two with group G", cols=women, min=2),
        Quota("one from row block", rows=[0, 1], max=1),
    ]
    inst = Instance("quota", w, quotas=tuple(quotas))
    a = solve(w, quotas=quotas, method="milp")
    assert np.isin(a.cols, women).sum() >= 2
    assert np.isin(a.rows, [0, 1]).sum() <= 1
    for objective in ("coverage_then_score", "max_score", "maximin"):
        got = solve(w, quotas=quotas, method="auto", objective=objective)
        assert got.method == "milp"
        key = objective_key(w, got.rows, got.cols, objective)
        assert same_value(key, instance_optimum(inst, objective), 1e-9)


def test_unreachable_quota_minimum_is_best_effort_unless_strict() -> None:
    w = np.ones((3, 3))
    quota = Quota("three pairs with mentor 0", cols=[0], min=3)
    a = solve(w, quotas=[quota], method="milp")
    assert len(a) == 3
    assert (a.cols == 0).sum() == 1
    with pytest.raises(
        InfeasibleError, match="quota 'three pairs with mentor 0' needs at least 3"
    ) as info:
        solve(w, quotas=[quota], method="milp", strict=True)
    assert info.value.cols == (0,)
    # Capacity makes it reachable.
    b = solve(w, quotas=[quota], capacities=[3, 1, 1], method="milp", strict=True)
    assert (b.cols == 0).sum() == 3


def test_strict_quota_and_coverage_together() -> None:
    w = np.ones((2, 2))
    feasible = np.array([[True, True], [True, False]])
    # Each alone is possible; together they are not (row 1 needs column 0).
    quota = Quota("row 0 takes column 0", rows=[0], cols=[0], min=1)
    with pytest.raises(InfeasibleError, match=r"rows \[1\] cannot get all their partners while"):
        solve(w, feasible=feasible, quotas=[quota], method="milp", strict=True)


@needs("ortools")
def test_pair_groups_spread_topics() -> None:
    w = np.array([[0.9, 0.8, 0.7, 0.1]])
    topics = np.array([[0, 0, 1, 2]])
    for method in ("flow", "ortools", "milp", "auto"):
        a = solve(w, row_capacities=[3], pair_groups=topics, method=method)
        assert list(a.pairs()) == [(0, 0), (0, 2), (0, 3)], method
    g = solve(w, row_capacities=[3], pair_groups=topics, method="greedy")
    assert list(g.pairs()) == [(0, 0), (0, 2), (0, 3)]


def test_auto_picks_a_method_that_can_express_the_problem() -> None:
    w = np.ones((3, 3))
    assert solve(w, row_capacities=[2, 2, 2], capacities=[2, 2, 2], method="auto").method in {
        "ortools",
        "flow",
    }
    assert solve(w, quotas=[Quota("q", max=1)], method="auto").method == "milp"
    assert len(solve(w, quotas=[Quota("q", max=1)], method="auto")) == 1


@pytest.mark.parametrize("method", ["flow", method_param("ortools"), "milp", "blossom"])
def test_integer_methods_agree_with_jv_off_the_score_grid(method: str) -> None:
    rng = np.random.default_rng(11)
    for scale in (1.0, 1e-7, 1e9):
        w = rng.standard_normal((9, 11)) * scale
        feasible = rng.random((9, 11)) < 0.7
        ref = solve(w, feasible=feasible)
        a = solve(w, feasible=feasible, method=method)
        assert len(a) == len(ref)
        tol = 1e-9 * (1 + len(a) * np.abs(w).max())
        assert a.total == pytest.approx(ref.total, abs=tol), scale


def test_integer_weights_are_exact_on_the_score_grid() -> None:
    w = np.round(np.random.default_rng(2).random(1000), 6)
    ints, scale = integer_weights(w, 2**40)
    assert scale == 1e6
    assert np.array_equal(ints, np.rint(w * 1e6).astype(np.int64))
    ints, scale = integer_weights(np.array([0.1234567891, 3.0]), 2**20)
    assert scale == 2.0**18  # largest power of two keeping 3.0 * scale <= 2**20
    assert np.abs(ints).max() <= 2**20


@given(
    micro=st.lists(st.integers(-(10**9), 10**9), min_size=1, max_size=40),
    nudge=st.integers(-1, 39),
    chunk=st.integers(1, 7),
)
def test_chunked_scaling_equals_the_whole_array_expression(
    micro: list[int], nudge: int, chunk: int
) -> None:
    # The scaling loops work in chunks to avoid large temporaries; the result
    # must be that of the one-shot expression, whatever the chunk boundaries,
    # and a single value off the grid (anywhere) must reject the whole array.
    w = np.array(micro, dtype=np.float64).reshape(1, -1) * 1e-6
    with mock.patch.object(_network, "_CHUNK", chunk):
        ints = grid_integers(w)
        floats = grid_values(w)
        scaled, scale = integer_weights(w * 3.3, 2**40)
        assert ints is not None
        assert floats is not None
        np.testing.assert_array_equal(ints, np.rint(w / 1e-6).astype(np.int64))
        np.testing.assert_array_equal(floats, ints.astype(np.float64))
        np.testing.assert_array_equal(scaled, np.rint(w * 3.3 * scale).astype(np.int64))
        if 0 <= nudge < w.size:
            off = w.copy()
            off[0, nudge] += 0.37e-6
            assert grid_integers(off) is None
            assert _network._rounded(off, 1e-6, True, 1e-6, np.int64) is None


def test_sparse_handles_partial_and_rectangular_problems() -> None:
    rng = np.random.default_rng(4)
    w = score_like(rng, 30, 12)
    feasible = rng.random((30, 12)) < 0.1
    for objective in ("coverage_then_score", "max_score", "maximin"):
        a = solve(w, feasible=feasible, method="sparse", objective=objective)
        b = solve(w, feasible=feasible, method="jv", objective=objective)
        assert same_value(
            objective_key(w, a.rows, a.cols, objective),
            objective_key(w, b.rows, b.cols, objective),
            1e-9,
        )


def test_sparse_terminates_on_quantised_weights() -> None:
    """Regression: csgraph's maximize=True form hung on 1e-6-grid weights.

    Run in a subprocess with a generous hang guard (the instances take well
    under a second); the point is termination and agreement, not speed.
    """
    code = textwrap.dedent(
        """
        import numpy as np
        from revmatch.solvers import solve
        for seed in range(4):
            rng = np.random.default_rng(seed)
            n = 300
            w = np.round(rng.random((n, 5)) @ rng.random((5, n)) / 5, 6)
            feasible = rng.random((n, n)) < 0.3
            for objective in ("coverage_then_score", "max_score"):
                a = solve(w, feasible=feasible, method="sparse", objective=objective)
                b = solve(w, feasible=feasible, method="jv", objective=objective)
                assert len(a) == len(b) and abs(a.total - b.total) < 1e-6, (seed, objective)
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_missing_optional_dependency_gives_the_install_hint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "lap", None)
    with pytest.raises(ImportError, match=r"pip install 'revmatch\[fast\]'"):
        solve(np.eye(2), method="lapjv")
    monkeypatch.setitem(sys.modules, "ortools.graph.python", None)
    with pytest.raises(ImportError, match=r"pip install 'revmatch\[fast\]'"):
        solve(np.eye(2), method="ortools")


def test_many_to_many_is_refused_by_copying_methods() -> None:
    w = np.ones((2, 2))
    with pytest.raises(
        InvalidInputError, match=r"'sparse' cannot express many_to_many.*ortools, flow, milp"
    ):
        solve(w, capacities=[2, 2], row_capacities=[2, 2], method="sparse")
    # One side with capacity one is fine for them.
    a = solve(w, capacities=[2, 2], row_capacities=[1, 1], method="sparse")
    assert len(a) == 2


@needs("lap")
@pytest.mark.parametrize("scale", [1.0, 1e4, 1e9])
def test_lapjv_is_right_whatever_the_magnitude_of_the_weights(scale: float) -> None:
    """Regression: lap treats costs near lap.LARGE (1e6) as infinite."""
    rng = np.random.default_rng(8)
    w = score_like(rng, 60, 80) * scale
    feasible = rng.random((60, 80)) < 0.3
    for objective in ("coverage_then_score", "max_score"):
        a = solve(w, feasible=feasible, method="lapjv", objective=objective)
        b = solve(w, feasible=feasible, method="jv", objective=objective)
        assert len(a) == len(b)
        assert a.total == pytest.approx(b.total, rel=1e-12, abs=1e-9)


@pytest.mark.parametrize("scale", [1.0, 1e140, 1e-300])
def test_structure_probe_tells_low_rank_from_noise_at_any_scale(scale: float) -> None:
    from revmatch.solvers._auto import structured

    rng = np.random.default_rng(5)
    noise = rng.random((300, 200)) * scale
    low_rank = rng.random((300, 4)) @ rng.random((4, 200)) * scale
    full = np.ones(noise.shape, dtype=np.bool_)
    assert not structured(noise, full, True)
    assert structured(low_rank, full, True)
    # Forbidden cells take the sample mean and do not hide the structure.
    mask = rng.random(noise.shape) >= 0.3
    assert structured(low_rank, mask, False)
    assert not structured(noise, mask, False)
    assert not structured(low_rank, np.zeros(noise.shape, dtype=np.bool_), False)


def _choice(weights: np.ndarray, objective: str = "coverage_then_score", **options: object) -> str:
    from revmatch.solvers._auto import choose_method
    from revmatch.solvers._problem import validate

    problem = validate(
        weights,
        feasible=options.get("feasible"),  # type: ignore[arg-type]
        capacities=options.get("capacities"),  # type: ignore[arg-type]
        row_capacities=None,
        pair_groups=None,
        quotas=None,
    )
    return choose_method(problem, objective)


@needs("ortools", "lap")
def test_auto_rule_follows_size_shape_capacities_and_structure() -> None:
    """Each dense rule of ``choose_method``, on both sides of its threshold."""
    rng = np.random.default_rng(11)
    noise = rng.random((300, 300))
    low_rank = score_like(rng, 300, 300)
    # Rule 4: tiny problems and wide or tall rectangles go to scipy.
    assert _choice(noise[:64, :64]) == "jv"
    assert _choice(noise[:100, :]) == "jv"
    assert _choice(noise[:, :100]) == "jv"
    # Capacities turn 100 columns into 250 slots: no longer a 3:1 rectangle.
    assert _choice(noise[:, :100], capacities=np.full(100, 3)) != "jv"
    # Rule 5: max_score, and capacities on up to 256 x 256 cells, go to LAPJV.
    assert _choice(low_rank, "max_score") == "lapjv"
    caps = np.tile([1, 2, 3], 40)  # 240 slots for 120 columns
    assert _choice(low_rank[:250, :120], capacities=caps) == "lapjv"
    assert _choice(low_rank[:280, :120], capacities=caps) == "ortools"
    # Rules 6 and 7: structure decides between OR-tools and LAPJV, with or
    # without forbidden pairs.
    assert _choice(low_rank) == "ortools"
    assert _choice(noise) == "lapjv"
    forbidden = rng.random((300, 300)) < 0.3
    assert _choice(low_rank, feasible=~forbidden) == "ortools"
    assert _choice(noise, feasible=~forbidden) == "lapjv"


@needs("ortools", "lap")
def test_auto_switches_to_lapjv_when_a_small_problem_cannot_be_covered() -> None:
    """Small structured one-to-one problems: OR-tools' assignment solver when a
    matching covers the smaller side, LAPJV when none does (instead of
    OR-tools' slower min-cost flow); the optimum is jv's either way."""
    rng = np.random.default_rng(12)
    w = score_like(rng, 120, 120)
    open_mask = rng.random(w.shape) < 0.9
    # Rows 0-2 may only meet columns 0-1: three rows for two columns.
    short_mask = open_mask.copy()
    short_mask[:3] = False
    short_mask[:3, :2] = True
    for mask, method, size in ((open_mask, "ortools", 120), (short_mask, "lapjv", 119)):
        got = solve(w, feasible=mask, method="auto")
        ref = solve(w, feasible=mask, method="jv")
        assert got.method == method
        assert len(got) == len(ref) == size
        assert got.total == pytest.approx(ref.total, rel=1e-12)
        assert bool(mask[got.rows, got.cols].all())
    # From 257 x 257 cells on, OR-tools' min-cost flow takes over as usual.
    big = score_like(rng, 300, 300)
    big_mask = rng.random(big.shape) < 0.9
    big_mask[:3] = False
    big_mask[:3, :2] = True
    assert solve(big, feasible=big_mask, method="auto").method == "ortools"
