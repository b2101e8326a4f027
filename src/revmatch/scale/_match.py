"""Candidate mode of :func:`revmatch.match`: top-k candidates, exact solve, certificate."""

from __future__ import annotations

from collections.abc import Mapping
from time import perf_counter
from typing import Any

import numpy as np
from numpy.typing import NDArray

from revmatch._pipeline.assign import group_labels, pin_groups, take_pins, with_pins
from revmatch._pipeline.compile import PairSet, ProgramArrays
from revmatch._pipeline.prepare import Clock, Prepared, as_config, as_program, compiled
from revmatch._pipeline.run import run_dense
from revmatch._pipeline.scoring import ComponentFn
from revmatch._progress import Progress
from revmatch.exceptions import InfeasibleError, InvalidInputError
from revmatch.models import MatchConfig, Program
from revmatch.result import MatchResult
from revmatch.scale._candidates import ProgramCandidates
from revmatch.scale._certify import METHODS, SPARSE_NEEDS_ONE, Graph, certify
from revmatch.scale._pairs import PairScorer
from revmatch.scale._result import build_candidate_result

__all__ = [
    "AUTO_DENSE_PAIRS",
    "AUTO_MIN_PAIRS",
    "AUTO_MIN_RATIO",
    "CANDIDATE_OBJECTIVES",
    "DEFAULT_K",
    "match_candidates",
    "match_program",
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

Below, the dense path runs: its matrices fit comfortably, it is fast, and
``"auto"`` then gives exactly the dense result. Candidate mode can be faster
a little below (1,000 x 10,000: 3x on a loaded machine), but not on square
programs (3,000 x 3,000: 9.4x slower, ``benchmarks/bench_scale.py``)."""

AUTO_DENSE_PAIRS = 100_000_000
"""``candidates="auto"`` always uses candidate mode from this many pairs on:
the dense path needs about 34 bytes per pair (1.36 GB peak at 2,000 x
20,000), so beyond 3 GB the dense matrices no longer fit the memory a large
program is given, while candidate mode stays near 3 GB at 20,000 x 200,000."""

AUTO_MIN_RATIO = 4
"""Between :data:`AUTO_MIN_PAIRS` and :data:`AUTO_DENSE_PAIRS`, ``"auto"``
uses candidate mode when there are at least this many mentors per executive
place, where it was measured faster than the dense path: 2,000 x 20,000 in
4.9 s against 14.2 s; at the ratio itself, 2,500 x 10,000 and 3,000 x 12,000
in 20 s and 59 s against 100 s and 133 s (same loaded machine). With few
mentors per executive the lists collide and must be widened many times (at
1,500 x 1,500 the graph grows to a quarter of all pairs in 7 solves), so the
dense path is faster there."""

CANDIDATE_OBJECTIVES = ("coverage_then_score", "max_score")
"""Objectives candidate mode certifies."""


def candidate_k(config: MatchConfig, shape: tuple[int, int]) -> int | None:
    """``k`` for candidate mode, or None for the dense path.

    Parameters
    ----------
    config : MatchConfig
        Its ``candidates``, ``objective`` and ``mentors_per_executive``.
    shape : tuple of int
        (executives, mentors) of the program.

    Returns
    -------
    int or None
        The candidates per executive :func:`revmatch.match` uses, or None
        when it solves the dense problem.

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


def match_program(
    program: Program | Mapping[str, Any],
    config: MatchConfig | Mapping[str, Any] | None = None,
    *,
    custom: Mapping[str, ComponentFn] | None = None,
    force_pins: bool = False,
    progress: Progress | None = None,
) -> MatchResult:
    """What :func:`revmatch.match` runs: candidate mode with ``config.candidates``, else dense.

    ``force_pins`` always takes the dense path (it clears rules in the dense
    reason matrix). Parameters, returns and errors are those of
    :func:`revmatch.match`; ``progress`` is reported to in candidate mode only.
    """
    clock = Clock()
    t = perf_counter()
    program, config = as_program(program), as_config(config)
    clock.stop("validate", t)
    if config.candidates is not None and not force_pins:
        return match_candidates(program, config, custom=custom, progress=progress)
    return run_dense(compiled(program, config, clock), custom, force_pins=force_pins)


def match_candidates(
    program: Program | Mapping[str, Any],
    config: MatchConfig | Mapping[str, Any] | None = None,
    *,
    custom: Mapping[str, ComponentFn] | None = None,
    progress: Progress | None = None,
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
    progress : Progress, optional
        Called as ``progress(done, total, "candidate mode")`` with ``done``
        counting the steps finished: the candidate lists, each solve of the
        candidate graph, the result; each widening round adds one step to
        ``total``. Not called when the dense path runs.

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
    clock = Clock()
    t = perf_counter()
    program, config = as_program(program), as_config(config)
    custom = dict(custom or {})
    clock.stop("validate", t)
    k = candidate_k(config, (len(program.executives), len(program.mentors)))
    method = None if k is None else _graph_method(config)
    prepared = compiled(program, config, clock)
    if k is None or method is None:
        return run_dense(prepared, custom, audit_extra={"candidates": {"mode": "dense"}})
    return _sparse(prepared, custom, k, method, progress)


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
    prepared: Prepared,
    custom: Mapping[str, ComponentFn],
    k: int,
    method: str,
    progress: Progress | None = None,
) -> MatchResult:
    arrays, config, clock = prepared.arrays, prepared.config, prepared.clock
    if progress is not None:
        progress(0, 3, "candidate mode")
    t = perf_counter()
    capacities = np.minimum(arrays.capacities, max(arrays.shape[0], 1)).astype(np.int64)
    cardinality_first = config.objective == "coverage_then_score" or config.strict
    positive_only = config.objective == "max_score"
    scorer = PairScorer(arrays, config, custom)
    pins = take_pins(scorer, capacities)
    row_capacities = pins.row_capacities
    ruled_rows, ruled_cols = pin_groups(arrays, config, pins.rows, pins.cols)
    taken = PairSet.from_pairs(
        np.concatenate([pins.rows, ruled_rows]).tolist(),
        np.concatenate([pins.cols, ruled_cols]).tolist(),
        arrays.shape[1],
    )
    candidates = ProgramCandidates(scorer, row_capacities, capacities, positive_only, taken)
    first = candidates.initial(k)
    clock.stop("candidates", t)
    # Steps: the candidate lists, one solve per round (widening adds a round), the result.
    steps = [1, 3]
    if progress is not None:
        progress(steps[0], steps[1], "candidate mode")

    t = perf_counter()
    labels = group_labels(arrays, config) if config.mentors_per_executive > 1 else None
    evaluated = [first.evaluated]
    bounded = [first.bounded]

    def expand(
        execs: IntpArray, threshold: Int64Array, dual: Any, keep: Int64Array
    ) -> tuple[IntpArray, IntpArray, Int64Array, Int64Array, Int64Array]:
        walk, violations = candidates.expand(execs, threshold, dual, keep)
        if progress is not None:
            steps[0] += 1
            steps[1] += 1
            progress(steps[0], steps[1], "candidate mode")
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
    clock.stop("solve", t)

    rows, cols, pinned, _ = with_pins(done.rows, done.cols, pins, done.method)
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
    if progress is not None:
        progress(steps[1] - 1, steps[1], "candidate mode")
    result = build_candidate_result(
        prepared, scorer, rows, cols, pinned, method=done.method, audit_extra=extra
    )
    if progress is not None:
        progress(steps[1], steps[1], "candidate mode")
    return result


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


def _check_strict(arrays: ProgramArrays, config: MatchConfig, rows: IntpArray) -> None:
    got = np.bincount(rows, minlength=arrays.shape[0])
    short = np.flatnonzero(got < config.mentors_per_executive)
    if short.size:
        ids = ", ".join(repr(arrays.exec_ids[i]) for i in short[:10].tolist())
        more = ", ..." if short.size > 10 else ""
        raise InfeasibleError(
            f"strict=True, but {short.size} executive(s) cannot get all their mentors "
            f"in any assignment: {ids}{more}.",
            rows=short.tolist(),
        )
