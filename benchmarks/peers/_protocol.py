"""What every peer driver shares: the instance file, one timed run, the result file.

A driver runs inside the virtual environment of one tool (a peer's, or the
project's own for revmatch), so this module uses the standard library only.
The benchmark calls a driver once per run::

    python drive_<tool>.py INSTANCE.json OUT.json [--variant NAME]

The instance holds the same preferences for every tool: for each executive,
the acceptable mentors, best first, with revmatch's pair score in millionths
(scores are rounded to 6 decimals, so these integers are exact). The driver
turns them into its tool's own input, solves, and writes the chosen pairs as
indices, the seconds from parsed JSON to pairs, and its peak memory.

A crash of the tool (``RecursionError``, ``MemoryError``, any exception) is
a result, not a failure of the benchmark: it is written to the result file
with the time it took to fail.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["Instance", "Pairs", "run_driver"]

Pairs = list[tuple[int, int]]


@dataclass(frozen=True)
class Instance:
    """The shared problem, as plain Python lists.

    Attributes
    ----------
    executives, mentors : list of str
        Ids, in index order.
    capacities : list of int
        Executives each mentor may take.
    prefs : list of list of (int, int)
        ``prefs[i]``: executive ``i``'s acceptable mentors as
        ``(mentor index, score in millionths)``, best first (score
        descending, then index ascending).
    program_file : str
        The canonical program JSON the scores came from (for revmatch end
        to end).
    """

    executives: list[str]
    mentors: list[str]
    capacities: list[int]
    prefs: list[list[tuple[int, int]]]
    program_file: str

    @classmethod
    def load(cls, path: Path) -> Instance:
        """Read an instance written by ``bench_peers.py``."""
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            executives=list(data["executives"]),
            mentors=list(data["mentors"]),
            capacities=[int(c) for c in data["capacities"]],
            prefs=[[(int(j), int(s)) for j, s in row] for row in data["prefs"]],
            program_file=str(data["program_file"]),
        )


def _peak_kib() -> int:
    """Peak resident memory of this process so far, in KiB.

    Linux's ``VmHWM`` belongs to the process image, so it starts afresh at
    ``exec``; ``ru_maxrss`` would carry over the benchmark's own peak from the
    ``fork`` that started this driver.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def run_driver(
    tool: str,
    distributions: list[str],
    solve: Callable[[Instance, str], Pairs],
    argv: list[str] | None = None,
) -> int:
    """Parse the command line, time one run of ``solve``, write the result file.

    Parameters
    ----------
    tool : str
        Name written to the result.
    distributions : list of str
        Installed distributions whose versions are recorded.
    solve : callable
        ``solve(instance, variant) -> pairs``: builds the tool's input from
        the instance, runs it and returns ``(executive index, mentor index)``
        pairs. Everything it does is timed.
    argv : list of str, optional
        Arguments; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        The exit code: 0 whenever a result file was written, crash or not.
    """
    parser = argparse.ArgumentParser(description=f"Run {tool} once on a benchmark instance.")
    parser.add_argument("instance", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--variant", default="default")
    args = parser.parse_args(argv)
    instance = Instance.load(args.instance)
    versions = {}
    for name in distributions:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    gc.collect()
    base = _peak_kib()
    error: str | None = None
    pairs: Pairs = []
    start = time.perf_counter()
    try:
        pairs = solve(instance, args.variant)
    except Exception as exc:  # the peer's crash is the measurement
        error = f"{type(exc).__name__}: {str(exc)[:200]}"
    seconds = time.perf_counter() - start
    result: dict[str, Any] = {
        "tool": tool,
        "variant": args.variant,
        "versions": versions,
        "python": sys.version.split()[0],
        "seconds": seconds,
        "base_kib": base,
        "peak_kib": _peak_kib(),
        "pairs": [[int(i), int(j)] for i, j in pairs],
        "error": error,
    }
    args.out.write_text(json.dumps(result), encoding="utf-8")
    return 0
