"""Score components and hard rules, one by one."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given

import revmatch as rm
from revmatch._pipeline import scoring
from revmatch._pipeline.rules import REASON_BITS, decode_reasons
from revmatch.availability import weekly_overlap
from tests.strategies.programs import person, programs


def scores_of(
    mentors: list[dict[str, object]], executives: list[dict[str, object]], **cfg: object
) -> rm.ScoreMatrix:
    program = rm.Program(mentors=mentors, executives=executives)
    return rm.score(program, rm.MatchConfig(**cfg))


def reasons(s: rm.ScoreMatrix, i: int = 0, j: int = 0) -> list[str]:
    return decode_reasons(int(s.reasons[i, j]))


def test_total_is_weighted_mean_of_components() -> None:
    program = rm.datasets.make_program(n_executives=12, n_mentors=15, seed=5)
    s = rm.score(program)
    total_weight = sum(s.weights.values())
    expected = sum(w * s.components[n] for n, w in s.weights.items()) / total_weight
    np.testing.assert_allclose(s.values, np.round(expected, 6), atol=1e-12)
    assert s.values.min() >= 0
    assert s.values.max() <= 1


def test_zero_weight_switches_component_off() -> None:
    program = rm.datasets.make_program(n_executives=5, n_mentors=6, seed=1)
    s = rm.score(program, rm.MatchConfig(weights={"department": 0, "language": 0}))
    assert "department" not in s.components
    assert "language" not in s.components


def test_topic_without_wishes_is_zero() -> None:
    s = scores_of([person("m1", expertise={"digital": 5})], [person("e1")])
    assert s.components["topic"][0, 0] == 0


def test_availability_component_saturates_at_session_length() -> None:
    s = scores_of(
        [
            person("m1", availability=["Mon 12:00-12:30"]),
            person("m2", availability=["Mon 12:00-14:00"]),
        ],
        [person("e1", availability=["Mon 12:00-14:00"])],
        min_overlap_minutes=0,
    )
    np.testing.assert_allclose(s.components["availability"][0], [0.5, 1.0])


def test_fortnightly_slot_counts_half() -> None:
    s = scores_of(
        [person("m1", availability=[{"day": "Mon", "start": "12:00", "end": "14:00", "every": 2}])],
        [person("e1", availability=["Mon 12:00-14:00"])],
        min_overlap_minutes=0,
        session_minutes=120,
    )
    assert s.components["availability"][0, 0] == 0.5


def test_window_bonus_for_long_lunch() -> None:
    s = scores_of(
        [
            person("m1", availability=["Mon 12:00-13:00"]),
            person("m2", availability=["Mon 08:00-09:00"]),
        ],
        [person("e1", availability=["Mon 08:00-09:00", "Mon 12:00-13:00"])],
    )
    np.testing.assert_allclose(s.components["window"][0], [1.0, 0.0])
    off = scores_of(
        [person("m1", availability=["Mon 12:00-13:00"])],
        [person("e1", availability=["Mon 12:00-13:00"])],
        preferred_window=None,
    )
    assert off.components["window"][0, 0] == 0


def test_language_hard_rule_and_first_language_bonus() -> None:
    s = scores_of(
        [person("m1", languages=["en"]), person("m2", languages=["fr"]), person("m3")],
        [person("e1", languages=["de", "en"])],
    )
    assert reasons(s, 0, 1) == ["language"]
    assert reasons(s, 0, 0) == []
    assert reasons(s, 0, 2) == []  # an empty list says nothing: no rule
    np.testing.assert_allclose(s.components["language"][0], [0.0, 0.0, 0.0])
    s = scores_of([person("m1", languages=["de"])], [person("e1", languages=["de", "en"])])
    assert s.components["language"][0, 0] == 1
    relaxed = scores_of(
        [person("m1", languages=["fr"])],
        [person("e1", languages=["de"])],
        require_shared_language=False,
    )
    assert reasons(relaxed) == []


@pytest.mark.parametrize(
    ("exec_place", "mentor_place", "feasible", "bonus"),
    [
        (("onsite", "Berlin"), ("onsite", "Munich"), False, 0.0),
        (("onsite", "Berlin"), ("onsite", "Berlin"), True, 1.0),
        (("onsite", "Berlin"), ("remote", "Berlin"), False, 0.0),
        (("hybrid", "Berlin"), ("onsite", "Munich"), False, 0.0),
        (("hybrid", "Berlin"), ("hybrid", "Munich"), True, 0.0),
        (("hybrid", "Berlin"), ("hybrid", "Berlin"), True, 1.0),
        (("remote", "Berlin"), ("remote", "Berlin"), True, 0.0),
        (("onsite", None), ("onsite", "Munich"), True, 0.0),
    ],
)
def test_place_rule_and_bonus(
    exec_place: tuple[str, str | None],
    mentor_place: tuple[str, str | None],
    feasible: bool,
    bonus: float,
) -> None:
    s = scores_of(
        [person("m1", mode=mentor_place[0], location=mentor_place[1])],
        [person("e1", mode=exec_place[0], location=exec_place[1])],
    )
    assert (reasons(s) == []) is feasible
    if not feasible:
        assert reasons(s) == ["location"]
    assert s.components["place"][0, 0] == bonus


def test_department_bonus_and_exclusion() -> None:
    mentors = [person("m1", department="IT"), person("m2", department="HR"), person("m3")]
    executives = [person("e1", department="IT")]
    s = scores_of(mentors, executives)
    np.testing.assert_allclose(s.components["department"][0], [0.0, 1.0, 0.0])
    assert s.feasible.all()
    s = scores_of(mentors, executives, exclude_same_department=True)
    assert reasons(s, 0, 0) == ["same_department"]
    assert s.feasible[0, 1:].all()


def test_seniority_rule_and_component() -> None:
    mentors = [person("m1", grade=3), person("m2", grade=9), person("m3", grade=8), person("m4")]
    executives = [person("e1", grade=9)]
    s = scores_of(mentors, executives, weights={"seniority": 0.1})
    assert reasons(s, 0, 1) == ["not_junior"]
    assert reasons(s, 0, 2) == []
    assert reasons(s, 0, 3) == []
    np.testing.assert_allclose(s.components["seniority"][0], [1.0, 0.0, 0.25, 0.0])
    gap2 = scores_of(mentors, executives, min_grade_gap=2)
    assert reasons(gap2, 0, 2) == ["not_junior"]


def test_preferences_both_directions() -> None:
    s = scores_of(
        [person("m1", preferred=["e1"]), person("m2"), person("m3")],
        [person("e1", preferred=["m2"])],
    )
    np.testing.assert_allclose(s.components["preferences"][0], [1.0, 1.0, 0.0])


def test_blocked_reason_and_repeat_reason() -> None:
    program = rm.Program(
        mentors=[person("m1"), person("m2")],
        executives=[person("e1", blocked=["m1"])],
        history=[{"executive_id": "e1", "mentor_id": "m2", "round": 1}],
    )
    s = rm.score(program)
    assert decode_reasons(int(s.reasons[0, 0])) == ["blocked"]
    assert decode_reasons(int(s.reasons[0, 1])) == ["repeat"]
    allowed = rm.score(program, rm.MatchConfig(allow_repeats=True))
    assert allowed.reasons[0, 1] == 0


def test_several_reasons_accumulate() -> None:
    s = scores_of(
        [person("m1", manager_id="e1", languages=["fr"], availability=[], blocked=["e1"])],
        [person("e1", languages=["de"])],
    )
    assert set(reasons(s)) == {"reporting_chain", "blocked", "min_overlap", "language"}
    assert int(s.reasons[0, 0]) == sum(
        REASON_BITS[r] for r in ("reporting_chain", "blocked", "min_overlap", "language")
    )


def test_custom_component_shape_is_validated() -> None:
    program = rm.Program(mentors=[person("m1")], executives=[person("e1")])
    cfg = rm.MatchConfig(weights={"custom:x": 1})
    with pytest.raises(rm.InvalidInputError, match=r"shape \(1, 3\); expected \(1, 1\)"):
        rm.score(program, cfg, custom={"x": lambda a, rows: np.zeros((1, 3))})
    with pytest.raises(rm.InvalidInputError, match="no custom component 'x' was passed"):
        rm.score(program, cfg)


@given(programs(max_executives=6, max_mentors=6))
def test_pair_details_equal_full_components(program: rm.Program) -> None:
    s = rm.score(program)
    rows, cols = np.nonzero(np.ones(s.shape, dtype=bool))
    details = s.details(rows, cols)
    for name, full in s.components.items():
        np.testing.assert_allclose(details.components[name], full[rows, cols], atol=1e-12)


def test_block_scoring_matches_single_block(monkeypatch: pytest.MonkeyPatch) -> None:
    import revmatch._pipeline.scoring as scoring

    program = rm.datasets.make_program(n_executives=30, n_mentors=20, seed=9)
    whole = rm.score(program)
    monkeypatch.setattr(scoring, "_BLOCK_ELEMENTS", 45)  # blocks of 2 rows
    blocked = rm.score(program)
    np.testing.assert_array_equal(whole.values, blocked.values)
    np.testing.assert_array_equal(whole.reasons, blocked.reasons)


@given(programs())
def test_blocked_pattern_scoring_equals_the_person_level_path_bit_for_bit(
    program: rm.Program,
) -> None:
    # score() gathers shared time from pattern-level tables in blocks; the
    # lazily computed components take the person-level path. Same arithmetic,
    # same order: the totals must agree exactly, whatever the block size.
    config = rm.MatchConfig()
    with mock.patch.object(scoring, "_BLOCK_ELEMENTS", 7):
        s = rm.score(program, config)
    total_weight = sum(s.weights.values())
    expected = np.zeros(s.shape)
    for name, weight in s.weights.items():
        expected += (weight / total_weight) * s.components[name]
    rows, cols = np.indices(s.shape)
    absent = {n: a.reshape(s.shape) for n, a in s.absent(rows, cols).items()}
    scoring.renormalise(expected, scoring.present_factor(s.weights, absent))
    np.round(expected, config.score_decimals, out=expected)
    np.testing.assert_array_equal(s.values, expected)
    overlap = weekly_overlap(s.arrays.availability)
    short = overlap.min_minutes < config.min_overlap_minutes
    assert np.array_equal((s.reasons & REASON_BITS["min_overlap"]) > 0, short)
