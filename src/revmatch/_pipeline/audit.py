"""Pipeline stage 4a: the audit record of a result, one builder for every path.

The record says what ran on what: a digest of the input that does not
depend on record order, the settings, the installed versions, the solver,
the objective value and the stage timings.
"""

from __future__ import annotations

import functools
import hashlib
import json
import platform
from collections.abc import Mapping, Sequence
from importlib import metadata
from operator import attrgetter, itemgetter
from typing import Any

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from revmatch.availability import Slot
from revmatch.models import MatchConfig, Program

__all__ = ["build_audit", "input_digest", "versions"]


def input_digest(program: Program) -> str:
    """SHA-256 of a canonical serialisation of the program.

    People, org entries, history and pins are sorted by id and the order of
    slots, ``blocked``, ``preferred`` and ``groups`` is normalised, so the
    digest does not depend on record order. (Language order is kept: the
    first-listed language means something.)

    The serialisation is the compact JSON, keys sorted, of
    :meth:`Program.to_dict` so normalised. It is written from the records'
    field values with one call of the JSON encoder per list of records,
    instead of through ``to_dict`` (pydantic's ``model_dump``, then one pass
    in Python over every record): the same text, several times faster.
    """
    slots: dict[int, tuple[str, Any]] = {}
    parts = {
        "executives": _by_id(program.executives, slots),
        "history": _in_order(program.history),
        "mentors": _by_id(program.mentors, slots),
        "org": _by_id(program.org, slots),
        "pinned": _in_order(program.pinned),
        "program": _canonical(program.program.__dict__),
    }
    if program.priority:  # optional: to_dict leaves it out when empty
        parts["priority"] = _canonical(program.priority)
    text = "{" + ",".join(f'"{key}":{parts[key]}' for key in sorted(parts)) + "}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_SORTED_FIELDS = ("blocked", "preferred", "groups")
_OPTIONAL_FIELDS = ("secondary_manager_ids",)
"""Fields that :meth:`Program.to_dict` leaves out of a record when they are empty."""


def _by_id(records: Sequence[BaseModel], slots: dict[int, tuple[str, Any]]) -> str:
    """The records sorted by id, as canonical JSON."""
    return _canonical([_plain(r, slots) for r in sorted(records, key=attrgetter("id"))])


def _in_order(records: Sequence[BaseModel]) -> str:
    """The records sorted by their canonical JSON, as canonical JSON."""
    return "[" + ",".join(sorted(_canonical(_given(r.__dict__)) for r in records)) + "]"


_OUTCOME_FIELDS = ("rating", "outcome", "reason")
"""History fields that :meth:`Program.to_dict` leaves out of an entry when they are None."""


def _given(data: dict[str, Any]) -> dict[str, Any]:
    """A history entry's (or pin's) fields without the outcome fields it does not have."""
    if any(key in data and data[key] is None for key in _OUTCOME_FIELDS):
        return {k: v for k, v in data.items() if v is not None or k not in _OUTCOME_FIELDS}
    return data


def _plain(record: BaseModel, slots: dict[int, tuple[str, Any]]) -> dict[str, Any]:
    """A record's fields as :meth:`Program.to_dict` writes them, normalised.

    A model keeps its field values in ``__dict__``; tuples and the
    remaining non-JSON values (dates) are written by the encoder as
    ``model_dump(mode="json")`` writes them.
    """
    data = dict(record.__dict__)
    for key in _SORTED_FIELDS:
        if data.get(key):
            data[key] = sorted(data[key])
    for key in _OPTIONAL_FIELDS:
        if key in data and not data[key]:
            del data[key]
    if "availability" in data:
        data["availability"] = _slots_plain(data["availability"], slots)
    return data


def _slots_plain(values: Sequence[Slot], seen: dict[int, tuple[str, Any]]) -> list[Any]:
    """Slots as :meth:`Program.to_dict` writes them, in the order of their canonical JSON.

    A weekly slot is its text (``"Mon 12:00-14:00"``); a fortnightly one a
    mapping of day, start, end and ``every``. Records share slot instances,
    so each is written once (``seen``, by identity, for one digest).
    """
    out = []
    for slot in values:
        known = seen.get(id(slot))
        if known is None:
            words = str(slot)
            plain: Any = words
            if slot.every != 1:
                day, times = words.removesuffix(" fortnightly").split(" ", 1)
                start, end = times.split("-")
                plain = {"day": day, "start": start, "end": end, "every": slot.every}
            known = seen[id(slot)] = (_canonical(plain), plain)
        out.append(known)
    return [plain for _, plain in sorted(out, key=itemgetter(0))]


_canonical = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=to_jsonable_python
).encode
"""``json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``, writing
any other value (a date) as pydantic's ``model_dump(mode="json")`` does."""


def versions() -> dict[str, str]:
    """Versions of Python, revmatch and its core dependencies, for the audit record."""
    return dict(_installed_versions())


@functools.cache
def _installed_versions() -> tuple[tuple[str, str], ...]:
    # Reading package metadata costs milliseconds per call, more than matching a
    # small program; the versions cannot change while the process runs.
    out = [("python", platform.python_version())]
    for name in ("revmatch", "numpy", "scipy", "networkx", "pydantic"):
        try:
            out.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:  # pragma: no cover - source checkout
            out.append((name, "unknown"))
    return tuple(out)


def build_audit(
    program: Program,
    config: MatchConfig,
    *,
    method: str,
    objective_value: float,
    timings: Mapping[str, float],
    audit_extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``audit`` record of a result.

    Parameters
    ----------
    program : Program
        The program matched.
    config : MatchConfig
        The settings used.
    method : str
        The solver method used.
    objective_value : float
        Sum of the chosen pairs' scores (rounded to 9 decimals here): the
        total score, not the solver's objective, which may add the coverage
        priority and bonuses, or (``maximin``) maximise the smallest score.
    timings : mapping of str to float
        Seconds per stage (rounded to microseconds here).
    audit_extra : mapping, optional
        More entries, after the standard ones.

    Returns
    -------
    dict
        ``input_digest``, ``program``, ``config``, ``versions``, ``method``,
        ``objective``, ``objective_value``, ``seed``, ``timings``,
        ``warnings`` and the extra entries.
    """
    return {
        "input_digest": input_digest(program),
        "program": program.name,
        "config": config.model_dump(mode="json"),
        "versions": versions(),
        "method": method,
        "objective": config.objective,
        "objective_value": round(objective_value, 9),
        "seed": None,
        "timings": {k: round(v, 6) for k, v in timings.items()},
        "warnings": [str(p) for p in program.warnings],
        **dict(audit_extra or {}),
    }
