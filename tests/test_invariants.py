"""The rules of DESIGN.md that hold everywhere, under random programs and settings.

Each property runs ``max_examples`` of the active hypothesis profile (``dev``:
60, ``ci``: 500) on small programs of up to 6 executives and 6 mentors with
reporting chains, blocks, languages, grades, locations, meeting modes,
history and priority lists, under random settings (all objectives, one or
two mentors per executive, every rule switch). The checks of forbidden pairs
use an oracle written here from the rules' definitions, not the library's
reason masks alone.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Mapping
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import revmatch as rm
from revmatch.lifecycle import rematch, rematch_changes, remove_people
from revmatch.solvers import METHODS, available_methods
from tests.strategies.oracles import broken_rules
from tests.strategies.programs import configs, rich_programs

OBJECTIVES = ("coverage_then_score", "max_score", "maximin")
COVERAGE_FIRST = ("coverage_then_score", "maximin")
#: Every method that proves an optimum; "greedy" and "stable" promise less.
EXACT = tuple(name for name, info in METHODS.items() if info.optimal)
#: Two sums of scores that are equal in exact arithmetic, each computed in
#: floats and rounded to 9 decimals for the audit, differ by at most this for
#: ``k`` pairs (scores are rounded to 6 decimals and lie in 0..1).
TOLERANCE = 1e-9


def tolerance(pairs: int) -> float:
    """Allowed difference of two audit objective values of ``pairs`` pairs."""
    return TOLERANCE * (1 + pairs)


def assert_invariants(result: rm.MatchResult, program: rm.Program, config: rm.MatchConfig) -> None:
    """Nothing lost, forbidden stays forbidden, capacities held (DESIGN.md)."""
    exec_ids = {e.id for e in program.executives}
    mentor_cap = {m.id: m.capacity for m in program.mentors}
    pairs = [(p.executive_id, p.mentor_id) for p in result.pairs]
    assert len(set(pairs)) == len(pairs), "a pair twice"
    per_exec = Counter(e for e, _ in pairs)
    per_mentor = Counter(m for _, m in pairs)
    unmatched = Counter((u.id, u.role) for u in result.unmatched)
    # Nothing lost: everyone once, matched or unmatched with a reason; no one else.
    for e in exec_ids:
        assert (per_exec[e] > 0) != (unmatched[(e, "executive")] == 1), e
        assert unmatched[(e, "executive")] <= 1
    for m in mentor_cap:
        assert (per_mentor[m] > 0) != (unmatched[(m, "mentor")] == 1), m
        assert unmatched[(m, "mentor")] <= 1
    assert set(per_exec) <= exec_ids
    assert set(per_mentor) <= set(mentor_cap)
    assert {pid for pid, _ in unmatched} <= exec_ids | set(mentor_cap)
    assert all(u.reason_codes for u in result.unmatched)
    # Capacities on both sides.
    assert all(per_mentor[m] <= cap for m, cap in mentor_cap.items())
    assert all(n <= config.mentors_per_executive for n in per_exec.values())
    # Forbidden stays forbidden: the oracle, the library's masks, the shared time.
    scores = result.scores
    assert scores is not None
    for pair in result.pairs:
        assert broken_rules(program, config, pair.executive_id, pair.mentor_id) == [], pair
        i = scores.executive_ids.index(pair.executive_id)
        j = scores.mentor_ids.index(pair.mentor_id)
        assert scores.reasons[i, j] == 0, pair
        assert pair.min_overlap_minutes >= config.min_overlap_minutes
        assert math.isfinite(pair.score)
        assert 0.0 <= pair.score <= 1.0
    assert {(p.executive_id, p.mentor_id) for p in program.pinned} <= set(pairs)


def view(result: rm.MatchResult) -> tuple[Any, ...]:
    """Everything a person sees of a result, in a comparable form."""
    return (
        [(p.executive_id, p.mentor_id, p.score, p.components, p.meeting) for p in result.pairs],
        [(u.id, u.role, u.reasons, u.hint) for u in result.unmatched],
        result.metrics,
        result.audit["input_digest"],
        result.audit["objective_value"],
    )


# ----------------------------------------------------------------------------- rewriting programs


def shuffled(program: rm.Program, rnd: random.Random) -> rm.Program:
    """The same program with every order that carries no meaning shuffled.

    Record lists, slots, ``blocked``, ``preferred`` and ``groups`` are
    shuffled; a person's languages keep their order (the first-listed one
    earns the ``language`` component).
    """
    data = program.to_dict()
    for key in ("mentors", "executives", "org", "history"):
        rnd.shuffle(data[key])
    for record in data["mentors"] + data["executives"]:
        for key in ("availability", "blocked", "preferred", "groups"):
            rnd.shuffle(record[key])
    return rm.Program(**data)


def all_ids(program: rm.Program) -> list[str]:
    ids = {p.id for p in program.people()} | {o.id for o in program.org}
    ids |= {p.manager_id for p in program.people() if p.manager_id}
    ids |= {o.manager_id for o in program.org if o.manager_id}
    ids |= {h.executive_id for h in program.history} | {h.mentor_id for h in program.history}
    for person in program.people():
        ids |= set(person.blocked) | set(person.preferred)
    return sorted(ids)


def renamed(program: rm.Program, new: Mapping[str, str]) -> rm.Program:
    """The program with every id (people, managers, org, references) replaced by ``new[id]``."""
    data = program.to_dict()
    for record in data["mentors"] + data["executives"] + data["org"]:
        record["id"] = new[record["id"]]
        if record.get("manager_id"):
            record["manager_id"] = new[record["manager_id"]]
    for record in data["mentors"] + data["executives"]:
        record["blocked"] = [new[i] for i in record["blocked"]]
        record["preferred"] = [new[i] for i in record["preferred"]]
    for key in ("history", "pinned"):
        for record in data[key]:
            record["executive_id"] = new[record["executive_id"]]
            record["mentor_id"] = new[record["mentor_id"]]
    data["priority"] = [new[i] for i in data.get("priority", [])]
    return rm.Program(**data)


# ----------------------------------------------------------------------------- match


@given(rich_programs(), configs(), st.booleans())
def test_nothing_lost_nothing_forbidden_capacities_held(
    program: rm.Program, config: rm.MatchConfig, pin: bool
) -> None:
    result = rm.match(program, config)
    assert_invariants(result, program, config)
    if pin and result.pairs:
        # Pins taken from a feasible result stay, and everything else still holds.
        kept = [{"executive_id": p.executive_id, "mentor_id": p.mentor_id} for p in result.pairs]
        pinned = program.replace(pinned=kept[: len(kept) // 2 + 1])
        assert_invariants(rm.match(pinned, config), pinned, config)


@given(rich_programs(), configs(), st.randoms(use_true_random=False))
def test_record_order_and_order_preserving_renaming_change_nothing(
    program: rm.Program, config: rm.MatchConfig, rnd: random.Random
) -> None:
    """The same input in any record order gives the same result; renamed ids, the renamed one.

    Record order: every list (people, org, history; each person's slots,
    ``blocked``, ``preferred``, ``groups``) shuffled gives an identical
    result, down to scores, meetings, reasons, metrics and the audit's input
    digest. Renaming: ids renamed by a map that keeps their sorted order give
    exactly the renamed pairs, scores and unmatched people; ties are broken
    by id order, which such a map keeps.
    """
    before = rm.match(program, config)
    assert view(rm.match(shuffled(program, rnd), config)) == view(before)
    ids = all_ids(program)
    new = {old: f"id-{rank:04d}" for rank, old in enumerate(ids)}  # sorted like the old ids
    after = rm.match(renamed(program, new), config)
    assert [
        (new[p.executive_id], new[p.mentor_id], p.score, p.components) for p in before.pairs
    ] == [(p.executive_id, p.mentor_id, p.score, p.components) for p in after.pairs]
    assert [(new[u.id], u.role, u.reasons) for u in before.unmatched] == [
        (u.id, u.role, u.reasons) for u in after.unmatched
    ]
    assert after.audit["objective_value"] == before.audit["objective_value"]


@given(rich_programs(), configs(bonuses=False), st.randoms(use_true_random=False))
def test_any_renaming_keeps_the_optimum(
    program: rm.Program, config: rm.MatchConfig, rnd: random.Random
) -> None:
    """An arbitrary renaming of ids keeps the optimum, not necessarily the pairs.

    Renaming changes the order of ids and so the documented tie-break (ties
    go by id), so equally good pairs may be chosen instead. What must not
    change is the optimum itself. Precisely, with the solver's weights equal
    to the scores (no priority or repeat bonus), the audit's
    ``objective_value`` (the sum of the chosen pairs' scores) is equal within
    ``1e-9 * (1 + k)`` for ``k`` pairs; for ``coverage_then_score`` and
    ``maximin``, which put the number of pairs first, the number of pairs is
    equal (and of matched executives, with one mentor each), and for
    ``maximin`` also the smallest score. For ``max_score`` only the sum is
    invariant: two assignments with equal sums may have different numbers of
    pairs (0.5 = 0.25 + 0.25).
    """
    ids = all_ids(program)
    targets = [f"id-{rank:04d}" for rank in range(len(ids))]
    rnd.shuffle(targets)
    before = rm.match(program, config)
    after = rm.match(renamed(program, dict(zip(ids, targets, strict=True))), config)
    a, b = before.audit["objective_value"], after.audit["objective_value"]
    assert abs(a - b) <= tolerance(len(before.pairs)), (a, b)
    if config.objective in COVERAGE_FIRST:
        assert after.metrics["n_pairs"] == before.metrics["n_pairs"]
        if config.mentors_per_executive == 1:
            # With several mentors each, coverage counts pairs: the same number
            # of pairs may reach different numbers of executives.
            assert after.metrics["matched_executives"] == before.metrics["matched_executives"]
    if config.objective == "maximin" and before.pairs:
        assert after.metrics["score_min"] == before.metrics["score_min"]


# ----------------------------------------------------------------------------- exact methods


def test_every_exact_method_is_installed_for_the_tests() -> None:
    # The cross-method property below would otherwise skip a method silently.
    assert set(EXACT) <= set(available_methods())
    assert {"jv", "lapjv", "sparse", "ortools", "flow", "blossom", "milp"} <= set(EXACT)


@given(rich_programs(), configs(bonuses=False))
def test_exact_methods_reach_the_same_objective(
    program: rm.Program, config: rm.MatchConfig
) -> None:
    """``match`` with each exact method reaches one objective value.

    For every method of :data:`EXACT`, ``rm.match`` either succeeds or raises
    :class:`InvalidInputError` because the method cannot express the
    settings (two mentors per executive on distinct topics need pair
    groups); the error then names the methods that can, which are exactly
    those that succeed here. All that succeed agree: ``objective_value``
    within ``1e-9 * (1 + k)`` for ``k`` pairs, the number of pairs for the
    coverage-first objectives and the smallest score for ``maximin``.
    """
    results: dict[str, rm.MatchResult] = {}
    refused: dict[str, str] = {}
    for method in EXACT:
        try:
            results[method] = rm.match(program, config.replace(method=method))
        except rm.InvalidInputError as exc:
            refused[method] = str(exc)
    assert results, refused
    for method, message in refused.items():
        assert f"Method {method!r} cannot express" in message
        able = message.split("methods that can: ", 1)[1].split(" (or", 1)[0].split(", ")
        assert set(results) <= set(able), (method, message)
        assert not set(refused) & set(able), (method, message)
    first = next(iter(results.values()))
    for method, result in results.items():
        assert result.audit["method"] == method
        a, b = result.audit["objective_value"], first.audit["objective_value"]
        assert abs(a - b) <= tolerance(len(first.pairs)), (method, a, b)
        if config.objective in COVERAGE_FIRST:
            assert result.metrics["n_pairs"] == first.metrics["n_pairs"], method
        if config.objective == "maximin" and first.pairs:
            assert result.metrics["score_min"] == first.metrics["score_min"], method
        assert_invariants(result, program, config)


# ----------------------------------------------------------------------------- re-matching


@st.composite
def changed(draw: st.DrawFn, program: rm.Program, result: rm.MatchResult) -> rm.Program:
    """The program a few weeks later: leavers, newcomers, a capacity change, a new block."""
    people = [p.id for p in program.people()]
    leavers = draw(st.lists(st.sampled_from(people), max_size=2, unique=True)) if people else []
    after = remove_people(program, leavers) if leavers else program
    data = after.to_dict()
    if draw(st.booleans()):
        data["executives"].append(
            {"id": "e-new", "timezone": "UTC", "availability": ["Mon 12:00-14:00"]}
        )
    if draw(st.booleans()):
        data["mentors"].append(
            {"id": "m-new", "timezone": "UTC", "availability": ["Mon 12:00-14:00"], "capacity": 2}
        )
    if draw(st.booleans()) and data["mentors"]:
        target = draw(st.sampled_from(data["mentors"]))
        target["capacity"] = draw(st.integers(0, 2))
    pairs = [
        p
        for p in result.pairs
        if any(e["id"] == p.executive_id for e in data["executives"])
        and any(m["id"] == p.mentor_id for m in data["mentors"])
    ]
    if draw(st.booleans()) and pairs:
        pair = draw(st.sampled_from(pairs))
        for record in data["executives"]:
            if record["id"] == pair.executive_id:
                record["blocked"] = [*record["blocked"], pair.mentor_id]
    return rm.Program(**data)


@given(rich_programs(), configs(), st.data())
def test_rematch_keeps_every_rule_and_accounts_for_every_previous_pair(
    program: rm.Program, config: rm.MatchConfig, data: st.DataObject
) -> None:
    first = rm.match(program, config)
    later = data.draw(changed(program, first), label="later")
    second = rematch(first, later, config)
    assert_invariants(second, later, config)
    report = rematch_changes(second)
    before = {(p.executive_id, p.mentor_id) for p in first.pairs}
    now = {(p.executive_id, p.mentor_id) for p in second.pairs}
    kept = {(c.executive_id, c.mentor_id) for c in report.kept}
    ended = {(c.executive_id, c.mentor_id) for c in report.ended}
    new = {(c.executive_id, c.mentor_id) for c in report.new}
    assert kept | ended == before
    assert not kept & ended
    assert kept == before & now
    assert new == now - before
    present = {p.id for p in later.people()}
    for change in report.ended:
        if change.executive_id not in present:
            assert change.reason == "executive_left"
        elif change.mentor_id not in present:
            assert change.reason == "mentor_left"
        elif broken_rules(later, config, change.executive_id, change.mentor_id):
            assert change.reason == "rule_broken"
    if config.objective in COVERAGE_FIRST:
        # Coverage comes first: keeping old pairs never costs a pair.
        assert second.metrics["n_pairs"] == rm.match(later, config).metrics["n_pairs"]
    # Re-matching is deterministic, whatever the record order.
    rnd = random.Random(data.draw(st.integers(0, 2**16), label="shuffle seed"))
    again = rematch(first, shuffled(later, rnd), config)
    assert [(p.executive_id, p.mentor_id) for p in again.pairs] == [
        (p.executive_id, p.mentor_id) for p in second.pairs
    ]
