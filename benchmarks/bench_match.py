"""The whole ``rm.match`` call, stage by stage, before and after deferring explanations.

Each size is ``rm.match(rm.datasets.make_program(n_executives=N, n_mentors=M,
seed=0))``: a fresh program per call, so nothing is cached between calls.
Two source trees run it, each in fresh subprocesses, alternating, so both see
the same machine state:

``before``
    the tree at commit ``4d49d59`` (``git archive 4d49d59 src``), before pair
    details, meetings and fixes were deferred and the input digest was
    written column by column;
``after``
    this checkout's ``src``.

Per run the subprocess warms up once, then times ``--calls`` calls; the
table gives the median over runs of each run's median seconds per stage
(``audit["timings"]``) and of the wall time of the call, and the ratio
after / before. ``explain`` is the work done inside ``match``; what a result
computes on first use is not in it, so the table also gives ``to_json``: the
seconds to serialise the fresh result, which computes every deferred value
(and, before, only writes the JSON). Each run checks that both trees write the
same JSON (timings aside; keys that only one tree has, from other changes
since ``4d49d59``, are left out and listed).

At 1000 x 1000 mentor-match 7.0.1 (one round of ``munkres.Munkres``; its
environment is made under ``benchmarks/.peers`` as
``benchmarks/bench_peers.py`` makes it) runs in the same session on the
instance ``bench_peers.py`` writes (seed 42), driven by
``benchmarks/peers/drive_mentor_match.py``; revmatch's whole ``match`` of
that program (after tree, fresh process) is timed beside it.

Usage::

    python benchmarks/bench_match.py [--quick] [--rounds 5] [--calls 5]
        [--sizes 200x300,1000x1000,2000x2000] [--no-peer] [--after SRC]

``--quick`` runs 2 rounds of 3 calls and skips 2000 x 2000. Results go to
``benchmarks/results/match.{md,json}`` (``match_quick.*`` with ``--quick``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
BEFORE = "4d49d59"
STAGES = ("validate", "compile", "score", "solve", "explain", "total")

CODE = r"""
import hashlib, json, statistics, sys, time
sys.path.insert(0, sys.argv[1])
import revmatch as rm
n, m, calls, seed = (int(x) for x in sys.argv[2:6])
rm.match(rm.datasets.make_program(n_executives=n, n_mentors=m, seed=seed))
runs = []
for _ in range(calls):
    program = rm.datasets.make_program(n_executives=n, n_mentors=m, seed=seed)
    t = time.perf_counter()
    result = rm.match(program)
    wall = time.perf_counter() - t
    t = time.perf_counter()
    text = result.to_json()
    runs.append({**result.audit["timings"], "wall": wall, "to_json": time.perf_counter() - t})
data = json.loads(text)
data["audit"].pop("timings")
out = {k: statistics.median(r.get(k, 0.0) for r in runs) for k in runs[0]}
print(json.dumps({"medians": out, "result": data}))
"""


def extract_before(folder: Path) -> Path:
    """``git archive BEFORE src`` into ``folder``; return its ``src``."""
    archive = folder / "before.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "-C", str(ROOT), "archive", BEFORE, "src"], stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    return folder / "src"


def run_tree(src: Path, n: int, m: int, calls: int, seed: int = 0) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", CODE, str(src), str(n), str(m), str(calls), str(seed)],
        capture_output=True,
        text=True,
        check=True,
    )
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


def common(a: dict[str, Any], b: dict[str, Any], where: str, dropped: set[str]) -> None:
    """Leave out of ``a`` and ``b`` (in place) the keys only one of them has, at ``where``."""
    for key in set(a) ^ set(b):
        dropped.add(f"{where}.{key}")
        a.pop(key, None)
        b.pop(key, None)


def same_json(before: dict[str, Any], after: dict[str, Any], dropped: set[str]) -> bool:
    """Whether both trees wrote the same result, keys that only one tree knows aside."""
    common(before["metrics"], after["metrics"], "metrics", dropped)
    common(before["audit"], after["audit"], "audit", dropped)
    common(before["audit"]["config"], after["audit"]["config"], "audit.config", dropped)

    def digest(d: dict[str, Any]) -> str:
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()

    return digest(before) == digest(after)


def peer_ratio(after: Path, calls: int, rounds: int) -> dict[str, Any]:
    """mentor-match 7.0.1's one round and revmatch's whole match, 1000 x 1000, same session."""
    sys.path.insert(0, str(HERE))
    import bench_peers as peers

    size = peers.Size("1000x1000", 1000, 1000, 1, ("mentor-match",))
    peer = peers.PEERS["mentor-match"]
    python = peers.ensure_venv(peer)
    row = peers.Row(size.label, peer.name, "default", peer.label)
    ours: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        instance, table = peers.write_instance(size, Path(tmp))
        capacities = json.loads(instance.read_text(encoding="utf-8"))["capacities"]
        job = peers.Job(python, peer.driver, row)
        for _ in range(rounds):
            if not job.done:
                peers.run_once(
                    job,
                    instance,
                    timeout=900.0,
                    single_above=float("inf"),
                    table=table,
                    capacities=capacities,
                )
            ours.append(run_tree(after, 1000, 1000, calls, seed=peers.SEED)["medians"]["wall"])
    mine = statistics.median(ours)
    return {
        "peer": peer.label,
        "peer_seconds": row.median,
        "peer_outcome": row.outcome,
        "peer_matched": row.matched,
        "revmatch_seconds": mine,
        "ratio": None if row.median is None else row.median / mine,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 rounds of 3 calls, no 2000x2000")
    parser.add_argument("--rounds", type=int, default=5, help="fresh processes per tree and size")
    parser.add_argument("--calls", type=int, default=5, help="timed calls per process")
    parser.add_argument("--sizes", default="200x300,1000x1000,2000x2000")
    parser.add_argument("--no-peer", action="store_true", help="leave out mentor-match")
    parser.add_argument(
        "--after", type=Path, default=ROOT / "src", help="the src tree to time (this checkout's)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.calls = 2, 3
        args.sizes = ",".join(s for s in args.sizes.split(",") if s != "2000x2000")
    sizes = [tuple(int(x) for x in s.split("x")) for s in args.sizes.split(",")]
    load_start = os.getloadavg()
    rows: list[dict[str, Any]] = []
    dropped: set[str] = set()
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"before": extract_before(Path(tmp)), "after": args.after.resolve()}
        for n, m in sizes:
            runs: dict[str, list[dict[str, float]]] = {tag: [] for tag in trees}
            identical = True
            for _ in range(args.rounds):
                results = {}
                for tag, src in trees.items():
                    out = run_tree(src, n, m, args.calls)
                    runs[tag].append(out["medians"])
                    results[tag] = out["result"]
                identical &= same_json(results["before"], results["after"], dropped)
            for stage in (*STAGES, "wall", "to_json"):
                before = statistics.median(r.get(stage, 0.0) for r in runs["before"])
                after = statistics.median(r.get(stage, 0.0) for r in runs["after"])
                rows.append(
                    {
                        "size": f"{n}x{m}",
                        "stage": stage,
                        "before_s": before,
                        "after_s": after,
                        "ratio": after / before if before else None,
                        "same_json": identical,
                    }
                )
            print(f"{n}x{m} done; same JSON: {identical}", file=sys.stderr)
    peer = None if args.no_peer else peer_ratio(args.after, args.calls, 1 if args.quick else 3)
    load_end = os.getloadavg()

    lines = [
        f"# rm.match stage by stage: before ({BEFORE}) and after, fresh processes, interleaved",
        "",
        f"{args.rounds} rounds x {args.calls} calls per tree and size; medians. "
        f"Load average {load_start[0]:.2f} at the start, {load_end[0]:.2f} at the end "
        f"({os.cpu_count()} cores, Python {platform.python_version()}, {dt.date.today()}).",
        "`wall` is the whole call; `explain` is what match computes before returning; "
        "`to_json` serialises the fresh result, computing every deferred value.",
        "",
        "| size | stage | before s | after s | after / before | same JSON |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = "—" if r["ratio"] is None else f"{r['ratio']:.2f}"
        lines.append(
            f"| {r['size']} | {r['stage']} | {r['before_s']:.4f} | {r['after_s']:.4f} | "
            f"{ratio} | {'yes' if r['same_json'] else 'NO'} |"
        )
    if dropped:
        lines += ["", "Keys compared on one side only (from other changes): " + ", ".join(
            f"`{k}`" for k in sorted(dropped)
        ) + "."]
    if peer is not None:
        seconds = "—" if peer["peer_seconds"] is None else f"{peer['peer_seconds']:.2f}"
        ratio = "—" if peer["ratio"] is None else f"{peer['ratio']:.0f}×"
        lines += [
            "",
            "## Against mentor-match at 1000 × 1000 (seed 42, same session)",
            "",
            "| tool | seconds | matched | revmatch faster by |",
            "|---|---|---|---|",
            f"| {peer['peer']} (one round) | {seconds} | {peer['peer_matched']} "
            f"({peer['peer_outcome']}) | |",
            f"| revmatch `match` (whole call, after) | {peer['revmatch_seconds']:.3f} | "
            f"| {ratio} |",
        ]
    table = "\n".join(lines) + "\n"
    print(table)
    name = "match_quick" if args.quick else "match"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.md").write_text(table, encoding="utf-8")
    payload = {
        "before": BEFORE,
        "rounds": args.rounds,
        "calls": args.calls,
        "load_average": [load_start[0], load_end[0]],
        "rows": rows,
        "one_side_keys": sorted(dropped),
        "peer": peer,
    }
    (RESULTS / f"{name}.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
