"""The examples in docs/solvers.md run as written (docstrings: tests/test_docstrings.py)."""

from __future__ import annotations

import doctest
from pathlib import Path

from tests.extras import needs

DOC = Path(__file__).resolve().parents[2] / "docs" / "solvers.md"


@needs("ortools", "lap")
def test_docs_examples_run() -> None:
    result = doctest.testfile(str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
