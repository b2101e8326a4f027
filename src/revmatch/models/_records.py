"""The records a program is made of: its people, the relations around them, its facts.

:class:`Mentor` and :class:`Executive` share the fields of a person; an
:class:`OrgEntry` gives the manager of someone outside the program, a
:class:`HistoryEntry` a pair of an earlier round, a :class:`PinnedPair` a pair
that must stay, and :class:`ProgramInfo` the program's name, dates, topics
and default time zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from typing import Annotated, Any, Literal, Self

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from revmatch.availability import Slot, parse_slots

from ._base import (
    FrozenModel,
    Mode,
    PersonId,
    TopicLevel,
    ZoneNoted,
    as_id,
    check_timezone,
    id_text,
    none_if_blank,
    self_manager_is_top,
)
from ._constants import (
    DEFAULT_TOPICS,
    FIRST_DAY,
    LAST_DAY,
    MAX_CAPACITY,
    MAX_PROGRAM_DAYS,
)

__all__ = [
    "Executive",
    "HistoryEntry",
    "Mentor",
    "OrgEntry",
    "Outcome",
    "PinnedPair",
    "ProgramInfo",
    "role_of",
]


@lru_cache(maxsize=8192)
def _slots_of_text(text: str) -> tuple[Slot, ...] | None:
    """The shared :class:`Slot` objects of a slot text (it may hold several), or None."""
    try:
        return parse_slots(text)
    except ValueError:
        return None


DottedIds = Annotated[tuple[str, ...], BeforeValidator(lambda value: dotted_ids(value))]
"""Dotted-line manager ids as a field holds them, read from a list or joined text."""


class _Person(ZoneNoted):
    """Fields shared by mentors and executives."""

    id: PersonId
    name: str | None = None
    email: str | None = None
    department: str | None = None
    manager_id: str | None = None
    secondary_manager_ids: DottedIds = ()
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
        return self_manager_is_top(data)

    @field_validator("id", "manager_id", mode="before")
    @classmethod
    def _id_text(cls, value: Any, info: ValidationInfo) -> Any:
        return id_text(value, info.field_name)

    @field_validator("secondary_manager_ids")
    @classmethod
    def _dotted_own(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        return check_dotted(value, info.data.get("id"))

    @field_validator("department", "location", "name", "email", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return none_if_blank(value)

    @field_validator("timezone", mode="before")
    @classmethod
    def _valid_zone(cls, value: Any) -> Any:
        value = none_if_blank(value)
        if isinstance(value, str):
            return check_timezone(value.strip())
        return value

    @field_validator("mode", mode="before")
    @classmethod
    def _mode_lower(cls, value: Any) -> Any:
        value = none_if_blank(value)
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


class OrgEntry(FrozenModel):
    """A reporting line of someone outside the program (from the HR export).

    Attributes
    ----------
    id : str
        The person.
    manager_id : str or None
        Their (solid-line) manager.
    secondary_manager_ids : tuple of str
        Their dotted-line managers; added to those the person's own record
        lists, if the person takes part.
    """

    id: PersonId
    manager_id: str | None = None
    secondary_manager_ids: DottedIds = ()

    @field_validator("secondary_manager_ids")
    @classmethod
    def _dotted_own(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        return check_dotted(value, info.data.get("id"))

    @model_validator(mode="before")
    @classmethod
    def _top_of_tree(cls, data: Any) -> Any:
        return self_manager_is_top(data)

    @field_validator("id", "manager_id", mode="before")
    @classmethod
    def _id_text(cls, value: Any, info: ValidationInfo) -> Any:
        return id_text(value, info.field_name)


Outcome = Literal["kept", "closed_early"]
"""How a pair of an earlier round ended: it kept meeting, or it closed early."""


class HistoryEntry(FrozenModel):
    """A pair from an earlier round of the program, with how it went if known.

    A pair may carry one outcome, in one of two forms: a ``rating`` from 1
    (poor) to 5 (excellent), or an ``outcome`` of ``"kept"`` or
    ``"closed_early"``, the latter with an optional ``reason``.
    :func:`revmatch.learn.fit_weights` learns score weights from them.

    Attributes
    ----------
    executive_id, mentor_id : str
        The pair.
    round : int
        The round it belonged to (default 0).
    rating : int or None
        How the pair went, 1..5, as the people or HR rated it.
    outcome : {"kept", "closed_early"} or None
        Whether the pair kept meeting to the end of its round. Tables may
        write ``"closed early"`` or ``"Closed-Early"``; case, spaces and
        hyphens are normalised.
    reason : str or None
        Why a pair closed early (only with ``outcome="closed_early"``).
    """

    executive_id: PersonId
    mentor_id: PersonId
    round: int = 0
    rating: Annotated[int, Field(ge=1, le=5, strict=True)] | None = None
    outcome: Outcome | None = None
    reason: str | None = None

    @field_validator("outcome", mode="before")
    @classmethod
    def _outcome_word(cls, value: Any) -> Any:
        value = none_if_blank(value)
        if isinstance(value, str):
            return "_".join(value.strip().lower().replace("-", " ").split())
        return value

    @field_validator("reason", mode="before")
    @classmethod
    def _blank_reason(cls, value: Any) -> Any:
        return none_if_blank(value)

    # Fields are validated in order (rating, outcome, reason), so each check
    # sees the fields before it and its error names its own field.
    @field_validator("outcome")
    @classmethod
    def _not_both(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("rating") is not None:
            raise ValueError(
                "give either a rating (1-5) or an outcome (kept/closed_early), not both"
            )
        return value

    @field_validator("reason")
    @classmethod
    def _reason_closes(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and "outcome" in info.data and info.data["outcome"] != "closed_early":
            raise ValueError("a reason is given only with outcome 'closed_early'")
        return value

    @property
    def has_outcome(self) -> bool:
        """Whether the pair carries a rating or an outcome."""
        return self.rating is not None or self.outcome is not None


class PinnedPair(FrozenModel):
    """A pair that must stay in the result."""

    executive_id: PersonId
    mentor_id: PersonId


class ProgramInfo(ZoneNoted):
    """Program-wide facts: name, dates, topic vocabulary, default time zone."""

    name: str = ""
    start: date | None = None
    end: date | None = None
    topics: tuple[str, ...] = DEFAULT_TOPICS
    timezone: str | None = None

    @field_validator("timezone", mode="before")
    @classmethod
    def _valid_zone(cls, value: Any) -> Any:
        value = none_if_blank(value)
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
            if day is not None and not FIRST_DAY <= day <= LAST_DAY:
                raise ValueError(f"the date {day} is outside {FIRST_DAY}..{LAST_DAY}")
        if self.start and self.end and (self.end - self.start).days > MAX_PROGRAM_DAYS:
            raise ValueError(
                f"the program lasts {(self.end - self.start).days} days, "
                f"longer than {MAX_PROGRAM_DAYS} days (10 years)"
            )
        return self


def dotted_ids(value: Any) -> Any:
    """Raw dotted-line manager ids as a tuple of id texts (integers read as text)."""
    if value is None:
        return ()
    if isinstance(value, str):
        raise ValueError("expected a list of ids, not a single string")
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return tuple(t for v in value if (t := none_if_blank(as_id(v))) is not None)
    return value


def check_dotted(ids: tuple[str, ...], own: str | None) -> tuple[str, ...]:
    """The dotted-line managers of ``own``, or a ValueError naming the id at fault.

    A person cannot be their own dotted-line manager, nor list one twice.
    """
    ids = tuple(i.strip() for i in ids)
    if own is not None and own in ids:
        raise ValueError(f"{own!r} lists itself as a dotted-line manager")
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"dotted-line manager {i!r} is listed twice")
        seen.add(i)
    return ids


def role_of(person: Mentor | Executive) -> str:
    """``"mentor"`` or ``"executive"``, as error messages name the person's role."""
    return "mentor" if isinstance(person, Mentor) else "executive"
