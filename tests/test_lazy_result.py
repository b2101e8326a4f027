"""A result computes pair details, meetings and fixes on first use, and that changes nothing.

``match`` leaves the explanations of a result (score parts, shared minutes,
topics and names of each pair, its meeting, the fix of each unmatched
person) to be computed when first read. These tests force them in different
orders, from several threads, through pickles and copies, and check that
every result reads the same as one whose values were all computed at once;
and that each value is what computing it alone gives: a meeting by
:func:`revmatch.availability.propose_meeting` for that pair, the fixes by
:func:`revmatch.relax.smallest_relaxation` in the order of the people, sharing
one checking budget. The input digest is checked against its definition.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import pickle
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings

import revmatch as rm
from revmatch._pipeline.assign import solve_scores
from revmatch._pipeline.audit import input_digest
from revmatch.availability import propose_meeting
from revmatch.relax import Resolver, smallest_relaxation
from tests.strategies.programs import configs, file_programs, fix_cases, programs


def text(result: rm.MatchResult) -> str:
    """The result's JSON without the timings (the only part allowed to differ)."""
    data = json.loads(result.to_json())
    data["audit"].pop("timings")
    return json.dumps(data, sort_keys=True)


def force_backwards(result: rm.MatchResult) -> None:
    """Read every deferred value, last records first, fixes before meetings before details."""
    for u in reversed(result.unmatched):
        _ = u.fix
    for p in reversed(result.pairs):
        _ = p.meeting
    for p in reversed(result.pairs):
        _ = (p.missing, p.mentor_name, p.topics_uncovered, p.mean_overlap_minutes, p.components)


def eager_fixes(result: rm.MatchResult) -> list[rm.Relaxation | None]:
    """Every unmatched person's fix, computed in their order with one shared budget.

    An executive gets a fix when the program has mentors; a mentor when it has
    places, the program has executives and no executive is allowed with it.
    """
    scores = result.scores
    assert scores is not None
    arrays = scores.arrays
    rows = np.array([arrays.exec_index[p.executive_id] for p in result.pairs], dtype=np.intp)
    cols = np.array([arrays.mentor_index[p.mentor_id] for p in result.pairs], dtype=np.intp)
    used = np.bincount(cols, minlength=arrays.shape[1])
    resolver = Resolver(scores, solve_scores)
    n_exec, n_mentor = arrays.shape
    fixes: list[rm.Relaxation | None] = []
    for u in result.unmatched:
        if u.role == "executive":
            index = arrays.exec_index[u.id]
            sought, held = n_mentor > 0, None
        else:
            index = arrays.mentor_index[u.id]
            sought = bool(
                n_exec and arrays.capacities[index] and not (scores.reasons[:, index] == 0).any()
            )
            held = (rows, cols)
        fixes.append(
            smallest_relaxation(scores, index, u.role, used, pairs=held, resolver=resolver)
            if sought
            else None
        )
    return fixes


@settings(max_examples=20, deadline=None)
@given(fix_cases())
def test_fixes_read_in_any_order_are_those_computed_in_order(
    case: tuple[rm.Program, rm.MatchConfig],
) -> None:
    program, config = case
    backwards, at_once = rm.match(program, config), rm.match(program, config)
    force_backwards(backwards)
    assert [u.fix for u in backwards.unmatched] == eager_fixes(at_once)
    assert text(backwards) == text(at_once)


@settings(max_examples=20, deadline=None)
@given(programs(), configs())
def test_forcing_order_pickles_and_copies_leave_the_result_unchanged(
    program: rm.Program, config: rm.MatchConfig
) -> None:
    reference = rm.match(program, config)
    expected = text(reference)
    backwards = rm.match(program, config)
    force_backwards(backwards)
    assert text(backwards) == expected
    assert (backwards.pairs, backwards.unmatched) == (reference.pairs, reference.unmatched)
    pickled = pickle.loads(pickle.dumps(rm.match(program, config)))
    assert text(pickled) == expected
    assert all("_deferred" not in vars(p) for p in pickled.pairs)
    assert text(copy.deepcopy(rm.match(program, config))) == expected
    fresh = rm.match(program, config)
    assert repr(fresh.pairs) == repr(reference.pairs)
    assert repr(fresh.unmatched) == repr(reference.unmatched)


@settings(max_examples=15, deadline=None)
@given(programs(max_executives=6, max_mentors=6))
def test_each_deferred_value_is_what_computing_it_alone_gives(program: rm.Program) -> None:
    result = rm.match(program)
    scores = result.scores
    assert scores is not None
    config, arrays = scores.config, scores.arrays
    executives = {p.id: p for p in program.executives}
    mentors = {p.id: p for p in program.mentors}
    for pair in result.pairs:
        e, m = executives[pair.executive_id], mentors[pair.mentor_id]
        alone = propose_meeting(
            (program.timezone_of(e), e.availability),
            (program.timezone_of(m), m.availability),
            start=program.start,
            end=program.end,
            session_minutes=config.session_minutes,
            preferred_window=config.preferred_window_minutes,
        )
        assert pair.meeting == (None if alone is None else alone.summary())
        r, c = arrays.exec_index[e.id], arrays.mentor_index[m.id]
        details = scores.details([r], [c])
        assert pair.min_overlap_minutes == float(details.min_minutes[0])
        assert pair.components == {
            n: round(float(v[0]), 6) for n, v in details.components.items()
        }
        assert (pair.executive_name, pair.mentor_name) == (e.name, m.name)


def test_threads_reading_one_result_get_what_one_reader_gets() -> None:
    program = rm.datasets.make_program(n_executives=40, n_mentors=30, seed=4)
    config = {"min_overlap_minutes": 90}
    expected = text(rm.match(program, config))
    result = rm.match(program, config)

    def read(k: int) -> list[Any]:
        people = result.unmatched[k % 3 :: 3] if k % 2 else result.unmatched[::-1]
        return [u.fix for u in people] + [p.meeting for p in result.pairs[k::4]]

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(read, range(16)))
    assert any(u.fix is not None for u in result.unmatched)
    assert text(result) == expected


def test_deferred_records_keep_the_dataclass_behaviour() -> None:
    result = rm.match(rm.datasets.make_program(n_executives=12, n_mentors=8, seed=2))
    pair, person = result.pairs[0], result.unmatched[0]
    twin = rm.Pair(**{f.name: getattr(pair, f.name) for f in dataclasses.fields(rm.Pair)})
    assert twin == pair
    assert repr(twin) == repr(pair)
    assert dataclasses.asdict(dataclasses.replace(pair, score=0.5))["score"] == 0.5
    assert dataclasses.replace(person, hint="x").fix == person.fix
    assert rm.Pair.meeting is None
    assert rm.Unmatched.fix is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        pair.meeting = None  # type: ignore[misc]


def reference_digest(program: rm.Program) -> str:
    """The digest by its definition: canonical JSON of the normalised ``to_dict``."""

    def canonical(value: Any) -> str:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    data = program.to_dict()
    for role in ("mentors", "executives"):
        for record in data[role]:
            for key in ("blocked", "preferred", "groups"):
                record[key] = sorted(record[key])
            record["availability"] = sorted(record["availability"], key=canonical)
        data[role] = sorted(data[role], key=lambda r: r["id"])
    data["org"] = sorted(data["org"], key=lambda r: r["id"])
    for key in ("history", "pinned"):
        data[key] = sorted(data[key], key=canonical)
    return hashlib.sha256(canonical(data).encode("utf-8")).hexdigest()


@settings(max_examples=60, deadline=None)
@given(file_programs())
def test_input_digest_is_the_hash_of_the_canonical_program(program: rm.Program) -> None:
    assert input_digest(program) == reference_digest(program)


def test_input_digest_of_unusual_text_and_fortnightly_slots() -> None:
    weird = 'Zoë "Q" \\ back\tslash\u2028 \x7f'
    program = rm.Program(
        program={"timezone": "UTC", "name": weird, "start": "2027-01-04"},
        mentors=[
            {
                "id": "m\u00e9",
                "name": weird,
                "availability": [{"day": "Tue", "start": "09:00", "end": "10:00", "every": 2}],
                "groups": ["z", "a"],
                "secondary_manager_ids": ["x2", "x1"],
            }
        ],
        executives=[
            {"id": "e1", "availability": ["Mon 12:00-14:00", "Fri 08:00-09:00"], "grade": 3},
            {"id": "e0", "blocked": ["m\u00e9"], "interests": {"digital": 2, "diversity": 5}},
        ],
        org=[{"id": "x1"}, {"id": "x2", "manager_id": "x1"}],
        priority=["e1"],
    )
    assert input_digest(program) == reference_digest(program)
