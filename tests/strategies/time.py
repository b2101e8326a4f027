"""Weekly time: slots, people in zones, and program weeks around clock changes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from revmatch.availability import Slot, program_weeks

from .oracles import Person

# ---------------------------------------------------------------------------- slots and people

SLOT_ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "Asia/Tokyo",
    "Australia/Lord_Howe",
    "UTC",
    "Pacific/Chatham",
    "America/Santiago",
    "Europe/London",
]
# Mondays of weeks holding DST changes (incl. Sao Paulo 2018-11-04 at midnight).
INTERESTING = [
    date(2027, 3, 8),
    date(2027, 3, 22),
    date(2027, 10, 25),
    date(2027, 11, 1),
    date(2027, 3, 29),
    date(2027, 9, 27),
    date(2018, 10, 29),
    date(2019, 2, 11),
    date(2027, 9, 6),
    date(2027, 1, 4),
]


@st.composite
def slots(draw: st.DrawFn) -> Slot:
    """A weekly or (one in four) fortnightly slot on the 15-minute grid."""
    day = draw(st.integers(0, 6))
    begin = draw(st.integers(0, 95))
    length = draw(st.integers(1, 96 - begin))
    every = draw(st.sampled_from([1, 1, 1, 2]))
    return Slot(day=day, start=15 * begin, end=15 * (begin + length), every=every)


#: A person as the time engine sees them: a zone and up to three slots.
people = st.tuples(st.sampled_from(SLOT_ZONES), st.lists(slots(), max_size=3))


@st.composite
def program_spans(draw: st.DrawFn) -> tuple[date, date]:
    """Programs of up to three weeks around the Mondays of ``INTERESTING``."""
    base = draw(st.sampled_from(INTERESTING)) + timedelta(days=draw(st.integers(-10, 10)))
    return base, base + timedelta(days=draw(st.integers(0, 20)))


windows = st.one_of(
    st.none(),
    st.tuples(st.integers(0, 95), st.integers(1, 96))
    .filter(lambda w: w[0] < w[1])
    .map(lambda w: (15 * w[0], 15 * w[1])),
)


# ----------------------------------------------------------------------------------- clock changes

CLOCK_ZONES = (
    "America/New_York",
    "Europe/Berlin",
    "Australia/Sydney",
    "Australia/Lord_Howe",  # changes by half an hour
    "Pacific/Chatham",  # UTC+12:45 / +13:45
    "Asia/Kathmandu",  # UTC+05:45
    "Asia/Kolkata",  # UTC+05:30
    "America/Santiago",
    "UTC",
)


def clock_changes(zones: Sequence[str], first: date, last: date) -> list[date]:
    """Local dates on which any of ``zones`` changes its UTC offset."""
    out: set[date] = set()
    for zone in zones:
        tz = ZoneInfo(zone)
        day = first
        before = datetime.combine(day, time(), tzinfo=tz).utcoffset()
        while day < last:
            day += timedelta(days=1)
            now = datetime.combine(day, time(), tzinfo=tz).utcoffset()
            if now != before:
                out.add(day - timedelta(days=1))
            before = now
    return sorted(out)


CHANGES = clock_changes(CLOCK_ZONES, date(2027, 1, 1), date(2028, 12, 31))


@st.composite
def near_clock_changes(draw: st.DrawFn) -> tuple[date, date]:
    """Programs of one to five weeks that start or end near a clock change."""
    change = draw(st.sampled_from(CHANGES))
    length = draw(st.integers(0, 30))
    if draw(st.booleans()):
        start = change + timedelta(days=draw(st.integers(-8, 8)))
        return start, start + timedelta(days=length)
    end = change + timedelta(days=draw(st.integers(-8, 8)))
    return end - timedelta(days=length), end


def split_at_midnight(day: int, start: int, length: int, every: int) -> list[Slot]:
    """Slots covering ``length`` minutes from ``day`` ``start``, split at local midnights."""
    out: list[Slot] = []
    while length > 0:
        end = min(start + length, 1440)
        out.append(Slot(day=day % 7, start=start, end=end, every=every))
        length -= end - start
        day, start = day + 1, 0
    return out


quarter_hours = st.integers(0, 95).map(lambda q: 15 * q)
# Late Saturday to early Tuesday: slots around local and UTC week boundaries.
boundary_starts = st.tuples(st.sampled_from([5, 6, 6, 0, 0, 1]), quarter_hours)


@st.composite
def meeting_pairs(draw: st.DrawFn, program: tuple[date, date]) -> tuple[Person, Person]:
    """An executive with slots near midnight and a mentor whose slots are near theirs.

    The mentor's slot is the executive's, seen in the mentor's zone in one of
    the program weeks, with its ends moved by up to two hours: close enough
    for a session in most weeks, so that clock changes decide the rest.
    """
    exec_zone, mentor_zone = draw(st.sampled_from(CLOCK_ZONES)), draw(st.sampled_from(CLOCK_ZONES))
    day, start = draw(boundary_starts)
    length = 15 * draw(st.integers(2, 24))
    exec_slots = split_at_midnight(day, start, length, 1)
    mentor_slots: list[Slot] = []
    weeks = program_weeks(*program)
    monday = draw(st.sampled_from(weeks))
    begin = datetime.combine(
        monday + timedelta(days=day), time(start // 60, start % 60), tzinfo=ZoneInfo(exec_zone)
    ).astimezone(ZoneInfo(mentor_zone))
    shift = 15 * draw(st.integers(-8, 8))
    wall = begin + timedelta(minutes=shift)
    every = draw(st.sampled_from([1, 1, 1, 2]))
    mentor_slots += split_at_midnight(
        wall.weekday(),
        wall.hour * 60 + wall.minute,
        max(15, length - shift + 15 * draw(st.integers(-8, 8))),
        every,
    )
    if draw(st.booleans()):
        other_day, other_start = draw(boundary_starts)
        mentor_slots += split_at_midnight(other_day, other_start, 15 * draw(st.integers(1, 16)), 1)
    return (exec_zone, exec_slots), (mentor_zone, mentor_slots)
