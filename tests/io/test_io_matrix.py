"""Dotted-line managers in files: columns, separators, org rows, located problems."""

from __future__ import annotations

from pathlib import Path

from revmatch.io import pseudonymize, read_program, validate_files, write_program

SLOT = "Mon 12:00-14:00"


def put(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def test_a_dotted_line_column_is_a_list_of_ids_and_keeps_org_rows_on_dotted_chains(
    tmp_path: Path,
) -> None:
    put(
        tmp_path,
        "mentors.csv",
        "id,timezone,availability,manager_id,secondary_manager_ids\n"
        f"m1,UTC,{SLOT},x,p1; e2\nm2,UTC,{SLOT},,\n",
    )
    put(tmp_path, "executives.csv", f"id,timezone,availability\ne1,UTC,{SLOT}\ne2,UTC,{SLOT}\n")
    # p1 is on no solid chain: only m1's dotted line reaches it, and through it e1.
    put(tmp_path, "org.csv", "id,manager_id,secondary_manager_ids\nx,,\np1,,e1\nq,,\n")
    program = read_program(tmp_path)
    assert program.mentors[0].secondary_manager_ids == ("p1", "e2")
    assert [(o.id, o.secondary_manager_ids) for o in program.org] == [
        ("x", ()),
        ("p1", ("e1",)),
    ]
    out = tmp_path / "out"
    write_program(program, out)
    assert read_program(out) == program


def test_successfactors_matrix_managers_are_split_at_the_pipe(tmp_path: Path) -> None:
    header = "USERID,MANAGER,MATRIX_MANAGER,TIMEZONE,availability"
    labels = "User ID,Manager,Matrix Manager,Time Zone,"
    put(
        tmp_path,
        "mentors.csv",
        f"{header}\n{labels}\n100234,NO_MANAGER,000017|100001,UTC,{SLOT}\n",
    )
    put(tmp_path, "executives.csv", f"{header}\n{labels}\n000017,NO_MANAGER,,UTC,{SLOT}\n")
    put(tmp_path, "org.csv", f"{header}\n{labels}\n100001,NO_MANAGER,,UTC,\n")
    program = read_program(tmp_path, preset="successfactors")
    assert program.mentors[0].secondary_manager_ids == ("000017", "100001")


def test_an_unknown_dotted_line_manager_is_located_in_the_file(tmp_path: Path) -> None:
    put(
        tmp_path,
        "mentors.csv",
        f"id,timezone,availability,secondary_manager_ids\nm1,UTC,{SLOT},\nm2,UTC,{SLOT},ghost\n",
    )
    put(tmp_path, "executives.csv", f"id,timezone,availability\ne1,UTC,{SLOT}\n")
    report = validate_files(tmp_path)
    (problem,) = report.errors
    assert (Path(problem.file or "").name, problem.line, problem.record, problem.field) == (
        "mentors.csv",
        3,
        "mentor 'm2'",
        "secondary_manager_ids",
    )
    assert "'ghost'" in problem.message


def test_a_person_listing_themself_as_dotted_manager_is_located(tmp_path: Path) -> None:
    put(
        tmp_path,
        "program.json",
        '{"program": {"timezone": "UTC"},\n'
        ' "mentors": [{"id": "m1", "availability": ["Mon 12-14"],\n'
        '              "secondary_manager_ids": ["m1"]}],\n'
        ' "executives": [{"id": "e1", "availability": ["Mon 12-14"]}]}\n',
    )
    report = validate_files(tmp_path / "program.json")
    (problem,) = report.errors
    assert problem.record == "mentor 'm1'"
    assert problem.field is not None
    assert problem.field.startswith("secondary_manager_ids")
    assert problem.line in (2, 3)
    assert "lists itself" in problem.message


def test_dotted_line_managers_are_pseudonymised() -> None:
    shared, original = pseudonymize(
        {"mentors": [{"id": "m1", "secondary_manager_ids": ["x9"]}]}, "k"
    )
    (mentor,) = shared["mentors"]
    (alias,) = mentor["secondary_manager_ids"]
    assert alias != "x9"
    assert original[alias] == "x9"
