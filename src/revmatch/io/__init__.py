"""Reading and writing revmatch data: JSON, JSON Lines, CSV, Excel and DataFrames.

Readers collect every problem of the input in one pass and name, for each,
the file, the line (as an editor or spreadsheet shows it), the record by its
id, the field and the expected form. They never echo names, e-mails or other
personal values of a record.

Reading and validating
    :func:`read_program`, :func:`validate_files`, :func:`program_from_pandas`,
    :func:`validate_frames`, :func:`read_config`, :class:`ValidationReport`
    (its problems alike grouped as :class:`ProblemGroup`).
Column mappings of HR exports
    :class:`ColumnMapping`, :data:`PRESETS` (``successfactors``, ``workday``),
    :func:`load_mapping`, :data:`MAPPING_KEYS`; :func:`inspect_files` drafts a
    mapping for an unfamiliar export (:class:`DraftMapping`).
Writing
    :func:`write_program`, :func:`program_to_pandas`, :func:`write_result`,
    :func:`write_records`, :func:`format_table`.
Sharing results
    :func:`pseudonymize`, :func:`pseudonym`, :func:`write_key_file`,
    :func:`read_key_file`.
Schemas
    :func:`input_schema`, :func:`config_schema`, :func:`result_schema`.
"""

from __future__ import annotations

from revmatch.models import use_pandas_reader

from ._api import (
    InfoLike,
    MappingLike,
    PathsLike,
    program_from_pandas,
    read_program,
    validate_files,
    validate_frames,
    write_program,
)
from ._inspect import DraftMapping, ReviewItem, inspect_files
from ._json import read_config
from ._mapping import ColumnMapping, RowFilter
from ._mapping_file import load_mapping
from ._mapping_keys import MAPPING_KEYS, MappingKey
from ._pandas import program_to_pandas
from ._presets import PRESETS
from ._pseudonym import pseudonym, pseudonymize, read_key_file, write_key_file
from ._report import ProblemGroup, ValidationReport
from ._results import RESULT_FORMATS, format_table, write_records, write_result
from ._schema import config_schema, input_schema, result_schema

# Program.from_pandas reads through this package; the models do not import io.
use_pandas_reader(program_from_pandas)

__all__ = [
    "MAPPING_KEYS",
    "PRESETS",
    "RESULT_FORMATS",
    "ColumnMapping",
    "DraftMapping",
    "InfoLike",
    "MappingKey",
    "MappingLike",
    "PathsLike",
    "ProblemGroup",
    "ReviewItem",
    "RowFilter",
    "ValidationReport",
    "config_schema",
    "format_table",
    "input_schema",
    "inspect_files",
    "load_mapping",
    "program_from_pandas",
    "program_to_pandas",
    "pseudonym",
    "pseudonymize",
    "read_config",
    "read_key_file",
    "read_program",
    "result_schema",
    "validate_files",
    "validate_frames",
    "write_key_file",
    "write_program",
    "write_records",
    "write_result",
]
