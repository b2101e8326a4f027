"""Weekly availability: slot parsing, time zones and DST-aware overlap.

A person's availability is a list of weekly slots in their own IANA time zone,
written ``"Mon 12:00-14:00"`` or ``{"day": "Mon", "start": "12:00",
"end": "14:00", "every": 2}`` (``every: 2`` marks a fortnightly slot).
Times use a 15-minute grid; ``24:00`` may end a slot.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "DAY_NAMES",
    "MINUTES_PER_WEEK",
    "SLOTS_PER_WEEK",
    "SLOT_MINUTES",
    "Slot",
    "format_minute",
    "parse_slot",
]

DAY_NAMES: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SLOT_MINUTES = 15
MINUTES_PER_WEEK = 7 * 24 * 60
SLOTS_PER_WEEK = MINUTES_PER_WEEK // SLOT_MINUTES

_DAY_LOOKUP: dict[str, int] = {}
for _i, _name in enumerate(DAY_NAMES):
    _full = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")[_i]
    for _alias in (_name.lower(), _full):
        _DAY_LOOKUP[_alias] = _i

_SLOT_RE = re.compile(
    r"^\s*(?P<day>[A-Za-z]+)\s+(?P<start>\d{1,2}:\d{2})\s*[-\u2013\u2014]\s*(?P<end>\d{1,2}:\d{2})\s*$"
)
_TIME_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")

SLOT_FORM = "a weekly slot like 'Mon 12:00-14:00' (day Mon..Sun, times HH:MM on a 15-minute grid)"


def parse_day(value: str) -> int:
    """Return the weekday index (Mon=0) of a day name such as ``"Mon"`` or ``"monday"``.

    Raises
    ------
    ValueError
        If the name is not a weekday.
    """
    key = value.strip().lower()
    if key not in _DAY_LOOKUP:
        raise ValueError(f"unknown day {value!r}; expected one of {', '.join(DAY_NAMES)}")
    return _DAY_LOOKUP[key]


def parse_time(value: str, *, allow_midnight_end: bool = False) -> int:
    """Return the minute of the day of ``"HH:MM"`` on the 15-minute grid.

    Raises
    ------
    ValueError
        If the text is not a time of day on the 15-minute grid.
    """
    match = _TIME_RE.match(value)
    if match is None:
        raise ValueError(f"time {value!r} is not of the form HH:MM")
    hours, minutes = int(match.group(1)), int(match.group(2))
    total = hours * 60 + minutes
    limit = 24 * 60 if allow_midnight_end else 24 * 60 - 1
    if minutes >= 60 or total > limit:
        raise ValueError(f"time {value!r} is not a time of day (00:00-24:00)")
    if minutes % SLOT_MINUTES:
        raise ValueError(f"time {value!r} is not on the {SLOT_MINUTES}-minute grid")
    return total


def format_minute(minute: int) -> str:
    """Format a minute of the day as ``"HH:MM"`` (1440 becomes ``"24:00"``)."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


class Slot(BaseModel):
    """One recurring weekly slot in the person's local time.

    Attributes
    ----------
    day : int
        Weekday, Monday = 0 .. Sunday = 6.
    start, end : int
        Minutes after local midnight, multiples of 15, ``start < end <= 1440``.
    every : {1, 2}
        1 for weekly, 2 for fortnightly (counts half in weekly overlap).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    day: Annotated[int, Field(ge=0, le=6)]
    start: Annotated[int, Field(ge=0, lt=1440)]
    end: Annotated[int, Field(gt=0, le=1440)]
    every: Literal[1, 2] = 1

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            return _parse_text(data)
        if isinstance(data, Mapping):
            return _parse_mapping(data)
        return data

    @model_validator(mode="after")
    def _check_order(self) -> Slot:
        if self.end <= self.start:
            raise ValueError(
                f"slot ends at {format_minute(self.end)}, not after its start "
                f"{format_minute(self.start)}"
            )
        if self.start % SLOT_MINUTES or self.end % SLOT_MINUTES:
            raise ValueError(f"slot times must lie on the {SLOT_MINUTES}-minute grid")
        return self

    @property
    def minutes(self) -> int:
        """Length of the slot in minutes."""
        return self.end - self.start

    def __str__(self) -> str:
        text = f"{DAY_NAMES[self.day]} {format_minute(self.start)}-{format_minute(self.end)}"
        return text + (" fortnightly" if self.every == 2 else "")


def _parse_text(text: str) -> dict[str, int]:
    match = _SLOT_RE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not {SLOT_FORM}")
    return {
        "day": parse_day(match.group("day")),
        "start": parse_time(match.group("start")),
        "end": parse_time(match.group("end"), allow_midnight_end=True),
    }


def _parse_mapping(data: Mapping[Any, Any]) -> dict[str, Any]:
    out = dict(data)
    day = out.get("day")
    if isinstance(day, str):
        out["day"] = parse_day(day)
    start = out.get("start")
    if isinstance(start, str):
        out["start"] = parse_time(start)
    end = out.get("end")
    if isinstance(end, str):
        out["end"] = parse_time(end, allow_midnight_end=True)
    return out


def parse_slot(value: str | Mapping[str, Any] | Slot) -> Slot:
    """Parse one weekly slot.

    Parameters
    ----------
    value : str, mapping or Slot
        ``"Mon 12:00-14:00"`` or ``{"day": "Mon", "start": "12:00", "end": "14:00",
        "every": 1}``.

    Returns
    -------
    Slot

    Raises
    ------
    ValueError
        With the accepted form, if the slot cannot be read.

    Examples
    --------
    >>> parse_slot("Thu 08:30-10:00")
    Slot(day=3, start=510, end=600, every=1)
    """
    if isinstance(value, Slot):
        return value
    return Slot.model_validate(value)
