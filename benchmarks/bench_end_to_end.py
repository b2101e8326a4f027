"""End-to-end cost of ``rm.match`` next to the raw assignment call.

For each size, a synthetic program from ``rm.datasets.make_program`` is
serialised to canonical data, then timed through every stage of
``rm.match`` (validation, compile, score, solve, explain). In the same run,
``scipy.optimize.linear_sum_assignment`` is timed on the same score matrix
(infeasible pairs set to 0, maximised): the bare solve that any hand-written
pipeline would pay anyway.

Usage::

    python benchmarks/bench_end_to_end.py [--repeat 3] [--sizes 200x400,1000x1000,2000x2000]

The table is printed and saved to ``benchmarks/results/end_to_end.{md,json}``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

import revmatch as rm

RESULTS = Path(__file__).resolve().parent / "results"


def run(n_exec: int, n_mentor: int, repeat: int) -> dict[str, float | int | str]:
    program = rm.datasets.make_program(n_exec, n_mentor, seed=42)
    data = program.to_dict()
    stages: dict[str, list[float]] = {
        k: [] for k in ("validate", "compile", "score", "solve", "explain", "total", "lsa")
    }
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        validated = rm.Program.model_validate(data)
        validate = time.perf_counter() - t
        result = rm.match(validated)
        timings = result.audit["timings"]
        stages["validate"].append(validate)
        for key in ("compile", "score", "solve", "explain"):
            stages[key].append(timings[key])
        stages["total"].append(validate + timings["total"])
        assert result.scores is not None
        weights = np.where(result.scores.feasible, result.scores.values, 0.0)
        t = time.perf_counter()
        linear_sum_assignment(weights, maximize=True)
        stages["lsa"].append(time.perf_counter() - t)
    med = {k: statistics.median(v) for k, v in stages.items()}
    assert result is not None
    prep = med["validate"] + med["compile"] + med["score"]
    return {
        "size": f"{n_exec}x{n_mentor}",
        "method": result.audit["method"],
        "matched": result.metrics["matched_executives"],
        **{f"{k}_s": round(v, 4) for k, v in med.items()},
        "total_over_lsa": round(med["total"] / med["lsa"], 2),
        "prep_over_lsa": round(prep / med["lsa"], 2),
        **{
            f"share_{k}": round(med[k] / med["total"], 3)
            for k in ("validate", "compile", "score", "solve", "explain")
        },
    }


def to_markdown(rows: list[dict[str, float | int | str]]) -> str:
    head = (
        "| size | method | matched | raw LSA s | match total s | total / LSA | "
        "validate+compile+score / LSA | validate | compile | score | solve | explain |"
    )
    lines = [head, "|" + "---|" * 12]
    for r in rows:
        lines.append(
            f"| {r['size']} | {r['method']} | {r['matched']} | {r['lsa_s']:.3f} | "
            f"{r['total_s']:.3f} | {r['total_over_lsa']:.2f} | {r['prep_over_lsa']:.2f} | "
            f"{r['share_validate']:.0%} | {r['share_compile']:.0%} | {r['share_score']:.0%} | "
            f"{r['share_solve']:.0%} | {r['share_explain']:.0%} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="200x400,1000x1000,2000x2000")
    args = parser.parse_args(argv)
    sizes = [tuple(int(x) for x in s.split("x")) for s in args.sizes.split(",")]
    rows = []
    for n_exec, n_mentor in sizes:
        rows.append(run(n_exec, n_mentor, args.repeat))
        print(f"done {n_exec}x{n_mentor}", file=sys.stderr)
    table = to_markdown(rows)
    print(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "end_to_end.md").write_text(
        "# rm.match end to end vs raw scipy LSA (median of "
        f"{args.repeat} runs; shares of match time)\n\n{table}\n",
        encoding="utf-8",
    )
    (RESULTS / "end_to_end.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
