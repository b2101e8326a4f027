"""Solve published assignment instances (OR-Library, DIMACS) with every fitting method.

Pass the instance files you have (nothing is downloaded)::

    python benchmarks/bench_instances.py path/to/assignp800.txt path/to/assign100.txt ...

For each file: the time to read it, then for each method the median seconds of
``solve(instance.weights, method=...)``, the cost found, and whether it
equals the published optimum (OR-Library's ``assign*`` and ``assignp*``,
matched by file name). Without arguments, a synthetic instance in the
``assignp`` form (5000 people, about 20 allowed jobs each, integer costs 1 to
100) is written to a temporary folder and used instead, so the script always
runs.

Results go to ``benchmarks/results/instances[_<tag>].{md,json}``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from revmatch.solvers import METHODS, read_assignment, solve

RESULTS = Path(__file__).resolve().parent / "results"

#: Published optima (minimum total cost) of Beasley's OR-Library instances.
OPTIMA = {
    "assign100": 305,
    "assign200": 475,
    "assign300": 626,
    "assign400": 804,
    "assign500": 991,
    "assign600": 1176,
    "assign700": 1362,
    "assign800": 1552,
    "assignp800": 2239,
    "assignp1500": 5839,
    "assignp3000": 18696,
    "assignp5000": 48533,
}
METHODS_TRIED = ["auto", "ortools", "sparse", "jv", "lapjv"]
#: Dense methods expand a sparse instance; skip them above this many cells.
DENSE_CELLS = 5000 * 5000


def synthetic(folder: Path, n: int = 5000, per_row: int = 20, seed: int = 42) -> Path:
    """An ``assignp``-form file: a random perfect matching plus random pairs."""
    rng = np.random.default_rng(seed)
    rows = np.concatenate([np.arange(n), rng.integers(0, n, n * (per_row - 1))])
    cols = np.concatenate([rng.permutation(n), rng.integers(0, n, n * (per_row - 1))])
    keys = np.unique(rows * n + cols)
    costs = rng.integers(1, 101, keys.size)
    lines = [
        f"{k // n + 1} {k % n + 1} {c}" for k, c in zip(keys.tolist(), costs.tolist(), strict=True)
    ]
    path = folder / f"synthetic_assignp{n}.txt"
    path.write_text(f"{n}\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(path: Path, repeat: int) -> list[dict[str, Any]]:
    start = time.perf_counter()
    instance = read_assignment(path)
    read_s = time.perf_counter() - start
    n, m = instance.shape
    pairs = n * m if isinstance(instance.costs, np.ndarray) else int(instance.costs.nnz)
    optimum = OPTIMA.get(path.stem)
    weights = instance.weights  # negated once, outside the timed calls
    rows = []
    for method in METHODS_TRIED:
        if method != "auto":
            info = METHODS[method]
            if not info.available() or (info.pair_solver is None and n * m > DENSE_CELLS):
                continue
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            result = solve(weights, method=method)
            times.append(time.perf_counter() - t)
        cost = instance.cost(result)
        rows.append(
            {
                "instance": path.name,
                "format": instance.format,
                "shape": f"{n}x{m}",
                "pairs": pairs,
                "read_s": round(read_s, 3),
                "method": method,
                "used": result.method,
                "seconds": round(statistics.median(times), 4),
                "matched": len(result),
                "cost": cost,
                "optimum": optimum,
                "equal": None if optimum is None else cost == optimum,
            }
        )
        print(f"{path.name} {method}: {rows[-1]['seconds']} s cost={cost}", file=sys.stderr)
    return rows


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| instance | format | shape | pairs | read s | method | used | median s | matched "
        "| cost | published optimum | equal |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        optimum = "-" if r["optimum"] is None else r["optimum"]
        equal = "-" if r["equal"] is None else ("yes" if r["equal"] else "no")
        lines.append(
            f"| {r['instance']} | {r['format']} | {r['shape']} | {r['pairs']} | {r['read_s']} "
            f"| {r['method']} | {r['used']} | {r['seconds']} | {r['matched']} | {r['cost']:g} "
            f"| {optimum} | {equal} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tag", default="")
    args = parser.parse_args(argv)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        files = args.files or [synthetic(Path(tmp))]
        for path in files:
            rows += run(path, args.repeat)
    table = markdown(rows)
    print(table)
    # Costs found by the exact methods must agree with one another.
    for name in {r["instance"] for r in rows}:
        costs = {r["cost"] for r in rows if r["instance"] == name}
        print(f"{name}: exact methods agree: {len(costs) == 1}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = "instances" + (f"_{args.tag}" if args.tag else "")
    (RESULTS / f"{stem}.md").write_text(
        f"# Published assignment instances (median of {args.repeat})\n\n{table}\n", encoding="utf-8"
    )
    (RESULTS / f"{stem}.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
