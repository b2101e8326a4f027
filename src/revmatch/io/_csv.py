"""CSV files: reading into tables (standard library only) and writing programs.

Files come as HR systems and spreadsheets write them: the encoding is
detected (see :mod:`revmatch.io._text`) and so is the delimiter (``,``,
``;``, tab or ``|``), from the header row checked against the rows below
it; a mapping or the caller may name either instead. What was used is
reported for every file. There is one header row (two for
SuccessFactors). Row numbers in messages are those a spreadsheet shows: the
header is row 1 and a cell spanning several text lines is still one row.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from revmatch.exceptions import InvalidInputError, Problem
from revmatch.models import Program

from ._json import program_records
from ._mapping import CANONICAL_COLUMNS, ColumnMapping
from ._tabular import Table
from ._text import decode_export, display_name

__all__ = [
    "DELIMITERS",
    "check_delimiter",
    "csv_table",
    "detect_delimiter",
    "program_tables",
    "separator_line",
    "write_csv_dir",
    "write_people_csv",
]

DELIMITERS: dict[str, str] = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}
"""Delimiters that are detected, with their names in messages."""
_ALIASES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
# Excel's hint line above the header, "sep=;": Excel hides it and splits at that character.
_SEP_LINE = re.compile(r"sep=([^\r\n])\r?\n", re.IGNORECASE)
# Enough rows to see a pattern, few enough to stay instant on a large export.
_SAMPLE_ROWS = 50
_SAMPLE_CHARS = 1 << 16


def check_delimiter(value: str) -> str:
    """Return a delimiter given by a caller, accepting ``"tab"`` and ``"\\t"`` for a tab.

    Raises
    ------
    InvalidInputError
        If ``value`` is not one character (or such a name).

    Examples
    --------
    >>> check_delimiter("tab") == chr(9), check_delimiter(";")
    (True, ';')
    """
    found = _ALIASES.get(value.strip().lower(), value)
    if len(found) != 1 or found in '"\r\n':
        raise InvalidInputError(
            Problem(
                f"invalid delimiter {value!r}",
                field="delimiter",
                expected="one character such as ',' or ';', or 'tab'",
            )
        )
    return found


def _sample(text: str) -> list[dict[str, int]]:
    """Count the candidate delimiters outside quotes in the first non-blank rows."""
    rows: list[dict[str, int]] = []
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = filled = False
    for char in text[:_SAMPLE_CHARS]:
        if char == '"':
            quoted = not quoted
            filled = True
        elif quoted:
            continue
        elif char == "\n":
            if filled:
                rows.append(counts)
                if len(rows) == _SAMPLE_ROWS:
                    return rows
            counts = dict.fromkeys(DELIMITERS, 0)
            filled = False
        elif char in counts:
            counts[char] += 1
            filled = True
        elif not char.isspace():
            filled = True
    if filled:
        rows.append(counts)
    return rows


def detect_delimiter(text: str) -> tuple[str | None, tuple[str, ...]]:
    """Find the delimiter of CSV text from its header row and the rows below.

    Each candidate (``,``, ``;``, tab, ``|``) is counted outside quotes in
    the header; a candidate that the header holds and that splits the
    following rows into as many cells as the header wins, and on a tie,
    the one the header holds most often, then the order above.

    Parameters
    ----------
    text : str

    Returns
    -------
    delimiter : str or None
        None for a file of one column (the header holds no candidate).
    also : tuple of str
        Other candidates that fit the rows exactly as well, if any.

    Examples
    --------
    >>> detect_delimiter("id;name;dept\\nm1;Müller, Hans;IT\\n")
    (';', ())
    >>> detect_delimiter("id\\nm1\\n")
    (None, ())
    """
    rows = _sample(text)
    if not rows:
        return None, ()
    header, rest = rows[0], rows[1:]
    scores: dict[str, tuple[float, int]] = {}
    for candidate, count in header.items():
        if count:
            agree = sum(r[candidate] == count for r in rest) / len(rest) if rest else 1.0
            scores[candidate] = (agree, count)
    if not scores:
        return None, ()
    # max() keeps the first of equal scores: the order of DELIMITERS breaks ties.
    best = max(scores, key=scores.__getitem__)
    top = scores[best][0]
    return best, tuple(c for c, (agree, _) in scores.items() if c != best and agree == top)


def separator_line(text: str) -> tuple[str | None, str]:
    """Split off Excel's ``sep=;`` line: (its delimiter or None, the text below it).

    Some systems write it above the header so that Excel splits the columns
    at the right character; Excel then hides the line, so the header is
    row 1 as the spreadsheet shows it.

    Examples
    --------
    >>> separator_line("sep=;\\nid;name\\n")
    (';', 'id;name\\n')
    >>> separator_line("id,name\\n")
    (None, 'id,name\\n')
    """
    match = _SEP_LINE.match(text)
    if match is None:
        return None, text
    return match.group(1), text[match.end() :]


def _delimiter_problem(header: Sequence[str], delimiter: str, file: str) -> Problem | None:
    """A header of one cell holding another delimiter: the delimiter given is wrong."""
    if len(header) != 1:
        return None
    for candidate, name in DELIMITERS.items():
        if candidate != delimiter and candidate in header[0]:
            return Problem(
                f"the file is separated by {name}, but the delimiter given is "
                f"{DELIMITERS.get(delimiter, repr(delimiter))}",
                file=file,
                line=1,
                field="delimiter",
                expected=f"the delimiter {candidate!r}, or none to have it detected",
            )
    return None


def _separated(delimiter: str | None) -> str:
    if delimiter is None:
        return "one column"
    return f"{DELIMITERS.get(delimiter, repr(delimiter))}-separated"


def csv_table(path: str | os.PathLike[str], kind: str, mapping: ColumnMapping) -> Table:
    """Open a CSV file as a :class:`Table`, detecting encoding and delimiter.

    Parameters
    ----------
    path : str or path-like
    kind : str
        What the file holds (``mentors``, ``executives``, ``people``, ``org``,
        ``history``, ``pinned``, ``priority``).
    mapping : ColumnMapping
        Its ``encoding`` and ``delimiter``, when set, are used instead of
        detecting them.

    Returns
    -------
    Table
        Rows are read lazily; broken quoting ends them with a located
        problem in ``table.problems``, which starts with a notice of what
        the file was read as (``"read as Windows-1252, ';'-separated"``).

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    InvalidInputError
        If the file is not text, or the encoding or delimiter given does
        not fit it.
    """
    file = display_name(path)
    decoded = decode_export(Path(path).read_bytes(), file, mapping.encoding)
    hinted, text = separator_line(decoded.text)
    parts = [f"read as {decoded.encoding}" + " (as given)" * decoded.given]
    delimiter = mapping.delimiter
    if delimiter is None and hinted is not None:
        delimiter = hinted
        parts.append(
            f"{_separated(hinted)} as its first line 'sep={hinted}' says (a line Excel hides)"
        )
    elif delimiter is None:
        found, also = detect_delimiter(text)
        delimiter = found or ","
        parts.append(_separated(found))
        if also:
            names = " or ".join(DELIMITERS[c] for c in also)
            parts.append(f"{names} would split the rows as well; name the delimiter to choose")
    else:
        parts.append(_separated(delimiter) + " (as given)")
    table = Table(file, kind, None, 1, iter(()))
    table.problems.append(Problem(", ".join(parts), file=file, severity="notice"))
    rows = _rows(text, delimiter, table)
    try:
        table.header = next(rows)[1]
    except StopIteration:
        return table
    if mapping.delimiter is not None:
        problem = _delimiter_problem(table.header, delimiter, file)
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


# Every person column, capacity last: the order of written tables.
_PERSON_ORDER = CANONICAL_COLUMNS["mentors"]


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
        # The dotted-line column only when some entry has one, so files without stay as they were.
        header = ["id", "manager_id", "secondary_manager_ids"]
        if not any(o.secondary_manager_ids for o in program.org):
            header.pop()
        out["org"] = (
            header,
            [
                [o.id, o.manager_id, ";".join(o.secondary_manager_ids) or None][: len(header)]
                for o in program.org
            ],
        )
    if program.history:
        # Outcome columns only when some pair has one, so files without stay as they were.
        kept = program.history
        extra = [c for c in ("rating", "outcome", "reason") if any(getattr(h, c) for h in kept)]
        out["history"] = (
            ["executive_id", "mentor_id", "round", *extra],
            [
                [h.executive_id, h.mentor_id, h.round, *(getattr(h, c) for c in extra)]
                for h in program.history
            ],
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
        values = {
            "id": entry.id,
            "manager_id": entry.manager_id,
            "secondary_manager_ids": ";".join(entry.secondary_manager_ids) or None,
        }
        rows.append(["org", *(values.get(c) for c in header[1:])])
    _write(Path(path), header, rows)
