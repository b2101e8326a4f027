"""Outcomes of past pairs in history entries: validation, schema, tables and round trips."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import revmatch as rm
from revmatch import io
from revmatch.exceptions import InvalidInputError
from revmatch.models import collect_problems


def _entry(**fields: Any) -> rm.HistoryEntry:
    return rm.HistoryEntry(executive_id="e1", mentor_id="m1", **fields)


def _program(history: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "program": {"timezone": "UTC"},
        "mentors": [{"id": "m1"}, {"id": "m2"}],
        "executives": [{"id": "e1"}],
        "history": history,
    }


@pytest.mark.parametrize("rating", [1, 2, 3, 4, 5])
def test_a_rating_in_range_is_kept(rating: int) -> None:
    entry = _entry(rating=rating)
    assert entry.rating == rating
    assert entry.has_outcome


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"rating": 0}, "rating", "greater than or equal to 1"),
        ({"rating": 6}, "rating", "less than or equal to 5"),
        ({"rating": True}, "rating", "valid integer"),
        ({"rating": 3.5}, "rating", "valid integer"),
        ({"outcome": "lost"}, "outcome", "'kept' or 'closed_early'"),
        ({"rating": 4, "outcome": "kept"}, "outcome", "not both"),
        ({"outcome": "kept", "reason": "moved"}, "reason", "only with outcome 'closed_early'"),
        ({"reason": "moved"}, "reason", "only with outcome 'closed_early'"),
        ({"rating": 2, "reason": "moved"}, "reason", "only with outcome 'closed_early'"),
    ],
)
def test_bad_outcomes_name_the_entry_and_field(
    fields: dict[str, Any], field: str, text: str
) -> None:
    data = _program(
        [
            {"executive_id": "e1", "mentor_id": "m1", "rating": 5},
            {"executive_id": "e1", "mentor_id": "m2", **fields},
        ]
    )
    program, problems = collect_problems(data)
    assert program is None
    (problem,) = problems
    assert (problem.record, problem.field) == ("history[1]", field)
    assert text in problem.message
    with pytest.raises(InvalidInputError, match=text):
        rm.Program.model_validate(data)


@pytest.mark.parametrize("word", ["closed early", "Closed-Early", " CLOSED_EARLY "])
def test_outcome_words_are_normalised(word: str) -> None:
    entry = _entry(outcome=word, reason="moved abroad")
    assert entry.outcome == "closed_early"
    assert entry.reason == "moved abroad"


def test_blank_outcome_cells_mean_no_outcome() -> None:
    entry = _entry(outcome="", reason=" ")
    assert entry.outcome is None
    assert entry.reason is None
    assert not entry.has_outcome


def test_schema_and_reference_name_the_outcome_fields() -> None:
    history = io.input_schema()["$defs"]["HistoryEntry"]["properties"]
    assert {"rating", "outcome", "reason"} <= set(history)
    page = (Path(__file__).parents[2] / "docs" / "reference" / "input.md").read_text()
    for field in ("rating", "outcome", "reason"):
        assert f"`{field}`" in page


def test_outcomes_survive_json_and_csv(tmp_path: Path) -> None:
    program = rm.datasets.make_feedback(n_rated=12, kind="mixed", seed=3)
    first = program.history[0]
    program = program.replace(
        history=[
            *program.history,
            rm.HistoryEntry(
                executive_id=first.executive_id,
                mentor_id=program.mentors[-1].id,
                outcome="closed_early",
                reason="moved abroad",
            ),
        ]
    )
    assert rm.Program.model_validate_json(program.model_dump_json()) == program
    io.write_program(program, tmp_path)
    assert rm.read_program(tmp_path).history == program.history


def test_history_without_outcomes_writes_the_old_columns(tmp_path: Path) -> None:
    program = rm.Program.model_validate(_program([{"executive_id": "e1", "mentor_id": "m1"}]))
    io.write_program(program, tmp_path)
    header = (tmp_path / "history.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "executive_id,mentor_id,round"


def test_a_bad_rating_cell_is_located(tmp_path: Path) -> None:
    program = rm.datasets.make_feedback(n_rated=3, kind="rating", seed=0)
    io.write_program(program, tmp_path)
    path = tmp_path / "history.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    cells = lines[2].split(",")
    cells[header.index("rating")] = "7"
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        rm.read_program(tmp_path)
    (problem,) = [p for p in info.value.problems if p.severity == "error"]
    assert "history.csv" in str(problem)
    assert "line 3" in str(problem)
    assert problem.field == "rating"
    cells[header.index("rating")] = "four"
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="whole number"):
        rm.read_program(tmp_path)
