"""Column mappings from HR-system exports to revmatch's canonical columns.

A mapping names, for each source column heading, the canonical column it
fills (``"id"``, ``"manager_id"``, ``"topic:digital"``, ...). Canonical
headings are always understood as well, so HR can add the program's own
columns (``availability``, ``topic:<name>``, ``capacity``) to a raw export.

Mapping file (JSON)::

    {
      "preset": "workday",                  # optional: start from a preset
      "columns": {"Employee_ID": "id", "Skill_Digital": "topic:digital"},
      "header_rows": 1,                     # 2: a row of display labels follows
      "ignore_unknown": true,               # other columns of the export are ignored
      "no_manager": ["NO_MGR"],             # manager values meaning "top of the tree"
      "roles": {"Mentee": "executive"},     # values of a role column
      "delimiter": ",",
      "list_separator": ";"
    }

Several source columns may fill the same text field (``FIRSTNAME`` and
``LASTNAME`` both to ``name``); their values are joined by a space.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from revmatch.exceptions import InvalidInputError, Problem

from ._jsonpos import parse_located
from ._text import decode_text, display_name
from ._validate import closest

__all__ = [
    "CANONICAL_COLUMNS",
    "PRESETS",
    "ColumnMapping",
    "load_mapping",
    "normalise_heading",
    "resolve_mapping",
]

PERSON_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "email",
    "department",
    "manager_id",
    "timezone",
    "languages",
    "location",
    "mode",
    "grade",
    "groups",
    "availability",
    "blocked",
    "preferred",
)

CANONICAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "mentors": (*PERSON_COLUMNS, "capacity"),
    "executives": PERSON_COLUMNS,
    "people": ("role", *PERSON_COLUMNS, "capacity"),
    "org": ("id", "manager_id"),
    "history": ("executive_id", "mentor_id", "round"),
    "pinned": ("executive_id", "mentor_id"),
    "priority": ("executive_id",),
}
"""Canonical column headings per kind of table; plus ``topic:<name>`` for people."""

_ALL_CANONICAL = frozenset(c for cols in CANONICAL_COLUMNS.values() for c in cols)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise_heading(text: str) -> str:
    """Return a heading reduced to lower-case letters and digits, for comparisons.

    Examples
    --------
    >>> normalise_heading("User ID") == normalise_heading("USERID")
    True
    """
    return _NON_ALNUM.sub("", text.lower())


def _canonical_target(target: str) -> bool:
    return target in _ALL_CANONICAL or (target.startswith("topic:") and len(target) > 6)


@dataclass(frozen=True)
class ColumnMapping:
    """How to read the columns of an HR export.

    Parameters
    ----------
    columns : mapping of str to str
        Source heading -> canonical column (``"id"``, ``"manager_id"``,
        ``"topic:<name>"``, ...). Headings match case-insensitively.
    header_rows : {1, 2}
        Rows of header. With 2 (SuccessFactors), the second row holds display
        labels; it is skipped when its id cell is the id heading written as a
        label (``"User ID"`` under ``USERID``), else read as data, with a
        warning.
    ignore_unknown : bool
        Ignore source columns that are neither mapped nor canonical (an HR
        export has many). Off, an unknown column is an error that names the
        closest known heading.
    no_manager : tuple of str
        Manager values that mean "top of the tree" (case-insensitive).
    roles : mapping of str to str
        Values of the ``role`` column -> ``"mentor"``, ``"executive"`` or
        ``"org"`` (case-insensitive), beside the canonical values.
    delimiter : str
        CSV field delimiter.
    list_separator : str
        Separator of list cells (languages, availability, ...).
    name : str
        Name shown in messages (the preset or file).

    Examples
    --------
    >>> m = ColumnMapping(columns={"Employee_ID": "id"})
    >>> m.target("employee_id")
    'id'
    """

    columns: Mapping[str, str] = field(default_factory=dict)
    header_rows: int = 1
    ignore_unknown: bool = False
    no_manager: tuple[str, ...] = ("NO_MGR", "NO_MANAGER")
    roles: Mapping[str, str] = field(default_factory=dict)
    delimiter: str = ","
    list_separator: str = ";"
    name: str = "canonical"

    @cached_property
    def _lookup(self) -> dict[str, str]:
        return {k.strip().lower(): v for k, v in self.columns.items()}

    @cached_property
    def _no_manager(self) -> frozenset[str]:
        return frozenset(v.lower() for v in self.no_manager)

    def target(self, heading: str) -> str | None:
        """Return the canonical column a source heading fills, or None."""
        text = heading.strip()
        mapped = self._lookup.get(text.lower())
        if mapped is not None:
            return mapped
        lowered = text.lower()
        if lowered in _ALL_CANONICAL:
            return lowered
        if lowered.startswith("topic:") and len(lowered) > 6:
            return "topic:" + text.split(":", 1)[1].strip()
        return None

    def is_top(self, value: str) -> bool:
        """True if a manager value means "no manager" (``NO_MGR``)."""
        return value.lower() in self._no_manager

    def role(self, value: str) -> str | None:
        """Return ``"mentor"``, ``"executive"`` or ``"org"`` for a role cell, or None."""
        text = value.strip().lower()
        for source, target in self.roles.items():
            if source.strip().lower() == text:
                return target
        if text in ("mentor", "executive", "org"):
            return text
        if text in ("", "none", "-"):
            return "org"
        return None

    def merged(self, other: ColumnMapping) -> ColumnMapping:
        """Return this mapping extended and overridden by ``other``."""
        return replace(
            other,
            columns={**self.columns, **other.columns},
            roles={**self.roles, **other.roles},
        )


PRESETS: dict[str, ColumnMapping] = {
    "successfactors": ColumnMapping(
        columns={
            "USERID": "id",
            "MANAGER": "manager_id",
            "DEPARTMENT": "department",
            "LOCATION": "location",
            "TIMEZONE": "timezone",
            "FIRSTNAME": "name",
            "LASTNAME": "name",
            "EMAIL": "email",
        },
        header_rows=2,
        ignore_unknown=True,
        name="successfactors",
    ),
    "workday": ColumnMapping(
        columns={
            "Employee_ID": "id",
            "Manager_ID": "manager_id",
            "Cost_Center": "department",
            "Location": "location",
            "Time_Zone": "timezone",
        },
        ignore_unknown=True,
        name="workday",
    ),
}
"""Built-in mappings: SAP SuccessFactors' user data file and a Workday worker report."""

_MAPPING_KEYS = (
    "preset",
    "columns",
    "header_rows",
    "ignore_unknown",
    "no_manager",
    "roles",
    "delimiter",
    "list_separator",
)


def load_mapping(path: str | os.PathLike[str]) -> ColumnMapping:
    """Read a column-mapping file (JSON; see the module notes for its keys).

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
        Naming the line and key of every problem.
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

    def bad(key: str, message: str, expected: str) -> None:
        problems.append(
            Problem(message, file=file, line=pos.keys.get(key), field=key, expected=expected)
        )

    for key in data:
        if key not in _MAPPING_KEYS:
            guess = closest(key, list(_MAPPING_KEYS))
            bad(
                key,
                f"unknown key {key!r}" + (f" (did you mean {guess!r}?)" if guess else ""),
                "one of " + ", ".join(_MAPPING_KEYS),
            )
    base = ColumnMapping(name=file)
    preset = data.get("preset")
    if preset is not None:
        if preset not in PRESETS:
            bad("preset", f"unknown preset {preset!r}", "one of " + ", ".join(PRESETS))
        else:
            base = PRESETS[preset]
    columns = data.get("columns", {})
    if not isinstance(columns, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
    ):
        bad("columns", "expected an object of source heading -> canonical column", "strings")
        columns = {}
    for source, target in columns.items():
        if not _canonical_target(target):
            guess = closest(target, sorted(_ALL_CANONICAL))
            problems.append(
                Problem(
                    f"column {source!r} maps to unknown field {target!r}"
                    + (f" (did you mean {guess!r}?)" if guess else ""),
                    file=file,
                    line=pos.keys.get("columns"),
                    field=f"columns.{source}",
                    expected="a canonical column: "
                    + ", ".join(sorted(_ALL_CANONICAL))
                    + " or topic:<name>",
                )
            )
    options: dict[str, Any] = {}
    checks: dict[str, tuple[type | tuple[type, ...], str]] = {
        "header_rows": (int, "1 or 2"),
        "ignore_unknown": (bool, "true or false"),
        "delimiter": (str, "one character such as ','"),
        "list_separator": (str, "one character such as ';'"),
    }
    for key, (kind, expected) in checks.items():
        if key not in data:
            continue
        value = data[key]
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if key == "header_rows":
            ok = ok and value in (1, 2)
        if key in ("delimiter", "list_separator"):
            ok = ok and len(value) == 1
        if ok:
            options[key] = value
        else:
            bad(key, f"invalid value for {key!r}", expected)
    if "no_manager" in data:
        value = data["no_manager"]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            options["no_manager"] = tuple(value)
        else:
            bad("no_manager", "expected a list of texts", '["NO_MGR"]')
    roles = data.get("roles", {})
    if not isinstance(roles, dict) or not all(
        isinstance(v, str) and v in ("mentor", "executive", "org") for v in roles.values()
    ):
        bad("roles", "expected an object of role value -> role", '{"Mentee": "executive"}')
        roles = {}
    if any(p.severity == "error" for p in problems):
        raise InvalidInputError(problems)
    own = replace(base, columns=columns, roles=roles, name=file, **options)
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
            if not _canonical_target(str(v))
        ]
        if unknown:
            raise InvalidInputError(unknown)
        own = replace(base, columns=dict(mapping))
    return base.merged(own)
