"""The main job: program in, explained pairs out (:func:`match`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._pipeline.scoring import ComponentFn
from ._progress import Progress
from .models import MatchConfig, Program
from .result import MatchResult
from .scale import match_program

__all__ = ["match"]


def match(
    program: Program | Mapping[str, Any],
    config: MatchConfig | Mapping[str, Any] | None = None,
    *,
    custom: Mapping[str, ComponentFn] | None = None,
    force_pins: bool = False,
    progress: Progress | None = None,
) -> MatchResult:
    """Pair executives with mentors, exactly, and explain the result.

    Parameters
    ----------
    program : Program or mapping
        The validated program, or canonical data to validate.
    config : MatchConfig or mapping, optional
        Weights, rules and solver choice; ``MatchConfig()`` by default.
    custom : mapping of str to ComponentFn, optional
        Custom score components, weighted as ``"custom:<name>"``.
    force_pins : bool, default False
        Keep pinned pairs that break a hard rule instead of raising; each is
        recorded in ``audit["forced_pins"]`` with the rules it breaks.
    progress : Progress, optional
        Called as ``progress(done, total, label)`` as long work advances:
        in candidate mode (``config.candidates``) after the candidate lists,
        each solve of the candidate graph and the result (see
        :func:`revmatch.scale.match_candidates`); a dense match, which takes
        about a second at 2,000 x 2,000, reports nothing.

    Returns
    -------
    MatchResult
        Pairs with score parts and meeting slots, unmatched people with
        reasons, metrics and an audit record.

    Raises
    ------
    InvalidInputError
        If the program or config is invalid, or a pinned pair breaks a rule.
    InfeasibleError
        With ``config.strict`` when not every executive can be matched.

    Notes
    -----
    The pipeline is compile → score → solve → explain; the audit record
    holds the time of each stage. Records are ordered by id before anything
    else, so the same program in any record order gives the same pairs.

    Examples
    --------
    >>> import revmatch as rm
    >>> program = rm.datasets.make_program(n_executives=6, n_mentors=9, seed=3)
    >>> result = rm.match(program)
    >>> len(result.pairs) + sum(u.role == "executive" for u in result.unmatched)
    6
    """
    return match_program(
        program, config, custom=custom, force_pins=force_pins, progress=progress
    )
