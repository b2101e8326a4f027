"""Missing data is neutral: an absent component leaves the pair's weighted mean.

The oracle recomputes every pair's score in plain Python from the program's
people and the config's weights: the attribute components and topic fit from
their definitions, shared time from the score matrix (checked on its own
elsewhere), and the mean over the components present, or over all of them
with ``missing="zero"``. Candidate mode must give the same scores bit for
bit and keep its bounds above them; sweep must equal match.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import revmatch as rm
from revmatch._pipeline.compile import compile_program
from revmatch._pipeline.scoring import score_arrays
from revmatch.lifecycle import sweep
from revmatch.scale import match_candidates
from revmatch.scale._pairs import PairScorer
from tests.strategies.programs import person, rich_programs

WEIGHT_LEVELS = (0.0, 0.05, 0.3, 1.0)
weights = st.fixed_dictionaries({name: st.sampled_from(WEIGHT_LEVELS) for name in rm.COMPONENTS})
topic_weights = st.dictionaries(
    st.sampled_from(rm.DEFAULT_TOPICS), st.sampled_from([0.0, 0.5, 2.0]), max_size=2
)


@st.composite
def missing_configs(draw: st.DrawFn, mode: str | None = None) -> rm.MatchConfig:
    """Settings with every component weighted at random (at least one), either mode."""
    w = draw(weights.filter(lambda w: any(v > 0 for v in w.values())))
    return rm.MatchConfig(
        weights=w,
        topic_weights=draw(topic_weights),
        seniority_span=draw(st.integers(1, 4)),
        score_decimals=draw(st.sampled_from([3, 6])),
        missing=mode or draw(st.sampled_from(["neutral", "zero"])),
    )


# ----------------------------------------------------------------- oracle


def _attributes(e: Any, m: Any, config: rm.MatchConfig) -> dict[str, float | None]:
    """Component values of a pair from their definitions; None when absent."""
    tau = {t: config.topic_weights.get(t, 1.0) for t in rm.DEFAULT_TOPICS}
    wished = sum(tau[t] * level for t, level in e.interests.items())
    served = sum(tau[t] * level * m.expertise.get(t, 0) for t, level in e.interests.items())
    grades = e.grade is not None and m.grade is not None
    return {
        "topic": served / (5 * wished) if wished > 0 else None,
        "language": (float(e.languages[0] in m.languages) if e.languages and m.languages else None),
        "place": (
            float(e.location == m.location and "remote" not in (e.mode, m.mode))
            if e.location is not None and m.location is not None
            else None
        ),
        "department": (
            float(e.department != m.department)
            if e.department is not None and m.department is not None
            else None
        ),
        "seniority": (
            min(max((e.grade - m.grade) / config.seniority_span, 0.0), 1.0) if grades else None
        ),
        "preferences": float(m.id in e.preferred or e.id in m.preferred),
    }


def oracle(program: rm.Program, config: rm.MatchConfig) -> tuple[np.ndarray, list[list[set[str]]]]:
    """Unrounded scores of every pair and the components left out of each."""
    scores = rm.score(program, config)
    executives = {p.id: p for p in program.executives}
    mentors = {p.id: p for p in program.mentors}
    active = {n: w for n, w in config.weights.items() if w > 0}
    values = np.zeros(scores.shape)
    left_out: list[list[set[str]]] = []
    for i, eid in enumerate(scores.executive_ids):
        left_out.append([])
        for j, mid in enumerate(scores.mentor_ids):
            parts: dict[str, float | None] = dict(
                _attributes(executives[eid], mentors[mid], config)
            )
            for name in ("availability", "window"):
                parts[name] = float(scores.components[name][i, j]) if name in active else 0.0
            gone = {n for n in active if parts[n] is None}
            if config.missing == "zero":
                gone = set()
            total = sum(w for n, w in active.items() if n not in gone)
            got = sum(w * (parts[n] or 0.0) for n, w in active.items() if n not in gone)
            values[i, j] = got / total if total else 0.0
            left_out[i].append(gone)
    return values, left_out


@given(rich_programs(), missing_configs())
def test_scores_are_means_over_the_components_present(
    program: rm.Program, config: rm.MatchConfig
) -> None:
    scores = rm.score(program, config)
    expected, left_out = oracle(program, config)
    half_unit = 0.5 * 10.0**-config.score_decimals
    assert np.all(np.abs(scores.values - expected) <= half_unit + 1e-9)
    # Component values stay what they are: 0 where the component is absent.
    executives = {p.id: p for p in program.executives}
    mentors = {p.id: p for p in program.mentors}
    for i, eid in enumerate(scores.executive_ids):
        for j, mid in enumerate(scores.mentor_ids):
            parts = _attributes(executives[eid], mentors[mid], config)
            for name, value in parts.items():
                if name in scores.weights:
                    assert scores.components[name][i, j] == pytest.approx(value or 0.0)
            absent = scores.absent([i], [j])
            assert {n for n, a in absent.items() if a[0]} == left_out[i][j]


@given(rich_programs(), missing_configs())
def test_candidate_mode_scores_and_bounds_with_missing_data(
    program: rm.Program, config: rm.MatchConfig
) -> None:
    arrays = compile_program(program, config)
    dense = score_arrays(arrays, config)
    scorer = PairScorer(arrays, config, {})
    r, c = (a.ravel().astype(np.intp) for a in np.indices(arrays.shape))
    values, masks, _ = scorer.exact(r, c)
    assert np.array_equal(values, dense.values.ravel())
    # Wished pairs are always evaluated exactly, so bounds leave preferences out.
    allowed = (masks == 0) & ~arrays.preferred.contains(r, c)
    units = scorer.objective(r, c, values)
    topic = scorer.details(r, c, scorer.overlap(r, c)).get("topic", np.zeros(r.size))
    attribute, _ = scorer.attribute_part(r, c)
    partial = scorer.base_bound(r, topic) + attribute
    assert (scorer.bound_units(r, partial)[allowed] >= units[allowed]).all()
    tight, _ = scorer.time_bound(r, c, partial)
    assert (tight[allowed] >= units[allowed]).all()
    top = scorer.bound_units(r, scorer.base_bound(r, topic) + scorer.attribute_max(r))
    assert (top[allowed] >= units[allowed]).all()


@settings(max_examples=25)
@given(rich_programs(), missing_configs(), st.integers(1, 2))
def test_candidate_mode_reaches_the_dense_optimum_with_missing_data(
    program: rm.Program, config: rm.MatchConfig, k: int
) -> None:
    dense = rm.match(program, config)
    result = match_candidates(program, config.replace(candidates=k))
    assert result.audit["candidates"]["certified"] is True
    assert len(result.pairs) == len(dense.pairs)
    assert result.audit["objective_value"] == pytest.approx(
        dense.audit["objective_value"], abs=1e-9
    )
    scores = rm.score(program, config)
    for p in result.pairs:
        i, j = scores.arrays.exec_index[p.executive_id], scores.arrays.mentor_index[p.mentor_id]
        assert p.score == scores.values[i, j]
        same = [
            q for q in dense.pairs if (q.executive_id, q.mentor_id) == (p.executive_id, p.mentor_id)
        ]
        if same:
            assert (p.missing, p.contributions) == (same[0].missing, same[0].contributions)


@settings(max_examples=25)
@given(rich_programs(), missing_configs())
def test_pairs_record_what_was_left_out_and_contributions_sum_to_the_score(
    program: rm.Program, config: rm.MatchConfig
) -> None:
    result = rm.match(program, config)
    _, left_out = oracle(program, config)
    arrays = result.scores.arrays if result.scores is not None else None
    assert arrays is not None
    for p in result.pairs:
        i, j = arrays.exec_index[p.executive_id], arrays.mentor_index[p.mentor_id]
        assert set(p.missing) == left_out[i][j]
        assert all(p.contributions[n] == 0 for n in p.missing)
        # The score is rounded to score_decimals, each contribution to 6 decimals.
        rounding = 0.5 * 10.0**-config.score_decimals + 1e-5
        assert sum(p.contributions.values()) == pytest.approx(p.score, abs=rounding)


@settings(max_examples=15)
@given(
    rich_programs(),
    st.lists(
        st.fixed_dictionaries(
            {
                "missing": st.sampled_from(["neutral", "zero"]),
                "weights.seniority": st.sampled_from([0.0, 0.4]),
                "weights.topic": st.sampled_from([0.0, 0.55]),
                "weights.place": st.sampled_from([0.0, 0.3]),
            }
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_sweep_equals_match_with_missing_data(
    program: rm.Program, settings_list: list[dict[str, Any]]
) -> None:
    table = sweep(program, settings_list)
    for record, config in zip(table, table.configs, strict=True):
        result = rm.match(program, config)
        assert record["objective_value"] == result.audit["objective_value"]
        assert record["score_mean"] == result.metrics["score_mean"]


# ------------------------------------------------------------ fixed cases


def only(**w: float) -> rm.MatchConfig:
    """Settings weighting just the given components."""
    return rm.MatchConfig(weights={**dict.fromkeys(rm.COMPONENTS, 0.0), **w})


def _two_by_two(**mentor: Any) -> rm.Program:
    return rm.Program(
        executives=[
            person(
                "e1",
                languages=["de"],
                department="Sales",
                location="Berlin",
                grade=8,
                interests={"digital": 4},
            ),
        ],
        mentors=[
            person("m1", expertise={"digital": 4}, capacity=1, **mentor),
        ],
    )


def test_a_mentor_without_languages_is_not_punished_and_the_explanation_says_so() -> None:
    config = only(topic=0.5, language=0.5)
    full = rm.match(_two_by_two(languages=["de"], department="IT", location="Berlin"), config)
    lacking = rm.match(_two_by_two(department="IT", location="Berlin"), config)
    (pair,) = lacking.pairs
    assert full.pairs[0].score == 0.9  # (0.5·0.8 + 0.5·1) / 1
    assert pair.score == 0.8  # topic alone: the language weight is left out
    assert pair.missing == ("language",)
    assert pair.components["language"] == 0.0
    assert pair.contributions == {"topic": 0.8, "language": 0.0}
    text = str(lacking.explain("e1"))
    assert "language left out: no languages given (mentor)" in text
    assert "left out" not in str(full.explain("e1"))
    # The record survives JSON.
    assert rm.MatchResult.from_json(lacking.to_json()).pairs[0].missing == ("language",)
    # missing="zero": the old rule, language counts 0.
    (zero,) = rm.match(
        _two_by_two(department="IT", location="Berlin"), config.replace(missing="zero")
    ).pairs
    assert (zero.score, zero.missing) == (0.4, ())


def test_remote_with_a_location_and_mentor_without_expertise_are_real_zeros() -> None:
    config = only(topic=0.5, place=0.5)
    program = rm.Program(
        executives=[person("e1", location="Berlin", interests={"digital": 3})],
        mentors=[person("m1", location="Berlin", mode="remote", capacity=1)],
    )
    (pair,) = rm.match(program, config).pairs
    assert (pair.score, pair.missing) == (0.0, ())


def test_an_executive_without_interests_or_anything_else_scores_zero() -> None:
    config = only(topic=1, language=1, place=1)
    program = rm.Program(
        executives=[person("e1")],
        mentors=[person("m1", expertise={"digital": 5}, capacity=1)],
    )
    scores = rm.score(program, config)
    assert scores.values[0, 0] == 0.0
    (pair,) = rm.match(program, config).pairs
    assert set(pair.missing) == {"topic", "language", "place"}
    assert pair.contributions == {"topic": 0.0, "language": 0.0, "place": 0.0}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_complete_data_scores_as_before(seed: int) -> None:
    """make_program gives everyone every field: neutral and zero agree bit for bit."""
    program = rm.datasets.make_program(n_executives=25, n_mentors=40, seed=seed)
    for config in (rm.MatchConfig(), rm.MatchConfig(weights={"seniority": 0.2})):
        neutral = rm.score(program, config)
        zero = rm.score(program, config.replace(missing="zero"))
        assert neutral.values.tobytes() == zero.values.tobytes()
        assert neutral.absent(*np.indices(neutral.shape)) == {}
        a = rm.match(program, config).to_dict()
        b = rm.match(program, config.replace(missing="zero")).to_dict()
        assert a["pairs"] == b["pairs"]
        assert all(p["missing"] == () for p in a["pairs"])


def _with_gaps(seed: int) -> rm.Program:
    """A synthetic company where a quarter of the HR fields are empty."""
    data = rm.datasets.make_program(n_executives=40, n_mentors=70, seed=seed).model_dump()
    rng = np.random.default_rng(seed)
    blanks = (("languages", []), ("location", None), ("department", None), ("grade", None))
    for side in ("executives", "mentors"):
        for record in data[side]:
            for name, empty in blanks:
                if rng.random() < 0.25:
                    record[name] = empty
            if side == "executives" and rng.random() < 0.1:
                record["interests"] = {}
    return rm.Program.model_validate(data)


@pytest.mark.parametrize("seed", [0, 1])
def test_candidate_mode_equals_dense_on_a_company_with_gaps(seed: int) -> None:
    program = _with_gaps(seed)
    config = rm.MatchConfig(weights={"seniority": 0.2})
    scores = rm.score(program, config)
    assert scores.absent(*np.indices(scores.shape))  # the gaps are there
    dense = rm.match(program, config)
    result = rm.match(program, config.replace(candidates=5))
    assert result.audit["candidates"]["certified"] is True
    assert result.audit["objective_value"] == pytest.approx(
        dense.audit["objective_value"], abs=1e-9
    )
    assert any(p.missing for p in result.pairs)
    for p in result.pairs:
        i, j = scores.arrays.exec_index[p.executive_id], scores.arrays.mentor_index[p.mentor_id]
        assert p.score == scores.values[i, j]
