"""rm.alternatives: the k best assignments of a program, each a full result."""

from __future__ import annotations

import importlib
import itertools
import json
import math
from typing import Any

import numpy as np
import pytest

import revmatch as rm
from revmatch._pipeline.assign import pair_groups
from revmatch._pipeline.compile import compile_program
from revmatch.alternatives import Swap
from tests.strategies.programs import person

Pairs = frozenset[tuple[str, str]]


def pair_set(result: rm.MatchResult) -> Pairs:
    return frozenset((p.executive_id, p.mentor_id) for p in result.pairs)


def pinned_program(seed: int = 4) -> rm.Program:
    program = rm.datasets.make_program(n_executives=6, n_mentors=7, seed=seed, capacity=(1, 2))
    first = rm.match(program)
    pin = first.pairs[0]
    return with_fields(
        program, pinned=[{"executive_id": pin.executive_id, "mentor_id": pin.mentor_id}]
    )


def with_fields(program: rm.Program, **fields: Any) -> rm.Program:
    return rm.Program.model_validate({**program.model_dump(), **fields})


CONFIGS: list[dict[str, Any]] = [
    {},
    {"objective": "max_score"},
    {"objective": "maximin"},
    {"mentors_per_executive": 2},
    {"candidates": "auto"},
    {"priority_bonus": 0.5},
]


@pytest.mark.parametrize(
    "config", CONFIGS, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()) or "default"
)
def test_first_alternative_is_what_match_returns(config: dict[str, Any]) -> None:
    program = pinned_program()
    if config.get("priority_bonus"):
        program = with_fields(program, priority=[program.executives[1].id])
    alts = rm.alternatives(program, k=3, config=config)
    best = rm.match(program, config)
    assert alts.results[0].pairs == best.pairs
    assert alts.results[0].unmatched == best.unmatched
    assert alts.objectives[0] == best.audit["objective_value"]
    assert alts.results[0].metrics == best.metrics


@pytest.mark.parametrize("mentors_per_executive", [1, 2])
def test_every_alternative_obeys_every_rule(mentors_per_executive: int) -> None:
    program = pinned_program(seed=7)
    config = rm.MatchConfig(mentors_per_executive=mentors_per_executive)
    alts = rm.alternatives(program, k=6, config=config)
    assert len(alts) == 6
    scores = alts.results[0].scores
    assert scores is not None
    arrays = compile_program(program, config)
    groups = pair_groups(arrays, config)
    row = {e: i for i, e in enumerate(scores.executive_ids)}
    col = {m: j for j, m in enumerate(scores.mentor_ids)}
    capacity = {m.id: m.capacity for m in program.mentors}
    pins = {(p.executive_id, p.mentor_id) for p in program.pinned}
    keys = []
    for result in alts:
        chosen = pair_set(result)
        assert pins <= chosen
        assert {(p.executive_id, p.mentor_id) for p in result.pairs if p.pinned} == pins
        for e, m in chosen:
            assert scores.reasons[row[e], col[m]] == 0, "a pair breaks a hard rule"
        for m in capacity:
            assert sum(1 for _, mm in chosen if mm == m) <= capacity[m]
        for e in row:
            mine = [col[m] for ee, m in chosen if ee == e]
            assert len(mine) <= mentors_per_executive
            labels = [int(groups[row[e], j]) for j in mine if groups[row[e], j] >= 0]
            assert len(labels) == len(set(labels)), "two mentors of one topic group"
        total = math.fsum(float(scores.values[row[e], col[m]]) for e, m in chosen)
        keys.append((len(chosen), total))
    assert len({pair_set(r) for r in alts}) == len(alts), "an assignment is listed twice"
    for better, worse in itertools.pairwise(keys):
        assert better[0] > worse[0] or (better[0] == worse[0] and better[1] >= worse[1] - 1e-9)


def tiny_program() -> rm.Program:
    return rm.Program(
        mentors=[
            person("m1", expertise={"digital": 5}),
            person("m2", expertise={"diversity": 5}, manager_id="e3"),
            person("m3", expertise={"digital": 2}, capacity=2),
        ],
        executives=[
            person("e1", interests={"digital": 5}),
            person("e2", interests={"diversity": 4}),
            person("e3", interests={"digital": 3, "diversity": 3}),
        ],
        pinned=[{"executive_id": "e2", "mentor_id": "m2"}],
    )


def test_lists_every_assignment_of_a_tiny_program_in_order() -> None:
    program = tiny_program()
    alts = rm.alternatives(program, k=50)
    scores = alts.results[0].scores
    assert scores is not None
    execs, mentors = list(scores.executive_ids), list(scores.mentor_ids)
    capacity = {m.id: m.capacity for m in program.mentors}
    allowed = {
        (e, m)
        for i, e in enumerate(execs)
        for j, m in enumerate(mentors)
        if scores.reasons[i, j] == 0
    }
    # Every set of allowed pairs with one mentor per executive, the mentors'
    # capacities and the pin: the definition, tried subset by subset.
    expected = []
    for size in range(len(allowed) + 1):
        for chosen in itertools.combinations(sorted(allowed), size):
            per_exec = [e for e, _ in chosen]
            per_mentor = [m for _, m in chosen]
            if len(per_exec) != len(set(per_exec)) or ("e2", "m2") not in chosen:
                continue
            if any(per_mentor.count(m) > capacity[m] for m in capacity):
                continue
            total = math.fsum(
                float(scores.values[execs.index(e), mentors.index(m)]) for e, m in chosen
            )
            expected.append((len(chosen), round(total, 9)))
    assert alts.exhausted
    assert len(alts) == len(expected)
    got = [(len(r.pairs), r.audit["objective_value"]) for r in alts]
    assert got == sorted(expected, reverse=True)


def test_diff_names_the_swapped_pairs() -> None:
    program = rm.Program(
        mentors=[person("m1", expertise={"digital": 5}), person("m2", expertise={"diversity": 5})],
        executives=[
            person("e1", interests={"digital": 5}),
            person("e2", interests={"diversity": 5}),
        ],
    )
    alts = rm.alternatives(program, k=2)
    assert pair_set(alts[0]) == {("e1", "m1"), ("e2", "m2")}
    assert pair_set(alts[1]) == {("e1", "m2"), ("e2", "m1")}
    score = {(p.executive_id, p.mentor_id): p.score for r in alts for p in r.pairs}
    d = alts.diff(1)
    assert d.swaps == (
        Swap("e1", "m1", "m2", score["e1", "m1"], score["e1", "m2"]),
        Swap("e2", "m2", "m1", score["e2", "m2"], score["e2", "m1"]),
    )
    assert d.objective_delta == round(alts.objectives[1] - alts.objectives[0], 9) < 0
    assert d.pairs_delta == 0
    assert alts.diff(0).swaps == ()
    assert alts.diff(-1) == d
    table = d.table()
    assert "e1" in table
    assert f"{d.objective_delta:+.6f}" in table
    assert "e1: m1 -> m2; e2: m2 -> m1" in alts.table()


def test_diff_applied_to_the_best_gives_each_alternative() -> None:
    alts = rm.alternatives(pinned_program(seed=11), k=5, config={"mentors_per_executive": 2})
    best = pair_set(alts[0])
    for rank, result in enumerate(alts):
        pairs = set(best)
        for s in alts.diff(rank).swaps:
            if s.best_mentor is not None:
                pairs.remove((s.executive_id, s.best_mentor))
            if s.mentor is not None:
                pairs.add((s.executive_id, s.mentor))
        assert pairs == pair_set(result)


def test_fewer_assignments_than_asked_for() -> None:
    program = rm.Program(mentors=[person("m1")], executives=[person("e1")])
    alts = rm.alternatives(program, k=5)
    assert [len(r.pairs) for r in alts] == [1, 0]
    assert alts.exhausted
    assert alts.k == 5
    assert "only 2 distinct assignment(s) exist (k=5)" in alts.table()
    assert not rm.alternatives(program, k=2).exhausted


def test_outputs() -> None:
    alts = rm.alternatives(tiny_program(), k=3)
    data = json.loads(alts.to_json())
    assert [a["rank"] for a in data["alternatives"]] == [0, 1, 2]
    assert data["alternatives"][0]["result"]["pairs"] == json.loads(alts[0].to_json())["pairs"]
    assert data["alternatives"][1]["objective_delta"] == alts.diff(1).objective_delta
    assert alts._repr_html_().count("<tr>") == 1 + 3
    assert str(alts) == alts.table()
    assert [r.audit["alternative"]["rank"] for r in alts] == [0, 1, 2]
    assert alts[1].explain("e1").id == "e1"  # every result explains like match's


@pytest.mark.parametrize(
    ("k", "message"),
    [
        (0, r"^The 'k' of alternatives must be >= 1\. Got 0\.$"),
        (-2, r"^The 'k' of alternatives must be >= 1\. Got -2\.$"),
        ("3", r"^The 'k' of alternatives must be an integer\. Got '3'\.$"),
        (1.0, r"^The 'k' of alternatives must be an integer\. Got 1\.0\.$"),
    ],
)
def test_bad_k_is_named(k: object, message: str) -> None:
    with pytest.raises(rm.InvalidInputError, match=message):
        rm.alternatives(tiny_program(), k=k)  # type: ignore[arg-type]


def test_bad_diff_index_is_named() -> None:
    alts = rm.alternatives(tiny_program(), k=2)
    with pytest.raises(
        rm.InvalidInputError, match=r"'index' of diff must be between 0 and 1\. Got 2\."
    ):
        alts.diff(2)


def test_candidate_mode_is_refused() -> None:
    with pytest.raises(rm.InvalidInputError, match="candidate mode"):
        rm.alternatives(tiny_program(), k=2, config={"candidates": 2})


def test_strict_without_a_full_assignment_raises_like_match() -> None:
    program = rm.Program(mentors=[person("m1")], executives=[person("e1"), person("e2")])
    with pytest.raises(rm.InfeasibleError):
        rm.match(program, {"strict": True})
    with pytest.raises(rm.InfeasibleError):
        rm.alternatives(program, k=2, config={"strict": True})


def test_scores_are_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # The function rm.alternatives shadows its module's name on the package.
    module = importlib.import_module("revmatch.alternatives")
    calls = []
    real = module.score_dense

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "score_dense", counted)
    rm.alternatives(tiny_program(), k=4)
    assert calls == [1]
    assert np.isfinite(rm.alternatives(tiny_program(), k=1).objectives).all()


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({"quotas": ["executive.location!=Munich:min_share=0.4"]}, "quotas"),
        ({"objective": "maximin_groups"}, "objective"),
    ],
)
def test_settings_that_are_not_a_sum_of_pair_weights_are_refused(
    config: dict[str, Any], field: str
) -> None:
    program = rm.datasets.make_program(n_executives=6, n_mentors=7, seed=3)
    with pytest.raises(rm.InvalidInputError, match=f"field '{field}'"):
        rm.alternatives(program, k=2, config=config)
