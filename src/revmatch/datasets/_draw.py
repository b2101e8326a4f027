"""Vectorised draws of the people's attributes: places, names, e-mails, topics, wishes.

Every draw takes uniform or other variates from the one generator of a
program, in a fixed order, so that a seed gives one program.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ._tables import LanguageMix, tables

__all__ = [
    "FloatArray",
    "IntArray",
    "Places",
    "below",
    "categorical",
    "emails",
    "expertise_levels",
    "ids",
    "interest_levels",
    "level_dicts",
    "normalised",
    "places",
    "topic_tables",
    "wishes",
]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

_ID_WIDTH = 4
# How many topics executives wish (1, 2, 3, 4).
_N_WISHES_P = (0.10, 0.45, 0.35, 0.10)


def normalised(weights: Sequence[float]) -> FloatArray:
    """Relative weights as probabilities."""
    w = np.asarray(weights, dtype=np.float64)
    return np.asarray(w / w.sum(), dtype=np.float64)


def categorical(u: FloatArray, weights: Sequence[float]) -> IntArray:
    """Category of each uniform draw ``u`` under relative ``weights``."""
    picks = np.searchsorted(np.cumsum(normalised(weights)), u, side="right")
    return np.minimum(picks, len(weights) - 1).astype(np.int64)


def below(u: FloatArray, n: IntArray | int) -> IntArray:
    """Uniform integers ``0 <= k < n`` from uniform draws ``u`` in [0, 1)."""
    return np.minimum((u * n).astype(np.int64), n - 1)


def ids(prefix: str, n: int) -> list[str]:
    """``"<prefix>-0001"``, ... zero-padded to four digits, or more when needed."""
    width = max(_ID_WIDTH, len(str(n)))
    return [f"{prefix}-{i:0{width}d}" for i in range(1, n + 1)]


@dataclass(frozen=True)
class Places:
    """Zone-dependent draws for the people of one role."""

    zone: list[str]
    city: list[str]
    languages: list[tuple[str, ...]]
    first: list[str]
    last: list[str]


def places(
    rng: np.random.Generator, n: int, zones: tuple[str, ...], default_mix: bool, role: str
) -> Places:
    """Draw zone, city, languages and name for ``n`` people of one role."""
    profiles, name_pools = tables().zones, tables().names
    if default_mix:
        share = normalised([profiles[z].share for z in zones])
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
        profile = profiles.get(zone)
        if profile is None:
            place = zone.rsplit("/", 1)[-1].replace("_", " ")
            cities: tuple[tuple[str, float], ...] = ((place, 1.0),)
            mix: LanguageMix = ((("en",), 1.0),)
            pool = "intl"
        else:
            cities = profile.cities
            mix = profile.exec_languages if role == "executive" else profile.mentor_languages
            pool = profile.names
        table = np.empty(len(cities), dtype=object)
        table[:] = [c for c, _ in cities]
        city[members] = table[categorical(u[0, members], [w for _, w in cities])]
        table = np.empty(len(mix), dtype=object)
        table[:] = [langs for langs, _ in mix]
        languages[members] = table[categorical(u[1, members], [w for _, w in mix])]
        for out, names, draws in zip((first, last), name_pools[pool], u[2:], strict=True):
            table = np.empty(len(names), dtype=object)
            table[:] = names
            out[members] = table[below(draws[members], len(names))]
    return Places(
        zone=[zones[z] for z in zone_idx.tolist()],
        city=city.tolist(),
        languages=languages.tolist(),
        first=first.tolist(),
        last=last.tolist(),
    )


_ASCII = str.maketrans({"ß": "ss", "ı": "i", "ä": "ae", "ö": "oe", "ü": "ue", "'": "", " ": ""})


def emails(places: Places, taken: dict[str, int]) -> list[str]:
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


def topic_tables(rng: np.random.Generator, n_topic: int) -> tuple[FloatArray, FloatArray]:
    """Mean mentor expertise and executives' wish weights, per department and topic.

    Topics beyond the defaults get a seeded affinity per department, so that
    they too cluster by department. Executives wish most for what their own
    department is weakest in.
    """
    departments = tables().departments
    affinity = np.array([d.expertise for d in departments], dtype=np.float64)
    n_default = affinity.shape[1]
    if n_topic > n_default:
        extra = rng.uniform(1.0, 3.5, size=(len(departments), n_topic - n_default))
        affinity = np.hstack([affinity, extra])
    affinity = affinity[:, :n_topic]
    popularity = np.array(
        list(tables().topic_popularity)
        + [tables().extra_topic_popularity] * max(0, n_topic - n_default)
    )[:n_topic]
    wish = popularity[None, :] * np.exp(-0.4 * (affinity - affinity.mean()))
    return affinity, wish


def expertise_levels(
    rng: np.random.Generator, affinity: FloatArray, dept: IntArray, grade: IntArray
) -> IntArray:
    """Mentors' levels: department mean + personal aptitude + seniority + noise."""
    n, n_topic = dept.size, affinity.shape[1]
    aptitude = rng.normal(0.0, 0.6, size=(n, 1))
    noise = rng.normal(0.0, 1.0, size=(n, n_topic))
    raw = affinity[dept] + aptitude + 0.2 * (grade[:, None] - 3) + noise
    return np.clip(np.rint(raw), 0, 5).astype(np.int64)


def interest_levels(rng: np.random.Generator, wish: FloatArray, dept: IntArray) -> IntArray:
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


def level_dicts(levels: IntArray, topics: tuple[str, ...]) -> list[dict[str, int]]:
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


def wishes(
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
