"""Every example script and notebook under examples/ runs without error.

Scripts run as a user would run them, ``python examples/<name>.py``, in a
scratch working directory. Notebooks are executed cell by cell in a fresh
kernel with nbclient; they are committed without outputs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))


def _quickstart(stdout: str, cwd: Path) -> None:
    assert stdout.startswith("matched 30 of 30 executives")
    assert "is paired with" in stdout


def _hr_export(stdout: str, cwd: Path) -> None:
    assert stdout.splitlines()[0].startswith("2 errors, 0 warnings")
    assert "'m-0003'" in stdout
    assert "'e-0005'" in stdout
    assert "\n0 errors, 0 warnings" in stdout
    lines = (cwd / "revmatch-hr-example" / "pairs.csv").read_text(encoding="utf-8-sig")
    rows = [line.split(",") for line in lines.splitlines()]
    assert rows[0][:3] == ["kind", "executive_id", "mentor_id"]
    # Nothing lost: all 24 executives appear, paired or unmatched.
    assert len({row[1] for row in rows[1:] if row[1]}) == 24
    assert sum(row[0] == "pair" for row in rows[1:]) >= 20


# What each script must print or write, beyond running cleanly.
CHECKS: dict[str, Callable[[str, Path], None]] = {
    "quickstart.py": _quickstart,
    "from_hr_export.py": _hr_export,
}


def _read(notebook: Path) -> Any:
    # nbformat.read carries no annotations.
    return nbformat.read(notebook, as_version=4)  # type: ignore[no-untyped-call]


def test_examples_are_present() -> None:
    names = {p.name for p in SCRIPTS + NOTEBOOKS}
    assert {"quickstart.py", "from_hr_export.py", "what_if.ipynb"} <= names


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_script_runs(script: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env={**os.environ, "MPLBACKEND": "Agg"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, f"{script.name} failed:\n{proc.stdout}\n{proc.stderr}"
    assert proc.stdout.strip(), f"{script.name} printed nothing"
    assert "Traceback" not in proc.stderr
    check = CHECKS.get(script.name)
    if check is not None:
        check(proc.stdout, tmp_path)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(notebook: Path) -> None:
    nb = _read(notebook)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{notebook.name}: a code cell has outputs"
            assert cell.execution_count is None


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(notebook: Path, tmp_path: Path) -> None:
    nb = _read(notebook)
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    # Raises CellExecutionError, naming the cell and its traceback, on the first error.
    client.execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    if notebook.name == "what_if.ipynb":
        images = [o for o in outputs if "image/png" in o.get("data", {})]
        assert len(images) >= 2, "the heat map and the coverage plot are drawn"
