"""`revmatch fit`: the fit printed, a config written only when usable, no traceback."""

from __future__ import annotations

import io
import json
from pathlib import Path

import revmatch as rm
from revmatch import io as rio
from revmatch.cli import main


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_a_usable_fit_writes_a_config_that_match_reads(tmp_path: Path) -> None:
    source = tmp_path / "round1.json"
    rio.write_program(rm.datasets.make_feedback(n_rated=600, seed=0), source)
    target = tmp_path / "learned.json"
    code, out, err = _run("fit", str(source), "-o", str(target))
    assert code == 0, err
    assert "usable" in out
    config = rm.MatchConfig.model_validate_json(target.read_text())
    assert config.fit is not None
    assert config.fit.usable
    assert {n: config.weights[n] for n in config.fit.weights} == config.fit.weights
    code, out, err = _run("fit", str(source), "--format", "json")
    assert code == 0
    assert rm.FitResult.model_validate(json.loads(out)) == config.fit


def test_too_few_pairs_write_nothing_and_exit_1(tmp_path: Path) -> None:
    source = tmp_path / "round1.json"
    rio.write_program(rm.datasets.make_feedback(n_rated=30, seed=0), source)
    target = tmp_path / "learned.json"
    code, out, err = _run("fit", str(source), "-o", str(target))
    assert code == 1
    assert "Too few pairs" in out
    assert "not written" in err
    assert not target.exists()


def test_a_program_without_outcomes_is_a_clear_error(tmp_path: Path) -> None:
    source = tmp_path / "plain.json"
    rio.write_program(rm.datasets.make_program(n_executives=4, n_mentors=5, seed=0), source)
    code, out, err = _run("fit", str(source))
    assert code == 1
    assert "nothing to learn from" in err
    assert "Traceback" not in err
    assert out == ""
