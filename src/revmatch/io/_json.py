"""Canonical JSON and JSON Lines: reading with line numbers, writing."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from revmatch.exceptions import InvalidInputError, Problem
from revmatch.models import MatchConfig, Program

from ._jsonpos import parse_located
from ._text import decode_text, display_name
from ._validate import LIST_KEYS, RECORD_KEYS, Origin, RawProgram, closest

__all__ = [
    "program_records",
    "raw_from_json",
    "raw_from_jsonl",
    "read_config",
    "write_json",
    "write_jsonl",
]

_TOP_KEYS = ("program", *LIST_KEYS)
_JSONL_ROLES = {
    "program": "program",
    "mentor": "mentors",
    "executive": "executives",
    "org": "org",
    "history": "history",
    "pinned": "pinned",
    "priority": "priority",
}


def _unknown_key(key: str, known: tuple[str, ...] | list[str], file: str, line: int) -> Problem:
    guess = closest(key, list(known))
    hint = f" (did you mean {guess!r}?)" if guess else ""
    return Problem(
        f"unknown key {key!r}{hint}",
        file=file,
        line=line,
        field=key,
        expected="one of " + ", ".join(known),
    )


def raw_from_json(path: str | os.PathLike[str]) -> RawProgram:
    """Read a canonical JSON program file into located raw records.

    Parameters
    ----------
    path : str or path-like
        A ``.json`` file in the canonical format (``docs/reference/input.md``).

    Returns
    -------
    RawProgram

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    InvalidInputError
        If the file is not UTF-8 or not JSON (with line and column).
    """
    file = display_name(path)
    text = decode_text(Path(path).read_bytes(), file)
    data, pos, problems = parse_located(text, file)
    raw = RawProgram(problems=problems)
    if not isinstance(data, dict):
        raw.problems.append(
            Problem(
                "the file must hold one JSON object",
                file=file,
                line=pos.line,
                expected='{"program": {...}, "mentors": [...], "executives": [...], "org": [...]}',
            )
        )
        return raw
    for key, value in data.items():
        key_line = pos.keys[key]
        if key not in _TOP_KEYS:
            raw.problems.append(_unknown_key(key, _TOP_KEYS, file, key_line))
            continue
        child = pos.child(key)
        if key == "program":
            if value is not None and not isinstance(value, dict):
                raw.problems.append(
                    Problem("expected an object", file=file, line=key_line, field=key)
                )
                continue
            raw.info = value
            raw.info_origin = Origin(
                file, key_line, child.keys if child is not None else None, hint="program"
            )
            continue
        if value is None:
            continue
        if not isinstance(value, list):
            raw.problems.append(
                Problem(
                    "expected a list of records",
                    file=file,
                    line=key_line,
                    field=key,
                    expected=f'"{key}": ["e-01", ...]'
                    if key == "priority"
                    else f'"{key}": [{{...}}, ...]',
                )
            )
            continue
        places = child.children if child is not None and isinstance(child.children, list) else []
        raw.records[key].extend(value)
        raw.origins[key].extend(
            Origin(file, at.line, at.keys) if at is not None else Origin(file, key_line)
            for at in places
        )
    return raw


def raw_from_jsonl(path: str | os.PathLike[str]) -> RawProgram:
    """Read a JSON Lines program: one record per line with a ``"role"`` key.

    ``role`` is one of ``mentor``, ``executive``, ``org``, ``history``,
    ``pinned``, ``priority`` (with ``executive_id``) or ``program`` (the
    program settings, at most once). Blank
    lines are skipped.

    Parameters
    ----------
    path : str or path-like
        A ``.jsonl`` file.

    Returns
    -------
    RawProgram

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    InvalidInputError
        If the file is not UTF-8.
    """
    file = display_name(path)
    text = decode_text(Path(path).read_bytes(), file)
    raw = RawProgram()
    roles = tuple(_JSONL_ROLES)
    info_line: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record, _, dupes = parse_located(line, file)
        except InvalidInputError as exc:
            raw.problems.extend(
                Problem(p.message, file=file, line=number, expected=p.expected)
                for p in exc.problems
            )
            continue
        raw.problems.extend(
            Problem(p.message, file=file, line=number, field=p.field, expected=p.expected)
            for p in dupes
        )
        if not isinstance(record, dict):
            raw.problems.append(
                Problem(
                    "each line must hold one JSON object",
                    file=file,
                    line=number,
                    expected='{"role": "mentor", "id": ...}',
                )
            )
            continue
        role = record.pop("role", None)
        key = _JSONL_ROLES.get(role) if isinstance(role, str) else None
        if key is None:
            guess = closest(role, list(roles)) if isinstance(role, str) else None
            hint = f" (did you mean {guess!r}?)" if guess else ""
            raw.problems.append(
                Problem(
                    "missing or unknown role" + hint,
                    file=file,
                    line=number,
                    field="role",
                    expected="one of " + ", ".join(roles),
                )
            )
            continue
        if key == "program":
            if info_line is not None:
                raw.problems.append(
                    Problem(
                        f"program settings given twice (first on line {info_line})",
                        file=file,
                        line=number,
                        expected="at most one line with role 'program'",
                    )
                )
                continue
            info_line = number
            raw.info = record
            raw.info_origin = Origin(file, number, hint="program")
            continue
        origin = Origin(file, number, hint=f"{key}[{len(raw.records[key])}]")
        if key == "priority":
            extra = [k for k in record if k != "executive_id"]
            if extra:
                raw.problems.append(_unknown_key(extra[0], ["executive_id"], file, number))
            raw.add(key, record.get("executive_id"), origin)
            continue
        raw.add(key, record, origin)
    return raw


def _compact(record: Mapping[str, Any]) -> dict[str, Any]:
    # Absent and empty values are the defaults; leaving them out keeps the file
    # readable for the people who edit it.
    return {k: v for k, v in record.items() if v is not None and v != [] and v != {}}


def program_records(program: Program) -> dict[str, Any]:
    """Return the canonical JSON data of a program, without empty values.

    Parameters
    ----------
    program : Program

    Returns
    -------
    dict
        ``{"program": {...}, "mentors": [...], ...}``; lists that are empty
        and values that are None or empty are left out.
    """
    data = program.to_dict()
    out: dict[str, Any] = {"program": _compact(data["program"])}
    for key in RECORD_KEYS:
        if data[key]:
            out[key] = [_compact(r) for r in data[key]]
    if data.get("priority"):
        out["priority"] = list(data["priority"])
    return out


def write_json(program: Program, path: str | os.PathLike[str]) -> None:
    """Write a program as canonical, indented JSON (UTF-8).

    Parameters
    ----------
    program : Program
    path : str or path-like
    """
    text = json.dumps(program_records(program), indent=2, ensure_ascii=False)
    Path(path).write_text(text + "\n", encoding="utf-8")


def write_jsonl(program: Program, path: str | os.PathLike[str]) -> None:
    """Write a program as JSON Lines: settings first, then one record per line.

    Parameters
    ----------
    program : Program
    path : str or path-like
    """
    data = program_records(program)
    roles = {key: role for role, key in _JSONL_ROLES.items()}
    lines = [json.dumps({"role": "program", **data["program"]}, ensure_ascii=False)]
    for key in RECORD_KEYS:
        lines += [
            json.dumps({"role": roles[key], **record}, ensure_ascii=False)
            for record in data.get(key, [])
        ]
    lines += [
        json.dumps({"role": "priority", "executive_id": pid}, ensure_ascii=False)
        for pid in data.get("priority", [])
    ]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_config(path: str | os.PathLike[str]) -> MatchConfig:
    """Read match settings from a JSON file.

    Parameters
    ----------
    path : str or path-like
        A JSON object with :class:`~revmatch.models.MatchConfig` fields.

    Returns
    -------
    MatchConfig

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    InvalidInputError
        Naming the file, the line of each bad key and what was expected;
        unknown keys come with the closest known one.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "config.json"
    >>> _ = p.write_text(json.dumps({"min_overlap_minutes": 45}))
    >>> read_config(p).min_overlap_minutes
    45
    """
    file = display_name(path)
    text = decode_text(Path(path).read_bytes(), file)
    data, pos, problems = parse_located(text, file)
    if not isinstance(data, dict):
        raise InvalidInputError(
            Problem(
                "the file must hold one JSON object of settings",
                file=file,
                line=pos.line,
                expected='{"min_overlap_minutes": 60, "weights": {...}, ...}',
            )
        )
    known = list(MatchConfig.model_fields)
    for key in [k for k in data if k not in MatchConfig.model_fields]:
        problems.append(_unknown_key(key, known, file, pos.keys[key]))
        del data[key]
    try:
        config = MatchConfig.model_validate(data)
    except InvalidInputError as exc:
        origin = Origin(file, pos.line, pos.keys)
        for p in exc.problems:
            line, shown = origin.place(p.field)
            problems.append(
                Problem(
                    p.message,
                    field=shown,
                    record=p.record,
                    line=line,
                    file=file,
                    expected=p.expected,
                    severity=p.severity,
                )
            )
        raise InvalidInputError(problems) from None
    if any(p.severity == "error" for p in problems):
        raise InvalidInputError(problems)
    return config
