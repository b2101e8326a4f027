"""The docs run: every code block of every page, and the generated pages are current.

Blocks of a page run in order, in one namespace and one scratch working
directory, so a page reads as a session:

- ``python`` blocks are executed; a block written as a doctest (``>>>``
  prompts) is run as one and its shown output must match;
- ``console`` blocks hold ``$ revmatch ...`` commands, run through
  :func:`revmatch.cli.main`; a trailing ``# exit N`` gives the expected exit
  code (default 0), and every other non-empty line under a command must
  appear in what the command printed (``...`` lines are skipped);
- ``json`` blocks must parse;
- ``text``, ``math`` and unlabelled blocks (diagrams) are prose.

Any other block language fails, so no code block is left untested.
"""

from __future__ import annotations

import doctest
import importlib.util
import io
import json
import re
import shlex
from pathlib import Path
from types import ModuleType
from typing import Any

import matplotlib
import pytest

from revmatch import cli

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
EXIT = re.compile(r"#\s*exit\s+(\d+)\s*$")
PROSE = {"", "text", "math"}


def code_blocks(page: Path) -> list[tuple[str, str, int]]:
    """(language, code, line of the opening fence) of every fenced block."""
    text = page.read_text(encoding="utf-8")
    return [
        (m.group(1).strip(), m.group(2), text.count("\n", 0, m.start()) + 1)
        for m in FENCE.finditer(text)
    ]


def run_console(block: str, where: str) -> None:
    """Run the ``$ revmatch ...`` commands of a console block and check their output."""
    commands: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands:
            commands[-1][1].append(line)
        elif line.strip():
            pytest.fail(f"{where}: output before the first '$ ' command: {line!r}")
    assert commands, f"{where}: a console block without a '$ ' command"
    for command, shown in commands:
        args = shlex.split(command, comments=True)
        assert args[:1] == ["revmatch"], f"{where}: not a revmatch command: {command!r}"
        expected = int(m.group(1)) if (m := EXIT.search(command)) else 0
        out, err = io.StringIO(), io.StringIO()
        code = cli.main(args[1:], stdout=out, stderr=err)
        printed = out.getvalue() + err.getvalue()
        assert code == expected, f"{where}: {command!r} exited {code}:\n{printed}"
        for line in shown:
            if line.strip() and line.strip() != "...":
                assert line.strip() in printed, (
                    f"{where}: {command!r} did not print {line.strip()!r}; it printed:\n{printed}"
                )


def run_python(code: str, namespace: dict[str, Any], where: str, line: int) -> None:
    """Execute a python block, or run it as a doctest when it is written as one."""
    if not code.lstrip().startswith(">>>"):
        exec(compile(code, where, "exec"), namespace)
        return
    test = doctest.DocTestParser().get_doctest(code, namespace, where, where, line)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report = io.StringIO()
    runner.run(test, out=report.write, clear_globs=False)
    namespace.update(test.globs)  # DocTest ran on a copy; later blocks build on it
    assert runner.failures == 0, f"{where}: doctest failed:\n{report.getvalue()}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_page_code_runs(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    matplotlib.use("Agg")
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    for language, code, line in code_blocks(page):
        where = f"{page.relative_to(ROOT)}:{line}"
        if language == "python":
            run_python(code, namespace, where, line)
        elif language == "console":
            run_console(code, where)
        elif language == "json":
            json.loads(code)
        elif language not in PROSE:
            pytest.fail(f"{where}: block language {language!r} is neither run nor prose")


def test_docs_have_runnable_examples() -> None:
    languages = [lang for page in PAGES for lang, _, _ in code_blocks(page)]
    assert languages.count("python") >= 20
    assert languages.count("console") >= 3


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_generate", DOCS / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_pages_are_current() -> None:
    pages: dict[Path, str] = _generator().pages()
    assert pages
    for path, text in pages.items():
        committed = path.read_text(encoding="utf-8") if path.exists() else ""
        assert committed == text, (
            f"{path.relative_to(ROOT)} is out of date: run `python docs/generate.py`"
        )


def test_generator_describes_every_field(monkeypatch: pytest.MonkeyPatch) -> None:
    generator = _generator()
    monkeypatch.setitem(generator.FIELD_NOTES, "ProgramInfo.no_such_field", "stale")
    with pytest.raises(RuntimeError, match=r"ProgramInfo\.no_such_field"):
        generator.pages()


def test_relative_links_resolve() -> None:
    link = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
    broken = []
    for page in PAGES:
        text = FENCE.sub("", page.read_text(encoding="utf-8"))
        for target in link.findall(text):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert not broken, "broken links: " + ", ".join(broken)
