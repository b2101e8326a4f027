"""Run ``matching`` (PyPI, ``matching.games.HospitalResident``) on a benchmark instance.

Residents are the executives, hospitals the mentors with their capacities.
Each executive ranks its acceptable mentors by score (ties: lower index
first); each mentor ranks the executives that find it acceptable by the same
score and tie rule. ``clean=True`` is the library's documented way to drop
people with empty lists; ``solve(optimal="resident")`` gives the
executive-optimal stable matching.

Variant ``deep``: the game deep-copies its players, which recurses along
the preference lists and can exceed Python's default recursion limit on
large instances. This variant raises the limit (and the thread's stack) so
the algorithm itself can be timed; the default variant runs it as installed.
"""

from __future__ import annotations

import importlib
import sys
import threading
import warnings
from typing import Any

from _protocol import Instance, Pairs, run_driver

# Imported before the timed region, as every tool's own modules are.
games: Any = importlib.import_module("matching.games")


def _solve(instance: Instance) -> Pairs:
    executives, mentors = instance.executives, instance.mentors
    resident_prefs = {
        executives[i]: [mentors[j] for j, _ in row] for i, row in enumerate(instance.prefs)
    }
    ranked: list[list[tuple[int, int]]] = [[] for _ in mentors]
    for i, row in enumerate(instance.prefs):
        for j, score in row:
            ranked[j].append((-score, i))
    hospital_prefs = {
        mentors[j]: [executives[i] for _, i in sorted(rows)] for j, rows in enumerate(ranked)
    }
    capacities = dict(zip(mentors, instance.capacities, strict=True))
    with warnings.catch_warnings():
        # The game warns about every person it drops for an empty list.
        warnings.simplefilter("ignore")
        game = games.HospitalResident.create_from_dictionaries(
            resident_prefs, hospital_prefs, capacities, clean=True
        )
        matching = game.solve(optimal="resident")
    exec_index = {e: i for i, e in enumerate(executives)}
    mentor_index = {m: j for j, m in enumerate(mentors)}
    return [
        (exec_index[resident.name], mentor_index[hospital.name])
        for hospital, residents in matching.items()
        for resident in residents
    ]


def _solve_deep(instance: Instance) -> Pairs:
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1 << 30)
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["pairs"] = _solve(instance)
        except Exception as exc:  # re-raised in the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=target)
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    pairs: Pairs = outcome["pairs"]
    return pairs


def solve(instance: Instance, variant: str) -> Pairs:
    return _solve_deep(instance) if variant == "deep" else _solve(instance)


if __name__ == "__main__":
    sys.exit(run_driver("matching", ["matching", "numpy"], solve))
