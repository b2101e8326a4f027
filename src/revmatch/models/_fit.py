"""Weights learned from the outcomes of earlier pairs: :class:`FitResult`.

:func:`revmatch.learn.fit_weights` computes it; it lives with the models
because a :class:`~revmatch.models.MatchConfig` made from a fit carries it
(``MatchConfig.fit``), so that the audit record of every result matched with
learned weights says where they came from.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ._base import FrozenModel
from ._constants import DEFAULT_WEIGHTS

__all__ = ["FitResult"]

_Share = Annotated[float, Field(ge=0, le=1)]


class FitResult(FrozenModel):
    """Component weights learned from the outcomes of earlier pairs.

    Made by :func:`revmatch.fit_weights`; frozen and serialisable
    (``FitResult.model_validate_json(fit.model_dump_json()) == fit``).
    ``str(fit)`` is a readable summary. :meth:`MatchConfig.from_fit
    <revmatch.models.MatchConfig.from_fit>` turns a usable fit into settings.

    Attributes
    ----------
    usable : bool
        Whether the data suffice to replace the current weights (see
        ``message`` when not).
    message : str
        One plain sentence: why the fit is usable, or why it refuses.
    weights : dict of str to float
        Weight per fitted component, non-negative, summing to 1 as
        :data:`~revmatch.models.DEFAULT_WEIGHTS` do: the components in
        ``unidentified`` keep their share of the current weights, the others
        share the rest in the learned proportions.
    ci_low, ci_high : dict of str to float
        Bootstrap percentile interval of each weight at ``confidence``.
    confidence : float
        Coverage of the intervals (default 0.9).
    n_pairs : int
        Pairs with an outcome that were used.
    n_rated, n_kept_closed : int
        Of those, pairs with a rating and pairs with a kept/closed-early outcome.
    n_programs : int
        Programs the pairs came from.
    min_pairs : int
        Fewest pairs a usable fit needs (per component times components).
    max_ci_width : float
        Widest interval a usable fit may have.
    cv_folds : int
        Folds of the cross-validation.
    cv_log_loss, cv_baseline_log_loss, cv_null_log_loss : float or None
        Held-out cross-entropy of the success share (lower is better) of the
        fitted weights, of the current weights (the config's, with their own
        fitted intercept and scale), and of an intercept alone; None when
        there are fewer than two pairs per fold.
    cv_r2, cv_baseline_r2 : float or None
        Held-out R² of the predicted success share, fitted and current weights.
    cv_accuracy, cv_baseline_accuracy : float or None
        Held-out share of kept/closed-early outcomes predicted right (None
        without such outcomes).
    n_bootstrap : int
        Bootstrap resamples behind the intervals.
    seed : int
        Seed of the folds and resamples: the same data and seed give the same fit.
    l2 : float
        Ridge penalty on the component coefficients.
    unidentified : tuple of str
        Components the data cannot tell: fewer than ``min_pairs_per_component``
        pairs differ from their most common value (or they are missing for
        all). They keep their current share, with no interval around it.
    digest : str
        SHA-256 of what the fit saw: every pair with its outcome and
        component values, and the fit settings (independent of record order).

    Examples
    --------
    >>> import revmatch as rm
    >>> programs = rm.datasets.make_feedback(n_rated=40, seed=0)
    >>> fit = rm.fit_weights(programs)
    >>> fit.usable, fit.n_pairs
    (False, 40)
    """

    usable: bool
    message: str
    weights: dict[str, _Share]
    ci_low: dict[str, _Share]
    ci_high: dict[str, _Share]
    confidence: Annotated[float, Field(gt=0, lt=1)]
    n_pairs: Annotated[int, Field(ge=0)]
    n_rated: Annotated[int, Field(ge=0)]
    n_kept_closed: Annotated[int, Field(ge=0)]
    n_programs: Annotated[int, Field(ge=0)]
    min_pairs: Annotated[int, Field(ge=0)]
    max_ci_width: _Share
    cv_folds: Annotated[int, Field(ge=2)]
    cv_log_loss: float | None = None
    cv_baseline_log_loss: float | None = None
    cv_null_log_loss: float | None = None
    cv_r2: float | None = None
    cv_baseline_r2: float | None = None
    cv_accuracy: _Share | None = None
    cv_baseline_accuracy: _Share | None = None
    n_bootstrap: Annotated[int, Field(ge=0)]
    seed: int
    l2: Annotated[float, Field(ge=0)]
    unidentified: tuple[str, ...] = ()
    digest: str

    def __str__(self) -> str:
        verdict = "usable" if self.usable else "NOT usable: the current weights stay"
        pct = round(100 * self.confidence)
        lines = [
            f"Weights learned from {self.n_pairs} pairs with an outcome "
            f"({self.n_rated} rated, {self.n_kept_closed} kept/closed early) "
            f"in {self.n_programs} program(s): {verdict}.",
            self.message,
            "",
            f"{'component':<14}{'weight':>8}  {f'{pct}% interval':<16}{'default':>8}",
        ]
        for name, weight in self.weights.items():
            interval = f"{self.ci_low[name]:.2f} .. {self.ci_high[name]:.2f}"
            default = DEFAULT_WEIGHTS.get(name, 0.0)
            lines.append(f"{name:<14}{weight:>8.3f}  {interval:<16}{default:>8.2f}")
        lines.append("")
        if (
            self.cv_log_loss is not None
            and self.cv_baseline_log_loss is not None
            and self.cv_null_log_loss is not None
            and self.cv_r2 is not None
            and self.cv_baseline_r2 is not None
        ):
            lines.append(
                f"{self.cv_folds}-fold cross-validation (held-out; lower log-loss is better): "
                f"log-loss {self.cv_log_loss:.4f} fitted, {self.cv_baseline_log_loss:.4f} "
                f"current weights, {self.cv_null_log_loss:.4f} no weights; "
                f"R² {self.cv_r2:.3f} fitted, {self.cv_baseline_r2:.3f} current weights."
            )
        else:
            lines.append(f"Too few pairs for {self.cv_folds}-fold cross-validation.")
        if self.cv_accuracy is not None and self.cv_baseline_accuracy is not None:
            lines.append(
                f"kept/closed early predicted right: {self.cv_accuracy:.1%} fitted, "
                f"{self.cv_baseline_accuracy:.1%} current weights."
            )
        if self.unidentified:
            lines.append(
                "Too little variation in the data, current share kept: "
                + ", ".join(self.unidentified)
                + "."
            )
        lines.append(f"digest {self.digest[:16]}, seed {self.seed}")
        return "\n".join(lines)
