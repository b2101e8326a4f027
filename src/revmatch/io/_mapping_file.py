"""Reading a mapping file, checking every key, and combining it with a preset.

Mapping file (JSON)::

    {
      "preset": "workday",                    # optional: start from a preset
      "files": {"mentees*.csv": "executives"},
      "columns": {"Employee_ID": "id", "first name": "name", "last name": "name"},
      "ignore": ["phone"],
      "values": {"grade": {"SCS4": 12, "G7": 7}},
      "constants": {"timezone": "Europe/London"},
      "topics_from": {"profession": {"DDaT": {"digital": 5}}},
      "drop": [{"column": "status", "values": ["left"], "reason": "left"}]
    }

Every key is described in :data:`~._mapping_keys.MAPPING_KEYS`; a problem of
a file is reported with its name, line and key. :func:`resolve_mapping`
combines a preset name with a mapping given as an object, a plain dict or a
file path.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from revmatch.exceptions import InvalidInputError, Problem
from revmatch.models import check_timezone

from ._jsonpos import Pos, parse_located
from ._mapping import (
    ALL_CANONICAL,
    CANONICAL_COLUMNS,
    INT_FIELDS,
    LIST_FIELDS,
    PERSONAL_FIELDS,
    ROLES,
    TABLE_KINDS,
    ColumnMapping,
    RowFilter,
    canonical_target,
    is_topic,
)
from ._mapping_keys import MAPPING_KEYS
from ._presets import PRESETS
from ._text import decode_text, display_name
from ._validate import closest

__all__ = ["field_value_problem", "load_mapping", "resolve_mapping"]

_KEY_NAMES = tuple(k.name for k in MAPPING_KEYS)
_CONSTANT_FIELDS = (
    "department",
    "timezone",
    "languages",
    "location",
    "mode",
    "grade",
    "groups",
    "availability",
    "capacity",
)


def field_value_problem(target: str, value: Any) -> str | None:
    """Return what a mapped or constant value of field ``target`` should be, or None if fine.

    Examples
    --------
    >>> field_value_problem("grade", "high")
    'a whole number'
    """
    if is_topic(target):
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 5
        return None if ok else "a whole-number level 0-5"
    if target in INT_FIELDS:
        whole = isinstance(value, int) and not isinstance(value, bool)
        return None if whole or value == "" else "a whole number"
    if target in LIST_FIELDS:
        if isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            return None
        return "a text or a list of texts"
    if not isinstance(value, str):
        return "a text"
    if target == "timezone" and value:
        try:
            check_timezone(value.strip())
        except ValueError:
            return "an IANA time zone such as 'Europe/London'"
    return None


class _Checker:
    """Collects located problems of one mapping file."""

    def __init__(self, file: str, pos: Pos, problems: list[Problem]) -> None:
        self.file, self.pos, self.problems = file, pos, problems

    def line(self, *path: str) -> int | None:
        pos: Pos | None = self.pos
        line = self.pos.line
        for step in path:
            if pos is None:
                break
            if step.isdigit() and isinstance(pos.children, list):
                pos = pos.child(int(step))
                line = pos.line if pos is not None else line
            else:
                line = pos.keys.get(step, line)
                pos = pos.child(step)
        return line

    def bad(self, path: tuple[str, ...], message: str, expected: str) -> None:
        self.problems.append(
            Problem(
                message,
                file=self.file,
                line=self.line(*path),
                field="".join(f"[{p}]" if p.isdigit() else f".{p}" for p in path)[1:],
                expected=expected,
            )
        )

    def strings(self, data: Mapping[str, Any], key: str, example: str) -> dict[str, str]:
        value = data.get(key, {})
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            return dict(value)
        self.bad((key,), f"{key!r} must be an object of texts", example)
        return {}

    def objects(self, data: Mapping[str, Any], key: str, example: str) -> dict[str, Any]:
        value = data.get(key, {})
        if isinstance(value, dict):
            return dict(value)
        self.bad((key,), f"{key!r} must be an object", example)
        return {}


def _fields_known(columns: Mapping[str, str]) -> list[str]:
    return sorted({*(ALL_CANONICAL - {"role"}), *columns})


def _check_columns(check: _Checker, columns: dict[str, str]) -> None:
    for source, target in columns.items():
        if not canonical_target(target):
            guess = closest(target, sorted(ALL_CANONICAL))
            check.bad(
                ("columns", source),
                f"column {source!r} maps to unknown field {target!r}"
                + (f" (did you mean {guess!r}?)" if guess else ""),
                "a canonical column: " + ", ".join(sorted(ALL_CANONICAL)) + " or topic:<name>",
            )


def _check_files(check: _Checker, files: dict[str, str]) -> None:
    for pattern, kind in files.items():
        if kind not in TABLE_KINDS:
            guess = closest(kind, list(TABLE_KINDS))
            check.bad(
                ("files", pattern),
                f"unknown kind of file {kind!r}" + (f" (did you mean {guess!r}?)" if guess else ""),
                "one of " + ", ".join(TABLE_KINDS),
            )


def _check_values(
    check: _Checker, values: dict[str, Any], columns: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    lookup = {k.strip().lower(): v for k, v in columns.items()}
    for key, labels in values.items():
        target = lookup.get(key.strip().lower(), key.strip())
        if not canonical_target(target) or target == "role":
            guess = closest(key, _fields_known(columns))
            check.bad(
                ("values", key),
                f"value map for unknown field or column {key!r}"
                + (f" (did you mean {guess!r}?)" if guess else ""),
                "a field (grade, mode, department, topic:<name>, ...) or a heading "
                'named in "columns"',
            )
            continue
        if target in PERSONAL_FIELDS:
            check.bad(
                ("values", key),
                f"the values of {target!r} identify a person and are not mapped",
                "value maps for fields such as grade, mode, department, languages",
            )
            continue
        if not isinstance(labels, dict):
            check.bad(("values", key), f"the value map of {key!r} must be an object", '{"G7": 7}')
            continue
        for label, value in labels.items():
            if value is None:
                check.bad(
                    ("values", key, label),
                    f"no value for label {label!r} of {key!r} yet: fill it in",
                    _example_of(target),
                )
            elif (why := field_value_problem(target, value)) is not None:
                check.bad(
                    ("values", key, label),
                    f"invalid value for label {label!r} of {key!r}",
                    why,
                )
        out[key] = labels
    return out


def _example_of(target: str) -> str:
    if is_topic(target):
        return "a level 0-5"
    if target in INT_FIELDS:
        return "a whole number such as 7"
    return "a text"


def _check_constants(check: _Checker, constants: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in constants.items():
        target = name.strip()
        if target not in _CONSTANT_FIELDS and not is_topic(target):
            guess = closest(target, list(_CONSTANT_FIELDS))
            check.bad(
                ("constants", name),
                f"no constant can fill {name!r}" + (f" (did you mean {guess!r}?)" if guess else ""),
                "one of " + ", ".join(_CONSTANT_FIELDS) + " or topic:<name>",
            )
        elif value is None:
            check.bad(
                ("constants", name), f"no value for constant {name!r} yet: fill it in", "a value"
            )
        elif (why := field_value_problem(target, value)) is not None:
            check.bad(("constants", name), f"invalid constant {name!r}", why)
        else:
            out[target] = value
    return out


def _check_topics_from(check: _Checker, data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column, labels in data.items():
        if not isinstance(labels, dict):
            check.bad(
                ("topics_from", column),
                f"the topics of {column!r} must be an object of label -> topic levels",
                '{"DDaT": {"digital": 5}}',
            )
            continue
        good = True
        for label, levels in labels.items():
            if not isinstance(levels, dict) or not all(
                isinstance(t, str)
                and t.strip()
                and isinstance(v, int)
                and not isinstance(v, bool)
                and 0 <= v <= 5
                for t, v in levels.items()
            ):
                good = False
                check.bad(
                    ("topics_from", column, label),
                    f"the topic levels of label {label!r} of {column!r} must be an object "
                    "of topic -> level 0-5" + (" (fill it in)" if levels is None else ""),
                    '{"digital": 5} ({} for none)',
                )
        if good:
            out[column] = labels
    return out


def _check_drop(check: _Checker, data: Any) -> tuple[RowFilter, ...]:
    if not isinstance(data, list):
        check.bad(("drop",), "'drop' must be a list of filters", "[{column, values, reason}]")
        return ()
    out: list[RowFilter] = []
    expected = '{"column": "status", "values": ["left"], "reason": "left the company"}'
    for index, item in enumerate(data):
        path = ("drop", str(index))
        where = f"drop[{index}]"
        if not isinstance(item, dict):
            check.bad(path, f"{where} must be an object", expected)
            continue
        extra = [k for k in item if k not in ("column", "values", "reason")]
        column, values, reason = item.get("column"), item.get("values"), item.get("reason")
        if extra:
            check.bad(path, f"{where} has unknown keys " + ", ".join(map(repr, extra)), expected)
        elif not isinstance(column, str) or not column.strip():
            check.bad(path, f"{where} needs a 'column' heading", expected)
        elif not (isinstance(values, list) and values and all(isinstance(v, str) for v in values)):
            check.bad(path, f"{where} needs 'values', a non-empty list of texts", expected)
        elif not isinstance(reason, str) or not reason.strip():
            check.bad(path, f"{where} needs a 'reason' to show in the report", expected)
        else:
            out.append(RowFilter(column.strip(), tuple(values), reason.strip()))
    return tuple(out)


def _known_encoding(value: Any) -> bool:
    try:
        return isinstance(value, str) and bool(codecs.lookup(value.strip()))
    except LookupError:
        return False


def load_mapping(path: str | os.PathLike[str]) -> ColumnMapping:
    """Read a column-mapping file (JSON; keys in :data:`MAPPING_KEYS`).

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    ColumnMapping

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    InvalidInputError
        Naming the file, line and key of every problem.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "map.json"
    >>> _ = p.write_text(json.dumps({"values": {"grade": {"G7": 7}}}))
    >>> load_mapping(p).values["grade"]
    {'G7': 7}
    """
    file = display_name(path)
    data, pos, problems = parse_located(decode_text(Path(path).read_bytes(), file), file)
    if not isinstance(data, dict):
        raise InvalidInputError(
            Problem(
                "a mapping file must hold one JSON object",
                file=file,
                line=pos.line,
                expected='{"columns": {"Employee_ID": "id", ...}}',
            )
        )
    check = _Checker(file, pos, problems)
    for key in data:
        if key not in _KEY_NAMES:
            guess = closest(key, list(_KEY_NAMES))
            check.bad(
                (key,),
                f"unknown key {key!r}" + (f" (did you mean {guess!r}?)" if guess else ""),
                "one of " + ", ".join(_KEY_NAMES),
            )
    base = ColumnMapping(name=file)
    preset = data.get("preset")
    if preset is not None:
        if preset not in PRESETS:
            check.bad(("preset",), f"unknown preset {preset!r}", "one of " + ", ".join(PRESETS))
        else:
            base = PRESETS[preset]
    columns = check.strings(data, "columns", '{"Employee_ID": "id"}')
    _check_columns(check, columns)
    files = check.strings(data, "files", '{"mentees*.csv": "executives"}')
    _check_files(check, files)
    all_columns = {**base.columns, **columns}
    options: dict[str, Any] = {
        "values": _check_values(
            check, check.objects(data, "values", '{"grade": {"G7": 7}}'), all_columns
        ),
        "constants": _check_constants(
            check, check.objects(data, "constants", '{"timezone": "Europe/London"}')
        ),
        "topics_from": _check_topics_from(
            check, check.objects(data, "topics_from", '{"profession": {"DDaT": {"digital": 5}}}')
        ),
    }
    if "drop" in data:
        options["drop"] = _check_drop(check, data["drop"])
    if "sheets" in data:
        options["sheets"] = check.strings(data, "sheets", '{"Mentoren": "mentors"}')
        for sheet, kind in options["sheets"].items():
            if kind not in (*CANONICAL_COLUMNS, "program"):
                check.bad(
                    ("sheets", sheet),
                    f"sheet {sheet!r} maps to unknown kind {kind!r}",
                    "one of " + ", ".join((*CANONICAL_COLUMNS, "program")),
                )
    checks: dict[str, tuple[Callable[[Any], bool], str]] = {
        "header_rows": (lambda v: type(v) is int and v in (1, 2), "1 or 2"),
        "ignore_unknown": (lambda v: isinstance(v, bool), "true or false"),
        "delimiter": (lambda v: isinstance(v, str) and len(v) == 1, "one character such as ','"),
        "encoding": (_known_encoding, "an encoding such as 'utf-8', 'cp1252' or 'latin-1'"),
        "list_separator": (
            lambda v: isinstance(v, str) and len(v) == 1,
            "one character such as ';'",
        ),
        "no_manager": (
            lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
            'a list of texts such as ["NO_MGR"]',
        ),
        "ignore": (
            lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
            'a list of source headings such as ["email", "phone"]',
        ),
    }
    for key, (ok, expected) in checks.items():
        if key not in data:
            continue
        value = data[key]
        if not ok(value):
            check.bad((key,), f"invalid value for {key!r}", expected)
        elif isinstance(value, list):
            options[key] = tuple(value)
        else:
            options[key] = value
    roles = data.get("roles", {})
    if not isinstance(roles, dict):
        check.bad(("roles",), "'roles' must be an object", '{"Mentee": "executive"}')
        roles = {}
    for label, role in roles.items():
        if role not in ROLES:
            check.bad(
                ("roles", label),
                f"role label {label!r} maps to "
                + ("nothing yet: fill it in" if role is None else f"unknown role {role!r}"),
                "mentor, executive or org",
            )
    if any(p.severity == "error" for p in problems):
        raise InvalidInputError(problems)
    own = replace(base, columns=columns, roles=roles, files=files, name=file, **options)
    return base.merged(own)


def resolve_mapping(
    preset: str | None = None,
    mapping: ColumnMapping | Mapping[str, str] | str | os.PathLike[str] | None = None,
) -> ColumnMapping:
    """Combine a preset name and a mapping (object, plain dict or file path).

    Parameters
    ----------
    preset : str, optional
        ``"successfactors"`` or ``"workday"``.
    mapping : ColumnMapping, mapping of str to str, or path, optional
        A plain mapping is source heading -> canonical column; a path is a
        mapping file. It extends and overrides the preset.

    Returns
    -------
    ColumnMapping

    Raises
    ------
    InvalidInputError
        For an unknown preset or a bad mapping.

    Examples
    --------
    >>> resolve_mapping("workday").target("Manager_ID")
    'manager_id'
    """
    base = ColumnMapping()
    if preset is not None:
        key = preset.strip().lower()
        if key not in PRESETS:
            guess = closest(key, list(PRESETS))
            raise InvalidInputError(
                Problem(
                    f"unknown preset {preset!r}" + (f" (did you mean {guess!r}?)" if guess else ""),
                    expected="one of " + ", ".join(PRESETS),
                )
            )
        base = PRESETS[key]
    if mapping is None:
        return base
    if isinstance(mapping, ColumnMapping):
        own = mapping
    elif isinstance(mapping, str | os.PathLike):
        own = load_mapping(mapping)
    else:
        unknown = [
            Problem(
                f"column {k!r} maps to unknown field {v!r}",
                field=str(k),
                expected="a canonical column or topic:<name>",
            )
            for k, v in mapping.items()
            if not canonical_target(str(v))
        ]
        if unknown:
            raise InvalidInputError(unknown)
        own = replace(base, columns=dict(mapping))
    return base.merged(own)
