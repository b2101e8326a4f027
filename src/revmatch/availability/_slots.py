"""Weekly slots: the 15-minute grid, parsing and display.

A slot is a weekday and a time range on the 15-minute grid in the person's
own time zone, weekly or fortnightly.  :func:`parse_slot` reads one slot,
:func:`parse_slots` reads text as people write it (the lenient grammar is
:mod:`revmatch.availability._text`), :func:`describe_slots` writes slots for
people to read.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from revmatch.exceptions import InvalidInputError, Problem

from ._text import DAY_NAMES, SLOT_FORM, day_index, normalise_slots

SLOT_MINUTES = 15
MINUTES_PER_WEEK = 7 * 24 * 60
SLOTS_PER_WEEK = MINUTES_PER_WEEK // SLOT_MINUTES
CELLS_PER_DAY = 24 * 60 // SLOT_MINUTES

_SLOT_RE = re.compile(
    r"^\s*(?P<day>[A-Za-z]+)\s+(?P<start>\d{1,2}:\d{2})\s*[-\u2013\u2014]\s*(?P<end>\d{1,2}:\d{2})"
    r"(?:\s+(?P<fortnightly>fortnightly))?\s*$",
    re.IGNORECASE,
)
_TIME_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def parse_day(value: str) -> int:
    """Return the weekday index (Mon=0) of a day name in English or German, any case.

    ``"Mon"``, ``"monday"``, ``"Mo"``, ``"Montag"``, ``"Tues"``, ``"Di"``;
    ``"So"`` is Sunday (Sonntag) and ``"Mi"`` Wednesday (Mittwoch).

    Raises
    ------
    ValueError
        If the name is not a weekday.

    Examples
    --------
    >>> parse_day("Montag"), parse_day("thurs"), parse_day("So")
    (0, 3, 6)
    """
    return day_index(value)


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

    # Slot errors can reach callers of parse_slot as pydantic errors; never echo the input.
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

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
                f"{format_minute(self.start)}; expected {SLOT_FORM}"
            )
        if self.start % SLOT_MINUTES or self.end % SLOT_MINUTES:
            raise ValueError(
                f"slot times must lie on the {SLOT_MINUTES}-minute grid; expected {SLOT_FORM}"
            )
        return self

    @property
    def minutes(self) -> int:
        """Length of the slot in minutes."""
        return self.end - self.start

    def __str__(self) -> str:
        text = f"{DAY_NAMES[self.day]} {format_minute(self.start)}-{format_minute(self.end)}"
        return text + (" fortnightly" if self.every == 2 else "")


SlotLike: TypeAlias = Slot | str | Mapping[str, Any]


def _parse_text(text: str) -> dict[str, int]:
    return dict(_parse_text_cached(text))


@functools.lru_cache(maxsize=8192)
def _parse_text_cached(text: str) -> tuple[tuple[str, int], ...]:
    # Slot texts repeat a lot across people (templates, exports): parse each once.
    try:
        canonical = normalise_slots(text)
    except InvalidInputError as exc:
        # Name the accepted form next to the precise complaint.
        raise ValueError(f"{exc.problems[0].message}; expected {SLOT_FORM}") from None
    if len(canonical) != 1:
        found = f"{len(canonical)} slots ({', '.join(canonical)})" if canonical else "no slot"
        raise ValueError(
            f"{text!r} holds {found}, not one; give a list, or read it with parse_slots; "
            f"expected {SLOT_FORM}"
        )
    match = _SLOT_RE.match(canonical[0])
    if match is None:  # pragma: no cover - normalise_slots writes this form
        raise ValueError(f"{text!r} is not {SLOT_FORM}")
    return (
        ("day", parse_day(match.group("day"))),
        ("start", parse_time(match.group("start"))),
        ("end", parse_time(match.group("end"), allow_midnight_end=True)),
        ("every", 2 if match.group("fortnightly") else 1),
    )


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


def parse_slots(value: str | Mapping[str, Any] | Slot) -> tuple[Slot, ...]:
    """Parse availability as people write it: one text may hold several slots.

    Parameters
    ----------
    value : str, mapping or Slot
        Free text such as ``"Mo-Fr 12-13"``, ``"Montag 12-14; Di 9:30-11"``,
        ``"Thu 12pm-2pm"`` or ``"Mon 22:00-02:00"`` (split at midnight), or
        one slot as for :func:`parse_slot`.

    Returns
    -------
    tuple of Slot
        The slots in the order written; empty for blank text.

    Raises
    ------
    InvalidInputError
        If the value cannot be read; the message shows it, ``expected`` the
        accepted forms.

    Notes
    -----
    Days in English or German, short or long, any case (``So`` is Sunday);
    day ranges (``Mo-Fr``); times ``12``, ``12:00``, ``12.00``, ``0930`` or
    12-hour (``12-2pm`` is 12:00-14:00: a time without am/pm takes the other
    time's half of the day when that makes the slot end after it starts,
    else the other half); ``-``, en or em dash, ``to`` or ``bis`` between
    times; slots separated by ``;``, ``,`` or line breaks (a comma is never a
    decimal point). A slot whose end comes before its start crosses midnight
    and is split in two when it lasts at most 12 hours (Sunday wraps to
    Monday). The full grammar is in ``docs/reference/input.md``.

    Examples
    --------
    >>> [str(s) for s in parse_slots("Mo-Mi 12-13")]
    ['Mon 12:00-13:00', 'Tue 12:00-13:00', 'Wed 12:00-13:00']
    >>> [str(s) for s in parse_slots("Sun 23:00-01:00")]
    ['Sun 23:00-24:00', 'Mon 00:00-01:00']
    """
    if not isinstance(value, str):
        texts: tuple[Any, ...] = (value,)
    else:
        texts = normalise_slots(value)
    slots = []
    for text in texts:
        try:
            slots.append(parse_slot(text))
        except ValidationError as exc:
            detail = exc.errors()[0]["msg"] if exc.errors() else str(exc)
            detail = detail.removeprefix("Value error, ").split(f"; expected {SLOT_FORM}")[0]
            raise InvalidInputError(Problem(detail, expected=SLOT_FORM)) from None
    return tuple(slots)


def describe_slots(slots: Iterable[SlotLike]) -> str:
    """Describe weekly slots for display, sorted by day and time.

    Parameters
    ----------
    slots : iterable of Slot, str or mapping

    Returns
    -------
    str
        E.g. ``"Mon 12:00-14:00, Thu 08:30-10:00 fortnightly"``, or
        ``"no availability"`` for no slots.

    Raises
    ------
    ValueError
        If a slot cannot be read (with the accepted form).

    Examples
    --------
    >>> describe_slots(["Thu 08:30-10:00", "Mon 12:00-14:00"])
    'Mon 12:00-14:00, Thu 08:30-10:00'
    >>> describe_slots([])
    'no availability'
    """
    parsed = sorted({parse_slot(s) for s in slots}, key=lambda s: (s.day, s.start, s.end, s.every))
    return ", ".join(str(s) for s in parsed) if parsed else "no availability"
