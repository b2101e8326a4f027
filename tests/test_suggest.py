"""Capacity-aware shortlists: construction guarantees, reasons, outputs."""

from __future__ import annotations

import doctest
import importlib
import json
import random
from collections import Counter
from typing import Any

import numpy as np
import pytest
from hypothesis import given

import revmatch as rm
from revmatch._pipeline.assign import solve_scores
from revmatch.suggest import Suggestions, suggest
from tests.strategies.programs import person, programs

suggest_module = importlib.import_module("revmatch.suggest")


def _capacities(program: rm.Program) -> dict[str, int]:
    return {m.id: m.capacity for m in program.mentors}


def _check_invariants(program: rm.Program, config: rm.MatchConfig, top_n: int) -> Suggestions:
    """Every guarantee of the module docstring, checked on one program."""
    lists = suggest(program, config, top_n)
    scores = lists.scores
    assert scores is not None
    ei, mi = scores.arrays.exec_index, scores.arrays.mentor_index
    # Nothing lost: one list per executive, in id order.
    assert [s.executive_id for s in lists] == sorted(e.id for e in program.executives)
    # Entries are feasible and never repeated on a list.
    for s in lists:
        assert len(set(s.mentor_ids)) == len(s.mentor_ids)
        for e in s:
            assert scores.feasible[ei[s.executive_id], mi[e.mentor_id]]
            assert e.score == scores.values[ei[s.executive_id], mi[e.mentor_id]]
        assert [e.rank for e in s] == list(range(1, len(s) + 1))
        assert [e.round for e in s] == sorted(e.round for e in s)
        assert len(s) <= s.wanted
        assert bool(s.reasons) == s.short == bool(s.hint)
    # Capacity: at most capacity × top_n lists, and each round within capacity.
    caps = _capacities(program)
    on_lists = Counter(e.mentor_id for s in lists for e in s)
    assert lists.appearances == {m: on_lists.get(m, 0) for m in caps}
    for mentor, n in lists.appearances.items():
        assert n <= caps[mentor] * top_n
    pins = Counter(e.mentor_id for s in lists for e in s if e.pinned)
    for k in range(1, top_n + 1):
        in_round = Counter(e.mentor_id for s in lists for e in s if e.round == k and not e.pinned)
        for mentor, n in in_round.items():
            assert n + pins[mentor] <= caps[mentor]
    # Round 1 is the assignment match() solves for (same scores, pins, method).
    rows, cols, _, _ = solve_scores(rm.score(program, config))
    first = {(s.executive_id, e.mentor_id) for s in lists for e in s if e.round == 1}
    ids = scores.arrays
    assert first == {(ids.exec_ids[r], ids.mentor_ids[c]) for r, c in zip(rows, cols, strict=True)}
    return lists


# --------------------------------------------------------------- construction
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_first_entry_is_the_match_partner(seed: int) -> None:
    program = rm.datasets.make_program(n_executives=12, n_mentors=15, seed=seed)
    lists = suggest(program)
    partner = rm.match(program).partner_map()
    assert partner, "the instance should pair someone"
    for s in lists:
        if s.executive_id in partner:
            assert s.entries[0].mentor_id == partner[s.executive_id]
            assert s.entries[0].round == 1
        else:
            assert all(e.round > 1 for e in s)


@pytest.mark.parametrize(("seed", "top_n"), [(0, 1), (5, 3), (7, 5)])
def test_invariants_on_synthetic_programs(seed: int, top_n: int) -> None:
    program = rm.datasets.make_program(n_executives=15, n_mentors=12, seed=seed, capacity=(1, 2))
    _check_invariants(program, rm.MatchConfig(), top_n)


@given(program=programs())
def test_invariants_hold_on_random_programs(program: rm.Program) -> None:
    lists = _check_invariants(program, rm.MatchConfig(), 3)
    partner = rm.match(program).partner_map()
    assert {
        s.executive_id: s.entries[0].mentor_id
        for s in lists
        if s.entries and s.entries[0].round == 1
    } == partner


def test_popular_mentor_is_not_on_every_list() -> None:
    star = person("m-star", expertise={"digital": 5, "diversity": 5})
    others = [person(f"m{j}", expertise={"digital": 2}) for j in range(4)]
    executives = [person(f"e{i}", interests={"digital": 5, "diversity": 5}) for i in range(4)]
    program = rm.Program(mentors=[star, *others], executives=executives)
    scores = rm.score(program)
    star_col = scores.arrays.mentor_index["m-star"]
    # A naive top-2 per executive puts the star on all four lists...
    naive = np.argsort(-scores.values, axis=1, kind="stable")[:, :2]
    assert (naive == star_col).any(axis=1).all()
    # ... the capacity-aware lists offer it twice (capacity 1 × top_n 2).
    lists = suggest(program, top_n=2)
    assert lists.appearances["m-star"] == 2
    assert all(len(s) == 2 for s in lists)


def test_entries_of_one_round_form_an_assignment() -> None:
    # More executives than seats: some find every fitting mentor full in a
    # round, so ranks and rounds part ways.
    program = rm.datasets.make_program(n_executives=20, n_mentors=14, seed=11)
    lists = suggest(program, top_n=3)
    caps = _capacities(program)
    assert any(e.rank != e.round for s in lists for e in s)
    for k in (1, 2, 3):
        picks = Counter(e.mentor_id for s in lists for e in s if e.round == k)
        assert picks
        assert all(n <= caps[m] for m, n in picks.items())


def test_components_match_the_score_matrix() -> None:
    program = rm.datasets.make_program(n_executives=5, n_mentors=7, seed=2)
    lists = suggest(program, top_n=2)
    scores = rm.score(program)
    comps = scores.components
    ei, mi = scores.arrays.exec_index, scores.arrays.mentor_index
    for s in lists:
        for e in s:
            r, c = ei[s.executive_id], mi[e.mentor_id]
            assert set(e.components) == set(comps)
            for name, value in e.components.items():
                assert value == pytest.approx(comps[name][r, c], abs=1e-6)


def test_same_program_in_any_record_order_gives_the_same_lists() -> None:
    program = rm.datasets.make_program(n_executives=10, n_mentors=12, seed=6)
    data = program.to_dict()
    random.Random(1).shuffle(data["mentors"])
    random.Random(2).shuffle(data["executives"])
    shuffled = suggest(data, top_n=3)
    assert shuffled.to_dict() == suggest(program, top_n=3).to_dict()


def test_mapping_config_and_custom_components() -> None:
    program = rm.datasets.make_program(n_executives=4, n_mentors=6, seed=1)

    def by_id(arrays: Any, rows: slice) -> Any:
        return np.full((rows.stop - rows.start, arrays.shape[1]), 0.5)

    lists = suggest(program, {"weights": {"custom:flat": 1.0}}, 2, custom={"flat": by_id})
    assert all("custom:flat" in e.components for s in lists for e in s)


# ------------------------------------------------------------ short lists
def test_list_short_because_few_mentors_are_allowed() -> None:
    program = rm.Program(
        mentors=[
            person("m1", manager_id="e1"),
            person("m2", availability=["Tue 08:00-09:00"]),
            person("m3"),
        ],
        executives=[person("e1")],
    )
    s = suggest(program, top_n=3).shortlist("e1")
    assert s.mentor_ids == ("m3",)
    assert s.short
    assert s.wanted == 3
    assert s.reasons == {"reporting_chain": 1, "min_overlap": 1}
    assert s.hint.startswith("1 of 3 entries: 1 mentor(s) are allowed")


def test_list_short_because_places_went_to_others() -> None:
    program = rm.Program(
        mentors=[person("m1", expertise={"digital": 5})],
        executives=[person("e1", interests={"digital": 5}), person("e2")],
    )
    lists = suggest(program, top_n=1)
    assert lists.shortlist("e1").mentor_ids == ("m1",)
    lonely = lists.shortlist("e2")
    assert lonely.entries == ()
    assert lonely.reasons == {"capacity": 1}
    assert "taken by other executives' lists" in lonely.hint
    # With a second round, the mentor is offered to e2 as well.
    assert suggest(program, top_n=2).shortlist("e2").mentor_ids == ("m1",)


def test_list_short_because_the_program_has_few_mentors() -> None:
    program = rm.Program(mentors=[person("m1")], executives=[person("e1")])
    s = suggest(program, top_n=3).shortlist("e1")
    assert s.mentor_ids == ("m1",)
    assert s.reasons == {"few_mentors": 1}
    assert s.hint == "1 of 3 entries: the program has only 1 mentor(s), 1 of them allowed"


def test_mentor_without_capacity_is_never_suggested() -> None:
    program = rm.Program(
        mentors=[person("m0", capacity=0), person("m1")],
        executives=[person("e1")],
    )
    lists = suggest(program, top_n=2)
    s = lists.shortlist("e1")
    assert s.mentor_ids == ("m1",)
    assert s.reasons == {"no_capacity": 1}
    assert lists.appearances == {"m0": 0, "m1": 1}


def test_zero_scores_are_skipped_under_max_score() -> None:
    program = rm.Program(
        mentors=[person("m1", expertise={"digital": 5}), person("m2", expertise={"diversity": 5})],
        executives=[person("e1", interests={"digital": 5})],
    )
    topic_only = dict.fromkeys(rm.COMPONENTS, 0.0) | {"topic": 1.0}
    config = rm.MatchConfig(weights=topic_only, objective="max_score")
    s = suggest(program, config, top_n=2).shortlist("e1")
    assert s.mentor_ids == ("m1",)
    assert s.reasons == {"zero_score": 1}
    # Coverage first: the zero-score mentor is still offered.
    coverage = suggest(program, config.replace(objective="coverage_then_score"), top_n=2)
    assert coverage.shortlist("e1").mentor_ids == ("m1", "m2")


def test_empty_pools() -> None:
    no_execs = suggest(rm.Program(mentors=[person("m1")]))
    assert len(no_execs) == 0
    assert no_execs.appearances == {"m1": 0}
    assert no_execs.to_records() == []
    assert no_execs.table().splitlines()[0].startswith("executive")
    assert no_execs.to_csv().startswith("kind,executive_id,rank,mentor_id")

    no_mentors = suggest(rm.Program(executives=[person("e1"), person("e2")]))
    assert [s.reasons for s in no_mentors] == [{"no_mentors": 0}] * 2
    assert all(s.hint.endswith("the program has no mentors") for s in no_mentors)
    assert no_mentors.appearances == {}

    nobody = suggest(rm.Program())
    assert len(nobody) == 0
    assert "0 executives" in nobody.summary()


# ------------------------------------------------------- config interplay
def test_several_mentors_per_executive() -> None:
    program = rm.datasets.make_program(n_executives=6, n_mentors=14, seed=3)
    config = rm.MatchConfig(mentors_per_executive=2)
    lists = _check_invariants(program, config, 2)
    assert all(s.wanted == 4 for s in lists)
    assert max(len(s) for s in lists) == 4


def test_pinned_pairs_fill_their_place() -> None:
    program = rm.Program(
        mentors=[person("m1", expertise={"digital": 5}), person("m2"), person("m3")],
        executives=[person("e1"), person("e2", interests={"digital": 5})],
        pinned=[{"executive_id": "e1", "mentor_id": "m1"}],
    )
    lists = _check_invariants(program, rm.MatchConfig(), 3)
    pinned = lists.shortlist("e1")
    assert [(e.mentor_id, e.pinned, e.round) for e in pinned] == [("m1", True, 1)]
    assert not pinned.short
    # m1's only seat is pinned, so e2 never sees it, though it fits e2 best.
    assert "m1" not in lists.shortlist("e2").mentor_ids
    assert lists.appearances["m1"] == 1
    # With two places, e1 also gets alternatives for the open one.
    two = _check_invariants(program, rm.MatchConfig(mentors_per_executive=2), 2)
    assert two.shortlist("e1").mentor_ids[0] == "m1"
    assert two.shortlist("e1").wanted == 3


def test_pin_that_breaks_a_rule_is_rejected_like_match() -> None:
    program = rm.Program(
        mentors=[person("m1", manager_id="e1")],
        executives=[person("e1")],
        pinned=[{"executive_id": "e1", "mentor_id": "m1"}],
    )
    with pytest.raises(rm.InvalidInputError, match="breaks the rule"):
        suggest(program)


def test_strict_applies_to_round_one_only() -> None:
    program = rm.Program(
        mentors=[person("m1"), person("m2")],
        executives=[person("e1"), person("e2")],
    )
    strict = rm.MatchConfig(strict=True)
    # Round 1 covers everyone; later rounds cannot, and must not raise.
    lists = suggest(program, strict, top_n=3)
    assert all(len(s) == 2 for s in lists)
    short = rm.Program(mentors=[person("m1")], executives=[person("e1"), person("e2")])
    with pytest.raises(rm.InfeasibleError):
        rm.match(short, strict)
    with pytest.raises(rm.InfeasibleError):
        suggest(short, strict)


@pytest.mark.parametrize("bad", [0, -2, True, 1.5, "3"])
def test_top_n_must_be_a_positive_integer(bad: Any) -> None:
    with pytest.raises(rm.InvalidInputError, match=r"'top_n' of suggest\(\) must be an integer"):
        suggest(rm.Program(), top_n=bad)


def test_audit_records_rounds() -> None:
    program = rm.Program(mentors=[person("m1")], executives=[person("e1")])
    lists = suggest(program, top_n=4)
    assert lists.audit["top_n"] == 4
    assert lists.audit["input_digest"] == rm.match(program).audit["input_digest"]
    # The second round finds nothing new, so the rounds stop there.
    assert [r["new_entries"] for r in lists.audit["rounds"]] == [1, 0]


# ----------------------------------------------------------------- outputs
@pytest.fixture
def lists() -> Suggestions:
    program = rm.Program(
        mentors=[person("m1", expertise={"digital": 5}), person("m<2>", expertise={"digital": 3})],
        executives=[
            person("e1", interests={"digital": 5}),
            person("e&2", interests={"digital": 4}),
            person("e3", manager_id=None, languages=["fr"]),
        ],
    )
    return suggest(program, {"require_shared_language": False}, top_n=2)


def test_iteration_and_lookup(lists: Suggestions) -> None:
    assert [s.executive_id for s in lists] == ["e&2", "e1", "e3"]
    assert len(lists) == 3
    assert lists.shortlist("e1").executive_id == "e1"
    with pytest.raises(rm.InvalidInputError, match="'nobody' is not an executive"):
        lists.shortlist("nobody")


def test_records_json_and_csv(lists: Suggestions, tmp_path: Any) -> None:
    records = lists.to_records()
    kinds = Counter(r["kind"] for r in records)
    n_entries = sum(len(s) for s in lists)
    assert kinds["suggestion"] == n_entries
    assert kinds["short"] == sum(s.short for s in lists)
    assert all(set(r) == set(records[0]) for r in records)
    assert any(k.startswith("c:") for k in records[0])
    short = next(r for r in records if r["kind"] == "short")
    assert short["mentor_id"] == ""
    assert short["hint"]

    path = tmp_path / "lists.json"
    data = json.loads(lists.to_json(path))
    assert json.loads(path.read_text(encoding="utf-8")) == data
    assert data["top_n"] == 2
    assert [s["executive_id"] for s in data["shortlists"]] == ["e&2", "e1", "e3"]

    text = lists.to_csv(tmp_path / "lists.csv")
    lines = text.splitlines()
    assert lines[0].startswith("kind,executive_id,rank,mentor_id,score,round,pinned,c:")
    assert len(lines) == 1 + len(records)


def test_table_and_summary(lists: Suggestions) -> None:
    table = lists.table()
    assert table.splitlines()[0].split()[:5] == ["executive", "rank", "mentor", "score", "round"]
    for s in lists:
        for e in s:
            assert e.mentor_id in table
        if s.short:
            assert s.hint in table
    assert "... 2 more executives" in lists.table(limit=1)
    assert str(lists) == lists.summary()
    assert lists.summary().startswith("shortlists of up to 2 mentor(s) per place for 3 executives")


def test_html_is_escaped(lists: Suggestions) -> None:
    page = lists._repr_html_()
    assert "e&amp;2" in page
    assert "m&lt;2&gt;" in page
    assert "<2>" not in page


def test_docstring_examples_run() -> None:
    outcome = doctest.testmod(suggest_module, raise_on_error=False)
    assert outcome.attempted > 0
    assert outcome.failed == 0
