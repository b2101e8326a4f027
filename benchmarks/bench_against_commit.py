"""``rm.match`` stage by stage, an earlier source tree against this one, interleaved.

Each size is timed in fresh processes, alternating the two trees, so both see
the same machine state; the table gives medians of the best-of-3 runs and the
ratio. Make the earlier tree with ``git archive REV | tar -x -C DIR``.

Usage::

    python benchmarks/bench_against_commit.py OLD_TREE/src [--rounds 3]

The table is printed and saved to ``benchmarks/results/against_commit.md``.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
parser = argparse.ArgumentParser()
parser.add_argument("old_src")
parser.add_argument("--rounds", type=int, default=3)
args = parser.parse_args()
CODE = r"""
import sys, time, json
sys.path.insert(0, sys.argv[1])
import revmatch as rm
n, m = int(sys.argv[2]), int(sys.argv[3])
p = rm.datasets.make_program(n, m, seed=42)
d = p.to_dict()
rm.match(d)
best = None
for _ in range(3):
    t = time.perf_counter(); r = rm.match(d); dt = time.perf_counter() - t
    if best is None or dt < best[0]:
        best = (dt, dict(r.audit["timings"]))
print(json.dumps({"total": best[0], **best[1]}))
"""
py = sys.executable
rows = []
for n, m in [(200, 400), (1000, 1000)]:
    res = {"old": [], "new": []}
    for _ in range(args.rounds):
        for tag, src in (("old", args.old_src), ("new", str(HERE.parent / "src"))):
            out = subprocess.run(
                [py, "-c", CODE, src, str(n), str(m)],
                capture_output=True,
                text=True,
                env={**os.environ, "OPENBLAS_NUM_THREADS": "1"},
                check=True,
            )
            res[tag].append(json.loads(out.stdout.strip().splitlines()[-1]))

    keys = ["total", "validate", "compile", "score", "solve", "explain"]
    medians = {
        k: tuple(statistics.median(r.get(k, 0.0) for r in res[tag]) for tag in ("old", "new"))
        for k in keys
    }
    rows.append((f"{n}x{m}", medians))
lines = ["| size | stage | before s | after s | after / before |", "|---|---|---|---|---|"]
for size, d in rows:
    for k, (a, b) in d.items():
        lines.append(f"| {size} | {k} | {a:.3f} | {b:.3f} | {b / a if a else float('nan'):.2f} |")
print("\n".join(lines))
(HERE / "results" / "against_commit.md").write_text(
    "# rm.match stage times against an earlier tree (medians of best-of-3, one BLAS thread)\n\n"
    + "\n".join(lines)
    + "\n",
    encoding="utf-8",
)
