"""Tables (CSV files, Excel sheets, DataFrames) to canonical raw records.

A table is a header row and data rows of cells. This module resolves the
headings through a :class:`~revmatch.io.ColumnMapping`, reports unknown,
duplicate and missing columns once (at the header), converts each cell to
the canonical value (ids stay text, lists split at ``;``, topic levels from
``topic:<name>`` columns, empty cells are absent) and reports every bad cell
with its row, the record's id and the column heading. It also applies the
mapping's value maps, constants, derived topics and row filters, and lists
the columns it leaves unread and the rows it drops as notices. Cell values
are never copied into messages, except labels of a value map (grades,
modes, zones: not personal), which the message must name to be useful.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

from revmatch.exceptions import Problem
from revmatch.models import DEFAULT_TOPICS

from ._mapping import (
    CANONICAL_COLUMNS,
    INT_FIELDS,
    LIST_FIELDS,
    ColumnMapping,
    RowFilter,
    normalise_heading,
)
from ._presets import PRESETS
from ._validate import ROLE_OF_KEY, Origin, RawProgram, closest

__all__ = ["Table", "TopicVocabulary", "column_letter", "read_table"]

_ABSENT: Final = object()
_INT_COLUMNS = INT_FIELDS
_LIST_COLUMNS = LIST_FIELDS
# Language codes never hold commas, so a comma-joined cell is read too; ids
# might, so id lists split at the list separator only.  Availability goes to
# the slot reader whole (see _joined_slots).
_COMMA_TOO = frozenset({"languages"})
# SuccessFactors joins several matrix (dotted-line) managers with "|"; an id
# holding a "|" is unheard of, so such a cell splits there too.
_PIPE_TOO = frozenset({"secondary_manager_ids"})
_JOINED = frozenset({"name"})
_PERSON_KINDS = frozenset({"mentors", "executives", "people"})
_SHOWN_LABELS = 12
_REQUIRED = {
    "mentors": ("id",),
    "executives": ("id",),
    "people": ("id", "role"),
    "org": ("id",),
    "history": ("executive_id", "mentor_id"),
    "pinned": ("executive_id", "mentor_id"),
    "priority": ("executive_id",),
}
_WHOLE = re.compile(r"^[+-]?\d+(?:\.0*)?$")
_ZONE_IN_PARENS = re.compile(r"\(([A-Za-z][\w+\-]*(?:/[\w+\-]+)+)\)\s*$")


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of a 0-based column index.

    Examples
    --------
    >>> column_letter(0), column_letter(27)
    ('A', 'AB')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Table:
    """One table of input: a header and numbered data rows.

    Attributes
    ----------
    file : str
        Name for messages (``"mentors.csv"``, ``"book.xlsx, sheet 'org'"``).
    kind : str
        ``mentors``, ``executives``, ``people``, ``org``, ``history``,
        ``pinned`` or ``priority``.
    header : sequence or None
        Cells of the first header row; None for an empty table.
    header_line : int
        Row number of the header.
    rows : iterable of (int or None, sequence)
        Data rows after the first header row with their row numbers as a
        spreadsheet shows them (None for DataFrames).
    row_names : iterable of str, optional
        For DataFrames: how to name each row (its index label).
    problems : list of Problem
        Problems the source finds while producing rows (broken CSV quoting).
    """

    file: str
    kind: str
    header: Sequence[Any] | None
    header_line: int
    rows: Iterable[tuple[int | None, Sequence[Any]]]
    row_names: Iterable[str] | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass
class TopicVocabulary:
    """The program's topics, or the topics seen in ``topic:<name>`` columns.

    Attributes
    ----------
    known : tuple of str or None
        The program's topics when settings were given; None to infer them.
    seen : list of str
        Topic columns seen, in order, when inferring.
    """

    known: tuple[str, ...] | None = None
    seen: list[str] = field(default_factory=list)
    first: Origin | None = None

    def inferred(self, raw: RawProgram) -> None:
        """Set the program's topics from the columns seen, when none were given."""
        if self.known is None and self.seen and raw.info is None:
            raw.info = {"topics": list(self.seen)}
            raw.info_origin = self.first or Origin(hint="topic columns")


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return False


def _text(value: Any) -> str | None:
    if _is_empty(value):
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        # Spreadsheets store numeric ids as floats; 42.0 is the id "42".
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and _WHOLE.match(value.strip()):
        return int(value.strip().split(".")[0])
    return None


def _items(value: Any, separator: str, comma_too: bool, pipe_too: bool = False) -> list[str]:
    if isinstance(value, list | tuple):
        parts = [_text(v) for v in value]
        return [p for p in parts if p]
    text = _text(value) or ""
    extra = ("," if comma_too else "") + ("|" if pipe_too else "")
    pattern = f"[{re.escape(separator + extra)}]" if extra else re.escape(separator)
    return [p.strip() for p in re.split(pattern, text) if p.strip()]


def _joined_slots(items: list[str]) -> list[str]:
    # The slot reader splits at ';', ',' and line breaks itself, so that a day
    # written once carries over ("Mon, Wed 12-14", "Mon 9-10, 14-15"), and an
    # error shows the cell as written.
    return ["; ".join(items)] if items else []


def _zone(text: str) -> str:
    # Workday shows zones as "GMT+01:00 Central European Time (Europe/Berlin)".
    match = _ZONE_IN_PARENS.search(text)
    return match.group(1) if match else text


@dataclass
class _Column:
    index: int
    heading: str
    target: str
    labels: dict[str, Any] | None = None  # value map: lower-case label -> value
    map_key: str = ""
    known: tuple[str, ...] = ()  # the labels as the mapping writes them


_UNMAPPED: Final = object()  # looked_up's answer for a label not in the map


def _lowered(labels: Mapping[str, Any]) -> dict[str, Any]:
    return {k.strip().lower(): v for k, v in labels.items()}


@dataclass
class _TopicSource:
    index: int
    heading: str
    labels: dict[str, Any]
    known: tuple[str, ...]


def _known_labels(labels: Sequence[str]) -> str:
    shown = list(labels)[:_SHOWN_LABELS]
    more = len(labels) - len(shown)
    return "one of " + ", ".join(shown) + (f" and {more} more" if more > 0 else "")


class _TableReader:
    def __init__(
        self, table: Table, mapping: ColumnMapping, topics: TopicVocabulary, raw: RawProgram
    ) -> None:
        self.table = table
        self.mapping = mapping
        self.topics = topics
        self.raw = raw
        self.columns: list[_Column] = []
        self.shown: dict[str, str] = {}
        self.width = 0
        self.topic_sources: list[_TopicSource] = []
        self.filters: list[tuple[int, RowFilter]] = []
        self.unread: list[str] = []
        self.constant_topics: list[str] = []

    def problem(
        self,
        message: str,
        *,
        line: int | None,
        field: str | None = None,
        record: str | None = None,
        expected: str | None = None,
        severity: str = "error",
    ) -> None:
        self.raw.problems.append(
            Problem(
                message,
                field=field,
                record=record,
                line=line,
                file=self.table.file,
                expected=expected,
                severity="warning" if severity == "warning" else "error",
            )
        )

    def notice(
        self, message: str, *, line: int | None, field: str | None = None, record: str | None = None
    ) -> None:
        self.raw.problems.append(
            Problem(
                message,
                field=field,
                record=record,
                line=line,
                file=self.table.file,
                severity="notice",
            )
        )

    def allowed(self, target: str) -> bool:
        kind = self.table.kind
        if target.startswith("topic:"):
            return kind in ("mentors", "executives", "people")
        return target in CANONICAL_COLUMNS[kind]

    def resolve_header(self, header: Sequence[Any]) -> bool:
        """Map the headings; report column problems; return False if rows cannot be read."""
        table, line = self.table, self.table.header_line
        kind = table.kind
        self.width = len(header)
        first_of: dict[str, _Column] = {}
        known = list(CANONICAL_COLUMNS[kind]) + list(self.mapping.columns)
        for index, cell in enumerate(header):
            heading = _text(cell) or ""
            if not heading:
                continue
            if self.mapping.ignored(heading):
                self.unread.append(f"{heading!r} ({column_letter(index)})")
                continue
            target = self.mapping.target(heading)
            if kind in _PERSON_KINDS and self.topic_source(index, heading) and target is None:
                continue
            if target is None or (kind == "org" and not self.allowed(target)):
                if kind == "org" or self.mapping.ignore_unknown:
                    self.unread.append(f"{heading!r} ({column_letter(index)})")
                    continue
                guess = closest(heading, known)
                if guess is None and heading.lower().startswith("topic"):
                    guess = "topic:" + heading[5:].strip(" :_-")
                self.problem(
                    f"unknown column {heading!r} (column {column_letter(index)})"
                    + (f"; did you mean {guess!r}?" if guess else ""),
                    line=line,
                    field=heading,
                    expected="one of "
                    + ", ".join(CANONICAL_COLUMNS[kind])
                    + (", topic:<name>" if kind in ("mentors", "executives", "people") else "")
                    + " (or a column mapping for your HR export)",
                )
                continue
            if not self.allowed(target):
                where = "people and mentors files" if target == "capacity" else "people.csv"
                self.problem(
                    f"column {heading!r} ({target}) does not belong in the {kind} table",
                    line=line,
                    field=heading,
                    expected=f"{target!r} only in {where}",
                )
                continue
            if target.startswith("topic:") and not self.topic_column(target[6:], heading):
                continue
            if target in first_of and target not in _JOINED and target not in _LIST_COLUMNS:
                other = first_of[target]
                self.problem(
                    f"two columns fill {target!r}: {other.heading!r} (column "
                    f"{column_letter(other.index)}) and {heading!r} (column "
                    f"{column_letter(index)})",
                    line=line,
                    field=heading,
                    expected="one column per field",
                )
                continue
            column = _Column(index, heading, target)
            found = self.mapping.value_map(heading, target)
            if found is not None and kind in _PERSON_KINDS:
                column.map_key, column.labels = found[0], _lowered(found[1])
                column.known = tuple(found[1])
            first_of.setdefault(target, column)
            self.columns.append(column)
            shown = self.shown.get(target)
            self.shown[target] = f"{shown}+{heading}" if shown else heading
        if self.unread:
            self.notice("columns not read: " + ", ".join(self.unread), line=line)
        if kind in _PERSON_KINDS:
            self.find_filters(header)
            self.constant_topics = [
                t[6:]
                for t in self.mapping.constants
                if t.startswith("topic:") and self.topic_column(t[6:], f"constants.{t}")
            ]
        missing = [c for c in _REQUIRED[kind] if c not in first_of]
        for name in missing:
            self.problem(
                f"missing required column {name!r}" + self.preset_hint(header),
                line=line,
                field=name,
                expected="a header row with the columns " + ", ".join(_REQUIRED[kind]),
            )
        return not missing

    def topic_source(self, index: int, heading: str) -> bool:
        """Note a ``topics_from`` column and its topics; True if it is one."""
        labels = self.mapping.topic_map(heading)
        if labels is None:
            return False
        topics = dict.fromkeys(t.strip() for levels in labels.values() for t in levels)
        known = [t for t in topics if self.topic_column(t, heading)]
        self.topic_sources.append(
            _TopicSource(
                index,
                heading,
                _lowered(
                    {k: {t: v for t, v in lv.items() if t in known} for k, lv in labels.items()}
                ),
                tuple(labels),
            )
        )
        return True

    def find_filters(self, header: Sequence[Any]) -> None:
        """Locate the columns of the mapping's row filters; report a missing one."""
        where = {(_text(c) or "").lower(): i for i, c in enumerate(header)}
        for number, rule in enumerate(self.mapping.drop):
            index = where.get(rule.column.strip().lower())
            if index is not None:
                self.filters.append((index, rule))
            elif not rule.optional:
                guess = closest(rule.column, [_text(c) or "" for c in header])
                self.problem(
                    f"the column {rule.column!r} of filter drop[{number}] of mapping "
                    f"{self.mapping.name} is not in this file"
                    + (f"; did you mean {guess!r}?" if guess else ""),
                    line=self.table.header_line,
                    field=f"drop[{number}].column",
                    expected="a column heading of every file of people",
                )

    def preset_hint(self, header: Sequence[Any]) -> str:
        if self.mapping.columns:
            return ""
        headings = {normalise_heading(_text(c) or "") for c in header}
        for name, preset in PRESETS.items():
            sources = [k for k, v in preset.columns.items() if v == "id"]
            if any(normalise_heading(s) in headings for s in sources):
                return f"; the columns look like a {name} export: use preset {name!r}"
        return ""

    def topic_column(self, name: str, heading: str) -> bool:
        topics, line = self.topics, self.table.header_line
        if topics.known is not None:
            if name in topics.known:
                return True
            guess = closest(name, list(topics.known))
            self.problem(
                f"topic column {heading!r} names a topic the program does not have"
                + (f"; did you mean 'topic:{guess}'?" if guess else ""),
                line=line,
                field=heading,
                expected="topic:<name> for a name in " + ", ".join(topics.known),
            )
            return False
        if name not in topics.seen:
            topics.seen.append(name)
            if topics.first is None:
                topics.first = Origin(self.table.file, line, hint="topic columns")
            guess = closest(name, list(DEFAULT_TOPICS))
            if name not in DEFAULT_TOPICS and guess is not None:
                self.problem(
                    f"topic column {heading!r} is read as a topic of its own; "
                    f"did you mean 'topic:{guess}'?",
                    line=line,
                    field=heading,
                    expected="topic:<name> with the same names in every file",
                    severity="warning",
                )
        return True

    def label_row(self, cells: Sequence[Any]) -> bool:
        """True if ``cells`` is a second header row of display labels (SuccessFactors)."""
        id_column = next((c for c in self.columns if c.target == "id"), None)
        if id_column is None or id_column.index >= len(cells):
            return False
        return normalise_heading(_text(cells[id_column.index]) or "") == normalise_heading(
            id_column.heading
        )

    def read(self) -> None:
        table = self.table
        if table.header is None:
            self.problem("the file is empty", line=None, expected="a header row, then data rows")
            return
        if not self.resolve_header(table.header):
            return
        names: Iterable[str | None] = (
            table.row_names if table.row_names is not None else itertools.repeat(None)
        )
        # ``names`` is endless when the table has none: zip stops with the rows.
        rows: Iterable[tuple[int | None, Sequence[Any], str | None]] = (
            (line, cells, name) for (line, cells), name in zip(table.rows, names, strict=False)
        )
        if self.mapping.header_rows == 2:
            rows = self.skip_label_row(iter(rows))
        if table.kind == "org":
            self.read_org(rows)
            return
        count = 0
        for line, cells, name in rows:
            if all(_is_empty(c) for c in cells):
                continue
            count += 1
            self.row(line, cells, name, self.shown)
        if count == 0:
            self.problem(
                "the file has a header but no data rows",
                line=table.header_line,
                expected=f"one row per {ROLE_OF_KEY.get(table.kind, 'person')} below the header",
            )

    def row(
        self, line: int | None, cells: Sequence[Any], name: str | None, shown: dict[str, str]
    ) -> None:
        kind = self.table.kind
        hint = f"row {name}" if name is not None else f"row {line}"
        origin = Origin(self.table.file, line, columns=shown, hint=hint)
        if kind == "org":
            self.org_row(cells, origin)
            return
        if kind == "priority":
            column = self.columns[0]
            value = cells[column.index] if column.index < len(cells) else None
            self.raw.add("priority", _text(value), origin)
            return
        values: dict[str, Any] = {}
        for column in self.columns:
            value = cells[column.index] if column.index < len(cells) else None
            if not _is_empty(value):
                values.setdefault(column.target, []).append((column, value))
        rid = _text(values["id"][0][1]) if "id" in values else None
        if kind == "people":
            role_cell = _text(values.pop("role")[0][1]) if "role" in values else ""
            role = self.mapping.role(role_cell or "")
            if role is None:
                self.problem(
                    "unknown role",
                    line=line,
                    field=self.shown.get("role", "role"),
                    record=f"row {line}" if rid is None else f"person {rid!r}",
                    expected="mentor, executive, or org (empty) for people outside the program",
                )
                return
            if role == "org":
                self.org_row(cells, origin)
                return
            key = "mentors" if role == "mentor" else "executives"
        else:
            key = kind
        label = f"{ROLE_OF_KEY[key]} {rid!r}" if rid is not None else hint
        for index, rule in self.filters:
            cell = _text(cells[index]) if index < len(cells) else None
            if cell is not None and rule.drops(cell):
                self.notice(
                    f"row left out: {rule.reason}", line=line, record=label, field=rule.column
                )
                return
        if len(cells) > self.width and any(not _is_empty(c) for c in cells[self.width :]):
            # The cells are shifted, so no value is where its heading says: reading
            # them would only add confusing problems (and show values out of place).
            self.problem(
                f"the row has {len(cells)} cells but the header only {self.width}; "
                "the row is not read",
                line=line,
                record=label,
                expected="one cell per column; quote values that hold the delimiter",
            )
            return
        if key == "executives" and "capacity" in values:
            self.problem(
                "capacity is for mentors only",
                line=line,
                field=self.shown["capacity"],
                record=label,
                expected="an empty capacity cell for executives",
            )
            del values["capacity"]
        record: dict[str, Any] = {}
        levels: dict[str, int] = {}
        if not self.mapped(values, line, label):
            return
        for target, cells_of in values.items():
            column, value = cells_of[0]
            if target.startswith("topic:"):
                level = _whole(value)
                if level is None:
                    self.bad_cell(line, column, label, "a whole-number level 0-5")
                else:
                    levels[target[6:]] = level
            elif target in _INT_COLUMNS:
                number = _whole(value)
                if number is None:
                    self.bad_cell(line, column, label, "a whole number")
                else:
                    record[target] = number
            elif target in _LIST_COLUMNS:
                items = [
                    i
                    for _, v in cells_of
                    for i in _items(
                        v, self.mapping.list_separator, target in _COMMA_TOO, target in _PIPE_TOO
                    )
                ]
                record[target] = _joined_slots(items) if target == "availability" else items
            elif target in _JOINED:
                record[target] = " ".join(t for _, v in cells_of if (t := _text(v)))
            else:
                text = _text(value)
                if target == "manager_id" and text is not None and self.mapping.is_top(text):
                    continue
                if target == "timezone" and text is not None:
                    text = _zone(text)
                record[target] = text
        self.derived_topics(cells, line, label, levels)
        self.fill_constants(key, record, levels)
        if levels:
            record["expertise" if key == "mentors" else "interests"] = levels
        self.raw.add(key, record, origin)

    def mapped(
        self, values: dict[str, list[tuple[_Column, Any]]], line: int | None, label: str
    ) -> bool:
        """Replace value-mapped cells by their values, in place; False on an unmapped label."""
        ok = True
        for target in list(values):
            cells_of: list[tuple[_Column, Any]] = []
            for column, value in values[target]:
                if column.labels is None:
                    cells_of.append((column, value))
                    continue
                labels = (
                    _items(value, self.mapping.list_separator, target in _COMMA_TOO)
                    if target in _LIST_COLUMNS
                    else [_text(value) or ""]
                )
                out: list[Any] = []
                for text in labels:
                    mapped = self.looked_up(
                        column.labels,
                        text,
                        column.heading,
                        f"the value map {column.map_key!r}",
                        _known_labels(column.known) + f" (add it to values.{column.map_key})",
                        line,
                        label,
                    )
                    if mapped is _UNMAPPED:
                        ok = False
                        continue
                    out.extend(mapped if isinstance(mapped, list) else [mapped])
                kept = [v for v in out if not _is_empty(v)]
                if kept:
                    cells_of.append((column, kept if target in _LIST_COLUMNS else kept[0]))
            if cells_of:
                values[target] = cells_of
            else:
                del values[target]
        return ok

    def looked_up(
        self,
        labels: Mapping[str, Any],
        text: str,
        heading: str,
        where: str,
        expected: str,
        line: int | None,
        label: str,
    ) -> Any:
        """The value a cell label maps to, or _UNMAPPED after reporting a label not in the map."""
        key = text.strip().lower()
        if key in labels:
            return labels[key]
        self.problem(
            f"the label {text!r} in column {heading!r} is not in "
            f"{where} of mapping {self.mapping.name}",
            line=line,
            field=heading,
            record=label,
            expected=expected,
        )
        return _UNMAPPED

    def derived_topics(
        self, cells: Sequence[Any], line: int | None, label: str, levels: dict[str, int]
    ) -> None:
        """Add the topic levels of ``topics_from`` columns where no topic cell gave one."""
        for source in self.topic_sources:
            text = _text(cells[source.index]) if source.index < len(cells) else None
            if text is None:
                continue
            found = self.looked_up(
                source.labels,
                text,
                source.heading,
                "topics_from",
                _known_labels(source.known) + f" (add it to topics_from.{source.heading})",
                line,
                label,
            )
            if found is _UNMAPPED:
                continue
            for topic, level in found.items():
                levels.setdefault(topic, level)

    def fill_constants(self, key: str, record: dict[str, Any], levels: dict[str, int]) -> None:
        """Fill the mapping's constants where the person's cell is empty or absent."""
        for target, value in self.mapping.constants.items():
            if target.startswith("topic:"):
                if target[6:] in self.constant_topics:
                    levels.setdefault(target[6:], value)
            elif target == "capacity" and key != "mentors":
                continue
            elif target not in record and value != "":
                if target in _LIST_COLUMNS:
                    items = (
                        value
                        if isinstance(value, list)
                        else _items(value, self.mapping.list_separator, target in _COMMA_TOO)
                    )
                    record[target] = (
                        _joined_slots(list(items)) if target == "availability" else list(items)
                    )
                elif target == "timezone":
                    record[target] = _zone(value)
                else:
                    record[target] = value

    def skip_label_row(
        self, rows: Iterator[tuple[int | None, Sequence[Any], str | None]]
    ) -> Iterator[tuple[int | None, Sequence[Any], str | None]]:
        """Drop the second header row (display labels), or warn that it is data."""
        first = next(rows, None)
        if first is not None and not self.label_row(first[1]):
            self.problem(
                "this row was expected to be the second header row (display labels), "
                "but it looks like data; it is read as data",
                line=first[0],
                severity="warning",
                expected=f"the {self.mapping.name} export's two header rows",
            )
            yield first
        yield from rows

    def read_org(self, rows: Iterable[tuple[int | None, Sequence[Any], str | None]]) -> None:
        """Read org rows: only id and managers, on a fast path (an HR export is large)."""
        where = {c.target: c.index for c in self.columns}
        id_at, manager_at = where["id"], where.get("manager_id", -1)
        dotted_at, separator = where.get("secondary_manager_ids", -1), self.mapping.list_separator
        is_top, file, shown = self.mapping.is_top, self.table.file, self.shown
        records, origins = self.raw.records["org"], self.raw.origins["org"]
        for line, cells, name in rows:
            size = len(cells)
            rid = cells[id_at] if id_at < size else None
            rid = rid.strip() if type(rid) is str else _text(rid)
            manager = cells[manager_at] if 0 <= manager_at < size else None
            manager = manager.strip() if type(manager) is str else _text(manager)
            if manager and is_top(manager):
                manager = None
            dotted = (
                _items(cells[dotted_at], separator, False, True) if 0 <= dotted_at < size else []
            )
            if not rid and not manager and not dotted:
                continue  # a blank row
            record: dict[str, Any] = {"id": rid} if rid else {}
            if manager:
                record["manager_id"] = manager
            if dotted:
                record["secondary_manager_ids"] = dotted
            records.append(record)
            # Naming a row by its number is needed only when it has no id.
            hint = None if rid else (f"row {name}" if name is not None else f"row {line}")
            origins.append(Origin(file, line, None, shown, hint))

    def org_row(self, cells: Sequence[Any], origin: Origin) -> None:
        """Add an org row of a people table (role empty or ``org``)."""
        record: dict[str, Any] = {}
        for column in self.columns:
            if column.target not in ("id", "manager_id", "secondary_manager_ids"):
                continue
            if column.index >= len(cells):
                continue
            if column.target == "secondary_manager_ids":
                ids = _items(cells[column.index], self.mapping.list_separator, False, True)
                if ids:
                    record.setdefault(column.target, []).extend(ids)
                continue
            text = _text(cells[column.index])
            if text is None or (column.target == "manager_id" and self.mapping.is_top(text)):
                continue
            record[column.target] = text
        self.raw.add("org", record, origin)

    def bad_cell(self, line: int | None, column: _Column, label: str, expected: str) -> None:
        self.problem(
            f"the value in column {column.heading!r} is not {expected}",
            line=line,
            field=column.heading,
            record=label,
            expected=expected,
        )


def read_table(
    table: Table, mapping: ColumnMapping, topics: TopicVocabulary, raw: RawProgram
) -> None:
    """Append the records of ``table`` to ``raw``, reporting every column and cell problem.

    Parameters
    ----------
    table : Table
    mapping : ColumnMapping
    topics : TopicVocabulary
        Known topics (unknown topic columns are reported once), or the
        topics seen so far when inferring them.
    raw : RawProgram
        Receives records and problems.
    """
    _TableReader(table, mapping, topics, raw).read()
    raw.problems.extend(table.problems)
