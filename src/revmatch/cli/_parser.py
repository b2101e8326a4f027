"""The argument parser: every command with a description, examples and help on each option."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from . import _commands as cmd
from ._options import SECRET_VARIABLE

# ---------------------------------------------------------------------------


def _command(
    sub: Any, name: str, summary: str, description: str, examples: Sequence[str]
) -> argparse.ArgumentParser:
    """A subcommand with a one-line summary, a description and examples in its --help."""
    epilog = "examples:\n" + "\n".join(f"  {line}" for line in examples)
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=summary,
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def _add_input(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="program file(s): a folder, .json, .jsonl, .xlsx, or mentors.csv "
        "executives.csv [org.csv] [program.json], or one people.csv with a role column",
    )
    p.add_argument(
        "--preset", choices=["successfactors", "workday"], help="column preset of an HR export"
    )
    p.add_argument(
        "--mapping", metavar="MAP.json", help="mapping file: columns, roles, values, filters"
    )
    p.add_argument(
        "--delimiter",
        metavar="CHAR",
        help="CSV field separator (default: detected among , ; tab |)",
    )
    p.add_argument(
        "--encoding",
        metavar="NAME",
        help="text encoding of CSV files (default: detected: UTF-8, UTF-16, Windows-1252)",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="treat doubtful values as errors (a time-zone abbreviation such as CET)",
    )


def _add_settings(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--config", metavar="CFG.json", help="match settings file (`revmatch schema --config`)"
    )
    p.add_argument(
        "--min-overlap",
        type=int,
        metavar="MINUTES",
        help="least weekly shared time of a pair (setting min_overlap_minutes)",
    )
    p.add_argument(
        "--weights",
        action="append",
        metavar="NAME=W",
        help="component weights, e.g. topic=0.6,availability=0.2 (repeatable)",
    )
    p.add_argument(
        "--objective",
        choices=["coverage_then_score", "max_score", "maximin", "maximin_groups"],
        help="what the assignment maximises",
    )
    p.add_argument(
        "--quota",
        action="append",
        metavar="SPEC",
        help="a group quota, e.g. executive.location!=HQ:min_share=0.4 or "
        "pair.department*department:max=3 (repeatable; docs/howto/fairness.md)",
    )
    p.add_argument("--method", metavar="NAME", help="solver method (default: auto)")
    p.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="any other setting, e.g. exclude_same_department=true (repeatable)",
    )


def _add_quiet(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no summary, notes or progress bar on stderr (warnings stay)",
    )


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser (also used to generate the CLI reference)."""
    from revmatch import __version__
    from revmatch.solvers import INSTANCE_FORMATS

    parser = argparse.ArgumentParser(
        prog="revmatch",
        description="Pair mentors with executives for reverse-mentoring programs.",
    )
    parser.add_argument("--version", action="version", version=f"revmatch {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = _command(
        sub,
        "demo",
        "match the built-in synthetic program and explain it",
        "Build a synthetic program, match it and explain one pair and one unmatched "
        "executive: a first look at what revmatch does.",
        ["revmatch demo", "revmatch demo --executives 200 --mentors 300 --format csv -o p.csv"],
    )
    p.add_argument("--executives", type=int, default=40, help="number of executives")
    p.add_argument("--mentors", type=int, default=60, help="number of mentors")
    p.add_argument("--seed", type=int, default=0, help="random seed")
    _add_settings(p)
    p.add_argument(
        "--format",
        choices=["table", "json", "csv", "jsonl", "xlsx"],
        default="table",
        help="output format (xlsx needs -o)",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="write the result to this file")
    p.set_defaults(handler=cmd.cmd_demo)

    p = _command(
        sub,
        "match",
        "match a program and print the pairs",
        "Read and validate the program, pair executives with mentors exactly, and print "
        "the pairs. Warnings about the data and the summary go to stderr.",
        [
            "revmatch match people.json",
            "revmatch match mentors.csv executives.csv org.csv --min-overlap 45",
            "revmatch match exports/ --mapping map.json --format csv -o pairs.csv",
            "revmatch match people.json --format ics -o invitations/",
            "revmatch match people.json --alternatives 3",
            f"{SECRET_VARIABLE}=... revmatch match people.json --format csv -o shared.csv "
            "--pseudonymize --key-file keys.json",
        ],
    )
    _add_input(p)
    _add_settings(p)
    p.add_argument(
        "--format",
        choices=["table", "json", "csv", "jsonl", "xlsx", "ics"],
        default="table",
        help="output format (xlsx needs -o FILE; ics: calendar invitations, needs -o DIR)",
    )
    p.add_argument(
        "-o", "--output", metavar="OUT", help="write the result to this file (ics: directory)"
    )
    p.add_argument(
        "--alternatives",
        type=int,
        metavar="K",
        help="the K best distinct assignments, with what each changes against the best "
        "(table or json)",
    )
    p.add_argument(
        "--organizer",
        metavar="EMAIL",
        help="with --format ics: the program office's address as the events' organizer",
    )
    p.add_argument(
        "--language",
        choices=["en", "de"],
        help="with --format ics: language of the event texts (default en)",
    )
    p.add_argument(
        "--pseudonymize",
        nargs="?",
        const=True,
        default=None,
        metavar="",
        help="replace every id in the output by a keyed HMAC-SHA256 pseudonym; the secret "
        f"comes from --secret-file or the environment variable {SECRET_VARIABLE}",
    )
    p.add_argument(
        "--secret-file",
        metavar="SECRET.txt",
        help="with --pseudonymize: read the secret key from this file",
    )
    p.add_argument(
        "--key-file",
        metavar="KEYS.json",
        help="with --pseudonymize: write the pseudonym -> id mapping here (keep it apart)",
    )
    _add_quiet(p)
    p.set_defaults(handler=cmd.cmd_match)

    p = _command(
        sub,
        "report",
        "write the steering committee's report as one HTML page",
        "Match the program (or take a saved result) and write one self-contained HTML "
        "page: headline numbers, outcomes by group, pairs with their meeting, unmatched "
        "people with reasons and the computed fix. No network needed to view or print it.",
        [
            "revmatch report people.json -o report.html",
            "revmatch report people.json --result round1.json -o report.html --title 'RM 2027'",
        ],
    )
    _add_input(p)
    _add_settings(p)
    p.add_argument(
        "-o", "--output", metavar="REPORT.html", required=True, help="write the page here"
    )
    p.add_argument("--title", metavar="TEXT", help="title of the page (default: the program's)")
    p.add_argument(
        "--result",
        metavar="RESULT.json",
        help="report this saved result (from match --format json -o) instead of matching",
    )
    _add_quiet(p)
    p.set_defaults(handler=cmd.cmd_report)

    p = _command(
        sub,
        "letters",
        "write one letter per participant",
        "Match the program (or take a saved result) and write one short letter per "
        "person: the partner, why this pair, the proposed slot in the reader's own time "
        "and the weeks a clock change moves it; a respectful note for the unmatched. "
        "Letters hold no other participant's data. index.tsv lists them for a mail merge.",
        [
            "revmatch letters people.json -o letters/",
            "revmatch letters people.json -o letters/ --language de --template brief.md",
        ],
    )
    _add_input(p)
    _add_settings(p)
    p.add_argument(
        "-o", "--output", metavar="DIR", required=True, help="write the letters into this folder"
    )
    p.add_argument(
        "--template",
        metavar="FILE",
        help="your own template (.md or .txt; `revmatch.handouts.PLACEHOLDERS` lists the fields)",
    )
    p.add_argument(
        "--language",
        metavar="CODE",
        help="language of the built-in texts: en or de (default: each reader's first language)",
    )
    p.add_argument(
        "--result",
        metavar="RESULT.json",
        help="write letters for this saved result instead of matching",
    )
    _add_quiet(p)
    p.set_defaults(handler=cmd.cmd_letters)

    p = _command(
        sub,
        "validate",
        "check program files and report every problem",
        "Read the program files and list every problem at once: file, line, record, "
        "field, what is wrong and the expected form. Exit 1 when there are errors. "
        "With no errors, warnings about the data's use for matching go to stderr.",
        [
            "revmatch validate mentors.csv executives.csv",
            "revmatch validate exports/ --mapping map.json --format json",
        ],
    )
    _add_input(p)
    _add_settings(p)
    p.add_argument("--format", choices=["table", "json"], default="table", help="report format")
    p.set_defaults(handler=cmd.cmd_validate)

    p = _command(
        sub,
        "inspect",
        "draft a mapping file for an unfamiliar export",
        "Read the headers and a sample of values of an export and draft a mapping file: "
        "which file holds which role, which column fills which field, value maps for "
        "label columns (grades) to fill in. Every guess is listed on stderr with its "
        "reason for review; nothing is guessed silently.",
        [
            "revmatch inspect mentees.csv mentors.csv -o map.json",
            "revmatch validate --mapping map.json mentees.csv mentors.csv",
        ],
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="CSV files, .xlsx workbooks or folders")
    p.add_argument("-o", "--output", metavar="MAP.json", help="write the draft mapping here")
    p.add_argument(
        "--delimiter",
        metavar="CHAR",
        help="CSV field separator (default: detected among , ; tab |); kept in the draft",
    )
    p.add_argument(
        "--encoding",
        metavar="NAME",
        help="text encoding of CSV files (default: detected); kept in the draft",
    )
    p.set_defaults(handler=cmd.cmd_inspect)

    p = _command(
        sub,
        "schema",
        "print the JSON Schema of the input, config or result",
        "Print a JSON Schema (draft 2020-12) for editors, validators and other systems.",
        ["revmatch schema > input.schema.json", "revmatch schema --config"],
    )
    group = p.add_mutually_exclusive_group()
    group.add_argument("--config", action="store_true", help="schema of the match settings")
    group.add_argument("--result", action="store_true", help="schema of a match result")
    p.set_defaults(handler=cmd.cmd_schema)

    p = _command(
        sub,
        "explain",
        "explain one person's pairing",
        "Match the program and explain one person: the chosen partner and the best "
        "alternatives side by side, with why each was not chosen.",
        ["revmatch explain people.json --id e-07", "revmatch explain people.json --id m-3 --top 3"],
    )
    _add_input(p)
    p.add_argument("--id", required=True, help="executive or mentor id")
    p.add_argument("--top", type=int, default=5, help="alternatives to show")
    _add_settings(p)
    p.add_argument("--format", choices=["table", "json"], default="table", help="output format")
    p.set_defaults(handler=cmd.cmd_explain)

    p = _command(
        sub,
        "suggest",
        "capacity-aware shortlists for self-selection",
        "Give each executive a shortlist of mentors whose first entries come from "
        "successive optimal assignments, so lists respect mentor capacity.",
        ["revmatch suggest people.json --top 3", "revmatch suggest people.json --format csv"],
    )
    _add_input(p)
    p.add_argument("--top", type=int, default=3, help="mentors per shortlist")
    _add_settings(p)
    p.add_argument(
        "--format", choices=["table", "json", "csv"], default="table", help="output format"
    )
    p.add_argument("-o", "--output", metavar="OUT", help="write the shortlists to this file")
    _add_quiet(p)
    p.set_defaults(handler=cmd.cmd_suggest)

    p = _command(
        sub,
        "rematch",
        "re-match a changed program, keeping what still works",
        "Re-pair after drop-outs and newcomers: pairs that still meet every rule stay "
        "unless moving them gains more than the switching cost. Settings default to the "
        "previous result's.",
        [
            "revmatch rematch round1.json people.json",
            "revmatch rematch round1.json people.json --max-changes 2 --format json -o r.json",
        ],
    )
    p.add_argument("previous", metavar="PREVIOUS.json", help="the result in force (from match -o)")
    _add_input(p)
    _add_settings(p)
    p.add_argument("--max-changes", type=int, default=None, help="at most this many pairs move")
    p.add_argument(
        "--force-pins", action="store_true", help="keep pinned pairs that break a rule (audited)"
    )
    p.add_argument(
        "--format",
        choices=["table", "json", "csv", "jsonl", "xlsx"],
        default="table",
        help="output format (xlsx needs -o)",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="write the result to this file")
    _add_quiet(p)
    p.set_defaults(handler=cmd.cmd_rematch)

    p = _command(
        sub,
        "compare",
        "pairs added, removed and changed between two results",
        "Compare two saved results (from match -o X.json): pairs added, removed, changed "
        "and rescored, and every metric's change.",
        ["revmatch compare round1.json round2.json"],
    )
    p.add_argument("a", metavar="A.json", help="the result before")
    p.add_argument("b", metavar="B.json", help="the result after")
    p.add_argument("--format", choices=["table", "json"], default="table", help="output format")
    _add_quiet(p)
    p.set_defaults(handler=cmd.cmd_compare)

    p = _command(
        sub,
        "fit",
        "learn score weights from the outcomes of earlier pairs",
        "Learn the component weights that best predict the ratings and kept/closed-early "
        "outcomes in the program's history (docs/howto/learn-weights.md) and print the fit. "
        "With -o, write a config with the learned weights when the fit is usable; exit 1 "
        "when the data are too few or too uncertain to learn from (the weights stay).",
        ["revmatch fit round1.json -o learned.json", "revmatch match round2.json --config "
         "learned.json"],
    )
    _add_input(p)
    p.add_argument(
        "--config",
        metavar="CFG.json",
        help="settings the pairs are scored with, and whose weights the fit is compared with",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the folds and resamples")
    p.add_argument("--format", choices=["table", "json"], default="table", help="output format")
    p.add_argument(
        "-o", "--output", metavar="CFG.json", help="write a config with the learned weights"
    )
    _add_quiet(p)
    p.set_defaults(handler=cmd.cmd_fit)

    p = _command(
        sub,
        "assign",
        "solve a published assignment instance (OR-Library or DIMACS, costs)",
        "Solve an assignment instance file as costs to minimise and print the cost, "
        "the method and the time.",
        ["revmatch assign assignp800.txt", "revmatch assign inst.asn --format json"],
    )
    p.add_argument("file", help="the instance file")
    p.add_argument("--method", default="auto", help="solver method")
    p.add_argument(
        "--instance-format",
        choices=INSTANCE_FORMATS,
        default="auto",
        help="file format (auto: detected)",
    )
    p.add_argument("--format", choices=["table", "json"], default="table", help="output format")
    p.add_argument("--pairs", action="store_true", help="also list the pairs (table output)")
    p.add_argument("-o", "--output", metavar="OUT", help="write the result to this file")
    p.set_defaults(handler=cmd.cmd_assign)
    return parser
