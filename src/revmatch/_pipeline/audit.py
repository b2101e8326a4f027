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
import re
from collections.abc import Mapping
from importlib import metadata
from typing import Any

from revmatch.models import MatchConfig, Program

__all__ = ["build_audit", "input_digest", "versions"]


def input_digest(program: Program) -> str:
    """SHA-256 of a canonical serialisation of the program.

    People, org entries, history and pins are sorted by id and the order of
    slots, ``blocked``, ``preferred`` and ``groups`` is normalised, so the
    digest does not depend on record order. (Language order is kept: the
    first-listed language means something.)
    """
    data = program.to_dict()
    for role in ("mentors", "executives"):
        for record in data[role]:
            for key in ("blocked", "preferred", "groups"):
                record[key] = sorted(record[key])
            record["availability"] = sorted(record["availability"], key=_canonical_key)
        data[role] = sorted(data[role], key=lambda r: r["id"])
    data["org"] = sorted(data["org"], key=lambda r: r["id"])
    for key in ("history", "pinned"):
        data[key] = sorted(data[key], key=_canonical)
    return hashlib.sha256(_canonical(data).encode("utf-8")).hexdigest()


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


_PLAIN_TEXT = re.compile(r'[^"\\\x00-\x1f]*')


def _canonical_key(value: Any) -> str:
    """``_canonical(value)``, without the encoder for plain strings (most slot texts)."""
    if isinstance(value, str) and _PLAIN_TEXT.fullmatch(value):
        return f'"{value}"'  # what json.dumps gives when nothing needs escaping
    return _canonical(value)


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
