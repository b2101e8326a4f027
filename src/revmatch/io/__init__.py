"""Reading and writing revmatch data: JSON, JSON Lines, CSV, Excel and DataFrames.

Readers collect every problem of the input in one pass and name, for each,
the file, the line (as an editor or spreadsheet shows it), the record by its
id, the field and the expected form. They never echo names, e-mails or other
personal values of a record.
"""

from __future__ import annotations

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
from ._json import read_config
from ._mapping import PRESETS, ColumnMapping, load_mapping
from ._pandas import program_to_pandas
from ._report import ValidationReport

__all__ = [
    "PRESETS",
    "ColumnMapping",
    "InfoLike",
    "MappingLike",
    "PathsLike",
    "ValidationReport",
    "load_mapping",
    "program_from_pandas",
    "program_to_pandas",
    "read_config",
    "read_program",
    "validate_files",
    "validate_frames",
    "write_program",
]
