"""Large programs: candidate mode stage by stage, auto vs top-k vs dense, many cohorts.

Families (all from ``rm.datasets.make_program``, 10 topics, 26-week
availability, seeds drawn from ``numpy.random.default_rng(42)``):

* **large** (before / after): ``rm.match`` in candidate mode
  (``MatchConfig(candidates=16)``) at 20,000 x 200,000, run once with the
  source tree of an earlier commit (``--before``, default 4d49d59: the tree
  the issue measured) and once with this tree, each in a fresh process
  (``PYTHONPATH`` set to the tree's ``src``), so that its peak RSS is its
  own. The table gives the seconds of every stage of
  ``result.audit["timings"]`` (compile, candidate walk, solve + certificate,
  explain), ``other`` (the rest of the call: the input digest of the audit
  record), the whole call, the time of ``result.to_json()`` afterwards
  (explanations computed on first use are paid there), the peak RSS, the
  certificate's work and whether both trees write the same JSON
  (``audit["timings"]`` aside). One run per tree: a run takes a few minutes
  on a shared machine.
* **grid** (before / after): ``rm.match`` at 500 x 500 to 4,000 x 4,000
  and one wide program, with ``candidates="auto"``, ``candidates=16`` and
  dense (``candidates=None``), each in a fresh process, medians of
  ``--rounds`` runs with the trees interleaved; ratios to dense of the same
  tree, and whether auto's pairs and objective equal dense's.
* **sweep**: candidate mode at 5,000 x 50,000 for several ``k``.
* **cohorts**: ``match_many`` over 300 cohorts of 50 x 80, serially and on
  a process pool of 2, with results keeping their score matrices and without.

The machine load (1-minute load average) is recorded before and after each
case: on a shared machine the times are noisy, so compare the two trees of
one run, not runs of different days.

Usage::

    python benchmarks/bench_scale.py [--quick] [--cases large,grid] [--rounds 1]
        [--before 4d49d59 | --before-src DIR/src]

``--quick`` runs small sizes (large case 2,000 x 20,000; grid 300 x 300 to
1,000 x 1,000; 60 cohorts). ``--cases large`` or ``--cases grid`` runs only
that part (default ``large,grid``; ``sweep`` and ``cohorts`` on request); the
tables of a partial run are merged into the saved results of the other
parts, in ``benchmarks/results/scale[_quick].{md,json}``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

import revmatch as rm
from revmatch.scale import DEFAULT_K, match_candidates, match_many

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
BEFORE = "4d49d59"
SEEDS = np.random.default_rng(42).integers(0, 2**31, size=1000).tolist()


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _peak_gb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2, 3)


def _program(n_exec: int, n_mentor: int, seed: int) -> rm.Program:
    return rm.datasets.make_program(n_exec, n_mentor, seed=seed, n_topics=10, weeks=26)


def large_case(n_exec: int, n_mentor: int, k: int) -> dict[str, Any]:
    """Candidate mode on one program, in the calling (fresh) process (the k sweep)."""
    load_before = _load()
    program = _program(n_exec, n_mentor, SEEDS[0])
    t = time.perf_counter()
    result = match_candidates(program, rm.MatchConfig(candidates=k))
    wall = time.perf_counter() - t
    timings = result.audit["timings"]
    cand = result.audit["candidates"]
    return {
        "size": f"{n_exec}x{n_mentor}",
        "k": k,
        "candidates_s": round(timings["candidates"], 2),
        "solve_s": round(timings["solve"], 2),
        "match_s": round(wall, 2),
        "peak_rss_gb": _peak_gb(),
        "rounds": cand["rounds"],
        "candidate_pairs": cand["candidate_pairs"],
        "widened": cand["widened_executives"],
        "certified": cand["certified"],
        "load_before": load_before,
        "load_after": _load(),
    }


# ------------------------------------------------- one tree in a fresh process

WORKER = r"""
import hashlib, json, resource, sys, time
import numpy as np
import revmatch as rm
n, m, mode, seed = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
program = rm.datasets.make_program(n, m, seed=seed, n_topics=10, weeks=26)
setting = None if mode == "dense" else ("auto" if mode == "auto" else int(mode))
config = rm.MatchConfig(candidates=setting)
t = time.perf_counter()
result = rm.match(program, config)
wall = time.perf_counter() - t
t = time.perf_counter()
text = result.to_json()
to_json = time.perf_counter() - t
data = json.loads(text)
data["audit"].pop("timings")
pairs = sorted((p.executive_id, p.mentor_id) for p in result.pairs)
print(json.dumps({
    "wall": wall,
    "to_json": to_json,
    "timings": result.audit["timings"],
    "candidates": result.audit.get("candidates"),
    "objective": result.audit["objective_value"],
    "pairs": len(pairs),
    "pairs_sha": hashlib.sha256(json.dumps(pairs).encode()).hexdigest()[:16],
    "json_sha": hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16],
    "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2,
}))
"""


def _run_tree(src: Path, n_exec: int, n_mentor: int, mode: str, seed: int) -> dict[str, Any]:
    """``rm.match`` with the revmatch of ``src`` in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    load_before = _load()
    out = subprocess.run(
        [sys.executable, "-c", WORKER, str(n_exec), str(n_mentor), mode, str(seed)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if out.returncode:
        raise RuntimeError(f"{src} {n_exec}x{n_mentor} {mode} failed:\n{out.stderr[-3000:]}")
    row: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    row["load_before"], row["load_after"] = load_before, _load()
    return row


def _before_tree(rev: str, into: Path) -> Path:
    """``git archive REV src`` extracted under ``into``; returns its ``src``."""
    archive = subprocess.run(
        ["git", "-C", str(HERE.parent), "archive", rev, "src"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def _stages(row: dict[str, Any]) -> dict[str, float]:
    timings = {k: v for k, v in row["timings"].items() if k != "total"}
    timings["other"] = row["wall"] - sum(timings.values())
    timings["match"] = row["wall"]
    timings["to_json"] = row["to_json"]
    return timings


def large_before_after(
    trees: dict[str, Path], n_exec: int, n_mentor: int, k: int
) -> dict[str, Any]:
    """The large case once per tree, the trees one after the other."""
    runs = {}
    for tag, src in trees.items():
        runs[tag] = _run_tree(src, n_exec, n_mentor, str(k), SEEDS[0])
        print(f"done large {tag}: {runs[tag]}", file=sys.stderr)
    return {"size": f"{n_exec}x{n_mentor}", "k": k, "runs": runs}


def grid(
    trees: dict[str, Path], sizes: list[tuple[int, int]], k: int, rounds: int
) -> list[dict[str, Any]]:
    """auto, top-k and dense per size and tree; medians of ``rounds``, trees interleaved."""
    out = []
    for n_exec, n_mentor in sizes:
        for mode in ("dense", "auto", str(k)):
            runs: dict[str, list[dict[str, Any]]] = {tag: [] for tag in trees}
            for _ in range(rounds):
                for tag, src in trees.items():
                    runs[tag].append(_run_tree(src, n_exec, n_mentor, mode, SEEDS[1]))
            row: dict[str, Any] = {"size": f"{n_exec}x{n_mentor}", "mode": mode}
            for tag, got in runs.items():
                row[tag] = {
                    "match_s": statistics.median(r["wall"] for r in got),
                    "peak_rss_gb": max(r["peak_rss_gb"] for r in got),
                    "objective": got[0]["objective"],
                    "pairs_sha": got[0]["pairs_sha"],
                    "path": (got[0]["candidates"] or {}).get("mode", "dense"),
                    "load": f"{got[0]['load_before']}/{got[-1]['load_after']}",
                }
            out.append(row)
            print(f"done grid {row}", file=sys.stderr)
    return out


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


# ------------------------------------------------------------------ tables


def _ratio(after: float, before: float) -> str:
    return f"{after / before:.2f}" if before else "n/a"


def _large_table(large: dict[str, Any]) -> list[str]:
    before, after = large["runs"]["before"], large["runs"]["after"]
    sb, sa = _stages(before), _stages(after)
    out = [
        f"Candidate mode (k = {large['k']}) at {large['size']}, one run per tree "
        "in fresh processes; `other` is the rest of the call (the input "
        "digest), `to_json` the serialisation afterwards.",
        "",
        "| stage | before s | after s | after / before |",
        "|---|---|---|---|",
    ]
    for stage in dict.fromkeys([*sb, *sa]):
        b, a = sb.get(stage, 0.0), sa.get(stage, 0.0)
        out.append(f"| {stage} | {b:.2f} | {a:.2f} | {_ratio(a, b)} |")
    out.append(
        f"| peak RSS GB | {before['peak_rss_gb']:.3f} | {after['peak_rss_gb']:.3f} | "
        f"{_ratio(after['peak_rss_gb'], before['peak_rss_gb'])} |"
    )
    for key in ("rounds", "candidate_pairs", "evaluated_pairs", "widened_executives"):
        b, a = before["candidates"][key], after["candidates"][key]
        out.append(f"| {key.replace('_', ' ')} | {b:,} | {a:,} | {_ratio(a, b)} |")
    out += [
        f"| certified | {before['candidates']['certified']} | "
        f"{after['candidates']['certified']} | |",
        f"| objective | {before['objective']} | {after['objective']} | |",
        f"| same JSON (timings aside) | | {_same_json(before, after)} | |",
        f"| load before/after | {before['load_before']}/{before['load_after']} | "
        f"{after['load_before']}/{after['load_after']} | |",
    ]
    return out


def _same_json(before: dict[str, Any], after: dict[str, Any]) -> str:
    if "json_sha" not in before or "json_sha" not in after:
        return "n/a"
    return "yes" if before["json_sha"] == after["json_sha"] else "NO"


def _grid_table(rows: list[dict[str, Any]], rounds: int) -> list[str]:
    out = [
        f"`rm.match` per size and `candidates` setting, medians of {rounds} run(s) in fresh "
        "processes, the trees interleaved; ratios to dense of the same tree. "
        "`auto = dense`: auto's pairs and objective equal dense's.",
        "",
        "| size | mode | before s | after s | after / before | before / dense | "
        "after / dense | after path | auto = dense | peak RSS GB after | load |",
        "|" + "---|" * 11,
    ]
    dense = {r["size"]: r for r in rows if r["mode"] == "dense"}
    for r in rows:
        d = dense.get(r["size"])
        b, a = r["before"]["match_s"], r["after"]["match_s"]
        same = ""
        if r["mode"] == "auto" and d is not None:
            same = str(
                r["after"]["pairs_sha"] == d["after"]["pairs_sha"]
                and r["after"]["objective"] == d["after"]["objective"]
            )
        to_dense_b = _ratio(b, d["before"]["match_s"]) if d else "n/a"
        to_dense_a = _ratio(a, d["after"]["match_s"]) if d else "n/a"
        mode = r["mode"] if r["mode"] in ("dense", "auto") else f"top-{r['mode']}"
        out.append(
            f"| {r['size']} | {mode} | {b:.2f} | {a:.2f} | {_ratio(a, b)} | {to_dense_b} | "
            f"{to_dense_a} | {r['after']['path']} | {same} | {r['after']['peak_rss_gb']:.3f} | "
            f"{r['after']['load']} |"
        )
    return out


def _sweep_table(rows: list[dict[str, Any]]) -> list[str]:
    out = [
        "| size | k | match s | candidates | solve + certificate | peak RSS GB | rounds | "
        "candidate pairs | widened | certified | load before/after |",
        "|" + "---|" * 11,
    ]
    for r in rows:
        out.append(
            f"| {r['size']} | {r['k']} | {r['match_s']} | {r['candidates_s']} | {r['solve_s']} | "
            f"{r['peak_rss_gb']} | {r['rounds']} | {r['candidate_pairs']:,} | {r['widened']} | "
            f"{r['certified']} | {r['load_before']}/{r['load_after']} |"
        )
    return out


def _cohorts_table(rows: list[dict[str, Any]]) -> list[str]:
    out = [
        "| cohorts | results keep scores | workers | chunksize | serial s | pool s | "
        "speedup | identical | load before/after |",
        "|" + "---|" * 9,
    ]
    for m in rows:
        out.append(
            f"| {m['cohorts']} | {m['scores']} | {m['workers']} | {m['chunksize']} | "
            f"{m['serial_s']} | {m['pool_s']} | {m['speedup']} | {m['identical']} | "
            f"{m['load_before']}/{m['load_after']} |"
        )
    return out


def _markdown(payload: dict[str, Any]) -> str:
    out: list[str] = []
    if payload.get("large"):
        out += ["## Candidate mode stage by stage, before / after", ""]
        out += [*_large_table(payload["large"]), ""]
    if payload.get("grid"):
        rounds = payload.get("grid_rounds", 1)
        out += ["## auto, top-k and dense, before / after", ""]
        out += [*_grid_table(payload["grid"], rounds), ""]
    if payload.get("sweep"):
        out += ["## k sweep", "", *_sweep_table(payload["sweep"]), ""]
    if payload.get("cohorts"):
        out += ["## Many cohorts", "", *_cohorts_table(payload["cohorts"]), ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--k", type=int, default=DEFAULT_K, help="candidates per executive")
    parser.add_argument("--rounds", type=int, default=1, help="runs per grid cell (median)")
    parser.add_argument("--before", default=BEFORE, help="commit of the 'before' tree")
    parser.add_argument("--before-src", type=Path, help="an extracted 'before' src directory")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunksize", type=int, default=10)
    parser.add_argument(
        "--cases",
        default="large,grid",
        help="comma-separated subset of: large, grid, sweep, cohorts",
    )
    args = parser.parse_args(argv)
    cases = set(args.cases.split(","))
    unknown = cases - {"large", "grid", "sweep", "cohorts"}
    if unknown:
        parser.error(f"unknown cases: {', '.join(sorted(unknown))}")
    if args.quick:
        large_size, n_cohorts, sweep_size = (2000, 20000), 60, 1000
        sizes = [(300, 300), (600, 600), (1000, 1000), (300, 3000)]
    else:
        large_size, n_cohorts, sweep_size = (20000, 200000), 300, 5000
        sizes = [(500, 500), (1000, 1000), (2000, 2000), (3000, 3000), (4000, 4000), (2000, 20000)]
    name = "scale_quick" if args.quick else "scale"
    saved = RESULTS / f"{name}.json"
    payload: dict[str, Any] = json.loads(saved.read_text()) if saved.exists() else {}
    # Tables of another layout (an earlier version of this script) are dropped.
    parts = ("large", "grid", "grid_rounds", "sweep", "cohorts")
    payload = {k: v for k, v in payload.items() if k in parts and payload.get("format") == 2}
    with tempfile.TemporaryDirectory() as tmp:
        before = args.before_src or _before_tree(args.before, Path(tmp))
        # A copy of this tree, so that every run of the 'after' side sees the
        # same code even if the working tree changes meanwhile.
        after = Path(tmp) / "after" / "src"
        shutil.copytree(HERE.parent / "src", after, ignore=shutil.ignore_patterns("__pycache__"))
        trees = {"before": before.resolve(), "after": after}
        if "large" in cases:
            payload["large"] = large_before_after(trees, *large_size, args.k)
        if "grid" in cases:
            payload["grid"] = grid(trees, sizes, args.k, args.rounds)
            payload["grid_rounds"] = args.rounds
    if "sweep" in cases:
        payload["sweep"] = [
            _in_child(large_case, sweep_size, 10 * sweep_size, k) for k in (4, 8, 16, 32)
        ]
    if "cohorts" in cases:
        payload["cohorts"] = [
            cohorts_case(n_cohorts, args.workers, args.chunksize, scores)
            for scores in (True, False)
        ]
    payload["cpus"], payload["format"] = os.cpu_count(), 2
    table = _markdown(payload)
    print(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    header = (
        f"# Large programs ({'quick' if args.quick else 'full'} run, {os.cpu_count()} CPUs, "
        f"times in seconds; before = {args.before_src or args.before})\n\n"
    )
    (RESULTS / f"{name}.md").write_text(header + table, encoding="utf-8")
    saved.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
