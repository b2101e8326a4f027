"""Tests of the data model and its located validation errors."""

from __future__ import annotations

import pytest

import revmatch as rm
from revmatch.models import collect_problems


def person(pid: str, **extra: object) -> dict[str, object]:
    return {"id": pid, "timezone": "UTC", **extra}


def test_program_minimal_and_defaults() -> None:
    p = rm.Program(mentors=[person("m1")], executives=[person("e1")])
    assert p.topics == rm.DEFAULT_TOPICS
    assert p.mentors[0].capacity == 1
    assert p.warnings == ()


def test_ids_are_strings_and_keep_leading_zeros() -> None:
    p = rm.Program(mentors=[person("007")], executives=[{"id": 42, "timezone": "UTC"}])
    assert p.mentors[0].id == "007"
    assert p.executives[0].id == "42"


def test_self_manager_is_top_of_tree() -> None:
    p = rm.Program(
        mentors=[person("m1", manager_id="m1")], executives=[person("e1", manager_id="")]
    )
    assert p.mentors[0].manager_id is None
    assert p.executives[0].manager_id is None


def test_models_are_frozen() -> None:
    m = rm.Mentor(id="m1")
    with pytest.raises(Exception, match="frozen"):
        m.capacity = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("record", "field", "fragment"),
    [
        ({"capacity": -1}, "capacity", "greater than or equal to 0"),
        ({"expertise": {"digital": 6}}, "expertise.digital", "less than or equal to 5"),
        ({"timezone": "CET+1"}, "timezone", "unknown time zone 'CET+1'"),
        ({"availability": ["Mon 25:00-26:00"]}, "availability[0]", "not a time of day"),
        ({"availability": ["Funday 10:00-11:00"]}, "availability[0]", "unknown day 'Funday'"),
        ({"availability": ["Mon 14:00-12:00"]}, "availability[0]", "not after its start"),
        ({"availability": ["Mon 12:10-13:00"]}, "availability[0]", "15-minute grid"),
        ({"mode": "office"}, "mode", "'onsite', 'remote' or 'hybrid'"),
        ({"shoe_size": 44}, "shoe_size", "Extra inputs are not permitted"),
    ],
)
def test_bad_mentor_fields_are_located(
    record: dict[str, object], field: str, fragment: str
) -> None:
    with pytest.raises(rm.InvalidInputError) as info:
        rm.Program(mentors=[person("m-07", **record)], executives=[person("e1")])
    problems = info.value.problems
    assert any(p.record == "mentor 'm-07'" and p.field == field for p in problems), problems
    assert fragment in str(info.value)


def test_unknown_topic_names_accepted_values() -> None:
    with pytest.raises(rm.InvalidInputError, match=r"unknown topic 'ai'.*expected one of digital"):
        rm.Program(mentors=[person("m1")], executives=[person("e1", interests={"ai": 3})])


def test_custom_topics() -> None:
    p = rm.Program(
        program={"topics": ["ai", "ethics"]},
        mentors=[person("m1", expertise={"ai": 4})],
        executives=[person("e1", interests={"ethics": 2})],
    )
    assert p.topics == ("ai", "ethics")


def test_duplicate_ids_across_roles() -> None:
    with pytest.raises(rm.InvalidInputError, match="used twice"):
        rm.Program(mentors=[person("x")], executives=[person("x")])


def test_org_cycle_names_ids() -> None:
    with pytest.raises(rm.InvalidInputError, match=r"cycle through ids 'a', 'b', 'm1'"):
        rm.Program(
            mentors=[person("m1", manager_id="a")],
            executives=[person("e1")],
            org=[{"id": "a", "manager_id": "b"}, {"id": "b", "manager_id": "m1"}],
        )


def test_missing_timezone_needs_program_default() -> None:
    with pytest.raises(rm.InvalidInputError, match="no time zone given"):
        rm.Program(mentors=[{"id": "m1"}], executives=[person("e1")])
    p = rm.Program(program={"timezone": "Europe/Berlin"}, mentors=[{"id": "m1"}], executives=[])
    assert p.timezone_of(p.mentors[0]) == "Europe/Berlin"


def test_unknown_references_are_warnings() -> None:
    p = rm.Program(mentors=[person("m1", blocked=["ghost"])], executives=[person("e1")])
    assert [w.severity for w in p.warnings] == ["warning"]
    assert "ghost" in str(p.warnings[0])


def test_errors_do_not_echo_personal_fields() -> None:
    with pytest.raises(rm.InvalidInputError) as info:
        rm.Program(
            mentors=[
                person("m1", name="SENTINEL-NAME", email="sentinel@example.org", capacity="x")
            ],
            executives=[],
        )
    text = str(info.value)
    assert "SENTINEL" not in text
    assert "sentinel@" not in text
    assert "capacity" in text


def test_collect_problems_reports_every_record() -> None:
    program, problems = collect_problems(
        {
            "mentors": [person("a", capacity=-1), person("b", expertise={"x": 1})],
            "executives": [person("a")],
            "bogus": [],
        }
    )
    assert program is None
    text = [str(p) for p in problems]
    assert any("unknown top-level key 'bogus'" in t for t in text)
    assert any("mentor 'a'" in t and "capacity" in t for t in text)
    assert any("mentor 'b'" in t and "unknown topic 'x'" in t for t in text)


def test_config_round_trips_json() -> None:
    cfg = rm.MatchConfig(weights={"topic": 2, "department": 0}, min_overlap_minutes=45)
    again = rm.MatchConfig.model_validate_json(cfg.model_dump_json())
    assert again == cfg
    assert again.weights["topic"] == 2.0
    assert again.weights["availability"] == rm.DEFAULT_WEIGHTS["availability"]


@pytest.mark.parametrize(
    ("weights", "fragment"),
    [
        ({"topic": -1}, "finite number >= 0"),
        ({"topic": float("nan")}, "finite number >= 0"),
        ({"topc": 1}, "unknown component 'topc'; known: topic"),
        (dict.fromkeys(rm.COMPONENTS, 0), "at least one weight must be positive"),
    ],
)
def test_config_rejects_bad_weights(weights: dict[str, float], fragment: str) -> None:
    with pytest.raises(rm.InvalidInputError, match="config") as info:
        rm.MatchConfig(weights=weights)
    assert fragment in str(info.value)


def test_config_rejects_bad_window() -> None:
    with pytest.raises(rm.InvalidInputError, match="preferred window must end after"):
        rm.MatchConfig(preferred_window=("14:00", "12:00"))


def test_program_schema_describes_fields() -> None:
    schema = rm.Program.model_json_schema()
    assert "mentors" in schema["properties"]
    mentor = schema["$defs"]["Mentor"]["properties"]
    assert "expertise" in mentor
    assert "capacity" in mentor


def test_slot_text_round_trips_including_fortnightly() -> None:
    from revmatch.availability import parse_slot

    for text in ("Mon 12:00-14:00", "Thu 08:30-10:00 fortnightly", "Sun 23:00-24:00"):
        slot = parse_slot(text)
        assert str(slot) == text
        assert parse_slot(str(slot)) == slot
    assert parse_slot("Mon 12:00-14:00 fortnightly").every == 2
