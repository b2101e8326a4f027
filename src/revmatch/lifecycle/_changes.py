"""The change report of a re-match: what happened to every previous and new pair.

:class:`Change` is one kept, ended or new pair with its reason,
:class:`ChangeReport` all of them with counts and a table;
:func:`rematch_changes` reads the report back from a result.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from revmatch._pipeline.rules import decode_reasons
from revmatch._pipeline.scoring import (
    ScoreMatrix,
)
from revmatch.exceptions import InvalidInputError
from revmatch.result import MatchResult

__all__ = [
    "MOVE_REASONS",
    "Change",
    "ChangeKind",
    "ChangeReport",
    "Previous",
    "change_list",
    "previous_pairs",
    "rematch_changes",
]


ChangeKind = Literal["kept", "ended", "new"]

#: Reasons of an ended pair that still met every rule: it counts as a change
#: against ``max_changes``.
MOVE_REASONS: frozenset[str] = frozenset({"moved", "capacity", "displaced", "dropped"})


@dataclass(frozen=True)
class Change:
    """What happened to one pair in :func:`rematch`.

    Attributes
    ----------
    kind : {"kept", "ended", "new"}
        The previous pair stays, ends, or the pair is new.
    executive_id, mentor_id : str
        The pair.
    reason : str
        Why, as a code. For ``"ended"``: ``executive_left``,
        ``mentor_left``, ``rule_broken`` (see ``rules``) — forced by the new
        program — or, for a pair that still met every rule: ``moved`` (the
        executive got a better pairing), ``capacity`` (the mentor's capacity
        fell below the pairs they held), ``displaced`` (the mentor went to
        another executive, for more coverage or a better total, and no other
        mentor was left for this one) or ``dropped`` (the pair no longer adds
        to the objective). For ``"new"``: ``joined`` (the executive was not in
        the previous result), ``was_unmatched``, ``moved`` (the executive's
        previous pair moved for this one), ``replacement`` (the executive's
        previous pair ended for another reason) or ``additional`` (a further
        mentor for an executive who keeps their pair). Empty for ``"kept"``.
    rules : tuple of str
        The hard rules a ``rule_broken`` pair now breaks.
    other_mentor_id : str or None
        For a moved pair, the executive's new mentor; for a new pair, the
        executive's previous mentor.
    score_before, score_after : float or None
        The pair's score in the previous and in the new result.
    detail : str
        One sentence for people.
    """

    kind: ChangeKind
    executive_id: str
    mentor_id: str
    reason: str = ""
    rules: tuple[str, ...] = ()
    other_mentor_id: str | None = None
    score_before: float | None = None
    score_after: float | None = None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the change as a JSON-ready mapping."""
        return {**dataclasses.asdict(self), "rules": list(self.rules)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Change:
        """Rebuild a change from :meth:`to_dict` output."""
        return cls(**{**data, "rules": tuple(data.get("rules", ()))})


@dataclass(frozen=True)
class ChangeReport:
    """The changes of a :func:`rematch`, read back with :func:`rematch_changes`.

    Attributes
    ----------
    changes : tuple of Change
        Every previous pair (kept or ended) and every new pair, by executive.
    switching_cost : float
        The switching cost used.
    max_changes : int or None
        The limit on moved pairs, if any.
    """

    changes: tuple[Change, ...]
    switching_cost: float
    max_changes: int | None = None

    @property
    def kept(self) -> tuple[Change, ...]:
        """Previous pairs that stay."""
        return tuple(c for c in self.changes if c.kind == "kept")

    @property
    def ended(self) -> tuple[Change, ...]:
        """Previous pairs that end, with the reason."""
        return tuple(c for c in self.changes if c.kind == "ended")

    @property
    def new(self) -> tuple[Change, ...]:
        """Pairs that did not exist before."""
        return tuple(c for c in self.changes if c.kind == "new")

    @property
    def n_moved(self) -> int:
        """Previous pairs that met every rule but were not kept (what ``max_changes`` bounds)."""
        return sum(c.kind == "ended" and c.reason in MOVE_REASONS for c in self.changes)

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def to_records(self) -> list[dict[str, Any]]:
        """One JSON-ready record per change (``rules`` joined with ``;``)."""
        return [{**c.to_dict(), "rules": ";".join(c.rules)} for c in self.changes]

    def summary(self) -> str:
        """One line: how many pairs were kept, ended (by reason) and formed."""
        reasons: dict[str, int] = {}
        for c in self.ended:
            reasons[c.reason] = reasons.get(c.reason, 0) + 1
        why = ", ".join(f"{k} {v}" for k, v in sorted(reasons.items()))
        limit = "" if self.max_changes is None else f" (max_changes {self.max_changes})"
        return (
            f"kept {len(self.kept)}, ended {len(self.ended)}"
            + (f" ({why})" if why else "")
            + f", new {len(self.new)}; {self.n_moved} still-feasible pair(s) moved{limit}"
        )

    def table(self) -> str:
        """A fixed-width text table of the changes other than kept pairs, then the summary."""
        head = f"{'change':<6} {'executive':<12} {'mentor':<12} {'reason':<14} detail"
        lines = [head, "-" * len(head)]
        for c in self.changes:
            if c.kind != "kept":
                lines.append(
                    f"{c.kind:<6} {c.executive_id:<12} {c.mentor_id:<12} {c.reason:<14} {c.detail}"
                )
        lines += ["", self.summary()]
        return "\n".join(lines)


@dataclass(frozen=True)
class Previous:
    """Previous pairs split into those forced out and those that may stay."""

    rows: NDArray[np.intp]
    cols: NDArray[np.intp]
    ended: list[Change]


def previous_pairs(previous: MatchResult, scores: ScoreMatrix) -> Previous:
    arrays = scores.arrays
    ended: list[Change] = []
    keep: set[tuple[int, int]] = set()
    for p in previous.pairs:
        r = arrays.exec_index.get(p.executive_id)
        c = arrays.mentor_index.get(p.mentor_id)
        if r is None or c is None:
            reason = "executive_left" if r is None else "mentor_left"
            who = {
                (True, True): "both people left the program",
                (True, False): "the executive left the program",
                (False, True): "the mentor left the program",
            }[(r is None, c is None)]
            ended.append(
                Change(
                    "ended", p.executive_id, p.mentor_id, reason, score_before=p.score, detail=who
                )
            )
            continue
        mask = int(scores.reasons[r, c])
        if mask:
            rules = tuple(decode_reasons(mask))
            ended.append(
                Change(
                    "ended",
                    p.executive_id,
                    p.mentor_id,
                    "rule_broken",
                    rules=rules,
                    score_before=p.score,
                    detail=f"the pair now breaks the rule(s) {', '.join(rules)}",
                )
            )
            continue
        keep.add((r, c))
    ordered = sorted(keep)
    return Previous(
        np.array([r for r, _ in ordered], dtype=np.intp),
        np.array([c for _, c in ordered], dtype=np.intp),
        ended,
    )


def change_list(
    previous: MatchResult,
    scores: ScoreMatrix,
    prev: Previous,
    rows: NDArray[np.intp],
    cols: NDArray[np.intp],
) -> list[Change]:
    arrays = scores.arrays
    eid, mid = arrays.exec_ids, arrays.mentor_ids
    chosen = set(zip(rows.tolist(), cols.tolist(), strict=True))
    candidates = set(zip(prev.rows.tolist(), prev.cols.tolist(), strict=True))
    before = {(p.executive_id, p.mentor_id): p.score for p in previous.pairs}
    known = {p.executive_id for p in previous.pairs} | {
        u.id for u in previous.unmatched if u.role == "executive"
    }
    held = np.bincount(prev.cols, minlength=arrays.shape[1])
    new_of_row: dict[int, list[int]] = {}
    new_of_col: dict[int, list[int]] = {}
    for r, c in sorted(chosen - candidates):
        new_of_row.setdefault(r, []).append(c)
        new_of_col.setdefault(c, []).append(r)

    out = list(prev.ended)
    ended_of: dict[str, Change] = {}
    for change in prev.ended:
        ended_of.setdefault(change.executive_id, change)
    for r, c in sorted(candidates):
        e, m = eid[r], mid[c]
        old = before[(e, m)]
        now = float(scores.values[r, c])
        if (r, c) in chosen:
            out.append(Change("kept", e, m, score_before=old, score_after=now))
            continue
        other: str | None = None
        if r in new_of_row:
            other = mid[new_of_row[r][0]]
            new_score = float(scores.values[r, new_of_row[r][0]])
            reason = "moved"
            detail = f"moved to mentor {other!r} (score {old:.3f} -> {new_score:.3f})"
        elif held[c] > arrays.capacities[c]:
            reason = "capacity"
            detail = (
                f"mentor {m!r} now takes {int(arrays.capacities[c])} executive(s), "
                f"fewer than the {int(held[c])} they held"
            )
        elif c in new_of_col:
            taker = eid[new_of_col[c][0]]
            reason = "displaced"
            detail = (
                f"the mentor now mentors {taker!r} (more coverage or a better total) "
                "and no other mentor was free for this executive"
            )
        else:
            reason, detail = "dropped", "the pair no longer adds to the objective"
        change = Change(
            "ended", e, m, reason, other_mentor_id=other, score_before=old, detail=detail
        )
        ended_of.setdefault(e, change)
        out.append(change)
    previous_mentor = {p.executive_id: p.mentor_id for p in previous.pairs}
    for r, c in sorted(chosen - candidates):
        e, m = eid[r], mid[c]
        now = float(scores.values[r, c])
        if e not in known:
            reason, detail, other = "joined", "the executive joined the program", None
        elif e in ended_of:
            gone = ended_of[e]
            other = gone.mentor_id
            if gone.reason == "moved":
                reason = "moved"
                detail = f"replaces the pair with mentor {other!r}, moved for a better pairing"
            else:
                reason = "replacement"
                detail = f"replaces the pair with mentor {other!r}, which ended: {gone.detail}"
        elif e in previous_mentor:
            reason, detail, other = "additional", "a further mentor for the executive", None
        else:
            reason, detail, other = "was_unmatched", "the executive was unmatched before", None
        out.append(
            Change("new", e, m, reason, other_mentor_id=other, score_after=now, detail=detail)
        )
    rank = {"ended": 0, "kept": 1, "new": 2}
    out.sort(key=lambda ch: (ch.executive_id, rank[ch.kind], ch.mentor_id))
    return out


def rematch_changes(result: MatchResult) -> ChangeReport:
    """The changes recorded by :func:`rematch` in a result (also one read from JSON).

    Parameters
    ----------
    result : MatchResult
        A result of :func:`rematch`.

    Returns
    -------
    ChangeReport
        Kept, ended (with reasons) and new pairs.

    Raises
    ------
    InvalidInputError
        If the result does not come from :func:`rematch`.
    """
    info = result.audit.get("rematch")
    raw = result.audit.get("changes")
    if not isinstance(info, Mapping) or not isinstance(raw, list):
        raise InvalidInputError(
            "this result has no change record; it does not come from revmatch.rematch"
        )
    limit = info.get("max_changes")
    return ChangeReport(
        tuple(Change.from_dict(c) for c in raw),
        float(info.get("switching_cost", 0.0)),
        int(limit) if limit is not None else None,
    )
