"""Data-quality warnings: what in the data will shape the result before anyone reads it.

Validation says whether the data are well formed; these checks say whether
they are *useful*: a column that is empty for everyone, a score component
that cannot tell any two pairs apart, one rule that leaves most people
unmatched. Each warning names the field or rule and its consequence for the
match, so a program office can fix the export before announcing pairs.

Warnings hold counts, field names and setting names only, never a person's
values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .exceptions import Problem
from .models import Executive, MatchConfig, Mentor, Program

if TYPE_CHECKING:
    from .result import MatchResult

__all__ = ["data_quality"]

# Share of a side's people who must be unmatched, and share of them held back
# by one rule, before that rule is called out as the main cause.
_MOST = 0.5

# Settings a user can change for each reason code, for the warning's advice.
_REMEDY: Mapping[str, str] = {
    "min_overlap": "check availability and time zones, or lower min_overlap_minutes",
    "language": "check the languages, or set require_shared_language to false",
    "location": "check locations and meeting modes",
    "same_department": "set exclude_same_department to false",
    "skip_level": "set exclude_skip_level to false",
    "not_junior": "check grades, or lower min_grade_gap",
    "repeat": "set allow_repeats to true",
    "blocked": "check the blocked lists",
    "reporting_chain": "the reporting lines forbid these pairs; add mentors from other lines",
    "capacity": "add mentors or raise their capacity",
    "no_capacity": "give these mentors a capacity of at least 1",
}


def _empty_for_all(people: Sequence[Mentor | Executive], has: Callable[[Any], bool]) -> bool:
    return bool(people) and not any(has(p) for p in people)


def _field_warnings(program: Program, config: MatchConfig) -> list[Problem]:
    """Columns empty for everyone (on one side or both), with their consequence."""
    weights = config.weights
    people: list[Mentor | Executive] = [*program.mentors, *program.executives]
    out: list[Problem] = []

    def warn(field: str, message: str) -> None:
        out.append(Problem(message, field=field, severity="warning"))

    for side, group in (("mentor", program.mentors), ("executive", program.executives)):
        if _empty_for_all(group, lambda p: bool(p.availability)):
            consequence = (
                f"every pair will fail min_overlap ({config.min_overlap_minutes} min)"
                if config.min_overlap_minutes > 0
                else "no pair has shared time, so no meeting can be proposed"
            )
            warn("availability", f"no {side} has availability: {consequence}")
    if _empty_for_all(program.mentors, lambda p: bool(p.expertise)) and weights.get("topic"):
        warn("expertise", "no mentor lists expertise: the topic component is 0 for every pair")
    if _empty_for_all(program.executives, lambda p: bool(p.interests)) and weights.get("topic"):
        topic = "left out of every pair's score" if config.missing == "neutral" else "0"
        warn(
            "interests",
            f"no executive lists interests: the topic component is {topic} for every pair",
        )
    optional = (
        ("languages", "language", "lists languages", lambda p: bool(p.languages)),
        ("location", "place", "has a location", lambda p: p.location is not None),
        ("department", "department", "has a department", lambda p: p.department is not None),
        ("grade", "seniority", "has a grade", lambda p: p.grade is not None),
    )
    for field, component, what, has in optional:
        if weights.get(component) and _empty_for_all(people, has):
            warn(field, f"no one {what}: the {component} component cannot tell pairs apart")
    return out


def _component_warnings(result: MatchResult) -> list[Problem]:
    """Weighted components that are 0 for every feasible pair they are not left out of.

    ``preferences`` is left out: that nobody names a preferred partner is a
    normal state of a program, not a gap in the data. So is a component left
    out of every feasible pair for missing data (``MatchConfig.missing``):
    it changes no score, and the empty column has a warning of its own.
    """
    scores = result.scores
    if scores is None:
        return []
    feasible = scores.feasible
    if not feasible.any():
        return []
    rows, cols = np.nonzero(feasible)
    absent = scores.absent(rows, cols)
    out = []
    for name, values in scores.components.items():
        present = ~absent[name] if name in absent else np.ones(rows.size, dtype=bool)
        if (
            name != "preferences"
            and scores.weights.get(name)
            and present.any()
            and not np.any(values[rows, cols][present])
        ):
            which = "allowed pair" if present.all() else "allowed pair with its data"
            out.append(
                Problem(
                    f"the {name} component is 0 for every {which}: its weight "
                    f"{scores.weights[name]:g} only lowers every score alike",
                    field=f"weights.{name}",
                    severity="warning",
                )
            )
    return out


def _rule_warnings(result: MatchResult) -> list[Problem]:
    """One rule behind most of the unmatched executives.

    Only executives are counted: the program is for them, and mentors often
    outnumber them, so unmatched mentors are expected.
    """
    total = int(result.metrics.get("n_executives", 0))
    unmatched = [u for u in result.unmatched if u.role == "executive"]
    if not total or len(unmatched) <= _MOST * total:
        return []
    # Per person, the rule that rules out the most mentors (ties by code).
    main = Counter(
        max(u.reasons.items(), key=lambda item: (item[1], item[0]))[0]
        for u in unmatched
        if u.reasons
    )
    if not main:
        return []
    code, count = max(main.items(), key=lambda item: (item[1], item[0]))
    if count <= _MOST * len(unmatched):
        return []
    remedy = _REMEDY.get(code, "see the reason codes of the unmatched people")
    return [
        Problem(
            f"{len(unmatched)} of {total} executives are unmatched; for {count} of them "
            f"the rule {code!r} rules out more mentors than any other: {remedy}",
            field=code,
            severity="warning",
        )
    ]


def data_quality(
    program: Program,
    config: MatchConfig | Mapping[str, Any] | None = None,
    result: MatchResult | None = None,
) -> list[Problem]:
    """Warn about data that will shape the match, with the consequence of each.

    Parameters
    ----------
    program : Program
        The validated program.
    config : MatchConfig or mapping, optional
        The settings of the match; ``MatchConfig()`` by default.
    result : MatchResult, optional
        The match of this program, for the checks that need it: weighted
        components that are 0 for every allowed pair, and one rule that
        leaves most of a side unmatched.

    Returns
    -------
    list of Problem
        Warnings (``severity="warning"``) naming the field, component or
        rule; empty when nothing stands out.

    Examples
    --------
    >>> import revmatch as rm
    >>> program = rm.Program(
    ...     program={"timezone": "UTC"},
    ...     mentors=[{"id": "m1", "availability": ["Mon 12:00-13:00"],
    ...               "expertise": {"digital": 4}, "languages": ["en"]}],
    ...     executives=[{"id": "e1", "interests": {"digital": 5}}],
    ... )
    >>> for warning in rm.data_quality(program):
    ...     print(f"{warning.field}: {warning.message}")
    availability: no executive has availability: every pair will fail min_overlap (60 min)
    location: no one has a location: the place component cannot tell pairs apart
    department: no one has a department: the department component cannot tell pairs apart
    """
    if config is None:
        config = MatchConfig()
    elif not isinstance(config, MatchConfig):
        config = MatchConfig.model_validate(config)
    warnings = _field_warnings(program, config)
    if result is not None:
        warnings += _component_warnings(result)
        warnings += _rule_warnings(result)
    return warnings
