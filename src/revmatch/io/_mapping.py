"""Column mappings from HR-system exports to revmatch's canonical columns.

A :class:`ColumnMapping` says how to read an export that was not written for
revmatch: which file holds whom, which source column fills which field, how
labels translate to values, what to fill in for everyone, which rows to leave
out (:class:`RowFilter`) and which columns to ignore. Canonical headings
(:data:`CANONICAL_COLUMNS`) are always understood as well, so HR can add the
program's own columns (``availability``, ``topic:<name>``, ``capacity``) to a
raw export.

The built-in mappings are in :mod:`._presets`; a mapping file is read and
checked by :mod:`._mapping_file` against the keys of :mod:`._mapping_keys`.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

__all__ = [
    "CANONICAL_COLUMNS",
    "ColumnMapping",
    "RowFilter",
    "normalise_heading",
]

PERSON_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "email",
    "department",
    "manager_id",
    "secondary_manager_ids",
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
    "org": ("id", "manager_id", "secondary_manager_ids"),
    "history": ("executive_id", "mentor_id", "round", "rating", "outcome", "reason"),
    "pinned": ("executive_id", "mentor_id"),
    "priority": ("executive_id",),
}
"""Canonical column headings per kind of table; plus ``topic:<name>`` for people."""

TABLE_KINDS: tuple[str, ...] = tuple(CANONICAL_COLUMNS)
INT_FIELDS = frozenset({"grade", "capacity", "round", "rating"})
LIST_FIELDS = frozenset(
    {"languages", "groups", "availability", "blocked", "preferred", "secondary_manager_ids"}
)
PERSONAL_FIELDS = frozenset(
    {
        "id",
        "name",
        "email",
        "manager_id",
        "secondary_manager_ids",
        "blocked",
        "preferred",
        "executive_id",
        "mentor_id",
    }
)
"""Fields whose values identify a person: never shown in messages, never value-mapped."""

ALL_CANONICAL = frozenset(c for cols in CANONICAL_COLUMNS.values() for c in cols)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
ROLES = ("mentor", "executive", "org")


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


def is_topic(name: str) -> bool:
    """True for a ``topic:<name>`` field with a name."""
    return name.startswith("topic:") and len(name) > 6


def canonical_target(target: str) -> bool:
    """True if ``target`` is a field a source column may fill."""
    return target in ALL_CANONICAL or is_topic(target)


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
        if lowered in ALL_CANONICAL:
            return lowered
        if is_topic(lowered):
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
        if text in ROLES:
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
