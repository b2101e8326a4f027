"""Command-line front end: ``revmatch demo | match | validate | ... | assign``.

Results go to stdout, diagnostics (warnings, notices, summaries) to stderr,
each once. Exit codes: 0 success, 1 invalid input (a located message, never
a traceback), 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from .exceptions import InvalidInputError, Problem, RevmatchError

__all__ = ["SECRET_VARIABLE", "build_parser", "main"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

SECRET_VARIABLE = "REVMATCH_PSEUDONYM_SECRET"
"""Environment variable holding the secret key of ``match --pseudonymize``."""

FORMATS_NEEDING_OUTPUT = frozenset({"xlsx"})


class UsageError(Exception):
    """A mistake in the command line itself: reported with exit code 2."""


class OutputError(Exception):
    """The output cannot be written where the user asked: reported with exit code 1."""


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def _check_output(path: str | None) -> None:
    """Refuse an output path that cannot be written, naming what is wrong with it."""
    if not path:
        return
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise OutputError(f"cannot write {path}: it is a directory; give a file name")
    if not folder.exists():
        raise OutputError(f"cannot write {path}: the output directory {folder} does not exist")
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: {folder} is not a directory")
    if not os.access(folder, os.W_OK):
        raise OutputError(f"cannot write {path}: the output directory {folder} is not writable")
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputError(f"cannot write {path}: the file is not writable")


def _emit(text: str, output: str | None, stdout: TextIO) -> None:
    text = text if text.endswith("\n") else text + "\n"
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        stdout.write(text)


def _diagnose(problems: Iterable[Problem | str], stderr: TextIO, prefix: str = "warning") -> None:
    for problem in problems:
        stderr.write(f"{prefix}: {problem}\n")


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


def _config(args: argparse.Namespace, base: Any = None) -> Any:
    """The match settings: a config file (or ``base``), then the inline options over it."""
    from .io import read_config
    from .models import MatchConfig

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


def _read_options(args: argparse.Namespace) -> dict[str, Any]:
    keys = ("preset", "mapping", "delimiter", "encoding")
    options = {k: v for k in keys if (v := getattr(args, k, None)) is not None}
    if getattr(args, "strict", False):
        options["strict"] = True
    return options


def _sources(args: argparse.Namespace) -> Path | list[Path]:
    paths = [Path(p) for p in args.files]
    return paths[0] if len(paths) == 1 else paths


def _load_program(args: argparse.Namespace, stderr: TextIO) -> Any:
    """Read and validate the input files; warnings (with their place) go to stderr."""
    from .io import validate_files

    report = validate_files(_sources(args), **_read_options(args))
    if not getattr(args, "quiet", False):
        _diagnose(getattr(report, "notices", ()), stderr, "note")
    _diagnose(report.warnings, stderr)
    return report.raise_for_errors()


def _secret(args: argparse.Namespace) -> str | None:
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


def _check_format(args: argparse.Namespace) -> None:
    if args.format in FORMATS_NEEDING_OUTPUT and not args.output:
        raise UsageError(f"--format {args.format} writes a file: give it with -o FILE")
    _check_output(args.output)


def _render(result: Any, args: argparse.Namespace, program: Any, secret: str | None) -> str:
    """Format a result; table output is for people, the rest goes through the writers."""
    from .io import write_result

    if args.format == "table" and secret is None:
        if args.output:
            _emit(str(result.table()), args.output, sys.stdout)
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


def _finish(text: str, args: argparse.Namespace, stdout: TextIO) -> None:
    """Print a rendered result; with -o the writers have already written it."""
    if text and not args.output:
        _emit(text, None, stdout)


# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------


def _cmd_demo(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from . import datasets
    from .matching import match

    _check_format(args)
    program = datasets.make_program(args.executives, args.mentors, seed=args.seed)
    result = match(program, _config(args))
    if args.format != "table":
        _finish(_render(result, args, program, None), args, stdout)
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
    from .quality import data_quality

    _check_format(args)
    secret = _secret(args)
    if args.key_file and secret is None:
        raise UsageError("--key-file needs --pseudonymize")
    config = _config(args)
    program = _load_program(args, stderr)
    result = match(program, config)
    _finish(_render(result, args, program, secret), args, stdout)
    _diagnose(data_quality(program, config, result), stderr)
    if not args.quiet:
        stderr.write(result.summary() + "\n")
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .io import validate_files
    from .quality import data_quality

    report = validate_files(_sources(args), **_read_options(args))
    text = report.to_json() if args.format == "json" else report.to_table()
    _emit(text, None, stdout)
    if report.program is not None:
        _diagnose(data_quality(report.program, _config(args)), stderr)
    return EXIT_OK if report.ok else EXIT_INVALID


def _cmd_inspect(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .io import inspect_files

    _check_output(args.output)
    paths = [Path(p) for p in args.files]
    draft = inspect_files(paths[0] if len(paths) == 1 else paths)
    if args.output:
        draft.write(args.output)
    else:
        _emit(draft.to_json(), None, stdout)
    stderr.write(draft.review_table() + "\n")
    if args.output:
        stderr.write(
            f"Edit {args.output}, then: revmatch validate --mapping {args.output} "
            + " ".join(args.files)
            + "\n"
        )
    return EXIT_OK


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

    config = _config(args)
    program = _load_program(args, stderr)
    result = match(program, config)
    explanation = result.explain(args.id, top_n=args.top)
    if args.format == "json":
        from dataclasses import asdict

        _emit(json.dumps(asdict(explanation), indent=2), None, stdout)
    else:
        _emit(str(explanation), None, stdout)
    return EXIT_OK


def _cmd_suggest(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .suggest import suggest

    _check_format(args)
    config = _config(args)
    program = _load_program(args, stderr)
    suggestions = suggest(program, config, top_n=args.top)
    if args.format == "json":
        text = suggestions.to_json()
    elif args.format == "csv":
        text = suggestions.to_csv()
    else:
        text = suggestions.table()
    _emit(text, args.output, stdout)
    if not args.quiet:
        stderr.write(suggestions.summary() + "\n")
    return EXIT_OK


def _cmd_rematch(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .lifecycle import rematch, rematch_changes, result_config
    from .result import MatchResult

    _check_format(args)
    previous = MatchResult.from_json(Path(args.previous))
    program = _load_program(args, stderr)
    config = _config(args, base=result_config(previous))
    result = rematch(
        previous, program, config, max_changes=args.max_changes, force_pins=args.force_pins
    )
    changes = rematch_changes(result)
    if args.format == "table" and not args.output:
        stdout.write(changes.table() + "\n\n")
    _finish(_render(result, args, program, None), args, stdout)
    if not args.quiet:
        stderr.write(changes.summary() + "\n")
    return EXIT_OK


def _cmd_compare(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .lifecycle import compare
    from .result import MatchResult

    comparison = compare(MatchResult.from_json(Path(args.a)), MatchResult.from_json(Path(args.b)))
    text = comparison.to_json() if args.format == "json" else comparison.table()
    _emit(text, None, stdout)
    if not args.quiet:
        stderr.write(comparison.summary() + "\n")
    return EXIT_OK


def _cmd_assign(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    import time

    from .solvers import INSTANCE_FORMATS, read_assignment, solve

    _check_output(args.output)
    if args.instance_format not in INSTANCE_FORMATS:  # pragma: no cover - argparse checks
        raise UsageError(f"--instance-format must be one of {', '.join(INSTANCE_FORMATS)}")
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


# ---------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------


def _command(
    sub: Any, name: str, summary: str, description: str, examples: Sequence[str]
) -> argparse.ArgumentParser:
    """A subcommand with a one-line summary, a description and examples in its --help."""
    epilog = "examples:\n" + "\n".join(f"  {line}" for line in examples)
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=summary,
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def _add_input(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="program file(s): a folder, .json, .jsonl, .xlsx, or mentors.csv "
        "executives.csv [org.csv] [program.json], or one people.csv with a role column",
    )
    p.add_argument(
        "--preset", choices=["successfactors", "workday"], help="column preset of an HR export"
    )
    p.add_argument(
        "--mapping", metavar="MAP.json", help="mapping file: columns, roles, values, filters"
    )
    p.add_argument(
        "--delimiter",
        metavar="CHAR",
        help="CSV field separator (default: detected among , ; tab |)",
    )
    p.add_argument(
        "--encoding",
        metavar="NAME",
        help="text encoding of CSV files (default: detected: UTF-8, UTF-16, Windows-1252)",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="treat doubtful values as errors (a time-zone abbreviation such as CET)",
    )


def _add_settings(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--config", metavar="CFG.json", help="match settings file (`revmatch schema --config`)"
    )
    p.add_argument(
        "--min-overlap",
        type=int,
        metavar="MINUTES",
        help="least weekly shared time of a pair (setting min_overlap_minutes)",
    )
    p.add_argument(
        "--weights",
        action="append",
        metavar="NAME=W",
        help="component weights, e.g. topic=0.6,availability=0.2 (repeatable)",
    )
    p.add_argument(
        "--objective",
        choices=["coverage_then_score", "max_score", "maximin"],
        help="what the assignment maximises",
    )
    p.add_argument("--method", metavar="NAME", help="solver method (default: auto)")
    p.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="any other setting, e.g. exclude_same_department=true (repeatable)",
    )


def _add_quiet(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "-q", "--quiet", action="store_true", help="no summary or notes on stderr (warnings stay)"
    )


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser (also used to generate the CLI reference)."""
    from . import __version__
    from .solvers import INSTANCE_FORMATS

    parser = argparse.ArgumentParser(
        prog="revmatch",
        description="Pair mentors with executives for reverse-mentoring programs.",
    )
    parser.add_argument("--version", action="version", version=f"revmatch {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = _command(
        sub,
        "demo",
        "match the built-in synthetic program and explain it",
        "Build a synthetic program, match it and explain one pair and one unmatched "
        "executive: a first look at what revmatch does.",
        ["revmatch demo", "revmatch demo --executives 200 --mentors 300 --format csv -o p.csv"],
    )
    p.add_argument("--executives", type=int, default=40, help="number of executives")
    p.add_argument("--mentors", type=int, default=60, help="number of mentors")
    p.add_argument("--seed", type=int, default=0, help="random seed")
    _add_settings(p)
    p.add_argument(
        "--format",
        choices=["table", "json", "csv", "jsonl", "xlsx"],
        default="table",
        help="output format (xlsx needs -o)",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="write the result to this file")
    p.set_defaults(handler=_cmd_demo)

    p = _command(
        sub,
        "match",
        "match a program and print the pairs",
        "Read and validate the program, pair executives with mentors exactly, and print "
        "the pairs. Warnings about the data and the summary go to stderr.",
        [
            "revmatch match people.json",
            "revmatch match mentors.csv executives.csv org.csv --min-overlap 45",
            "revmatch match exports/ --mapping map.json --format csv -o pairs.csv",
            f"{SECRET_VARIABLE}=... revmatch match people.json --format csv -o shared.csv "
            "--pseudonymize --key-file keys.json",
        ],
    )
    _add_input(p)
    _add_settings(p)
    p.add_argument(
        "--format",
        choices=["table", "json", "csv", "jsonl", "xlsx"],
        default="table",
        help="output format (xlsx needs -o)",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="write the result to this file")
    p.add_argument(
        "--pseudonymize",
        nargs="?",
        const=True,
        default=None,
        metavar="",
        help="replace every id in the output by a keyed HMAC-SHA256 pseudonym; the secret "
        f"comes from --secret-file or the environment variable {SECRET_VARIABLE}",
    )
    p.add_argument(
        "--secret-file",
        metavar="SECRET.txt",
        help="with --pseudonymize: read the secret key from this file",
    )
    p.add_argument(
        "--key-file",
        metavar="KEYS.json",
        help="with --pseudonymize: write the pseudonym -> id mapping here (keep it apart)",
    )
    _add_quiet(p)
    p.set_defaults(handler=_cmd_match)

    p = _command(
        sub,
        "validate",
        "check program files and report every problem",
        "Read the program files and list every problem at once: file, line, record, "
        "field, what is wrong and the expected form. Exit 1 when there are errors. "
        "With no errors, warnings about the data's use for matching go to stderr.",
        [
            "revmatch validate mentors.csv executives.csv",
            "revmatch validate exports/ --mapping map.json --format json",
        ],
    )
    _add_input(p)
    _add_settings(p)
    p.add_argument("--format", choices=["table", "json"], default="table", help="report format")
    p.set_defaults(handler=_cmd_validate)

    p = _command(
        sub,
        "inspect",
        "draft a mapping file for an unfamiliar export",
        "Read the headers and a sample of values of an export and draft a mapping file: "
        "which file holds which role, which column fills which field, value maps for "
        "label columns (grades) to fill in. Every guess is listed on stderr with its "
        "reason for review; nothing is guessed silently.",
        [
            "revmatch inspect mentees.csv mentors.csv -o map.json",
            "revmatch validate --mapping map.json mentees.csv mentors.csv",
        ],
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="CSV files, .xlsx workbooks or folders")
    p.add_argument("-o", "--output", metavar="MAP.json", help="write the draft mapping here")
    p.set_defaults(handler=_cmd_inspect)

    p = _command(
        sub,
        "schema",
        "print the JSON Schema of the input, config or result",
        "Print a JSON Schema (draft 2020-12) for editors, validators and other systems.",
        ["revmatch schema > input.schema.json", "revmatch schema --config"],
    )
    group = p.add_mutually_exclusive_group()
    group.add_argument("--config", action="store_true", help="schema of the match settings")
    group.add_argument("--result", action="store_true", help="schema of a match result")
    p.set_defaults(handler=_cmd_schema)

    p = _command(
        sub,
        "explain",
        "explain one person's pairing",
        "Match the program and explain one person: the chosen partner and the best "
        "alternatives side by side, with why each was not chosen.",
        ["revmatch explain people.json --id e-07", "revmatch explain people.json --id m-3 --top 3"],
    )
    _add_input(p)
    p.add_argument("--id", required=True, help="executive or mentor id")
    p.add_argument("--top", type=int, default=5, help="alternatives to show")
    _add_settings(p)
    p.add_argument("--format", choices=["table", "json"], default="table", help="output format")
    p.set_defaults(handler=_cmd_explain)

    p = _command(
        sub,
        "suggest",
        "capacity-aware shortlists for self-selection",
        "Give each executive a shortlist of mentors whose first entries come from "
        "successive optimal assignments, so lists respect mentor capacity.",
        ["revmatch suggest people.json --top 3", "revmatch suggest people.json --format csv"],
    )
    _add_input(p)
    p.add_argument("--top", type=int, default=3, help="mentors per shortlist")
    _add_settings(p)
    p.add_argument(
        "--format", choices=["table", "json", "csv"], default="table", help="output format"
    )
    p.add_argument("-o", "--output", metavar="OUT", help="write the shortlists to this file")
    _add_quiet(p)
    p.set_defaults(handler=_cmd_suggest)

    p = _command(
        sub,
        "rematch",
        "re-match a changed program, keeping what still works",
        "Re-pair after drop-outs and newcomers: pairs that still meet every rule stay "
        "unless moving them gains more than the switching cost. Settings default to the "
        "previous result's.",
        [
            "revmatch rematch round1.json people.json",
            "revmatch rematch round1.json people.json --max-changes 2 --format json -o r.json",
        ],
    )
    p.add_argument("previous", metavar="PREVIOUS.json", help="the result in force (from match -o)")
    _add_input(p)
    _add_settings(p)
    p.add_argument("--max-changes", type=int, default=None, help="at most this many pairs move")
    p.add_argument(
        "--force-pins", action="store_true", help="keep pinned pairs that break a rule (audited)"
    )
    p.add_argument(
        "--format",
        choices=["table", "json", "csv", "jsonl", "xlsx"],
        default="table",
        help="output format (xlsx needs -o)",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="write the result to this file")
    _add_quiet(p)
    p.set_defaults(handler=_cmd_rematch)

    p = _command(
        sub,
        "compare",
        "pairs added, removed and changed between two results",
        "Compare two saved results (from match -o X.json): pairs added, removed, changed "
        "and rescored, and every metric's change.",
        ["revmatch compare round1.json round2.json"],
    )
    p.add_argument("a", metavar="A.json", help="the result before")
    p.add_argument("b", metavar="B.json", help="the result after")
    p.add_argument("--format", choices=["table", "json"], default="table", help="output format")
    _add_quiet(p)
    p.set_defaults(handler=_cmd_compare)

    p = _command(
        sub,
        "assign",
        "solve a published assignment instance (OR-Library or DIMACS, costs)",
        "Solve an assignment instance file as costs to minimise and print the cost, "
        "the method and the time.",
        ["revmatch assign assignp800.txt", "revmatch assign inst.asn --format json"],
    )
    p.add_argument("file", help="the instance file")
    p.add_argument("--method", default="auto", help="solver method")
    p.add_argument(
        "--instance-format",
        choices=INSTANCE_FORMATS,
        default="auto",
        help="file format (auto: detected)",
    )
    p.add_argument("--format", choices=["table", "json"], default="table", help="output format")
    p.add_argument("--pairs", action="store_true", help="also list the pairs (table output)")
    p.add_argument("-o", "--output", metavar="OUT", help="write the result to this file")
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

    Returns
    -------
    int
        0 on success, 1 for invalid input, 2 for a usage error.
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
    except UsageError as exc:
        err.write(f"revmatch {args.command}: usage error: {exc}\n")
        return EXIT_USAGE
    except OutputError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_INVALID
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
