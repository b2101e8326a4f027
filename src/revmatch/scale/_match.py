"""Candidate mode of :func:`revmatch.match`: top-k candidates, exact solve, certificate."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from time import perf_counter
from typing import Any

import numpy as np
from numpy.typing import NDArray

from revmatch.compile import PairSet, ProgramArrays, compile_program
from revmatch.constraints import decode_reasons
from revmatch.exceptions import InfeasibleError, InvalidInputError
from revmatch.matching import _pin_groups, build_result, solve_scores
from revmatch.models import MatchConfig, Program
from revmatch.result import MatchResult
from revmatch.scale._candidates import ProgramCandidates
from revmatch.scale._certify import METHODS, SPARSE_NEEDS_ONE, Graph, certify
from revmatch.scale._pairs import PairScorer
from revmatch.scale._result import build_candidate_result
from revmatch.scoring import ComponentFn, score_arrays

__all__ = [
    "AUTO_DENSE_PAIRS",
    "AUTO_MIN_PAIRS",
    "AUTO_MIN_RATIO",
    "CANDIDATE_OBJECTIVES",
    "DEFAULT_K",
    "match_candidates",
]

IntpArray = NDArray[np.intp]
Int64Array = NDArray[np.int64]

DEFAULT_K = 16
"""Candidates per executive place with ``candidates="auto"``.

Measured with ``benchmarks/bench_scale.py`` on 2 shared cores: at 5,000 x
50,000, k = 4, 8, 16, 32 needed 9, 7, 5 and 2 solves of the candidate graph
and 5.7, 4.7, 4.3 and 4.8 s for candidates + solve; at 20,000 x 200,000,
k = 16 and 32 took 37.5 and 39.4 s. Beyond 16 the walk costs more than the
saved solves gain, and the graph grows."""

AUTO_MIN_PAIRS = 25_000_000
"""``candidates="auto"`` considers candidate mode from this many pairs on.

Below, the dense matrices fit comfortably and the dense path is fast."""

AUTO_DENSE_PAIRS = 100_000_000
"""``candidates="auto"`` always uses candidate mode from this many pairs on
(the dense matrices would need about 10 GB)."""

AUTO_MIN_RATIO = 4
"""Between :data:`AUTO_MIN_PAIRS` and :data:`AUTO_DENSE_PAIRS`, ``"auto"``
uses candidate mode when there are at least this many mentors per executive
place. With few mentors per executive the lists collide and must be widened
many times: at 3,000 x 3,000 the dense path took 5 s and candidate mode 45 s,
while at 2,000 x 20,000 candidate mode took 5.5 s against 20 s."""

CANDIDATE_OBJECTIVES = ("coverage_then_score", "max_score")
"""Objectives candidate mode certifies."""


def _resolve(config: MatchConfig, shape: tuple[int, int]) -> int | None:
    """``k`` for candidate mode, or None for the dense path.

    Raises
    ------
    InvalidInputError
        When an explicit ``k`` is combined with an objective candidate mode
        cannot certify.
    """
    setting = config.candidates
    if setting is None:
        return None
    if setting == "auto":
        n_exec, n_mentor = shape
        n_pairs = n_exec * n_mentor
        places = n_exec * config.mentors_per_executive
        wide = n_mentor >= AUTO_MIN_RATIO * places
        if config.objective not in CANDIDATE_OBJECTIVES or n_pairs < AUTO_MIN_PAIRS:
            return None
        return DEFAULT_K if wide or n_pairs >= AUTO_DENSE_PAIRS else None
    if config.objective not in CANDIDATE_OBJECTIVES:
        raise InvalidInputError(
            f"candidates={setting} supports the objectives {', '.join(CANDIDATE_OBJECTIVES)}; "
            f"got {config.objective!r}. Use candidates=None (dense) or candidates='auto'."
        )
    # More candidates than mentors keeps every mentor; the cap also keeps
    # k * places within int64 whatever the setting.
    return min(int(setting), max(shape[1], 1))


def match_candidates(
    program: Program | Mapping[str, Any],
    config: MatchConfig | Mapping[str, Any] | None = None,
    *,
    custom: Mapping[str, ComponentFn] | None = None,
) -> MatchResult:
    """Pair executives with mentors from top-k candidate lists, with a proof of optimality.

    This is what :func:`revmatch.match` runs when ``config.candidates`` is
    set. Each executive keeps its ``k`` best allowed mentors (``k`` per place
    with several mentors per executive), found without scoring every pair;
    the candidate graph is solved exactly, and a dual certificate proves the
    result optimal for the *full* problem, widening the lists of the
    executives where the first proof does not go through.

    Parameters
    ----------
    program : Program or mapping
        The validated program, or canonical data to validate.
    config : MatchConfig or mapping, optional
        Settings; ``config.candidates`` is an int ``k`` or ``"auto"``:
        ``k = DEFAULT_K`` from :data:`AUTO_DENSE_PAIRS` pairs on, or from
        :data:`AUTO_MIN_PAIRS` on with at least :data:`AUTO_MIN_RATIO`
        mentors per executive place; otherwise, and for the ``maximin``
        objective, the dense path. ``None`` runs the dense path.
        ``config.method`` picks the solver of the candidate graph:
        ``"auto"``, ``"ortools"``, ``"sparse"`` or ``"flow"`` (with
        ``candidates="auto"``, a dense method name means ``"auto"``).
    custom : mapping of str to ComponentFn, optional
        Custom components; each costs a call per executive and is bounded by
        1 when pruning.

    Returns
    -------
    MatchResult
        Pairs, unmatched people and metrics with the meaning of the dense
        path (see :mod:`revmatch.scale` for the two differences: mentors'
        ``outranked`` reason and ``blocking_pairs = None``), ``scores=None``
        and ``audit["candidates"]`` with ``certified``, ``k``, rounds,
        candidate and evaluated pairs, the executives widened, ``unit`` and
        ``tolerance``. The graph is solved and certified in integer multiples
        of ``unit`` (:func:`~revmatch.scale._pairs.objective_decimals`: the
        scores' decimals, more if a bonus needs them), which hold the dense
        path's objective weights (scores plus priority and repeat bonuses)
        exactly, so ``tolerance`` is 0 and the certified optimum is the dense
        optimum. Only a bonus with more than 12 decimals is rounded to
        ``1e-12``; ``tolerance`` then bounds how far the total may fall short
        of the dense optimum (one unit per pair).

    Raises
    ------
    InvalidInputError
        If the program or config is invalid, a pinned pair breaks a rule, or
        an explicit ``k`` meets the ``maximin`` objective.
    InfeasibleError
        With ``config.strict`` when not every executive can be matched.

    Examples
    --------
    >>> import revmatch as rm
    >>> from revmatch.scale import match_candidates
    >>> program = rm.datasets.make_program(n_executives=20, n_mentors=60, seed=2)
    >>> result = match_candidates(program, rm.MatchConfig(candidates=3))
    >>> result.audit["candidates"]["certified"]
    True
    >>> dense = rm.match(program)
    >>> result.audit["objective_value"] == dense.audit["objective_value"]
    True
    """
    start = perf_counter()
    timings: dict[str, float] = {}
    if not isinstance(program, Program):
        program = Program.model_validate(program)
    if config is None:
        config = MatchConfig()
    elif not isinstance(config, MatchConfig):
        config = MatchConfig.model_validate(config)
    custom = dict(custom or {})
    timings["validate"] = perf_counter() - start
    k = _resolve(config, (len(program.executives), len(program.mentors)))
    method = None if k is None else _graph_method(config)

    t = perf_counter()
    arrays = compile_program(program, config)
    timings["compile"] = perf_counter() - t
    if k is None or method is None:
        return _dense(arrays, config, custom, timings, start)
    return _sparse(arrays, config, custom, k, method, timings, start)


def _dense(
    arrays: ProgramArrays,
    config: MatchConfig,
    custom: Mapping[str, ComponentFn],
    timings: dict[str, float],
    start: float,
) -> MatchResult:
    t = perf_counter()
    scores = score_arrays(arrays, config, custom=custom)
    timings["score"] = perf_counter() - t
    t = perf_counter()
    rows, cols, pinned, method = solve_scores(scores)
    timings["solve"] = perf_counter() - t
    extra = {"candidates": {"mode": "dense"}}
    return build_result(
        scores, rows, cols, pinned, method=method, timings=timings, start=start, audit_extra=extra
    )


def _pins(
    scorer: PairScorer, capacities: Int64Array, row_capacities: Int64Array
) -> tuple[IntpArray, IntpArray]:
    """Check pinned pairs against the rules and take their places (as the dense path does)."""
    arrays = scorer.arrays
    width = max(arrays.shape[1], 1)
    rows = (arrays.pinned.keys // width).astype(np.intp)
    cols = (arrays.pinned.keys % width).astype(np.intp)
    _, masks, _ = scorer.exact(rows, cols)
    problems = []
    for r, c, mask in zip(rows.tolist(), cols.tolist(), masks.tolist(), strict=True):
        broken = decode_reasons(int(mask))
        pair = f"pinned pair ({arrays.executives[r].id!r}, {arrays.mentors[c].id!r})"
        if broken:
            problems.append(f"{pair} breaks the rule(s) {', '.join(broken)}")
        capacities[c] -= 1
        if capacities[c] < 0:
            problems.append(f"{pair} exceeds the capacity of mentor {arrays.mentors[c].id!r}")
    if problems:
        raise InvalidInputError("; ".join(problems))
    np.subtract.at(row_capacities, rows, 1)
    np.maximum(row_capacities, 0, out=row_capacities)
    return rows, cols


def _shift(scorer: PairScorer, row_capacities: Int64Array, capacities: Int64Array) -> int:
    """``S = B - w_min`` of :mod:`revmatch.scale._certify`, from bounds over all pairs.

    Scores lie in 0..1; the priority and repeat terms bound the rest.
    """
    config = scorer.config
    repeat = config.repeat_bonus if config.allow_repeats else 0.0
    low = float(scorer.priority.min(initial=0.0)) + min(repeat, 0.0)
    high = 1.0 + float(scorer.priority.max(initial=0.0)) + max(repeat, 0.0)
    w_min = int(np.floor(low * scorer.scale)) - 1
    spread = int(np.ceil(high * scorer.scale)) + 1 - w_min
    shift = (_most_pairs(row_capacities, capacities) + 1) * spread + 1 - w_min
    # Shifted weights, their sums along paths and the potentials are int64.
    if shift > _MAX_SHIFT:
        raise InvalidInputError(
            f"Objective units of 10**-{scorer.decimals} are too fine for exact integer "
            "arithmetic on a program of this size; lower score_decimals, or give "
            "priority_bonus and repeat_bonus fewer decimals."
        )
    return shift


#: Largest coverage shift: shifted weights and the potentials built from
#: them (a few weights each) stay well inside int64 and below its 2**62
#: "unreachable" mark.
_MAX_SHIFT = 1 << 58


def _most_pairs(row_capacities: Int64Array, capacities: Int64Array) -> int:
    return min(int(row_capacities.sum()), int(capacities.sum()))


def _sparse(
    arrays: ProgramArrays,
    config: MatchConfig,
    custom: Mapping[str, ComponentFn],
    k: int,
    method: str,
    timings: dict[str, float],
    start: float,
) -> MatchResult:
    t = perf_counter()
    capacities = np.minimum(arrays.capacities, max(arrays.shape[0], 1)).astype(np.int64)
    row_capacities = np.full(arrays.shape[0], config.mentors_per_executive, dtype=np.int64)
    cardinality_first = config.objective == "coverage_then_score" or config.strict
    positive_only = config.objective == "max_score"
    scorer = PairScorer(arrays, config, custom)
    pin_rows, pin_cols = _pins(scorer, capacities, row_capacities)
    ruled_rows, ruled_cols = _pin_groups(arrays, config, pin_rows, pin_cols)
    taken = PairSet.from_pairs(
        np.concatenate([pin_rows, ruled_rows]).tolist(),
        np.concatenate([pin_cols, ruled_cols]).tolist(),
        arrays.shape[1],
    )
    candidates = ProgramCandidates(scorer, row_capacities, capacities, positive_only, taken)
    first = candidates.initial(k)
    timings["candidates"] = perf_counter() - t

    t = perf_counter()
    labels = _labels(arrays, config) if config.mentors_per_executive > 1 else None
    evaluated = [first.evaluated]
    bounded = [first.bounded]

    def expand(
        execs: IntpArray, threshold: Int64Array, dual: Any, keep: Int64Array
    ) -> tuple[IntpArray, IntpArray, Int64Array, Int64Array, Int64Array]:
        walk, violations = candidates.expand(execs, threshold, dual, keep)
        evaluated.append(walk.evaluated)
        bounded.append(walk.bounded)
        return walk.rows, walk.cols, walk.weights, walk.bound, violations

    graph = Graph(
        arrays.shape[0],
        arrays.shape[1],
        first.rows,
        first.cols,
        first.weights,
        row_capacities,
        capacities,
    )
    shift = _shift(scorer, row_capacities, capacities) if cardinality_first else 0
    keep = k * np.maximum(row_capacities, 1)
    done = certify(graph, first.bound, keep, shift, cardinality_first, method, expand, labels)
    timings["solve"] = perf_counter() - t

    rows = np.concatenate([done.rows, pin_rows]).astype(np.intp)
    cols = np.concatenate([done.cols, pin_cols]).astype(np.intp)
    pinned = np.concatenate([np.zeros(done.rows.size, bool), np.ones(pin_rows.size, bool)])
    order = np.lexsort((cols, rows))
    rows, cols, pinned = rows[order], cols[order], pinned[order]
    if config.strict:
        _check_strict(arrays, config, rows)
    extra = {
        "candidates": {
            "mode": "candidates",
            "k": k,
            "certified": done.certified,
            "rounds": done.rounds,
            "candidate_pairs": done.n_candidates,
            "bounded_pairs": int(sum(bounded)),
            "evaluated_pairs": int(sum(evaluated)),
            "widened_executives": done.widened,
            "all_pairs": arrays.shape[0] * arrays.shape[1],
            "unit": 10.0**-scorer.decimals,
            "tolerance": 0.0
            if scorer.units_exact
            else _most_pairs(row_capacities, capacities) * 10.0**-scorer.decimals,
        }
    }
    return build_candidate_result(
        scorer,
        rows,
        cols,
        pinned,
        method=done.method,
        timings=timings,
        start=start,
        audit_extra=extra,
    )


def _graph_method(config: MatchConfig) -> str:
    """Solver of the candidate graph.

    With ``candidates="auto"`` a method of the dense path (``"jv"``, ...)
    stands for "the best exact method", so the graph gets ``"auto"`` too.

    Raises
    ------
    InvalidInputError
        With an explicit ``k`` and a method the graph cannot use.
    """
    if config.method == "sparse" and config.mentors_per_executive > 1:
        raise InvalidInputError(SPARSE_NEEDS_ONE)
    if config.method in METHODS:
        return config.method
    if config.candidates == "auto":
        return "auto"
    raise InvalidInputError(
        f"Method {config.method!r} works on dense matrices; with candidates={config.candidates} "
        f"use one of: {', '.join(METHODS)}."
    )


def _labels(
    arrays: ProgramArrays, config: MatchConfig
) -> Callable[[IntpArray, IntpArray], IntpArray]:
    """Topic group of pairs: the topic the mentor serves best for the executive.

    The pair-wise form of the dense path's ``pair_groups``.
    """
    tw = np.array([config.topic_weights.get(t, 1.0) for t in arrays.topics])
    wished = arrays.interests * tw

    def labels(r: IntpArray, c: IntpArray) -> IntpArray:
        gain = wished[r] * arrays.expertise[c]
        out = np.full(r.size, -1, dtype=np.intp)
        useful = gain.max(axis=1, initial=0.0) > 0
        out[useful] = np.argmax(gain[useful], axis=1)
        return out

    return labels


def _check_strict(arrays: ProgramArrays, config: MatchConfig, rows: IntpArray) -> None:
    got = np.bincount(rows, minlength=arrays.shape[0])
    short = np.flatnonzero(got < config.mentors_per_executive)
    if short.size:
        ids = ", ".join(repr(arrays.executives[i].id) for i in short[:10].tolist())
        more = ", ..." if short.size > 10 else ""
        raise InfeasibleError(
            f"strict=True, but {short.size} executive(s) cannot get all their mentors "
            f"in any assignment: {ids}{more}.",
            rows=short.tolist(),
        )
