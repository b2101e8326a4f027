"""From raw records with origins to a :class:`~revmatch.models.Program` and located problems.

Every reader (JSON, JSON Lines, CSV, Excel, DataFrames) turns its input into
canonical raw records, each with an :class:`Origin` (file, line, the lines
or source columns of its fields). This module validates them record by record
with the models, adds the checks that need origins (duplicate ids naming both
places, a person who is both mentor and executive, conflicting org rows),
keeps only the org-chart rows on a participant's reporting chain, runs the
program-wide checks and puts every problem back at its file and line.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from revmatch.exceptions import InvalidInputError, Problem
from revmatch.models import (
    Executive,
    HistoryEntry,
    Mentor,
    OrgEntry,
    PinnedPair,
    Program,
    ProgramInfo,
    check_program,
)

__all__ = [
    "LIST_KEYS",
    "RECORD_KEYS",
    "ROLE_OF_KEY",
    "Origin",
    "RawProgram",
    "Validated",
    "closest",
    "validate_raw",
]

RECORD_KEYS: tuple[str, ...] = ("mentors", "executives", "org", "history", "pinned")
"""Keys of the record lists of canonical program data, in order."""

LIST_KEYS: tuple[str, ...] = (*RECORD_KEYS, "priority")
"""Every list of canonical program data; ``priority`` holds executive ids, not records."""

ROLE_OF_KEY: dict[str, str] = {
    "mentors": "mentor",
    "executives": "executive",
    "org": "org entry",
    "history": "history entry",
    "pinned": "pinned pair",
    "priority": "priority entry",
}

_MODELS: dict[str, type[Mentor | Executive | OrgEntry | HistoryEntry | PinnedPair]] = {
    "mentors": Mentor,
    "executives": Executive,
    "org": OrgEntry,
    "history": HistoryEntry,
    "pinned": PinnedPair,
}

_PERSON_LABEL = re.compile(r"^(mentor|executive) (?P<id>'.*'|\".*\")$")
_INDEX_LABEL = re.compile(
    r"^(?P<key>mentors|executives|org|history|pinned|priority)\[(?P<index>\d+)\]"
)
_DUPLICATE_ID = "the id is used twice"


def closest(name: str, known: Sequence[str]) -> str | None:
    """Return the known name closest to ``name`` (case-insensitive), or None.

    Examples
    --------
    >>> closest("timezon", ["timezone", "name"])
    'timezone'
    """
    lowered = {k.lower(): k for k in known}
    found = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.75)
    if found:
        return lowered[found[0]]
    # Abbreviations ("exec" for "executive") are too short for a close ratio.
    starts = [k for k in lowered if len(name) >= 3 and k.startswith(name.lower())]
    return lowered[starts[0]] if len(starts) == 1 else None


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a raw record came from.

    Attributes
    ----------
    file : str or None
        File (or source such as ``"mentors DataFrame"``) of the record.
    line : int or None
        Line (JSON) or row as a spreadsheet shows it (CSV, Excel).
    field_lines : mapping of str to int, optional
        Line of each top-level field (JSON records spanning many lines).
    columns : mapping of str to str, optional
        Canonical column (``"manager_id"``, ``"topic:digital"``) to the
        column heading in the source, when they differ or to name it at all.
    hint : str, optional
        How to name the record when it has no usable id (``"row 7"``).
    """

    file: str | None = None
    line: int | None = None
    field_lines: Mapping[str, int] | None = None
    columns: Mapping[str, str] | None = None
    hint: str | None = None

    def where(self) -> str:
        """Return ``"file line N"`` (or what of it is known)."""
        parts = [p for p in (self.file, f"line {self.line}" if self.line else None) if p]
        return " ".join(parts) if parts else (self.hint or "another record")

    def place(self, field_path: str | None) -> tuple[int | None, str | None]:
        """Return (line, shown field name) of a field path such as ``"expertise.digital"``."""
        if not field_path:
            return self.line, field_path
        head = _head(field_path)
        line = self.line
        if self.field_lines is not None and head in self.field_lines:
            line = self.field_lines[head]
        if self.columns is None:
            return line, field_path
        column = head
        if head in ("expertise", "interests") and "." in field_path:
            column = "topic:" + field_path.split(".", 1)[1]
        return line, self.columns.get(column, column)


@dataclass
class RawProgram:
    """Canonical raw data gathered by a reader, with origins and early problems.

    Attributes
    ----------
    info : mapping or None
        Raw ``program`` settings, if given.
    info_origin : Origin
        Where the settings came from.
    records : dict of str to list
        Raw records per key of :data:`LIST_KEYS` (``priority``: raw ids).
    origins : dict of str to list of Origin
        One origin per raw record, in the same order.
    problems : list of Problem
        Problems found while reading (structure, columns, cell values).
    """

    info: Mapping[str, Any] | None = None
    info_origin: Origin = field(default_factory=Origin)
    records: dict[str, list[Any]] = field(default_factory=lambda: {k: [] for k in LIST_KEYS})
    origins: dict[str, list[Origin]] = field(default_factory=lambda: {k: [] for k in LIST_KEYS})
    problems: list[Problem] = field(default_factory=list)

    def add(self, key: str, record: Any, origin: Origin) -> None:
        """Append one raw record (or, for ``priority``, one raw id) of list ``key``."""
        self.records[key].append(record)
        self.origins[key].append(origin)

    def extend(self, other: RawProgram) -> None:
        """Append the records and problems of ``other`` (settings: the first given wins)."""
        for key in LIST_KEYS:
            self.records[key].extend(other.records[key])
            self.origins[key].extend(other.origins[key])
        self.problems.extend(other.problems)
        if self.info is None and other.info is not None:
            self.info, self.info_origin = other.info, other.info_origin


@dataclass
class Validated:
    """Outcome of :func:`validate_raw`.

    Attributes
    ----------
    program : Program or None
        The program, when there is no error.
    problems : list of Problem
        Every error and warning, located.
    counts : dict of str to int
        Records read per list, and ``"org_kept"``: org rows on a chain.
    """

    program: Program | None
    problems: list[Problem]
    counts: dict[str, int]


def _raw_id(value: Any) -> str | None:
    if type(value) is str:  # the common case, first: this runs for every org row
        return value.strip() or None
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value).strip() or None


def _raw_ids(value: Any) -> list[str]:
    """The readable ids of a raw list of ids (anything else: none; the model reports it)."""
    if not isinstance(value, list | tuple):
        return []
    return [rid for v in value if (rid := _raw_id(v)) is not None]


def _label(key: str, record: Any, index: int, origin: Origin) -> str:
    rid = None
    if key in ("mentors", "executives", "org") and isinstance(record, Mapping):
        rid = _raw_id(record.get("id"))
    if rid is not None:
        return f"{ROLE_OF_KEY[key]} {rid!r}"
    return origin.hint or f"{key}[{index}]"


def _moved(problem: Problem, origin: Origin, record: str | None) -> Problem:
    line, shown = origin.place(problem.field)
    return Problem(
        message=problem.message,
        field=shown,
        record=record,
        line=line,
        file=origin.file,
        expected=problem.expected,
        severity=problem.severity,
    )


def _unknown_fields(
    key: str, record: dict[str, Any], origin: Origin, label: str
) -> tuple[dict[str, Any], list[Problem]]:
    known = list(_MODELS[key].model_fields)
    unknown = [name for name in record if name not in _MODELS[key].model_fields]
    if not unknown:
        return record, []
    problems = []
    for name in unknown:
        guess = closest(str(name), known)
        hint = f" (did you mean {guess!r}?)" if guess else ""
        problems.append(
            _moved(
                Problem(
                    f"unknown field {name!r}{hint}",
                    field=str(name),
                    expected="one of " + ", ".join(known),
                ),
                origin,
                label,
            )
        )
    return {k: v for k, v in record.items() if k not in unknown}, problems


def _duplicate_people(raw: RawProgram) -> list[Problem]:
    first: dict[str, tuple[str, Origin]] = {}
    problems = []
    for key in ("mentors", "executives"):
        role = ROLE_OF_KEY[key]
        for record, origin in zip(raw.records[key], raw.origins[key], strict=True):
            rid = _raw_id(record.get("id")) if isinstance(record, Mapping) else None
            if rid is None:
                continue
            if rid not in first:
                first[rid] = (role, origin)
                continue
            other_role, other = first[rid]
            if other_role != role:
                message = (
                    f"this person is listed both as {other_role} ({other.where()}) and as {role}"
                )
                expected = "each person in one role: mentor or executive"
            else:
                message = f"the id is used twice (first at {other.where()})"
                expected = "ids unique across mentors and executives"
            problems.append(
                _moved(Problem(message, field="id", expected=expected), origin, f"{role} {rid!r}")
            )
    return problems


def _org_needed(
    raw: RawProgram, prune: bool
) -> tuple[list[tuple[dict[str, Any], Origin]], list[Problem]]:
    """Deduplicate org rows, report conflicts and keep the rows on participants' chains."""
    problems: list[Problem] = []
    rows: dict[str, tuple[dict[str, Any], Origin]] = {}
    manager_of: dict[str, str | None] = {}
    dotted_of: dict[str, list[str]] = {}
    unusable: list[tuple[dict[str, Any], Origin]] = []
    conflicts: list[tuple[str, Origin, Origin]] = []
    for record, origin in zip(raw.records["org"], raw.origins["org"], strict=True):
        rid = _raw_id(record.get("id")) if isinstance(record, Mapping) else None
        if rid is None:
            # Let the model report it; it cannot take part in any chain.
            unusable.append((record, origin))
            continue
        manager = _raw_id(record.get("manager_id"))
        if manager == rid:
            manager = None  # one's own manager is the top of the tree, as in the models
        dotted = _raw_ids(record.get("secondary_manager_ids"))
        if rid in rows:
            if manager != manager_of[rid]:
                conflicts.append((rid, origin, rows[rid][1]))
            elif any(d not in dotted_of[rid] for d in dotted):
                # Dotted lines add up over the rows of one id, as in the models.
                dotted_of[rid] += [d for d in dotted if d not in dotted_of[rid]]
                first, at = rows[rid]
                rows[rid] = ({**first, "secondary_manager_ids": dotted_of[rid]}, at)
            continue
        rows[rid] = (record, origin)
        manager_of[rid] = manager
        dotted_of[rid] = dotted
    if prune:
        needed: set[str] = set()
        stack: list[str] = []
        for key in ("mentors", "executives"):
            for record in raw.records[key]:
                if not isinstance(record, Mapping):
                    continue
                for value in (record.get("id"), record.get("manager_id")):
                    rid = _raw_id(value)
                    if rid is not None:
                        stack.append(rid)
                stack += _raw_ids(record.get("secondary_manager_ids"))
        while stack:  # upwards along solid and dotted lines
            rid = stack.pop()
            if rid in needed or rid not in rows:
                continue
            needed.add(rid)
            manager = manager_of[rid]
            if manager is not None:
                stack.append(manager)
            stack += dotted_of[rid]
        kept = [rows[rid] for rid in rows if rid in needed]
    else:
        needed = set(rows)
        kept = list(rows.values())
    for rid, origin, other in conflicts:
        on_chain = rid in needed
        problems.append(
            _moved(
                Problem(
                    f"the org chart lists this id twice with different managers (also at "
                    f"{other.where()})"
                    + ("" if on_chain else "; it is on no participant's chain, so it is ignored"),
                    field="manager_id",
                    expected="one row per employee",
                    severity="error" if on_chain else "warning",
                ),
                origin,
                f"org entry {rid!r}",
            )
        )
    return unusable + kept, problems


def _org_dead_ends(valid: dict[str, list[Any]], origins: dict[str, list[Origin]]) -> list[Problem]:
    """Warn about org rows on a chain whose manager is nowhere (the model checks people only)."""
    known = {item.id for key in ("mentors", "executives", "org") for item in valid[key]}
    return [
        _moved(
            Problem(
                f"manager {entry.manager_id!r} is not in the program or the org chart; "
                "the reporting chain stops there",
                field="manager_id",
                severity="warning",
            ),
            origin,
            f"org entry {entry.id!r}",
        )
        for entry, origin in zip(valid["org"], origins["org"], strict=True)
        if entry.manager_id is not None and entry.manager_id not in known
    ]


def _head(field_path: str | None) -> str:
    return re.split(r"[.\[]", field_path or "", maxsplit=1)[0]


def _without(model: type[Any], record: Mapping[str, Any], bad: set[str]) -> Any | None:
    """Validate ``record`` without the fields in ``bad``; None if that fails too."""
    if not bad or "" in bad or "id" in bad:
        return None
    try:
        return model.model_validate({k: v for k, v in record.items() if k not in bad})
    except InvalidInputError:
        return None


def _cycle_ids(record: str) -> list[str] | None:
    try:
        ids = ast.literal_eval(f"({record},)")
    except (ValueError, SyntaxError):
        return None
    if isinstance(ids, tuple) and all(isinstance(i, str) for i in ids):
        return list(ids)
    return None


class _Locator:
    """Put program-wide problems (named by id or index) back at their origin."""

    def __init__(
        self,
        people: dict[tuple[str, str], Origin],
        by_id: dict[str, Origin],
        lists: dict[str, list[Origin]],
        single_file: str | None,
    ) -> None:
        self.people = people
        self.by_id = by_id
        self.lists = lists
        self.single_file = single_file

    def locate(self, problem: Problem) -> Problem:
        record = problem.record or ""
        match = _PERSON_LABEL.match(record)
        if match:
            rid = ast.literal_eval(match.group("id"))
            origin = self.people.get((match.group(1), rid))
            if origin is not None:
                return _moved(problem, origin, record)
        match = _INDEX_LABEL.match(record)
        if match:
            origins = self.lists.get(match.group("key"), [])
            index = int(match.group("index"))
            if index < len(origins):
                return _moved(problem, origins[index], record)
        ids = _cycle_ids(record) if record else None
        if ids:
            places = [self.by_id[i] for i in ids if i in self.by_id]
            if places:
                where = "; ".join(
                    f"{i!r} at {self.by_id[i].where()}" for i in ids if i in self.by_id
                )
                located = _moved(problem, places[0], record)
                return Problem(
                    message=f"{located.message} ({where})",
                    field=located.field,
                    record=located.record,
                    line=located.line,
                    file=located.file,
                    expected=located.expected,
                    severity=located.severity,
                )
        if problem.file is None and self.single_file is not None:
            return Problem(
                message=problem.message,
                field=problem.field,
                record=problem.record,
                line=problem.line,
                file=self.single_file,
                expected=problem.expected,
                severity=problem.severity,
            )
        return problem


def validate_raw(raw: RawProgram, *, prune_org: bool = True, strict: bool = False) -> Validated:
    """Validate gathered raw data; collect every problem, located.

    Parameters
    ----------
    raw : RawProgram
        Records and origins from a reader.
    prune_org : bool
        Keep only the org rows on a reporting chain of a mentor or executive
        (the others cannot change the match).
    strict : bool
        Report a time zone written as an abbreviation as an error, not a
        warning (see :func:`revmatch.models.check_program`).

    Returns
    -------
    Validated
        The program (when error-free), all problems, and record counts.
    """
    problems = list(raw.problems)
    info: ProgramInfo | None = ProgramInfo()
    if raw.info is not None:
        try:
            info = ProgramInfo.model_validate(raw.info)
        except InvalidInputError as exc:
            problems.extend(_moved(p, raw.info_origin, "program") for p in exc.problems)
            info = None
    problems.extend(_duplicate_people(raw))
    org_pairs, org_problems = _org_needed(raw, prune_org)
    problems.extend(org_problems)
    candidates: dict[str, list[tuple[dict[str, Any], Origin]]] = {
        key: list(zip(raw.records[key], raw.origins[key], strict=True))
        for key in RECORD_KEYS
        if key != "org"
    }
    candidates["org"] = org_pairs
    valid: dict[str, list[Any]] = {key: [] for key in LIST_KEYS}
    valid_origins: dict[str, list[Origin]] = {key: [] for key in LIST_KEYS}
    skip_fields: dict[str, set[str]] = {}
    for key in RECORD_KEYS:
        model = _MODELS[key]
        for index, (record, origin) in enumerate(candidates[key]):
            label = _label(key, record, index, origin)
            if not isinstance(record, Mapping):
                problems.append(
                    _moved(Problem("expected an object with the record's fields"), origin, label)
                )
                continue
            record, unknown = _unknown_fields(key, dict(record), origin, label)
            problems.extend(unknown)
            try:
                item = model.model_validate(record)
            except InvalidInputError as exc:
                problems.extend(_moved(p, origin, label) for p in exc.problems)
                # Check the rest of the record program-wide too, so one bad cell
                # does not hide the next problem; the program stays invalid.
                bad = {_head(p.field) for p in exc.problems}
                retry = _without(model, record, bad)
                if retry is None:
                    continue
                item, skip_fields[label] = retry, bad
            valid[key].append(item)
            valid_origins[key].append(origin)
    for index, (value, origin) in enumerate(
        zip(raw.records["priority"], raw.origins["priority"], strict=True)
    ):
        rid = _raw_id(value)
        if rid is None:
            problems.append(
                _moved(
                    Problem("expected an executive id", field="executive_id"),
                    origin,
                    origin.hint or f"priority[{index}]",
                )
            )
            continue
        valid["priority"].append(rid)
        valid_origins["priority"].append(origin)
    people: dict[tuple[str, str], Origin] = {}
    by_id: dict[str, Origin] = {}
    for key in ("mentors", "executives", "org"):
        for item, origin in zip(valid[key], valid_origins[key], strict=True):
            if key != "org":
                people.setdefault((ROLE_OF_KEY[key], item.id), origin)
            by_id.setdefault(item.id, origin)
    problems.extend(_org_dead_ends(valid, valid_origins))
    files = {o.file for key in LIST_KEYS for o in raw.origins[key]} | {raw.info_origin.file}
    files.discard(None)
    locator = _Locator(people, by_id, valid_origins, next(iter(files)) if len(files) == 1 else None)
    counts = {key: len(raw.records[key]) for key in LIST_KEYS}
    counts["org_kept"] = len(valid["org"])
    if info is not None:
        partial = Program.model_construct(
            program=info,
            mentors=tuple(valid["mentors"]),
            executives=tuple(valid["executives"]),
            org=tuple(valid["org"]),
            history=tuple(valid["history"]),
            pinned=tuple(valid["pinned"]),
            priority=tuple(valid["priority"]),
        )
        for problem in check_program(partial, strict=strict):
            if problem.field == "id" and problem.message.startswith(_DUPLICATE_ID):
                continue  # reported above with both places
            if _head(problem.field) in skip_fields.get(problem.record or "", ()):
                continue  # a consequence of a field already reported as invalid
            if problem.record == "program":
                problems.append(_moved(problem, raw.info_origin, "program"))
            else:
                problems.append(locator.locate(problem))
    if any(p.severity == "error" for p in problems):
        return Validated(None, problems, counts)
    try:
        program = Program(program=info, **{key: tuple(items) for key, items in valid.items()})
    except InvalidInputError as exc:
        problems.extend(locator.locate(p) for p in exc.problems)
        return Validated(None, problems, counts)
    return Validated(program, problems, counts)
