"""Tests of the program's life: rounds, leavers, closures, re-matching, compare, sweep."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import revmatch as rm
from revmatch._pipeline.assign import objective_weights, solve_scores
from revmatch.lifecycle import (
    FIELD_STAGE,
    MOVE_REASONS,
    close_pair,
    compare,
    current_round,
    force_pinned,
    next_round,
    rematch,
    rematch_changes,
    remove_people,
    sweep,
)
from tests.strategies.oracles import better, brute_force, objective_key
from tests.strategies.programs import living_programs, person, programs

#: Every score is 0 (no one lists anyone in ``preferred``), so only coverage
#: and the switching cost decide: a clean setting for "who moves" properties.
FLAT = rm.MatchConfig(weights={**dict.fromkeys(rm.COMPONENTS, 0.0), "preferences": 1.0})
#: A deliberately different weighting for the "previous" round, so that the
#: current settings give pairs an incentive to move.
OTHER = rm.MatchConfig(weights={"topic": 1.0, "availability": 0.0, "preferences": 0.5})
OBJECTIVES = ("coverage_then_score", "max_score", "maximin")


def pair_set(result: rm.MatchResult) -> set[tuple[str, str]]:
    return {(p.executive_id, p.mentor_id) for p in result.pairs}


def most_pairs(program: rm.Program, config: rm.MatchConfig) -> int:
    """The optimal number of pairs, without building an explained result."""
    rows, _, _, _ = solve_scores(rm.score(program, config))
    return int(rows.size)


def assert_nothing_lost(result: rm.MatchResult, program: rm.Program) -> None:
    """Every person of the program appears, matched or unmatched, and no one else."""
    matched_exec = {p.executive_id for p in result.pairs}
    matched_mentor = {p.mentor_id for p in result.pairs}
    unmatched = {(u.id, u.role) for u in result.unmatched}
    assert {e.id for e in program.executives} == matched_exec | {
        i for i, role in unmatched if role == "executive"
    }
    assert {m.id for m in program.mentors} == matched_mentor | {
        i for i, role in unmatched if role == "mentor"
    }
    assert not matched_exec & {i for i, role in unmatched if role == "executive"}


def assert_feasible(result: rm.MatchResult, program: rm.Program, config: rm.MatchConfig) -> None:
    scores = rm.score(program, config)
    a = scores.arrays
    for p in result.pairs:
        assert scores.reasons[a.exec_index[p.executive_id], a.mentor_index[p.mentor_id]] == 0


# --------------------------------------------------------------------------- oracle


def result_key(
    result: rm.MatchResult, weights: np.ndarray, arrays: Any, objective: str
) -> tuple[float, ...]:
    rows = np.array([arrays.exec_index[p.executive_id] for p in result.pairs], np.intp)
    cols = np.array([arrays.mentor_index[p.mentor_id] for p in result.pairs], np.intp)
    return objective_key(weights, rows, cols, objective)


# --------------------------------------------------------------------------- rematch properties


@given(st.one_of(programs(), living_programs()), st.sampled_from(OBJECTIVES))
def test_rematch_of_unchanged_program_changes_nothing(program: rm.Program, objective: str) -> None:
    config = rm.MatchConfig(objective=objective)
    first = rm.match(program, config)
    again = rematch(first, program, config)
    report = rematch_changes(again)
    assert pair_set(again) == pair_set(first)
    assert not report.ended
    assert not report.new
    assert len(report.kept) == len(first.pairs)
    assert rematch(first, program, config, max_changes=0).pairs == again.pairs


@given(living_programs(), st.data())
def test_removing_a_mentor_moves_only_their_executives_when_capacity_allows(
    program: rm.Program, data: st.DataObject
) -> None:
    first = rm.match(program, FLAT)
    assume(first.pairs)
    leaver = data.draw(st.sampled_from(sorted({p.mentor_id for p in first.pairs})))
    after = remove_people(program, [leaver])
    result = rematch(first, after, FLAT)
    others = {pair for pair in pair_set(first) if pair[1] != leaver}
    most = most_pairs(after, FLAT)
    pinned = [{"executive_id": e, "mentor_id": m} for e, m in sorted(others)]
    most_keeping_others = most_pairs(after.replace(pinned=pinned), FLAT)
    assert result.metrics["n_pairs"] == most  # coverage is never given up
    if most_keeping_others == most:  # capacity allows
        assert others <= pair_set(result)
        moved = {c.executive_id for c in rematch_changes(result).ended}
        assert moved == {e for e, m in pair_set(first) if m == leaver}


@given(
    living_programs(max_executives=4, max_mentors=4),
    st.sampled_from(OBJECTIVES),
    st.sampled_from([0.0, 0.02, 0.3]),
    st.integers(0, 3),
    st.data(),
)
def test_rematch_is_the_exact_optimum_within_max_changes(
    program: rm.Program, objective: str, switching: float, k: int, data: st.DataObject
) -> None:
    first = rm.match(program, OTHER)
    leaves: bool = data.draw(st.booleans(), label="a mentor leaves")
    if first.pairs and leaves:
        program = remove_people(program, [first.pairs[0].mentor_id])
    config = rm.MatchConfig(objective=objective, switching_cost=switching)
    scores = rm.score(program, config)
    a = scores.arrays
    keep = {
        (a.exec_index[p.executive_id], a.mentor_index[p.mentor_id])
        for p in first.pairs
        if p.executive_id in a.exec_index and p.mentor_id in a.mentor_index
    }
    keep = {rc for rc in keep if scores.reasons[rc] == 0}
    weights = np.array(objective_weights(scores), copy=True)
    for rc in keep:
        weights[rc] += switching
    best = brute_force(
        weights,
        objective,
        feasible=scores.feasible,
        capacities=a.capacities,
        keep=keep,
        min_kept=len(keep) - k,
        tol=1e-9,
    )
    if best is None:  # only max_score can make keeping a pair impossible (weight 0)
        with pytest.raises(rm.InfeasibleError, match="cannot be met"):
            rematch(first, program, config, max_changes=k)
        return
    result = rematch(first, program, config, max_changes=k)
    got = result_key(result, weights, a, objective)
    assert not better(best, got, 1e-9), (got, best)
    assert not better(got, best, 1e-9), (got, best)
    assert rematch_changes(result).n_moved <= k
    assert_feasible(result, program, config)
    assert_nothing_lost(result, program)


@given(living_programs(), st.integers(0, 2), st.data())
def test_max_changes_is_respected(program: rm.Program, k: int, data: st.DataObject) -> None:
    first = rm.match(program, OTHER)
    assume(first.pairs)
    if data.draw(st.booleans(), label="a mentor leaves"):
        program = remove_people(program, [first.pairs[-1].mentor_id])
    result = rematch(first, program, rm.MatchConfig(switching_cost=0.01), max_changes=k)
    report = rematch_changes(result)
    assert report.n_moved <= k
    assert len(report.kept) + len(report.ended) == len(first.pairs)
    assert {(c.executive_id, c.mentor_id) for c in report.kept + report.new} == pair_set(result)
    forced = [c for c in report.ended if c.reason not in MOVE_REASONS]
    assert all(c.reason in {"mentor_left", "executive_left", "rule_broken"} for c in forced)


@given(living_programs())
def test_history_repeats_never_appear_by_default(program: rm.Program) -> None:
    first = rm.match(program)
    later = next_round(first, program)
    unmatched = [u.id for u in first.unmatched if u.role == "executive"]
    assert later.priority == tuple(unmatched)
    assert {(h.executive_id, h.mentor_id) for h in later.history} == pair_set(first)
    scores = rm.score(later)
    rows, cols, _, _ = solve_scores(scores)
    chosen = {
        (scores.executive_ids[r], scores.mentor_ids[c]) for r, c in zip(rows, cols, strict=True)
    }
    assert not chosen & pair_set(first)
    again = rematch(first, later)
    assert not pair_set(again) & pair_set(first)
    ended = rematch_changes(again).ended
    assert all(c.reason == "rule_broken" and "repeat" in c.rules for c in ended)


@given(living_programs(), st.sampled_from(OBJECTIVES))
def test_compare_with_itself_is_empty_and_diffs_rebuild_the_other(
    program: rm.Program, objective: str
) -> None:
    a = rm.match(program)
    assert compare(a, a).is_empty
    b = rm.match(program, rm.MatchConfig(objective=objective, weights={"topic": 0.1}))
    diff = compare(a, b)
    rebuilt = set(pair_set(a))
    for d in diff.removed:
        rebuilt.discard((d.executive_id, d.mentor_before or ""))
    for d in diff.changed:
        rebuilt.discard((d.executive_id, d.mentor_before or ""))
        rebuilt.add((d.executive_id, d.mentor_after or ""))
    for d in diff.added:
        rebuilt.add((d.executive_id, d.mentor_after or ""))
    assert rebuilt == pair_set(b)
    assert diff.metric_deltas["n_pairs"] == b.metrics["n_pairs"] - a.metrics["n_pairs"]
    assert compare(b, a).metric_deltas == {k: -v for k, v in diff.metric_deltas.items()}


# --------------------------------------------------------------------------- rematch cases


def two_by_two(**mentor_extra: Any) -> rm.Program:
    return rm.Program(
        mentors=[
            person("m1", expertise={"digital": 5}, **mentor_extra),
            person("m2", expertise={"diversity": 5}),
        ],
        executives=[
            person("e1", interests={"digital": 5}),
            person("e2", interests={"diversity": 5}),
        ],
    )


def test_change_reasons_name_what_happened() -> None:
    program = two_by_two()
    first = rm.match(program)
    assert pair_set(first) == {("e1", "m1"), ("e2", "m2")}
    changed = program.replace(
        mentors=[
            person("m1", expertise={"digital": 5}, availability=["Tue 08:00-09:00"]),
            person("m3", expertise={"digital": 4}),
        ],
        executives=[
            person("e1", interests={"digital": 5}),
            person("e3", interests={"diversity": 5}),
        ],
    )
    report = rematch_changes(rematch(first, changed))
    ended = {(c.executive_id, c.mentor_id): c for c in report.ended}
    assert ended[("e1", "m1")].reason == "rule_broken"
    assert ended[("e1", "m1")].rules == ("min_overlap",)
    assert ended[("e2", "m2")].reason == "executive_left"
    new = {(c.executive_id, c.mentor_id): c for c in report.new}
    assert new[("e1", "m3")].reason == "replacement"
    assert new[("e1", "m3")].other_mentor_id == "m1"
    assert "min_overlap" in new[("e1", "m3")].detail
    assert "e3" not in {c.executive_id for c in report.new}  # no mentor left for e3


def test_a_pair_moves_only_when_the_gain_beats_the_switching_cost() -> None:
    program = rm.Program(
        mentors=[person("m1", expertise={"digital": 3})],
        executives=[person("e1", interests={"digital": 5})],
    )
    first = rm.match(program)
    better = program.replace(mentors=[*program.mentors, person("m2", expertise={"digital": 5})])
    gain = rm.score(better).values[0, 1] - rm.score(better).values[0, 0]
    assert gain > 0
    stays = rematch(first, better, rm.MatchConfig(switching_cost=min(1.0, gain + 0.01)))
    assert pair_set(stays) == {("e1", "m1")}
    moves = rematch(first, better, rm.MatchConfig(switching_cost=gain - 0.01))
    assert pair_set(moves) == {("e1", "m2")}
    (ended,) = rematch_changes(moves).ended
    assert (ended.reason, ended.other_mentor_id) == ("moved", "m2")
    assert rematch_changes(moves).new[0].reason == "moved"
    limited = rematch(first, better, rm.MatchConfig(switching_cost=0.0), max_changes=0)
    assert pair_set(limited) == {("e1", "m1")}


def test_newcomers_take_free_capacity_and_coverage_comes_first() -> None:
    program = rm.Program(
        mentors=[person("m1", expertise={"digital": 5}), person("m2", expertise={"digital": 2})],
        executives=[person("e1", interests={"digital": 5})],
    )
    first = rm.match(program)
    assert pair_set(first) == {("e1", "m1")}
    # e2 can only have m1: matching both means moving e1, whatever it costs.
    joined = program.replace(executives=[*program.executives, person("e2", blocked=["m2"])])
    result = rematch(first, joined, rm.MatchConfig(switching_cost=1.0))
    assert pair_set(result) == {("e1", "m2"), ("e2", "m1")}
    report = rematch_changes(result)
    assert [(c.reason, c.other_mentor_id) for c in report.ended] == [("moved", "m2")]
    assert {c.executive_id: c.reason for c in report.new} == {"e1": "moved", "e2": "joined"}
    # With the limit, coverage gives way instead.
    limited = rematch(first, joined, max_changes=0)
    assert pair_set(limited) == {("e1", "m1")}


def test_capacity_loss_is_a_change_and_an_impossible_limit_is_an_error() -> None:
    program = rm.Program(
        mentors=[person("m1", capacity=2)],
        executives=[person("e1"), person("e2")],
    )
    first = rm.match(program)
    assert len(first.pairs) == 2
    smaller = program.replace(mentors=[person("m1", capacity=1)])
    report = rematch_changes(rematch(first, smaller))
    assert [c.reason for c in report.ended] == ["capacity"]
    with pytest.raises(rm.InfeasibleError, match=r"max_changes=0 cannot be met.*at most 1"):
        rematch(first, smaller, max_changes=0)
    assert rematch_changes(rematch(first, smaller, max_changes=1)).n_moved == 1


@pytest.mark.parametrize("bad", [-1, True, 1.5, "2"])
def test_max_changes_must_be_a_non_negative_integer(bad: Any) -> None:
    program = two_by_two()
    with pytest.raises(rm.InvalidInputError, match="max_changes"):
        rematch(rm.match(program), program, max_changes=bad)


def test_max_changes_needs_an_exact_method() -> None:
    program = two_by_two()
    first = rm.match(program)
    flipped = program.replace(
        executives=[
            person("e1", interests={"diversity": 5}),
            person("e2", interests={"digital": 5}),
        ]
    )
    with pytest.raises(rm.InvalidInputError, match="exact optimisation method"):
        rematch(first, flipped, rm.MatchConfig(method="greedy", switching_cost=0.0), max_changes=0)


def test_pinned_pair_that_breaks_a_rule_names_it_unless_forced() -> None:
    program = two_by_two(manager_id="e1").replace(
        pinned=[{"executive_id": "e1", "mentor_id": "m1"}]
    )
    first = rm.match(two_by_two())
    with pytest.raises(rm.InvalidInputError, match="reporting_chain"):
        rematch(first, program)
    forced = rematch(first, program, force_pins=True)
    assert ("e1", "m1") in pair_set(forced)
    assert forced.pairs_of("e1")[0].pinned
    assert forced.audit["forced_pins"] == [
        {"executive_id": "e1", "mentor_id": "m1", "rules": ["reporting_chain"]}
    ]
    scores, records = force_pinned(rm.score(program))
    assert scores.reasons[0, 0] == 0
    assert records[0]["rules"] == ["reporting_chain"]
    plain = rm.score(two_by_two())
    assert force_pinned(plain) == (plain, [])


def test_rematch_from_json_round_trips_its_change_record(tmp_path: Any) -> None:
    program = rm.datasets.make_program(n_executives=8, n_mentors=10, seed=4)
    first = rm.MatchResult.from_json(rm.match(program).to_json())
    leaver = first.pairs[0].mentor_id
    result = rematch(first, remove_people(program, [leaver]))
    path = tmp_path / "after.json"
    result.to_json(path)
    report = rematch_changes(rm.MatchResult.from_json(path))
    assert report == rematch_changes(result)
    assert [c.reason for c in report.ended if c.mentor_id == leaver] == ["mentor_left"]
    assert "mentor_left" in report.summary()
    assert "mentor_left" in report.table()
    assert report.to_records()[0].keys() >= {"kind", "executive_id", "reason", "detail"}


def test_rematch_changes_needs_a_rematch_result() -> None:
    with pytest.raises(rm.InvalidInputError, match=r"does not come from revmatch\.rematch"):
        rematch_changes(rm.match(two_by_two()))


# --------------------------------------------------------------------------- people and rounds


def chain_program() -> rm.Program:
    # m1 reports to e1, who reports to e0: e0 must never get m1.
    return rm.Program(
        mentors=[person("m1", manager_id="e1"), person("m2")],
        executives=[person("e0"), person("e1", manager_id="e0")],
    )


def test_remove_people_keeps_reporting_chains_through_leavers() -> None:
    program = chain_program()
    after = remove_people(program, ["e1"])
    scores = rm.score(after)
    assert scores.reasons[0, 0] != 0  # (e0, m1) still forbidden
    assert rm.OrgEntry(id="e1", manager_id="e0") in after.org
    naive = program.replace(executives=[person("e0")])
    assert rm.score(naive).reasons[0, 0] == 0  # why remove_people exists


def test_remove_people_drops_pins_and_priority_and_names_unknown_ids() -> None:
    program = chain_program().replace(
        pinned=[{"executive_id": "e0", "mentor_id": "m2"}], priority=["e0", "e1"]
    )
    after = remove_people(program, ["m2"])
    assert after.pinned == ()
    assert after.priority == ("e0", "e1")
    assert remove_people(program, ["e0"]).priority == ("e1",)
    assert remove_people(program, []) is program
    with pytest.raises(rm.InvalidInputError, match=r"ids\[1\].*'nobody' is not a mentor"):
        remove_people(program, ["m1", "nobody"])


def test_next_round_numbers_rounds_and_does_not_duplicate() -> None:
    program = rm.datasets.make_program(n_executives=6, n_mentors=8, seed=1)
    first = rm.match(program)
    assert current_round(first, program) == 1
    second_program = next_round(first, program)
    assert {h.round for h in second_program.history} == {1}
    assert next_round(first, second_program, round=1).history == second_program.history
    second = rm.match(second_program)
    assert current_round(second, second_program) == 2
    third_program = next_round(second, second_program)
    assert {h.round for h in third_program.history} == {1, 2}
    assert next_round(first, program, round=7).history[0].round == 7
    with pytest.raises(rm.InvalidInputError, match="round"):
        next_round(first, program, round="2")  # type: ignore[arg-type]


def test_next_round_clears_pins_and_priority_counts() -> None:
    program = two_by_two().replace(pinned=[{"executive_id": "e1", "mentor_id": "m1"}])
    later = next_round(rm.match(program), program)
    assert later.pinned == ()
    allowed = rm.MatchConfig(allow_repeats=True, repeat_bonus=0.2)
    assert pair_set(rm.match(later, allowed)) == {("e1", "m1"), ("e2", "m2")}


def test_close_pair_ends_the_pair_and_keeps_the_state_consistent() -> None:
    program = rm.datasets.make_program(n_executives=6, n_mentors=9, seed=2)
    result = rm.match(program)
    pair = result.pairs[0]
    after, program2 = close_pair(result, program, pair.executive_id, "  executive feels done ")
    assert pair.executive_id not in {e.id for e in program2.executives}
    assert (
        rm.HistoryEntry(executive_id=pair.executive_id, mentor_id=pair.mentor_id, round=1)
        in program2.history
    )
    assert pair_set(after) == pair_set(result) - {(pair.executive_id, pair.mentor_id)}
    assert after.audit["closed"] == [
        {
            "executive_id": pair.executive_id,
            "mentor_id": pair.mentor_id,
            "reason": "executive feels done",
            "round": 1,
        }
    ]
    assert after.spare_capacity.get(pair.mentor_id, 0) >= 1
    assert_nothing_lost(after, program2)
    # A second closure on the new state adds to the log.
    other = after.pairs[0]
    again, _ = close_pair(after, program2, other.executive_id, "mentor changed jobs")
    assert [c["reason"] for c in again.audit["closed"]] == [
        "executive feels done",
        "mentor changed jobs",
    ]


def test_close_pair_executive_may_stay_but_never_gets_that_mentor_again() -> None:
    program = two_by_two()
    result = rm.match(program)
    after, program2 = close_pair(result, program, "e1", "no chemistry", executive_done=False)
    assert "e1" in {u.id for u in after.unmatched}
    assert_nothing_lost(after, program2)
    # e1 may not have m1 again and e2 is the only other taker of m1's place:
    # coverage comes first, so e2 moves to m1 and e1 gets m2.
    again = rematch(after, program2)
    assert pair_set(again) == {("e1", "m2"), ("e2", "m1")}
    assert [c.reason for c in rematch_changes(again).ended] == ["moved"]


def test_close_pair_errors_name_the_problem() -> None:
    program = two_by_two()
    result = rm.match(program)
    with pytest.raises(rm.InvalidInputError, match="'e9' has no open pair"):
        close_pair(result, program, "e9", "done")
    with pytest.raises(rm.InvalidInputError, match="with mentor 'm2'"):
        close_pair(result, program, "e1", "done", mentor_id="m2")
    with pytest.raises(rm.InvalidInputError, match="needs a reason"):
        close_pair(result, program, "e1", " ")
    with pytest.raises(rm.InvalidInputError, match="input digests differ"):
        close_pair(result, remove_people(program, ["m2"]), "e1", "done")
    with pytest.raises(rm.InvalidInputError, match="does not carry its program"):
        close_pair(rm.MatchResult.from_json(result.to_json()), None, "e1", "done")


def test_close_pair_finds_the_program_in_the_result() -> None:
    program = two_by_two()
    result = rm.match(program)
    after, program2 = close_pair(result, None, "e1", "done")
    explicit, program3 = close_pair(result, program, "e1", "done")
    assert program2 == program3
    assert (after.pairs, after.unmatched) == (explicit.pairs, explicit.unmatched)


# --------------------------------------------------------------------------- sweep

SETTINGS: list[dict[str, Any]] = [
    {},
    {"weights.topic": 0.9, "weights.seniority": 0.3},
    {"min_overlap_minutes": 30},
    {"min_overlap_minutes": 120, "require_shared_language": False},
    {"preferred_window": ("12:00", "13:00")},
    {"preferred_window": None, "session_minutes": 45},
    {"topic_weights": {"digital": 3.0}},
    {"seniority_span": 2, "weights.seniority": 0.5, "min_grade_gap": 3},
    {"objective": "maximin"},
    {"objective": "max_score", "method": "flow"},
    {"mentors_per_executive": 2},
    {"exclude_same_department": True, "score_decimals": 2},
]


def assert_same_metrics(record: dict[str, Any], result: rm.MatchResult) -> None:
    for key in (
        "n_pairs",
        "matched_executives",
        "coverage",
        "score_mean",
        "score_median",
        "score_min",
        "score_p10",
        "mentor_load",
        "unmatched_executives",
    ):
        assert record[key] == result.metrics[key], key
    assert record["objective_value"] == result.audit["objective_value"]
    assert record["method"] == result.audit["method"]


def test_sweep_metrics_equal_match_metrics() -> None:
    program = rm.datasets.make_program(n_executives=12, n_mentors=18, seed=3)
    program = program.replace(priority=[program.executives[0].id])
    base = rm.MatchConfig(priority_bonus=0.1)
    table = sweep(program, SETTINGS, base=base)
    assert len(table) == len(SETTINGS)
    for record, config in zip(table, table.configs, strict=True):
        assert_same_metrics(record, rm.match(program, config))


settings_strategy = st.fixed_dictionaries(
    {},
    optional={
        "weights.topic": st.sampled_from([0.0, 0.3, 1.0]),
        "weights.availability": st.sampled_from([0.0, 0.5]),
        "weights.seniority": st.sampled_from([0.0, 0.4]),
        "min_overlap_minutes": st.sampled_from([0, 30, 60, 90]),
        "require_shared_language": st.booleans(),
        "exclude_same_department": st.booleans(),
        "min_grade_gap": st.integers(0, 2),
        "session_minutes": st.sampled_from([30, 60, 90]),
        "preferred_window": st.sampled_from([None, ("11:30", "14:30"), ("08:00", "10:00")]),
        "objective": st.sampled_from(OBJECTIVES),
    },
)


@given(programs(), st.lists(settings_strategy, min_size=1, max_size=4))
def test_sweep_equals_match_for_random_settings(
    program: rm.Program, settings: list[dict[str, Any]]
) -> None:
    table = sweep(program, settings)
    for record, config in zip(table, table.configs, strict=True):
        assert_same_metrics(record, rm.match(program, config))


def test_every_config_field_is_assigned_a_stage() -> None:
    # A new MatchConfig field must be placed, or sweep could reuse stale work.
    assert set(FIELD_STAGE) == set(rm.MatchConfig.model_fields)


def test_sweep_grid_is_a_product_with_its_keys_as_columns() -> None:
    program = rm.datasets.make_program(n_executives=6, n_mentors=9, seed=0)
    table = sweep(
        program, grid={"weights.topic": [0.2, 0.8], "objective": ["max_score", "maximin"]}
    )
    assert table.parameters == ("weights.topic", "objective")
    assert [(r["weights.topic"], r["objective"]) for r in table] == [
        (0.2, "max_score"),
        (0.2, "maximin"),
        (0.8, "max_score"),
        (0.8, "maximin"),
    ]
    assert [r["setting"] for r in table] == [0, 1, 2, 3]
    assert table.best("coverage")["setting"] in range(4)
    assert table.best("score_min", maximize=False)["score_min"] == min(
        r["score_min"] for r in table
    )
    assert "weights.topic" in table.table(limit=2)
    assert "2 more settings" in table.table(limit=2)
    assert set(table.timings) == {"prepare", "solve", "total"}


def test_sweep_varying_fields_of_configs_become_columns() -> None:
    program = rm.datasets.make_program(n_executives=5, n_mentors=7, seed=0)
    table = sweep(program, [rm.MatchConfig(), {"weights": {"topic": 0.1}}, {"strict": False}])
    assert table.parameters == ("weights.topic",)
    assert [r["weights.topic"] for r in table] == [0.55, 0.1, 0.55]


def test_sweep_custom_component_equals_match() -> None:
    program = rm.datasets.make_program(n_executives=6, n_mentors=9, seed=0)

    def closeness(arrays: Any, rows: slice) -> np.ndarray:
        n = rows.stop - rows.start
        return np.linspace(0, 1, n * arrays.shape[1]).reshape(n, arrays.shape[1])

    custom = {"closeness": closeness}
    config = rm.MatchConfig(weights={"custom:closeness": 0.5})
    (record,) = sweep(program, [config], custom=custom)
    assert_same_metrics(record, rm.match(program, config, custom=custom))


def test_sweep_errors_name_the_setting() -> None:
    program = two_by_two()
    with pytest.raises(rm.InvalidInputError, match="exactly one"):
        sweep(program)
    with pytest.raises(rm.InvalidInputError, match="exactly one"):
        sweep(program, [{}], grid={"min_grade_gap": [1]})
    with pytest.raises(
        rm.InvalidInputError, match=r"configs\[1\].*unknown setting 'wieghts.topic'"
    ):
        sweep(program, [{}, {"wieghts.topic": 1.0}])
    with pytest.raises(rm.InvalidInputError, match=r"grid setting 0.*weight"):
        sweep(program, grid={"weights.topic": [-1.0]})
    with pytest.raises(rm.InvalidInputError, match="list of values"):
        sweep(program, grid={"min_grade_gap": 2})  # type: ignore[dict-item]
    with pytest.raises(rm.InvalidInputError, match=r"configs\[0\].*MatchConfig"):
        sweep(program, [3])  # type: ignore[list-item]
    pinned = chain_program().replace(pinned=[{"executive_id": "e1", "mentor_id": "m1"}])
    with pytest.raises(rm.InvalidInputError, match="reporting_chain"):
        sweep(pinned, [{}])
    with pytest.raises(rm.InvalidInputError, match="not a numeric column"):
        sweep(program, [{}]).best("method")


def test_sweep_and_compare_to_pandas() -> None:
    pytest.importorskip("pandas")
    program = rm.datasets.make_program(n_executives=5, n_mentors=7, seed=0)
    frame = sweep(program, grid={"min_overlap_minutes": [30, 60]}).to_pandas()
    assert list(frame.index) == [0, 1]
    assert "coverage" in frame.columns
    assert "min_overlap_minutes" in frame.columns
    a = rm.match(program)
    b = rm.match(program, rm.MatchConfig(weights={"topic": 0.05}))
    assert len(compare(a, b).to_pandas()) == len(compare(a, b).differences)


def test_compare_reports_text_and_json() -> None:
    program = two_by_two()
    a = rm.match(program)
    b = rematch(a, remove_people(program, ["m2"]))
    diff = compare(a, b)
    assert [(d.kind, d.executive_id, d.mentor_before) for d in diff.differences] == [
        ("removed", "e2", "m2")
    ]
    assert diff.changed_metrics["n_pairs"] == -1
    assert "1 removed" in diff.table()
    assert "n_pairs: 2 -> 1" in diff.summary()
    data = diff.to_dict()
    assert data["counts"]["removed"] == 1
    assert data["metrics"]["n_pairs"]["delta"] == -1


# --------------------------------------------------------------------------- a year


def test_a_program_year() -> None:
    config = rm.MatchConfig()
    program = rm.datasets.make_program(n_executives=12, n_mentors=16, seed=5)

    # Round 1.
    round1 = rm.match(program, config)
    assert_nothing_lost(round1, program)
    assert current_round(round1, program) == 1

    # One closure: the executive feels done; the mentor is free again.
    closing = round1.pairs[0]
    state, program = close_pair(round1, program, closing.executive_id, "executive feels done")
    assert closing.executive_id not in {e.id for e in program.executives}
    assert (closing.executive_id, closing.mentor_id) not in pair_set(state)
    assert_nothing_lost(state, program)

    # Two drop-outs: a mentor changes jobs, an executive leaves the company.
    mentor_leaver = state.pairs[0].mentor_id
    exec_leaver = next(p.executive_id for p in state.pairs if p.mentor_id != mentor_leaver)
    program = remove_people(program, [mentor_leaver, exec_leaver])

    # Three new executives join mid-year.
    records = program.to_dict()["executives"][:3]
    newcomers = [
        rm.Executive.model_validate({**r, "id": f"e-new-{i}", "manager_id": None})
        for i, r in enumerate(records, 1)
    ]
    program = program.replace(executives=[*program.executives, *newcomers])

    # Re-match with least disruption.
    mid = rematch(state, program, config)
    report = rematch_changes(mid)
    assert_nothing_lost(mid, program)
    assert_feasible(mid, program, config)
    assert len(report.kept) + len(report.ended) == len(state.pairs)
    ended = {(c.executive_id, c.mentor_id): c.reason for c in report.ended}
    assert all(ended[p] == "mentor_left" for p in pair_set(state) if p[1] == mentor_leaver)
    assert all(ended[p] == "executive_left" for p in pair_set(state) if p[0] == exec_leaver)
    assert (closing.executive_id, closing.mentor_id) not in pair_set(mid)
    assert all(c.reason == "joined" for c in report.new if c.executive_id.startswith("e-new"))
    assert mid.audit["round"] == 1

    # Round 2: no pair of the year repeats; those left unmatched come first.
    program2 = next_round(mid, program)
    round2 = rm.match(program2, config)
    assert_nothing_lost(round2, program2)
    year = pair_set(round1) | pair_set(mid)
    assert not pair_set(round2) & year
    assert set(program2.priority) == {u.id for u in mid.unmatched if u.role == "executive"}
    assert {h.round for h in program2.history} == {1}
    assert current_round(round2, program2) == 2
    diff = compare(mid, round2)
    assert len(diff.changed) + len(diff.removed) == len(mid.pairs)
