"""Run ``mentor-match`` (PyPI; import name ``matching``) on a benchmark instance.

mentor-match scores every (mentor, mentee) pair with a list of rules, builds
the full matrix of ``Match`` objects, and solves one round with
``munkres.Munkres`` on the cost ``sys.maxsize - score``: it maximises the
total score over a complete assignment; pairs a ``Disqualify`` rule forbids
score 0 and are dropped after the solve (``Match.mark_successful``).

The instance's scores enter through its rule protocol (an object with
``apply`` and ``evaluate``), and the infeasible pairs through its own
``Disqualify`` rule; its two built-in rules (not the same person, not
already paired) stay on. One round, so every mentor takes at most one
mentee, as in the instance.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

from _protocol import Instance, Pairs, run_driver

# Imported before the timed region, as every tool's own modules are.
mentor_mod: Any = importlib.import_module("matching.mentor")
mentee_mod: Any = importlib.import_module("matching.mentee")
process: Any = importlib.import_module("matching.process")
rule: Any = importlib.import_module("matching.rules.rule")


class PairScore:
    """A mentor-match rule adding the instance's score of the pair."""

    def __init__(self, table: dict[tuple[str, str], int]) -> None:
        self.table = table

    def evaluate(self, match_object: Any) -> bool:
        return (match_object.mentee.email, match_object.mentor.email) in self.table

    def apply(self, match_object: Any) -> int:
        return self.table.get((match_object.mentee.email, match_object.mentor.email), 0)


def solve(instance: Instance, variant: str) -> Pairs:
    # Person equality is by e-mail, so the ids serve as unique addresses.
    mentors = [mentor_mod.Mentor(grade=1, email=m) for m in instance.mentors]
    mentees = [mentee_mod.Mentee(grade=1, email=e) for e in instance.executives]
    table = {
        (instance.executives[i], instance.mentors[j]): score
        for i, row in enumerate(instance.prefs)
        for j, score in row
    }
    rules = [
        rule.Disqualify(lambda m: (m.mentee.email, m.mentor.email) not in table),
        PairScore(table),
    ]
    process.process_data(mentors, mentees, [rules])
    exec_index = {e: i for i, e in enumerate(instance.executives)}
    mentor_index = {m: j for j, m in enumerate(instance.mentors)}
    return [
        (exec_index[mentee.email], mentor_index[mentor.email])
        for mentee in mentees
        for mentor in mentee.mentors
    ]


if __name__ == "__main__":
    sys.exit(run_driver("mentor-match", ["mentor-match", "munkres"], solve))
