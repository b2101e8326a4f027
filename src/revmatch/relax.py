"""The smallest relaxation that gets an unmatched person a partner.

For every candidate partner of an unmatched person, the rules that exclude
the pair are looked at one by one. Each *configurable* rule has a computed
relaxation: the exact threshold that would admit the pair
(``min_overlap 60 → 45``), or the switch to drop
(``exclude_same_department``, ``exclude_skip_level``). Rules that protect
people — ``reporting_chain`` and ``blocked`` — and facts of the data
(``location`` from people's mode and place) are never proposed, nor is a
``not_junior`` pair whose mentor is senior to the executive:
``min_grade_gap`` is at least 0, so no setting admits it. A feasible
partner at capacity needs one more place
(``capacity of m-03 1 → 2``).

Candidates are ordered by the fewest changes, then (for a mentor) executives
who are still free before those already paired, then the smallest threshold
move, then the highest score, then the lowest id. Admitting a partner does not
mean the optimum then picks them: others may want the same partner, or the
partner is already paired. So, where it is affordable, each candidate is
*checked* in that order by solving again with its change applied, and the
first one after which the person is paired with that partner is the fix
(``makes m-0031 available``). When none is found, or the program is too large
to solve again, the fix is the first candidate and says only what it does for
certain (``makes e1 allowed; e1 is paired with m1``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from ._pipeline.rules import REASON_BITS, decode_reasons, reason_block
from ._pipeline.scoring import ScoreMatrix
from .availability import block_counts
from .exceptions import InfeasibleError

if TYPE_CHECKING:
    from .models import MatchConfig

__all__ = ["Relaxation", "Resolver", "relaxations", "smallest_relaxation"]

_NEVER = REASON_BITS["reporting_chain"] | REASON_BITS["blocked"] | REASON_BITS["location"]

SolveFn = Callable[[ScoreMatrix], tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.bool_], str]]
"""Solves a score matrix as :func:`revmatch._pipeline.assign.solve_scores` does."""

CHECK_CELLS = 500_000
"""Matrix cells (executives × mentors) one result may spend on checking fixes,
summed over the passes over the matrix: each solve, and one recount of shared
time when a fix lowers ``min_overlap_minutes``. A 100 × 100 program can solve
again about 50 times, a 500 × 500 one once or twice, a 1,000 × 1,000 one not at
all."""

CHECK_TRIES = 8
"""Candidates checked per unmatched person before settling for an unchecked one."""


@dataclass(frozen=True)
class Relaxation:
    """A change of settings or capacity that admits one partner.

    Attributes
    ----------
    partner : str
        The partner the change admits; when ``matched``, the partner the
        person gets once the change is applied (possibly another candidate
        than the one the change was computed for).
    changes : tuple of str
        Human-readable changes, e.g. ``"min_overlap_minutes 60 → 45"``.
    settings : dict
        The same changes as machine-readable config or capacity values.
    score : float
        The pair's score.
    matched : bool
        Checked by solving again: with the change applied (and nothing else),
        the person is paired with ``partner``. Otherwise the change only
        admits the pair, and the optimum may still leave the person out.
    held_by : tuple of str
        For a mentor's fix: the mentors the executive ``partner`` is already
        paired with (empty when the executive is free).
    """

    partner: str
    changes: tuple[str, ...]
    settings: dict[str, int | bool | dict[str, int]]
    score: float
    matched: bool = False
    held_by: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Read back from JSON, held_by is a list.
        object.__setattr__(self, "held_by", tuple(self.held_by))

    def __str__(self) -> str:
        changes = " and ".join(self.changes)
        if self.matched:
            return f"{changes} makes {self.partner} available"
        effects = []
        if any(name != "capacity" for name in self.settings):
            effects.append(f"makes {self.partner} allowed")
        if "capacity" in self.settings:
            effects.append(f"gives {self.partner} a free place")
        text = f"{changes} {' and '.join(effects)}"
        if self.held_by:
            text += f"; {self.partner} is paired with {', '.join(self.held_by)}"
        return text


def _floor_to(value: float, step: int) -> int:
    return int(np.floor(value / step) * step)


def relaxations(
    scores: ScoreMatrix,
    index: int,
    role: str,
    used: NDArray[np.int64],
    *,
    pairs: tuple[NDArray[np.intp], NDArray[np.intp]] | None = None,
) -> list[Relaxation]:
    """Every candidate's relaxation for one unmatched person, smallest first.

    Parameters
    ----------
    scores : ScoreMatrix
        Scores and reason masks of the program.
    index : int
        Row (executive) or column (mentor) index of the person.
    role : {"executive", "mentor"}
        Which side the person is on.
    used : ndarray of int
        Places taken per mentor in the result.
    pairs : (rows, cols), optional
        The result's pairs; for a mentor, they tell which executives are
        already paired (``held_by``). Without them nobody counts as paired.

    Returns
    -------
    list of Relaxation
        Unchecked (``matched`` False); empty when every candidate is excluded
        by a rule that no setting relaxes.
    """
    arrays, config = scores.arrays, scores.config
    if role == "executive":
        masks, values = scores.reasons[index], scores.values[index]
        others = np.arange(arrays.shape[1])
    else:
        masks, values = scores.reasons[:, index], scores.values[:, index]
        others = np.arange(arrays.shape[0])
    candidates = others[(masks & _NEVER) == 0]
    if candidates.size == 0:
        return []
    rows = np.full(candidates.size, index) if role == "executive" else candidates
    cols = candidates if role == "executive" else np.full(candidates.size, index)
    # Shared minutes matter only to a candidate that min_overlap excludes.
    minutes = np.zeros(candidates.size)
    short = np.flatnonzero(masks[candidates] & REASON_BITS["min_overlap"])
    if short.size:
        minutes[short] = scores.details(rows[short], cols[short]).min_minutes

    options: list[tuple[tuple[int, int, float, float, str], Relaxation]] = []
    for k, other in enumerate(candidates.tolist()):
        changes: list[str] = []
        settings: dict[str, int | bool | dict[str, int]] = {}
        move = 0.0
        mentor_id, capacity = arrays.mentor_ids[cols[k]], int(arrays.capacities[cols[k]])
        for reason in decode_reasons(int(masks[other])):
            if reason == "min_overlap":
                needed = _floor_to(float(minutes[k]), 15) if minutes[k] > 0 else 0
                if needed <= 0:
                    break  # no shared time at all: no threshold helps
                changes.append(f"min_overlap_minutes {config.min_overlap_minutes} → {needed}")
                settings["min_overlap_minutes"] = needed
                move += (config.min_overlap_minutes - needed) / max(config.min_overlap_minutes, 1)
            elif reason == "language":
                changes.append("require_shared_language off")
                settings["require_shared_language"] = False
                move += 1
            elif reason == "same_department":
                changes.append("exclude_same_department off")
                settings["exclude_same_department"] = False
                move += 1
            elif reason == "skip_level":
                changes.append("exclude_skip_level off")
                settings["exclude_skip_level"] = False
                move += 1
            elif reason == "not_junior":
                gap = int(arrays.exec_grade[rows[k]] - arrays.mentor_grade[cols[k]])
                if gap < 0:
                    break  # the mentor is senior: min_grade_gap >= 0 never admits the pair
                changes.append(f"min_grade_gap {config.min_grade_gap} → {gap}")
                settings["min_grade_gap"] = gap
                move += config.min_grade_gap - gap
            elif reason == "repeat":
                changes.append("allow_repeats on")
                settings["allow_repeats"] = True
                move += 1
        else:
            if used[cols[k]] >= capacity:
                new = capacity + 1
                changes.append(f"capacity of {mentor_id} {capacity} → {new}")
                settings["capacity"] = {mentor_id: new}
                move += 1
            if not changes:
                continue  # feasible and free: nothing to relax for this one
            held_by: tuple[str, ...] = ()
            if role == "executive":
                partner = arrays.mentor_ids[other]
            else:
                partner = arrays.exec_ids[other]
                if pairs is not None:
                    mine = pairs[1][pairs[0] == other]
                    if mine.size >= config.mentors_per_executive:
                        held_by = tuple(arrays.mentor_ids[c] for c in mine.tolist())
            key = (len(changes), int(bool(held_by)), move, -float(values[other]), partner)
            relaxation = Relaxation(
                partner, tuple(changes), settings, float(values[other]), held_by=held_by
            )
            options.append((key, relaxation))
    options.sort(key=lambda item: item[0])
    return [relaxation for _, relaxation in options]


def smallest_relaxation(
    scores: ScoreMatrix,
    index: int,
    role: str,
    used: NDArray[np.int64],
    *,
    pairs: tuple[NDArray[np.intp], NDArray[np.intp]] | None = None,
    resolver: Resolver | None = None,
) -> Relaxation | None:
    """Compute the smallest relaxation for one unmatched person.

    Parameters
    ----------
    scores : ScoreMatrix
        Scores and reason masks of the program.
    index : int
        Row (executive) or column (mentor) index of the person.
    role : {"executive", "mentor"}
        Which side the person is on.
    used : ndarray of int
        Places taken per mentor in the result.
    pairs : (rows, cols), optional
        The result's pairs (see :func:`relaxations`).
    resolver : Resolver, optional
        Checks candidates by solving again; without it nothing is checked.

    Returns
    -------
    Relaxation or None
        The first candidate whose change, applied, gets the person a partner
        (``matched`` True, naming the partner they get), else the first
        candidate; None when every candidate is excluded by a rule that is
        never relaxed.
    """
    options = relaxations(scores, index, role, used, pairs=pairs)
    if resolver is not None:
        for option in options[:CHECK_TRIES]:
            if not resolver.affordable(option):
                continue
            got = resolver.partner_after(option, index, role)
            if got is not None:
                partner, score = got
                return dataclasses.replace(
                    option, partner=partner, score=score, matched=True, held_by=()
                )
    return options[0] if options else None


class Resolver:
    """Solve a program again with one relaxation applied, within a budget.

    Parameters
    ----------
    scores : ScoreMatrix
        Scores and reasons the result was solved from.
    solve : callable
        The solver front end, :func:`revmatch._pipeline.assign.solve_scores`.
    budget : int
        Matrix cells all passes together may cover (see :data:`CHECK_CELLS`).

    Notes
    -----
    The relaxed settings never touch a score, only feasibility (and a
    mentor's capacity), so the solve reuses the scores; the new reason masks
    come from :func:`revmatch._pipeline.rules.reason_block` with the relaxed
    config, kept within the old masks (a relaxation only lifts rules, and a
    pin forced through the rules stays forced). Shared time is recounted,
    once, only for a fix that lowers ``min_overlap_minutes``.
    """

    def __init__(self, scores: ScoreMatrix, solve: SolveFn, budget: int = CHECK_CELLS) -> None:
        self.scores = scores
        self.solve = solve
        self.budget = budget
        self._minutes: NDArray[np.float64] | None = None

    def affordable(self, fix: Relaxation) -> bool:
        """Whether checking ``fix`` fits in what is left of the budget."""
        return 0 < self._cost(fix) <= self.budget

    def _cost(self, fix: Relaxation) -> int:
        n_exec, n_mentor = self.scores.shape
        recount = "min_overlap_minutes" in fix.settings and self._minutes is None
        return n_exec * n_mentor * (2 if recount else 1)

    def partner_after(self, fix: Relaxation, index: int, role: str) -> tuple[str, float] | None:
        """The partner (id and score) the person at ``index`` gets with ``fix`` applied.

        None when they stay unmatched. Of several partners, the one ``fix``
        names comes first, then the highest score, then the lowest id.
        """
        arrays, values = self.scores.arrays, self.scores.values
        self.budget -= self._cost(fix)
        try:
            rows, cols, _, _ = self.solve(self._relaxed(fix))
        except InfeasibleError:
            return None  # strict, and still not everyone can be matched
        if role == "executive":
            ids, line, others = arrays.mentor_ids, values[index], cols[rows == index]
        else:
            ids, line, others = arrays.exec_ids, values[:, index], rows[cols == index]
        if not others.size:
            return None
        best = min(others.tolist(), key=lambda o: (ids[o] != fix.partner, -float(line[o]), ids[o]))
        return ids[best], float(line[best])

    def _relaxed(self, fix: Relaxation) -> ScoreMatrix:
        scores = self.scores
        arrays, reasons = scores.arrays, scores.reasons
        rules = {name: value for name, value in fix.settings.items() if name != "capacity"}
        config: MatchConfig = scores.config.replace(**rules) if rules else scores.config
        capacity = fix.settings.get("capacity")
        if isinstance(capacity, dict):
            capacities = arrays.capacities.copy()
            for mentor_id, places in capacity.items():
                capacities[arrays.mentor_index[mentor_id]] = places
            arrays = dataclasses.replace(arrays, capacities=capacities)
        if rules:
            if "min_overlap_minutes" in rules:
                minutes = self._min_minutes()
            else:
                # The threshold stays: zero minutes flag every pair, and the
                # masks below keep exactly the pairs flagged before.
                minutes = np.zeros(scores.shape)
            reasons = reason_block(arrays, config, slice(0, arrays.shape[0]), minutes) & reasons
        return ScoreMatrix(scores.values, reasons, arrays, config, scores.weights, scores.custom)

    def _min_minutes(self) -> NDArray[np.float64]:
        """Smallest weekly shared minutes of every pair, as scoring counts them for the rules."""
        if self._minutes is None:
            arrays = self.scores.arrays
            minutes = np.empty(self.scores.shape)
            everyone = [slice(0, arrays.shape[0])]
            for rows, counts, index in block_counts(arrays.availability, everyone, mean=False):
                minutes[rows] = counts.minutes("min").take(index)
            self._minutes = minutes
        return self._minutes
