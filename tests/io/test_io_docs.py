"""The examples in the docstrings of revmatch.io run as written."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "revmatch.io._api",
    "revmatch.io._json",
    "revmatch.io._jsonpos",
    "revmatch.io._mapping",
    "revmatch.io._mapping_file",
    "revmatch.io._mapping_keys",
    "revmatch.io._pandas",
    "revmatch.io._presets",
    "revmatch.io._pseudonym",
    "revmatch.io._report",
    "revmatch.io._results",
    "revmatch.io._schema",
    "revmatch.io._tabular",
    "revmatch.io._text",
    "revmatch.io._validate",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), raise_on_error=False)
    assert result.attempted > 0
    assert result.failed == 0


def test_public_functions_have_numpydoc_sections() -> None:
    import inspect

    import revmatch.io as rio

    for name in rio.__all__:
        obj = getattr(rio, name)
        if inspect.isfunction(obj):
            doc = obj.__doc__ or ""
            assert "Parameters\n" in doc or "Returns\n" in doc, name
        elif inspect.isclass(obj):
            assert obj.__doc__, name
