"""Every cut of a program keeps every reporting chain of the whole program.

A cut is a smaller program made from a bigger one: the cohorts of
``split_by`` (and ``match_many`` over them), ``remove_people`` and
``next_round``. The property tests draw programs whose managers come from the
people's own ``manager_id``, from ``org`` rows of the people themselves (a
full HR export) and from ``org`` rows of outsiders, with chains of depth up
to four. The oracle is the drawn tree itself, walked in plain Python; it
never asks revmatch who manages whom.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import revmatch as rm
from revmatch._pipeline.rules import REASON_BITS
from tests.strategies.programs import Drawn, charted_programs

CHAIN = REASON_BITS["reporting_chain"]
SLOT = ["Mon 12:00-13:00"]
FIELDS = ("department", "location", "timezone", "region")


# --------------------------------------------------------------------------- regressions


def test_split_by_keeps_a_manager_given_by_an_org_row_of_the_mentor() -> None:
    p = rm.Program(
        program={"timezone": "UTC"},
        executives=[
            {"id": "boss", "department": "Fin", "availability": SLOT},
            {"id": "e-other", "department": "Fin", "availability": SLOT},
        ],
        mentors=[{"id": "m1", "department": "Fin", "availability": SLOT}],
        org=[{"id": "m1", "manager_id": "lead"}, {"id": "lead", "manager_id": "boss"}],
    )
    cohort = rm.split_by(p, "department")["Fin"]
    (result,) = rm.match_many([cohort])
    assert isinstance(result, rm.MatchResult)
    assert result.partner_map() == {"e-other": "m1"}
    assert rm.match(p).partner_map() == {"e-other": "m1"}


def test_split_by_keeps_chains_through_people_of_other_cohorts() -> None:
    p = rm.Program(
        program={"timezone": "UTC"},
        executives=[
            {"id": "boss", "department": "Fin", "availability": SLOT},
            {"id": "e-other", "department": "Fin", "availability": SLOT},
        ],
        mentors=[
            {"id": "m1", "department": "Fin", "availability": SLOT},
            {"id": "m-it", "department": "IT", "availability": SLOT},
        ],
        org=[{"id": "m1", "manager_id": "m-it"}, {"id": "m-it", "manager_id": "boss"}],
    )
    cohort = rm.split_by(p, "department")["Fin"]
    assert rm.OrgEntry(id="m-it", manager_id="boss") in cohort.org
    assert rm.match(cohort).partner_map() == {"e-other": "m1"}


def test_remove_people_keeps_a_leaver_whose_manager_came_from_org() -> None:
    # The second org row of "lead" names no manager; the first one counts.
    p = rm.Program(
        program={"timezone": "UTC"},
        executives=[
            {"id": "boss", "availability": SLOT},
            {"id": "e-other", "availability": SLOT},
        ],
        mentors=[
            {"id": "m1", "manager_id": "lead", "availability": SLOT},
            {"id": "lead", "availability": SLOT},
        ],
        org=[
            {"id": "lead", "manager_id": "x"},
            {"id": "x", "manager_id": "boss"},
            {"id": "lead", "manager_id": None},
        ],
    )
    assert "boss" not in rm.match(p).partner_map()
    smaller = rm.remove_people(p, ["lead"])
    assert rm.match(smaller).partner_map() == {"e-other": "m1"}


# --------------------------------------------------------------------------- oracle


def assert_chains_kept(cut: rm.Program | rm.ScoreMatrix, drawn: Drawn) -> None:
    """Each pair of the cut is chain-forbidden there exactly when it is in the whole program."""
    scores = rm.score(cut) if isinstance(cut, rm.Program) else cut
    for i, executive in enumerate(scores.executive_ids):
        for j, mentor in enumerate(scores.mentor_ids):
            flagged = bool(int(scores.reasons[i, j]) & CHAIN)
            assert flagged == drawn.forbidden(executive, mentor), (executive, mentor)
            if flagged:
                assert not scores.feasible[i, j]


def assert_no_forbidden_pair(result: rm.MatchResult | rm.CohortFailure, drawn: Drawn) -> None:
    """No pair of the result is forbidden in the whole program."""
    assert isinstance(result, rm.MatchResult), result
    for pair in result.pairs:
        assert not drawn.forbidden(pair.executive_id, pair.mentor_id), pair


# --------------------------------------------------------------------------- properties


@settings(max_examples=40)
@given(charted_programs())
def test_the_whole_program_agrees_with_the_oracle(drawn: Drawn) -> None:
    assert_chains_kept(drawn.program, drawn)


@pytest.mark.parametrize("field", FIELDS)
@settings(max_examples=30)
@given(drawn=charted_programs())
def test_split_by_keeps_every_chain(drawn: Drawn, field: str) -> None:
    cohorts = rm.split_by(drawn.program, field)
    assert sum(len(c.mentors) + len(c.executives) for c in cohorts.values()) == len(
        drawn.program.mentors
    ) + len(drawn.program.executives)
    for cohort in cohorts.values():
        assert_chains_kept(cohort, drawn)


@settings(max_examples=25)
@given(charted_programs(), st.sampled_from(FIELDS))
def test_match_many_over_cohorts_never_pairs_inside_a_chain(drawn: Drawn, field: str) -> None:
    cohorts = list(rm.split_by(drawn.program, field).values())
    for result in rm.match_many(cohorts, scores=True):
        assert_no_forbidden_pair(result, drawn)
        assert isinstance(result, rm.MatchResult)
        assert result.scores is not None
        assert_chains_kept(result.scores, drawn)


@settings(max_examples=40)
@given(charted_programs(), st.data())
def test_remove_people_keeps_every_chain(drawn: Drawn, data: st.DataObject) -> None:
    ids = [p.id for p in drawn.program.people()]
    gone = data.draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
    smaller = rm.remove_people(drawn.program, gone)
    assert_chains_kept(smaller, drawn)
    assert_no_forbidden_pair(rm.match(smaller), drawn)


@settings(max_examples=25)
@given(charted_programs())
def test_next_round_keeps_every_chain(drawn: Drawn) -> None:
    later = rm.next_round(rm.match(drawn.program), drawn.program)
    assert_chains_kept(later, drawn)
    assert_no_forbidden_pair(rm.match(later), drawn)
