"""Quota programs: time of ``match`` with quotas next to the unconstrained match.

Family: ``make_program(n, n, seed=42)``. Quota kinds (``top`` is the most
common executive location); the first four leave the unconstrained optimum
feasible at most sizes, the ``binding`` ones are chosen to bind (``route`` shows
which did):

- ``exec count``: ``executive.location!=top:min=<40 % of n>``
- ``exec share``: ``executive.location!=top:min_share=0.4``
- ``mentor side``: ``mentor.department:max=<n/8>`` (one block per department)
- ``pair level``: ``pair.department*department:max=<max(3, n/40)>``
- ``exec count binding``: ``executive.location=top:max=<n/5>``
- ``exec share binding``: ``executive.location=top:max_share=0.2``
- ``mentor side binding``: ``mentor.department:max=<n/20>``

Each cell runs in its own process, unconstrained match first and then the
match with quotas (which includes the one extra solve behind the price of
quotas), with a time limit per cell; a kind that runs out of time at some
size is not tried at larger sizes, and the table says so. ``route`` is how
the ``milp`` method solved the quota program (``unconstrained``: the
optimum without quotas met them; ``flow``: min-cost flows; ``columns``: the
integer program on a priced working set; see ``solvers/_milp.py``).

    python benchmarks/bench_quotas.py --quick
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent

KINDS = (
    "exec count",
    "exec share",
    "mentor side",
    "pair level",
    "exec count binding",
    "exec share binding",
    "mentor side binding",
)


def quotas(kind: str, n: int, top: str) -> list[str]:
    if kind == "exec count":
        return [f"executive.location!={top}:min={int(0.4 * n)}"]
    if kind == "exec share":
        return [f"executive.location!={top}:min_share=0.4"]
    if kind == "mentor side":
        return [f"mentor.department:max={max(1, n // 8)}"]
    if kind == "exec count binding":
        return [f"executive.location={top}:max={n // 5}"]
    if kind == "exec share binding":
        return [f"executive.location={top}:max_share=0.2"]
    if kind == "mentor side binding":
        return [f"mentor.department:max={max(1, n // 20)}"]
    return [f"pair.department*department:max={max(3, n // 40)}"]


def cell(kind: str, n: int, out: Any) -> None:
    import revmatch as rm
    from revmatch.solvers import _milp

    routes: list[str] = []
    solve_quota_program = _milp.solve_quota_program

    def recorded(*args: Any) -> Any:
        found = solve_quota_program(*args)
        routes.append(found[0])
        return found

    _milp.solve_quota_program = recorded  # type: ignore[assignment]
    program = rm.datasets.make_program(n, n, seed=42)
    top = Counter(e.location for e in program.executives).most_common(1)[0][0]
    config = rm.MatchConfig(quotas=quotas(kind, n, top))
    # Warm up both paths (lazy imports, first calls) so that neither timing pays for them.
    small = rm.datasets.make_program(20, 20, seed=42)
    rm.match(small)
    rm.match(small, config=rm.MatchConfig(quotas=["executive.grade:max=3"]))
    routes.clear()
    t = time.perf_counter()
    free = rm.match(program)
    t_free = time.perf_counter() - t
    t = time.perf_counter()
    bound = rm.match(program, config=config)
    t_quota = time.perf_counter() - t
    price = bound.audit["price_of_quotas"]
    out.put(
        {
            "kind": kind,
            "size": f"{n}x{n}",
            "unconstrained_s": round(t_free, 3),
            "quotas_s": round(t_quota, 3),
            "ratio": round(t_quota / t_free, 1),
            "route": routes[0] if routes else "-",
            "pairs": f"{len(bound.pairs)} / {len(free.pairs)}",
            "price": price["price"],
        }
    )


def run(kind: str, n: int, limit: float) -> dict[str, Any] | None:
    out: Any = mp.get_context("spawn").Queue()
    proc = mp.get_context("spawn").Process(target=cell, args=(kind, n, out))
    proc.start()
    proc.join(limit)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return None
    result: dict[str, Any] = out.get()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="200 x 200 only, 60 s per cell")
    parser.add_argument("--limit", type=float, default=None, help="seconds per cell")
    parser.add_argument("--kinds", default=None, help="comma-separated kinds to run (default: all)")
    args = parser.parse_args()
    kinds = KINDS if args.kinds is None else tuple(k.strip() for k in args.kinds.split(","))
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        parser.error(f"unknown kinds {unknown}; choose from {', '.join(KINDS)}")
    sizes = [200] if args.quick else [200, 500, 1000, 2000]
    limit = args.limit or (60.0 if args.quick else 300.0)
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    for kind in kinds:
        for n in sizes:
            found = run(kind, n, limit)
            if found is None:
                notes.append(f"{kind}: {n}x{n} did not finish in {limit:.0f} s; larger not tried")
                break
            rows.append(found)
            print(found, flush=True)
    head = list(rows[0]) if rows else ["kind"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(r[h]) for h in head) + " |" for r in rows]
    table = "\n".join(lines)
    print(table)
    print("\n".join(notes))
    name = "quotas_quick" if args.quick else "quotas"
    command = "python benchmarks/bench_quotas.py" + (" --quick" if args.quick else "")
    command += f" --limit {args.limit:g}" if args.limit else ""
    if args.kinds is not None:
        name += "_" + "_".join(k.replace(" ", "-") for k in kinds)
        command += f' --kinds "{args.kinds}"'
    (HERE / "results" / f"{name}.md").write_text(
        "# Quotas: match with quotas next to the unconstrained match\n\n"
        f"`{command}` (time limit {limit:.0f} s per cell; seconds include the extra "
        "solve without quotas behind the price of quotas)\n\n"
        + "".join(f"- {note}\n" for note in notes)
        + ("\n" if notes else "")
        + table
        + "\n",
        encoding="utf-8",
    )
    (HERE / "results" / f"{name}.json").write_text(
        json.dumps({"rows": rows, "not_finished": notes}, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
