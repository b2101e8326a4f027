"""Assignment-matrix methods: scipy's ``linear_sum_assignment`` and ``lap.lapjv``.

Both solve a rectangular linear sum assignment problem, so a problem with
capacities is turned into one by copying each row ``row_capacities[i]`` times
and each column ``capacities[j]`` times. That is exact unless a feasible pair
joins a row and a column that both have capacity > 1 (two copies could then
choose the same pair twice); the front end routes such problems elsewhere.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

from revmatch.solvers._network import exact_float_limit, grid_values, magnitude
from revmatch.solvers._problem import BoolArray, FloatArray, IntpArray, Problem

__all__ = ["assignment_matrix", "copies", "replicas", "solve_jv", "solve_lapjv"]

Pairs = tuple[IntpArray, IntpArray]
#: Up to this many entries a gather takes two ``take`` calls instead of ``np.ix_``.
_SMALL = 1 << 16
_EMPTY: Pairs = (np.zeros(0, np.intp), np.zeros(0, np.intp))


def copies(
    problem: Problem,
    mask: BoolArray,
    degrees: tuple[IntpArray, IntpArray] | None = None,
) -> Pairs:
    """Original row of each row copy and original column of each column copy.

    Rows and columns without any pair in ``mask`` get no copy, and no copy
    beyond the number of pairs of ``mask`` a row or column has (more could never
    be used), which keeps the matrix as small as the instance allows.
    ``degrees`` (pairs per row, per column) may be passed when already known.
    """
    n, m = problem.shape
    if degrees is None and problem.unit and problem.full(mask):
        return np.arange(n, dtype=np.intp), np.arange(m, dtype=np.intp)
    if degrees is not None:
        row_deg, col_deg = degrees
    elif problem.unit:
        # Only "has a pair" matters with unit capacities; any() is cheaper.
        row_deg = np.asarray(mask.any(axis=1), dtype=np.intp)
        col_deg = np.asarray(mask.any(axis=0), dtype=np.intp)
    else:
        row_deg = np.asarray(np.count_nonzero(mask, axis=1), dtype=np.intp)
        col_deg = np.asarray(np.count_nonzero(mask, axis=0), dtype=np.intp)
    return replicas(problem.row_capacities, problem.capacities, row_deg, col_deg)


def replicas(row_caps: IntpArray, caps: IntpArray, row_deg: IntpArray, col_deg: IntpArray) -> Pairs:
    """Copies from capacities and degrees: ``min(capacity, degree)`` of each."""
    row_rep = np.minimum(row_caps, row_deg)
    col_rep = np.minimum(caps, col_deg)
    rows = np.repeat(np.arange(row_rep.size, dtype=np.intp), row_rep)
    cols = np.repeat(np.arange(col_rep.size, dtype=np.intp), col_rep)
    return rows, cols


def assignment_matrix(
    weights: FloatArray, mask: BoolArray, cardinality_first: bool, k: int | None = None
) -> FloatArray:
    """Values of a rectangular assignment problem whose optimum solves ours.

    Parameters
    ----------
    weights : (p, q) float64
        Weights of the (copied) rows and columns.
    mask : (p, q) bool
        Pairs that may be chosen. With ``cardinality_first=False`` every masked
        weight must be > 0.
    cardinality_first : bool
        Maximise the number of masked pairs first, then their total weight.
    k : int, optional
        Bound on the number of pairs of any assignment; default ``min(p, q)``.

    Returns
    -------
    (p, q) float64
        To be maximised over full rectangular assignments (``min(p, q)`` pairs);
        the masked pairs of such an optimum are the answer, the others have
        value 0 and are dropped.

    Notes
    -----
    Why this is exact. A full rectangular assignment is worth the sum of its
    masked entries (the rest are 0), and any assignment of masked pairs extends
    to a full one without losing value (every entry is >= 0), so the two
    optima coincide.

    ``max_score``: masked entries are the weights themselves (all > 0).

    ``cardinality_first``: masked entries become ``B + (w - w_min)``, with
    ``D = w_max - w_min`` over the mask and ``B = (k + 1) D`` (``B = 1`` when
    ``D = 0``), ``k`` bounding the number of pairs. Every masked
    entry lies in ``[B, B + D]``, so ``t`` pairs are worth at most
    ``t (B + D) = t B + t D < (t + 1) B`` as ``t D <= k D < B``: one more pair
    always wins, and among assignments with the same number of pairs the value
    differs from the total weight by a constant.

    Floating point: entries are at most ``(k + 2) D``. An exact solver's
    decisions rest on sums of at most ``2k`` entries and potentials, so with
    unit roundoff ``u = 2**-53`` the computed values of two assignments are
    each off by at most about ``2k (k + 2) D u``; for ``k = 4000`` that is below
    ``8e-9 D``, far below the ``1e-6`` grid of revmatch scores and below the
    ``1e-9 * (1 + k * max|w|)`` tolerance the conformance suite allows. The
    count of pairs is never at risk: a missing pair costs ``D`` or more
    (``B - t D >= D``), which dwarfs that error.

    (Callers skip this function when every entry is masked: all full
    assignments then have the same number of pairs, and the weights can be
    used unchanged.)
    """
    if not cardinality_first:
        return np.where(mask, weights, 0.0)
    w_min = float(np.min(weights, where=mask, initial=np.inf))
    spread = float(np.max(weights, where=mask, initial=-np.inf)) - w_min
    bound = min(weights.shape) if k is None else k
    big = (bound + 1) * spread if spread > 0 else 1.0
    return np.where(mask, weights + (big - w_min), 0.0)


def _matrix(
    problem: Problem, mask: BoolArray, cardinality_first: bool, integral: bool
) -> tuple[Pairs, FloatArray, bool] | None:
    """Copies, the value matrix to maximise, and whether every pair is allowed.

    With ``integral``, weights on the 1e-6 score grid become integers (held
    in float64) and the solver's sums stay exact; other weights are used as
    they are.
    """
    n, m = problem.shape
    full = problem.unit and problem.full(mask)
    if full:
        rows, cols = np.arange(n, dtype=np.intp), np.arange(m, dtype=np.intp)
    else:
        rows, cols = copies(problem, mask)
    if rows.size == 0 or cols.size == 0:
        return None
    # With unit capacities, rows or columns without candidates only add zero
    # entries; keeping them is cheaper than gathering a smaller matrix unless
    # many of them can go.
    whole = full or (problem.unit and 4 * rows.size >= 3 * n and 4 * cols.size >= 3 * m)
    if whole and not full:
        rows, cols = np.arange(n, dtype=np.intp), np.arange(m, dtype=np.intp)
    p, q = rows.size, cols.size
    weights = problem.weights
    if integral:
        factor = 4 * (min(p, q) + 2) if cardinality_first and not full else 4
        grid = grid_values(weights)
        if grid is not None and magnitude(grid) <= exact_float_limit(2 * max(p, q), factor):
            weights = grid
    values = weights if full else assignment_matrix(weights, mask, cardinality_first, min(p, q))
    if not whole and values.size <= _SMALL:
        # Two takes: the same matrix as values[np.ix_(rows, cols)], at a
        # fraction of its call cost (with one intermediate, small here).
        values = values.take(rows, axis=0).take(cols, axis=1)
    elif not whole:
        values = values[np.ix_(rows, cols)]
    return (rows, cols), values, full


def _chosen(
    mask: BoolArray, rows: IntpArray, cols: IntpArray, r: IntpArray, c: IntpArray, full: bool
) -> Pairs:
    """Original pairs of the picked copies, without the zero-valued filler picks."""
    a, b = rows[r], cols[c]
    if full:
        return a, b
    keep = mask[a, b]
    return a[keep], b[keep]


def solve_jv(problem: Problem, mask: BoolArray, cardinality_first: bool) -> Pairs:
    """Solve with :func:`scipy.optimize.linear_sum_assignment` (see module docs)."""
    if problem.unit and problem.full(mask) and mask.size:
        # Every pair allowed, no copies: the weights as they are, the indices
        # as scipy returns them (what _matrix and _chosen amount to here).
        r, c = linear_sum_assignment(problem.weights, maximize=True)
        return r.astype(np.intp, copy=False), c.astype(np.intp, copy=False)
    prepared = _matrix(problem, mask, cardinality_first, integral=False)
    if prepared is None:
        return _EMPTY
    (rows, cols), values, full = prepared
    r, c = linear_sum_assignment(values, maximize=True)
    return _chosen(mask, rows, cols, r, c, full)


def solve_lapjv(problem: Problem, mask: BoolArray, cardinality_first: bool) -> Pairs:
    """Solve with the ``lap`` package's LAPJV (see module docs)."""
    try:
        import lap
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError(
            "The 'lapjv' method needs the lap package: pip install 'revmatch[fast]'"
        ) from exc
    # On the 1e-6 score grid, integer-valued costs keep LAPJV's arithmetic
    # exact and make it several times faster than the raw float scores; off
    # the grid the weights go in as they are, as with lap itself.
    prepared = _matrix(problem, mask, cardinality_first, integral=True)
    if prepared is None:
        return _EMPTY
    (rows, cols), values, full = prepared
    p, q = values.shape
    if full and p == q and values is problem.weights:
        # Off the grid with every pair allowed on a square matrix: the costs
        # a lap user passes, -w, so that LAPJV does exactly the user's work
        # (its running time depends on the exact float costs: on 1000 x 1000
        # uniform weights max(w) - w ran 1.1x to 1.4x longer than -w).
        cost = np.negative(values)
        top = max(-float(cost.min()), float(cost.max()))
    else:
        # LAPJV minimises; costs top - value are >= 0. On a square matrix
        # every assignment pays the constant `top` per row, so the optimum is
        # unchanged; on a rectangle lap pads with max(cost) + 1, which only
        # keeps the real pairs when no cost is negative.
        cost = float(values.max()) - values
        top = float(cost.max())
    # lap's C code treats lap.LARGE (1e6) as infinity and silently returns a
    # wrong assignment when costs approach it. Scaling by a power of two moves
    # every |cost| below LARGE / 16 and keeps the integer-valued arithmetic
    # exact (only the exponent changes).
    if top > lap.LARGE / 16:
        cost *= 2.0 ** -np.ceil(np.log2(top / (lap.LARGE / 16)))
    _, x, _ = lap.lapjv(np.ascontiguousarray(cost), extend_cost=p != q, return_cost=True)
    r = np.flatnonzero(x >= 0).astype(np.intp)
    return _chosen(mask, rows, cols, r, np.asarray(x, dtype=np.intp)[r], full)
