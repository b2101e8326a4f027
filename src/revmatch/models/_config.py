"""The settings of a match: :class:`MatchConfig`."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from revmatch.availability import parse_time
from revmatch.exceptions import InvalidInputError, Problem

from ._base import FrozenModel
from ._constants import COMPONENTS, DEFAULT_WEIGHTS, MAX_CAPACITY, MAX_WEIGHT
from ._fit import FitResult
from ._quotas import Attribute, GroupQuota

__all__ = ["MatchConfig"]


class MatchConfig(FrozenModel):
    """Settings of a match: weights, thresholds, switches, solver choice.

    Configuration holds settings only; data goes into the call. Round-trips
    through JSON (``MatchConfig.model_validate_json(cfg.model_dump_json())``).

    Parameters
    ----------
    weights : mapping of str to float
        Weight per score component (see :data:`COMPONENTS`). Missing names
        take their default from :data:`DEFAULT_WEIGHTS`; ``0`` switches a
        component off. Custom components are named ``"custom:<name>"``.
        The total score is the weighted mean of the components, so it lies
        in 0..1 whatever the weights' scale. The defaults put topic fit first
        (it is why the program exists: 0.55), shared time second (0.15; the
        hard minimum is a rule, this rewards slack above it), explicit wishes
        of the people third (0.10), and small tie-breaking bonuses (0.05 each)
        for a long-lunch window, the executive's first language, a shared
        location and a cross-department pair. Seniority is off by default
        (the ``not_junior`` rule already enforces the direction).
    topic_weights : mapping of str to float
        Per-topic multipliers in the topic component (default 1 each).
    session_minutes : int
        Weekly minutes a pair needs (default 60).
    min_overlap_minutes : int
        Pairs whose smallest weekly shared time is below this are infeasible
        (reason ``min_overlap``; default 60).
    preferred_window : tuple of str or None
        Local window, e.g. ``("11:30", "14:30")``, whose shared time earns the
        ``window`` component. ``None`` disables it.
    require_shared_language : bool
        Pairs whose language lists are both non-empty and disjoint are
        infeasible (reason ``language``).
    exclude_same_department : bool
        Same-department pairs are infeasible (reason ``same_department``).
    exclude_skip_level : bool
        Pairs whose mentor reports directly (along a solid or dotted line) to
        a peer of the executive, someone else sharing one of the executive's
        direct managers, are infeasible (reason ``skip_level``; off by
        default).
    min_grade_gap : int
        With ``grade`` on both sides, a pair is infeasible (``not_junior``)
        unless ``executive.grade - mentor.grade >= min_grade_gap``.
    seniority_span : int
        Grade gap that earns the full ``seniority`` component.
    missing : {"neutral", "zero"}
        What a component whose inputs are missing for a pair counts.
        ``"neutral"`` (default): it is left out of that pair's weighted mean,
        whose weights are renormalised over the components present, so
        incomplete HR data neither helps nor hurts; the pair's explanation
        names it. ``"zero"``: it counts 0. A component is missing for a pair
        when: ``language``, either person lists no languages; ``place``,
        either has no location (a remote-only person with a location is a
        real 0); ``department``, either has none; ``seniority``, either has
        no grade; ``topic``, the executive wishes nothing (a mentor without
        expertise is a real 0). ``availability``, ``window``,
        ``preferences`` and custom components are never missing. A pair
        whose every weighted component is missing scores 0.
    allow_repeats : bool
        Pairs from ``program.history`` are infeasible (``repeat``) unless set.
    repeat_bonus : float
        With ``allow_repeats``, added to a repeat pair's weight in the
        solver's objective (negative: a penalty). Scores are unchanged.
    priority_bonus : float
        Added to the objective weight of every pair of an executive listed in
        ``program.priority`` (people left unmatched last round).
    switching_cost : float
        In :func:`revmatch.rematch`, what moving an existing pair costs: a
        kept pair earns this much extra in the objective, so a pair moves
        only when the new pairing gains more than that.
    objective : {"coverage_then_score", "max_score", "maximin", "maximin_groups"}
        What the solver optimises. ``"maximin_groups"``: the largest mean
        score of the worst-off executive group (groups by ``group_by``; a
        group's mean is its pairs' scores summed over all its executives,
        an unmatched one counting 0), then the largest total; one exact
        integer program (HiGHS), meant for programs of up to a few hundred
        people a side.
    method : str
        Solver method (see :func:`revmatch.solve`); ``"auto"`` picks one.
    mentors_per_executive : int
        How many mentors each executive may get (default 1), at most one per
        wished topic group, pinned mentors included. ``coverage_then_score``
        then counts pairs: the most pairs first, which may give one executive
        two mentors where another gets none if that scores higher.
    score_decimals : int
        Scores are rounded to this many decimals so that equal scores are
        equal exactly and ties are broken by id.
    strict : bool
        Raise :class:`~revmatch.exceptions.InfeasibleError` when not every
        executive can be matched.
    candidates : "auto", int or None
        ``None`` (default) scores the dense matrix. An integer keeps the top
        ``k`` feasible mentors per executive, computed in blocks without the
        dense matrix, solves the sparse candidate graph and certifies the
        result optimal for the full problem (widening ``k`` where needed);
        ``"auto"`` does so only for large programs, with ``k`` chosen from
        measurements. Must be ``None`` with ``quotas`` or
        ``objective="maximin_groups"``.
    quotas : tuple of GroupQuota
        Hard bounds on how many chosen pairs, or which share of them, fall
        in a group of executives, mentors or pairs; each may be given as its
        compact text, e.g. ``"executive.location!=HQ:min_share=0.4"`` (see
        :class:`GroupQuota`). Solved exactly by the ``milp`` method; a value
        no person has is an error. Left out of the JSON when empty.
    group_by : {"department", "location", "groups", "grade"}
        The executive attribute whose values are the groups of
        ``objective="maximin_groups"`` (default ``"department"``; with
        ``"groups"`` an executive counts in each of its labels). Executives
        without the attribute are in no group. Left out of the JSON when
        default.
    fit : FitResult or None
        The fit the weights were learned from, when the settings come from
        :meth:`from_fit`; the audit record of every result carries it (it is
        left out of the JSON when None).
    """

    weights: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    topic_weights: dict[str, Annotated[float, Field(ge=0, le=MAX_WEIGHT)]] = Field(
        default_factory=dict
    )
    session_minutes: Annotated[int, Field(gt=0, le=24 * 60 * 7)] = 60
    min_overlap_minutes: Annotated[int, Field(ge=0, le=24 * 60 * 7)] = 60
    preferred_window: tuple[str, str] | None = ("11:30", "14:30")
    require_shared_language: bool = True
    exclude_same_department: bool = False
    exclude_skip_level: bool = False
    min_grade_gap: Annotated[int, Field(ge=0)] = 1
    seniority_span: Annotated[int, Field(gt=0)] = 4
    missing: Literal["neutral", "zero"] = "neutral"
    allow_repeats: bool = False
    repeat_bonus: Annotated[float, Field(ge=-1, le=1)] = 0.0
    priority_bonus: Annotated[float, Field(ge=0, le=1)] = 0.0
    switching_cost: Annotated[float, Field(ge=0, le=1)] = 0.05
    objective: Literal["coverage_then_score", "max_score", "maximin", "maximin_groups"] = (
        "coverage_then_score"
    )
    method: str = "auto"
    mentors_per_executive: Annotated[int, Field(ge=1, le=MAX_CAPACITY)] = 1
    score_decimals: Annotated[int, Field(ge=0, le=12)] = 6
    strict: bool = False
    candidates: Literal["auto"] | Annotated[int, Field(ge=1)] | None = None
    quotas: tuple[GroupQuota, ...] = ()
    group_by: Attribute = "department"
    fit: FitResult | None = None

    @field_validator("weights", mode="before")
    @classmethod
    def _fill_weights(cls, value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        merged: dict[str, Any] = dict(DEFAULT_WEIGHTS)
        for name, weight in value.items():
            if name not in COMPONENTS and not str(name).startswith("custom:"):
                raise ValueError(
                    f"unknown component {name!r}; known: {', '.join(COMPONENTS)} "
                    "(or 'custom:<name>' for a custom component)"
                )
            if isinstance(weight, bool) or not isinstance(weight, int | float):
                raise ValueError(f"the weight of {name!r} must be a number")
            if not math.isfinite(weight) or not 0 <= weight <= MAX_WEIGHT:
                raise ValueError(
                    f"the weight of {name!r} must be a finite number >= 0 and <= {MAX_WEIGHT:.0e}"
                )
            merged[str(name)] = float(weight)
        if not any(w > 0 for w in merged.values()):
            raise ValueError("at least one weight must be positive")
        return merged

    @field_validator("quotas", mode="before")
    @classmethod
    def _read_quotas(cls, value: Any) -> Any:
        # Each quota is validated here so that its problems keep its position
        # (a nested model with its own __init__ reports its own fields only).
        if isinstance(value, str | bytes) or not isinstance(value, list | tuple):
            return value
        out = []
        for k, item in enumerate(value):
            try:
                out.append(GroupQuota.model_validate(item))
            except InvalidInputError as exc:
                raise ValueError(f"quotas[{k}]: {exc}") from None
        return tuple(out)

    @model_validator(mode="after")
    def _quotas_dense(self) -> MatchConfig:
        if self.candidates is not None and (self.quotas or self.objective == "maximin_groups"):
            raise ValueError(
                "quotas and objective='maximin_groups' are solved on the dense score matrix; "
                "set candidates=None"
            )
        return self

    @field_validator("preferred_window")
    @classmethod
    def _window(cls, value: tuple[str, str] | None) -> tuple[str, str] | None:
        if value is not None:
            start, end = parse_time(value[0]), parse_time(value[1], allow_midnight_end=True)
            if end <= start:
                raise ValueError("the preferred window must end after it starts")
        return value

    @model_serializer(mode="wrap")
    def _without_absent_fit(self, handler: SerializerFunctionWrapHandler) -> Any:
        # Settings without a fit serialise as before the field existed.
        data = handler(self)
        if self.fit is None and isinstance(data, dict):
            data.pop("fit", None)
        # Likewise settings without quotas or a group attribute of their own.
        if isinstance(data, dict) and not self.quotas:
            data.pop("quotas", None)
        if isinstance(data, dict) and self.group_by == "department":
            data.pop("group_by", None)
        return data

    @classmethod
    def from_fit(cls, fit: FitResult, base: MatchConfig | None = None) -> MatchConfig:
        """Settings whose weights are those learned by :func:`revmatch.fit_weights`.

        Parameters
        ----------
        fit : FitResult
            A usable fit.
        base : MatchConfig, optional
            The other settings (``MatchConfig()`` by default); pass the one
            the fit was computed with, so that components are scored alike.

        Returns
        -------
        MatchConfig
            ``base`` with the fitted weights, every component the fit did not
            cover at weight 0 (the fitted score leaves it out), and ``fit``
            set, so that results' audit records carry the fit.

        Raises
        ------
        InvalidInputError
            If the fit is not usable (too few or too uncertain data): the
            message says why, and the default weights should stay.

        Examples
        --------
        >>> import revmatch as rm
        >>> fit = rm.fit_weights(rm.datasets.make_feedback(n_rated=600, seed=0))
        >>> config = rm.MatchConfig.from_fit(fit)
        >>> config.weights == {**{n: 0.0 for n in config.weights}, **fit.weights}
        True
        """
        if not isinstance(fit, FitResult):
            raise InvalidInputError(
                Problem(
                    f"from_fit needs a FitResult. Got {type(fit).__name__}.",
                    record="config",
                    field="fit",
                    expected="the result of revmatch.fit_weights",
                )
            )
        if not fit.usable:
            raise InvalidInputError(
                Problem(
                    f"the fit is not usable, so the weights stay as they are: {fit.message}",
                    record="config",
                    field="fit",
                    expected="a fit with usable=True",
                )
            )
        base = base or cls()
        weights = {name: fit.weights.get(name, 0.0) for name in base.weights}
        weights.update(fit.weights)
        return base.replace(weights=weights, fit=fit)

    @property
    def preferred_window_minutes(self) -> tuple[int, int] | None:
        """The preferred window as minutes of the local day, or None."""
        if self.preferred_window is None:
            return None
        return (
            parse_time(self.preferred_window[0]),
            parse_time(self.preferred_window[1], allow_midnight_end=True),
        )

    def replace(self, **changes: Any) -> MatchConfig:
        """Return a copy with some settings changed (validated anew)."""
        data = self.model_dump()
        data.update(changes)
        return MatchConfig(**data)
