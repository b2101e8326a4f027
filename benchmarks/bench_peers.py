"""revmatch next to the open-source mentor-matching tools, on the same problems.

Peers (installed from PyPI, each into its own throw-away virtual environment
under ``benchmarks/.peers/<name>/``, which git ignores):

``mentor-match`` 7.0.1
    Rules score every pair; one round of ``munkres.Munkres`` maximises the
    total score. Run twice: with munkres 3.0.0 (what ``pip install
    mentor-match`` resolves today) and with munkres 1.1.4, the pure-Python
    Hungarian algorithm it was released with.
``mentormatch`` 1.1
    Two-phase deferred acceptance; mentors prefer the mentees that ranked
    them higher. Pinned to pandas 1.5.3 and numpy 1.26.4, the last pandas 1.x
    line with Python 3.11 wheels (the package dates from 2020).
``matching`` 1.4.3
    ``HospitalResident``: executive-optimal stable matching with mentor
    capacities. Run as installed, and again with the recursion limit raised
    (variant ``deep``), because deep-copying its players overflows Python's
    default limit from a few hundred people on.

Every size is one synthetic program, ``rm.datasets.make_program(n_exec,
n_mentor, seed=42)``, scored once by revmatch with the default
``MatchConfig``. Each tool gets the same preferences in its own input
format: every executive's acceptable mentors with the pair's score. The
peers cannot express revmatch's model (DST-aware shared time, reporting
chains, languages...), so its result — scores and forbidden pairs — is the
common instance. revmatch runs on the same preferences with the rules
closest to each peer (``max_score`` for mentor-match, stable matchings for
the others), with its default exact solve, and end to end from the program
file (validation, scoring, rules, solve, meeting slots, explanations).

Every tool runs in a subprocess of its own environment (one subprocess per
run; ``benchmarks/peers/drive_*.py``), timed from parsed JSON to pairs. The
table reports the median seconds, the peak resident memory of the process
(``VmHWM``; base = after imports and loading the instance), executives
matched and the total score of the pairs, checked here against the
instance. A crash (e.g. ``RecursionError``) or a timeout is a result, not a
benchmark failure.

Usage::

    python benchmarks/bench_peers.py [--quick] [--repeat 5] [--timeout 600]
        [--sizes 50x50,500x500,1000x1000,1000x500c2] [--tools mentormatch,...]

``--quick`` runs each tool once with a 60 s timeout. A tool variant that
times out on one size is not run on the larger ones. The machine's load
average is recorded with the results: other work on the machine slows all
tools, so compare the ratios of one run, not seconds across runs. Results go
to ``benchmarks/results/peers.{md,json,png}``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import revmatch as rm

HERE = Path(__file__).resolve().parent
DRIVERS = HERE / "peers"
VENVS = HERE / ".peers"
RESULTS = HERE / "results"
SEED = 42


@dataclass(frozen=True)
class Peer:
    """A peer tool: where it lives, what it needs, how it is driven."""

    name: str
    label: str
    requirements: tuple[str, ...]
    driver: str
    variants: tuple[str, ...]
    revmatch_rules: str
    rules: str


PEERS: dict[str, Peer] = {
    p.name: p
    for p in (
        Peer(
            "mentor-match",
            "mentor-match 7.0.1 + munkres 3.0.0",
            ("mentor-match==7.0.1", "munkres==3.0.0"),
            "drive_mentor_match.py",
            ("default",),
            "max_score",
            "maximises the total score over a complete assignment (one Munkres round); "
            "revmatch: objective='max_score'",
        ),
        Peer(
            "mentor-match-munkres1",
            "mentor-match 7.0.1 + munkres 1.1.4",
            ("mentor-match==7.0.1", "munkres==1.1.4"),
            "drive_mentor_match.py",
            ("default",),
            "max_score",
            "as above, with the pure-Python Hungarian of munkres 1.x",
        ),
        Peer(
            "mentormatch",
            "mentormatch 1.1",
            ("mentormatch==1.1", "pandas==1.5.3", "numpy==1.26.4"),
            "drive_mentormatch.py",
            ("default",),
            "stable_rank",
            "deferred acceptance, mentors prefer executives that ranked them higher "
            "(ties: SHA-1 hash); revmatch: stable_match with the same mentor ranks "
            "(ties: index)",
        ),
        Peer(
            "matching",
            "matching 1.4.3",
            ("matching==1.4.3", "numpy==2.4.6"),
            "drive_matching.py",
            ("default", "deep"),
            "stable",
            "hospital-resident, executive-optimal stable matching, both sides rank by "
            "score; revmatch: stable_match (same preferences, same ties)",
        ),
    )
}

REVMATCH_VARIANTS: dict[str, str] = {
    "exact": "default: most executives, then largest total score (exact)",
    "max_score": "largest total score (exact)",
    "stable": "stable_match, both sides rank by score",
    "stable_rank": "stable_match, mentors rank by the executive's rank of them",
    "match": "end to end: read_program + match (validate, score, rules, solve, explain)",
}


@dataclass(frozen=True)
class Size:
    """One problem shape and the peers that run on it."""

    label: str
    n_exec: int
    n_mentor: int
    capacity: int
    peers: tuple[str, ...]


ALL_SIZES: dict[str, Size] = {
    s.label: s
    for s in (
        Size("50x50", 50, 50, 1, tuple(PEERS)),
        Size("500x500", 500, 500, 1, tuple(PEERS)),
        Size("1000x1000", 1000, 1000, 1, tuple(PEERS)),
        # mentor-match expresses capacity as rounds in which executives may
        # also get a second mentor, so it has no equivalent of this shape.
        Size("1000x500c2", 1000, 500, 2, ("mentormatch", "matching")),
    )
}


@dataclass
class Row:
    """All runs of one tool variant on one size."""

    size: str
    tool: str
    variant: str
    label: str
    seconds: list[float] = field(default_factory=list)
    peak_mib: float = 0.0
    base_mib: float = 0.0
    matched: int | None = None
    pairs: int | None = None
    total_score: float | None = None
    outcome: str = "ok"
    timed_out_after: float | None = None
    versions: dict[str, str] = field(default_factory=dict)

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "size": self.size,
            "tool": self.tool,
            "variant": self.variant,
            "label": self.label,
            "median_s": None if self.median is None else round(self.median, 4),
            "runs_s": [round(s, 4) for s in self.seconds],
            "peak_mib": round(self.peak_mib, 1),
            "base_mib": round(self.base_mib, 1),
            "matched_executives": self.matched,
            "pairs": self.pairs,
            "total_score": None if self.total_score is None else round(self.total_score, 4),
            "outcome": self.outcome,
            "timed_out_after_s": self.timed_out_after,
            "versions": self.versions,
        }


def ensure_venv(peer: Peer) -> Path | str:
    """Create or reuse the peer's environment; return its Python, or why it failed."""
    home = VENVS / peer.name
    python = home / "bin" / "python"
    stamp = home / ".requirements"
    wanted = "\n".join(peer.requirements)
    if python.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return python
    print(f"installing {peer.label} into {home.relative_to(HERE.parent)} ...", file=sys.stderr)
    home.parent.mkdir(parents=True, exist_ok=True)
    log = VENVS / f"{peer.name}.install.log"
    with log.open("w", encoding="utf-8") as out:
        steps = [
            [sys.executable, "-m", "venv", "--clear", str(home)],
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                *peer.requirements,
            ],
        ]
        for step in steps:
            if subprocess.run(step, stdout=out, stderr=subprocess.STDOUT, check=False).returncode:
                return f"install failed (see {log.relative_to(HERE.parent)})"
    stamp.write_text(wanted, encoding="utf-8")
    return python


def write_instance(size: Size, folder: Path) -> tuple[Path, dict[tuple[int, int], int]]:
    """Generate, score and write the size's program; return the instance and its scores."""
    program = rm.datasets.make_program(
        size.n_exec, size.n_mentor, seed=SEED, capacity=size.capacity
    )
    program_file = folder / f"program_{size.label}.json"
    program_file.write_text(json.dumps(program.to_dict()), encoding="utf-8")
    scores = rm.score(program)
    micro = np.rint(scores.values * 1e6).astype(np.int64)
    feasible = scores.feasible
    prefs: list[list[list[int]]] = []
    table: dict[tuple[int, int], int] = {}
    for i in range(size.n_exec):
        cols = np.flatnonzero(feasible[i])
        order = cols[np.lexsort((cols, -micro[i, cols]))]
        prefs.append([[int(j), int(micro[i, j])] for j in order])
        table.update({(i, int(j)): int(micro[i, j]) for j in order})
    capacity = {m.id: m.capacity for m in program.mentors}
    instance = {
        "executives": list(scores.executive_ids),
        "mentors": list(scores.mentor_ids),
        "capacities": [capacity[m] for m in scores.mentor_ids],
        "prefs": prefs,
        "program_file": str(program_file),
    }
    path = folder / f"instance_{size.label}.json"
    path.write_text(json.dumps(instance), encoding="utf-8")
    return path, table


def check_pairs(
    pairs: Sequence[Sequence[int]], table: dict[tuple[int, int], int], capacities: Sequence[int]
) -> tuple[int, float, str]:
    """Matched executives, total score, and what (if anything) breaks the instance's rules."""
    keys = [(int(i), int(j)) for i, j in pairs]
    problems = []
    if any(k not in table for k in keys):
        problems.append("a forbidden pair")
    execs = [i for i, _ in keys]
    if len(set(execs)) != len(execs):
        problems.append("an executive twice")
    load = np.bincount([j for _, j in keys], minlength=len(capacities)) if keys else np.zeros(1)
    if keys and (load > np.asarray(capacities)).any():
        problems.append("a mentor over capacity")
    total = sum(table.get(k, 0) for k in keys) / 1e6
    return len(set(execs)), total, ("invalid: " + ", ".join(problems)) if problems else "ok"


@dataclass
class Job:
    """One tool variant on one size: how to run it, and its row of results."""

    python: Path | str
    driver: str
    row: Row
    done: bool = False


def run_once(
    job: Job,
    instance: Path,
    *,
    timeout: float,
    single_above: float,
    table: dict[tuple[int, int], int],
    capacities: Sequence[int],
) -> None:
    """Run a job once in a fresh subprocess; mark it done when it should not run again."""
    row = job.row
    if isinstance(job.python, str):  # its environment could not be installed
        row.outcome, job.done = job.python, True
        return
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        cmd = [str(job.python), str(DRIVERS / job.driver), str(instance), str(out)]
        cmd += ["--variant", row.variant]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            row.outcome = f"timeout (> {timeout:.0f} s)"
            row.timed_out_after, job.done = timeout, True
            return
        if proc.returncode or not out.exists():
            tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            row.outcome, job.done = f"crash (exit {proc.returncode}): {tail[:120]}", True
            return
        result = json.loads(out.read_text(encoding="utf-8"))
    row.versions = result["versions"]
    row.base_mib = result["base_kib"] / 1024
    row.peak_mib = max(row.peak_mib, result["peak_kib"] / 1024)
    row.seconds.append(result["seconds"])
    if result["error"]:
        row.outcome, job.done = f"crash: {result['error']}", True
        return
    row.matched, row.total_score, row.outcome = check_pairs(result["pairs"], table, capacities)
    row.pairs = len(result["pairs"])
    # A tool that takes minutes runs once: its spread is small next to its time.
    job.done = result["seconds"] > single_above


def seconds_cell(row: Row) -> str:
    if row.timed_out_after is not None:
        return f"> {row.timed_out_after:.0f}"
    if row.median is None:
        return "—"
    return f"{row.median:.3f}" if row.median < 10 else f"{row.median:.1f}"


def speedup(peer: Row, ours: Row) -> str:
    """Peer seconds over revmatch seconds, with '>' for a peer that timed out."""
    if ours.median is None or ours.median <= 0:
        return "—"
    if peer.timed_out_after is not None:
        return f"> {peer.timed_out_after / ours.median:,.0f}×"
    if peer.median is None or peer.outcome != "ok":
        return "—"
    return f"{peer.median / ours.median:,.0f}×"


def matched_cell(row: Row) -> str:
    if row.outcome.startswith(("timeout", "crash")):
        short = row.outcome.split(":")[1].strip() if row.outcome.startswith("crash:") else ""
        return short.split(":")[0] or row.outcome.split(" ")[0]
    return str(row.matched)


def to_markdown(rows: list[Row], meta: dict[str, Any]) -> str:
    by_key = {(r.size, r.tool, r.variant): r for r in rows}
    lines = [
        "# revmatch next to mentor-matching peers",
        "",
        f"Run {meta['date']} on {meta['machine']}; load average {meta['load_start']} at the "
        f"start, {meta['load_end']} at the end; repeat {meta['repeat']}, timeout "
        f"{meta['timeout']:.0f} s per run. Seconds are medians, from parsed input to pairs.",
        "",
        "## Headline: each peer against revmatch on the same preferences",
        "",
        "| size | peer | peer s | matched | revmatch, same rules: s | matched | speed-up "
        "| revmatch exact: s | matched | speed-up |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size in meta["sizes"]:
        exact = by_key.get((size, "revmatch", "exact"))
        for name in ALL_SIZES[size].peers if size in ALL_SIZES else ():
            peer = PEERS[name]
            same = by_key.get((size, "revmatch", peer.revmatch_rules))
            for variant in peer.variants:
                row = by_key.get((size, name, variant))
                if row is None or same is None or exact is None:
                    continue
                label = peer.label + (" (recursion limit raised)" if variant == "deep" else "")
                lines.append(
                    f"| {size} | {label} | {seconds_cell(row)} | {matched_cell(row)} | "
                    f"{seconds_cell(same)} | {same.matched} | {speedup(row, same)} | "
                    f"{seconds_cell(exact)} | {exact.matched} | {speedup(row, exact)} |"
                )
    lines += [
        "",
        "## Every run",
        "",
        "| size | tool | rules | median s | runs | peak MiB | base MiB | matched | pairs "
        "| total score | outcome |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        score = "—" if r.total_score is None else f"{r.total_score:.3f}"
        lines.append(
            f"| {r.size} | {r.tool} | {r.label} | {seconds_cell(r)} | {len(r.seconds)} | "
            f"{r.peak_mib:.0f} | {r.base_mib:.0f} | {r.matched if r.matched is not None else '—'} "
            f"| {r.pairs if r.pairs is not None else '—'} | {score} | {r.outcome} |"
        )
    lines += ["", "## What each peer optimises, and the revmatch rules set to match it", ""]
    for peer in PEERS.values():
        lines.append(f"- **{peer.label}**: {peer.rules}.")
    lines += [
        "",
        "All tools get the same instance: `rm.datasets.make_program(n_exec, n_mentor, "
        "seed=42)`, scored once by revmatch (default `MatchConfig`); each executive lists its "
        "acceptable mentors with the pair score (in millionths). Matched and total score are "
        "recomputed from each tool's pairs against that instance. *revmatch exact* is "
        "`rm.solve` with its default objective (most executives first, then total score). "
        "Peak MiB is the process's peak resident memory (`VmHWM`); base MiB the same after "
        "imports and loading "
        "the instance (revmatch's base holds numpy, scipy and pydantic).",
        "",
        f"Versions: {meta['versions']}.",
        "",
    ]
    return "\n".join(lines)


def _plot_label(row: Row) -> str:
    if row.tool == "revmatch":
        return f"revmatch {row.variant}"
    return row.tool + (" (recursion limit raised)" if row.variant == "deep" else "")


def plot(rows: list[Row], path: Path) -> None:
    """Seconds against problem size (square sizes), one line per tool.

    revmatch is drawn solid, peers dashed; a timeout is drawn at the limit and
    labelled, a crash is a cross at the time it took to fail.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.8))
    square = [s for s in ALL_SIZES.values() if s.capacity == 1]
    series: dict[str, list[tuple[int, float, str]]] = {}
    for r in rows:
        size = ALL_SIZES.get(r.size)
        if size is None or size.capacity != 1 or (r.tool, r.variant) == ("revmatch", "max_score"):
            continue
        if r.timed_out_after is not None:
            point = (size.n_exec, r.timed_out_after, "timeout")
        elif r.median is not None:
            point = (size.n_exec, r.median, "crash" if r.outcome.startswith("crash") else "ok")
        else:
            continue
        series.setdefault(_plot_label(r), []).append(point)
    for label, points in sorted(series.items(), key=lambda kv: not kv[0].startswith("revmatch")):
        style = "-" if label.startswith("revmatch") else "--"
        xs = [x for x, _, status in points if status != "crash"]
        ys = [y for _, y, status in points if status != "crash"]
        (line,) = ax.plot(xs, ys, style, marker="o", label=label)
        for x, y, status in points:
            if status == "crash":
                ax.plot([x], [y], "x", color=line.get_color(), markersize=9)
            if status != "ok":
                ax.annotate(
                    status,
                    (x, y),
                    textcoords="offset points",
                    xytext=(5, 3),
                    fontsize=7,
                    color=line.get_color(),
                )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks([s.n_exec for s in square], [s.label for s in square])
    ax.minorticks_off()
    ax.set_xlabel("executives x mentors (capacity 1)")
    ax.set_ylabel("median seconds, log scale")
    ax.set_title("Same preferences, each tool in its own process")
    ax.legend(fontsize=7, loc="upper left", ncols=2)
    ax.grid(True, which="major", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def size_jobs(size: Size, peers: Sequence[Peer], pythons: Mapping[str, Path | str]) -> list[Job]:
    """The revmatch variants the size's peers need, then every peer variant."""
    needed = {"exact", "match", *(p.revmatch_rules for p in peers)}
    jobs = [
        Job(Path(sys.executable), "drive_revmatch.py", Row(size.label, "revmatch", v, label))
        for v, label in REVMATCH_VARIANTS.items()
        if v in needed
    ]
    for peer in peers:
        for variant in peer.variants:
            label = "as installed" if variant == "default" else "recursion limit raised"
            jobs.append(
                Job(pythons[peer.name], peer.driver, Row(size.label, peer.name, variant, label))
            )
    return jobs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run per tool, 60 s timeout")
    parser.add_argument("--repeat", type=int, default=5, help="runs per tool (median)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per run")
    parser.add_argument(
        "--single-above",
        type=float,
        default=30.0,
        help="a tool whose run takes longer than this runs once",
    )
    parser.add_argument("--sizes", default=",".join(ALL_SIZES), help="comma-separated sizes")
    parser.add_argument("--tools", default=",".join(PEERS), help="comma-separated peers")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.timeout = 1, 60.0
    sizes = [ALL_SIZES[s] for s in args.sizes.split(",")]
    wanted = set(args.tools.split(","))
    unknown = wanted - set(PEERS)
    if unknown:
        parser.error(f"unknown tools {sorted(unknown)}; known: {', '.join(PEERS)}")

    load_start = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    pythons: dict[str, Path | str] = {name: ensure_venv(PEERS[name]) for name in sorted(wanted)}
    rows: list[Row] = []
    # A tool variant that timed out on a smaller size is not run again on a
    # larger one (it has more work there): its row records the earlier timeout.
    timed_out: dict[tuple[str, str], tuple[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            instance, table = write_instance(size, Path(tmp))
            capacities = json.loads(instance.read_text(encoding="utf-8"))["capacities"]
            jobs = size_jobs(size, [PEERS[p] for p in size.peers if p in wanted], pythons)
            for job in jobs:
                earlier = timed_out.get((job.row.tool, job.row.variant))
                if earlier is not None:
                    job.row.outcome = f"timeout (> {earlier[1]:.0f} s at {earlier[0]}; not run)"
                    job.row.timed_out_after, job.done = earlier[1], True
            # Runs go round-robin over the tools, so that a burst of load from
            # elsewhere on the machine slows every tool alike.
            for _ in range(args.repeat):
                for job in jobs:
                    if not job.done:
                        run_once(
                            job,
                            instance,
                            timeout=args.timeout,
                            single_above=args.single_above,
                            table=table,
                            capacities=capacities,
                        )
            for job in jobs:
                row = job.row
                rows.append(row)
                if row.timed_out_after is not None:
                    timed_out.setdefault((row.tool, row.variant), (size.label, args.timeout))
                print(
                    f"{size.label:>10} {row.tool:<22} {row.variant:<11} "
                    f"{seconds_cell(row):>9} s matched {row.matched}  {row.outcome}",
                    file=sys.stderr,
                )
    versions: dict[str, str] = {}
    for r in rows:
        if r.versions:
            versions[r.tool] = ", ".join(f"{k} {v}" for k, v in r.versions.items())
    meta = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
        "load_start": load_start,
        "load_end": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "repeat": args.repeat,
        "timeout": args.timeout,
        "sizes": [s.label for s in sizes],
        "versions": "; ".join(f"{tool}: {v}" for tool, v in versions.items()),
    }
    text = to_markdown(rows, meta)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "peers.md").write_text(text, encoding="utf-8")
    (RESULTS / "peers.json").write_text(
        json.dumps({"meta": meta, "rows": [r.to_dict() for r in rows]}, indent=2) + "\n",
        encoding="utf-8",
    )
    plot(rows, RESULTS / "peers.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
