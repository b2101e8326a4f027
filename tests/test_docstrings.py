"""Every Examples section in the package's docstrings runs."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import revmatch

MODULES = sorted(
    name
    for _, name, _ in pkgutil.walk_packages(revmatch.__path__, prefix="revmatch.")
    if name not in {"revmatch.__main__"}
)


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests(name: str) -> None:
    module = importlib.import_module(name)
    outcome = doctest.testmod(module, raise_on_error=False, optionflags=doctest.ELLIPSIS)
    assert outcome.failed == 0, f"{outcome.failed} docstring example(s) failed in {name}"


def test_package_has_examples() -> None:
    attempted = 0
    for name in MODULES:
        attempted += doctest.testmod(importlib.import_module(name), report=False).attempted
    assert attempted >= 20
