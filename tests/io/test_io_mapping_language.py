"""The mapping language: each key read from a foreign export, bad mappings located, inspect.

Exports here come from another mentoring tool: ``mentees.csv`` and
``mentors.csv`` with first/last name, e-mail, organisation, grade labels,
profession and role. Names and e-mails hold the sentinel ``Qxzv``, which no
message may show.
"""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

import revmatch as rm
from revmatch.cli import main
from revmatch.exceptions import InvalidInputError, Problem
from revmatch.io import (
    MAPPING_KEYS,
    PRESETS,
    inspect_files,
    load_mapping,
    read_program,
    validate_files,
    write_program,
)
from revmatch.models import Program
from tests.strategies.programs import file_programs

HEADER = "participant id,first name,last name,email,organisation,grade,profession,role,phone\n"
MENTEES = HEADER + (
    "e-01,Ada,Qxzv,ada.qxzv@example.org,HM Treasury,SCS2,Finance,Mentee,0123\n"
    "e-02,Alan,Qxzv,alan.qxzv@example.org,Cabinet Office,SCS1,DDaT,Mentee,0124\n"
    "e-03,Grace,Qxzv,grace.qxzv@example.org,Home Office,SCS3,HR,Mentee,0125\n"
)
MENTORS = HEADER + (
    "m-01,Tim,Qxzv,tim.qxzv@example.org,Home Office,G7,DDaT,Mentor,0200\n"
    "m-02,Rosalind,Qxzv,ros.qxzv@example.org,HM Treasury,HEO,HR,Mentor,0201\n"
    "m-03,Katherine,Qxzv,kj.qxzv@example.org,Cabinet Office,SEO,Finance,Mentor,0202\n"
)
GRADES = {"SCS1": 11, "SCS2": 12, "SCS3": 13, "G7": 7, "HEO": 5, "SEO": 6}
MAPPING: dict[str, Any] = {
    "files": {"mentees*.csv": "executives", "mentors*.csv": "mentors"},
    "columns": {
        "participant id": "id",
        "first name": "name",
        "last name": "name",
        "organisation": "department",
    },
    "ignore": ["email", "phone", "role"],
    "values": {"grade": GRADES},
    "constants": {"timezone": "Europe/London", "availability": "Mon 12:00-14:00"},
    "topics_from": {
        "profession": {
            "DDaT": {"digital": 5},
            "HR": {"diversity": 4, "work_life_balance": 3},
            "Finance": {},
        }
    },
}


def _export(folder: Path, mentees: str = MENTEES, mentors: str = MENTORS) -> list[Path]:
    folder.mkdir(exist_ok=True)
    (folder / "mentees.csv").write_text(mentees, encoding="utf-8")
    (folder / "mentors.csv").write_text(mentors, encoding="utf-8")
    return [folder / "mentees.csv", folder / "mentors.csv"]


def _map(folder: Path, data: dict[str, Any], name: str = "map.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def _private(problems: Any) -> None:
    for problem in problems:
        assert "qxzv" not in str(problem).lower(), problem


def _notices(report: Any) -> list[Problem]:
    return [p for p in report.problems if p.severity == "notice"]


def test_a_foreign_export_reads_with_every_key(tmp_path: Path) -> None:
    paths = _export(tmp_path)
    report = validate_files(paths, mapping=_map(tmp_path, MAPPING))
    assert report.ok, report.to_table()
    program = report.raise_for_errors()
    executives = {e.id: e for e in program.executives}
    mentors = {m.id: m for m in program.mentors}
    ada = executives["e-01"]
    assert (ada.name, ada.department, ada.grade, ada.timezone) == (
        "Ada Qxzv",
        "HM Treasury",
        12,
        "Europe/London",
    )
    assert ada.email is None  # ignored
    assert [str(s) for s in ada.availability] == ["Mon 12:00-14:00"]
    assert ada.interests == {}  # Finance: no topics
    tim = mentors["m-01"]
    assert (tim.grade, tim.expertise) == (7, {"digital": 5})
    assert mentors["m-02"].expertise == {"diversity": 4, "work_life_balance": 3}
    assert program.topics == ("digital", "diversity", "work_life_balance")
    _private(report.problems)


def test_ignored_columns_are_listed_as_a_notice(tmp_path: Path) -> None:
    report = validate_files(_export(tmp_path), mapping=_map(tmp_path, MAPPING))
    unread = [p for p in _notices(report) if "columns not read" in p.message]
    assert [(Path(p.file or "").name, p.line) for p in unread] == [
        ("mentees.csv", 1),
        ("mentors.csv", 1),
    ]
    assert "'email' (D), 'role' (H), 'phone' (I)" in unread[0].message
    assert report.errors == []
    assert report.warnings == []


def test_ignore_unknown_lists_the_columns_it_leaves(tmp_path: Path) -> None:
    data = {**MAPPING, "ignore": ["role"], "ignore_unknown": True}
    report = validate_files(_export(tmp_path), mapping=_map(tmp_path, data))
    assert report.ok, report.to_table()
    assert any("'role' (H), 'phone' (I)" in p.message for p in _notices(report))


def test_an_unmapped_label_is_a_located_error_naming_it(tmp_path: Path) -> None:
    mentors = MENTORS.replace(
        "m-03,Katherine,Qxzv,kj.qxzv@example.org,Cabinet Office,SEO",
        "m-03,Katherine,Qxzv,kj.qxzv@example.org,Cabinet Office,Grade 6",
    )
    report = validate_files(_export(tmp_path, mentors=mentors), mapping=_map(tmp_path, MAPPING))
    [error] = report.errors
    assert (Path(error.file or "").name, error.line, error.field, error.record) == (
        "mentors.csv",
        4,
        "grade",
        "mentor 'm-03'",
    )
    assert "'Grade 6'" in error.message
    assert "map.json" in error.message
    assert error.expected is not None
    assert "SCS1" in error.expected
    assert "values.grade" in error.expected
    _private(report.problems)


def test_an_unmapped_topic_label_is_a_located_error(tmp_path: Path) -> None:
    mentees = MENTEES.replace(",DDaT,", ",Policy,")
    report = validate_files(_export(tmp_path, mentees=mentees), mapping=_map(tmp_path, MAPPING))
    [error] = report.errors
    assert (error.line, error.field, error.record) == (3, "profession", "executive 'e-02'")
    assert "'Policy'" in error.message
    assert "topics_from.profession" in (error.expected or "")


def test_constants_fill_empty_cells_only(tmp_path: Path) -> None:
    mentees = "id,timezone,grade\ne-01,,7\ne-02,Asia/Tokyo,\n"
    mentors = "id,timezone\nm-01,UTC\n"
    data = {
        "files": {"mentees.csv": "executives"},
        "constants": {"timezone": "Europe/London", "grade": 3},
    }
    program = read_program(_export(tmp_path, mentees, mentors), mapping=_map(tmp_path, data))
    assert [(e.timezone, e.grade) for e in program.executives] == [
        ("Europe/London", 7),
        ("Asia/Tokyo", 3),
    ]


def test_several_columns_fill_one_list_and_value_maps_map_each_item(tmp_path: Path) -> None:
    mentees = "id,Lang 1,Lang 2,in person\ne-01,English,German,Yes\ne-02,French,,No\n"
    mentors = "id,Lang 1,Lang 2,in person\nm-01,German,,yes\n"
    data = {
        "files": {"mentees.csv": "executives"},
        "columns": {"Lang 1": "languages", "Lang 2": "languages", "in person": "mode"},
        "values": {
            "languages": {"English": "en", "German": "de", "French": "fr"},
            "in person": {"Yes": "hybrid", "No": "remote"},
        },
        "constants": {"timezone": "UTC"},
    }
    program = read_program(_export(tmp_path, mentees, mentors), mapping=_map(tmp_path, data))
    assert [(e.languages, e.mode) for e in program.executives] == [
        (("en", "de"), "hybrid"),
        (("fr",), "remote"),
    ]
    assert program.mentors[0].languages == ("de",)


def test_role_values_of_one_people_file(tmp_path: Path) -> None:
    (tmp_path / "participants.csv").write_text(
        "id,Programmrolle,timezone\np1,Mentee,UTC\np2,Führungskraft,UTC\np3,Mentor,UTC\np4,,\n",
        encoding="utf-8",
    )
    data = {
        "columns": {"Programmrolle": "role"},
        "roles": {"Mentee": "executive", "Führungskraft": "executive"},
    }
    program = read_program(tmp_path / "participants.csv", mapping=_map(tmp_path, data))
    assert [e.id for e in program.executives] == ["p1", "p2"]
    assert [m.id for m in program.mentors] == ["p3"]


def test_dropped_rows_are_each_listed_with_file_line_and_reason(tmp_path: Path) -> None:
    header = "participant id,status,timezone\n"
    mentees = header + "e-01,active,UTC\ne-02,left,UTC\ne-03,Left ,UTC\n"
    mentors = header + "m-01,active,UTC\nm-02,on leave,UTC\n"
    data = {
        "files": {"mentees.csv": "executives"},
        "columns": {"participant id": "id"},
        "ignore": ["status"],
        "drop": [{"column": "status", "values": ["left", "on leave"], "reason": "not active"}],
    }
    report = validate_files(_export(tmp_path, mentees, mentors), mapping=_map(tmp_path, data))
    assert report.ok, report.to_table()
    program = report.raise_for_errors()
    assert [p.id for p in program.people()] == ["m-01", "e-01"]
    people = list(program.people())
    dropped = [p for p in _notices(report) if p.message.startswith("row left out")]
    assert [(Path(p.file or "").name, p.line, p.record, p.message) for p in dropped] == [
        ("mentees.csv", 3, "executive 'e-02'", "row left out: not active"),
        ("mentees.csv", 4, "executive 'e-03'", "row left out: not active"),
        ("mentors.csv", 3, "mentor 'm-02'", "row left out: not active"),
    ]
    # Nothing lost: every data row is a person or listed as dropped.
    rows = mentees.count("\n") - 1 + mentors.count("\n") - 1
    assert len(people) + len(dropped) == rows


def test_presets_drop_inactive_and_terminated_people(tmp_path: Path) -> None:
    (tmp_path / "mentors.csv").write_text(
        "Employee_ID,Worker_Status,Active_Status,Time_Zone\n"
        "m1,Active,1,UTC\nm2,Terminated,1,UTC\nm3,Active,0,UTC\n",
        encoding="utf-8",
    )
    (tmp_path / "executives.csv").write_text("Employee_ID,Time_Zone\ne1,UTC\n", encoding="utf-8")
    report = validate_files(tmp_path, preset="workday")
    assert report.ok, report.to_table()
    assert [m.id for m in report.raise_for_errors().mentors] == ["m1"]
    reasons = [p.message for p in _notices(report) if p.message.startswith("row left out")]
    assert reasons == [
        "row left out: terminated worker",
        "row left out: inactive worker (Active_Status)",
    ]
    assert PRESETS["successfactors"].drop[0].column == "STATUS"
    assert PRESETS["successfactors"].drop[0].drops("inactive")


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({"columns": {"x": "id"}, "colums": {}}, "colums", "did you mean 'columns'"),
        ({"values": {"gradee": {"G7": 7}}}, "values.gradee", "unknown field"),
        ({"values": {"email": {"a": "b"}}}, "values.email", "identify a person"),
        ({"values": {"grade": {"G7": "seven"}}}, "values.grade.G7", "invalid value"),
        ({"values": {"grade": {"G7": None}}}, "values.grade.G7", "fill it in"),
        ({"constants": {"grade": "high"}}, "constants.grade", "invalid constant"),
        ({"constants": {"timezone": "London"}}, "constants.timezone", "invalid constant"),
        ({"constants": {"id": "x"}}, "constants.id", "no constant can fill"),
        ({"files": {"*.csv": "mentees"}}, "files.*.csv", "unknown kind of file"),
        ({"topics_from": {"p": {"HR": {"digital": 9}}}}, "topics_from.p.HR", "topic levels"),
        ({"drop": [{"column": "s", "values": ["x"]}]}, "drop[0]", "needs a 'reason'"),
        ({"roles": {"Mentee": None}}, "roles.Mentee", "fill it in"),
    ],
)
def test_bad_mappings_are_located_errors(
    tmp_path: Path, data: dict[str, Any], field: str, fragment: str
) -> None:
    path = _map(tmp_path, data)
    with pytest.raises(InvalidInputError) as info:
        load_mapping(path)
    [problem] = info.value.problems
    assert (problem.file, problem.field) == (str(path), field)
    assert problem.line is not None
    assert problem.line > 1
    assert fragment in problem.message


def test_a_filter_on_a_missing_column_names_the_mapping_and_key(tmp_path: Path) -> None:
    data = {**MAPPING, "drop": [{"column": "Status", "values": ["left"], "reason": "left"}]}
    report = validate_files(_export(tmp_path), mapping=_map(tmp_path, data))
    assert [(Path(p.file or "").name, p.line, p.field) for p in report.errors] == [
        ("mentees.csv", 1, "drop[0].column"),
        ("mentors.csv", 1, "drop[0].column"),
    ]
    assert "map.json" in report.errors[0].message


def test_every_key_is_documented_once() -> None:
    names = [k.name for k in MAPPING_KEYS]
    assert len(names) == len(set(names))
    for key in ("files", "columns", "ignore", "values", "constants", "topics_from", "drop"):
        assert key in names


def test_inspect_drafts_a_mapping_that_validates_and_matches_once_filled(tmp_path: Path) -> None:
    paths = _export(tmp_path)
    draft = inspect_files(paths)
    mapping = draft.mapping
    assert mapping["files"] == {"mentees.csv": "executives", "mentors.csv": "mentors"}
    assert mapping["columns"] == {
        "participant id": "id",
        "first name": "name",
        "last name": "name",
        "email": "email",
        "organisation": "department",
        "grade": "grade",
    }
    assert mapping["ignore"] == ["profession", "role", "phone"]
    assert mapping["values"] == {
        "grade": dict.fromkeys(["SCS1", "SCS2", "SCS3", "G7", "HEO", "SEO"])
    }
    assert sorted(draft.to_fill) == sorted(
        [f"values.grade.{g}" for g in GRADES] + ["constants.timezone"]
    )
    # Every column of every file is in the review list, with a reason.
    reviewed = {(Path(i.file).name, i.column) for i in draft.review if i.column}
    for path in paths:
        for heading in HEADER.strip().split(","):
            if path.name == "mentees.csv" or heading == "role":
                assert (path.name, heading) in reviewed
    assert all(i.why for i in draft.review)
    table = draft.review_table()
    assert "Fill in before use" in table
    assert "qxzv" not in table.lower()

    draft.write(tmp_path / "map.json")
    with pytest.raises(InvalidInputError, match="fill it in"):
        load_mapping(tmp_path / "map.json")

    data = json.loads((tmp_path / "map.json").read_text(encoding="utf-8"))
    data["values"]["grade"] = GRADES
    data["constants"] = {"timezone": "Europe/London", "availability": "Mon 12:00-14:00"}
    _map(tmp_path, data)
    report = validate_files(paths, mapping=tmp_path / "map.json")
    assert report.ok, report.to_table()
    result = rm.match(report.raise_for_errors())
    assert len(result.pairs) == 3


def test_inspect_guesses_roles_from_a_role_column(tmp_path: Path) -> None:
    (tmp_path / "export.csv").write_text(
        "Staff ID,Participant type,Time zone,Line manager\n"
        "1,Mentee,UTC,9\n2,Reverse mentor,UTC,9\n3,Observer,UTC,9\n",
        encoding="utf-8",
    )
    draft = inspect_files(tmp_path / "export.csv")
    assert draft.mapping["files"] == {"export.csv": "people"}
    assert draft.mapping["columns"] == {
        "Staff ID": "id",
        "Participant type": "role",
        "Time zone": "timezone",
        "Line manager": "manager_id",
    }
    assert draft.mapping["roles"] == {
        "Mentee": "executive",
        "Observer": None,
        "Reverse mentor": "mentor",
    }
    assert "roles.Observer" in draft.to_fill


def test_the_cli_reads_a_foreign_export_with_a_mapping(tmp_path: Path) -> None:
    paths = _export(tmp_path)
    mapping = _map(tmp_path, MAPPING)
    out = tmp_path / "pairs.csv"
    args = ["--mapping", str(mapping), *map(str, paths)]
    assert main(["validate", *args]) == 0
    assert main(["match", *args, "--format", "csv", "-o", str(out)]) == 0
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["executive_id"] for r in rows if r["kind"] == "pair"} == {"e-01", "e-02", "e-03"}


_RENAMED = {
    "id": "Staff Number",
    "timezone": "Zeitzone",
    "department": "Organisation",
    "grade": "Band",
    "languages": "Sprachen",
    "capacity": "Max mentees",
}


def _rename(folder: Path) -> None:
    """Rename the columns, the files and the grades of a written CSV program."""
    for name, new in (("mentors.csv", "coaches.csv"), ("executives.csv", "leaders.csv")):
        with (folder / name).open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        header = [_RENAMED.get(h, h) for h in rows[0]]
        band = header.index("Band") if "Band" in header else None
        body = [[f"B{c}" if i == band and c else c for i, c in enumerate(row)] for row in rows[1:]]
        with (folder / new).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([header, *body])
        (folder / name).unlink()


@settings(max_examples=30, deadline=None)
@given(file_programs(settings=False, extras=False))
def test_a_renamed_export_reads_back_equal_with_a_mapping(program: Program) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "export"
        write_program(program, folder)
        expected = read_program(folder)
        _rename(folder)
        data = {
            "files": {"coaches.csv": "mentors", "leaders.csv": "executives"},
            "columns": {new: old for old, new in _RENAMED.items()},
            "values": {"grade": {f"B{g}": g for g in range(-5, 20)}},
        }
        mapping = _map(Path(tmp), data)
        (folder / "program.json").unlink(missing_ok=True)
        got = read_program(folder, mapping=mapping, info=expected.program)
        assert got == expected
