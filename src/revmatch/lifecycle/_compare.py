"""Two results side by side: :func:`compare`, :class:`Comparison`, :class:`PairDiff`."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from revmatch.lifecycle._common import frame
from revmatch.result import MatchResult

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Comparison", "DiffKind", "PairDiff", "compare"]


DiffKind = Literal["added", "removed", "changed", "rescored"]


@dataclass(frozen=True)
class PairDiff:
    """One difference between two results' pairs, seen from the executive.

    Attributes
    ----------
    kind : {"added", "removed", "changed", "rescored"}
        ``added``: the executive has a pair only in the second result;
        ``removed``: only in the first; ``changed``: a different mentor;
        ``rescored``: the same pair with a different score.
    executive_id : str
        The executive.
    mentor_before, mentor_after : str or None
        The mentor in the first and in the second result.
    score_before, score_after : float or None
        The pair's score in the first and in the second result.
    """

    kind: DiffKind
    executive_id: str
    mentor_before: str | None
    mentor_after: str | None
    score_before: float | None
    score_after: float | None


def _numeric_metrics(metrics: Mapping[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in metrics.items():
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            out[key] = float(value)
        elif isinstance(value, Mapping):
            for name, count in value.items():
                if isinstance(count, int | float) and not isinstance(count, bool):
                    out[f"{key}.{name}"] = float(count)
    return out


@dataclass(frozen=True)
class Comparison:
    """Differences between two results: the basis of what-if work.

    Attributes
    ----------
    added, removed, changed, rescored : tuple of PairDiff
        Pair differences by kind (see :class:`PairDiff`), by executive id.
    metrics_before, metrics_after : dict of str to float
        Numeric metrics of both results; counts of unmatched reasons appear as
        ``unmatched_reasons.<code>`` (0 when absent from one side).
    metric_deltas : dict of str to float
        ``after - before`` for every metric of both.
    """

    added: tuple[PairDiff, ...]
    removed: tuple[PairDiff, ...]
    changed: tuple[PairDiff, ...]
    rescored: tuple[PairDiff, ...]
    metrics_before: dict[str, float]
    metrics_after: dict[str, float]
    metric_deltas: dict[str, float]

    @property
    def differences(self) -> tuple[PairDiff, ...]:
        """Every pair difference, by executive id then kind."""
        order = {"removed": 0, "changed": 1, "added": 2, "rescored": 3}
        return tuple(
            sorted(
                (*self.added, *self.removed, *self.changed, *self.rescored),
                key=lambda d: (
                    d.executive_id,
                    order[d.kind],
                    d.mentor_before or "",
                    d.mentor_after or "",
                ),
            )
        )

    @property
    def changed_metrics(self) -> dict[str, float]:
        """The metric deltas that are not zero."""
        return {k: v for k, v in self.metric_deltas.items() if v != 0}

    @property
    def is_empty(self) -> bool:
        """True when the results have the same pairs, scores and metrics."""
        return not self.differences and not self.changed_metrics

    def to_records(self) -> list[dict[str, Any]]:
        """One record per pair difference (see :class:`PairDiff`)."""
        return [dataclasses.asdict(d) for d in self.differences]

    def to_dict(self) -> dict[str, Any]:
        """The whole comparison as a JSON-ready mapping."""
        return {
            "differences": self.to_records(),
            "counts": {
                "added": len(self.added),
                "removed": len(self.removed),
                "changed": len(self.changed),
                "rescored": len(self.rescored),
            },
            "metrics": {
                k: {
                    "before": self.metrics_before.get(k),
                    "after": self.metrics_after.get(k),
                    "delta": v,
                }
                for k, v in self.metric_deltas.items()
            },
        }

    def to_json(self, path: str | Path | None = None, *, indent: int | None = 2) -> str:
        """Serialise :meth:`to_dict` to JSON; also write it to ``path`` when given."""
        text = json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)
        if path is not None:
            Path(path).write_text(text + "\n", encoding="utf-8")
        return text

    def to_pandas(self) -> pd.DataFrame:
        """:meth:`to_records` as a pandas DataFrame (needs the pandas extra)."""
        return frame(self.to_records(), "Comparison.to_pandas()")

    def summary(self) -> str:
        """One line of counts, then the metrics that changed."""
        lines = [
            f"{len(self.added)} added, {len(self.removed)} removed, "
            f"{len(self.changed)} changed, {len(self.rescored)} rescored"
        ]
        for key, delta in self.changed_metrics.items():
            lines.append(
                f"  {key}: {_number(self.metrics_before.get(key))} -> "
                f"{_number(self.metrics_after.get(key))} ({delta:+.6g})"
            )
        return "\n".join(lines)

    def table(self) -> str:
        """A fixed-width text table of the pair differences, then :meth:`summary`."""
        head = f"{'kind':<9} {'executive':<12} {'mentor before':<14} {'mentor after':<14} score"
        lines = [head, "-" * len(head)]
        for d in self.differences:
            score = f"{_number(d.score_before)} -> {_number(d.score_after)}"
            lines.append(
                f"{d.kind:<9} {d.executive_id:<12} {d.mentor_before or '-':<14} "
                f"{d.mentor_after or '-':<14} {score}"
            )
        return "\n".join([*lines, "", self.summary()])


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.6g}"


def compare(a: MatchResult, b: MatchResult) -> Comparison:
    """Compare two results: pairs added, removed and changed, and metric deltas.

    Parameters
    ----------
    a, b : MatchResult
        The "before" and the "after" result (e.g. two settings of a what-if,
        or a result and its :func:`rematch`); results read from JSON work.

    Returns
    -------
    Comparison
        Differences seen from each executive: a mentor only in ``b`` is
        *added*, only in ``a`` *removed*, a different mentor *changed* (for
        executives with several mentors, the sorted mentors that differ are
        paired up; the rest are added or removed), the same pair with another
        score *rescored*; plus ``b - a`` for every numeric metric.
        ``compare(a, a).is_empty`` is True.

    Examples
    --------
    >>> import revmatch as rm
    >>> from revmatch.lifecycle import compare
    >>> program = rm.datasets.make_program(n_executives=8, n_mentors=12, seed=0)
    >>> a = rm.match(program)
    >>> compare(a, a).is_empty
    True
    >>> b = rm.match(program, rm.MatchConfig(weights={"topic": 0.1}))
    >>> diff = compare(a, b)
    >>> diff.metric_deltas["score_mean"] == round(
    ...     b.metrics["score_mean"] - a.metrics["score_mean"], 9)
    True
    """

    def by_executive(result: MatchResult) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for p in result.pairs:
            out.setdefault(p.executive_id, {})[p.mentor_id] = p.score
        return out

    before, after = by_executive(a), by_executive(b)
    added: list[PairDiff] = []
    removed: list[PairDiff] = []
    changed: list[PairDiff] = []
    rescored: list[PairDiff] = []
    for e in sorted(before.keys() | after.keys()):
        old, new = before.get(e, {}), after.get(e, {})
        for m in sorted(old.keys() & new.keys()):
            if old[m] != new[m]:
                rescored.append(PairDiff("rescored", e, m, m, old[m], new[m]))
        gone = sorted(old.keys() - new.keys())
        came = sorted(new.keys() - old.keys())
        for m_old, m_new in zip(gone, came, strict=False):
            changed.append(PairDiff("changed", e, m_old, m_new, old[m_old], new[m_new]))
        for m in gone[len(came) :]:
            removed.append(PairDiff("removed", e, m, None, old[m], None))
        for m in came[len(gone) :]:
            added.append(PairDiff("added", e, None, m, None, new[m]))
    ma, mb = _numeric_metrics(a.metrics), _numeric_metrics(b.metrics)
    prefix = "unmatched_reasons."
    for key in ma.keys() | mb.keys():
        if key.startswith(prefix):
            ma.setdefault(key, 0.0)
            mb.setdefault(key, 0.0)
    keys = sorted(ma.keys() & mb.keys())
    deltas = {k: round(mb[k] - ma[k], 9) for k in keys}
    return Comparison(
        tuple(added),
        tuple(removed),
        tuple(changed),
        tuple(rescored),
        {k: ma[k] for k in keys},
        {k: mb[k] for k in keys},
        deltas,
    )
