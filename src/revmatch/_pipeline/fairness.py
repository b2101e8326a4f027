"""Fairness metrics of a result: coverage and scores per group, on both sides.

For each side (executives, mentors) and each attribute (``department``,
``location``, ``groups``, ``grade``), every value is a group: the people who
have it (a person without the attribute is in no group of it; with
``groups`` a person counts in each of its labels). Per group:

- ``size``: people in the group; ``matched``: those in at least one pair;
- ``coverage``: ``matched / size``;
- ``mean_score`` and ``min_score``: over the pairs of the group's people
  (``None`` when the group has no pair).

``worst`` names the executive group of least coverage and the one of least
mean score (ties broken by attribute, then value). Every figure is a few
``bincount`` passes over the chosen pairs: no loop over pairs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from revmatch._pipeline.compile import ProgramArrays
from revmatch._pipeline.quotas import attribute_groups
from revmatch.models import ATTRIBUTES

__all__ = ["fairness_metrics"]


def _side(
    arrays: ProgramArrays, side: str, index: NDArray[np.intp], scores: NDArray[np.float64]
) -> dict[str, dict[str, dict[str, Any]]]:
    n = arrays.shape[0] if side == "executive" else arrays.shape[1]
    matched = np.bincount(index, minlength=n) > 0
    total = np.bincount(index, weights=scores, minlength=n)
    count = np.bincount(index, minlength=n)
    low = np.full(n, np.inf)
    np.minimum.at(low, index, scores)
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for attribute in ATTRIBUTES:
        groups: dict[str, dict[str, Any]] = {}
        for value, members in attribute_groups(arrays, side, attribute).items():
            size = int(members.sum())
            pairs = int(count[members].sum())
            groups[value] = {
                "size": size,
                "matched": int(matched[members].sum()),
                "coverage": round(float(matched[members].sum()) / size, 6),
                "mean_score": round(float(total[members].sum()) / pairs, 6) if pairs else None,
                "min_score": round(float(low[members].min()), 6) if pairs else None,
            }
        if groups:
            out[attribute] = groups
    return out


def _worst(groups: dict[str, dict[str, dict[str, Any]]], key: str) -> dict[str, Any] | None:
    found = [
        (figures[key], attribute, value)
        for attribute, values in groups.items()
        for value, figures in values.items()
        if figures[key] is not None
    ]
    if not found:
        return None
    figure, attribute, value = min(found)
    return {"attribute": attribute, "value": value, key: figure}


def fairness_metrics(
    arrays: ProgramArrays,
    rows: NDArray[np.intp],
    cols: NDArray[np.intp],
    scores: NDArray[np.float64],
) -> dict[str, Any]:
    """Coverage and scores per group of executives and of mentors (see the module notes).

    Parameters
    ----------
    arrays : ProgramArrays
        The compiled program.
    rows, cols : ndarray of intp
        The chosen pairs.
    scores : ndarray of float
        Each chosen pair's score.

    Returns
    -------
    dict
        ``{"executives": {attribute: {value: figures}}, "mentors": ...,
        "worst": {"coverage": ..., "mean_score": ...}}``.
    """
    values = np.asarray(scores, dtype=np.float64)
    executives = _side(arrays, "executive", rows, values)
    return {
        "executives": executives,
        "mentors": _side(arrays, "mentor", cols, values),
        "worst": {
            "coverage": _worst(executives, "coverage"),
            "mean_score": _worst(executives, "mean_score"),
        },
    }
