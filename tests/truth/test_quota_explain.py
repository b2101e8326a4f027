"""What quotas cost and whom they keep out, re-derived by brute force and by counting.

:func:`revmatch.explain_quotas` re-solves a match once per quota with that
quota dropped; the oracle here enumerates every assignment of a tiny program
(:func:`tests.strategies.oracles.brute_force`) with quota blocks built from the
people's attributes, not from revmatch's quota code. A "why not" that names a
quota is checked by applying its move to the result's pairs and counting the
group from the program.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import revmatch as rm
from revmatch.exceptions import InfeasibleError, InvalidInputError
from revmatch.solvers import Quota

from ..strategies.oracles import brute_force

Cell = tuple[int, int]
BREAKS = re.compile(r"would break quota (.+?) \[")


def _value(person: rm.Executive | rm.Mentor, attribute: str) -> str | None:
    value = getattr(person, attribute)
    return None if value is None else str(value)


def _members(people: Sequence[rm.Executive | rm.Mentor], group: rm.PersonGroup | None) -> list[int]:
    """Indices (program order) of the people a quota selector names."""
    if group is None:
        return list(range(len(people)))
    assert group.values is not None
    inside = [_value(p, group.attribute) in group.values for p in people]
    return [k for k, x in enumerate(inside) if x != group.exclude]


def _solver_quota(program: rm.Program, q: rm.GroupQuota) -> Quota:
    rows = _members(program.executives, q.executive)
    cols = _members(program.mentors, q.mentor)
    return Quota(q.label, rows=rows, cols=cols, min=q.min or 0, max=q.max)


def _count(program: rm.Program, q: rm.GroupQuota, pairs: set[tuple[str, str]]) -> int:
    rows = {program.executives[k].id for k in _members(program.executives, q.executive)}
    cols = {program.mentors[k].id for k in _members(program.mentors, q.mentor)}
    return sum(e in rows and m in cols for e, m in pairs)


@st.composite
def quota_programs(draw: st.DrawFn) -> tuple[rm.Program, rm.MatchConfig]:
    """A tiny generated program (at most 16 allowed pairs) with one or two count quotas."""
    seed = draw(st.integers(0, 40))
    program = rm.datasets.make_program(4, 4, seed=seed)
    quotas = []
    for _ in range(draw(st.integers(1, 2))):
        side = draw(st.sampled_from(["executive", "mentor", "pair"]))
        attribute = draw(st.sampled_from(["department", "location"]))
        ex = sorted({str(_value(p, attribute)) for p in program.executives})
        me = sorted({str(_value(p, attribute)) for p in program.mentors})
        op = draw(st.sampled_from(["=", "!="]))
        bound = draw(st.sampled_from(["min", "max"]))
        count = draw(st.integers(0, 2))
        if side == "pair":
            head = f"pair.{attribute}={draw(st.sampled_from(ex))}*{attribute}{op}"
            head += draw(st.sampled_from(me))
        else:
            value = draw(st.sampled_from(ex if side == "executive" else me))
            head = f"{side}.{attribute}{op}{value}"
        quotas.append(f"{head}:{bound}={count}")
    return program, rm.MatchConfig(quotas=quotas)


def _binding_case() -> tuple[rm.Program, rm.MatchConfig]:
    """A program whose first executive's department may take no pair: that quota binds."""
    program = rm.datasets.make_program(4, 4, seed=4)
    dept = program.executives[0].department
    return program, rm.MatchConfig(quotas=[f"executive.department={dept}:max=0"])


def _optimum(
    result_scores: rm.ScoreMatrix,
    program: rm.Program,
    quotas: Sequence[rm.GroupQuota],
    keep: Sequence[Cell] = (),
    banned: Sequence[Cell] = (),
) -> tuple[float, ...] | None:
    feasible = result_scores.reasons == 0
    for cell in banned:
        feasible[cell] = False
    return brute_force(
        result_scores.values,
        "coverage_then_score",
        feasible=feasible,
        capacities=[p.capacity for p in program.mentors],
        quotas=[_solver_quota(program, q) for q in quotas],
        keep=keep,
        min_kept=1 if keep else 0,
        tol=1e-9,
    )


def _cells(program: rm.Program, person: str, n: int, m: int) -> list[Cell]:
    ids = [p.id for p in program.executives]
    if person in ids:
        return [(ids.index(person), c) for c in range(m)]
    return [(r, [p.id for p in program.mentors].index(person)) for r in range(n)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quota_programs())
@example(_binding_case())
def test_quota_effects_and_relaxations_agree_with_brute_force(case) -> None:
    program, config = case
    free = rm.match(program)
    scores = free.scores
    assert scores is not None
    n, m = scores.values.shape
    best = _optimum(scores, program, config.quotas)
    if best is None:
        # No assignment meets every quota: match refuses, and the report gives
        # the smallest relaxation in the error's own words.
        with pytest.raises(InfeasibleError, match="smallest relaxation") as info:
            rm.match(program, config=config)
        report = rm.explain_quotas(program, config)
        assert not report.feasible
        assert report.relaxation == str(info.value)
        assert report.effects == ()
        return
    result = rm.match(program, config=config)
    report = rm.explain_quotas(result)
    assert report.feasible
    assert report.price == result.audit["price_of_quotas"]
    assert [e.quota for e in report.effects] == [q.label for q in config.quotas]
    matched = {p.executive_id for p in result.pairs} | {p.mentor_id for p in result.pairs}
    for k, effect in enumerate(report.effects):
        others = [q for j, q in enumerate(config.quotas) if j != k]
        without = _optimum(scores, program, others)
        assert without is not None
        assert effect.pairs_cost == without[0] - best[0]
        assert effect.score_cost == pytest.approx(without[1] - best[1], abs=2e-6)
        assert effect.binding == (without != pytest.approx(best, abs=1e-6))
        if not effect.binding:
            assert effect.kept_out == effect.brought_in == ()
        for person in effect.kept_out:
            # Unmatched now, and some optimum without the quota pairs them.
            assert person not in matched
            assert _optimum(scores, program, others, keep=_cells(program, person, n, m)) == (
                pytest.approx(without, abs=1e-9)
            )
            assert f"kept out by quota {effect.quota!r}" in result.explain(person).summary
        for person in effect.brought_in:
            # Matched now, and some optimum without the quota leaves them out.
            assert person in matched
            banned = _cells(program, person, n, m)
            assert _optimum(scores, program, others, banned=banned) == (
                pytest.approx(without, abs=1e-9)
            )
    # Every unmatched person's explanation names exactly the quotas that keep them out.
    for u in result.unmatched:
        summary = result.explain(u.id).summary
        for effect in report.effects:
            named = f"kept out by quota {effect.quota!r}" in summary
            assert named == (u.id in effect.kept_out)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quota_programs())
@example(_binding_case())
def test_a_why_not_names_a_quota_exactly_when_its_move_breaks_one(case) -> None:
    program, config = case
    try:
        result = rm.match(program, config=config)
    except InfeasibleError:
        return
    pairs = {(p.executive_id, p.mentor_id) for p in result.pairs}
    by_label = {q.label: q for q in config.quotas}

    def broken(after: set[tuple[str, str]]) -> set[str]:
        return {
            q.label
            for q in config.quotas
            if (q.max is not None and _count(program, q, after) > q.max)
            or (q.min is not None and _count(program, q, after) < q.min)
        }

    for person in [*program.executives, *program.mentors]:
        executive = isinstance(person, rm.Executive)
        for alt in result.explain(person.id, top_n=8).alternatives:
            cell = (person.id, alt.id) if executive else (alt.id, person.id)
            if alt.why_not.startswith("both have room"):
                after = pairs | {cell}
            else:
                place = re.match(r"taking the place of '([^']+)'", alt.why_not)
                if place is None:
                    continue
                old = (person.id, place[1]) if executive else (place[1], person.id)
                after = (pairs - {old}) | {cell}
            named = BREAKS.search(alt.why_not)
            if named is None:
                assert not broken(after), alt.why_not
            else:
                assert named[1] in by_label
                assert named[1] in broken(after), alt.why_not


def test_share_quota_why_not_counts_the_pairs_it_would_have() -> None:
    program = rm.datasets.make_program(8, 6, seed=3)
    dept = program.executives[0].department
    config = rm.MatchConfig(quotas=[f"executive.department!={dept}:min_share=0.9"])
    result = rm.match(program, config=config)
    outside = {p.id for p in program.executives if p.department != dept}
    n_pairs = len(result.pairs)
    inside = sum(p.executive_id in outside for p in result.pairs)
    explanation = result.explain(program.executives[0].id, top_n=6)
    lines = [a.why_not for a in explanation.alternatives if "would break quota" in a.why_not]
    assert lines
    for line in lines:
        # The executive is in no group of the quota: one more pair adds to the
        # total only, and 0.9 of it is more than the group holds.
        assert f"it would have {inside} of {n_pairs + 1}" in line
        assert inside < 0.9 * (n_pairs + 1)


def test_explain_quotas_refuses_a_config_beside_a_result_and_a_result_without_scores() -> None:
    program = rm.datasets.make_program(6, 6, seed=1)
    config = rm.MatchConfig(quotas=["pair.department*department:max=1"])
    result = rm.match(program, config=config)
    with pytest.raises(InvalidInputError, match="uses the result's own config"):
        rm.explain_quotas(result, config)
    with pytest.raises(InvalidInputError, match="read from JSON"):
        rm.explain_quotas(rm.MatchResult.from_json(result.to_json()))


def test_without_quotas_there_is_nothing_to_explain() -> None:
    program = rm.datasets.make_program(6, 6, seed=1)
    report = rm.explain_quotas(program)
    assert report.feasible
    assert report.effects == ()
    assert report.price is None
    assert str(report) == ""


def test_one_solve_per_quota_serves_every_explanation_of_a_result(monkeypatch) -> None:
    import revmatch.explain as explain

    program, config = _binding_case()
    config = config.replace(quotas=[*config.quotas, "pair.department*department:max=1"])
    result = rm.match(program, config=config)
    calls = []
    real = explain.solve_scores

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(explain, "solve_scores", counting)
    first = rm.explain_quotas(result)
    assert len(calls) == len(config.quotas)
    summaries = [result.explain(u.id).summary for u in result.unmatched]
    assert rm.explain_quotas(result) == first
    assert len(calls) == len(config.quotas)
    assert any("kept out by quota" in s for s in summaries)
    # Another result of the same program is measured anew.
    rm.explain_quotas(rm.match(program, config=config))
    assert len(calls) == 2 * len(config.quotas)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quota_programs())
@example(_binding_case())
def test_an_unmatched_persons_reasons_count_the_partners_a_quota_holds_back(case) -> None:
    """``quota`` counts the allowed partners whose pair would break a quota; the rest stay true.

    Recounted from the people's attributes: an allowed partner (capacity
    above 0, and room, for a mentor's executives) whose pair added to the
    result's pairs puts a group above a max is held back by a quota. More
    capacity is claimed to help only for partners no quota holds back, and
    under the default objective no allowed partner with room is left for
    "no gain".
    """
    program, config = case
    try:
        result = rm.match(program, config=config)
    except InfeasibleError:
        return
    scores = result.scores
    assert scores is not None
    exec_ids = [p.id for p in program.executives]
    mentor_ids = [p.id for p in program.mentors]
    pairs = {(p.executive_id, p.mentor_id) for p in result.pairs}
    taken = {m: sum(1 for _, x in pairs if x == m) for m in mentor_ids}
    has = {e: sum(1 for x, _ in pairs if x == e) for e in exec_ids}
    capacity = {p.id: p.capacity for p in program.mentors}
    places = config.mentors_per_executive

    def held(e: str, m: str) -> bool:
        grown = pairs | {(e, m)}
        return any(q.max is not None and _count(program, q, grown) > q.max for q in config.quotas)

    for person in result.unmatched:
        if person.role == "executive":
            r = exec_ids.index(person.id)
            allowed = [
                m for c, m in enumerate(mentor_ids) if scores.reasons[r, c] == 0 and capacity[m]
            ]
            quota = [m for m in allowed if held(person.id, m)]
            full = [m for m in allowed if m not in quota and taken[m] >= capacity[m]]
            roomy = [m for m in allowed if m not in quota and taken[m] < capacity[m]]
            assert person.reasons.get("capacity", 0) == len(full)
        else:
            if not capacity[person.id]:
                continue
            c = mentor_ids.index(person.id)
            allowed = [e for r, e in enumerate(exec_ids) if scores.reasons[r, c] == 0]
            quota = [e for e in allowed if has[e] < places and held(e, person.id)]
            roomy = [e for e in allowed if has[e] < places and e not in quota]
            assert person.reasons.get("not_chosen", 0) == len(allowed) - len(quota) - len(roomy)
        assert person.reasons.get("quota", 0) == len(quota)
        assert person.reasons.get("no_gain", 0) == len(roomy) == 0
        assert ("would break a quota" in person.hint) == bool(quota)
