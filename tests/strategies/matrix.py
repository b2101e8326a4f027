"""Matrix organisations: org charts with solid and dotted lines, and their oracles.

:func:`matrix_programs` draws a forest of solid lines (``manager_id``) over
executives, mentors and outsiders, then dotted lines (``secondary_manager_ids``)
between any two ids, so dotted lines may point down as well as up and close
loops. Each line is written where an HR export might hold it: on the
person's own record, on an ``org`` row of the person, or both (org rows add
dotted lines up). The oracles walk the drawn lines in plain Python; they
never ask revmatch who manages whom.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

import revmatch as rm

WIDE = ["Mon 08:00-20:00", "Tue 08:00-20:00"]


@dataclass(frozen=True)
class Matrix:
    """A drawn program and the lines it was drawn from."""

    program: rm.Program
    solid: Mapping[str, str | None]
    dotted: Mapping[str, tuple[str, ...]]

    def direct(self, person: str) -> set[str]:
        """The person's direct managers along any line."""
        boss = self.solid.get(person)
        return ({boss} if boss is not None else set()) | set(self.dotted.get(person, ()))

    def above(self, person: str) -> set[str]:
        """Everyone reachable upwards from ``person`` along solid and dotted lines."""
        seen: set[str] = set()
        todo = [person]
        while todo:
            for boss in self.direct(todo.pop()):
                if boss not in seen:
                    seen.add(boss)
                    todo.append(boss)
        seen.discard(person)  # on a loop one reaches oneself; that is no pair
        return seen

    def chain(self, executive: str, mentor: str) -> bool:
        """Is the executive above the mentor along some lines?"""
        return executive in self.above(mentor)

    def skip_level(self, executive: str, mentor: str) -> bool:
        """Does the mentor report directly to a peer of the executive (same direct manager)?"""
        theirs = self.direct(executive)
        return any(
            peer != executive and self.direct(peer) & theirs for peer in self.direct(mentor)
        )

    def is_line(self, below: str, above: str, dotted: bool) -> bool:
        """Is there a line of that kind from ``below`` straight up to ``above``?"""
        if dotted:
            return above in self.dotted.get(below, ())
        return self.solid.get(below) == above


@st.composite
def matrix_programs(draw: st.DrawFn) -> Matrix:
    """Programs whose org chart has solid and dotted lines, on records and org rows."""
    executives = [f"e{i}" for i in range(draw(st.integers(1, 4)))]
    mentors = [f"m{j}" for j in range(draw(st.integers(1, 5)))]
    outsiders = [f"x{k}" for k in range(draw(st.integers(0, 4)))]
    everyone = [*executives, *mentors, *outsiders]
    order = draw(st.permutations(everyone))
    solid: dict[str, str | None] = {}
    for pos, pid in enumerate(order):
        earlier = order[:pos]
        top = not earlier or draw(st.integers(0, 3)) == 0
        solid[pid] = None if top else draw(st.sampled_from(earlier))
    dotted: dict[str, tuple[str, ...]] = {}
    for pid in everyone:
        others = [q for q in everyone if q != pid]
        if others and draw(st.integers(0, 2)) == 0:
            dotted[pid] = tuple(draw(st.lists(st.sampled_from(others), unique=True, max_size=2)))
    org: list[dict[str, Any]] = []
    records: dict[str, dict[str, Any]] = {}
    for pid in [*executives, *mentors]:
        record: dict[str, Any] = {
            "id": pid,
            "department": draw(st.sampled_from(["Fin", "IT", None])),
            "availability": WIDE,
        }
        where = draw(st.sampled_from(["own", "org", "both"]))
        lines = dotted.get(pid, ())
        if where in ("own", "both"):
            record["manager_id"] = solid[pid]
            record["secondary_manager_ids"] = list(lines)
        if where == "org":
            org.append({"id": pid, "manager_id": solid[pid], "secondary_manager_ids": list(lines)})
        elif where == "both" and lines and draw(st.booleans()):
            # A second source of the same person's dotted lines: a part of them.
            org.append({"id": pid, "secondary_manager_ids": list(lines[:1])})
        records[pid] = record
    org += [
        {"id": x, "manager_id": solid[x], "secondary_manager_ids": list(dotted.get(x, ()))}
        for x in outsiders
    ]
    program = rm.Program(
        program={"timezone": "UTC"},
        executives=[records[e] for e in executives],
        mentors=[records[m] for m in mentors],
        org=draw(st.permutations(org)),
    )
    return Matrix(program, solid, {k: v for k, v in dotted.items() if v})
