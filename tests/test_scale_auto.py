"""``candidates="auto"``: dense where the dense matrices fit and are faster, the same result."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import revmatch as rm
from revmatch.scale import (
    AUTO_DENSE_PAIRS,
    AUTO_MIN_PAIRS,
    AUTO_MIN_RATIO,
    CANDIDATE_OBJECTIVES,
    DEFAULT_K,
    candidate_k,
)
from tests.strategies.programs import SCALE_CONFIGS, programs


def _comparable(result: rm.MatchResult) -> Any:
    audit = {
        k: v for k, v in result.audit.items() if k not in ("timings", "candidates", "config")
    }
    return result.pairs, result.unmatched, result.metrics, audit


@given(programs(), SCALE_CONFIGS, st.sampled_from(CANDIDATE_OBJECTIVES))
def test_auto_below_the_switch_is_the_dense_result(
    program: rm.Program, config: rm.MatchConfig, objective: str
) -> None:
    dense = config.model_copy(update={"objective": objective})
    auto = dense.model_copy(update={"candidates": "auto"})
    assert candidate_k(auto, (len(program.executives), len(program.mentors))) is None
    assert _comparable(rm.match(program, auto)) == _comparable(rm.match(program, dense))


@given(
    st.integers(1, 200_000),
    st.integers(1, 2_000_000),
    st.integers(1, 3),
    st.sampled_from(["coverage_then_score", "max_score", "maximin"]),
)
def test_auto_switches_only_where_dense_is_slower_or_does_not_fit(
    n_exec: int, n_mentor: int, places: int, objective: str
) -> None:
    config = rm.MatchConfig(candidates="auto", objective=objective, mentors_per_executive=places)
    k = candidate_k(config, (n_exec, n_mentor))
    pairs = n_exec * n_mentor
    if objective not in CANDIDATE_OBJECTIVES or pairs < AUTO_MIN_PAIRS:
        assert k is None
    elif pairs >= AUTO_DENSE_PAIRS:
        assert k == DEFAULT_K
    else:
        assert (k == DEFAULT_K) == (n_mentor >= AUTO_MIN_RATIO * places * n_exec)
