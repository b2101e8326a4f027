"""The bad-input catalogue: every malformed or odd input has one expected outcome.

``cases.json`` is the table, one case per line:

- ``source`` says where the input comes from: ``file`` (the fixture files of
  ``files/<name>/``: one file, or the directory when it holds several),
  ``config`` (``files/<name>/config.json`` read with the valid program
  ``files/_program/people.json``), ``xlsx`` (a workbook built at test time
  from the case's ``sheets``; ``{"$date": ...}`` and ``{"$time": ...}``
  cells become dates and times), ``frame`` (DataFrames from ``columns`` and
  ``rows``), ``python`` (a call of the public API: ``call`` with ``args``),
  or ``generated`` (inputs too large, too deep or too binary to commit,
  written to ``tmp_path`` by the named ``generator``).
- ``expect`` is the outcome: ``error`` (an :class:`InvalidInputError`, or a
  validation report with errors, holding a problem that matches ``problem``
  and naming its place; the CLI exits 1), ``match_error`` (the input is
  valid but ``match`` refuses it; ``revmatch validate`` exits 0 and
  ``revmatch match`` 1) or ``ok`` (legal but odd input gives a valid,
  explained result, checked against ``result``).
- ``problem`` gives message ``fragments`` (the expectation, in words) and,
  where known, the ``field``, ``line``, ``record`` and ``file``.
- ``xfail`` marks a known library defect, described there, and ``raises``
  the exception it ends in today; the case fails loudly (strict) once the
  defect is fixed, so the mark is removed then.

Whatever the outcome, the CLI never prints a traceback, and no message
echoes the names and e-mails planted in the inputs (they all contain
``Qxzv``). The two 50 MB inputs also bound the peak memory of validation
(traced with :mod:`tracemalloc`) by a multiple of the file size.
"""

from __future__ import annotations

import builtins
import io
import json
import tracemalloc
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import revmatch as rm
from revmatch.cli import main
from revmatch.exceptions import Problem
from revmatch.io import ValidationReport, program_from_pandas, read_config, validate_files
from revmatch.lifecycle import rematch

HERE = Path(__file__).parent
FILES = HERE / "files"
PROGRAM = FILES / "_program" / "people.json"
CASES: list[dict[str, Any]] = json.loads((HERE / "cases.json").read_text(encoding="utf-8"))
SENTINEL = "qxzv"  # in every name and e-mail of the inputs, compared case-insensitively


@dataclass(frozen=True)
class Subject:
    """What a case hands to the checks: a program file or directory, a config, or a call."""

    kind: str  # "file", "config" or "call"
    path: Path | None = None
    call: Callable[[], Any] | None = None


# ----------------------------------------------------------------------------- inputs


def _fixture(case: dict[str, Any]) -> Path:
    folder = FILES / case["name"]
    files = sorted(folder.iterdir())
    only: Path = files[0]
    return only if len(files) == 1 else folder


def _cell(value: Any) -> Any:
    if isinstance(value, dict) and "$date" in value:
        return date.fromisoformat(value["$date"])
    if isinstance(value, dict) and "$time" in value:
        return time.fromisoformat(value["$time"])
    return value


def _write_workbook(sheets: dict[str, list[list[Any]]], path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([_cell(v) for v in row])
    book.save(path)
    return path


def _frames(spec: dict[str, dict[str, Any]]) -> dict[str, pd.DataFrame]:
    return {
        kind: pd.DataFrame(
            [[_cell(v) for v in row] for row in frame["rows"]], columns=frame["columns"]
        )
        for kind, frame in spec.items()
    }


def _person(pid: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": pid,
        "name": "Hanna Qxzvname",
        "email": "hanna.qxzv@example.org",
        "timezone": "UTC",
        "availability": ["Mon 12:00-14:00"],
        **extra,
    }


def _python_call(case: dict[str, Any]) -> Callable[[], Any]:
    args: dict[str, Any] = case["args"]
    call = case["call"]
    if call == "Program":
        return lambda: rm.Program(**args)
    if call == "MatchConfig":
        return lambda: rm.MatchConfig(**args)
    if call == "match":
        return lambda: rm.match(args["program"], args.get("config"))
    if call == "solve":
        return lambda: rm.solve(**args)
    if call == "rematch":

        def again() -> rm.MatchResult:
            program = rm.Program(**args["program"])
            return rematch(rm.match(program), program, max_changes=args["max_changes"])

        return again
    raise AssertionError(f"unknown call {call!r} in cases.json")


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _generated(case: dict[str, Any], tmp: Path) -> Subject:
    """Write (or build) the input of a ``generated`` case."""
    params: dict[str, Any] = case["params"]
    kind = case["generator"]
    people = tmp / "people.json"
    if kind == "deep_json":
        people.write_text(
            '{"mentors": [{"id": "m-01", "timezone": "UTC", "name": '
            + _nested(params["depth"])
            + '}], "executives": []}'
        )
        return Subject("file", people)
    if kind == "deep_jsonl":
        depth = params["depth"]
        path = tmp / "people.jsonl"
        path.write_text(
            '{"role": "mentor", "id": "m-01", "timezone": "UTC", "name": '
            + '{"a": ' * depth
            + "1"
            + "}" * depth
            + "}\n"
        )
        return Subject("file", path)
    if kind == "deep_config":
        path = tmp / "config.json"
        path.write_text('{"weights": ' + _nested(params["depth"]) + "}")
        return Subject("config", path)
    if kind == "deep_model_json":
        text = '{"mentors": ' + _nested(params["depth"]) + "}"
        return Subject("call", call=lambda: rm.Program.model_validate_json(text))
    if kind == "long_number":
        people.write_text(
            '{"mentors": [{"id": "m-01", "timezone": "UTC", "capacity": 1'
            + "0" * params["digits"]
            + '}], "executives": []}'
        )
        return Subject("file", people)
    if kind == "giant_csv_cell":
        (tmp / "mentors.csv").write_text("id,timezone\nm-01,UTC\n")
        (tmp / "executives.csv").write_text(
            "id,name,timezone\ne-01," + "Qxzv" * (params["chars"] // 4) + ",UTC\ne-02,x,UTC\n"
        )
        return Subject("file", tmp)
    if kind == "giant_name":
        name = "Qxzv" * (params["chars"] // 4)
        return Subject(
            "call",
            call=lambda: rm.match(
                rm.Program(mentors=[_person("m-01")], executives=[_person("e-01", name=name)])
            ),
        )
    if kind == "giant_id":
        pid = "m" * params["chars"]
        return Subject("call", call=lambda: rm.Program(mentors=[_person(pid)]))
    if kind == "org_cycle":
        n = params["length"]
        org = [{"id": f"x-{i}", "manager_id": f"x-{(i + 1) % n}"} for i in range(n)]
        return Subject(
            "call",
            call=lambda: rm.Program(
                mentors=[_person("m-01", manager_id="x-0")],
                executives=[_person("e-01")],
                org=org,
            ),
        )
    if kind == "org_chain":
        n = params["length"]
        chain = [{"id": f"x-{i}", "manager_id": f"x-{i + 1}"} for i in range(n - 1)]
        chain.append({"id": f"x-{n - 1}", "manager_id": "e-01"})
        return Subject(
            "call",
            call=lambda: rm.match(
                rm.Program(
                    mentors=[_person("m-01", manager_id="x-0")],
                    executives=[_person("e-01")],
                    org=chain,
                )
            ),
        )
    if kind == "damaged_workbook":
        header = ["id", "name", "timezone", "availability"]
        good = _write_workbook(
            {
                "mentors": [header, ["m-01", "Hanna Qxzvname", "UTC", "Mon 12:00-14:00"]],
                "executives": [header, ["e-01", "Dr. Qxzv Weber", "UTC", "Mon 12:00-14:00"]],
            },
            tmp / "good.xlsx",
        )
        damaged = tmp / "people.xlsx"
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(damaged, "w") as out:
            for item in src.infolist():
                data = src.read(item.filename)
                if item.filename.endswith("sheet1.xml"):
                    data = data[: len(data) // 2]  # the XML of the mentors sheet ends mid-tag
                out.writestr(item, data)
        return Subject("file", damaged)
    if kind == "big_free_text":
        size = params["megabytes"] * 2**20
        # A name of 50 MB (a document pasted into a cell, say): legal, odd, and large.
        head = '{"mentors": [{"id": "m-01", "timezone": "UTC", '
        head += '"availability": ["Mon 12:00-14:00"]}], '
        head += '"executives": [{"id": "e-01", "timezone": "UTC", '
        head += '"availability": ["Mon 12:00-14:00"], "name": "Qxzv '
        tail = '"}]}\n'
        people.write_text(head + "x" * (size - len(head) - len(tail)) + tail)
        return Subject("file", people)
    if kind == "random_bytes":
        people.write_bytes(np.random.default_rng(42).bytes(params["megabytes"] * 2**20))
        return Subject("file", people)
    raise AssertionError(f"unknown generator {kind!r} in cases.json")


def _subject(case: dict[str, Any], tmp: Path) -> Subject:
    source = case["source"]
    if source == "file":
        return Subject("file", _fixture(case))
    if source == "config":
        return Subject("config", FILES / case["name"] / "config.json")
    if source == "xlsx":
        return Subject("file", _write_workbook(case["sheets"], tmp / "people.xlsx"))
    if source == "frame":
        frames = _frames(case["frames"])
        assert set(frames) <= {"mentors", "executives"}, "frames of other kinds are not wired"
        return Subject(
            "call",
            call=lambda: program_from_pandas(frames.get("mentors"), frames.get("executives")),
        )
    if source == "python":
        return Subject("call", call=_python_call(case))
    if source == "generated":
        return _generated(case, tmp)
    raise AssertionError(f"unknown source {source!r} in cases.json")


# ----------------------------------------------------------------------------- checks


def _matches(problem: Problem, want: dict[str, Any]) -> bool:
    text = str(problem)
    return (
        problem.severity == "error"
        and all(fragment in text for fragment in want["fragments"])
        and ("field" not in want or problem.field == want["field"])
        and ("line" not in want or problem.line == want["line"])
        and ("record" not in want or problem.record == want["record"])
        and ("file" not in want or want["file"] in (problem.file or ""))
    )


def _assert_reported(problems: list[Problem], case: dict[str, Any], *, in_file: bool) -> None:
    want = case["problem"]
    shown = "\n".join(str(p) for p in problems)
    assert any(_matches(p, want) for p in problems), f"expected {want} among:\n{shown}"
    if in_file:
        # Every error about a file names it (and the table pins line, record and field).
        assert all(p.file for p in problems if p.severity == "error"), shown
    assert SENTINEL not in shown.lower()


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    text = out.getvalue() + err.getvalue()
    assert "Traceback" not in text
    assert SENTINEL not in err.getvalue().lower()
    return code, out.getvalue(), err.getvalue()


def _assert_cli_error(*argv: str) -> None:
    """Exit 1 with located messages: ``validate`` reports on stdout, the rest on stderr."""
    code, out, err = _cli(*argv)
    assert code == 1, err
    assert SENTINEL not in out.lower()
    if argv[0] == "validate":
        assert out.splitlines()[0].split(",")[0].endswith(("error", "errors")), out
        return
    assert out == ""
    assert err.startswith(("error:", "warning:", "note:")), err


def _assert_result(result: Any, case: dict[str, Any]) -> None:
    """Check an ``ok`` outcome: nothing lost, every unmatched person explained."""
    want: dict[str, Any] = case.get("result", {})
    if isinstance(result, rm.Assignment):
        assert result.rows.size == want["pairs"]
        return
    if isinstance(result, rm.Program):
        if "ids" in want:
            assert [m.id for m in result.mentors] == want["ids"]
        result = rm.match(result)
    assert isinstance(result, rm.MatchResult)
    program = result.program
    if program is not None:
        seen = Counter([p.executive_id for p in result.pairs] + [p.mentor_id for p in result.pairs])
        seen.update(u.id for u in result.unmatched)
        assert all(seen[e.id] == 1 for e in program.executives)
        assert all(seen[m.id] >= 1 for m in program.mentors)  # capacity may exceed 1
    assert all(u.reason_codes for u in result.unmatched)
    assert len(result.pairs) == want["pairs"]
    reasons = {u.id: set(u.reason_codes) for u in result.unmatched}
    for pid, codes in want.get("reasons", {}).items():
        assert set(codes) <= reasons[pid], (pid, reasons.get(pid))


def _validate(path: Path, params: dict[str, Any]) -> ValidationReport:
    """Validate a program, bounding the peak memory when the case asks for it."""
    factor = params.get("peak_factor")
    if factor is None:
        return validate_files(path)
    tracemalloc.start()
    try:
        report = validate_files(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    size = path.stat().st_size
    assert peak <= factor * size, f"peak {peak / 2**20:.0f} MB for a {size / 2**20:.0f} MB file"
    return report


def _check_file(case: dict[str, Any], path: Path) -> None:
    expect, params = case["expect"], case.get("params", {})
    report = _validate(path, params)
    if expect == "error":
        assert not report.ok
        assert report.program is None
        _assert_reported(list(report.problems), case, in_file=True)
        assert SENTINEL not in (report.to_json() + report.to_table()).lower()
        _assert_cli_error("validate", str(path))
        if "megabytes" not in params:
            _assert_cli_error("match", str(path))
        return
    assert report.ok, report.to_table()
    assert report.program is not None
    code, _, err = _cli("validate", str(path))
    assert code == 0, err
    if expect == "match_error":
        with pytest.raises(rm.InvalidInputError) as info:
            rm.match(report.program)
        _assert_reported(info.value.problems, case, in_file=False)
        _assert_cli_error("match", str(path))
        return
    _assert_result(rm.match(report.program), case)
    if "megabytes" not in params:
        code, _, err = _cli("match", str(path))
        assert code == 0, err


def _check_config(case: dict[str, Any], path: Path) -> None:
    if case["expect"] == "error":
        with pytest.raises(rm.InvalidInputError) as info:
            read_config(path)
        _assert_reported(info.value.problems, case, in_file=True)
    else:
        config = read_config(path)
        with pytest.raises(rm.InvalidInputError) as info:
            rm.match(rm.read_program(PROGRAM), config)
        _assert_reported(info.value.problems, case, in_file=False)
    _assert_cli_error("match", str(PROGRAM), "--config", str(path))


def _check_call(case: dict[str, Any], call: Callable[[], Any]) -> None:
    if case["expect"] == "error":
        with pytest.raises(rm.InvalidInputError) as info:
            call()
        _assert_reported(info.value.problems, case, in_file=False)
        assert SENTINEL not in str(info.value).lower()
        return
    _assert_result(call(), case)


def _params() -> list[Any]:
    out = []
    for case in CASES:
        marks = []
        if "xfail" in case:
            # The known defect, with the exception it raises today; arithmetic
            # warnings on the way there are part of it.
            raises = getattr(builtins, case["raises"])
            marks = [
                pytest.mark.xfail(strict=True, raises=raises, reason=case["xfail"]),
                pytest.mark.filterwarnings("ignore::RuntimeWarning"),
            ]
        out.append(pytest.param(case, id=case["name"], marks=marks))
    return out


@pytest.mark.parametrize("case", _params())
def test_bad_input_has_its_expected_outcome(case: dict[str, Any], tmp_path: Path) -> None:
    subject = _subject(case, tmp_path)
    if subject.kind == "file":
        assert subject.path is not None
        _check_file(case, subject.path)
    elif subject.kind == "config":
        assert subject.path is not None
        _check_config(case, subject.path)
    else:
        assert subject.call is not None
        _check_call(case, subject.call)


# ----------------------------------------------------------------------------- the table


def test_the_catalogue_is_large_and_covers_every_source() -> None:
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names))
    assert len(CASES) >= 60
    sources = Counter(c["source"] for c in CASES)
    assert set(sources) == {"file", "config", "xlsx", "frame", "python", "generated"}
    assert {c["expect"] for c in CASES} == {"error", "match_error", "ok"}


def test_every_fixture_folder_belongs_to_a_case() -> None:
    on_disk = {p.name for p in FILES.iterdir() if not p.name.startswith("_")}
    in_table = {c["name"] for c in CASES if c["source"] in ("file", "config")}
    assert on_disk == in_table


def test_fixtures_plant_personal_values_that_must_not_leak() -> None:
    # The absence checks above mean something only if the sentinel is in the inputs.
    planted = [
        p for p in FILES.rglob("*") if p.is_file() and SENTINEL.encode() in p.read_bytes().lower()
    ]
    assert len(planted) >= 60
