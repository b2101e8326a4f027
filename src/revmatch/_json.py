"""The one fallback of ``json.dumps`` for what results hold beside plain Python values.

Results, their records and their audit are plain dicts, lists, texts and
numbers, except where numpy leaves its own scalars (``np.float64`` of a score,
``np.int64`` of an index) or a set slips in. :func:`json_default` turns those
into JSON values, always to the same bytes; anything else is a ``TypeError``
naming its type, so a field that is not JSON-ready fails loudly instead of
being written as some text.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["json_default"]


def json_default(value: Any) -> Any:
    """Return a JSON-ready stand-in for ``value``; the ``default`` of ``json.dumps``.

    numpy scalars become Python numbers (or texts, booleans), numpy arrays
    nested lists, and sets sorted lists, so the text is the same on every run.
    Tuples need nothing: ``json`` writes them as lists itself.

    Parameters
    ----------
    value : object
        What ``json`` could not write.

    Returns
    -------
    object
        A value ``json`` can write.

    Raises
    ------
    TypeError
        For any other type, naming it.

    Examples
    --------
    >>> import json
    >>> json.dumps({"score": np.float64(0.5), "ids": {"b", "a"}}, default=json_default)
    '{"score": 0.5, "ids": ["a", "b"]}'
    >>> json.dumps(np.arange(3), default=json_default)
    '[0, 1, 2]'
    """
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot write a {type(value).__name__} to JSON")
