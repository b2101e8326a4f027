"""MatchResult as data: the methods other modules provide, and the program it keeps."""

from __future__ import annotations

import dataclasses

import pytest
from pydantic import BaseModel

import revmatch as rm
from revmatch import result as result_module


@pytest.fixture(scope="module")
def program() -> rm.Program:
    return rm.datasets.make_program(n_executives=6, n_mentors=9, seed=2)


@pytest.fixture(scope="module")
def result(program: rm.Program) -> rm.MatchResult:
    return rm.match(program)


def test_every_method_is_provided_once_revmatch_is_imported() -> None:
    assert set(result_module._OPERATIONS) == set(result_module._PROVIDERS)


def test_a_method_whose_module_was_not_imported_names_the_module(
    result: rm.MatchResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(result_module._OPERATIONS, "explain")
    with pytest.raises(
        RuntimeError, match=r"MatchResult\.explain\(\) is provided by revmatch\.explain"
    ):
        result.explain(result.pairs[0].executive_id)


def test_an_unknown_operation_is_refused() -> None:
    with pytest.raises(ValueError, match="MatchResult has no operation 'merge'"):
        result_module.register_operation("merge", print)


def test_the_result_keeps_its_program_outside_json_and_equality(
    program: rm.Program, result: rm.MatchResult
) -> None:
    assert result.program is program
    again = rm.MatchResult.from_json(result.to_json())
    assert again.program is None
    assert again == result
    assert "program" not in result.to_dict()


def test_the_arrays_hold_no_pydantic_object(result: rm.MatchResult) -> None:
    assert result.scores is not None
    arrays = result.scores.arrays
    for f in dataclasses.fields(arrays):
        value = getattr(arrays, f.name)
        items = value if isinstance(value, tuple) else (value,)
        assert not any(isinstance(v, BaseModel) for v in items), f.name
