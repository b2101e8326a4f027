"""Writing results: flat records to CSV, JSON, JSON Lines, Excel or a text table.

The writers take flat records (one dict per pair or unmatched person, as
:meth:`revmatch.MatchResult.to_records` returns) so that any list of flat
dicts can be written the same way.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

from revmatch._json import json_default
from revmatch.exceptions import InvalidInputError

from ._excel import append_row, openpyxl_module
from ._pseudonym import pseudonymize, write_key_file

__all__ = ["RESULT_FORMATS", "format_table", "write_records", "write_result"]

Format = Literal["csv", "json", "jsonl", "xlsx", "table"]
RESULT_FORMATS: tuple[str, ...] = ("csv", "json", "jsonl", "xlsx", "table")
_BY_SUFFIX = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".xlsx": "xlsx", ".txt": "table"}


class _HasRecords(Protocol):
    def to_records(self) -> list[dict[str, Any]]: ...

    def to_dict(self) -> dict[str, Any]: ...


def _format_of(path: str | os.PathLike[str] | None, fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in RESULT_FORMATS:
            raise InvalidInputError(
                f"unknown output format {fmt!r}; expected one of " + ", ".join(RESULT_FORMATS)
            )
        return fmt
    if path is None:
        return "table"
    suffix = Path(path).suffix.lower()
    if suffix not in _BY_SUFFIX:
        raise InvalidInputError(
            f"cannot tell the output format of {os.fspath(path)!r}; use a suffix "
            + ", ".join(_BY_SUFFIX)
            + " or name the format"
        )
    return _BY_SUFFIX[suffix]


def _columns(records: Sequence[Mapping[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for record in records:
        seen.update(dict.fromkeys(record))
    return list(seen)


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, list | tuple):
        return ";".join(map(str, value))
    if isinstance(value, Mapping):
        return ";".join(f"{k}={v}" for k, v in value.items())
    return value


def format_table(
    records: Sequence[Mapping[str, Any]],
    columns: Sequence[str] | None = None,
    *,
    max_width: int = 40,
) -> str:
    """Return records as a fixed-width text table for people to read.

    Parameters
    ----------
    records : sequence of mapping
    columns : sequence of str, optional
        Columns to show, in order (default: all, in first-seen order).
    max_width : int
        Longer cells are cut with ``"…"``.

    Returns
    -------
    str

    Examples
    --------
    >>> print(format_table([{"executive_id": "e-1", "score": 0.8125}]))
    executive_id  score
    ------------  -----
    e-1           0.812
    """
    shown = list(columns) if columns is not None else _columns(records)

    def cell(value: Any) -> str:
        if isinstance(value, float) and not math.isnan(value):
            text = f"{value:.3f}"
        else:
            text = str(_plain(value))
        text = text.replace("\n", " ")
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    rows = [[cell(r.get(c)) for c in shown] for r in records]
    widths = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(shown)]
    numeric = [
        all(isinstance(r.get(c), int | float) or r.get(c) is None for r in records) and records
        for c in shown
    ]

    def line(cells: Sequence[str]) -> str:
        parts = [
            t.rjust(w) if num else t.ljust(w)
            for t, w, num in zip(cells, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out = [line(shown), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    return "\n".join(out)


def write_records(
    records: Sequence[Mapping[str, Any]],
    path: str | os.PathLike[str] | None = None,
    *,
    format: str | None = None,
    sheet: str = "records",
) -> str:
    """Write flat records as CSV, JSON, JSON Lines, Excel or a text table.

    Parameters
    ----------
    records : sequence of mapping
        Flat records; columns are the union of their keys, in first-seen order.
    path : str or path-like, optional
        Where to write; without it the text is only returned.
    format : {"csv", "json", "jsonl", "xlsx", "table"}, optional
        Default: from the suffix of ``path``, else ``"table"``.
    sheet : str
        Sheet name for Excel. Records with a ``kind`` column are written to
        one sheet per kind (``pair``, ``unmatched``) instead.

    Returns
    -------
    str
        The text written ("" for Excel).

    Raises
    ------
    InvalidInputError
        For an unknown format, or Excel without a path.
    ImportError
        For Excel without openpyxl.

    Examples
    --------
    >>> print(write_records([{"id": "007", "score": 1.0}], format="csv"), end="")
    id,score
    007,1.0
    """
    fmt = _format_of(path, format)
    if fmt == "xlsx":
        if path is None:
            raise InvalidInputError("an Excel file needs a path to write to")
        _write_xlsx(records, path, sheet)
        return ""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        columns = _columns(records)
        writer.writerow(columns)
        writer.writerows([_plain(r.get(c)) for c in columns] for r in records)
        text = buffer.getvalue()
    elif fmt == "json":
        text = json.dumps(list(records), indent=2, ensure_ascii=False, default=json_default) + "\n"
    elif fmt == "jsonl":
        text = "".join(
            json.dumps(dict(r), ensure_ascii=False, default=json_default) + "\n" for r in records
        )
    else:
        text = format_table(records) + "\n"
    if path is not None:
        # utf-8-sig for CSV: Excel then opens names with accents correctly.
        encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
        Path(path).write_text(text, encoding=encoding, newline="")
    return text


def _write_xlsx(
    records: Sequence[Mapping[str, Any]], path: str | os.PathLike[str], sheet: str
) -> None:
    openpyxl = openpyxl_module("Excel output")
    book = openpyxl.Workbook(write_only=True)
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for record in records:
        kind = record.get("kind")
        groups.setdefault(str(kind) if kind else sheet, []).append(record)
    for name, rows in (groups or {sheet: []}).items():
        target = book.create_sheet(name[:31])
        columns = _columns(rows)
        append_row(target, columns)
        for record in rows:
            append_row(
                target,
                [None if _plain(record.get(c)) == "" else _plain(record.get(c)) for c in columns],
            )
    book.save(path)


def write_result(
    result: _HasRecords,
    path: str | os.PathLike[str] | None = None,
    *,
    format: str | None = None,
    pseudonymize_key: str | bytes | None = None,
    key_file: str | os.PathLike[str] | None = None,
    extra_ids: Sequence[str] = (),
) -> str:
    """Write a match result: pairs and unmatched people, with ids, score parts and slots.

    Parameters
    ----------
    result : MatchResult
        Anything with ``to_records()`` (flat records) and ``to_dict()``.
    path : str or path-like, optional
        Where to write; without it the text is only returned (for stdout).
    format : {"csv", "json", "jsonl", "xlsx", "table"}, optional
        Default: from the suffix of ``path``, else ``"table"``. ``json`` is
        the whole result (``result.to_dict()``: pairs, unmatched people,
        metrics, audit); the others hold the flat records.
    pseudonymize_key : str or bytes, optional
        Replace every id by its keyed HMAC-SHA256 pseudonym and empty names
        and e-mails (see :func:`pseudonymize`).
    key_file : str or path-like, optional
        With ``pseudonymize_key``: write the pseudonym -> id mapping here.
    extra_ids : sequence of str
        With ``pseudonymize_key``: further ids to replace wherever they
        appear, e.g. every id of the program.

    Returns
    -------
    str
        The text written ("" for Excel).

    Raises
    ------
    InvalidInputError
        For an unknown format, Excel without a path, an empty key, or a key
        file without a key.
    """
    fmt = _format_of(path, format)
    if key_file is not None and pseudonymize_key is None:
        raise InvalidInputError("a key file is written only together with a pseudonymization key")
    data: Any = result.to_dict() if fmt == "json" else result.to_records()
    if pseudonymize_key is not None:
        data, mapping = pseudonymize(data, pseudonymize_key, extra_ids=extra_ids)
        if key_file is not None:
            write_key_file(mapping, key_file)
    if fmt == "json":
        text = json.dumps(data, indent=2, ensure_ascii=False, default=json_default) + "\n"
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text
    return write_records(data, path, format=fmt, sheet="result")
