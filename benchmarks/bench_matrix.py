"""Reporting chains of a matrix organisation: time to find every forbidden pair.

For each size a synthetic program (``rm.datasets.make_program``, seed 42) is
taken as it is (solid lines only) and with dotted lines added: a share of the
people (``--share``, default 20 %) get one or two dotted-line managers drawn
from the executives and org entries (``default_rng(42)``), which may point
down and close loops. In one run, side by side (median of ``--repeat``):

* ``before: solid lock-step``: the chain code before dotted lines, every
  mentor's single line walked upwards in lock-step (the anchor);
* ``now: solid``: :meth:`ReportingLines.chain_pairs` on the same program;
* ``now: dotted``: the same on the program with dotted lines (lock-step
  over every line, pairs met before dropped);
* ``now: skip level``: :meth:`ReportingLines.skip_level_pairs` (sparse
  products) on the program with dotted lines;
* ``plain walk, dotted``: a per-mentor breadth-first walk in plain Python
  over the same lines, what an unvectorised implementation would do;
* ``compile, dotted``: the whole ``compile_program`` of the dotted program,
  to show the chain's share of it.

The script checks that ``now: solid`` finds exactly the pairs of the anchor,
and ``now: dotted`` exactly those of the plain walk, before timing.

Usage::

    python benchmarks/bench_matrix.py [--quick] [--repeat 3] [--sizes 500x500,2000x2000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import revmatch as rm
from revmatch._pipeline.compile import compile_program
from revmatch._pipeline.lines import ReportingLines
from revmatch.models import reporting_lines

RESULTS = Path(__file__).resolve().parent / "results"


def seconds(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm-up: imports and caches are not what is measured
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def with_dotted_lines(program: rm.Program, share: float) -> rm.Program:
    """The program with dotted-line managers for a share of its people."""
    rng = np.random.default_rng(42)
    targets = [e.id for e in program.executives] + [o.id for o in program.org]

    def dotted(person: Any) -> Any:
        if rng.random() >= share:
            return person
        picks = rng.choice(len(targets), size=int(rng.integers(1, 3)), replace=False)
        ids = tuple(dict.fromkeys(targets[k] for k in picks if targets[k] != person.id))
        return person.model_copy(update={"secondary_manager_ids": ids})

    return program.replace(
        mentors=tuple(dotted(m) for m in program.mentors),
        executives=tuple(dotted(e) for e in program.executives),
    )


def legacy_chain(program: rm.Program) -> set[tuple[int, int]]:
    """The chain pairs as computed before dotted lines: one parent, lock-step walk."""
    executives = sorted(e.id for e in program.executives)
    mentors = sorted(m.id for m in program.mentors)
    manager = reporting_lines(program)
    nodes = list(manager.keys() | {m for m in manager.values() if m is not None})
    node_index = {n: i for i, n in enumerate(nodes)}
    parent = np.full(len(nodes), -1, dtype=np.intp)
    for node, boss in manager.items():
        if boss is not None:
            parent[node_index[node]] = node_index[boss]
    exec_row = np.full(len(nodes), -1, dtype=np.intp)
    for row, pid in enumerate(executives):
        exec_row[node_index[pid]] = row
    current = np.array([node_index[m] for m in mentors], dtype=np.intp)
    cols = np.arange(len(mentors), dtype=np.intp)
    found: set[tuple[int, int]] = set()
    while current.size:
        up = parent[current]
        alive = up >= 0
        current, cols = up[alive], cols[alive]
        rows = exec_row[current]
        hit = rows >= 0
        found.update(zip(rows[hit].tolist(), cols[hit].tolist(), strict=True))
    return found


def plain_walk(lines: ReportingLines, executives: list[str], mentors: list[str]) -> set[Any]:
    """Every mentor's lines walked breadth-first in plain Python."""
    row = {pid: i for i, pid in enumerate(executives)}
    found = set()
    for col, mentor in enumerate(mentors):
        seen = {lines.index[mentor]}
        todo = [lines.index[mentor]]
        while todo:
            node = todo.pop()
            for boss, _ in lines.managers(node):
                if boss not in seen:
                    seen.add(boss)
                    todo.append(boss)
                    if lines.ids[boss] in row:
                        found.add((row[lines.ids[boss]], col))
    return found


def run(n_exec: int, n_mentor: int, share: float, repeat: int) -> list[dict[str, Any]]:
    plain = rm.datasets.make_program(n_exec, n_mentor, seed=42, weeks=26)
    matrix = with_dotted_lines(plain, share)
    executives = sorted(e.id for e in plain.executives)
    mentors = sorted(m.id for m in plain.mentors)
    solid_lines, dotted_lines = ReportingLines.of(plain), ReportingLines.of(matrix)

    def pairs(found: tuple[Any, Any]) -> set[tuple[int, int]]:
        return set(zip(found[0].tolist(), found[1].tolist(), strict=True))

    solid_pairs = pairs(solid_lines.chain_pairs(executives, mentors))
    dotted_pairs = pairs(dotted_lines.chain_pairs(executives, mentors))
    if solid_pairs != legacy_chain(plain):
        raise SystemExit("solid chain pairs differ from the code before dotted lines")
    if dotted_pairs != plain_walk(dotted_lines, executives, mentors):
        raise SystemExit("dotted chain pairs differ from the plain walk")
    skip = dotted_lines.skip_level_pairs(executives, mentors)[0].size
    cases: list[tuple[str, int, Callable[[], Any]]] = [
        ("before: solid lock-step", len(solid_pairs), lambda: legacy_chain(plain)),
        (
            "now: solid",
            len(solid_pairs),
            lambda: ReportingLines.of(plain).chain_pairs(executives, mentors),
        ),
        (
            "now: dotted",
            len(dotted_pairs),
            lambda: ReportingLines.of(matrix).chain_pairs(executives, mentors),
        ),
        ("now: skip level", skip, lambda: dotted_lines.skip_level_pairs(executives, mentors)),
        (
            "plain walk, dotted",
            len(dotted_pairs),
            lambda: plain_walk(dotted_lines, executives, mentors),
        ),
        ("compile, dotted", len(dotted_pairs), lambda: compile_program(matrix)),
    ]
    rows: list[dict[str, Any]] = []
    base = None
    for name, n_pairs, fn in cases:
        took = seconds(fn, repeat)
        base = base or took
        rows.append(
            {
                "size": f"{n_exec}x{n_mentor}",
                "case": name,
                "pairs": n_pairs,
                "seconds": round(took, 4),
                "ratio_to_before": round(took / base, 2),
            }
        )
        print(f"{n_exec}x{n_mentor} {name}: {took:.4f} s", file=sys.stderr)
    return rows


def to_markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| size | case | pairs found | median s | ratio to before |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['size']} | {r['case']} | {r['pairs']} | {r['seconds']:.4f} | "
            f"{r['ratio_to_before']:.2f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Reporting chains with dotted lines.")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="500x500,2000x2000")
    parser.add_argument("--share", type=float, default=0.2)
    parser.add_argument("--quick", action="store_true", help="one small size, one repeat")
    args = parser.parse_args(argv)
    sizes, repeat = ("200x200", 1) if args.quick else (args.sizes, args.repeat)
    rows: list[dict[str, Any]] = []
    for size in sizes.split(","):
        n_exec, n_mentor = (int(x) for x in size.split("x"))
        rows += run(n_exec, n_mentor, args.share, repeat)
    table = to_markdown(rows)
    print(table)
    name = "matrix_quick" if args.quick else "matrix"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.md").write_text(
        f"# Reporting chains with dotted lines ({args.share:.0%} of people with one or two; "
        f"median of {repeat})\n\n{table}\n",
        encoding="utf-8",
    )
    (RESULTS / f"{name}.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
