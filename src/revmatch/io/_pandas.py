"""pandas DataFrames in and out: the same columns as the CSV files.

pandas is an optional dependency (extra ``pandas``), imported only here and
only when called.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from revmatch.models import Program

from ._csv import program_tables
from ._tabular import Table

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["frame_table", "pandas_module", "program_to_pandas"]


def pandas_module(purpose: str) -> Any:
    """Import pandas, or fail with the install command.

    Raises
    ------
    ImportError
        If pandas is not installed.
    """
    try:
        import pandas
    except ImportError:
        raise ImportError(
            f"pandas is needed for {purpose}: pip install 'revmatch[pandas]'"
        ) from None
    return pandas


def _plain(value: Any) -> Any:
    """Turn numpy/pandas scalars into plain Python values; missing values into None."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, str | bytes | date):
        with contextlib.suppress(ValueError, TypeError):
            value = item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    if isinstance(value, datetime) and hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    return value


def _rows(frame: pd.DataFrame) -> Iterator[tuple[int | None, Sequence[Any]]]:
    for row in frame.itertuples(index=False, name=None):
        yield None, [_plain(v) for v in row]


def frame_table(frame: pd.DataFrame, kind: str) -> Table:
    """Wrap a DataFrame as a :class:`Table`; rows are named by their index label.

    Parameters
    ----------
    frame : pandas.DataFrame
    kind : str
        ``mentors``, ``executives``, ``people``, ``org``, ``history``,
        ``pinned`` or ``priority``.

    Returns
    -------
    Table

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame.
    """
    pd = pandas_module("DataFrame input")
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{kind} must be a pandas DataFrame, got {type(frame).__name__}")
    names = (repr(_plain(label)) for label in frame.index)
    return Table(
        f"{kind} DataFrame",
        kind,
        [str(c) for c in frame.columns],
        1,
        _rows(frame),
        row_names=names,
    )


def program_to_pandas(program: Program) -> dict[str, pd.DataFrame]:
    """Return the program as DataFrames with the CSV columns.

    Parameters
    ----------
    program : Program

    Returns
    -------
    dict of str to pandas.DataFrame
        ``mentors``, ``executives`` and, when not empty, ``org``,
        ``history``, ``pinned`` and ``priority``. Lists are ``;``-joined text
        as in CSV; numbers use pandas' nullable ``Int64``; ids are text.

    Raises
    ------
    ImportError
        If pandas is not installed.

    Examples
    --------
    >>> import revmatch as rm
    >>> p = rm.Program(mentors=[{"id": "007", "timezone": "UTC"}],
    ...                executives=[{"id": "e1", "timezone": "UTC"}])
    >>> program_to_pandas(p)["mentors"]["id"].tolist()
    ['007']
    """
    pandas = pandas_module("program_to_pandas()")
    frames: dict[str, pd.DataFrame] = {}
    for kind, (header, rows) in program_tables(program).items():
        frame = pandas.DataFrame(rows, columns=header, dtype=object)
        for column in header:
            if column in ("grade", "capacity", "round") or column.startswith("topic:"):
                frame[column] = frame[column].astype("Int64")
        frames[kind] = frame
    return frames
