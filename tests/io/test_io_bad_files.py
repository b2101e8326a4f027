"""The catalogue of malformed input files: each must be reported with its place.

Every case in ``bad_files/cases.json`` names an input (a directory, file or
list of files under ``bad_files/<case>/``), optionally a mapping file there,
and the problems expected: message fragments, and where given the line,
field, file and severity. No problem may echo the personal values planted
in the fixtures.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from revmatch.exceptions import Problem
from revmatch.io import validate_files

HERE = Path(__file__).parent / "bad_files"
CASES: list[dict[str, Any]] = json.loads((HERE / "cases.json").read_text(encoding="utf-8"))
PERSONAL = ("Secret", "secret@example.com", "Doe", "Utive", "J\u00f6rg")


def _inputs(case: dict[str, Any]) -> Path | list[Path]:
    base: Path = HERE / case["name"]
    target: str | list[str] = case["input"]
    if isinstance(target, list):
        return [base / t for t in target]
    return base / target


def _matches(problem: Problem, want: dict[str, Any]) -> bool:
    text = str(problem)
    return (
        all(fragment in text for fragment in want["fragments"])
        and problem.severity == want["severity"]
        and ("line" not in want or problem.line == want["line"])
        and ("field" not in want or problem.field == want["field"])
        and ("file" not in want or Path(problem.file or "").name == want["file"])
    )


def test_the_catalogue_is_large_enough() -> None:
    assert len(CASES) >= 25
    assert len({c["name"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_file_is_reported_where_it_is(case: dict[str, Any]) -> None:
    mapping = HERE / case["name"] / case["mapping"] if "mapping" in case else None
    report = validate_files(_inputs(case), preset=case.get("preset"), mapping=mapping)
    for want in case["expect"]:
        assert any(_matches(p, want) for p in report.problems), (
            f"expected {want} among:\n{report.to_table()}"
        )
    if any(w["severity"] == "error" for w in case["expect"]):
        assert not report.ok
        assert report.program is None
    dumped = report.to_json() + report.to_table()
    for value in PERSONAL:
        assert value not in dumped
    for problem in report.problems:
        assert problem.file is not None, f"unlocated: {problem}"
