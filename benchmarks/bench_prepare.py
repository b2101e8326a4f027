"""The stages before the solver, against one raw scipy LSA call, and scoring under load.

For each size, ``rm.datasets.make_program(n_executives=N, n_mentors=M, seed=0)``
with the default ``MatchConfig`` goes through the pipeline's first stages as
``rm.match`` runs them (``prepare``: ``validate`` and ``compile``; then
``score``), and in the same process one raw
``scipy.optimize.linear_sum_assignment(scores.values, maximize=True)`` call is
timed on the very score matrix.  The ratio ``(validate + compile + score) /
LSA`` is the figure of issue 23 (target <= 0.5 at 1000 x 1000).  ``validate``
is that of a ``Program`` object, as ``rm.match(program)`` gets it.

Scoring under load: the same process times ``score`` alternately on a quiet
machine and while a separate process spins ``while True: pass`` on one core
(started and stopped by this script), with the BLAS library's default thread
count; the ratio busy / quiet is the second figure (target <= 2).

Both are measured for this tree ("after") and for the source tree of an
earlier commit ("before", default ``4d49d59``, extracted with ``git
archive``), each in fresh processes with ``PYTHONPATH`` set to its ``src``,
alternating the two trees round by round so that both see the same machine;
every figure is a median over rounds of per-round medians.

Usage::

    python benchmarks/bench_prepare.py [--quick] [--rounds 3] [--repeat 5] [--before 4d49d59]

The table is printed and saved to ``benchmarks/results/prepare.md`` and
``prepare.json``, with the machine's load average before and after the run
(a busy machine makes every figure, and the busy/quiet ratio, meaningless).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
SIZES = [(200, 300), (1000, 1000), (2000, 2000)]

WORKER = r"""
import json, statistics, subprocess, sys, time
n, m, repeat = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
import revmatch as rm
from scipy.optimize import linear_sum_assignment
from revmatch._pipeline.prepare import Clock, prepare
from revmatch._pipeline.score import score_dense

program = rm.datasets.make_program(n_executives=n, n_mentors=m, seed=0)


def stages():
    clock = Clock()
    prepared = prepare(program, None, clock=clock)
    scores = score_dense(prepared)
    t = time.perf_counter()
    linear_sum_assignment(scores.values, maximize=True)
    return {**clock.timings, "lsa": time.perf_counter() - t}, prepared


_, prepared = stages()  # warm-up: imports, zoneinfo and caches
runs = [stages()[0] for _ in range(repeat)]
out = {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def score_time():
    t = time.perf_counter()
    score_dense(prepared)
    return time.perf_counter() - t


quiet, busy = [], []
for _ in range(repeat):
    quiet.append(score_time())
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.3)  # let it take its core
        busy.append(score_time())
    finally:
        spinner.kill()
        spinner.wait()
out["score_quiet"] = statistics.median(quiet)
out["score_busy"] = statistics.median(busy)
print(json.dumps(out))
"""


def extract(rev: str, into: Path) -> Path:
    """The ``src`` tree of commit ``rev``, extracted under ``into``."""
    archive = subprocess.run(
        ["git", "archive", rev, "src"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def run(src: Path, n: int, m: int, repeat: int) -> dict[str, float]:
    """One fresh process of the worker on tree ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, "-c", WORKER, str(n), str(m), str(repeat)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one round of 3 repetitions")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--before", default="4d49d59", help="commit of the 'before' tree")
    args = parser.parse_args()
    rounds, repeat = (1, 3) if args.quick else (args.rounds, args.repeat)

    load_before = os.getloadavg()[0]
    keys = ["validate", "compile", "score", "lsa", "score_quiet", "score_busy"]
    table: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"before": extract(args.before, Path(tmp)), "after": ROOT / "src"}
        for n, m in SIZES:
            per: dict[str, list[dict[str, float]]] = {tag: [] for tag in trees}
            for r in range(rounds):
                # Alternate which tree goes first, so neither always follows the other.
                order = list(trees) if r % 2 == 0 else list(reversed(trees))
                for tag in order:
                    per[tag].append(run(trees[tag], n, m, repeat))
            table[f"{n}x{m}"] = {
                tag: {k: statistics.median(x[k] for x in runs) for k in keys}
                for tag, runs in per.items()
            }
            print(f"{n}x{m} done", file=sys.stderr)

    load = (load_before, os.getloadavg()[0])
    lines = [
        f"# Stages before the solver against one scipy LSA call (before = {args.before}, "
        f"after = this tree; medians of {rounds} round(s) x {repeat}"
        + (", --quick" if args.quick else "")
        + ")",
        "",
        f"Load average (1 min) of the machine ({os.cpu_count()} CPUs) at start and end: "
        f"{load[0]:.1f}, {load[1]:.1f}.",
        "",
        "`prep` = validate + compile + score of `make_program(N, M, seed=0)` with the default "
        "config (validate of a `Program` object, as `rm.match(program)` gets it); `LSA` = one "
        "`linear_sum_assignment(scores.values, maximize=True)` in the same process. "
        "Target: prep / LSA <= 0.5 at 1000x1000.",
        "",
        "| size | tree | validate s | compile s | score s | prep s | LSA s | prep / LSA |",
        "|---|---|---|---|---|---|---|---|",
    ]
    summary: dict[str, Any] = {
        "before": args.before,
        "rounds": rounds,
        "repeat": repeat,
        "quick": args.quick,
        "load_average": load,
    }
    for size, trees_ in table.items():
        for tag, d in trees_.items():
            prep = d["validate"] + d["compile"] + d["score"]
            d["prep"], d["prep_over_lsa"] = prep, prep / d["lsa"]
            d["busy_over_quiet"] = d["score_busy"] / d["score_quiet"]
            lines.append(
                f"| {size} | {tag} | {d['validate']:.4f} | {d['compile']:.4f} | "
                f"{d['score']:.4f} | {prep:.4f} | {d['lsa']:.4f} | {d['prep_over_lsa']:.2f} |"
            )
    lines += [
        "",
        "Scoring with one core kept busy by another process (`while True: pass`), BLAS at its "
        "default thread count. Target: busy / quiet <= 2.",
        "",
        "| size | tree | score quiet s | score busy s | busy / quiet |",
        "|---|---|---|---|---|",
    ]
    for size, trees_ in table.items():
        for tag, d in trees_.items():
            lines.append(
                f"| {size} | {tag} | {d['score_quiet']:.4f} | {d['score_busy']:.4f} | "
                f"{d['busy_over_quiet']:.2f} |"
            )
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "prepare.md").write_text(text, encoding="utf-8")
    summary["sizes"] = table
    (RESULTS / "prepare.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
