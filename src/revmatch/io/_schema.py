"""JSON Schemas of the input, the configuration and the result.

The schemas are generated from the models and shipped as files in the
package (``program.schema.json``, ``config.schema.json``,
``result.schema.json``); a test checks that the shipped files equal freshly
generated ones. :func:`input_schema` and friends return the shipped files.

The input schema describes what the readers accept record by record: ids as
text (or integers), slots as text (``"Mon 12:00-14:00"``, or as people
write it: ``"Mo-Fr 12-13"``) or objects, topic levels 0..5. Checks that need
the whole program (unique ids, known topics and time zones, readable slot
texts ending after they start, no reporting cycles) are beyond JSON Schema;
:func:`revmatch.io.validate_files` makes them.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from revmatch.availability import DAY_SPELLINGS
from revmatch.models import COMPONENTS, MatchConfig, Program

__all__ = [
    "SCHEMA_FILES",
    "build_config_schema",
    "build_input_schema",
    "build_result_schema",
    "config_schema",
    "input_schema",
    "result_schema",
    "write_schema_files",
]

SCHEMA_FILES: dict[str, str] = {
    "input": "program.schema.json",
    "config": "config.schema.json",
    "result": "result.schema.json",
}
"""Schema kind -> file name inside the ``revmatch`` package."""

_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _any_case(word: str) -> str:
    # JSON Schema regexes have no case-insensitive flag.
    return "".join(f"[{c.lower()}{c.upper()}]" for c in word)


def _slot_schema() -> dict[str, Any]:
    days = "|".join(_any_case(d) for d in sorted(DAY_SPELLINGS, key=len)[::-1])
    start = r"([01]?[0-9]|2[0-3]):(00|15|30|45)"
    end = rf"({start}|24:00)"
    day_value = {
        "anyOf": [
            {"type": "string", "pattern": rf"^\s*({days})\.?\s*$"},
            {"type": "integer", "minimum": 0, "maximum": 6},
        ]
    }
    return {
        "description": "A weekly slot in the person's own time zone, on a 15-minute grid; "
        "the end must come after the start.",
        "anyOf": [
            {
                # Free text (day names in two languages, ranges, 12-hour times,
                # lists) is beyond a regular expression; the reader checks it.
                "type": "string",
                "description": "One or more slots as people write them, e.g. 'Mon 12:00-14:00', "
                "'Montag 12-14', 'Mo-Fr 12-13', 'Thu 12pm-2pm', 'Mon 22:00-02:00' (split at "
                "midnight), separated by ';', ',' or line breaks; blank text holds none.",
                "examples": ["Mon 12:00-14:00", "Thu 08:30-10:00", "Mo-Fr 12-13"],
            },
            {
                "type": "object",
                "properties": {
                    "day": day_value,
                    "start": {"type": "string", "pattern": rf"^\s*{start}\s*$"},
                    "end": {"type": "string", "pattern": rf"^\s*{end}\s*$"},
                    "every": {
                        "enum": [1, 2],
                        "default": 1,
                        "description": "2 for a fortnightly slot",
                    },
                },
                "required": ["day", "start", "end"],
                "additionalProperties": False,
            },
        ],
    }


def _first_paragraph(schema: Any) -> None:
    """Cut docstring-derived descriptions to their first paragraph, recursively."""
    if isinstance(schema, dict):
        text = schema.get("description")
        if isinstance(text, str):
            schema["description"] = text.split("\n\n", 1)[0].replace("\n", " ")
        for value in schema.values():
            _first_paragraph(value)
    elif isinstance(schema, list):
        for item in schema:
            _first_paragraph(item)


_ID = {"type": "string", "minLength": 1, "maxLength": 200, "pattern": r"\S"}


def build_input_schema() -> dict[str, Any]:
    """Generate the JSON Schema of the canonical input from the models.

    Returns
    -------
    dict
    """
    schema = Program.model_json_schema(mode="validation")
    defs = schema["$defs"]
    defs["Slot"] = _slot_schema()
    text_or_number_id = {"anyOf": [_ID, {"type": "integer"}]}
    manager = {
        "anyOf": [_ID, {"type": "integer"}, {"type": "string", "maxLength": 0}, {"type": "null"}],
        "default": None,
        "description": "The person's manager; null, empty or the person's own id for the top "
        "of the tree.",
    }
    for name in ("Mentor", "Executive", "OrgEntry"):
        properties = defs[name]["properties"]
        properties["id"] = {**text_or_number_id, "description": "Unique id; text is kept as is."}
        properties["manager_id"] = manager
        properties["secondary_manager_ids"] = {
            "type": "array",
            "items": text_or_number_id,
            "default": [],
            "description": "Dotted-line managers (matrix organisations); reporting chains "
            "follow them like manager_id. Each must be a known id, listed once, not the "
            "person's own.",
        }
        if "timezone" in properties:
            properties["timezone"] = {
                "anyOf": [
                    {"type": "string", "examples": ["Europe/Berlin", "UTC"]},
                    {"type": "null"},
                ],
                "default": None,
                "description": "IANA time zone; may be left out when program.timezone is set.",
            }
    defs["ProgramInfo"]["properties"]["timezone"]["description"] = (
        "Default IANA time zone of people who give none."
    )
    schema["properties"]["priority"]["items"] = _ID
    _first_paragraph(schema)
    return {
        "$schema": _DRAFT,
        "title": "revmatch program",
        "description": "Input of revmatch: program settings, mentors, executives and the org "
        "chart around them. Checks of the whole program (unique ids, known topics and time "
        "zones, no reporting cycles) are made by revmatch itself.",
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def build_config_schema() -> dict[str, Any]:
    """Generate the JSON Schema of :class:`~revmatch.models.MatchConfig`.

    Returns
    -------
    dict
    """
    schema = MatchConfig.model_json_schema(mode="validation")
    weights = schema["properties"]["weights"]
    weights["propertyNames"] = {
        "anyOf": [{"enum": list(COMPONENTS)}, {"type": "string", "pattern": "^custom:.+"}]
    }
    weights["additionalProperties"] = {"type": "number", "minimum": 0}
    weights.pop("default", None)
    weights["description"] = (
        "Weight per score component; missing components keep their default, "
        "custom components are named 'custom:<name>'."
    )
    _first_paragraph(schema)
    return {
        "$schema": _DRAFT,
        "title": "revmatch match configuration",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def build_result_schema() -> dict[str, Any]:
    """Generate the JSON Schema of a result as :meth:`MatchResult.to_json` writes it.

    Returns
    -------
    dict
    """
    from pydantic import BaseModel, ConfigDict

    from revmatch.result import Pair, Unmatched

    class MatchResultJSON(BaseModel):
        """A match result: pairs, unmatched people, spare capacity, metrics, audit."""

        model_config = ConfigDict(extra="forbid")

        pairs: list[Pair]
        unmatched: list[Unmatched]
        spare_capacity: dict[str, int]
        metrics: dict[str, Any]
        audit: dict[str, Any]

    schema = MatchResultJSON.model_json_schema(mode="serialization")
    _first_paragraph(schema)
    return {
        "$schema": _DRAFT,
        "title": "revmatch match result",
        **{k: v for k, v in schema.items() if k != "title"},
    }


_BUILDERS = {
    "input": build_input_schema,
    "config": build_config_schema,
    "result": build_result_schema,
}


@cache
def _shipped(kind: str) -> str:
    return resources.files("revmatch").joinpath(SCHEMA_FILES[kind]).read_text(encoding="utf-8")


def _load(kind: str) -> dict[str, Any]:
    # A fresh copy each call: callers may change what they get.
    data: dict[str, Any] = json.loads(_shipped(kind))
    return copy.deepcopy(data)


def input_schema() -> dict[str, Any]:
    """Return the JSON Schema of the canonical program input (shipped with the package).

    Returns
    -------
    dict
        Draft 2020-12 schema. Records valid under it pass revmatch's record
        checks; checks across records are made by revmatch itself.

    Examples
    --------
    >>> sorted(input_schema()["properties"])[:3]
    ['executives', 'history', 'mentors']
    """
    return _load("input")


def config_schema() -> dict[str, Any]:
    """Return the JSON Schema of a match configuration file.

    Returns
    -------
    dict

    Examples
    --------
    >>> config_schema()["properties"]["min_overlap_minutes"]["default"]
    60
    """
    return _load("config")


def result_schema() -> dict[str, Any]:
    """Return the JSON Schema of a match result (``MatchResult.to_json()``).

    Returns
    -------
    dict

    Examples
    --------
    >>> result_schema()["required"]
    ['pairs', 'unmatched', 'spare_capacity', 'metrics', 'audit']
    """
    return _load("result")


def write_schema_files(directory: str | Path | None = None) -> list[Path]:
    """Regenerate the shipped schema files (run after changing the models).

    Parameters
    ----------
    directory : str or path, optional
        Where to write; default the installed ``revmatch`` package directory.

    Returns
    -------
    list of Path
        The files written.
    """
    target = Path(directory) if directory is not None else Path(str(resources.files("revmatch")))
    written = []
    for kind, name in SCHEMA_FILES.items():
        path = target / name
        text = json.dumps(_BUILDERS[kind](), indent=2, ensure_ascii=False) + "\n"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    _shipped.cache_clear()
    return written
