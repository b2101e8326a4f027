"""Fairness metrics of a result against a hand computation."""

from __future__ import annotations

import pytest

import revmatch as rm
from revmatch.cli import main


def _program() -> rm.Program:
    data = rm.datasets.make_program(4, 4, seed=2).to_dict()
    for k, person in enumerate(data["executives"]):
        person.update(department=["A", "A", "B", None][k], groups=[["x"], ["x", "y"], [], []][k])
        person.pop("manager_id", None)
    for person in data["mentors"]:
        person.pop("manager_id", None)
    return rm.Program.model_validate(data)


def test_group_figures_match_a_hand_computation() -> None:
    program = _program()
    result = rm.match(program)
    fair = result.metrics["fairness"]
    execs = {e.id: e for e in program.executives}
    scores: dict[str, list[float]] = {}
    for p in result.pairs:
        scores.setdefault(p.executive_id, []).append(p.score)
    for dept in ("A", "B"):
        members = [e.id for e in program.executives if e.department == dept]
        got = fair["executives"]["department"][dept]
        matched = [m for m in members if m in scores]
        assert got["size"] == len(members)
        assert got["matched"] == len(matched)
        assert got["coverage"] == pytest.approx(len(matched) / len(members), abs=1e-6)
        values = [s for m in matched for s in scores[m]]
        if values:
            assert got["mean_score"] == pytest.approx(sum(values) / len(values), abs=1e-6)
            assert got["min_score"] == pytest.approx(min(values), abs=1e-6)
        else:
            assert got["mean_score"] is None
            assert got["min_score"] is None
    # labels: "x" is held by the first two executives, "y" by the second only
    assert fair["executives"]["groups"]["x"]["size"] == 2
    assert fair["executives"]["groups"]["y"]["size"] == 1
    assert None not in fair["executives"]["department"]
    assert execs  # the program has executives
    worst = fair["worst"]["coverage"]
    groups = fair["executives"][worst["attribute"]]
    every = [g["coverage"] for a in fair["executives"].values() for g in a.values()]
    assert worst["coverage"] == min(every)
    assert groups[worst["value"]]["coverage"] == worst["coverage"]


def test_cli_quota_errors_exit_2_and_a_good_quota_runs(capsys: pytest.CaptureFixture[str]) -> None:
    small = ["demo", "--executives", "8", "--mentors", "8"]
    assert main([*small, "--quota", "executive.loc:min=1"]) == 2
    assert "unknown attribute 'loc'" in capsys.readouterr().err
    assert main([*small, "--quota", "executive.location"]) == 2
    code = main(
        [
            *small,
            *["--format", "json", "--quota", "pair.department*department:max=1"],
            *["--objective", "maximin_groups"],
        ]
    )
    assert code == 0
