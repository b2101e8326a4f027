"""Pipeline stage 2: what assignment and reporting need of scores, dense or candidate.

:class:`Scores` is a protocol: the dense :class:`~revmatch._pipeline.scoring.ScoreMatrix`
and the candidate-pair scorer of large programs
(:class:`revmatch.scale.PairScorer`) both satisfy it, so pins are checked
and chosen pairs are explained by one piece of code whichever scored them.
"""

from __future__ import annotations

from collections.abc import Mapping
from time import perf_counter
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from revmatch._pipeline.compile import ProgramArrays
from revmatch._pipeline.prepare import Prepared
from revmatch._pipeline.scoring import ComponentFn, PairDetails, ScoreMatrix, score_arrays
from revmatch.models import MatchConfig

__all__ = ["Scores", "score_dense"]


class Scores(Protocol):
    """Scores of a program as assignment and reporting use them.

    Attributes
    ----------
    arrays : ProgramArrays
        The compiled program (ids, capacities, pins, topics).
    config : MatchConfig
        The settings the scores follow.
    weights : dict of str to float
        The positive component weights.
    """

    @property
    def arrays(self) -> ProgramArrays:
        """The compiled program."""

    @property
    def config(self) -> MatchConfig:
        """The settings the scores follow."""

    @property
    def weights(self) -> dict[str, float]:
        """The positive component weights."""

    def pair_masks(self, rows: NDArray[np.intp], cols: NDArray[np.intp]) -> NDArray[np.uint16]:
        """Rule masks of the pairs ``(rows[k], cols[k])``; 0 means allowed."""

    def pair_details(
        self, rows: NDArray[np.intp], cols: NDArray[np.intp]
    ) -> tuple[NDArray[np.float64], PairDetails]:
        """Total scores, components and shared minutes of the pairs ``(rows[k], cols[k])``."""


def score_dense(prepared: Prepared, custom: Mapping[str, ComponentFn] | None = None) -> ScoreMatrix:
    """Score every pair of a prepared program, timed as the ``score`` stage.

    Raises
    ------
    InvalidInputError
        If a custom component is missing or returns bad values.
    """
    t = perf_counter()
    scores = score_arrays(prepared.arrays, prepared.config, custom=custom)
    prepared.clock.stop("score", t)
    return scores
