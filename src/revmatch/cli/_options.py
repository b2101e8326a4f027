"""Shared pieces of the commands: settings from options, reading input, writing output.

Usage mistakes raise :class:`UsageError` (exit code 2); an output that cannot
be written raises :class:`OutputError` (exit code 1), naming what is wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from revmatch.exceptions import InvalidInputError, Problem

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

SECRET_VARIABLE = "REVMATCH_PSEUDONYM_SECRET"
"""Environment variable holding the secret key of ``match --pseudonymize``."""

FORMATS_NEEDING_OUTPUT = frozenset({"xlsx", "ics"})
DIRECTORY_FORMATS = frozenset({"ics"})


class UsageError(Exception):
    """A mistake in the command line itself: reported with exit code 2."""


class ReportedError(Exception):
    """Invalid input whose problems were already written to stderr: exit code 1."""


class OutputError(Exception):
    """The output cannot be written where the user asked: reported with exit code 1."""


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def check_output(path: str | None, *, directory: bool = False) -> None:
    """Refuse an output path that cannot be written, naming what is wrong with it.

    With ``directory=True`` the output is a folder of files (created when
    missing, inside an existing folder).
    """
    if not path:
        return
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if directory and target.is_dir():
        if not os.access(target, os.W_OK):
            raise OutputError(f"cannot write into {path}: the directory is not writable")
        return
    if target.is_dir():
        raise OutputError(f"cannot write {path}: it is a directory; give a file name")
    if directory and target.exists():
        raise OutputError(f"cannot write into {path}: it is a file; give a directory")
    if not folder.exists():
        raise OutputError(f"cannot write {path}: the output directory {folder} does not exist")
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: {folder} is not a directory")
    if not os.access(folder, os.W_OK):
        raise OutputError(f"cannot write {path}: the output directory {folder} is not writable")
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputError(f"cannot write {path}: the file is not writable")


def emit(text: str, output: str | None, stdout: TextIO) -> None:
    text = text if text.endswith("\n") else text + "\n"
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        stdout.write(text)


def diagnose(problems: Iterable[Problem | str], stderr: TextIO, prefix: str = "warning") -> None:
    for problem in problems:
        stderr.write(f"{prefix}: {problem}\n")


_PREFIX = {"error": "error", "warning": "warning", "notice": "note"}


def report_problems(problems: Sequence[Problem], stderr: TextIO, *, quiet: bool = False) -> None:
    """Problems to stderr, alike ones grouped into one line with their rows, as validate shows."""
    from revmatch.io import ValidationReport

    for group in ValidationReport.from_problems(problems).groups():
        severity = group.first.severity
        if quiet and severity == "notice":
            continue
        stderr.write(f"{_PREFIX.get(severity, severity)}: {group}\n")


# ---------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------


def _parse_value(text: str) -> Any:
    """A ``--set`` value: JSON when it parses (numbers, true/false, lists), else text."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _pairs(items: Sequence[str] | None, option: str) -> list[tuple[str, str]]:
    out = []
    for item in items or ():
        for part in item.split(","):
            key, sep, value = part.partition("=")
            if not sep or not key.strip():
                raise UsageError(f"{option} expects NAME=VALUE, got {part!r}")
            out.append((key.strip(), value.strip()))
    return out


def settings(args: argparse.Namespace, base: Any = None) -> Any:
    """The match settings: a config file (or ``base``), then the inline options over it."""
    from revmatch.io import read_config
    from revmatch.models import MatchConfig

    path = getattr(args, "config", None)
    config = read_config(path) if path else base if base is not None else MatchConfig()
    overrides: dict[str, Any] = {}
    weights: dict[str, float] = {}
    for name, value in _pairs(getattr(args, "weights", None), "--weights"):
        try:
            weights[name] = float(value)
        except ValueError:
            raise UsageError(f"--weights {name}= expects a number, got {value!r}") from None
    if weights:
        overrides["weights"] = {**config.weights, **weights}
    if getattr(args, "min_overlap", None) is not None:
        overrides["min_overlap_minutes"] = args.min_overlap
    for option in ("objective", "method"):
        if getattr(args, option, None) is not None:
            overrides[option] = getattr(args, option)
    if getattr(args, "quota", None):
        overrides["quotas"] = [*config.quotas, *args.quota]
    for name, value in _pairs(getattr(args, "set", None), "--set"):
        overrides[name] = _parse_value(value)
    if not overrides:
        return config
    unknown = sorted(set(overrides) - set(MatchConfig.model_fields))
    if unknown:
        raise UsageError(
            f"--set: unknown setting {unknown[0]!r}; `revmatch schema --config` lists them"
        )
    try:
        return MatchConfig.model_validate({**config.model_dump(), **overrides})
    except InvalidInputError as exc:
        raise UsageError("; ".join(str(p) for p in exc.problems)) from None


# ---------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------


def read_options(args: argparse.Namespace) -> dict[str, Any]:
    keys = ("preset", "mapping", "delimiter", "encoding")
    options = {k: v for k in keys if (v := getattr(args, k, None)) is not None}
    if getattr(args, "strict", False):
        options["strict"] = True
    return options


def sources(args: argparse.Namespace) -> Path | list[Path]:
    paths = [Path(p) for p in args.files]
    return paths[0] if len(paths) == 1 else paths


def load_program(args: argparse.Namespace, stderr: TextIO) -> Any:
    """Read and validate the input files; warnings (with their place) go to stderr."""
    from revmatch.io import validate_files

    report = validate_files(sources(args), **read_options(args))
    report_problems(report.problems, stderr, quiet=getattr(args, "quiet", False))
    if not report.ok:
        raise ReportedError(f"{len(report.errors)} error(s) in the input")
    return report.program


def read_secret(args: argparse.Namespace) -> str | None:
    """The pseudonymisation secret, from a file or the environment, never the command line."""
    if not args.pseudonymize:
        if args.secret_file:
            raise UsageError("--secret-file needs --pseudonymize")
        return None
    if args.pseudonymize is not True:
        raise UsageError(
            "--pseudonymize takes no value: a secret on the command line stays in the shell "
            f"history and the process list; put it in a file (--secret-file FILE) or in the "
            f"environment variable {SECRET_VARIABLE}"
        )
    if args.secret_file:
        try:
            secret = Path(args.secret_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise OutputError(
                f"cannot read the secret file {args.secret_file}: {exc.strerror}"
            ) from None
        if not secret:
            raise UsageError(f"the secret file {args.secret_file} is empty")
        return secret
    secret = os.environ.get(SECRET_VARIABLE, "").strip()
    if not secret:
        raise UsageError(
            f"--pseudonymize needs a secret: --secret-file FILE or the environment "
            f"variable {SECRET_VARIABLE}"
        )
    return secret


def check_format(args: argparse.Namespace) -> None:
    if args.format in FORMATS_NEEDING_OUTPUT and not args.output:
        where = "DIR" if args.format in DIRECTORY_FORMATS else "FILE"
        raise UsageError(f"--format {args.format} writes files: give them with -o {where}")
    check_output(args.output, directory=args.format in DIRECTORY_FORMATS)


def render(result: Any, args: argparse.Namespace, program: Any, secret: str | None) -> str:
    """Format a result; table output is for people, the rest goes through the writers."""
    from revmatch.io import write_result

    if args.format == "table" and secret is None:
        if args.output:
            emit(str(result.table()), args.output, sys.stdout)
            return ""
        return str(result.table())
    ids = [p.id for p in program.people()] + [o.id for o in program.org] if program else []
    return write_result(
        result,
        args.output,
        format=args.format,
        pseudonymize_key=secret,
        key_file=getattr(args, "key_file", None),
        extra_ids=ids,
    )


def finish(text: str, args: argparse.Namespace, stdout: TextIO) -> None:
    """Print a rendered result; with -o the writers have already written it."""
    if text and not args.output:
        emit(text, None, stdout)
