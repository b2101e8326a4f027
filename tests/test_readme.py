"""The README's Python example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_readme_has_quick_start_first() -> None:
    text = README.read_text(encoding="utf-8")
    quick = text.index("## Quick start")
    assert text.index("make demo") > quick
    assert text.index("make test") > quick
    assert quick < text.index("## What it does")


def test_readme_python_examples_run(capsys: object) -> None:
    blocks = python_blocks()
    assert blocks, "the README must show a Python example"
    for block in blocks:
        namespace: dict[str, object] = {"__name__": "__readme__"}
        exec(compile(block, str(README), "exec"), namespace)
