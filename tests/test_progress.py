"""Progress of long calls: callbacks advance monotonically to their total; the CLI's bar."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import revmatch as rm
from revmatch import _progress
from revmatch.cli import main
from revmatch.lifecycle import sweep
from tests.extras import needs

Calls = list[tuple[int, int, str]]


class Recorder:
    """A :class:`revmatch.Progress` that keeps every call."""

    def __init__(self) -> None:
        self.calls: Calls = []

    def __call__(self, done: int, total: int, label: str, /) -> None:
        self.calls.append((done, total, label))


def check_progress(calls: Calls) -> dict[str, tuple[int, int]]:
    """Every label's calls: one run from 0 up to its total, never backwards.

    Returns the last (done, total) of each label.
    """
    assert calls, "no progress reported"
    runs: list[tuple[str, list[tuple[int, int]]]] = []
    for done, total, label in calls:
        if not runs or runs[-1][0] != label:
            assert label not in {name for name, _ in runs}, f"{label!r} reported twice"
            runs.append((label, []))
        runs[-1][1].append((done, total))
    for label, steps in runs:
        dones = [d for d, _ in steps]
        assert dones[0] == 0, label
        assert dones == sorted(dones), label
        assert all(0 <= d <= t for d, t in steps), label
        assert steps[-1][0] == steps[-1][1], f"{label!r} ended at {steps[-1]}"
    return {label: steps[-1] for label, steps in runs}


def test_the_recorder_is_a_progress() -> None:
    progress: rm.Progress = Recorder()
    progress(0, 1, "x")


@given(st.integers(1, 6), st.integers(1, 4))
@settings(max_examples=10, deadline=None)
def test_sweep_reports_every_setting(n_topic: int, n_overlap: int) -> None:
    program = rm.datasets.make_program(n_executives=5, n_mentors=7, seed=n_topic)
    grid = {
        "weights.topic": [0.1 * (i + 1) for i in range(n_topic)],
        "min_overlap_minutes": [30 * i for i in range(n_overlap)],
    }
    recorder = Recorder()
    table = sweep(program, grid=grid, progress=recorder)
    assert check_progress(recorder.calls) == {"settings": (len(table), len(table))}
    assert len(recorder.calls) == len(table) + 1


@pytest.mark.parametrize("max_changes", [None, 0, 1])
def test_rematch_reports_its_four_stages(max_changes: int | None) -> None:
    program = rm.datasets.make_program(n_executives=6, n_mentors=8, seed=2)
    previous = rm.match(program)
    changed = rm.remove_people(program, [program.mentors[0].id])
    recorder = Recorder()
    rm.rematch(previous, changed, max_changes=max_changes, progress=recorder)
    assert check_progress(recorder.calls) == {"stages": (4, 4)}
    assert [d for d, _, _ in recorder.calls] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("k", [1, 3, 50])
def test_alternatives_report_the_search_and_each_result(k: int) -> None:
    program = rm.datasets.make_program(n_executives=3, n_mentors=3, seed=1)
    recorder = Recorder()
    found = rm.alternatives(program, k, progress=recorder)
    n = len(found)
    assert check_progress(recorder.calls) == {"alternatives": (n + 1, n + 1)}
    assert recorder.calls[0] == (0, k + 1, "alternatives")
    assert [d for d, _, _ in recorder.calls] == list(range(n + 2))


@pytest.mark.parametrize("k", [1, 2, 4])
def test_candidate_mode_reports_every_solve_of_the_graph(k: int) -> None:
    program = rm.datasets.make_program(n_executives=15, n_mentors=30, seed=5)
    recorder = Recorder()
    result = rm.match(program, rm.MatchConfig(candidates=k), progress=recorder)
    rounds = result.audit["candidates"]["rounds"]
    # The candidate lists, one step per solve of the candidate graph, the result.
    assert check_progress(recorder.calls) == {"candidate mode": (rounds + 2, rounds + 2)}
    dense = Recorder()
    rm.match(program, progress=dense)
    assert dense.calls == []  # the dense path reports nothing


# ---------------------------------------------------------------- ProgressBar


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@needs("tqdm")
def test_progress_bar_draws_each_label_and_closes() -> None:
    stream = Terminal()
    with rm.ProgressBar(delay=0, file=stream, leave=True) as bar:
        for done in range(4):
            bar(done, 3, "settings")
        bar(0, 2, "stages")
        bar(2, 2, "stages")
    text = stream.getvalue()
    assert "settings" in text
    assert "3/3" in text
    assert "stages" in text
    assert "2/2" in text


def test_terminal_bar_only_for_a_terminal_without_quiet() -> None:
    assert _progress.terminal_bar(True, Terminal()) is None
    assert _progress.terminal_bar(False, io.StringIO()) is None


def test_without_tqdm_a_bar_says_how_to_install_and_the_cli_stays_silent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    with pytest.raises(ImportError, match=r"pip install 'revmatch\[progress\]'"):
        rm.ProgressBar()
    assert _progress.terminal_bar(False, Terminal()) is None


# ------------------------------------------------------------------------ CLI


@pytest.fixture
def program_file(tmp_path: Path) -> Path:
    program = rm.datasets.make_program(n_executives=6, n_mentors=8, seed=4)
    path = tmp_path / "people.json"
    path.write_text(json.dumps(program.to_dict()), encoding="utf-8")
    return path


def _cli(*argv: str, stderr: io.StringIO) -> tuple[int, str, str]:
    out = io.StringIO()
    code = main(list(argv), stdout=out, stderr=stderr)
    return code, out.getvalue(), stderr.getvalue()


def _commands(program_file: Path, tmp_path: Path) -> list[list[str]]:
    first = tmp_path / "round1.json"
    code, _, _ = _cli(
        "match", str(program_file), "--format", "json", "-o", str(first), stderr=io.StringIO()
    )
    assert code == 0
    return [
        ["match", str(program_file), "--alternatives", "3"],
        ["rematch", str(first), str(program_file), "--max-changes", "1"],
    ]


@needs("tqdm")
def test_cli_bar_on_a_terminal_none_when_piped_or_quiet(
    program_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_progress, "DELAY", 0.0)  # draw at once, however short the work
    for argv in _commands(program_file, tmp_path):
        code, out, err = _cli(*argv, stderr=Terminal())
        assert code == 0
        assert "alternatives" in err or "stages" in err, argv
        assert "it/s" in err or "|" in err, err
        piped = _cli(*argv, stderr=io.StringIO())
        quiet = _cli(*argv, "--quiet", stderr=Terminal())
        assert piped[0] == quiet[0] == 0
        # Same output; the piped stderr has the summary and no bar, quiet has neither.
        assert piped[1] == quiet[1] == out
        for text in (piped[2], quiet[2]):
            assert "\r" not in text
            assert "|" not in text
        assert quiet[2] == ""


def test_cli_without_tqdm_prints_nothing_extra(
    program_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_progress, "DELAY", 0.0)
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    for argv in _commands(program_file, tmp_path):
        on_terminal = _cli(*argv, stderr=Terminal())
        piped = _cli(*argv, stderr=io.StringIO())
        assert on_terminal[0] == 0
        assert on_terminal[1:] == piped[1:]
