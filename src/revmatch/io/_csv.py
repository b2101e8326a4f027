"""CSV files: reading into tables (standard library only) and writing programs.

Files are UTF-8 (Excel's byte-order mark is fine), comma-separated, with one
header row (two for SuccessFactors). Row numbers in messages are those a
spreadsheet shows: the header is row 1 and a cell spanning several text
lines is still one row.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from revmatch.exceptions import InvalidInputError, Problem
from revmatch.models import Program

from ._json import program_records
from ._mapping import ColumnMapping
from ._tabular import Table
from ._text import decode_text, display_name

__all__ = ["csv_table", "program_tables", "write_csv_dir", "write_people_csv"]

_OTHER_DELIMITERS = {";": "';'", "\t": "tabs", "|": "'|'"}


def _delimiter_problem(header: Sequence[str], mapping: ColumnMapping, file: str) -> Problem | None:
    if len(header) != 1:
        return None
    for delimiter, name in _OTHER_DELIMITERS.items():
        if delimiter == mapping.delimiter or delimiter not in header[0]:
            continue
        parts = header[0].split(delimiter)
        if any(mapping.target(p) is not None for p in parts) or len(parts) > 2:
            return Problem(
                f"the file is separated by {name}, not by {mapping.delimiter!r}",
                file=file,
                line=1,
                expected="comma-separated values (in Excel: Save As 'CSV UTF-8 (Comma "
                f'delimited)\'), or a mapping file with "delimiter": {delimiter!r}',
            )
    return None


def csv_table(path: str | os.PathLike[str], kind: str, mapping: ColumnMapping) -> Table:
    """Open a CSV file as a :class:`Table`.

    Parameters
    ----------
    path : str or path-like
    kind : str
        What the file holds (``mentors``, ``executives``, ``people``, ``org``,
        ``history``, ``pinned``).
    mapping : ColumnMapping
        Gives the delimiter.

    Returns
    -------
    Table
        Rows are read lazily; broken quoting ends them with a located
        problem in ``table.problems``.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    InvalidInputError
        If the file is not UTF-8 text or not delimited by ``mapping.delimiter``.
    """
    file = display_name(path)
    text = decode_text(Path(path).read_bytes(), file)
    table = Table(file, kind, None, 1, iter(()))
    rows = _rows(text, mapping.delimiter, table)
    try:
        table.header = next(rows)[1]
    except StopIteration:
        return table
    problem = _delimiter_problem(table.header, mapping, file)
    if problem is not None:
        raise InvalidInputError(problem)
    table.rows = rows
    return table


def _rows(text: str, delimiter: str, table: Table) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    try:
        for row in reader:
            number += 1
            yield number, row
    except csv.Error as exc:
        # The rest of the file cannot be split into cells reliably; stop here.
        limit = csv.field_size_limit()
        if "field larger than field limit" in str(exc):
            # One opening quote left unclosed swallows the rest of the file into a cell.
            message = (
                f"a cell holds more than {limit} characters (often a quote left open); "
                "the rest of the file is not read"
            )
        else:
            message = f"the CSV quoting is broken ({exc}); the rest of the file is not read"
        table.problems.append(
            Problem(
                message,
                file=table.file,
                line=number + 1,
                expected='values with commas, quotes or line breaks inside "double quotes", '
                f'with inner quotes doubled (""), each cell at most {limit} characters',
            )
        )


_PERSON_ORDER = (
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
    "capacity",
)
_LISTS = ("languages", "groups", "availability", "blocked", "preferred")


def program_tables(program: Program) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Return the program as canonical tables: kind -> (header, rows).

    Person tables hold ``id``, every column some person uses, and one
    ``topic:<name>`` column per program topic (so the topic list survives a
    round trip); cells hold text, integers or None (empty), lists joined
    by ``;`` as in CSV.

    Parameters
    ----------
    program : Program

    Returns
    -------
    dict of str to (list of str, list of list)
        Keys ``mentors``, ``executives`` and, when not empty, ``org``,
        ``history``, ``pinned``, ``priority``.
    """
    out: dict[str, tuple[list[str], list[list[Any]]]] = {}
    for key, levels in (("mentors", "expertise"), ("executives", "interests")):
        people = getattr(program, key)
        used = [
            c
            for c in _PERSON_ORDER
            if c == "id"
            or (key == "mentors" and c == "capacity")
            or any(getattr(p, c, None) not in (None, ()) for p in people)
        ]
        header = used + [f"topic:{t}" for t in program.topics]
        rows = []
        for person in people:
            row: list[Any] = []
            for column in used:
                value = getattr(person, column)
                if isinstance(value, tuple):
                    value = ";".join(map(str, value)) or None
                row.append(value)
            row += [getattr(person, levels).get(t) for t in program.topics]
            rows.append(row)
        out[key] = (header, rows)
    if program.org:
        out["org"] = (["id", "manager_id"], [[o.id, o.manager_id] for o in program.org])
    if program.history:
        out["history"] = (
            ["executive_id", "mentor_id", "round"],
            [[h.executive_id, h.mentor_id, h.round] for h in program.history],
        )
    if program.pinned:
        out["pinned"] = (
            ["executive_id", "mentor_id"],
            [[p.executive_id, p.mentor_id] for p in program.pinned],
        )
    if program.priority:
        out["priority"] = (["executive_id"], [[pid] for pid in program.priority])
    return out


def _write(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    # utf-8-sig: Excel opens the file with the right encoding on double-click.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)


def write_csv_dir(program: Program, directory: str | os.PathLike[str]) -> None:
    """Write a program as a directory of CSV files and ``program.json``.

    The files are ``mentors.csv``, ``executives.csv`` and, when not empty,
    ``org.csv``, ``history.csv``, ``pinned.csv``, ``priority.csv``. Files of those names (and
    ``people.csv``) left from an earlier program are removed, since reading
    the directory would mix them in.

    Parameters
    ----------
    program : Program
    directory : str or path-like
        Created if missing.
    """
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    tables = program_tables(program)
    for key in ("mentors", "executives", "people", "org", "history", "pinned", "priority"):
        if key not in tables:
            (target / f"{key}.csv").unlink(missing_ok=True)
    for key, (header, rows) in tables.items():
        _write(target / f"{key}.csv", header, rows)
    info = program_records(program)["program"]
    (target / "program.json").write_text(
        json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def write_people_csv(program: Program, path: str | os.PathLike[str]) -> None:
    """Write one ``people.csv`` with a ``role`` column (mentors, executives, org rows).

    Parameters
    ----------
    program : Program
    path : str or path-like

    Raises
    ------
    InvalidInputError
        If the program has settings other than its topics (name, dates, time
        zone), history, pinned pairs or priority, which one people file cannot
        hold.
    """
    info = program.program
    lost = [n for n in ("name", "start", "end", "timezone") if getattr(info, n)]
    lost += [n for n in ("history", "pinned", "priority") if getattr(program, n)]
    if lost:
        raise InvalidInputError(
            Problem(
                "one people.csv cannot hold the program's " + ", ".join(lost),
                file=display_name(path),
                expected="a directory (mentors.csv, executives.csv, ..., program.json), "
                "a .json or a .xlsx file",
            )
        )
    tables = program_tables(program)
    used = set(tables["mentors"][0]) | set(tables["executives"][0])
    header = ["role"] + [c for c in _PERSON_ORDER if c in used]
    header += [f"topic:{t}" for t in program.topics]
    rows: list[list[Any]] = []
    for role, key in (("mentor", "mentors"), ("executive", "executives")):
        own, own_rows = tables[key]
        for row in own_rows:
            values = dict(zip(own, row, strict=True))
            rows.append([role, *(values.get(c) for c in header[1:])])
    for entry in program.org:
        values = {"id": entry.id, "manager_id": entry.manager_id}
        rows.append(["org", *(values.get(c) for c in header[1:])])
    _write(Path(path), header, rows)
