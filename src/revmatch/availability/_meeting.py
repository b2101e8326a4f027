"""Meetings: a recurring session for a pair, fixed in the executive's local time.

:func:`propose_meeting` (one pair) and :func:`propose_meetings` (many, in
batches per zone pair) pick the session with the most program weeks inside
shared time, reading both wall clocks at the real instants of every week,
and explain in ``dst_notes`` how clock changes move it.  A proposal is a
:class:`MeetingSlot`: the :class:`Meeting` a match result keeps, with its
exact weekday, times, zones and weeks.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from revmatch.exceptions import InvalidInputError, Problem

from ._masks import (
    DEFAULT_PREFERRED_WINDOW,
    BoolArray,
    Person,
    SlotKey,
    check_window,
    local_masks,
    read_people,
    window_mask,
)
from ._slots import CELLS_PER_DAY, SLOT_MINUTES, SLOTS_PER_WEEK
from ._text import DAY_NAMES
from ._weeks import (
    IntArray,
    OffGridZoneError,
    local_start_cells,
    program_weeks,
    utc_offsets,
    week_classes,
)


@dataclass(frozen=True)
class Meeting:
    """A proposed recurring weekly meeting of a pair.

    Attributes
    ----------
    executive_local, mentor_local, utc : str
        The slot in the executive's and the mentor's local time, and in UTC.
    weeks_ok, n_weeks : int
        Program weeks in which the whole session lies in shared time.
    in_preferred_window : bool
        Whether it lies inside both people's preferred window.
    dst_notes : tuple of str
        Weeks in which a daylight-saving change moves or shrinks it.
    """

    executive_local: str
    mentor_local: str
    utc: str
    weeks_ok: int
    n_weeks: int
    in_preferred_window: bool
    dst_notes: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class MeetingSlot(Meeting):
    """A proposed :class:`Meeting` with its exact weekday, times, zones and weeks.

    What :func:`propose_meeting` returns.  A match result keeps the
    :class:`Meeting` alone (:meth:`summary`), which is what its JSON holds.

    The fields of :class:`Meeting` mean, for a proposal: ``executive_local``
    is the first program week's occurrence in the executive's local time,
    e.g. ``"Mon 12:00-13:00 (Europe/Berlin)"``, ``mentor_local`` the same
    occurrence in the mentor's and ``utc`` in UTC (``"Mon 11:00-12:00
    UTC"``); ``weeks_ok`` counts the program weeks whose occurrence lies
    wholly inside shared time (see :func:`propose_meeting` for what a week's
    occurrence is) out of ``n_weeks``; ``in_preferred_window`` tells whether,
    in every week it is ok, the session lies inside both people's preferred
    windows.  ``dst_notes`` name the weeks (by their Monday) in which the
    occurrence is at other local times than in the first week, for the
    mentor (``"<weeks>: Mon 10:00-11:00 for the mentor (<zone>)"``) or the
    executive (``"... for the executive (<zone>)"``), and those in which it
    is not inside shared time (``"<weeks>: not inside both people's
    available time"``).  Every other week is as in the first.

    Attributes
    ----------
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

    day: int
    start: int
    end: int
    every: int
    executive_zone: str
    mentor_zone: str
    ok_weeks: tuple[date, ...]
    failed_weeks: tuple[date, ...]
    shifted_weeks: tuple[date, ...]

    def summary(self) -> Meeting:
        """The :class:`Meeting` alone, as a match result keeps it."""
        return Meeting(**{f.name: getattr(self, f.name) for f in fields(Meeting)})


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
    the UTC cell :func:`local_start_cells` gives, counted from week ``w``'s
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
    starts = local_start_cells(exec_zone, first_monday, n_weeks).astype(np.intp)
    origin = int(starts.min())
    span = int(starts.max()) + CELLS_PER_DAY - origin
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
        [utc_offsets(zone, first, n_all).reshape(-1)[cells] for zone in (exec_zone, mentor_zone)]
    )
    week_class, _, representative = week_classes(offsets)
    source = (origin + np.arange(span) + offsets[:, representative, :].astype(np.intp)) % (
        SLOTS_PER_WEEK
    )
    starts -= origin
    for array in (week_class, source, starts):
        array.flags.writeable = False  # shared through the cache
    return week_class, source, starts


def _read_person(person: Person, role: str) -> tuple[str, SlotKey]:
    problems: list[Problem] = []
    people = read_people([person], role, problems)
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
    >>> from revmatch.availability import parse_slot
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
    >>> from revmatch.availability import parse_slot
    >>> berlin = ("Europe/Berlin", [parse_slot("Tue 12:00-13:00")])
    >>> tokyo = ("Asia/Tokyo", [parse_slot("Tue 09:00-10:00")])
    >>> [m.executive_local if m else None for m in propose_meetings(
    ...     [(berlin, berlin), (berlin, tokyo)], start=date(2027, 1, 4))]
    ['Tue 12:00-13:00 (Europe/Berlin)', None]
    """
    weeks = program_weeks(start, end)
    window = check_window(preferred_window)
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
        except OffGridZoneError as exc:
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
    exec_keys: Sequence[SlotKey],
    mentor_keys: Sequence[SlotKey],
    geometry: tuple[IntArray, IntArray, IntArray],
    weeks: tuple[date, ...],
    session_minutes: int,
    window: tuple[int, int] | None,
) -> list[MeetingSlot | None]:
    """Meeting proposals for pairs that share one zone pair (see :func:`propose_meeting`)."""
    week_class, source, starts = geometry
    n = len(exec_keys)
    full, half = local_masks([*exec_keys, *mentor_keys])
    covered = full | half
    pref = covered & window_mask(window)
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
    shifted = _shifts(weeks, mentor_spans)
    notes += [
        f"{_format_weeks(dates)}: {span} for the mentor ({mentor_zone})"
        for span, dates in shifted.items()
    ]
    # The executive's own clock moves the session only when a change falls
    # inside it or its start is a skipped wall time.
    notes += [
        f"{_format_weeks(dates)}: {span} for the executive ({exec_zone})"
        for span, dates in _shifts(weeks, exec_spans).items()
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


def _shifts(weeks: Sequence[date], spans: Sequence[str]) -> dict[str, list[date]]:
    """The weeks, by span, whose span differs from the first week's."""
    out: dict[str, list[date]] = {}
    for monday, span in zip(weeks, spans, strict=True):
        if span != spans[0]:
            out.setdefault(span, []).append(monday)
    return out


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
