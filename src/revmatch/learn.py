"""Learn score weights from the outcomes of earlier pairs: :func:`fit_weights`.

After a round, HR knows which pairs worked: a ``history`` entry may carry a
``rating`` (1-5) or an ``outcome`` (``"kept"`` or ``"closed_early"``).
:func:`fit_weights` scores every such pair component by component, exactly as
:func:`revmatch.score` does today, and estimates the non-negative component
weights under which the score best predicts good outcomes.

The model
---------
Both kinds of outcome go on one *success* scale in 0..1: a rating ``r``
counts ``(r - 1) / 4``, ``kept`` counts 1 and ``closed_early`` 0. The success
of pair ``i`` is modelled as

    P(success_i) = σ(a + Σ_k β_k x_ik),   β_k ≥ 0,

a logistic model on the components ``x_ik`` (each in 0..1). For kept/closed
outcomes this is logistic regression; for ratings it is the fractional logit
of Papke and Wooldridge, which treats a rating as the share of four trials
that went well (a pair rated 4 succeeded in three of four). Both are fitted
together by maximising the (quasi-)likelihood with a small ridge penalty
``l2/2 · Σ β_k²`` (which keeps the estimate defined when components are
collinear or outcomes separate perfectly), by L-BFGS-B with the bounds
``β ≥ 0``. The weights are ``β / Σ β``: non-negative and summing to 1, as
:data:`~revmatch.DEFAULT_WEIGHTS` do. Because the model is monotone in the
weighted score, the weights that rank pairs best are found whatever the
scale of the ratings.

A component whose inputs are missing for a pair (see
:class:`~revmatch.MatchConfig` ``missing``) is given the mean of its present
values in the fitted data, so that it neither helps nor hurts that pair, as
in scoring. A component on which fewer than ``min_pairs_per_component``
(10) pairs differ from its most common value cannot be learned (wishes for
each other are rare, say): it keeps its share of the current weights, the
fit names it (``unidentified``), and the learned components share the rest.

When the data suffice
---------------------
A fit is usable only if all of these hold; otherwise it says why in one
sentence and :meth:`MatchConfig.from_fit <revmatch.MatchConfig.from_fit>`
refuses it, so the current weights stay:

1. at least :data:`MIN_PAIRS_PER_COMPONENT` (10) pairs with an outcome per
   fitted component (80 for the eight built-in components);
2. some component has a positive effect;
3. every weight's bootstrap interval is narrower than ``max_ci_width``
   (default :data:`MAX_CI_WIDTH`, 0.3 of the total weight);
4. in k-fold cross-validation the fitted weights predict held-out outcomes
   better (lower log-loss) than the current weights, each with its own
   fitted intercept and scale.

References
----------
L. E. Papke and J. M. Wooldridge, "Econometric methods for fractional
response variables with an application to 401(k) plan participation rates",
*Journal of Applied Econometrics* 11(6), 619-632, 1996.
https://doi.org/10.1002/(SICI)1099-1255(199611)11:6<619::AID-JAE418>3.0.CO;2-1

B. Efron and R. J. Tibshirani, *An Introduction to the Bootstrap*, Chapman &
Hall, 1993 (percentile intervals).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit

from revmatch._pipeline.compile import compile_program
from revmatch._pipeline.prepare import as_config, as_program
from revmatch._pipeline.scoring import (
    absent_pairs,
    component_pairs,
    missing_inputs,
    pair_overlap,
)
from revmatch.exceptions import InvalidInputError, Problem
from revmatch.models import COMPONENTS, FitResult, MatchConfig, Program, unknown_components

__all__ = [
    "MAX_CI_WIDTH",
    "MIN_PAIRS_PER_COMPONENT",
    "FitResult",
    "Outcomes",
    "fit_weights",
    "outcome_table",
]

MIN_PAIRS_PER_COMPONENT = 10
"""Fewest pairs with an outcome per fitted component for a usable fit."""

MAX_CI_WIDTH = 0.3
"""Widest bootstrap interval of a normalised weight in a usable fit (by default)."""

_EPS = 1e-12
_MAX_NEWTON = 100
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Outcomes:
    """The pairs with an outcome, scored component by component.

    Attributes
    ----------
    components : tuple of str
        Column names of ``x``.
    x : ndarray, shape (n_pairs, n_components)
        Component values of each pair; NaN where the component's inputs are
        missing for the pair.
    success : ndarray, shape (n_pairs,)
        Outcome on the success scale: ``(rating - 1) / 4``, kept 1, closed early 0.
    rated : ndarray of bool, shape (n_pairs,)
        True for a rating, False for a kept/closed-early outcome.
    program : ndarray of int, shape (n_pairs,)
        Index of the program each pair comes from.
    pairs : tuple of (str, str)
        ``(executive_id, mentor_id)`` of each pair.
    """

    components: tuple[str, ...]
    x: NDArray[np.float64]
    success: NDArray[np.float64]
    rated: NDArray[np.bool_]
    program: NDArray[np.intp]
    pairs: tuple[tuple[str, str], ...]


def _program_list(
    programs: Program | Mapping[str, Any] | Iterable[Program | Mapping[str, Any]],
) -> list[Program]:
    if isinstance(programs, Program | Mapping):
        return [as_program(programs)]
    return [as_program(p) for p in programs]


def _check_components(components: Sequence[str] | None) -> tuple[str, ...]:
    names = tuple(COMPONENTS if components is None else components)
    problems = unknown_components(names, "components")
    if not names:
        problems.append(Problem("no component to fit", field="components"))
    if len(set(names)) != len(names):
        problems.append(Problem("a component is named twice", field="components"))
    if problems:
        raise InvalidInputError(problems)
    return names


def outcome_table(
    programs: Program | Mapping[str, Any] | Iterable[Program | Mapping[str, Any]],
    config: MatchConfig | Mapping[str, Any] | None = None,
    *,
    components: Sequence[str] | None = None,
) -> Outcomes:
    """Score every past pair with an outcome, component by component.

    The components are computed as :func:`revmatch.score` computes them
    under ``config`` (topic weights, session length, preferred window,
    seniority span), for pairs only, without the full score matrix.

    Parameters
    ----------
    programs : Program, mapping, or iterable of them
        Programs whose ``history`` entries carry ratings or outcomes.
    config : MatchConfig or mapping, optional
        The settings the components follow (``MatchConfig()`` by default).
    components : sequence of str, optional
        Built-in components to compute (all of :data:`~revmatch.COMPONENTS`
        by default).

    Returns
    -------
    Outcomes

    Raises
    ------
    InvalidInputError
        If a pair with an outcome names an executive or a mentor who is not
        in its program (the problem names the program, the history entry and
        the field), or no history entry has an outcome.
    """
    cfg = as_config(config)
    names = _check_components(components)
    plist = _program_list(programs)
    problems: list[Problem] = []
    xs, ys, kinds, origin, pairs = [], [], [], [], []
    weights = dict.fromkeys(names, 1.0)
    for p, program in enumerate(plist):
        entries = [(i, h) for i, h in enumerate(program.history) if h.has_outcome]
        if not entries:
            continue
        execs = {e.id for e in program.executives}
        mentors = {m.id for m in program.mentors}
        where = f"programs[{p}] " if len(plist) > 1 else ""
        for i, h in entries:
            for field, known, role in (
                ("executive_id", execs, "an executive"),
                ("mentor_id", mentors, "a mentor"),
            ):
                value = getattr(h, field)
                if value not in known:
                    problems.append(
                        Problem(
                            f"{value!r} is not {role} of this program, so the pair's "
                            "outcome cannot be scored",
                            record=f"{where}history[{i}]",
                            field=field,
                            expected=f"{role} of the program (keep the people of a rated "
                            "round in the program you fit on)",
                        )
                    )
        if problems:
            continue
        arrays = compile_program(program, cfg)
        row = {pid: k for k, pid in enumerate(arrays.exec_ids)}
        col = {pid: k for k, pid in enumerate(arrays.mentor_ids)}
        r = np.array([row[h.executive_id] for _, h in entries], dtype=np.intp)
        c = np.array([col[h.mentor_id] for _, h in entries], dtype=np.intp)
        overlap = pair_overlap(arrays, r, c)
        x = np.column_stack(
            [component_pairs(n, arrays, cfg, r, c, overlap, {}) for n in names]
        ).astype(np.float64)
        for k, gone in absent_pairs(missing_inputs(arrays, cfg, weights), r, c).items():
            x[gone, names.index(k)] = np.nan
        xs.append(x)
        for _, h in entries:
            if h.rating is not None:
                ys.append((h.rating - 1) / 4.0)
                kinds.append(True)
            else:
                ys.append(1.0 if h.outcome == "kept" else 0.0)
                kinds.append(False)
            pairs.append((h.executive_id, h.mentor_id))
        origin += [p] * len(entries)
    if problems:
        raise InvalidInputError(problems)
    if not xs:
        raise InvalidInputError(
            Problem(
                f"none of the {len(plist)} program(s) has a history entry with an outcome, "
                "so there is nothing to learn from",
                record="history",
                field="rating",
                expected="history entries with a 'rating' (1-5) or an 'outcome' "
                "('kept' or 'closed_early')",
            )
        )
    return Outcomes(
        names,
        np.vstack(xs),
        np.asarray(ys, dtype=np.float64),
        np.asarray(kinds, dtype=bool),
        np.asarray(origin, dtype=np.intp),
        tuple(pairs),
    )


def _loss(
    theta: NDArray[np.float64], x: NDArray[np.float64], t: NDArray[np.float64], l2: float
) -> tuple[float, NDArray[np.float64]]:
    """Mean cross-entropy of the success share, plus the ridge term, and its gradient."""
    z = theta[0] + x @ theta[1:]
    p = np.clip(expit(z), _EPS, 1 - _EPS)
    n = max(t.size, 1)
    value = -float(np.sum(t * np.log(p) + (1 - t) * np.log1p(-p))) / n
    value += 0.5 * l2 * float(theta[1:] @ theta[1:])
    resid = (p - t) / n
    grad = np.concatenate(([resid.sum()], x.T @ resid + l2 * theta[1:]))
    return value, grad


def _fit(x: NDArray[np.float64], t: NDArray[np.float64], l2: float) -> NDArray[np.float64]:
    """Intercept and non-negative coefficients minimising :func:`_loss`.

    A projected Newton method (Bertsekas 1982): coefficients at their bound
    0 whose gradient pushes them below it are held there; a Newton step on
    the others, projected onto the bounds, with Armijo backtracking. The
    problem is convex and has at most nine parameters, so a few exact
    Newton steps beat a general-purpose quasi-Newton solver, whose
    per-iteration overhead dominates at this size.
    """
    k = x.shape[1]
    x1 = np.hstack([np.ones((x.shape[0], 1)), x])
    theta = np.zeros(k + 1)
    mean = float(np.clip(t.mean(), 1e-3, 1 - 1e-3)) if t.size else 0.5
    theta[0] = np.log(mean / (1 - mean))
    ridge = np.full(k + 1, max(l2, 1e-10))
    ridge[0] = 1e-10
    n = max(t.size, 1)
    value, grad = _loss(theta, x, t, l2)
    for _ in range(_MAX_NEWTON):
        held = np.zeros(k + 1, dtype=bool)
        held[1:] = (theta[1:] <= 0) & (grad[1:] > 0)
        projected = np.where(held, 0.0, grad)
        if float(np.max(np.abs(projected))) < _TOLERANCE:
            break
        p = expit(x1 @ theta)
        w = p * (1 - p) / n
        free = ~held
        hessian = (x1[:, free].T * w) @ x1[:, free] + np.diag(ridge[free])
        step = np.zeros(k + 1)
        step[free] = -np.linalg.solve(hessian, grad[free])
        alpha = 1.0
        while True:
            trial = theta + alpha * step
            trial[1:] = np.maximum(trial[1:], 0.0)
            trial_value, trial_grad = _loss(trial, x, t, l2)
            if trial_value <= value + 1e-4 * float(grad @ (trial - theta)) or alpha < 1e-10:
                break
            alpha /= 2
        if value - trial_value < 1e-15 * max(1.0, abs(value)) and alpha < 1e-10:
            break
        theta, value, grad = trial, trial_value, trial_grad
    return theta


def _predict(theta: NDArray[np.float64], x: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(expit(theta[0] + x @ theta[1:]), dtype=np.float64)


def _normalised(beta: NDArray[np.float64]) -> NDArray[np.float64]:
    total = float(beta.sum())
    return beta / total if total > 0 else np.zeros_like(beta)


def _log_loss(p: NDArray[np.float64], t: NDArray[np.float64]) -> float:
    p = np.clip(p, _EPS, 1 - _EPS)
    return -float(np.mean(t * np.log(p) + (1 - t) * np.log1p(-p)))


@dataclass(frozen=True)
class _Scores:
    log_loss: float
    baseline_log_loss: float
    null_log_loss: float
    r2: float
    baseline_r2: float
    accuracy: float | None
    baseline_accuracy: float | None


def _cross_validate(
    x: NDArray[np.float64],
    t: NDArray[np.float64],
    rated: NDArray[np.bool_],
    base: NDArray[np.float64],
    folds: int,
    l2: float,
    rng: np.random.Generator,
) -> _Scores | None:
    """Held-out predictions of the fitted, the current and no weights, fold by fold."""
    n = t.size
    if n < 2 * folds:
        return None
    order = rng.permutation(n)
    fitted, current, null = np.empty(n), np.empty(n), np.empty(n)
    q = (x @ base)[:, None]
    for test in np.array_split(order, folds):
        train = np.setdiff1d(order, test, assume_unique=True)
        fitted[test] = _predict(_fit(x[train], t[train], l2), x[test])
        current[test] = _predict(_fit(q[train], t[train], l2), q[test])
        null[test] = float(t[train].mean())
    spread = float(np.sum((t - t.mean()) ** 2)) or 1.0

    def r2(p: NDArray[np.float64]) -> float:
        return 1.0 - float(np.sum((t - p) ** 2)) / spread

    binary = ~rated

    def accuracy(p: NDArray[np.float64]) -> float | None:
        if not binary.any():
            return None
        return float(np.mean((p[binary] >= 0.5) == (t[binary] >= 0.5)))

    return _Scores(
        _log_loss(fitted, t),
        _log_loss(current, t),
        _log_loss(null, t),
        r2(fitted),
        r2(current),
        accuracy(fitted),
        accuracy(current),
    )


def _digest(data: Outcomes, settings: Mapping[str, Any]) -> str:
    """SHA-256 of what the fit saw: each pair, its outcome and components, and the settings.

    Rows are sorted, so the digest does not depend on the order of programs
    or history entries.
    """
    x = np.where(np.isnan(data.x), -1.0, data.x).round(12).tolist()
    rows = sorted(
        [e, m, float(t), bool(r), v]
        for (e, m), t, r, v in zip(data.pairs, data.success, data.rated, x, strict=True)
    )
    payload = {"components": list(data.components), "rows": rows, "settings": settings}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fit_weights(
    programs: Program | Mapping[str, Any] | Iterable[Program | Mapping[str, Any]],
    config: MatchConfig | Mapping[str, Any] | None = None,
    *,
    components: Sequence[str] | None = None,
    folds: int = 5,
    n_bootstrap: int = 200,
    confidence: float = 0.9,
    l2: float = 1e-4,
    min_pairs_per_component: int = MIN_PAIRS_PER_COMPONENT,
    max_ci_width: float = MAX_CI_WIDTH,
    seed: int = 0,
) -> FitResult:
    """Learn the component weights that best predict good outcomes of past pairs.

    Every history entry with a ``rating`` or an ``outcome`` is scored
    component by component as :func:`revmatch.score` scores pairs today;
    a logistic model with non-negative coefficients (see the module notes
    of :mod:`revmatch.learn`) is fitted to the outcomes; the coefficients,
    normalised to sum to 1, are the weights.

    Parameters
    ----------
    programs : Program, mapping, or iterable of them
        Programs whose ``history`` carries outcomes; each pair's people must
        be in its program.
    config : MatchConfig or mapping, optional
        The settings the components are scored with, and the *current*
        weights the fit is compared with (``MatchConfig()`` by default).
    components : sequence of str, optional
        Built-in components to fit (all of :data:`~revmatch.COMPONENTS` by
        default); the others get weight 0 in :meth:`MatchConfig.from_fit`.
    folds : int
        Folds of the cross-validation (default 5).
    n_bootstrap : int
        Bootstrap resamples behind the confidence intervals (default 200).
    confidence : float
        Coverage of the percentile intervals (default 0.9).
    l2 : float
        Ridge penalty on the coefficients (default 1e-4).
    min_pairs_per_component : int
        Fewest pairs with an outcome per component for a usable fit (default 10).
    max_ci_width : float
        Widest interval of a weight for a usable fit (default 0.3).
    seed : int
        Seed of the folds and the resamples.

    Returns
    -------
    FitResult
        Weights, intervals, cross-validated scores, counts and a verdict;
        ``fit.usable`` is False (with ``fit.message`` saying why) when the
        data are too few or too uncertain to learn from.

    Raises
    ------
    InvalidInputError
        If a pair with an outcome names someone who is not in its program
        (located: program, history entry, field), no history entry carries
        an outcome, or an argument is out of range.

    Notes
    -----
    Cost: one scoring pass over the rated pairs (not the full matrix), then
    ``(1 + folds) · 2 + n_bootstrap`` small L-BFGS-B fits of
    ``len(components) + 1`` parameters, each linear in the number of pairs.

    Examples
    --------
    >>> import revmatch as rm
    >>> programs = rm.datasets.make_feedback(n_rated=600, seed=0)
    >>> fit = rm.fit_weights(programs)
    >>> fit.usable, round(sum(fit.weights.values()), 4)
    (True, 1.0)
    >>> config = rm.MatchConfig.from_fit(fit)
    """
    _check_settings(folds, n_bootstrap, confidence, l2, min_pairs_per_component, max_ci_width)
    cfg = as_config(config)
    plist = _program_list(programs)
    data = outcome_table(plist, cfg, components=components)
    names = data.components
    x = data.x.copy()
    present = ~np.isnan(x)
    for k in range(x.shape[1]):
        col = x[:, k]
        col[~present[:, k]] = col[present[:, k]].mean() if present[:, k].any() else 0.0
    learnable = np.array(
        [_varied(x[present[:, k], k]) >= max(1, min_pairs_per_component) for k in range(len(names))]
    )
    xl, t = x[:, learnable], data.success
    rng = np.random.default_rng(seed)

    # What the data cannot tell keeps its current share of the total weight;
    # the learned components share the rest in the fitted proportions.
    share = np.array([cfg.weights.get(n, 0.0) for n in names])
    share = _normalised(share) if share.sum() > 0 else np.full(len(names), 1 / len(names))
    kept = np.where(learnable, 0.0, share)
    rest = 1.0 - float(kept.sum())

    def weights_of(beta: NDArray[np.float64]) -> NDArray[np.float64]:
        out = kept.copy()
        out[learnable] = _normalised(beta) * rest
        return out

    theta = _fit(xl, t, l2)
    weights = weights_of(theta[1:])

    current = share[learnable]
    if current.sum() <= 0:  # the config weighs only components the data cannot tell
        current = np.ones(xl.shape[1])
    scores = _cross_validate(xl, t, data.rated, _normalised(current), folds, l2, rng)

    n = t.size
    draws = np.zeros((n_bootstrap, len(names)))
    for b in range(n_bootstrap):
        pick = rng.integers(0, n, n)
        draws[b] = weights_of(_fit(xl[pick], t[pick], l2)[1:])
    tail = (1 - confidence) / 2
    if n_bootstrap:
        low, high = np.quantile(draws, [tail, 1 - tail], axis=0)
    else:
        low, high = weights.copy(), weights.copy()
    low, high = np.minimum(low, weights), np.maximum(high, weights)

    min_pairs = min_pairs_per_component * len(names)
    usable, message = _verdict(
        n,
        min_pairs,
        len(names),
        bool(theta[1:].any()),
        names,
        low,
        high,
        confidence,
        max_ci_width,
        scores,
    )
    settings = {
        "config": cfg.model_dump(mode="json", exclude={"weights", "fit"}),
        "folds": folds,
        "n_bootstrap": n_bootstrap,
        "confidence": confidence,
        "l2": l2,
        "seed": seed,
    }
    rounded = {name: round(float(w), 6) for name, w in zip(names, weights, strict=True)}
    return FitResult(
        usable=usable,
        message=message,
        weights=rounded,
        ci_low={n: round(float(v), 6) for n, v in zip(names, low, strict=True)},
        ci_high={n: round(float(v), 6) for n, v in zip(names, high, strict=True)},
        confidence=confidence,
        n_pairs=n,
        n_rated=int(data.rated.sum()),
        n_kept_closed=int((~data.rated).sum()),
        n_programs=len(plist),
        min_pairs=min_pairs,
        max_ci_width=max_ci_width,
        cv_folds=folds,
        cv_log_loss=None if scores is None else round(scores.log_loss, 6),
        cv_baseline_log_loss=None if scores is None else round(scores.baseline_log_loss, 6),
        cv_null_log_loss=None if scores is None else round(scores.null_log_loss, 6),
        cv_r2=None if scores is None else round(scores.r2, 6),
        cv_baseline_r2=None if scores is None else round(scores.baseline_r2, 6),
        cv_accuracy=_rounded(None if scores is None else scores.accuracy),
        cv_baseline_accuracy=_rounded(None if scores is None else scores.baseline_accuracy),
        n_bootstrap=n_bootstrap,
        seed=seed,
        l2=l2,
        unidentified=tuple(n for n, ok in zip(names, learnable, strict=True) if not ok),
        digest=_digest(data, settings),
    )


def _varied(values: NDArray[np.float64]) -> int:
    """How many values differ from the most common one."""
    if not values.size:
        return 0
    return int(values.size - np.unique(values, return_counts=True)[1].max())


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _verdict(
    n: int,
    min_pairs: int,
    n_components: int,
    learned: bool,
    names: Sequence[str],
    low: NDArray[np.float64],
    high: NDArray[np.float64],
    confidence: float,
    max_ci_width: float,
    scores: _Scores | None,
) -> tuple[bool, str]:
    """Whether the fit may replace the current weights, and why in one sentence."""
    if n < min_pairs:
        return False, (
            f"Too few pairs with an outcome to learn from: {n}, fewer than {min_pairs} "
            f"({min_pairs // n_components} per component for {n_components} components); "
            "the current weights stay."
        )
    if not learned:
        return False, (
            "The outcomes show no positive effect of any component that varies enough in "
            "the data; the current weights stay."
        )
    width = high - low
    k = int(np.argmax(width))
    pct = round(100 * confidence)
    if width[k] > max_ci_width:
        return False, (
            f"The weights are too uncertain: the {pct}% interval of {names[k]!r} spans "
            f"{low[k]:.2f}..{high[k]:.2f}, wider than {max_ci_width:g}; more rated pairs are "
            "needed, and the current weights stay."
        )
    if scores is None or scores.log_loss >= scores.baseline_log_loss:
        got = "" if scores is None else (
            f" (held-out log-loss {scores.log_loss:.4f} against {scores.baseline_log_loss:.4f})"
        )
        return False, (
            "The learned weights predict held-out outcomes no better than the current "
            f"weights{got}; the current weights stay."
        )
    return True, (
        f"Learned from {n} pairs: held-out log-loss {scores.log_loss:.4f} against "
        f"{scores.baseline_log_loss:.4f} with the current weights; widest {pct}% interval "
        f"{width[k]:.2f} ({names[k]})."
    )


def _check_settings(
    folds: int,
    n_bootstrap: int,
    confidence: float,
    l2: float,
    min_pairs_per_component: int,
    max_ci_width: float,
) -> None:
    checks = [
        ("folds", folds, isinstance(folds, int) and not isinstance(folds, bool) and folds >= 2,
         "an integer >= 2"),
        ("n_bootstrap", n_bootstrap,
         isinstance(n_bootstrap, int) and not isinstance(n_bootstrap, bool) and n_bootstrap >= 0,
         "an integer >= 0"),
        ("confidence", confidence,
         isinstance(confidence, int | float) and 0 < confidence < 1, "a number in (0, 1)"),
        ("l2", l2, isinstance(l2, int | float) and np.isfinite(l2) and l2 >= 0,
         "a finite number >= 0"),
        ("min_pairs_per_component", min_pairs_per_component,
         isinstance(min_pairs_per_component, int) and min_pairs_per_component >= 0,
         "an integer >= 0"),
        ("max_ci_width", max_ci_width,
         isinstance(max_ci_width, int | float) and 0 <= max_ci_width <= 1, "a number in 0..1"),
    ]
    problems = [
        Problem(f"The {name!r} is out of range. Got {value!r}.", field=name, expected=expected)
        for name, value, ok, expected in checks
        if not ok
    ]
    if problems:
        raise InvalidInputError(problems)
