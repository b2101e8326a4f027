"""Weights learned from feedback: recovery of known weights as rated pairs grow.

``rm.datasets.make_feedback`` rates past pairs by known true weights
(``rm.datasets.TRUE_WEIGHTS``, outcomes mixed: half ratings, half
kept/closed early); ``rm.fit_weights`` learns them back. For each number
of rated pairs and several seeds the table shows:

``learned``
    Components the data can tell (mean over seeds): those on which at least
    10 rated pairs differ from the most common value. The others keep their
    current share, so every figure below is over the learned components,
    with fitted, true and default weights each scaled to sum to 1 over them.
``L1 fitted``
    L1 distance between the fitted and the true weights (0 is perfect, 2
    the most).
``L1 defaults``
    The same distance for ``DEFAULT_WEIGHTS``: the anchor, what keeping the
    defaults costs; ``ratio`` is fitted / defaults.
``CI mean``, ``CI max``
    Mean and largest width of the bootstrap 90% intervals of the weights.
``coverage``
    Share of (seed, component) intervals containing the true weight.
``usable``
    Share of fits that declare themselves usable.
``fit s``
    Median seconds of one ``fit_weights`` call (scoring the rated pairs,
    cross-validation, bootstrap), all in one run.

Usage::

    python benchmarks/bench_fit.py [--quick] [--seeds 5] [--bootstrap 200]

The table is printed and saved to ``benchmarks/results/fit.{md,json}``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

import revmatch as rm
from revmatch.datasets import TRUE_WEIGHTS, make_feedback

RESULTS = Path(__file__).resolve().parent / "results"
SIZES = (20, 50, 100, 200, 500, 1000, 2000)


def run(sizes: tuple[int, ...], seeds: int, n_bootstrap: int) -> list[dict[str, Any]]:
    truth = np.array([TRUE_WEIGHTS[c] for c in rm.COMPONENTS])
    defaults = np.array([rm.DEFAULT_WEIGHTS[c] for c in rm.COMPONENTS])
    rows = []
    for n in sizes:
        errors, default_errors, learned = [], [], []
        widths, largest, inside, usable, seconds = [], [], [], [], []
        for seed in range(seeds):
            program = make_feedback(n_rated=n, seed=1000 * seed + n)
            start = time.perf_counter()
            fit = rm.fit_weights(program, n_bootstrap=n_bootstrap, seed=seed)
            seconds.append(time.perf_counter() - start)
            # Compared on the components the data can tell (the others keep their
            # current share), each side scaled to sum to 1 over them.
            ok = np.array([c not in fit.unidentified for c in rm.COMPONENTS])
            rest = sum(fit.weights[c] for c, k in zip(rm.COMPONENTS, ok, strict=True) if k)
            got = np.array([fit.weights[c] for c in rm.COMPONENTS])[ok] / rest
            low = np.array([fit.ci_low[c] for c in rm.COMPONENTS])[ok] / rest
            high = np.array([fit.ci_high[c] for c in rm.COMPONENTS])[ok] / rest
            true = truth[ok] / truth[ok].sum()
            errors.append(float(np.abs(got - true).sum()))
            default_errors.append(float(np.abs(defaults[ok] / defaults[ok].sum() - true).sum()))
            learned.append(int(ok.sum()))
            widths.append(float((high - low).mean()))
            largest.append(float((high - low).max()))
            inside.extend(((low <= true) & (true <= high)).tolist())
            usable.append(fit.usable)
        l1_default = statistics.mean(default_errors)
        rows.append(
            {
                "n_rated": n,
                "seeds": seeds,
                "learned": round(statistics.mean(learned), 1),
                "l1_fitted": round(statistics.mean(errors), 4),
                "l1_defaults": round(l1_default, 4),
                "ratio": round(statistics.mean(errors) / l1_default, 3),
                "ci_mean": round(statistics.mean(widths), 4),
                "ci_max": round(statistics.mean(largest), 4),
                "coverage": round(float(np.mean(inside)), 3),
                "usable": round(float(np.mean(usable)), 2),
                "fit_seconds": round(statistics.median(seconds), 4),
            }
        )
        print(f"n={n}: done", file=sys.stderr)
    return rows


def table(rows: list[dict[str, Any]], n_bootstrap: int) -> str:
    lines = [
        f"# Weights learned from feedback ({rows[0]['seeds']} seeds per row, "
        f"{n_bootstrap} bootstrap resamples, 90% intervals)",
        "",
        "| rated pairs | learned | L1 fitted | L1 defaults | ratio | CI mean | CI max "
        "| coverage | usable | fit s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n_rated']} | {r['learned']:.1f} | {r['l1_fitted']:.3f} | "
            f"{r['l1_defaults']:.3f} | "
            f"{r['ratio']:.2f} | {r['ci_mean']:.3f} | {r['ci_max']:.3f} | "
            f"{r['coverage']:.2f} | {r['usable']:.2f} | {r['fit_seconds']:.3f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 seeds, 50 resamples")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--bootstrap", type=int, default=200)
    args = parser.parse_args(argv)
    seeds, n_bootstrap = (2, 50) if args.quick else (args.seeds, args.bootstrap)
    rows = run(SIZES, seeds, n_bootstrap)
    text = table(rows, n_bootstrap)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "fit.md").write_text(text, encoding="utf-8")
    payload = {
        "true_weights": dict(TRUE_WEIGHTS),
        "default_weights": dict(rm.DEFAULT_WEIGHTS),
        "n_bootstrap": n_bootstrap,
        "quick": args.quick,
        "rows": rows,
    }
    (RESULTS / "fit.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
