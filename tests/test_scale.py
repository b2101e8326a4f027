"""Candidate mode (top-k + certificate), match_many and split_by."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from numpy.typing import NDArray

import revmatch as rm
from revmatch._pipeline.compile import compile_program
from revmatch._pipeline.rules import REASON_BITS, reason_counts
from revmatch._pipeline.scoring import score_arrays
from revmatch.availability import weekly_overlap
from revmatch.relax import smallest_relaxation
from revmatch.scale import (
    DEFAULT_K,
    OUTRANKED,
    CohortError,
    CohortFailure,
    candidate_k,
    match_candidates,
    match_many,
    split_by,
)
from revmatch.scale import _result as scale_result
from revmatch.scale._candidates import NEG
from revmatch.scale._certify import Graph, certify
from revmatch.scale._overlap import PairOverlap, popcount_words
from revmatch.scale._pairs import PairScorer
from revmatch.solvers import available_methods
from tests.extras import needs
from tests.strategies.programs import SCALE_CONFIGS, fortnightly_programs, person, programs

Int2D = NDArray[np.int64]


def _all_pairs(shape: tuple[int, int]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    r, c = np.meshgrid(np.arange(shape[0]), np.arange(shape[1]), indexing="ij")
    return r.ravel().astype(np.intp), c.ravel().astype(np.intp)


# ------------------------------------------------------ exact pair evaluation


@given(fortnightly_programs())
def test_pair_overlap_equals_weekly_overlap(program: rm.Program) -> None:
    arrays = compile_program(program)
    r, c = _all_pairs(arrays.shape)
    dense = weekly_overlap(arrays.availability)
    pairs = PairOverlap(arrays.availability)
    mine = pairs(r, c)
    for field in ("min_minutes", "mean_minutes", "preferred_minutes"):
        assert np.array_equal(getattr(dense, field).ravel(), getattr(mine, field)), field
    assert np.array_equal(pairs.min_minutes(r, c), mine.min_minutes)
    assert (pairs.screen(r, c) >= mine.min_minutes).all()


def test_popcount_fallback_matches_bitwise_count(monkeypatch: pytest.MonkeyPatch) -> None:
    words = np.random.default_rng(42).integers(0, 2**63, size=(7, 3, 5), dtype=np.uint64)
    fast = popcount_words(words)
    monkeypatch.delattr(np, "bitwise_count")
    assert np.array_equal(popcount_words(words), fast)


@given(programs(), SCALE_CONFIGS)
def test_pair_scores_equal_the_dense_matrix(program: rm.Program, config: rm.MatchConfig) -> None:
    arrays = compile_program(program, config)
    scores = score_arrays(arrays, config)
    scorer = PairScorer(arrays, config, {})
    r, c = _all_pairs(arrays.shape)
    values, masks, _ = scorer.exact(r, c)
    assert np.array_equal(values, scores.values.ravel())
    assert np.array_equal(masks, scores.reasons.ravel())


@given(programs(), SCALE_CONFIGS)
def test_bounds_hold_for_every_allowed_pair(program: rm.Program, config: rm.MatchConfig) -> None:
    arrays = compile_program(program, config)
    scorer = PairScorer(arrays, config, {})
    r, c = _all_pairs(arrays.shape)
    values, masks, _ = scorer.exact(r, c)
    units = scorer.objective(r, c, values)
    allowed = masks == 0
    topic = scorer.details(r, c, scorer.overlap(r, c)).get("topic", np.zeros(r.size))
    attribute, bits = scorer.attribute_part(r, c)
    # Rule bits known early are exact; bounds never fall short of an allowed pair.
    assert np.array_equal(bits & masks, bits)
    assert np.array_equal(scorer.pair_bits(r, c) & masks, scorer.pair_bits(r, c))
    partial = scorer.base_bound(r, topic) + attribute
    fast = scorer.bound_units(r, partial)
    assert (fast[allowed] >= units[allowed]).all()
    tight, enough = scorer.time_bound(r, c, partial)
    assert (tight[allowed] >= units[allowed]).all()
    assert enough[allowed].all()
    top = scorer.bound_units(r, scorer.base_bound(r, topic) + scorer.attribute_max(r))
    assert (top >= fast).all()


# ------------------------------------------------- certificate on raw matrices


def _matrix(seed: int, n: int, m: int, objective: str) -> tuple[Int2D, NDArray[np.bool_], Int2D]:
    """Score-like weights: a topic fit with ties (integer levels, two wishes per
    row), a few small bonuses, rules and mentor capacities."""
    rng = np.random.default_rng(seed)
    wishes = np.zeros((n, 8), dtype=np.int64)
    for i in range(n):
        wishes[i, rng.choice(8, size=2, replace=False)] = rng.integers(1, 6, size=2)
    skills = rng.integers(0, 6, size=(m, 8))
    fit = (wishes @ skills.T) / (5 * wishes.sum(axis=1, keepdims=True))
    extra = rng.integers(0, 5, size=(n, m)) * 0.02
    weights = np.rint((0.6 * fit + extra) * 1e6).astype(np.int64)
    if objective == "max_score":
        weights -= 300_000
    allowed = rng.random((n, m)) < 0.7
    capacities = rng.integers(0, 4, size=m).astype(np.int64)
    return weights, allowed, capacities


def _certify_matrix(
    weights: Int2D,
    allowed: NDArray[np.bool_],
    capacities: Int2D,
    k: int,
    objective: str,
    method: str,
) -> tuple[NDArray[np.intp], NDArray[np.intp], int, int]:
    """Top-k candidates of a matrix, certified with ``certify`` and an exact ``expand``."""
    n, m = weights.shape
    positive = objective == "max_score"
    usable = allowed & (capacities > 0)[None, :] & ((weights > 0) if positive else True)
    masked = np.where(usable, weights, NEG)
    # Ties are broken differently in every row, as the walk does.
    spread = np.random.default_rng(n * m + k).random((n, m))
    order = np.lexsort((spread, -masked), axis=1)
    top = order[:, :k]
    rows = np.repeat(np.arange(n), top.shape[1])
    cols = top.ravel()
    keep = usable[rows, cols]
    rows, cols = rows[keep].astype(np.intp), cols[keep].astype(np.intp)
    bound = np.full(n, NEG, dtype=np.int64)
    if m > k:
        bound = np.take_along_axis(masked, order[:, k : k + 1], axis=1)[:, 0].astype(np.int64)

    def expand(execs: Any, theta: Any, dual: Any, keep: Any) -> Any:
        r_out, c_out, w_out, new_bound, violations = [], [], [], [], []
        for i, t, most in zip(execs.tolist(), theta.tolist(), keep.tolist(), strict=True):
            ranked = order[i][masked[i, order[i]] > t]
            over, rest = ranked[:most].astype(np.intp), ranked[most:]
            r = np.full(over.size, i, dtype=np.intp)
            r_out.append(r)
            c_out.append(over)
            w_out.append(weights[i, over])
            below = usable[i] & (weights[i] <= t)
            left = [int(weights[i][below].max())] if below.any() else []
            new_bound.append(max([NEG, *left, *(int(weights[i, j]) for j in rest[:1])]))
            violations.append(int((weights[i, over] > t + dual(r, over)).sum()))
        return (
            np.concatenate(r_out),
            np.concatenate(c_out),
            np.concatenate(w_out),
            np.array(new_bound, dtype=np.int64),
            np.array(violations, dtype=np.int64),
        )

    row_caps = np.ones(n, dtype=np.int64)
    cardinality_first = objective == "coverage_then_score"
    shift = 0
    if cardinality_first:
        low, high = int(weights.min()) - 1, int(weights.max()) + 1
        shift = (min(n, int(capacities.sum())) + 1) * (high - low) + 1 - low
    graph = Graph(n, m, rows, cols, weights[rows, cols], row_caps, capacities)
    done = certify(graph, bound, np.full(n, k), shift, cardinality_first, method, expand)
    assert done.certified
    return done.rows, done.cols, int(weights[done.rows, done.cols].sum()), done.rounds


@needs("ortools")
@given(
    n=st.integers(1, 40),
    m=st.integers(1, 60),
    k=st.integers(1, 5),
    seed=st.integers(0, 2**16),
    objective=st.sampled_from(["coverage_then_score", "max_score"]),
    method=st.sampled_from(["ortools", "sparse", "flow"]),
)
@example(n=3000, m=3000, k=4, seed=7, objective="coverage_then_score", method="ortools")
@example(n=1500, m=3000, k=2, seed=8, objective="max_score", method="sparse")
def test_top_k_certificate_equals_the_dense_optimum(
    n: int, m: int, k: int, seed: int, objective: str, method: str
) -> None:
    weights, allowed, capacities = _matrix(seed, n, m, objective)
    rows, cols, total, _ = _certify_matrix(weights, allowed, capacities, k, objective, method)
    reference = "lapjv" if "lapjv" in available_methods() else "jv"
    dense = rm.solve(
        weights / 1e6,
        feasible=allowed,
        capacities=capacities,
        objective=objective,
        method=reference,
    )
    assert allowed[rows, cols].all()
    assert (np.bincount(cols, minlength=m) <= capacities).all()
    assert np.unique(rows).size == rows.size
    if objective == "coverage_then_score":
        assert rows.size == dense.rows.size
    assert total == int(np.rint(weights[dense.rows, dense.cols].sum()))


def test_a_cohort_whose_lists_are_too_short_is_widened() -> None:
    # Every executive's single best mentor is m0: with k=1 the first graph
    # has one usable mentor, the certificate fails for all but one
    # executive, and their lists must be widened to reach the optimum.
    mentors = [person("m0", expertise={"digital": 5, "diversity": 5})] + [
        person(f"m{j}", expertise={"digital": 4}) for j in range(1, 5)
    ]
    executives = [person(f"e{i}", interests={"digital": 5, "diversity": 1}) for i in range(4)]
    program = rm.Program(mentors=mentors, executives=executives)
    result = match_candidates(program, rm.MatchConfig(candidates=1))
    audit = result.audit["candidates"]
    assert audit["certified"] is True
    assert audit["rounds"] >= 2
    assert audit["widened_executives"] >= 3
    dense = rm.match(program)
    assert len(result.pairs) == len(dense.pairs) == 4
    assert result.audit["objective_value"] == dense.audit["objective_value"]


# ----------------------------------------------------------- program level


def _nothing_lost(program: rm.Program, result: rm.MatchResult) -> None:
    matched_exec = Counter(p.executive_id for p in result.pairs)
    matched_mentor = Counter(p.mentor_id for p in result.pairs)
    unmatched = Counter(u.id for u in result.unmatched)
    for e in program.executives:
        assert (e.id in matched_exec) != (e.id in unmatched)
    for mentor in program.mentors:
        assert (mentor.id in matched_mentor) != (mentor.id in unmatched)
        assert matched_mentor[mentor.id] <= mentor.capacity
    assert all(u.reasons for u in result.unmatched)


@given(
    programs(),
    st.integers(1, 3),
    st.sampled_from(["coverage_then_score", "max_score"]),
    st.sampled_from([1, 2]),
)
def test_candidates_reach_the_dense_optimum(
    program: rm.Program, k: int, objective: str, per_executive: int
) -> None:
    config = rm.MatchConfig(objective=objective, mentors_per_executive=per_executive)
    dense = rm.match(program, config)
    result = match_candidates(program, config.replace(candidates=k))
    assert result.audit["candidates"]["certified"] is True
    assert len(result.pairs) == len(dense.pairs)
    assert result.audit["objective_value"] == pytest.approx(
        dense.audit["objective_value"], abs=1e-9
    )
    _nothing_lost(program, result)
    scores = rm.score(program, config)
    for p in result.pairs:
        i, j = scores.executive_ids.index(p.executive_id), scores.mentor_ids.index(p.mentor_id)
        assert scores.reasons[i, j] == 0
        assert p.score == scores.values[i, j]


def test_pairs_and_unmatched_executives_are_explained_as_in_the_dense_path() -> None:
    program = rm.datasets.make_program(n_executives=40, n_mentors=70, seed=5)
    dense = rm.match(program)
    result = match_candidates(program, rm.MatchConfig(candidates=3))
    dense_pairs = {(p.executive_id, p.mentor_id): p for p in dense.pairs}
    shared = [p for p in result.pairs if (p.executive_id, p.mentor_id) in dense_pairs]
    assert shared
    for p in shared:
        assert p == dense_pairs[(p.executive_id, p.mentor_id)]
    dense_unmatched = {u.id: u for u in dense.unmatched if u.role == "executive"}
    for u in result.unmatched:
        if u.role == "executive" and u.id in dense_unmatched:
            assert u == dense_unmatched[u.id]
    assert result.metrics["blocking_pairs"] is None
    assert result.scores is None
    assert result.metrics.keys() == dense.metrics.keys()
    for key in ("n_executives", "n_mentors", "n_pairs", "matched_executives", "mentor_capacity"):
        assert result.metrics[key] == dense.metrics[key]


def test_unmatched_mentors_count_every_rule_but_shared_time() -> None:
    program = rm.datasets.make_program(n_executives=15, n_mentors=60, seed=11)
    config = rm.MatchConfig(candidates=2, exclude_same_department=True)
    result = match_candidates(program, config)
    scores = rm.score(program, config)
    overlap_bit = REASON_BITS["min_overlap"]
    for u in result.unmatched:
        if u.role != "mentor" or "no_capacity" in u.reasons:
            continue
        column = scores.reasons[:, scores.mentor_ids.index(u.id)]
        expected = reason_counts(column)
        expected.pop("min_overlap", None)
        passing = int(np.count_nonzero((column & ~np.uint16(overlap_bit)) == 0))
        if passing:
            expected[OUTRANKED] = passing
        assert u.reasons == expected, u.id


def test_an_executive_nobody_can_mentor_keeps_reasons_and_fix() -> None:
    program = rm.Program(
        mentors=[person("m1", manager_id="e1"), person("m2", availability=["Tue 08:00-09:00"])],
        executives=[person("e1"), person("e2")],
    )
    dense = rm.match(program)
    result = match_candidates(program, rm.MatchConfig(candidates=1))
    assert {u.id: u for u in result.unmatched if u.role == "executive"} == {
        u.id: u for u in dense.unmatched if u.role == "executive"
    }


def test_fixes_are_computed_on_first_use_as_on_the_dense_scores(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every mentor shares e1's and e2's department; e3 shares no time either.
    program = rm.Program(
        mentors=[
            person("m1", department="IT"),
            person("m2", department="IT"),
            person("m3", department="HR"),
        ],
        executives=[
            person("e1", department="IT"),
            person("e2", department="IT"),
            person("e3", department="IT", availability=["Tue 08:00-09:00"]),
        ],
    )
    config = rm.MatchConfig(candidates=1, exclude_same_department=True)
    computed: list[tuple[int, str]] = []
    real = scale_result.smallest_relaxation

    def counting(*args: Any, **kwargs: Any) -> Any:
        computed.append((args[1], args[2]))
        return real(*args, **kwargs)

    monkeypatch.setattr(scale_result, "smallest_relaxation", counting)
    result = match_candidates(program, config)
    assert computed == []
    scores = rm.score(program, config)
    used = np.bincount(
        [scores.mentor_ids.index(p.mentor_id) for p in result.pairs],
        minlength=len(scores.mentor_ids),
    )
    people = list(reversed(result.unmatched))
    assert {u.role for u in people if u.fix is not None} == {"executive", "mentor"}
    for u in people:
        ids = scores.executive_ids if u.role == "executive" else scores.mentor_ids
        assert u.fix == smallest_relaxation(scores, ids.index(u.id), u.role, used), u.id
    assert len(computed) == len(set(computed)) == len(people)


def test_long_lines_keep_exact_reasons_without_a_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    program = rm.Program(
        mentors=[person("m1", manager_id="e1"), person("m2", availability=["Mon 13:30-14:00"])],
        executives=[person("e1"), person("e2")],
    )
    monkeypatch.setattr("revmatch.scale._result.FIX_LIMIT", 1)
    dense = {u.id: u for u in rm.match(program).unmatched}
    result = match_candidates(program, rm.MatchConfig(candidates=1))
    (mine,) = (u for u in result.unmatched if u.role == "executive")
    assert (mine.reasons, mine.hint) == (dense[mine.id].reasons, dense[mine.id].hint)
    assert dense[mine.id].fix is not None
    assert mine.fix is None


def test_pins_priority_and_repeat_bonus_match_the_dense_path() -> None:
    program = rm.datasets.make_program(n_executives=12, n_mentors=20, seed=3)
    program = program.replace(
        history=[{"executive_id": program.executives[1].id, "mentor_id": program.mentors[1].id}],
        priority=[program.executives[2].id],
    )
    dense_first = rm.match(program)
    pinned = dense_first.pairs[-1]
    program = program.replace(
        pinned=[{"executive_id": pinned.executive_id, "mentor_id": pinned.mentor_id}]
    )
    config = rm.MatchConfig(priority_bonus=0.2, allow_repeats=True, repeat_bonus=0.3)
    dense = rm.match(program, config)
    result = match_candidates(program, config.replace(candidates=2))
    assert result.audit["objective_value"] == dense.audit["objective_value"]
    assert sum(p.pinned for p in result.pairs) == sum(p.pinned for p in dense.pairs) == 1


@needs("ortools")
def test_methods_of_the_candidate_graph_agree() -> None:
    program = rm.datasets.make_program(n_executives=25, n_mentors=40, seed=9)
    values = {
        method: match_candidates(program, rm.MatchConfig(candidates=2, method=method)).audit[
            "objective_value"
        ]
        for method in ("ortools", "sparse", "flow", "auto")
    }
    assert len(set(values.values())) == 1


def test_settings_candidate_mode_cannot_take() -> None:
    program = rm.datasets.make_program(n_executives=4, n_mentors=5, seed=1)
    with pytest.raises(rm.InvalidInputError, match="supports the objectives"):
        match_candidates(program, rm.MatchConfig(candidates=2, objective="maximin"))
    with pytest.raises(rm.InvalidInputError, match="works on dense matrices"):
        match_candidates(program, rm.MatchConfig(candidates=2, method="jv"))
    with pytest.raises(rm.InvalidInputError, match="'sparse' needs one mentor"):
        match_candidates(
            program, rm.MatchConfig(candidates=2, method="sparse", mentors_per_executive=2)
        )


def test_auto_is_dense_for_small_programs_and_maximin() -> None:
    program = rm.datasets.make_program(n_executives=6, n_mentors=9, seed=2)
    result = match_candidates(program, {"candidates": "auto", "method": "jv"})
    assert result.audit["candidates"] == {"mode": "dense"}
    assert result.scores is not None
    assert result.pairs == rm.match(program, {"method": "jv"}).pairs
    maximin = match_candidates(program, {"candidates": "auto", "objective": "maximin"})
    assert maximin.audit["candidates"] == {"mode": "dense"}


@pytest.mark.parametrize(
    ("shape", "objective", "expected"),
    [
        ((1000, 1000), "coverage_then_score", None),
        ((2000, 20000), "coverage_then_score", DEFAULT_K),
        ((6000, 6000), "coverage_then_score", None),
        ((11000, 11000), "coverage_then_score", DEFAULT_K),
        ((2000, 20000), "maximin", None),
    ],
)
def test_auto_picks_candidate_mode_for_large_wide_programs(
    shape: tuple[int, int], objective: str, expected: int | None
) -> None:
    config = rm.MatchConfig(candidates="auto", objective=objective)
    assert candidate_k(config, shape) == expected


def test_strict_raises_when_an_executive_cannot_be_matched() -> None:
    program = rm.Program(
        mentors=[person("m1")],
        executives=[person("e1"), person("e2")],
    )
    with pytest.raises(rm.InfeasibleError, match="cannot get all their mentors"):
        match_candidates(program, rm.MatchConfig(candidates=1, strict=True))


def _likes_low_ids(arrays: Any, rows: slice) -> Any:
    n = arrays.shape[1]
    return np.broadcast_to(1.0 - np.arange(n) / max(n, 1), (rows.stop - rows.start, n))


def test_custom_components_are_scored_exactly() -> None:
    program = rm.datasets.make_program(n_executives=10, n_mentors=15, seed=4)
    config = rm.MatchConfig(weights={"custom:low": 0.4})
    custom = {"low": _likes_low_ids}
    dense = rm.match(program, config, custom=custom)
    result = match_candidates(program, config.replace(candidates=2), custom=custom)
    assert result.audit["objective_value"] == dense.audit["objective_value"]


# ------------------------------------------------------------- match_many


def _comparable(result: rm.MatchResult | CohortFailure) -> Any:
    assert isinstance(result, rm.MatchResult), result
    audit = {k: v for k, v in result.audit.items() if k != "timings"}
    return result.pairs, result.unmatched, result.metrics, audit


def _cohorts() -> list[rm.Program]:
    return [
        rm.datasets.make_program(n_executives=6, n_mentors=8, seed=s, name=f"c{s}")
        for s in range(4)
    ]


def test_match_many_equals_serial_on_threads_and_processes() -> None:
    cohorts = _cohorts()
    serial = [_comparable(r) for r in match_many(cohorts)]
    assert serial == [_comparable(rm.match(p)) for p in cohorts]
    with ThreadPoolExecutor(max_workers=2) as pool:
        assert [_comparable(r) for r in match_many(cohorts, executor=pool)] == serial
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=spawn) as pool:
        results = match_many(cohorts, executor=pool, chunksize=2)
        light = match_many(cohorts, executor=pool, scores=False)
    assert [_comparable(r) for r in results] == serial
    assert [_comparable(r) for r in light] == serial
    assert all(isinstance(r, rm.MatchResult) and r.scores is None for r in light)


def test_match_many_on_a_dask_local_cluster_equals_serial() -> None:
    distributed = pytest.importorskip("distributed")
    cohorts = _cohorts()
    serial = [_comparable(r) for r in match_many(cohorts)]
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        results = match_many(cohorts, executor=client.get_executor())
    assert [_comparable(r) for r in results] == serial


def test_a_failing_cohort_is_reported_and_the_others_succeed() -> None:
    good = _cohorts()[:2]
    bad = {"program": {"name": "broken"}, "executives": [{"id": "e1", "interests": {"x": 9}}]}
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = match_many([good[0], bad, good[1]], executor=pool)
    assert isinstance(results[0], rm.MatchResult)
    assert isinstance(results[2], rm.MatchResult)
    failure = results[1]
    assert isinstance(failure, CohortFailure)
    assert (failure.index, failure.name, failure.error) == (1, "broken", "InvalidInputError")
    assert "broken" in str(failure)
    with pytest.raises(ExceptionGroup) as caught:
        match_many([good[0], bad], errors="raise")
    (error,) = caught.value.exceptions
    assert isinstance(error, CohortError)
    assert (error.index, error.name) == (1, "broken")


def test_match_many_checks_its_arguments() -> None:
    with pytest.raises(rm.InvalidInputError, match="chunksize"):
        match_many([], chunksize=0)
    with pytest.raises(rm.InvalidInputError, match="errors"):
        match_many([], errors="ignore")  # type: ignore[arg-type]


# --------------------------------------------------------------- split_by


def test_split_by_keeps_everyone_and_chains_through_other_cohorts() -> None:
    # m1 (IT) reports to x1 (an HR mentor), who reports to e1 (IT): in the IT
    # cohort x1 becomes an org entry, so e1 still never gets m1.
    program = rm.Program(
        executives=[person("e1", department="IT"), person("e2", department="HR")],
        mentors=[
            person("m1", department="IT", manager_id="x1"),
            person("x1", department="HR", manager_id="e1", blocked=["e1"]),
            person("m3"),
        ],
    )
    cohorts = split_by(program, "department")
    assert list(cohorts) == ["HR", "IT", None]
    assert sorted(p.id for c in cohorts.values() for p in c.people()) == sorted(
        p.id for p in program.people()
    )
    it = cohorts["IT"]
    assert it.name.endswith("[department=IT]")
    assert [(o.id, o.manager_id) for o in it.org] == [("x1", "e1")]
    assert rm.match(it).pairs == ()
    hr = cohorts["HR"]
    assert [(o.id, o.manager_id) for o in hr.org] == [("e1", None)]
    assert hr.mentors[0].blocked == ()
    assert cohorts[None].name.endswith("[department=]")


def test_split_by_rejects_unknown_fields_and_split_pins() -> None:
    program = rm.Program(
        executives=[person("e1", location="Berlin")],
        mentors=[person("m1", location="Paris")],
        pinned=[{"executive_id": "e1", "mentor_id": "m1"}],
    )
    with pytest.raises(rm.InvalidInputError, match="Cannot split by 'grade'"):
        split_by(program, "grade")
    with pytest.raises(rm.InvalidInputError, match="pinned pair must stay within one cohort"):
        split_by(program, "location")


def test_split_by_region_and_match_many_cover_the_program() -> None:
    program = rm.datasets.make_program(n_executives=30, n_mentors=45, seed=6)
    cohorts = split_by(program, "region")
    results = match_many(list(cohorts.values()))
    assert sum(r.metrics["n_executives"] for r in results if isinstance(r, rm.MatchResult)) == 30


def test_more_candidates_than_mentors_keeps_every_mentor() -> None:
    # Found by fuzzing: k = 2**63 overflowed k * places; any k above the
    # number of mentors means "every mentor" and gives the dense optimum.
    program = rm.datasets.make_program(n_executives=6, n_mentors=5, seed=3)
    huge = rm.match(program, rm.MatchConfig(candidates=2**63))
    assert huge.audit["candidates"]["k"] == 5
    assert huge.audit["objective_value"] == rm.match(program).audit["objective_value"]
