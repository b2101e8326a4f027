"""Soak test: thousands of random programs through ``rm.match`` and the CLI, every rule checked.

Each program is a synthetic HR program (``rm.datasets.make_program``) of a
random size class, roughened the way real data is: mentors of capacity 0 or
2, earlier pairs in ``history``, executives in ``priority``, extra blocks,
empty pools. Each runs under random settings (every objective, one or two
mentors per executive, every rule switch, bonuses, and now and then a named
solver method instead of ``auto``). Checked for every program:

- ``match`` returns a result, or refuses a method that cannot express the
  settings with an :class:`~revmatch.InvalidInputError` naming the methods
  that can; any other exception is a violation;
- nothing lost: every person appears once, matched or unmatched with a
  reason, and no one else;
- forbidden stays forbidden: no chosen pair breaks a rule, by the library's
  reason masks and by an oracle written here from the rules' definitions
  (reporting chain through people and ``org``, blocks, repeats, languages,
  departments, grades, meeting forms, minimum shared time);
- capacities on both sides;
- the CLI (``revmatch match FILE --config CFG --format json``) exits 0 with
  the same pairs, or 1 with an ``error:`` line where the API refused; never
  a traceback;
- every fifth program: the same program with shuffled records and slots
  gives the same pairs and the same input digest;
- every tenth program with pairs: half of them pinned, matched again, every
  rule still holds and the pins stay.

Usage::

    python benchmarks/soak.py [--n 10000] [--seed 42] [--jobs 1]

Programs are drawn from ``numpy.random.default_rng`` streams spawned from
``--seed``, one per program, so a run is reproducible and independent of
``--jobs``; a violation names the program's index to rerun it. The summary
table (per size class: programs, pairs, refusals, violations, median times
and the total-to-solve ratio from the audit's stage timings, the anchor) is
printed and saved to ``benchmarks/results/soak.{md,json}``. The exit code is
1 when any violation was found.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import revmatch as rm
from revmatch.cli import main as cli_main
from revmatch.solvers import METHODS

RESULTS = Path(__file__).resolve().parent / "results"

#: Size classes: share of programs, and the range of executives and of mentors.
SIZES: dict[str, tuple[float, tuple[int, int]]] = {
    "tiny": (0.55, (0, 8)),
    "small": (0.35, (9, 30)),
    "medium": (0.09, (31, 80)),
    "large": (0.01, (81, 200)),
}
OBJECTIVES = ("coverage_then_score", "max_score", "maximin")
EXACT = tuple(name for name, info in METHODS.items() if info.optimal)
WEIGHTS: tuple[dict[str, float], ...] = (
    {},
    {"topic": 1.0},
    {"availability": 1.0, "preferences": 0.5},
    {"seniority": 0.3, "department": 0.2},
)


@dataclass
class Outcome:
    """What happened to one program."""

    index: int
    size: str
    n_executives: int
    n_mentors: int
    pairs: int = 0
    refused: bool = False
    method: str = ""
    match_s: float = 0.0
    cli_s: float = 0.0
    total_over_solve: float | None = None
    violations: list[dict[str, str]] = field(default_factory=list)


# ----------------------------------------------------------------------------- random inputs


def _size(rng: np.random.Generator) -> tuple[str, int, int]:
    names = list(SIZES)
    name = names[int(rng.choice(len(names), p=[SIZES[n][0] for n in names]))]
    lo, hi = SIZES[name][1]
    return name, int(rng.integers(lo, hi + 1)), int(rng.integers(lo, hi + 1))


def _program(rng: np.random.Generator, n_exec: int, n_mentor: int) -> rm.Program:
    seed = int(rng.integers(0, 2**31))
    capacity: int | tuple[int, int] = (1, 2) if rng.random() < 0.3 else 1
    program = rm.datasets.make_program(n_exec, n_mentor, seed=seed, capacity=capacity)
    data = program.to_dict()
    exec_ids = [e["id"] for e in data["executives"]]
    mentor_ids = [m["id"] for m in data["mentors"]]
    for mentor in data["mentors"]:
        if rng.random() < 0.05:
            mentor["capacity"] = 0
    if exec_ids and mentor_ids:
        for _ in range(int(rng.integers(0, 4))):
            data["history"].append(
                {
                    "executive_id": str(rng.choice(exec_ids)),
                    "mentor_id": str(rng.choice(mentor_ids)),
                    "round": 1,
                }
            )
        for executive in data["executives"]:
            if rng.random() < 0.1:
                executive["blocked"] = [*executive["blocked"], str(rng.choice(mentor_ids))]
    if exec_ids and rng.random() < 0.3:
        data["priority"] = sorted({str(rng.choice(exec_ids)) for _ in range(2)})
    return rm.Program(**data)


def _config(rng: np.random.Generator) -> rm.MatchConfig:
    return rm.MatchConfig(
        objective=str(rng.choice(OBJECTIVES)),
        mentors_per_executive=2 if rng.random() < 0.15 else 1,
        min_overlap_minutes=int(rng.choice([0, 30, 60, 90])),
        require_shared_language=bool(rng.random() < 0.8),
        exclude_same_department=bool(rng.random() < 0.3),
        allow_repeats=bool(rng.random() < 0.3),
        min_grade_gap=int(rng.integers(0, 3)),
        weights=dict(WEIGHTS[int(rng.integers(len(WEIGHTS)))]),
        priority_bonus=float(rng.choice([0.0, 0.0, 0.3])),
        repeat_bonus=float(rng.choice([0.0, 0.0, -0.2, 0.5])),
        method=str(rng.choice(EXACT)) if rng.random() < 0.15 else "auto",
    )


def _shuffled(program: rm.Program, rng: np.random.Generator) -> rm.Program:
    data = program.to_dict()
    for key in ("mentors", "executives", "org", "history"):
        data[key] = [data[key][i] for i in rng.permutation(len(data[key]))]
    for record in data["mentors"] + data["executives"]:
        for key in ("availability", "blocked", "preferred", "groups"):
            record[key] = [record[key][i] for i in rng.permutation(len(record[key]))]
    return rm.Program(**data)


# ----------------------------------------------------------------------------- checks


def _above(person: str, managers: Mapping[str, str | None]) -> set[str]:
    seen: set[str] = set()
    boss = managers.get(person)
    while boss is not None and boss not in seen:
        seen.add(boss)
        boss = managers.get(boss)
    return seen


def _broken(program: rm.Program, config: rm.MatchConfig, pair: rm.Pair) -> list[str]:
    """The rules a pair breaks, from their definitions (independent of the reason masks)."""
    e = next(x for x in program.executives if x.id == pair.executive_id)
    m = next(x for x in program.mentors if x.id == pair.mentor_id)
    managers: dict[str, str | None] = {p.id: p.manager_id for p in program.people()}
    for entry in program.org:
        if managers.get(entry.id) is None:
            managers[entry.id] = entry.manager_id
    rules = {
        "reporting_chain": e.id in _above(m.id, managers),
        "blocked": m.id in e.blocked or e.id in m.blocked,
        "repeat": not config.allow_repeats
        and any((h.executive_id, h.mentor_id) == (e.id, m.id) for h in program.history),
        "language": config.require_shared_language
        and bool(e.languages)
        and bool(m.languages)
        and not set(e.languages) & set(m.languages),
        "same_department": config.exclude_same_department
        and e.department is not None
        and e.department == m.department,
        "not_junior": e.grade is not None
        and m.grade is not None
        and e.grade - m.grade < config.min_grade_gap,
        "location": not (
            (
                "remote" not in (e.mode, m.mode)
                and (e.location is None or m.location is None or e.location == m.location)
            )
            or "onsite" not in (e.mode, m.mode)
        ),
        "min_overlap": pair.min_overlap_minutes < config.min_overlap_minutes,
    }
    return [name for name, broken in rules.items() if broken]


def _violations(
    program: rm.Program, config: rm.MatchConfig, result: rm.MatchResult
) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pairs = [(p.executive_id, p.mentor_id) for p in result.pairs]
    per_exec = Counter(e for e, _ in pairs)
    per_mentor = Counter(m for _, m in pairs)
    unmatched = Counter((u.id, u.role) for u in result.unmatched)
    for e in program.executives:
        if (per_exec[e.id] > 0) == (unmatched[(e.id, "executive")] == 1):
            out.append(("nothing_lost", f"executive {e.id!r} matched and unmatched, or neither"))
    for m in program.mentors:
        if (per_mentor[m.id] > 0) == (unmatched[(m.id, "mentor")] == 1):
            out.append(("nothing_lost", f"mentor {m.id!r} matched and unmatched, or neither"))
        if per_mentor[m.id] > m.capacity:
            out.append(("capacity", f"mentor {m.id!r}: {per_mentor[m.id]} > {m.capacity}"))
    extra = (set(per_exec) | set(per_mentor) | {pid for pid, _ in unmatched}) - {
        p.id for p in program.people()
    }
    if extra:
        out.append(("nothing_lost", f"unknown ids {sorted(extra)}"))
    if any(not u.reason_codes for u in result.unmatched):
        out.append(("nothing_lost", "an unmatched person without a reason"))
    if len(set(pairs)) != len(pairs):
        out.append(("capacity", "a pair chosen twice"))
    if any(n > config.mentors_per_executive for n in per_exec.values()):
        out.append(("capacity", "an executive above mentors_per_executive"))
    scores = result.scores
    assert scores is not None
    for pair in result.pairs:
        i = scores.executive_ids.index(pair.executive_id)
        j = scores.mentor_ids.index(pair.mentor_id)
        if scores.reasons[i, j] != 0:
            out.append(("forbidden", f"{pair.executive_id}-{pair.mentor_id}: reason mask"))
        broken = _broken(program, config, pair)
        if broken:
            out.append(("forbidden", f"{pair.executive_id}-{pair.mentor_id}: {broken}"))
        if not 0.0 <= pair.score <= 1.0:
            out.append(("forbidden", f"{pair.executive_id}-{pair.mentor_id}: score {pair.score}"))
    pinned = {(p.executive_id, p.mentor_id) for p in program.pinned}
    if not pinned <= set(pairs):
        out.append(("pinned", f"pins lost: {sorted(pinned - set(pairs))}"))
    return out


def _cli(
    program: rm.Program, config: rm.MatchConfig, folder: Path
) -> tuple[int, dict[str, Any] | None, str]:
    path, cfg = folder / "people.json", folder / "config.json"
    path.write_text(json.dumps(program.to_dict(), ensure_ascii=False), encoding="utf-8")
    cfg.write_text(json.dumps(config.model_dump(mode="json")), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = cli_main(
        ["match", str(path), "--config", str(cfg), "--format", "json"], stdout=out, stderr=err
    )
    data = json.loads(out.getvalue()) if code == 0 else None
    return code, data, err.getvalue()


def run_one(index: int, seed: int) -> Outcome:
    """Generate, match and check program ``index`` of the stream of ``seed``."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index,)))
    size, n_exec, n_mentor = _size(rng)
    outcome = Outcome(index, size, n_exec, n_mentor)

    def fail(check: str, detail: str) -> None:
        outcome.violations.append({"check": check, "detail": detail[:500]})

    try:
        program = _program(rng, n_exec, n_mentor)
        config = _config(rng)
    except Exception as exc:  # the generator itself must never make invalid data
        fail("generate", f"{type(exc).__name__}: {exc}")
        return outcome
    result: rm.MatchResult | None = None
    start = time.perf_counter()
    try:
        result = rm.match(program, config)
    except rm.InvalidInputError as exc:
        # The one refusal allowed: a named method that cannot express the settings.
        if f"Method {config.method!r} cannot express" in str(exc) and "methods that can" in str(
            exc
        ):
            outcome.refused = True
        else:
            fail("exception", f"InvalidInputError: {exc}")
    except Exception as exc:
        fail("exception", f"{type(exc).__name__}: {exc}")
    outcome.match_s = time.perf_counter() - start
    if result is not None:
        outcome.pairs = len(result.pairs)
        outcome.method = str(result.audit["method"])
        timings = result.audit["timings"]
        if timings.get("solve"):
            outcome.total_over_solve = timings["total"] / timings["solve"]
        for check, detail in _violations(program, config, result):
            fail(check, detail)
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        try:
            code, data, err = _cli(program, config, Path(folder))
        except BaseException as exc:  # SystemExit included: main() must return, not exit
            fail("cli", f"{type(exc).__name__}: {exc}")
            code, data, err = -1, None, ""
        outcome.cli_s = time.perf_counter() - start
    if "Traceback" in err:
        fail("cli", "a traceback on stderr")
    if result is not None and code != -1:
        if code != 0 or data is None:
            fail("cli", f"exit {code}: {err[:200]}")
        else:
            got = [(p["executive_id"], p["mentor_id"]) for p in data["pairs"]]
            if got != [(p.executive_id, p.mentor_id) for p in result.pairs]:
                fail("cli", "the CLI chose other pairs than the API")
    elif outcome.refused and (code != 1 or not err.startswith("error:")):
        fail("cli", f"a refused method gave exit {code}")
    if result is None:
        return outcome
    if index % 5 == 0:
        again = rm.match(_shuffled(program, rng), config)
        if [(p.executive_id, p.mentor_id) for p in again.pairs] != [
            (p.executive_id, p.mentor_id) for p in result.pairs
        ] or again.audit["input_digest"] != result.audit["input_digest"]:
            fail("determinism", "shuffled records gave other pairs or another digest")
    if index % 10 == 0 and result.pairs:
        keep = result.pairs[: len(result.pairs) // 2 + 1]
        pins = [{"executive_id": p.executive_id, "mentor_id": p.mentor_id} for p in keep]
        pinned = program.replace(pinned=pins)
        try:
            for check, detail in _violations(pinned, config, rm.match(pinned, config)):
                fail(check, "with pins: " + detail)
        except Exception as exc:
            fail("pinned", f"{type(exc).__name__}: {exc}")
    return outcome


def _run_chunk(indices: Sequence[int], seed: int) -> list[Outcome]:
    return [run_one(i, seed) for i in indices]


# ----------------------------------------------------------------------------- report


def summarize(outcomes: Sequence[Outcome]) -> list[dict[str, Any]]:
    """One row per size class and one for all programs."""
    rows = []
    groups = {name: [o for o in outcomes if o.size == name] for name in SIZES}
    groups["all"] = list(outcomes)
    for name, group in groups.items():
        if not group:
            continue
        checks = Counter(v["check"] for o in group for v in o.violations)
        ratios = [o.total_over_solve for o in group if o.total_over_solve is not None]
        rows.append(
            {
                "size": name,
                "programs": len(group),
                "people_max": max(o.n_executives + o.n_mentors for o in group),
                "pairs": sum(o.pairs for o in group),
                "refused": sum(o.refused for o in group),
                "violations": sum(len(o.violations) for o in group),
                **{f"violations_{c}": checks[c] for c in sorted(checks)},
                "match_ms_median": round(1000 * statistics.median(o.match_s for o in group), 1),
                "cli_ms_median": round(1000 * statistics.median(o.cli_s for o in group), 1),
                "total_over_solve_median": round(statistics.median(ratios), 1) if ratios else None,
            }
        )
    return rows


def to_markdown(rows: Sequence[Mapping[str, Any]], meta: Mapping[str, Any]) -> str:
    lines = [
        f"Soak run: {meta['n']} programs, seed {meta['seed']}, {meta['jobs']} job(s), "
        f"{meta['seconds']:.0f} s, load average {meta['load']}.",
        "",
        "| size | programs | max people | pairs | refused | violations | "
        "median match ms | median CLI ms | total / solve |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['size']} | {r['programs']} | {r['people_max']} | {r['pairs']} | "
            f"{r['refused']} | {r['violations']} | {r['match_ms_median']} | "
            f"{r['cli_ms_median']} | {r['total_over_solve_median']} |"
        )
    methods = ", ".join(f"{m} {c}" for m, c in meta["methods"].items())
    lines += ["", f"Methods used: {methods}."]
    if meta["violation_examples"]:
        lines += ["", "Violations (first 20):", ""]
        lines += [
            f"- program {v['index']}: {v['check']}: {v['detail']}"
            for v in meta["violation_examples"]
        ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of programs (10000)")
    parser.add_argument("--seed", type=int, default=42, help="seed of the program stream (42)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (1)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    indices = list(range(args.n))
    outcomes: list[Outcome] = []
    chunks = [indices[i : i + 100] for i in range(0, len(indices), 100)]
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            for done in pool.map(_run_chunk, chunks, [args.seed] * len(chunks)):
                outcomes.extend(done)
                print(f"{len(outcomes)} programs", file=sys.stderr, flush=True)
    else:
        for chunk in chunks:
            outcomes.extend(_run_chunk(chunk, args.seed))
            print(f"{len(outcomes)} programs", file=sys.stderr, flush=True)
    rows = summarize(outcomes)
    examples = [{"index": o.index, **v} for o in outcomes for v in o.violations][:20]
    meta = {
        "n": args.n,
        "seed": args.seed,
        "jobs": args.jobs,
        "seconds": time.perf_counter() - start,
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "methods": dict(Counter(o.method for o in outcomes if o.method).most_common()),
        "violation_examples": examples,
        "revmatch": rm.__version__,
    }
    text = to_markdown(rows, meta)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "soak.md").write_text(text, encoding="utf-8")
    (RESULTS / "soak.json").write_text(
        json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n", encoding="utf-8"
    )
    return 1 if any(o.violations for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
