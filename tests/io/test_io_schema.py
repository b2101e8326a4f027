"""The shipped JSON Schemas: equal to the models' schemas, and true to the readers."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings
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
from tests.strategies.programs import file_programs

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


@given(file_programs())
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
        # A dotted-line manager that is the person or is listed twice is a rule
        # between fields (told in the field's description), not a schema's.
        dotted = [str(i).strip() for i in record.get("secondary_manager_ids", [])]
        assume(len(set(dotted)) == len(dotted))
        assume(str(record.get("id", "")).strip() not in dotted)
        model.model_validate(record)


@given(
    st.one_of(
        st.text(max_size=30),
        st.from_regex(
            r"(Mo|Mon|Montag|So|sun)[ .:]{0,2}[0-9]{1,2}([:.][0-9]{2})? ?[-\u2013] ?"
            r"[0-9]{1,2}([:.][0-9]{2})?( ?[ap]m)?",
            fullmatch=True,
        ),
    )
)
def test_slot_texts_the_reader_accepts_fit_the_schema(text: str) -> None:
    # Text as people write it is checked by the reader, not by a pattern: the
    # schema must never refuse what the reader accepts.
    try:
        rm.Mentor.model_validate({"id": "m", "availability": [text]})
    except InvalidInputError:
        return
    assert VALIDATOR(input_schema()["$defs"]["Slot"]).is_valid(text)


def test_schema_rejects_what_the_readers_reject() -> None:
    validator = VALIDATOR(input_schema())
    bad = [
        {"mentors": [{"id": "m1", "capacity": -1}]},
        {"mentors": [{"id": "m1", "expertise": {"digital": 6}}]},
        {
            "mentors": [
                {"id": "m1", "availability": [{"day": "Mon", "start": "12:10", "end": "13"}]}
            ]
        },
        {
            "mentors": [
                {"id": "m1", "availability": [{"day": "Funday", "start": "12:00", "end": "13:00"}]}
            ]
        },
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


def test_slot_day_pattern_is_case_insensitive_like_the_parser() -> None:
    slot = input_schema()["$defs"]["Slot"]
    for day in ("mon", "MONDAY", "Montag", "so", "Thurs"):
        record = {"day": day, "start": "12:00", "end": "13:00"}
        assert VALIDATOR(slot).is_valid(record), day
        rm.Mentor.model_validate({"id": "m", "availability": [record]})
