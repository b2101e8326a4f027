"""Why a person got their partner: alternatives side by side.

Every "why not" is read off the solved problem, in this order: a hard rule
forbids the pair (a rule of reporting lines names the line: ``reporting_chain:
'm7' -> 'm3' (dotted) -> 'e2'``); a mentor of capacity 0 takes nobody; the other person's
places are all held (by whom); under ``max_score`` the pair adds nothing;
one mentor per topic group; otherwise the objective change of the one move
that would make the pair: add it when both sides have room, or let it replace
the person's own weakest movable pair. A tie is named only when that change
is exactly zero. With ``MatchConfig.quotas`` a move that would break a quota
(a maximum, a minimum, a share) names that quota and the count it would
reach, counted on the result's own pairs.

What each quota costs is measured by solving again without it
(:func:`explain_quotas`): the change in total score and in pairs, and who is
unmatched only because of it; an unmatched person's explanation names the
quotas that kept them out. When the quotas cannot all be met there is no
result to explain, and :func:`explain_quotas` of the program returns the
smallest relaxation in the words of the :class:`~revmatch.QuotaInfeasibleError`.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ._pipeline.assign import group_labels, objective_weights, solve_scores
from ._pipeline.compile import ProgramArrays
from ._pipeline.lines import describe_line
from ._pipeline.quotas import BlockQuota, blocks
from ._pipeline.rules import decode_reasons
from ._pipeline.scoring import missing_inputs
from .exceptions import InvalidInputError, QuotaInfeasibleError
from .result import Alternative, Explanation, Role, register_operation

if TYPE_CHECKING:
    from ._pipeline.scoring import ScoreMatrix
    from .models import MatchConfig, Program
    from .result import MatchResult

__all__ = ["QuotaEffect", "QuotaReport", "explain_person", "explain_quotas"]

#: Previous pairs of a rematch that earned the switching bonus (those that
#: still exist and meet every rule; the others ended for that reason).
_REMATCH_KINDS = ("kept", "ended")

#: A share quota is one linear row of the integer program, met up to the
#: solver's feasibility tolerance; a move breaks it only beyond that.
_SHARE_TOL = 1e-6


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
        summary += "".join(
            f"; kept out by quota {e.effect.quota!r}: without it they would be paired with "
            + ", ".join(repr(p) for p in e.partners[person_id])
            + f" (the match without it: {e.effect.cost_text()})"
            for e in _cached_effects(result, scores)
            if person_id in e.effect.kept_out
        )
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
    quotas: tuple[BlockQuota, ...] = ()
    quota_counts: tuple[int, ...] = ()

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
        # The quotas' blocks and their counts over every pair, pins included,
        # which is what a config quota bounds.
        quota_blocks = tuple(blocks(arrays, config)) if config.quotas else ()
        rows = np.array([arrays.exec_index[p.executive_id] for p in result.pairs], np.intp)
        cols = np.array([arrays.mentor_index[p.mentor_id] for p in result.pairs], np.intp)
        counts = tuple(int((b.rows[rows] & b.cols[cols]).sum()) for b in quota_blocks)
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
            quotas=quota_blocks,
            quota_counts=counts,
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
        broken = self._quota_broken((r, c))
        if broken:
            return f"both have room, but adding the pair would break {broken}"
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
        broken = self._quota_broken((r, c), cells[old])
        if broken:
            return f"taking the place of {ids[old]!r} would break {broken}"
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

    def _quota_broken(self, add: tuple[int, int], drop: tuple[int, int] | None = None) -> str:
        """The first quota that adding ``add`` (and dropping ``drop``) would break, or ``""``."""
        total = sum(len(v) for v in self.exec_partners.values()) + 1 - (drop is not None)
        for b, count in zip(self.quotas, self.quota_counts, strict=True):
            new = count + int(b.rows[add[0]] and b.cols[add[1]])
            if drop is not None:
                new -= int(b.rows[drop[0]] and b.cols[drop[1]])
            q, name = b.quota, f"quota {b.label}"
            if q.max is not None and new > q.max:
                return f"{name}: at most {q.max} pair(s) in the group, it would have {new}"
            if q.min is not None and new < q.min:
                return f"{name}: at least {q.min} pair(s) in the group, it would have {new}"
            if q.max_share is not None and new > q.max_share * total + _SHARE_TOL:
                return (
                    f"{name}: at most {q.max_share:g} of the pairs in the group, "
                    f"it would have {new} of {total}"
                )
            if q.min_share is not None and new < q.min_share * total - _SHARE_TOL:
                return (
                    f"{name}: at least {q.min_share:g} of the pairs in the group, "
                    f"it would have {new} of {total}"
                )
        return ""

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


# ----------------------------------------------------------------------------- quotas
@dataclass(frozen=True)
class QuotaEffect:
    """What one quota of a match costs, measured by solving again without it.

    The match is solved once more with every other quota kept and this one
    dropped; the figures compare that optimum with the result.

    Attributes
    ----------
    quota : str
        The quota as written (:meth:`GroupQuota.label <revmatch.GroupQuota.label>`).
    score_cost : float
        Total score without the quota minus the result's total (rounded to
        6 decimals); > 0 when the quota costs score.
    pairs_cost : int
        Pairs without the quota minus the result's pairs.
    kept_out : tuple of str
        People unmatched in the result and matched without the quota.
    brought_in : tuple of str
        People matched in the result and unmatched without the quota.

    Notes
    -----
    A quota binds when dropping it changes the total score or the number of
    pairs. ``kept_out`` and ``brought_in`` are given only then: for a quota
    that binds nothing, people who differ would differ between two equally
    good matches, which is a tie, not the quota's doing.
    """

    quota: str
    score_cost: float
    pairs_cost: int
    kept_out: tuple[str, ...] = ()
    brought_in: tuple[str, ...] = ()

    @property
    def binding(self) -> bool:
        """Whether dropping the quota changes the total score or the number of pairs."""
        return self.score_cost != 0 or self.pairs_cost != 0

    def cost_text(self) -> str:
        """``"pairs +1, total score +0.250"``: the match without the quota beside the result."""
        return f"pairs {self.pairs_cost:+d}, total score {self.score_cost:+.3f}"

    def __str__(self) -> str:
        if not self.binding:
            return f"quota {self.quota!r} does not bind: the match without it is no better"
        text = f"quota {self.quota!r} binds (without it: {self.cost_text()})"
        if self.kept_out:
            text += "; kept out: " + ", ".join(repr(p) for p in self.kept_out)
        if self.brought_in:
            text += "; brought in: " + ", ".join(repr(p) for p in self.brought_in)
        return text


@dataclass(frozen=True)
class QuotaReport:
    """What the quotas of a match cost, or their smallest relaxation when they cannot be met.

    Attributes
    ----------
    effects : tuple of QuotaEffect
        One per quota of the config, in its order (empty when the quotas
        cannot all be met).
    price : dict or None
        All quotas at once: the result's ``audit["price_of_quotas"]``.
    relaxation : str
        When the quotas cannot all be met: the smallest relaxation, in the
        words of the :class:`~revmatch.QuotaInfeasibleError` that
        :func:`revmatch.match` raises; ``""`` otherwise.

    Examples
    --------
    >>> import revmatch as rm
    >>> program = rm.datasets.make_program(n_executives=6, n_mentors=6, seed=1)
    >>> dept = program.executives[0].department
    >>> config = rm.MatchConfig(quotas=[f"executive.department={dept}:min=99"])
    >>> report = rm.explain_quotas(program, config)
    >>> report.feasible, report.relaxation.startswith("The quotas cannot all be met")
    (False, True)
    """

    effects: tuple[QuotaEffect, ...]
    price: dict[str, Any] | None
    relaxation: str = ""

    @property
    def feasible(self) -> bool:
        """Whether the quotas can all be met."""
        return not self.relaxation

    def __str__(self) -> str:
        if self.relaxation:
            return self.relaxation
        lines = []
        if self.price:
            p = self.price
            lines.append(
                f"the quotas together cost {p['price']:.3f} total score and "
                f"{p['pairs_lost']} pair(s): total {p['total_with_quotas']:.3f} with them, "
                f"{p['total_without_quotas']:.3f} without"
            )
        lines += [str(e) for e in self.effects]
        return "\n".join(lines)


@dataclass(frozen=True)
class _Without:
    """One quota's effect and the partners of everyone in the match without it."""

    effect: QuotaEffect
    partners: dict[str, list[str]]


#: The quota effects of results alive now, by ``id``: one solve per quota
#: serves every explanation of a result (each entry leaves with its result).
_EFFECTS: dict[int, list[_Without]] = {}


def _cached_effects(result: MatchResult, scores: ScoreMatrix) -> list[_Without]:
    key = id(result)
    found = _EFFECTS.get(key)
    if found is None:
        found = _EFFECTS[key] = _quota_effects(result, scores)
        weakref.finalize(result, _EFFECTS.pop, key, None)
    return found


def _quota_effects(result: MatchResult, scores: ScoreMatrix) -> list[_Without]:
    """Solve once per quota with that quota dropped and compare with ``result``."""
    import dataclasses

    config = scores.config
    if not config.quotas:
        return []
    arrays = scores.arrays
    base = objective_weights(scores)
    weights = _with_switching(result.audit, scores, base)
    rows = np.array([arrays.exec_index[p.executive_id] for p in result.pairs], np.intp)
    cols = np.array([arrays.mentor_index[p.mentor_id] for p in result.pairs], np.intp)
    total = float(scores.values[rows, cols].sum())
    matched = {p.executive_id for p in result.pairs} | {p.mentor_id for p in result.pairs}
    out = []
    for k, quota in enumerate(config.quotas):
        others = config.replace(quotas=[*config.quotas[:k], *config.quotas[k + 1 :]])
        free_rows, free_cols, _, _ = solve_scores(
            dataclasses.replace(scores, config=others),
            weights=None if weights is base else weights,
        )
        partners: dict[str, list[str]] = {}
        for r, c in zip(free_rows.tolist(), free_cols.tolist(), strict=True):
            e, m = arrays.exec_ids[r], arrays.mentor_ids[c]
            partners.setdefault(e, []).append(m)
            partners.setdefault(m, []).append(e)
        effect = QuotaEffect(
            quota.label,
            round(float(scores.values[free_rows, free_cols].sum()) - total, 6),
            int(free_rows.size - rows.size),
        )
        if effect.binding:
            effect = dataclasses.replace(
                effect,
                kept_out=tuple(sorted(set(partners) - matched)),
                brought_in=tuple(sorted(matched - set(partners))),
            )
        out.append(_Without(effect, partners))
    return out


def explain_quotas(
    source: MatchResult | Program, config: MatchConfig | None = None
) -> QuotaReport:
    """What each quota costs, or the smallest relaxation when the quotas cannot be met.

    Parameters
    ----------
    source : MatchResult or Program
        A result of :func:`revmatch.match` (with its score matrix; its own
        config is used), or a program to match with ``config``.
    config : MatchConfig, optional
        The settings, with ``quotas``, for a program; not given with a result.

    Returns
    -------
    QuotaReport
        Per quota, the match solved once more without it (the others kept)
        beside the result: score and pairs the quota costs and who it keeps
        out; or, when the quotas cannot all be met, the smallest relaxation.

    Raises
    ------
    InvalidInputError
        For a result read from JSON (no scores), a result given with a
        config, or bad input in the program or config.
    InfeasibleError
        When the program cannot be matched for another reason than its
        quotas (``strict`` with executives left over).

    Examples
    --------
    >>> import revmatch as rm
    >>> program = rm.datasets.make_program(n_executives=6, n_mentors=6, seed=1)
    >>> config = rm.MatchConfig(quotas=["pair.department*department:max=1"])
    >>> report = rm.explain_quotas(rm.match(program, config))
    >>> [e.quota for e in report.effects]
    ['pair.department*department:max=1']
    """
    from .result import MatchResult

    if isinstance(source, MatchResult):
        if config is not None:
            raise InvalidInputError(
                "explain_quotas(result) uses the result's own config; pass a config only "
                "with a program"
            )
        result = source
    else:
        from .matching import match

        try:
            result = match(source, config=config)
        except QuotaInfeasibleError as error:
            return QuotaReport((), None, str(error))
    if result.scores is None:
        raise InvalidInputError(
            "this result has no score matrix (it was read from JSON); "
            "run revmatch.match again to explain its quotas"
        )
    effects = tuple(w.effect for w in _cached_effects(result, result.scores))
    return QuotaReport(effects, result.audit.get("price_of_quotas"))
