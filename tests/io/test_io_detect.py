"""Exports read as they come: detected encodings and delimiters, overrides, grouped messages.

The files under ``exports/`` are small exports as HR systems and spreadsheets
write them (German Excel: ``;`` and Windows-1252; French: Latin-1; Excel's
"Unicode text": UTF-16 with tabs; Excel's "CSV UTF-8": a byte-order mark; a
``|``-separated dump). Each must read to the same people, letters intact,
with a notice per file saying how it was read.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from revmatch.exceptions import Problem
from revmatch.io import ValidationReport, read_program, validate_files, write_program
from revmatch.io._csv import detect_delimiter
from revmatch.io._text import decode_export
from revmatch.models import Program
from tests.strategies.programs import file_programs

EXPORTS = Path(__file__).parent / "exports"


def notices(report: ValidationReport) -> dict[str, str]:
    """File name -> notice message."""
    return {Path(p.file or "").name: p.message for p in report.notices}


def put(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --- The exports --------------------------------------------------------------


def test_german_excel_export_semicolons_and_windows_1252() -> None:
    report = validate_files(EXPORTS / "german")
    assert report.ok, report.to_table()
    program = report.raise_for_errors()
    assert [m.id for m in program.mentors] == ["0815", "0816", "0817"]
    assert [m.name for m in program.mentors] == ["Jürgen Müller", "Änne Größer", "Björn Weiß"]
    assert [m.department for m in program.mentors] == [
        "Geschäftsführung",
        "Forschung, Entwicklung",  # a comma inside a ';'-separated cell, unquoted
        "Vertrieb & Marketing",
    ]
    assert [e.department for e in program.executives] == ["Personalwesen", "Qualitätssicherung"]
    assert program.executives[0].name == "Dr. Özlem Çelik"
    assert program.executives[1].name == "Hans-Jürgen Strauß"
    # The en dash of "Mo 12:00–14:00" is byte 0x96, which only Windows-1252 reads as a dash.
    assert [str(s) for s in program.mentors[2].availability] == [
        "Wed 12:00-13:30",
        "Thu 09:00-10:00",
    ]
    assert program.mentors[0].capacity == 2
    assert notices(report) == {
        "mentors.csv": "read as Windows-1252, ';'-separated",
        "executives.csv": "read as Windows-1252, ';'-separated",
    }


def test_french_export_in_latin_1() -> None:
    report = validate_files(EXPORTS / "french")
    program = report.raise_for_errors()
    assert [(m.id, m.name, m.department) for m in program.mentors] == [
        ("m-01", "Hélène Dupré", "Ressources humaines"),
        ("m-02", "François Lefèvre", "Finances & Comptabilité"),
    ]
    assert program.executives[0].department == "Direction générale"
    # Without a byte of 0x80-0x9F the two encodings read alike; the notice says both.
    assert notices(report)["mentors.csv"] == "read as Windows-1252/Latin-1, ';'-separated"


def test_uk_export_in_utf8_with_a_one_column_org_file() -> None:
    report = validate_files(EXPORTS / "uk", prune_org=False)
    program = report.raise_for_errors()
    assert [(m.id, m.name, m.department) for m in program.mentors] == [
        ("u-101", "Siobhán O'Connor", "Finance, Risk & Audit"),
        ("u-102", "Rhys Llŷr", "Digital"),
    ]
    assert program.executives[0].department == "Board, Executive Office"
    assert [o.id for o in program.org] == ["u-900", "u-901"]
    assert notices(report) == {
        "mentors.csv": "read as UTF-8, ','-separated",
        "executives.csv": "read as UTF-8, ','-separated",
        "org.csv": "read as UTF-8, one column",
    }


def test_excel_unicode_text_is_utf16_with_tabs() -> None:
    report = validate_files(EXPORTS / "unicode_text" / "people.txt", prune_org=False)
    program = report.raise_for_errors()
    assert [(m.id, m.name, m.department) for m in program.mentors] == [
        ("z-1", "Zoë Ångström", "R&D, Lab"),
        ("z-2", "李雷", "研发"),
    ]
    assert [(e.id, e.name) for e in program.executives] == [("z-9", "Øyvind Ødegård")]
    assert [o.id for o in program.org] == ["z-0"]
    assert notices(report) == {"people.txt": "read as UTF-16 (with byte-order mark), tab-separated"}


def test_utf16_without_byte_order_mark_either_order(tmp_path: Path) -> None:
    text = "id\tname\ttimezone\nm1\tZoë\tUTC\n"
    for codec in ("utf-16-le", "utf-16-be"):
        put(tmp_path / codec / "mentors.csv", text.encode(codec))
        put(tmp_path / codec / "executives.csv", b"id,timezone\ne1,UTC\n")
        report = validate_files(tmp_path / codec)
        assert report.raise_for_errors().mentors[0].name == "Zoë"
        assert notices(report)["mentors.csv"] == (
            "read as UTF-16 (without byte-order mark), tab-separated"
        )


def test_excel_csv_utf8_with_byte_order_mark() -> None:
    report = validate_files(EXPORTS / "bom")
    program = report.raise_for_errors()
    assert (program.mentors[0].id, program.mentors[0].department) == ("b-1", "Operações")
    assert program.executives[0].name == "Søren Kierkegaard"
    assert notices(report)["mentors.csv"] == "read as UTF-8 (with byte-order mark), ','-separated"


def test_pipe_separated_dump() -> None:
    report = validate_files(EXPORTS / "pipe")
    program = report.raise_for_errors()
    assert program.mentors[0].department == "Sales, EMEA; North"
    assert notices(report)["mentors.csv"] == "read as UTF-8, '|'-separated"


def test_windows_1252_bytes_it_leaves_undefined_are_read_as_latin_1(tmp_path: Path) -> None:
    put(tmp_path / "mentors.csv", b"id,name,timezone\nm1,A\x81B,UTC\n")
    put(tmp_path / "executives.csv", b"id,name,timezone\ne1,\x80 \xe9,UTC\n")
    report = validate_files(tmp_path)
    program = report.raise_for_errors()
    assert program.mentors[0].name == "A\x81B"
    assert program.executives[0].name == "€ é"
    assert notices(report) == {
        "mentors.csv": "read as Latin-1, ','-separated",
        "executives.csv": "read as Windows-1252, ','-separated",
    }


# --- Detection rules ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("id,name\nm1,A\n", ","),
        ("id;name\nm1;Müller, Hans\n", ";"),
        ("id\tname\nm1\tA; B\n", "\t"),
        ("id|name\nm1|A,B;C\n", "|"),
        ('id;"a;b"\nm1;"x;y"\n', ";"),  # quoted delimiters do not count
        ('id,name\nm1,"two\nlines; here"\nm2,B\n', ","),  # nor do quoted line breaks
        ("id\nm1\nm2\n", None),  # one column
        ("", None),
    ],
)
def test_delimiter_from_header_checked_against_rows(text: str, delimiter: str | None) -> None:
    assert detect_delimiter(text) == (delimiter, ())


def test_a_header_with_two_candidates_takes_the_one_rows_agree_with() -> None:
    # The header holds one ',' and two ';'; only ';' splits every row the same way.
    text = "id;name;dept, unit\nm1;A;IT\nm2;B;HR\n"
    assert detect_delimiter(text) == (";", ())


def test_an_undecidable_delimiter_is_named_in_the_notice(tmp_path: Path) -> None:
    put(tmp_path / "mentors.csv", b"id;timezone,x\nm1;UTC,1\n")
    put(tmp_path / "executives.csv", b"id,timezone\ne1,UTC\n")
    report = validate_files(tmp_path)
    assert detect_delimiter("id;timezone,x\nm1;UTC,1\n") == (",", (";",))
    assert notices(report)["mentors.csv"] == (
        "read as UTF-8, ','-separated, ';' would split the rows as well; "
        "name the delimiter to choose"
    )


def test_nul_bytes_outside_utf16_are_refused_with_their_line(tmp_path: Path) -> None:
    report = validate_files(put(tmp_path / "people.csv", b"role,id\nmentor,m\x001\n"))
    (problem,) = report.errors
    assert "not a text file" in problem.message
    assert problem.line == 2


# --- Overrides ----------------------------------------------------------------


def test_keyword_arguments_override_the_detection() -> None:
    report = validate_files(EXPORTS / "german", encoding="windows-1252", delimiter=";")
    assert report.ok
    assert notices(report)["mentors.csv"] == (
        "read as Windows-1252 (as given), ';'-separated (as given)"
    )
    program = read_program(EXPORTS / "unicode_text" / "people.txt", delimiter="tab")
    assert program.mentors[1].name == "李雷"


def test_mapping_file_keys_override_the_detection(tmp_path: Path) -> None:
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"encoding": "latin-1", "delimiter": ";"}), encoding="utf-8")
    report = validate_files(EXPORTS / "french", mapping=mapping)
    assert report.raise_for_errors().mentors[0].name == "Hélène Dupré"
    assert notices(report)["mentors.csv"] == "read as Latin-1 (as given), ';'-separated (as given)"
    # A keyword argument wins over the mapping file.
    mapping.write_text(json.dumps({"encoding": "utf-8"}), encoding="utf-8")
    assert not validate_files(EXPORTS / "french", mapping=mapping).ok
    assert validate_files(EXPORTS / "french", mapping=mapping, encoding="cp1252").ok


def test_a_wrong_encoding_given_is_a_located_error() -> None:
    report = validate_files(EXPORTS / "german", encoding="utf-8")
    assert not report.ok
    problem = next(p for p in report.errors if Path(p.file or "").name == "mentors.csv")
    assert problem.line == 2  # the first umlaut
    assert "not valid UTF-8, the encoding given" in problem.message
    assert "Windows-1252" in problem.message
    report = validate_files(EXPORTS / "uk", encoding="cp1252")
    problem = next(p for p in report.errors if Path(p.file or "").name == "mentors.csv")
    assert (problem.line, problem.field) == (2, "encoding")
    assert problem.message.startswith("the file is UTF-8 text, but the encoding given is")
    report = validate_files(EXPORTS / "pipe", encoding="utf-16")
    assert len(report.errors) == 2
    assert all("not valid UTF-16, the encoding given" in p.message for p in report.errors)
    report = validate_files(EXPORTS / "uk", encoding="utf-16")
    assert any("not UTF-16 text" in p.message for p in report.errors)


def test_a_wrong_delimiter_given_is_a_located_error() -> None:
    report = validate_files(EXPORTS / "german", delimiter=",")
    problems = [p for p in report.errors if p.field == "delimiter"]
    assert {Path(p.file or "").name for p in problems} == {"mentors.csv", "executives.csv"}
    assert all(p.line == 1 and "separated by ';'" in p.message for p in problems)


@pytest.mark.parametrize(
    ("options", "field"),
    [({"encoding": "klingon"}, "encoding"), ({"delimiter": ";;"}, "delimiter")],
)
def test_unknown_encoding_or_delimiter_arguments(options: dict[str, str], field: str) -> None:
    report = validate_files(EXPORTS / "uk", **options)
    (problem,) = report.errors
    assert problem.field == field


def test_mapping_file_with_a_bad_encoding_or_sheet_kind(tmp_path: Path) -> None:
    mapping = put(
        tmp_path / "map.json",
        json.dumps({"encoding": "klingon", "sheets": {"Mentoren": "mentees"}}).encode(),
    )
    report = validate_files(EXPORTS / "uk", mapping=mapping)
    assert {p.field for p in report.errors} >= {"encoding", "sheets.Mentoren"}


# --- program.json beside named files ------------------------------------------


def test_program_json_beside_named_files_is_read_and_said(tmp_path: Path) -> None:
    put(tmp_path / "mentors.csv", b"id;timezone\nm1;UTC\n")
    put(tmp_path / "executives.csv", b"id;timezone\ne1;UTC\n")
    put(tmp_path / "program.json", json.dumps({"name": "RM 2027", "topics": ["digital"]}).encode())
    named = [tmp_path / "mentors.csv", tmp_path / "executives.csv"]
    report = validate_files(named)
    assert report.raise_for_errors().name == "RM 2027"
    assert notices(report)["program.json"] == (
        "program settings read from this file, found beside the named files"
    )
    # Named in the list, it is read once, without the notice.
    report = validate_files([*named, tmp_path / "program.json"])
    assert report.raise_for_errors().topics == ("digital",)
    assert "program.json" not in notices(report)
    assert not report.warnings
    # The same holds for files named by kind.
    mapped = validate_files({"mentors": named[0], "executives": named[1]})
    assert mapped.raise_for_errors().name == "RM 2027"


# --- Excel sheets -------------------------------------------------------------

openpyxl = pytest.importorskip("openpyxl")


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_sheet_names_mapped_in_the_mapping_file(tmp_path: Path) -> None:
    book = _workbook(
        tmp_path / "programm.xlsx",
        {
            "Hinweise": [["Bitte ausfüllen"]],
            "Mentoren": [["id", "department", "timezone"], ["0815", "Geschäftsführung", "UTC"]],
            "Führungskräfte": [["id", "timezone"], ["4711", "Europe/Berlin"]],
        },
    )
    mapping = put(
        tmp_path / "map.json",
        json.dumps(
            {"sheets": {"Mentoren": "mentors", "führungskräfte": "executives"}},
            ensure_ascii=False,
        ).encode("utf-8"),
    )
    report = validate_files(book, mapping=mapping)
    program = report.raise_for_errors()
    assert [(m.id, m.department) for m in program.mentors] == [("0815", "Geschäftsführung")]
    assert [e.id for e in program.executives] == ["4711"]
    said = [p.message for p in report.notices]
    assert "sheet 'Mentoren' read as mentors, as the mapping's sheets say" in said
    assert "sheet 'Führungskräfte' read as executives, as the mapping's sheets say" in said
    assert "sheets not read (their names say nothing): 'Hinweise'" in said


def test_a_sheet_the_mapping_names_but_the_workbook_lacks_is_a_warning(tmp_path: Path) -> None:
    book = _workbook(
        tmp_path / "b.xlsx",
        {"mentors": [["id", "timezone"], ["m1", "UTC"]], "executives": [["id", "timezone"]]},
    )
    mapping = put(tmp_path / "map.json", b'{"sheets": {"Mentees": "executives"}}')
    (warning,) = validate_files(book, mapping=mapping).warnings
    assert "names a sheet 'mentees'" in warning.message


def test_sheets_with_a_role_column_are_people(tmp_path: Path) -> None:
    book = _workbook(
        tmp_path / "export.xlsx",
        {
            "Legende": [["Spalte", "Bedeutung"], ["role", "mentor oder executive"]],
            "Personen": [
                ["Rolle", "id", "timezone"],
                ["Mentor", "m1", "UTC"],
                ["Mentee", "e1", "UTC"],
                [None, "x1", None],
            ],
        },
    )
    mapping = {"Rolle": "role"}
    report = validate_files(book, mapping=mapping, prune_org=False)
    # "Mentor" is a canonical role in any case; "Mentee" is not, and is reported.
    assert [p.line for p in report.errors] == [3]
    said = [p.message for p in report.notices]
    assert "sheet 'Personen' has a role column: read as people" in said
    assert "sheet 'Legende' is not read: it has no role column" in said


def test_a_workbook_whose_sheets_say_nothing_names_the_fix(tmp_path: Path) -> None:
    book = _workbook(tmp_path / "b.xlsx", {"A": [["id"]], "B": [["id"]]})
    (problem,) = validate_files(book).errors
    assert "none with a role column" in problem.message
    assert '"sheets"' in (problem.expected or "")


# --- Grouped messages ---------------------------------------------------------


def test_two_hundred_rows_with_one_problem_are_one_line(tmp_path: Path) -> None:
    rows = "".join(f"m{i:03d},Mon 12:00-14:00\n" for i in range(200))
    put(tmp_path / "mentors.csv", ("id,availability\n" + rows).encode())
    put(tmp_path / "executives.csv", b"id,timezone,capacity\ne1,UTC,1\n")
    report = validate_files(tmp_path)
    assert len(report.errors) == 201
    table = report.to_table().splitlines()
    assert table[0].startswith("201 errors")
    (line,) = [t for t in table if "no time zone given" in t]
    assert "rows 2–201" in line
    assert "200 mentors" in line
    assert "m000" not in line
    assert "m199" not in line
    single = next(t for t in table if "capacity" in t and "executives.csv" in t)
    assert "executives.csv  1  " in single  # one problem: its line alone
    data = json.loads(report.to_json())
    assert data["errors"] == 201
    (group,) = [g for g in data["problems"] if g["field"] == "timezone"]
    assert (group["count"], group["lines"], group["line"]) == (200, [[2, 201]], 2)
    assert group["records"][:2] == ["mentor 'm000'", "mentor 'm001'"]
    (alone,) = [g for g in data["problems"] if g["field"] == "capacity"]
    assert alone["line"] == 1
    assert "count" not in alone


def test_groups_keep_apart_what_differs_and_show_gaps_and_few_records() -> None:
    def problem(line: int, field: str = "timezone", file: str = "m.csv") -> Problem:
        return Problem("no time zone given", file=file, line=line, field=field, record=f"r{line}")

    report = ValidationReport.from_problems(
        [problem(2), problem(3), problem(9), problem(4, "tz"), problem(5, file="e.csv")]
    )
    groups = report.groups()
    assert [(g.first.file, g.first.field, g.count) for g in groups] == [
        ("e.csv", "timezone", 1),
        ("m.csv", "timezone", 3),
        ("m.csv", "tz", 1),
    ]
    main = groups[1]
    assert main.where() == "rows 2–3, 9"
    assert main.record() == "r2, r3, r9"
    assert str(main) == "m.csv, rows 2–3, 9, r2, r3, r9, field 'timezone': no time zone given"


# --- Nothing lost -------------------------------------------------------------


def test_every_row_is_a_person_an_org_entry_or_reported(tmp_path: Path) -> None:
    text = (
        "role;id;name;timezone\n"
        "mentor;m1;Jürgen;Europe/Berlin\n"
        "executive;e1;Änne;Europe/Berlin\n"
        ";x1;Org;\n"
        "\n"
        "Praktikant;p1;Björn;UTC\n"  # an unknown role
        "mentor;m2;Zu;viele;Zellen\n"  # more cells than the header
        "executive;e2;Ödön;\n"  # no time zone
    )
    path = put(tmp_path / "people.csv", text.encode("cp1252"))
    report = validate_files(path, prune_org=False)
    counts = report.counts
    data_rows = {n for n, row in enumerate(text.splitlines(), start=1) if n > 1 and row}
    reported = {p.line for p in report.errors}
    assert reported == {6, 7, 8}
    assert (counts["mentors"], counts["executives"], counts["org"]) == (1, 2, 1)
    # Rows 2-4 are people and an org entry (e2 is read, then reported); none is lost.
    assert data_rows == {2, 3, 4} | reported


# --- Round trip ---------------------------------------------------------------

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1")
DELIMITERS = (",", ";", "\t", "|")


def _rewrite(path: Path, encoding: str, delimiter: str) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    try:
        data = out.getvalue().encode(encoding)
    except UnicodeEncodeError:
        assume(False)
    path.write_bytes(data)


@given(file_programs(), st.sampled_from(ENCODINGS), st.sampled_from(DELIMITERS))
def test_a_program_written_in_any_encoding_and_delimiter_reads_back_equal(
    program: Program, encoding: str, delimiter: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "program"
        write_program(program, folder)
        canonical = validate_files(folder).raise_for_errors()
        for path in folder.glob("*.csv"):
            _rewrite(path, encoding, delimiter)
        report = validate_files(folder)
        assert report.ok, report.to_table()
        # The same program as from the canonical files (UTF-8 with BOM, commas).
        assert report.raise_for_errors() == canonical


@given(st.text(st.characters(codec="cp1252", exclude_characters="\0"), max_size=40))
def test_windows_1252_text_that_is_not_utf8_decodes_back(text: str) -> None:
    raw = text.encode("cp1252")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        assert decode_export(raw, "f.csv").text == text
