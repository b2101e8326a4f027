"""The program: :class:`Program`, its whole-program check, and cuts of its org chart.

Constructing a :class:`Program` checks each record *and* the program as a
whole (unique ids, known topics, valid time zones, an acyclic org chart) and
reports every problem at once as an
:class:`~revmatch.exceptions.InvalidInputError` naming the record, the field
and what was expected. :func:`collect_problems` does the same for raw data,
collecting every problem instead of stopping at the first bad record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any, Self

from pydantic import Field, PrivateAttr, model_validator

from revmatch.availability import Slot
from revmatch.exceptions import InvalidInputError, Problem

from ._base import CLASS_ROLE, FrozenModel
from ._checks import program_problems
from ._records import (
    Executive,
    HistoryEntry,
    Mentor,
    OrgEntry,
    PinnedPair,
    ProgramInfo,
    role_of,
)

__all__ = [
    "Program",
    "check_program",
    "collect_problems",
    "cut_program",
    "dotted_lines",
    "reporting_lines",
    "use_pandas_reader",
]

# The readers behind Program.from_pandas and the like. They live in
# revmatch.io, which depends on the models, so io hands them over when it is
# imported (``import revmatch`` imports io) instead of the model importing io.
_readers: dict[str, Callable[..., Program]] = {}


def use_pandas_reader(reader: Callable[..., Program]) -> None:
    """Set the function that :meth:`Program.from_pandas` calls.

    :mod:`revmatch.io` sets :func:`revmatch.io.program_from_pandas` when it
    is imported.
    """
    _readers["pandas"] = reader


class Program(FrozenModel):
    """A reverse-mentoring program: who takes part and the org chart around them.

    Construct it from Python objects or mappings; every problem found is
    reported at once as an :class:`~revmatch.exceptions.InvalidInputError`.

    Parameters
    ----------
    program : ProgramInfo, optional
        Name, dates, topics and default time zone (JSON key ``"program"``).
    mentors, executives : sequence of Mentor or mapping
        The people.
    org : sequence of OrgEntry, optional
        Reporting lines of people outside the program, so that reporting
        chains through them are followed. People and org entries may name
        dotted-line managers (``secondary_manager_ids``); reporting chains
        follow solid and dotted lines alike.
    history : sequence of HistoryEntry, optional
        Pairs of earlier rounds.
    pinned : sequence of PinnedPair, optional
        Pairs that must stay.
    priority : sequence of str, optional
        Executive ids to favour (e.g. those left unmatched last round); they
        earn ``MatchConfig.priority_bonus`` in the solver's objective.

    Examples
    --------
    >>> import revmatch as rm
    >>> p = rm.Program(
    ...     mentors=[{"id": "m1", "timezone": "UTC", "expertise": {"digital": 4},
    ...               "availability": ["Mon 12:00-13:00"]}],
    ...     executives=[{"id": "e1", "timezone": "UTC", "interests": {"digital": 5},
    ...                  "availability": ["Mon 12:00-14:00"]}])
    >>> p.topics[:2]
    ('digital', 'social_media')
    """

    program: ProgramInfo = Field(default_factory=ProgramInfo)
    mentors: tuple[Mentor, ...] = ()
    executives: tuple[Executive, ...] = ()
    org: tuple[OrgEntry, ...] = ()
    history: tuple[HistoryEntry, ...] = ()
    pinned: tuple[PinnedPair, ...] = ()
    priority: tuple[str, ...] = ()

    _warnings: tuple[Problem, ...] = PrivateAttr(default=())

    @model_validator(mode="after")
    def _check_whole(self) -> Self:
        problems = check_program(self)
        if any(p.severity == "error" for p in problems):
            raise InvalidInputError(problems)
        self._warnings = tuple(problems)
        return self

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Problems of severity ``"warning"`` found while checking the program."""
        return self._warnings

    @property
    def name(self) -> str:
        """The program's name."""
        return self.program.name

    @property
    def topics(self) -> tuple[str, ...]:
        """The program's topic vocabulary."""
        return self.program.topics

    @property
    def start(self) -> date | None:
        """First day of the program, if known."""
        return self.program.start

    @property
    def end(self) -> date | None:
        """Last day of the program, if known."""
        return self.program.end

    def people(self) -> Iterator[Mentor | Executive]:
        """Iterate over all mentors, then all executives."""
        yield from self.mentors
        yield from self.executives

    def timezone_of(self, person: Mentor | Executive) -> str:
        """Return the person's time zone, falling back to the program's default."""
        zone = person.timezone or self.program.timezone
        if zone is None:  # check_program guarantees this cannot happen
            raise InvalidInputError(f"{role_of(person)} {person.id!r} has no time zone")
        return zone

    def replace(self, **changes: Any) -> Program:
        """Return a new program with some top-level fields replaced (validated anew)."""
        data = {name: getattr(self, name) for name in type(self).model_fields}
        data.update(changes)
        return Program(**data)

    @classmethod
    def from_pandas(cls, *args: Any, **kwargs: Any) -> Program:
        """Build a program from DataFrames (needs the ``pandas`` extra).

        Same arguments as :func:`revmatch.io.program_from_pandas`:
        ``mentors``, ``executives`` and optional ``org`` (or ``people`` with a
        ``role`` column), ``history``, ``pinned``, ``priority``, ``info``,
        ``preset`` and ``mapping``. Problems name the frame, row and column.
        """
        reader = _readers.get("pandas")
        if reader is None:
            raise ImportError("Program.from_pandas() needs revmatch.io: import revmatch.io")
        return reader(*args, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        """Return the canonical JSON-ready mapping (slots as ``"Mon 12:00-14:00"``)."""
        data = self.model_dump(mode="json", exclude_defaults=False)
        if not data["priority"]:
            del data["priority"]  # optional; absent from files that never use it
        for role in ("mentors", "executives"):
            for record, person in zip(data[role], getattr(self, role), strict=True):
                record["availability"] = [_slot_text(s) for s in person.availability]
        for record in (*data["mentors"], *data["executives"], *data["org"]):
            if not record["secondary_manager_ids"]:
                del record["secondary_manager_ids"]  # optional, as priority
        for record in data["history"]:
            for key in ("rating", "outcome", "reason"):
                if record[key] is None:
                    del record[key]  # optional: a pair without outcome is written as before
        return data


def _slot_text(slot: Slot) -> str | dict[str, Any]:
    if slot.every == 1:
        return _weekly_text(slot)
    text = str(slot).removesuffix(" fortnightly")
    day, times = text.split(" ", 1)
    start, end = times.split("-")
    return {"day": day, "start": start, "end": end, "every": slot.every}


@lru_cache(maxsize=8192)
def _weekly_text(slot: Slot) -> str:
    # Slots are shared frozen instances (a person reuses those of each slot
    # text): format each once.
    return str(slot)


def check_program(program: Program, *, strict: bool = False) -> list[Problem]:
    """Check the program as a whole; return every problem found.

    Checks: unique ids across mentors and executives, topic names, time
    zones, references of ``blocked``/``preferred``/``history``/``pinned``,
    consistency of ``org`` with the people's own ``manager_id``, cycles in
    the org chart (an error for solid lines; a warning for a loop that dotted
    lines close) and dotted-line managers that are no known id (an error).

    Parameters
    ----------
    program : Program
        The program (possibly built without validation).
    strict : bool
        Report a time zone written as an abbreviation (``"CET"``,
        ``"EST"``, ``"PST"``) as an error instead of a warning.

    Returns
    -------
    list of Problem
    """
    return program_problems(
        program.program,
        program.mentors,
        program.executives,
        org=program.org,
        history=program.history,
        pinned=program.pinned,
        priority=program.priority,
        strict=strict,
    )


def reporting_lines(program: Program) -> dict[str, str | None]:
    """Every known id's manager in the whole org chart.

    A person's own ``manager_id`` comes first; an ``org`` entry supplies the
    manager of anyone without one (people of the program included: a full HR
    export in ``org`` may hold the only record of a mentor's manager). The
    keys are the program's people and the ids of its ``org`` entries.
    """
    manager: dict[str, str | None] = {p.id: p.manager_id for p in program.people()}
    for entry in program.org:
        if manager.get(entry.id) is None:
            manager[entry.id] = entry.manager_id
    return manager


def dotted_lines(program: Program) -> dict[str, tuple[str, ...]]:
    """Every id's dotted-line managers in the whole org chart (ids with none left out).

    A person's own ``secondary_manager_ids`` come first, then those of each
    ``org`` entry of the same id, in order and without repeats: every source
    that names a dotted line adds it.
    """
    lines: dict[str, dict[str, None]] = {}
    records: tuple[Mentor | Executive | OrgEntry, ...] = (*program.people(), *program.org)
    for record in records:
        if record.secondary_manager_ids:
            lines.setdefault(record.id, {}).update(dict.fromkeys(record.secondary_manager_ids))
    return {pid: tuple(ids) for pid, ids in lines.items()}


def cut_program(
    program: Program, keep: Iterable[str], /, *, prune_org: bool = False, **changes: Any
) -> Program:
    """Keep only some mentors and executives, and every reporting chain above them.

    Every cut of a program (cohorts, leavers) goes through here, so that a
    chain of the whole program that runs through people left out, or through
    ``org`` entries, still forbids its pairs in the cut. Chains follow solid
    and dotted lines alike (``manager_id`` and ``secondary_manager_ids``).

    Parameters
    ----------
    program : Program
        The whole program.
    keep : iterable of str
        Ids of the mentors and executives to keep.
    prune_org : bool, default False
        Keep in ``org`` only the ids on a chain above a kept person (enough
        for every rule); otherwise everyone of the whole chart stays.
    **changes
        Further fields to replace, as in :meth:`Program.replace` (``program``
        included). Mentors or executives given here are cut to ``keep`` too.

    Returns
    -------
    Program
        The cut program. Its ``org`` gives each person left out their
        managers, and each kept person whose manager (or a dotted-line
        manager) came from ``org`` keeps it, so every kept person's chain is
        the one of the whole program.
    """
    kept = set(keep)
    manager = reporting_lines(program)
    dotted = dotted_lines(program)
    own = {p.id: p.manager_id for p in program.people()}
    own_dotted = {p.id: p.secondary_manager_ids for p in program.people()}
    if prune_org:
        needed: set[str] = set()
        todo = [pid for pid in kept if pid in manager]
        while todo:  # upwards along every line; a loop of dotted lines ends here
            node = todo.pop()
            if node in needed:
                continue
            needed.add(node)
            above = (manager[node], *dotted.get(node, ()))
            todo.extend(m for m in above if m is not None and m in manager)
    else:
        needed = set(manager)
    # A kept person's own manager_id already says what is needed; everyone
    # else on the chart needs an org entry to keep their place in chains.
    extra = {
        pid: tuple(m for m in dotted.get(pid, ()) if pid not in kept or m not in own_dotted[pid])
        for pid in needed
    }
    org = tuple(
        OrgEntry(id=pid, manager_id=manager[pid], secondary_manager_ids=extra[pid])
        for pid in sorted(needed)
        if pid not in kept or (own[pid] is None and manager[pid] is not None) or extra[pid]
    )
    mentors = changes.pop("mentors", program.mentors)
    executives = changes.pop("executives", program.executives)
    return program.replace(
        mentors=tuple(m for m in mentors if m.id in kept),
        executives=tuple(e for e in executives if e.id in kept),
        org=org,
        **changes,
    )


_RECORD_MODELS: dict[str, type[FrozenModel]] = {
    "mentors": Mentor,
    "executives": Executive,
    "org": OrgEntry,
    "history": HistoryEntry,
    "pinned": PinnedPair,
}


def collect_problems(
    data: Mapping[str, Any], *, strict: bool = False
) -> tuple[Program | None, list[Problem]]:
    """Validate canonical program data, collecting *every* problem in one pass.

    Each record is validated on its own, so one bad record does not hide the
    problems of the next; the program-wide checks (duplicate ids, topics,
    cycles, ...) then run over the records that are valid.

    Parameters
    ----------
    data : mapping
        Canonical program data (``docs/reference/input.md``): keys ``program``,
        ``mentors``, ``executives``, ``org``, ``history``, ``pinned``.
    strict : bool
        Report a time zone written as an abbreviation as an error (see
        :func:`check_program`).

    Returns
    -------
    program : Program or None
        The program when there are no errors (warnings allowed), else None.
    problems : list of Problem
        Every error and warning found.
    """
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        return None, [Problem("expected an object with keys 'mentors' and 'executives'")]
    known = {"program", *_RECORD_MODELS}
    for key in data:
        if key not in known:
            problems.append(
                Problem(
                    message=f"unknown top-level key {key!r}",
                    expected="one of " + ", ".join(sorted(known)),
                )
            )
    info: ProgramInfo | None = ProgramInfo()
    raw_info = data.get("program")
    if raw_info is not None:
        try:
            info = ProgramInfo.model_validate(raw_info)
        except InvalidInputError as exc:
            problems.extend(exc.problems)
            info = None
    parts: dict[str, list[Any]] = {}
    for key, model in _RECORD_MODELS.items():
        raw = data.get(key, [])
        if raw is None:
            raw = []
        if not isinstance(raw, Sequence) or isinstance(raw, str | bytes):
            problems.append(Problem(message="expected a list of records", field=key))
            continue
        valid: list[Any] = []
        for index, record in enumerate(raw):
            try:
                valid.append(model.model_validate(record))
            except InvalidInputError as exc:
                for p in exc.problems:
                    named = p.record if p.record not in (None, *CLASS_ROLE.values()) else None
                    problems.append(
                        Problem(
                            message=p.message,
                            field=p.field,
                            record=named or f"{key}[{index}]",
                            expected=p.expected,
                            severity=p.severity,
                        )
                    )
        parts[key] = valid
    if info is not None:
        fields: dict[str, Any] = {k: tuple(v) for k, v in parts.items()}
        partial = Program.model_construct(None, program=info, **fields)
        problems.extend(check_program(partial, strict=strict))
    if any(p.severity == "error" for p in problems):
        return None, problems
    program = Program(program=info, **{k: tuple(v) for k, v in parts.items()})
    return program, problems
