"""The validation report: every problem of the input files, located, in one place."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from revmatch.exceptions import InvalidInputError, Problem
from revmatch.models import Program

__all__ = ["ValidationReport"]

_COLUMNS = ("severity", "file", "line", "record", "field", "message", "expected")


def _sort_key(problem: Problem) -> tuple[str, int, int]:
    return (problem.file or "", problem.line or 0, 0 if problem.severity == "error" else 1)


@dataclass(frozen=True)
class ValidationReport:
    """All problems found in the input, errors and warnings, each located.

    Attributes
    ----------
    problems : tuple of Problem
        Sorted by file and line; each names file, line, record (by id),
        field, what is wrong and the expected form. Messages never hold
        names, e-mails or other personal values of a record.
    program : Program or None
        The program read, when there are no errors.
    counts : mapping of str to int
        Records read per list (``mentors``, ``executives``, ``org``, ...) and
        ``org_kept``, the org rows on some participant's reporting chain.

    Examples
    --------
    >>> from revmatch.exceptions import Problem
    >>> r = ValidationReport((Problem("no time zone given", file="m.csv", line=3),))
    >>> r.ok
    False
    >>> print(r.to_table().splitlines()[0])
    1 error, 0 warnings
    """

    problems: tuple[Problem, ...] = ()
    program: Program | None = None
    counts: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_problems(
        cls,
        problems: Sequence[Problem],
        program: Program | None = None,
        counts: Mapping[str, int] | None = None,
    ) -> ValidationReport:
        """Build a report, sorting the problems by file and line."""
        return cls(tuple(sorted(problems, key=_sort_key)), program, dict(counts or {}))

    @property
    def errors(self) -> list[Problem]:
        """Problems of severity ``"error"``."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems of severity ``"warning"``."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    def raise_for_errors(self) -> Program:
        """Return the program, or raise :class:`InvalidInputError` with every problem.

        Raises
        ------
        InvalidInputError
            If the report holds an error.
        """
        if self.program is None or not self.ok:
            raise InvalidInputError(list(self.problems) or [Problem("no program was read")])
        return self.program

    def summary(self) -> str:
        """Return ``"2 errors, 1 warning"`` and what was read."""
        n_err, n_warn = len(self.errors), len(self.warnings)
        text = f"{n_err} error{'s' * (n_err != 1)}, {n_warn} warning{'s' * (n_warn != 1)}"
        read = [f"{self.counts[k]} {k}" for k in ("mentors", "executives") if k in self.counts]
        if self.counts.get("org"):
            kept = self.counts.get("org_kept", 0)
            read.append(f"{self.counts['org']} org rows ({kept} on a chain)")
        return text + (f"; read {', '.join(read)}" if read else "")

    def to_records(self) -> list[dict[str, Any]]:
        """Return the problems as JSON-ready mappings."""
        return [p.to_dict() for p in self.problems]

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return the report as JSON: ``{"ok", "errors", "warnings", "counts", "problems"}``."""
        data = {
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "counts": dict(self.counts),
            "problems": self.to_records(),
        }
        return json.dumps(data, indent=indent, ensure_ascii=False)

    def to_table(self) -> str:
        """Return a plain-text table of the problems, with a summary line first."""
        lines = [self.summary()]
        if not self.problems:
            return "\n".join(lines)
        rows = [
            ["" if v is None else str(v) for v in (p.to_dict()[c] for c in _COLUMNS)]
            for p in self.problems
        ]
        widths = [
            max(len(c), *(len(r[i]) for r in rows)) if i < len(_COLUMNS) - 2 else 0
            for i, c in enumerate(_COLUMNS)
        ]

        def fmt(cells: Sequence[str]) -> str:
            head = "  ".join(c.ljust(w) for c, w in zip(cells[:-2], widths[:-2], strict=True))
            tail = cells[-2] + (f" (expected {cells[-1]})" if cells[-1] else "")
            return f"{head}  {tail}".rstrip()

        lines.append(fmt((*_COLUMNS[:-1], "")))
        lines.extend(fmt(r) for r in rows)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_table()
