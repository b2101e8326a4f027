"""Command-line front end: ``revmatch demo | match | validate | ... | assign``.

Results go to stdout, diagnostics to stderr. Exit codes: 0 success, 1 invalid
input (a located message, never a traceback), 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from .exceptions import InvalidInputError, RevmatchError

__all__ = ["build_parser", "main"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _emit(text: str, output: str | None, stdout: TextIO) -> None:
    if output:
        Path(output).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        stdout.write(text if text.endswith("\n") else text + "\n")


def _load_config(path: str | None) -> Any:
    from .io import read_config
    from .models import MatchConfig

    return read_config(path) if path else MatchConfig()


def _mapping_options(args: argparse.Namespace) -> dict[str, Any]:
    return {k: v for k in ("preset", "mapping") if (v := getattr(args, k, None)) is not None}


def _sources(args: argparse.Namespace) -> Path | list[Path]:
    paths = [Path(p) for p in args.files]
    return paths[0] if len(paths) == 1 else paths


def _load_program(args: argparse.Namespace, stderr: TextIO) -> Any:
    """Read and validate the input files; warnings (with their place) go to stderr."""
    from .io import validate_files

    report = validate_files(_sources(args), **_mapping_options(args))
    for warning in report.warnings:
        stderr.write(f"warning: {warning}\n")
    return report.raise_for_errors()


def _render(result: Any, args: argparse.Namespace, program: Any) -> str:
    """Format a result; table output is for people, the rest goes through the writers."""
    from .io import write_result

    key = getattr(args, "pseudonymize", None)
    if args.format == "table" and key is None:
        text = f"{result.table()}\n\n{result.summary()}"
        if args.output:
            Path(args.output).write_text(text + "\n", encoding="utf-8")
            return ""
        return text
    ids = [p.id for p in program.people()] + [o.id for o in program.org] if program else []
    return write_result(
        result,
        args.output,
        format=args.format,
        pseudonymize_key=key,
        key_file=getattr(args, "key_file", None),
        extra_ids=ids,
    )


def _cmd_demo(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from . import datasets
    from .matching import match

    program = datasets.make_program(args.executives, args.mentors, seed=args.seed)
    result = match(program, _load_config(args.config))
    if args.format != "table":
        text = _render(result, args, program)
        if text and not args.output:
            stdout.write(text if text.endswith("\n") else text + "\n")
        return EXIT_OK
    lines = [
        f"revmatch demo: synthetic program, {args.executives} executives, "
        f"{args.mentors} mentors (seed {args.seed})",
        "",
        result.table(),
        "",
        result.summary(),
    ]
    if result.pairs:
        lines += [
            "",
            "Why this pair? " + str(result.explain(result.pairs[0].executive_id, top_n=3)),
        ]
    unmatched = [u for u in result.unmatched if u.role == "executive"]
    if unmatched:
        lines += ["", "Why unmatched? " + str(result.explain(unmatched[0].id, top_n=3))]
    _emit("\n".join(lines), args.output, stdout)
    return EXIT_OK


def _cmd_match(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .matching import match

    program = _load_program(args, stderr)
    result = match(program, _load_config(args.config))
    text = _render(result, args, program)
    if text and not args.output:
        stdout.write(text if text.endswith("\n") else text + "\n")
    stderr.write(result.summary() + "\n")
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .io import validate_files

    report = validate_files(_sources(args), **_mapping_options(args))
    text = report.to_json() if args.errors == "json" else report.to_table()
    stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK if report.ok else EXIT_INVALID


def _cmd_schema(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from . import io

    schema = (
        io.config_schema()
        if args.config
        else io.result_schema()
        if args.result
        else io.input_schema()
    )
    stdout.write(json.dumps(schema, indent=2) + "\n")
    return EXIT_OK


def _cmd_explain(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .matching import match

    program = _load_program(args, stderr)
    result = match(program, _load_config(args.config))
    _emit(str(result.explain(args.id, top_n=args.top)), None, stdout)
    return EXIT_OK


def _cmd_suggest(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .suggest import suggest

    program = _load_program(args, stderr)
    suggestions = suggest(program, _load_config(args.config), top_n=args.top)
    if args.format == "json":
        text = suggestions.to_json()
    elif args.format == "csv":
        text = suggestions.to_csv()
    else:
        text = suggestions.table()
    _emit(text, args.output, stdout)
    stderr.write(suggestions.summary() + "\n")
    return EXIT_OK


def _cmd_rematch(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .lifecycle import rematch, rematch_changes
    from .result import MatchResult

    previous = MatchResult.from_json(Path(args.previous))
    program = _load_program(args, stderr)
    config = _load_config(args.config) if args.config else None
    result = rematch(
        previous, program, config, max_changes=args.max_changes, force_pins=args.force_pins
    )
    changes = rematch_changes(result)
    if args.format == "table" and not args.output:
        stdout.write(changes.table() + "\n\n")
    text = _render(result, args, program)
    if text and not args.output:
        stdout.write(text if text.endswith("\n") else text + "\n")
    stderr.write(changes.summary() + "\n")
    return EXIT_OK


def _cmd_compare(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .lifecycle import compare
    from .result import MatchResult

    comparison = compare(MatchResult.from_json(Path(args.a)), MatchResult.from_json(Path(args.b)))
    text = comparison.to_json() if args.format == "json" else comparison.table()
    _emit(text, None, stdout)
    stderr.write(comparison.summary() + "\n")
    return EXIT_OK


def _add_input(p: argparse.ArgumentParser, *, multiple: bool = True) -> None:
    p.add_argument(
        "files",
        nargs="+" if multiple else 1,
        metavar="FILE",
        help="program file(s): .json, .jsonl, .xlsx, or mentors.csv executives.csv [org.csv]",
    )
    p.add_argument(
        "--preset", choices=["successfactors", "workday"], help="column preset of an HR export"
    )
    p.add_argument("--mapping", metavar="MAP.json", help="column mapping file (source -> field)")


def _cmd_assign(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    import time

    from .solvers import read_assignment, solve

    instance = read_assignment(args.file, format=args.instance_format)
    start = time.perf_counter()
    result = solve(instance.weights, method=args.method)
    seconds = time.perf_counter() - start
    n, m = instance.shape
    rows = instance.row_labels[result.rows].tolist()
    cols = instance.col_labels[result.cols].tolist()
    report = {
        "instance": Path(args.file).name,
        "format": instance.format,
        "shape": [n, m],
        "method": result.method,
        "matched": len(result),
        "cost": instance.cost(result),
        "seconds": round(seconds, 4),
    }
    if args.format == "json":
        report["pairs"] = [list(pair) for pair in zip(rows, cols, strict=True)]
        text = json.dumps(report, indent=2)
    else:
        text = "\n".join(f"{key}: {value}" for key, value in report.items())
        if args.pairs:
            text += "\n" + "\n".join(f"{r} {c}" for r, c in zip(rows, cols, strict=True))
    _emit(text, args.output, stdout)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser (also used to generate the CLI reference)."""
    parser = argparse.ArgumentParser(
        prog="revmatch",
        description="Pair mentors with executives for reverse-mentoring programs.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"revmatch {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("demo", help="match the built-in synthetic program and explain it")
    p.add_argument("--executives", type=int, default=40, help="number of executives (40)")
    p.add_argument("--mentors", type=int, default=60, help="number of mentors (60)")
    p.add_argument("--seed", type=int, default=0, help="random seed (0)")
    p.add_argument("--config", metavar="CFG.json", help="match configuration")
    p.add_argument(
        "--format", choices=["table", "json", "csv"], default="table", help="output format"
    )
    p.add_argument("-o", "--output", metavar="OUT", help="write the result here")
    p.set_defaults(handler=_cmd_demo)

    p = sub.add_parser("match", help="match a program file and print the pairs")
    _add_input(p)
    p.add_argument("--config", metavar="CFG.json", help="match configuration")
    p.add_argument(
        "--format",
        choices=["table", "json", "csv", "jsonl", "xlsx"],
        default="table",
        help="output format (xlsx needs -o)",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="write the result here")
    p.add_argument(
        "--pseudonymize",
        metavar="KEY",
        help="replace every id in the output by a keyed HMAC-SHA256 pseudonym",
    )
    p.add_argument(
        "--key-file",
        metavar="KEYS.json",
        help="with --pseudonymize: write the pseudonym -> id mapping here",
    )
    p.set_defaults(handler=_cmd_match)

    p = sub.add_parser("validate", help="check program files and report every problem")
    _add_input(p)
    p.add_argument("--errors", choices=["table", "json"], default="table", help="report format")
    p.set_defaults(handler=_cmd_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of the input, config or result")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--config", action="store_true", help="schema of the match configuration")
    group.add_argument("--result", action="store_true", help="schema of a match result")
    p.set_defaults(handler=_cmd_schema)

    p = sub.add_parser("explain", help="explain one person's pairing")
    p.add_argument("files", nargs="+", metavar="FILE", help="program file(s)")
    p.add_argument("--id", required=True, help="executive or mentor id")
    p.add_argument(
        "--preset", choices=["successfactors", "workday"], help="column preset of an HR export"
    )
    p.add_argument("--mapping", metavar="MAP.json", help="column mapping file (source -> field)")
    p.add_argument("--config", metavar="CFG.json", help="match configuration")
    p.add_argument("--top", type=int, default=5, help="alternatives to show (5)")
    p.set_defaults(handler=_cmd_explain)

    p = sub.add_parser("suggest", help="capacity-aware shortlists for self-selection")
    _add_input(p)
    p.add_argument("--top", type=int, default=3, help="mentors per shortlist (3)")
    p.add_argument("--config", metavar="CFG.json", help="match configuration")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.add_argument("-o", "--output", metavar="OUT", help="write the shortlists here")
    p.set_defaults(handler=_cmd_suggest)

    p = sub.add_parser("rematch", help="re-match a changed program, keeping what still works")
    p.add_argument("previous", metavar="PREVIOUS.json", help="the result in force (from match -o)")
    _add_input(p)
    p.add_argument("--config", metavar="CFG.json", help="settings (default: the previous ones)")
    p.add_argument("--max-changes", type=int, default=None, help="at most this many pairs move")
    p.add_argument(
        "--force-pins", action="store_true", help="keep pinned pairs that break a rule (audited)"
    )
    p.add_argument("--format", choices=["table", "json", "csv", "jsonl", "xlsx"], default="table")
    p.add_argument("-o", "--output", metavar="OUT", help="write the result here")
    p.set_defaults(handler=_cmd_rematch)

    p = sub.add_parser("compare", help="pairs added, removed and changed between two results")
    p.add_argument("a", metavar="A.json", help="the result before")
    p.add_argument("b", metavar="B.json", help="the result after")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(handler=_cmd_compare)

    from .solvers._instances import INSTANCE_FORMATS

    p = sub.add_parser(
        "assign", help="solve a published assignment instance (OR-Library or DIMACS, costs)"
    )
    p.add_argument("file", help="the instance file")
    p.add_argument("--method", default="auto", help="solver method (default: auto)")
    p.add_argument(
        "--instance-format",
        choices=INSTANCE_FORMATS,
        default="auto",
        help="file format (default: detected)",
    )
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--pairs", action="store_true", help="also list the pairs (table output)")
    p.add_argument("-o", "--output", metavar="OUT", help="write the result here")
    p.set_defaults(handler=_cmd_assign)
    return parser


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; return the exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` by default.
    stdout, stderr : text streams, optional
        Where results and diagnostics go.
    """
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    handler: Callable[[argparse.Namespace, TextIO, TextIO], int] = args.handler
    try:
        return handler(args, out, err)
    except InvalidInputError as exc:
        for problem in exc.problems:
            prefix = "warning" if problem.severity == "warning" else "error"
            err.write(f"{prefix}: {problem}\n")
        return EXIT_INVALID
    except RevmatchError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_INVALID
    except FileNotFoundError as exc:
        err.write(f"error: file not found: {exc.filename or exc}\n")
        return EXIT_INVALID
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
        err.write(f"error: cannot read input: {exc}\n")
        return EXIT_INVALID
    except ImportError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_INVALID


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
