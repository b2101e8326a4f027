"""Availability as people write it, and time-zone names as people write them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import revmatch as rm
from revmatch._zones import resolve_timezone, zone_caution
from revmatch.availability import parse_slot, parse_slots
from revmatch.availability._text import SLOT_FORM, normalise_slots
from revmatch.exceptions import InvalidInputError

ACCEPTED = [
    ("Mon 12:00-14:00", ["Mon 12:00-14:00"]),
    ("mon 12:00-14:00", ["Mon 12:00-14:00"]),
    ("Monday 12-14", ["Mon 12:00-14:00"]),
    ("MONTAG 12-14", ["Mon 12:00-14:00"]),
    ("Mo 12.00-14.00", ["Mon 12:00-14:00"]),
    ("Mo. 12-14 Uhr", ["Mon 12:00-14:00"]),
    ("Di 9:30-10:45", ["Tue 09:30-10:45"]),
    ("Tues 0930-1000", ["Tue 09:30-10:00"]),
    ("Dienstag von 9 bis 10", ["Tue 09:00-10:00"]),
    ("Mi 12-13", ["Wed 12:00-13:00"]),
    ("Weds 12-13", ["Wed 12:00-13:00"]),
    ("Do 12pm-2pm", ["Thu 12:00-14:00"]),
    ("Thurs 12 p.m. - 2 p.m.", ["Thu 12:00-14:00"]),
    ("Thu 12-2pm", ["Thu 12:00-14:00"]),
    ("Fr 9am-10:30am", ["Fri 09:00-10:30"]),
    ("Fri 9-10:30am", ["Fri 09:00-10:30"]),
    ("Fri 11-1pm", ["Fri 11:00-13:00"]),
    ("Fri 9am-5", ["Fri 09:00-17:00"]),
    ("Sa 10\u201312", ["Sat 10:00-12:00"]),
    ("Samstag 10\u201412", ["Sat 10:00-12:00"]),
    ("So 10 to 12", ["Sun 10:00-12:00"]),
    ("Sonntag noon-2pm", ["Sun 12:00-14:00"]),
    ("Sun 22:00-00:00", ["Sun 22:00-24:00"]),
    ("Tue 10pm-12am", ["Tue 22:00-24:00"]),
    ("Mon: 12-14", ["Mon 12:00-14:00"]),
    ("Mon 12:00-14:00 fortnightly", ["Mon 12:00-14:00 fortnightly"]),
    ("Mon 12-14 every 2 weeks", ["Mon 12:00-14:00 fortnightly"]),
    ("Montag 12-14 (14-tägig)", ["Mon 12:00-14:00 fortnightly"]),
    ("Mon 12-14 biweekly", ["Mon 12:00-14:00 fortnightly"]),
    ("Mon 12-14 weekly", ["Mon 12:00-14:00"]),
    ("Mon 22:00-02:00", ["Mon 22:00-24:00", "Tue 00:00-02:00"]),
    ("Sun 23-1", ["Sun 23:00-24:00", "Mon 00:00-01:00"]),
    ("Fri 10pm-2am fortnightly", ["Fri 22:00-24:00 fortnightly", "Sat 00:00-02:00 fortnightly"]),
    ("Mo-Mi 12-13", ["Mon 12:00-13:00", "Tue 12:00-13:00", "Wed 12:00-13:00"]),
    ("Mon to Wed 12-13", ["Mon 12:00-13:00", "Tue 12:00-13:00", "Wed 12:00-13:00"]),
    ("Sa-Mo 9-10", ["Sat 09:00-10:00", "Sun 09:00-10:00", "Mon 09:00-10:00"]),
    ("Mon/Wed 12-13", ["Mon 12:00-13:00", "Wed 12:00-13:00"]),
    ("Mo und Mi 12-13", ["Mon 12:00-13:00", "Wed 12:00-13:00"]),
    ("Mon 12-14; Tue 9-10", ["Mon 12:00-14:00", "Tue 09:00-10:00"]),
    ("Mon 12-14, Tue 9-10", ["Mon 12:00-14:00", "Tue 09:00-10:00"]),
    ("Mon 12-14\nTue 9-10", ["Mon 12:00-14:00", "Tue 09:00-10:00"]),
    ("Mon, Wed 12-14", ["Mon 12:00-14:00", "Wed 12:00-14:00"]),
    ("Mon 9-10, 14-15", ["Mon 09:00-10:00", "Mon 14:00-15:00"]),
    ("Mon 12-14; Mon 12-14", ["Mon 12:00-14:00", "Mon 12:00-14:00"]),
    ("", []),
    (" ; ", []),
]

REJECTED = [
    ("Funday 12:00-13:00", "unknown day 'Funday'"),
    ("Mon 14:00-12:00", "not after its start"),
    ("Mon 12-12", "not after its start"),
    ("Mon 10:05-11:00", "15-minute grid"),
    ("Mon 25:00-26:00", "not a time of day"),
    ("Mon 24:00-02:00", "not a time of day"),
    ("Mon 10:00", "no end time"),
    ("Mon 930-1000", "ambiguous"),
    ("Mon 12,5-14", "comma separates slots"),
    ("Mon 10-2am", "write am or pm on both times"),
    ("Mon 13pm-2pm", "not a 12-hour time"),
    ("12-14", "no day given"),
    ("Mon", "no times given"),
    ("Mo-Mo 9-10", "same day"),
    ("Mon 12-14 (remote)", "cannot read"),
    ("Mon fortnightly, Tue 9-10", "needs the times"),
]


@pytest.mark.parametrize(("text", "slots"), ACCEPTED)
def test_accepted_spellings_give_canonical_slots(text: str, slots: list[str]) -> None:
    assert list(normalise_slots(text)) == slots
    assert [str(s) for s in parse_slots(text)] == slots


@pytest.mark.parametrize(("text", "match"), REJECTED)
def test_unreadable_text_shows_itself_and_the_accepted_forms(text: str, match: str) -> None:
    with pytest.raises(InvalidInputError, match=match) as info:
        normalise_slots(text)
    problem = info.value.problems[0]
    assert repr(text) in problem.message
    assert problem.expected == SLOT_FORM
    assert "Mon 12:00-14:00" in str(info.value)


def test_parse_slot_refuses_a_text_of_several_slots() -> None:
    with pytest.raises(ValueError, match="holds 2 slots"):
        parse_slot("Mon 22:00-02:00")
    assert str(parse_slot("Montag 12-14")) == "Mon 12:00-14:00"


def _person(pid: str, zone: str, *slots: str) -> dict[str, object]:
    return {"id": pid, "timezone": zone, "availability": list(slots)}


def test_program_reads_free_text_and_expands_it() -> None:
    program = rm.Program(
        mentors=[_person("m1", "Europe/Berlin", "Montag 12-14", "Mo-Fr 22:00-01:00")],
        executives=[_person("e1", "Europe/Berlin", "Mon 12pm-2pm fortnightly")],
    )
    mentor = [str(s) for s in program.mentors[0].availability]
    assert mentor[0] == "Mon 12:00-14:00"
    assert "Fri 22:00-24:00" in mentor
    assert "Sat 00:00-01:00" in mentor
    assert len(mentor) == 1 + 2 * 5
    assert [str(s) for s in program.executives[0].availability] == ["Mon 12:00-14:00 fortnightly"]


def test_program_names_the_position_of_an_unreadable_text() -> None:
    with pytest.raises(InvalidInputError) as info:
        rm.Program(mentors=[_person("m1", "UTC", "Mo-Fr 12-13", "Funday 9-10", "Di 9-10")])
    (problem,) = info.value.problems
    assert (problem.record, problem.field) == ("mentor 'm1'", "availability[1]")
    assert "'Funday 9-10'" in problem.message
    assert "Montag" in problem.message


def test_csv_cells_hold_lists_day_ranges_and_midnight(tmp_path: Path) -> None:
    (tmp_path / "mentors.csv").write_text(
        "id,timezone,availability,topic:digital\n"
        'm1,Europe/Berlin,"Mo-Fr 12-13; Sa 23:00-01:00 fortnightly",4\n'
        'm2,Europe/Berlin,"Mon, Wed 12-14\nDi 9am-10:30am",3\n',
        encoding="utf-8",
    )
    (tmp_path / "executives.csv").write_text(
        "id,timezone,availability,topic:digital\ne1,Europe/Berlin,Montag 12.00-14.00,5\n",
        encoding="utf-8",
    )
    program = rm.read_program(tmp_path)
    first = [str(s) for s in program.mentors[0].availability]
    assert first[:5] == [f"{d} 12:00-13:00" for d in ("Mon", "Tue", "Wed", "Thu", "Fri")]
    assert first[5:] == ["Sat 23:00-24:00 fortnightly", "Sun 00:00-01:00 fortnightly"]
    assert [str(s) for s in program.mentors[1].availability] == [
        "Mon 12:00-14:00",
        "Wed 12:00-14:00",
        "Tue 09:00-10:30",
    ]


def test_csv_error_shows_the_cell(tmp_path: Path) -> None:
    (tmp_path / "mentors.csv").write_text(
        "id,timezone,availability\nm1,UTC,Mon 12-14; Funday 9-10\n", encoding="utf-8"
    )
    (tmp_path / "executives.csv").write_text("id,timezone\ne1,UTC\n", encoding="utf-8")
    report = rm.io.validate_files(tmp_path)
    (problem,) = report.errors
    assert (problem.line, problem.field) == (2, "availability")
    assert "'Mon 12-14; Funday 9-10'" in problem.message


# ---------------------------------------------------------------------------
# Round trip of canonical slots through the accepted spellings
# ---------------------------------------------------------------------------

_LONG = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_GERMAN_LONG = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
_GERMAN_SHORT = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
_DAY_FORMS = (_LONG, _SHORT, _GERMAN_LONG, _GERMAN_SHORT)


def _clock24(minute: int, sep: str, end: bool) -> str:
    hours, minutes = divmod(minute, 60)
    if sep == "hour":
        return str(hours) if minutes == 0 else f"{hours}:{minutes:02d}"
    if sep == "":
        return f"{hours:02d}{minutes:02d}"
    return f"{hours}{sep}{minutes:02d}"


def _clock12(minute: int, sep: str) -> str:
    hours, minutes = divmod(minute, 60)
    half = "am" if hours < 12 or hours == 24 else "pm"
    shown = hours % 12 or 12
    body = str(shown) if minutes == 0 and sep == "hour" else f"{shown}:{minutes:02d}"
    return f"{body}{half}"


@st.composite
def _slot_spelling(draw: st.DrawFn) -> tuple[str, str]:
    day = draw(st.integers(0, 6))
    start = draw(st.integers(0, 95)) * 15
    end = draw(st.integers(start // 15 + 1, 96)) * 15
    fortnightly = draw(st.booleans())
    canonical = f"{_SHORT[day]} {start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"
    canonical += " fortnightly" if fortnightly else ""
    names = draw(st.sampled_from(_DAY_FORMS))
    name = draw(st.sampled_from([str.lower, str.upper, str.title, str]))(names[day])
    dash = draw(st.sampled_from(["-", " - ", "\u2013", " \u2014 ", " to ", " bis "]))
    sep = draw(st.sampled_from([":", ".", "", "hour"]))
    if draw(st.booleans()):
        times = f"{_clock12(start, sep)}{dash}{_clock12(end, sep)}"
    else:
        times = f"{_clock24(start, sep, False)}{dash}{_clock24(end, sep, True)}"
    text = f"{name} {times}" + (" fortnightly" if fortnightly else "")
    return text, canonical


@given(_slot_spelling())
def test_any_accepted_spelling_reads_back_to_the_canonical_slot(case: tuple[str, str]) -> None:
    text, canonical = case
    assert normalise_slots(text) == (canonical,), text


@given(st.text(max_size=60))
def test_arbitrary_text_is_read_or_refused_with_an_input_error(text: str) -> None:
    try:
        slots = normalise_slots(text)
    except InvalidInputError as exc:
        problems = exc.problems
    else:
        assert all(parse_slot(s) for s in slots)
        return
    assert problems[0].expected == SLOT_FORM


@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789:.-;, apmMonTueDiSoFrx\n\u2013")),
        max_size=40,
    )
)
def test_slot_like_text_is_read_or_refused_with_an_input_error(text: str) -> None:
    try:
        slots = normalise_slots(text)
    except InvalidInputError:
        return
    assert all(parse_slot(s) for s in slots)


# ---------------------------------------------------------------------------
# Time zones
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("europe/berlin", "Europe/Berlin"),
        ("EUROPE/BERLIN", "Europe/Berlin"),
        ("america/new_york", "America/New_York"),
        ("utc", "UTC"),
        ("Europe/Berlin", "Europe/Berlin"),
        ("PST", "Etc/GMT+8"),
        ("MEZ", "Etc/GMT-1"),
        ("EST", "EST"),
    ],
)
def test_zone_names_are_read_in_any_case(name: str, key: str) -> None:
    assert resolve_timezone(name) == key


def test_a_misspelt_zone_gets_the_closest_name() -> None:
    with pytest.raises(InvalidInputError, match=r"did you mean 'Europe/Berlin'\?") as info:
        rm.Program(mentors=[{"id": "m1", "timezone": "Europe/Berlim"}])
    assert info.value.problems[0].field == "timezone"


def test_an_abbreviation_used_for_several_places_is_an_error() -> None:
    with pytest.raises(InvalidInputError, match="'Asia/Kolkata' or 'Europe/Dublin'"):
        rm.Program(mentors=[{"id": "m1", "timezone": "IST"}])


@pytest.mark.parametrize(
    ("name", "place"),
    [("EST", "America/New_York"), ("GMT", "Europe/London"), ("PST", "America/Los_Angeles")],
)
def test_fixed_offset_abbreviations_warn_about_summer_time(name: str, place: str) -> None:
    caution = zone_caution(name)
    assert caution is not None
    assert "fixed offset" in caution
    assert "summer time" in caution
    assert repr(place) in caution


def test_cet_warning_names_the_place() -> None:
    caution = zone_caution("cet")
    assert caution is not None
    assert "'Europe/Berlin'" in caution
    assert zone_caution("Europe/Berlin") is None
    assert zone_caution("UTC") is None


def test_program_lists_the_abbreviation_warning() -> None:
    program = rm.Program(
        program={"timezone": "MEZ"},
        mentors=[{"id": "m1", "timezone": "EST"}, {"id": "m2"}],
        executives=[{"id": "e1", "timezone": "Europe/Berlin"}],
    )
    assert program.timezone_of(program.mentors[1]) == "Etc/GMT-1"
    places = {(w.record, w.field, w.severity) for w in program.warnings}
    assert places == {("program", "timezone", "warning"), ("mentor 'm1'", "timezone", "warning")}


def _zone_files(folder: Path, zone: str) -> Path:
    (folder / "mentors.csv").write_text(
        "id,timezone,availability,topic:digital\n"
        f"m1,Europe/Berlin,Mon 12-14,4\nm2,{zone},Mon 12-14,4\n",
        encoding="utf-8",
    )
    (folder / "executives.csv").write_text(
        "id,timezone,availability,topic:digital\ne1,Europe/Berlin,Mon 12-14,5\n",
        encoding="utf-8",
    )
    return folder


def test_abbreviation_warning_is_located_in_the_report(tmp_path: Path) -> None:
    report = rm.io.validate_files(_zone_files(tmp_path, "CET"))
    assert report.ok
    (warning,) = [p for p in report.problems if p.severity == "warning"]
    assert (Path(warning.file or "").name, warning.line, warning.record, warning.field) == (
        "mentors.csv",
        3,
        "mentor 'm2'",
        "timezone",
    )
    assert "'Europe/Berlin'" in warning.message
    assert report.program is not None


def test_strict_makes_the_abbreviation_an_error(tmp_path: Path) -> None:
    folder = _zone_files(tmp_path, "EST")
    report = rm.io.validate_files(folder, strict=True)
    (error,) = report.errors
    assert (error.line, error.field) == (3, "timezone")
    assert "summer time" in error.message
    with pytest.raises(InvalidInputError, match="fixed offset"):
        rm.io.read_program(folder, strict=True)
    assert rm.io.read_program(folder).mentors[1].timezone == "EST"
