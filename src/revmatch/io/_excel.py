"""Excel workbooks (``.xlsx``): sheets ``mentors``, ``executives``, ``org``, ... via openpyxl.

openpyxl comes with the ``pandas`` extra and is imported only when a
workbook is read or written.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from revmatch.exceptions import InvalidInputError, Problem
from revmatch.models import Program

from ._csv import program_tables
from ._mapping import ColumnMapping, normalise_heading
from ._tabular import Table
from ._text import display_name
from ._validate import Origin

__all__ = [
    "TABLE_KINDS",
    "Workbook",
    "append_row",
    "openpyxl_module",
    "read_workbook",
    "write_workbook",
]

TABLE_KINDS: tuple[str, ...] = (
    "mentors",
    "executives",
    "people",
    "org",
    "history",
    "pinned",
    "priority",
)
"""Kinds of tables, which are also the sheet (and CSV file) names."""

_INFO_KEYS = ("name", "start", "end", "timezone", "topics")
# What a damaged workbook raises while its sheets are read, which happens lazily,
# row by row: broken XML (ElementTree's and lxml's errors are SyntaxErrors), broken
# compression, or a member missing from the archive.
_DAMAGED = (SyntaxError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError, ValueError)


def openpyxl_module(purpose: str) -> Any:
    """Import openpyxl, or fail with the install command.

    Raises
    ------
    ImportError
        If openpyxl is not installed.
    """
    try:
        import openpyxl
    except ImportError:
        raise ImportError(
            f"openpyxl is needed for {purpose}: pip install 'revmatch[pandas]'"
        ) from None
    return openpyxl


def append_row(sheet: Any, values: Sequence[Any]) -> None:
    """Append a row to a write-only sheet; text stays text, even when it starts with ``=``.

    openpyxl writes such text as a formula: a name like ``"=SUM(A1)"`` would be
    computed by the spreadsheet (and could run whatever it says) instead of shown.
    """
    from openpyxl.cell import WriteOnlyCell

    row: list[Any] = []
    for value in values:
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            row.append(cell)
        else:
            row.append(value)
    sheet.append(row)


@dataclass
class Workbook:
    """The tables and program settings read from a workbook.

    Attributes
    ----------
    tables : list of Table
        Read lazily: call :meth:`close` when done.
    info : dict or None
        Settings from a ``program`` sheet (rows of setting, value).
    info_origin : Origin
    problems : list of Problem
    """

    tables: list[Table] = field(default_factory=list)
    info: dict[str, Any] | None = None
    info_origin: Origin = field(default_factory=Origin)
    problems: list[Problem] = field(default_factory=list)
    book: Any = None

    def close(self) -> None:
        """Close the workbook file (its sheets are read lazily until then)."""
        if self.book is not None:
            self.book.close()


def _rows(sheet: Any, file: str, problems: list[Problem]) -> Iterator[tuple[int, Sequence[Any]]]:
    number = 0
    try:
        for number, cells in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            yield number, cells
    except _DAMAGED as exc:
        where = f"beyond row {number}" if number else "at all"
        problems.append(
            Problem(
                f"the workbook is damaged: the sheet cannot be read {where} ({type(exc).__name__})",
                file=file,
                line=number + 1,
                expected="an .xlsx workbook saved by Excel, LibreOffice or revmatch",
            )
        )


def _table(file: str, kind: str, sheet: Any) -> Table:
    table = Table(file, kind, None, 1, iter(()))
    rows = _rows(sheet, file, table.problems)
    for number, cells in rows:
        # Leading empty rows are common above a pasted table; the header is the
        # first row with content, and row numbers stay those Excel shows.
        if any(c is not None and str(c).strip() for c in cells):
            table.header, table.header_line, table.rows = list(cells), number, rows
            break
    return table


def _info(file: str, sheet: Any) -> tuple[dict[str, Any], Origin, list[Problem]]:
    info: dict[str, Any] = {}
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    for number, cells in _rows(sheet, file, problems):
        key = str(cells[0]).strip() if cells and cells[0] is not None else ""
        value = cells[1] if len(cells) > 1 else None
        if not key or normalise_heading(key) in ("setting", "key"):
            continue
        if key not in _INFO_KEYS:
            problems.append(
                Problem(
                    f"unknown setting {key!r}",
                    file=file,
                    line=number,
                    field=key,
                    expected="one of " + ", ".join(_INFO_KEYS),
                )
            )
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, datetime):
            value = value.date().isoformat()
        elif isinstance(value, date):
            value = value.isoformat()
        if key == "topics":
            value = [t.strip() for t in str(value).replace(",", ";").split(";") if t.strip()]
        info[key] = value
        lines[key] = number
    return info, Origin(file, 1, lines, hint="program"), problems


def _has_role_column(table: Table, mapping: ColumnMapping) -> bool:
    return any(
        isinstance(cell, str) and mapping.target(cell) == "role" for cell in table.header or ()
    )


def read_workbook(
    path: str | os.PathLike[str], kind: str | None = None, mapping: ColumnMapping | None = None
) -> Workbook:
    """Read the sheets of a workbook as tables.

    Sheets are found by name, case-insensitively: those the mapping's
    ``sheets`` names, then ``mentors``, ``executives``, ``people``, ``org``,
    ``history``, ``pinned``, ``priority`` and ``program`` (two columns:
    setting, value). Without such sheets, every sheet with a ``role``
    column is read as people, and a workbook of one sheet as ``kind`` (or,
    without it, as ``people``). The workbook's notices say which sheets
    were read as what, when their names did not say, and which were not
    read.

    Parameters
    ----------
    path : str or path-like
    kind : str, optional
        What a workbook without named sheets holds.
    mapping : ColumnMapping, optional
        Its ``sheets`` name what sheets hold; its headings find a role column.

    Returns
    -------
    Workbook
        Close it when its tables are read.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ImportError
        If openpyxl is not installed.
    InvalidInputError
        If the file is not an Excel workbook.
    """
    openpyxl = openpyxl_module("Excel files")
    file = display_name(path)
    if not Path(path).exists():
        raise FileNotFoundError(file)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InvalidInputError(
            Problem(
                f"the file is not a readable Excel workbook ({type(exc).__name__})",
                file=file,
                expected="an .xlsx workbook saved by Excel, LibreOffice or revmatch",
            )
        ) from None
    mapping = mapping or ColumnMapping()
    out = Workbook(book=book)
    given = {name.strip().lower(): target for name, target in mapping.sheets.items()}
    named = {name.strip().lower(): name for name in book.sheetnames}
    for name in given:
        if name not in named:
            out.problems.append(
                Problem(
                    f"the mapping names a sheet {name!r}, which the workbook does not have; "
                    "its sheets are " + ", ".join(repr(n) for n in book.sheetnames),
                    file=file,
                    field="sheets",
                    severity="warning",
                    expected="sheet names as the workbook shows them",
                )
            )
    unread: list[str] = []
    for name in book.sheetnames:
        key = name.strip().lower()
        sheet_kind = given.get(key, key)
        where = f"{file}, sheet {name!r}"
        if sheet_kind == "program":
            out.info, out.info_origin, problems = _info(where, book[name])
            out.problems.extend(problems)
        elif sheet_kind in TABLE_KINDS:
            out.tables.append(_table(where, sheet_kind, book[name]))
        else:
            unread.append(name)
            continue
        if key in given:
            out.problems.append(
                Problem(
                    f"sheet {name!r} read as {sheet_kind}, as the mapping's sheets say",
                    file=file,
                    severity="notice",
                )
            )
    if not out.tables and out.info is None:
        _unnamed_sheets(out, file, unread, kind, mapping)
    elif unread:
        out.problems.append(
            Problem(
                "sheets not read (their names say nothing): " + ", ".join(repr(n) for n in unread),
                file=file,
                severity="notice",
            )
        )
    return out


def _unnamed_sheets(
    out: Workbook, file: str, names: list[str], kind: str | None, mapping: ColumnMapping
) -> None:
    """Read a workbook whose sheet names say nothing: role columns, or its only sheet."""
    book = out.book
    tables = [_table(f"{file}, sheet {name!r}", "people", book[name]) for name in names]
    people = [t for t in tables if _has_role_column(t, mapping)]
    if people:
        out.tables.extend(people)
        read = {t.file for t in people}
        for name in names:
            where = f"{file}, sheet {name!r}"
            if where in read:
                message = f"sheet {name!r} has a role column: read as people"
            else:
                message = f"sheet {name!r} is not read: it has no role column"
            out.problems.append(Problem(message, file=file, severity="notice"))
    elif len(names) == 1:
        table = tables[0]
        table.kind = kind or "people"
        out.tables.append(table)
        out.problems.append(
            Problem(
                f"the only sheet, {names[0]!r}, is read as {table.kind}",
                file=file,
                severity="notice",
            )
        )
    else:
        out.problems.append(
            Problem(
                "the workbook has no sheet named "
                + ", ".join(TABLE_KINDS)
                + " and none with a role column; its sheets are "
                + ", ".join(repr(n) for n in names),
                file=file,
                expected="sheets named mentors, executives and (optionally) org, "
                'or a mapping with "sheets": {"<sheet name>": "mentors", ...}',
            )
        )


def write_workbook(program: Program, path: str | os.PathLike[str]) -> None:
    """Write a program as a workbook with sheets program, mentors, executives, ...

    Ids are written as text cells, so leading zeros survive.

    Parameters
    ----------
    program : Program
    path : str or path-like

    Raises
    ------
    ImportError
        If openpyxl is not installed.
    """
    openpyxl = openpyxl_module("Excel files")
    book = openpyxl.Workbook(write_only=True)
    info = program.program
    sheet = book.create_sheet("program")
    sheet.append(["setting", "value"])
    for key in _INFO_KEYS:
        value = getattr(info, key)
        if key == "topics":
            value = ";".join(value)
        if value not in (None, ""):
            append_row(sheet, [key, value])
    for kind, (header, rows) in program_tables(program).items():
        sheet = book.create_sheet(kind)
        append_row(sheet, header)
        for row in rows:
            append_row(sheet, row)
    book.save(path)
