"""Pinned pairs keep the rule of one mentor per topic group.

With ``mentors_per_executive > 1`` an executive's mentors come from different
topic groups: a pair's group is the topic the mentor serves best for the
executive (interest x expertise, the first topic of the program's list on a
tie; no group when the mentor serves none of the executive's topics). A pin
takes its group like any other pair. The oracle below recomputes groups from
the records in plain Python.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import revmatch as rm

SLOT = ["Mon 12:00-13:00"]
TOPICS = ("digital", "diversity", "work_ethic")
PATHS = ("dense", "candidates", "rematch", "rematch_limited")


def run(program: rm.Program, config: rm.MatchConfig, path: str) -> rm.MatchResult:
    """Match on one of the paths that honour pins."""
    if path == "dense":
        return rm.match(program, config)
    if path == "candidates":
        return rm.match(program, config.model_copy(update={"candidates": 2}))
    previous = rm.match(program.replace(pinned=()), config)
    limit = len(previous.pairs) if path == "rematch_limited" else None
    return rm.rematch(previous, program, config, max_changes=limit)


def group(interests: Mapping[str, int], expertise: Mapping[str, int]) -> int | None:
    """The pair's topic group (index in the program's topics), None when it has none."""
    gains = [interests.get(t, 0) * expertise.get(t, 0) for t in rm.DEFAULT_TOPICS]
    best = max(gains)
    return None if best <= 0 else gains.index(best)


# --------------------------------------------------------------------------- regressions


def snippet(pinned: list[dict[str, str]]) -> rm.Program:
    return rm.Program(
        program={"timezone": "UTC"},
        mentors=[
            {"id": "m1", "expertise": {"digital": 5}, "availability": SLOT},
            {"id": "m2", "expertise": {"digital": 5}, "availability": SLOT},
            {"id": "m3", "expertise": {"diversity": 1}, "availability": SLOT},
        ],
        executives=[
            {"id": "e1", "interests": {"digital": 5, "diversity": 1}, "availability": SLOT}
        ],
        pinned=pinned,
    )


@pytest.mark.parametrize("path", PATHS)
def test_a_pin_takes_its_topic_group(path: str) -> None:
    config = rm.MatchConfig(mentors_per_executive=2)
    assert sorted(p.mentor_id for p in run(snippet([]), config, path).pairs) == ["m1", "m3"]
    pinned = run(snippet([{"executive_id": "e1", "mentor_id": "m1"}]), config, path)
    assert sorted((p.mentor_id, p.pinned) for p in pinned.pairs) == [("m1", True), ("m3", False)]


@pytest.mark.parametrize("path", PATHS)
def test_two_pins_in_one_topic_group_are_an_input_error(path: str) -> None:
    program = snippet(
        [{"executive_id": "e1", "mentor_id": "m1"}, {"executive_id": "e1", "mentor_id": "m2"}]
    )
    with pytest.raises(rm.InvalidInputError, match=r"one topic group \('digital'\)"):
        run(program, rm.MatchConfig(mentors_per_executive=2), path)


# --------------------------------------------------------------------------- property


@st.composite
def pinned_programs(draw: st.DrawFn) -> rm.Program:
    """Everyone free together, so only topics, capacities and pins shape the result."""
    levels = st.dictionaries(st.sampled_from(TOPICS), st.integers(0, 5), max_size=3)
    executives = [
        {"id": f"e{i}", "interests": draw(levels), "availability": SLOT}
        for i in range(draw(st.integers(1, 4)))
    ]
    mentors = [
        {
            "id": f"m{j}",
            "expertise": draw(levels),
            "capacity": draw(st.integers(1, 3)),
            "availability": SLOT,
        }
        for j in range(draw(st.integers(1, 6)))
    ]
    pairs = st.tuples(
        st.sampled_from([e["id"] for e in executives]),
        st.sampled_from([m["id"] for m in mentors]),
    )
    pins = draw(st.lists(pairs, unique=True, max_size=4))
    return rm.Program(
        program={"timezone": "UTC"},
        executives=executives,
        mentors=mentors,
        pinned=[{"executive_id": e, "mentor_id": m} for e, m in pins],
    )


@settings(max_examples=40)
@given(pinned_programs(), st.integers(2, 3), st.sampled_from(PATHS))
def test_no_executive_gets_two_mentors_of_one_topic_group(
    program: rm.Program, per_executive: int, path: str
) -> None:
    interests = {e.id: e.interests for e in program.executives}
    expertise = {m.id: m.expertise for m in program.mentors}
    capacity = {m.id: m.capacity for m in program.mentors}
    pins = [(p.executive_id, p.mentor_id) for p in program.pinned]
    pin_groups = Counter(
        (e, g) for e, m in pins if (g := group(interests[e], expertise[m])) is not None
    )
    over_capacity = any(n > capacity[m] for m, n in Counter(m for _, m in pins).items())
    config = rm.MatchConfig(mentors_per_executive=per_executive)
    if over_capacity or any(n > 1 for n in pin_groups.values()):
        with pytest.raises(rm.InvalidInputError):
            run(program, config, path)
        return
    result = run(program, config, path)
    chosen = [(p.executive_id, p.mentor_id) for p in result.pairs]
    assert set(pins) <= set(chosen)
    assert {(p.executive_id, p.mentor_id) for p in result.pairs if p.pinned} == set(pins)
    taken: dict[tuple[str, int], str] = {}
    for e, m in chosen:
        g = group(interests[e], expertise[m])
        if g is None:
            continue
        assert (e, g) not in taken, (e, taken[e, g], m, rm.DEFAULT_TOPICS[g])
        taken[e, g] = m
    pinned_of = Counter(e for e, _ in pins)
    for e, n in Counter(e for e, _ in chosen).items():
        assert n <= max(per_executive, pinned_of[e])
