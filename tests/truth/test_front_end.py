"""What the front ends say: one call shape for scoring and matching, data-quality warnings.

Each data-quality warning is checked against a recount from the program or
the result, so a warning is only given when what it says is true.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import revmatch as rm

SLOT = ["Mon 12:00-13:00"]


def test_score_takes_a_mapping_config_as_match_does() -> None:
    program = rm.datasets.make_program(n_executives=5, n_mentors=7, seed=3)
    settings_ = {"min_overlap_minutes": 30, "weights": {"topic": 1.0}}
    as_mapping = rm.score(program, settings_)
    as_model = rm.score(program, rm.MatchConfig(**settings_))
    assert np.array_equal(as_mapping.values, as_model.values)
    from_data = rm.score(program.to_dict(), settings_)
    assert np.array_equal(from_data.values, as_model.values)
    with pytest.raises(rm.InvalidInputError, match="min_overlap_minutes"):
        rm.score(program, {"min_overlap_minutes": -1})


def test_no_warning_for_complete_data() -> None:
    program = rm.datasets.make_program(n_executives=20, n_mentors=30, seed=1)
    assert rm.data_quality(program) == []


def test_empty_columns_are_named_with_their_consequence() -> None:
    program = rm.Program(
        program={"timezone": "UTC"},
        mentors=[{"id": "m1", "availability": SLOT, "expertise": {"digital": 4}}],
        executives=[{"id": "e1", "interests": {"digital": 5}}],
    )
    messages = {w.field: w.message for w in rm.data_quality(program)}
    assert messages["availability"] == (
        "no executive has availability: every pair will fail min_overlap (60 min)"
    )
    assert messages["languages"].startswith("no one lists languages")
    assert "topic" not in " ".join(messages)  # both sides give topics
    # A switched-off component is not warned about.
    quiet = rm.data_quality(program, {"weights": {"language": 0, "place": 0, "department": 0}})
    assert {w.field for w in quiet} == {"availability"}


people = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "languages": st.just(["en"]),
            "location": st.sampled_from(["Berlin", "Paris"]),
            "department": st.sampled_from(["IT", "HR"]),
            "availability": st.just(SLOT),
            "grade": st.integers(1, 9),
        },
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=60, deadline=None)
@given(mentors=people, executives=people)
def test_every_empty_column_warning_is_true(
    mentors: list[dict[str, object]], executives: list[dict[str, object]]
) -> None:
    program = rm.Program(
        program={"timezone": "UTC"},
        mentors=[{"id": f"m{i}", **m} for i, m in enumerate(mentors)],
        executives=[{"id": f"e{i}", **e} for i, e in enumerate(executives)],
    )
    config = rm.MatchConfig(weights={"seniority": 0.1})
    warned = {w.field for w in rm.data_quality(program, config)}
    everyone = mentors + executives
    for field in ("languages", "location", "department", "grade"):
        assert (field in warned) == all(field not in p for p in everyone), field
    no_time = any(all("availability" not in p for p in side) for side in (mentors, executives))
    assert ("availability" in warned) == no_time


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), minutes=st.sampled_from([60, 120, 240, 600]))
def test_rule_warning_matches_a_recount(seed: int, minutes: int) -> None:
    program = rm.datasets.make_program(n_executives=8, n_mentors=10, seed=seed)
    result = rm.match(program, {"min_overlap_minutes": minutes})
    warnings = [w for w in rm.data_quality(program, None, result) if "unmatched" in w.message]
    unmatched = [u for u in result.unmatched if u.role == "executive"]
    main = Counter(
        max(u.reasons.items(), key=lambda item: (item[1], item[0]))[0]
        for u in unmatched
        if u.reasons
    )
    top = max(main.items(), key=lambda item: (item[1], item[0]), default=None)
    expected = (
        len(unmatched) > len(program.executives) / 2
        and top is not None
        and top[1] > len(unmatched) / 2
    )
    assert bool(warnings) == expected
    if warnings:
        assert top is not None
        assert warnings[0].field == top[0]
        assert f"{len(unmatched)} of {len(program.executives)} executives" in warnings[0].message


def test_component_zero_for_every_allowed_pair_is_warned() -> None:
    program = rm.Program(
        program={"timezone": "UTC"},
        mentors=[{"id": f"m{i}", "availability": SLOT, "department": "IT"} for i in range(2)],
        executives=[{"id": "e1", "availability": SLOT, "department": "IT"}],
    )
    result = rm.match(program)
    fields = {w.field for w in rm.data_quality(program, None, result)}
    assert "weights.department" in fields  # same department for everyone: always 0
    assert "weights.preferences" not in fields  # no preferences is a normal state
    assert result.scores is not None
    assert not result.scores.components["department"][result.scores.feasible].any()
