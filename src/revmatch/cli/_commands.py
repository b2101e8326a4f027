"""The commands: each reads its input, calls the library and writes result and diagnostics."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from ._options import (
    EXIT_INVALID,
    EXIT_OK,
    UsageError,
    check_format,
    check_output,
    diagnose,
    emit,
    finish,
    load_program,
    read_options,
    read_secret,
    render,
    settings,
    sources,
)

# ---------------------------------------------------------------------------


@contextmanager
def _bar(args: argparse.Namespace, stderr: TextIO) -> Iterator[Any]:
    """A progress bar on ``stderr`` for long work, or None.

    None with ``--quiet``, when ``stderr`` is not a terminal (piped, a file)
    or without tqdm (the ``progress`` extra); the bar appears only after
    about a second of work.
    """
    from revmatch._progress import terminal_bar

    bar = terminal_bar(bool(getattr(args, "quiet", False)), stderr)
    try:
        yield bar
    finally:
        if bar is not None:
            bar.close()


def cmd_demo(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from revmatch import datasets, match

    check_format(args)
    program = datasets.make_program(args.executives, args.mentors, seed=args.seed)
    result = match(program, settings(args))
    if args.format != "table":
        finish(render(result, args, program, None), args, stdout)
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
    emit("\n".join(lines), args.output, stdout)
    return EXIT_OK


def cmd_match(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from revmatch import data_quality, match

    check_format(args)
    secret = read_secret(args)
    if args.key_file and secret is None:
        raise UsageError("--key-file needs --pseudonymize")
    config = settings(args)
    program = load_program(args, stderr)
    if args.alternatives is not None:
        return _alternatives(program, config, args, stdout, stderr)
    with _bar(args, stderr) as bar:
        result = match(program, config, progress=bar)
    if args.format == "ics":
        _write_ics(result, program, args, stderr)
    else:
        finish(render(result, args, program, secret), args, stdout)
    diagnose(data_quality(program, config, result), stderr)
    if not args.quiet:
        stderr.write(result.summary() + "\n")
    return EXIT_OK


def _alternatives(
    program: Any, config: Any, args: argparse.Namespace, stdout: TextIO, stderr: TextIO
) -> int:
    """The k best assignments: a table of all, then what each changes against the best."""
    from revmatch import alternatives

    if args.format not in ("table", "json"):
        raise UsageError("--alternatives writes --format table or json")
    with _bar(args, stderr) as bar:
        found = alternatives(program, args.alternatives, config, progress=bar)
    if args.format == "json":
        text = found.to_json(args.output) if args.output else found.to_json()
        finish(text, args, stdout)
    else:
        parts = [found.table()]
        for index in range(1, len(found)):
            parts += ["", f"alternative {index}", found.diff(index).table()]
        emit("\n".join(parts), args.output, stdout)
    if not args.quiet:
        stderr.write(found.results[0].summary() + "\n")
    return EXIT_OK


def _write_ics(result: Any, program: Any, args: argparse.Namespace, stderr: TextIO) -> None:
    """Calendar files of a result, and what they hold, said on stderr."""
    invitations = result.to_ics(
        args.output, program=program, organizer=args.organizer, language=args.language or "en"
    )
    stderr.write(
        f"wrote {len(invitations.paths)} calendar file(s) to {args.output}: "
        f"{len(result.pairs) - len(invitations.without_slot)} "
        f"pair event(s), {invitations.moved} session(s) moved and "
        f"{invitations.cancelled} week(s) left out by clock changes\n"
    )
    for executive_id, mentor_id in invitations.without_slot:
        stderr.write(f"note: no shared slot, no event: {executive_id} with {mentor_id}\n")


def _matched(args: argparse.Namespace, stderr: TextIO) -> tuple[Any, Any]:
    """The program read from the input files and its match (or the saved result given)."""
    from revmatch import MatchResult, match

    config = settings(args)
    program = load_program(args, stderr)
    if getattr(args, "result", None):
        return program, MatchResult.from_json(Path(args.result))
    with _bar(args, stderr) as bar:
        return program, match(program, config, progress=bar)


def cmd_report(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from revmatch.handouts import write_report

    check_output(args.output)
    program, result = _matched(args, stderr)
    path = write_report(result, args.output, program=program, title=args.title or "")
    if not args.quiet:
        stderr.write(f"wrote the report to {path}\n")
    return EXIT_OK


def cmd_letters(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from revmatch.handouts import write_letters

    check_output(args.output, directory=True)
    program, result = _matched(args, stderr)
    paths = write_letters(result, args.output, args.template, args.language, program=program)
    if not args.quiet:
        stderr.write(f"wrote {len(paths)} file(s) to {args.output}\n")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from revmatch import data_quality
    from revmatch.io import validate_files

    report = validate_files(sources(args), **read_options(args))
    text = report.to_json() if args.format == "json" else report.to_table()
    emit(text, None, stdout)
    if report.program is not None:
        diagnose(data_quality(report.program, settings(args)), stderr)
    return EXIT_OK if report.ok else EXIT_INVALID


def cmd_inspect(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from revmatch.io import inspect_files

    check_output(args.output)
    paths = [Path(p) for p in args.files]
    draft = inspect_files(
        paths[0] if len(paths) == 1 else paths, encoding=args.encoding, delimiter=args.delimiter
    )
    if args.output:
        draft.write(args.output)
    else:
        emit(draft.to_json(), None, stdout)
    stderr.write(draft.review_table() + "\n")
    if args.output:
        stderr.write(
            f"Edit {args.output}, then: revmatch validate --mapping {args.output} "
            + " ".join(args.files)
            + "\n"
        )
    return EXIT_OK


def cmd_schema(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from revmatch import io

    schema = (
        io.config_schema()
        if args.config
        else io.result_schema()
        if args.result
        else io.input_schema()
    )
    stdout.write(json.dumps(schema, indent=2) + "\n")
    return EXIT_OK


def cmd_explain(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from revmatch import match

    config = settings(args)
    program = load_program(args, stderr)
    result = match(program, config)
    explanation = result.explain(args.id, top_n=args.top)
    if args.format == "json":
        from dataclasses import asdict

        emit(json.dumps(asdict(explanation), indent=2), None, stdout)
    else:
        emit(str(explanation), None, stdout)
    return EXIT_OK


def cmd_suggest(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from revmatch import suggest

    check_format(args)
    config = settings(args)
    program = load_program(args, stderr)
    suggestions = suggest(program, config, top_n=args.top)
    if args.format == "json":
        text = suggestions.to_json()
    elif args.format == "csv":
        text = suggestions.to_csv()
    else:
        text = suggestions.table()
    emit(text, args.output, stdout)
    if not args.quiet:
        stderr.write(suggestions.summary() + "\n")
    return EXIT_OK


def cmd_rematch(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from revmatch import MatchResult, rematch, rematch_changes
    from revmatch.lifecycle import result_config

    check_format(args)
    previous = MatchResult.from_json(Path(args.previous))
    program = load_program(args, stderr)
    config = settings(args, base=result_config(previous))
    with _bar(args, stderr) as bar:
        result = rematch(
            previous,
            program,
            config,
            max_changes=args.max_changes,
            force_pins=args.force_pins,
            progress=bar,
        )
    changes = rematch_changes(result)
    if args.format == "table" and not args.output:
        stdout.write(changes.table() + "\n\n")
    finish(render(result, args, program, None), args, stdout)
    if not args.quiet:
        stderr.write(changes.summary() + "\n")
    return EXIT_OK


def cmd_compare(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from revmatch import MatchResult, compare

    comparison = compare(MatchResult.from_json(Path(args.a)), MatchResult.from_json(Path(args.b)))
    text = comparison.to_json() if args.format == "json" else comparison.table()
    emit(text, None, stdout)
    if not args.quiet:
        stderr.write(comparison.summary() + "\n")
    return EXIT_OK


def cmd_fit(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from revmatch import MatchConfig, fit_weights
    from revmatch.io import read_config

    if args.output:
        check_output(args.output)
    program = load_program(args, stderr)
    base = read_config(args.config) if args.config else MatchConfig()
    fit = fit_weights(program, base, seed=args.seed)
    emit(fit.model_dump_json(indent=2) if args.format == "json" else str(fit), None, stdout)
    if not fit.usable:
        if args.output:
            stderr.write(f"error: {args.output} not written: the fit is not usable\n")
        return EXIT_INVALID
    if args.output:
        config = MatchConfig.from_fit(fit, base)
        Path(args.output).write_text(config.model_dump_json(indent=2) + "\n", encoding="utf-8")
        if not args.quiet:
            stderr.write(f"wrote {args.output}: the learned weights and the fit\n")
    return EXIT_OK


def cmd_assign(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    import time

    from revmatch.solvers import INSTANCE_FORMATS, read_assignment, solve

    check_output(args.output)
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
    emit(text, args.output, stdout)
    return EXIT_OK
