"""The steering committee's report: one self-contained, responsive, printable page.

Everything is inline (styles, SVG charts); the page loads nothing and runs
no script, and its Content-Security-Policy forbids both.  Every headline
number carries ``data-metric`` and ``data-value`` with the exact value of
``result.metrics``, so the page can be checked against the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..exceptions import InvalidInputError
from ..models import Executive, Mentor
from ._context import Context, make_context
from ._fairness import fairness_section
from ._schedule import schedules
from ._svg import bars, histogram

if TYPE_CHECKING:
    from ..models import Program
    from ..result import MatchResult, Pair

MAX_PAIR_ROWS = 2000
"""Pairs listed in full; a larger result lists this many and points to the CSV."""

_CSS = """
:root{--ink:#1b1f24;--muted:#57606a;--line:#d0d7de;--accent:#2f6f4f;--low:#b35c00;
--bad:#b22222}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:var(--ink);background:#fff}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.6rem;line-height:1.25;margin:.2em 0}
h2{font-size:1.25rem;margin:1.6em 0 .4em;border-bottom:2px solid var(--line)}
h3{font-size:1.05rem;margin:1.2em 0 .3em}
p,li{max-width:70ch}
.sub{color:var(--muted);margin:0}
nav ul{display:flex;flex-wrap:wrap;gap:4px 14px;padding:0;list-style:none}
a{color:var(--accent)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;
margin:12px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:8px 10px}
.card .v{display:block;font-size:1.5rem;font-weight:650}
.card .k{display:block;color:var(--muted);font-size:.9rem}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px;
margin:12px 0}
figure{margin:0}
figcaption{color:var(--muted);font-size:.9rem}
svg{display:block;width:100%;max-width:520px;height:auto}
#numbers{max-width:520px}
table{border-collapse:collapse;width:100%;margin:8px 0 4px;font-size:.95rem}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);
vertical-align:top;overflow-wrap:anywhere}
th{background:#f6f8fa}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.low{color:var(--low);font-weight:600}
caption{text-align:left;font-weight:600;padding:4px 0;caption-side:top}
table.fair th[scope=row]{font-weight:normal;background:none}
table.fair tr.worst th,table.fair tr.worst td{background:#fff4e5}
.note{font-size:.9rem;color:var(--muted)}
ul.tight{margin:0;padding-left:1.1em}
@media (max-width:720px){
 table.stack thead{display:none}
 table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
 table.stack tr{border:1px solid var(--line);border-radius:8px;margin:0 0 10px;padding:4px 6px}
 table.stack th[scope=row],table.stack caption{display:block;width:100%;border:0;padding:2px 0}
 table.stack td{display:grid;grid-template-columns:7.5em minmax(0,1fr);gap:6px;border:0;
 padding:2px 0;text-align:left}
 table.stack td::before{content:attr(data-label);font-weight:600;color:var(--muted)}
}
@media print{
 body{font-size:10.5pt}
 main{max-width:none;padding:0}
 nav{display:none}
 h2{break-after:avoid}
 tr,.card,figure{break-inside:avoid}
 a{color:inherit;text-decoration:none}
}
"""


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _num(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _who(pid: str, name: str | None) -> str:
    return f"{escape(name)} <span class='note'>{escape(pid)}</span>" if name else escape(pid)


def _table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    numeric: Sequence[int] = (),
    cls: str = "stack",
    table_id: str = "",
) -> str:
    """A table whose cells are already HTML; ``data-label`` lets it stack on a phone."""
    head = "".join(
        f"<th scope='col'{' class=n' if k in numeric else ''}>{escape(h)}</th>"
        for k, h in enumerate(headers)
    )
    body = []
    for row in rows:
        cells = "".join(
            f"<td data-label='{escape(headers[k])}'{' class=n' if k in numeric else ''}>{c}</td>"
            for k, c in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    ident = f" id='{table_id}'" if table_id else ""
    return (
        f"<table class='{cls}'{ident}><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


@dataclass
class _Group:
    executives: int = 0
    matched: int = 0
    exec_scores: list[float] = field(default_factory=list)
    mentors: int = 0
    placed: int = 0
    mentor_scores: list[float] = field(default_factory=list)


def group_outcomes(ctx: Context) -> dict[str, dict[str, _Group]]:
    """Per attribute (department, location, group) and value: who is matched, how well.

    An executive counts as matched with the mean score of their pairs; a
    mentor as placed with the mean score of theirs.  A person with several
    ``groups`` labels counts in each.
    """
    scores: dict[str, list[float]] = {}
    for p in ctx.result.pairs:
        scores.setdefault(p.executive_id, []).append(p.score)
        scores.setdefault(p.mentor_id, []).append(p.score)
    out: dict[str, dict[str, _Group]] = {"department": {}, "location": {}, "group": {}}
    people: list[Executive | Mentor] = [*ctx.program.executives, *ctx.program.mentors]
    for person in people:
        keys = {
            "department": [person.department or "(none)"],
            "location": [person.location or "(none)"],
            "group": list(person.groups),
        }
        mine = scores.get(person.id)
        for attribute, values in keys.items():
            for value in values:
                g = out[attribute].setdefault(value, _Group())
                if isinstance(person, Executive):
                    g.executives += 1
                    if mine:
                        g.matched += 1
                        g.exec_scores.append(float(np.mean(mine)))
                else:
                    g.mentors += 1
                    if mine:
                        g.placed += 1
                        g.mentor_scores.append(float(np.mean(mine)))
    return {k: v for k, v in out.items() if v}


def _headline(metrics: dict[str, Any]) -> str:
    cards = [
        ("coverage", "executives matched", _pct(metrics.get("coverage"))),
        ("n_pairs", "pairs", str(metrics.get("n_pairs", 0))),
        ("score_mean", "mean score", _num(metrics.get("score_mean"))),
        ("score_median", "median score", _num(metrics.get("score_median"))),
        ("score_min", "lowest score", _num(metrics.get("score_min"))),
        ("topic_coverage", "topic wishes served", _pct(metrics.get("topic_coverage"))),
        ("mentor_load", "mentor places used", _pct(metrics.get("mentor_load"))),
        (
            "unmatched_executives",
            "executives unmatched",
            str(metrics.get("unmatched_executives", 0)),
        ),
        ("unmatched_mentors", "mentors unmatched", str(metrics.get("unmatched_mentors", 0))),
    ]
    if metrics.get("blocking_pairs") is not None:
        cards.append(("blocking_pairs", "blocking pairs", str(metrics["blocking_pairs"])))
    return (
        "<div class='cards'>"
        + "".join(
            f"<div class='card'><span class='v' data-metric='{key}' "
            f"data-value='{escape(repr(metrics.get(key)))}'>{text}</span>"
            f"<span class='k'>{escape(label)}</span></div>"
            for key, label, text in cards
        )
        + "</div>"
    )


def _numbers_table(metrics: dict[str, Any]) -> str:
    rows = [
        ("executives", str(metrics.get("n_executives", 0))),
        ("mentors", str(metrics.get("n_mentors", 0))),
        ("executives matched", f"{metrics.get('matched_executives', 0)}"),
        ("score 10th percentile", _num(metrics.get("score_p10"))),
        ("mentor places", str(metrics.get("mentor_capacity", 0))),
        ("spread of mentor load (std)", _num(metrics.get("mentor_load_std"))),
    ]
    keys = [
        "n_executives",
        "n_mentors",
        "matched_executives",
        "score_p10",
        "mentor_capacity",
        "mentor_load_std",
    ]
    body = "".join(
        f"<tr><th scope='row'>{escape(label)}</th><td class='n' data-metric='{key}' "
        f"data-value='{escape(repr(metrics.get(key)))}'>{value}</td></tr>"
        for (label, value), key in zip(rows, keys, strict=True)
    )
    return f"<table id='numbers'><tbody>{body}</tbody></table>"


def _load_rows(ctx: Context | None, result: MatchResult) -> list[tuple[str, float, str]]:
    """Mentors by partners taken out of places offered."""
    taken: dict[str, int] = {}
    for p in result.pairs:
        taken[p.mentor_id] = taken.get(p.mentor_id, 0) + 1
    if ctx is not None:
        capacity = {m.id: m.capacity for m in ctx.program.mentors}
    else:
        capacity = {m: taken.get(m, 0) + spare for m, spare in result.spare_capacity.items()}
        capacity.update({m: n for m, n in taken.items() if m not in capacity})
    buckets: dict[str, int] = {}
    for mentor, places in capacity.items():
        key = f"{taken.get(mentor, 0)} of {places}"
        buckets[key] = buckets.get(key, 0) + 1
    total = sum(buckets.values()) or 1
    return [
        (f"{key} places", n / total, str(n))
        for key, n in sorted(buckets.items(), key=lambda kv: tuple(map(int, kv[0].split(" of "))))
    ]


def _why(pair: Pair) -> str:
    parts = sorted(pair.contributions.items(), key=lambda kv: -kv[1])[:2]
    main = ", ".join(f"{escape(k)} {v:.2f}" for k, v in parts if v > 0)
    topics = ", ".join(t.replace("_", " ") for t in pair.topics_covered)
    lines = []
    if topics:
        lines.append(f"topics: {escape(topics)}")
    if main:
        lines.append(f"largest parts: {main}")
    lines.append(f"shared {pair.min_overlap_minutes:.0f}–{pair.mean_overlap_minutes:.0f} min/week")
    return "<br>".join(lines)


def _meeting(pair: Pair) -> str:
    if pair.meeting is None:
        return "<span class='low'>no shared slot</span>"
    m = pair.meeting
    text = f"{escape(m.executive_local)}<br>{escape(m.mentor_local)}"
    text += f"<br><span class='note'>{m.weeks_ok} of {m.n_weeks} weeks</span>"
    if m.dst_notes:
        text += (
            "<ul class='tight note'>"
            + "".join(f"<li>{escape(n)}</li>" for n in m.dst_notes)
            + "</ul>"
        )
    return text


def render_report(result: MatchResult, *, program: Program | None = None, title: str = "") -> str:
    """The report page of a result (see :meth:`revmatch.MatchResult.to_html`)."""
    try:
        ctx: Context | None = make_context(result, program, "to_html")
    except InvalidInputError:
        if program is not None:
            raise
        ctx = None
    metrics = result.metrics
    name = ctx.program.program.name if ctx is not None else ""
    heading = title or name or "Reverse-mentoring match"
    sections: list[tuple[str, str, str]] = []

    # Headline numbers and charts.
    scores = [p.score for p in result.pairs]
    topic_rows = [
        (t.replace("_", " "), float(v), f"{v:.0%}")
        for t, v in (metrics.get("topic_coverage_by_topic") or {}).items()
        if v is not None  # a topic nobody wished has no coverage
    ]
    charts = [
        "<figure>"
        + histogram(scores, "Number of pairs by score")
        + "<figcaption>Pairs by score (0 to 1).</figcaption></figure>"
    ]
    if topic_rows:
        charts.append(
            "<figure>"
            + bars(
                topic_rows,
                "Share of topic wishes served, per topic",
                reference=metrics.get("topic_coverage"),
            )
            + "<figcaption>Share of executives' topic wishes their mentors can serve.</figcaption>"
            "</figure>"
        )
    load = _load_rows(ctx, result)
    if load:
        charts.append(
            "<figure>"
            + bars(load, "Mentors by places taken")
            + "<figcaption>Mentors by partners taken of places offered.</figcaption></figure>"
        )
    sections.append(
        (
            "numbers",
            "Headline numbers",
            _headline(metrics)
            + f"<div class='charts'>{''.join(charts)}</div>"
            + _numbers_table(metrics),
        )
    )

    # Outcomes by group.
    if ctx is not None:
        sections.append(("groups", "Outcomes by group", _groups_section(ctx, metrics)))
    else:
        sections.append(
            (
                "groups",
                "Outcomes by group",
                "<p class='note'>Pass the program (<code>to_html(program=...)</code>) to see "
                "coverage and scores by department, location and group.</p>",
            )
        )

    # Fairness figures of every result (and the price of its quotas).
    sections.append(("fairness", "Fairness", fairness_section(metrics, result.audit)))

    # Meetings.
    sections.append(("meetings", "Meeting slots", _meetings_section(ctx, result)))

    # Pairs.
    shown = result.pairs[:MAX_PAIR_ROWS]
    pair_rows = [
        (
            _who(p.executive_id, p.executive_name),
            _who(p.mentor_id, p.mentor_name),
            f"{p.score:.3f}",
            _why(p),
            _meeting(p),
        )
        for p in shown
    ]
    more = (
        f"<p class='note'>{len(result.pairs) - len(shown)} more pairs: see the CSV export.</p>"
        if len(result.pairs) > len(shown)
        else ""
    )
    sections.append(
        (
            "pairs",
            f"Pairs ({len(result.pairs)})",
            _table(
                ["executive", "mentor", "score", "why", "meeting (executive / mentor)"],
                pair_rows,
                numeric=(2,),
                table_id="pairs-table",
            )
            + more,
        )
    )

    # Unmatched people.
    lonely_rows = [
        (
            escape(u.id),
            escape(u.role),
            escape(", ".join(f"{k} {u.reasons[k]}" for k in u.reason_codes)),
            escape(u.hint),
            escape(str(u.fix)) if u.fix else "<span class='note'>none found</span>",
        )
        for u in result.unmatched
    ]
    sections.append(
        (
            "unmatched",
            f"Unmatched people ({len(result.unmatched)})",
            _table(
                ["person", "role", "reasons (candidates)", "why", "computed fix"],
                lonely_rows,
                table_id="unmatched-table",
            )
            if lonely_rows
            else "<p>Everyone has a partner.</p>",
        )
    )

    # Rules.
    sections.append(("rules", "Rules", _rules_section(result)))

    nav = (
        "<nav><ul>"
        + "".join(f"<li><a href='#{key}'>{escape(label)}</a></li>" for key, label, _ in sections)
        + "</ul></nav>"
    )
    dates = ""
    if ctx is not None and ctx.program.start and ctx.program.end:
        dates = f"{ctx.program.start} to {ctx.program.end} · "
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    subtitle = (
        f"{dates}{metrics.get('n_executives', 0)} executives, {metrics.get('n_mentors', 0)} "
        f"mentors · solver {escape(str(result.audit.get('method', '?')))} · made {made}"
    )
    body = "".join(
        f"<section id='{key}'><h2>{escape(label)}</h2>{content}</section>"
        for key, label, content in sections
    )
    digest = escape(str(result.audit.get("input_digest", "")))[:16]
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">"
        f"<title>{escape(heading)}</title><style>{_CSS}</style></head><body><main>"
        f"<header><h1>{escape(heading)}</h1><p class='sub'>{subtitle}</p></header>{nav}"
        f"{body}<footer><p class='note'>Made with revmatch from input {digest}…; "
        "a proposal for people to review, not a decision.</p></footer></main></body></html>\n"
    )


def _groups_section(ctx: Context, metrics: dict[str, Any]) -> str:
    overall = float(metrics.get("coverage") or 0.0)
    out = [
        "<p class='note'>Coverage is the share of a group's executives (or mentors) with a "
        "partner; groups more than 10 points below everyone are marked ▼.</p>"
    ]
    for attribute, groups in group_outcomes(ctx).items():
        rows = []
        chart = []
        for value, g in sorted(groups.items()):
            cov = g.matched / g.executives if g.executives else None
            placed = g.placed / g.mentors if g.mentors else None
            low = cov is not None and cov < overall - 0.10
            mark = " ▼" if low else ""
            rows.append(
                (
                    escape(value),
                    str(g.executives),
                    f"<span class='{'low' if low else ''}'>{_pct(cov)}{mark}</span>",
                    _num(float(np.mean(g.exec_scores)) if g.exec_scores else None),
                    str(g.mentors),
                    _pct(placed),
                    _num(float(np.mean(g.mentor_scores)) if g.mentor_scores else None),
                )
            )
            if cov is not None:
                chart.append((value, cov, f"{cov:.0%}"))
        out.append(f"<h3>By {attribute}</h3>")
        if chart:
            out.append(
                bars(
                    chart,
                    f"Executives matched by {attribute}",
                    reference=overall,
                    low=overall - 0.10,
                )
            )
        out.append(
            _table(
                [
                    attribute,
                    "executives",
                    "matched",
                    "mean score",
                    "mentors",
                    "placed",
                    "mean score (mentors)",
                ],
                rows,
                numeric=(1, 2, 3, 4, 5, 6),
                table_id=f"by-{attribute}",
            )
        )
    return "".join(out)


def _meetings_section(ctx: Context | None, result: MatchResult) -> str:
    with_slot = [p for p in result.pairs if p.meeting is not None]
    noted = [p for p in with_slot if p.meeting is not None and p.meeting.dst_notes]
    lines = [
        f"<li>{len(with_slot)} of {len(result.pairs)} pairs have a proposed weekly slot.</li>",
        f"<li>{len(noted)} have weeks to watch (clock changes, fortnightly meetings).</li>",
    ]
    if ctx is not None:
        found = [s for s in schedules(ctx) if s is not None]
        moved = sum(x.status == "moved" for s in found for x in s.sessions)
        cancelled = sum(x.status == "cancelled" for s in found for x in s.sessions)
        lines.append(
            f"<li>Over the program, {moved} sessions move to another shared time in their "
            f"week and {cancelled} weeks have no shared hour; the calendar invitations "
            "(<code>to_ics</code>) hold both.</li>"
        )
    return f"<ul>{''.join(lines)}</ul>"


def _rules_section(result: MatchResult) -> str:
    from .._pipeline.rules import reason_counts

    out = []
    counts = result.metrics.get("unmatched_reasons") or {}
    if counts:
        out.append(
            "<h3>Why people are unmatched</h3>"
            + _table(
                ["reason", "count"],
                [(escape(k), str(v)) for k, v in counts.items()],
                numeric=(1,),
                cls="",
                table_id="reason-counts",
            )
        )
    if result.scores is not None:
        pairs_out = reason_counts(result.scores.reasons)
        total = result.scores.reasons.size
        if pairs_out:
            out.append(
                f"<h3>Pairs ruled out, of {total:,} possible</h3>"
                + _table(
                    ["rule", "pairs"],
                    [(escape(k), f"{v:,}") for k, v in pairs_out.items()],
                    numeric=(1,),
                    cls="",
                    table_id="rule-counts",
                )
            )
    return "".join(out) or "<p>No rule ruled out any pair.</p>"


def write_report(
    result: MatchResult, path: str | Path, *, program: Program | None = None, title: str = ""
) -> Path:
    """Write the report page of a result to ``path``; return the path.

    See :meth:`revmatch.MatchResult.to_html`.

    Examples
    --------
    >>> import tempfile, pathlib, revmatch as rm
    >>> from revmatch.handouts import write_report
    >>> result = rm.match(rm.datasets.make_program(n_executives=4, n_mentors=6, seed=1))
    >>> path = write_report(result, pathlib.Path(tempfile.mkdtemp()) / "report.html")
    >>> path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_report(result, program=program, title=title), encoding="utf-8")
    return target
