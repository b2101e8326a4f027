"""What candidate mode certifies, what strict demands, what tiny weights are worth.

Candidate mode's objective and certificate are checked against an oracle
built here from the dense score matrix and the config (not from the code
under test's objective weights); strict and tiny-weight rules are checked
across every method and input form.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import revmatch as rm
from revmatch._pipeline.scoring import score
from revmatch.solvers import METHODS, available_methods, solve
from tests.strategies.programs import person, programs

EVERY_METHOD = [m for m in METHODS if m in available_methods()]

# ----------------------------------------------------------------- oracle


def _objective_matrix(program: rm.Program, config: rm.MatchConfig, custom: Any) -> Any:
    """Dense objective weights, assembled from the scores and the config by hand."""
    scores = score(program, config, custom=custom)
    weights = scores.values.copy()
    execs = {e: i for i, e in enumerate(scores.executive_ids)}
    mentors = {m: j for j, m in enumerate(scores.mentor_ids)}
    for pid in set(program.priority):
        if pid in execs:
            weights[execs[pid]] += config.priority_bonus
    if config.allow_repeats:
        for h in {(h.executive_id, h.mentor_id) for h in program.history}:
            weights[execs[h[0]], mentors[h[1]]] += config.repeat_bonus
    return weights, execs, mentors


def _value(result: rm.MatchResult, oracle: Any) -> tuple[int, float]:
    """(pairs, total objective weight) of a result, at full precision."""
    weights, execs, mentors = oracle
    chosen = [weights[execs[p.executive_id], mentors[p.mentor_id]] for p in result.pairs]
    return len(chosen), math.fsum(chosen)


# ------------------------------------------------------ regression snippets


def _two_equal_mentors() -> dict[str, Any]:
    return {
        "executives": [person("e1", interests={"digital": 5})],
        "mentors": [
            person("m1", expertise={"digital": 5}),
            person("m2", expertise={"digital": 5}),
        ],
        "history": [{"executive_id": "e1", "mentor_id": "m1"}],
    }


def test_candidate_mode_keeps_a_repeat_bonus_finer_than_the_score_grid() -> None:
    program = rm.Program.model_validate(_two_equal_mentors())
    config = rm.MatchConfig(
        allow_repeats=True, repeat_bonus=-0.3, score_decimals=0, weights={"topic": 1}
    )
    oracle = _objective_matrix(program, config, None)
    dense = rm.match(program, config)
    candidate = rm.match(program, config.replace(candidates=1))
    assert [p.mentor_id for p in dense.pairs] == ["m2"]
    assert [p.mentor_id for p in candidate.pairs] == ["m2"]
    assert _value(candidate, oracle) == _value(dense, oracle) == (1, 1.0)
    audit = candidate.audit["candidates"]
    assert audit["certified"] is True
    assert audit["unit"] == pytest.approx(0.1)
    assert audit["tolerance"] == 0.0


def test_candidate_mode_keeps_a_priority_bonus_finer_than_the_score_grid() -> None:
    # Two executives want the one mentor equally; only the priority bonus
    # (0.05, below the whole-number score grid) tells them apart.
    program = rm.Program(
        executives=[
            person("e1", interests={"digital": 5}),
            person("e2", interests={"digital": 5}),
        ],
        mentors=[person("m1", expertise={"digital": 5})],
        priority=["e2"],
    )
    config = rm.MatchConfig(priority_bonus=0.05, score_decimals=0, weights={"topic": 1})
    dense = rm.match(program, config)
    candidate = rm.match(program, config.replace(candidates=1))
    assert [p.executive_id for p in dense.pairs] == ["e2"]
    assert [p.executive_id for p in candidate.pairs] == ["e2"]


def test_a_bonus_beyond_twelve_decimals_reports_its_tolerance() -> None:
    program = rm.Program.model_validate(_two_equal_mentors())
    config = rm.MatchConfig(
        allow_repeats=True, repeat_bonus=-1 / 3, score_decimals=0, weights={"topic": 1}
    )
    audit = rm.match(program, config.replace(candidates=1)).audit["candidates"]
    assert audit["unit"] == pytest.approx(1e-12)
    assert 0 < audit["tolerance"] <= 1e-11


@pytest.mark.parametrize(
    "feasible", [None, np.ones((1, 2), bool), np.array([[True, False]])], ids=str
)
@pytest.mark.parametrize(
    "method", [m for m in EVERY_METHOD if "row_capacities" in METHODS[m].features]
)
def test_strict_raises_for_a_row_asking_more_than_the_columns(feasible: Any, method: str) -> None:
    kwargs: dict[str, Any] = {"row_capacities": [3], "strict": True, "method": method}
    with pytest.raises(rm.InfeasibleError, match="ask for more partners") as info:
        solve(np.ones((1, 2)), feasible=feasible, **kwargs)
    assert info.value.rows == (0,)


def test_strict_raises_the_same_with_sparse_weights() -> None:
    with pytest.raises(rm.InfeasibleError, match="ask for more partners"):
        solve(sp.csr_array(np.ones((1, 2))), row_capacities=[3], strict=True)


def test_strict_still_accepts_a_row_that_can_be_served() -> None:
    a = solve(np.ones((1, 2)), row_capacities=[2], strict=True)
    assert list(a.pairs()) == [(0, 0), (0, 1)]


@pytest.mark.parametrize("candidates", [None, 1])
def test_match_is_strict_the_same_way_dense_and_in_candidate_mode(candidates: Any) -> None:
    program = rm.Program.model_validate(_two_equal_mentors())
    config = rm.MatchConfig(mentors_per_executive=3, strict=True, candidates=candidates)
    with pytest.raises(rm.InfeasibleError):
        rm.match(program, config)


@pytest.mark.parametrize("objective", ["coverage_then_score", "max_score", "maximin"])
@pytest.mark.parametrize("method", EVERY_METHOD)
def test_a_tiny_positive_weight_counts_in_every_method(method: str, objective: str) -> None:
    if objective not in METHODS[method].objectives:
        pytest.skip(f"{method} does not support {objective}")
    a = solve(np.array([[1e-12]]), objective=objective, method=method)
    assert list(a.pairs()) == [(0, 0)]
    assert a.total == 1e-12


@pytest.mark.parametrize("method", ["sparse", "ortools", "flow", "auto"])
def test_a_tiny_positive_weight_counts_with_sparse_weights(method: str) -> None:
    if method not in [*available_methods(), "auto"]:
        pytest.skip(f"{method} is not installed")
    a = solve(sp.csr_array(np.array([[1e-12]])), objective="max_score", method=method)
    assert list(a.pairs()) == [(0, 0)]


TINY = st.sampled_from([0.0, 1e-12, -1e-12, 5e-13, 3e-12, 1e-7, 0.25, 0.5])


@given(
    st.integers(1, 4).flatmap(
        lambda n: st.integers(1, 4).flatmap(
            lambda m: st.lists(TINY, min_size=n * m, max_size=n * m).map(
                lambda v: np.array(v).reshape(n, m)
            )
        )
    ),
    st.sampled_from(["coverage_then_score", "max_score", "maximin"]),
)
def test_tiny_weights_give_every_method_the_same_objective(w: Any, objective: str) -> None:
    reference = solve(w, objective=objective, method="jv")
    amax = float(np.abs(w).max())
    for method in EVERY_METHOD:
        info = METHODS[method]
        if objective not in info.objectives or not info.optimal:
            continue
        a = solve(w, objective=objective, method=method)
        assert (w[a.rows, a.cols] > 0).all() or objective != "max_score"
        if objective != "max_score":
            assert len(a) == len(reference), method
        if objective == "maximin" and len(a):
            assert w[a.rows, a.cols].min() == w[reference.rows, reference.cols].min(), method
        # Off the grid, integer methods are within 2k / scale (scale >= 2**29 / max|w|).
        assert a.total == pytest.approx(reference.total, rel=0, abs=1e-8 * len(w) * amax), method


# ----------------------------------------------------- property: the oracle


def _custom_component(arrays: Any, rows: slice) -> Any:
    n = arrays.shape[1]
    r = np.arange(rows.start, rows.stop)[:, None]
    c = np.arange(n)[None, :]
    return ((3 * r + 5 * c) % 7) / 6.0


@st.composite
def _cases(draw: st.DrawFn) -> tuple[rm.Program, rm.MatchConfig, Any]:
    if draw(st.booleans()):
        program = draw(programs(max_executives=5, max_mentors=6))
    else:
        # Everyone free at the same time and speaking alike: scores tie often.
        levels = st.dictionaries(st.sampled_from(["digital", "diversity"]), st.integers(0, 5))
        program = rm.Program(
            executives=[
                person(f"e{i}", interests=draw(levels)) for i in range(draw(st.integers(1, 4)))
            ],
            mentors=[
                person(f"m{j}", expertise=draw(levels), capacity=draw(st.integers(1, 2)))
                for j in range(draw(st.integers(1, 4)))
            ],
        )
    if program.mentors and draw(st.booleans()):
        # A twin of a mentor ties with it on every score: only the bonuses
        # (a repeat with one of them) tell the two apart.
        twin = draw(st.sampled_from(program.mentors))
        program = program.replace(mentors=[*program.mentors, twin.model_copy(update={"id": "tw"})])
    execs = [e.id for e in program.executives]
    mentors = [m.id for m in program.mentors]
    pairs = None
    if execs and mentors:
        pairs = st.tuples(st.sampled_from(execs), st.sampled_from(mentors))
    history = draw(st.lists(pairs, max_size=4, unique=True)) if pairs is not None else []
    if "tw" in mentors and execs:
        history.append((draw(st.sampled_from(execs)), "tw"))
    pinned = draw(st.lists(pairs, max_size=1)) if pairs is not None and draw(st.booleans()) else []
    priority = draw(st.lists(st.sampled_from(execs), max_size=2, unique=True)) if execs else []
    program = program.replace(
        history=[{"executive_id": e, "mentor_id": m} for e, m in sorted(set(history))],
        pinned=[{"executive_id": e, "mentor_id": m} for e, m in pinned],
        priority=priority,
    )
    use_custom = draw(st.booleans())
    weights: dict[str, float] = {"topic": 1.0}
    if use_custom:
        weights["custom:mix"] = draw(st.sampled_from([0.3, 1.0]))
    config = rm.MatchConfig(
        weights=weights,
        allow_repeats=True,
        repeat_bonus=draw(st.sampled_from([-0.3, -1.0, 0.05, 0.25, -0.07, 0.0])),
        priority_bonus=draw(st.sampled_from([0.0, 0.05, 0.3, 0.123])),
        # Coarse grids tie many pairs that the bonuses tell apart.
        score_decimals=draw(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6])),
        objective=draw(st.sampled_from(["coverage_then_score", "max_score"])),
        mentors_per_executive=draw(st.sampled_from([1, 1, 2])),
        min_overlap_minutes=draw(st.sampled_from([0, 0, 60])),
        require_shared_language=draw(st.booleans()),
    )
    return program, config, {"mix": _custom_component} if use_custom else None


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(_cases(), st.integers(1, 2))
def test_certified_candidate_objective_is_the_dense_optimum(
    case: tuple[rm.Program, rm.MatchConfig, Any], k: int
) -> None:
    program, config, custom = case
    try:
        dense = rm.match(program, config, custom=custom)
    except rm.InvalidInputError:
        # A pin that breaks a rule: candidate mode must refuse it too.
        with pytest.raises(rm.InvalidInputError):
            rm.match(program, config.replace(candidates=k), custom=custom)
        return
    candidate = rm.match(program, config.replace(candidates=k), custom=custom)
    oracle = _objective_matrix(program, config, custom)
    if candidate.audit["candidates"]["certified"]:
        got, best = _value(candidate, oracle), _value(dense, oracle)
        if config.objective == "coverage_then_score":
            assert got[0] == best[0]
        assert got[1] == pytest.approx(best[1], rel=0, abs=1e-9 * (1 + len(dense.pairs)))
