"""Dataclass fields computed on first use, for many records at once.

A match result explains every pair and every unmatched person, but most
callers read a few of those explanations, if any. :func:`defer_fields` turns
chosen fields of a frozen dataclass into fields that a record may hold
*deferred*: :func:`deferred` builds the record with its other fields, and a
deferred field is computed on first access by the record's :class:`Batch`
(for every record of the batch at once) or :class:`InOrder` (in order, up to
that record), then kept. Nothing else changes: the fields, the constructor,
equality, ``repr``, :func:`dataclasses.asdict`, :func:`dataclasses.replace`,
copies and pickles all read the computed values, so a record is the same
whenever its values are computed.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

__all__ = ["Batch", "InOrder", "defer_fields", "deferred"]

Row = Mapping[str, Any]
"""The deferred field values of one record, by field name."""

T = TypeVar("T")

_SOURCES = "_deferred"
"""Instance attribute of a deferred record: its index and, by field, its source."""


class Batch:
    """The deferred values of many records, computed together on first use.

    Parameters
    ----------
    compute : callable
        Returns one :data:`Row` per record, in record order; called once,
        under a lock, and dropped afterwards (with whatever it holds).
    """

    def __init__(self, compute: Callable[[], list[Row]]) -> None:
        self._compute: Callable[[], list[Row]] | None = compute
        self._rows: list[Row] = []
        self._lock = threading.Lock()

    def row(self, index: int) -> Row:
        """The values of record ``index``, computing every record's on first use."""
        with self._lock:
            if self._compute is not None:
                self._rows = self._compute()
                self._compute = None
            return self._rows[index]


class InOrder:
    """Deferred values that must be computed in record order (each may use up a shared budget).

    Parameters
    ----------
    step : callable
        ``step(k)`` returns the :data:`Row` of record ``k``; it is called for
        ``k = 0, 1, ...`` in turn, each once, under a lock, so record ``k``
        gets what it would get if every record were computed at once.
    n : int
        Number of records.
    """

    def __init__(self, step: Callable[[int], Row], n: int) -> None:
        self._step: Callable[[int], Row] | None = step
        self._n = n
        self._rows: list[Row] = []
        self._lock = threading.Lock()

    def row(self, index: int) -> Row:
        """The values of record ``index``, computing those of the records before it first."""
        with self._lock:
            while len(self._rows) <= index:
                assert self._step is not None
                self._rows.append(self._step(len(self._rows)))
            if len(self._rows) == self._n:
                self._step = None  # done: let go of what the steps use
            return self._rows[index]


class _Field:
    """A data descriptor that reads a deferred field from the record's source once."""

    def __init__(self, name: str, default: Any) -> None:
        self.name = name
        self.default = default

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            # As on the plain dataclass: the default, or no class attribute at all.
            if self.default is dataclasses.MISSING:
                raise AttributeError(self.name)
            return self.default
        values = instance.__dict__
        try:
            return values[self.name]
        except KeyError:
            index, sources = values[_SOURCES]
            value = sources[self.name].row(index)[self.name]
            values[self.name] = value
            return value

    def __set__(self, instance: Any, value: Any) -> None:
        # Only the dataclass __init__ (through object.__setattr__) gets here;
        # the frozen class's own __setattr__ still refuses assignments.
        instance.__dict__[self.name] = value


def _getstate(self: Any) -> dict[str, Any]:
    """Pickle and copy the computed values, never the sources."""
    state = dict(self.__dict__)
    if _SOURCES in state:
        del state[_SOURCES]
        for name in type(self).__deferred__:
            state[name] = getattr(self, name)
    return state


def defer_fields(cls: type[T], names: Collection[str]) -> type[T]:
    """Let records of the frozen dataclass ``cls`` hold the fields ``names`` deferred.

    Records built by the class's own constructor are unchanged; only
    :func:`deferred` makes records whose fields are computed on first use.
    """
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in names:
            setattr(cls, f.name, _Field(f.name, f.default))
    cls.__deferred__ = tuple(names)  # type: ignore[attr-defined]
    setattr(cls, "__getstate__", _getstate)  # noqa: B010 - mypy refuses a method assignment
    return cls


def deferred(
    cls: type[T], values: Mapping[str, Any], index: int, sources: Mapping[str, Batch | InOrder]
) -> T:
    """A record of ``cls`` with ``values`` now and each field of ``sources`` on first use.

    ``sources`` maps every deferred field the record does not get in
    ``values`` to the :class:`Batch` or :class:`InOrder` that computes it;
    ``index`` is the record's position there. One ``sources`` mapping is
    meant to be shared by all records of a batch.
    """
    record = object.__new__(cls)
    state = record.__dict__
    state.update(values)
    state[_SOURCES] = (index, sources)
    return record
