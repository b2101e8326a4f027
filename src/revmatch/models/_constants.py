"""The vocabulary of the models: topics, score components, rule reasons, and bounds.

The bounds keep every number a program or a setting may hold inside the range
that the arrays and sums built from them can carry.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

__all__ = [
    "COMPONENTS",
    "DEFAULT_TOPICS",
    "DEFAULT_WEIGHTS",
    "FIRST_DAY",
    "LAST_DAY",
    "MAX_CAPACITY",
    "MAX_ID_LENGTH",
    "MAX_PROGRAM_DAYS",
    "MAX_WEIGHT",
    "REASONS",
]

DEFAULT_TOPICS: tuple[str, ...] = (
    "digital",
    "social_media",
    "diversity",
    "work_ethic",
    "work_life_balance",
)
"""The default topic vocabulary of a reverse-mentoring program."""

COMPONENTS: tuple[str, ...] = (
    "topic",
    "availability",
    "window",
    "language",
    "place",
    "department",
    "seniority",
    "preferences",
)
"""Names of the built-in score components (see :mod:`revmatch._pipeline.scoring`)."""

DEFAULT_WEIGHTS: Mapping[str, float] = {
    "topic": 0.55,
    "availability": 0.15,
    "window": 0.05,
    "language": 0.05,
    "place": 0.05,
    "department": 0.05,
    "seniority": 0.0,
    "preferences": 0.10,
}
"""Default component weights; see :class:`~revmatch.models.MatchConfig` for the reasoning."""

REASONS: tuple[str, ...] = (
    "reporting_chain",
    "blocked",
    "min_overlap",
    "language",
    "location",
    "same_department",
    "not_junior",
    "repeat",
    "skip_level",
)
"""Reason codes of hard rules, in bit order of the reason masks."""

# Bounds that keep arithmetic in range: capacities become int64 arrays, and
# weights are summed (a sum of two weights near 1e308 is inf and every score 0).
MAX_CAPACITY = 1_000_000_000
MAX_WEIGHT = 1e6
# Dates a program may use, and its longest span: shared time is measured week
# by week, so a span of centuries would take minutes; 10 years is ample.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
MAX_PROGRAM_DAYS = 3653
MAX_ID_LENGTH = 200
