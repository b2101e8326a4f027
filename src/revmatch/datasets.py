"""Realistic synthetic reverse-mentoring programs.

:func:`make_program` builds a :class:`~revmatch.models.Program` that looks like
the HR export of a company headquartered in Germany: executives head
divisions, mentors sit a few levels below them, most people share one time
zone, and topic wishes and skills follow the departments people work in. It is
the embedded data set of the examples, the command-line demo and the
benchmarks, so it is deterministic for a given seed and scales to hundreds of
thousands of people.
"""

from __future__ import annotations

import gc
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from numbers import Integral

import numpy as np
from numpy.typing import NDArray

from .availability import Slot, format_minute, parse_slot
from .exceptions import InvalidInputError, Problem
from .models import (
    DEFAULT_TOPICS,
    Executive,
    Mentor,
    OrgEntry,
    Program,
    ProgramInfo,
    check_timezone,
)

__all__ = ["PROGRAM_START", "make_program"]

PROGRAM_START = date(2027, 1, 11)
"""First day (a Monday) of every synthetic program."""

_MAX_WEEKS = 520
_ID_WIDTH = 4

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

# ---------------------------------------------------------------------------
# Built-in tables. Shares are relative weights, normalised on use.
# ---------------------------------------------------------------------------

_LanguageMix = tuple[tuple[tuple[str, ...], float], ...]


@dataclass(frozen=True)
class _Zone:
    """What people in one time zone look like: cities, languages, names."""

    share: float
    cities: tuple[tuple[str, float], ...]
    exec_languages: _LanguageMix
    mentor_languages: _LanguageMix
    names: str


_ZONES: dict[str, _Zone] = {
    "Europe/Berlin": _Zone(
        0.70,
        (("Munich", 0.40), ("Berlin", 0.25), ("Frankfurt", 0.20), ("Hamburg", 0.15)),
        # Part of the senior generation works in German only, while nearly all
        # younger staff also speak English: the source of language conflicts.
        ((("de", "en"), 0.65), (("de",), 0.30), (("de", "en", "fr"), 0.05)),
        ((("de", "en"), 0.88), (("en",), 0.07), (("de",), 0.05)),
        "de",
    ),
    "Europe/London": _Zone(
        0.08,
        (("London", 0.80), ("Manchester", 0.20)),
        ((("en",), 0.85), (("en", "fr"), 0.10), (("en", "de"), 0.05)),
        ((("en",), 0.80), (("en", "es"), 0.10), (("en", "fr"), 0.10)),
        "en",
    ),
    "America/New_York": _Zone(
        0.07,
        (("New York", 0.70), ("Boston", 0.30)),
        ((("en",), 0.90), (("en", "es"), 0.10)),
        ((("en",), 0.75), (("en", "es"), 0.25)),
        "en",
    ),
    "Europe/Paris": _Zone(
        0.04,
        (("Paris", 0.75), ("Lyon", 0.25)),
        ((("fr", "en"), 0.60), (("fr",), 0.40)),
        ((("fr", "en"), 0.90), (("fr",), 0.10)),
        "fr",
    ),
    "Asia/Kolkata": _Zone(
        0.04,
        (("Bangalore", 0.60), ("Pune", 0.40)),
        ((("en", "hi"), 0.80), (("en",), 0.20)),
        ((("en", "hi"), 0.70), (("en",), 0.30)),
        "in",
    ),
    "Asia/Singapore": _Zone(
        0.04,
        (("Singapore", 1.0),),
        ((("en", "zh"), 0.50), (("en",), 0.50)),
        ((("en",), 0.50), (("en", "zh"), 0.40), (("en", "ms"), 0.10)),
        "sg",
    ),
    "Europe/Zurich": _Zone(
        0.03,
        (("Zurich", 1.0),),
        ((("de", "en", "fr"), 0.50), (("de", "en"), 0.40), (("de",), 0.10)),
        ((("de", "en"), 0.60), (("de", "en", "fr"), 0.30), (("en",), 0.10)),
        "de",
    ),
}

_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "de": (
        (
            "Lena",
            "Jonas",
            "Lea",
            "Felix",
            "Mia",
            "Paul",
            "Hannah",
            "Lukas",
            "Sophie",
            "Leon",
            "Marie",
            "Finn",
            "Anna",
            "Elias",
            "Laura",
            "Tim",
            "Julia",
            "Niklas",
            "Clara",
            "Moritz",
            "Katharina",
            "Stefan",
            "Sabine",
            "Thomas",
            "Andrea",
            "Michael",
            "Emre",
            "Zeynep",
        ),
        (
            "Müller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Weber",
            "Meyer",
            "Wagner",
            "Becker",
            "Schulz",
            "Hoffmann",
            "Koch",
            "Richter",
            "Klein",
            "Wolf",
            "Schröder",
            "Neumann",
            "Schwarz",
            "Zimmermann",
            "Braun",
            "Krüger",
            "Hartmann",
            "Lange",
            "Werner",
            "Krause",
            "Yılmaz",
            "Kaya",
            "Nowak",
            "Kowalski",
        ),
    ),
    "en": (
        (
            "Oliver",
            "Amelia",
            "George",
            "Olivia",
            "Harry",
            "Isla",
            "Jack",
            "Emily",
            "Noah",
            "Grace",
            "James",
            "Ava",
            "Liam",
            "Emma",
            "Ethan",
            "Chloe",
            "Daniel",
            "Sarah",
            "Ryan",
            "Megan",
            "Marcus",
            "Keisha",
        ),
        (
            "Smith",
            "Jones",
            "Taylor",
            "Brown",
            "Williams",
            "Wilson",
            "Johnson",
            "Davies",
            "Evans",
            "Roberts",
            "Walker",
            "Wright",
            "Thompson",
            "Garcia",
            "Miller",
            "Davis",
            "Martinez",
            "Clarke",
            "Patel",
            "Okafor",
            "Nguyen",
            "O'Brien",
        ),
    ),
    "fr": (
        (
            "Louis",
            "Chloé",
            "Hugo",
            "Camille",
            "Lucas",
            "Léa",
            "Arthur",
            "Manon",
            "Jules",
            "Inès",
            "Gabriel",
            "Emma",
            "Nathan",
            "Sarah",
            "Théo",
            "Juliette",
        ),
        (
            "Martin",
            "Bernard",
            "Dubois",
            "Thomas",
            "Robert",
            "Richard",
            "Petit",
            "Durand",
            "Leroy",
            "Moreau",
            "Simon",
            "Laurent",
            "Lefebvre",
            "Michel",
            "Fournier",
            "Benali",
        ),
    ),
    "in": (
        (
            "Aarav",
            "Priya",
            "Rohan",
            "Ananya",
            "Arjun",
            "Diya",
            "Vikram",
            "Kavya",
            "Rahul",
            "Isha",
            "Sanjay",
            "Neha",
            "Aditya",
            "Pooja",
            "Karan",
            "Meera",
        ),
        (
            "Sharma",
            "Iyer",
            "Patel",
            "Gupta",
            "Reddy",
            "Nair",
            "Singh",
            "Kumar",
            "Rao",
            "Menon",
            "Desai",
            "Joshi",
            "Mehta",
            "Kapoor",
            "Das",
            "Chatterjee",
        ),
    ),
    "sg": (
        (
            "Wei Ling",
            "Jun Jie",
            "Hui Min",
            "Zhi Hao",
            "Siti",
            "Muhammad",
            "Mei Ling",
            "Jia Hui",
            "Ravi",
            "Nurul",
            "Kai Xuan",
            "Xin Yi",
        ),
        ("Tan", "Lim", "Lee", "Ng", "Ong", "Wong", "Goh", "Chua", "Koh", "Teo", "Rahman", "Chen"),
    ),
}
# People in a zone without a built-in profile get names from every pool.
_NAMES["intl"] = (
    tuple(n for pool in _NAMES.values() for n in pool[0]),
    tuple(n for pool in _NAMES.values() for n in pool[1]),
)

# Department, share among executives, share among mentors, and the mean
# expertise of its mentors in digital, social_media, diversity, work_ethic,
# work_life_balance. Customer Service has no executive in the program, so its
# mentors sit under a director from outside it; Strategy is mostly senior staff.
_DEPARTMENTS: tuple[tuple[str, float, float, tuple[float, ...]], ...] = (
    ("Finance", 0.13, 0.09, (2.4, 1.6, 1.8, 3.2, 2.0)),
    ("IT", 0.10, 0.20, (4.3, 2.8, 1.8, 2.6, 2.6)),
    ("Marketing", 0.09, 0.12, (3.5, 4.4, 2.4, 2.2, 2.6)),
    ("HR", 0.08, 0.08, (2.0, 2.6, 4.1, 2.8, 3.8)),
    ("Operations", 0.14, 0.13, (2.6, 1.8, 2.2, 3.4, 2.2)),
    ("Sales", 0.14, 0.13, (2.6, 3.7, 2.0, 3.0, 2.0)),
    ("Legal", 0.06, 0.04, (1.8, 1.5, 2.8, 3.0, 2.2)),
    ("R&D", 0.11, 0.10, (3.9, 2.2, 2.2, 2.8, 2.4)),
    ("Communications", 0.06, 0.05, (3.0, 4.5, 3.1, 2.1, 2.7)),
    ("Strategy", 0.09, 0.02, (2.8, 2.0, 2.2, 3.0, 2.2)),
    ("Customer Service", 0.00, 0.06, (2.4, 3.1, 2.7, 2.8, 2.9)),
)

# How often executives wish each default topic, before the department tilt.
_TOPIC_POPULARITY = (0.32, 0.26, 0.14, 0.12, 0.16)
_EXTRA_TOPIC_POPULARITY = 0.06

# Weekly slot patterns: (weekday Mon=0, start, end, every), in groups with the
# share of calendars that follow them. A pattern is drawn whole, then moved to
# other weekdays and shifted by half an hour to vary it. Long lunches lead:
# they are the format reverse-mentoring programs recommend.
_Pattern = tuple[tuple[int, str, str, int], ...]
_TEMPLATE_GROUPS: tuple[tuple[float, tuple[_Pattern, ...]], ...] = (
    (
        0.40,
        (  # long lunches
            ((1, "12:00", "14:00", 1), (3, "12:00", "13:30", 1)),
            ((0, "12:00", "14:00", 1), (2, "12:30", "14:00", 1)),
            ((2, "11:30", "13:30", 1), (4, "12:00", "13:30", 1)),
            ((1, "12:30", "14:00", 1),),
            ((3, "12:00", "14:00", 1), (0, "11:30", "13:00", 1)),
            ((2, "12:00", "14:00", 1),),
            ((4, "11:30", "14:00", 1), (1, "12:00", "13:00", 1)),
            ((0, "12:00", "13:30", 1), (3, "12:00", "13:30", 1)),
        ),
    ),
    (
        0.12,
        (  # early birds
            ((0, "07:30", "09:00", 1), (2, "07:30", "09:00", 1)),
            ((1, "07:30", "09:00", 1), (4, "08:00", "09:30", 1)),
            ((3, "07:30", "09:00", 1), (1, "08:00", "09:00", 1)),
            ((2, "08:00", "09:30", 1),),
        ),
    ),
    (
        0.12,
        (  # late afternoons
            ((1, "17:00", "18:30", 1), (3, "17:00", "18:30", 1)),
            ((0, "17:00", "18:30", 1), (2, "17:30", "19:00", 1)),
            ((3, "16:30", "18:00", 1),),
            ((2, "17:00", "18:30", 1), (4, "16:00", "17:30", 1)),
        ),
    ),
    (
        0.10,
        (  # office hours
            ((0, "09:00", "10:30", 1), (3, "10:00", "11:30", 1)),
            ((2, "14:00", "15:30", 1), (4, "10:00", "11:30", 1)),
            ((1, "15:00", "16:30", 1), (3, "14:00", "15:30", 1)),
            ((0, "14:00", "16:00", 1),),
            ((2, "09:30", "11:00", 1), (4, "14:00", "15:30", 1)),
            ((1, "10:00", "11:30", 1), (4, "13:30", "15:00", 1)),
        ),
    ),
    (
        0.12,
        (  # mixed weeks
            ((0, "12:00", "13:30", 1), (2, "07:30", "09:00", 1), (4, "11:30", "13:00", 1)),
            ((1, "12:00", "14:00", 1), (3, "17:00", "18:30", 1)),
            ((0, "07:30", "09:00", 1), (3, "12:00", "13:30", 1)),
            ((2, "12:00", "13:30", 1), (4, "15:00", "16:30", 1), (1, "09:00", "10:00", 1)),
            ((0, "16:00", "17:30", 1), (2, "12:00", "14:00", 1)),
            ((3, "08:00", "09:30", 1), (1, "12:30", "14:00", 1)),
        ),
    ),
    (
        0.08,
        (  # broad offers of flexible calendars
            tuple((d, "12:00", "13:30", 1) for d in range(5)),
            tuple((d, "12:00", "14:00", 1) for d in (1, 2, 3)),
            tuple((d, "12:30", "14:00", 1) for d in (0, 2, 4)),
            tuple((d, "07:30", "09:00", 1) for d in (0, 2, 4)),
            tuple((d, "17:00", "18:30", 1) for d in (0, 1, 3)),
            ((0, "09:00", "11:00", 1), (1, "12:00", "14:00", 1), (3, "14:00", "16:00", 1)),
        ),
    ),
    (
        0.06,
        (  # fortnightly rhythms
            ((1, "12:00", "14:00", 2), (3, "12:00", "14:00", 2)),
            ((0, "17:00", "19:00", 2), (2, "12:00", "13:30", 1)),
            ((4, "11:30", "13:30", 2), (2, "07:30", "09:00", 1)),
            ((1, "14:00", "16:00", 2),),
        ),
    ),
)
_TEMPLATES: tuple[_Pattern, ...] = tuple(p for _, group in _TEMPLATE_GROUPS for p in group)
_TEMPLATE_P = np.array([w / len(group) for w, group in _TEMPLATE_GROUPS for _ in group])
_TEMPLATE_P /= _TEMPLATE_P.sum()
_SHIFTS = (-30, 0, 30)
_SHIFT_P = (0.10, 0.80, 0.10)
_WORKDAYS = 5

_MODES = ("hybrid", "onsite", "remote")
_EXEC_MODE_P = (0.86, 0.07, 0.07)
_MENTOR_MODE_P = (0.80, 0.05, 0.15)
_MENTOR_GRADES = (2, 3, 4, 5)
_MENTOR_GRADE_P = (0.25, 0.35, 0.25, 0.15)

# Executive tree inside a division: each executive has up to this many
# executives reporting to them (a complete tree in random order of people).
_EXEC_BRANCHING = 3
# A mentor reports to their leader directly, to a unit head below the leader,
# or to a team lead below a unit head.
_MENTOR_LEVEL_P = (0.10, 0.35, 0.55)
# How many topics executives wish (1, 2, 3, 4).
_N_WISHES_P = (0.10, 0.45, 0.35, 0.10)
# How many weekly patterns executives and mentors hold (1, 2, 3): executives'
# calendars are full, younger staff are more flexible.
_EXEC_PATTERNS_P = (0.4, 0.6)
_MENTOR_PATTERNS_P = (0.0, 0.6, 0.4)


# ---------------------------------------------------------------------------
# Argument checks
# ---------------------------------------------------------------------------


def _problem(field: str, message: str, expected: str) -> InvalidInputError:
    return InvalidInputError(Problem(message, field=field, expected=expected))


def _integer(value: object, field: str, low: int, high: int | None = None) -> int:
    expected = f"an integer >= {low}" if high is None else f"an integer in {low}..{high}"
    if isinstance(value, bool) or not isinstance(value, Integral):
        got = repr(value) if isinstance(value, bool) else type(value).__name__
        raise _problem(field, f"The {field!r} must be an integer. Got {got}.", expected)
    number = int(value)
    if number < low or (high is not None and number > high):
        raise _problem(field, f"The {field!r} is out of range. Got {number}.", expected)
    return number


def _capacity_range(capacity: object) -> tuple[int, int]:
    if isinstance(capacity, tuple | list):
        if len(capacity) != 2:
            raise _problem(
                "capacity",
                f"The 'capacity' range must have two bounds. Got {len(capacity)}.",
                "an integer >= 0 or a (low, high) pair with 0 <= low <= high",
            )
        low = _integer(capacity[0], "capacity", 0)
        high = _integer(capacity[1], "capacity", 0)
        if high < low:
            raise _problem(
                "capacity",
                f"The 'capacity' range ends before it starts. Got ({low}, {high}).",
                "a (low, high) pair with 0 <= low <= high",
            )
        return low, high
    fixed = _integer(capacity, "capacity", 0)
    return fixed, fixed


def _zone_list(zones: object) -> tuple[str, ...]:
    expected = "an IANA name such as 'Europe/Berlin'"
    if zones is None:
        return tuple(_ZONES)
    if isinstance(zones, str) or not isinstance(zones, Sequence):
        raise _problem(
            "zones",
            "The 'zones' must be a list of time zone names.",
            "a list such as ['Europe/Berlin', 'America/New_York']",
        )
    if not zones:
        raise _problem("zones", "The 'zones' list is empty.", "at least one IANA time zone")
    out: list[str] = []
    for i, zone in enumerate(zones):
        if not isinstance(zone, str):
            raise _problem(
                f"zones[{i}]", f"A time zone must be a string. Got {type(zone).__name__}.", expected
            )
        try:
            out.append(check_timezone(zone.strip()))
        except ValueError as exc:
            raise _problem(f"zones[{i}]", str(exc), expected) from None
    if len(set(out)) != len(out):
        raise _problem("zones", "The 'zones' list names a zone twice.", "distinct time zones")
    return tuple(out)


def _topic_names(n_topics: object) -> tuple[str, ...]:
    if n_topics is None:
        return DEFAULT_TOPICS
    n = _integer(n_topics, "n_topics", 1)
    width = max(2, len(str(n)))
    extra = tuple(f"topic_{i:0{width}d}" for i in range(len(DEFAULT_TOPICS) + 1, n + 1))
    return (DEFAULT_TOPICS + extra)[:n]


# ---------------------------------------------------------------------------
# Drawing helpers
# ---------------------------------------------------------------------------


def _p(weights: Sequence[float]) -> FloatArray:
    w = np.asarray(weights, dtype=np.float64)
    return np.asarray(w / w.sum(), dtype=np.float64)


def _categorical(u: FloatArray, weights: Sequence[float]) -> IntArray:
    """Category of each uniform draw ``u`` under relative ``weights``."""
    picks = np.searchsorted(np.cumsum(_p(weights)), u, side="right")
    return np.minimum(picks, len(weights) - 1).astype(np.int64)


def _below(u: FloatArray, n: IntArray | int) -> IntArray:
    """Uniform integers ``0 <= k < n`` from uniform draws ``u`` in [0, 1)."""
    return np.minimum((u * n).astype(np.int64), n - 1)


def _ids(prefix: str, n: int) -> list[str]:
    width = max(_ID_WIDTH, len(str(n)))
    return [f"{prefix}-{i:0{width}d}" for i in range(1, n + 1)]


# ---------------------------------------------------------------------------
# Org chart
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _OrgChart:
    """Reporting lines: managers of the people and the org entries around them."""

    exec_manager: list[str | None]
    exec_depth: IntArray
    mentor_manager: list[str]
    org: list[tuple[str, str | None]]


def _org_chart(
    rng: np.random.Generator, exec_dept: IntArray, ment_dept: IntArray, exec_ids: list[str]
) -> _OrgChart:
    """Draw the org chart: executive trees per division, mentors a few levels below.

    Within a division the executives form a complete tree of branching
    ``_EXEC_BRANCHING`` in (random) index order; its head reports to the
    chief executive ``x-0001``. Each mentor picks a *leader* (an executive
    of their division, or the outside director of a division without
    executives) and reports to the leader, to one of the leader's unit heads
    or to a team lead under a unit head. Unit heads and team leads exist only
    where someone reports to them.
    """
    n_dept, n_exec, n_ment = len(_DEPARTMENTS), exec_dept.size, ment_dept.size
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
    leader[has_exec] = order[start[dept] + _below(u[has_exec], size[dept])]

    units = 1 + rng.poisson(1.5, size=n_leaders)
    teams = 1 + rng.poisson(2.0, size=n_leaders)
    level = rng.choice(len(_MENTOR_LEVEL_P), size=n_ment, p=_MENTOR_LEVEL_P)
    unit = _below(rng.random(n_ment), units[leader])
    team = _below(rng.random(n_ment), teams[leader])
    # Key units by (leader, unit) and teams by (leader, unit, team), so that
    # sorting the keys numbers the org entries leader by leader.
    n_units_max = int(units.max()) if n_leaders else 1
    n_teams_max = int(teams.max()) if n_leaders else 1
    unit_key = leader * n_units_max + unit
    team_key = unit_key * n_teams_max + team
    team_keys = np.unique(team_key[level == 2])
    unit_keys = np.unique(np.concatenate([unit_key[level >= 1], team_keys // n_teams_max]))

    n_org = int(n_exec + n_ment > 0) + directed.size + unit_keys.size + team_keys.size
    org_ids = _ids("x", n_org)
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
    return _OrgChart(
        exec_manager=[
            ceo if r == 0 else exec_ids[b]
            for r, b in zip(rank.tolist(), boss.tolist(), strict=True)
        ],
        exec_depth=depth,
        mentor_manager=names[manager].tolist(),
        org=org,
    )


# ---------------------------------------------------------------------------
# Places, names, topics, wishes
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Places:
    """Zone-dependent draws for the people of one role."""

    zone: list[str]
    city: list[str]
    languages: list[tuple[str, ...]]
    first: list[str]
    last: list[str]


def _places(
    rng: np.random.Generator, n: int, zones: tuple[str, ...], default_mix: bool, role: str
) -> _Places:
    """Draw zone, city, languages and name for ``n`` people of one role."""
    if default_mix:
        share = _p([_ZONES[z].share for z in zones])
    else:
        # The first zone is headquarters with ~70 %; the others share the rest.
        rest = len(zones) - 1
        share = np.array([1.0]) if not rest else np.array([0.7] + [0.3 / rest] * rest)
    zone_idx = rng.choice(len(zones), size=n, p=share)
    u = rng.random((4, n))
    city = np.empty(n, dtype=object)
    languages = np.empty(n, dtype=object)
    first = np.empty(n, dtype=object)
    last = np.empty(n, dtype=object)
    for z, zone in enumerate(zones):
        members = np.flatnonzero(zone_idx == z)
        profile = _ZONES.get(zone)
        if profile is None:
            place = zone.rsplit("/", 1)[-1].replace("_", " ")
            cities: tuple[tuple[str, float], ...] = ((place, 1.0),)
            mix: _LanguageMix = ((("en",), 1.0),)
            pool = "intl"
        else:
            cities = profile.cities
            mix = profile.exec_languages if role == "executive" else profile.mentor_languages
            pool = profile.names
        table = np.empty(len(cities), dtype=object)
        table[:] = [c for c, _ in cities]
        city[members] = table[_categorical(u[0, members], [w for _, w in cities])]
        table = np.empty(len(mix), dtype=object)
        table[:] = [langs for langs, _ in mix]
        languages[members] = table[_categorical(u[1, members], [w for _, w in mix])]
        for out, names, draws in zip((first, last), _NAMES[pool], u[2:], strict=True):
            table = np.empty(len(names), dtype=object)
            table[:] = names
            out[members] = table[_below(draws[members], len(names))]
    return _Places(
        zone=[zones[z] for z in zone_idx.tolist()],
        city=city.tolist(),
        languages=languages.tolist(),
        first=first.tolist(),
        last=last.tolist(),
    )


_ASCII = str.maketrans({"ß": "ss", "ı": "i", "ä": "ae", "ö": "oe", "ü": "ue", "'": "", " ": ""})


def _emails(places: _Places, taken: dict[str, int]) -> list[str]:
    """``first.last@example.com``, numbered from the second holder of an address on."""
    slugs: dict[tuple[str, str], str] = {}
    out = []
    for key in zip(places.first, places.last, strict=True):
        slug = slugs.get(key)
        if slug is None:
            text = f"{key[0]}.{key[1]}".lower().translate(_ASCII)
            slug = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
            slugs[key] = slug
        count = taken.get(slug, 0) + 1
        taken[slug] = count
        out.append(f"{slug}@example.com" if count == 1 else f"{slug}{count}@example.com")
    return out


def _topic_tables(rng: np.random.Generator, n_topic: int) -> tuple[FloatArray, FloatArray]:
    """Mean mentor expertise and executives' wish weights, per department and topic.

    Topics beyond the defaults get a seeded affinity per department, so that
    they too cluster by department. Executives wish most for what their own
    department is weakest in.
    """
    affinity = np.array([d[3] for d in _DEPARTMENTS], dtype=np.float64)
    n_default = affinity.shape[1]
    if n_topic > n_default:
        extra = rng.uniform(1.0, 3.5, size=(len(_DEPARTMENTS), n_topic - n_default))
        affinity = np.hstack([affinity, extra])
    affinity = affinity[:, :n_topic]
    popularity = np.array(
        list(_TOPIC_POPULARITY) + [_EXTRA_TOPIC_POPULARITY] * max(0, n_topic - n_default)
    )[:n_topic]
    wish = popularity[None, :] * np.exp(-0.4 * (affinity - affinity.mean()))
    return affinity, wish


def _expertise(
    rng: np.random.Generator, affinity: FloatArray, dept: IntArray, grade: IntArray
) -> IntArray:
    """Mentors' levels: department mean + personal aptitude + seniority + noise."""
    n, n_topic = dept.size, affinity.shape[1]
    aptitude = rng.normal(0.0, 0.6, size=(n, 1))
    noise = rng.normal(0.0, 1.0, size=(n, n_topic))
    raw = affinity[dept] + aptitude + 0.2 * (grade[:, None] - 3) + noise
    return np.clip(np.rint(raw), 0, 5).astype(np.int64)


def _interests(rng: np.random.Generator, wish: FloatArray, dept: IntArray) -> IntArray:
    """Executives' priorities: 1-4 distinct topics, the first at 5 (or 4), then falling."""
    n, n_topic = dept.size, wish.shape[1]
    most = len(_N_WISHES_P)
    # Gumbel-top-k: a weighted draw of distinct topics, in order of priority.
    keys = np.log(wish[dept]) + rng.gumbel(size=(n, n_topic))
    ranked = np.argsort(-keys, axis=1, kind="stable")
    n_wishes = 1 + rng.choice(most, size=n, p=_N_WISHES_P)
    priority = np.empty((n, most), dtype=np.int64)
    priority[:, 0] = 5 - (rng.random(n) < 0.2)
    steps = rng.integers(0, 3, size=(n, most - 1))
    for j in range(1, most):
        priority[:, j] = np.maximum(priority[:, j - 1] - steps[:, j - 1], 1)
    interests = np.zeros((n, n_topic), dtype=np.int64)
    for j in range(min(most, n_topic)):
        rows = np.flatnonzero(n_wishes > j)
        interests[rows, ranked[rows, j]] = priority[rows, j]
    return interests


def _level_dicts(levels: IntArray, topics: tuple[str, ...]) -> list[dict[str, int]]:
    """Sparse ``{topic: level}`` dicts, keeping levels >= 1."""
    return [{t: v for t, v in zip(topics, row, strict=True) if v} for row in levels.tolist()]


def _pick_others(
    rng: np.random.Generator, n: int, ids: list[str], share: float, most: int
) -> dict[int, tuple[str, ...]]:
    """For a ``share`` of ``n`` people (by position), 1..``most`` distinct ``ids``."""
    if not ids:
        return {}
    chosen = np.flatnonzero(rng.random(n) < share)
    counts = rng.integers(1, min(most, len(ids)) + 1, size=chosen.size)
    targets = rng.integers(0, len(ids), size=(chosen.size, most))
    return {
        person: tuple(ids[t] for t in dict.fromkeys(row[:count]))
        for person, count, row in zip(
            chosen.tolist(), counts.tolist(), targets.tolist(), strict=True
        )
    }


def _wishes(
    rng: np.random.Generator, n: int, others: list[str], shares: tuple[float, float, int]
) -> list[dict[str, tuple[str, ...]]]:
    """Per person, the ``blocked``/``preferred`` fields to pass; most people pass none.

    ``shares`` is (share blocking one person, share preferring someone, most
    preferred).
    """
    out: list[dict[str, tuple[str, ...]]] = [{} for _ in range(n)]
    blocked = _pick_others(rng, n, others, shares[0], 1)
    preferred = _pick_others(rng, n, others, shares[1], shares[2])
    for field, picks in (("blocked", blocked), ("preferred", preferred)):
        for person, ids in picks.items():
            out[person][field] = ids
    return out


# ---------------------------------------------------------------------------
# Availability
# ---------------------------------------------------------------------------

_SlotKey = tuple[int, int, int, int]


def _minute(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


# Templates as (day, start minute, end minute, every), read once.
_TEMPLATE_KEYS: tuple[tuple[_SlotKey, ...], ...] = tuple(
    tuple((day, _minute(start), _minute(end), every) for day, start, end, every in pattern)
    for pattern in _TEMPLATES
)


class _Availability:
    """Weekly slot lists drawn from :data:`_TEMPLATES`, built once per distinct draw."""

    def __init__(self) -> None:
        self._slots: dict[_SlotKey, Slot] = {}
        self._patterns: dict[tuple[int, int, int, bool], tuple[_SlotKey, ...]] = {}

    def _slot(self, key: _SlotKey) -> Slot:
        slot = self._slots.get(key)
        if slot is None:
            day, start, end, every = key
            slot = parse_slot(
                {
                    "day": day,
                    "start": format_minute(start),
                    "end": format_minute(end),
                    "every": every,
                }
            )
            self._slots[key] = slot
        return slot

    def _pattern(
        self, template: int, rotation: int, shift: int, fortnightly: bool
    ) -> tuple[_SlotKey, ...]:
        key = (template, rotation, shift, fortnightly)
        pattern = self._patterns.get(key)
        if pattern is None:
            pattern = tuple(
                (
                    (day + rotation) % _WORKDAYS,
                    start + shift,
                    end + shift,
                    2 if (fortnightly and i == 0) else every,
                )
                for i, (day, start, end, every) in enumerate(_TEMPLATE_KEYS[template])
            )
            self._patterns[key] = pattern
        return pattern

    def draw(
        self, rng: np.random.Generator, n: int, n_patterns_p: Sequence[float]
    ) -> list[tuple[Slot, ...]]:
        """Slot lists for ``n`` people.

        A person holds 1, 2, ... patterns with probabilities ``n_patterns_p``.
        The first pattern may be shifted by half an hour and turned
        fortnightly; every pattern is moved to other weekdays on its own.
        """
        n_templates = len(_TEMPLATES)
        most = len(n_patterns_p)
        count = 1 + rng.choice(most, size=n, p=_p(n_patterns_p))
        template = rng.choice(n_templates, size=(n, most), p=_TEMPLATE_P)
        rotation = rng.integers(0, _WORKDAYS, size=(n, most))
        unused = np.arange(most)[None, :] >= count[:, None]
        template[unused] = -1
        rotation[unused] = 0
        shift = rng.choice(len(_SHIFTS), size=n, p=_SHIFT_P)
        fortnightly = (rng.random(n) < 0.06).astype(np.int64)
        # One integer per distinct draw, so each slot list is built only once.
        code = shift * 2 + fortnightly
        for j in range(most):
            code = (code * (n_templates + 1) + template[:, j] + 1) * _WORKDAYS + rotation[:, j]
        _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
        lists: list[tuple[Slot, ...]] = []
        for i in first.tolist():
            keys = self._pattern(
                int(template[i, 0]),
                int(rotation[i, 0]),
                _SHIFTS[int(shift[i])],
                bool(fortnightly[i]),
            )
            for j in range(1, int(count[i])):
                keys += self._pattern(int(template[i, j]), int(rotation[i, j]), 0, False)
            lists.append(tuple(self._slot(key) for key in sorted(set(keys))))
        return [lists[k] for k in inverse.ravel().tolist()]


# ---------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many records are built.

    The records hold no reference cycles, but every burst of allocations
    makes the collector walk the whole growing heap again, which costs about
    40 % of the time of a large program. Reference counting still frees
    memory meanwhile; the collector's previous state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def make_program(
    n_executives: int = 40,
    n_mentors: int = 60,
    seed: int | None = 0,
    *,
    n_topics: int | None = None,
    weeks: int = 26,
    capacity: int | tuple[int, int] = 1,
    zones: Sequence[str] | None = None,
    name: str = "Synthetic program",
) -> Program:
    """Build a realistic synthetic reverse-mentoring program.

    The program imitates the HR export of a company headquartered in
    Germany, so that matching it shows the effects of real data:

    - **Org chart.** A chief executive (``x-0001``, outside the program)
      heads the divisions Finance, IT, Marketing, HR, Operations, Sales,
      Legal, R&D, Communications, Strategy and Customer Service. A division's
      executives form a tree with up to three executives reporting to each:
      its head has grade 10, the next level 9, deeper levels 8. Mentors
      (grades 2-5) report to an executive of their division, to a unit head
      below that executive, or to a team lead below a unit head; unit heads
      and team leads are ``org`` entries. Every executive above a mentor is
      in the mentor's reporting chain, which excludes a minority of pairs
      (about 4 % at the default size). Customer Service has no executive in
      the program: its mentors report through an outside director.
    - **Places.** About 70 % of people work in Europe/Berlin (Munich, Berlin,
      Frankfurt, Hamburg), the others in London, New York, Paris, Bangalore
      or Pune, Singapore and Zurich. Languages follow the zone (``de`` and
      ``en`` in Germany, ``en`` in London, ...); part of the executives in
      Germany speak German only. Most people work hybrid, some on site or
      remote. Names come from small built-in lists per region.
    - **Topics.** Mentors' expertise (levels 1-5; 0 is left out) follows
      their department (IT and Marketing are strong in ``digital`` and
      ``social_media``, HR in ``diversity`` and ``work_life_balance``, ...)
      plus a personal aptitude. Executives wish 1-4 topics, mostly 2-3, with
      priorities falling from 5, tilted towards what their own department
      lacks.
    - **Time.** Availability comes from 38 weekly patterns in groups (long
      lunches such as ``Tue 12:00-14:00``, early 07:30-09:00 and late
      17:00-18:30 slots, office hours, broad offers, fortnightly slots),
      each moved to other weekdays, sometimes shifted by half an hour or
      turned fortnightly. Executives hold one or two patterns, mentors two
      or three.
    - **Wishes.** A few people block or prefer someone on the other side.

    With the default :class:`~revmatch.models.MatchConfig`, a
    ``make_program(40, 60)`` program has about a quarter to a third of its
    pairs feasible; nearly every executive can be matched. Too little shared
    time (``min_overlap``, mostly across time zones) is the most common
    reason a pair is ruled out, followed by ``language``, ``location`` and
    ``reporting_chain``.

    Parameters
    ----------
    n_executives, n_mentors : int
        Number of executives and mentors (>= 0; empty pools are allowed).
    seed : int or None
        Seed (>= 0) of :func:`numpy.random.default_rng`: the same seed and
        arguments give an equal program. ``None`` draws fresh entropy.
    n_topics : int, optional
        Size of the topic vocabulary (>= 1). ``None`` uses
        :data:`~revmatch.models.DEFAULT_TOPICS`; a smaller number keeps the
        first ``n_topics`` of them, a larger one adds ``"topic_06"``,
        ``"topic_07"``, ... whose department affinities are drawn from the
        seed.
    weeks : int
        Program length in weeks (1..520). The program starts on Monday
        :data:`PROGRAM_START` (2027-01-11) and ends on the Friday of its
        last week.
    capacity : int or (int, int)
        Executives per mentor (>= 0): fixed, or drawn uniformly from the
        inclusive range ``(low, high)``.
    zones : sequence of str, optional
        IANA time zones to use. ``None`` uses the default mix above. Given
        zones: the first holds about 70 % of people, the others share the
        rest equally; a zone without a built-in profile gets English, names
        from every region and a city named after the zone.
    name : str
        Program name.

    Returns
    -------
    Program
        Executives ``"e-0001"``, ..., mentors ``"m-0001"``, ... and org
        entries ``"x-0001"``, ... (zero-padded to four digits, or more when
        needed). The program's default time zone is the first zone.

    Raises
    ------
    InvalidInputError
        If an argument has the wrong type or is out of range; the problem
        names the argument.

    See Also
    --------
    revmatch.models.Program : the data model built here.

    Notes
    -----
    Every random draw is vectorised with numpy and taken from one generator
    in a fixed order, so programs of different sizes are unrelated: the
    first 40 executives of ``make_program(80, 60)`` are not those of
    ``make_program(40, 60)``. The time is dominated by validating the
    pydantic records (some 30-40 µs per person, org entries included):
    ``make_program(2000, 2000)`` takes about 0.2 s and
    ``make_program(20000, 200000, n_topics=10)`` about 12 s and 0.8 GB on
    one core.

    Examples
    --------
    >>> from revmatch.datasets import make_program
    >>> program = make_program(n_executives=4, n_mentors=6, seed=1)
    >>> len(program.executives), len(program.mentors)
    (4, 6)
    >>> program.executives[0].id, program.mentors[-1].id
    ('e-0001', 'm-0006')
    >>> program.start.isoformat(), program.end.isoformat()
    ('2027-01-11', '2027-07-09')
    >>> program.topics
    ('digital', 'social_media', 'diversity', 'work_ethic', 'work_life_balance')
    >>> make_program(4, 6, seed=1) == program
    True
    >>> make_program(2, 3, n_topics=7).topics[-2:]
    ('topic_06', 'topic_07')
    >>> sorted({m.capacity for m in make_program(0, 50, capacity=(1, 3)).mentors})
    [1, 2, 3]
    """
    n_exec = _integer(n_executives, "n_executives", 0)
    n_ment = _integer(n_mentors, "n_mentors", 0)
    if seed is not None:
        seed = _integer(seed, "seed", 0)
    topics = _topic_names(n_topics)
    n_weeks = _integer(weeks, "weeks", 1, _MAX_WEEKS)
    cap_low, cap_high = _capacity_range(capacity)
    zone_names = _zone_list(zones)
    if not isinstance(name, str):
        raise _problem("name", f"The 'name' must be a string. Got {type(name).__name__}.", "a str")
    info = ProgramInfo(
        name=name,
        start=PROGRAM_START,
        end=PROGRAM_START + timedelta(weeks=n_weeks, days=-3),
        topics=topics,
        timezone=zone_names[0],
    )
    with _gc_paused():
        return _generate(
            np.random.default_rng(seed),
            n_exec,
            n_ment,
            info,
            capacity=(cap_low, cap_high),
            zones=zone_names,
            default_mix=zones is None,
        )


def _generate(
    rng: np.random.Generator,
    n_exec: int,
    n_ment: int,
    info: ProgramInfo,
    *,
    capacity: tuple[int, int],
    zones: tuple[str, ...],
    default_mix: bool,
) -> Program:
    """Draw the people of a program; see :func:`make_program` for the model."""
    topics = info.topics
    dept_names = [d[0] for d in _DEPARTMENTS]
    affinity, wish = _topic_tables(rng, len(topics))
    exec_dept = rng.choice(len(_DEPARTMENTS), size=n_exec, p=_p([d[1] for d in _DEPARTMENTS]))
    ment_dept = rng.choice(len(_DEPARTMENTS), size=n_ment, p=_p([d[2] for d in _DEPARTMENTS]))
    exec_ids, ment_ids = _ids("e", n_exec), _ids("m", n_ment)
    chart = _org_chart(rng, exec_dept, ment_dept, exec_ids)

    exec_grade = (10 - np.minimum(chart.exec_depth, 2)).tolist()
    ment_grade = rng.choice(_MENTOR_GRADES, size=n_ment, p=_MENTOR_GRADE_P)
    exec_mode = rng.choice(len(_MODES), size=n_exec, p=_EXEC_MODE_P).tolist()
    ment_mode = rng.choice(len(_MODES), size=n_ment, p=_MENTOR_MODE_P).tolist()
    exec_places = _places(rng, n_exec, zones, default_mix, "executive")
    ment_places = _places(rng, n_ment, zones, default_mix, "mentor")
    doctor = (rng.random(n_exec) < 0.15).tolist()
    interests = _level_dicts(_interests(rng, wish, exec_dept), topics)
    expertise = _level_dicts(_expertise(rng, affinity, ment_dept, ment_grade), topics)
    calendar = _Availability()
    exec_slots = calendar.draw(rng, n_exec, _EXEC_PATTERNS_P)
    ment_slots = calendar.draw(rng, n_ment, _MENTOR_PATTERNS_P)
    ment_capacity = rng.integers(capacity[0], capacity[1] + 1, size=n_ment).tolist()
    exec_wishes = _wishes(rng, n_exec, ment_ids, (0.04, 0.06, 2))
    ment_wishes = _wishes(rng, n_ment, exec_ids, (0.02, 0.03, 1))
    taken: dict[str, int] = {}
    exec_email = _emails(exec_places, taken)
    ment_email = _emails(ment_places, taken)
    exec_dept_list, ment_dept_list = exec_dept.tolist(), ment_dept.tolist()
    ment_grade_list = ment_grade.tolist()

    executives = [
        Executive(
            id=exec_ids[i],
            name=("Dr. " if doctor[i] else "") + f"{exec_places.first[i]} {exec_places.last[i]}",
            email=exec_email[i],
            department=dept_names[exec_dept_list[i]],
            manager_id=chart.exec_manager[i],
            timezone=exec_places.zone[i],
            languages=exec_places.languages[i],
            location=exec_places.city[i],
            mode=_MODES[exec_mode[i]],
            grade=exec_grade[i],
            availability=exec_slots[i],
            interests=interests[i],
            **exec_wishes[i],
        )
        for i in range(n_exec)
    ]
    mentors = [
        Mentor(
            id=ment_ids[i],
            name=f"{ment_places.first[i]} {ment_places.last[i]}",
            email=ment_email[i],
            department=dept_names[ment_dept_list[i]],
            manager_id=chart.mentor_manager[i],
            timezone=ment_places.zone[i],
            languages=ment_places.languages[i],
            location=ment_places.city[i],
            mode=_MODES[ment_mode[i]],
            grade=ment_grade_list[i],
            availability=ment_slots[i],
            expertise=expertise[i],
            capacity=ment_capacity[i],
            **ment_wishes[i],
        )
        for i in range(n_ment)
    ]
    org = [OrgEntry(id=oid, manager_id=boss) for oid, boss in chart.org]
    return Program(program=info, mentors=mentors, executives=executives, org=org)
