"""Why a person got their partner: alternatives side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .compile import ProgramArrays
from .constraints import decode_reasons
from .exceptions import InvalidInputError
from .result import Alternative, Explanation, Role

if TYPE_CHECKING:
    from .result import MatchResult
    from .scoring import ScoreMatrix

__all__ = ["explain_person"]


def explain_person(
    result: MatchResult, scores: ScoreMatrix, person_id: str, top_n: int = 5
) -> Explanation:
    """Explain one person's pairing; see :meth:`MatchResult.explain`."""
    arrays = scores.arrays
    partners_of: dict[str, list[str]] = {}
    for p in result.pairs:
        partners_of.setdefault(p.executive_id, []).append(p.mentor_id)
        partners_of.setdefault(p.mentor_id, []).append(p.executive_id)
    pair_score = {(p.executive_id, p.mentor_id): p.score for p in result.pairs}

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

    partners = tuple(sorted(partners_of.get(person_id, [])))
    best_partner = max((values[_index(arrays, role, p)] for p in partners), default=None)
    # Feasible candidates first, then by score, then by id: the same order the
    # solver's tie-break follows.
    order = np.lexsort((np.arange(values.size), -values, reasons != 0))
    chosen = {_index(arrays, role, p) for p in partners}
    picks = [int(k) for k in order if int(k) not in chosen][:top_n]

    alternatives = []
    for k in picks:
        other = other_ids[k]
        feasible = reasons[k] == 0
        if not feasible:
            why = "breaks " + ", ".join(decode_reasons(int(reasons[k])))
        else:
            why = _why_feasible_not_chosen(
                role, other, float(values[k]), best_partner, partners_of, pair_score
            )
        rows = np.array([index if role == "executive" else k])
        cols = np.array([k if role == "executive" else index])
        comps = {n: round(float(v[0]), 4) for n, v in scores.details(rows, cols).components.items()}
        alternatives.append(Alternative(other, float(values[k]), bool(feasible), why, comps))

    if partners:
        summary = (
            f"{role} {person_id!r} is paired with {', '.join(repr(p) for p in partners)} "
            f"(score {best_partner:.3f})"
        )
    else:
        entry = next((u for u in result.unmatched if u.id == person_id), None)
        summary = f"{role} {person_id!r} is unmatched" + (f": {entry.hint}" if entry else "")
    return Explanation(person_id, role, partners, tuple(alternatives), summary)


def _index(arrays: ProgramArrays, role: str, other_id: str) -> int:
    lookup = arrays.mentor_index if role == "executive" else arrays.exec_index
    return int(lookup[other_id])


def _why_feasible_not_chosen(
    role: str,
    other: str,
    value: float,
    best_partner: float | None,
    partners_of: dict[str, list[str]],
    pair_score: dict[tuple[str, str], float],
) -> str:
    taken_by = partners_of.get(other, [])
    if taken_by:
        key = (lambda t: (t, other)) if role == "executive" else (lambda t: (other, t))
        who = ", ".join(f"{t!r} ({pair_score[key(t)]:.3f})" for t in sorted(taken_by))
        verb = "taken by" if role == "executive" else "paired with"
        return f"{verb} {who}"
    if best_partner is not None:
        gap = best_partner - value
        return (
            f"scores {gap:.3f} lower than the chosen partner"
            if gap > 0
            else "equal score; tie broken by id"
        )
    return "feasible and free, but not needed for the best total"
