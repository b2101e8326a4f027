"""The report's Fairness section, read back with html.parser and held against the metrics."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest

import revmatch as rm


@dataclass
class _Table:
    attrs: dict[str, str]
    caption: str = ""
    head: list[tuple[str, str]] = field(default_factory=list)  # (scope, text)
    rows: list[dict[str, Any]] = field(default_factory=list)


class _Fairness(HTMLParser):
    """The tables of ``<section id='fairness'>``: captions, headers, rows and their cells."""

    def __init__(self) -> None:
        super().__init__()
        self.in_section = False
        self.depth = 0
        self.tables: list[_Table] = []
        self.table: _Table | None = None
        self.row: dict[str, Any] | None = None
        self.cell: dict[str, Any] | None = None
        self.in_caption = False
        self.in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "section":
            self.in_section = a.get("id") == "fairness"
        if not self.in_section:
            return
        if tag == "table":
            self.table = _Table(a)
            self.tables.append(self.table)
        elif tag == "caption":
            self.in_caption = True
        elif tag == "thead":
            self.in_head = True
        elif tag == "tr" and not self.in_head:
            self.row = {"attrs": a, "header": None, "cells": []}
        elif tag in ("th", "td"):
            self.cell = {"tag": tag, "attrs": a, "text": ""}

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.in_section = False
        if not self.in_section:
            return
        if tag == "caption":
            self.in_caption = False
        elif tag == "thead":
            self.in_head = False
        elif tag in ("th", "td") and self.cell is not None and self.table is not None:
            cell, self.cell = self.cell, None
            cell["text"] = cell["text"].strip()
            if self.in_head:
                self.table.head.append((cell["attrs"].get("scope", ""), cell["text"]))
            elif self.row is not None and cell["tag"] == "th":
                self.row["header"] = cell
            elif self.row is not None:
                self.row["cells"].append(cell)
        elif tag == "tr" and self.row is not None and self.table is not None:
            self.table.rows.append(self.row)
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.in_caption and self.table is not None:
            self.table.caption += data
        elif self.cell is not None:
            self.cell["text"] += data


def _parse(page: str) -> list[_Table]:
    parser = _Fairness()
    parser.feed(page)
    return parser.tables


def _worst(groups: dict[str, dict[str, dict[str, Any]]], key: str) -> tuple[str, str] | None:
    found = sorted(
        (f[key], attribute, value)
        for attribute, values in groups.items()
        for value, f in values.items()
        if f[key] is not None
    )
    return found[0][1:] if found else None


FIGURES = ("size", "matched", "coverage", "mean_score", "min_score")


@pytest.fixture(scope="module")
def program() -> rm.Program:
    base = rm.datasets.make_program(n_executives=20, n_mentors=16, seed=11)
    executives = [
        e.model_copy(update={"groups": ("g-1", "g-2") if k % 4 == 0 else ("g-2",)})
        for k, e in enumerate(base.executives)
    ]
    return base.replace(executives=executives)


@pytest.fixture(scope="module")
def quota_result(program: rm.Program) -> rm.MatchResult:
    dept = program.executives[0].department
    return rm.match(program, rm.MatchConfig(quotas=[f"executive.department={dept}:max=1"]))


@pytest.mark.parametrize("with_quota", [False, True])
def test_every_group_figure_is_the_metrics_own(
    program: rm.Program, quota_result: rm.MatchResult, with_quota: bool
) -> None:
    result = quota_result if with_quota else rm.match(program)
    fairness = result.metrics["fairness"]
    tables = [t for t in _parse(result.to_html()) if "data-side" in t.attrs]
    seen: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
    for table in tables:
        side, attribute = table.attrs["data-side"], table.attrs["data-attribute"]
        # Accessible: a caption naming side and attribute, column headers, a row header per row.
        assert table.caption.startswith(f"{side.capitalize()} by {attribute}")
        assert [scope for scope, _ in table.head] == ["col"] * 6
        expected = fairness[side][attribute]
        assert [row["attrs"]["data-group"] for row in table.rows] == list(expected)
        for row in table.rows:
            value = row["attrs"]["data-group"]
            assert row["header"]["attrs"]["scope"] == "row"
            assert row["header"]["text"].startswith(value)
            figures = {}
            for name, cell in zip(FIGURES, row["cells"], strict=True):
                raw = cell["attrs"]["data-value"]
                figures[name] = None if raw == "" else float(raw)
                want = expected[value][name]
                shown = (
                    "–"
                    if want is None
                    else f"{want:.0%}"
                    if name == "coverage"
                    else f"{want:.3f}"
                    if name.endswith("score")
                    else str(want)
                )
                assert cell["text"] == shown
            assert figures == expected[value]
            seen.setdefault(side, {}).setdefault(attribute, {})[value] = figures
    assert seen == {side: fairness[side] for side in ("executives", "mentors") if fairness[side]}
    # The worst-off group of each side is marked; the executives' is the metrics' own.
    for side in ("executives", "mentors"):
        marked = {
            (t.attrs["data-attribute"], row["attrs"]["data-group"]): row["header"]["text"]
            for t in tables
            if t.attrs["data-side"] == side
            for row in t.rows
            if row["attrs"].get("class") == "worst"
        }
        for key, words in (("coverage", "least coverage"), ("mean_score", "lowest mean score")):
            worst = _worst(fairness[side], key)
            if side == "executives":
                named = fairness["worst"][key]
                assert worst == (None if named is None else (named["attribute"], named["value"]))
            if worst is not None:
                assert words in marked[worst]
            assert sum(words in text for text in marked.values()) == (worst is not None)


def test_the_price_of_quotas_is_shown_only_with_quotas(program: rm.Program, quota_result) -> None:
    price = quota_result.audit["price_of_quotas"]
    assert price["price"] > 0 or price["pairs_lost"] > 0  # the quota binds here
    [table] = [t for t in _parse(quota_result.to_html()) if t.attrs.get("id") == "price-of-quotas"]
    assert table.caption.startswith("Price of the quotas")
    shown = {
        row["attrs"]["data-key"]: float(row["cells"][0]["attrs"]["data-value"])
        for row in table.rows
    }
    assert shown == price
    plain = _parse(rm.match(program).to_html())
    assert all(t.attrs.get("id") != "price-of-quotas" for t in plain)


def test_a_result_read_from_json_shows_the_same_section(quota_result) -> None:
    again = rm.MatchResult.from_json(quota_result.to_json())
    page = again.to_html()
    assert _parse(page) == _parse(quota_result.to_html())
    assert "<h2>Fairness</h2>" in page


def test_a_result_without_fairness_figures_says_so(quota_result) -> None:
    metrics = {k: v for k, v in quota_result.metrics.items() if k != "fairness"}
    bare = rm.MatchResult.from_json(quota_result.to_json())
    page = dataclasses.replace(bare, metrics=metrics).to_html()
    assert "This result has no fairness figures." in page
    assert not [t for t in _parse(page) if "data-side" in t.attrs]
