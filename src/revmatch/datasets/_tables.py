"""The built-in tables of the synthetic company, read once from ``data/*.json``.

``zones.json`` describes the people of each time zone (share, cities,
languages, name pool), ``names.json`` the name pools, ``departments.json``
the departments (shares, mentors' mean expertise per topic) and how popular
each topic is, ``calendars.json`` the weekly slot patterns people's calendars
follow. Each file says what its fields mean under ``"about"``. Shares are
relative weights, normalised on use.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["Department", "LanguageMix", "Pattern", "SlotKey", "Tables", "Zone", "tables"]

LanguageMix = tuple[tuple[tuple[str, ...], float], ...]
Pattern = tuple[tuple[int, str, str, int], ...]
SlotKey = tuple[int, int, int, int]


@dataclass(frozen=True)
class Zone:
    """What people in one time zone look like: cities, languages, names."""

    share: float
    cities: tuple[tuple[str, float], ...]
    exec_languages: LanguageMix
    mentor_languages: LanguageMix
    names: str


@dataclass(frozen=True)
class Department:
    """A department: its shares of executives and mentors, its mentors' mean expertise."""

    name: str
    exec_share: float
    mentor_share: float
    expertise: tuple[float, ...]


@dataclass(frozen=True)
class Tables:
    """Every built-in table, in the form the generator draws from.

    A calendar pattern is a tuple of weekly slots (weekday Mon = 0, start,
    end, every n weeks); ``template_keys`` holds the same slots with times
    as minutes of the day, and ``template_p`` the probability of each
    pattern (a group's share split evenly over its patterns).
    """

    zones: dict[str, Zone]
    names: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
    departments: tuple[Department, ...]
    topic_popularity: tuple[float, ...]
    extra_topic_popularity: float
    templates: tuple[Pattern, ...]
    template_p: NDArray[np.float64]
    template_keys: tuple[tuple[SlotKey, ...], ...]


def _read(name: str) -> Any:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)


def _mix(pairs: list[list[Any]]) -> LanguageMix:
    return tuple((tuple(langs), float(share)) for langs, share in pairs)


def _minute(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


@functools.cache
def tables() -> Tables:
    """Read the tables on first use; later calls return the same object."""
    zones = {
        key: Zone(
            share=float(z["share"]),
            cities=tuple((city, float(share)) for city, share in z["cities"]),
            exec_languages=_mix(z["executive_languages"]),
            mentor_languages=_mix(z["mentor_languages"]),
            names=z["names"],
        )
        for key, z in _read("zones.json")["zones"].items()
    }
    names = {
        key: (tuple(pool["first"]), tuple(pool["last"]))
        for key, pool in _read("names.json")["pools"].items()
    }
    # People in a zone without a built-in profile get names from every pool.
    names["intl"] = (
        tuple(n for pool in names.values() for n in pool[0]),
        tuple(n for pool in names.values() for n in pool[1]),
    )
    company = _read("departments.json")
    departments = tuple(
        Department(
            name=d["name"],
            exec_share=float(d["executives"]),
            mentor_share=float(d["mentors"]),
            expertise=tuple(float(v) for v in d["expertise"]),
        )
        for d in company["departments"]
    )
    groups = [
        (
            float(group["share"]),
            tuple(
                tuple((int(day), start, end, int(every)) for day, start, end, every in pattern)
                for pattern in group["patterns"]
            ),
        )
        for group in _read("calendars.json")["groups"]
    ]
    templates = tuple(p for _, patterns in groups for p in patterns)
    template_p = np.array([w / len(patterns) for w, patterns in groups for _ in patterns])
    template_p /= template_p.sum()
    template_p.flags.writeable = False
    return Tables(
        zones=zones,
        names=names,
        departments=departments,
        topic_popularity=tuple(float(v) for v in company["topic_popularity"]),
        extra_topic_popularity=float(company["extra_topic_popularity"]),
        templates=templates,
        template_p=template_p,
        template_keys=tuple(
            tuple((day, _minute(start), _minute(end), every) for day, start, end, every in p)
            for p in templates
        ),
    )
