"""Group quotas and group objectives: people's attributes → solver blocks.

:func:`person_groups` turns one :class:`~revmatch.models.PersonGroup` into
boolean masks of executives or mentors (one per value when the group names
none); :func:`solver_quotas` turns ``config.quotas`` into the
:class:`~revmatch.solvers.Quota` blocks of the ``milp`` method, with pinned
pairs (which the solver never sees) taken off the counts;
:func:`check_quotas` raises :class:`~revmatch.exceptions.QuotaInfeasibleError`
with the smallest relaxation when a minimum cannot be met.

The smallest relaxation is computed by solving, not guessed. The ``milp``
method minimises the total shortfall below the minimums before anything
else, so the shortfall of each quota in its answer is a relaxation of least
total size (lowering those minimums by those amounts is feasible, and any
relaxation of the minimums that lowers them by less in total is not). For
each quota short on its own, one more solve finds the largest minimum it
can have when the others stay as they are: the most pairs its block can
hold under every other quota.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from revmatch._pipeline.compile import ProgramArrays
from revmatch.exceptions import InvalidInputError, QuotaInfeasibleError
from revmatch.models import GroupQuota, MatchConfig, PersonGroup
from revmatch.solvers import Assignment, Quota, solve

__all__ = [
    "BlockQuota",
    "attribute_groups",
    "check_quotas",
    "person_groups",
    "solver_quotas",
]

BoolArray = NDArray[np.bool_]


def attribute_groups(arrays: ProgramArrays, side: str, attribute: str) -> dict[str, BoolArray]:
    """Every value of ``attribute`` on one side and the people who have it (vectorised).

    A person without the attribute has no value; with ``groups`` a person
    may have several. Grades are named by their integer text (``"7"``).
    """
    executive = side == "executive"
    n = arrays.shape[0] if executive else arrays.shape[1]
    if attribute in ("department", "location"):
        names = arrays.departments if attribute == "department" else arrays.locations
        codes = getattr(arrays, f"{'exec' if executive else 'mentor'}_{attribute}")
        return {names[k]: codes == k for k in np.unique(codes[codes >= 0]).tolist()}
    if attribute == "grade":
        grades = arrays.exec_grade if executive else arrays.mentor_grade
        known = grades[~np.isnan(grades)]
        return {str(int(g)): grades == g for g in np.unique(known).tolist()}
    labels = arrays.exec_labels if executive else arrays.mentor_labels
    out: dict[str, BoolArray] = {}
    for i, own in enumerate(labels):
        for label in own:
            out.setdefault(label, np.zeros(n, dtype=bool))[i] = True
    return dict(sorted(out.items()))


def person_groups(
    arrays: ProgramArrays, side: str, group: PersonGroup, where: str
) -> list[tuple[str, BoolArray]]:
    """The people of ``group`` on one side: ``(label, mask)``, one per value when it names none.

    Raises
    ------
    InvalidInputError
        When a value named by the group is held by no one on that side
        (most often a typo), naming the quota and the values there are.
    """
    found = attribute_groups(arrays, side, group.attribute)
    if group.values is None:
        return [(f"{side} {group.attribute} = {v}", mask) for v, mask in found.items()]
    n = arrays.shape[0] if side == "executive" else arrays.shape[1]
    chosen = np.zeros(n, dtype=bool)
    for value in group.values:
        if group.attribute == "grade":
            low, _, high = value.partition("-")
            grades = arrays.exec_grade if side == "executive" else arrays.mentor_grade
            chosen |= (grades >= int(low)) & (grades <= int(high or low))
            continue
        if value not in found:
            known = ", ".join(repr(v) for v in found) or "none"
            raise InvalidInputError(
                f"{where}: no {side} has {group.attribute} {value!r}; values there: {known}."
            )
        chosen |= found[value]
    return [(group.label(side), ~chosen if group.exclude else chosen)]


@dataclass(frozen=True)
class BlockQuota:
    """One bound of a config quota on one block of people (after expanding values)."""

    label: str
    rows: BoolArray
    cols: BoolArray
    quota: GroupQuota


def blocks(arrays: ProgramArrays, config: MatchConfig) -> list[BlockQuota]:
    """Every config quota expanded into its blocks (one per value or pair of values)."""
    n, m = arrays.shape
    out: list[BlockQuota] = []
    for k, q in enumerate(config.quotas):
        where = f"quotas[{k}] ({q.label})"
        ex = (
            [("", np.ones(n, dtype=bool))]
            if q.executive is None
            else person_groups(arrays, "executive", q.executive, where)
        )
        me = (
            [("", np.ones(m, dtype=bool))]
            if q.mentor is None
            else person_groups(arrays, "mentor", q.mentor, where)
        )
        for el, rows in ex:
            for ml, cols in me:
                label = " x ".join(x for x in (el, ml) if x)
                out.append(BlockQuota(f"{q.label} [{label}]", rows, cols, q))
    return out


def solver_quotas(
    arrays: ProgramArrays,
    config: MatchConfig,
    pin_rows: NDArray[np.intp],
    pin_cols: NDArray[np.intp],
) -> list[Quota]:
    """``config.quotas`` as solver blocks, with pinned pairs taken off the counts.

    Raises
    ------
    InvalidInputError
        On an unknown group value, pins that alone break a maximum, or a
        share quota beside pinned pairs (a share of the pairs the solver
        does not see cannot be written as a block of its matrix).
    """
    out: list[Quota] = []
    for b in blocks(arrays, config):
        q = b.quota
        pinned = int((b.rows[pin_rows] & b.cols[pin_cols]).sum())
        shares = q.min_share is not None or q.max_share is not None
        if shares and pin_rows.size:
            raise InvalidInputError(
                f"quota {b.label}: a share quota cannot be combined with pinned pairs; "
                "give min/max counts instead, or drop the pins."
            )
        if q.max is not None and pinned > q.max:
            raise InvalidInputError(
                f"quota {b.label}: the pinned pairs alone put {pinned} pairs in the group, "
                f"above its max of {q.max}."
            )
        out.append(
            Quota(
                b.label,
                rows=np.flatnonzero(b.rows),
                cols=np.flatnonzero(b.cols),
                min=max((q.min or 0) - pinned, 0),
                max=None if q.max is None else q.max - pinned,
                min_share=q.min_share or 0.0,
                max_share=q.max_share,
            )
        )
    return out


def _short(quotas: Sequence[Quota], rows: NDArray[np.intp], cols: NDArray[np.intp]) -> list[int]:
    out = []
    for q in quotas:
        inside = np.isin(rows, np.asarray(q.rows)) & np.isin(cols, np.asarray(q.cols))
        out.append(max(q.min - int(inside.sum()), 0))
    return out


def _most_in_block(kwargs: dict[str, Any], quotas: list[Quota], k: int) -> int | None:
    """The most pairs quota ``k``'s block can hold with every other quota kept, or None."""
    q = quotas[k]
    others = [*quotas[:k], Quota(q.name, q.rows, q.cols, 0, q.max, q.min_share, q.max_share)]
    others += quotas[k + 1 :]
    n, m = kwargs["weights"].shape
    inside = np.zeros((n, m), dtype=bool)
    inside[np.ix_(np.asarray(q.rows), np.asarray(q.cols))] = True
    # A pair outside the block is worth less than one inside, in total too.
    tiny = 1.0 / (2.0 * (n * m + 1))
    weights = np.where(inside, 1.0, tiny)
    call = {**kwargs, "weights": weights, "quotas": others, "objective": "max_score"}
    call.update(method="milp", strict=False)
    found = solve(**call)
    if any(_short(others, found.rows, found.cols)):
        return None
    return int(inside[found.rows, found.cols].sum())


def check_quotas(kwargs: dict[str, Any], assignment: Assignment, pinned: Sequence[int]) -> None:
    """Raise :class:`QuotaInfeasibleError` when the assignment leaves a quota minimum short.

    ``kwargs`` is the solver call that produced ``assignment``; ``pinned``
    the number of pinned pairs in each quota's block (added back to the
    numbers the message shows).
    """
    quotas: list[Quota] = list(kwargs.get("quotas") or [])
    short = _short(quotas, assignment.rows, assignment.cols)
    if not any(short):
        return
    lines = []
    for k, gap in enumerate(short):
        if not gap:
            continue
        q = quotas[k]
        most = _most_in_block(kwargs, quotas, k)
        alone = (
            f"alone, its largest feasible min is {most + pinned[k]}"
            if most is not None
            else "the other quotas conflict even without it"
        )
        lowered = q.min + pinned[k] - gap
        lines.append(f"lower the min of quota {q.name} by {gap} (to {lowered}); {alone}")
    raise QuotaInfeasibleError(
        f"The quotas cannot all be met: the smallest relaxation (least total change, "
        f"{sum(short)} pair(s)) is to " + "; ".join(lines) + ".",
        rows=(),
        cols=(),
    )
