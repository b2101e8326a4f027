"""Round trips JSON <-> JSON Lines <-> CSV <-> Excel <-> DataFrame give equal programs."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from revmatch.exceptions import InvalidInputError
from revmatch.io import (
    program_from_pandas,
    program_to_pandas,
    read_program,
    validate_files,
    write_program,
)
from revmatch.models import Program
from tests.strategies.programs import file_programs

pytest.importorskip("openpyxl")
pytest.importorskip("pandas")


def _through(program: Program, name: str) -> Program:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        write_program(program, path)
        report = validate_files(path)
        assert report.ok, report.to_table()
        assert all(p.severity in ("warning", "notice") for p in report.problems)
        return report.raise_for_errors()


# Workbooks and DataFrames cost tens of milliseconds per example; a quarter of the
# profile's examples keeps the suite quick while still covering the formats.
SLOW_FORMATS = settings(max_examples=max(10, settings().max_examples // 4))


@given(file_programs())
def test_every_text_format_gives_back_an_equal_program(program: Program) -> None:
    for name in ("p.json", "p.jsonl", "csv_dir"):
        assert _through(program, name) == program, name


@SLOW_FORMATS
@given(file_programs())
def test_excel_gives_back_an_equal_program(program: Program) -> None:
    assert _through(program, "p.xlsx") == program


def _from_frames(program: Program, **options: Any) -> Program:
    frames = program_to_pandas(program)
    return program_from_pandas(
        frames["mentors"],
        frames["executives"],
        frames.get("org"),
        history=frames.get("history"),
        pinned=frames.get("pinned"),
        priority=frames.get("priority"),
        **options,
    )


@SLOW_FORMATS
@given(file_programs())
def test_dataframes_give_back_an_equal_program(program: Program) -> None:
    assert _from_frames(program, info=program.program) == program


@given(file_programs(settings=False, extras=False))
def test_one_people_csv_gives_back_an_equal_program(program: Program) -> None:
    assert _through(program, "people.csv") == program


@SLOW_FORMATS
@given(file_programs(settings=False, extras=False))
def test_chained_conversions_stay_equal(program: Program) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        write_program(program, path / "a.json")
        write_program(read_program(path / "a.json"), path / "b.xlsx")
        write_program(read_program(path / "b.xlsx"), path / "c")
        write_program(_from_frames(read_program(path / "c")), path / "d.csv")
        assert read_program(path / "d.csv") == program


def test_people_csv_refuses_what_it_cannot_hold(tmp_path: Path) -> None:
    program = Program(
        program={"name": "RM"},
        mentors=[{"id": "m1", "timezone": "UTC"}],
        executives=[{"id": "e1", "timezone": "UTC"}],
    )
    with pytest.raises(InvalidInputError, match="cannot hold the program's name"):
        write_program(program, tmp_path / "people.csv")
    with pytest.raises(InvalidInputError, match=r"cannot write a program to a '\.txt' file"):
        write_program(program, tmp_path / "people.txt")


def test_excel_keeps_leading_zeros_and_numeric_cells_become_ids(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "mentors"
    sheet.append(["id", "timezone", "capacity", "topic:digital"])
    sheet.append(["007", "UTC", 2.0, 4])
    sheet.append([42, "UTC", None, 3.0])
    other = book.create_sheet("executives")
    other.append([None])
    other.append(["id", "timezone"])  # a header below an empty row
    other.append([1001.0, "UTC"])
    book.save(tmp_path / "book.xlsx")
    program = read_program(tmp_path / "book.xlsx")
    assert [m.id for m in program.mentors] == ["007", "42"]
    assert [m.capacity for m in program.mentors] == [2, 1]
    assert program.executives[0].id == "1001"


def test_dataframe_ids_never_become_floats() -> None:
    import pandas as pd

    mentors = pd.DataFrame(
        {"id": [1.0, 2.0], "timezone": ["UTC", "UTC"], "topic:digital": [4, None]}
    )
    executives = pd.DataFrame({"id": ["0042"], "timezone": ["UTC"], "languages": [["de", "en"]]})
    program = program_from_pandas(mentors, executives)
    assert [m.id for m in program.mentors] == ["1", "2"]
    assert program.mentors[1].expertise == {}
    assert program.executives[0].id == "0042"
    assert program.executives[0].languages == ("de", "en")


def test_dataframe_problems_name_the_row_by_index() -> None:
    import pandas as pd

    from revmatch.io import validate_frames

    mentors = pd.DataFrame({"id": [None], "timezone": ["UTC"]}, index=["row-a"])
    executives = pd.DataFrame({"id": ["e1"], "timezone": ["UTC"], "capacity": [1]})
    report = validate_frames(mentors, executives)
    found = {(p.file, p.record, p.field) for p in report.errors}
    assert ("executives DataFrame", None, "capacity") in found  # a column for mentors only
    assert any(p.file == "mentors DataFrame" and p.record == "row 'row-a'" for p in report.errors)
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        validate_frames([{"id": "m1"}], executives)  # type: ignore[arg-type]


def test_text_starting_with_equals_stays_text_in_excel(tmp_path: Path) -> None:
    program = Program(
        mentors=[{"id": "=m1", "name": '=HYPERLINK("x")', "timezone": "UTC"}],
        executives=[{"id": "e1", "timezone": "UTC"}],
    )
    write_program(program, tmp_path / "p.xlsx")
    assert read_program(tmp_path / "p.xlsx") == program
