"""Every "why not" of ``result.explain`` is true of the solved problem.

Regression tests pin reported false statements; the property test re-derives
each line from the result alone (pairs, capacities, scores, the program's
blocked lists and slots) with an oracle written independently of
:mod:`revmatch.explain`.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import revmatch as rm

MON, TUE = "Mon 12:00-13:00", "Tue 12:00-13:00"
ONLY_TOPIC = dict.fromkeys(rm.COMPONENTS, 0.0) | {"topic": 1.0}
HOLDER = re.compile(r"'([^']+)' \((-?\d+\.\d+)\)")


def program(
    mentors: list[tuple[str, dict[str, int], int]],
    executives: list[tuple[str, dict[str, int]]],
    **extra: Any,
) -> rm.Program:
    """Everybody in UTC on Monday lunch; expertise and interests set the scores.

    Nobody gives languages, a location or a department, so those components
    are left out (missing data is neutral): with the default weights a score
    is the mean over topic, availability, window and preferences, whose
    weights sum to 0.85.
    """
    return rm.Program(
        program={"timezone": "UTC"},
        mentors=[
            {"id": i, "expertise": ex, "capacity": cap, "availability": [MON]}
            for i, ex, cap in mentors
        ],
        executives=[{"id": i, "interests": it, "availability": [MON]} for i, it in executives],
        **extra,
    )


def why(result: rm.MatchResult, person: str) -> dict[str, str]:
    return {a.id: a.why_not for a in result.explain(person, top_n=50).alternatives}


# --------------------------------------------------------------------------- regressions


def test_capacity_zero_mentor_is_not_a_tie() -> None:
    result = rm.match(
        program([("m0", {"digital": 5}, 0), ("m1", {"digital": 1}, 1)], [("e1", {"digital": 5})])
    )
    [pair] = result.pairs
    assert (pair.mentor_id, pair.score) == ("m1", 0.364706)  # (0.55·0.2 + 0.2) / 0.85
    assert result.scores is not None
    assert result.scores.values[0, 0] == 0.882353  # (0.55 + 0.2) / 0.85
    assert why(result, "e1")["m0"] == "capacity 0: takes nobody"
    assert why(result, "m0")["e1"] == "this mentor has capacity 0"


def test_capacity_zero_mentor_is_neither_free_nor_counted() -> None:
    result = rm.match(
        program(
            [("m0", {"digital": 5}, 0), ("m1", {"digital": 1}, 1)],
            [
                ("e1", {"digital": 5}),
                ("e2", {"digital": 5}),
            ],
        )
    )
    lines = why(result, "e2")
    assert lines["m0"] == "capacity 0: takes nobody"
    assert lines["m1"].startswith("taken by 'e1'")
    e2 = next(u for u in result.unmatched if u.id == "e2")
    assert e2.reasons == {"no_capacity": 1, "capacity": 1}
    assert e2.hint.startswith("1 mentor(s) would fit")


def test_only_capacity_zero_mentors_allowed() -> None:
    result = rm.match(program([("m0", {"digital": 5}, 0)], [("e1", {"digital": 5})]))
    [e1] = [u for u in result.unmatched if u.id == "e1"]
    assert e1.reasons == {"no_capacity": 1}
    assert "would fit" not in e1.hint
    assert "capacity 0" in e1.hint


def test_spare_capacity_with_equal_score_is_a_tie_not_taken() -> None:
    result = rm.match(
        program(
            [("m1", {"digital": 4}, 1), ("m2", {"digital": 4}, 3)],
            [
                ("e1", {"digital": 5}),
                ("e2", {"digital": 5}),
            ],
        )
    )
    mentor_of = result.partner_map()
    assert sorted(mentor_of.values()) == ["m1", "m2"]
    at_m1 = next(e for e, m in mentor_of.items() if m == "m1")
    at_m2 = next(e for e, m in mentor_of.items() if m == "m2")
    # m2 has two free places: moving there changes nothing.
    assert (
        why(result, at_m1)["m2"]
        == "tie with 'm1' (0.753): taking its place leaves the total unchanged"
    )
    # m1's one place is held.
    assert why(result, at_m2)["m1"] == f"taken by {at_m1!r} (0.753)"


def test_lower_score_with_room_states_the_difference() -> None:
    result = rm.match(
        program([("m1", {"digital": 5}, 1), ("m2", {"digital": 1}, 2)], [("e1", {"digital": 5})])
    )
    assert (
        why(result, "e1")["m2"] == "scores 0.518 lower than 'm1' (0.882), whose place it would take"
    )


def test_mentor_side_full_mentor_compares_with_its_weakest_executive() -> None:
    result = rm.match(
        program(
            [("m1", {"digital": 5}, 1)],
            [
                ("e1", {"digital": 5}),
                ("e2", {"digital": 5, "social_media": 5}),
            ],
        )
    )
    assert (
        why(result, "m1")["e2"] == "scores 0.324 lower than 'e1' (0.882), whose place it would take"
    )


def test_repeat_bonus_counts_in_the_objective() -> None:
    p = program(
        [("m1", {"digital": 3}, 1), ("m2", {"digital": 4}, 1)],
        [("e1", {"digital": 5})],
        history=[{"executive_id": "e1", "mentor_id": "m1"}],
    )
    result = rm.match(p, rm.MatchConfig(allow_repeats=True, repeat_bonus=0.2))
    assert result.partner_map() == {"e1": "m1"}
    assert why(result, "e1")["m2"] == (
        "taking the place of 'm1' (0.624) would lower the solver's total "
        "(bonuses included) by 0.071"
    )


def test_pinned_partner_is_named() -> None:
    p = program(
        [("m1", {"digital": 1}, 1), ("m2", {"digital": 5}, 1)],
        [("e1", {"digital": 5})],
        pinned=[{"executive_id": "e1", "mentor_id": "m1"}],
    )
    assert why(rm.match(p), "e1")["m2"] == "the pair with 'm1' is pinned"


def test_max_score_pair_of_zero_adds_nothing() -> None:
    p = program([("m1", {"social_media": 5}, 1)], [("e1", {"digital": 5})])
    result = rm.match(p, rm.MatchConfig(weights=ONLY_TOPIC, objective="max_score"))
    assert not result.pairs
    assert (
        why(result, "e1")["m1"]
        == "objective weight 0.000 adds nothing (max_score takes pairs above 0)"
    )


def test_rule_is_named() -> None:
    p = rm.Program(
        program={"timezone": "UTC"},
        mentors=[{"id": "m1", "availability": [TUE], "blocked": ["e1"]}],
        executives=[{"id": "e1", "availability": [MON]}],
    )
    assert why(rm.match(p), "e1")["m1"] == "breaks blocked, min_overlap"


def test_one_mentor_per_topic_group() -> None:
    p = program(
        [("m1", {"digital": 5}, 1), ("m2", {"digital": 4}, 1)],
        [("e1", {"digital": 5, "social_media": 1})],
    )
    result = rm.match(p, rm.MatchConfig(mentors_per_executive=2))
    assert result.partner_map() == {"e1": "m1"}
    assert why(result, "m2")["e1"] == "already has 'm1' for this topic (one per topic)"
    assert why(result, "e1")["m2"] == (
        "scores 0.108 lower than 'm1' (0.775), whose place it would take"
    )


# --------------------------------------------------------------------------- the oracle


@st.composite
def small_programs(draw: st.DrawFn) -> tuple[rm.Program, rm.MatchConfig]:
    """Up to 4 x 4 people, capacities 0..3, ties, blocked pairs and missing overlap."""
    topics = ["digital", "social_media"]
    level = st.integers(0, 3)  # few levels: many equal scores
    n_mentor, n_exec = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    mids, eids = [f"m{k}" for k in range(n_mentor)], [f"e{k}" for k in range(n_exec)]
    blocked = draw(st.sets(st.tuples(st.sampled_from(eids), st.sampled_from(mids)), max_size=3))
    slot = st.sampled_from([MON, MON, MON, TUE])
    mentors = [
        {
            "id": m,
            "expertise": {t: draw(level) for t in topics},
            "capacity": draw(st.integers(0, 3)),
            "availability": [draw(slot)],
            "blocked": sorted(e for e, mm in blocked if mm == m),
        }
        for m in mids
    ]
    executives = [
        {"id": e, "interests": {t: draw(level) for t in topics}, "availability": [draw(slot)]}
        for e in eids
    ]
    priority = draw(st.lists(st.sampled_from(eids), max_size=2, unique=True))
    p = rm.Program(
        program={"timezone": "UTC"}, mentors=mentors, executives=executives, priority=priority
    )
    config = rm.MatchConfig(
        weights=ONLY_TOPIC,
        preferred_window=None,
        objective=draw(st.sampled_from(["coverage_then_score", "max_score", "maximin"])),
        mentors_per_executive=draw(st.sampled_from([1, 1, 2])),
        priority_bonus=draw(st.sampled_from([0.0, 0.1])),
        method=draw(st.sampled_from(["auto", "auto", "greedy"])),
    )
    return p, config


def _groups(p: rm.Program) -> dict[tuple[str, str], int]:
    """The topic group of each pair: the topic the mentor serves best (-1: none)."""
    topics = list(p.topics)
    out = {}
    for e in p.executives:
        for m in p.mentors:
            gain = [e.interests.get(t, 0) * m.expertise.get(t, 0) for t in topics]
            out[e.id, m.id] = int(np.argmax(gain)) if max(gain) > 0 else -1
    return out


def _close(stated: str, value: float) -> bool:
    return abs(float(stated) - value) <= 5e-4 + 1e-12 or float(stated) == float(f"{value:.2g}")


def check_line(
    result: rm.MatchResult,
    p: rm.Program,
    config: rm.MatchConfig,
    role: str,
    person: str,
    other: str,
    line: str,
) -> None:
    """Assert that ``line`` states the true reason why ``person`` is not with ``other``."""
    scores = result.scores
    assert scores is not None
    e, m = (person, other) if role == "executive" else (other, person)
    mentor = next(x for x in p.mentors if x.id == m)
    executive = next(x for x in p.executives if x.id == e)
    r, c = scores.arrays.exec_index[e], scores.arrays.mentor_index[m]
    score = float(scores.values[r, c])

    def weight(ex: str, me: str) -> float:
        s = scores.values[scores.arrays.exec_index[ex], scores.arrays.mentor_index[me]]
        return float(s) + (config.priority_bonus if ex in p.priority else 0.0)

    mentors_of = {x: sorted(q.mentor_id for q in result.pairs if q.executive_id == x) for x in [e]}
    execs_of_m = sorted(q.executive_id for q in result.pairs if q.mentor_id == m)
    rules = []
    if e in mentor.blocked or m in executive.blocked:
        rules.append("blocked")
    if mentor.availability != executive.availability:
        rules.append("min_overlap")
    assert line.startswith("breaks ") == bool(rules), line
    if rules:
        assert line == "breaks " + ", ".join(rules)
        return
    assert ("capacity 0" in line) == (mentor.capacity == 0), line
    if mentor.capacity == 0:
        return
    held = HOLDER.findall(line)
    if role == "executive":
        full = len(execs_of_m) >= mentor.capacity
        assert line.startswith("taken by ") == full, line
        if full:
            assert held == [
                (x, f"{float(scores.values[scores.arrays.exec_index[x], c]):.3f}")
                for x in execs_of_m
            ]
            return
    else:
        full = len(mentors_of[e]) >= config.mentors_per_executive
        assert line.startswith("paired with ") == full, line
        if full:
            assert held == [
                (x, f"{float(scores.values[r, scores.arrays.mentor_index[x]]):.3f}")
                for x in mentors_of[e]
            ]
            return
    w = weight(e, m)
    zero = config.objective == "max_score" and w <= 0
    assert ("adds nothing" in line) == zero, line
    if zero:
        return
    groups = _groups(p)
    same = [
        x
        for x in mentors_of[e]
        if config.mentors_per_executive > 1 and groups[e, m] >= 0 and groups[e, x] == groups[e, m]
    ]
    optimal = config.method != "greedy"
    if role == "mentor" and same:
        assert line == f"already has {same[0]!r} for this topic (one per topic)"
        return
    own = mentors_of[e] if role == "executive" else execs_of_m
    room = len(own) < (config.mentors_per_executive if role == "executive" else mentor.capacity)
    if room and not same:
        assert line.startswith("both have room: adding the pair would"), line
        assert not optimal, f"an optimal result leaves a pair to add: {line}"
        return
    assert len(held) == 1, line
    name, stated = held[0]
    if role == "executive":
        assert name in (same or own)
        delta = w - weight(e, name)
        old_score = float(scores.values[r, scores.arrays.mentor_index[name]])
        assert all(weight(e, name) <= weight(e, x) for x in own) or same
    else:
        assert name in own
        delta = w - weight(name, m)
        old_score = float(scores.values[scores.arrays.exec_index[name], c])
        assert all(weight(name, m) <= weight(x, m) for x in own)
    assert stated == f"{old_score:.3f}"
    assert ("tie" in line) == (delta == 0), line
    amount = re.search(r"by (\S+?)(?: \(|$)|scores (\S+) lower", line)
    if delta == 0:
        return
    assert amount is not None, line
    assert _close(amount.group(1) or amount.group(2), abs(delta)), (line, delta)
    assert ("raise" in line) == (delta > 0), line
    if delta > 0:
        assert not optimal, f"an optimal result leaves a better move: {line}"
    if "lower than" in line:
        assert delta == score - old_score


@settings(max_examples=150, deadline=None)
@given(small_programs())
def test_every_why_not_is_true(case: tuple[rm.Program, rm.MatchConfig]) -> None:
    p, config = case
    result = rm.match(p, config)
    scores = result.scores
    assert scores is not None
    for role, people in (("executive", p.executives), ("mentor", p.mentors)):
        for person in people:
            explanation = result.explain(person.id, top_n=50)
            partners = {
                q.mentor_id if role == "executive" else q.executive_id
                for q in result.pairs_of(person.id)
            }
            shown = {a.id for a in explanation.alternatives}
            others = p.mentors if role == "executive" else p.executives
            assert shown == {o.id for o in others} - partners
            for alt in explanation.alternatives:
                check_line(result, p, config, role, person.id, alt.id, alt.why_not)
    for u in result.unmatched:
        if u.role != "executive":
            continue
        allowed = scores.reasons[scores.arrays.exec_index[u.id]] == 0
        caps = np.array([m.capacity for m in sorted(p.mentors, key=lambda m: m.id)])
        used = np.array([len(result.pairs_of(m.id)) for m in sorted(p.mentors, key=lambda m: m.id)])
        full = allowed & (caps > 0) & (used >= caps)
        roomy = allowed & (caps > 0) & (used < caps)
        assert u.reasons.get("capacity", 0) == int(np.count_nonzero(full))
        assert u.reasons.get("no_gain", 0) == int(np.count_nonzero(roomy))
        assert u.reasons.get("no_capacity", 0) == int(np.count_nonzero(allowed & (caps == 0)))
        if roomy.any() and config.method not in ("greedy", "stable"):
            # An optimal method leaves a free allowed mentor unused only when the
            # pair adds nothing: under max_score, a pair that scores 0.
            assert config.objective == "max_score"
            assert (scores.values[scores.arrays.exec_index[u.id]][roomy] <= 0).all()
    for u in result.unmatched:
        if u.role != "mentor" or not u.reasons.get("no_gain"):
            continue
        column = scores.arrays.mentor_ids.index(u.id)
        allowed = scores.reasons[:, column] == 0
        has = np.array([len(result.pairs_of(e)) for e in scores.arrays.exec_ids])
        room = allowed & (has < config.mentors_per_executive)
        assert u.reasons["no_gain"] == int(np.count_nonzero(room))
        assert u.reasons.get("not_chosen", 0) == int(np.count_nonzero(allowed & ~room))


def test_unmatched_beside_a_free_mentor_is_told_the_pair_adds_nothing() -> None:
    # Under max_score a pair that scores 0 adds nothing, so it is left out even
    # though the mentor is free: neither "all were needed" nor "paired with
    # another mentor" would be true.
    slot = ["Mon 12:00-13:00"]
    p = rm.Program(
        program={"timezone": "UTC"},
        executives=[{"id": "e1", "interests": {"diversity": 5}, "availability": slot}],
        mentors=[{"id": "m1", "expertise": {"digital": 5}, "availability": slot}],
    )
    only_topic = dict.fromkeys(rm.COMPONENTS, 0.0) | {"topic": 1.0}
    result = rm.match(p, {"objective": "max_score", "weights": only_topic})
    assert result.pairs == ()
    e1, m1 = result.unmatched
    assert e1.reasons == {"no_gain": 1}
    assert "free places" in e1.hint
    assert "would not raise the objective" in e1.hint
    assert "needed for other executives" not in e1.hint
    assert m1.reasons == {"no_gain": 1}
    assert "paired with another mentor" not in m1.hint
    assert "would not raise the objective" in m1.hint
    # The default objective puts coverage first: the same pair is made.
    assert [
        (q.executive_id, q.mentor_id) for q in rm.match(p, {"weights": {"topic": 1}}).pairs
    ] == [("e1", "m1")]
