"""Checks of a program as a whole: ids, topics, time zones, references, the org chart.

Each record is valid on its own by the time these run; what is checked here
needs several records at once. :func:`program_problems` takes the parts of a
program, so that :func:`~revmatch.models.check_program` can check a program
built without validation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from revmatch.availability import off_grid_reason
from revmatch.exceptions import Problem

from ._base import ZoneNoted
from ._records import (
    Executive,
    HistoryEntry,
    Mentor,
    OrgEntry,
    PinnedPair,
    ProgramInfo,
    role_of,
)

__all__ = ["program_problems"]


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


def _dotted_problems(
    people: Sequence[Mentor | Executive],
    org: Sequence[OrgEntry],
    managers: Mapping[str, str | None],
    *,
    cycles: bool,
) -> list[Problem]:
    """Dotted-line managers nobody knows (errors), and loops the dotted lines close (warnings).

    A dotted line may close a loop with other lines (A's dotted-line manager
    reports to A): reporting chains are then read as reachability, so everyone
    on the loop is in everyone else's reporting line, which forbids more
    pairs, never fewer. Such a loop is worth a warning, not an error. Loops of
    solid lines alone are errors (:func:`_cycle_problems`); ``cycles=False``
    skips the search when there are some.
    """
    named: list[tuple[str, str, tuple[str, ...]]] = [
        (f"{role_of(p)} {p.id!r}", p.id, p.secondary_manager_ids) for p in people
    ]
    named += [(f"org[{i}] ({e.id!r})", e.id, e.secondary_manager_ids) for i, e in enumerate(org)]
    problems: list[Problem] = []
    dotted: dict[str, set[str]] = {}
    for label, pid, ids in named:
        for other in ids:
            if other not in managers:
                problems.append(
                    Problem(
                        message=f"dotted-line manager {other!r} is not in the program "
                        "or the org chart",
                        record=label,
                        field="secondary_manager_ids",
                        expected="ids of people of the program or of org entries",
                    )
                )
            else:
                dotted.setdefault(pid, set()).add(other)
    if cycles and dotted:
        for loop in _dotted_loops(managers, dotted):
            quoted = ", ".join(repr(i) for i in loop)
            problems.append(
                Problem(
                    message=f"dotted lines close a reporting loop through ids {quoted}; each "
                    "of them counts as in the reporting line of the others",
                    record=quoted,
                    field="secondary_manager_ids",
                    expected="reporting lines that lead upwards only",
                    severity="warning",
                )
            )
    return problems


def _dotted_loops(
    managers: Mapping[str, str | None], dotted: Mapping[str, set[str]]
) -> list[list[str]]:
    """The ids of every loop of the chart with solid and dotted lines, each loop sorted.

    Strongly connected components of more than one id (nobody manages
    themself), found with scipy; ids are sorted first so the output is
    deterministic.
    """
    import numpy as np
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    nodes = sorted(managers.keys() | {m for m in managers.values() if m is not None})
    index = {n: i for i, n in enumerate(nodes)}
    edges = [(index[p], index[m]) for p, m in managers.items() if m is not None]
    edges += [(index[p], index[m]) for p, ms in dotted.items() for m in ms]
    rows, cols = np.array(edges, dtype=np.intp).reshape(-1, 2).T
    graph = coo_array((np.ones(rows.size), (rows, cols)), shape=(len(nodes), len(nodes)))
    _, labels = connected_components(graph, directed=True, connection="strong")
    members: dict[int, list[str]] = {}
    for node, label in zip(nodes, labels.tolist(), strict=True):
        members.setdefault(label, []).append(node)
    return sorted(loop for loop in members.values() if len(loop) > 1)


def _zone_grid_problems(info: ProgramInfo, people: Sequence[Mentor | Executive]) -> list[Problem]:
    """One problem per zone whose offset leaves the 15-minute grid during the program.

    Named on the first person using the zone (or on the program's default).
    """
    users: dict[str, str] = {}
    if info.timezone is not None:
        users[info.timezone] = "program"
    for person in people:
        if person.timezone is not None:
            users.setdefault(person.timezone, f"{role_of(person)} {person.id!r}")
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


def _zone_cautions(
    info: ProgramInfo, people: Sequence[Mentor | Executive], strict: bool
) -> list[Problem]:
    """One problem per time-zone name that is an abbreviation, not a place."""
    severity: Literal["error", "warning"] = "error" if strict else "warning"
    named: list[tuple[str, ZoneNoted]] = [("program", info)]
    named += [(f"{role_of(p)} {p.id!r}", p) for p in people]
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


def program_problems(
    info: ProgramInfo,
    mentors: Sequence[Mentor],
    executives: Sequence[Executive],
    *,
    org: Sequence[OrgEntry],
    history: Sequence[HistoryEntry],
    pinned: Sequence[PinnedPair],
    priority: Sequence[str],
    strict: bool,
) -> list[Problem]:
    """Every problem of a program given by its parts.

    See :func:`~revmatch.models.check_program`, which passes the parts of a
    :class:`~revmatch.models.Program`.
    """
    people: tuple[Mentor | Executive, ...] = (*mentors, *executives)
    problems: list[Problem] = _zone_cautions(info, people, strict)
    topics = set(info.topics)
    seen: dict[str, str] = {}
    has_default_zone = info.timezone is not None
    for person in people:
        role = role_of(person)
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
                        expected="one of " + ", ".join(info.topics),
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
    problems += _zone_grid_problems(info, people)
    mentor_ids = {m.id for m in mentors}
    exec_ids = {e.id for e in executives}
    for person in people:
        label = f"{role_of(person)} {person.id!r}"
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
    for kind, entries in (("history", history), ("pinned", pinned)):
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
    for i, pid in enumerate(priority):
        if pid not in exec_ids:
            problems.append(
                Problem(
                    message=f"{pid!r} is not an executive of this program; it is ignored",
                    record=f"priority[{i}]",
                    severity="warning",
                )
            )
    managers: dict[str, str | None] = {}
    for person in people:
        managers[person.id] = person.manager_id
    for i, entry in enumerate(org):
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
    solid_cycles = _cycle_problems(managers)
    problems.extend(solid_cycles)
    problems.extend(_dotted_problems(people, org, managers, cycles=not solid_cycles))
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
