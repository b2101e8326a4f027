"""Personal data stays where it belongs: not in logs, errors, audit records or shared files.

Names, e-mails, departments, locations and group labels in these tests hold
a sentinel (``Qxzv``). Log records, validation messages, exceptions and the
audit record may carry ids and counts, never a sentinel; results shared with
``--pseudonymize`` carry no original id at all (the ids here all start with
``QX``, which no pseudonym, keyword or number can contain).
"""

from __future__ import annotations

import ast
import importlib
import io
import json
import logging
import os
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

import revmatch as rm
from revmatch.availability import parse_slot
from revmatch.cli import SECRET_VARIABLE, main
from revmatch.io import (
    program_from_pandas,
    pseudonymize,
    read_key_file,
    validate_files,
    write_program,
)
from revmatch.io._pseudonym import PERSONAL_FIELDS
from revmatch.lifecycle import rematch, remove_people
from revmatch.models import collect_problems
from tests.strategies.programs import secret_people

SENTINEL = "qxzv"
SRC = Path(rm.__file__).parent

# ----------------------------------------------------------------------------- programs

CORRUPTIONS: dict[str, Any] = {
    "capacity": -1,
    "grade": 2.5,
    "timezone": "Mars/Olympus",
    "availability": ["Mon 14:00-12:00"],
    "expertise": {"blockchain": 9},
    "languages": "de",
    "blocked": "QXe0",
    "mode": "teleport",
    "time_zone": "UTC",
    "name": ["Qxzv as a list"],
    "email": {"address": "qxzv@example.org"},
}


def _no_sentinel(*texts: str) -> None:
    for text in texts:
        assert SENTINEL not in text.lower(), text


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# ----------------------------------------------------------------------------- logging


def test_library_logger_is_silent_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    logger = logging.getLogger("revmatch")
    assert any(isinstance(h, logging.NullHandler) for h in logger.handlers)
    assert all(isinstance(h, logging.NullHandler) for h in logger.handlers)
    rm.match(rm.datasets.make_program(n_executives=4, n_mentors=5, seed=1))
    assert capsys.readouterr().err == ""


@given(data=secret_people())
def test_log_records_and_audit_hold_counts_and_ids_never_names(data: dict[str, Any]) -> None:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("revmatch")
    handler, level = Keep(logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        program = rm.Program(**data)
        result = rm.match(program)
        if program.mentors:
            rematch(result, remove_people(program, [program.mentors[0].id]))
        rm.suggest(program, top_n=2)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert records  # the match is logged: counts, ids, timings
    # The audit record and metrics, kept for review, are free of personal values too.
    # Fairness figures are keyed by the program's own group labels (department,
    # location, groups, grade), never by anything else a person's record holds.
    metrics = dict(result.metrics)
    fairness = metrics.pop("fairness", {})
    _no_sentinel(json.dumps(result.audit, default=str), json.dumps(metrics, default=str))
    labels = {
        str(value)
        for person in program.people()
        for value in (person.department, person.location, person.grade, *person.groups)
    }
    for by_attribute in fairness.get("executives", {}), fairness.get("mentors", {}):
        for groups in by_attribute.values():
            assert set(groups) <= labels, set(groups) - labels
    ids = {p.id for p in program.people()}
    for record in records:
        _no_sentinel(record.getMessage())
        for arg in record.args if isinstance(record.args, tuple) else ():
            if isinstance(arg, str):
                # Words of the library (methods, roles, reason codes) or ids; never free text.
                assert arg in ids or arg.replace(",", "").replace("_", "").isalpha(), arg


def test_caplog_sees_the_match_summary_without_names(caplog: pytest.LogCaptureFixture) -> None:
    program = rm.Program(
        mentors=[{"id": "QXm1", "name": "Hanna Qxzv", "timezone": "UTC"}],
        executives=[{"id": "QXe1", "email": "qxzv@example.org", "timezone": "UTC"}],
    )
    with caplog.at_level(logging.DEBUG, logger="revmatch"):
        rm.match(program)
    assert "matched 0 of 1 executives" in caplog.text
    assert "QXe1" in caplog.text  # unmatched people are logged by id
    _no_sentinel(caplog.text)


# ----------------------------------------------------------------------------- validation messages


@given(
    data=secret_people(n_exec=3, n_mentor=3, min_mentors=1),
    field=st.sampled_from(sorted(CORRUPTIONS)),
)
def test_errors_name_records_by_id_and_never_echo_personal_values(
    data: dict[str, Any], field: str
) -> None:
    victim = data["mentors"][0]
    victim[field] = CORRUPTIONS[field]
    with pytest.raises(rm.InvalidInputError) as info:
        rm.Program(**data)
    assert any(victim["id"] in (p.record or "") for p in info.value.errors), info.value
    program, problems = collect_problems(data)
    assert program is None
    _no_sentinel(str(info.value), *map(str, problems), json.dumps([p.to_dict() for p in problems]))


def test_file_readers_and_cli_never_echo_personal_values(tmp_path: Path) -> None:
    data = {
        "mentors": [
            {
                "id": "QXm1",
                "name": "Hanna Qxzv",
                "email": "hanna.qxzv@example.org",
                "department": "Qxzv Ops",
                "timezone": "Europe/Berlin",
                "capacity": 2,
                "expertise": {"digital": 4},
            }
        ],
        "executives": [
            {
                "id": "QXe1",
                "name": "Dr. Qxzv",
                "email": "qxzv@example.org",
                "location": "Qxzv Tower",
                "groups": ["qxzv-circle"],
                "timezone": "Europe/Berlin",
            }
        ],
    }
    program = rm.Program(**data)
    folder = tmp_path / "csv"
    write_program(program, folder)
    write_program(program, tmp_path / "people.json")
    # Break one cell in each file, away from the personal columns.
    mentors = (folder / "mentors.csv").read_text(encoding="utf-8-sig")
    (folder / "mentors.csv").write_text(mentors.replace("Europe/Berlin", "Mars/Olympus"))
    text = (
        (tmp_path / "people.json")
        .read_text(encoding="utf-8")
        .replace('"capacity": 2', '"capacity": -2')
    )
    (tmp_path / "people.json").write_text(text, encoding="utf-8")
    for target in (folder, tmp_path / "people.json"):
        report = validate_files(target)
        assert not report.ok
        assert any("QXm1" in (p.record or "") for p in report.errors)
        _no_sentinel(report.to_json(), report.to_table())
        for argv in (["validate", str(target), "--format", "json"], ["match", str(target)]):
            code, out, err = _cli(*argv)
            assert code == 1
            _no_sentinel(out, err)
    frame = pd.DataFrame([{"id": "QXm1", "name": "Hanna Qxzv", "timezone": "UTC", "capacity": -1}])
    with pytest.raises(rm.InvalidInputError) as info:
        program_from_pandas(mentors=frame, executives=frame.assign(id="QXe1", capacity=None))
    _no_sentinel(str(info.value))


def test_over_long_values_at_fault_are_not_echoed() -> None:
    # A 10 kB document pasted into an id cell is personal free text, not an id.
    pasted = "Qxzv " * 2000
    with pytest.raises(rm.InvalidInputError) as info:
        rm.Program(mentors=[{"id": pasted, "timezone": "UTC"}])
    _no_sentinel(str(info.value))
    assert "field 'id'" in str(info.value)


# ----------------------------------------------------------------------------- pydantic paths


def _revmatch_modules() -> Iterator[Any]:
    for info in pkgutil.walk_packages([str(SRC)], prefix="revmatch."):
        if not info.name.endswith("__main__"):  # importing it runs the command line
            yield importlib.import_module(info.name)


def test_every_pydantic_model_hides_input_in_errors() -> None:
    models = {
        obj
        for module in _revmatch_modules()
        for obj in vars(module).values()
        if isinstance(obj, type)
        and issubclass(obj, BaseModel)
        and obj.__module__.startswith("revmatch")
    }
    assert {rm.Mentor, rm.Program, rm.MatchConfig} <= models
    assert [m.__name__ for m in models if not m.model_config.get("hide_input_in_errors")] == []


def test_no_type_adapter_in_the_library_echoes_input() -> None:
    # pydantic's TypeAdapter takes its own config: hide_input_in_errors must be passed
    # explicitly wherever one is built.
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node, "func", None)
            called = getattr(name, "id", None) or getattr(name, "attr", None)
            if isinstance(node, ast.Call) and called == "TypeAdapter":
                assert "hide_input_in_errors" in ast.unparse(node), f"{path}:{node.lineno}"


def test_pydantic_errors_of_revmatch_types_hide_personal_values() -> None:
    record = {"name": "Hanna Qxzv", "email": "qxzv@example.org", "capacity": -1}
    for validate in (
        lambda: TypeAdapter(rm.Mentor).validate_python(record),
        lambda: rm.Mentor.model_validate_strings({**record, "capacity": "x"}),
        lambda: rm.Mentor.model_validate_json(json.dumps(record)),
        lambda: parse_slot({"day": "Mon", "start": "12:00", "end": "13:00", "note": "Qxzv"}),
        lambda: parse_slot({"day": "Mon", "start": "14:00", "end": "13:00", "note": "Qxzv"}),
    ):
        with pytest.raises((ValidationError, rm.InvalidInputError)) as info:
            validate()
        _no_sentinel(str(info.value))
    # A caller's own adapter around revmatch types needs the setting too (see README).
    adapter = TypeAdapter(list[rm.Mentor], config=ConfigDict(hide_input_in_errors=True))
    with pytest.raises(ValidationError) as info:
        adapter.validate_python({"mentors": [record]})
    _no_sentinel(str(info.value))


# ----------------------------------------------------------------------------- pseudonyms


@given(data=secret_people(), fmt=st.sampled_from(["json", "csv", "jsonl"]))
def test_pseudonymized_cli_output_holds_no_original_id(
    data: dict[str, Any], fmt: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("shared")
    path, keys = folder / "people.json", folder / "keys.json"
    write_program(rm.Program(**data), path)
    with mock.patch.dict(os.environ, {SECRET_VARIABLE: "k3y"}):
        code, out, err = _cli(
            "match", str(path), "--format", fmt, "--pseudonymize", "--key-file", str(keys)
        )
    assert code == 0, err
    assert "QX" not in out  # every id starts with QX
    if fmt == "json":
        # Fairness figures are keyed by group labels (department, location...),
        # which are not personal and are kept; everything else has no free text.
        document = json.loads(out)
        document.get("metrics", {}).pop("fairness", None)
        _no_sentinel(json.dumps(document))
    else:
        _no_sentinel(out)
    back = read_key_file(keys)
    ids = {p["id"] for p in data["mentors"] + data["executives"]}
    assert ids <= set(back.values())
    assert all(pseudonym in out for pseudonym, pid in back.items() if pid in ids)


def test_pseudonymized_workbook_holds_no_original_id(tmp_path: Path) -> None:
    import openpyxl

    program = rm.datasets.make_program(n_executives=6, n_mentors=5, seed=2)
    source = tmp_path / "people.json"
    write_program(program, source)
    target = tmp_path / "shared.xlsx"
    secret = tmp_path / "secret.txt"
    secret.write_text("k3y", encoding="utf-8")
    code, _, err = _cli(
        "match",
        str(source),
        "--format",
        "xlsx",
        "-o",
        str(target),
        "--pseudonymize",
        "--secret-file",
        str(secret),
    )
    assert code == 0, err
    book = openpyxl.load_workbook(target, read_only=True)
    cells = " ".join(
        str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row
    )
    book.close()
    ids = {p.id for p in program.people()} | {o.id for o in program.org}
    assert not [pid for pid in ids if pid in cells]
    assert not [p.name for p in program.people() if p.name and p.name in cells]


@given(
    ids=st.lists(
        st.text(st.sampled_from("QX0123456789-._"), min_size=1, max_size=6).map("QX".__add__),
        min_size=1,
        max_size=6,
        unique=True,
    ),
    glue=st.sampled_from([" ", ". ", ", ", "'", "(", ")", ": ", "\n", " -> ", "/", ";"]),
)
def test_ids_in_free_text_are_replaced_whatever_surrounds_them(ids: list[str], glue: str) -> None:
    # Hints and labels name ids inside sentences ("capacity of m-07 1 -> 2"), also at
    # their end ("taken by m-07.").
    text = "note " + glue.join(ids) + "."
    shared, back = pseudonymize([{"hint": text, "mentor_id": ids[0]}], "k3y", extra_ids=ids)
    assert "QX" not in json.dumps(shared)
    assert set(back.values()) == set(ids)


def test_personal_fields_are_emptied_in_shared_records() -> None:
    assert {"name", "email", "executive_name", "mentor_name"} <= PERSONAL_FIELDS
    program = rm.Program(
        mentors=[{"id": "QXm1", "name": "Hanna Qxzv", "timezone": "UTC"}],
        executives=[{"id": "QXe1", "name": "Dr. Qxzv", "timezone": "UTC"}],
    )
    shared, _ = pseudonymize(rm.match(program).to_records(), "k3y")
    _no_sentinel(json.dumps(shared))
