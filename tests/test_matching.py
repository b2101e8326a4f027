"""End-to-end tests of rm.match: rules, reasons, invariants."""

from __future__ import annotations

import json
import random
from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import revmatch as rm
from tests.strategies.programs import person, programs


def test_reporting_chain_through_org_entry_is_forbidden() -> None:
    # m1 -> x-17 (outside the program) -> e1: e1 must never get m1.
    program = rm.Program(
        mentors=[person("m1", manager_id="x-17", expertise={"digital": 5})],
        executives=[person("e1", interests={"digital": 5})],
        org=[{"id": "x-17", "manager_id": "e1"}],
    )
    result = rm.match(program)
    assert result.pairs == ()
    reasons = {u.id: u.reasons for u in result.unmatched}
    assert reasons["e1"] == {"reporting_chain": 1}
    assert reasons["m1"] == {"reporting_chain": 1}


def test_chain_rule_only_blocks_own_chain() -> None:
    program = rm.Program(
        mentors=[person("m1", manager_id="e1"), person("m2", manager_id="e2")],
        executives=[person("e1"), person("e2")],
    )
    result = rm.match(program)
    assert {(p.executive_id, p.mentor_id) for p in result.pairs} == {("e1", "m2"), ("e2", "m1")}


def test_topic_fit_decides() -> None:
    program = rm.Program(
        mentors=[
            person("m1", expertise={"digital": 5}),
            person("m2", expertise={"diversity": 5}),
        ],
        executives=[
            person("e1", interests={"diversity": 4}),
            person("e2", interests={"digital": 4}),
        ],
    )
    result = rm.match(program)
    assert result.partner_map() == {"e1": "m2", "e2": "m1"}
    pair = result.pairs_of("e1")[0]
    assert pair.components["topic"] == 1.0
    assert pair.topics_covered == ("diversity",)


def test_topic_formula_worked_example() -> None:
    program = rm.Program(
        mentors=[person("m1", expertise={"social_media": 4, "digital": 5})],
        executives=[person("e1", interests={"social_media": 5, "digital": 3})],
    )
    scores = rm.score(program)
    topic = scores.components["topic"][0, 0]
    assert topic == (5 * 4 + 3 * 5) / (5 * (5 + 3))
    weighted = rm.score(program, rm.MatchConfig(topic_weights={"social_media": 2}))
    assert np.isclose(weighted.components["topic"][0, 0], 55 / 65)


def test_min_overlap_rule_and_reason() -> None:
    program = rm.Program(
        mentors=[person("m1", availability=["Tue 08:00-09:00"])],
        executives=[person("e1", availability=["Mon 12:00-14:00"])],
    )
    result = rm.match(program)
    assert result.pairs == ()
    assert result.unmatched[0].reasons == {"min_overlap": 1}
    relaxed = rm.match(program, rm.MatchConfig(min_overlap_minutes=0))
    assert len(relaxed.pairs) == 1


def test_dst_reduces_minimum_overlap() -> None:
    # Berlin 15-17 and New York 09-11 share 120 min, but only 60 in the March
    # weeks when only the US has changed clocks.
    program = rm.Program(
        program={"start": "2027-03-01", "end": "2027-04-30"},
        mentors=[person("m1", timezone="America/New_York", availability=["Mon 09:00-11:00"])],
        executives=[person("e1", timezone="Europe/Berlin", availability=["Mon 15:00-17:00"])],
    )
    result = rm.match(program, rm.MatchConfig(min_overlap_minutes=60))
    pair = result.pairs[0]
    assert pair.min_overlap_minutes == 60
    assert 60 < pair.mean_overlap_minutes < 120
    strict = rm.match(program, rm.MatchConfig(min_overlap_minutes=90))
    assert strict.pairs == ()
    assert strict.unmatched[0].reasons == {"min_overlap": 1}


def test_blocked_either_side_and_language() -> None:
    program = rm.Program(
        mentors=[
            person("m1", blocked=["e1"]),
            person("m2", languages=["fr"]),
            person("m3", languages=["de", "en"]),
        ],
        executives=[person("e1", languages=["de"]), person("e2", blocked=["m3"], languages=["de"])],
    )
    scores = rm.score(program)
    feasible = {
        (scores.executive_ids[i], scores.mentor_ids[j])
        for i, j in zip(*np.nonzero(scores.feasible), strict=True)
    }
    assert feasible == {("e1", "m3"), ("e2", "m1")}


def test_capacity_reason_when_feasible_mentors_are_taken() -> None:
    program = rm.Program(
        mentors=[person("m1")],
        executives=[person("e1", interests={"digital": 5}), person("e2")],
    )
    result = rm.match(program)
    assert len(result.pairs) == 1
    loser = next(u for u in result.unmatched if u.role == "executive")
    assert loser.reasons == {"capacity": 1}


def test_mentor_with_spare_capacity_is_reported() -> None:
    program = rm.Program(mentors=[person("m1", capacity=3)], executives=[person("e1")])
    result = rm.match(program)
    assert len(result.pairs) == 1
    assert result.spare_capacity == {"m1": 2}


def test_pinned_pair_stays_and_infeasible_pin_is_an_error() -> None:
    base = {
        "mentors": [person("m1", expertise={"digital": 5}), person("m2")],
        "executives": [person("e1"), person("e2", interests={"digital": 5})],
    }
    result = rm.match(rm.Program(**base, pinned=[{"executive_id": "e1", "mentor_id": "m1"}]))
    assert result.partner_map() == {"e1": "m1", "e2": "m2"}
    assert [p.pinned for p in result.pairs] == [True, False]
    bad = rm.Program(
        mentors=[person("m1", manager_id="e1")],
        executives=[person("e1")],
        pinned=[{"executive_id": "e1", "mentor_id": "m1"}],
    )
    with pytest.raises(rm.InvalidInputError, match=r"breaks the rule.*reporting_chain"):
        rm.match(bad)


def test_empty_pools_give_explained_empty_result() -> None:
    only_exec = rm.match(rm.Program(executives=[person("e1")]))
    assert only_exec.unmatched[0].reasons == {"no_mentors": 0}
    only_mentor = rm.match(rm.Program(mentors=[person("m1")]))
    assert only_mentor.unmatched[0].reasons == {"no_executives": 0}
    nobody = rm.match(rm.Program())
    assert nobody.pairs == ()
    assert nobody.unmatched == ()


def test_result_json_round_trip() -> None:
    program = rm.datasets.make_program(n_executives=8, n_mentors=10, seed=2)
    result = rm.match(program)
    again = rm.MatchResult.from_json(result.to_json())
    assert again == result
    assert again.audit["input_digest"] == result.audit["input_digest"]


def test_audit_digest_ignores_record_order() -> None:
    program = rm.datasets.make_program(n_executives=8, n_mentors=10, seed=2)
    shuffled = program.replace(
        mentors=list(reversed(program.mentors)), executives=list(reversed(program.executives))
    )
    assert rm.match(program).audit["input_digest"] == rm.match(shuffled).audit["input_digest"]


def test_custom_component_is_used_and_validated() -> None:
    program = rm.Program(
        mentors=[person("m1"), person("m2")],
        executives=[person("e1")],
    )

    def likes_m2(arrays: object, rows: slice) -> np.ndarray:
        return np.tile([0.0, 1.0], (rows.stop - rows.start, 1))

    cfg = rm.MatchConfig(weights={"custom:likes_m2": 5})
    result = rm.match(program, cfg, custom={"likes_m2": likes_m2})
    assert result.partner_map() == {"e1": "m2"}
    assert result.pairs[0].components["custom:likes_m2"] == 1.0

    def bad(arrays: object, rows: slice) -> np.ndarray:
        return np.full((rows.stop - rows.start, 2), 2.0)

    with pytest.raises(rm.InvalidInputError, match=r"outside 0\.\.1"):
        rm.match(program, cfg, custom={"likes_m2": bad})


# ---------------------------------------------------------------- properties


def _pairs(result: rm.MatchResult) -> set[tuple[str, str]]:
    return {(p.executive_id, p.mentor_id) for p in result.pairs}


@given(programs())
def test_nothing_lost_and_nothing_forbidden(program: rm.Program) -> None:
    result = rm.match(program)
    scores = rm.score(program)
    matched_exec = Counter(p.executive_id for p in result.pairs)
    matched_mentor = Counter(p.mentor_id for p in result.pairs)
    unmatched = Counter(u.id for u in result.unmatched)
    for e in program.executives:
        assert (e.id in matched_exec) != (e.id in unmatched)
        assert matched_exec[e.id] <= 1
        assert unmatched[e.id] <= 1
    for m in program.mentors:
        assert (m.id in matched_mentor) != (m.id in unmatched)
        assert matched_mentor[m.id] <= m.capacity
    for u in result.unmatched:
        assert u.reasons, u
    for p in result.pairs:
        i = scores.executive_ids.index(p.executive_id)
        j = scores.mentor_ids.index(p.mentor_id)
        assert scores.reasons[i, j] == 0


@given(programs(), st.randoms(use_true_random=False))
def test_deterministic_under_record_order(program: rm.Program, rnd: random.Random) -> None:
    mentors, executives = list(program.mentors), list(program.executives)
    rnd.shuffle(mentors)
    rnd.shuffle(executives)
    shuffled = program.replace(mentors=mentors, executives=executives)
    assert _pairs(rm.match(program)) == _pairs(rm.match(shuffled))


def test_priority_bonus_favours_listed_executive() -> None:
    program = rm.Program(
        mentors=[person("m1")],
        executives=[person("e1", interests={"digital": 5}), person("e2", interests={"digital": 5})],
    )
    assert rm.match(program).partner_map() == {"e1": "m1"}  # a tie, broken by id
    favoured = program.replace(priority=["e2"])
    assert rm.match(favoured, rm.MatchConfig(priority_bonus=0.5)).partner_map() == {"e2": "m1"}
    assert rm.match(favoured).partner_map() == {"e1": "m1"}  # no bonus configured


def test_repeat_bonus_and_penalty() -> None:
    program = rm.Program(
        mentors=[person("m1"), person("m2", expertise={"digital": 1})],
        executives=[person("e1", interests={"digital": 5})],
        history=[{"executive_id": "e1", "mentor_id": "m1", "round": 1}],
    )
    assert rm.match(program).partner_map() == {"e1": "m2"}
    allowed = rm.MatchConfig(allow_repeats=True, repeat_bonus=0.5)
    assert rm.match(program, allowed).partner_map() == {"e1": "m1"}
    penalised = rm.MatchConfig(allow_repeats=True, repeat_bonus=-0.5)
    assert rm.match(program, penalised).partner_map() == {"e1": "m2"}


def test_metrics_topic_coverage_and_blocking_pairs() -> None:
    program = rm.Program(
        mentors=[person("m1", expertise={"digital": 5}), person("m2", expertise={"digital": 2})],
        executives=[
            person("e1", interests={"digital": 4}),
            person("e2", interests={"diversity": 3}),
        ],
    )
    result = rm.match(program)
    m = result.metrics
    # e1 gets m1 (4·5 of 4·5 wished); e2's diversity wish (3·5) is not served.
    assert m["topic_coverage_by_topic"]["digital"] == 1.0
    assert m["topic_coverage_by_topic"]["diversity"] == 0.0
    assert m["topic_coverage_by_topic"]["work_ethic"] is None
    assert m["topic_coverage"] == round(20 / 35, 6)
    assert m["blocking_pairs"] == 0
    assert m["coverage"] == 1.0


def test_html_escapes_names() -> None:
    program = rm.Program(
        mentors=[person("m1", name="<script>alert(1)</script>")],
        executives=[person("e1", name="A & B")],
    )
    page = rm.match(program)._repr_html_()
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "A &amp; B" in page


def test_html_shows_at_most_50_rows() -> None:
    program = rm.datasets.make_program(n_executives=70, n_mentors=90, seed=1)
    result = rm.match(program)
    page = result._repr_html_()
    assert page.count("<tr>") <= 1 + 50 + 1 + 50
    assert "more pairs" in page


def test_several_mentors_per_executive_on_distinct_topics() -> None:
    program = rm.Program(
        mentors=[
            person("m1", expertise={"digital": 5}),
            person("m2", expertise={"digital": 4}),
            person("m3", expertise={"diversity": 5}),
        ],
        executives=[person("e1", interests={"digital": 5, "diversity": 5})],
    )
    result = rm.match(program, rm.MatchConfig(mentors_per_executive=2))
    assert {p.mentor_id for p in result.pairs} == {"m1", "m3"}
    assert result.metrics["blocking_pairs"] is None


@given(programs(max_executives=6, max_mentors=6))
def test_blocking_count_matches_pairwise_definition(program: rm.Program) -> None:
    result = rm.match(program)
    s = result.scores
    assert s is not None
    has = {p.executive_id: p.score for p in result.pairs}
    load = Counter(p.mentor_id for p in result.pairs)
    worst: dict[str, float] = {}
    for p in result.pairs:
        worst[p.mentor_id] = min(worst.get(p.mentor_id, 2.0), p.score)
    expected = 0
    for i, e in enumerate(s.executive_ids):
        for j, m in enumerate(s.mentor_ids):
            if s.reasons[i, j]:
                continue
            v = s.values[i, j]
            cap = program.mentors[[x.id for x in program.mentors].index(m)].capacity
            mentor_wants = load[m] < cap or v > worst.get(m, 2.0)
            if v > has.get(e, -1.0) and mentor_wants:
                expected += 1
    assert result.metrics["blocking_pairs"] == expected


def test_force_pins_keeps_and_audits_a_rule_breaking_pin() -> None:
    program = rm.Program(
        mentors=[person("m1", manager_id="e1")],
        executives=[person("e1")],
        pinned=[{"executive_id": "e1", "mentor_id": "m1"}],
    )
    result = rm.match(program, force_pins=True)
    assert result.partner_map() == {"e1": "m1"}
    assert "reporting_chain" in json.dumps(result.audit["forced_pins"])
