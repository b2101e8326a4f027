"""Checks of :func:`~revmatch.datasets.make_program`'s arguments.

Each check returns the argument in the form the generator uses, or raises an
:class:`~revmatch.exceptions.InvalidInputError` whose problem names the
argument.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral

from revmatch.exceptions import InvalidInputError, Problem
from revmatch.models import DEFAULT_TOPICS, check_timezone

from ._tables import tables

__all__ = ["arg_problem", "capacity_range", "check_integer", "topic_names", "zone_list"]


def arg_problem(field: str, message: str, expected: str) -> InvalidInputError:
    """The error of one bad argument."""
    return InvalidInputError(Problem(message, field=field, expected=expected))


def check_integer(value: object, field: str, low: int, high: int | None = None) -> int:
    """An integer argument in ``low..high`` (no upper bound when ``high`` is None)."""
    expected = f"an integer >= {low}" if high is None else f"an integer in {low}..{high}"
    if isinstance(value, bool) or not isinstance(value, Integral):
        got = repr(value) if isinstance(value, bool) else type(value).__name__
        raise arg_problem(field, f"The {field!r} must be an integer. Got {got}.", expected)
    number = int(value)
    if number < low or (high is not None and number > high):
        raise arg_problem(field, f"The {field!r} is out of range. Got {number}.", expected)
    return number


def capacity_range(capacity: object) -> tuple[int, int]:
    """The (low, high) capacities of a fixed capacity or a range."""
    if isinstance(capacity, tuple | list):
        if len(capacity) != 2:
            raise arg_problem(
                "capacity",
                f"The 'capacity' range must have two bounds. Got {len(capacity)}.",
                "an integer >= 0 or a (low, high) pair with 0 <= low <= high",
            )
        low = check_integer(capacity[0], "capacity", 0)
        high = check_integer(capacity[1], "capacity", 0)
        if high < low:
            raise arg_problem(
                "capacity",
                f"The 'capacity' range ends before it starts. Got ({low}, {high}).",
                "a (low, high) pair with 0 <= low <= high",
            )
        return low, high
    fixed = check_integer(capacity, "capacity", 0)
    return fixed, fixed


def zone_list(zones: object) -> tuple[str, ...]:
    """The IANA keys of the zones given, or of the built-in mix for None."""
    expected = "an IANA name such as 'Europe/Berlin'"
    if zones is None:
        return tuple(tables().zones)
    if isinstance(zones, str) or not isinstance(zones, Sequence):
        raise arg_problem(
            "zones",
            "The 'zones' must be a list of time zone names.",
            "a list such as ['Europe/Berlin', 'America/New_York']",
        )
    if not zones:
        raise arg_problem("zones", "The 'zones' list is empty.", "at least one IANA time zone")
    out: list[str] = []
    for i, zone in enumerate(zones):
        if not isinstance(zone, str):
            raise arg_problem(
                f"zones[{i}]", f"A time zone must be a string. Got {type(zone).__name__}.", expected
            )
        try:
            out.append(check_timezone(zone.strip()))
        except ValueError as exc:
            raise arg_problem(f"zones[{i}]", str(exc), expected) from None
    if len(set(out)) != len(out):
        raise arg_problem("zones", "The 'zones' list names a zone twice.", "distinct time zones")
    return tuple(out)


def topic_names(n_topics: object) -> tuple[str, ...]:
    """The topic vocabulary: the defaults, cut or extended to ``n_topics``."""
    if n_topics is None:
        return DEFAULT_TOPICS
    n = check_integer(n_topics, "n_topics", 1)
    width = max(2, len(str(n)))
    extra = tuple(f"topic_{i:0{width}d}" for i in range(len(DEFAULT_TOPICS) + 1, n + 1))
    return (DEFAULT_TOPICS + extra)[:n]
