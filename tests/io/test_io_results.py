"""Tests of result output (CSV, JSON, JSON Lines, Excel, table) and keyed pseudonyms."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import revmatch as rm
from revmatch.exceptions import InvalidInputError
from revmatch.io import (
    format_table,
    pseudonym,
    pseudonymize,
    read_key_file,
    write_records,
    write_result,
)


@pytest.fixture(scope="module")
def result() -> rm.MatchResult:
    program = rm.datasets.make_program(n_executives=12, n_mentors=10, seed=5)
    return rm.match(program)


def test_csv_holds_pairs_and_unmatched_with_ids_scores_and_slots(
    result: rm.MatchResult, tmp_path: Path
) -> None:
    text = write_result(result, tmp_path / "pairs.csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(result.pairs) + len(result.unmatched)
    first = rows[0]
    pair = result.pairs[0]
    assert (first["kind"], first["executive_id"], first["mentor_id"]) == (
        "pair",
        pair.executive_id,
        pair.mentor_id,
    )
    assert first["executive_name"] == pair.executive_name
    assert float(first["c:topic"]) == pytest.approx(pair.components["topic"])
    assert first["meeting_utc"]
    assert {r["kind"] for r in rows} == {"pair", "unmatched"}
    on_disk = (tmp_path / "pairs.csv").read_bytes()
    assert on_disk.startswith(b"\xef\xbb\xbf")  # Excel reads the accents right


def test_json_is_the_whole_result_and_reads_back(result: rm.MatchResult, tmp_path: Path) -> None:
    write_result(result, tmp_path / "result.json")
    again = rm.MatchResult.from_json(tmp_path / "result.json")
    assert again.pairs == result.pairs
    assert again.unmatched == result.unmatched


def test_excel_has_a_sheet_per_kind(result: rm.MatchResult, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    write_result(result, tmp_path / "result.xlsx")
    book = openpyxl.load_workbook(tmp_path / "result.xlsx", read_only=True)
    assert book.sheetnames == ["pair", "unmatched"]
    rows = list(book["pair"].iter_rows(values_only=True))
    assert rows[1][1] == result.pairs[0].executive_id
    assert len(rows) == len(result.pairs) + 1
    book.close()


def test_table_and_jsonl(result: rm.MatchResult) -> None:
    table = write_result(result, format="table")
    assert table.splitlines()[0].split()[:3] == ["kind", "executive_id", "mentor_id"]
    lines = write_result(result, format="jsonl").splitlines()
    assert json.loads(lines[0])["executive_id"] == result.pairs[0].executive_id


def test_unknown_formats_are_refused(result: rm.MatchResult, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="cannot tell the output format"):
        write_result(result, tmp_path / "result.pdf")
    with pytest.raises(InvalidInputError, match="unknown output format"):
        write_result(result, format="yaml")
    with pytest.raises(InvalidInputError, match="needs a path"):
        write_records([{"a": 1}], format="xlsx")


def test_pseudonymized_output_hides_every_id_and_name(
    result: rm.MatchResult, tmp_path: Path
) -> None:
    program_ids = [p.id for p in rm.datasets.make_program(12, 10, seed=5).people()]
    for name in ("shared.csv", "shared.json", "shared.txt"):
        key_file = tmp_path / f"{name}.key.json"
        text = write_result(
            result,
            tmp_path / name,
            pseudonymize_key="s3cret",
            key_file=key_file,
            extra_ids=program_ids,
        )
        for pair in result.pairs:
            for value in (pair.executive_id, pair.mentor_id, pair.executive_name or "-"):
                assert value not in text, (name, value)
        back = read_key_file(key_file)
        assert back[pseudonym(result.pairs[0].executive_id, "s3cret")] == (
            result.pairs[0].executive_id
        )
    with pytest.raises(InvalidInputError, match="only together with"):
        write_result(result, format="csv", key_file=tmp_path / "k.json")


def test_pseudonyms_are_stable_keyed_and_do_not_change_the_input() -> None:
    rows = [{"executive_id": "e-1", "mentor_id": "m-10", "hint": "capacity of m-1 1 -> 2"}]
    first, mapping = pseudonymize(rows, "k1", extra_ids=["m-1"])
    again, _ = pseudonymize(rows, "k1", extra_ids=["m-1"])
    other, _ = pseudonymize(rows, "k2", extra_ids=["m-1"])
    assert first == again
    assert first[0]["executive_id"] != other[0]["executive_id"]
    assert rows[0]["executive_id"] == "e-1"
    assert first[0]["hint"] == f"capacity of {pseudonym('m-1', 'k1')} 1 -> 2"
    assert mapping[first[0]["mentor_id"]] == "m-10"
    with pytest.raises(InvalidInputError, match="must not be empty"):
        pseudonymize(rows, "")


@given(st.lists(st.text("abc-0123", min_size=1, max_size=5), min_size=1, max_size=20, unique=True))
def test_pseudonyms_never_collide_and_map_back(ids: list[str]) -> None:
    rows = [{"id": i} for i in ids]
    shared, mapping = pseudonymize(rows, "key")
    assert len({r["id"] for r in shared}) == len(ids)
    assert [mapping[r["id"]] for r in shared] == ids


def test_format_table_aligns_and_cuts() -> None:
    text = format_table([{"id": "x" * 50, "n": 3}, {"id": "y", "n": 12}], max_width=10)
    lines = text.splitlines()
    assert lines[2] == "xxxxxxxxx…   3"
    assert lines[3].endswith("12")
