"""Pausing Python's cyclic garbage collector around bursts of allocation."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, if it runs, and restore it afterwards.

    For code that creates many small containers that form no cycles
    (unpickling a program, building 200,000 unmatched records): with the
    collector on, their creation sets off collections that each walk the
    whole heap, for nothing. The collector is left as the caller had it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
