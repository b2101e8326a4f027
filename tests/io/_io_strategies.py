"""Hypothesis strategies for whole programs, shaped to stress the file formats.

Ids keep leading zeros and look like numbers; names hold commas, quotes,
semicolons, line breaks and non-Latin letters; slots may be fortnightly;
org rows form chains above the participants (so none is pruned).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from revmatch.models import DEFAULT_TOPICS, Program

ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

ids = st.text("0123456789abcxyz-_.", min_size=1, max_size=6)
# Values known to break naive CSV/Excel handling, plus short random texts over the
# same hazardous alphabet (drawing long random texts is the costly part of a draw).
TRICKY = (
    "Ana, Jr.",
    'Dr. "W"',
    "Zoë; Ops",
    "李 雷",
    "two\nlines",
    "O'Neil",
    "=SUM(A1)",
    "007",
    "1e5",
    "TRUE",
    "NaN",
)
texts = st.one_of(
    st.sampled_from(TRICKY),
    st.text(st.sampled_from(list("aZ äß中,;\"'\n0")), min_size=1, max_size=5)
    .map(str.strip)
    .filter(bool),
)
levels = st.integers(0, 5)


@st.composite
def slots(draw: st.DrawFn) -> str | dict[str, Any]:
    start = draw(st.integers(0, 94))
    end = draw(st.integers(start + 1, 96))
    day = draw(st.sampled_from(DAYS))
    start_text = f"{start // 4:02d}:{start % 4 * 15:02d}"
    end_text = f"{end // 4:02d}:{end % 4 * 15:02d}"
    if draw(st.booleans()) and draw(st.booleans()):
        return {"day": day, "start": start_text, "end": end_text, "every": 2}
    return f"{day} {start_text}-{end_text}"


def _person(draw: st.DrawFn, pid: str, topics: tuple[str, ...], mentor: bool) -> dict[str, Any]:
    record: dict[str, Any] = {"id": pid, "timezone": draw(st.sampled_from(ZONES))}
    optional: dict[str, st.SearchStrategy[Any]] = {
        "name": texts,
        "email": texts,
        "department": texts,
        "location": texts,
        "mode": st.sampled_from(("onsite", "remote", "hybrid")),
        "grade": st.integers(-2, 15),
        "languages": st.lists(st.sampled_from(("de", "en", "fr", "hi")), max_size=3, unique=True),
        "groups": st.lists(ids, max_size=2, unique=True),
        "availability": st.lists(slots(), max_size=3),
    }
    for field, strategy in optional.items():
        if draw(st.booleans()):
            record[field] = draw(strategy)
    key = "expertise" if mentor else "interests"
    record[key] = draw(st.dictionaries(st.sampled_from(topics), levels, max_size=len(topics)))
    if mentor and draw(st.booleans()):
        record["capacity"] = draw(st.integers(0, 3))
    return record


@st.composite
def programs(draw: st.DrawFn, *, settings: bool = True, extras: bool = True) -> Program:
    """Draw a valid program; ``settings``/``extras`` add settings / history, pins, priority."""
    topics: tuple[str, ...] = DEFAULT_TOPICS
    info: dict[str, Any] = {}
    if draw(st.booleans()):
        topics = tuple(
            draw(
                st.lists(
                    st.text("abcdefgh_", min_size=1, max_size=8),
                    min_size=1,
                    max_size=4,
                    unique=True,
                )
            )
        )
    info["topics"] = list(topics)
    if settings:
        if draw(st.booleans()):
            info["name"] = draw(texts)
        if draw(st.booleans()):
            start = draw(st.dates(date(2026, 1, 1), date(2028, 12, 31)))
            info["start"] = start.isoformat()
            info["end"] = (start + timedelta(days=draw(st.integers(0, 200)))).isoformat()
        if draw(st.booleans()):
            info["timezone"] = draw(st.sampled_from(ZONES))
    people_ids = draw(st.lists(ids, min_size=2, max_size=8, unique=True))
    n_mentors = draw(st.integers(1, len(people_ids) - 1))
    mentor_ids, exec_ids = people_ids[:n_mentors], people_ids[n_mentors:]
    org_ids = [f"org-{i:03d}" for i in range(draw(st.integers(0, 4)))]
    mentors = [_person(draw, pid, topics, True) for pid in mentor_ids]
    executives = [_person(draw, pid, topics, False) for pid in exec_ids]
    # Managers come from the org chain, or from executives listed earlier, so there is
    # no cycle; the first mentor hangs below the chain so that no org row is pruned.
    for index, record in enumerate(executives):
        choices = [None, *org_ids, *exec_ids[:index]]
        record["manager_id"] = draw(st.sampled_from(choices))
    for record in mentors:
        record["manager_id"] = draw(st.sampled_from([None, *org_ids, *exec_ids]))
    if org_ids:
        mentors[0]["manager_id"] = org_ids[0]
    org = [
        {"id": oid, "manager_id": org_ids[i + 1] if i + 1 < len(org_ids) else None}
        for i, oid in enumerate(org_ids)
    ]
    data: dict[str, Any] = {
        "program": info,
        "mentors": mentors,
        "executives": executives,
        "org": org,
    }
    for record in executives:
        if draw(st.booleans()):
            record["blocked"] = draw(st.lists(st.sampled_from(mentor_ids), max_size=2, unique=True))
    if extras:
        pairs = st.tuples(st.sampled_from(exec_ids), st.sampled_from(mentor_ids))
        data["history"] = [
            {"executive_id": e, "mentor_id": m, "round": r}
            for (e, m), r in draw(st.lists(st.tuples(pairs, st.integers(0, 5)), max_size=3))
        ]
        data["pinned"] = [
            {"executive_id": e, "mentor_id": m} for e, m in draw(st.lists(pairs, max_size=1))
        ]
        data["priority"] = draw(st.lists(st.sampled_from(exec_ids), max_size=2, unique=True))
    return Program.model_validate(data)
