"""Tests of revmatch.availability: parsing, DST-aware weekly overlap, meeting proposal."""

from __future__ import annotations

import doctest
import itertools
from collections.abc import Sequence
from datetime import date
from types import ModuleType
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from revmatch.availability import (
    DEFAULT_PREFERRED_WINDOW,
    REFERENCE_YEAR,
    SLOT_FORM,
    SLOTS_PER_WEEK,
    AvailabilityGrids,
    PatternCounter,
    Slot,
    _grids,
    _meeting,
    _overlap,
    _slots,
    _weeks,
    block_overlaps,
    compile_availability,
    describe_slots,
    parse_slot,
    pattern_overlap,
    program_weeks,
    propose_meeting,
    propose_meetings,
    weekly_overlap,
)
from revmatch.exceptions import InvalidInputError
from tests.strategies.oracles import Person, Window, ref_meeting_weeks, ref_overlap
from tests.strategies.time import people, program_spans, windows


def person(zone: str, *slots: str, fortnightly: Sequence[str] = ()) -> Person:
    parsed = [parse_slot(s) for s in slots]
    parsed += [parse_slot(s).model_copy(update={"every": 2}) for s in fortnightly]
    return zone, parsed


def minutes(
    ex: Person,
    me: Person,
    start: date,
    end: date | None = None,
    window: Window = DEFAULT_PREFERRED_WINDOW,
) -> tuple[float, float, float]:
    grids = compile_availability([ex], [me], start=start, end=end or start, preferred_window=window)
    ov = weekly_overlap(grids)
    return (
        float(ov.min_minutes[0, 0]),
        float(ov.mean_minutes[0, 0]),
        float(ov.preferred_minutes[0, 0]),
    )


# ---------------------------------------------------------------------------
# Slot parsing and display
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("Mon 25:00-26:00", "not a time of day"),
        ("Funday 10:00-11:00", "unknown day 'Funday'"),
        ("Mon 11:00-10:00", "not after its start"),
        ("Mon 10:05-11:00", "15-minute grid"),
        ("Mon 10:00", "is not a weekly slot"),
    ],
)
def test_malformed_slot_names_the_accepted_form(text: str, match: str) -> None:
    with pytest.raises(ValidationError, match=match) as info:
        parse_slot(text)
    assert "Mon 12:00-14:00" in str(info.value)


def test_off_grid_minutes_in_a_mapping_are_rejected() -> None:
    with pytest.raises(ValueError, match="15-minute grid"):
        Slot(day=0, start=7, end=60)
    with pytest.raises(ValueError, match="15-minute grid"):
        parse_slot({"day": "Tue", "start": "10:10", "end": "11:00"})


def test_describe_slots_sorts_and_marks_fortnightly() -> None:
    slots = [
        parse_slot("Thu 08:30-10:00"),
        parse_slot({"day": "Mon", "start": "12:00", "end": "14:00", "every": 2}),
    ]
    assert describe_slots(slots) == "Mon 12:00-14:00 fortnightly, Thu 08:30-10:00"
    assert describe_slots([]) == "no availability"


@pytest.mark.parametrize(
    "module",
    [_slots, _weeks, _grids, _overlap, _meeting],
    ids=lambda m: m.__name__,
)
def test_docstring_examples_run(module: ModuleType) -> None:
    result = doctest.testmod(module, raise_on_error=False)
    assert result.attempted > 0
    assert result.failed == 0


# ---------------------------------------------------------------------------
# Program weeks
# ---------------------------------------------------------------------------


def test_program_weeks_cover_touched_weeks() -> None:
    weeks = program_weeks(date(2027, 3, 14), date(2027, 3, 15))  # a Sunday and a Monday
    assert weeks == (date(2027, 3, 8), date(2027, 3, 15))


def test_program_weeks_default_to_reference_year() -> None:
    weeks = program_weeks(None, None)
    assert weeks[0] == date.fromisocalendar(REFERENCE_YEAR, 1, 1) == date(2027, 1, 4)
    assert len(weeks) == 52
    assert all(w.weekday() == 0 for w in weeks)


def test_program_weeks_with_one_bound_last_a_year() -> None:
    assert len(program_weeks(date(2027, 1, 4), None)) == 52
    assert program_weeks(None, date(2027, 12, 31))[-1] == date(2027, 12, 27)


def test_program_weeks_reject_end_before_start() -> None:
    with pytest.raises(InvalidInputError, match="before it starts") as info:
        program_weeks(date(2027, 5, 1), date(2027, 4, 1))
    assert info.value.problems[0].field == "end"


# ---------------------------------------------------------------------------
# Hand-worked overlap cases
# ---------------------------------------------------------------------------

BERLIN = person("Europe/Berlin", "Mon 15:00-17:00")
NEW_YORK = person("America/New_York", "Mon 09:00-11:00")


def test_berlin_new_york_share_120_most_weeks_and_60_in_march_gap() -> None:
    assert minutes(BERLIN, NEW_YORK, date(2027, 3, 1))[0] == 120
    # US clocks moved on 2027-03-14, EU clocks only on 2027-03-28.
    assert minutes(BERLIN, NEW_YORK, date(2027, 3, 15))[0] == 60
    assert minutes(BERLIN, NEW_YORK, date(2027, 3, 22))[0] == 60
    assert minutes(BERLIN, NEW_YORK, date(2027, 3, 29))[0] == 120
    low, mean, _ = minutes(BERLIN, NEW_YORK, date(2027, 3, 1), date(2027, 3, 31))
    n_weeks = 5
    n_short = round((120 * n_weeks - mean * n_weeks) / 60)
    assert (low, n_short) == (60, 2)


def test_reference_year_has_three_short_weeks() -> None:
    grids = compile_availability([BERLIN], [NEW_YORK])
    ov = weekly_overlap(grids)
    assert grids.n_weeks == 52
    # March 15 and 22; November 1 (EU back on Oct 31, US on Nov 7).
    assert ov.mean_minutes[0, 0] == pytest.approx((52 * 120 - 3 * 60) / 52)
    assert ov.min_minutes[0, 0] == 60


def test_week_classes_group_identical_weeks() -> None:
    grids = compile_availability([BERLIN], [NEW_YORK], start=date(2027, 1, 4), end=date(2027, 7, 4))
    assert grids.week_counts.sum() == grids.n_weeks == 26
    assert grids.week_class[0] == 0
    assert len(grids.week_counts) == 5  # winter, US change, gap, EU change, summer
    assert grids.exec_full.shape == (1, 5, SLOTS_PER_WEEK)


def test_fortnightly_slots_count_half_and_weekly_wins() -> None:
    mentor = person("Europe/Berlin", "Mon 12:00-14:00")
    half = person("Europe/Berlin", fortnightly=["Mon 12:00-14:00"])
    assert minutes(half, mentor, date(2027, 1, 4))[:2] == (60, 60)
    assert minutes(half, half, date(2027, 1, 4))[:2] == (60, 60)
    mixed = person("Europe/Berlin", "Mon 12:00-13:00", fortnightly=["Mon 12:00-14:00"])
    assert minutes(mixed, mentor, date(2027, 1, 4))[:2] == (90, 90)


def test_half_hour_and_45_minute_zones() -> None:
    kolkata = person("Asia/Kolkata", "Mon 14:00-16:00")  # 08:30-10:30 UTC, no DST
    berlin = person("Europe/Berlin", "Mon 10:00-11:00")
    assert minutes(kolkata, berlin, date(2027, 1, 11))[0] == 60  # Berlin 09:00-10:00 UTC
    assert minutes(kolkata, berlin, date(2027, 7, 12))[0] == 30  # Berlin 08:00-09:00 UTC
    kathmandu = person("Asia/Kathmandu", "Mon 14:45-15:45")  # 09:00-10:00 UTC
    assert minutes(kathmandu, person("UTC", "Mon 09:30-12:00"), date(2027, 1, 11))[0] == 30


def test_slots_crossing_the_utc_week_boundary_wrap() -> None:
    tokyo = person("Asia/Tokyo", "Mon 01:00-03:00")  # Sunday 16:00-18:00 UTC
    assert minutes(tokyo, person("UTC", "Sun 17:00-19:00"), date(2027, 2, 1))[0] == 60
    assert minutes(tokyo, person("Europe/London", "Sun 16:00-17:00"), date(2027, 2, 1))[0] == 60
    late = person("America/New_York", "Sun 23:00-24:00")  # Monday 04:00-05:00 UTC
    assert minutes(late, person("UTC", "Mon 04:00-06:00"), date(2027, 2, 1))[0] == 60


def test_far_apart_zones_share_nothing() -> None:
    sydney = person("Australia/Sydney", "Mon 09:00-17:00")
    london = person("Europe/London", "Mon 09:00-17:00")
    assert minutes(sydney, london, date(2027, 1, 4), date(2027, 12, 31))[:2] == (0, 0)


def test_southern_hemisphere_dst() -> None:
    sydney = person("Australia/Sydney", "Mon 08:00-10:00")
    london = person("Europe/London", "Sun 21:00-23:00")
    assert minutes(sydney, london, date(2027, 1, 11))[0] == 120  # +11 and +0
    assert minutes(sydney, london, date(2027, 7, 12))[0] == 0  # +10 and +1
    # Sao Paulo kept DST until 2019; clocks went forward on 2018-11-04.
    sao_paulo = person("America/Sao_Paulo", "Mon 10:00-12:00")
    utc = person("UTC", "Mon 12:00-14:00")
    assert minutes(sao_paulo, utc, date(2018, 10, 22))[0] == 60  # UTC-3
    assert minutes(sao_paulo, utc, date(2018, 11, 5))[0] == 120  # UTC-2


def test_transition_sunday_skipped_and_repeated_wall_times() -> None:
    utc = person("UTC", "Sun 04:00-09:00")
    # 2027-03-14: 02:00-03:00 does not exist in New York; the slot keeps 03:00-04:00 EDT.
    gap = person("America/New_York", "Sun 02:00-04:00")
    assert minutes(gap, utc, date(2027, 3, 8))[0] == 60
    assert minutes(gap, utc, date(2027, 3, 1))[0] == 120
    # 2027-11-07: 01:00-02:00 happens twice and both occurrences are available.
    repeat = person("America/New_York", "Sun 01:00-02:00")
    assert minutes(repeat, utc, date(2027, 11, 1))[0] == 120
    assert minutes(repeat, utc, date(2027, 10, 25))[0] == 60


def test_lord_howe_half_hour_dst() -> None:
    lord_howe = person("Australia/Lord_Howe", "Mon 10:00-12:00")  # +11 summer, +10:30 winter
    utc = person("UTC", "Sun 23:00-24:00")
    assert minutes(lord_howe, utc, date(2027, 1, 11))[0] == 60
    assert minutes(lord_howe, utc, date(2027, 7, 12))[0] == 30


def test_people_without_slots_share_nothing() -> None:
    empty: Person = ("Europe/Berlin", [])
    assert minutes(empty, BERLIN, date(2027, 1, 4)) == (0, 0, 0)
    assert propose_meeting(empty, BERLIN) is None


def test_preferred_window_minutes() -> None:
    berlin = person("Europe/Berlin", "Mon 11:00-15:00")  # 10:00-14:00 UTC in winter
    london = person("Europe/London", "Mon 10:00-14:00")
    # Berlin prefers 10:30-13:30 UTC, London 11:30-14:30 UTC: both 11:30-13:30.
    assert minutes(berlin, london, date(2027, 1, 4)) == (240, 240, 120)
    assert minutes(berlin, london, date(2027, 1, 4), window=None) == (240, 240, 0)
    assert minutes(berlin, london, date(2027, 1, 4), window=(0, 1440))[2] == 240
    half = person("Europe/London", fortnightly=["Mon 10:00-14:00"])
    assert minutes(berlin, half, date(2027, 1, 4)) == (120, 120, 60)


def test_empty_sides_give_empty_arrays() -> None:
    grids = compile_availability([], [BERLIN, NEW_YORK], start=date(2027, 1, 4))
    ov = weekly_overlap(grids)
    assert ov.min_minutes.shape == (0, 2)
    grids = compile_availability([], [])
    assert weekly_overlap(grids).mean_minutes.shape == (0, 0)


def test_people_with_equal_cells_share_a_pattern() -> None:
    split = person("Europe/Berlin", "Mon 10:00-11:00", "Mon 11:00-12:00")
    whole = person("Europe/Berlin", "Mon 10:00-12:00")
    other = person("Europe/Paris", "Mon 10:00-12:00")
    grids = compile_availability([split, whole, other, split], [whole])
    assert grids.exec_pattern.tolist() == [0, 0, 1, 0]
    assert grids.exec_full.shape[0] == 2


# ---------------------------------------------------------------------------
# Input errors
# ---------------------------------------------------------------------------


def test_unknown_zone_and_bad_slot_are_located() -> None:
    with pytest.raises(InvalidInputError) as info:
        compile_availability(
            [("Mars/Olympus", [])], [("Europe/Berlin", ["Mon 10:00-11:00", "Mon 25:00-26:00"])]
        )
    problems = info.value.problems
    assert [(p.record, p.field) for p in problems] == [
        ("executives[0]", "timezone"),
        ("mentors[0]", "availability[1]"),
    ]
    assert problems[1].expected == SLOT_FORM
    assert "Mars/Olympus" in str(info.value)


def test_zone_with_offset_off_the_15_minute_grid_is_rejected() -> None:
    # Monrovia kept UTC-0:44:30 until 1972.
    with pytest.raises(InvalidInputError, match="not a whole number of 15 minutes") as info:
        compile_availability([BERLIN], [("Africa/Monrovia", [])], start=date(1970, 1, 5))
    assert info.value.problems[0].record == "mentors[0]"
    with pytest.raises(ValueError, match="15 minutes"):
        propose_meeting(("Africa/Monrovia", []), BERLIN, start=date(1970, 1, 5))


@pytest.mark.parametrize("window", [(870, 690), (0, 1441), (700, 800)])
def test_bad_preferred_window(window: tuple[int, int]) -> None:
    with pytest.raises(InvalidInputError, match="preferred window"):
        compile_availability([BERLIN], [NEW_YORK], preferred_window=window)


def test_bad_row_selection() -> None:
    grids = compile_availability([BERLIN], [NEW_YORK])
    with pytest.raises(InvalidInputError, match="rows"):
        weekly_overlap(grids, rows=np.array([[0]]))


def test_bad_session_length() -> None:
    with pytest.raises(InvalidInputError, match="session length"):
        propose_meeting(BERLIN, NEW_YORK, session_minutes=0)


# ---------------------------------------------------------------------------
# Meeting proposal
# ---------------------------------------------------------------------------


def test_meeting_across_dst_names_the_shifted_weeks() -> None:
    slot = propose_meeting(BERLIN, NEW_YORK, start=date(2027, 3, 1), end=date(2027, 4, 11))
    assert slot is not None
    assert slot.executive_local == "Mon 15:00-16:00 (Europe/Berlin)"
    assert slot.mentor_local == "Mon 09:00-10:00 (America/New_York)"
    assert slot.utc == "Mon 14:00-15:00 UTC"
    assert (slot.weeks_ok, slot.n_weeks, slot.every) == (6, 6, 1)
    assert slot.shifted_weeks == (date(2027, 3, 15), date(2027, 3, 22))
    assert slot.dst_notes == (
        "weeks of 2027-03-15 and 2027-03-22: Mon 10:00-11:00 for the mentor (America/New_York)",
    )


def test_meeting_names_weeks_outside_shared_time() -> None:
    mentor = person("America/New_York", "Mon 09:00-10:00")
    slot = propose_meeting(BERLIN, mentor, start=date(2027, 1, 4), end=date(2027, 12, 31))
    assert slot is not None
    assert (slot.day, slot.start, slot.end) == (0, 900, 960)
    assert slot.failed_weeks == (date(2027, 3, 15), date(2027, 3, 22), date(2027, 11, 1))
    assert slot.weeks_ok == 49
    assert slot.dst_notes[-1] == (
        "weeks of 2027-03-15, 2027-03-22 and 2027-11-01: not inside both people's available time"
    )
    assert slot.dst_notes[0] == (
        "weeks of 2027-03-15, 2027-03-22 and 2027-11-01: "
        "Mon 10:00-11:00 for the mentor (America/New_York)"
    )


def test_meeting_prefers_the_lunch_window_then_the_earliest_start() -> None:
    london = person("Europe/London", "Mon 09:00-15:00", "Tue 09:00-15:00")
    slot = propose_meeting(london, london, start=date(2027, 1, 4))
    assert slot is not None
    assert (slot.day, slot.start, slot.in_preferred_window) == (0, 690, True)
    slot = propose_meeting(london, london, start=date(2027, 1, 4), preferred_window=None)
    assert slot is not None
    assert (slot.day, slot.start, slot.in_preferred_window) == (0, 540, False)


def test_meeting_prefers_more_weeks_over_the_window() -> None:
    # London moves to UTC+1 on 2027-03-28, Reykjavik stays on UTC.
    exec_ = person("Europe/London", "Mon 11:00-14:00")
    mentor = person("Atlantic/Reykjavik", "Mon 10:30-13:00")
    slot = propose_meeting(exec_, mentor, start=date(2027, 3, 1), end=date(2027, 4, 4))
    assert slot is not None
    # 12:30 would suit both lunch windows, but only after the change (1 week of 5).
    assert (slot.start, slot.weeks_ok, slot.in_preferred_window) == (690, 5, False)


def test_meeting_falls_back_to_fortnightly_slots() -> None:
    half = person("Europe/Berlin", fortnightly=["Wed 12:00-13:00"])
    slot = propose_meeting(
        half,
        person("Europe/Berlin", "Wed 09:00-17:00"),
        start=date(2027, 1, 4),
        end=date(2027, 1, 31),
    )
    assert slot is not None
    assert (slot.every, slot.day, slot.start, slot.weeks_ok) == (2, 2, 720, 4)
    assert slot.dst_notes[0].startswith("only fortnightly")


def test_meeting_none_when_session_does_not_fit() -> None:
    short = person("Europe/Berlin", "Mon 12:00-12:45")
    assert propose_meeting(short, short, session_minutes=60) is None
    slot = propose_meeting(short, short, session_minutes=45)
    assert slot is not None
    assert slot.executive_local == "Mon 12:00-12:45 (Europe/Berlin)"


def test_meeting_across_midnight_in_utc_wraps() -> None:
    tokyo = person("Asia/Tokyo", "Mon 01:00-03:00")
    slot = propose_meeting(tokyo, person("UTC", "Sun 16:30-18:00"), start=date(2027, 2, 1))
    assert slot is not None
    assert slot.executive_local == "Mon 01:30-02:30 (Asia/Tokyo)"
    assert slot.mentor_local == "Sun 16:30-17:30 (UTC)"


# ---------------------------------------------------------------------------
# Properties against the slow reference
# ---------------------------------------------------------------------------


@given(
    execs=st.lists(people, min_size=1, max_size=2),
    mentors=st.lists(people, min_size=1, max_size=2),
    program=program_spans(),
    window=windows,
)
def test_overlap_matches_slow_reference(
    execs: list[Person], mentors: list[Person], program: tuple[date, date], window: Window
) -> None:
    grids = compile_availability(
        execs, mentors, start=program[0], end=program[1], preferred_window=window
    )
    ov = weekly_overlap(grids)
    for i, ex in enumerate(execs):
        for j, me in enumerate(mentors):
            expected = ref_overlap(ex, me, grids.weeks, window)
            got = (ov.min_minutes[i, j], ov.mean_minutes[i, j], ov.preferred_minutes[i, j])
            assert got == pytest.approx(expected, abs=1e-9)


def full_overlap(grids: AvailabilityGrids) -> np.ndarray:
    ov = weekly_overlap(grids)
    return np.stack([ov.min_minutes, ov.mean_minutes, ov.preferred_minutes])


@given(
    execs=st.lists(people, max_size=6),
    mentors=st.lists(people, max_size=6),
    program=program_spans(),
    split=st.integers(0, 6),
    data=st.data(),
)
def test_blocks_roles_and_order_do_not_change_results(
    execs: list[Person],
    mentors: list[Person],
    program: tuple[date, date],
    split: int,
    data: st.DataObject,
) -> None:
    grids = compile_availability(execs, mentors, start=program[0], end=program[1])
    whole = full_overlap(grids)
    ov_top = weekly_overlap(grids, rows=slice(0, split))
    ov_bottom = weekly_overlap(grids, rows=slice(split, None))
    np.testing.assert_array_equal(
        np.concatenate([ov_top.mean_minutes, ov_bottom.mean_minutes]), whole[1]
    )
    picks = np.asarray(
        data.draw(st.lists(st.integers(0, max(len(mentors) - 1, 0)), max_size=len(mentors) and 5)),
        dtype=np.intp,
    )
    mask = np.zeros(len(execs), dtype=bool)
    mask[::2] = True
    ov = weekly_overlap(grids, rows=mask, cols=picks)
    np.testing.assert_array_equal(ov.min_minutes, whole[0][mask][:, picks])
    np.testing.assert_array_equal(ov.preferred_minutes, whole[2][mask][:, picks])

    by_pattern = pattern_overlap(grids)
    np.testing.assert_array_equal(
        by_pattern.mean_minutes[grids.exec_pattern][:, grids.mentor_pattern], whole[1]
    )

    swapped = compile_availability(mentors, execs, start=program[0], end=program[1])
    np.testing.assert_array_equal(full_overlap(swapped), whole.transpose(0, 2, 1))

    order = data.draw(st.permutations(range(len(execs))))
    shuffled = compile_availability(
        [execs[i] for i in order], mentors, start=program[0], end=program[1]
    )
    np.testing.assert_array_equal(full_overlap(shuffled), whole[:, list(order), :])


@given(
    execs=st.lists(people, max_size=8),
    mentors=st.lists(people, max_size=6),
    program=program_spans(),
    cuts=st.lists(st.integers(0, 8), max_size=3),
)
def test_block_overlaps_equal_weekly_overlap_of_each_block(
    execs: list[Person],
    mentors: list[Person],
    program: tuple[date, date],
    cuts: list[int],
) -> None:
    # One count of every pattern pair, gathered per block, must give exactly
    # what counting each block on its own gives.
    grids = compile_availability(execs, mentors, start=program[0], end=program[1])
    bounds = sorted({0, len(execs), *(min(c, len(execs)) for c in cuts)})
    blocks = [slice(lo, hi) for lo, hi in itertools.pairwise(bounds)]
    seen = []
    for rows, ov in block_overlaps(grids, blocks):
        seen.append(rows)
        alone = weekly_overlap(grids, rows=rows)
        np.testing.assert_array_equal(ov.min_minutes, alone.min_minutes)
        np.testing.assert_array_equal(ov.mean_minutes, alone.mean_minutes)
        np.testing.assert_array_equal(ov.preferred_minutes, alone.preferred_minutes)
    assert seen == blocks


def test_counts_without_mean_skip_the_total_and_say_so() -> None:
    berlin = ("Europe/Berlin", [parse_slot("Mon 12:00-13:00"), parse_slot("Tue 09:00-10:00")])
    tokyo = ("Asia/Tokyo", [parse_slot("Mon 19:00-21:00")])
    grids = compile_availability([berlin, tokyo], [tokyo, berlin], start=date(2027, 3, 1))
    full = PatternCounter(grids).counts()
    lean = PatternCounter(grids).counts(mean=False)
    assert full.total is not None
    assert lean.total is None
    np.testing.assert_array_equal(lean.low, full.low)
    np.testing.assert_array_equal(lean.preferred, full.preferred)
    with pytest.raises(ValueError, match="mean=False"):
        lean.minutes("mean")
    # rows() keeps the selected executive patterns, renumbered from 0.
    picked = full.rows(full.exec_row[[1]])
    np.testing.assert_array_equal(picked.low, full.low[full.exec_row[[1]]])
    np.testing.assert_array_equal(picked.exec_row, [0])
    assert picked.total is not None
    np.testing.assert_array_equal(picked.total, full.total[full.exec_row[[1]]])


@given(
    execs=st.lists(people, min_size=1, max_size=8),
    mentors=st.lists(people, min_size=1, max_size=8),
    program=program_spans(),
    max_groups=st.integers(1, 4),
    chunk=st.integers(1, 3),
)
def test_zone_groups_and_chunks_do_not_change_results(
    execs: list[Person],
    mentors: list[Person],
    program: tuple[date, date],
    max_groups: int,
    chunk: int,
) -> None:
    grids = compile_availability(execs, mentors, start=program[0], end=program[1])
    whole = full_overlap(grids)
    with mock.patch.multiple(
        _overlap,
        _MIN_SEGMENT=1,
        _MIN_BLOCK_PAIRS=1,
        _MAX_GROUPS=max_groups,
        _PATTERN_CHUNK=chunk,
    ):
        blocked = full_overlap(grids)
    np.testing.assert_array_equal(blocked, whole)
    i, j = len(execs) - 1, len(mentors) - 1
    expected = ref_overlap(execs[i], mentors[j], grids.weeks, DEFAULT_PREFERRED_WINDOW)
    assert tuple(blocked[:, i, j]) == pytest.approx(expected, abs=1e-9)


# The brute-force reference checks 672 starts per week through zoneinfo: keep it
# to a few dozen examples in every profile.
@settings(max_examples=30)
@given(ex=people, me=people, program=program_spans(), session=st.sampled_from([15, 50, 60, 90]))
def test_meeting_matches_slow_reference(
    ex: Person, me: Person, program: tuple[date, date], session: int
) -> None:
    slot = propose_meeting(
        ex, me, start=program[0], end=program[1], session_minutes=session, preferred_window=None
    )
    weeks = program_weeks(*program)
    n_cells = -(-session // 15)
    weekly = ref_meeting_weeks(ex, me, weeks, n_cells, 0).sum(axis=0)
    anyslot = ref_meeting_weeks(ex, me, weeks, n_cells, 1).sum(axis=0)
    if slot is None:
        assert weekly.max() == anyslot.max() == 0
        return
    counts = weekly if weekly.max() > 0 else anyslot
    assert slot.every == (1 if weekly.max() > 0 else 2)
    best = (slot.day * 1440 + slot.start) // 15
    # Most weeks first, then the earliest start (no preferred window here).
    assert slot.weeks_ok == counts[best] == counts.max()
    assert best == int(np.argmax(counts))
    assert len(slot.ok_weeks) + len(slot.failed_weeks) == slot.n_weeks == len(weeks)


@given(
    pairs=st.lists(st.tuples(people, people), min_size=1, max_size=12),
    program=program_spans(),
    session=st.sampled_from([15, 45, 60, 90]),
    window=st.sampled_from([None, DEFAULT_PREFERRED_WINDOW, (8 * 60, 10 * 60)]),
)
def test_batched_meetings_equal_one_pair_at_a_time(
    pairs: list[tuple[Person, Person]],
    program: tuple[date, date],
    session: int,
    window: tuple[int, int] | None,
) -> None:
    kwargs = {
        "start": program[0],
        "end": program[1],
        "session_minutes": session,
        "preferred_window": window,
    }
    with mock.patch.object(_meeting, "_MEETING_CHUNK", 3):  # several chunks per zone pair
        batch = propose_meetings(pairs, **kwargs)
    assert batch == [propose_meeting(ex, me, **kwargs) for ex, me in pairs]


def test_batched_meetings_name_the_pair_at_fault() -> None:
    with pytest.raises(InvalidInputError, match=r"pairs\[1\] mentor"):
        propose_meetings([(BERLIN, BERLIN), (BERLIN, ("Mars/Olympus", []))])
