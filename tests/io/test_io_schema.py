"""The shipped JSON Schemas: equal to the models' schemas, and true to the readers."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest
from _io_strategies import programs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

import revmatch as rm
from revmatch.exceptions import InvalidInputError
from revmatch.io import config_schema, input_schema, result_schema
from revmatch.io._json import program_records
from revmatch.io._schema import (
    build_config_schema,
    build_input_schema,
    build_result_schema,
)
from revmatch.models import Program

VALIDATOR = jsonschema.Draft202012Validator


@pytest.mark.parametrize(
    ("shipped", "built"),
    [
        (input_schema, build_input_schema),
        (config_schema, build_config_schema),
        (result_schema, build_result_schema),
    ],
    ids=["input", "config", "result"],
)
def test_shipped_schema_equals_the_generated_one(shipped: Any, built: Any) -> None:
    # After changing a model: python -c "from revmatch.io._schema import
    # write_schema_files; write_schema_files('src/revmatch')"
    assert shipped() == json.loads(json.dumps(built()))
    VALIDATOR.check_schema(shipped())


def test_schema_fields_are_the_model_fields() -> None:
    defs = input_schema()["$defs"]
    for model in (rm.Mentor, rm.Executive, rm.OrgEntry, rm.ProgramInfo, rm.HistoryEntry):
        assert set(defs[model.__name__]["properties"]) == set(model.model_fields)
    assert set(input_schema()["properties"]) == set(Program.model_fields)
    assert set(config_schema()["properties"]) == set(rm.MatchConfig.model_fields)


def test_callers_get_a_fresh_copy() -> None:
    input_schema()["properties"].clear()
    assert "mentors" in input_schema()["properties"]


@given(programs())
def test_every_valid_program_fits_the_schema(program: Program) -> None:
    VALIDATOR(input_schema()).validate(program.to_dict())
    VALIDATOR(input_schema()).validate(program_records(program))


def _objects(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Draw instances of an object schema, one property at a time.

    hypothesis-jsonschema draws scalars and arrays well, but its object strategy
    fails with current hypothesis versions, so objects are assembled here.
    """
    if "properties" in schema:
        fields = {name: _objects(sub) for name, sub in schema["properties"].items()}
        required = set(schema.get("required", ()))
        return st.fixed_dictionaries(
            {k: v for k, v in fields.items() if k in required},
            optional={k: v for k, v in fields.items() if k not in required},
        )
    if isinstance(schema.get("additionalProperties"), dict):
        return st.dictionaries(st.text(max_size=8), _objects(schema["additionalProperties"]))
    return from_schema(schema)


# hypothesis-jsonschema's strategies are slow to draw from; a quarter of the profile's
# examples keeps the suite quick.
@settings(
    max_examples=max(10, settings().max_examples // 4),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.data())
def test_records_fitting_the_schema_pass_the_record_checks(data: st.DataObject) -> None:
    # Time zone names and slot order need more than a schema; the rest must agree.
    for model in (rm.Mentor, rm.Executive, rm.OrgEntry):
        record_schema = input_schema()["$defs"][model.__name__]
        for field in ("timezone", "availability"):
            record_schema["properties"].pop(field, None)
        record = data.draw(_objects(record_schema))
        assert VALIDATOR(record_schema).is_valid(record)
        model.model_validate(record)


@given(from_schema(input_schema()["$defs"]["Slot"]["anyOf"][0]))
def test_slot_texts_fitting_the_schema_parse_or_end_too_early(text: str) -> None:
    try:
        rm.Mentor.model_validate({"id": "m", "availability": [text]})
    except InvalidInputError as exc:
        (problem,) = exc.problems
        # The only thing a slot pattern cannot say: the end comes after the start.
        assert problem.field == "availability[0].end" or "not after its start" in problem.message


def test_schema_rejects_what_the_readers_reject() -> None:
    validator = VALIDATOR(input_schema())
    bad = [
        {"mentors": [{"id": "m1", "capacity": -1}]},
        {"mentors": [{"id": "m1", "expertise": {"digital": 6}}]},
        {"mentors": [{"id": "m1", "availability": ["Monday noon"]}]},
        {"mentors": [{"id": "m1", "availability": ["Mon 12:10-13:00"]}]},
        {"mentors": [{"id": "m1", "timezon": "UTC"}]},
        {"executives": [{"id": " "}]},
        {"mentor": []},
    ]
    for data in bad:
        assert not validator.is_valid(data), data


def test_config_and_result_schemas_fit_real_objects() -> None:
    VALIDATOR(config_schema()).validate(json.loads(rm.MatchConfig().model_dump_json()))
    assert not VALIDATOR(config_schema()).is_valid({"weights": {"topik": 1}})
    assert VALIDATOR(config_schema()).is_valid({"weights": {"custom:travel": 0.2}})
    program = rm.datasets.make_program(n_executives=12, n_mentors=10, seed=5)
    result = rm.match(program)
    data = json.loads(result.to_json())
    assert data["unmatched"]  # the schema is exercised on both kinds of entries
    VALIDATOR(result_schema()).validate(data)


def test_slot_pattern_is_case_insensitive_like_the_parser() -> None:
    pattern = input_schema()["$defs"]["Slot"]["anyOf"][0]["pattern"]
    for text in ("mon 12:00-13:00", "MONDAY 9:00-9:15", "Sun 23:45-24:00"):
        assert re.search(pattern, text), text
        rm.Mentor.model_validate({"id": "m", "availability": [text]})
