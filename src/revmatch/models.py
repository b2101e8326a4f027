"""The data model: frozen pydantic models for people, programs and settings.

Every model is frozen and forbids unknown fields. Constructing a
:class:`Program` checks each record *and* the program as a whole (unique ids,
known topics, valid time zones, an acyclic org chart) and reports every
problem at once as an :class:`~revmatch.exceptions.InvalidInputError` naming
the record, the field and what was expected.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from ._zones import ZONE_FORM, resolve_timezone, zone_caution
from .availability import Slot, off_grid_reason, parse_slots, parse_time
from .exceptions import InvalidInputError, Problem

__all__ = [
    "COMPONENTS",
    "DEFAULT_TOPICS",
    "DEFAULT_WEIGHTS",
    "REASONS",
    "Executive",
    "HistoryEntry",
    "MatchConfig",
    "Mentor",
    "OrgEntry",
    "PinnedPair",
    "Program",
    "ProgramInfo",
]

DEFAULT_TOPICS: tuple[str, ...] = (
    "digital",
    "social_media",
    "diversity",
    "work_ethic",
    "work_life_balance",
)
"""The default topic vocabulary of a reverse-mentoring program."""

COMPONENTS: tuple[str, ...] = (
    "topic",
    "availability",
    "window",
    "language",
    "place",
    "department",
    "seniority",
    "preferences",
)
"""Names of the built-in score components (see :mod:`revmatch.scoring`)."""

DEFAULT_WEIGHTS: Mapping[str, float] = {
    "topic": 0.55,
    "availability": 0.15,
    "window": 0.05,
    "language": 0.05,
    "place": 0.05,
    "department": 0.05,
    "seniority": 0.0,
    "preferences": 0.10,
}
"""Default component weights; see :class:`MatchConfig` for the reasoning."""

REASONS: tuple[str, ...] = (
    "reporting_chain",
    "blocked",
    "min_overlap",
    "language",
    "location",
    "same_department",
    "not_junior",
    "repeat",
)
"""Reason codes of hard rules, in bit order of the reason masks."""

TopicLevel = Annotated[int, Field(ge=0, le=5, strict=True)]
# Bounds that keep arithmetic in range: capacities become int64 arrays, and
# weights are summed (a sum of two weights near 1e308 is inf and every score 0).
MAX_CAPACITY = 1_000_000_000
MAX_WEIGHT = 1e6
# Dates a program may use, and its longest span: shared time is measured week
# by week, so a span of centuries would take minutes; 10 years is ample.
_FIRST_DAY, _LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
MAX_PROGRAM_DAYS = 3653
MAX_ID_LENGTH = 200
PersonId = Annotated[str, Field(min_length=1, max_length=MAX_ID_LENGTH)]
Mode = Literal["onsite", "remote", "hybrid"]


class _Frozen(BaseModel):
    """Frozen base model whose validation errors become located InvalidInputErrors."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        hide_input_in_errors=True,
        str_strip_whitespace=True,
    )

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise InvalidInputError(self._located(exc, data)) from None

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Self:
        """Validate ``obj``; raise :class:`InvalidInputError` with located problems."""
        if isinstance(obj, cls):
            return obj
        if (
            isinstance(obj, Mapping)
            and not args
            and not kwargs
            and all(isinstance(k, str) for k in obj)
        ):
            return cls(**obj)  # one validation pass (the custom __init__ runs the validators)
        try:
            return super().model_validate(obj, *args, **kwargs)
        except ValidationError as exc:
            raise InvalidInputError(
                cls._located(exc, obj if isinstance(obj, Mapping) else None)
            ) from None

    @classmethod
    def model_validate_json(cls, json_data: Any, *args: Any, **kwargs: Any) -> Self:
        """Validate JSON text; raise :class:`InvalidInputError` with located problems."""
        import json

        try:
            data = json.loads(json_data)
        except ValueError as exc:
            raise InvalidInputError(
                Problem(f"not valid JSON: {exc}", record=cls._record_name(None))
            ) from None
        except RecursionError:
            raise InvalidInputError(
                Problem("not valid JSON: nested too deeply", record=cls._record_name(None))
            ) from None
        return cls.model_validate(data, *args, **kwargs)

    @classmethod
    def _record_name(cls, data: Mapping[str, Any] | None) -> str | None:
        rid = data.get("id") if isinstance(data, Mapping) else None
        role = _CLASS_ROLE.get(cls.__name__)
        if role is None:
            return None
        text = _quotable_id(rid)
        return role if text is None else f"{role} {text!r}"

    @classmethod
    def _located(cls, exc: ValidationError, data: Mapping[str, Any] | None) -> list[Problem]:
        own = cls._record_name(data)
        problems = []
        for problem in problems_from_validation_error(exc, data):
            if own is not None and problem.record is None:
                problem = Problem(
                    message=problem.message,
                    field=problem.field,
                    record=own,
                    expected=problem.expected,
                    severity=problem.severity,
                )
            problems.append(problem)
        return problems


def check_timezone(name: str) -> str:
    """Return the IANA key of a time-zone name, read in any case.

    ``"europe/berlin"`` gives ``"Europe/Berlin"``. An abbreviation is
    accepted as the zone or fixed offset it stands for (``"PST"`` gives
    ``"Etc/GMT+8"``); :func:`check_program` then warns about it (an error
    with ``strict=True``), since it follows no place's summer time.

    Raises
    ------
    ValueError
        If the zone is unknown (naming the closest known zone, if any), or
        an abbreviation used for several places such as ``"IST"``.

    Examples
    --------
    >>> check_timezone("europe/berlin")
    'Europe/Berlin'
    """
    try:
        return resolve_timezone(name)
    except ValueError as exc:
        raise ValueError(f"{exc}; expected {ZONE_FORM}") from None


class _ZoneNoted(_Frozen):
    """A model with a ``timezone`` field that remembers why its name may be misread."""

    _zone_caution: str | None = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _note_zone(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        # The caution needs the name as written, which the stored key has lost.
        model = handler(data)
        given = data.get("timezone") if isinstance(data, Mapping) else None
        if isinstance(given, str) and given.strip():
            model._zone_caution = zone_caution(given)
        return model


def _as_id(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError("an id must be a string (or an integer, read as its text)")
    return str(value)


def _self_manager_is_top(data: Any) -> Any:
    if (
        isinstance(data, Mapping)
        and data.get("manager_id") is not None
        and str(data.get("manager_id")).strip() == str(data.get("id")).strip()
    ):
        data = {**data, "manager_id": None}
    return data


def _none_if_blank(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


@lru_cache(maxsize=8192)
def _slots_of_text(text: str) -> tuple[Slot, ...] | None:
    """The shared :class:`Slot` objects of a slot text (it may hold several), or None."""
    try:
        return parse_slots(text)
    except ValueError:
        return None


class _Person(_ZoneNoted):
    """Fields shared by mentors and executives."""

    id: PersonId
    name: str | None = None
    email: str | None = None
    department: str | None = None
    manager_id: str | None = None
    timezone: str | None = None
    languages: tuple[str, ...] = ()
    location: str | None = None
    mode: Mode | None = None
    grade: int | None = None
    groups: tuple[str, ...] = ()
    availability: tuple[Slot, ...] = ()
    blocked: tuple[str, ...] = ()
    preferred: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _top_of_tree(cls, data: Any) -> Any:
        return _self_manager_is_top(data)

    @field_validator("id", "manager_id", mode="before")
    @classmethod
    def _id_text(cls, value: Any) -> Any:
        value = _none_if_blank(value)
        return value if value is None else _as_id(value)

    @field_validator("department", "location", "name", "email", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return _none_if_blank(value)

    @field_validator("timezone", mode="before")
    @classmethod
    def _valid_zone(cls, value: Any) -> Any:
        value = _none_if_blank(value)
        if isinstance(value, str):
            return check_timezone(value.strip())
        return value

    @field_validator("mode", mode="before")
    @classmethod
    def _mode_lower(cls, value: Any) -> Any:
        value = _none_if_blank(value)
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("languages", mode="before")
    @classmethod
    def _lower_languages(cls, value: Any) -> Any:
        if type(value) is list or type(value) is tuple:  # the usual case, before the ABC check
            return tuple(t.lower() for v in value if (t := str(v).strip()))
        if isinstance(value, str):
            raise ValueError("languages must be a list of language codes such as ['de', 'en']")
        if isinstance(value, Iterable):
            return tuple(str(v).strip().lower() for v in value if str(v).strip())
        return value

    @field_validator("availability", mode="before")
    @classmethod
    def _shared_slots(cls, value: Any) -> Any:
        # Slot texts repeat across people: reuse the frozen Slots of each text.
        # One text may hold several slots ("Mo-Fr 12-13", a list, a slot across
        # midnight).
        if not isinstance(value, list | tuple):
            return value
        read = [_slots_of_text(v) if isinstance(v, str) else None for v in value]
        if all(r is not None for r, v in zip(read, value, strict=True) if isinstance(v, str)):
            return tuple(
                s for r, v in zip(read, value, strict=True) for s in (r if r is not None else (v,))
            )
        # A text cannot be read: keep one item per position, so that the
        # error names the position of the text at fault.
        return tuple(r[0] if r else v for r, v in zip(read, value, strict=True))

    @field_validator("blocked", "preferred", "groups", mode="before")
    @classmethod
    def _id_list(cls, value: Any) -> Any:
        if type(value) is list or type(value) is tuple:  # the usual case, before the ABC check
            return tuple(t for v in value if (t := str(v).strip()))
        if isinstance(value, str):
            raise ValueError("expected a list of ids, not a single string")
        if isinstance(value, Iterable):
            return tuple(str(v).strip() for v in value if str(v).strip())
        return value


class Mentor(_Person):
    """A mentor: a (usually younger) employee who teaches an executive.

    Attributes
    ----------
    expertise : dict of str to int
        Topic -> level 0..5 of what the mentor can teach.
    capacity : int
        How many executives the mentor takes (>= 0, default 1).
    """

    expertise: dict[str, TopicLevel] = Field(default_factory=dict)
    capacity: Annotated[int, Field(ge=0, le=MAX_CAPACITY, strict=True)] = 1


class Executive(_Person):
    """An executive: the mentee who wants to learn.

    Attributes
    ----------
    interests : dict of str to int
        Topic -> priority 0..5 of what the executive wants to learn.
    """

    interests: dict[str, TopicLevel] = Field(default_factory=dict)


class OrgEntry(_Frozen):
    """A reporting line of someone outside the program (from the HR export)."""

    id: PersonId
    manager_id: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _top_of_tree(cls, data: Any) -> Any:
        return _self_manager_is_top(data)

    @field_validator("id", "manager_id", mode="before")
    @classmethod
    def _id_text(cls, value: Any) -> Any:
        value = _none_if_blank(value)
        return value if value is None else _as_id(value)


class HistoryEntry(_Frozen):
    """A pair from an earlier round of the program."""

    executive_id: PersonId
    mentor_id: PersonId
    round: int = 0


class PinnedPair(_Frozen):
    """A pair that must stay in the result."""

    executive_id: PersonId
    mentor_id: PersonId


class ProgramInfo(_ZoneNoted):
    """Program-wide facts: name, dates, topic vocabulary, default time zone."""

    name: str = ""
    start: date | None = None
    end: date | None = None
    topics: tuple[str, ...] = DEFAULT_TOPICS
    timezone: str | None = None

    @field_validator("timezone", mode="before")
    @classmethod
    def _valid_zone(cls, value: Any) -> Any:
        value = _none_if_blank(value)
        return check_timezone(value.strip()) if isinstance(value, str) else value

    @field_validator("topics", mode="before")
    @classmethod
    def _topic_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            raise ValueError("topics must be a list of names")
        return value

    @model_validator(mode="after")
    def _check(self) -> Self:
        if not self.topics:
            raise ValueError("a program needs at least one topic")
        if len(set(self.topics)) != len(self.topics):
            raise ValueError("topic names must be unique")
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"the program ends ({self.end}) before it starts ({self.start})")
        for day in (self.start, self.end):
            if day is not None and not _FIRST_DAY <= day <= _LAST_DAY:
                raise ValueError(f"the date {day} is outside {_FIRST_DAY}..{_LAST_DAY}")
        if self.start and self.end and (self.end - self.start).days > MAX_PROGRAM_DAYS:
            raise ValueError(
                f"the program lasts {(self.end - self.start).days} days, "
                f"longer than {MAX_PROGRAM_DAYS} days (10 years)"
            )
        return self


class Program(_Frozen):
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
        chains through them are followed.
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
            raise InvalidInputError(f"{_role(person)} {person.id!r} has no time zone")
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
        from .io import program_from_pandas

        return program_from_pandas(*args, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        """Return the canonical JSON-ready mapping (slots as ``"Mon 12:00-14:00"``)."""
        data = self.model_dump(mode="json", exclude_defaults=False)
        if not data["priority"]:
            del data["priority"]  # optional; absent from files that never use it
        for role in ("mentors", "executives"):
            for record, person in zip(data[role], getattr(self, role), strict=True):
                record["availability"] = [_slot_text(s) for s in person.availability]
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
    # Slots are shared frozen instances (see _slot_of_text): format each once.
    return str(slot)


def _role(person: Mentor | Executive) -> str:
    return "mentor" if isinstance(person, Mentor) else "executive"


_ROLE_OF_KEY = {"mentors": "mentor", "executives": "executive", "org": "org entry"}
_CLASS_ROLE = {
    "Mentor": "mentor",
    "Executive": "executive",
    "OrgEntry": "org entry",
    "MatchConfig": "config",
    "ProgramInfo": "program",
    "HistoryEntry": "history entry",
    "PinnedPair": "pinned pair",
}


def _quotable_id(rid: object) -> str | None:
    """The raw id as text when an error message may quote it, else None.

    Only strings and integers of at most :data:`MAX_ID_LENGTH` characters
    qualify: a longer "id" is no id (it may be pasted free text).
    """
    if isinstance(rid, str | int) and not isinstance(rid, bool):
        text = str(rid)
        if len(text) <= MAX_ID_LENGTH:
            return text
    return None


def record_label(
    data: Mapping[str, Any] | None, loc: Sequence[int | str]
) -> tuple[str | None, str]:
    """Return (record label, field path) for a pydantic error location.

    The record is named by its id when the raw data has one of at most
    :data:`MAX_ID_LENGTH` characters (``"mentor 'm-07'"``), else by its
    position (``"mentors[3]"``).
    """
    if len(loc) >= 2 and loc[0] in _ROLE_OF_KEY and isinstance(loc[1], int):
        key, index = str(loc[0]), loc[1]
        label = f"{key}[{index}]"
        records = data.get(key) if isinstance(data, Mapping) else None
        if isinstance(records, Sequence) and 0 <= index < len(records):
            record = records[index]
            rid = record.get("id") if isinstance(record, Mapping) else getattr(record, "id", None)
            text = _quotable_id(rid)
            if text is not None:
                label = f"{_ROLE_OF_KEY[key]} {text!r}"
        return label, _field_path(loc[2:])
    if loc and loc[0] == "program":
        return "program", _field_path(loc[1:])
    if len(loc) >= 2 and loc[0] in ("history", "pinned") and isinstance(loc[1], int):
        return f"{loc[0]}[{loc[1]}]", _field_path(loc[2:])
    return None, _field_path(loc)


def _field_path(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def problems_from_validation_error(
    exc: ValidationError, data: Mapping[str, Any] | None = None
) -> list[Problem]:
    """Turn a pydantic error into located :class:`Problem` records.

    Input values are never copied into the messages, so personal data in
    other fields of the record is not echoed.
    """
    problems: list[Problem] = []
    for err in exc.errors(include_input=False, include_url=False):
        inner = err.get("ctx", {}).get("error")
        if isinstance(inner, InvalidInputError):
            problems.extend(inner.problems)
            continue
        loc = tuple(err["loc"])
        record, field = record_label(data, loc)
        message = str(err["msg"]).removeprefix("Value error, ")
        problems.append(Problem(message=message, record=record, field=field or None))
    return problems


def _cycle_problems(managers: Mapping[str, str | None]) -> list[Problem]:
    """Report each reporting cycle of the org chart once, naming its ids.

    Every id has at most one manager, so walking up from each id either ends
    at the top or enters a cycle; each id is visited once overall (O(n)).
    """
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = finished
    cycles: list[list[str]] = []
    for start in managers:
        if start in state:
            continue
        walk: list[str] = []
        node: str | None = start
        while node is not None and node not in state:
            state[node] = 1
            walk.append(node)
            node = managers.get(node)
        if node is not None and state[node] == 1:
            cycles.append(walk[walk.index(node) :])
        for visited in walk:
            state[visited] = 2
    problems = []
    for cycle in cycles:
        ids = sorted(cycle)
        problems.append(
            Problem(
                message="the org chart has a reporting cycle through ids "
                + ", ".join(repr(i) for i in ids),
                field="manager_id",
                record=", ".join(repr(i) for i in ids),
                expected="every chain of manager_id to end at someone with no manager",
            )
        )
    return problems


def _zone_grid_problems(program: Program) -> list[Problem]:
    """One problem per zone whose offset leaves the 15-minute grid during the program.

    Named on the first person using the zone (or on the program's default).
    """
    info = program.program
    users: dict[str, str] = {}
    if info.timezone is not None:
        users[info.timezone] = "program"
    for person in program.people():
        if person.timezone is not None:
            users.setdefault(person.timezone, f"{_role(person)} {person.id!r}")
    problems = []
    for zone, label in users.items():
        reason = off_grid_reason(zone, info.start, info.end)
        if reason is not None:
            problems.append(
                Problem(
                    message=reason,
                    record=label,
                    field="timezone",
                    expected="a zone whose UTC offset is a multiple of 15 minutes "
                    "during the program",
                )
            )
    return problems


def _zone_cautions(program: Program, strict: bool) -> list[Problem]:
    """One problem per time-zone name that is an abbreviation, not a place."""
    severity: Literal["error", "warning"] = "error" if strict else "warning"
    named: list[tuple[str, _ZoneNoted]] = [("program", program.program)]
    named += [(f"{_role(p)} {p.id!r}", p) for p in program.people()]
    return [
        Problem(
            message=model._zone_caution,
            record=label,
            field="timezone",
            expected="the IANA name of a place, such as 'Europe/Berlin'",
            severity=severity,
        )
        for label, model in named
        if model._zone_caution is not None
    ]


def check_program(program: Program, *, strict: bool = False) -> list[Problem]:
    """Check the program as a whole; return every problem found.

    Checks: unique ids across mentors and executives, topic names, time
    zones, references of ``blocked``/``preferred``/``history``/``pinned``,
    consistency of ``org`` with the people's own ``manager_id`` and cycles in
    the org chart.

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
    problems: list[Problem] = _zone_cautions(program, strict)
    topics = set(program.topics)
    seen: dict[str, str] = {}
    has_default_zone = program.program.timezone is not None
    for person in program.people():
        role = _role(person)
        label = f"{role} {person.id!r}"
        if person.id in seen:
            problems.append(
                Problem(
                    message=f"the id is used twice (also by a {seen[person.id]})",
                    record=label,
                    field="id",
                    expected="ids unique across mentors and executives",
                )
            )
        else:
            seen[person.id] = role
        levels = person.expertise if isinstance(person, Mentor) else person.interests
        field = "expertise" if isinstance(person, Mentor) else "interests"
        for topic in levels:
            if topic not in topics:
                problems.append(
                    Problem(
                        message=f"unknown topic {topic!r}",
                        record=label,
                        field=f"{field}.{topic}",
                        expected="one of " + ", ".join(program.topics),
                    )
                )
        if person.timezone is None and not has_default_zone:
            problems.append(
                Problem(
                    message="no time zone given",
                    record=label,
                    field="timezone",
                    expected="an IANA name such as 'Europe/Berlin' here or in program.timezone",
                )
            )
    problems += _zone_grid_problems(program)
    mentor_ids = {m.id for m in program.mentors}
    exec_ids = {e.id for e in program.executives}
    for person in program.people():
        label = f"{_role(person)} {person.id!r}"
        for field in ("blocked", "preferred"):
            for other in getattr(person, field):
                if other not in seen:
                    problems.append(
                        Problem(
                            message=f"{other!r} is not a person of this program; it is ignored",
                            record=label,
                            field=field,
                            severity="warning",
                        )
                    )
    for kind, entries in (("history", program.history), ("pinned", program.pinned)):
        for i, pair in enumerate(entries):
            for field, ids, role in (
                ("executive_id", exec_ids, "executive"),
                ("mentor_id", mentor_ids, "mentor"),
            ):
                value = getattr(pair, field)
                if value not in ids and kind == "pinned":
                    problems.append(
                        Problem(
                            message=f"{value!r} is not an {role} of this program"
                            if role == "executive"
                            else f"{value!r} is not a {role} of this program",
                            record=f"{kind}[{i}]",
                            field=field,
                        )
                    )
    for i, pid in enumerate(program.priority):
        if pid not in exec_ids:
            problems.append(
                Problem(
                    message=f"{pid!r} is not an executive of this program; it is ignored",
                    record=f"priority[{i}]",
                    severity="warning",
                )
            )
    managers: dict[str, str | None] = {}
    for person in program.people():
        managers[person.id] = person.manager_id
    for i, entry in enumerate(program.org):
        if entry.id in managers:
            own = managers[entry.id]
            if own is None:
                managers[entry.id] = entry.manager_id
            elif entry.manager_id is not None and entry.manager_id != own:
                problems.append(
                    Problem(
                        message=f"org entry gives manager {entry.manager_id!r} but the "
                        f"person's own manager_id is {own!r}",
                        record=f"org[{i}] ({entry.id!r})",
                        field="manager_id",
                        expected="one manager per person",
                    )
                )
        else:
            managers[entry.id] = entry.manager_id
    problems.extend(_cycle_problems(managers))
    for pid, mid in managers.items():
        if mid is not None and mid not in managers and pid in seen:
            problems.append(
                Problem(
                    message=f"manager {mid!r} is not in the program or the org chart; "
                    "the reporting chain stops there",
                    record=f"{seen[pid]} {pid!r}",
                    field="manager_id",
                    severity="warning",
                )
            )
    return problems


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


def cut_program(
    program: Program, keep: Iterable[str], /, *, prune_org: bool = False, **changes: Any
) -> Program:
    """Keep only some mentors and executives, and every reporting chain above them.

    Every cut of a program (cohorts, leavers) goes through here, so that a
    chain of the whole program that runs through people left out, or through
    ``org`` entries, still forbids its pairs in the cut.

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
        manager, and each kept person whose manager came from ``org`` keeps
        that manager, so every kept person's chain is the one of the whole
        program.
    """
    kept = set(keep)
    manager = reporting_lines(program)
    own = {p.id: p.manager_id for p in program.people()}
    if prune_org:
        needed: set[str] = set()
        for pid in kept:
            node: str | None = pid
            while node is not None and node in manager and node not in needed:
                needed.add(node)
                node = manager[node]
    else:
        needed = set(manager)
    # A kept person's own manager_id already says what is needed; everyone
    # else on the chart needs an org entry to keep their place in chains.
    org = tuple(
        OrgEntry(id=pid, manager_id=manager[pid])
        for pid in sorted(needed)
        if pid not in kept or (own[pid] is None and manager[pid] is not None)
    )
    mentors = changes.pop("mentors", program.mentors)
    executives = changes.pop("executives", program.executives)
    return program.replace(
        mentors=tuple(m for m in mentors if m.id in kept),
        executives=tuple(e for e in executives if e.id in kept),
        org=org,
        **changes,
    )


class MatchConfig(_Frozen):
    """Settings of a match: weights, thresholds, switches, solver choice.

    Configuration holds settings only; data goes into the call. Round-trips
    through JSON (``MatchConfig.model_validate_json(cfg.model_dump_json())``).

    Parameters
    ----------
    weights : mapping of str to float
        Weight per score component (see :data:`COMPONENTS`). Missing names
        take their default from :data:`DEFAULT_WEIGHTS`; ``0`` switches a
        component off. Custom components are named ``"custom:<name>"``.
        The total score is the weighted mean of the components, so it lies
        in 0..1 whatever the weights' scale. The defaults put topic fit first
        (it is why the program exists: 0.55), shared time second (0.15; the
        hard minimum is a rule, this rewards slack above it), explicit wishes
        of the people third (0.10), and small tie-breaking bonuses (0.05 each)
        for a long-lunch window, the executive's first language, a shared
        location and a cross-department pair. Seniority is off by default
        (the ``not_junior`` rule already enforces the direction).
    topic_weights : mapping of str to float
        Per-topic multipliers in the topic component (default 1 each).
    session_minutes : int
        Weekly minutes a pair needs (default 60).
    min_overlap_minutes : int
        Pairs whose smallest weekly shared time is below this are infeasible
        (reason ``min_overlap``; default 60).
    preferred_window : tuple of str or None
        Local window, e.g. ``("11:30", "14:30")``, whose shared time earns the
        ``window`` component. ``None`` disables it.
    require_shared_language : bool
        Pairs whose language lists are both non-empty and disjoint are
        infeasible (reason ``language``).
    exclude_same_department : bool
        Same-department pairs are infeasible (reason ``same_department``).
    min_grade_gap : int
        With ``grade`` on both sides, a pair is infeasible (``not_junior``)
        unless ``executive.grade - mentor.grade >= min_grade_gap``.
    seniority_span : int
        Grade gap that earns the full ``seniority`` component.
    allow_repeats : bool
        Pairs from ``program.history`` are infeasible (``repeat``) unless set.
    repeat_bonus : float
        With ``allow_repeats``, added to a repeat pair's weight in the
        solver's objective (negative: a penalty). Scores are unchanged.
    priority_bonus : float
        Added to the objective weight of every pair of an executive listed in
        ``program.priority`` (people left unmatched last round).
    switching_cost : float
        In :func:`revmatch.rematch`, what moving an existing pair costs: a
        kept pair earns this much extra in the objective, so a pair moves
        only when the new pairing gains more than that.
    objective : {"coverage_then_score", "max_score", "maximin"}
        What the solver optimises.
    method : str
        Solver method (see :func:`revmatch.solve`); ``"auto"`` picks one.
    mentors_per_executive : int
        How many mentors each executive may get (default 1), at most one per
        wished topic group, pinned mentors included. ``coverage_then_score``
        then counts pairs: the most pairs first, which may give one executive
        two mentors where another gets none if that scores higher.
    score_decimals : int
        Scores are rounded to this many decimals so that equal scores are
        equal exactly and ties are broken by id.
    strict : bool
        Raise :class:`~revmatch.exceptions.InfeasibleError` when not every
        executive can be matched.
    candidates : "auto", int or None
        ``None`` (default) scores the dense matrix. An integer keeps the top
        ``k`` feasible mentors per executive, computed in blocks without the
        dense matrix, solves the sparse candidate graph and certifies the
        result optimal for the full problem (widening ``k`` where needed);
        ``"auto"`` does so only for large programs, with ``k`` chosen from
        measurements.
    """

    weights: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    topic_weights: dict[str, Annotated[float, Field(ge=0, le=MAX_WEIGHT)]] = Field(
        default_factory=dict
    )
    session_minutes: Annotated[int, Field(gt=0, le=24 * 60 * 7)] = 60
    min_overlap_minutes: Annotated[int, Field(ge=0, le=24 * 60 * 7)] = 60
    preferred_window: tuple[str, str] | None = ("11:30", "14:30")
    require_shared_language: bool = True
    exclude_same_department: bool = False
    min_grade_gap: Annotated[int, Field(ge=0)] = 1
    seniority_span: Annotated[int, Field(gt=0)] = 4
    allow_repeats: bool = False
    repeat_bonus: Annotated[float, Field(ge=-1, le=1)] = 0.0
    priority_bonus: Annotated[float, Field(ge=0, le=1)] = 0.0
    switching_cost: Annotated[float, Field(ge=0, le=1)] = 0.05
    objective: Literal["coverage_then_score", "max_score", "maximin"] = "coverage_then_score"
    method: str = "auto"
    mentors_per_executive: Annotated[int, Field(ge=1, le=MAX_CAPACITY)] = 1
    score_decimals: Annotated[int, Field(ge=0, le=12)] = 6
    strict: bool = False
    candidates: Literal["auto"] | Annotated[int, Field(ge=1)] | None = None

    @field_validator("weights", mode="before")
    @classmethod
    def _fill_weights(cls, value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        merged: dict[str, Any] = dict(DEFAULT_WEIGHTS)
        for name, weight in value.items():
            if name not in COMPONENTS and not str(name).startswith("custom:"):
                raise ValueError(
                    f"unknown component {name!r}; known: {', '.join(COMPONENTS)} "
                    "(or 'custom:<name>' for a custom component)"
                )
            if isinstance(weight, bool) or not isinstance(weight, int | float):
                raise ValueError(f"the weight of {name!r} must be a number")
            if not math.isfinite(weight) or not 0 <= weight <= MAX_WEIGHT:
                raise ValueError(
                    f"the weight of {name!r} must be a finite number >= 0 and <= {MAX_WEIGHT:.0e}"
                )
            merged[str(name)] = float(weight)
        if not any(w > 0 for w in merged.values()):
            raise ValueError("at least one weight must be positive")
        return merged

    @field_validator("preferred_window")
    @classmethod
    def _window(cls, value: tuple[str, str] | None) -> tuple[str, str] | None:
        if value is not None:
            start, end = parse_time(value[0]), parse_time(value[1], allow_midnight_end=True)
            if end <= start:
                raise ValueError("the preferred window must end after it starts")
        return value

    @property
    def preferred_window_minutes(self) -> tuple[int, int] | None:
        """The preferred window as minutes of the local day, or None."""
        if self.preferred_window is None:
            return None
        return (
            parse_time(self.preferred_window[0]),
            parse_time(self.preferred_window[1], allow_midnight_end=True),
        )

    def replace(self, **changes: Any) -> MatchConfig:
        """Return a copy with some settings changed (validated anew)."""
        data = self.model_dump()
        data.update(changes)
        return MatchConfig(**data)


_RECORD_MODELS: dict[str, type[_Frozen]] = {
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
                    named = p.record if p.record not in (None, *_CLASS_ROLE.values()) else None
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
