"""The smallest relaxation is computed, not guessed."""

from __future__ import annotations

import revmatch as rm
from tests.strategies.programs import person


def fix_of(result: rm.MatchResult, pid: str) -> rm.Relaxation | None:
    return next(u.fix for u in result.unmatched if u.id == pid)


def test_min_overlap_threshold_is_exact() -> None:
    program = rm.Program(
        mentors=[
            person("m1", availability=["Mon 12:00-12:45"]),
            person("m2", availability=["Mon 12:00-12:30"]),
        ],
        executives=[person("e1", availability=["Mon 12:00-14:00"])],
    )
    result = rm.match(program)
    fix = fix_of(result, "e1")
    assert fix is not None
    assert fix.partner == "m1"
    assert fix.changes == ("min_overlap_minutes 60 → 45",)
    assert fix.settings == {"min_overlap_minutes": 45}
    # Applying it really makes the partner feasible.
    again = rm.match(program, rm.MatchConfig(min_overlap_minutes=45))
    assert again.partner_map() == {"e1": "m1"}


def test_capacity_relaxation_names_the_mentor() -> None:
    program = rm.Program(
        mentors=[person("m-03", expertise={"digital": 5})],
        executives=[person("e1", interests={"digital": 5}), person("e2", interests={"digital": 1})],
    )
    result = rm.match(program)
    fix = fix_of(result, "e2")
    assert fix is not None
    assert fix.changes == ("capacity of m-03 1 → 2",)
    assert fix.settings == {"capacity": {"m-03": 2}}


def test_switch_relaxation_for_same_department() -> None:
    program = rm.Program(
        mentors=[person("m1", department="IT")],
        executives=[person("e1", department="IT")],
    )
    result = rm.match(program, rm.MatchConfig(exclude_same_department=True))
    fix = fix_of(result, "e1")
    assert fix is not None
    assert fix.changes == ("exclude_same_department off",)


def test_fewest_changes_win() -> None:
    program = rm.Program(
        mentors=[
            person("m1", department="IT", availability=["Mon 12:00-12:30"]),
            person("m2", availability=["Mon 12:00-12:15"]),
        ],
        executives=[person("e1", department="IT")],
    )
    result = rm.match(program, rm.MatchConfig(exclude_same_department=True))
    fix = fix_of(result, "e1")
    assert fix is not None
    assert fix.partner == "m2"
    assert fix.changes == ("min_overlap_minutes 60 → 15",)


def test_protective_rules_are_never_relaxed() -> None:
    program = rm.Program(
        mentors=[person("m1", manager_id="e1"), person("m2", blocked=["e1"])],
        executives=[person("e1")],
    )
    result = rm.match(program)
    assert fix_of(result, "e1") is None


def test_fix_survives_json_round_trip() -> None:
    program = rm.Program(
        mentors=[person("m1", availability=["Mon 12:00-12:45"])],
        executives=[person("e1")],
    )
    result = rm.match(program)
    again = rm.MatchResult.from_json(result.to_json())
    assert fix_of(again, "e1") == fix_of(result, "e1")
