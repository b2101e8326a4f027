"""Program weeks and the UTC offsets of time zones on the 15-minute grid.

:func:`program_weeks` gives the Mondays of a program; the helpers here read
zoneinfo once per zone and program into read-only tables of UTC offsets in
cells, group weeks whose offsets agree in every zone (*week classes*) and
zones whose offsets agree in every class (*zone groups*).  A zone whose
offset is not a whole number of cells raises :class:`OffGridZoneError`,
which callers locate; :func:`off_grid_reason` says why for one zone.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt

from revmatch.exceptions import InvalidInputError, Problem

from ._slots import CELLS_PER_DAY, SLOT_MINUTES, SLOTS_PER_WEEK

REFERENCE_YEAR = 2027
"""Year whose ISO weeks stand in for a program without ``start`` and ``end``."""

IntArray: TypeAlias = npt.NDArray[np.intp]

_SECONDS_PER_CELL = SLOT_MINUTES * 60
NOT_UNIFORM = -(1 << 20)  # group_shift where a zone's offset changes within the week


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


class OffGridZoneError(Exception):
    """A zone's UTC offset is not a multiple of 15 minutes (located by the caller)."""


def _offset_cells(tz: ZoneInfo, moment: datetime) -> int:
    offset = moment.utcoffset() if moment.tzinfo is tz else moment.astimezone(tz).utcoffset()
    assert offset is not None
    seconds = int(offset.total_seconds())
    if seconds % _SECONDS_PER_CELL:
        sign = "-" if seconds < 0 else "+"
        hours, rest = divmod(abs(seconds), 3600)
        text = f"{sign}{hours:02d}:{rest // 60:02d}" + (f":{rest % 60:02d}" if rest % 60 else "")
        raise OffGridZoneError(
            f"time zone {tz.key!r} is UTC{text} on {moment.date()}, not a whole number of "
            f"{SLOT_MINUTES} minutes from UTC, so it does not fit the {SLOT_MINUTES}-minute grid"
        )
    return seconds // _SECONDS_PER_CELL


@functools.lru_cache(maxsize=4096)
def utc_offsets(zone: str, first_monday: date, n_weeks: int) -> npt.NDArray[np.int16]:
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
    out = np.empty(n_days * CELLS_PER_DAY, dtype=np.int16)
    one_day = timedelta(days=1)
    day_end = timedelta(seconds=86_399)
    cell_end = timedelta(seconds=_SECONDS_PER_CELL - 1)
    for d in range(n_days):
        begin = t0 + d * one_day
        first = _offset_cells(tz, begin)
        if first == _offset_cells(tz, begin + day_end):
            out[d * CELLS_PER_DAY : (d + 1) * CELLS_PER_DAY] = first
            continue
        for c in range(CELLS_PER_DAY):
            cell_start = begin + timedelta(seconds=c * _SECONDS_PER_CELL)
            value = _offset_cells(tz, cell_start)
            if value != _offset_cells(tz, cell_start + cell_end):
                raise OffGridZoneError(
                    f"time zone {zone!r} changes its UTC offset at {cell_start:%Y-%m-%d} "
                    f"inside a {SLOT_MINUTES}-minute cell of UTC"
                )
            out[d * CELLS_PER_DAY + c] = value
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
        utc_offsets(zone, weeks[0], len(weeks))
    except OffGridZoneError as exc:
        return str(exc)
    except (InvalidInputError, ZoneInfoNotFoundError, ValueError):
        return None  # unusable dates or names are reported by their own checks
    return None


@functools.lru_cache(maxsize=4096)
def local_start_cells(zone: str, first_monday: date, n_weeks: int) -> npt.NDArray[np.int32]:
    """UTC cell at which each local wall cell of each program week starts.

    Returns a read-only ``(n_weeks, 672)`` array of UTC cells counted from the
    UTC Monday 00:00 of the same week (not wrapped, so it may be negative or
    reach past 671).  Skipped and repeated wall times resolve as zoneinfo does
    with ``fold=0``: a skipped time is read with the offset before the change
    (so it lands after the gap) and a repeated time means its first
    occurrence.
    """
    tz = ZoneInfo(zone)
    out = np.empty((n_weeks * 7, CELLS_PER_DAY), dtype=np.int32)
    local = np.arange(CELLS_PER_DAY, dtype=np.int32)
    last = time(23, 60 - SLOT_MINUTES)
    for d in range(n_weeks * 7):
        day = first_monday + timedelta(days=d)
        base = (d % 7) * CELLS_PER_DAY
        first = _offset_cells(tz, datetime.combine(day, time(), tzinfo=tz))
        if first == _offset_cells(tz, datetime.combine(day, last, tzinfo=tz)):
            out[d] = base + local - first
            continue
        for c in range(CELLS_PER_DAY):
            minute = c * SLOT_MINUTES
            wall = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=tz)
            out[d, c] = base + c - _offset_cells(tz, wall)
    out.flags.writeable = False
    return out.reshape(n_weeks, SLOTS_PER_WEEK)


def week_classes(offsets: npt.NDArray[np.int16]) -> tuple[IntArray, IntArray, IntArray]:
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


def zone_groups(class_offsets: npt.NDArray[np.int16]) -> tuple[IntArray, IntArray, IntArray]:
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
        class's week, else ``NOT_UNIFORM``
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
                    int(week[0]) if (week == week[0]).all() else NOT_UNIFORM
                    for week in class_offsets[z]
                ]
            )
        zone_group[z] = groups[key]
    n_classes = class_offsets.shape[1]
    group_class = np.asarray(rows, dtype=np.intp).reshape(len(rows), n_classes)
    group_shift = np.asarray(shifts, dtype=np.intp).reshape(len(rows), n_classes)
    return zone_group, group_class, group_shift
