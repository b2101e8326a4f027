"""The frozen base model, located validation errors, and the field readers shared by models.

Every model derives from :class:`FrozenModel`: frozen, no unknown fields, and
each pydantic error turned into a :class:`~revmatch.exceptions.Problem` that
names the record (by id when it has a quotable one) and the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    ValidationError,
    model_validator,
)

from revmatch._zones import ZONE_FORM, resolve_timezone, zone_caution
from revmatch.exceptions import InvalidInputError, Problem

from ._constants import COMPONENTS, MAX_ID_LENGTH

__all__ = [
    "CLASS_ROLE",
    "FrozenModel",
    "Mode",
    "PersonId",
    "TopicLevel",
    "ZoneNoted",
    "as_id",
    "check_timezone",
    "id_text",
    "none_if_blank",
    "problems_from_validation_error",
    "record_label",
    "self_manager_is_top",
]

TopicLevel = Annotated[int, Field(ge=0, le=5, strict=True)]
PersonId = Annotated[str, Field(min_length=1, max_length=MAX_ID_LENGTH)]
Mode = Literal["onsite", "remote", "hybrid"]

_ROLE_OF_KEY = {"mentors": "mentor", "executives": "executive", "org": "org entry"}
CLASS_ROLE = {
    "Mentor": "mentor",
    "Executive": "executive",
    "OrgEntry": "org entry",
    "MatchConfig": "config",
    "ProgramInfo": "program",
    "HistoryEntry": "history entry",
    "PinnedPair": "pinned pair",
}
"""How an error message names a record of each model class."""


class FrozenModel(BaseModel):
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
        role = CLASS_ROLE.get(cls.__name__)
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


def unknown_components(names: Iterable[str], field: str) -> list[Problem]:
    """One located problem per name in ``names`` that is not a built-in component.

    The one check of component names given as data (the components to fit,
    the true weights of synthetic feedback), so both say the same thing.

    Examples
    --------
    >>> [p.message for p in unknown_components(["topic", "luck"], "components")]
    ["unknown component 'luck'"]
    """
    return [
        Problem(
            f"unknown component {name!r}",
            field=field,
            expected="built-in components: " + ", ".join(COMPONENTS),
        )
        for name in names
        if name not in COMPONENTS
    ]


def check_timezone(name: str) -> str:
    """Return the IANA key of a time-zone name, read in any case.

    ``"europe/berlin"`` gives ``"Europe/Berlin"``. An abbreviation is
    accepted as the zone or fixed offset it stands for (``"PST"`` gives
    ``"Etc/GMT+8"``); :func:`~revmatch.models.check_program` then warns
    about it (an error with ``strict=True``), since it follows no place's
    summer time.

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


class ZoneNoted(FrozenModel):
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


def as_id(value: Any) -> Any:
    """An id as text: a string, or an integer read as its text; else a ValueError."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError("an id must be a string (or an integer, read as its text)")
    return str(value)


def id_text(value: Any, field: str | None) -> Any:
    """A person's ``id`` or a manager id as text (:func:`as_id`).

    A blank manager id means no manager (None); a blank ``id`` is an error,
    as a person must be named.
    """
    if isinstance(value, str) and not value.strip():
        if field == "id":
            raise ValueError("an id must not be blank")
        return None
    return value if value is None else as_id(value)


def self_manager_is_top(data: Any) -> Any:
    """Raw record data whose ``manager_id`` names the record itself: no manager instead."""
    if (
        isinstance(data, Mapping)
        and data.get("manager_id") is not None
        and str(data.get("manager_id")).strip() == str(data.get("id")).strip()
    ):
        data = {**data, "manager_id": None}
    return data


def none_if_blank(value: Any) -> Any:
    """None for a blank string, else the value unchanged."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


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
