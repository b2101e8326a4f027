"""People, programs and settings.

Sections: small programs of every shape (``programs``); programs shaped to
stress the file formats (``file_programs``); programs for re-matching, for the
invariants, for privacy, with fortnightly slots, for fixes, and with reporting
charts (``charted_programs``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

import revmatch as rm
from revmatch.availability import parse_slot
from revmatch.models import DEFAULT_TOPICS, Program

from .oracles import chain_above

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


# ------------------------------------------------------------------------------------ file formats

# Ids keep leading zeros and look like numbers; names hold commas, quotes,
# semicolons, line breaks and non-Latin letters; slots may be fortnightly;
# org rows form chains above the participants (so none is pruned).

FILE_ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney")
FILE_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

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
def slot_records(draw: st.DrawFn) -> str | dict[str, Any]:
    start = draw(st.integers(0, 94))
    end = draw(st.integers(start + 1, 96))
    day = draw(st.sampled_from(FILE_DAYS))
    start_text = f"{start // 4:02d}:{start % 4 * 15:02d}"
    end_text = f"{end // 4:02d}:{end % 4 * 15:02d}"
    if draw(st.booleans()) and draw(st.booleans()):
        return {"day": day, "start": start_text, "end": end_text, "every": 2}
    return f"{day} {start_text}-{end_text}"


def _person(draw: st.DrawFn, pid: str, topics: tuple[str, ...], mentor: bool) -> dict[str, Any]:
    record: dict[str, Any] = {"id": pid, "timezone": draw(st.sampled_from(FILE_ZONES))}
    optional: dict[str, st.SearchStrategy[Any]] = {
        "name": texts,
        "email": texts,
        "department": texts,
        "location": texts,
        "mode": st.sampled_from(("onsite", "remote", "hybrid")),
        "grade": st.integers(-2, 15),
        "languages": st.lists(st.sampled_from(("de", "en", "fr", "hi")), max_size=3, unique=True),
        "groups": st.lists(ids, max_size=2, unique=True),
        "availability": st.lists(slot_records(), max_size=3),
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
def file_programs(draw: st.DrawFn, *, settings: bool = True, extras: bool = True) -> Program:
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
            info["timezone"] = draw(st.sampled_from(FILE_ZONES))
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


# ------------------------------------------------------------------------------------- re-matching


@st.composite
def living_programs(draw: st.DrawFn, max_executives: int = 5, max_mentors: int = 6) -> rm.Program:
    """Small programs where most pairs are allowed, so rematch has work to do.

    People share one of two neighbouring zones, long lunch slots and mostly a
    language; a few reporting lines, blocks and capacities of 0..2 keep the
    rules in play.
    """
    topics = list(rm.DEFAULT_TOPICS)
    levels = st.dictionaries(st.sampled_from(topics), st.integers(1, 5), min_size=1, max_size=3)
    zone = st.sampled_from(["UTC", "Europe/London"])
    slots = st.lists(
        st.sampled_from(["Mon 11:00-14:00", "Tue 12:00-14:00", "Wed 08:00-10:00"]),
        min_size=1,
        max_size=2,
        unique=True,
    )
    languages = st.sampled_from([["en"], ["en", "de"], ["de", "en"], ["de"]])
    n_exec = draw(st.integers(1, max_executives))
    n_mentor = draw(st.integers(1, max_mentors))
    exec_ids = [f"e{i}" for i in range(n_exec)]
    mentor_ids = [f"m{j}" for j in range(n_mentor)]
    executives = [
        {
            "id": e,
            "timezone": draw(zone),
            "interests": draw(levels),
            "availability": draw(slots),
            "languages": draw(languages),
            "blocked": draw(st.lists(st.sampled_from(mentor_ids), max_size=1)),
        }
        for e in exec_ids
    ]
    mentors = [
        {
            "id": m,
            "timezone": draw(zone),
            "expertise": draw(levels),
            "availability": draw(slots),
            "languages": draw(languages),
            "capacity": draw(st.sampled_from([0, 1, 1, 1, 2])),
            "manager_id": draw(st.sampled_from([None, None, None, *exec_ids])),
        }
        for m in mentor_ids
    ]
    return rm.Program(mentors=mentors, executives=executives)


# -------------------------------------------------------------------------------------- invariants


@st.composite
def rich_programs(draw: st.DrawFn) -> rm.Program:
    """``tests.helpers.programs`` plus grades, places, modes, wishes, history, priority."""
    base = draw(programs(max_executives=6, max_mentors=6))
    data = base.to_dict()
    mentor_ids = [m["id"] for m in data["mentors"]]
    exec_ids = [e["id"] for e in data["executives"]]
    for role, others in (("mentors", exec_ids), ("executives", mentor_ids)):
        for record in data[role]:
            if draw(st.booleans()):
                record["grade"] = draw(st.integers(1, 8))
            record["location"] = draw(st.sampled_from([None, "Berlin", "Boston"]))
            record["mode"] = draw(st.sampled_from([None, "onsite", "remote", "hybrid"]))
            if draw(st.booleans()) and others:
                record["preferred"] = [draw(st.sampled_from(others))]
    if mentor_ids and exec_ids:
        data["history"] = [
            {"executive_id": e, "mentor_id": m, "round": 0}
            for e, m in draw(
                st.lists(
                    st.tuples(st.sampled_from(exec_ids), st.sampled_from(mentor_ids)),
                    max_size=3,
                    unique=True,
                )
            )
        ]
    if exec_ids:
        data["priority"] = draw(st.lists(st.sampled_from(exec_ids), max_size=2, unique=True))
    return rm.Program(**data)


def configs(*, bonuses: bool = True) -> st.SearchStrategy[rm.MatchConfig]:
    """Random settings; ``bonuses=False`` keeps the solver's weights equal to the scores."""
    return st.builds(
        rm.MatchConfig,
        objective=st.sampled_from(("coverage_then_score", "max_score", "maximin")),
        mentors_per_executive=st.sampled_from([1, 1, 1, 2]),
        min_overlap_minutes=st.sampled_from([0, 30, 60, 120]),
        require_shared_language=st.booleans(),
        exclude_same_department=st.booleans(),
        allow_repeats=st.booleans(),
        min_grade_gap=st.integers(0, 2),
        weights=st.sampled_from(
            [{}, {"topic": 1.0}, {"availability": 1.0, "preferences": 0.5}, {"seniority": 0.3}]
        ),
        priority_bonus=st.sampled_from([0.0, 0.3]) if bonuses else st.just(0.0),
        repeat_bonus=st.sampled_from([0.0, -0.2, 0.5]) if bonuses else st.just(0.0),
    )


# ----------------------------------------------------------------------------------------- privacy

secret_texts = st.builds(
    lambda head, tail: f"{head}Qxzv{tail}",
    st.sampled_from(["", "Dr. ", "Zo\u00eb ", "j.", "HR/"]),
    st.sampled_from(["", " Weber", "@example.org", " (Diversity Council)", ";x"]),
)


@st.composite
def secret_people(
    draw: st.DrawFn, n_exec: int = 4, n_mentor: int = 4, min_mentors: int = 0
) -> dict[str, Any]:
    """Canonical program data whose every free-text field holds the sentinel."""

    def person(pid: str, levels: str, boss: str | None) -> dict[str, Any]:
        return {
            "id": pid,
            "name": draw(secret_texts),
            "email": draw(secret_texts),
            "department": draw(secret_texts),
            "location": draw(secret_texts),
            "groups": [draw(secret_texts)],
            "manager_id": boss,
            "timezone": draw(st.sampled_from(["UTC", "Europe/Berlin", "America/New_York"])),
            "availability": draw(
                st.lists(
                    st.sampled_from(["Mon 12:00-14:00", "Tue 09:00-11:00", "Thu 15:00-16:30"]),
                    min_size=1,
                    max_size=2,
                    unique=True,
                )
            ),
            levels: draw(st.dictionaries(st.sampled_from(rm.DEFAULT_TOPICS), st.integers(0, 5))),
        }

    execs = [person(f"QXe{i}", "interests", None) for i in range(draw(st.integers(0, n_exec)))]
    bosses = [None, *(e["id"] for e in execs)]
    mentors = [
        person(f"QXm{j:02d}", "expertise", draw(st.sampled_from(bosses)))
        for j in range(draw(st.integers(min_mentors, n_mentor)))
    ]
    return {"mentors": mentors, "executives": execs, "org": [{"id": "QXorg", "manager_id": None}]}


# -------------------------------------------------------------------------------- fortnightly time

SCALE_CONFIGS = st.builds(
    rm.MatchConfig,
    min_overlap_minutes=st.sampled_from([0, 30, 60, 90]),
    session_minutes=st.sampled_from([45, 60, 120]),
    exclude_same_department=st.booleans(),
    require_shared_language=st.booleans(),
    min_grade_gap=st.integers(0, 2),
    preferred_window=st.sampled_from([("11:30", "14:30"), None]),
)


@st.composite
def fortnightly_programs(draw: st.DrawFn) -> rm.Program:
    """Programs whose people also hold fortnightly slots, in several zones."""
    program = draw(programs(max_executives=5, max_mentors=6))
    slot = st.builds(
        lambda day, hour, every: {
            "day": day,
            "start": f"{hour:02d}:00",
            "end": f"{hour + 2:02d}:00",
            "every": every,
        },
        st.sampled_from(["Mon", "Tue", "Sun"]),
        st.integers(6, 20),
        st.sampled_from([1, 2]),
    )

    def more(p: Any) -> Any:
        extra = draw(st.lists(slot, max_size=2))
        return p.model_copy(update={"availability": (*p.availability, *map(parse_slot, extra))})

    return program.replace(
        executives=[more(e) for e in program.executives],
        mentors=[more(m) for m in program.mentors],
    )


# ------------------------------------------------------------------------------------------- fixes

FIX_SLOTS = (
    "Mon 12:00-14:00",
    "Mon 12:00-13:00",
    "Mon 12:00-12:45",
    "Mon 12:30-13:15",
    "Mon 13:00-13:30",
    "Tue 09:00-10:00",
)


@st.composite
def fix_cases(draw: st.DrawFn) -> tuple[rm.Program, rm.MatchConfig]:
    """Small programs where grades, time, languages, departments and capacity all bind."""
    grade = st.one_of(st.none(), st.integers(1, 8))
    slots = st.lists(st.sampled_from(FIX_SLOTS), min_size=1, max_size=2, unique=True)
    langs = st.lists(st.sampled_from(["de", "en"]), max_size=2, unique=True)
    dept = st.sampled_from(["IT", "HR", None])
    topics = st.dictionaries(
        st.sampled_from(["digital", "diversity"]), st.integers(0, 5), max_size=2
    )

    def people(prefix: str, n: int, **extra: Any) -> list[dict[str, Any]]:
        return [
            {
                "id": f"{prefix}{i}",
                "grade": draw(grade),
                "availability": draw(slots),
                "languages": draw(langs),
                "department": draw(dept),
                **{k: draw(v) for k, v in extra.items()},
            }
            for i in range(n)
        ]

    executives = people("e", draw(st.integers(1, 4)), interests=topics)
    mentors = people("m", draw(st.integers(1, 4)), expertise=topics, capacity=st.integers(0, 2))
    history = [
        {"executive_id": e["id"], "mentor_id": m["id"]}
        for e in executives
        for m in mentors
        if draw(st.integers(0, 5)) == 0
    ]
    config = rm.MatchConfig(
        min_grade_gap=draw(st.integers(0, 3)),
        min_overlap_minutes=draw(st.sampled_from([0, 30, 45, 60, 90])),
        require_shared_language=draw(st.booleans()),
        exclude_same_department=draw(st.booleans()),
        objective=draw(st.sampled_from(["coverage_then_score", "max_score", "maximin"])),
        mentors_per_executive=draw(st.sampled_from([1, 1, 2])),
    )
    p = rm.Program(
        program={"timezone": "UTC"}, mentors=mentors, executives=executives, history=history
    )
    return p, config


# -------------------------------------------------------------------------------- reporting charts

WIDE = ["Mon 08:00-20:00", "Tue 08:00-20:00"]


@dataclass(frozen=True)
class Drawn:
    """A drawn program and the reporting tree it was drawn from."""

    program: rm.Program
    boss: Mapping[str, str | None]

    def forbidden(self, executive: str, mentor: str) -> bool:
        """Is the executive the mentor's manager or any manager above (in the whole program)?"""
        return executive in chain_above(mentor, self.boss)


@st.composite
def charted_programs(draw: st.DrawFn) -> Drawn:
    """Programs whose managers come from own fields, participants' org rows and outsiders."""
    executives = [f"e{i}" for i in range(draw(st.integers(1, 4)))]
    mentors = [f"m{j}" for j in range(draw(st.integers(1, 5)))]
    outsiders = [f"x{k}" for k in range(draw(st.integers(0, 5)))]
    order = draw(st.permutations([*executives, *mentors, *outsiders]))
    boss: dict[str, str | None] = {}
    depth: dict[str, int] = {}
    for pos, pid in enumerate(order):
        above = [q for q in order[:pos] if depth[q] < 4]
        top = not above or draw(st.integers(0, 4)) == 0  # mostly deep chains
        chosen = None if top else draw(st.sampled_from(above))
        if top and draw(st.integers(0, 5)) == 0:
            chosen = "ghost"  # a manager nobody knows: the chain stops there
        boss[pid] = chosen
        depth[pid] = depth[chosen] + 1 if chosen in depth else 0
    org: list[dict[str, Any]] = []
    records: dict[str, dict[str, Any]] = {}
    for pid in [*executives, *mentors]:
        record: dict[str, Any] = {
            "id": pid,
            "department": draw(st.sampled_from(["Fin", "IT", None])),
            "location": draw(st.sampled_from(["Berlin", "Pune", None])),
            "timezone": draw(st.sampled_from([None, "UTC", "Europe/Berlin", "America/New_York"])),
            "availability": WIDE,
        }
        where = draw(st.sampled_from(["own", "org", "both"]))
        if where in ("own", "both"):
            record["manager_id"] = boss[pid]
        if where in ("org", "both") and (boss[pid] is not None or draw(st.booleans())):
            org.append({"id": pid, "manager_id": boss[pid]})
            if draw(st.integers(0, 3)) == 0:
                org.append({"id": pid, "manager_id": None})  # a second row that adds nothing
        records[pid] = record
    org += [{"id": x, "manager_id": boss[x]} for x in outsiders]
    program = rm.Program(
        program={"timezone": "UTC"},
        executives=[records[e] for e in executives],
        mentors=[records[m] for m in mentors],
        org=draw(st.permutations(org)),
    )
    return Drawn(program, boss)
