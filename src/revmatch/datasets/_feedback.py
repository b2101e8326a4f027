"""Synthetic feedback with known true weights: :func:`make_feedback`.

The generator rates past pairs by a known rule, so that
:func:`revmatch.fit_weights` can be checked against the truth: the fitted
weights should approach ``true_weights`` as the number of rated pairs grows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal

import numpy as np

from revmatch._pipeline.compile import compile_program
from revmatch._pipeline.scoring import component_pairs, pair_overlap
from revmatch.exceptions import InvalidInputError, Problem
from revmatch.models import COMPONENTS, HistoryEntry, MatchConfig, Program, unknown_components

from ._args import arg_problem, check_integer
from ._generate import make_program

__all__ = ["TRUE_WEIGHTS", "make_feedback"]

TRUE_WEIGHTS: Mapping[str, float] = {
    "topic": 0.3,
    "availability": 0.3,
    "window": 0.0,
    "language": 0.1,
    "place": 0.1,
    "department": 0.2,
    "seniority": 0.0,
    "preferences": 0.0,
}
"""The true weights :func:`make_feedback` rates pairs by, unless given others.

They differ from :data:`~revmatch.DEFAULT_WEIGHTS` on purpose (more weight on
shared time and cross-department pairs), so that a fit that merely returned
the defaults would be seen to fail.
"""


def _true_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    given = dict(TRUE_WEIGHTS if weights is None else weights)
    problems = unknown_components(given, "true_weights")
    problems += [
        Problem(
            f"the weight of {name!r} must be a finite number >= 0",
            field="true_weights",
            expected="non-negative weights, at least one positive",
        )
        for name, w in given.items()
        if isinstance(w, bool) or not isinstance(w, int | float) or not math.isfinite(w) or w < 0
    ]
    if problems:
        raise InvalidInputError(problems)
    total = sum(given.values())
    if total <= 0:
        raise arg_problem(
            "true_weights",
            "at least one true weight must be positive",
            "non-negative weights, at least one positive",
        )
    return {name: given.get(name, 0.0) / total for name in COMPONENTS}


def make_feedback(
    n_rated: int = 200,
    *,
    true_weights: Mapping[str, float] | None = None,
    kind: Literal["rating", "kept", "mixed"] = "mixed",
    strength: float = 8.0,
    noise: float = 0.0,
    seed: int | None = 0,
    program: Program | None = None,
) -> Program:
    """A program whose history holds ``n_rated`` pairs with outcomes drawn from known weights.

    Each rated pair's components are computed as :func:`revmatch.score`
    computes them under ``MatchConfig()``; its true score is
    ``q = Σ w_k x_k`` under ``true_weights`` (normalised to sum 1); its
    success probability is ``p = σ(strength · (q − median q) + noise · ε)``
    with ``ε`` standard normal. A rated pair gets ``rating = 1 +
    Binomial(4, p)``; a kept/closed pair is ``kept`` with probability ``p``,
    else ``closed_early``. This is the model :func:`revmatch.fit_weights`
    fits (with ``noise=0`` exactly), so the fitted weights estimate
    ``true_weights``.

    Parameters
    ----------
    n_rated : int
        Pairs with an outcome (distinct executive–mentor pairs, >= 1).
    true_weights : mapping of str to float, optional
        True weight per built-in component; missing names count 0
        (:data:`TRUE_WEIGHTS` by default).
    kind : {"rating", "kept", "mixed"}
        Outcome form: all ratings, all kept/closed early, or alternating.
    strength : float
        Slope of the success logit in the true score (> 0; larger means
        outcomes follow the score more closely).
    noise : float
        Standard deviation of extra normal noise on the logit (>= 0).
    seed : int or None
        Seed of the program and the outcomes.
    program : Program, optional
        The people to pair; by default a :func:`make_program` program large
        enough that the rated pairs are a third of all pairs or fewer.

    Returns
    -------
    Program
        ``program`` with the rated pairs added to its ``history`` (round 1).

    Raises
    ------
    InvalidInputError
        If an argument is out of range, or the program has fewer pairs than
        ``n_rated``.

    Examples
    --------
    >>> from revmatch.datasets import make_feedback
    >>> program = make_feedback(n_rated=30, kind="rating", seed=1)
    >>> len(program.history), all(1 <= h.rating <= 5 for h in program.history)
    (30, True)
    """
    n = check_integer(n_rated, "n_rated", 1, 10_000_000)
    weights = _true_weights(true_weights)
    if kind not in ("rating", "kept", "mixed"):
        raise arg_problem("kind", f"unknown kind {kind!r}", "'rating', 'kept' or 'mixed'")
    if not (isinstance(strength, int | float) and math.isfinite(strength) and strength > 0):
        raise arg_problem("strength", f"The 'strength' must be > 0. Got {strength!r}.", "> 0")
    if not (isinstance(noise, int | float) and math.isfinite(noise) and noise >= 0):
        raise arg_problem("noise", f"The 'noise' must be >= 0. Got {noise!r}.", ">= 0")
    rng = np.random.default_rng(seed)
    if program is None:
        n_exec = max(10, math.ceil(math.sqrt(2 * n)))
        program = make_program(
            n_executives=n_exec,
            n_mentors=math.ceil(1.5 * n_exec),
            seed=None if seed is None else seed + 1,
        )
    n_exec, n_ment = len(program.executives), len(program.mentors)
    if n > n_exec * n_ment:
        raise arg_problem(
            "n_rated",
            f"The program has {n_exec * n_ment} pairs, fewer than n_rated={n}.",
            f"n_rated <= {n_exec * n_ment}",
        )
    config = MatchConfig()
    arrays = compile_program(program, config)
    flat = rng.choice(n_exec * n_ment, size=n, replace=False)
    r, c = (flat // n_ment).astype(np.intp), (flat % n_ment).astype(np.intp)
    overlap = pair_overlap(arrays, r, c)
    score = np.zeros(n)
    for name, weight in weights.items():
        if weight > 0:
            score += weight * component_pairs(name, arrays, config, r, c, overlap, {})
    logit = strength * (score - np.median(score)) + noise * rng.standard_normal(n)
    p = 1.0 / (1.0 + np.exp(-logit))
    ratings = 1 + rng.binomial(4, p)
    kept = rng.random(n) < p
    history = list(program.history)
    for k in range(n):
        rated = kind == "rating" or (kind == "mixed" and k % 2 == 0)
        history.append(
            HistoryEntry(
                executive_id=arrays.exec_ids[r[k]],
                mentor_id=arrays.mentor_ids[c[k]],
                round=1,
                rating=int(ratings[k]) if rated else None,
                outcome=None if rated else ("kept" if kept[k] else "closed_early"),
            )
        )
    return program.replace(history=history)
