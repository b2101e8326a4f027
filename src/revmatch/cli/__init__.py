"""Command-line front end: ``revmatch demo | match | validate | inspect | ... | assign``.

Results go to stdout, diagnostics (warnings, notes, summaries) to stderr,
each once. Exit codes: 0 success, 1 invalid input (a located message, never
a traceback), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from revmatch.exceptions import InvalidInputError, RevmatchError

from ._options import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    SECRET_VARIABLE,
    OutputError,
    ReportedError,
    UsageError,
    report_problems,
)
from ._parser import build_parser

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "SECRET_VARIABLE", "build_parser", "main"]


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
    except ReportedError:
        return EXIT_INVALID
    except InvalidInputError as exc:
        report_problems(exc.problems, err)
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
