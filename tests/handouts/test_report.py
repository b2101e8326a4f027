"""The steering committee's report: self-contained, its numbers the result's, fit for a phone.

The browser tests render the page in headless Chromium (the Debian package
``chromium``, which ``.ci/run`` installs) and skip, saying why, only where no
Chromium can be found.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import revmatch as rm
from revmatch.handouts import write_report
from revmatch.handouts._context import make_context
from revmatch.handouts._report import group_outcomes

from .browser import find_chromium, inspect_page, screenshot

CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium on PATH (apt-get install chromium); .ci/run installs it"
)


@pytest.fixture(scope="module")
def program() -> rm.Program:
    base = rm.datasets.make_program(n_executives=30, n_mentors=40, seed=7)
    # Opaque group labels, as the data-protection notes ask.
    executives = [
        e.model_copy(update={"groups": ("g-1",) if k % 3 == 0 else ("g-2",)})
        for k, e in enumerate(base.executives)
    ]
    return base.replace(executives=executives)


@pytest.fixture(scope="module")
def result(program: rm.Program) -> rm.MatchResult:
    return rm.match(program)


@pytest.fixture(scope="module")
def page(result: rm.MatchResult) -> str:
    return result.to_html()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for key, value in attrs:
            if key in {"src", "href", "action", "srcset"} and value is not None:
                self.refs.append(value)


def test_the_page_is_self_contained(page: str) -> None:
    parser = _Links()
    parser.feed(page)
    assert all(ref.startswith("#") or ref.startswith("data:") for ref in parser.refs)
    assert "script" not in parser.tags
    assert "link" not in parser.tags
    assert not re.search(r"https?://", page)
    assert "default-src 'none'" in page  # nothing may load even if a value slipped in
    assert "<svg" in page
    assert "@media print" in page
    assert "width=device-width" in page


def test_the_page_holds_every_section(page: str, result: rm.MatchResult) -> None:
    for heading in (
        "Headline numbers",
        "Outcomes by group",
        "Fairness",
        "Executives by department",
        "Mentors by location",
        "Meeting slots",
        "Pairs (",
        "Unmatched people (",
        "Rules",
        "By department",
        "By location",
        "By group",
    ):
        assert heading in page, heading
    for pair in result.pairs:
        assert pair.executive_id in page
        assert pair.mentor_id in page
    for person in result.unmatched:
        assert person.id in page
        if person.fix is not None:
            assert str(person.fix).split(" ")[0] in page


def test_group_outcomes_count_everyone(result: rm.MatchResult, program: rm.Program) -> None:
    ctx = make_context(result, None, "to_html")
    groups = group_outcomes(ctx)
    for attribute in ("department", "location"):
        assert sum(g.executives for g in groups[attribute].values()) == len(program.executives)
        assert (
            sum(g.matched for g in groups[attribute].values())
            == (result.metrics["matched_executives"])
        )
        assert sum(g.mentors for g in groups[attribute].values()) == len(program.mentors)
    assert set(groups["group"]) == {"g-1", "g-2"}


def test_a_result_from_json_gets_a_report_without_groups(result: rm.MatchResult) -> None:
    again = rm.MatchResult.from_json(result.to_json())
    page = again.to_html()
    assert "Pass the program" in page
    assert f"Pairs ({len(result.pairs)})" in page


def test_write_report(result: rm.MatchResult, tmp_path: Path) -> None:
    path = write_report(result, tmp_path / "out" / "report.html", title="Board, May")
    assert path.read_text(encoding="utf-8").count("<title>Board, May</title>") == 1


@needs_chromium
@pytest.mark.parametrize("width", [390, 1280])
def test_in_a_browser_it_loads_cleanly_and_fits(
    page: str, result: rm.MatchResult, width: int
) -> None:
    assert CHROMIUM is not None
    seen = inspect_page(CHROMIUM, page, width)
    assert seen["innerWidth"] == width
    assert seen["errors"] == []
    assert seen["console"] == []
    assert seen["scrollWidth"] <= seen["clientWidth"], f"wider than {width}px: {seen['wide']}"
    assert seen["wide"] == []
    # The numbers the browser shows are the result's.
    metrics = result.metrics
    for key, shown in seen["metrics"].items():
        assert shown["value"] == repr(metrics.get(key)), key
    assert seen["metrics"]["coverage"]["text"] == f"{metrics['coverage']:.0%}"
    assert seen["metrics"]["score_mean"]["text"] == f"{metrics['score_mean']:.3f}"
    assert seen["metrics"]["n_pairs"]["text"] == str(metrics["n_pairs"])
    tables = seen["tables"]
    assert len(tables["pairs-table"]) == metrics["n_pairs"]
    assert len(tables["unmatched-table"]) == len(result.unmatched)
    assert [row[2] for row in tables["pairs-table"]] == [f"{p.score:.3f}" for p in result.pairs]
    reasons = {row[0]: int(row[1]) for row in tables["reason-counts"]}
    assert reasons == metrics["unmatched_reasons"]
    by_department = tables["by-department"]
    assert sum(int(row[1]) for row in by_department) == metrics["n_executives"]


@needs_chromium
def test_the_browser_check_sees_a_request_and_an_error(page: str) -> None:
    assert CHROMIUM is not None
    broken = page.replace("</main>", "<img src='https://example.invalid/x.png'></main>")
    broken = broken.replace(
        "default-src 'none';", "default-src 'none'; script-src 'unsafe-inline';"
    )
    broken = broken.replace("</body>", "<script>console.error('planted')</script></body>")
    seen = inspect_page(CHROMIUM, broken, 390)
    assert any(e.startswith("csp:") for e in seen["errors"])
    assert any("planted" in e for e in seen["errors"])


@needs_chromium
def test_screenshots(result: rm.MatchResult, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    path = result.to_html(tmp_path / "report.html") and tmp_path / "report.html"
    for width in (390, 1280):
        out = tmp_path / f"report-{width}.png"
        screenshot(CHROMIUM, path, out, width, 900)
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(out.read_bytes()[16:20], "big") == width


def test_a_large_program_stays_a_page(tmp_path: Path) -> None:
    program = rm.datasets.make_program(n_executives=300, n_mentors=400, seed=2)
    result = rm.match(program)
    page = result.to_html()
    assert page.count("<tr>") < 300 + 400 + 200
    assert len(page) < 3_000_000
