"""Optional extras: a test that needs one skips, with the install line, where it is absent.

CI installs every extra (``.[test]`` pulls ``revmatch[all]``), so nothing here
skips there; a run without ``revmatch[fast]`` skips the tests of ``ortools``
and ``lapjv`` instead of failing them with ImportError.
"""

from __future__ import annotations

from importlib.util import find_spec
from typing import Any

import pytest

from revmatch.solvers import METHODS

#: The extra that provides each optional module.
EXTRAS = {
    "ortools": "fast",
    "lap": "fast",
    "pandas": "pandas",
    "openpyxl": "pandas",
    "matplotlib": "plot",
    "dask": "dask",
    "distributed": "dask",
    "icalendar": "calendar",
    "tqdm": "progress",
}


def missing(module: str) -> bool:
    """Whether ``module`` cannot be imported here."""
    try:
        return find_spec(module) is None
    except (ImportError, ValueError):  # ValueError: blocked in sys.modules
        return True


def reason(module: str) -> str:
    return f"needs {module}: pip install 'revmatch[{EXTRAS[module]}]'"


def needs(*modules: str) -> pytest.MarkDecorator:
    """Skip the test where any of ``modules`` is absent."""
    absent = [m for m in modules if missing(m)]
    return pytest.mark.skipif(bool(absent), reason=", ".join(map(reason, absent)) or "-")


def needs_method(method: str) -> pytest.MarkDecorator:
    """Skip the test where the solver ``method`` lacks its optional dependency."""
    dependency = METHODS[method].dependency if method in METHODS else None
    return needs(dependency) if dependency else needs()


def method_param(method: str) -> Any:
    """``method`` as a parameter that skips where its optional dependency is absent."""
    return pytest.param(method, marks=needs_method(method))
