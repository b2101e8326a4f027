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

The compiled form (:func:`compile_availability`) stores each distinct
*(zone, slots)* pattern's local week, and its boolean UTC grid per *week
class* (made on first access): weeks in which every zone of the program has
the same UTC offsets cell by cell share a class, so a 26-week program
usually needs five to ten grids per pattern, not 26.  :func:`weekly_overlap`
turns them into shared minutes per pair, counting over patterns in exact
integers (local weeks read at a shift); :func:`pattern_overlap` stops at
pattern level for very large programs; :func:`propose_meeting` picks a
recurring session for one pair and explains how DST moves it.

Public names
------------
``__all__`` holds what a user of revmatch needs: :class:`Slot` and its
readers and writers (:func:`parse_slot`, :func:`parse_slots`,
:func:`parse_day`, :func:`parse_time`, :func:`format_minute`,
:func:`describe_slots`, with the grid constants), :func:`program_weeks`
and :func:`off_grid_reason`, :func:`compile_availability` with
:class:`AvailabilityGrids`, :func:`weekly_overlap` and
:func:`pattern_overlap` with :class:`Overlap`, and :func:`propose_meeting`
/ :func:`propose_meetings` with :class:`MeetingSlot` and :class:`Meeting`
(also ``revmatch.Meeting``).  The pattern-count kernels
(:class:`PatternCounter`, :class:`PatternCounts`, :func:`block_counts`,
:func:`block_overlaps`, :func:`gather_index`) and the text constants
``DAY_SPELLINGS`` and ``SLOT_FORM`` are importable from here for revmatch's
own scoring and tools but are not part of ``__all__``.

Layout
------
``_text`` reads free text into slot texts, ``_slots`` parses and writes
slots, ``_weeks`` holds program weeks and zone offsets, ``_masks`` turns
people into local weekly masks, ``_grids`` compiles them, ``_counts`` holds
the exact shared-cell kernel (runs against periodic prefix sums),
``_overlap`` counts shared time with it and ``_meeting`` proposes meetings;
each imports only the ones before it.
"""

from __future__ import annotations

from ._grids import AvailabilityGrids, compile_availability
from ._masks import DEFAULT_PREFERRED_WINDOW
from ._meeting import Meeting, MeetingSlot, propose_meeting, propose_meetings
from ._overlap import Overlap, pattern_overlap, weekly_overlap
from ._overlap import PatternCounter as PatternCounter
from ._overlap import PatternCounts as PatternCounts
from ._overlap import block_counts as block_counts
from ._overlap import block_overlaps as block_overlaps
from ._overlap import gather_index as gather_index
from ._slots import (
    MINUTES_PER_WEEK,
    SLOT_MINUTES,
    SLOTS_PER_WEEK,
    Slot,
    describe_slots,
    format_minute,
    parse_day,
    parse_slot,
    parse_slots,
    parse_time,
)
from ._text import DAY_NAMES
from ._text import DAY_SPELLINGS as DAY_SPELLINGS
from ._text import SLOT_FORM as SLOT_FORM
from ._weeks import REFERENCE_YEAR, off_grid_reason, program_weeks

# Names imported ``as`` themselves above are importable but not user-facing.
__all__ = [
    "DAY_NAMES",
    "DEFAULT_PREFERRED_WINDOW",
    "MINUTES_PER_WEEK",
    "REFERENCE_YEAR",
    "SLOTS_PER_WEEK",
    "SLOT_MINUTES",
    "AvailabilityGrids",
    "Meeting",
    "MeetingSlot",
    "Overlap",
    "Slot",
    "compile_availability",
    "describe_slots",
    "format_minute",
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
