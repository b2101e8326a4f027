"""Cost of the availability engine: compile + weekly overlap, next to the assignment.

Two families of synthetic people over ten IANA zones (both hemispheres,
half-hour offsets, zones without DST) and a 26-week program crossing the
spring DST changes (2027-01-11 .. 2027-07-09):

- ``templated``: everyone's weekly slots are one of 36 templates, the way HR
  systems export office-hour patterns;
- ``unique``: everyone has their own 1-4 random slots (10% fortnightly).

For each size the script times :func:`compile_availability` and
:func:`weekly_overlap` for all pairs (median of ``--repeat`` runs), and, in
the same run, ``scipy.optimize.linear_sum_assignment`` on a score-like matrix
of the same shape (half topic fit, half shared time) as the anchor the
availability work must stay under.  The largest size is computed in row
blocks of ``--block`` executives, keeping only each block's best mean overlap
per executive, as a scoring pipeline at scale would; it has no anchor.

A second table times :func:`propose_meeting` per pair for 1000 pairs.

Usage::

    python benchmarks/bench_availability.py [--repeat 5] [--block 500]
        [--sizes 200x400,1000x1000,2000x2000,5000x50000] [--families templated,unique]

The tables are printed and saved to ``benchmarks/results/availability.{md,json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

import numpy as np
from scipy.optimize import linear_sum_assignment

from revmatch.availability import (
    Slot,
    compile_availability,
    propose_meeting,
    weekly_overlap,
)

RESULTS = Path(__file__).resolve().parent / "results"
ZONES = (
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
)
START, END = date(2027, 1, 11), date(2027, 7, 9)
N_TEMPLATES = 36
# Sizes above this many pairs are computed in row blocks and have no LSA anchor.
BLOCKWISE_PAIRS = 10_000_000

Person = tuple[str, list[Slot]]
T = TypeVar("T")


def random_slots(rng: np.random.Generator) -> list[Slot]:
    """1-4 weekday slots between 07:00 and 24:00, 30 min to 4 h, 10% fortnightly."""
    slots = []
    for _ in range(int(rng.integers(1, 5))):
        begin = int(rng.integers(28, 94))
        length = int(rng.integers(2, 17))
        slots.append(
            Slot(
                day=int(rng.integers(0, 5)),
                start=15 * begin,
                end=15 * min(begin + length, 96),
                every=1 if rng.random() < 0.9 else 2,
            )
        )
    return slots


def make_people(
    n: int, family: str, rng: np.random.Generator, templates: list[list[Slot]]
) -> list[Person]:
    zones = rng.integers(0, len(ZONES), size=n)
    if family == "templated":
        picks = rng.integers(0, len(templates), size=n)
        return [(ZONES[z], templates[t]) for z, t in zip(zones, picks, strict=True)]
    return [(ZONES[z], random_slots(rng)) for z in zones]


def median_time(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Median wall time of ``repeat`` calls, and the last result."""
    times = []
    for _ in range(repeat - 1):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    t = time.perf_counter()
    out = fn()
    times.append(time.perf_counter() - t)
    return statistics.median(times), out


def run(
    n_exec: int,
    n_mentor: int,
    family: str,
    repeat: int,
    block: int,
    rng: np.random.Generator,
    templates: list[list[Slot]],
) -> dict[str, object]:
    execs = make_people(n_exec, family, rng, templates)
    mentors = make_people(n_mentor, family, rng, templates)
    blockwise = n_exec * n_mentor > BLOCKWISE_PAIRS
    reps = 1 if blockwise else repeat

    t_compile, grids = median_time(
        lambda: compile_availability(execs, mentors, start=START, end=END), reps
    )

    if blockwise:

        def overlap() -> np.ndarray:
            best = np.empty(n_exec)
            for lo in range(0, n_exec, block):
                ov = weekly_overlap(grids, rows=slice(lo, lo + block))
                best[lo : lo + block] = ov.mean_minutes.max(axis=1)
            return best

        t_overlap, _ = median_time(overlap, reps)
        t_lsa = float("nan")
    else:
        t_overlap, ov = median_time(lambda: weekly_overlap(grids), reps)
        mean = ov.mean_minutes
        scores = 0.5 * rng.random((n_exec, n_mentor)) + 0.5 * np.minimum(mean / 120.0, 1.0)
        t_lsa, _ = median_time(lambda: linear_sum_assignment(scores, maximize=True), reps)
    total = t_compile + t_overlap
    return {
        "size": f"{n_exec}x{n_mentor}",
        "family": family,
        "exec_patterns": int(grids.exec_full.shape[0]),
        "mentor_patterns": int(grids.mentor_full.shape[0]),
        "week_classes": int(grids.week_counts.size),
        "weeks": grids.n_weeks,
        "compile_s": round(t_compile, 4),
        "overlap_s": round(t_overlap, 4),
        "total_s": round(total, 4),
        "lsa_s": None if np.isnan(t_lsa) else round(t_lsa, 4),
        "total_over_lsa": None if np.isnan(t_lsa) else round(total / t_lsa, 3),
        "blockwise": blockwise,
    }


def run_meetings(
    family: str, rng: np.random.Generator, templates: list[list[Slot]]
) -> dict[str, object]:
    """Time propose_meeting on 1000 pairs whose zones are at most 6 hours apart."""
    near = (
        "Europe/Berlin",
        "Europe/London",
        "America/New_York",
        "America/Sao_Paulo",
        "Asia/Kolkata",
    )
    execs = make_people(1000, family, rng, templates)
    mentors = make_people(1000, family, rng, templates)
    pairs = [
        ((near[i % 5], e[1]), (near[(i // 5) % 5], m[1]))
        for i, (e, m) in enumerate(zip(execs, mentors, strict=True))
    ]
    propose_meeting(*pairs[0], start=START, end=END)  # warm the per-zone caches
    t = time.perf_counter()
    found = sum(propose_meeting(e, m, start=START, end=END) is not None for e, m in pairs)
    elapsed = time.perf_counter() - t
    return {
        "family": family,
        "pairs": len(pairs),
        "with_meeting": found,
        "total_s": round(elapsed, 4),
        "per_pair_ms": round(1000 * elapsed / len(pairs), 3),
    }


def to_markdown(rows: list[dict[str, object]], meetings: list[dict[str, object]]) -> str:
    lines = [
        "| size | family | patterns (exec/mentor) | week classes | compile s | overlap s | "
        "compile+overlap s | LSA s | (compile+overlap) / LSA |",
        "|" + "---|" * 9,
    ]
    for r in rows:
        lsa = "n/a (row blocks)" if r["lsa_s"] is None else r["lsa_s"]
        ratio = "n/a" if r["total_over_lsa"] is None else r["total_over_lsa"]
        lines.append(
            f"| {r['size']} | {r['family']} | {r['exec_patterns']}/{r['mentor_patterns']} | "
            f"{r['week_classes']} ({r['weeks']} weeks) | {r['compile_s']} | {r['overlap_s']} | "
            f"{r['total_s']} | {lsa} | {ratio} |"
        )
    lines += [
        "",
        "| propose_meeting | pairs | with a meeting | total s | per pair ms |",
        "|---|---|---|---|---|",
    ]
    for m in meetings:
        lines.append(
            f"| {m['family']} | {m['pairs']} | {m['with_meeting']} | "
            f"{m['total_s']} | {m['per_pair_ms']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--block", type=int, default=500)
    parser.add_argument("--sizes", default="200x400,1000x1000,2000x2000,5000x50000")
    parser.add_argument("--families", default="templated,unique")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    rng = np.random.default_rng(42)
    templates = [random_slots(rng) for _ in range(N_TEMPLATES)]
    families = args.families.split(",")
    rows = []
    for size in args.sizes.split(","):
        n_exec, n_mentor = (int(v) for v in size.split("x"))
        for family in families:
            row = run(n_exec, n_mentor, family, args.repeat, args.block, rng, templates)
            rows.append(row)
            print(row, flush=True)
    meetings = [run_meetings(family, rng, templates) for family in families]
    # Timings on a shared machine are only comparable at similar load.
    load = f"1-minute load average {load_before:.2f} at start, {os.getloadavg()[0]:.2f} at end"
    table = to_markdown(rows, meetings) + f"\n{load} ({os.cpu_count()} CPUs).\n"
    print()
    print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "availability.md").write_text(
        "# Availability engine: compile + weekly overlap (median seconds)\n\n"
        f"26-week program {START}..{END}, {len(ZONES)} zones, {N_TEMPLATES} templates; "
        f"rows above {BLOCKWISE_PAIRS:,} pairs in blocks of {args.block} executives.\n\n" + table
    )
    (RESULTS / "availability.json").write_text(
        json.dumps(
            {
                "rows": rows,
                "meetings": meetings,
                "repeat": args.repeat,
                "block": args.block,
                "load": load,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
