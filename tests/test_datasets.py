"""Tests of revmatch.datasets.make_program: shape, realism and argument checks."""

from __future__ import annotations

import doctest
import gc
import re
from collections import Counter
from datetime import date
from statistics import mean, median
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

import revmatch as rm
from revmatch import datasets
from revmatch._pipeline.rules import REASON_BITS
from revmatch.datasets import PROGRAM_START, make_program
from revmatch.exceptions import InvalidInputError
from revmatch.models import DEFAULT_TOPICS, Program
from tests.strategies.oracles import chain_above


@pytest.fixture(scope="module")
def default() -> Program:
    return make_program()


@pytest.fixture(scope="module")
def large() -> Program:
    return make_program(300, 1500, seed=7)


def managers(program: Program) -> dict[str, str | None]:
    up = {p.id: p.manager_id for p in program.people()}
    up.update({o.id: o.manager_id for o in program.org})
    return up


# --- determinism -------------------------------------------------------------


def test_same_seed_gives_equal_program() -> None:
    assert make_program(12, 18, seed=3) == make_program(12, 18, seed=3)
    assert make_program(12, 18, seed=3, n_topics=8, capacity=(1, 3)) == make_program(
        12, 18, seed=3, n_topics=8, capacity=(1, 3)
    )


def test_different_seeds_differ() -> None:
    a, b = make_program(12, 18, seed=3), make_program(12, 18, seed=4)
    assert a != b
    assert [m.expertise for m in a.mentors] != [m.expertise for m in b.mentors]


def test_seed_none_gives_a_valid_program() -> None:
    program = make_program(5, 7, seed=None)
    assert (len(program.executives), len(program.mentors)) == (5, 7)


def test_numpy_integers_are_accepted() -> None:
    sizes: list[Any] = [np.int64(3), np.int32(4), np.uint8(1)]
    assert make_program(*sizes) == make_program(3, 4, seed=1)


# --- sizes and ids -------------------------------------------------------------


@pytest.mark.parametrize(("n_exec", "n_ment"), [(0, 0), (0, 5), (5, 0), (1, 1), (40, 60)])
def test_sizes(n_exec: int, n_ment: int) -> None:
    program = make_program(n_exec, n_ment, seed=1)
    assert len(program.executives) == n_exec
    assert len(program.mentors) == n_ment
    assert program.warnings == ()


def test_ids_unique_and_well_formed(large: Program) -> None:
    exec_ids = [e.id for e in large.executives]
    ment_ids = [m.id for m in large.mentors]
    org_ids = [o.id for o in large.org]
    assert exec_ids == [f"e-{i:04d}" for i in range(1, 301)]
    assert ment_ids == [f"m-{i:04d}" for i in range(1, 1501)]
    assert all(re.fullmatch(r"x-\d{4}", i) for i in org_ids)
    everyone = exec_ids + ment_ids + org_ids
    assert len(set(everyone)) == len(everyone)


def test_ids_widen_when_needed() -> None:
    program = make_program(2, 10_000, seed=0)
    assert program.mentors[0].id == "m-00001"
    assert program.mentors[-1].id == "m-10000"
    assert program.executives[-1].id == "e-0002"


def test_program_info(default: Program) -> None:
    assert default.name == "Synthetic program"
    assert default.start == PROGRAM_START == date(2027, 1, 11)
    assert default.start.weekday() == 0
    assert default.end == date(2027, 7, 9)
    assert default.topics == DEFAULT_TOPICS
    assert default.program.timezone == "Europe/Berlin"


@pytest.mark.parametrize(("weeks", "end"), [(1, date(2027, 1, 15)), (52, date(2028, 1, 7))])
def test_weeks_set_the_end(weeks: int, end: date) -> None:
    program = make_program(2, 2, weeks=weeks, name="RM 2027")
    assert program.end == end
    assert program.end.weekday() == 4
    assert program.name == "RM 2027"


# --- org chart -------------------------------------------------------------------


def test_reporting_chains_reach_executives_through_org_entries(default: Program) -> None:
    up = managers(default)
    org_ids = {o.id for o in default.org}
    exec_ids = {e.id for e in default.executives}
    through_org = 0
    for mentor in default.mentors:
        above = list(chain_above(mentor.id, up, strict=True))
        assert above[-1] == "x-0001"  # everyone ends at the chief executive
        first_exec = next((i for i, boss in enumerate(above) if boss in exec_ids), None)
        if first_exec is not None and first_exec > 0:
            assert set(above[:first_exec]) <= org_ids
            through_org += 1
    assert through_org > 0


def test_reporting_chain_share_is_a_noticeable_minority(large: Program) -> None:
    up = managers(large)
    exec_ids = {e.id for e in large.executives}
    in_chain = Counter(
        boss
        for m in large.mentors
        for boss in chain_above(m.id, up, strict=True)
        if boss in exec_ids
    )
    share = sum(in_chain.values()) / (len(large.executives) * len(large.mentors))
    assert 0.002 < share < 0.2
    # Division heads have many mentors below them, most executives a few.
    assert max(in_chain.values()) >= 12
    assert median(in_chain.get(e, 0) for e in exec_ids) >= 1


def test_executives_head_divisions(large: Program) -> None:
    by_id = {e.id: e for e in large.executives}
    for executive in large.executives:
        boss = executive.manager_id
        assert boss is not None
        if boss == "x-0001":
            assert executive.grade == 10
        else:
            assert by_id[boss].department == executive.department
            assert by_id[boss].grade >= executive.grade  # type: ignore[operator]
    heads = {e.department for e in large.executives if e.manager_id == "x-0001"}
    assert len(heads) == len({e.department for e in large.executives})


def test_mentors_sit_below_their_own_division(large: Program) -> None:
    up = managers(large)
    by_id = {e.id: e for e in large.executives}
    for mentor in large.mentors:
        depth = list(chain_above(mentor.id, up, strict=True))
        assert len(depth) >= 2
        leaders = [by_id[b] for b in depth if b in by_id]
        assert all(e.department == mentor.department for e in leaders)


def test_org_entries_are_people_outside_the_program(default: Program) -> None:
    people = {p.id for p in default.people()}
    assert not {o.id for o in default.org} & people
    assert [o.id for o in default.org if o.manager_id is None] == ["x-0001"]


def test_division_without_executives_reports_through_a_director() -> None:
    program = make_program(0, 30, seed=2)
    up = managers(program)
    for mentor in program.mentors:
        above = list(chain_above(mentor.id, up, strict=True))
        assert above[-1] == "x-0001"
        assert len(above) >= 2


# --- people ----------------------------------------------------------------------


def test_time_zone_mix(large: Program) -> None:
    zones = Counter(p.timezone for p in large.people())
    total = sum(zones.values())
    assert 0.6 < zones["Europe/Berlin"] / total < 0.8
    assert len(zones) >= 5
    assert {"Europe/London", "America/New_York", "Asia/Kolkata"} <= set(zones)


def test_languages_and_cities_follow_the_zone(large: Program) -> None:
    cities = {
        "Europe/Berlin": {"Munich", "Berlin", "Frankfurt", "Hamburg"},
        "Europe/London": {"London", "Manchester"},
        "America/New_York": {"New York", "Boston"},
    }
    for person in large.people():
        assert person.languages
        if person.timezone in cities:
            assert person.location in cities[person.timezone]
        if person.timezone == "Europe/Berlin":
            assert {"de", "en"} & set(person.languages)
        if person.timezone in ("Europe/London", "America/New_York"):
            assert person.languages[0] == "en"
    german_only = [e for e in large.executives if e.languages == ("de",)]
    english_only = [m for m in large.mentors if m.languages == ("en",)]
    assert german_only
    assert english_only


def test_custom_zones() -> None:
    program = make_program(40, 60, zones=["Asia/Tokyo", "UTC"], seed=1)
    zones = Counter(p.timezone for p in program.people())
    assert set(zones) == {"Asia/Tokyo", "UTC"}
    assert zones["Asia/Tokyo"] > zones["UTC"]
    assert program.program.timezone == "Asia/Tokyo"
    assert {p.location for p in program.people()} == {"Tokyo", "UTC"}
    single = make_program(3, 3, zones=("America/Chicago",))
    assert {p.timezone for p in single.people()} == {"America/Chicago"}


def test_grades_modes_and_names(large: Program) -> None:
    assert {e.grade for e in large.executives} == {8, 9, 10}
    assert {m.grade for m in large.mentors} == {2, 3, 4, 5}
    modes = Counter(p.mode for p in large.people())
    assert set(modes) == {"hybrid", "onsite", "remote"}
    assert modes["hybrid"] > sum(modes.values()) / 2
    for person in large.people():
        assert person.name
        assert person.name.strip() == person.name
        assert person.email is not None
        assert re.fullmatch(r"[a-z.]+\d*@example\.com", person.email)
        assert person.department
    emails = [p.email for p in large.people()]
    assert len(set(emails)) == len(emails)


def test_blocked_and_preferred_name_the_other_side(large: Program) -> None:
    exec_ids = {e.id for e in large.executives}
    ment_ids = {m.id for m in large.mentors}
    for e in large.executives:
        assert set(e.blocked) | set(e.preferred) <= ment_ids
    for m in large.mentors:
        assert set(m.blocked) | set(m.preferred) <= exec_ids
    assert any(e.blocked for e in large.executives)
    assert any(e.preferred for e in large.executives)
    assert sum(bool(p.blocked or p.preferred) for p in large.people()) < 0.15 * 1800


# --- topics ----------------------------------------------------------------------


def test_topics_within_vocabulary(large: Program) -> None:
    topics = set(large.topics)
    for mentor in large.mentors:
        assert set(mentor.expertise) <= topics
        assert all(1 <= v <= 5 for v in mentor.expertise.values())
    for executive in large.executives:
        assert set(executive.interests) <= topics
        assert 1 <= len(executive.interests) <= 4
        assert all(1 <= v <= 5 for v in executive.interests.values())
        assert max(executive.interests.values()) >= 4
    wishes = Counter(len(e.interests) for e in large.executives)
    assert wishes[2] + wishes[3] > 0.6 * len(large.executives)


def test_expertise_follows_the_department() -> None:
    program = make_program(0, 3000, seed=5)

    def level(dept: str, topic: str) -> float:
        return mean(m.expertise.get(topic, 0) for m in program.mentors if m.department == dept)

    assert level("IT", "digital") > level("Finance", "digital") + 1
    assert level("Marketing", "social_media") > level("Legal", "social_media") + 1
    assert level("HR", "diversity") > level("IT", "diversity") + 1


def test_more_topics_than_the_defaults() -> None:
    program = make_program(60, 200, seed=4, n_topics=10)
    assert program.topics == (*DEFAULT_TOPICS, *(f"topic_{i:02d}" for i in range(6, 11)))
    used = {t for m in program.mentors for t in m.expertise}
    used |= {t for e in program.executives for t in e.interests}
    assert {"topic_06", "topic_10"} <= used


def test_fewer_topics_than_the_defaults() -> None:
    program = make_program(10, 10, seed=4, n_topics=2)
    assert program.topics == DEFAULT_TOPICS[:2]
    assert all(set(e.interests) <= set(DEFAULT_TOPICS[:2]) for e in program.executives)


# --- availability and capacity ---------------------------------------------------


def test_availability_patterns(large: Program) -> None:
    slots = [s for p in large.people() for s in p.availability]
    assert all(s.day < 5 and 7 * 60 <= s.start < s.end <= 19 * 60 + 30 for s in slots)
    assert any(s.start == 12 * 60 and s.end == 14 * 60 for s in slots)  # long lunch
    assert any(s.start == 7 * 60 + 30 and s.end == 9 * 60 for s in slots)  # early
    assert any(s.start == 17 * 60 and s.end == 18 * 60 + 30 for s in slots)  # late
    fortnightly = sum(s.every == 2 for s in slots)
    assert 0 < fortnightly < 0.2 * len(slots)
    for person in large.people():
        assert person.availability
        assert list(person.availability) == sorted(
            person.availability, key=lambda s: (s.day, s.start, s.end, s.every)
        )
    exec_slots = mean(len(e.availability) for e in large.executives)
    ment_slots = mean(len(m.availability) for m in large.mentors)
    assert exec_slots < ment_slots


@pytest.mark.parametrize(
    ("capacity", "expected"), [(1, {1}), (2, {2}), (0, {0}), ((1, 3), {1, 2, 3}), ([2, 2], {2})]
)
def test_capacity(capacity: Any, expected: set[int]) -> None:
    program = make_program(5, 200, seed=0, capacity=capacity)
    assert {m.capacity for m in program.mentors} == expected


# --- argument checks ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"n_executives": -1}, "n_executives"),
        ({"n_executives": 2.0}, "n_executives"),
        ({"n_executives": True}, "n_executives"),
        ({"n_mentors": "60"}, "n_mentors"),
        ({"seed": -3}, "seed"),
        ({"seed": 1.5}, "seed"),
        ({"n_topics": 0}, "n_topics"),
        ({"n_topics": "ten"}, "n_topics"),
        ({"weeks": 0}, "weeks"),
        ({"weeks": 521}, "weeks"),
        ({"capacity": -1}, "capacity"),
        ({"capacity": (3, 1)}, "capacity"),
        ({"capacity": (1, 2, 3)}, "capacity"),
        ({"capacity": (1, -2)}, "capacity"),
        ({"capacity": 1.5}, "capacity"),
        ({"zones": "Europe/Berlin"}, "zones"),
        ({"zones": []}, "zones"),
        ({"zones": ["Mars/Olympus_Mons"]}, "zones[0]"),
        ({"zones": ["UTC", 3]}, "zones[1]"),
        ({"zones": ["UTC", "UTC"]}, "zones"),
        ({"name": None}, "name"),
    ],
)
def test_argument_errors(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInputError, match=re.escape(f"field '{field}'")) as info:
        make_program(**{"n_executives": 3, "n_mentors": 4, **kwargs})
    assert isinstance(info.value, ValueError)
    assert info.value.problems[0].field == field
    assert info.value.problems[0].expected


def test_error_text() -> None:
    with pytest.raises(InvalidInputError, match=r"The 'n_mentors' is out of range\. Got -2\."):
        make_program(3, -2)
    with pytest.raises(InvalidInputError, match=r"unknown time zone 'Nowhere/City'"):
        make_program(3, 2, zones=["Nowhere/City"])


@pytest.mark.parametrize("enabled", [True, False])
def test_garbage_collector_state_is_restored(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        make_program(3, 4)
        assert gc.isenabled() is enabled
        with pytest.raises(InvalidInputError):
            make_program(-1, 4)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


# --- properties ----------------------------------------------------------------------


@given(
    n_exec=st.integers(0, 25),
    n_ment=st.integers(0, 40),
    seed=st.integers(0, 2**32),
    n_topics=st.none() | st.integers(1, 12),
)
def test_any_size_gives_a_consistent_program(
    n_exec: int, n_ment: int, seed: int, n_topics: int | None
) -> None:
    program = make_program(n_exec, n_ment, seed, n_topics=n_topics)
    assert (len(program.executives), len(program.mentors)) == (n_exec, n_ment)
    assert program.warnings == ()
    up = managers(program)
    for person in program.people():
        assert list(chain_above(person.id, up, strict=True))[-1] == "x-0001"
    topics = set(program.topics)
    assert all(set(m.expertise) <= topics for m in program.mentors)
    assert all(e.interests and set(e.interests) <= topics for e in program.executives)


# --- matching behaviour --------------------------------------------------------------


def test_default_program_is_mostly_matchable_and_shows_every_reason() -> None:
    # Scored with the default MatchConfig: most executives have many feasible
    # mentors, and each main reason rules out some pairs.
    for seed in range(3):
        scores = rm.score(make_program(40, 60, seed=seed))
        feasible = np.asarray(scores.feasible)
        matched = maximum_bipartite_matching(csr_matrix(feasible.astype(np.int8)))
        assert np.count_nonzero(matched >= 0) >= 36
        assert np.median(feasible.sum(axis=1)) >= 8
        shares = {
            name: np.count_nonzero(scores.reasons & bit) / feasible.size
            for name, bit in REASON_BITS.items()
        }
        assert 0.01 < shares["reporting_chain"] < 0.15
        assert 0.01 < shares["language"] < 0.3
        assert 0.2 < shares["min_overlap"] < 0.8
        assert 0.15 < feasible.mean() < 0.6


def test_docstring_examples() -> None:
    failed, attempted = doctest.testmod(datasets, optionflags=doctest.ELLIPSIS)[:2]
    assert attempted > 0
    assert failed == 0
