"""Exception tree of revmatch.

Every error raised on purpose by revmatch derives from :class:`RevmatchError`.
Errors about the caller's data also derive from :class:`ValueError`, so code
that already catches ``ValueError`` keeps working.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "InfeasibleError",
    "InvalidInputError",
    "Problem",
    "QuotaInfeasibleError",
    "RevmatchError",
]


@dataclass(frozen=True)
class Problem:
    """One located problem in the input.

    Parameters
    ----------
    message : str
        What is wrong, in plain words.
    field : str, optional
        The field (column) at fault, e.g. ``"capacity"`` or ``"availability[1]"``.
    record : str, optional
        The record at fault, e.g. ``"mentor 'm-07'"`` or ``"executives[3]"``.
    line : int, optional
        Line number in the file, counted as a text editor or spreadsheet shows it.
    file : str, optional
        The file the record came from.
    expected : str, optional
        The accepted form or values.
    severity : {"error", "warning", "notice"}
        Warnings are reported but do not stop the run; a notice states what a
        reader did on purpose (a column left unread, a row left out by a
        filter), so that nothing is dropped silently.
    """

    message: str
    field: str | None = None
    record: str | None = None
    line: int | None = None
    file: str | None = None
    expected: str | None = None
    severity: Literal["error", "warning", "notice"] = "error"

    def location(self) -> str:
        """Return where the problem is, e.g. ``"people.json, line 4, mentor 'm-1'"``."""
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.record:
            parts.append(self.record)
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.expected:
            text += f" (expected {self.expected})"
        return text

    def to_dict(self) -> dict[str, str | int | None]:
        """Return the problem as a JSON-ready mapping."""
        return {
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "record": self.record,
            "field": self.field,
            "message": self.message,
            "expected": self.expected,
        }


class RevmatchError(Exception):
    """Root of every error that revmatch raises on purpose."""


class InvalidInputError(RevmatchError, ValueError):
    """The input data or configuration is invalid.

    Parameters
    ----------
    problems : str, Problem or iterable of Problem
        What is wrong. A plain string becomes a single :class:`Problem`.

    Attributes
    ----------
    problems : list of Problem
        Every problem found, errors and warnings, in the order found.
    """

    problems: list[Problem]

    def __init__(self, problems: str | Problem | Iterable[Problem]) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__(self._summary())

    @property
    def errors(self) -> list[Problem]:
        """The problems of severity ``"error"``."""
        return [p for p in self.problems if p.severity == "error"]

    def _summary(self) -> str:
        errors = self.errors or self.problems
        if len(errors) == 1:
            return str(errors[0])
        lines = [f"{len(errors)} problems in the input:"]
        lines += [f"  - {p}" for p in errors]
        return "\n".join(lines)


class InfeasibleError(RevmatchError):
    """No assignment meets the request (raised only when ``strict=True``).

    Parameters
    ----------
    message : str
        What could not be satisfied.
    rows, cols : sequence of int, optional
        Row (executive) and column (mentor) indices at fault.
    """

    def __init__(self, message: str, *, rows: Sequence[int] = (), cols: Sequence[int] = ()) -> None:
        super().__init__(message)
        self.rows = tuple(int(r) for r in rows)
        self.cols = tuple(int(c) for c in cols)


class QuotaInfeasibleError(InfeasibleError):
    """The minimums of ``MatchConfig.quotas`` cannot all be met together.

    Raised by :func:`revmatch.match` whatever ``strict`` says, since a quota is
    a requirement. The message gives the smallest relaxation: by how much to
    lower each minimum that falls short, and its largest feasible value with
    the other quotas kept. :func:`revmatch.explain_quotas` of the program
    returns the same text.
    """

