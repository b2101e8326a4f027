"""Matrix organisations: dotted-line managers, the reporting chain along every line, skip level.

Every statement is checked against :mod:`tests.strategies.matrix`, whose
oracles walk the drawn lines in plain Python: the reason bits of every pair,
the pairs of a match, the line an explanation names (each step a real line
of the drawn chart, of the kind it says), and the chains of every cut.
"""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import revmatch as rm
from revmatch._pipeline.rules import REASON_BITS
from tests.strategies.matrix import WIDE, Matrix, matrix_programs

CHAIN = REASON_BITS["reporting_chain"]
SKIP = REASON_BITS["skip_level"]
RULES = set(rm.models.REASONS)
STEP = re.compile(r"'([^']+)'( \(dotted\))?")


def assert_lines_kept(scores: rm.ScoreMatrix, drawn: Matrix, *, skip: bool) -> None:
    """Chain and skip-level bits of every pair agree with the oracle on the whole chart."""
    for i, executive in enumerate(scores.executive_ids):
        for j, mentor in enumerate(scores.mentor_ids):
            mask = int(scores.reasons[i, j])
            assert bool(mask & CHAIN) == drawn.chain(executive, mentor), (executive, mentor)
            expected = skip and drawn.skip_level(executive, mentor)
            assert bool(mask & SKIP) == expected, (executive, mentor)


def assert_named_line(text: str, drawn: Matrix, executive: str, mentor: str) -> None:
    """The why-not text names a real line from the mentor up to the executive."""
    line = text.split("reporting_chain: ", 1)[1].split(";", 1)[0]
    steps = STEP.findall(line)
    assert steps[0] == (mentor, ""), text
    assert steps[-1][0] == executive, text
    for (below, _), (above, dotted) in itertools.pairwise(steps):
        assert drawn.is_line(below, above, bool(dotted)), (text, below, above)


# --------------------------------------------------------------------------- properties


@settings(max_examples=60)
@given(matrix_programs(), st.booleans())
def test_reason_bits_follow_every_line(drawn: Matrix, skip: bool) -> None:
    scores = rm.score(drawn.program, rm.MatchConfig(exclude_skip_level=skip))
    assert_lines_kept(scores, drawn, skip=skip)


@settings(max_examples=30)
@given(matrix_programs(), st.booleans())
def test_no_pair_of_a_match_is_forbidden_by_a_line(drawn: Matrix, skip: bool) -> None:
    result = rm.match(drawn.program, rm.MatchConfig(exclude_skip_level=skip))
    for pair in result.pairs:
        assert not drawn.chain(pair.executive_id, pair.mentor_id), pair
        assert not (skip and drawn.skip_level(pair.executive_id, pair.mentor_id)), pair


@settings(max_examples=20)
@given(matrix_programs())
def test_candidate_mode_forbids_the_same_pairs(drawn: Matrix) -> None:
    config = rm.MatchConfig(exclude_skip_level=True)
    dense = rm.match(drawn.program, config)
    sparse = rm.match(drawn.program, config.replace(candidates=1))
    for pair in sparse.pairs:
        assert not drawn.chain(pair.executive_id, pair.mentor_id), pair
        assert not drawn.skip_level(pair.executive_id, pair.mentor_id), pair

    def rules(result: rm.MatchResult) -> dict[str, dict[str, int]]:
        return {u.id: {k: v for k, v in u.reasons.items() if k in RULES} for u in result.unmatched}

    assert len(sparse.pairs) == len(dense.pairs)
    # Ties may be broken otherwise; whoever is unmatched in both has the same rule counts.
    left, right = rules(sparse), rules(dense)
    assert {k: left[k] for k in left.keys() & right.keys()} == {
        k: right[k] for k in left.keys() & right.keys()
    }


@settings(max_examples=30)
@given(matrix_programs())
def test_explanations_name_a_real_line(drawn: Matrix) -> None:
    result = rm.match(drawn.program, rm.MatchConfig(exclude_skip_level=True))
    n_mentors = len(drawn.program.mentors)
    for executive in drawn.program.executives:
        for alt in result.explain(executive.id, top_n=n_mentors).alternatives:
            mentor = alt.id
            assert ("reporting_chain" in alt.why_not) == drawn.chain(executive.id, mentor)
            if drawn.chain(executive.id, mentor):
                assert_named_line(alt.why_not, drawn, executive.id, mentor)
            if drawn.skip_level(executive.id, mentor):
                peer, shared = re.search(
                    r"reports to '([^']+)'(?: \(dotted\))?, a peer of '[^']+' under '([^']+)'",
                    alt.why_not,
                ).groups()  # type: ignore[union-attr]
                assert peer in drawn.direct(mentor)
                assert peer != executive.id
                assert shared in drawn.direct(peer) & drawn.direct(executive.id)


@settings(max_examples=30)
@given(matrix_programs(), st.data())
def test_cuts_keep_dotted_chains(drawn: Matrix, data: st.DataObject) -> None:
    ids = [p.id for p in drawn.program.people()]
    gone = data.draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
    config = rm.MatchConfig(exclude_skip_level=True)
    smaller = rm.remove_people(drawn.program, gone)
    assert_lines_kept(rm.score(smaller, config), drawn, skip=True)
    for cohort in rm.split_by(drawn.program, "department").values():
        assert_lines_kept(rm.score(cohort, config), drawn, skip=True)
    pruned = rm.models.cut_program(drawn.program, set(ids) - set(gone), prune_org=True)
    assert_lines_kept(rm.score(pruned, config), drawn, skip=True)


@settings(max_examples=15)
@given(matrix_programs())
def test_next_round_keeps_dotted_chains(drawn: Matrix) -> None:
    later = rm.next_round(rm.match(drawn.program), drawn.program)
    assert_lines_kept(rm.score(later), drawn, skip=False)


# --------------------------------------------------------------------------- examples


def _program(**org: object) -> rm.Program:
    """e-boss manages e-peer and lead; m-dot has lead as its dotted-line manager."""
    return rm.Program(
        program={"timezone": "UTC"},
        executives=[
            {"id": "e-boss", "availability": WIDE},
            {"id": "e-peer", "manager_id": "g", "availability": WIDE},
        ],
        mentors=[
            {"id": "m-dot", "secondary_manager_ids": ["lead"], "availability": WIDE},
            {"id": "m-free", "availability": WIDE},
        ],
        org=[
            {"id": "lead", "manager_id": "e-boss"},
            {"id": "p", "manager_id": "g"},
            {"id": "g"},
        ],
        **org,
    )


def test_a_dotted_line_forbids_the_pair_and_the_explanation_names_it() -> None:
    result = rm.match(_program())
    assert result.partner_map()["e-boss"] == "m-free"
    (alt,) = [a for a in result.explain("e-boss").alternatives if a.id == "m-dot"]
    assert alt.why_not == "breaks reporting_chain: 'm-dot' -> 'lead' (dotted) -> 'e-boss'"


def test_skip_level_counts_in_the_reasons_and_its_fix() -> None:
    p = rm.Program(
        program={"timezone": "UTC"},
        executives=[{"id": "e1", "manager_id": "g", "availability": WIDE}],
        mentors=[{"id": "m1", "secondary_manager_ids": ["p"], "availability": WIDE}],
        org=[{"id": "p", "manager_id": "g"}, {"id": "g"}],
    )
    assert rm.match(p).partner_map() == {"e1": "m1"}  # off by default
    result = rm.match(p, rm.MatchConfig(exclude_skip_level=True))
    assert result.partner_map() == {}
    (e1,) = [u for u in result.unmatched if u.id == "e1"]
    assert e1.reasons == {"skip_level": 1}
    assert e1.fix is not None
    assert "exclude_skip_level off" in e1.fix.changes
    config = rm.MatchConfig(exclude_skip_level=True)
    (warning,) = [w for w in rm.data_quality(p, config, result) if w.field == "skip_level"]
    assert "set exclude_skip_level to false" in warning.message
    (alt,) = result.explain("e1").alternatives
    assert alt.why_not == (
        "breaks skip_level: 'm1' reports to 'p' (dotted), a peer of 'e1' under 'g'"
    )


def test_skip_level_means_directly_below_the_peer() -> None:
    # m-deep reports to m-mid, who reports to the peer p: two levels below, not caught.
    p = rm.Program(
        program={"timezone": "UTC"},
        executives=[{"id": "e1", "manager_id": "g", "availability": WIDE}],
        mentors=[
            {"id": "m-deep", "manager_id": "mid", "availability": WIDE},
            {"id": "m-near", "manager_id": "p", "availability": WIDE},
        ],
        org=[{"id": "mid", "manager_id": "p"}, {"id": "p", "manager_id": "g"}, {"id": "g"}],
    )
    scores = rm.score(p, rm.MatchConfig(exclude_skip_level=True))
    assert scores.reasons.tolist() == [[0, SKIP]]


def test_a_loop_of_dotted_lines_is_a_warning_and_forbids_both_ways() -> None:
    p = rm.Program(
        program={"timezone": "UTC"},
        executives=[{"id": "e1", "secondary_manager_ids": ["m1"], "availability": WIDE}],
        mentors=[{"id": "m1", "manager_id": "e1", "availability": WIDE}],
    )
    (warning,) = [w for w in p.warnings if "loop" in w.message]
    assert warning.field == "secondary_manager_ids"
    assert "'e1', 'm1'" in warning.message
    assert int(rm.score(p).reasons[0, 0]) & CHAIN


def test_to_dict_leaves_out_empty_dotted_lines() -> None:
    plain = rm.Program(
        program={"timezone": "UTC"},
        executives=[{"id": "e1", "availability": WIDE}],
        mentors=[{"id": "m1", "availability": WIDE}],
        org=[{"id": "x"}],
    )
    data = plain.to_dict()
    assert all("secondary_manager_ids" not in r for r in (*data["mentors"], *data["org"]))
    dotted = _program()
    assert rm.Program.model_validate(dotted.to_dict()) == dotted


@pytest.mark.parametrize(
    ("record", "fragment", "label"),
    [
        ({"secondary_manager_ids": ["nobody"]}, "'nobody' is not in the program", "mentor 'm1'"),
        ({"secondary_manager_ids": ["m1"]}, "'m1' lists itself", "mentor 'm1'"),
        ({"secondary_manager_ids": ["e1", "e1"]}, "'e1' is listed twice", "mentor 'm1'"),
        ({"secondary_manager_ids": "e1"}, "a list of ids, not a single string", "mentor 'm1'"),
        ({"secondary_manager_ids": [1.5]}, "an id must be a string", "mentor 'm1'"),
    ],
)
def test_bad_dotted_lines_are_located_errors(
    record: dict[str, object], fragment: str, label: str
) -> None:
    with pytest.raises(rm.InvalidInputError) as caught:
        rm.Program(
            program={"timezone": "UTC"},
            executives=[{"id": "e1", "availability": WIDE}],
            mentors=[{"id": "m1", "availability": WIDE, **record}],
        )
    (problem,) = caught.value.problems
    assert fragment in problem.message
    assert problem.record == label
    assert problem.field is not None
    assert problem.field.startswith("secondary_manager_ids")


def test_an_org_row_naming_an_unknown_dotted_manager_is_located() -> None:
    with pytest.raises(rm.InvalidInputError) as caught:
        _program().replace(org=[{"id": "lead", "secondary_manager_ids": ["ghost"]}])
    messages = [(p.record, p.field, p.message) for p in caught.value.problems]
    assert (
        "org[0] ('lead')",
        "secondary_manager_ids",
        "dotted-line manager 'ghost' is not in the program or the org chart",
    ) in messages


def test_a_solid_line_is_named_solid_beside_a_dotted_one() -> None:
    # m3's dotted-line manager m0 comes first in id order; the solid line to e0 stays solid.
    p = rm.Program(
        program={"timezone": "UTC"},
        executives=[{"id": "e0", "availability": WIDE}],
        mentors=[
            {"id": "m0", "availability": WIDE},
            {"id": "m3", "manager_id": "e0", "secondary_manager_ids": ["m0"], "availability": WIDE},
        ],
    )
    result = rm.match(p, rm.MatchConfig(exclude_skip_level=True))
    (alt,) = [a for a in result.explain("e0").alternatives if a.id == "m3"]
    assert alt.why_not == "breaks reporting_chain: 'm3' -> 'e0'"
