"""Large programs: candidate mode stage by stage, dense vs top-k, and many cohorts.

Families (all from ``rm.datasets.make_program``, 10 topics, 26-week
availability, seeds drawn from ``numpy.random.default_rng(42)``):

* **large**: candidate mode (``MatchConfig(candidates=k)``) end to end at
  5,000 x 50,000 and 20,000 x 200,000, with the time of every stage
  (compile, candidate walk, solve + certificate, explain, input digest), the
  peak RSS of the process and the certificate's work (rounds, candidate and
  evaluated pairs, executives widened). Building the program is timed apart.
* **k sweep**: the same at 5,000 x 50,000 for several ``k`` (how the default
  ``k`` was chosen).
* **dense vs top-k**: ``rm.match`` on the dense matrix next to candidate mode
  at 3,000 x 3,000 (one mentor per executive) and 2,000 x 20,000; the
  objective values must agree.
* **cohorts**: ``match_many`` over 300 cohorts of 50 x 80, serially and on a
  process pool of 2, with results keeping their score matrices and without;
  the results must be identical.

Every case runs in a fresh process (spawned), so its peak RSS is its own.
The machine load (1-minute load average) is recorded before and after each
case: on a shared machine the times are noisy.

Usage::

    python benchmarks/bench_scale.py [--quick] [--k 16] [--workers 2] [--cases large,dense]

``--quick`` runs small sizes (1,000 x 10,000 and 2,000 x 20,000; dense vs
top-k at 1,000 x 1,000 and 500 x 5,000; 60 cohorts). ``--cases`` runs a
subset. The tables are printed and saved to
``benchmarks/results/scale[_quick][_<cases>].{md,json}``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

import revmatch as rm
from revmatch.scale import DEFAULT_K, match_candidates, match_many

RESULTS = Path(__file__).resolve().parent / "results"
SEEDS = np.random.default_rng(42).integers(0, 2**31, size=1000).tolist()


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _peak_gb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2, 3)


def _program(n_exec: int, n_mentor: int, seed: int) -> rm.Program:
    return rm.datasets.make_program(n_exec, n_mentor, seed=seed, n_topics=10, weeks=26)


def large_case(n_exec: int, n_mentor: int, k: int) -> dict[str, Any]:
    """Candidate mode on one program, in the calling (fresh) process."""
    load_before = _load()
    t = time.perf_counter()
    program = _program(n_exec, n_mentor, SEEDS[0])
    build = time.perf_counter() - t
    t = time.perf_counter()
    result = match_candidates(program, rm.MatchConfig(candidates=k))
    wall = time.perf_counter() - t
    timings = result.audit["timings"]
    cand = result.audit["candidates"]
    return {
        "size": f"{n_exec}x{n_mentor}",
        "k": k,
        "build_s": round(build, 2),
        "compile_s": round(timings["compile"], 2),
        "candidates_s": round(timings["candidates"], 2),
        "solve_s": round(timings["solve"], 2),
        "explain_s": round(timings["explain"], 2),
        # Everything after the timings: the input digest of the audit record.
        "digest_s": round(wall - timings["total"], 2),
        "match_s": round(wall, 2),
        "peak_rss_gb": _peak_gb(),
        "certified": cand["certified"],
        "rounds": cand["rounds"],
        "candidate_pairs": cand["candidate_pairs"],
        "evaluated_pairs": cand["evaluated_pairs"],
        "bounded_pairs": cand["bounded_pairs"],
        "all_pairs": cand["all_pairs"],
        "widened": cand["widened_executives"],
        "pairs": len(result.pairs),
        "unmatched_executives": result.metrics["unmatched_executives"],
        "objective": result.audit["objective_value"],
        "graph_method": result.audit["method"],
        "load_before": load_before,
        "load_after": _load(),
    }


def dense_case(n_exec: int, n_mentor: int, k: int | None) -> dict[str, Any]:
    """``rm.match`` dense (``k=None``) or candidate mode, in a fresh process."""
    load_before = _load()
    program = _program(n_exec, n_mentor, SEEDS[1])
    t = time.perf_counter()
    if k is None:
        result = rm.match(program)
    else:
        result = match_candidates(program, rm.MatchConfig(candidates=k))
    wall = time.perf_counter() - t
    return {
        "size": f"{n_exec}x{n_mentor}",
        "mode": "dense" if k is None else f"top-{k}",
        "match_s": round(wall, 2),
        "peak_rss_gb": _peak_gb(),
        "objective": result.audit["objective_value"],
        "pairs": len(result.pairs),
        "load_before": load_before,
        "load_after": _load(),
    }


def _in_child(fn: Any, *args: Any) -> dict[str, Any]:
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        out: dict[str, Any] = pool.submit(fn, *args).result()
    return out


def _warm(seconds: float) -> int:
    """Import and run revmatch once, then hold the worker, so that every worker starts."""
    rm.match(rm.datasets.make_program(4, 6, seed=0))
    time.sleep(seconds)
    return os.getpid()


def _comparable(result: Any) -> Any:
    assert isinstance(result, rm.MatchResult), result
    audit = {k: v for k, v in result.audit.items() if k != "timings"}
    return result.pairs, result.unmatched, result.metrics, audit


def cohorts_case(n_cohorts: int, workers: int, chunksize: int, scores: bool) -> dict[str, Any]:
    cohorts = [_program(50, 80, SEEDS[2 + i]) for i in range(n_cohorts)]
    load_before = _load()
    t = time.perf_counter()
    serial = match_many(cohorts, scores=scores)
    serial_s = time.perf_counter() - t
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=spawn) as pool:
        # Start every worker first: process start-up is not part of matching.
        list(pool.map(_warm, [0.5] * workers))
        t = time.perf_counter()
        pooled = match_many(cohorts, executor=pool, chunksize=chunksize, scores=scores)
        pooled_s = time.perf_counter() - t
    same = [_comparable(r) for r in serial] == [_comparable(r) for r in pooled]
    return {
        "cohorts": f"{n_cohorts} x (50x80)",
        "scores": scores,
        "workers": workers,
        "chunksize": chunksize,
        "serial_s": round(serial_s, 2),
        "pool_s": round(pooled_s, 2),
        "speedup": round(serial_s / pooled_s, 2),
        "identical": same,
        "load_before": load_before,
        "load_after": _load(),
    }


def _markdown(
    large: list[dict[str, Any]], dense: list[dict[str, Any]], many: list[dict[str, Any]]
) -> str:
    out = [
        "| size | k | match s | compile | candidates | solve + certificate | explain | "
        "digest | peak RSS GB | rounds | candidate pairs | evaluated / all pairs | "
        "widened | certified | load before/after |",
        "|" + "---|" * 15,
    ]
    for r in large:
        out.append(
            f"| {r['size']} | {r['k']} | {r['match_s']} | {r['compile_s']} | "
            f"{r['candidates_s']} | {r['solve_s']} | {r['explain_s']} | {r['digest_s']} | "
            f"{r['peak_rss_gb']} | {r['rounds']} | {r['candidate_pairs']:,} | "
            f"{r['evaluated_pairs'] / r['all_pairs']:.2%} | {r['widened']} | "
            f"{r['certified']} | {r['load_before']}/{r['load_after']} |"
        )
    out += [
        "",
        "| size | mode | match s | peak RSS GB | objective | ratio to dense | load before/after |",
        "|" + "---|" * 7,
    ]
    anchors = {r["size"]: r for r in dense if r["mode"] == "dense"}
    for r in dense:
        anchor = anchors.get(r["size"])
        ratio = f"{r['match_s'] / anchor['match_s']:.2f}" if anchor else "n/a"
        out.append(
            f"| {r['size']} | {r['mode']} | {r['match_s']} | {r['peak_rss_gb']} | "
            f"{r['objective']} | {ratio} | {r['load_before']}/{r['load_after']} |"
        )
    if many:
        out += [
            "",
            "| cohorts | results keep scores | workers | chunksize | serial s | pool s | "
            "speedup | identical | load before/after |",
            "|" + "---|" * 9,
        ]
    for m in many:
        out.append(
            f"| {m['cohorts']} | {m['scores']} | {m['workers']} | {m['chunksize']} | "
            f"{m['serial_s']} | {m['pool_s']} | {m['speedup']} | {m['identical']} | "
            f"{m['load_before']}/{m['load_after']} |"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--k", type=int, default=DEFAULT_K, help="candidates per executive")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunksize", type=int, default=10)
    parser.add_argument(
        "--cases",
        default="large,sweep,dense,cohorts",
        help="comma-separated subset of: large, sweep, dense, cohorts",
    )
    args = parser.parse_args(argv)
    cases = set(args.cases.split(","))
    if args.quick:
        sizes, sweep_size, n_cohorts = [(1000, 10000), (2000, 20000)], None, 60
        dense_sizes = [(1000, 1000), (500, 5000)]
    else:
        sizes, sweep_size, n_cohorts = [(5000, 50000), (20000, 200000)], 5000, 300
        dense_sizes = [(3000, 3000), (2000, 20000)]
    large: list[dict[str, Any]] = []
    for n_exec, n_mentor in sizes if "large" in cases else []:
        large.append(_in_child(large_case, n_exec, n_mentor, args.k))
        print(f"done {n_exec}x{n_mentor}: {large[-1]}", file=sys.stderr)
    if sweep_size and "sweep" in cases:
        for k in (k for k in (4, 8, 16, 32) if k != args.k):
            large.append(_in_child(large_case, sweep_size, 10 * sweep_size, k))
            print(f"done k={k}: {large[-1]}", file=sys.stderr)
    dense = [
        _in_child(dense_case, n_exec, n_mentor, k)
        for n_exec, n_mentor in (dense_sizes if "dense" in cases else [])
        for k in (None, args.k)
    ]
    print(f"done dense vs top-k: {dense}", file=sys.stderr)
    many = [
        cohorts_case(n_cohorts, args.workers, args.chunksize, scores)
        for scores in ((True, False) if "cohorts" in cases else ())
    ]
    print(f"done cohorts: {many}", file=sys.stderr)
    table = _markdown(large, dense, many)
    print(table)
    name = "scale_quick" if args.quick else "scale"
    if cases != {"large", "sweep", "dense", "cohorts"}:
        name += "_" + "_".join(sorted(cases))
    RESULTS.mkdir(parents=True, exist_ok=True)
    header = (
        f"# Large programs ({'quick' if args.quick else 'full'} run, "
        f"{os.cpu_count()} CPUs, times in seconds)\n\n"
    )
    (RESULTS / f"{name}.md").write_text(header + table + "\n", encoding="utf-8")
    payload = {"cpus": os.cpu_count(), "large": large, "dense_vs_topk": dense, "cohorts": many}
    (RESULTS / f"{name}.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
