"""The org chart of a synthetic program: executive trees per division, mentors below them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._draw import IntArray, below, ids
from ._tables import tables

__all__ = ["OrgChart", "org_chart"]

# Executive tree inside a division: each executive has up to this many
# executives reporting to them (a complete tree in random order of people).
_EXEC_BRANCHING = 3
# A mentor reports to their leader directly, to a unit head below the leader,
# or to a team lead below a unit head.
_MENTOR_LEVEL_P = (0.10, 0.35, 0.55)


@dataclass(frozen=True)
class OrgChart:
    """Reporting lines: managers of the people and the org entries around them."""

    exec_manager: list[str | None]
    exec_depth: IntArray
    mentor_manager: list[str]
    org: list[tuple[str, str | None]]


def org_chart(
    rng: np.random.Generator, exec_dept: IntArray, ment_dept: IntArray, exec_ids: list[str]
) -> OrgChart:
    """Draw the org chart: executive trees per division, mentors a few levels below.

    Within a division the executives form a complete tree of branching
    ``_EXEC_BRANCHING`` in (random) index order; its head reports to the
    chief executive ``x-0001``. Each mentor picks a *leader* (an executive
    of their division, or the outside director of a division without
    executives) and reports to the leader, to one of the leader's unit heads
    or to a team lead under a unit head. Unit heads and team leads exist only
    where someone reports to them.
    """
    n_dept, n_exec, n_ment = len(tables().departments), exec_dept.size, ment_dept.size
    order = np.argsort(exec_dept, kind="stable").astype(np.int64)
    size = np.bincount(exec_dept, minlength=n_dept).astype(np.int64)
    start = np.concatenate(([0], np.cumsum(size)[:-1])).astype(np.int64)
    rank = np.empty(n_exec, dtype=np.int64)
    rank[order] = np.arange(n_exec) - start[exec_dept[order]]
    depth = np.zeros(n_exec, dtype=np.int64)
    up = rank.copy()
    while (up > 0).any():
        climbing = up > 0
        depth[climbing] += 1
        up[climbing] = (up[climbing] - 1) // _EXEC_BRANCHING
    boss = order[start[exec_dept] + np.maximum(rank - 1, 0) // _EXEC_BRANCHING]

    directed = np.flatnonzero((np.bincount(ment_dept, minlength=n_dept) > 0) & (size == 0))
    director_of = np.full(n_dept, -1, dtype=np.int64)
    director_of[directed] = np.arange(directed.size)
    n_leaders = n_exec + directed.size
    u = rng.random(n_ment)
    has_exec = size[ment_dept] > 0
    leader = n_exec + director_of[ment_dept]
    dept = ment_dept[has_exec]
    leader[has_exec] = order[start[dept] + below(u[has_exec], size[dept])]

    units = 1 + rng.poisson(1.5, size=n_leaders)
    teams = 1 + rng.poisson(2.0, size=n_leaders)
    level = rng.choice(len(_MENTOR_LEVEL_P), size=n_ment, p=_MENTOR_LEVEL_P)
    unit = below(rng.random(n_ment), units[leader])
    team = below(rng.random(n_ment), teams[leader])
    # Key units by (leader, unit) and teams by (leader, unit, team), so that
    # sorting the keys numbers the org entries leader by leader.
    n_units_max = int(units.max()) if n_leaders else 1
    n_teams_max = int(teams.max()) if n_leaders else 1
    unit_key = leader * n_units_max + unit
    team_key = unit_key * n_teams_max + team
    team_keys = np.unique(team_key[level == 2])
    unit_keys = np.unique(np.concatenate([unit_key[level >= 1], team_keys // n_teams_max]))

    n_org = int(n_exec + n_ment > 0) + directed.size + unit_keys.size + team_keys.size
    org_ids = ids("x", n_org)
    ceo = org_ids[0] if n_org else None
    director_ids = org_ids[1 : 1 + directed.size]
    unit_ids = org_ids[1 + directed.size : 1 + directed.size + unit_keys.size]
    team_ids = org_ids[1 + directed.size + unit_keys.size :]
    leader_ids = exec_ids + director_ids

    org: list[tuple[str, str | None]] = [(ceo, None)] if ceo is not None else []
    org += [(d, ceo) for d in director_ids]
    org += [
        (u_id, leader_ids[k])
        for u_id, k in zip(unit_ids, (unit_keys // n_units_max).tolist(), strict=True)
    ]
    team_unit = np.searchsorted(unit_keys, team_keys // n_teams_max).tolist()
    org += [(t_id, unit_ids[k]) for t_id, k in zip(team_ids, team_unit, strict=True)]

    names = np.array(leader_ids + unit_ids + team_ids, dtype=object)
    manager = leader.copy()
    at = level == 1
    manager[at] = n_leaders + np.searchsorted(unit_keys, unit_key[at])
    at = level == 2
    manager[at] = n_leaders + unit_keys.size + np.searchsorted(team_keys, team_key[at])
    return OrgChart(
        exec_manager=[
            ceo if r == 0 else exec_ids[b]
            for r, b in zip(rank.tolist(), boss.tolist(), strict=True)
        ],
        exec_depth=depth,
        mentor_manager=names[manager].tolist(),
        org=org,
    )
