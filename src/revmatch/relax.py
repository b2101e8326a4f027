"""The smallest relaxation that gives an unmatched person a feasible partner.

For every candidate partner of an unmatched person, the rules that exclude
the pair are looked at one by one. Each *configurable* rule has a computed
relaxation: the exact threshold that would admit the pair
(``min_overlap 60 → 45``), or the switch to drop
(``exclude_same_department``). Rules that protect people — ``reporting_chain``
and ``blocked`` — and facts of the data (``location`` from people's mode and
place) are never proposed, nor is a ``not_junior`` pair whose mentor is
senior to the executive: ``min_grade_gap`` is at least 0, so no setting admits
it. A feasible partner at capacity needs one more place
(``capacity of m-03 1 → 2``).

The smallest relaxation is the candidate needing the fewest changes, then
the smallest threshold move, then the highest score, then the lowest id. It
is computed from the score matrix alone; nothing is re-solved, so it names a
change that makes a partner *available*, not a promise that the optimum
would then pick them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from .constraints import REASON_BITS, decode_reasons

if TYPE_CHECKING:
    from .scoring import ScoreMatrix

__all__ = ["Relaxation", "smallest_relaxation"]

_NEVER = REASON_BITS["reporting_chain"] | REASON_BITS["blocked"] | REASON_BITS["location"]


@dataclass(frozen=True)
class Relaxation:
    """A change of settings or capacity that admits one partner.

    Attributes
    ----------
    partner : str
        The partner the change makes available.
    changes : tuple of str
        Human-readable changes, e.g. ``"min_overlap_minutes 60 → 45"``.
    settings : dict
        The same changes as machine-readable config or capacity values.
    score : float
        The pair's score.
    """

    partner: str
    changes: tuple[str, ...]
    settings: dict[str, int | bool | dict[str, int]]
    score: float

    def __str__(self) -> str:
        return f"{' and '.join(self.changes)} makes {self.partner} available"


def _floor_to(value: float, step: int) -> int:
    return int(np.floor(value / step) * step)


def smallest_relaxation(
    scores: ScoreMatrix,
    index: int,
    role: str,
    used: NDArray[np.int64],
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

    Returns
    -------
    Relaxation or None
        None when every candidate is excluded by a rule that is never relaxed.
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
        return None
    rows = np.full(candidates.size, index) if role == "executive" else candidates
    cols = candidates if role == "executive" else np.full(candidates.size, index)
    minutes = scores.details(rows, cols).min_minutes

    options: list[tuple[tuple[int, float, float, str], Relaxation]] = []
    for k, other in enumerate(candidates.tolist()):
        changes: list[str] = []
        settings: dict[str, int | bool | dict[str, int]] = {}
        move = 0.0
        mentor = arrays.mentors[cols[k]]
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
            if used[cols[k]] >= mentor.capacity:
                new = int(mentor.capacity) + 1
                changes.append(f"capacity of {mentor.id} {mentor.capacity} → {new}")
                settings["capacity"] = {mentor.id: new}
                move += 1
            if not changes:
                continue  # feasible and free: nothing to relax for this one
            partner = (
                arrays.mentors[other].id if role == "executive" else arrays.executives[other].id
            )
            key = (len(changes), move, -float(values[other]), partner)
            options.append(
                (key, Relaxation(partner, tuple(changes), settings, float(values[other])))
            )
    if not options:
        return None
    return min(options, key=lambda item: item[0])[1]
