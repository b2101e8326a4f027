"""What-if sweeps: ``sweep`` over many settings next to calling ``match`` per setting.

A synthetic program (``rm.datasets.make_program``, seed 42) is matched under
many settings drawn with ``numpy.random.default_rng(42)``, in two families:

``weights``
    Only the component weights change (Dirichlet draws over all eight
    components): the sweep computes every component once and per setting
    only the weighted sum and the solve.
``weights+rules``
    The weights and the rules change too (``min_overlap_minutes`` in
    30/45/60/90, ``require_shared_language`` on or off): eight distinct rule
    masks, each computed once.

Anchors, timed in the same run on the same settings:

``match``
    ``rm.match(program, config)`` per setting: the full job, with validation,
    compile, scoring, solve, meeting proposals and explanations.
``score+solve``
    ``rm.score`` then the solve per setting: what a hand-written loop that
    skips explanations would still pay.

Every anchored setting's metrics are compared with the sweep's record
(``metrics equal`` counts agreements). ``--baseline N`` times the anchors on
the first N settings only and scales them to all settings (the table says
so); the default times all of them.

Usage::

    python benchmarks/bench_sweep.py [--settings 1000] [--size 200x400] [--baseline N]

The table is printed and saved to ``benchmarks/results/sweep.{md,json}``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

import revmatch as rm
from revmatch._pipeline.assign import solve_scores
from revmatch.lifecycle import sweep

RESULTS = Path(__file__).resolve().parent / "results"
METRICS = ("n_pairs", "coverage", "score_mean", "score_min", "score_p10")


def settings(family: str, n: int, rng: np.random.Generator) -> list[rm.MatchConfig]:
    names = list(rm.COMPONENTS)
    draws = rng.dirichlet(np.ones(len(names)), size=n)
    out = []
    for row in draws:
        changes: dict[str, Any] = {"weights": dict(zip(names, row.round(4).tolist(), strict=True))}
        if family == "weights+rules":
            changes["min_overlap_minutes"] = int(rng.choice([30, 45, 60, 90]))
            changes["require_shared_language"] = bool(rng.integers(2))
        out.append(rm.MatchConfig(**changes))
    return out


def run(
    program: rm.Program, family: str, configs: list[rm.MatchConfig], baseline: int
) -> dict[str, Any]:
    t = time.perf_counter()
    table = sweep(program, configs)
    sweep_s = time.perf_counter() - t

    anchored = configs[:baseline]
    t = time.perf_counter()
    results = [rm.match(program, config) for config in anchored]
    match_s = time.perf_counter() - t
    t = time.perf_counter()
    for config in anchored:
        solve_scores(rm.score(program, config))
    score_solve_s = time.perf_counter() - t

    equal = sum(
        all(record[k] == result.metrics[k] for k in METRICS)
        and record["objective_value"] == result.audit["objective_value"]
        for record, result in zip(table.records, results, strict=False)
    )
    scale = len(configs) / len(anchored)
    return {
        "family": family,
        "size": f"{len(program.executives)}x{len(program.mentors)}",
        "settings": len(configs),
        "anchored": len(anchored),
        "sweep_s": round(sweep_s, 3),
        "sweep_prepare_s": table.timings["prepare"],
        "sweep_solve_s": table.timings["solve"],
        "sweep_ms_per_setting": round(1000 * sweep_s / len(configs), 3),
        "match_ms_per_setting": round(1000 * match_s / len(anchored), 3),
        "match_all_s": round(match_s * scale, 3),
        "score_solve_ms_per_setting": round(1000 * score_solve_s / len(anchored), 3),
        "score_solve_all_s": round(score_solve_s * scale, 3),
        "speedup_vs_match": round(match_s * scale / sweep_s, 1),
        "speedup_vs_score_solve": round(score_solve_s * scale / sweep_s, 1),
        "solve_share_of_sweep": round(table.timings["solve"] / sweep_s, 3),
        "metrics_equal": f"{equal}/{len(anchored)}",
    }


def to_markdown(rows: list[dict[str, Any]]) -> str:
    head = (
        "| family | size | settings | sweep s | sweep ms/setting | solve share | "
        "match ms/setting | match x settings s | speed-up vs match | "
        "score+solve ms/setting | speed-up vs score+solve | metrics equal |"
    )
    lines = [head, "|" + "---|" * 12]
    for r in rows:
        measured = "" if r["anchored"] == r["settings"] else f" (from {r['anchored']})"
        lines.append(
            f"| {r['family']} | {r['size']} | {r['settings']} | {r['sweep_s']:.1f} | "
            f"{r['sweep_ms_per_setting']:.1f} | {r['solve_share_of_sweep']:.0%} | "
            f"{r['match_ms_per_setting']:.0f} | {r['match_all_s']:.0f}{measured} | "
            f"{r['speedup_vs_match']:.1f}x | {r['score_solve_ms_per_setting']:.0f} | "
            f"{r['speedup_vs_score_solve']:.1f}x | {r['metrics_equal']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", type=int, default=1000)
    parser.add_argument("--size", default="200x400")
    parser.add_argument(
        "--baseline", type=int, default=None, help="anchor on the first N settings (default: all)"
    )
    parser.add_argument("--families", default="weights,weights+rules")
    args = parser.parse_args(argv)
    n_exec, n_mentor = (int(x) for x in args.size.split("x"))
    program = rm.datasets.make_program(n_exec, n_mentor, seed=42)
    rng = np.random.default_rng(42)
    baseline = args.settings if args.baseline is None else min(args.baseline, args.settings)
    rows = []
    for family in args.families.split(","):
        configs = settings(family, args.settings, rng)
        rows.append(run(program, family, configs, baseline))
        print(f"done {family}", file=sys.stderr)
    table = to_markdown(rows)
    print(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "sweep.md").write_text(
        f"# rm.sweep vs rm.match per setting ({args.settings} settings, {args.size})\n\n{table}\n",
        encoding="utf-8",
    )
    (RESULTS / "sweep.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
