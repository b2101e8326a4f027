"""The report's Fairness section: ``metrics["fairness"]`` and the price of the quotas as tables.

Per side (executives, mentors) and attribute (department, location,
``groups`` label, grade), one table of the groups: size, matched, coverage,
mean and lowest score. The worst-off group of each side (least coverage,
then least mean score; ties by attribute, then value, as
:mod:`revmatch._pipeline.fairness` names the executives' worst group) is
marked in words and by colour. Every figure cell carries ``data-value`` with
the exact value of the metrics, so the page can be checked against the
result; the tables have captions and row and column headers.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

__all__ = ["fairness_section", "worst_groups"]

#: The attributes in the order the tables show them.
_ATTRIBUTES = ("department", "location", "groups", "grade")
_SIDES = (("executives", "Executives"), ("mentors", "Mentors"))

Groups = Mapping[str, Mapping[str, Mapping[str, Any]]]
Worst = dict[str, tuple[str, str] | None]


def worst_groups(groups: Groups) -> Worst:
    """The ``(attribute, value)`` of least coverage and of least mean score on one side.

    The rule of ``metrics["fairness"]["worst"]`` (which names the
    executives'), applied to either side: the least figure, ties broken by
    attribute, then value; groups without a pair have no mean score.
    """
    out: Worst = {}
    for key in ("coverage", "mean_score"):
        found = [
            (figures[key], attribute, value)
            for attribute, values in groups.items()
            for value, figures in values.items()
            if figures.get(key) is not None
        ]
        out[key] = min(found)[1:] if found else None
    return out


def _cell(value: float | int | None, text: str, label: str) -> str:
    """A figure: ``data-value`` exact, ``data-label`` names it when the table stacks."""
    if value is None:
        return f"<td class='n' data-label='{label}' data-value=''>–</td>"
    return f"<td class='n' data-label='{label}' data-value='{value!r}'>{text}</td>"


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _group_table(
    side: str, title: str, attribute: str, values: Mapping[str, Mapping[str, Any]], worst: Worst
) -> str:
    rows = []
    for value, f in values.items():
        marks = [
            label
            for key, label in (("coverage", "least coverage"), ("mean_score", "lowest mean score"))
            if worst[key] == (attribute, value)
        ]
        flag = f" <strong class='low'>▼ worst-off: {', '.join(marks)}</strong>" if marks else ""
        coverage = f.get("coverage")
        rows.append(
            f"<tr{' class=worst' if marks else ''} data-group='{escape(value)}'>"
            f"<th scope='row'>{escape(value)}{flag}</th>"
            + _cell(f.get("size"), str(f.get("size")), "people")
            + _cell(f.get("matched"), str(f.get("matched")), "matched")
            + _cell(coverage, "–" if coverage is None else f"{coverage:.0%}", "coverage")
            + _cell(f.get("mean_score"), _score(f.get("mean_score")), "mean score")
            + _cell(f.get("min_score"), _score(f.get("min_score")), "lowest score")
            + "</tr>"
        )
    head = "".join(
        f"<th scope='col'{' class=n' if k else ''}>{h}</th>"
        for k, h in enumerate(
            (escape(attribute), "people", "matched", "coverage", "mean score", "lowest score")
        )
    )
    caption = f"{title} by {escape(attribute)}: coverage and scores per group"
    # On a phone the rows stack as cards (the report's ``stack`` tables).
    return (
        f"<table class='fair stack' id='fairness-{side}-{attribute}' data-side='{side}' "
        f"data-attribute='{escape(attribute)}'><caption>{caption}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _price_table(price: Mapping[str, Any]) -> str:
    rows = (
        ("total score with the quotas", "total_with_quotas", f"{price['total_with_quotas']:.3f}"),
        (
            "total score without them",
            "total_without_quotas",
            f"{price['total_without_quotas']:.3f}",
        ),
        ("score the quotas cost", "price", f"{price['price']:.3f}"),
        ("pairs with the quotas", "pairs_with_quotas", str(price["pairs_with_quotas"])),
        ("pairs without them", "pairs_without_quotas", str(price["pairs_without_quotas"])),
        ("pairs the quotas cost", "pairs_lost", str(price["pairs_lost"])),
    )
    body = "".join(
        f"<tr data-key='{key}'><th scope='row'>{label}</th>{_cell(price[key], text, 'value')}</tr>"
        for label, key, text in rows
    )
    caption = "Price of the quotas: the match with them beside the best match without them"
    return (
        f"<table class='fair' id='price-of-quotas'><caption>{caption}</caption>"
        "<thead><tr><th scope='col'>figure</th><th scope='col' class=n>value</th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def fairness_section(metrics: Mapping[str, Any], audit: Mapping[str, Any]) -> str:
    """The Fairness section's content: group tables per side, then the price of the quotas."""
    fairness = metrics.get("fairness")
    if not isinstance(fairness, Mapping):
        return "<p class='note'>This result has no fairness figures.</p>"
    out = [
        "<p class='note'>Per group of people who share a department, location, group "
        "label or grade: how many have a partner (coverage) and the mean and lowest score "
        "of their pairs. A person without the attribute is in no group of it; a person "
        "with several group labels counts in each. The worst-off group of each side "
        "(least coverage, lowest mean score) is marked ▼.</p>"
    ]
    for side, title in _SIDES:
        groups: Groups = fairness.get(side) or {}
        worst = worst_groups(groups)
        tables = [
            _group_table(side, title, attribute, groups[attribute], worst)
            for attribute in _ATTRIBUTES
            if groups.get(attribute)
        ]
        out.append(f"<h3>{title}</h3>")
        out.append("".join(tables) or f"<p class='note'>No {side} share an attribute.</p>")
    price = audit.get("price_of_quotas")
    if isinstance(price, Mapping):
        out.append("<h3>Price of the quotas</h3>" + _price_table(price))
    return "".join(out)
