"""Calendar invitations: valid iCalendar whose every session lies in both people's time.

The oracle expands each file with ``recurring-ical-events`` (RRULE, EXDATE,
RECURRENCE-ID overrides and the file's own VTIMEZONE) and checks every
instance minute by minute, with zoneinfo, against both people's slots in
their own zones: over the clock changes of Europe, North America and the
southern hemisphere, and in a half-hour zone.
"""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
import recurring_ical_events
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import revmatch as rm
from revmatch.availability import program_weeks
from revmatch.exceptions import InvalidInputError
from revmatch.handouts import write_ics

from .programs import DAYS, available, pair_program


def expand(path: Path) -> list[Any]:
    """Every instance of every event in the file, over all time."""
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return list(recurring_ical_events.of(cal).between(date(1990, 1, 1), date(2100, 1, 1)))


def span(instance: Any) -> tuple[datetime, datetime]:
    begin = instance["DTSTART"].dt
    end = begin + instance["DURATION"].dt if "DURATION" in instance else instance["DTEND"].dt
    return begin, end


def check_rfc5545(path: Path) -> icalendar.Calendar:
    """Structural checks of RFC 5545 that a parser alone does not make."""
    raw = path.read_bytes()
    assert raw.endswith(b"\r\n")
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, line  # folded at 75 octets
    cal = icalendar.Calendar.from_ical(raw)
    assert cal.name == "VCALENDAR"
    assert cal["VERSION"] == "2.0"
    assert cal["PRODID"]
    tzids = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    for event in cal.walk("VEVENT"):
        for prop in ("UID", "DTSTAMP", "DTSTART", "DURATION", "SUMMARY"):
            assert prop in event, prop
        assert "DTEND" not in event  # never both DTEND and DURATION
        for key in ("DTSTART", "RECURRENCE-ID"):
            if key in event and "TZID" in event[key].params:
                assert event[key].params["TZID"] in tzids  # every TZID has its VTIMEZONE
        if "ATTENDEE" in event:
            assert "ORGANIZER" in event
    return cal


def check_every_instance(result: rm.MatchResult, program: rm.Program, folder: Path) -> None:
    """The oracle: every expanded instance lies in both people's availability."""
    paths = write_ics(result, folder)
    people = {p.id: p for p in program.people()}
    zone = {p.id: program.timezone_of(p) for p in program.people()}
    expected = 0
    for pair in result.pairs:
        if pair.meeting is None:
            continue
        path = folder / f"pair-{pair.executive_id}-{pair.mentor_id}.ics"
        assert path in paths
        check_rfc5545(path)
        instances = expand(path)
        rule = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")[0]["RRULE"]
        every = int(rule.get("INTERVAL", [1])[0])
        for instance in instances:
            begin, end = span(instance)
            for pid in (pair.executive_id, pair.mentor_id):
                assert available(people[pid], zone[pid], begin, end, every), (
                    f"{path.name}: {begin} is outside {pid}'s time"
                )
        exdates = sum(len(x.dts) for x in _as_list(rule_event(path).get("EXDATE")))
        assert len(instances) + exdates == rule["COUNT"][0]
        expected += len(instances)
    assert len(expand(folder / "all-pairs.ics")) == expected
    check_rfc5545(folder / "all-pairs.ics")


def rule_event(path: Path) -> Any:
    return next(
        e for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT") if "RRULE" in e
    )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# (executive zone, slots), (mentor zone, slots), program dates, what clock-change weeks need
CASES = {
    "berlin-new-york-shift": (
        ("Europe/Berlin", ["Mon 15:00-17:00"]),
        ("America/New_York", ["Mon 09:00-11:00"]),
        (date(2027, 3, 1), date(2027, 4, 30)),
        "planned",
    ),
    "berlin-new-york-moved": (
        ("Europe/Berlin", ["Mon 14:00-17:00"]),
        ("America/New_York", ["Mon 09:00-10:00"]),
        (date(2027, 3, 1), date(2027, 4, 30)),
        "moved",
    ),
    "new-york-berlin-autumn-cancelled": (
        ("America/New_York", ["Thu 09:00-10:00"]),
        ("Europe/Berlin", ["Thu 15:00-16:00"]),
        (date(2027, 10, 4), date(2027, 11, 26)),
        "cancelled",
    ),
    "sydney-berlin-april": (
        ("Australia/Sydney", ["Tue 08:00-09:30"]),
        ("Europe/Berlin", ["Mon 22:00-23:30"]),
        (date(2027, 3, 15), date(2027, 4, 30)),
        "moved",
    ),
    "sydney-los-angeles-october": (
        ("Australia/Sydney", ["Wed 07:00-09:00", "Thu 07:00-09:00"]),
        ("America/Los_Angeles", ["Tue 13:00-14:00", "Wed 13:00-14:00"]),
        (date(2027, 9, 20), date(2027, 11, 19)),
        "moved",
    ),
    "kolkata-london": (
        ("Asia/Kolkata", ["Wed 16:30-18:00"]),
        ("Europe/London", ["Wed 11:00-13:00"]),
        (date(2027, 3, 1), date(2027, 4, 30)),
        "planned",
    ),
    "kolkata-new-york-fortnightly": (
        ("Asia/Kolkata", [{"day": "Fri", "start": "19:30", "end": "21:00", "every": 2}]),
        ("America/New_York", ["Fri 09:00-11:00"]),
        (date(2027, 2, 15), date(2027, 5, 14)),
        "planned",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_instance_lies_in_both_peoples_time(case: str, tmp_path: Path) -> None:
    (ez, es), (mz, ms), (start, end), _ = CASES[case]
    program = pair_program(ez, es, mz, ms, start, end)
    result = rm.match(program, rm.MatchConfig(min_overlap_minutes=0))
    assert result.pairs
    assert result.pairs[0].meeting is not None
    check_every_instance(result, program, tmp_path)


def test_a_shifted_week_is_moved_to_shared_time_not_hidden(tmp_path: Path) -> None:
    (ez, es), (mz, ms), (start, end), _ = CASES["berlin-new-york-moved"]
    program = pair_program(ez, es, mz, ms, start, end)
    result = rm.match(program)
    write_ics(result, tmp_path)
    path = tmp_path / "pair-e-1-m-1.ics"
    cal = check_rfc5545(path)
    events = cal.walk("VEVENT")
    overrides = {e["RECURRENCE-ID"].dt: e["DTSTART"].dt for e in events if "RECURRENCE-ID" in e}
    # US clocks go forward on 14 March, Europe's on 28 March: for two weeks the
    # usual Mon 15:00 Berlin is 10:00 in New York, after the mentor's hour.
    assert sorted((k.date(), v.hour) for k, v in overrides.items()) == [
        (date(2027, 3, 15), 14),
        (date(2027, 3, 22), 14),
    ]
    text = str(events[0]["DESCRIPTION"])
    assert "week of Mon 15 Mar 2027: moved to Mon 15 Mar 2027, 14:00-15:00" in text
    assert events[0]["DTSTART"].params["TZID"] == "Europe/Berlin"


def test_a_week_without_shared_time_is_excluded_and_named(tmp_path: Path) -> None:
    (ez, es), (mz, ms), (start, end), _ = CASES["new-york-berlin-autumn-cancelled"]
    program = pair_program(ez, es, mz, ms, start, end)
    result = rm.match(program, rm.MatchConfig(min_overlap_minutes=0))
    write_ics(result, tmp_path)
    event = rule_event(tmp_path / "pair-e-1-m-1.ics")
    # Europe's clocks go back on 31 October, America's on 7 November: in the
    # week between, Thu 09:00 New York is 14:00 in Berlin, and no other hour is shared.
    excluded = [d.dt.date() for x in _as_list(event.get("EXDATE")) for d in x.dts]
    assert excluded == [date(2027, 11, 4)]
    assert "week of Mon 1 Nov 2027: no session" in str(event["DESCRIPTION"])


def test_fortnightly_slots_give_an_interval_of_two(tmp_path: Path) -> None:
    (ez, es), (mz, ms), (start, end), _ = CASES["kolkata-new-york-fortnightly"]
    program = pair_program(ez, es, mz, ms, start, end)
    result = rm.match(program, rm.MatchConfig(min_overlap_minutes=0))
    write_ics(result, tmp_path)
    rule = rule_event(tmp_path / "pair-e-1-m-1.ics")["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["INTERVAL"] == [2]
    starts = [span(i)[0] for i in expand(tmp_path / "pair-e-1-m-1.ics")]
    assert all(b - a >= timedelta(days=13) for a, b in itertools.pairwise(starts))


def test_attendees_topics_and_time_zone(tmp_path: Path) -> None:
    program = pair_program(
        "Europe/Berlin",
        ["Tue 12:00-13:00"],
        "Europe/Berlin",
        ["Tue 12:00-13:00"],
        date(2027, 1, 11),
        date(2027, 3, 26),
    )
    result = rm.match(program)
    write_ics(result, tmp_path, organizer="office@example.com")
    cal = check_rfc5545(tmp_path / "all-pairs.ics")
    (tz,) = cal.walk("VTIMEZONE")
    assert tz["TZID"] == "Europe/Berlin"
    (event,) = cal.walk("VEVENT")
    attendees = sorted(str(a) for a in event["ATTENDEE"])
    assert attendees == ["mailto:erika@example.com", "mailto:mats@example.com"]
    assert str(event["ORGANIZER"]) == "mailto:office@example.com"
    assert "Topics: digital" in str(event["DESCRIPTION"])
    assert event["RRULE"]["COUNT"] == [len(program_weeks(date(2027, 1, 11), date(2027, 3, 26)))]
    assert event["DTSTART"].dt.date() == date(2027, 1, 12)


def test_without_emails_there_are_no_attendees(tmp_path: Path) -> None:
    program = pair_program(
        "Europe/Berlin",
        ["Tue 12:00-13:00"],
        "Europe/Berlin",
        ["Tue 12:00-13:00"],
        date(2027, 1, 11),
        date(2027, 3, 26),
    )
    data = program.to_dict()
    for role in ("executives", "mentors"):
        data[role][0].pop("email")
    bare = rm.Program.model_validate(data)
    write_ics(rm.match(bare), tmp_path)
    (event,) = check_rfc5545(tmp_path / "all-pairs.ics").walk("VEVENT")
    assert "ATTENDEE" not in event
    assert "ORGANIZER" not in event


def test_pairs_without_a_shared_slot_get_no_event_and_are_listed(tmp_path: Path) -> None:
    program = pair_program(
        "Europe/Berlin",
        ["Tue 12:00-13:00"],
        "Asia/Tokyo",
        ["Wed 09:00-10:00"],
        date(2027, 1, 11),
        date(2027, 3, 26),
    )
    result = rm.match(program, rm.MatchConfig(min_overlap_minutes=0))
    assert result.pairs
    assert result.pairs[0].meeting is None
    paths = write_ics(result, tmp_path)
    assert [p.name for p in paths] == ["all-pairs.ics"] or (
        [p.name for p in paths] == ["all-pairs.ics", "pairs-without-slot.txt"]
    )
    listing = (tmp_path / "pairs-without-slot.txt").read_text(encoding="utf-8")
    assert "e-1\tm-1" in listing
    assert not icalendar.Calendar.from_ical((tmp_path / "all-pairs.ics").read_bytes()).walk(
        "VEVENT"
    )
    invitations = result.to_ics(tmp_path / "one.ics")
    assert invitations.without_slot == (("e-1", "m-1"),)


def test_a_synthetic_program_round_trips(tmp_path: Path) -> None:
    program = rm.datasets.make_program(n_executives=12, n_mentors=16, seed=5)
    result = rm.match(program)
    check_every_instance(result, program, tmp_path)
    names = {p.name for p in tmp_path.iterdir()}
    with_slot = [p for p in result.pairs if p.meeting is not None]
    assert len([n for n in names if n.startswith("pair-")]) == len(with_slot)


def test_a_result_read_from_json_needs_the_program(tmp_path: Path) -> None:
    program = rm.datasets.make_program(n_executives=4, n_mentors=6, seed=2)
    result = rm.MatchResult.from_json(rm.match(program).to_json())
    with pytest.raises(InvalidInputError, match=r"to_ics\(\) needs the program"):
        result.to_ics(tmp_path)
    assert result.to_ics(tmp_path, program=program).combined.exists()


def test_an_unknown_language_is_refused(tmp_path: Path) -> None:
    program = rm.datasets.make_program(n_executives=2, n_mentors=2, seed=2)
    with pytest.raises(InvalidInputError, match="no built-in words for language 'fr'"):
        rm.match(program).to_ics(tmp_path, language="fr")


ZONES = ("Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC")
# Mondays a few weeks before clock changes in 2027 (US, EU, southern autumn and spring).
STARTS = (
    date(2027, 2, 22),
    date(2027, 3, 15),
    date(2027, 3, 22),
    date(2027, 9, 20),
    date(2027, 10, 18),
    date(2027, 10, 25),
)


@st.composite
def slot_lists(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = []
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, 90)) * 15
        length = draw(st.integers(4, 16)) * 15
        out.append(
            {
                "day": DAYS[draw(st.integers(0, 6))],
                "start": f"{start // 60:02d}:{start % 60:02d}",
                "end": f"{min(start + length, 1440) // 60:02d}:{min(start + length, 1440) % 60:02d}"
                if start + length < 1440
                else "24:00",
                "every": draw(st.sampled_from([1, 1, 2])),
            }
        )
    return out


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    exec_zone=st.sampled_from(ZONES),
    mentor_zone=st.sampled_from(ZONES),
    exec_slots=slot_lists(),
    mentor_slots=slot_lists(),
    start=st.sampled_from(STARTS),
    weeks=st.integers(3, 10),
    offset=st.integers(0, 6),
)
def test_random_pairs_over_clock_changes(
    tmp_path_factory: pytest.TempPathFactory,
    exec_zone: str,
    mentor_zone: str,
    exec_slots: list[dict[str, Any]],
    mentor_slots: list[dict[str, Any]],
    start: date,
    weeks: int,
    offset: int,
) -> None:
    first = start + timedelta(days=offset)
    program = pair_program(
        exec_zone, exec_slots, mentor_zone, mentor_slots, first, first + timedelta(weeks=weeks)
    )
    result = rm.match(program, rm.MatchConfig(min_overlap_minutes=0, session_minutes=45))
    check_every_instance(result, program, tmp_path_factory.mktemp("ics"))


def test_no_instance_before_the_program_starts(tmp_path: Path) -> None:
    program = pair_program(
        "Europe/Berlin",
        ["Mon 12:00-13:00"],
        "Europe/Berlin",
        ["Mon 12:00-13:00"],
        date(2027, 1, 13),
        date(2027, 2, 10),
    )
    write_ics(rm.match(program), tmp_path)
    starts = sorted(span(i)[0].date() for i in expand(tmp_path / "all-pairs.ics"))
    assert starts[0] == date(2027, 1, 18)
    assert starts[-1] <= date(2027, 2, 10)
    assert re.search(r"COUNT=4", (tmp_path / "all-pairs.ics").read_text())
