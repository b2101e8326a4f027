"""Command-line behaviour: outputs, exit codes, no tracebacks."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import revmatch as rm
from revmatch.cli import SECRET_VARIABLE, build_parser, main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def program_file(tmp_path: Path) -> Path:
    program = rm.datasets.make_program(n_executives=6, n_mentors=8, seed=4)
    path = tmp_path / "people.json"
    path.write_text(json.dumps(program.to_dict()), encoding="utf-8")
    return path


def test_demo_prints_pairs_and_summary() -> None:
    code, out, _ = run("demo", "--executives", "10", "--mentors", "14")
    assert code == 0
    assert "executive" in out
    assert "mentor" in out
    assert "matched" in out
    assert "Why this pair?" in out


def test_match_formats(program_file: Path, tmp_path: Path) -> None:
    code, out, err = run("match", str(program_file), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert {"pairs", "unmatched", "metrics", "audit"} <= set(data)
    assert "matched" in err  # summary goes to stderr
    code, out, _ = run("match", str(program_file), "--format", "csv")
    assert code == 0
    assert out.splitlines()[0].startswith("kind,executive_id,mentor_id,executive_name")
    target = tmp_path / "out.json"
    code, out, _ = run("match", str(program_file), "--format", "json", "-o", str(target))
    assert code == 0
    assert out == ""
    assert json.loads(target.read_text())["metrics"]["n_executives"] == 6


def test_match_with_config(program_file: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "cfg.json"
    cfg.write_text(json.dumps({"min_overlap_minutes": 0, "weights": {"topic": 1}}))
    code, out, _ = run("match", str(program_file), "--config", str(cfg), "--format", "json")
    assert code == 0
    assert json.loads(out)["audit"]["config"]["min_overlap_minutes"] == 0


def test_invalid_input_exit_1_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {"mentors": [{"id": "m-07", "timezone": "UTC", "capacity": -1}], "executives": []}
        )
    )
    code, out, err = run("match", str(bad))
    assert code == 1
    assert out == ""
    assert "m-07" in err
    assert "capacity" in err
    assert "Traceback" not in err


def test_bad_config_exit_1(program_file: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "cfg.json"
    cfg.write_text(json.dumps({"weights": {"topic": -2}}))
    code, _, err = run("match", str(program_file), "--config", str(cfg))
    assert code == 1
    assert "weights" in err


def test_missing_file_exit_1(tmp_path: Path) -> None:
    code, _, err = run("match", str(tmp_path / "nope.json"))
    assert code == 1
    assert "nope.json" in err


def test_usage_error_exit_2() -> None:
    code, _, _ = run("match")
    assert code == 2
    code, _, _ = run("frobnicate")
    assert code == 2


def test_validate_exit_codes(program_file: Path, tmp_path: Path) -> None:
    code, _, _ = run("validate", str(program_file))
    assert code == 0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"mentors": [{"id": "m1", "timezone": "Mars/Base"}]}))
    code, out, _ = run("validate", str(bad))
    assert code == 1
    assert "Mars/Base" in out or "time zone" in out


def test_explain_command(program_file: Path) -> None:
    program = rm.read_program(program_file)
    some = program.executives[0].id
    code, out, _ = run("explain", str(program_file), "--id", some)
    assert code == 0
    assert some in out
    code, _, err = run("explain", str(program_file), "--id", "nobody")
    assert code == 1
    assert "nobody" in err


def test_schema_command() -> None:
    code, out, _ = run("schema")
    assert code == 0
    assert "mentors" in json.loads(out)["properties"]


def test_python_dash_m_entry_point() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "revmatch", "demo", "--executives", "4", "--mentors", "5"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert "matched" in proc.stdout


def test_suggest_command(program_file: Path) -> None:
    code, out, err = run("suggest", str(program_file), "--top", "2")
    assert code == 0
    assert "e-" in out
    code, out, _ = run("suggest", str(program_file), "--top", "2", "--format", "json")
    assert code == 0
    assert json.loads(out)
    code, _, err = run("suggest", str(program_file), "--top", "0")
    assert code == 1
    assert "top" in err


def test_match_pseudonymized_output_has_no_original_id(
    program_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = rm.read_program(program_file)
    keys = tmp_path / "keys.json"
    secret = tmp_path / "secret.txt"
    secret.write_text("s3cret\n", encoding="utf-8")
    argv = ["match", str(program_file), "--format", "csv", "--pseudonymize"]
    code, from_file, err = run(*argv, "--secret-file", str(secret), "--key-file", str(keys))
    assert code == 0, err
    for person in program.people():
        assert person.id not in from_file
        if person.name:
            assert person.name not in from_file
    mapping = json.loads(keys.read_text())
    assert program.executives[0].id in json.dumps(mapping)
    # The same secret from the environment gives the same pseudonyms.
    monkeypatch.setenv(SECRET_VARIABLE, "s3cret")
    code, from_env, _ = run(*argv)
    assert code == 0
    assert from_env == from_file


def test_pseudonymize_refuses_a_secret_on_the_command_line(
    program_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SECRET_VARIABLE, raising=False)
    code, out, err = run("match", str(program_file), "--pseudonymize=hunter2")
    assert code == 2
    assert out == ""
    assert "hunter2" not in err
    assert "--secret-file" in err
    assert SECRET_VARIABLE in err
    code, _, err = run("match", str(program_file), "--pseudonymize")
    assert code == 2
    assert "needs a secret" in err
    code, _, err = run("match", str(program_file), "--key-file", "k.json")
    assert code == 2
    assert "--key-file needs --pseudonymize" in err


def test_match_xlsx_needs_output_and_writes_workbook(program_file: Path, tmp_path: Path) -> None:
    code, _, err = run("match", str(program_file), "--format", "xlsx")
    assert code == 2
    assert "--format xlsx writes files: give them with -o FILE" in err
    target = tmp_path / "pairs.xlsx"
    code, out, _ = run("match", str(program_file), "--format", "xlsx", "-o", str(target))
    assert code == 0
    assert target.stat().st_size > 0
    assert out == ""


def test_match_reads_csv_export(tmp_path: Path) -> None:
    (tmp_path / "mentors.csv").write_text(
        "id,timezone,availability,topic:digital\n0042,Europe/Berlin,Mon 12:00-14:00,5\n"
    )
    (tmp_path / "executives.csv").write_text(
        "id,timezone,availability,topic:digital\n0007,Europe/Berlin,Mon 12:00-13:30,4\n"
    )
    code, out, _ = run(
        "match", str(tmp_path / "mentors.csv"), str(tmp_path / "executives.csv"), "--format", "json"
    )
    assert code == 0
    pairs = json.loads(out)["pairs"]
    assert [(p["executive_id"], p["mentor_id"]) for p in pairs] == [("0007", "0042")]


def test_csv_problem_names_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "mentors.csv").write_text(
        "id,timezone,availability,capacity\n"
        "m1,Europe/Berlin,Mon 12:00-14:00,1\n"
        "m2,Mars/Base,Mon 12:00-14:00,-1\n"
    )
    (tmp_path / "executives.csv").write_text("id,timezone\ne1,UTC\n")
    code, _, err = run("match", str(tmp_path / "mentors.csv"), str(tmp_path / "executives.csv"))
    assert code == 1
    assert "mentors.csv" in err
    assert "line 3" in err
    assert "Traceback" not in err


def test_rematch_and_compare_commands(program_file: Path, tmp_path: Path) -> None:
    first = tmp_path / "round1.json"
    code, _, _ = run("match", str(program_file), "--format", "json", "-o", str(first))
    assert code == 0
    again = tmp_path / "again.json"
    code, _, err = run(
        "rematch", str(first), str(program_file), "--format", "json", "-o", str(again)
    )
    assert code == 0
    assert "kept" in err
    before = {(p["executive_id"], p["mentor_id"]) for p in json.loads(first.read_text())["pairs"]}
    after = {(p["executive_id"], p["mentor_id"]) for p in json.loads(again.read_text())["pairs"]}
    assert before == after  # an unchanged program keeps every pair
    code, out, _ = run("compare", str(first), str(again), "--format", "json")
    assert code == 0
    assert json.loads(out)
    code, _, err = run("compare", str(first), str(tmp_path / "missing.json"))
    assert code == 1


def test_assign_solves_an_instance_file(tmp_path: Path) -> None:
    path = tmp_path / "assignp4.txt"
    path.write_text("4\n1 1 7\n1 2 3\n2 2 4\n2 3 1\n3 3 6\n3 4 2\n4 4 5\n4 1 8\n")
    code, out, err = run("assign", str(path), "--pairs")
    assert code == 0, err
    assert "cost: 14.0" in out
    assert "matched: 4" in out
    assert "1 2" in out.splitlines()
    code, out, _ = run("assign", str(path), "--format", "json", "--method", "sparse")
    report = json.loads(out)
    assert report["cost"] == 14.0
    assert report["method"] == "sparse"
    assert sorted(map(tuple, report["pairs"])) == [(1, 2), (2, 3), (3, 4), (4, 1)]


def test_assign_reports_a_bad_file_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("3\n1 1 4\n1 9 2\n2 2 1\n3 3 1\n")
    code, out, err = run("assign", str(path))
    assert code == 1
    assert out == ""
    assert "bad.txt, line 3, field 'i j'" in err
    assert "Traceback" not in err
    code, _, err = run("assign", str(tmp_path / "missing.txt"))
    assert code == 1
    assert "file not found" in err
    path.write_text("2\n1 1 4\n2 2 1\n1 2 3\n")
    code, _, err = run("assign", str(path), "--method", "nope")
    assert code == 1
    assert "Unknown method 'nope'" in err


def test_match_prints_result_on_stdout_and_summary_once_on_stderr(program_file: Path) -> None:
    code, out, err = run("match", str(program_file))
    assert code == 0
    result = rm.match(rm.read_program(program_file))
    assert out.rstrip("\n") == result.table()
    assert err.count(result.summary()) == 1
    assert result.summary() not in out
    code, _, err = run("match", str(program_file), "--quiet")
    assert code == 0
    assert result.summary() not in err


def test_inline_settings_reach_the_config(program_file: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "cfg.json"
    cfg.write_text(json.dumps({"min_overlap_minutes": 30, "session_minutes": 45}))
    code, out, err = run(
        "match",
        str(program_file),
        "--config",
        str(cfg),
        "--min-overlap",
        "45",
        "--weights",
        "topic=0.6,availability=0.2",
        "--weights",
        "window=0",
        "--set",
        "exclude_same_department=true",
        "--objective",
        "max_score",
        "--format",
        "json",
    )
    assert code == 0, err
    config = rm.MatchConfig.model_validate(json.loads(out)["audit"]["config"])
    assert config.min_overlap_minutes == 45
    assert config.session_minutes == 45  # from the file, not overridden
    assert config.weights["topic"] == 0.6
    assert config.weights["availability"] == 0.2
    assert config.weights["window"] == 0
    assert config.exclude_same_department is True
    assert config.objective == "max_score"
    expected = rm.match(rm.read_program(program_file), config)
    assert json.loads(out)["pairs"] == json.loads(expected.to_json())["pairs"]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--set", "min_overlap=3"], "unknown setting 'min_overlap'"),
        (["--set", "oops"], "--set expects NAME=VALUE"),
        (["--weights", "topic=lots"], "--weights topic= expects a number"),
        (["--min-overlap", "-5"], "min_overlap_minutes"),
    ],
)
def test_bad_inline_settings_are_usage_errors(
    program_file: Path, option: list[str], message: str
) -> None:
    code, out, err = run("match", str(program_file), *option)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_unwritable_output_is_named_as_such(program_file: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "pairs.csv"
    code, out, err = run("match", str(program_file), "--format", "csv", "-o", str(missing))
    assert code == 1
    assert out == ""
    assert f"the output directory {missing.parent} does not exist" in err
    assert "file not found" not in err
    code, _, err = run("match", str(program_file), "-o", str(tmp_path))
    assert code == 1
    assert "it is a directory" in err
    assert not missing.parent.exists()


def test_validate_uses_format_and_warns_about_empty_columns(tmp_path: Path) -> None:
    (tmp_path / "mentors.csv").write_text("id,timezone,topic:digital\nm1,UTC,5\n")
    (tmp_path / "executives.csv").write_text("id,timezone,topic:digital\ne1,UTC,4\n")
    code, out, err = run("validate", str(tmp_path), "--format", "json")
    assert code == 0
    assert json.loads(out) is not None
    assert "warning: field 'availability': no mentor has availability" in err
    assert "every pair will fail min_overlap (60 min)" in err
    code, _, err = run("validate", str(tmp_path), "--min-overlap", "0")
    assert "no pair has shared time" in err


def test_match_warns_when_one_rule_leaves_most_unmatched(program_file: Path) -> None:
    code, _, err = run("match", str(program_file), "--min-overlap", "600")
    assert code == 0
    assert "executives are unmatched; for" in err
    assert "the rule 'min_overlap' rules out more mentors than any other" in err


def _commands() -> list[tuple[str, argparse.ArgumentParser]]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(action.choices.items())


@pytest.mark.parametrize(("name", "command"), _commands())
def test_every_command_has_description_example_and_option_help(
    name: str, command: argparse.ArgumentParser
) -> None:
    assert command.description
    assert command.epilog is not None
    assert f"revmatch {name}" in command.epilog
    for action in command._actions:
        assert action.help, f"{name} {action.option_strings or action.dest} has no help text"
    text = command.format_help()
    assert "examples:" in text
    flags = {flag for a in command._actions for flag in a.option_strings}
    assert "--errors" not in flags  # one name per idea: --format everywhere


def test_handouts_from_the_command_line(program_file: Path, tmp_path: Path) -> None:
    pytest.importorskip("icalendar", reason="calendar files need the calendar extra")
    program = rm.read_program(program_file)
    result = rm.match(program)
    code, out, err = run("match", str(program_file), "--format", "ics")
    assert code == 2
    assert "--format ics writes files: give them with -o DIR" in err
    invitations = tmp_path / "invitations"
    code, out, err = run("match", str(program_file), "--format", "ics", "-o", str(invitations))
    assert code == 0, err
    assert out == ""
    events = sorted(p.name for p in invitations.glob("pair-*.ics"))
    with_slot = [p for p in result.pairs if p.meeting is not None]
    assert len(events) == len(with_slot)
    assert (invitations / "all-pairs.ics").exists()
    assert f"to {invitations}" in err

    report = tmp_path / "report.html"
    code, out, err = run("report", str(program_file), "-o", str(report))
    assert code == 0, err
    page = report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") or page.lower().startswith("<!doctype html>")
    assert all(p.executive_id in page for p in result.pairs)
    code, _, err = run("report", str(program_file), "-o", str(tmp_path / "no" / "r.html"))
    assert code == 1
    assert "does not exist" in err

    letters = tmp_path / "letters"
    code, out, err = run("letters", str(program_file), "-o", str(letters), "--language", "de")
    assert code == 0, err
    written = {p.stem for p in letters.glob("*.md")}
    people = {f"executive-{e.id}" for e in program.executives}
    people |= {f"mentor-{m.id}" for m in program.mentors}
    assert written == people  # one letter per participant, nothing lost
    code, _, err = run("letters", str(program_file), "-o", str(letters), "--language", "xx")
    assert code == 1
    assert "xx" in err


def test_match_reports_alike_problems_as_one_line(tmp_path: Path) -> None:
    rows = "".join(f"m{i},Mon 12:00-14:00\n" for i in range(200))
    (tmp_path / "mentors.csv").write_text("id,availability\n" + rows, encoding="utf-8")
    (tmp_path / "executives.csv").write_text("id,timezone\ne1,UTC\n", encoding="utf-8")
    code, out, err = run("match", str(tmp_path))
    assert code == 1
    assert out == ""
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert "rows 2–201" in errors[0]
    assert "Traceback" not in err


def test_inspect_reads_as_told_and_says_how(tmp_path: Path) -> None:
    text = "Personalnummer;Zeitzone;Verfügbarkeit\nm-1;Europe/Berlin;Mo 12-14\n"
    (tmp_path / "mentoren.csv").write_bytes(text.encode("cp1252"))
    draft = tmp_path / "map.json"
    code, _, err = run("inspect", str(tmp_path / "mentoren.csv"), "-o", str(draft))
    assert code == 0, err
    assert "read as Windows-1252/Latin-1, ';'-separated (detected)" in err
    mapping = json.loads(draft.read_text(encoding="utf-8"))
    assert mapping["columns"] == {
        "Personalnummer": "id",
        "Zeitzone": "timezone",
        "Verfügbarkeit": "availability",
    }
    assert "encoding" not in mapping
    code, _, err = run(
        "inspect",
        str(tmp_path / "mentoren.csv"),
        "--encoding",
        "cp1252",
        "--delimiter",
        ";",
        "-o",
        str(draft),
    )
    assert code == 0, err
    assert "(given)" in err
    mapping = json.loads(draft.read_text(encoding="utf-8"))
    assert (mapping["encoding"], mapping["delimiter"]) == ("cp1252", ";")


def test_match_alternatives(program_file: Path) -> None:
    program = rm.read_program(program_file)
    found = rm.alternatives(program, 3)
    code, out, err = run("match", str(program_file), "--alternatives", "3")
    assert code == 0, err
    assert out.startswith(found.table())
    assert out.count("alternative ") == len(found) - 1
    code, out, _ = run("match", str(program_file), "--alternatives", "3", "--format", "json")
    assert code == 0
    def ranked(data: dict[str, object]) -> list[tuple[object, ...]]:
        # stage timings differ between runs; rank, objective and swaps may not
        alts = data["alternatives"]
        assert isinstance(alts, list)
        return [(a["rank"], a["objective"], a["swaps"]) for a in alts]

    assert ranked(json.loads(out)) == ranked(json.loads(found.to_json()))
    code, _, err = run("match", str(program_file), "--alternatives", "0")
    assert code == 1
    assert "The 'k' of alternatives must be >= 1. Got 0." in err
    code, _, err = run("match", str(program_file), "--alternatives", "2", "--format", "csv")
    assert code == 2
