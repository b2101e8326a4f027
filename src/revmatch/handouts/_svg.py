"""Small inline SVG charts for the report: no plotting library, no network."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

INK = "#1b1f24"
MUTED = "#57606a"
BAR = "#2f6f4f"
LOW = "#b35c00"
GRID = "#d0d7de"


def _svg(width: int, height: int, label: str, body: str) -> str:
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(label)}" '
        f'font-family="system-ui, sans-serif" font-size="11"><title>{escape(label)}</title>'
        f"{body}</svg>"
    )


def histogram(values: Sequence[float], label: str, bins: int = 10) -> str:
    """Counts of ``values`` in ``bins`` equal bins over 0..1, as columns."""
    counts = [0] * bins
    for v in values:
        counts[min(int(v * bins), bins - 1)] += 1
    width, height, left, bottom, top = 360, 190, 30, 30, 14
    plot_w, plot_h = width - left - 8, height - bottom - top
    peak = max(counts) or 1
    step = plot_w / bins
    parts = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        f'stroke="{MUTED}"/>'
    ]
    for k, count in enumerate(counts):
        h = plot_h * count / peak
        x = left + k * step
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{top + plot_h - h:.1f}" width="{step - 2:.1f}" '
            f'height="{h:.1f}" fill="{BAR}"><title>{k / bins:.1f}-{(k + 1) / bins:.1f}: '
            f"{count}</title></rect>"
        )
        if count:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{top + plot_h - h - 3:.1f}" '
                f'text-anchor="middle" fill="{INK}">{count}</text>'
            )
    for k in range(0, bins + 1, 2):
        x = left + k * step
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
            f'fill="{MUTED}">{k / bins:.1f}</text>'
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 3}" text-anchor="middle" '
        f'fill="{MUTED}">score</text>'
    )
    return _svg(width, height, label, "".join(parts))


def bars(
    rows: Sequence[tuple[str, float, str]],
    label: str,
    *,
    reference: float | None = None,
    low: float | None = None,
) -> str:
    """Horizontal bars in 0..1: ``(name, share, text shown)`` per row.

    ``reference`` draws a dashed line (the overall value); rows below ``low``
    are drawn in another colour.
    """
    width, row_h, name_w, value_w = 360, 22, 120, 52
    height = row_h * len(rows) + 18
    plot_w = width - name_w - value_w
    parts = []
    for k, (name, share, text) in enumerate(rows):
        y = 4 + k * row_h
        short = name if len(name) <= 18 else name[:17] + "…"
        colour = LOW if low is not None and share < low else BAR
        parts.append(
            f'<text x="{name_w - 6}" y="{y + 14}" text-anchor="end" fill="{INK}">'
            f"<title>{escape(name)}</title>{escape(short)}</text>"
            f'<rect x="{name_w}" y="{y + 3}" width="{plot_w}" height="{row_h - 8}" '
            f'fill="{GRID}" opacity="0.5"/>'
            f'<rect x="{name_w}" y="{y + 3}" width="{plot_w * max(0.0, min(share, 1.0)):.1f}" '
            f'height="{row_h - 8}" fill="{colour}"/>'
            f'<text x="{name_w + plot_w + 6}" y="{y + 14}" fill="{INK}">{escape(text)}</text>'
        )
    if reference is not None:
        x = name_w + plot_w * max(0.0, min(reference, 1.0))
        parts.append(
            f'<line x1="{x:.1f}" y1="2" x2="{x:.1f}" y2="{height - 14}" stroke="{INK}" '
            f'stroke-dasharray="3 3"/><text x="{x:.1f}" y="{height - 3}" text-anchor="middle" '
            f'fill="{MUTED}">all {reference:.0%}</text>'
        )
    return _svg(width, height, label, "".join(parts))
