"""Weekly availability: slot parsing, time zones and DST-aware overlap.

A person's availability is a list of weekly slots in their own IANA time zone,
written ``"Mon 12:00-14:00"`` or ``{"day": "Mon", "start": "12:00",
"end": "14:00", "every": 2}`` (``every: 2`` marks a fortnightly slot).
Times use a 15-minute grid; ``24:00`` may end a slot.  Text as people write
it (``"Montag 12-14"``, ``"Mo-Fr 12-13"``, ``"Thu 12pm-2pm"``, a slot across
midnight) is read by :func:`parse_slots` into such slots.

Time model
----------
Shared time is measured in UTC, separately for every week of the program, so
daylight-saving changes that happen on different dates in two zones are real.
A week is the UTC week ``[Monday 00:00 UTC, next Monday 00:00 UTC)`` of a
program Monday, cut into 672 cells of 15 minutes (every UTC offset in use
today is a multiple of 15 minutes; a zone whose offset is not, in the
program period, is rejected).

*Wall-clock rule.*  A person is available at a UTC instant when the wall clock
in their zone shows, at that instant, a weekday and time inside one of their
slots.  Consequences on the days the clocks change:

- local times skipped when clocks go forward never show on the clock, so the
  part of a slot inside the gap is lost (``Sun 02:00-04:00`` on the US
  spring-forward Sunday lasts one hour);
- local times repeated when clocks go back show twice and are available both
  times (``Sun 01:00-02:00`` on the US fall-back Sunday lasts two hours).

*Cyclic week.*  Slots repeat every week, so the wall time at each UTC cell is
looked up modulo one week: a ``Mon 01:00`` slot in Asia/Tokyo is Sunday 16:00
UTC and is counted in the Sunday of the same UTC week (it belongs to the next
local week, whose Monday has the same slots).  Each program week therefore
yields one cyclic UTC grid per person.  A proposed meeting is not a weekly
total but one session per week at real instants, which may lie outside the
UTC week of their program Monday: :func:`propose_meeting` reads the clocks at
those instants instead.

*Fortnightly slots* (``every=2``) count half in the weekly overlap; their
phase (odd or even weeks) is left to the people concerned.

*Program weeks.*  A program touching the dates ``start..end`` runs over the
Mondays of every week it touches (:func:`program_weeks`).  Without dates, the
ISO weeks of :data:`REFERENCE_YEAR` are used, so results are deterministic and
see both DST changes.

The compiled form (:func:`compile_availability`) stores one boolean UTC grid
per distinct *(zone, slots)* pattern and per *week class*: weeks in which every
zone of the program has the same UTC offsets cell by cell share a class, so a
26-week program usually needs five to ten grids per pattern, not 26.
:func:`weekly_overlap` turns them into shared minutes per pair with matrix
products over patterns; :func:`pattern_overlap` stops at pattern level for
very large programs; :func:`propose_meeting` picks a recurring session for one
pair and explains how DST moves it.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Literal, TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from revmatch._slot_text import DAY_NAMES, SLOT_FORM, day_index, normalise_slots
from revmatch._zones import ZONE_FORM, is_zone, resolve_timezone
from revmatch.exceptions import InvalidInputError, Problem

__all__ = [
    "DAY_NAMES",
    "DEFAULT_PREFERRED_WINDOW",
    "MINUTES_PER_WEEK",
    "REFERENCE_YEAR",
    "SLOTS_PER_WEEK",
    "SLOT_FORM",
    "SLOT_MINUTES",
    "AvailabilityGrids",
    "MeetingSlot",
    "Overlap",
    "PatternCounter",
    "PatternCounts",
    "Slot",
    "block_counts",
    "block_overlaps",
    "compile_availability",
    "describe_slots",
    "format_minute",
    "gather_index",
    "off_grid_reason",
    "parse_day",
    "parse_slot",
    "parse_slots",
    "parse_time",
    "pattern_overlap",
    "program_weeks",
    "propose_meeting",
    "propose_meetings",
    "weekly_overlap",
]

SLOT_MINUTES = 15
MINUTES_PER_WEEK = 7 * 24 * 60
SLOTS_PER_WEEK = MINUTES_PER_WEEK // SLOT_MINUTES

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


# ---------------------------------------------------------------------------
# Program weeks, time zones and UTC offsets
# ---------------------------------------------------------------------------

REFERENCE_YEAR = 2027
"""Year whose ISO weeks stand in for a program without ``start`` and ``end``."""

DEFAULT_PREFERRED_WINDOW: tuple[int, int] = (690, 870)
"""Local 11:30-14:30 on every day: the long-lunch pattern reverse mentoring favours."""

_CELLS_PER_DAY = 24 * 60 // SLOT_MINUTES
_SECONDS_PER_CELL = SLOT_MINUTES * 60
# Patterns per operand of one matrix product in :func:`weekly_overlap`; bounds
# the float32 temporaries to a few tens of MB whatever the block size.
_PATTERN_CHUNK = 2048
# A zone group gets a block of its own in :func:`weekly_overlap` (at most
# _MAX_GROUPS per side) when it has at least _MIN_SEGMENT patterns and its
# patterns times the other side's reach _MIN_BLOCK_PAIRS; the rest share one
# block.  Smaller blocks would cost more in per-block calls than they save.
_MAX_GROUPS = 12
_MIN_SEGMENT = 16
_MIN_BLOCK_PAIRS = 1 << 16
_NOT_UNIFORM = -(1 << 20)  # group_shift where a zone's offset changes within the week

SlotLike: TypeAlias = Slot | str | Mapping[str, Any]
Person: TypeAlias = tuple[str, Sequence[SlotLike]]
BoolArray: TypeAlias = npt.NDArray[np.bool_]
IntArray: TypeAlias = npt.NDArray[np.intp]
FloatArray: TypeAlias = npt.NDArray[np.float64]
_SlotKey: TypeAlias = tuple[tuple[int, int, int, int], ...]
_ZONE_FORM = ZONE_FORM


def _as_date(value: object, field: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise InvalidInputError(
        Problem(
            f"{field} is {type(value).__name__}, not a date",
            field=field,
            expected="a datetime.date",
        )
    )


def program_weeks(start: date | None = None, end: date | None = None) -> tuple[date, ...]:
    """Return the Mondays of the weeks a program touches.

    Parameters
    ----------
    start, end : datetime.date, optional
        First and last day of the program, inclusive.  With neither, the ISO
        weeks of :data:`REFERENCE_YEAR` are used; with only one of them the
        program is taken to last 364 days (both ends included: 52 weeks from
        a Monday) from ``start`` or up to ``end``, so that both
        daylight-saving changes are seen.

    Returns
    -------
    tuple of datetime.date
        Consecutive Mondays, from the Monday on or before ``start`` to the
        Monday on or before ``end``.

    Raises
    ------
    InvalidInputError
        If ``end`` is before ``start`` or a bound is not a date.

    Examples
    --------
    >>> weeks = program_weeks(date(2027, 3, 10), date(2027, 3, 29))
    >>> [str(w) for w in weeks]
    ['2027-03-08', '2027-03-15', '2027-03-22', '2027-03-29']
    >>> len(program_weeks())
    52
    """
    if start is None and end is None:
        first = date.fromisocalendar(REFERENCE_YEAR, 1, 1)
        return _mondays(first, date(REFERENCE_YEAR, 12, 28).isocalendar().week)
    year = timedelta(days=363)
    lo = _as_date(start, "start") if start is not None else None
    hi = _as_date(end, "end") if end is not None else None
    if lo is None:
        assert hi is not None
        lo = hi - year
    if hi is None:
        hi = lo + year
    if hi < lo:
        raise InvalidInputError(
            Problem(
                f"the program ends on {hi}, before it starts on {lo}",
                field="end",
                expected="an end date on or after the start date",
            )
        )
    first = lo - timedelta(days=lo.weekday())
    return _mondays(first, (hi - first).days // 7 + 1)


@functools.lru_cache(maxsize=256)
def _mondays(first: date, n_weeks: int) -> tuple[date, ...]:
    return tuple(first + timedelta(weeks=i) for i in range(n_weeks))


class _OffGridZoneError(Exception):
    """A zone's UTC offset is not a multiple of 15 minutes (located by the caller)."""


def _offset_cells(tz: ZoneInfo, moment: datetime) -> int:
    offset = moment.utcoffset() if moment.tzinfo is tz else moment.astimezone(tz).utcoffset()
    assert offset is not None
    seconds = int(offset.total_seconds())
    if seconds % _SECONDS_PER_CELL:
        sign = "-" if seconds < 0 else "+"
        hours, rest = divmod(abs(seconds), 3600)
        text = f"{sign}{hours:02d}:{rest // 60:02d}" + (f":{rest % 60:02d}" if rest % 60 else "")
        raise _OffGridZoneError(
            f"time zone {tz.key!r} is UTC{text} on {moment.date()}, not a whole number of "
            f"{SLOT_MINUTES} minutes from UTC, so it does not fit the {SLOT_MINUTES}-minute grid"
        )
    return seconds // _SECONDS_PER_CELL


@functools.lru_cache(maxsize=4096)
def _utc_offsets(zone: str, first_monday: date, n_weeks: int) -> npt.NDArray[np.int16]:
    """UTC offset, in cells, at the start of every UTC cell of every program week.

    Returns a read-only ``(n_weeks, 672)`` array: the wall clock shows cell
    ``u + offset[w, u]`` (counted from local Monday 00:00) at UTC cell ``u``
    of week ``w``.  zoneinfo is asked twice per UTC day; only days whose
    offset differs between their first and last second are resolved cell by
    cell (no zone changes its offset and back within one day).
    """
    tz = ZoneInfo(zone)
    n_days = 7 * n_weeks
    t0 = datetime.combine(first_monday, time(), tzinfo=UTC)
    out = np.empty(n_days * _CELLS_PER_DAY, dtype=np.int16)
    one_day = timedelta(days=1)
    day_end = timedelta(seconds=86_399)
    cell_end = timedelta(seconds=_SECONDS_PER_CELL - 1)
    for d in range(n_days):
        begin = t0 + d * one_day
        first = _offset_cells(tz, begin)
        if first == _offset_cells(tz, begin + day_end):
            out[d * _CELLS_PER_DAY : (d + 1) * _CELLS_PER_DAY] = first
            continue
        for c in range(_CELLS_PER_DAY):
            cell_start = begin + timedelta(seconds=c * _SECONDS_PER_CELL)
            value = _offset_cells(tz, cell_start)
            if value != _offset_cells(tz, cell_start + cell_end):
                raise _OffGridZoneError(
                    f"time zone {zone!r} changes its UTC offset at {cell_start:%Y-%m-%d} "
                    f"inside a {SLOT_MINUTES}-minute cell of UTC"
                )
            out[d * _CELLS_PER_DAY + c] = value
    out.flags.writeable = False
    return out.reshape(n_weeks, SLOTS_PER_WEEK)


def off_grid_reason(zone: str, start: date | None = None, end: date | None = None) -> str | None:
    """Why ``zone`` does not fit the 15-minute grid during the program, or ``None``.

    A zone fits when its UTC offset is a whole number of 15-minute cells in
    every program week (see :func:`program_weeks`) and changes only at cell
    boundaries; e.g. Africa/Monrovia, UTC-00:44:30 until 1972, does not fit a
    program in 1970.

    Examples
    --------
    >>> off_grid_reason("Europe/Berlin") is None
    True
    >>> "15 minutes" in off_grid_reason("Africa/Monrovia", date(1970, 1, 5))
    True
    """
    try:
        weeks = program_weeks(start, end)
        _utc_offsets(zone, weeks[0], len(weeks))
    except _OffGridZoneError as exc:
        return str(exc)
    except (InvalidInputError, ZoneInfoNotFoundError, ValueError):
        return None  # unusable dates or names are reported by their own checks
    return None


@functools.lru_cache(maxsize=4096)
def _local_start_cells(zone: str, first_monday: date, n_weeks: int) -> npt.NDArray[np.int32]:
    """UTC cell at which each local wall cell of each program week starts.

    Returns a read-only ``(n_weeks, 672)`` array of UTC cells counted from the
    UTC Monday 00:00 of the same week (not wrapped, so it may be negative or
    reach past 671).  Skipped and repeated wall times resolve as zoneinfo does
    with ``fold=0``: a skipped time is read with the offset before the change
    (so it lands after the gap) and a repeated time means its first
    occurrence.
    """
    tz = ZoneInfo(zone)
    out = np.empty((n_weeks * 7, _CELLS_PER_DAY), dtype=np.int32)
    local = np.arange(_CELLS_PER_DAY, dtype=np.int32)
    last = time(23, 60 - SLOT_MINUTES)
    for d in range(n_weeks * 7):
        day = first_monday + timedelta(days=d)
        base = (d % 7) * _CELLS_PER_DAY
        first = _offset_cells(tz, datetime.combine(day, time(), tzinfo=tz))
        if first == _offset_cells(tz, datetime.combine(day, last, tzinfo=tz)):
            out[d] = base + local - first
            continue
        for c in range(_CELLS_PER_DAY):
            minute = c * SLOT_MINUTES
            wall = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=tz)
            out[d, c] = base + c - _offset_cells(tz, wall)
    out.flags.writeable = False
    return out.reshape(n_weeks, SLOTS_PER_WEEK)


def _week_classes(offsets: npt.NDArray[np.int16]) -> tuple[IntArray, IntArray, IntArray]:
    """Group weeks whose offsets agree cell by cell in every zone.

    Parameters
    ----------
    offsets : (Z, W, 672) array

    Returns
    -------
    week_class : (W,) class of each week, classes numbered by first week
    counts : (K,) weeks per class
    representative : (K,) first week of each class
    """
    n_weeks = offsets.shape[1]
    classes: dict[bytes, int] = {}
    week_class = np.empty(n_weeks, dtype=np.intp)
    representative: list[int] = []
    for w in range(n_weeks):
        key = offsets[:, w, :].tobytes()
        if key not in classes:
            classes[key] = len(representative)
            representative.append(w)
        week_class[w] = classes[key]
    counts = np.bincount(week_class, minlength=len(representative)).astype(np.intp)
    return week_class, counts, np.asarray(representative, dtype=np.intp)


def _zone_groups(class_offsets: npt.NDArray[np.int16]) -> tuple[IntArray, IntArray, IntArray]:
    """Group zones by their offsets in every class; number each group's distinct classes.

    Parameters
    ----------
    class_offsets : (Z, K, 672) array
        Offsets of each zone in each week class.

    Returns
    -------
    zone_group : (Z,) group of each zone
    group_class : (G, K) for each group, equal numbers mark classes with equal offsets
    group_shift : (G, K) the group's offset where it is constant through the
        class's week, else ``_NOT_UNIFORM``
    """
    groups: dict[bytes, int] = {}
    zone_group = np.empty(class_offsets.shape[0], dtype=np.intp)
    rows: list[list[int]] = []
    shifts: list[list[int]] = []
    for z in range(class_offsets.shape[0]):
        key = class_offsets[z].tobytes()
        if key not in groups:
            groups[key] = len(rows)
            seen: dict[bytes, int] = {}
            rows.append([seen.setdefault(week.tobytes(), len(seen)) for week in class_offsets[z]])
            shifts.append(
                [
                    int(week[0]) if (week == week[0]).all() else _NOT_UNIFORM
                    for week in class_offsets[z]
                ]
            )
        zone_group[z] = groups[key]
    n_classes = class_offsets.shape[1]
    group_class = np.asarray(rows, dtype=np.intp).reshape(len(rows), n_classes)
    group_shift = np.asarray(shifts, dtype=np.intp).reshape(len(rows), n_classes)
    return zone_group, group_class, group_shift


# ---------------------------------------------------------------------------
# People -> local weekly masks
# ---------------------------------------------------------------------------


def _load_zone(name: object, record: str, problems: list[Problem]) -> str | None:
    if not isinstance(name, str):
        problems.append(
            Problem(
                f"time zone is {type(name).__name__}, not text",
                record=record,
                field="timezone",
                expected=_ZONE_FORM,
            )
        )
        return None
    try:
        return resolve_timezone(name)
    except ValueError as exc:
        problems.append(Problem(str(exc), record=record, field="timezone", expected=_ZONE_FORM))
        return None


def _slot_key(slots: object, record: str, problems: list[Problem]) -> _SlotKey | None:
    if isinstance(slots, list | tuple) and all(type(raw) is Slot for raw in slots):
        return tuple(sorted({(s.day, s.start, s.end, s.every) for s in slots}))
    if isinstance(slots, str | bytes) or not isinstance(slots, Iterable):
        problems.append(
            Problem(
                "availability is not a list of slots",
                record=record,
                field="availability",
                expected=f"a list of {SLOT_FORM}",
            )
        )
        return None
    parsed: set[tuple[int, int, int, int]] = set()
    ok = True
    for j, raw in enumerate(slots):
        try:
            read = parse_slots(raw) if isinstance(raw, str) else (parse_slot(raw),)
        except (ValidationError, ValueError, TypeError) as exc:
            ok = False
            if isinstance(exc, InvalidInputError):
                detail = exc.problems[0].message
            elif isinstance(exc, ValidationError) and exc.errors():
                detail = exc.errors()[0]["msg"]
            else:
                detail = str(exc)
            # The accepted form goes to ``expected``, not twice into the message.
            detail = detail.removeprefix("Value error, ").split(f"; expected {SLOT_FORM}")[0]
            problems.append(
                Problem(
                    detail,
                    record=record,
                    field=f"availability[{j}]",
                    expected=SLOT_FORM,
                )
            )
            continue
        parsed.update((slot.day, slot.start, slot.end, slot.every) for slot in read)
    return tuple(sorted(parsed)) if ok else None


def _read_people(
    people: Sequence[Person], role: str, problems: list[Problem]
) -> list[tuple[str, _SlotKey]]:
    out: list[tuple[str, _SlotKey]] = []
    for i, person in enumerate(people):
        record = f"{role}[{i}]"
        # The common case first, without the slower generic checks below.
        if (
            type(person) is tuple
            and len(person) == 2
            and type(person[0]) is str
            and is_zone(person[0])
        ):
            key = _slot_key(person[1], record, problems)
            if key is not None:
                out.append((person[0], key))
            continue
        if not isinstance(person, Sequence) or isinstance(person, str) or len(person) != 2:
            problems.append(
                Problem(
                    "is not a (time zone, slots) pair",
                    record=record,
                    expected="a tuple (iana_zone, list of slots)",
                )
            )
            continue
        zone = _load_zone(person[0], record, problems)
        key = _slot_key(person[1], record, problems)
        if zone is not None and key is not None:
            out.append((zone, key))
    return out


def _check_window(window: tuple[int, int] | None) -> tuple[int, int] | None:
    if window is None:
        return None
    try:
        lo, hi = (int(v) for v in window)
    except (TypeError, ValueError):
        lo, hi = -1, -1
    if not (0 <= lo < hi <= 24 * 60) or lo % SLOT_MINUTES or hi % SLOT_MINUTES:
        raise InvalidInputError(
            Problem(
                f"preferred window {window!r} is not a time range of one day",
                field="preferred_window",
                expected=f"(start, end) minutes with 0 <= start < end <= 1440 on the "
                f"{SLOT_MINUTES}-minute grid, e.g. (690, 870) for 11:30-14:30",
            )
        )
    return lo, hi


def _window_mask(window: tuple[int, int] | None) -> BoolArray:
    mask = np.zeros(SLOTS_PER_WEEK, dtype=np.bool_)
    if window is not None:
        lo, hi = window[0] // SLOT_MINUTES, window[1] // SLOT_MINUTES
        mask.reshape(7, _CELLS_PER_DAY)[:, lo:hi] = True
    return mask


def _local_masks(keys: Sequence[_SlotKey]) -> tuple[BoolArray, BoolArray]:
    """Local weekly cells covered by weekly and by fortnightly-only slots.

    Returns ``(full, half)``, each ``(len(keys), 672)``; a cell covered by a
    weekly slot is never in ``half`` (weekly wins).
    """
    n = len(keys)
    covered = np.zeros((2, n, SLOTS_PER_WEEK), dtype=np.bool_)
    flat = [slot for key in keys for slot in key]
    if flat:
        table = np.asarray(flat, dtype=np.intp).reshape(-1, 4)
        row = np.repeat(np.arange(n, dtype=np.intp), [len(key) for key in keys])
        begin = table[:, 0] * _CELLS_PER_DAY + table[:, 1] // SLOT_MINUTES
        length = (table[:, 2] - table[:, 1]) // SLOT_MINUTES
        # One index per covered cell: each slot's begin, begin + 1, ..., end - 1.
        first = np.cumsum(length) - length
        cell = np.repeat(begin - first, length) + np.arange(int(length.sum()))
        covered[np.repeat(table[:, 3] - 1, length), np.repeat(row, length), cell] = True
    full = covered[0]
    return full, covered[1] & ~full


def _to_utc(local: BoolArray, zone_of: IntArray, class_offsets: npt.NDArray[np.int16]) -> BoolArray:
    """Map local masks ``(P, 672)`` to UTC grids ``(P, K, 672)``.

    ``zone_of`` must be sorted.  The wall clock of zone ``z`` shows local cell
    ``u + class_offsets[z, k, u]`` (cyclic) at UTC cell ``u`` of class ``k``;
    where that offset is constant through the week the map is a rotation,
    done with two slice copies, otherwise a gather.
    """
    n_classes = class_offsets.shape[1]
    out = np.empty((local.shape[0], n_classes, SLOTS_PER_WEEK), dtype=np.bool_)
    cells = np.arange(SLOTS_PER_WEEK, dtype=np.intp)
    for z in np.unique(zone_of).tolist():
        lo, hi = np.searchsorted(zone_of, [z, z + 1]).tolist()
        block = local[lo:hi]
        for k in range(n_classes):
            offset = class_offsets[z, k]
            if (offset == offset[0]).all():
                shift = int(offset[0]) % SLOTS_PER_WEEK
                out[lo:hi, k, : SLOTS_PER_WEEK - shift] = block[:, shift:]
                out[lo:hi, k, SLOTS_PER_WEEK - shift :] = block[:, :shift]
            else:
                out[lo:hi, k] = block[:, (cells + offset) % SLOTS_PER_WEEK]
    return out


# ---------------------------------------------------------------------------
# Compiled grids
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class AvailabilityGrids:
    """UTC availability grids of a program, one per distinct person pattern.

    People with the same time zone and the same covered cells share a
    *pattern*; weeks in which every zone of the program has the same offsets
    share a *week class*.  Grids are indexed ``[pattern, class, utc_cell]``,
    where ``utc_cell`` counts 15-minute cells from Monday 00:00 UTC of the
    week (cyclic, see the module notes).

    Attributes
    ----------
    weeks : tuple of datetime.date
        Program weeks (their Mondays).
    week_class : (W,) ndarray of intp
        Class of each week; numbered in order of first appearance.
    week_counts : (K,) ndarray of intp
        Number of weeks in each class.
    exec_pattern, mentor_pattern : (n,) ndarray of intp
        Pattern of each executive / mentor, in input order.
    exec_full, mentor_full : (P, K, 672) ndarray of bool
        UTC cells covered by weekly slots.
    exec_half, mentor_half : (P, K, 672) ndarray of bool
        UTC cells covered only by fortnightly slots.
    exec_preferred, mentor_preferred : (P, K, 672) ndarray of bool
        Covered cells (weekly or fortnightly) inside the person's local
        preferred window.
    zones : tuple of str
        Time zones of the program, in order of first appearance.
    exec_pattern_zone, mentor_pattern_zone : (P,) ndarray of intp
        Index into ``zones`` of each pattern.
    zone_group : (Z,) ndarray of intp
        Zones with the same UTC offsets throughout the program share a group.
    group_class : (G, K) ndarray of intp
        For each group, classes with equal number have the same offsets in
        that group's zones (so its people's grids are equal in them).
    group_shift : (G, K) ndarray of intp
        The group's UTC offset in cells where it is constant through the
        week of that class (the grids are then a rotation of the local week),
        else ``-2**20``.
    preferred_window : tuple of int or None
        The local preferred window (minutes of the day) the grids were built with.
    """

    weeks: tuple[date, ...]
    week_class: IntArray
    week_counts: IntArray
    exec_pattern: IntArray
    mentor_pattern: IntArray
    exec_full: BoolArray
    exec_half: BoolArray
    exec_preferred: BoolArray
    mentor_full: BoolArray
    mentor_half: BoolArray
    mentor_preferred: BoolArray
    zones: tuple[str, ...]
    exec_pattern_zone: IntArray
    mentor_pattern_zone: IntArray
    zone_group: IntArray
    group_class: IntArray
    group_shift: IntArray
    preferred_window: tuple[int, int] | None

    def __repr__(self) -> str:
        return (
            f"AvailabilityGrids({self.n_executives} executives in "
            f"{self.exec_full.shape[0]} patterns, {self.n_mentors} mentors in "
            f"{self.mentor_full.shape[0]} patterns, {self.n_weeks} weeks in "
            f"{self.week_counts.size} classes, {len(self.zones)} zones)"
        )

    @property
    def n_executives(self) -> int:
        """Number of executives."""
        return int(self.exec_pattern.size)

    @property
    def n_mentors(self) -> int:
        """Number of mentors."""
        return int(self.mentor_pattern.size)

    @property
    def n_weeks(self) -> int:
        """Number of program weeks."""
        return len(self.weeks)


def _compile_side(
    people: list[tuple[str, _SlotKey]],
    zone_index: dict[str, int],
    window: BoolArray,
    class_offsets: npt.NDArray[np.int16],
) -> tuple[IntArray, IntArray, BoolArray, BoolArray, BoolArray]:
    """Dedupe one side by (zone, covered cells) and build its UTC grids.

    Patterns are numbered by zone, then by first appearance.
    """
    raw_ids: dict[tuple[str, _SlotKey], int] = {}
    person_raw = np.fromiter(
        (raw_ids.setdefault(person, len(raw_ids)) for person in people),
        dtype=np.intp,
        count=len(people),
    )
    raw_keys = list(raw_ids)
    full, half = _local_masks([key for _, key in raw_keys])
    raw_zone = np.fromiter(
        (zone_index[zone] for zone, _ in raw_keys), dtype=np.intp, count=len(raw_keys)
    )
    # Different slot lists can cover the same cells ("10-11, 11-12" and "10-12").
    pattern_ids: dict[bytes, int] = {}
    raw_pattern = np.empty(len(raw_keys), dtype=np.intp)
    packed_full = np.packbits(full, axis=1)
    packed_half = np.packbits(half, axis=1)
    for r in range(len(raw_keys)):
        code = raw_zone[r].tobytes() + packed_full[r].tobytes() + packed_half[r].tobytes()
        raw_pattern[r] = pattern_ids.setdefault(code, len(pattern_ids))
    _, first_raw = np.unique(raw_pattern, return_index=True)
    # Grouping a zone's patterns lets _to_utc work on contiguous blocks.
    by_zone = first_raw[np.argsort(raw_zone[first_raw], kind="stable")]
    rank = np.empty(by_zone.size, dtype=np.intp)
    rank[raw_pattern[by_zone]] = np.arange(by_zone.size)
    full, half, zone_of = full[by_zone], half[by_zone], raw_zone[by_zone]
    preferred = (full | half) & window
    return (
        rank[raw_pattern[person_raw]] if people else np.zeros(0, dtype=np.intp),
        zone_of,
        _to_utc(full, zone_of, class_offsets),
        _to_utc(half, zone_of, class_offsets),
        _to_utc(preferred, zone_of, class_offsets),
    )


def compile_availability(
    executives: Sequence[Person],
    mentors: Sequence[Person],
    *,
    start: date | None = None,
    end: date | None = None,
    preferred_window: tuple[int, int] | None = DEFAULT_PREFERRED_WINDOW,
) -> AvailabilityGrids:
    """Compile everyone's weekly slots into per-week-class UTC grids.

    Parameters
    ----------
    executives, mentors : sequence of (str, sequence of Slot)
        Each person as ``(iana_zone, slots)``; slots may also be given as text
        (``"Mon 12:00-14:00"``) or mappings, as :func:`parse_slot` reads them.
        Overlapping slots of one person are united; where a weekly and a
        fortnightly slot cover the same cell, the weekly one wins.
    start, end : datetime.date, optional
        Program dates, see :func:`program_weeks`.
    preferred_window : (int, int) or None
        Local minutes ``(start, end)`` of the preferred meeting time, applied
        on every day; ``None`` leaves the preferred grids empty.

    Returns
    -------
    AvailabilityGrids

    Raises
    ------
    InvalidInputError
        Listing every person whose zone or slots cannot be read, a zone whose
        UTC offset is not a multiple of 15 minutes during the program, bad
        program dates or a bad preferred window.

    Notes
    -----
    zoneinfo is consulted about twice per UTC day per distinct zone (cached
    across calls); only days holding a clock change are resolved cell by
    cell.  People are deduplicated by zone and covered cells, and each
    pattern's grid in a class is its local mask rotated by the zone's offset
    (a gather through the per-cell offsets in the weeks holding a change).
    Cost is ``O(Z * days + P * K * 672)`` for ``Z`` zones, ``P`` patterns and
    ``K`` week classes; memory is ``3 * P * K * 672`` bytes per side.

    Examples
    --------
    >>> grids = compile_availability(
    ...     [("Europe/Berlin", [parse_slot("Mon 15:00-17:00")])],
    ...     [("America/New_York", [parse_slot("Mon 09:00-11:00")])],
    ...     start=date(2027, 3, 1), end=date(2027, 4, 11))
    >>> grids.week_class.tolist()  # the weeks holding the US and the EU change differ
    [0, 1, 2, 3, 4, 4]
    """
    weeks = program_weeks(start, end)
    window = _check_window(preferred_window)
    problems: list[Problem] = []
    exec_people = _read_people(executives, "executives", problems)
    mentor_people = _read_people(mentors, "mentors", problems)
    if problems:
        raise InvalidInputError(problems)

    zones = tuple(dict.fromkeys(zone for zone, _ in [*exec_people, *mentor_people]))
    zone_index = {zone: z for z, zone in enumerate(zones)}
    offsets = np.empty((len(zones), len(weeks), SLOTS_PER_WEEK), dtype=np.int16)
    for z, zone in enumerate(zones):
        try:
            offsets[z] = _utc_offsets(zone, weeks[0], len(weeks))
        except _OffGridZoneError as exc:
            holders = [
                f"{role}[{i}]"
                for role, side in (("executives", executives), ("mentors", mentors))
                for i, person in enumerate(side)
                if person[0] == zone
            ]
            raise InvalidInputError(
                Problem(
                    str(exc),
                    record=holders[0],
                    field="timezone",
                    expected="a zone whose UTC offset is a multiple of 15 minutes "
                    "during the program",
                )
            ) from None
    week_class, week_counts, representative = _week_classes(offsets)
    class_offsets = offsets[:, representative, :]
    zone_group, group_class, group_shift = _zone_groups(class_offsets)
    mask = _window_mask(window)
    e_pat, e_zone, e_full, e_half, e_pref = _compile_side(
        exec_people, zone_index, mask, class_offsets
    )
    m_pat, m_zone, m_full, m_half, m_pref = _compile_side(
        mentor_people, zone_index, mask, class_offsets
    )
    arrays = (week_class, week_counts, e_pat, m_pat, e_full, e_half, e_pref, m_full, m_half,
              m_pref, e_zone, m_zone, zone_group, group_class, group_shift)  # fmt: skip
    for array in arrays:
        array.flags.writeable = False  # the grids are frozen; share them freely
    return AvailabilityGrids(
        weeks=weeks,
        week_class=week_class,
        week_counts=week_counts,
        exec_pattern=e_pat,
        mentor_pattern=m_pat,
        exec_full=e_full,
        exec_half=e_half,
        exec_preferred=e_pref,
        mentor_full=m_full,
        mentor_half=m_half,
        mentor_preferred=m_pref,
        zones=zones,
        exec_pattern_zone=e_zone,
        mentor_pattern_zone=m_zone,
        zone_group=zone_group,
        group_class=group_class,
        group_shift=group_shift,
        preferred_window=window,
    )


# ---------------------------------------------------------------------------
# Weekly overlap
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Overlap:
    """Shared weekly minutes of executive (row) x mentor (column) pairs.

    Attributes
    ----------
    min_minutes : (r, c) ndarray of float64
        Fewest shared minutes in any program week.
    mean_minutes : (r, c) ndarray of float64
        Mean shared minutes per program week.
    preferred_minutes : (r, c) ndarray of float64
        Mean shared minutes per week inside both people's preferred windows.
    """

    min_minutes: FloatArray
    mean_minutes: FloatArray
    preferred_minutes: FloatArray


def _select(patterns: IntArray, index: slice | npt.ArrayLike | None, name: str) -> IntArray:
    if index is None:
        return patterns
    if isinstance(index, slice):
        return patterns[index]
    arr = np.asarray(index)
    if arr.dtype == np.bool_ and arr.shape == patterns.shape:
        return np.asarray(patterns[arr], dtype=np.intp)
    if arr.ndim != 1 or not np.issubdtype(arr.dtype, np.integer):
        raise InvalidInputError(
            Problem(
                f"{name} has dtype {arr.dtype} and shape {arr.shape}",
                field=name,
                expected="a slice, a 1-D integer array or a boolean mask of all people",
            )
        )
    return np.asarray(patterns[arr], dtype=np.intp)


def _merge_runs(
    a: BoolArray, b: npt.NDArray[np.int8]
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Float32 operands with ``a_op @ b_op.T == a @ b.T``, on fewer columns.

    Columns that one side never covers are dropped, and runs of adjacent
    columns equal on both sides become one column weighted (on ``b``) by the
    run length.  Typical programs, whose slots start on the hour or half
    hour, about halve the inner dimension; the product stays exact (integer
    counts below 2**24 in float32).
    """
    n_cols = a.shape[1]
    change = np.ones(n_cols, dtype=np.bool_)
    if n_cols > 1:
        change[1:] = (a[:, 1:] != a[:, :-1]).any(axis=0) | (b[:, 1:] != b[:, :-1]).any(axis=0)
    starts = np.flatnonzero(change)
    lengths = np.diff(np.append(starts, n_cols))
    used = a[:, starts].any(axis=0) & b[:, starts].any(axis=0)
    starts, lengths = starts[used], lengths[used]
    b_op = b[:, starts].astype(np.float32)
    b_op *= lengths.astype(np.float32)
    return a[:, starts].astype(np.float32), b_op


@dataclass(frozen=True)
class _ClassOperands:
    """Operands of one week class: ``counts = full @ weighted.T``, plus
    ``half @ any_.T`` on the executive rows with fortnightly cells.

    Rows are positions in the counted executive and mentor pattern lists;
    ``half_rows`` (sorted) are the executive rows that have fortnightly cells,
    row ``i`` of ``half`` being executive row ``half_rows[i]``.
    """

    full: npt.NDArray[np.float32]
    weighted: npt.NDArray[np.float32]
    half_rows: IntArray
    half: npt.NDArray[np.float32]
    any_: npt.NDArray[np.float32]

    @property
    def empty(self) -> bool:
        """Whether every count is zero (no cell is covered by both sides)."""
        return bool(self.full.shape[1] == 0 and self.half.shape[1] == 0)

    def counts(self, rows: slice, cols: slice) -> npt.NDArray[np.float32]:
        """``F_e.F_m + A_e.A_m`` for executive rows ``rows`` x mentor rows ``cols``."""
        value = self.full[rows] @ self.weighted[cols].T
        if self.half.shape[1]:
            lo, hi = np.searchsorted(self.half_rows, (rows.start, rows.stop))
            if hi > lo:
                value[self.half_rows[lo:hi] - rows.start] += self.half[lo:hi] @ self.any_[cols].T
        return value


def _class_operands(
    full_e: BoolArray, half_e: BoolArray, full_m: BoolArray, half_m: BoolArray
) -> _ClassOperands:
    """Operands for the unit counts ``F_e.F_m + A_e.A_m`` (``A = F | H``, ``F & H`` empty).

    The counts equal ``F_e.(2 F_m + H_m) + H_e.A_m``: one product over every
    executive pattern and one over the few with fortnightly cells, instead of
    one product twice as wide.
    """
    weighted = 2 * full_m.astype(np.int8) + half_m
    full_op, weighted_op = _merge_runs(full_e, weighted)
    half_rows = np.flatnonzero(half_e.any(axis=1)).astype(np.intp)
    half_op, any_op = _merge_runs(half_e[half_rows], (full_m | half_m).astype(np.int8))
    return _ClassOperands(full_op, weighted_op, half_rows, half_op, any_op)


def _operands_of(
    grids: AvailabilityGrids, k: int, e_ids: IntArray, m_ids: IntArray
) -> tuple[_ClassOperands, _ClassOperands | None]:
    """Operands of week class ``k`` for patterns ``e_ids`` x ``m_ids`` (rows in that order).

    The second pair is restricted to both sides' preferred window; None when
    the program has no window or no pair shares a cell inside it.
    """
    g = grids
    fe, he = g.exec_full[e_ids, k], g.exec_half[e_ids, k]
    fm, hm = g.mentor_full[m_ids, k], g.mentor_half[m_ids, k]
    shared = _class_operands(fe, he, fm, hm)
    if g.preferred_window is None:
        return shared, None
    pe, pm = g.exec_preferred[e_ids, k], g.mentor_preferred[m_ids, k]
    in_window = _class_operands(pe & fe, pe & he, pm & fm, pm & hm)
    return shared, None if in_window.empty else in_window


@dataclass(frozen=True)
class _Segment:
    """Consecutive ordered patterns ``[start, stop)`` of one zone group."""

    group: int  # -1: several small groups together
    start: int
    stop: int

    def chunks(self) -> Iterable[slice]:
        for lo in range(self.start, self.stop, _PATTERN_CHUNK):
            yield slice(lo, min(lo + _PATTERN_CHUNK, self.stop))


def _plan(
    ids: IntArray, pattern_zone: IntArray, zone_group: IntArray, other: int
) -> tuple[IntArray, list[_Segment]]:
    """Order patterns by zone group; only large groups keep a segment of their own.

    ``other`` is the number of patterns on the other side.
    """
    if ids.size == 0:
        return np.zeros(0, dtype=np.intp), []
    group = zone_group[pattern_zone[ids]]
    sizes = np.bincount(group)
    kept = np.argsort(-sizes, kind="stable")[:_MAX_GROUPS]
    kept = kept[(sizes[kept] >= _MIN_SEGMENT) & (sizes[kept] * other >= _MIN_BLOCK_PAIRS)]
    label = np.full(sizes.size, kept.size, dtype=np.intp)  # the shared "mixed" segment
    label[kept] = np.arange(kept.size)
    order = np.argsort(label[group], kind="stable")
    ordered = label[group][order]
    bounds = [0, *(np.flatnonzero(np.diff(ordered)) + 1).tolist(), ids.size]
    segments = [
        _Segment(int(kept[ordered[lo]]) if ordered[lo] < kept.size else -1, lo, hi)
        for lo, hi in itertools.pairwise(bounds)
    ]
    return order.astype(np.intp), segments


def _class_jobs(grids: AvailabilityGrids, e_group: int, m_group: int) -> list[tuple[int, float]]:
    """Week classes a pair of zone-group segments needs, with the weeks each stands for.

    Two classes give every pair of the segments the same counts when both
    groups' offsets are equal in them, or when both groups' offsets are
    constant through the week and differ by the same amount in both (the
    grids are then rotations of the local week by the same relative shift).
    ``-1`` is the mixed segment, for which no class can be merged.
    """
    n_classes = grids.week_counts.size
    merged: dict[tuple[int, int, int], tuple[int, float]] = {}
    for c in range(n_classes):
        if e_group < 0 or m_group < 0:
            key = (0, c, 0)
        else:
            se, sm = int(grids.group_shift[e_group, c]), int(grids.group_shift[m_group, c])
            if se != _NOT_UNIFORM and sm != _NOT_UNIFORM:
                key = (1, (sm - se) % SLOTS_PER_WEEK, 0)
            else:
                key = (2, int(grids.group_class[e_group, c]), int(grids.group_class[m_group, c]))
        first, weeks = merged.get(key, (c, 0.0))
        merged[key] = (first, weeks + float(grids.week_counts[c]))
    return sorted(merged.values())


def _pattern_overlap(
    grids: AvailabilityGrids,
    e_ids: IntArray,
    e_segments: Sequence[_Segment],
    m_ids: IntArray,
    m_segments: Sequence[_Segment],
    mean: bool = True,
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32] | None, npt.NDArray[np.float32]]:
    """Min, week-weighted sum and preferred sum, in 7.5-minute units, per pattern pair.

    The unit count of a pair in a week is ``F_e.F_m + A_e.A_m`` (``A = F | H``):
    cells both cover weekly count 2, cells where one side is fortnightly-only
    count 1.  Each pair of zone-group segments needs it only for the classes
    that differ *for its two groups* (:func:`_class_jobs`: two or three for
    most pairs, against five to ten program-wide classes).  The loop runs
    class by class: the operands of one class are built once, used by every
    segment pair that needs the class, and freed before the next, so memory
    beyond the tables is one class's operands.  Without ``mean`` the
    week-weighted sum is not accumulated (None).
    """
    shape = (e_ids.size, m_ids.size)
    low = np.full(shape, np.inf, dtype=np.float32)
    total = np.zeros(shape, dtype=np.float32) if mean else None
    preferred = np.zeros(shape, dtype=np.float32)
    if not (e_ids.size and m_ids.size):
        return low, total, preferred
    jobs: dict[int, list[tuple[_Segment, _Segment, np.float32]]] = {}
    for m_seg in m_segments:
        for e_seg in e_segments:
            for k, weeks in _class_jobs(grids, e_seg.group, m_seg.group):
                jobs.setdefault(k, []).append((e_seg, m_seg, np.float32(weeks)))

    # Counts stay exact in float32: at most 53 weeks x 1344 < 2**24.
    for k in sorted(jobs):
        shared, in_window = _operands_of(grids, k, e_ids, m_ids)
        for e_seg, m_seg, weight in jobs[k]:
            for cols in m_seg.chunks():
                for rows in e_seg.chunks():
                    value = shared.counts(rows, cols)
                    np.minimum(low[rows, cols], value, out=low[rows, cols])
                    if total is not None:
                        value *= weight
                        total[rows, cols] += value
                    if in_window is not None:
                        value = in_window.counts(rows, cols)
                        value *= weight
                        preferred[rows, cols] += value
        del shared, in_window
    return low, total, preferred


def weekly_overlap(
    grids: AvailabilityGrids,
    rows: slice | npt.NDArray[np.intp] | npt.NDArray[np.bool_] | None = None,
    cols: slice | npt.NDArray[np.intp] | npt.NDArray[np.bool_] | None = None,
) -> Overlap:
    """Shared weekly minutes of every executive x mentor pair, week by week in UTC.

    Parameters
    ----------
    grids : AvailabilityGrids
        From :func:`compile_availability`.
    rows, cols : slice, integer array or boolean mask, optional
        Executives (rows) and mentors (columns) to compute; all by default.

    Returns
    -------
    Overlap
        Arrays of shape ``(len(rows), len(cols))``.

    Raises
    ------
    InvalidInputError
        If ``rows`` or ``cols`` is not a slice, 1-D integer array or boolean mask.

    Notes
    -----
    In one week a pair shares ``15 * n_full + 7.5 * n_half`` minutes, where
    ``n_full`` counts UTC cells both cover with weekly slots and ``n_half``
    cells both cover where at least one side has only a fortnightly slot.
    The counts are computed for the distinct patterns of the selected people
    only, one all-pairs table per week class (per class in which the two
    zone groups differ, for large groups), by one float32 product of 0/1
    grids whose runs of equal cells are merged (exact: the counts are
    integers below 2**24), then spread to people with the pattern indices.  Patterns are processed
    in chunks of 2048, so memory beyond the output is bounded; pass row
    blocks to bound the output too.  No Python loop runs over pairs.

    Examples
    --------
    >>> grids = compile_availability(
    ...     [("Europe/Berlin", [parse_slot("Mon 15:00-17:00")])],
    ...     [("America/New_York", [parse_slot("Mon 09:00-11:00")])],
    ...     start=date(2027, 3, 1), end=date(2027, 4, 11))
    >>> ov = weekly_overlap(grids)
    >>> float(ov.min_minutes[0, 0]), float(ov.mean_minutes[0, 0])
    (60.0, 100.0)
    """
    e_sel = _select(grids.exec_pattern, rows, "rows")
    m_sel = _select(grids.mentor_pattern, cols, "cols")
    return _overlap_of(grids, e_sel, m_sel)


def pattern_overlap(
    grids: AvailabilityGrids,
    exec_patterns: npt.NDArray[np.intp] | None = None,
    mentor_patterns: npt.NDArray[np.intp] | None = None,
) -> Overlap:
    """Shared weekly minutes between executive and mentor *patterns*.

    At scale most people share a handful of patterns; computing per pattern
    pair and looking people up afterwards
    (``ov.mean_minutes[grids.exec_pattern[i], grids.mentor_pattern[j]]``)
    avoids materialising the full people x people arrays.

    Parameters
    ----------
    grids : AvailabilityGrids
        From :func:`compile_availability`.
    exec_patterns, mentor_patterns : 1-D integer array, optional
        Pattern ids (rows of ``grids.exec_full`` / ``grids.mentor_full``);
        all patterns by default.

    Returns
    -------
    Overlap
        Arrays of shape ``(len(exec_patterns), len(mentor_patterns))``, with
        the same meaning as in :func:`weekly_overlap`.

    Raises
    ------
    InvalidInputError
        If a selection is not a 1-D integer array.

    Examples
    --------
    >>> berlin = ("Europe/Berlin", [parse_slot("Mon 12:00-13:00")])
    >>> grids = compile_availability([berlin, berlin], [berlin], start=date(2027, 1, 4))
    >>> pattern_overlap(grids).mean_minutes.shape
    (1, 1)
    """
    n_exec, n_mentor = grids.exec_full.shape[0], grids.mentor_full.shape[0]
    e_sel = _select(np.arange(n_exec, dtype=np.intp), exec_patterns, "exec_patterns")
    m_sel = _select(np.arange(n_mentor, dtype=np.intp), mentor_patterns, "mentor_patterns")
    return _overlap_of(grids, e_sel, m_sel)


def gather_index(rows: npt.ArrayLike, cols: npt.ArrayLike, n_cols: int) -> IntArray:
    """Flat indices of ``table[rows][:, cols]`` in a C-ordered table of ``n_cols`` columns.

    ``table.ravel().take(gather_index(rows, cols, n_cols))`` is that sub-table,
    gathered in one pass (far quicker than two ``take`` calls along axes).
    """
    r = np.asarray(rows, dtype=np.intp).reshape(-1, 1)
    c = np.asarray(cols, dtype=np.intp).reshape(1, -1)
    return np.asarray(r * n_cols + c, dtype=np.intp)


@dataclass(frozen=True)
class PatternCounts:
    """Shared time per (executive pattern, mentor pattern), as exact float32 counts.

    ``low``, ``total`` and ``preferred`` are in units of 7.5 minutes
    (:func:`_pattern_overlap`); multiply by :attr:`min_scale` (``low``) or
    :attr:`mean_scale` (``total``, ``preferred``) in float64 to get the
    minutes of :class:`Overlap`.  Tables are in computation order: executive
    pattern ``p`` is row ``exec_row[p]``, mentor pattern ``q`` column
    ``mentor_col[q]``.  ``total`` is None when counted with ``mean=False``.
    """

    low: npt.NDArray[np.float32]
    total: npt.NDArray[np.float32] | None
    preferred: npt.NDArray[np.float32]
    min_scale: float
    mean_scale: float
    exec_row: IntArray
    mentor_col: IntArray

    def minutes(self, kind: Literal["min", "mean", "preferred"]) -> FloatArray:
        """The float64 minutes of :class:`Overlap` (``min_minutes``, ...) per pattern pair.

        Raises
        ------
        ValueError
            For ``"mean"`` when the counts were taken with ``mean=False``.
        """
        counts, scale = {
            "min": (self.low, self.min_scale),
            "mean": (self.total, self.mean_scale),
            "preferred": (self.preferred, self.mean_scale),
        }[kind]
        if counts is None:
            raise ValueError("mean minutes were not counted (counts(..., mean=False))")
        out = counts.astype(np.float64)
        out *= scale
        return out

    def rows(self, positions: IntArray) -> PatternCounts:
        """The tables restricted to rows ``positions``, which become rows ``0, 1, ...``."""
        pick = np.asarray(positions, dtype=np.intp)
        return PatternCounts(
            low=self.low[pick],
            total=None if self.total is None else self.total[pick],
            preferred=self.preferred[pick],
            min_scale=self.min_scale,
            mean_scale=self.mean_scale,
            exec_row=np.arange(pick.size, dtype=np.intp),
            mentor_col=self.mentor_col,
        )


class PatternCounter:
    """Shared-time counts of executive patterns against a fixed set of mentor patterns.

    Each :meth:`counts` call runs class by class (:func:`_pattern_overlap`):
    the operands of one week class are built for the patterns of the call,
    used and freed before the next class, so the memory beyond the result
    tables is one class's operands.  Count every pattern needed in one call
    (as :func:`~revmatch.scoring.score` does) and select rows afterwards with
    :meth:`PatternCounts.rows`.

    Parameters
    ----------
    grids : AvailabilityGrids
        From :func:`compile_availability`.
    mentor_patterns : 1-D integer array, optional
        Sorted distinct mentor pattern ids; all by default.

    Examples
    --------
    >>> berlin = ("Europe/Berlin", [parse_slot("Mon 12:00-13:00")])
    >>> grids = compile_availability([berlin], [berlin, berlin], start=date(2027, 1, 4))
    >>> counts = PatternCounter(grids).counts()
    >>> float(counts.low[0, 0] * counts.min_scale)
    60.0
    """

    def __init__(
        self, grids: AvailabilityGrids, mentor_patterns: npt.NDArray[np.intp] | None = None
    ) -> None:
        self.grids = grids
        m_ids = np.arange(grids.mentor_full.shape[0], dtype=np.intp)
        if mentor_patterns is not None:
            m_ids = np.asarray(mentor_patterns, dtype=np.intp)
        n_exec = grids.exec_full.shape[0]
        m_order, self._m_segments = _plan(
            m_ids, grids.mentor_pattern_zone, grids.zone_group, n_exec
        )
        #: Table column of each mentor pattern of the counter (as in :class:`PatternCounts`).
        self.mentor_col = np.argsort(m_order).astype(np.intp)
        self._m_ids = m_ids[m_order]

    def counts(
        self, exec_patterns: npt.NDArray[np.intp] | None = None, *, mean: bool = True
    ) -> PatternCounts:
        """Counts for sorted distinct executive pattern ids (all by default).

        Row ``exec_row[i]`` of the tables is ``exec_patterns[i]``; column
        ``mentor_col[j]`` is the ``j``-th mentor pattern of the counter.
        Without ``mean`` the week-weighted sum (``total``) is skipped, which
        saves one table when only the minimum and preferred time are needed.
        """
        g = self.grids
        e_ids = np.arange(g.exec_full.shape[0], dtype=np.intp)
        if exec_patterns is not None:
            e_ids = np.asarray(exec_patterns, dtype=np.intp)
        e_order, e_segments = _plan(e_ids, g.exec_pattern_zone, g.zone_group, self._m_ids.size)
        low, total, preferred = _pattern_overlap(
            g, e_ids[e_order], e_segments, self._m_ids, self._m_segments, mean
        )
        # Row i of the results is pattern e_ids[e_order[i]].
        unit = SLOT_MINUTES / 2
        return PatternCounts(
            low=low,
            total=total,
            preferred=preferred,
            min_scale=unit,
            mean_scale=unit / float(g.week_counts.sum()),
            exec_row=np.argsort(e_order).astype(np.intp),
            mentor_col=self.mentor_col,
        )


def block_counts(
    grids: AvailabilityGrids, blocks: Iterable[slice], *, mean: bool = True
) -> Iterator[tuple[slice, PatternCounts, IntArray]]:
    """Pattern counts of each block of executives, from one count of every pattern pair.

    Every pattern pair is counted once, when this function is called (one
    :class:`PatternCounter` call, class by class, before any block is asked
    for, so a caller can allocate its outputs after the counting's
    temporaries are gone); each block then gets the rows of its own
    executives' patterns, so a program handled in many blocks pays for its
    shared time once.

    Parameters
    ----------
    grids : AvailabilityGrids
        From :func:`compile_availability`.
    blocks : iterable of slice
        Executive rows of each block.
    mean : bool, default True
        Also count the week-weighted sum (see :meth:`PatternCounter.counts`).

    Yields
    ------
    rows : slice
        The block.
    counts : PatternCounts
        The tables of the block's distinct executive patterns.
    index : (block rows, all mentors) integer array
        Flat positions in those tables of every (executive, mentor) pair of
        the block: ``counts.minutes("min").take(index)`` is the block's
        ``min_minutes``.
    """
    counter = PatternCounter(grids)
    counts = counter.counts(mean=mean)  # now, not at the first block
    mentor_col = counter.mentor_col[grids.mentor_pattern]  # table column of each mentor

    def one(rows: slice) -> tuple[slice, PatternCounts, IntArray]:
        patterns, inverse = np.unique(grids.exec_pattern[rows], return_inverse=True)
        sub = counts.rows(counts.exec_row[patterns])
        return rows, sub, gather_index(inverse.reshape(-1), mentor_col, sub.low.shape[1])

    # A map keeps no block's arrays alive once the caller has let them go.
    return map(one, blocks)


def block_overlaps(
    grids: AvailabilityGrids, blocks: Iterable[slice]
) -> Iterator[tuple[slice, Overlap]]:
    """:func:`weekly_overlap` of each block of executives against every mentor.

    Built on :func:`block_counts`: shared time is counted once for the whole
    program, not once per block.

    Parameters
    ----------
    grids : AvailabilityGrids
        From :func:`compile_availability`.
    blocks : iterable of slice
        Executive rows of each block.

    Yields
    ------
    rows : slice
        The block.
    overlap : Overlap
        Its arrays of shape ``(block rows, all mentors)``, equal to
        ``weekly_overlap(grids, rows=rows)``.

    Examples
    --------
    >>> berlin = ("Europe/Berlin", [parse_slot("Mon 12:00-13:00")])
    >>> grids = compile_availability([berlin] * 3, [berlin], start=date(2027, 1, 4))
    >>> [ov.min_minutes.shape for _, ov in block_overlaps(grids, [slice(0, 2), slice(2, 3)])]
    [(2, 1), (1, 1)]
    """
    for rows, counts, index in block_counts(grids, blocks):
        yield (
            rows,
            Overlap(
                min_minutes=counts.minutes("min").take(index),
                mean_minutes=counts.minutes("mean").take(index),
                preferred_minutes=counts.minutes("preferred").take(index),
            ),
        )


def _overlap_of(grids: AvailabilityGrids, e_sel: IntArray, m_sel: IntArray) -> Overlap:
    """Overlap of exec patterns ``e_sel`` x mentor patterns ``m_sel`` (repeats allowed)."""
    e_ids, e_inv = np.unique(e_sel, return_inverse=True)
    m_ids, m_inv = np.unique(m_sel, return_inverse=True)
    counts = PatternCounter(grids, m_ids).counts(e_ids)
    flat = gather_index(
        counts.exec_row[e_inv.reshape(-1)], counts.mentor_col[m_inv.reshape(-1)], m_ids.size
    )

    return Overlap(
        min_minutes=counts.minutes("min").take(flat),
        mean_minutes=counts.minutes("mean").take(flat),
        preferred_minutes=counts.minutes("preferred").take(flat),
    )


# ---------------------------------------------------------------------------
# Meeting proposal
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingSlot:
    """A recurring session, fixed in the executive's local time.

    Attributes
    ----------
    executive_local : str
        The first program week's occurrence in the executive's local time,
        e.g. ``"Mon 12:00-13:00 (Europe/Berlin)"``.
    mentor_local : str
        The same occurrence in the mentor's local time.
    utc : str
        The same occurrence in UTC, e.g. ``"Mon 11:00-12:00 UTC"``.
    weeks_ok : int
        Program weeks whose occurrence lies wholly inside shared time (see
        :func:`propose_meeting` for what a week's occurrence is).
    n_weeks : int
        Program weeks.
    in_preferred_window : bool
        Whether, in every week it is ok, the session lies inside both
        people's preferred windows.
    dst_notes : tuple of str
        Human-readable notes naming the weeks (by their Monday) in which the
        occurrence is at other local times than in the first week, for the
        mentor (``"<weeks>: Mon 10:00-11:00 for the mentor (<zone>)"``) or
        the executive (``"... for the executive (<zone>)"``), and those in
        which it is not inside shared time (``"<weeks>: not inside both
        people's available time"``).  Every other week is as in the first.
    day, start, end : int
        Executive local weekday (Mon = 0) and minutes of the day;
        ``end = start + session_minutes`` and may pass 1440.
    every : {1, 2}
        1 when the weekly slots of both people hold the session; 2 when only
        fortnightly slots do, so the session is held every other week.
    executive_zone, mentor_zone : str
        The two time zones.
    ok_weeks : tuple of datetime.date
        Weeks in which the session lies inside shared time.
    failed_weeks : tuple of datetime.date
        Weeks in which it does not.
    shifted_weeks : tuple of datetime.date
        Weeks in which the mentor's local time differs from the first week's
        (the executive's moves only with a clock change inside the session or
        a start in a skipped hour, and is noted in ``dst_notes`` alone).
    """

    executive_local: str
    mentor_local: str
    utc: str
    weeks_ok: int
    n_weeks: int
    in_preferred_window: bool
    dst_notes: tuple[str, ...]
    day: int
    start: int
    end: int
    every: int
    executive_zone: str
    mentor_zone: str
    ok_weeks: tuple[date, ...]
    failed_weeks: tuple[date, ...]
    shifted_weeks: tuple[date, ...]


def _windows_inside(mask: BoolArray, n_cells: int) -> BoolArray:
    """``out[k, u]``: cells ``u .. u + n_cells - 1`` of ``mask[k]`` are all set.

    Windows that would run past the last cell are not inside.
    """
    run = np.zeros((mask.shape[0], mask.shape[1] + 1), dtype=np.int32)
    np.cumsum(mask, axis=1, out=run[:, 1:])
    width = max(mask.shape[1] - n_cells + 1, 0)
    out = np.zeros(mask.shape, dtype=np.bool_)
    out[:, :width] = run[:, n_cells : n_cells + width] - run[:, :width] == n_cells
    return out


def _span(begin: datetime, finish: datetime) -> str:
    return f"{DAY_NAMES[begin.weekday()]} {begin:%H:%M}-{finish:%H:%M}"


def _format_weeks(weeks: Sequence[date]) -> str:
    """``"week of A"``, ``"weeks of A and B"``, runs of three or more as ``"A to C"``."""
    parts: list[str] = []
    run: list[date] = []
    for week in [*weeks, None]:
        if week is not None and run and week - run[-1] == timedelta(weeks=1):
            run.append(week)
            continue
        if len(run) >= 3:
            parts.append(f"{run[0]} to {run[-1]}")
        else:
            parts.extend(str(w) for w in run)
        run = [week] if week is not None else []
    head = "week of " if len(weeks) == 1 else "weeks of "
    if len(parts) == 1:
        return head + parts[0]
    return head + ", ".join(parts[:-1]) + " and " + parts[-1]


@functools.lru_cache(maxsize=1024)
def _pair_geometry(
    exec_zone: str, mentor_zone: str, first_monday: date, n_weeks: int
) -> tuple[IntArray, IntArray, IntArray]:
    """Week classes of a zone pair, their local-cell gathers and session start cells.

    The session at an executive-local cell of program week ``w`` starts at
    the UTC cell :func:`_local_start_cells` gives, counted from week ``w``'s
    UTC Monday 00:00; east of UTC a Monday-morning session starts before that
    Monday, west of UTC a late-Sunday one ends after the next.  So each week
    gets its own stretch of real time, ``origin .. origin + span - 1`` cells
    from its UTC Monday, long enough for every start and a session of a day,
    read with both zones' UTC offsets at those very instants (a cyclic UTC
    week would read a session that wraps round it with the offsets of the
    wrong week, which differ in a clock-change week).

    Returns
    -------
    week_class : (W,) array
        Class of each week; weeks whose stretches have the same offsets in
        both zones share a class.
    source : (2, K, span) array
        Local weekly cell (Monday 00:00 = 0) shown on the executive's, then
        the mentor's, wall clock at each cell of each class's stretch.
    starts : (W, 672) array
        Cell of the stretch at which the session at each executive-local
        cell of the week starts.
    """
    starts = _local_start_cells(exec_zone, first_monday, n_weeks).astype(np.intp)
    origin = int(starts.min())
    span = int(starts.max()) + _CELLS_PER_DAY - origin
    # Whole weeks of offsets needed before the first and after the last program week.
    before = -(origin // SLOTS_PER_WEEK)
    after = -(-(origin + span) // SLOTS_PER_WEEK) - 1
    cells = (
        (np.arange(n_weeks, dtype=np.intp)[:, None] + before) * SLOTS_PER_WEEK
        + origin
        + np.arange(span, dtype=np.intp)
    )
    first, n_all = first_monday - timedelta(weeks=before), n_weeks + before + after
    offsets = np.stack(
        [_utc_offsets(zone, first, n_all).reshape(-1)[cells] for zone in (exec_zone, mentor_zone)]
    )
    week_class, _, representative = _week_classes(offsets)
    source = (origin + np.arange(span) + offsets[:, representative, :].astype(np.intp)) % (
        SLOTS_PER_WEEK
    )
    starts -= origin
    for array in (week_class, source, starts):
        array.flags.writeable = False  # shared through the cache
    return week_class, source, starts


def _read_person(person: Person, role: str) -> tuple[str, _SlotKey]:
    problems: list[Problem] = []
    people = _read_people([person], role, problems)
    if problems:
        raise InvalidInputError(
            [Problem(p.message, field=p.field, record=role, expected=p.expected) for p in problems]
        )
    return people[0]


def propose_meeting(
    executive: Person,
    mentor: Person,
    *,
    start: date | None = None,
    end: date | None = None,
    session_minutes: int = 60,
    preferred_window: tuple[int, int] | None = DEFAULT_PREFERRED_WINDOW,
) -> MeetingSlot | None:
    """Propose a recurring session for one pair, fixed in the executive's local time.

    Parameters
    ----------
    executive, mentor : (str, sequence of Slot)
        Each as ``(iana_zone, slots)``.
    start, end : datetime.date, optional
        Program dates, see :func:`program_weeks`.
    session_minutes : int
        Session length, 1 to 1440; it starts on the 15-minute grid and needs
        every 15-minute cell it touches.
    preferred_window : (int, int) or None
        Local preferred window of both people, as in :func:`compile_availability`.

    Returns
    -------
    MeetingSlot or None
        ``None`` when no session of this length lies inside shared time in
        any program week.

    Raises
    ------
    InvalidInputError
        If a person, the dates, the window or the length cannot be used.

    Notes
    -----
    *A program week and the session in it.*  Week ``w`` of the program is the
    executive's local Monday-to-Sunday week that starts on
    ``program_weeks(start, end)[w]``; every such week counts, also the first
    and last when the program starts or ends in mid-week.  A candidate is a
    weekday and a start on the executive's local 15-minute grid.  In week
    ``w`` its session starts on that weekday of that week at that wall-clock
    time in the executive's zone (a time skipped by a clock change is read
    as zoneinfo does with ``fold=0``, with the offset before the change, so
    it starts later on the clock; a repeated time means its first
    occurrence) and lasts ``session_minutes`` of real time.  The session is
    *ok* in that week when, at every 15-minute cell of real time it touches,
    each person's wall clock, at that instant's UTC offset in their own
    zone, shows a weekday and time inside one of their weekly slots.  That
    instant may lie in another UTC week, or in another local week of the
    mentor, than the Monday naming the program week: only the real instants
    count, so a clock change in the days around a week boundary moves the
    session exactly as it moves the clocks.

    Fortnightly slots are used only when no weekly session exists at all;
    the session is then held every other week (``every=2``) and a week is ok
    when any slots of both people cover its occurrence.  The choice is the
    candidate with the most ok weeks, then one inside both preferred windows
    in all its ok weeks, then the earliest (day, local start).  ``dst_notes``
    name the weeks whose occurrence is not ok, and the weeks whose
    occurrence shows other local weekdays or times than the first week's to
    the mentor or to the executive.  The work is a handful of numpy
    operations over weeks x 672 candidate starts; zone tables are cached
    across calls.

    Examples
    --------
    >>> slot = propose_meeting(
    ...     ("Europe/Berlin", [parse_slot("Mon 15:00-17:00")]),
    ...     ("America/New_York", [parse_slot("Mon 09:00-11:00")]),
    ...     start=date(2027, 3, 1), end=date(2027, 4, 11))
    >>> slot.executive_local, slot.mentor_local, slot.weeks_ok
    ('Mon 15:00-16:00 (Europe/Berlin)', 'Mon 09:00-10:00 (America/New_York)', 6)
    >>> slot.dst_notes
    ('weeks of 2027-03-15 and 2027-03-22: Mon 10:00-11:00 for the mentor (America/New_York)',)
    """
    return propose_meetings(
        [(executive, mentor)],
        start=start,
        end=end,
        session_minutes=session_minutes,
        preferred_window=preferred_window,
    )[0]


def propose_meetings(
    pairs: Sequence[tuple[Person, Person]],
    *,
    start: date | None = None,
    end: date | None = None,
    session_minutes: int = 60,
    preferred_window: tuple[int, int] | None = DEFAULT_PREFERRED_WINDOW,
) -> list[MeetingSlot | None]:
    """Propose a recurring session for each of many pairs (see :func:`propose_meeting`).

    Pairs with the same two time zones share the week geometry and are
    computed together, a few hundred at a time, as arrays of shape
    ``(pairs, weeks, 672)``; the result for each pair is exactly what
    :func:`propose_meeting` returns for it.

    Parameters
    ----------
    pairs : sequence of ((str, sequence of Slot), (str, sequence of Slot))
        ``(executive, mentor)`` pairs, each person as ``(iana_zone, slots)``.
    start, end, session_minutes, preferred_window
        As in :func:`propose_meeting`.

    Returns
    -------
    list of MeetingSlot or None
        One entry per pair, in order.

    Raises
    ------
    InvalidInputError
        If a person, the dates, the window or the length cannot be used; a
        person is named by role and, for several pairs, by position.

    Examples
    --------
    >>> berlin = ("Europe/Berlin", [parse_slot("Tue 12:00-13:00")])
    >>> tokyo = ("Asia/Tokyo", [parse_slot("Tue 09:00-10:00")])
    >>> [m.executive_local if m else None for m in propose_meetings(
    ...     [(berlin, berlin), (berlin, tokyo)], start=date(2027, 1, 4))]
    ['Tue 12:00-13:00 (Europe/Berlin)', None]
    """
    weeks = program_weeks(start, end)
    window = _check_window(preferred_window)
    if (
        isinstance(session_minutes, bool)
        or not isinstance(session_minutes, int)
        or not (0 < session_minutes <= 24 * 60)
    ):
        raise InvalidInputError(
            Problem(
                f"session length {session_minutes!r} is not usable",
                field="session_minutes",
                expected="an integer number of minutes from 1 to 1440",
            )
        )
    single = len(pairs) == 1
    people = [
        (
            _read_person(ex, "executive" if single else f"pairs[{k}] executive"),
            _read_person(me, "mentor" if single else f"pairs[{k}] mentor"),
        )
        for k, (ex, me) in enumerate(pairs)
    ]
    groups: dict[tuple[str, str], list[int]] = {}
    for k, ((exec_zone, _), (mentor_zone, _)) in enumerate(people):
        groups.setdefault((exec_zone, mentor_zone), []).append(k)
    out: list[MeetingSlot | None] = [None] * len(pairs)
    for (exec_zone, mentor_zone), members in groups.items():
        try:
            geometry = _pair_geometry(exec_zone, mentor_zone, weeks[0], len(weeks))
        except _OffGridZoneError as exc:
            raise InvalidInputError(Problem(str(exc), field="timezone")) from None
        except OverflowError:
            # The last week's sessions reach into the days after 9999-12-31.
            raise InvalidInputError(
                Problem(
                    f"the program's last week ({weeks[-1]}) runs too close to the end "
                    "of the calendar",
                    field="end",
                    expected="an end date before 9999-12-20",
                )
            ) from None
        for lo in range(0, len(members), _MEETING_CHUNK):
            chunk = members[lo : lo + _MEETING_CHUNK]
            slots = _propose_chunk(
                (exec_zone, mentor_zone),
                [people[k][0][1] for k in chunk],
                [people[k][1][1] for k in chunk],
                geometry,
                weeks,
                session_minutes,
                window,
            )
            for k, slot in zip(chunk, slots, strict=True):
                out[k] = slot
    return out


_MEETING_CHUNK = 256  # pairs per batch: about 10 MB of (pairs, weeks, 672) arrays


def _propose_chunk(
    zones: tuple[str, str],
    exec_keys: Sequence[_SlotKey],
    mentor_keys: Sequence[_SlotKey],
    geometry: tuple[IntArray, IntArray, IntArray],
    weeks: tuple[date, ...],
    session_minutes: int,
    window: tuple[int, int] | None,
) -> list[MeetingSlot | None]:
    """Meeting proposals for pairs that share one zone pair (see :func:`propose_meeting`)."""
    week_class, source, starts = geometry
    n = len(exec_keys)
    full, half = _local_masks([*exec_keys, *mentor_keys])
    covered = full | half
    pref = covered & _window_mask(window)
    n_cells = -(-session_minutes // SLOT_MINUTES)
    # The stretch is long enough for a session of a day; this one needs less of it.
    source = source[:, :, : int(starts.max()) + n_cells]
    n_classes, span = source.shape[1:]

    def both(mask: BoolArray) -> BoolArray:
        # (pairs, classes, span): cells both people cover, in real time, per week class.
        return np.asarray(mask[:n][:, source[0]] & mask[n:][:, source[1]])

    def inside(mask: BoolArray) -> BoolArray:
        # (pairs, weeks, 672): the session at each executive-local start fits.
        flat = mask.reshape(-1, span)
        fits = _windows_inside(flat, n_cells).reshape(mask.shape[0], n_classes, span)
        return np.asarray(fits[:, week_class[:, None], starts])

    every = np.ones(n, dtype=np.intp)
    ok = inside(both(full))
    weeks_ok = ok.sum(axis=1)
    fortnightly = np.flatnonzero(~weeks_ok.any(axis=1))
    if fortnightly.size:
        # Fortnightly slots count only where no weekly session exists at all.
        shared_any = both(covered)[fortnightly]
        ok[fortnightly] = inside(shared_any)
        weeks_ok[fortnightly] = ok[fortnightly].sum(axis=1)
        every[fortnightly] = 2
    in_pref = inside(both(pref))
    all_pref = (weeks_ok > 0) & ~(ok & ~in_pref).any(axis=1)
    best = np.argmax(weeks_ok * 2 + all_pref, axis=1)  # first maximum = earliest start
    slots: list[MeetingSlot | None] = []
    for p in range(n):
        b = int(best[p])
        if not weeks_ok[p, b]:
            slots.append(None)
            continue
        slots.append(
            _meeting_slot(
                zones,
                weeks,
                session_minutes,
                b,
                ok[p, :, b],
                int(weeks_ok[p, b]),
                bool(all_pref[p, b]),
                int(every[p]),
            )
        )
    return slots


def _meeting_slot(
    zones: tuple[str, str],
    weeks: tuple[date, ...],
    session_minutes: int,
    best: int,
    week_ok: BoolArray,
    weeks_ok: int,
    in_preferred: bool,
    every: int,
) -> MeetingSlot:
    """The :class:`MeetingSlot` of the chosen executive-local start cell ``best``."""
    exec_zone, mentor_zone = zones
    day, start_minute = divmod(best * SLOT_MINUTES, 24 * 60)
    first_utc, exec_spans, mentor_spans = _meeting_spans(
        exec_zone, mentor_zone, day, start_minute, session_minutes, weeks
    )
    ok_weeks = tuple(w for w, good in zip(weeks, week_ok, strict=True) if good)
    failed_weeks = tuple(w for w, good in zip(weeks, week_ok, strict=True) if not good)
    notes: list[str] = []
    if every == 2:
        notes.append("only fortnightly slots hold this time: meet every other week")
    shifted: dict[str, list[date]] = {}
    for monday, span in zip(weeks, mentor_spans, strict=True):
        if span != mentor_spans[0]:
            shifted.setdefault(span, []).append(monday)
    notes += [
        f"{_format_weeks(dates)}: {span} for the mentor ({mentor_zone})"
        for span, dates in shifted.items()
    ]
    # The executive's own clock moves the session only when a change falls
    # inside it or its start is a skipped wall time.
    exec_shifted: dict[str, list[date]] = {}
    for monday, span in zip(weeks, exec_spans, strict=True):
        if span != exec_spans[0]:
            exec_shifted.setdefault(span, []).append(monday)
    notes += [
        f"{_format_weeks(dates)}: {span} for the executive ({exec_zone})"
        for span, dates in exec_shifted.items()
    ]
    if failed_weeks:
        notes.append(f"{_format_weeks(failed_weeks)}: not inside both people's available time")
    return MeetingSlot(
        executive_local=f"{exec_spans[0]} ({exec_zone})",
        mentor_local=f"{mentor_spans[0]} ({mentor_zone})",
        utc=f"{first_utc} UTC",
        weeks_ok=weeks_ok,
        n_weeks=len(weeks),
        in_preferred_window=in_preferred,
        dst_notes=tuple(notes),
        day=day,
        start=start_minute,
        end=start_minute + session_minutes,
        every=every,
        executive_zone=exec_zone,
        mentor_zone=mentor_zone,
        ok_weeks=ok_weeks,
        failed_weeks=failed_weeks,
        shifted_weeks=tuple(d for dates in shifted.values() for d in dates),
    )


@functools.lru_cache(maxsize=4096)
def _meeting_spans(
    exec_zone: str,
    mentor_zone: str,
    day: int,
    start_minute: int,
    session_minutes: int,
    weeks: tuple[date, ...],
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The session in UTC (first week) and in the executive's and the mentor's time, per week.

    Cached: pairs of a program share few zone pairs and start times, and the
    per-week zone conversions are the costly part of a meeting proposal.
    """
    tz_exec, tz_mentor = ZoneInfo(exec_zone), ZoneInfo(mentor_zone)
    length = timedelta(minutes=session_minutes)
    exec_spans: list[str] = []
    mentor_spans: list[str] = []
    first_utc = ""
    for monday in weeks:
        wall = datetime.combine(
            monday + timedelta(days=day),
            time(start_minute // 60, start_minute % 60),
            tzinfo=tz_exec,
        )
        begin = wall.astimezone(UTC)
        finish = begin + length
        exec_spans.append(_span(begin.astimezone(tz_exec), finish.astimezone(tz_exec)))
        mentor_spans.append(_span(begin.astimezone(tz_mentor), finish.astimezone(tz_mentor)))
        first_utc = first_utc or _span(begin, finish)
    return first_utc, tuple(exec_spans), tuple(mentor_spans)


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
