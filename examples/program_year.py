"""A year of a reverse-mentoring program, one call per event.

Round 1 is matched; an executive feels done and closes their pair; a mentor
changes jobs and an executive leaves the company; three executives join
mid-year and everyone is re-matched with least disruption; round 2 then
starts with no repeated pair and priority for those left unmatched. A
what-if sweep closes the year.

Run it with ``python examples/program_year.py``.
"""

from __future__ import annotations

import revmatch as rm
from revmatch.lifecycle import (
    close_pair,
    compare,
    next_round,
    rematch,
    rematch_changes,
    remove_people,
    sweep,
)


def heading(text: str) -> None:
    print(f"\n== {text}")


def main() -> None:
    config = rm.MatchConfig(switching_cost=0.05)
    program = rm.datasets.make_program(n_executives=40, n_mentors=60, seed=7)

    heading("Round 1")
    result = rm.match(program, config)
    print(result.summary())

    heading("An executive feels done: close their pair")
    done = result.pairs[0]
    result, program = close_pair(result, program, done.executive_id, "executive feels done")
    print(
        f"closed {done.executive_id}-{done.mentor_id}; mentor {done.mentor_id} has "
        f"{result.spare_capacity.get(done.mentor_id, 0)} free place(s); "
        f"history now holds {len(program.history)} pair(s)"
    )

    heading("Two drop-outs, three newcomers")
    mentor_leaver = result.pairs[0].mentor_id
    exec_leaver = result.pairs[1].executive_id
    program = remove_people(program, [mentor_leaver, exec_leaver])
    records = program.to_dict()["executives"][:3]
    newcomers = [
        rm.Executive.model_validate({**r, "id": f"e-new-{i}", "manager_id": None})
        for i, r in enumerate(records, 1)
    ]
    program = program.replace(executives=[*program.executives, *newcomers])
    print(f"mentor {mentor_leaver} and executive {exec_leaver} left; 3 executives joined")

    heading("Re-match with least disruption")
    before = result
    result = rematch(before, program, config)
    report = rematch_changes(result)
    print(report.table())
    limited = rematch(before, program, config, max_changes=0)
    print(
        f"with max_changes=0: {rematch_changes(limited).summary()} "
        f"({limited.audit['rematch']['optimality']})"
    )

    heading("Round 2: no repeats, priority for those left unmatched")
    program = next_round(result, program)
    round2 = rm.match(program, rm.MatchConfig(priority_bonus=0.1))
    print(f"priority: {', '.join(program.priority) or 'nobody'}")
    print(round2.summary())
    print(compare(result, round2).summary())

    heading("What if topic fit weighed more or less?")
    table = sweep(
        program, grid={"weights.topic": [0.3, 0.55, 0.8], "min_overlap_minutes": [45, 60]}
    )
    print(table.table())


if __name__ == "__main__":
    main()
