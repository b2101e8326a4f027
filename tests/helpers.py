"""Reusable builders and hypothesis strategies for programs."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

import revmatch as rm

ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata")
SLOTS = (
    "Mon 12:00-14:00",
    "Tue 08:00-09:30",
    "Wed 11:30-13:00",
    "Thu 17:00-18:30",
    "Fri 12:00-13:00",
    "Mon 15:00-17:00",
)


def person(pid: str, **extra: Any) -> dict[str, Any]:
    """A person record in UTC, free on Monday lunch, unless overridden."""
    return {"id": pid, "timezone": "UTC", "availability": ["Mon 12:00-14:00"], **extra}


@st.composite
def programs(
    draw: st.DrawFn,
    max_executives: int = 7,
    max_mentors: int = 7,
) -> rm.Program:
    """Small random programs with chains, blocks, languages and capacities."""
    topics = list(rm.DEFAULT_TOPICS)
    n_exec = draw(st.integers(0, max_executives))
    n_mentor = draw(st.integers(0, max_mentors))
    levels = st.dictionaries(st.sampled_from(topics), st.integers(0, 5), max_size=3)
    slot_lists = st.lists(st.sampled_from(SLOTS), min_size=0, max_size=3, unique=True)
    langs = st.lists(st.sampled_from(["de", "en", "fr"]), max_size=2, unique=True)
    executives = [
        {
            "id": f"e{i}",
            "timezone": draw(st.sampled_from(ZONES)),
            "interests": draw(levels),
            "availability": draw(slot_lists),
            "languages": draw(langs),
            "department": draw(st.sampled_from(["IT", "HR", None])),
        }
        for i in range(n_exec)
    ]
    mentor_ids = [f"m{j}" for j in range(n_mentor)]
    mentors = []
    for j in range(n_mentor):
        boss = draw(st.sampled_from([None, "x0", "x1", *[e["id"] for e in executives]]))
        mentors.append(
            {
                "id": mentor_ids[j],
                "timezone": draw(st.sampled_from(ZONES)),
                "expertise": draw(levels),
                "availability": draw(slot_lists),
                "languages": draw(langs),
                "capacity": draw(st.integers(0, 3)),
                "manager_id": boss,
                "department": draw(st.sampled_from(["IT", "HR", None])),
            }
        )
    for e in executives:
        if mentor_ids and draw(st.booleans()):
            e["blocked"] = [draw(st.sampled_from(mentor_ids))]
    org_boss = draw(st.sampled_from([None, *[e["id"] for e in executives]]))
    org = [{"id": "x0", "manager_id": org_boss}, {"id": "x1", "manager_id": "x0"}]
    return rm.Program(mentors=mentors, executives=executives, org=org)
