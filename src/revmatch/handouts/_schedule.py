"""The sessions a pair's recurring meeting really has, week by week.

A proposed meeting (:func:`revmatch.availability.propose_meeting`) is fixed
in the executive's local time: in program week ``w`` it starts on its
weekday of the executive's local week that begins on
``program_weeks(start, end)[w]``, at its wall-clock time (a skipped time
read with the offset before the change, a repeated one as its first
occurrence, as RFC 5545 reads a ``DTSTART`` with ``TZID``), and lasts
``session_minutes`` of real time.  This is exactly how a calendar expands a
weekly ``RRULE`` in the executive's ``TZID``.

Here every such session is checked again at its real instants with
zoneinfo: at each 15-minute cell it touches, both people's wall clocks must
show a time inside one of their slots (weekly slots, and fortnightly ones
for a fortnightly meeting).  A session that fails is *moved* to the nearest
start in the same executive-local week that both people hold (inside both
preferred windows where possible), or *cancelled* when there is none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from ..availability import SLOT_MINUTES, MeetingSlot, Slot, program_weeks, propose_meetings
from ..result import Pair
from ._context import Context

Status = Literal["planned", "moved", "cancelled"]


@dataclass(frozen=True)
class Session:
    """One session of a pair's recurring meeting.

    Attributes
    ----------
    week : datetime.date
        The program week's Monday.
    rule_start : datetime.datetime
        Where the recurrence rule puts the session: aware, in the executive's
        zone.
    start : datetime.datetime or None
        When it really takes place, in UTC; ``None`` when cancelled.
    status : {"planned", "moved", "cancelled"}
        As the rule says; moved to ``start``; or dropped (no shared time of
        the session's length that week).
    """

    week: date
    rule_start: datetime
    start: datetime | None
    status: Status


@dataclass(frozen=True)
class Schedule:
    """Every session of one pair's recurring meeting over the program."""

    pair: Pair
    slot: MeetingSlot
    minutes: int
    sessions: tuple[Session, ...]

    @property
    def every(self) -> int:
        """1 for a weekly meeting, 2 for a fortnightly one."""
        return self.slot.every

    @property
    def held(self) -> tuple[Session, ...]:
        """Sessions that take place (planned or moved)."""
        return tuple(s for s in self.sessions if s.start is not None)


def fits(zone: ZoneInfo, slots: Sequence[Slot], begin: datetime, minutes: int) -> bool:
    """Whether the session from ``begin`` (aware) lies in ``slots`` on ``zone``'s wall clock."""
    for k in range(-(-minutes // SLOT_MINUTES)):
        local = (begin + timedelta(minutes=k * SLOT_MINUTES)).astimezone(zone)
        minute = local.hour * 60 + local.minute
        day = local.weekday()
        if not any(s.day == day and s.start <= minute < s.end for s in slots):
            return False
    return True


def _in_window(
    zone: ZoneInfo, begin: datetime, minutes: int, window: tuple[int, int] | None
) -> bool:
    if window is None:
        return False
    local = begin.astimezone(zone)
    first = local.hour * 60 + local.minute
    return window[0] <= first and first + minutes <= window[1]


def _wall(day: date, minute: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)


def _exists(wall: datetime) -> bool:
    """Whether the wall time shows on the clock (not skipped by a clock change)."""
    zone = wall.tzinfo
    assert zone is not None
    again = wall.astimezone(UTC).astimezone(zone)
    return again.replace(tzinfo=None) == wall.replace(tzinfo=None)


def schedules(ctx: Context) -> list[Schedule | None]:
    """The schedule of every pair of the result, in order (``None``: no shared slot).

    The meeting is proposed again from the program (the same call the match
    made), so the weekday, start, length and zones are exact rather than read
    back from text.
    """
    pairs = ctx.result.pairs
    people = [(ctx.executives[p.executive_id], ctx.mentors[p.mentor_id]) for p in pairs]
    slots = propose_meetings(
        [((ctx.zone(e), e.availability), (ctx.zone(m), m.availability)) for e, m in people],
        start=ctx.program.start,
        end=ctx.program.end,
        session_minutes=ctx.config.session_minutes,
        preferred_window=ctx.config.preferred_window_minutes,
    )
    return [
        None if slot is None else _schedule(ctx, pair, slot, e.availability, m.availability)
        for pair, (e, m), slot in zip(pairs, people, slots, strict=True)
    ]


def _schedule(
    ctx: Context,
    pair: Pair,
    slot: MeetingSlot,
    exec_slots: Sequence[Slot],
    mentor_slots: Sequence[Slot],
) -> Schedule:
    minutes = ctx.config.session_minutes
    window = ctx.config.preferred_window_minutes
    tz_exec, tz_mentor = ZoneInfo(slot.executive_zone), ZoneInfo(slot.mentor_zone)
    # A weekly meeting needs weekly slots; a fortnightly one may use any slot.
    usable_e = [s for s in exec_slots if s.every <= slot.every]
    usable_m = [s for s in mentor_slots if s.every <= slot.every]

    def ok(begin: datetime) -> bool:
        return fits(tz_exec, usable_e, begin, minutes) and fits(tz_mentor, usable_m, begin, minutes)

    first_day, last_day = ctx.program.start, ctx.program.end
    weeks = [
        w
        for w in program_weeks(first_day, last_day)
        if (first_day is None or w + timedelta(days=slot.day) >= first_day)
        and (last_day is None or w + timedelta(days=slot.day) <= last_day)
    ]
    rule = {w: _wall(w + timedelta(days=slot.day), slot.start, tz_exec) for w in weeks}
    good = {w: ok(rule[w].astimezone(UTC)) for w in weeks}
    if slot.every == 2:
        # The phase of a fortnightly meeting is free: take the one with more good weeks.
        phases = [weeks[p::2] for p in (0, 1)]
        weeks = max(phases, key=lambda ws: (sum(good[w] for w in ws), -phases.index(ws)))
    sessions = []
    for week in weeks:
        begin = rule[week].astimezone(UTC)
        if good[week]:
            sessions.append(Session(week, rule[week], begin, "planned"))
            continue
        moved = _nearest(week, begin, tz_exec, tz_mentor, minutes, window, ok, first_day, last_day)
        status: Status = "cancelled" if moved is None else "moved"
        sessions.append(Session(week, rule[week], moved, status))
    return Schedule(pair, slot, minutes, tuple(sessions))


def _nearest(
    week: date,
    planned: datetime,
    tz_exec: ZoneInfo,
    tz_mentor: ZoneInfo,
    minutes: int,
    window: tuple[int, int] | None,
    ok: Callable[[datetime], bool],
    first_day: date | None,
    last_day: date | None,
) -> datetime | None:
    """The shared start of the executive's local week nearest to ``planned``.

    Starts inside both preferred windows come first; among equals the one
    nearest in real time, then the earlier.
    """
    best: tuple[bool, float, datetime] | None = None
    for d in range(7):
        day = week + timedelta(days=d)
        if (first_day is not None and day < first_day) or (last_day is not None and day > last_day):
            continue
        for minute in range(0, 24 * 60, SLOT_MINUTES):
            wall = _wall(day, minute, tz_exec)
            if not _exists(wall):
                continue
            begin = wall.astimezone(UTC)
            if not ok(begin):
                continue
            preferred = _in_window(tz_exec, begin, minutes, window) and _in_window(
                tz_mentor, begin, minutes, window
            )
            key = (not preferred, abs((begin - planned).total_seconds()), begin)
            if best is None or key < best:
                best = key
    return None if best is None else best[2]


def usual_start(schedule: Schedule) -> datetime | None:
    """The first session held as the rule says (its local times are "the usual" ones)."""
    return next((s.start for s in schedule.sessions if s.status == "planned"), None)
