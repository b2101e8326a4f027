"""From an HR export to a CSV of pairs: validate, fix, match, write.

HR hands over three CSV files from Workday: ``mentors.csv``,
``executives.csv`` (the program's participants, with the columns HR added
for topics, availability and capacity) and ``org.csv`` (every reporting line
of the company, so that reporting chains through people outside the program
are followed). This script

1. writes such an export (a synthetic one, with two typical mistakes);
2. validates it with the ``workday`` column preset and prints the report:
   every problem with its file, line, field and the expected form;
3. fixes the two cells, as HR would, and validates again;
4. matches the program and writes ``pairs.csv`` (pairs and unmatched people,
   with score parts and a proposed weekly meeting).

Usage::

    python examples/from_hr_export.py [--out DIR]

The export and ``pairs.csv`` go to ``DIR`` (default ``./revmatch-hr-example``).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import revmatch as rm

# Canonical column -> the heading Workday's worker report uses for it.
WORKDAY_HEADINGS = {
    "id": "Employee_ID",
    "manager_id": "Manager_ID",
    "department": "Cost_Center",
    "location": "Location",
    "timezone": "Time_Zone",
}


def _rewrite(path: Path, edit: dict[str, dict[str, str]] | None = None) -> None:
    """Rename canonical headings to Workday's and change cells of some rows.

    ``edit`` maps a person's id to ``{column: new value}`` (canonical columns).
    """
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    header = list(rows[0]) if rows else []
    for row in rows:
        row.update((edit or {}).get(row["id"], {}))
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([WORKDAY_HEADINGS.get(h, h) for h in header])
        writer.writerows([row[h] for h in header] for row in rows)


def write_export(folder: Path) -> None:
    """Write a Workday-style export of a synthetic program, with two mistakes."""
    program = rm.datasets.make_program(n_executives=24, n_mentors=36, seed=11)
    rm.io.write_program(program, folder)
    (folder / "program.json").unlink()  # Workday knows nothing of the program's settings
    _rewrite(folder / "mentors.csv", {"m-0003": {"capacity": "two"}})
    _rewrite(folder / "executives.csv", {"e-0005": {"availability": "Tue 12:00-13:40"}})
    _rewrite(folder / "org.csv")


def fix_export(folder: Path) -> None:
    """The corrections HR makes after reading the report."""
    for name, person, column, value in (
        ("mentors.csv", "m-0003", "capacity", "2"),
        ("executives.csv", "e-0005", "availability", "Tue 12:00-13:30"),
    ):
        path = folder / name
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        id_col = rows[0].index("Employee_ID")
        col = rows[0].index(column)
        for row in rows[1:]:
            if row[id_col] == person:
                row[col] = value
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Workday export -> validation -> pairs.csv")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("revmatch-hr-example"),
        help="folder for the export and pairs.csv (default ./revmatch-hr-example)",
    )
    args = parser.parse_args(argv)
    folder: Path = args.out
    export = folder / "export"
    export.mkdir(parents=True, exist_ok=True)

    write_export(export)
    info = {"name": "Reverse mentoring 2027", "start": "2027-01-11", "end": "2027-06-25"}
    report = rm.io.validate_files(export, preset="workday", info=info)
    print(report.to_table())
    if report.ok:
        raise SystemExit("expected the export's two mistakes to be reported")

    fix_export(export)
    report = rm.io.validate_files(export, preset="workday", info=info)
    print()
    print(report.summary())
    program = report.raise_for_errors()

    result = rm.match(program, rm.MatchConfig(exclude_same_department=True))
    print()
    print(result.summary())
    pairs_csv = folder / "pairs.csv"
    rm.io.write_result(result, pairs_csv)
    with pairs_csv.open(encoding="utf-8-sig") as f:
        header, first = f.readline().rstrip(), f.readline().rstrip()
    print(f"\nwrote {pairs_csv} ({len(result.pairs)} pairs, {len(result.unmatched)} unmatched)")
    print(header)
    print(first)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
