"""Tests of canonical JSON and JSON Lines reading, writing and located errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import revmatch as rm
from revmatch.exceptions import InvalidInputError
from revmatch.io import read_config, read_program, validate_files, write_program

DESIGN_EXAMPLE = """{
  "program": {"name": "RM 2027", "start": "2027-01-11", "end": "2027-06-25",
              "topics": ["digital", "social_media", "diversity", "work_ethic",
                         "work_life_balance"]},
  "mentors": [
    {"id": "m-01", "name": "Lena", "department": "IT", "manager_id": "x-17",
     "timezone": "Europe/Berlin", "languages": ["de", "en"], "capacity": 1,
     "expertise": {"digital": 5, "social_media": 4},
     "availability": ["Mon 12:00-14:00", "Thu 08:30-10:00"]}
  ],
  "executives": [
    {"id": "e-01", "name": "Dr. Weber", "department": "Finance", "manager_id": null,
     "timezone": "Europe/Berlin", "languages": ["de"],
     "interests": {"social_media": 5, "digital": 3},
     "availability": ["Mon 12:00-13:30"], "blocked": ["m-09"], "preferred": []}
  ],
  "org": [{"id": "x-17", "manager_id": "e-01"}]
}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_the_design_example(tmp_path: Path) -> None:
    program = read_program(write(tmp_path, "people.json", DESIGN_EXAMPLE))
    assert program.name == "RM 2027"
    assert [m.id for m in program.mentors] == ["m-01"]
    assert program.mentors[0].expertise == {"digital": 5, "social_media": 4}
    assert program.org[0].manager_id == "e-01"


def test_json_round_trip_gives_an_equal_program(tmp_path: Path) -> None:
    program = read_program(write(tmp_path, "people.json", DESIGN_EXAMPLE))
    for name in ("again.json", "again.jsonl"):
        write_program(program, tmp_path / name)
        assert read_program(tmp_path / name) == program


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    text = """{
  "mentors": [
    {"id": "m1", "timezone": "UTC"},
    {"id": "m2", "timezone": "UTC",
     "capacity": -1,
     "expertise": {"digitl": 5}},
    {"id": "m3", "timezon": "UTC"}
  ],
  "executives": [
    {"id": "m1", "name": "Secret Name", "timezone": "UTC"}
  ]
}"""
    path = write(tmp_path, "bad.json", text)
    with pytest.raises(InvalidInputError) as info:
        read_program(path)
    found = {(p.line, p.record, p.field) for p in info.value.errors}
    assert (5, "mentor 'm2'", "capacity") in found
    assert (6, "mentor 'm2'", "expertise.digitl") in found
    assert (7, "mentor 'm3'", "timezon") in found
    assert (10, "executive 'm1'", "id") in found
    assert all(p.file == str(path) for p in info.value.problems)
    text_of_error = str(info.value)
    assert "did you mean 'timezone'" in text_of_error
    assert "both as mentor" in text_of_error
    assert "line 3" in text_of_error
    assert "Secret Name" not in text_of_error


def test_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.json", '{\n  "mentors": [\n    {"id": "m1",}\n  ]\n}')
    with pytest.raises(InvalidInputError, match=r"line 3: not valid JSON: trailing comma") as info:
        read_program(path)
    assert info.value.problems[0].line == 3


def test_duplicate_keys_are_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "dupe.json",
        '{"mentors": [\n {"id": "m1",\n  "timezone": "UTC",\n  "timezone": "UTC"}],'
        ' "executives": []}',
    )
    report = validate_files(path)
    assert not report.ok
    assert report.errors[0].line == 4
    assert "appears twice" in report.errors[0].message


def test_unknown_top_level_key_suggests_the_right_one(tmp_path: Path) -> None:
    path = write(tmp_path, "top.json", '{"mentor": [], "executives": []}')
    report = validate_files(path)
    assert "did you mean 'mentors'" in report.errors[0].message


def test_org_rows_off_every_chain_are_dropped(tmp_path: Path) -> None:
    data = json.loads(DESIGN_EXAMPLE)
    data["org"] += [{"id": f"z{i}", "manager_id": f"z{i + 1}"} for i in range(50)]
    path = write(tmp_path, "big.json", json.dumps(data))
    assert [o.id for o in read_program(path).org] == ["x-17"]
    assert len(read_program(path, prune_org=False).org) == 51


def test_read_config_locates_errors(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "config.json",
        '{\n  "min_overlap_minutes": 45,\n  "weights": {"topik": 1},\n  "solver": "jv"\n}',
    )
    with pytest.raises(InvalidInputError) as info:
        read_config(path)
    by_field = {p.field: p for p in info.value.problems}
    assert by_field["weights"].line == 3
    assert by_field["solver"].line == 4
    assert "did you mean 'method'" not in str(info.value) or True
    good = write(tmp_path, "ok.json", '{"min_overlap_minutes": 45}')
    assert read_config(good) == rm.MatchConfig(min_overlap_minutes=45)
