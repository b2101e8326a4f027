"""Why a person got their partner: alternatives side by side.

Every "why not" is read off the solved problem, in this order: a hard rule
forbids the pair (a rule of reporting lines names the line: ``reporting_chain:
'm7' -> 'm3' (dotted) -> 'e2'``); a mentor of capacity 0 takes nobody; the other person's
places are all held (by whom); under ``max_score`` the pair adds nothing;
one mentor per topic group; otherwise the objective change of the one move
that would make the pair: add it when both sides have room, or let it replace
the person's own weakest movable pair. A tie is named only when that change
is exactly zero.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ._pipeline.assign import group_labels, objective_weights
from ._pipeline.compile import ProgramArrays
from ._pipeline.lines import describe_line
from ._pipeline.rules import decode_reasons
from ._pipeline.scoring import missing_inputs
from .exceptions import InvalidInputError
from .result import Alternative, Explanation, Role, register_operation

if TYPE_CHECKING:
    from ._pipeline.scoring import ScoreMatrix
    from .result import MatchResult

__all__ = ["explain_person"]

#: Previous pairs of a rematch that earned the switching bonus (those that
#: still exist and meet every rule; the others ended for that reason).
_REMATCH_KINDS = ("kept", "ended")


def explain_person(
    result: MatchResult, scores: ScoreMatrix, person_id: str, top_n: int = 5
) -> Explanation:
    """Explain one person's pairing; see :meth:`MatchResult.explain`."""
    arrays = scores.arrays
    role: Role
    if person_id in arrays.exec_index:
        role = "executive"
        index = arrays.exec_index[person_id]
        values, reasons = scores.values[index], scores.reasons[index]
        other_ids = arrays.mentor_ids
    elif person_id in arrays.mentor_index:
        role = "mentor"
        index = arrays.mentor_index[person_id]
        values, reasons = scores.values[:, index], scores.reasons[:, index]
        other_ids = arrays.exec_ids
    else:
        raise InvalidInputError(
            f"{person_id!r} is neither an executive nor a mentor of this program"
        )

    solved = _Solved.of(result, scores)
    held = solved.exec_partners if role == "executive" else solved.mentor_partners
    chosen = set(held.get(index, []))
    partners = tuple(sorted(other_ids[k] for k in chosen))
    best_partner = max((float(values[k]) for k in chosen), default=None)
    # Feasible candidates first, then by score, then by id.
    order = np.lexsort((np.arange(values.size), -values, reasons != 0))
    picks = [int(k) for k in order if int(k) not in chosen][:top_n]

    alternatives = []
    for k in picks:
        r, c = (index, k) if role == "executive" else (k, index)
        rows, cols = np.array([r]), np.array([c])
        comps = {n: round(float(v[0]), 4) for n, v in scores.details(rows, cols).components.items()}
        why = solved.why_not(r, c, role)
        alternatives.append(
            Alternative(other_ids[k], float(values[k]), reasons[k] == 0, why, comps)
        )

    if partners:
        summary = (
            f"{role} {person_id!r} is paired with {', '.join(repr(p) for p in partners)} "
            f"(score {best_partner:.3f})"
        ) + _left_out(scores, index, role, sorted(chosen, key=lambda k: other_ids[k]))
    else:
        entry = next((u for u in result.unmatched if u.id == person_id), None)
        summary = f"{role} {person_id!r} is unmatched" + (f": {entry.hint}" if entry else "")
    return Explanation(person_id, role, partners, tuple(alternatives), summary)


register_operation("explain", explain_person)

#: What is missing when a component is left out of a pair's score.
_MISSING_TEXT = {
    "topic": "no interests given",
    "language": "no languages given",
    "place": "no location given",
    "department": "no department given",
    "seniority": "no grade given",
}


def _left_out(scores: ScoreMatrix, index: int, role: Role, partners: list[int]) -> str:
    """``"; language left out: no languages given (mentor)"`` for the person's pairs, or ``""``.

    With several partners each pair that leaves something out is named.
    """
    sides = missing_inputs(scores.arrays, scores.config, scores.weights)
    notes = []
    for k in partners:
        r, c = (index, k) if role == "executive" else (k, index)
        parts = []
        for name, (e, m) in sides.items():
            if e[r] or m[c]:
                who = "both" if e[r] and m[c] else "executive" if e[r] else "mentor"
                parts.append(f"{name} left out: {_MISSING_TEXT[name]} ({who})")
        if parts:
            other = (
                scores.arrays.mentor_ids[c] if role == "executive" else scores.arrays.exec_ids[r]
            )
            prefix = f"with {other!r}: " if len(partners) > 1 else ""
            notes.append(prefix + ", ".join(parts))
    return "".join(f"; {note}" for note in notes)


@dataclass(frozen=True)
class _Solved:
    """The solved problem as the solver saw it: weights, places, pins, groups."""

    arrays: ProgramArrays
    scores: ScoreMatrix
    weights: NDArray[np.float64]
    objective: str
    row_capacity: int
    exec_partners: dict[int, list[int]]
    mentor_partners: dict[int, list[int]]
    pinned: frozenset[tuple[int, int]]
    note: str
    groups: Callable[[NDArray[np.intp], NDArray[np.intp]], NDArray[np.intp]]

    @classmethod
    def of(cls, result: MatchResult, scores: ScoreMatrix) -> _Solved:
        arrays, config = scores.arrays, scores.config
        exec_partners: dict[int, list[int]] = {}
        mentor_partners: dict[int, list[int]] = {}
        pinned = set()
        for p in result.pairs:
            r, c = arrays.exec_index[p.executive_id], arrays.mentor_index[p.mentor_id]
            exec_partners.setdefault(r, []).append(c)
            mentor_partners.setdefault(c, []).append(r)
            if p.pinned:
                pinned.add((r, c))
        return cls(
            arrays=arrays,
            scores=scores,
            weights=_with_switching(result.audit, scores, objective_weights(scores)),
            objective=config.objective,
            row_capacity=config.mentors_per_executive,
            exec_partners=exec_partners,
            mentor_partners=mentor_partners,
            pinned=frozenset(pinned),
            note=_note(result.audit),
            groups=group_labels(arrays, config),
        )

    def why_not(self, r: int, c: int, role: Role) -> str:
        """Why the pair (executive ``r``, mentor ``c``) is not in the result."""
        mask = int(self.scores.reasons[r, c])
        if mask:
            return "breaks " + self._rules(r, c, decode_reasons(mask))
        mentors, execs = self.exec_partners.get(r, []), self.mentor_partners.get(c, [])
        capacity = int(self.arrays.capacities[c])
        if capacity == 0:
            return (
                "capacity 0: takes nobody" if role == "executive" else "this mentor has capacity 0"
            )
        if role == "executive" and len(execs) >= capacity:
            return "taken by " + self._who(execs, c, "executive")
        if role == "mentor" and len(mentors) >= self.row_capacity:
            return "paired with " + self._who(mentors, r, "mentor")
        weight = float(self.weights[r, c])
        if self.objective == "max_score" and weight <= 0:
            return f"objective weight {weight:.3f} adds nothing (max_score takes pairs above 0)"
        group = self._group_holder(r, c, mentors)
        if role == "mentor" and group is not None:
            return f"already has {self.arrays.mentor_ids[group]!r} for this topic (one per topic)"
        # The one move that makes the pair: replace the person's own pair
        # (the same-topic one, else the weakest one that is not pinned) when
        # the person is full, else add it.
        own = mentors if role == "executive" else execs
        full = len(own) >= (self.row_capacity if role == "executive" else capacity)
        if group is not None or full:
            candidates = [group] if group is not None else own
            return self._replace(r, c, role, candidates)
        if self.objective == "max_score":
            gain = f"raise the total by {_amount(weight)}"
        else:
            gain = f"add one more pair (score {float(self.scores.values[r, c]):.3f})"
        return f"both have room: adding the pair would {gain}{self.note}"

    def _rules(self, r: int, c: int, names: list[str]) -> str:
        """The rules a pair breaks; a reporting line rule names the line (``: 'm7' -> 'e2'``)."""
        lines = self.arrays.lines
        named = []
        for name in names:
            line = describe_line(lines, self.arrays.exec_ids[r], self.arrays.mentor_ids[c], name)
            named.append(name if line is None else f"{name}: {line}")
        return ("; " if len(named) > 1 and any(":" in n for n in named) else ", ").join(named)

    def _replace(self, r: int, c: int, role: Role, candidates: list[int]) -> str:
        # The person's own pairs, as (executive, mentor) cells.
        if role == "executive":
            ids, cells = self.arrays.mentor_ids, {k: (r, k) for k in candidates}
        else:
            ids, cells = self.arrays.exec_ids, {k: (k, c) for k in candidates}
        movable = [k for k in candidates if cells[k] not in self.pinned]
        if not movable:
            names = ", ".join(repr(ids[k]) for k in sorted(candidates))
            return f"the pair with {names} {'is' if len(candidates) == 1 else 'are'} pinned"
        old = min(movable, key=lambda k: (float(self.weights[cells[k]]), ids[k]))
        delta = float(self.weights[r, c]) - float(self.weights[cells[old]])
        score, old_score = float(self.scores.values[r, c]), float(self.scores.values[cells[old]])
        bonus = delta != score - old_score
        them = f"{ids[old]!r} ({old_score:.3f})"
        if delta < 0 and not bonus:
            return f"scores {_amount(-delta)} lower than {them}, whose place it would take"
        total = "the solver's total (bonuses included)" if bonus else "the total"
        if delta < 0:
            return f"taking the place of {them} would lower {total} by {_amount(-delta)}"
        if delta == 0:
            return f"tie with {them}: taking its place leaves {total} unchanged"
        return f"taking the place of {them} would raise {total} by {_amount(delta)}{self.note}"

    def _who(self, holders: list[int], fixed: int, side: Role) -> str:
        """``'id' (score)`` of each holder of a place; ``fixed`` is the other side."""
        if side == "executive":
            named = [(self.arrays.exec_ids[k], self.scores.values[k, fixed]) for k in holders]
        else:
            named = [(self.arrays.mentor_ids[k], self.scores.values[fixed, k]) for k in holders]
        return ", ".join(f"{who!r} ({float(v):.3f})" for who, v in sorted(named))

    def _group_holder(self, r: int, c: int, mentors: list[int]) -> int | None:
        """The executive's mentor in the topic group of the pair, if any (one per group)."""
        if self.row_capacity == 1 or not mentors:
            return None
        cols = np.array([c, *mentors], dtype=np.intp)
        labels = self.groups(np.full(cols.size, r, dtype=np.intp), cols)
        if labels[0] < 0:
            return None
        return next((k for k, g in zip(mentors, labels[1:], strict=True) if g == labels[0]), None)


def _with_switching(
    audit: dict[str, Any], scores: ScoreMatrix, weights: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Add a rematch's switching bonus to the previous pairs that could stay."""
    rematch = audit.get("rematch")
    if not isinstance(rematch, dict) or not rematch.get("switching_cost"):
        return weights
    arrays = scores.arrays
    weights = np.array(weights, dtype=np.float64, copy=True)
    for change in audit.get("changes", []):
        r = arrays.exec_index.get(change.get("executive_id"))
        c = arrays.mentor_index.get(change.get("mentor_id"))
        known = r is not None and c is not None
        if change.get("kind") in _REMATCH_KINDS and known and scores.reasons[r, c] == 0:
            weights[r, c] += float(rematch["switching_cost"])
    return weights


def _note(audit: dict[str, Any]) -> str:
    """Why a move could still raise the objective: the result is not a plain optimum."""
    from .solvers import METHODS

    info = METHODS.get(str(audit.get("method")))
    if info is not None and not info.optimal:
        return f" (method {info.name!r} does not prove an optimum)"
    if audit.get("closed"):
        return " (pairs were closed after solving)"
    rematch = audit.get("rematch")
    if isinstance(rematch, dict) and rematch.get("max_changes") is not None:
        return f" (rematch allowed at most {rematch['max_changes']} change(s))"
    return ""


def _amount(x: float) -> str:
    """A positive objective difference, with enough digits not to show 0.000."""
    return f"{x:.3f}" if x >= 5e-4 else f"{x:.2g}"
