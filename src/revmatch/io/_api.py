"""Public entry points: read, validate and write programs in any supported format."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from revmatch.exceptions import InvalidInputError, Problem
from revmatch.models import DEFAULT_TOPICS, Program, ProgramInfo

from ._csv import check_delimiter, csv_table, write_csv_dir, write_people_csv
from ._excel import TABLE_KINDS, Workbook, read_workbook, write_workbook
from ._json import raw_from_json, raw_from_jsonl, write_json, write_jsonl
from ._jsonpos import parse_located
from ._mapping import ColumnMapping
from ._mapping_file import resolve_mapping
from ._pandas import frame_table
from ._report import ValidationReport
from ._tabular import Table, TopicVocabulary, read_table
from ._text import check_encoding, decode_text, display_name
from ._validate import LIST_KEYS, Origin, RawProgram, validate_raw

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "InfoLike",
    "MappingLike",
    "PathsLike",
    "program_from_pandas",
    "read_program",
    "validate_files",
    "validate_frames",
    "write_program",
]

PathLike: TypeAlias = str | os.PathLike[str]
PathsLike: TypeAlias = PathLike | Sequence[PathLike] | Mapping[str, PathLike]
"""One path, a list of paths, or a mapping of kind (``mentors``, ``org``, ...) to path."""
InfoLike: TypeAlias = ProgramInfo | Mapping[str, Any] | PathLike
"""Program settings: a ProgramInfo, a mapping of its fields, or a JSON file of them."""
MappingLike: TypeAlias = ColumnMapping | Mapping[str, str] | PathLike
"""A column mapping: object, plain dict of source heading -> canonical column, or file."""

_KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("mentor", "mentors"),
    ("exec", "executives"),
    ("org", "org"),
    ("history", "history"),
    ("pinned", "pinned"),
    ("priority", "priority"),
    ("people", "people"),
    ("person", "people"),
    ("participant", "people"),
)
_SUFFIXES = ".json, .jsonl, .csv, .xlsx or a directory of CSV files"


@dataclass(frozen=True)
class _Source:
    kind: str  # "json", "jsonl", "program", "xlsx" or a table kind
    path: Path
    table_kind: str | None = None  # for workbooks: what a single unnamed sheet holds
    note: str | None = None  # a notice for the report: why the file is read


def _kind_of(path: Path) -> str | None:
    stem = path.stem.lower()
    if stem in TABLE_KINDS:
        return stem
    for word, kind in _KIND_WORDS:
        if word in stem:
            return kind
    return None


def _unknown_source(path: Path, why: str) -> InvalidInputError:
    return InvalidInputError(
        Problem(
            why,
            file=display_name(path),
            expected="files named mentors.csv, executives.csv, org.csv or people.csv, "
            "a .json/.jsonl/.xlsx file, or a mapping such as {'mentors': path, ...}",
        )
    )


def _source(path: Path, kind: str | None = None, mapping: ColumnMapping | None = None) -> _Source:
    suffix = path.suffix.lower()
    if kind is None and mapping is not None:
        kind = mapping.kind_of_file(path.name)
    if path.is_dir():
        return _Source("dir", path)
    if suffix == ".json":
        if kind == "program":
            return _Source("program", path)
        return _Source("json", path)
    if suffix == ".jsonl":
        return _Source("jsonl", path)
    if suffix in (".xlsx", ".xlsm"):
        return _Source("xlsx", path, kind or _kind_of(path))
    if suffix in (".csv", ".txt"):
        found = kind or _kind_of(path)
        if found is None:
            raise _unknown_source(
                path, "cannot tell whether this file holds mentors, executives or the org chart"
            )
        return _Source(found, path)
    if suffix in (".xls", ".ods", ".numbers"):
        raise _unknown_source(path, f"{suffix} files are not read; save the workbook as .xlsx")
    raise _unknown_source(path, f"cannot tell the format from the suffix {suffix!r}")


def _sources(paths: PathsLike, mapping: ColumnMapping | None = None) -> list[_Source]:
    files = mapping.kind_of_file if mapping is not None else lambda name: None
    if isinstance(paths, str | os.PathLike):
        path = Path(paths)
        if not path.exists():
            raise FileNotFoundError(display_name(paths))
        if path.is_dir():
            found = [
                _Source(kind, f)
                for f in sorted(path.iterdir())
                if f.suffix.lower() == ".csv"
                and (
                    kind := files(f.name)
                    or (f.stem.lower() if f.stem.lower() in TABLE_KINDS else None)
                )
            ]
            found += [_Source("program", f) for f in sorted(path.glob("program.json"))]
            if not any(s.kind in ("mentors", "executives", "people") for s in found):
                raise _unknown_source(
                    path, "the directory has no mentors.csv, executives.csv or people.csv"
                )
            return found
        if (
            path.suffix.lower() in (".csv", ".txt")
            and _kind_of(path) is None
            and not files(path.name)
        ):
            # A single CSV whose name says nothing else holds people with a role column.
            return [_Source("people", path)]
        return [_source(path, None, mapping)]
    if isinstance(paths, Mapping):
        out = []
        for kind, item in paths.items():
            if kind not in (*TABLE_KINDS, "program"):
                raise InvalidInputError(
                    Problem(
                        f"unknown kind of file {kind!r}",
                        expected="keys " + ", ".join((*TABLE_KINDS, "program")),
                    )
                )
            out.append(_source(Path(item), kind))
        return out
    # In a list, program.json beside CSV files holds the settings (or a whole program).
    return [
        _source(Path(p), "program" if Path(p).name.lower() == "program.json" else None, mapping)
        for p in paths
    ]


def _settings_beside(sources: list[_Source]) -> list[_Source]:
    """Add the program.json beside named CSV files, as reading their directory would."""
    if any(s.kind not in TABLE_KINDS for s in sources):
        return sources
    folders = dict.fromkeys(s.path.parent for s in sources)
    note = "program settings read from this file, found beside the named files"
    found = [f for folder in folders if (f := folder / "program.json").is_file()]
    return sources + [_Source("program", f, note=note) for f in found]


def _info_file(path: Path) -> tuple[dict[str, Any] | None, Origin, list[Problem]]:
    """Read program settings; None when the file is a whole canonical program."""
    file = display_name(path)
    data, pos, problems = parse_located(decode_text(path.read_bytes(), file), file)
    if isinstance(data, dict) and any(key in data for key in LIST_KEYS):
        return None, Origin(file), []
    if isinstance(data, dict) and isinstance(data.get("program"), dict):
        # A canonical file's settings block is accepted as well.
        inner = pos.child("program")
        origin = Origin(file, pos.keys["program"], inner.keys if inner else None, hint="program")
        return data["program"], origin, problems
    if not isinstance(data, dict):
        problems.append(
            Problem(
                "program settings must be one JSON object",
                file=file,
                line=pos.line,
                expected='{"name": "RM 2027", "topics": [...], "start": "2027-01-11"}',
            )
        )
        return {}, Origin(file, pos.line), problems
    return data, Origin(file, pos.line, pos.keys, hint="program"), problems


def _info_argument(info: InfoLike) -> tuple[dict[str, Any], Origin, list[Problem]]:
    if isinstance(info, ProgramInfo):
        return info.model_dump(mode="json"), Origin(hint="program"), []
    if isinstance(info, str | os.PathLike):
        data, origin, problems = _info_file(Path(info))
        if data is None:
            problem = Problem(
                "expected program settings, found a whole program",
                file=origin.file,
                expected='{"name": ..., "topics": [...], "start": ..., "end": ...}',
            )
            return {}, origin, [problem]
        return data, origin, problems
    return dict(info), Origin(hint="program"), []


def _topics_of(info: Mapping[str, Any]) -> tuple[str, ...]:
    topics = info.get("topics")
    if isinstance(topics, list | tuple) and all(isinstance(t, str) for t in topics):
        return tuple(t.strip() for t in topics)
    return DEFAULT_TOPICS


def _collect(
    sources: Sequence[_Source],
    tables: list[Table],
    mapping: ColumnMapping,
    info: InfoLike | None,
) -> RawProgram:
    """Read every source into one RawProgram; file-level problems become report entries."""
    raw = RawProgram()
    parts: list[RawProgram] = []
    infos: list[tuple[dict[str, Any], Origin]] = []
    books: list[Workbook] = []
    if info is not None:
        data, origin, problems = _info_argument(info)
        infos.append((data, origin))
        raw.problems.extend(problems)
    try:
        for source in sources:
            if source.note is not None:
                raw.problems.append(
                    Problem(source.note, file=display_name(source.path), severity="notice")
                )
            try:
                if source.kind == "json":
                    part = raw_from_json(source.path)
                elif source.kind == "jsonl":
                    part = raw_from_jsonl(source.path)
                elif source.kind == "program":
                    settings, origin, problems = _info_file(source.path)
                    if settings is None:
                        part = raw_from_json(source.path)
                    else:
                        infos.append((settings, origin))
                        raw.problems.extend(problems)
                        continue
                elif source.kind == "xlsx":
                    book = read_workbook(source.path, source.table_kind, mapping)
                    books.append(book)
                    tables.extend(book.tables)
                    raw.problems.extend(book.problems)
                    if book.info is not None:
                        infos.append((book.info, book.info_origin))
                    continue
                else:
                    tables.append(csv_table(source.path, source.kind, mapping))
                    continue
            except InvalidInputError as exc:
                raw.problems.extend(exc.problems)
                continue
            if part.info is not None:
                infos.append((dict(part.info), part.info_origin))
                part.info = None
            parts.append(part)
        for _, origin in infos[1:]:
            raw.problems.append(
                Problem(
                    f"program settings are also given at {infos[0][1].where()}; those are used",
                    file=origin.file,
                    line=origin.line,
                    severity="warning",
                    expected="program settings in one place",
                )
            )
        known: tuple[str, ...] | None = None
        if infos:
            raw.info, raw.info_origin = infos[0]
            known = _topics_of(infos[0][0])
        elif parts:
            known = DEFAULT_TOPICS
        vocabulary = TopicVocabulary(known)
        for part in parts:
            raw.extend(part)
        for table in tables:
            read_table(table, mapping, vocabulary, raw)
        vocabulary.inferred(raw)
    finally:
        for book in books:
            book.close()
    return raw


def _report(raw: RawProgram, prune_org: bool, strict: bool) -> ValidationReport:
    outcome = validate_raw(raw, prune_org=prune_org, strict=strict)
    return ValidationReport.from_problems(outcome.problems, outcome.program, outcome.counts)


def validate_files(
    paths: PathsLike,
    *,
    preset: str | None = None,
    mapping: MappingLike | None = None,
    info: InfoLike | None = None,
    prune_org: bool = True,
    delimiter: str | None = None,
    encoding: str | None = None,
    strict: bool = False,
) -> ValidationReport:
    """Read input files and report every problem in one pass, without raising for bad data.

    Parameters
    ----------
    paths, preset, mapping, info, prune_org, delimiter, encoding, strict
        As for :func:`read_program`.

    Returns
    -------
    ValidationReport
        Every problem, located; ``report.program`` when there is no error.

    Raises
    ------
    FileNotFoundError
        If a named file does not exist.
    ImportError
        For an ``.xlsx`` file without openpyxl installed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "mentors.csv").write_text("id,timezone,capacity\\nm1,UTC,two\\n")
    >>> _ = (d / "executives.csv").write_text("id,timezone\\ne1,UTC\\n")
    >>> report = validate_files(d)
    >>> report.ok, report.errors[0].line, report.errors[0].field
    (False, 2, 'capacity')
    """
    try:
        column_mapping = resolve_mapping(preset, mapping)
        if delimiter is not None:
            column_mapping = replace(column_mapping, delimiter=check_delimiter(delimiter))
        if encoding is not None:
            column_mapping = replace(column_mapping, encoding=check_encoding(encoding))
        sources = _settings_beside(_sources(paths, column_mapping))
    except InvalidInputError as exc:
        return ValidationReport.from_problems(exc.problems)
    return _report(_collect(sources, [], column_mapping, info), prune_org, strict)


def read_program(
    paths: PathsLike,
    *,
    preset: str | None = None,
    mapping: MappingLike | None = None,
    info: InfoLike | None = None,
    prune_org: bool = True,
    delimiter: str | None = None,
    encoding: str | None = None,
    strict: bool = False,
) -> Program:
    """Read a program from files, reporting every problem with its file and line.

    Parameters
    ----------
    paths : path, sequence of paths, or mapping of kind to path
        What to read, by suffix:

        - ``.json``: the canonical format (``docs/reference/input.md``);
        - ``.jsonl``: one record per line with ``"role"``: ``mentor``,
          ``executive``, ``org``, ``history``, ``pinned``, ``priority`` or
          ``program``;
        - ``.csv``: ``mentors.csv``, ``executives.csv``, ``org.csv``,
          ``history.csv``, ``pinned.csv``, ``priority.csv`` (kind from the
          file name), or one
          ``people.csv`` with a ``role`` column (``mentor``, ``executive``,
          empty for people outside the program);
        - a directory holding such CSV files and optionally ``program.json``
          (a ``program.json`` beside named CSV files is read too);
        - ``.xlsx``: sheets ``mentors``, ``executives``, ``org``, ``people``,
          ``history``, ``pinned``, ``priority``, ``program`` (needs the
          ``pandas`` extra);
        - a mapping ``{"mentors": path, "executives": path, "org": path}``
          when the file names say nothing.

        Several paths are combined, e.g. a ``.json`` program and an
        ``org.csv`` HR export.
    preset : {"successfactors", "workday"}, optional
        Column mapping of an HR system's export (see :data:`PRESETS`).
    mapping : ColumnMapping, dict or path, optional
        Your own column mapping (extends and overrides ``preset``).
    info : ProgramInfo, mapping or path, optional
        Program settings (name, dates, topics, time zone) for CSV input;
        else taken from ``program.json``, a ``program`` sheet or the JSON
        file. Without settings, the topics are those of the ``topic:<name>``
        columns, in order.
    prune_org : bool
        Keep only org rows on some participant's reporting chain: a full HR
        export of tens of thousands of employees shrinks to the few hundred
        rows that can matter. Default True.
    delimiter : str, optional
        Delimiter of the CSV files (``","``, ``";"``, ``"tab"``, ``"|"``),
        overriding the mapping's and the detection. By default it is
        detected per file.
    encoding : str, optional
        Encoding of the CSV files (``"utf-8"``, ``"utf-16"``, ``"cp1252"``,
        ``"latin-1"``, ...), overriding the mapping's and the detection. By
        default it is detected per file: a byte-order mark, UTF-16's NUL
        bytes, valid UTF-8, else Windows-1252. The report's notices name what
        was used for each file; an encoding or delimiter the file
        contradicts is a located error.

    strict : bool
        Treat what may be misread as an error instead of a warning: a time
        zone written as an abbreviation (``CET``, ``EST``, ``PST``), which
        follows no place's summer time. Default False.

    Returns
    -------
    Program

    Raises
    ------
    FileNotFoundError
        If a named file does not exist.
    ImportError
        For an ``.xlsx`` file without openpyxl installed.
    InvalidInputError
        With every problem found (errors and warnings), each naming file,
        line (as an editor or spreadsheet shows it), record id, field and
        the expected form; never a name, e-mail or other personal value.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "people.json"
    >>> _ = p.write_text(json.dumps({
    ...     "mentors": [{"id": "m1", "timezone": "UTC"}],
    ...     "executives": [{"id": "e1", "timezone": "UTC"}]}))
    >>> read_program(p).mentors[0].id
    'm1'
    """
    report = validate_files(
        paths,
        preset=preset,
        mapping=mapping,
        info=info,
        prune_org=prune_org,
        delimiter=delimiter,
        encoding=encoding,
        strict=strict,
    )
    return report.raise_for_errors()


def validate_frames(
    mentors: pd.DataFrame | None = None,
    executives: pd.DataFrame | None = None,
    org: pd.DataFrame | None = None,
    *,
    people: pd.DataFrame | None = None,
    history: pd.DataFrame | None = None,
    pinned: pd.DataFrame | None = None,
    priority: pd.DataFrame | None = None,
    info: InfoLike | None = None,
    preset: str | None = None,
    mapping: MappingLike | None = None,
    prune_org: bool = True,
    strict: bool = False,
) -> ValidationReport:
    """Validate DataFrames with the CSV columns; report every problem.

    Parameters
    ----------
    mentors, executives, org, people, history, pinned, priority, info, preset, mapping
        As for :func:`program_from_pandas`.
    prune_org, strict
        As for :func:`program_from_pandas`.

    Returns
    -------
    ValidationReport
        Problems name the frame (``"mentors DataFrame"``), the record by id
        or the row by its index label, and the column.

    Raises
    ------
    ImportError
        If pandas is not installed.
    TypeError
        If an argument is not a DataFrame.
    """
    frames = {
        "mentors": mentors,
        "executives": executives,
        "people": people,
        "org": org,
        "history": history,
        "pinned": pinned,
        "priority": priority,
    }
    tables = [frame_table(frame, kind) for kind, frame in frames.items() if frame is not None]
    try:
        column_mapping = resolve_mapping(preset, mapping)
    except InvalidInputError as exc:
        return ValidationReport.from_problems(exc.problems)
    return _report(_collect([], tables, column_mapping, info), prune_org, strict)


def program_from_pandas(
    mentors: pd.DataFrame | None = None,
    executives: pd.DataFrame | None = None,
    org: pd.DataFrame | None = None,
    *,
    people: pd.DataFrame | None = None,
    history: pd.DataFrame | None = None,
    pinned: pd.DataFrame | None = None,
    priority: pd.DataFrame | None = None,
    info: InfoLike | None = None,
    preset: str | None = None,
    mapping: MappingLike | None = None,
    prune_org: bool = True,
    strict: bool = False,
) -> Program:
    """Build a program from DataFrames that have the CSV columns.

    Parameters
    ----------
    mentors, executives : pandas.DataFrame, optional
        One row per person; columns as in ``mentors.csv``/``executives.csv``
        (``id``, ``timezone``, ``availability``, ``topic:<name>``, ...). List
        cells may be ``;``-joined text or Python lists; NaN, None and empty
        text are absent values; numeric ids become text (``42.0`` -> ``"42"``).
    org : pandas.DataFrame, optional
        Reporting lines (``id``, ``manager_id``) of people outside the program.
    people : pandas.DataFrame, optional
        Everyone in one frame with a ``role`` column.
    history, pinned : pandas.DataFrame, optional
        Earlier pairs (``executive_id``, ``mentor_id``, ``round``) and pairs to keep.
    priority : pandas.DataFrame, optional
        Executives to favour (column ``executive_id``).
    info : ProgramInfo, mapping or path, optional
        Program settings; without them the topics come from the columns.
    preset, mapping : optional
        Column mapping of an HR export, as for :func:`read_program`.
    prune_org : bool
        Keep only org rows on some participant's reporting chain.
    strict : bool
        A time zone written as an abbreviation is an error, not a warning
        (as for :func:`read_program`).

    Returns
    -------
    Program

    Raises
    ------
    ImportError
        If pandas is not installed.
    InvalidInputError
        With every problem found.

    Examples
    --------
    >>> import pandas as pd
    >>> p = program_from_pandas(
    ...     mentors=pd.DataFrame({"id": [7], "timezone": ["UTC"], "topic:digital": [4]}),
    ...     executives=pd.DataFrame({"id": ["e1"], "timezone": ["UTC"], "topic:digital": [5]}))
    >>> p.mentors[0].id, p.topics
    ('7', ('digital',))
    """
    report = validate_frames(
        mentors,
        executives,
        org,
        people=people,
        history=history,
        pinned=pinned,
        priority=priority,
        info=info,
        preset=preset,
        mapping=mapping,
        prune_org=prune_org,
        strict=strict,
    )
    return report.raise_for_errors()


def write_program(program: Program, path: PathLike) -> None:
    """Write a program in the format given by ``path``.

    Parameters
    ----------
    program : Program
    path : str or path-like
        ``.json`` (canonical), ``.jsonl``, ``.xlsx`` (sheets program,
        mentors, executives, org, history, pinned, priority), ``.csv`` (one people.csv
        with a role column), or a path without suffix: a directory of
        ``mentors.csv``, ``executives.csv``, ..., ``program.json``.

    Raises
    ------
    InvalidInputError
        If the suffix names no supported format, or one people.csv cannot
        hold everything in the program.
    ImportError
        For ``.xlsx`` without openpyxl installed.

    Examples
    --------
    >>> import revmatch as rm, tempfile, pathlib
    >>> p = rm.Program(mentors=[{"id": "m1", "timezone": "UTC"}],
    ...                executives=[{"id": "e1", "timezone": "UTC"}])
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_program(p, d / "program")
    >>> sorted(f.name for f in (d / "program").iterdir())
    ['executives.csv', 'mentors.csv', 'program.json']
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if target.is_dir() or not suffix:
        write_csv_dir(program, target)
    elif suffix == ".json":
        write_json(program, target)
    elif suffix == ".jsonl":
        write_jsonl(program, target)
    elif suffix == ".csv":
        write_people_csv(program, target)
    elif suffix == ".xlsx":
        write_workbook(program, target)
    else:
        raise InvalidInputError(
            Problem(
                f"cannot write a program to a {suffix!r} file",
                file=display_name(path),
                expected=_SUFFIXES,
            )
        )
