"""Tests of CSV input: canonical files, people.csv, HR-system presets and mapping files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from revmatch.exceptions import InvalidInputError
from revmatch.io import PRESETS, ColumnMapping, load_mapping, read_program, validate_files


def put(directory: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = directory / name
    path.write_text(text, encoding=encoding, newline="")
    return path


def test_canonical_csv_rules(tmp_path: Path) -> None:
    put(
        tmp_path,
        "mentors.csv",
        "id,name,manager_id,timezone,languages,availability,capacity,topic:digital,topic:diversity\n"
        "007,Lena,NO_MGR,Europe/Berlin,de;en,Mon 12:00-14:00; Thu 08:30-10:00 fortnightly,2,5,\n"
        "0042,,0042,UTC,,,,,3\n",
        encoding="utf-8-sig",
    )
    put(tmp_path, "executives.csv", "id,timezone,manager_id,topic:digital\ne1,UTC,,4\n")
    program = read_program(tmp_path)
    first, second = program.mentors
    assert (first.id, second.id) == ("007", "0042")
    assert first.manager_id is None
    assert second.manager_id is None
    assert first.languages == ("de", "en")
    assert [str(s) for s in first.availability] == [
        "Mon 12:00-14:00",
        "Thu 08:30-10:00 fortnightly",
    ]
    assert first.capacity == 2
    assert second.capacity == 1
    assert first.expertise == {"digital": 5}  # an empty cell is an absent value
    assert second.expertise == {"diversity": 3}
    assert program.topics == ("digital", "diversity")  # from the columns, in order
    assert second.name is None
    assert second.languages == ()


def test_program_json_beside_the_csv_files_gives_settings(tmp_path: Path) -> None:
    put(tmp_path, "mentors.csv", "id,timezone,topic:digital\nm1,UTC,4\n")
    put(tmp_path, "executives.csv", "id,timezone\ne1,UTC\n")
    put(tmp_path, "program.json", json.dumps({"name": "RM 2027", "start": "2027-01-11"}))
    program = read_program(tmp_path)
    assert program.name == "RM 2027"
    assert len(program.topics) == 5  # the settings give no topics: the default list


def test_people_csv_with_role_column_and_full_org(tmp_path: Path) -> None:
    path = put(
        tmp_path,
        "people.csv",
        "role,id,manager_id,timezone\n"
        "mentor,m1,x1,UTC\n"
        "Executive,e1,,UTC\n"
        ",x1,x2,\n"
        ",x2,e1,\n"
        ",z9,z8,\n",
    )
    program = read_program(path)
    assert [m.id for m in program.mentors] == ["m1"]
    assert [e.id for e in program.executives] == ["e1"]
    assert {o.id for o in program.org} == {"x1", "x2"}  # z9 is on no participant's chain


def test_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path: Path) -> None:
    put(
        tmp_path,
        "mentors.csv",
        'id,name,timezone\nm1,"two\nlines",UTC\n\nm2,x,Mars/Base\n',
    )
    put(tmp_path, "executives.csv", "id,timezone\ne1,UTC\n")
    report = validate_files(tmp_path)
    (problem,) = report.errors
    assert (problem.line, problem.record, problem.field) == (4, "mentor 'm2'", "timezone")


def test_many_problems_are_collected_in_one_pass(tmp_path: Path) -> None:
    put(
        tmp_path,
        "mentors.csv",
        "id,timezone,capacity,topic:digital\nm1,UTC,two,9\nm2,Nowhere,1,3\nm1,UTC,1,1\n",
    )
    put(tmp_path, "executives.csv", "id,timezone,capacity\ne1,UTC,1\n")
    report = validate_files(tmp_path)
    places = {(Path(p.file or "").name, p.line, p.field) for p in report.errors}
    assert places >= {
        ("mentors.csv", 2, "capacity"),
        ("mentors.csv", 2, "topic:digital"),
        ("mentors.csv", 3, "timezone"),
        ("mentors.csv", 4, "id"),
        ("executives.csv", 1, "capacity"),
    }
    assert "5 errors" in report.to_table().splitlines()[0]
    data = json.loads(report.to_json())
    assert data["ok"] is False
    assert data["errors"] == 5


# --- SAP SuccessFactors: the user data file has two header rows ---------------

SF_HEADER = (
    "STATUS,USERID,USERNAME,FIRSTNAME,LASTNAME,MI,GENDER,EMAIL,MANAGER,HR,DEPARTMENT,"
    "JOBCODE,DIVISION,LOCATION,TIMEZONE,HIREDATE,EMPID,TITLE"
)
SF_LABELS = (
    "Status,User ID,Username,First Name,Last Name,Middle Name,Gender,Email,Manager,"
    "Human Resource,Department,Job Code,Division,Location,Time Zone,Hire Date,Employee Id,"
    "Title"
)


def sf_row(uid: str, first: str, manager: str, dept: str, zone: str) -> str:
    return (
        f"active,{uid},{first.lower()},{first},Example,,F,{first.lower()}@example.com,{manager},"
        f"NO_HR,{dept},JC1,Corp,Berlin,{zone},01/02/2019,{uid},Specialist"
    )


def test_successfactors_preset(tmp_path: Path) -> None:
    topics = ",topic:digital,topic:social_media,availability"
    put(
        tmp_path,
        "mentors.csv",
        "\n".join(
            [
                SF_HEADER + topics,
                SF_LABELS + ",,,",
                sf_row("100234", "Lena", "100001", "IT", "Europe/Berlin") + ",5,4,Mon 12:00-14:00",
                sf_row("100235", "Omar", "NO_MANAGER", "Sales", "US/Eastern")
                + ",3,,Tue 12:00-13:00",
            ]
        )
        + "\n",
    )
    put(
        tmp_path,
        "executives.csv",
        "\n".join(
            [
                SF_HEADER + topics,
                SF_LABELS + ",,,",
                sf_row("000017", "Weber", "NO_MANAGER", "Finance", "Europe/Berlin")
                + ",2,5,Mon 12:00-13:30",
            ]
        )
        + "\n",
    )
    put(
        tmp_path,
        "org.csv",
        "\n".join(
            [
                SF_HEADER,
                SF_LABELS,
                sf_row("100001", "Kim", "000017", "IT", "Europe/Berlin"),
                sf_row("555555", "Noor", "NO_MANAGER", "Legal", "Europe/Berlin"),
            ]
        )
        + "\n",
    )
    program = read_program(tmp_path, preset="successfactors")
    lena, omar = program.mentors
    assert (lena.id, lena.manager_id, lena.department, lena.timezone) == (
        "100234",
        "100001",
        "IT",
        "Europe/Berlin",
    )
    assert lena.name == "Lena Example"  # FIRSTNAME and LASTNAME joined
    assert lena.email == "lena@example.com"
    assert omar.manager_id is None
    assert program.executives[0].id == "000017"  # leading zeros kept
    assert [(o.id, o.manager_id) for o in program.org] == [("100001", "000017")]
    report = validate_files(tmp_path, preset="successfactors")
    assert report.ok
    assert not report.warnings


# --- Workday: one header row, zone shown with its IANA name in parentheses -------

WD_HEADER = (
    "Employee_ID,Worker,Business_Title,Manager_ID,Cost_Center,Location,Time_Zone,"
    "Hire_Date,Worker_Type"
)


def test_workday_preset_with_org_export(tmp_path: Path) -> None:
    extra = ",topic:digital,topic:diversity,availability,languages"
    put(
        tmp_path,
        "mentors.csv",
        WD_HEADER + extra + "\n"
        "21001,Ada Example,Analyst,20010,CC-4100 IT,Berlin,"
        '"GMT+01:00 Central European Time (Europe/Berlin)",2021-03-01,Employee,4,,'
        "Wed 12:00-13:30,de;en\n",
    )
    put(
        tmp_path,
        "executives.csv",
        WD_HEADER + extra + "\n"
        "20001,Bea Example,CFO,,CC-1000 Finance,London,"
        '"GMT+00:00 Greenwich Mean Time (Europe/London)",2010-01-01,Employee,5,3,'
        "Wed 11:00-13:00,en\n",
    )
    put(
        tmp_path,
        "org.csv",
        WD_HEADER + "\n"
        "20010,Cem Example,Head of IT,20001,CC-4100 IT,Berlin,,2015-01-01,Employee\n"
        "29999,Dee Example,Lawyer,20001,CC-9000 Legal,Paris,,2018-01-01,Employee\n",
    )
    program = read_program(tmp_path, preset="workday")
    ada = program.mentors[0]
    assert (ada.id, ada.manager_id, ada.department, ada.location, ada.timezone) == (
        "21001",
        "20010",
        "CC-4100 IT",
        "Berlin",
        "Europe/Berlin",
    )
    assert program.executives[0].manager_id is None
    assert [(o.id, o.manager_id) for o in program.org] == [("20010", "20001")]
    assert program.topics == ("digital", "diversity")


def test_workday_export_without_preset_names_the_fix(tmp_path: Path) -> None:
    put(tmp_path, "mentors.csv", WD_HEADER + "\n21001,Ada,Analyst,,CC,Berlin,UTC,,Employee\n")
    put(tmp_path, "executives.csv", "id,timezone\ne1,UTC\n")
    report = validate_files(tmp_path)
    assert any("preset 'workday'" in p.message for p in report.errors)


def test_mapping_file_extends_a_preset(tmp_path: Path) -> None:
    mapping = put(
        tmp_path,
        "mapping.json",
        json.dumps(
            {
                "preset": "workday",
                "columns": {"Skill Digital": "topic:digital", "Program Role": "role"},
                "roles": {"Mentee": "executive", "Reverse Mentor": "mentor"},
            }
        ),
    )
    people = put(
        tmp_path,
        "people.csv",
        "Employee_ID,Manager_ID,Time_Zone,Program Role,Skill Digital,Other\n"
        "1,,UTC,Mentee,5,x\n2,3,UTC,Reverse Mentor,4,y\n3,1,UTC,,,z\n",
    )
    program = read_program(people, mapping=mapping)
    assert [e.id for e in program.executives] == ["1"]
    assert program.mentors[0].expertise == {"digital": 4}
    assert [(o.id, o.manager_id) for o in program.org] == [("3", "1")]


def test_plain_dict_mapping_and_strict_unknown_columns(tmp_path: Path) -> None:
    put(tmp_path, "mentors.csv", "Personal ID,TZ,Notes\nm1,UTC,hello\n")
    put(tmp_path, "executives.csv", "Personal ID,TZ\ne1,UTC\n")
    report = validate_files(tmp_path, mapping={"Personal ID": "id", "TZ": "timezone"})
    assert [p.field for p in report.errors] == ["Notes"]
    relaxed = ColumnMapping(columns={"Personal ID": "id", "TZ": "timezone"}, ignore_unknown=True)
    assert read_program(tmp_path, mapping=relaxed).mentors[0].id == "m1"


def test_bad_mapping_file_is_located(tmp_path: Path) -> None:
    path = put(
        tmp_path,
        "mapping.json",
        '{\n  "preset": "workdy",\n  "columns": {"X": "timezon"},\n  "header_row": 2\n}\n',
    )
    with pytest.raises(InvalidInputError) as info:
        load_mapping(path)
    found = {(p.line, p.field) for p in info.value.problems}
    assert found == {(2, "preset"), (3, "columns.X"), (4, "header_row")}
    assert "did you mean 'timezone'" in str(info.value)
    assert "did you mean 'header_rows'" in str(info.value)


def test_unknown_preset_suggests_one(tmp_path: Path) -> None:
    report = validate_files(tmp_path, preset="SuccessFactor")
    assert "did you mean 'successfactors'" in report.errors[0].message
    assert set(PRESETS) == {"successfactors", "workday"}


def test_a_big_org_export_is_pruned_to_the_chains(tmp_path: Path) -> None:
    rows = [f"x{i},x{i + 1}" for i in range(3000)] + [f"y{i},y{i + 1}" for i in range(3000)]
    put(tmp_path, "org.csv", "id,manager_id\n" + "\n".join(rows) + "\n")
    put(tmp_path, "mentors.csv", "id,timezone,manager_id\nm1,UTC,x2990\n")
    put(tmp_path, "executives.csv", "id,timezone,manager_id\ne1,UTC,x2995\n")
    report = validate_files(tmp_path)
    assert report.counts["org"] == 6000
    assert report.counts["org_kept"] == 10  # x2990 .. x2999
    (dead_end,) = report.warnings  # the chain leaves the export at x3000
    assert (dead_end.severity, dead_end.record, dead_end.line) == (
        "warning",
        "org entry 'x2999'",
        3001,  # header is row 1, x0 row 2
    )


def test_files_named_freely_with_a_mapping_of_kinds(tmp_path: Path) -> None:
    a = put(tmp_path, "export_a.csv", "id,timezone\nm1,UTC\n")
    b = put(tmp_path, "export_b.csv", "id,timezone,manager_id\ne1,UTC,x1\n")
    c = put(tmp_path, "hris.csv", "id,manager_id,name\nx1,,Someone\n")
    program = read_program({"mentors": a, "executives": b, "org": c}, info={"name": "RM"})
    assert (program.mentors[0].id, program.executives[0].id, program.name) == ("m1", "e1", "RM")
    assert [o.id for o in program.org] == ["x1"]


def test_a_json_program_with_an_org_export_beside_it(tmp_path: Path) -> None:
    people = put(
        tmp_path,
        "people.json",
        json.dumps(
            {
                "program": {"name": "RM"},
                "mentors": [{"id": "m1", "timezone": "UTC", "manager_id": "x1"}],
                "executives": [{"id": "e1", "timezone": "UTC"}],
            }
        ),
    )
    org = put(tmp_path, "org.csv", "id,manager_id\nx1,e1\nx2,x1\n")
    program = read_program([people, org])
    assert program.name == "RM"
    assert [(o.id, o.manager_id) for o in program.org] == [("x1", "e1")]


def test_program_json_in_a_list_may_hold_settings_or_a_whole_program(tmp_path: Path) -> None:
    settings = put(tmp_path, "program.json", json.dumps({"name": "RM", "topics": ["digital"]}))
    mentors = put(tmp_path, "mentors.csv", "id,timezone,topic:digital\nm1,UTC,3\n")
    executives = put(tmp_path, "executives.csv", "id,timezone\ne1,UTC\n")
    assert read_program([mentors, executives, settings]).topics == ("digital",)
    whole = tmp_path / "whole"
    whole.mkdir()
    alone = put(
        whole,
        "program.json",
        json.dumps({"mentors": [{"id": "m1", "timezone": "UTC"}], "executives": []}),
    )
    assert read_program(alone).mentors[0].id == "m1"
    assert read_program([alone]).mentors[0].id == "m1"
