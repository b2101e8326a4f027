"""Result and side-constraint types shared by every solver."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from revmatch.exceptions import RevmatchError

__all__ = ["Assignment", "ChangeBudget", "Quota", "SolverError"]

IntpArray = NDArray[np.intp]


class SolverError(RevmatchError, RuntimeError):
    """A solver broke one of its own guarantees (a bug, never a data problem).

    Raised instead of returning a result that contains a forbidden pair, exceeds
    a capacity or misses a proven optimum, so that a wrong answer never reaches
    a caller silently.
    """


def _frozen_index(values: ArrayLike) -> IntpArray:
    array = np.array(values, dtype=np.intp).reshape(-1)
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class Assignment:
    """Chosen (row, column) pairs of an assignment problem.

    Rows are executives and columns are mentors; solvers only see indices.

    Parameters
    ----------
    rows, cols : array_like of int
        Row and column index of each chosen pair. Stored as read-only
        ``np.intp`` arrays sorted by ``(row, col)``.
    total : float
        Sum of the original weights over the chosen pairs (computed with
        :func:`math.fsum`, so it does not depend on summation order).
    method : str
        The method that produced the pairs (``"auto"`` is resolved, e.g. to
        ``"jv"``).
    objective : str
        The objective that was optimised.
    exact : bool
        ``True`` when the pairs are exactly what the method promises: a proven
        optimum of the objective for the optimisation methods, the side-optimal
        stable matching for ``"stable"``. ``False`` only for ``"greedy"``.
    budget_step : str or None
        With a :class:`ChangeBudget`, the step that proved the optimum:
        ``"unconstrained"``, ``"lagrangian"`` or ``"integer_program"`` (see
        :func:`~revmatch.solvers.solve`); None without a budget.
    multiplier : float or None
        The Lagrangian multiplier of step ``"lagrangian"``, else None.

    Examples
    --------
    >>> from revmatch.solvers import solve
    >>> a = solve([[0.9, 0.1], [0.8, 0.7]])
    >>> len(a), a.total
    (2, 1.6)
    >>> list(a.pairs())
    [(0, 0), (1, 1)]
    """

    rows: IntpArray
    cols: IntpArray
    total: float
    method: str
    objective: str
    exact: bool = True
    budget_step: str | None = None
    multiplier: float | None = None

    def __post_init__(self) -> None:
        rows = _frozen_index(self.rows)
        cols = _frozen_index(self.cols)
        if rows.shape != cols.shape:
            raise ValueError(
                f"rows and cols must have the same length. Got {rows.size} and {cols.size}."
            )
        # Most solvers return rows in increasing order; sort only when needed.
        if rows.size > 1 and not bool((rows[1:] > rows[:-1]).all()):
            order = np.lexsort((cols, rows))
            rows = _frozen_index(rows[order])
            cols = _frozen_index(cols[order])
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "cols", cols)
        object.__setattr__(self, "total", float(self.total))

    @classmethod
    def _of_sorted(
        cls,
        rows: IntpArray,
        cols: IntpArray,
        total: float,
        method: str,
        objective: str,
        exact: bool,
    ) -> Assignment:
        """The result of a solver whose pairs the caller has checked to be sorted.

        ``rows`` and ``cols`` must be 1-D ``np.intp`` arrays of one length with
        ``rows`` strictly increasing (so already in ``(row, col)`` order). Equal
        to ``Assignment(rows, cols, total, method, objective, exact)`` without
        its conversions and order check: a third of the cost, which counts on
        small problems solved in microseconds.
        """
        rows, cols = rows.copy(), cols.copy()
        rows.flags.writeable = False
        cols.flags.writeable = False
        self = object.__new__(cls)
        # The frozen dataclass's own __init__ sets fields one by one through
        # object.__setattr__; the instance dict takes them in one step.
        self.__dict__.update(
            rows=rows,
            cols=cols,
            total=float(total),
            method=method,
            objective=objective,
            exact=exact,
            budget_step=None,
            multiplier=None,
        )
        return self

    def __len__(self) -> int:
        return int(self.rows.size)

    def pairs(self) -> Iterator[tuple[int, int]]:
        """Iterate over the chosen pairs as ``(row, col)`` tuples of int, in order."""
        return zip(self.rows.tolist(), self.cols.tolist(), strict=True)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Assignment):
            return NotImplemented
        return (
            np.array_equal(self.rows, other.rows)
            and np.array_equal(self.cols, other.cols)
            and self.total == other.total
            and self.method == other.method
            and self.objective == other.objective
            and self.exact == other.exact
            and self.budget_step == other.budget_step
            and self.multiplier == other.multiplier
        )

    __hash__ = None  # type: ignore[assignment]  # holds arrays: equal but unhashable


@dataclass(frozen=True)
class Quota:
    """Bounds on how many chosen pairs fall into a block of the weight matrix.

    The pairs counted are those whose row is in ``rows`` (every row when
    ``None``) and whose column is in ``cols`` (every column when ``None``).

    Parameters
    ----------
    name : str
        Label used in error messages, e.g. ``"at least 3 pairs with a mentor from Sales"``.
    rows, cols : array_like of int, optional
        Row and column indices of the block; ``None`` means all.
    min : int, default 0
        Least number of chosen pairs in the block.
    max : int, optional
        Largest number of chosen pairs in the block; ``None`` means no bound.
    min_share : float, default 0
        Least share of all chosen pairs that fall in the block, in [0, 1]:
        ``count >= min_share * total``, a linear (not a ratio) constraint.
    max_share : float, optional
        Largest share of all chosen pairs in the block, in [0, 1]:
        ``count <= max_share * total``; ``None`` means no bound.

    Notes
    -----
    Only the ``"milp"`` method (and ``"auto"``, which then picks it) can honour
    quotas. A ``min`` that no assignment can reach is not an error unless
    ``strict=True``: the solver first minimises the total shortfall below the
    minimums, then optimises the objective. Shares are hard constraints: the
    empty assignment meets every share, so they never make a problem
    infeasible by themselves, but they may cost pairs.

    Examples
    --------
    >>> from revmatch.solvers import Quota
    >>> Quota("at most 2 pairs with mentors 0-2", cols=[0, 1, 2], max=2)
    Quota(name='at most 2 pairs with mentors 0-2', rows=None, cols=[0, 1, 2], min=0, max=2, \
min_share=0.0, max_share=None)
    """

    name: str
    rows: ArrayLike | None = None
    cols: ArrayLike | None = None
    min: int = 0
    max: int | None = None
    min_share: float = 0.0
    max_share: float | None = None


@dataclass(frozen=True)
class ChangeBudget:
    """At most ``max_changes`` of the given pairs may be left out.

    Pass it as ``budget=`` to :func:`~revmatch.solvers.solve`: of the pairs
    ``(rows[p], cols[p])`` (e.g. the pairs of a previous round), all but at
    most ``max_changes`` must be chosen. It is a hard constraint: the optimum
    of the objective among the assignments that keep enough of the pairs.

    Parameters
    ----------
    rows, cols : array_like of int
        The pairs to keep, each listed once (they need not be feasible; one
        that is not counts as left out).
    max_changes : int
        How many of them may be left out, >= 0.

    Notes
    -----
    Every exact optimisation method supports it (feature ``"budget"`` in
    :data:`~revmatch.solvers.METHODS`): the method runs the Lagrangian steps,
    and ``scipy.optimize.milp`` decides when they cannot prove an optimum.

    Examples
    --------
    >>> import numpy as np
    >>> from revmatch.solvers import ChangeBudget, solve
    >>> w = np.array([[0.2, 0.9], [0.9, 0.2]])
    >>> list(solve(w).pairs())
    [(0, 1), (1, 0)]
    >>> a = solve(w, budget=ChangeBudget(rows=[0, 1], cols=[0, 1], max_changes=1))
    >>> list(a.pairs()), a.budget_step
    ([(0, 0), (1, 1)], 'integer_program')
    """

    rows: ArrayLike
    cols: ArrayLike
    max_changes: int
