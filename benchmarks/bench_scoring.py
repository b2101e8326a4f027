"""Scoring time and peak memory of the full compatibility model.

For each size, a synthetic 26-week program is compiled once; then, in the same
run, five things are timed (median of ``--repeat``) and their peak traced
memory taken with :mod:`tracemalloc` (numpy reports its buffers to it):

* ``bare topic``: the plain numpy baseline, ``interests @ expertise.T``;
* two floors, parts of the full model timed alone:

  - ``floor: sum of k components``: adding up the full model's ``k``
    weighted components when they are already computed, by the cheapest numpy
    route (one matrix-vector product over the stacked components, reading
    each once);
  - ``floor: shared time``: counting the DST-aware shared minutes of every
    pair of distinct availability patterns, as scoring does
    (:meth:`revmatch.availability.PatternCounter.counts` with ``mean=False``,
    before any table is spread over the people), which the minimum-time hard
    rule needs even with every soft component off;
* ``topic only``: ``rm.score`` with every component but ``topic`` switched off
  (the hard rules, including DST-aware overlap, still run);
* ``full model``: ``rm.score`` with the default weights (every component).

Ratios are against the bare topic product; memory is reported as a multiple
of one float64 (n_exec × n_mentor) array.

Usage::

    python benchmarks/bench_scoring.py [--repeat 3] [--sizes 1000x1000,2000x5000,5000x5000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import revmatch as rm
from revmatch._pipeline.compile import compile_program
from revmatch._pipeline.scoring import score_arrays
from revmatch.availability import PatternCounter

RESULTS = Path(__file__).resolve().parent / "results"


def measure(fn: Callable[[], Any], repeat: int) -> tuple[float, int]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak


def run(n_exec: int, n_mentor: int, repeat: int) -> list[dict[str, Any]]:
    program = rm.datasets.make_program(n_exec, n_mentor, seed=42, weeks=26)
    full = rm.MatchConfig()
    topic_only = rm.MatchConfig(weights={n: (1.0 if n == "topic" else 0.0) for n in rm.COMPONENTS})
    arrays = compile_program(program, full)
    one_array = n_exec * n_mentor * 8
    # The floors: what a numpy implementation of the full model cannot avoid.
    # Its components with a positive weight, already computed (random values
    # of the right shape), combined by the cheapest numpy route: one
    # matrix-vector product reading each component once.
    on = [name for name, w in full.weights.items() if w > 0]
    rng = np.random.default_rng(0)
    stacked = rng.random((len(on), n_exec * n_mentor))
    coefficients = np.array([full.weights[name] for name in on])
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("bare topic", lambda: arrays.interests @ arrays.expertise.T),
        (f"floor: sum of {len(on)} components", lambda: coefficients @ stacked),
        ("floor: shared time", lambda: PatternCounter(arrays.availability).counts(mean=False)),
        ("topic only", lambda: score_arrays(arrays, topic_only)),
        ("full model", lambda: score_arrays(arrays, full)),
    ]
    rows = []
    base = None
    for name, fn in cases:
        seconds, peak = measure(fn, repeat)
        base = base or seconds
        rows.append(
            {
                "size": f"{n_exec}x{n_mentor}",
                "case": name,
                "seconds": round(seconds, 4),
                "ratio_to_bare_topic": round(seconds / base, 2),
                "peak_mib": round(peak / 2**20, 1),
                "peak_in_float64_arrays": round(peak / one_array, 2),
            }
        )
        print(f"{n_exec}x{n_mentor} {name}: {seconds:.3f} s", file=sys.stderr)
    return rows


def to_markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| size | case | median s | ratio to bare topic | peak MiB | peak / one float64 array |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['size']} | {r['case']} | {r['seconds']:.4f} | {r['ratio_to_bare_topic']:.1f} | "
            f"{r['peak_mib']:.1f} | {r['peak_in_float64_arrays']:.2f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Scoring time and peak memory.")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="1000x1000,2000x5000,5000x5000")
    args = parser.parse_args(argv)
    rows: list[dict[str, Any]] = []
    for size in args.sizes.split(","):
        n_exec, n_mentor = (int(x) for x in size.split("x"))
        rows += run(n_exec, n_mentor, args.repeat)
    table = to_markdown(rows)
    print(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scoring.md").write_text(
        f"# Scoring: time and peak memory (26-week program, median of {args.repeat})\n\n{table}\n",
        encoding="utf-8",
    )
    (RESULTS / "scoring.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
