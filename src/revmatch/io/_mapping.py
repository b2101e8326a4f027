"""Column mappings from HR-system exports to revmatch's canonical columns.

A mapping says how to read an export that was not written for revmatch:
which file holds whom, which source column fills which field, how labels
translate to values, what to fill in for everyone, which rows to leave out
and which columns to ignore. Canonical headings are always understood as
well, so HR can add the program's own columns (``availability``,
``topic:<name>``, ``capacity``) to a raw export.

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

Every key is described in :data:`MAPPING_KEYS`, from which the reference
page ``docs/reference/mapping.md`` is generated.
"""

from __future__ import annotations

import codecs
import fnmatch
import os
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from revmatch.exceptions import InvalidInputError, Problem
from revmatch.models import check_timezone

from ._jsonpos import Pos, parse_located
from ._text import decode_text, display_name
from ._validate import closest

__all__ = [
    "CANONICAL_COLUMNS",
    "MAPPING_KEYS",
    "PRESETS",
    "ColumnMapping",
    "MappingKey",
    "RowFilter",
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

TABLE_KINDS: tuple[str, ...] = tuple(CANONICAL_COLUMNS)
INT_FIELDS = frozenset({"grade", "capacity", "round"})
LIST_FIELDS = frozenset({"languages", "groups", "availability", "blocked", "preferred"})
PERSONAL_FIELDS = frozenset(
    {"id", "name", "email", "manager_id", "blocked", "preferred", "executive_id", "mentor_id"}
)
"""Fields whose values identify a person: never shown in messages, never value-mapped."""

_ALL_CANONICAL = frozenset(c for cols in CANONICAL_COLUMNS.values() for c in cols)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_ROLES = ("mentor", "executive", "org")


def normalise_heading(text: str) -> str:
    """Return a heading reduced to lower-case letters and digits, for comparisons.

    Accents are folded (``ü`` → ``u``, ``é`` → ``e``, ``ß`` → ``ss``), so a
    heading written with or without them compares equal.

    Examples
    --------
    >>> normalise_heading("User ID") == normalise_heading("USERID")
    True
    >>> normalise_heading("Verfügbarkeit"), normalise_heading("Prénom")
    ('verfugbarkeit', 'prenom')
    """
    folded = unicodedata.normalize("NFKD", text.casefold())
    return _NON_ALNUM.sub("", "".join(c for c in folded if not unicodedata.combining(c)))


def _canonical_target(target: str) -> bool:
    return target in _ALL_CANONICAL or (target.startswith("topic:") and len(target) > 6)


def _label(text: str) -> str:
    return text.strip().lower()


@dataclass(frozen=True)
class RowFilter:
    """Rows to leave out: those whose ``column`` holds one of ``values``.

    Parameters
    ----------
    column : str
        Source column heading (case-insensitive).
    values : tuple of str
        Cell values that drop the row (case-insensitive, spaces trimmed).
    reason : str
        Shown in the report beside every dropped row.
    optional : bool
        True for the presets' filters: a table without the column is read
        whole. A filter of a mapping file needs its column in every table of
        people.

    Examples
    --------
    >>> f = RowFilter("STATUS", ("inactive",), "inactive")
    >>> f.drops("Inactive ")
    True
    """

    column: str
    values: tuple[str, ...]
    reason: str
    optional: bool = False

    def drops(self, value: str) -> bool:
        """True if a cell holding ``value`` drops its row."""
        return _label(value) in {_label(v) for v in self.values}


@dataclass(frozen=True)
class ColumnMapping:
    """How to read the columns of an HR export.

    Parameters
    ----------
    columns : mapping of str to str
        Source heading -> canonical column (``"id"``, ``"manager_id"``,
        ``"topic:<name>"``, ...). Headings match case-insensitively. Several
        sources may fill ``name`` (joined by a space) or a list field
        (``languages``, ``groups``, ``availability``, ...; items joined).
    header_rows : {1, 2}
        Rows of header. With 2 (SuccessFactors), the second row holds display
        labels; it is skipped when its id cell is the id heading written as a
        label (``"User ID"`` under ``USERID``), else read as data, with a
        warning.
    ignore_unknown : bool
        Ignore source columns that are neither mapped nor canonical (an HR
        export has many); the report lists them as a notice. Off, an unknown
        column is an error that names the closest known heading.
    no_manager : tuple of str
        Manager values that mean "top of the tree" (case-insensitive).
    roles : mapping of str to str
        Values of the ``role`` column -> ``"mentor"``, ``"executive"`` or
        ``"org"`` (case-insensitive), beside the canonical values.
    delimiter : str or None
        CSV field delimiter; None (the default) to detect it from the file
        (``,``, ``;``, tab or ``|``).
    encoding : str or None
        Encoding of CSV files (``"cp1252"``, ``"latin-1"``, ``"utf-16"``,
        ...); None (the default) to detect it.
    sheets : mapping of str to str
        Sheet name of a workbook (case-insensitive) -> what it holds
        (``"mentors"``, ``"executives"``, ``"people"``, ``"org"``, ...,
        ``"program"``).
    list_separator : str
        Separator of list cells (languages, availability, ...).
    name : str
        Name shown in messages (the preset or file).
    files : mapping of str to str
        File-name pattern (``"mentees*.csv"``, case-insensitive, ``*`` and
        ``?`` wildcards) -> what the file holds (``"executives"``,
        ``"mentors"``, ``"people"``, ``"org"``, ...).
    ignore : tuple of str
        Source headings to leave unread; the report lists them as a notice.
    values : mapping of str to mapping
        Field or source heading -> {label: value}. Every non-empty cell of
        the column must be one of the labels (case-insensitive); the value
        replaces it. An empty text value makes the cell empty.
    constants : mapping of str to object
        Field -> value for everyone whose cell is empty or who has no such
        column; a non-empty cell keeps its own value.
    topics_from : mapping of str to mapping
        Source heading -> {label: {topic: level}}: topic levels derived from
        a categorical column. A ``topic:<name>`` cell of the same person wins.
    drop : tuple of RowFilter
        Rows of people to leave out, each listed in the report with its reason.

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
    delimiter: str | None = None
    list_separator: str = ";"
    name: str = "canonical"
    files: Mapping[str, str] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    values: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    constants: Mapping[str, Any] = field(default_factory=dict)
    topics_from: Mapping[str, Mapping[str, Mapping[str, int]]] = field(default_factory=dict)
    drop: tuple[RowFilter, ...] = ()
    encoding: str | None = None
    sheets: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def _lookup(self) -> dict[str, str]:
        return {k.strip().lower(): v for k, v in self.columns.items()}

    @cached_property
    def _no_manager(self) -> frozenset[str]:
        return frozenset(v.lower() for v in self.no_manager)

    @cached_property
    def _ignored(self) -> frozenset[str]:
        return frozenset(_label(h) for h in self.ignore)

    @cached_property
    def _values(self) -> dict[str, tuple[str, Mapping[str, Any]]]:
        return {_label(k): (k, v) for k, v in self.values.items()}

    @cached_property
    def _topics_from(self) -> dict[str, Mapping[str, Mapping[str, int]]]:
        return {_label(k): v for k, v in self.topics_from.items()}

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

    def ignored(self, heading: str) -> bool:
        """True if the mapping's ``ignore`` list names ``heading``."""
        return _label(heading) in self._ignored

    def value_map(self, heading: str, target: str) -> tuple[str, Mapping[str, Any]] | None:
        """Return (key, labels) of the value map for a column, by heading first, or None."""
        for key in (heading, target):
            found = self._values.get(_label(key))
            if found is not None:
                return found
        return None

    def topic_map(self, heading: str) -> Mapping[str, Mapping[str, int]] | None:
        """Return the label -> topic levels of a ``topics_from`` column, or None."""
        return self._topics_from.get(_label(heading))

    def kind_of_file(self, file_name: str) -> str | None:
        """Return what a file holds by the ``files`` patterns, or None.

        Examples
        --------
        >>> ColumnMapping(files={"mentees*.csv": "executives"}).kind_of_file("Mentees_2027.csv")
        'executives'
        """
        name = file_name.lower()
        for pattern, kind in self.files.items():
            if fnmatch.fnmatchcase(name, pattern.lower()):
                return kind
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
        if text in _ROLES:
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
            files={**self.files, **other.files},
            ignore=tuple(dict.fromkeys((*self.ignore, *other.ignore))),
            values={**self.values, **other.values},
            constants={**self.constants, **other.constants},
            topics_from={**self.topics_from, **other.topics_from},
            drop=tuple(dict.fromkeys((*self.drop, *other.drop))),
            delimiter=other.delimiter or self.delimiter,
            encoding=other.encoding or self.encoding,
            sheets={**self.sheets, **other.sheets},
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
        drop=(
            # STATUS of the user data file: "inactive" or, as SuccessFactors'
            # own codes, f (inactive), F (inactive_external), d (inactive_external_suite).
            RowFilter(
                "STATUS",
                ("inactive", "inactive_external", "inactive_external_suite", "f", "d"),
                "inactive user (STATUS)",
                optional=True,
            ),
        ),
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
        drop=(
            RowFilter("Worker_Status", ("Terminated",), "terminated worker", optional=True),
            RowFilter(
                "Active_Status", ("0", "No", "False"), "inactive worker (Active_Status)", True
            ),
        ),
    ),
}
"""Built-in mappings: SAP SuccessFactors' user data file and a Workday worker report."""


@dataclass(frozen=True)
class MappingKey:
    """One key of a mapping file, as the reference page documents it.

    Parameters
    ----------
    name : str
        The key.
    kind : str
        The JSON type, in words.
    default : str
        What applies when the key is absent.
    description : str
        What the key does (Markdown).
    example : object
        A JSON value of the key.
    """

    name: str
    kind: str
    default: str
    description: str
    example: Any


MAPPING_KEYS: tuple[MappingKey, ...] = (
    MappingKey(
        "preset",
        "text",
        "none",
        "Start from a built-in mapping: `successfactors` or `workday`. The other keys "
        "extend and override it.",
        "workday",
    ),
    MappingKey(
        "files",
        "object: file-name pattern -> kind",
        "kind from the file name",
        "What each file holds when its name does not say: `mentors`, `executives`, "
        "`people` (with a `role` column), `org`, `history`, `pinned` or `priority`. "
        "Patterns match the file name case-insensitively; `*` and `?` are wildcards.",
        {"mentees*.csv": "executives", "mentors*.csv": "mentors"},
    ),
    MappingKey(
        "columns",
        "object: source heading -> field",
        "canonical headings only",
        "Which field each source column fills (headings match case-insensitively): "
        "`id`, `name`, `email`, `department`, `manager_id`, `timezone`, `languages`, "
        "`location`, `mode`, `grade`, `groups`, `availability`, `blocked`, `preferred`, "
        "`capacity`, `role`, `topic:<name>`. Several columns may fill `name` (joined by "
        "a space) or a list field (`languages`, `groups`, `availability`, `blocked`, "
        "`preferred`; their items are joined into one list).",
        {"first name": "name", "last name": "name", "Lang 1": "languages", "Lang 2": "languages"},
    ),
    MappingKey(
        "ignore",
        "list of source headings",
        "[]",
        "Source columns to leave unread (such as personal data the program does not "
        "need). The validation report lists them as a notice.",
        ["email", "phone"],
    ),
    MappingKey(
        "ignore_unknown",
        "true or false",
        "false (true in the presets)",
        "Leave unread every column that is neither mapped nor canonical, instead of "
        "reporting it as an error. The report lists them as a notice.",
        True,
    ),
    MappingKey(
        "values",
        "object: field or source heading -> {label: value}",
        "{}",
        "Translate labels to values: grade labels to ranks, yes/no to a meeting mode, "
        "codes to department names, language names to codes (list fields map each "
        'item). Labels match case-insensitively; a value of `""` makes the cell '
        "empty. A cell whose label is not in the map is an error that names the label "
        "(for non-personal fields) and lists the known ones. Values of `null` (as "
        "`revmatch inspect` drafts them) must be filled in before the mapping is used. "
        "Fields that identify a person (`id`, `name`, `email`, `manager_id`, `blocked`, "
        "`preferred`) cannot be value-mapped.",
        {"grade": {"SCS4": 12, "G7": 7}, "can_meet_in_person": {"Yes": "hybrid", "No": "remote"}},
    ),
    MappingKey(
        "constants",
        "object: field -> value",
        "{}",
        "A value for everyone, where the person's cell is empty or the file has no "
        "such column; a non-empty cell keeps its own value. For `timezone`, "
        "`availability`, `languages`, `location`, `mode`, `department`, `grade`, "
        "`groups`, `capacity` (mentors only) and `topic:<name>`. Checked when the "
        "mapping is read: the time zone must exist, numbers must be whole.",
        {"timezone": "Europe/London", "availability": "Mon 12:00-14:00"},
    ),
    MappingKey(
        "topics_from",
        "object: source heading -> {label: {topic: level}}",
        "{}",
        "Topic levels (0-5) derived from a categorical column such as a profession. "
        "Each label of the column gives the levels of its topics (`{}`: none); a label "
        "not listed is an error naming it. The topics join the program's vocabulary; a "
        "`topic:<name>` cell of the same person wins over a derived level.",
        {"profession": {"DDaT": {"digital": 5}, "HR": {"diversity": 4, "work_life_balance": 3}}},
    ),
    MappingKey(
        "drop",
        "list of {column, values, reason}",
        "[] (presets: inactive or terminated people)",
        "Rows of people to leave out: those whose `column` holds one of `values` "
        "(case-insensitive). Every dropped row is listed in the report with its file, "
        "line and `reason`. The column must exist in every file of people. The presets "
        "drop SuccessFactors users whose `STATUS` is inactive and Workday workers whose "
        "`Worker_Status` is `Terminated` or whose `Active_Status` is `0`, where those "
        "columns exist.",
        [{"column": "status", "values": ["left", "on leave"], "reason": "not active"}],
    ),
    MappingKey(
        "roles",
        "object: role label -> mentor, executive or org",
        "{}",
        "Values of a `role` column (case-insensitive) beside the canonical `mentor`, "
        "`executive` and empty (org).",
        {"Mentee": "executive", "Führungskraft": "executive"},
    ),
    MappingKey(
        "header_rows",
        "1 or 2",
        "1",
        "2 when a second header row of display labels follows (SuccessFactors' user data file).",
        1,
    ),
    MappingKey(
        "no_manager",
        "list of text",
        '["NO_MGR", "NO_MANAGER"]',
        "Manager values meaning the top of the tree.",
        ["NO_MGR"],
    ),
    MappingKey(
        "delimiter",
        "one character",
        "detected",
        "CSV field delimiter. Without it, `,`, `;`, tab or `|` is detected from the header "
        "row and the rows below; the report names what was used.",
        ";",
    ),
    MappingKey(
        "encoding",
        "text",
        "detected",
        "Encoding of CSV files (`utf-8`, `utf-16`, `cp1252`, `latin-1`, ...). Without it, "
        "a byte-order mark, UTF-16's NUL bytes, valid UTF-8 or else Windows-1252 is "
        "detected; the report names what was used.",
        "cp1252",
    ),
    MappingKey(
        "sheets",
        "object: sheet name -> mentors, executives, people, org, history, pinned, "
        "priority or program",
        "{}",
        "What the sheets of an Excel workbook hold, when their names are not the canonical "
        "ones. Without it, sheets named `mentors`, `executives`, ... are read, or a sheet "
        "with a `role` column as people.",
        {"Mentoren": "mentors", "Führungskräfte": "executives"},
    ),
    MappingKey(
        "list_separator", "one character", '";"', "Separator of the items of list cells.", "|"
    ),
    MappingKey(
        "notes",
        "any",
        "none",
        "Free notes for the people who edit the mapping (`revmatch inspect` writes its "
        "review list here); not read.",
        ["grade: fill in the rank of each label"],
    ),
)
"""Every key of a mapping file with its type, default, meaning and an example."""

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


def _is_topic(name: str) -> bool:
    return name.startswith("topic:") and len(name) > 6


def field_value_problem(target: str, value: Any) -> str | None:
    """Return what a mapped or constant value of field ``target`` should be, or None if fine.

    Examples
    --------
    >>> field_value_problem("grade", "high")
    'a whole number'
    """
    if _is_topic(target):
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
    return sorted({*(_ALL_CANONICAL - {"role"}), *columns})


def _check_columns(check: _Checker, columns: dict[str, str]) -> None:
    for source, target in columns.items():
        if not _canonical_target(target):
            guess = closest(target, sorted(_ALL_CANONICAL))
            check.bad(
                ("columns", source),
                f"column {source!r} maps to unknown field {target!r}"
                + (f" (did you mean {guess!r}?)" if guess else ""),
                "a canonical column: " + ", ".join(sorted(_ALL_CANONICAL)) + " or topic:<name>",
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
        if not _canonical_target(target) or target == "role":
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
    if _is_topic(target):
        return "a level 0-5"
    if target in INT_FIELDS:
        return "a whole number such as 7"
    return "a text"


def _check_constants(check: _Checker, constants: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in constants.items():
        target = name.strip()
        if target not in _CONSTANT_FIELDS and not _is_topic(target):
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
        if role not in _ROLES:
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
            if not _canonical_target(str(v))
        ]
        if unknown:
            raise InvalidInputError(unknown)
        own = replace(base, columns=dict(mapping))
    return base.merged(own)
