"""Reading and validating a program with a full HR org export.

An HR export lists every employee (tens of thousands of rows); a few hundred
of them take part. For each size, a company org tree is drawn with
``numpy.random.default_rng(42)`` (each employee reports to a random earlier
one), 300 mentors and 200 executives are drawn from it, and the files are
written as

- ``csv``: ``mentors.csv``, ``executives.csv``, ``org.csv`` (canonical columns);
- ``workday``: the same, in Workday's column names, read with ``preset="workday"``;
- ``json``: one canonical JSON file;
- ``xlsx``: one workbook (smaller sizes only: openpyxl reads ~10^4 rows/s).

``revmatch.io.validate_files`` is timed on each (read, map columns, prune the
org chart to the participants' chains, validate every record, locate every
problem). Anchors, timed in the same run on the same files: a bare
``csv.reader`` pass (``csv``, ``workday``), ``json.loads`` (``json``) and
``openpyxl`` iterating all rows (``xlsx``) -- what any reader pays to see the
data at all.

Usage::

    python benchmarks/bench_io.py [--repeat 3] [--sizes 10000,100000] [--xlsx-max 20000]

The table is printed and saved to ``benchmarks/results/io.{md,json}``.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from revmatch.io import validate_files

RESULTS = Path(__file__).resolve().parent / "results"
N_MENTORS, N_EXECUTIVES = 300, 200
ZONES = ("Europe/Berlin", "Europe/London", "America/New_York", "Asia/Kolkata", "UTC")
TOPICS = ("digital", "social_media", "diversity", "work_ethic", "work_life_balance")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
WORKDAY = {
    "id": "Employee_ID",
    "manager_id": "Manager_ID",
    "department": "Cost_Center",
    "timezone": "Time_Zone",
}


def make_company(n: int, rng: np.random.Generator) -> dict[str, Any]:
    """Draw an org tree of ``n`` employees and the program's participants."""
    ids = [f"{i:07d}" for i in range(n)]
    managers = [""] + [ids[int(rng.integers(0, i))] for i in range(1, n)]
    departments = [f"D{int(d):03d}" for d in rng.integers(0, 200, size=n)]
    chosen = rng.choice(np.arange(1, n), size=N_MENTORS + N_EXECUTIVES, replace=False)
    people = []
    for k, index in enumerate(chosen):
        i = int(index)
        start = int(rng.integers(32, 56))  # 08:00 .. 13:45 in quarter hours
        day = DAYS[int(rng.integers(0, len(DAYS)))]
        levels = rng.integers(0, 6, size=len(TOPICS))
        people.append(
            {
                "role": "mentor" if k < N_MENTORS else "executive",
                "id": ids[i],
                "manager_id": managers[i],
                "department": departments[i],
                "timezone": ZONES[int(rng.integers(0, len(ZONES)))],
                "availability": f"{day} {start // 4:02d}:{start % 4 * 15:02d}-"
                f"{(start + 8) // 4:02d}:{(start + 8) % 4 * 15:02d}",
                **{f"topic:{t}": int(v) for t, v in zip(TOPICS, levels, strict=True)},
            }
        )
    return {"ids": ids, "managers": managers, "departments": departments, "people": people}


def write_csv_files(company: dict[str, Any], directory: Path, workday: bool) -> None:
    directory.mkdir(parents=True, exist_ok=True)

    def heading(column: str) -> str:
        return WORKDAY.get(column, column) if workday else column

    person_columns = ["id", "manager_id", "department", "timezone", "availability"]
    person_columns += [f"topic:{t}" for t in TOPICS]
    for role, name in (("mentor", "mentors.csv"), ("executive", "executives.csv")):
        with (directory / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([heading(c) for c in person_columns])
            for person in company["people"]:
                if person["role"] == role:
                    writer.writerow([person[c] for c in person_columns])
    with (directory / "org.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([heading(c) for c in ("id", "manager_id", "department")])
        writer.writerows(
            zip(company["ids"], company["managers"], company["departments"], strict=True)
        )


def _record(person: dict[str, Any]) -> dict[str, Any]:
    key = "expertise" if person["role"] == "mentor" else "interests"
    return {
        "id": person["id"],
        "manager_id": person["manager_id"] or None,
        "department": person["department"],
        "timezone": person["timezone"],
        "availability": [person["availability"]],
        key: {t: person[f"topic:{t}"] for t in TOPICS},
    }


def write_json_file(company: dict[str, Any], path: Path) -> None:
    data = {
        "mentors": [_record(p) for p in company["people"] if p["role"] == "mentor"],
        "executives": [_record(p) for p in company["people"] if p["role"] == "executive"],
        "org": [
            {"id": i, "manager_id": m or None}
            for i, m in zip(company["ids"], company["managers"], strict=True)
        ],
    }
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def write_xlsx_file(company: dict[str, Any], source: Path, path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    for name in ("mentors", "executives", "org"):
        sheet = book.create_sheet(name)
        with (source / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                sheet.append(row)
    book.save(path)


def csv_pass(directory: Path) -> None:
    for name in ("mentors.csv", "executives.csv", "org.csv"):
        with (directory / name).open(encoding="utf-8", newline="") as handle:
            for _ in csv.reader(handle):
                pass


def xlsx_pass(path: Path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for sheet in book.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            pass
    book.close()


def timed(call: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def run(n: int, repeat: int, xlsx_max: int, workdir: Path) -> list[dict[str, Any]]:
    company = make_company(n, np.random.default_rng(42))
    base = workdir / str(n)
    write_csv_files(company, base / "csv", workday=False)
    write_csv_files(company, base / "workday", workday=True)
    write_json_file(company, base / "program.json")

    def read_json() -> Any:
        return json.loads((base / "program.json").read_text(encoding="utf-8"))

    cases: list[tuple[str, Path, dict[str, Any], Callable[[], Any], str]] = [
        ("csv", base / "csv", {}, partial(csv_pass, base / "csv"), "csv.reader"),
        (
            "workday",
            base / "workday",
            {"preset": "workday"},
            partial(csv_pass, base / "workday"),
            "csv.reader",
        ),
        ("json", base / "program.json", {}, read_json, "json.loads"),
    ]
    if n <= xlsx_max:
        write_xlsx_file(company, base / "csv", base / "program.xlsx")
        xlsx = base / "program.xlsx"
        cases.append(("xlsx", xlsx, {}, partial(xlsx_pass, xlsx), "openpyxl"))
    rows = []
    for name, path, options, anchor, anchor_name in cases:
        seconds, report = timed(partial(validate_files, path, **options), repeat)
        anchor_seconds, _ = timed(anchor, repeat)
        if not report.ok:
            raise SystemExit(f"{name} at {n} rows did not validate:\n{report.to_table()}")
        rows.append(
            {
                "org_rows": n,
                "format": name,
                "participants": N_MENTORS + N_EXECUTIVES,
                "org_kept": report.counts["org_kept"],
                "problems": len(report.problems),
                "validate_s": round(seconds, 3),
                "anchor": anchor_name,
                "anchor_s": round(anchor_seconds, 3),
                "validate_over_anchor": round(seconds / anchor_seconds, 2),
                "rows_per_s": round((n + N_MENTORS + N_EXECUTIVES) / seconds),
            }
        )
    return rows


def to_markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| org rows | format | kept | validate s | anchor | anchor s | validate / anchor "
        "| rows/s |",
        "|---:|---|---:|---:|---|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['org_rows']} | {r['format']} | {r['org_kept']} | {r['validate_s']:.3f} | "
            f"{r['anchor']} | {r['anchor_s']:.3f} | {r['validate_over_anchor']:.1f} | "
            f"{r['rows_per_s']:,} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--xlsx-max", type=int, default=20000)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            rows += run(n, args.repeat, args.xlsx_max, Path(tmp))
    table = to_markdown(rows)
    header = (
        f"# revmatch.io: validating a program with a full org export\n\n"
        f"{N_MENTORS} mentors and {N_EXECUTIVES} executives drawn from an org tree of N "
        f"employees (numpy default_rng(42)); median of {args.repeat} runs; python "
        f"{sys.version.split()[0]}. 'kept' is the org rows on some participant's chain.\n\n"
    )
    print(header + table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "io.md").write_text(header + table + "\n", encoding="utf-8")
    (RESULTS / "io.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
