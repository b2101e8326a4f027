"""Pipeline stage 3: pins, places, topic groups and bonuses around one solver call.

The one home of the rules that turn scores into an assignment problem:
pinned pairs (checked against the hard rules, taking their mentor's seat
and one of their executive's places), places per executive
(``mentors_per_executive``), one mentor per topic group, and the priority
and repeat bonuses of the objective. :func:`solve_scores` builds the call
of :func:`revmatch.solvers.solve` from them; re-matching passes its
switching costs as ``weights`` and its budgets as ``feasible``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from revmatch._pipeline.compile import ProgramArrays
from revmatch._pipeline.quotas import attribute_groups, check_quotas, solver_quotas
from revmatch._pipeline.rules import decode_reasons
from revmatch._pipeline.score import Scores
from revmatch._pipeline.scoring import ScoreMatrix
from revmatch.exceptions import InvalidInputError
from revmatch.models import MatchConfig
from revmatch.solvers import Assignment, solve, solve_maximin_groups

__all__ = [
    "Pins",
    "Solved",
    "SolverCall",
    "executive_groups",
    "group_labels",
    "objective_weights",
    "pair_groups",
    "pin_groups",
    "pinned_weights",
    "price_of_quotas",
    "priority_bonus",
    "solve_call",
    "solve_scores",
    "solver_call",
    "take_pins",
    "with_pins",
]

IntpArray = NDArray[np.intp]
Int64Array = NDArray[np.int64]

Solved = tuple[IntpArray, IntpArray, NDArray[np.bool_], str]
"""Chosen ``rows`` and ``cols`` (pins included, sorted by (row, col)), which of
them are ``pinned``, and the solver ``method`` used."""


@dataclass(frozen=True)
class Pins:
    """Pinned pairs and the places left beside them.

    Attributes
    ----------
    rows, cols : ndarray of intp
        The pinned pairs, in key order.
    row_capacities : ndarray of int64
        Places per executive left after its pins (never below 0).
    """

    rows: IntpArray
    cols: IntpArray
    row_capacities: Int64Array


def take_pins(scores: Scores, capacities: Int64Array) -> Pins:
    """Check pinned pairs against the hard rules and take their places.

    Parameters
    ----------
    scores : Scores
        Scores of the program (dense or candidate).
    capacities : ndarray of int64
        Mentor capacities; each pin's seat is taken from it in place.

    Returns
    -------
    Pins
        The pinned pairs and the executives' remaining places.

    Raises
    ------
    InvalidInputError
        If a pin breaks a hard rule or exceeds its mentor's capacity; all
        problems are named in one message.
    """
    arrays, config = scores.arrays, scores.config
    width = max(arrays.shape[1], 1)
    rows = (arrays.pinned.keys // width).astype(np.intp)
    cols = (arrays.pinned.keys % width).astype(np.intp)
    masks = scores.pair_masks(rows, cols)
    problems = []
    for r, c, mask in zip(rows.tolist(), cols.tolist(), masks.tolist(), strict=True):
        broken = decode_reasons(int(mask))
        pair = f"pinned pair ({arrays.exec_ids[r]!r}, {arrays.mentor_ids[c]!r})"
        if broken:
            problems.append(f"{pair} breaks the rule(s) {', '.join(broken)}")
        capacities[c] -= 1
        if capacities[c] < 0:
            problems.append(f"{pair} exceeds the capacity of mentor {arrays.mentor_ids[c]!r}")
    if problems:
        raise InvalidInputError("; ".join(problems))
    row_capacities = np.full(arrays.shape[0], config.mentors_per_executive, dtype=np.int64)
    np.subtract.at(row_capacities, rows, 1)
    return Pins(rows, cols, np.maximum(row_capacities, 0))


def pair_groups(
    arrays: ProgramArrays, config: MatchConfig, rows: IntpArray | None = None
) -> IntpArray:
    """Label each pair with the topic the mentor serves best for that executive.

    ``-1`` where the mentor serves none of the executive's topics. With
    ``rows``, only the pairs of those executives (one row each, in order).
    """
    tw = np.array([config.topic_weights.get(t, 1.0) for t in arrays.topics])
    interests = arrays.interests if rows is None else arrays.interests[rows]
    gain = (interests * tw)[:, None, :] * arrays.expertise[None, :, :]
    labels = np.argmax(gain, axis=2).astype(np.intp)
    labels[gain.max(axis=2) <= 0] = -1
    return np.asarray(labels, dtype=np.intp)


def group_labels(
    arrays: ProgramArrays, config: MatchConfig
) -> Callable[[IntpArray, IntpArray], IntpArray]:
    """The pair-wise form of :func:`pair_groups`: ``labels(rows, cols)`` for pair lists."""
    tw = np.array([config.topic_weights.get(t, 1.0) for t in arrays.topics])
    wished = arrays.interests * tw

    def labels(r: IntpArray, c: IntpArray) -> IntpArray:
        gain = wished[r] * arrays.expertise[c]
        out = np.full(r.size, -1, dtype=np.intp)
        useful = gain.max(axis=1, initial=0.0) > 0
        out[useful] = np.argmax(gain[useful], axis=1)
        return out

    return labels


def pin_groups(
    arrays: ProgramArrays,
    config: MatchConfig,
    pin_rows: IntpArray,
    pin_cols: IntpArray,
) -> tuple[IntpArray, IntpArray]:
    """Pairs that pins rule out under the rule of one mentor per topic group.

    With ``mentors_per_executive > 1`` an executive's mentors must come from
    different topic groups (:func:`pair_groups`). A pin takes its group, so
    every mentor of that group is ruled out for the pinned executive (the
    pinned mentor included); the solver never sees the pins themselves.

    Raises
    ------
    InvalidInputError
        If two pins give one executive two mentors of one topic group.
    """
    none = np.zeros(0, dtype=np.intp)
    if config.mentors_per_executive == 1 or pin_rows.size == 0:
        return none, none
    # Blocks of pins keep the (pins x mentors x topics) gains small on large programs.
    step = max(1, (1 << 22) // max(arrays.expertise.size, 1))
    found_rows, found_cols, owns = [], [], []
    for lo in range(0, pin_rows.size, step):
        rows, cols = pin_rows[lo : lo + step], pin_cols[lo : lo + step]
        labels = pair_groups(arrays, config, rows)
        own = labels[np.arange(rows.size), cols]
        hit, col = np.nonzero((labels == own[:, None]) & (own[:, None] >= 0))
        found_rows.append(rows[hit])
        found_cols.append(col)
        owns.append(own)
    own = np.concatenate(owns)
    first: dict[tuple[int, int], int] = {}
    problems = []
    for k, (r, g) in enumerate(zip(pin_rows.tolist(), own.tolist(), strict=True)):
        if g < 0:
            continue
        if (r, g) in first:
            other = arrays.mentor_ids[int(pin_cols[first[r, g]])]
            problems.append(
                f"pinned pairs ({arrays.exec_ids[r]!r}, {other!r}) and "
                f"({arrays.exec_ids[r]!r}, {arrays.mentor_ids[int(pin_cols[k])]!r}) "
                f"are in one topic group ({arrays.topics[g]!r}); an executive gets at most "
                "one mentor per topic group"
            )
        else:
            first[r, g] = k
    if problems:
        raise InvalidInputError("; ".join(problems))
    return (
        np.concatenate(found_rows).astype(np.intp),
        np.concatenate(found_cols).astype(np.intp),
    )


def priority_bonus(arrays: ProgramArrays, config: MatchConfig) -> NDArray[np.float64]:
    """Per executive: ``config.priority_bonus`` if listed in ``program.priority``, else 0."""
    bonus = np.zeros(arrays.shape[0])
    if config.priority_bonus and arrays.priority.size:
        bonus[arrays.priority] = config.priority_bonus
    return bonus


def objective_weights(scores: ScoreMatrix) -> NDArray[np.float64]:
    """The solver's weights: scores plus the configured priority and repeat terms.

    ``priority_bonus`` is added to every pair of an executive listed in
    ``program.priority``; with ``allow_repeats``, ``repeat_bonus`` is added to
    pairs found in ``program.history``. Without either, this is
    ``scores.values`` itself (no copy).
    """
    arrays, config = scores.arrays, scores.config
    weights = scores.values
    if config.priority_bonus and arrays.priority.size:
        weights = weights.copy()
        weights[arrays.priority] += config.priority_bonus
    if config.allow_repeats and config.repeat_bonus and len(arrays.history):
        weights = weights.copy() if weights is scores.values else weights
        width = max(arrays.shape[1], 1)
        weights[arrays.history.keys // width, arrays.history.keys % width] += config.repeat_bonus
    return weights


@dataclass(frozen=True)
class SolverCall:
    """The arguments of the solver call behind a score matrix, and the pins beside it.

    Attributes
    ----------
    pins : Pins
        Pinned pairs; the solver never sees them (:func:`with_pins` adds them back).
    kwargs : dict
        Keyword arguments of :func:`revmatch.solvers.solve` (``weights``,
        ``feasible``, ``capacities``, ``objective``, ``method``, ``strict``,
        and ``row_capacities`` and ``pair_groups`` where needed), which
        :func:`revmatch.solvers.murty_k_best` takes as well.
    """

    pins: Pins
    kwargs: dict[str, Any]


def solver_call(
    scores: ScoreMatrix,
    *,
    weights: NDArray[np.float64] | None = None,
    feasible: NDArray[np.bool_] | None = None,
) -> SolverCall:
    """Build the solver call of :func:`solve_scores`: pins taken, places, groups, mask.

    Parameters and errors are those of :func:`solve_scores` (a pin that
    breaks a rule or exceeds a capacity raises here).
    """
    arrays, config = scores.arrays, scores.config
    capacities = arrays.capacities.copy()
    pins = take_pins(scores, capacities)
    kwargs: dict[str, Any] = {}
    if config.mentors_per_executive > 1 or pins.rows.size:
        kwargs["row_capacities"] = pins.row_capacities
    if config.mentors_per_executive > 1:
        kwargs["pair_groups"] = pair_groups(arrays, config)
    if weights is None:
        weights = objective_weights(scores)
    allowed = scores.feasible
    if feasible is not None:
        allowed = allowed & feasible
    if pins.rows.size:
        allowed = allowed.copy()
        allowed[pins.rows, pins.cols] = False  # already taken; never chosen twice
        allowed[pin_groups(arrays, config, pins.rows, pins.cols)] = False
    if config.quotas:
        kwargs["quotas"] = solver_quotas(arrays, config, pins.rows, pins.cols)
    kwargs.update(
        weights=weights,
        feasible=allowed,
        capacities=capacities,
        objective=config.objective,
        method=config.method,
        strict=config.strict,
    )
    return SolverCall(pins, kwargs)


def solve_scores(
    scores: ScoreMatrix,
    *,
    weights: NDArray[np.float64] | None = None,
    feasible: NDArray[np.bool_] | None = None,
) -> Solved:
    """Solve the assignment behind a score matrix, honouring pins and capacities.

    Parameters
    ----------
    scores : ScoreMatrix
        Scores, reasons, arrays and config of the program.
    weights : ndarray, optional
        Weights to maximise instead of :func:`objective_weights` (e.g. with
        switching costs for re-matching); feasibility still comes from the
        rules.
    feasible : ndarray of bool, optional
        A further mask ANDed with the rules' feasibility.

    Returns
    -------
    rows, cols : ndarray of intp
        Chosen pairs (pins included), sorted by (row, col).
    pinned : ndarray of bool
        Which of them are pinned.
    method : str
        The solver method actually used.

    Raises
    ------
    InvalidInputError
        If a pinned pair breaks a rule or exceeds a capacity.
    InfeasibleError
        With ``config.strict`` when not every executive can be matched.
    """
    call = solver_call(scores, weights=weights, feasible=feasible)
    assignment = solve_call(scores, call)
    return with_pins(assignment.rows, assignment.cols, call.pins, assignment.method)


def solve_call(scores: ScoreMatrix, call: SolverCall) -> Assignment:
    """Run a :class:`SolverCall`: quotas checked, ``maximin_groups`` by its own program.

    Raises
    ------
    InfeasibleError
        When the quota minimums cannot all be met, naming the smallest
        relaxation (see :mod:`revmatch._pipeline.quotas`).
    """
    kwargs = call.kwargs
    if kwargs["objective"] == "maximin_groups":
        assignment, _ = solve_maximin_groups(
            kwargs["weights"],
            row_groups=executive_groups(scores.arrays, scores.config.group_by),
            feasible=kwargs["feasible"],
            capacities=kwargs["capacities"],
            row_capacities=kwargs.get("row_capacities"),
            pair_groups=kwargs.get("pair_groups"),
            quotas=kwargs.get("quotas"),
            base=pinned_weights(scores, call.pins),
        )
    else:
        assignment = solve(**kwargs)
    if kwargs.get("quotas"):
        pins = call.pins
        pinned = [
            int(np.isin(pins.rows, q.rows).__and__(np.isin(pins.cols, q.cols)).sum())
            for q in kwargs["quotas"]
        ]
        check_quotas(kwargs, assignment, pinned)
    return assignment


def executive_groups(arrays: ProgramArrays, attribute: str) -> NDArray[np.bool_]:
    """(n_executives, n_groups) membership of the executives in each value of ``attribute``."""
    found = attribute_groups(arrays, "executive", attribute)
    if not found:
        return np.zeros((arrays.shape[0], 0), dtype=bool)
    return np.stack(list(found.values()), axis=1)


def pinned_weights(scores: ScoreMatrix, pins: Pins) -> NDArray[np.float64]:
    """Per executive, the objective weight its pinned pairs already earn."""
    earned = np.zeros(scores.arrays.shape[0])
    if pins.rows.size:
        np.add.at(earned, pins.rows, objective_weights(scores)[pins.rows, pins.cols])
    return earned


def with_pins(rows: IntpArray, cols: IntpArray, pins: Pins, method: str) -> Solved:
    """Chosen pairs and pins together, sorted by (row, col), with the pinned flags."""
    all_rows = np.concatenate([rows, pins.rows]).astype(np.intp)
    all_cols = np.concatenate([cols, pins.cols]).astype(np.intp)
    pinned = np.concatenate([np.zeros(rows.size, bool), np.ones(pins.rows.size, bool)])
    order = np.lexsort((all_cols, all_rows))
    return all_rows[order], all_cols[order], pinned[order], method


def price_of_quotas(scores: ScoreMatrix, rows: IntpArray, cols: IntpArray) -> dict[str, Any]:
    """The chosen pairs' total score beside the optimum without quotas: one more solve.

    ``price`` is how much total score the quotas cost (>= 0 up to rounding
    under ``max_score``; under ``coverage_then_score`` the quotas may also
    cost pairs, which ``pairs_lost`` counts).
    """
    unconstrained = scores.config.replace(quotas=())
    free = solve_scores(dataclasses.replace(scores, config=unconstrained))
    values = scores.values
    with_q = float(values[rows, cols].sum())
    without = float(values[free[0], free[1]].sum())
    return {
        "total_with_quotas": round(with_q, 6),
        "total_without_quotas": round(without, 6),
        "price": round(without - with_q, 6),
        "pairs_with_quotas": int(rows.size),
        "pairs_without_quotas": int(free[0].size),
        "pairs_lost": int(free[0].size - rows.size),
    }
