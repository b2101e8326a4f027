"""Small programs for the handout tests, and an availability oracle written from scratch."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import revmatch as rm

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def pair_program(
    exec_zone: str,
    exec_slots: Sequence[str | dict[str, Any]],
    mentor_zone: str,
    mentor_slots: Sequence[str | dict[str, Any]],
    start: date | None,
    end: date | None,
    **person: Any,
) -> rm.Program:
    """One executive and one mentor who share a topic and a language."""
    return rm.Program.model_validate(
        {
            "program": {"name": "DST pilot", "start": start, "end": end, "topics": ["digital"]},
            "executives": [
                {
                    "id": "e-1",
                    "name": "Erika Exec",
                    "email": "erika@example.com",
                    "timezone": exec_zone,
                    "availability": list(exec_slots),
                    "interests": {"digital": 5},
                    **person,
                }
            ],
            "mentors": [
                {
                    "id": "m-1",
                    "name": "Mats Mentor",
                    "email": "mats@example.com",
                    "timezone": mentor_zone,
                    "availability": list(mentor_slots),
                    "expertise": {"digital": 5},
                }
            ],
        }
    )


def available(
    person: rm.Executive | rm.Mentor, zone: str, begin: datetime, end: datetime, every: int
) -> bool:
    """Whether the person's wall clock shows a time inside a slot at every minute of [begin, end).

    Written without revmatch's time code: minute by minute with zoneinfo.
    """
    tz = ZoneInfo(zone)
    moment = begin
    while moment < end:
        local = moment.astimezone(tz)
        minute = local.hour * 60 + local.minute
        if not any(
            s.day == local.weekday() and s.start <= minute < s.end and s.every <= every
            for s in person.availability
        ):
            return False
        moment += timedelta(minutes=1)
    return True
