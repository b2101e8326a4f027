"""Run ``mentormatch`` (PyPI) on a benchmark instance.

mentormatch runs deferred acceptance in two phases. In the *preferred*
phase each mentee proposes to the mentors of its ``preferred_wwids`` list,
in list order; a mentor holds up to ``max_mentee_count`` proposals and
ranks mentees by a fixed chain of tests (location/gender wishes, position
level, years of experience, then *how high the mentee ranked this mentor*,
then how many mentors the mentee listed, then a SHA-1 hash). A *random*
phase then pairs leftover mentees who gave more than three location/gender
wishes with any mentor that passes its seniority rules (7+ more years,
higher level).

The instance enters as one application per person: each executive lists
all its acceptable mentors, best score first; everyone has the same
location, gender, level and years and gives no location/gender wishes. So
the preferred phase is deferred acceptance on the instance's acceptable
pairs with mentors preferring the executives that ranked them higher, and
the random phase pairs nobody (it would ignore the instance's rules).
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

from _protocol import Instance, Pairs, run_driver

# Imported before the timed region, as every tool's own modules are.
app: Any = importlib.import_module("mentormatch.api.app.app_main")

# Mentor wwids sit above every executive index, so no mentor shares a
# wwid with an executive (mentormatch forbids pairing a wwid with itself).
_MENTOR_WWID = 10_000_000


def _application(wwid: int) -> dict[str, Any]:
    return {
        "skills": [],
        "function": "Digital",
        "wwid": wwid,
        "first_name": "Ann",
        "last_name": "Lee",
        "position_level": 5,
        "years_total": 10,
        "location": "Munich",
        "gender": "female",
        "preference_yes": [],
        "preference_no": [],
        "preference_maybe": [],
    }


def solve(instance: Instance, variant: str) -> Pairs:
    mentors = []
    for j, capacity in enumerate(instance.capacities):
        record = _application(_MENTOR_WWID + j)
        record["max_mentee_count"] = capacity
        mentors.append(record)
    mentees = []
    for i, row in enumerate(instance.prefs):
        record = _application(i)
        record["favor"] = 0
        record["preferred_functions"] = []
        record["preferred_wwids"] = [_MENTOR_WWID + j for j, _ in row]
        mentees.append(record)
    summary = app.main(mentors, mentees)
    pairs = summary["pairs"]
    # The pairs table names people as "Last, First <wwid>".
    return [
        (int(mentee.rsplit(" ", 1)[1]), int(mentor.rsplit(" ", 1)[1]) - _MENTOR_WWID)
        for mentor, mentee in zip(pairs["mentor_str"], pairs["mentee_str"], strict=True)
    ]


if __name__ == "__main__":
    sys.exit(run_driver("mentormatch", ["mentormatch", "pandas", "numpy"], solve))
