"""Public entry points: read, validate and write programs in any supported format."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TypeAlias

from revmatch.exceptions import InvalidInputError, Problem
from revmatch.models import Program

from ._json import raw_from_json, raw_from_jsonl, write_json, write_jsonl
from ._report import ValidationReport
from ._validate import RawProgram, validate_raw

__all__ = ["PathsLike", "read_program", "validate_files", "write_program"]

PathLike: TypeAlias = str | os.PathLike[str]
PathsLike: TypeAlias = PathLike | Sequence[PathLike] | Mapping[str, PathLike]
"""One path, a list of paths, or a mapping of role (``mentors``, ...) to path."""


def _gather(paths: PathsLike) -> RawProgram:
    if isinstance(paths, str | os.PathLike):
        path = Path(paths)
        suffix = path.suffix.lower()
        if suffix == ".json":
            return raw_from_json(path)
        if suffix == ".jsonl":
            return raw_from_jsonl(path)
        raise InvalidInputError(
            Problem(
                f"cannot tell the format of {os.fspath(paths)!r} from its suffix",
                file=os.fspath(paths),
                expected="a .json or .jsonl file",
            )
        )
    raise InvalidInputError(
        Problem("expected a path to a .json or .jsonl file", expected="one path")
    )


def validate_files(paths: PathsLike, *, prune_org: bool = True) -> ValidationReport:
    """Read input files and report every problem, without raising for bad data.

    Parameters
    ----------
    paths : path, sequence of paths or mapping of role to path
        The input (see :func:`read_program`).
    prune_org : bool
        Keep only org rows on some participant's reporting chain.

    Returns
    -------
    ValidationReport
        All problems, located; ``report.program`` when there is no error.

    Raises
    ------
    FileNotFoundError
        If a file does not exist.
    """
    try:
        raw = _gather(paths)
    except InvalidInputError as exc:
        return ValidationReport.from_problems(exc.problems)
    outcome = validate_raw(raw, prune_org=prune_org)
    return ValidationReport.from_problems(outcome.problems, outcome.program, outcome.counts)


def read_program(paths: PathsLike, *, prune_org: bool = True) -> Program:
    """Read a program from files, reporting every problem with its file and line.

    Parameters
    ----------
    paths : path, sequence of paths or mapping of role to path
        A canonical ``.json`` file or a ``.jsonl`` file (one record per line
        with a ``role`` key).
    prune_org : bool
        Keep only the ``org`` rows on some participant's reporting chain; the
        others cannot change the match. Default True.

    Returns
    -------
    Program

    Raises
    ------
    FileNotFoundError
        If a file does not exist.
    InvalidInputError
        With every problem found (errors and warnings), each naming file,
        line, record id, field and the expected form.

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
    return validate_files(paths, prune_org=prune_org).raise_for_errors()


def write_program(program: Program, path: PathLike) -> None:
    """Write a program in the format given by the suffix of ``path``.

    Parameters
    ----------
    program : Program
    path : str or path-like
        ``.json`` (canonical) or ``.jsonl``.

    Raises
    ------
    InvalidInputError
        If the suffix names no supported format.
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        write_json(program, path)
    elif suffix == ".jsonl":
        write_jsonl(program, path)
    else:
        raise InvalidInputError(
            Problem(
                f"cannot write a program to {os.fspath(path)!r}",
                file=os.fspath(path),
                expected="a .json or .jsonl path",
            )
        )
