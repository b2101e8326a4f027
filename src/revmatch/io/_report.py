"""The validation report: every problem of the input files, located, in one place."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from revmatch.exceptions import InvalidInputError, Problem
from revmatch.models import Program

__all__ = ["ProblemGroup", "ValidationReport", "group_problems"]

_COLUMNS = ("severity", "file", "line", "record", "field", "message", "expected")
# A group names its records while they are few; beyond that it says how many.
_NAMED_RECORDS = 3


_RANK = {"error": 0, "warning": 1}


def _sort_key(problem: Problem) -> tuple[str, int, int]:
    return (problem.file or "", problem.line or 0, _RANK.get(problem.severity, 2))


def _ranges(lines: Sequence[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for line in sorted(set(lines)):
        if out and line == out[-1][1] + 1:
            out[-1] = (out[-1][0], line)
        else:
            out.append((line, line))
    return out


def _is_table(file: str | None) -> bool:
    name = (file or "").lower()
    return name.endswith((".csv", ".txt")) or ", sheet " in name


@dataclass(frozen=True)
class ProblemGroup:
    """Problems alike but for their line and record: one line of the report.

    Problems are alike when severity, file, field, message and expected form
    agree, as when 200 rows give no time zone.

    Attributes
    ----------
    problems : tuple of Problem
        The problems of the group, in the report's order (at least one).

    Examples
    --------
    >>> from revmatch.exceptions import Problem
    >>> g = ProblemGroup(tuple(
    ...     Problem("no time zone given", file="m.csv", line=n, field="timezone")
    ...     for n in (2, 3, 4, 9)))
    >>> g.where()
    'rows 2–4, 9'
    """

    problems: tuple[Problem, ...]

    @property
    def first(self) -> Problem:
        """The first problem, which holds what the group has in common."""
        return self.problems[0]

    @property
    def count(self) -> int:
        """How many problems the group holds."""
        return len(self.problems)

    @property
    def lines(self) -> list[tuple[int, int]]:
        """The lines (rows) of the problems as ranges ``(first, last)``."""
        return _ranges([p.line for p in self.problems if p.line is not None])

    def where(self) -> str:
        """Return the lines as text, e.g. ``"rows 2–201"`` (``"lines"`` in JSON files)."""
        ranges = self.lines
        if not ranges:
            return ""
        if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
            return str(ranges[0][0])
        noun = "rows" if _is_table(self.first.file) else "lines"
        return noun + " " + ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in ranges)

    def records(self) -> list[str]:
        """The records named by the problems, in order, each once."""
        return list(dict.fromkeys(p.record for p in self.problems if p.record))

    def record(self) -> str | None:
        """Return the records as text: their names while few, else how many."""
        named = self.records()
        if not named:
            return None
        if len(named) <= _NAMED_RECORDS:
            return ", ".join(named)
        kinds = {r.split(" ", 1)[0] for r in named}
        kind = kinds.pop() if len(kinds) == 1 else ""
        # "200 mentors" when all are of one kind ("mentor 'm-01'", ...), else "200 records".
        return f"{len(named)} {kind + 's' if kind.isalpha() else 'records'}"

    def to_dict(self) -> dict[str, Any]:
        """Return the group as a JSON-ready mapping.

        A group of one problem is that problem's mapping. A larger group
        has the same keys, with ``line`` the first line, ``record`` None,
        and in addition ``count``, ``lines`` (ranges ``[first, last]``) and
        ``records`` (every record named).
        """
        if self.count == 1:
            return dict(self.first.to_dict())
        data: dict[str, Any] = dict(self.first.to_dict())
        data["line"] = self.lines[0][0] if self.lines else None
        data["record"] = None
        data["count"] = self.count
        data["lines"] = [list(r) for r in self.lines]
        data["records"] = self.records()
        return data

    def cells(self) -> list[str]:
        """Return the cells of the group's row in the report table."""
        first = self.first
        if self.count == 1:
            values: list[Any] = [first.to_dict()[c] for c in _COLUMNS]
        else:
            values = [
                first.severity,
                first.file,
                self.where(),
                self.record(),
                first.field,
                first.message,
                first.expected,
            ]
        return ["" if v is None else str(v) for v in values]

    def __str__(self) -> str:
        if self.count == 1:
            return str(self.first)
        first = self.first
        parts = [p for p in (first.file, self.where(), self.record()) if p]
        if first.field:
            parts.append(f"field '{first.field}'")
        text = f"{', '.join(parts)}: {first.message}"
        return text + (f" (expected {first.expected})" if first.expected else "")


def group_problems(problems: Sequence[Problem]) -> list[ProblemGroup]:
    """Group problems alike (severity, file, field, message, expected), in order of first one."""
    groups: dict[tuple[Any, ...], list[Problem]] = {}
    for p in problems:
        groups.setdefault((p.severity, p.file, p.field, p.message, p.expected), []).append(p)
    return [ProblemGroup(tuple(members)) for members in groups.values()]


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
    def notices(self) -> list[Problem]:
        """Problems of severity ``"notice"``: what a reader did without being told.

        The encoding and delimiter detected for each file, a ``program.json``
        found beside the files, the sheets read or left out, columns left
        unread, rows left out by a filter: stated, so that nothing is a
        silent guess. They do not stop the run.
        """
        return [p for p in self.problems if p.severity == "notice"]

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

    def groups(self) -> list[ProblemGroup]:
        """Return the problems grouped: alike but for line and record, one group.

        Problems are alike when severity, file, field, message and expected
        form agree (200 rows without a time zone are one group).
        """
        return group_problems(self.problems)

    def to_records(self) -> list[dict[str, Any]]:
        """Return every problem (not grouped) as a JSON-ready mapping."""
        return [p.to_dict() for p in self.problems]

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return the report as JSON.

        Keys ``ok``, ``errors``, ``warnings`` and ``notices`` (counts of
        problems of each severity), ``counts`` (records read) and
        ``problems``: one entry per group of problems alike (see
        :meth:`ProblemGroup.to_dict`; a group of one is the problem itself,
        a larger one adds ``count``, ``lines`` and ``records``).
        """
        data = {
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "notices": len(self.notices),
            "counts": dict(self.counts),
            "problems": [g.to_dict() for g in self.groups()],
        }
        return json.dumps(data, indent=indent, ensure_ascii=False)

    def to_table(self) -> str:
        """Return a plain-text table of the problems (notices too), with a summary line first.

        Problems alike but for their row are one line of the table, with
        the rows as ranges (``rows 2–201``) and, beyond three records, their
        number instead of their ids.
        """
        lines = [self.summary()]
        if not self.problems:
            return "\n".join(lines)
        rows = [g.cells() for g in self.groups()]
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
