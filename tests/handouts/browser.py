"""Headless Chromium, driven from the command line only (no browser automation package).

:func:`inspect_page` loads a copy of a page inside an iframe of an exact
width (headless Chromium keeps its window at least 500 px wide, an iframe
has the width it is given), with a script added to the copy that records
errors, console errors and Content-Security-Policy violations from the
first moment; the outer page writes its measurements into the DOM, which
``--dump-dom`` prints.

Run as a script to refresh the README's screenshots::

    python tests/handouts/browser.py
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

_RECORDER = """<script>
window.__errors = [];
const what = e => e.message || (e.target && (e.target.src || e.target.href)) || e.type;
addEventListener('error', e => __errors.push('error: ' + what(e)), true);
addEventListener('securitypolicyviolation',
  e => __errors.push('csp: ' + e.violatedDirective + ' ' + e.blockedURI));
for (const level of ['error', 'warn']) {
  const original = console[level];
  console[level] = (...args) => {
    __errors.push(level + ': ' + args.join(' '));
    original.apply(console, args);
  };
}
</script>"""

_HARNESS = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe id="f" src="page.html" style="border:0;width:{width}px;height:900px"></iframe>
<script>
const frame = document.getElementById('f');
frame.addEventListener('load', () => setTimeout(() => {{
  const doc = frame.contentDocument, win = frame.contentWindow, root = doc.documentElement;
  const wide = [...doc.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > root.clientWidth + 0.5)
    .slice(0, 10).map(el => el.tagName + (el.id ? '#' + el.id : '') + '.' + el.className);
  const metrics = {{}};
  doc.querySelectorAll('[data-metric]').forEach(el => {{
    metrics[el.dataset.metric] = {{value: el.dataset.value, text: el.textContent.trim()}};
  }});
  const tables = {{}};
  doc.querySelectorAll('table[id]').forEach(t => {{
    tables[t.id] = [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent.trim()));
  }});
  const out = {{
    scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, innerWidth: win.innerWidth,
    errors: win.__errors, wide, metrics, tables, title: doc.title,
    images: doc.images.length, scripts: doc.scripts.length,
  }};
  const pre = document.createElement('pre');
  pre.id = 'measure';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}}, 300));
</script></body></html>"""


def find_chromium() -> str | None:
    """Path of a Chromium (or Chrome) binary, or None."""
    for name in NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def _run(binary: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            binary,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--hide-scrollbars",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def inspect_page(binary: str, page: str, width: int) -> dict[str, Any]:
    """Load ``page`` (HTML text) at ``width`` px and return what the harness measured."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        # The page's own policy forbids scripts; the test copy allows inline
        # ones (the recorder) and keeps every other source forbidden.
        copy = page.replace(
            "default-src 'none';", "default-src 'none'; script-src 'unsafe-inline';"
        )
        copy = re.sub(r"<head>", "<head>" + _RECORDER, copy, count=1)
        (work / "page.html").write_text(copy, encoding="utf-8")
        (work / "harness.html").write_text(_HARNESS.format(width=width), encoding="utf-8")
        done = _run(
            binary,
            "--allow-file-access-from-files",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1400,1000",
            "--virtual-time-budget=5000",
            "--dump-dom",
            (work / "harness.html").as_uri(),
        )
    match = re.search(r'<pre id="measure">(.*?)</pre>', done.stdout, flags=re.S)
    if match is None:
        raise AssertionError(
            f"the harness did not report:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        )
    data: dict[str, Any] = json.loads(html.unescape(match.group(1)))
    data["console"] = [
        line for line in done.stderr.splitlines() if "CONSOLE" in line and "page.html" in line
    ]
    return data


def screenshot(binary: str, page_path: Path, out: Path, width: int, height: int) -> None:
    """Save a PNG of the page at ``width`` x ``height`` CSS pixels."""
    out.parent.mkdir(parents=True, exist_ok=True)
    _run(
        binary,
        f"--window-size={width},{height}",
        f"--screenshot={out}",
        page_path.resolve().as_uri(),
    )
    if not out.exists():
        raise AssertionError(f"no screenshot written to {out}")


def _refresh_readme_images() -> None:
    import revmatch as rm

    binary = find_chromium()
    if binary is None:
        raise SystemExit("no chromium found")
    root = Path(__file__).resolve().parents[2]
    program = rm.datasets.make_program(n_executives=30, n_mentors=40, seed=7)
    result = rm.match(program)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        result.to_html(page)
        screenshot(binary, page, root / "docs" / "img" / "report-phone.png", 390, 1600)
        screenshot(binary, page, root / "docs" / "img" / "report-desktop.png", 1280, 1400)


if __name__ == "__main__":
    _refresh_readme_images()
