"""Meeting weeks against an independent oracle, in clock-change weeks and at week boundaries.

A program week is the executive's local Monday-to-Sunday week starting on a
Monday of :func:`~revmatch.availability.program_weeks`.  In each, the
proposed session starts on its weekday at its wall-clock time in the
executive's zone (``fold=0`` for skipped and repeated times) and lasts its
length in real time.  The oracle below expands the slot to every program week
with plain ``datetime`` and ``zoneinfo`` and checks every 15 minutes of it
against both people's slots, each read on their own wall clock at that
instant; nothing of revmatch's own time machinery is used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

import revmatch as rm
from revmatch.availability import MeetingSlot, Slot, program_weeks, propose_meeting
from tests.strategies.oracles import Person, meeting_weeks
from tests.strategies.time import meeting_pairs, near_clock_changes

# ---------------------------------------------------------------------------
# Reading the notes
# ---------------------------------------------------------------------------

_NOTE = re.compile(r"^weeks? of (?P<weeks>.+?): (?P<what>.+)$")
_MOVE = re.compile(
    r"^(?P<span>\w{3} \d\d:\d\d-\d\d:\d\d) for the (?P<who>mentor|executive) \(.+\)$"
)
_FAILED = "not inside both people's available time"
_FORTNIGHTLY = "only fortnightly slots hold this time: meet every other week"


def note_weeks(text: str) -> list[date]:
    """``"2027-03-15, 2027-03-22 to 2027-04-05 and 2027-05-03"`` as dates."""
    out: list[date] = []
    for part in re.split(r", | and ", text):
        first, _, last = part.partition(" to ")
        day = date.fromisoformat(first)
        out.append(day)
        while last and day < date.fromisoformat(last):
            day += timedelta(weeks=1)
            out.append(day)
    return out


def read_notes(notes: Sequence[str]) -> tuple[set[date], dict[tuple[str, str], list[date]]]:
    """Failed weeks, and the weeks of each ``(who, span)`` move."""
    failed: set[date] = set()
    moves: dict[tuple[str, str], list[date]] = {}
    for note in notes:
        if note == _FORTNIGHTLY:
            continue
        found = _NOTE.match(note)
        assert found, note
        weeks = note_weeks(found["weeks"])
        if found["what"] == _FAILED:
            assert not failed, notes
            failed = set(weeks)
            continue
        move = _MOVE.match(found["what"])
        assert move, note
        key = (move["who"], move["span"])
        assert key not in moves, notes
        moves[key] = weeks
    return failed, moves


def check_against_oracle(
    executive: Person, mentor: Person, slot: MeetingSlot, session: int, weeks: Sequence[date]
) -> None:
    truth = meeting_weeks(executive, mentor, slot, session, weeks)
    assert slot.weeks_ok == sum(w.ok for w in truth)
    assert slot.n_weeks == len(weeks)
    failed, moves = read_notes(slot.dst_notes)
    assert failed == {w.monday for w in truth if not w.ok}
    expected: dict[tuple[str, str], list[date]] = {}
    for w in truth:
        for who, where, first in (
            ("executive", w.executive, truth[0].executive),
            ("mentor", w.mentor, truth[0].mentor),
        ):
            if where != first:
                expected.setdefault((who, where), []).append(w.monday)
    assert moves == expected
    moved = {
        w.monday for w in truth if (w.executive, w.mentor) != (truth[0].executive, truth[0].mentor)
    }
    named = failed | {d for weeks_ in moves.values() for d in weeks_}
    assert named == moved | {w.monday for w in truth if not w.ok}
    assert slot.mentor_local == f"{truth[0].mentor} ({mentor[0]})"
    assert slot.executive_local == f"{truth[0].executive} ({executive[0]})"


# ---------------------------------------------------------------------------
# Reported cases, through the public API
# ---------------------------------------------------------------------------


def match_one(
    exec_zone: str,
    exec_slots: list[str],
    mentor_zone: str,
    mentor_slots: list[str],
    start: date,
    end: date,
) -> rm.Meeting:
    program = rm.Program(
        program={"start": start, "end": end},
        executives=[{"id": "e1", "timezone": exec_zone, "availability": exec_slots}],
        mentors=[{"id": "m1", "timezone": mentor_zone, "availability": mentor_slots}],
    )
    result = rm.match(program)
    assert len(result.pairs) == 1
    meeting = result.pairs[0].meeting
    assert meeting is not None
    executive = (exec_zone, [Slot.model_validate(s) for s in exec_slots])
    mentor = (mentor_zone, [Slot.model_validate(s) for s in mentor_slots])
    slot = propose_meeting(executive, mentor, start=start, end=end)
    assert slot is not None
    assert (meeting.weeks_ok, meeting.n_weeks, meeting.dst_notes) == (
        slot.weeks_ok,
        slot.n_weeks,
        slot.dst_notes,
    )
    check_against_oracle(executive, mentor, slot, 60, program_weeks(start, end))
    return meeting


def test_late_sunday_slot_in_the_fall_back_week_is_not_failed() -> None:
    # New York falls back on Sunday 2027-11-07 at 02:00; the Sunday 22:45 session
    # of that week is Monday 03:45 UTC, after the change, for both people alike.
    meeting = match_one(
        "America/New_York",
        ["Sun 22:00-24:00"],
        "America/New_York",
        ["Sun 22:45-24:00"],
        date(2027, 9, 20),
        date(2027, 11, 14),
    )
    assert meeting.executive_local == "Sun 22:45-23:45 (America/New_York)"
    assert (meeting.weeks_ok, meeting.n_weeks, meeting.dst_notes) == (8, 8, ())


def test_monday_morning_east_of_utc_fails_in_the_week_it_moves_out() -> None:
    # Chatham springs forward on 2027-09-26, Sydney a week later: on Monday
    # 2027-09-27 the session is 03:30-04:30 in Sydney, before the mentor's time.
    meeting = match_one(
        "Pacific/Chatham",
        ["Mon 06:15-11:15"],
        "Australia/Sydney",
        ["Mon 04:30-06:00"],
        date(2027, 9, 20),
        date(2027, 11, 14),
    )
    assert meeting.executive_local == "Mon 07:15-08:15 (Pacific/Chatham)"
    assert meeting.mentor_local == "Mon 04:30-05:30 (Australia/Sydney)"
    assert (meeting.weeks_ok, meeting.n_weeks) == (7, 8)
    assert meeting.dst_notes == (
        "week of 2027-09-27: Mon 03:30-04:30 for the mentor (Australia/Sydney)",
        "week of 2027-09-27: not inside both people's available time",
    )


def test_monday_morning_in_sydney_is_sunday_in_utc_before_the_change() -> None:
    # Sydney falls back on Sunday 2027-04-04; Monday 2027-03-29 08:00 is still
    # AEDT, Sunday 2027-03-28 21:00 UTC, inside the mentor's Sunday evening.
    meeting = match_one(
        "Australia/Sydney",
        ["Mon 08:00-09:00"],
        "UTC",
        ["Sun 20:00-23:00"],
        date(2027, 3, 1),
        date(2027, 4, 25),
    )
    assert meeting.mentor_local == "Sun 21:00-22:00 (UTC)"
    assert (meeting.weeks_ok, meeting.n_weeks) == (8, 8)
    assert meeting.dst_notes == (
        "weeks of 2027-04-05 to 2027-04-19: Sun 22:00-23:00 for the mentor (UTC)",
    )


def test_session_moved_on_the_executives_own_clock_is_noted() -> None:
    # 02:30 does not exist in New York on 2027-03-14: the session starts at
    # 03:30 EDT that Sunday, which the executive's own slot still holds.
    executive = ("America/New_York", [Slot.model_validate("Sun 02:30-05:00")])
    mentor = ("UTC", [Slot.model_validate("Sun 06:00-09:00")])
    start, end = date(2027, 3, 1), date(2027, 3, 21)
    slot = propose_meeting(executive, mentor, start=start, end=end, preferred_window=None)
    assert slot is not None
    assert slot.executive_local == "Sun 02:30-03:30 (America/New_York)"
    assert slot.weeks_ok == 3
    assert slot.dst_notes == (
        "week of 2027-03-15: Sun 06:30-07:30 for the mentor (UTC)",
        "week of 2027-03-08: Sun 03:30-04:30 for the executive (America/New_York)",
    )
    check_against_oracle(executive, mentor, slot, 60, program_weeks(start, end))


# ---------------------------------------------------------------------------
# Properties: random pairs near week boundaries, programs around clock changes
# ---------------------------------------------------------------------------


@given(data=st.data(), program=near_clock_changes(), session=st.sampled_from([15, 30, 45, 60, 90]))
def test_weeks_ok_and_notes_follow_the_oracle(
    data: st.DataObject, program: tuple[date, date], session: int
) -> None:
    executive, mentor = data.draw(meeting_pairs(program))
    window = data.draw(st.sampled_from([None, (690, 870)]))
    slot = propose_meeting(
        executive,
        mentor,
        start=program[0],
        end=program[1],
        session_minutes=session,
        preferred_window=window,
    )
    assume(slot is not None)
    assert slot is not None
    check_against_oracle(executive, mentor, slot, session, program_weeks(*program))
