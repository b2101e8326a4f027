"""Quick start: match a synthetic program, look at the best pair and the unmatched.

This is the README's "In Python" example as a script::

    python examples/quickstart.py
"""

from __future__ import annotations

import revmatch as rm


def main() -> None:
    program = rm.datasets.make_program(n_executives=30, n_mentors=45, seed=7)
    config = rm.MatchConfig(min_overlap_minutes=60, weights={"topic": 0.6})
    result = rm.match(program, config)

    print(result.summary())
    best = max(result.pairs, key=lambda p: p.score)
    print(best.executive_id, best.mentor_id, round(best.score, 3), best.components["topic"])
    print(best.meeting.executive_local if best.meeting else "no shared slot")

    for person in result.unmatched[:3]:
        print(person.id, person.role, person.reason_codes, "-", person.hint)

    print(result.explain(best.executive_id, top_n=2))
    records = result.to_records()
    # Nothing lost: every executive is in the records, paired or not.
    assert len({r["executive_id"] for r in records if r["executive_id"]}) == 30


if __name__ == "__main__":
    main()
