"""The catalogue of realistic exports: from the files as systems write them to a program.

Each folder under ``catalogue/`` holds an export byte for byte (written by
``catalogue/make_fixtures.py``) and ``expected.json``: the options to read it
with and either the program it must give or the problems it must report,
with every notice. The tests read each export as a person would, without
code, and check that nothing is misread, lost or shown that should not be:

1. ``validate_files`` gives exactly the expected program, problems and notices;
2. every data row, counted here from the raw bytes, is a person, an org entry
   or a notice of a dropped row at its line;
3. no name or e-mail of the files appears in any message;
4. for exports of unfamiliar systems, ``inspect_files`` drafts a mapping whose
   review names every column and which, once a person has filled it in,
   reads the same program;
5. ``revmatch match`` pairs the good ones, and never an executive with a
   mentor below them in the reporting chain of the export's manager columns.
"""

from __future__ import annotations

import copy
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from revmatch.cli import main
from revmatch.io import ProblemGroup, ValidationReport, inspect_files, validate_files
from revmatch.models import Program

CATALOGUE = Path(__file__).parent / "catalogue"
EXPORTS = sorted(p.parent.name for p in CATALOGUE.glob("*/expected.json"))


def expected_of(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CATALOGUE / name / "expected.json").read_text("utf-8"))
    return data


def inputs(name: str) -> list[Path]:
    return [CATALOGUE / name / file for file in expected_of(name)["inputs"]]


def options(name: str) -> dict[str, Any]:
    given = dict(expected_of(name)["options"])
    if "mapping" in given:
        given["mapping"] = CATALOGUE / name / given["mapping"]
    return given


def read(name: str, **extra: Any) -> ValidationReport:
    paths = inputs(name)
    return validate_files(paths[0] if len(paths) == 1 else paths, **options(name), **extra)


def plain(value: Any) -> Any:
    """A value of the program as JSON would hold it (slots as their canonical text)."""
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def raw_tables(
    name: str,
) -> Iterator[tuple[str, dict[str, Any], list[str], list[tuple[int, list[str]]]]]:
    """(file, how to read it, header, data rows with their spreadsheet row) from the raw bytes."""
    folder = CATALOGUE / name
    for file, how in expected_of(name)["raw"].items():
        if how["codec"] == "xlsx":
            import openpyxl

            book = openpyxl.load_workbook(inputs(name)[0], read_only=True)
            cells = [
                ["" if c is None else str(c) for c in row]
                for row in book[how["sheet"]].iter_rows(values_only=True)
            ]
            book.close()
        else:
            text = (folder / file).read_bytes().decode(how["codec"])
            # Lines a spreadsheet hides (Excel's "sep=;") are no rows.
            text = "".join(text.splitlines(keepends=True)[how["skip_lines"] :])
            cells = list(csv.reader(io.StringIO(text, newline=""), delimiter=how["delimiter"]))
        header = cells[0]
        rows = [
            (number, row)
            for number, row in enumerate(cells, start=1)
            if number > how["header_rows"] and any(c.strip() for c in row)
        ]
        yield file, how, header, rows


def file_of(group: ProblemGroup) -> str:
    return Path(group.first.file or "").name


def group_matches(group: ProblemGroup, want: dict[str, Any]) -> bool:
    first = group.first
    return (
        first.severity == want["severity"]
        and file_of(group) == want["file"]
        and first.field == want["field"]
        and group.where() == want["where"]
        and group.count == want["count"]
        and all(fragment in first.message for fragment in want["fragments"])
    )


def notice_rows(report: ValidationReport) -> list[dict[str, Any]]:
    rows = []
    for p in report.notices:
        row: dict[str, Any] = {
            "file": Path(p.file or "").name,
            "line": p.line,
            "message": p.message,
        }
        if p.field is not None:
            row["field"] = p.field
        if p.record is not None:
            row["record"] = p.record
        rows.append(row)
    return rows


def by_key(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)


def test_the_catalogue_covers_at_least_twelve_exports() -> None:
    assert len(EXPORTS) >= 12


# --- 1. exactly the expected program, problems and notices ----------------------


@pytest.mark.parametrize("name", EXPORTS)
def test_export_reads_as_expected(name: str) -> None:
    want = expected_of(name)
    report = read(name)
    groups = [g for g in report.groups() if g.first.severity != "notice"]
    table = report.to_table()
    assert len(groups) == len(want["problems"]), table
    for expected in want["problems"]:
        assert sum(group_matches(g, expected) for g in groups) == 1, f"{expected}\n{table}"
    assert by_key(notice_rows(report)) == by_key(want["notices"]), table
    program = want["program"]
    if program is None:
        assert report.program is None
        for key, count in want["counts"].items():
            assert report.counts[key] == count, key
        return
    got = report.program
    assert got is not None, table
    assert len(got.mentors) == program["counts"]["mentors"]
    assert len(got.executives) == program["counts"]["executives"]
    assert len(got.org) == program["counts"]["org"]
    if "org_read" in program:
        assert report.counts["org"] == program["org_read"]
    if program["topics"] is not None:
        assert list(got.program.topics) == program["topics"]
    for role in ("mentors", "executives"):
        people = {p.id: p for p in getattr(got, role)}
        for pid, fields in program[role].items():
            for field, value in fields.items():
                assert plain(getattr(people[pid], field)) == value, (role, pid, field)
    org = {entry.id: entry.manager_id for entry in got.org}
    for pid, manager in program.get("org", {}).items():
        assert org[pid] == manager, pid


# --- 2. nothing lost ----------------------------------------------------------------


@pytest.mark.parametrize("name", EXPORTS)
def test_every_row_is_read_or_reported_as_dropped(name: str) -> None:
    want = expected_of(name)
    report = read(name, prune_org=False)
    dropped = {
        (Path(p.file or "").name, p.line)
        for p in report.notices
        if p.message.startswith("row left out")
    }
    rows = 0
    ids: set[str] = set()
    for file, how, header, data in raw_tables(name):
        rows += len(data)
        at = header.index(how["id"])
        shown = file if how["sheet"] is None else f"{inputs(name)[0].name}, sheet {file!r}"
        for line, cells in data:
            if (shown, line) not in dropped:
                ids.add(cells[at].strip())
    assert len(dropped) == sum(1 for n in want["notices"] if n["message"].startswith("row left"))
    if want["program"] is None:
        counts = report.counts
        assert counts["mentors"] + counts["executives"] + want.get("rows_not_read", 0) == rows
        return
    program = report.program
    assert program is not None, report.to_table()
    read_ids = {p.id for p in program.people()} | {o.id for o in program.org}
    assert read_ids == ids
    assert (
        report.counts["mentors"] + report.counts["executives"] + report.counts["org"] + len(dropped)
        == rows
    )


# --- 3. no personal data in messages -----------------------------------------------


@pytest.mark.parametrize("name", EXPORTS)
def test_no_name_or_email_in_any_message(name: str) -> None:
    report = read(name)
    shown = "\n".join([report.to_json(), report.to_table(), *(str(p) for p in report.problems)])
    for value in expected_of(name)["personal"]:
        assert value not in shown


# --- 4. a drafted mapping, filled in, reads the same program ----------------------


def edit(mapping: dict[str, Any], path: list[str], value: Any) -> None:
    *parents, last = path
    node = mapping
    for key in parents:
        node = node.setdefault(key, {})
    if value is None:
        node.pop(last, None)
    else:
        node[last] = value


FOREIGN = [name for name in EXPORTS if "inspect" in expected_of(name)]


@pytest.mark.parametrize("name", FOREIGN)
def test_inspect_drafts_a_mapping_that_reads_the_export(name: str, tmp_path: Path) -> None:
    want = expected_of(name)
    draft = inspect_files(inputs(name))
    reviewed = {item.column for item in draft.review}
    for _, _, header, _ in raw_tables(name):
        for heading in header:
            assert heading in reviewed, heading
    mapping = copy.deepcopy(draft.mapping)
    edits = want["inspect"]["edits"]
    for key in draft.to_fill:
        parts = key.split(".")
        assert any(parts[: len(path)] == path for path, _ in edits), f"{key} is not filled in"
    for path, value in edits:
        edit(mapping, path, value)
    filled = tmp_path / "map.json"
    filled.write_text(json.dumps(mapping, ensure_ascii=False), encoding="utf-8")
    given = {k: v for k, v in options(name).items() if k != "mapping"}
    paths = inputs(name)
    report = validate_files(paths[0] if len(paths) == 1 else paths, mapping=filled, **given)
    assert report.program is not None, report.to_table()
    assert report.program == read(name).program


# --- 5. revmatch match pairs the good exports, never up a reporting chain --------


def managers(name: str) -> dict[str, str]:
    """Each id's manager, from the export's own manager columns."""
    out: dict[str, str] = {}
    for _, how, header, data in raw_tables(name):
        if how["manager"] is None:
            continue
        at, boss = header.index(how["id"]), header.index(how["manager"])
        for _, cells in data:
            if cells[boss].strip():
                out.setdefault(cells[at].strip(), cells[boss].strip())
    return out


def above(chart: dict[str, str], person: str) -> set[str]:
    seen: set[str] = set()
    node = chart.get(person)
    while node is not None and node not in seen:
        seen.add(node)
        node = chart.get(node)
    return seen


def pairs_of(table: str) -> list[tuple[str, str]]:
    lines = table.splitlines()
    start = next(i for i, line in enumerate(lines) if set(line.strip()) == {"-"}) + 1
    out = []
    for line in lines[start:]:
        if not line.strip():
            break
        executive, mentor = line.split()[:2]
        out.append((executive, mentor))
    return out


def cli_arguments(name: str) -> list[str]:
    argv = [str(p) for p in inputs(name)]
    for key, value in options(name).items():
        if key == "strict":
            argv += ["--strict"] if value else []
        else:
            argv += [f"--{key}", str(value)]
    return argv


GOOD = [name for name in EXPORTS if expected_of(name)["match"]]


@pytest.mark.parametrize("name", GOOD)
def test_match_pairs_the_export_and_no_executive_mentored_from_below(name: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["match", *cli_arguments(name)], stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    assert out.getvalue().startswith("executive ")
    pairs = pairs_of(out.getvalue())
    assert pairs
    program = read(name).program
    assert isinstance(program, Program)
    assert {e for e, _ in pairs} <= {e.id for e in program.executives}
    assert {m for _, m in pairs} <= {m.id for m in program.mentors}
    chart = managers(name)
    if expected_of(name)["chains"]:
        # The check has teeth: some executive is above some mentor in the export.
        assert any(e.id in above(chart, m.id) for e in program.executives for m in program.mentors)
    for executive, mentor in pairs:
        assert executive not in above(chart, mentor), (executive, mentor)
    for value in expected_of(name)["personal"]:
        assert value not in err.getvalue()
