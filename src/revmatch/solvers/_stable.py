"""Deferred acceptance (Gale–Shapley) with mentor capacities, and its audit."""

from __future__ import annotations

import heapq
import math
from collections import deque
from typing import Literal, cast

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

from revmatch._arrays import sorted_unique
from revmatch.exceptions import InvalidInputError
from revmatch.solvers._assignment import Assignment
from revmatch.solvers._problem import (
    BoolArray,
    Candidates,
    FloatArray,
    IntpArray,
    WeightsLike,
    densify,
    mask_cells,
    validate,
    validate_sparse,
)

__all__ = ["blocking_pairs", "deferred_acceptance", "stable_match"]

Side = Literal["executives", "mentors"]


def _ranks(scores: FloatArray, axis: int) -> IntpArray:
    """Rank of every entry within its row (axis=1) or column (axis=0); 0 is best.

    Higher score first; equal scores by lower index, which a stable sort of the
    negated scores gives for free.
    """
    order = np.argsort(-scores, axis=axis, kind="stable")
    ranks = np.empty_like(order)
    positions = np.arange(scores.shape[axis], dtype=np.intp)
    if axis == 1:
        np.put_along_axis(ranks, order, positions[None, :], axis=1)
    else:
        np.put_along_axis(ranks, order, positions[:, None], axis=0)
    return ranks.astype(np.intp)


def _packed_order(
    rows: IntpArray, cols: IntpArray, values: FloatArray, n: int, m: int
) -> IntpArray | None:
    """Permutation sorting the entries by (row, value desc, column) exactly.

    One sort of packed int64 keys ``(row, q_max - q, column)``, where
    ``values = q * 1e-6`` for integers ``q``. Exact when every value lies on
    that grid (revmatch's rounded scores, integer ranks): distinct values then
    have distinct ``q``, and the keys are distinct, so any sort order is the
    same. Returns None when a value is off the grid or the keys would not fit
    in 62 bits. Temporaries are reused: on fresh memory the page faults cost
    more than the arithmetic.
    """
    q = values * 1e6
    np.rint(q, out=q)
    back = q / 1e6
    if not np.array_equal(back, values):
        return None
    top = float(q.max())
    span = int(top - float(q.min())) + 1
    if float(n) * float(span) * float(m) >= 2.0**62:
        return None
    np.subtract(top, q, out=q)  # 0 for the best value of all
    key = rows.astype(np.int64)
    key *= span
    key += q.astype(np.int64)
    key *= m
    key += cols
    order: IntpArray = np.argsort(key).astype(np.intp, copy=False)
    return order


def _pair_order(
    rows: IntpArray, cols: IntpArray, values: FloatArray, shape: tuple[int, int]
) -> IntpArray:
    """Permutation putting each row's entries best first (ties: lower column).

    The entries come in row-major order. Values on the ``1e-6`` grid are
    ordered by one sort of packed integer keys, any other floats by a stable
    lexicographic sort.
    """
    if not rows.size:
        return np.zeros(0, dtype=np.intp)
    order = _packed_order(rows, cols, values, *shape)
    if order is None:
        # Columns ascend within a row, so the stable sort keeps lower
        # columns first among equal values.
        order = np.lexsort((-values, rows)).astype(np.intp, copy=False)
    return order


def _preference_lists(scores: FloatArray, acceptable: BoolArray) -> tuple[IntpArray, IntpArray]:
    """Each row's acceptable cells, best column first (ties: lower index), concatenated.

    Returns the row-major cell number (``row * n_cols + col``) of every entry
    and each row's start, so that row ``i`` owns entries
    ``start[i]:start[i + 1]``. Only the acceptable entries are sorted.
    """
    flat, rows, cols = mask_cells(acceptable)
    cells = flat[_pair_order(rows, cols, scores.reshape(-1)[flat], scores.shape)]
    return cells, _starts(np.count_nonzero(acceptable, axis=1))


def _starts(counts: IntpArray) -> IntpArray:
    """Where each row's entries begin in row-grouped lists (and the end, last)."""
    start = np.zeros(counts.size + 1, dtype=np.intp)
    np.cumsum(counts, out=start[1:])
    return start


def _executives_propose(
    ex_scores: FloatArray, mentor_scores: FloatArray, acceptable: BoolArray, caps: IntpArray
) -> tuple[IntpArray, IntpArray]:
    """Executive-proposing deferred acceptance over the acceptable pairs of dense scores."""
    m = ex_scores.shape[1]
    cells, start = _preference_lists(ex_scores, acceptable)
    pref = cells % m if m else cells
    rows, entry = _propose(pref, start, mentor_scores.reshape(-1)[cells], m, caps)
    return rows, pref[entry]


def _propose(
    pref: IntpArray, start: IntpArray, worth: FloatArray, m: int, caps: IntpArray
) -> tuple[IntpArray, IntpArray]:
    """Executive-proposing deferred acceptance over preference lists.

    ``pref[start[i]:start[i + 1]]`` are the mentors acceptable to executive
    ``i``, best first; ``worth`` is each entry's score in its mentor's view.
    Returns the matched executives and, for each, the entry of its mentor.

    Mentors compare proposals by that score, then by lower row index: the
    order of :func:`_ranks` along columns, without materialising it. A full
    mentor's worst held score is kept in ``floor``, so most rejected proposals
    cost one comparison. The arrays are read through memoryviews: a run
    touches only a fraction of them, so converting them to lists first would
    cost more than the loop.
    """
    n = start.size - 1
    mentor_of = np.ascontiguousarray(pref, dtype=np.intp).data
    worth_of = np.ascontiguousarray(worth, dtype=np.float64).data
    stop = start[1:].tolist()
    nxt = start[:-1].tolist()
    room = caps.tolist()  # places still open at each mentor
    # Worst held score of a full mentor (a mentor without places rejects all).
    floor = [-math.inf if r else math.inf for r in room]
    # held[j] is a heap of (score, -row): its top is the mentor's worst held proposal.
    held: list[list[tuple[float, int]]] = [[] for _ in range(m)]
    free = deque(i for i in range(n) if nxt[i] < stop[i])
    push, replace = heapq.heappush, heapq.heapreplace
    while free:
        i = free.popleft()
        k, end = nxt[i], stop[i]
        while k < end:
            j = mentor_of[k]
            score = worth_of[k]
            if room[j]:
                room[j] -= 1
                heap = held[j]
                push(heap, (score, -i))
                if not room[j]:
                    floor[j] = heap[0][0]
                break
            if score >= floor[j]:
                heap = held[j]
                offer = (score, -i)
                if offer > heap[0]:
                    free.append(-replace(heap, offer)[1])
                    floor[j] = heap[0][0]
                    break
            k += 1
        nxt[i] = k + 1
    # An executive's last proposal, nxt[i] - 1, is the one its mentor holds.
    rows = [-i for heap in held for _, i in heap]
    return np.asarray(rows, dtype=np.intp), np.asarray([nxt[i] - 1 for i in rows], dtype=np.intp)


def _mentors_propose(
    mentor_scores: FloatArray, ex_rank: IntpArray, acceptable: BoolArray, caps: IntpArray
) -> tuple[IntpArray, IntpArray]:
    n, m = mentor_scores.shape
    prefs = np.argsort(-mentor_scores, axis=0, kind="stable").T.tolist()
    ok = acceptable.T.tolist()
    rank = ex_rank.tolist()
    slots = caps.tolist()
    nxt = [0] * m
    partner = [-1] * n
    waiting = deque(j for j in range(m) if slots[j] > 0)
    while waiting:
        j = waiting.popleft()
        col_prefs, col_ok = prefs[j], ok[j]
        while slots[j] > 0 and nxt[j] < n:
            i = col_prefs[nxt[j]]
            nxt[j] += 1
            if not col_ok[i]:
                continue
            current = partner[i]
            if current == -1 or rank[i][j] < rank[i][current]:
                partner[i] = j
                slots[j] -= 1
                if current != -1:
                    slots[current] += 1
                    waiting.append(current)
    rows = [i for i in range(n) if partner[i] >= 0]
    return np.asarray(rows, dtype=np.intp), np.asarray([partner[i] for i in rows], dtype=np.intp)


def deferred_acceptance(
    ex_scores: FloatArray,
    mentor_scores: FloatArray,
    acceptable: BoolArray,
    caps: IntpArray,
    optimal: Side,
) -> tuple[IntpArray, IntpArray]:
    """Core of :func:`stable_match` on validated arrays; returns (rows, cols)."""
    if optimal == "executives":
        return _executives_propose(ex_scores, mentor_scores, acceptable, caps)
    return _mentors_propose(mentor_scores, _ranks(ex_scores, axis=1), acceptable, caps)


def _sparse_inputs(
    executive_scores: object,
    mentor_scores: WeightsLike | None,
    feasible: ArrayLike | None,
    capacities: ArrayLike | None,
) -> tuple[Candidates, FloatArray]:
    """Sparse executive scores: the candidates and each one's mentor-side score."""
    candidates = validate_sparse(
        executive_scores, feasible=feasible, capacities=capacities, row_capacities=None
    )
    if mentor_scores is None:
        return candidates, candidates.weights
    if sp.issparse(mentor_scores):
        try:
            mentor = validate_sparse(
                mentor_scores, feasible=None, capacities=None, row_capacities=None
            )
        except InvalidInputError as exc:
            raise InvalidInputError(f"mentor_scores: {exc}") from exc
        m = candidates.shape[1]
        keys = mentor.rows * m + mentor.cols  # sorted
        wanted = candidates.rows * m + candidates.cols
        at = np.minimum(np.searchsorted(keys, wanted), max(keys.size - 1, 0))
        if mentor.shape != candidates.shape or (
            wanted.size and (not keys.size or bool((keys[at] != wanted).any()))
        ):
            raise InvalidInputError(
                "mentor_scores must have the shape of executive_scores and store every "
                "pair it stores (the acceptable pairs)."
            )
        return candidates, mentor.weights[at]
    dense = _dense_mentor(cast(ArrayLike, mentor_scores), candidates.shape)  # not sparse here
    return candidates, dense[candidates.rows, candidates.cols]


def _dense_mentor(mentor_scores: ArrayLike, shape: tuple[int, int]) -> FloatArray:
    """Checked dense mentor scores of the executive scores' shape."""
    try:
        mentor = validate(
            mentor_scores,
            feasible=None,
            capacities=None,
            row_capacities=None,
            pair_groups=None,
            quotas=None,
        ).weights
    except InvalidInputError as exc:
        raise InvalidInputError(f"mentor_scores: {exc}") from exc
    if mentor.shape != shape:
        raise InvalidInputError(
            f"mentor_scores must have the shape of executive_scores {shape}. Got {mentor.shape}."
        )
    return mentor


def _inputs(
    executive_scores: WeightsLike,
    mentor_scores: WeightsLike | None,
    feasible: ArrayLike | None,
    capacities: ArrayLike | None,
) -> tuple[FloatArray, FloatArray, BoolArray, IntpArray]:
    if sp.issparse(executive_scores):
        # The dense forms of sparse input: zeros off the acceptable pairs.
        candidates, worth = _sparse_inputs(executive_scores, mentor_scores, feasible, capacities)
        ex, acceptable = densify(candidates)
        return ex, candidates.scatter(worth), acceptable, candidates.capacities
    problem = validate(
        cast(ArrayLike, executive_scores),  # sparse input returned above
        feasible=feasible,
        capacities=capacities,
        row_capacities=None,
        pair_groups=None,
        quotas=None,
    )
    ex = problem.weights
    if mentor_scores is None:
        return ex, ex, problem.feasible, problem.capacities
    if sp.issparse(mentor_scores):
        raise InvalidInputError(
            "mentor_scores is sparse but executive_scores is dense; pass both sparse "
            "(the stored pairs are the acceptable ones) or both dense."
        )
    mentor = _dense_mentor(cast(ArrayLike, mentor_scores), problem.shape)  # sparse raised above
    return ex, mentor, problem.feasible, problem.capacities


def stable_match(
    executive_scores: WeightsLike,
    mentor_scores: WeightsLike | None = None,
    *,
    feasible: ArrayLike | None = None,
    capacities: ArrayLike | None = None,
    optimal: Side = "executives",
) -> Assignment:
    """Stable matching by deferred acceptance, with mentor capacities.

    Parameters
    ----------
    executive_scores : (n_exec, n_mentor) array_like of float, or scipy.sparse array
        ``executive_scores[i, j]``: how much executive ``i`` wants mentor
        ``j``; higher is preferred. A scipy.sparse array lists the acceptable
        pairs itself (its stored entries, explicit zeros included; then
        ``feasible`` must be None), and the executive-proposing matching
        works on them alone, without a dense matrix.
    mentor_scores : (n_exec, n_mentor) array_like of float, optional
        ``mentor_scores[i, j]``: how much mentor ``j`` wants executive ``i``
        (same orientation). Defaults to ``executive_scores`` (the
        compatibility score seen from both sides). With sparse executive
        scores it may be dense or sparse; a sparse one must store every
        acceptable pair.
    feasible : (n_exec, n_mentor) array_like of bool, optional
        Acceptable pairs; default all. Nobody is ever matched outside it.
    capacities : (n_mentor,) array_like of int >= 0, optional
        Executives each mentor may take; default 1. Each executive takes one
        mentor.
    optimal : {"executives", "mentors"}
        The side that proposes, and so gets its best stable matching:
        executive-proposing (default) or mentor-proposing.

    Returns
    -------
    Assignment
        ``method="stable"``, ``objective="stable"``, ``exact=True`` (it is the
        exact side-optimal stable matching, not an optimum of the total, which
        is reported in ``total`` as the sum of ``executive_scores``).

    Raises
    ------
    InvalidInputError
        On malformed input (see :func:`solve`), an unknown ``optimal``, or
        mentor scores of another shape.

    Notes
    -----
    Gale and Shapley's deferred acceptance in its many-to-one form (the
    "hospitals/residents" problem): the proposing side works down its
    preference list; the receiving side holds its best offers up to capacity
    and rejects the rest. The result has no blocking pair (see
    :func:`blocking_pairs`), every proposer gets its best partner over all
    stable matchings, and every receiver its worst. Executive-proposing works
    on the :math:`k` acceptable pairs only: :math:`O(k \\log k)` to sort the
    lists, then :math:`O(k \\log c)` (a heap of held offers per mentor of
    capacity :math:`c`). Mentor-proposing ranks the dense matrices,
    :math:`O(n m \\log n)`.

    Ties: preferences must be strict, so equal scores are broken by index —
    a lower index is preferred (by executives among mentors and by mentors
    among executives). :func:`blocking_pairs` applies the same rule.

    References
    ----------
    .. [1] D. Gale and L. S. Shapley, "College admissions and the stability of
       marriage", American Mathematical Monthly 69(1), 9-15, 1962.
    .. [2] A. E. Roth, "The evolution of the labor market for medical interns
       and residents", Journal of Political Economy 92(6), 991-1016, 1984.

    Examples
    --------
    >>> from revmatch.solvers import stable_match, blocking_pairs
    >>> ex = [[0.9, 0.5], [0.8, 0.7]]
    >>> mentors = [[0.2, 0.9], [0.6, 0.1]]
    >>> a = stable_match(ex, mentors)
    >>> list(a.pairs())
    [(0, 1), (1, 0)]
    >>> blocking_pairs(ex, mentors, a)
    []
    >>> list(stable_match(ex, mentors, optimal="executives", capacities=[2, 0]).pairs())
    [(0, 0), (1, 0)]
    """
    if optimal not in ("executives", "mentors"):
        raise InvalidInputError(f"optimal must be 'executives' or 'mentors'. Got {optimal!r}.")
    if sp.issparse(executive_scores) and optimal == "executives":
        # Straight from the stored pairs: no dense matrix at all.
        candidates, worth = _sparse_inputs(executive_scores, mentor_scores, feasible, capacities)
        n, m = candidates.shape
        order = _pair_order(candidates.rows, candidates.cols, candidates.weights, (n, m))
        pref = candidates.cols[order]
        start = _starts(np.bincount(candidates.rows, minlength=n))
        rows, entry = _propose(pref, start, worth[order], m, candidates.capacities)
        total = math.fsum(candidates.weights[order[entry]].tolist())
        return Assignment(rows, pref[entry], total, "stable", "stable", True)
    ex, mentor, acceptable, caps = _inputs(executive_scores, mentor_scores, feasible, capacities)
    rows, cols = deferred_acceptance(ex, mentor, acceptable, caps, optimal)
    total = math.fsum(ex[rows, cols].tolist())
    return Assignment(rows, cols, total, "stable", "stable", True)


def blocking_pairs(
    executive_scores: WeightsLike,
    mentor_scores: WeightsLike | None,
    assignment: Assignment,
    feasible: ArrayLike | None = None,
    capacities: ArrayLike | None = None,
) -> list[tuple[int, int]]:
    """Pairs that would both rather be together than with what they have.

    An acceptable pair ``(i, j)`` not in the assignment blocks it when
    executive ``i`` is unmatched or prefers ``j`` to its mentor, and mentor
    ``j`` has a free place or prefers ``i`` to the worst executive it holds.
    Preferences and ties follow :func:`stable_match` (lower index wins a tie).

    Parameters
    ----------
    executive_scores, mentor_scores, feasible, capacities
        As in :func:`stable_match` (``mentor_scores=None`` means the same as
        ``executive_scores``).
    assignment : Assignment
        Pairs to audit; each executive must appear at most once.

    Returns
    -------
    list of (int, int)
        The blocking pairs sorted by (row, col); empty when the assignment is
        stable.

    Raises
    ------
    InvalidInputError
        On malformed input, or an assignment that gives an executive two
        mentors or uses an index outside the matrices.

    Examples
    --------
    >>> from revmatch.solvers import Assignment, blocking_pairs
    >>> a = Assignment([0, 1], [0, 1], 0.0, "greedy", "max_score", False)
    >>> blocking_pairs([[0.1, 0.9], [0.2, 0.8]], [[0.1, 0.9], [0.2, 0.1]], a)
    [(0, 1)]
    """
    ex, mentor, acceptable, caps = _inputs(executive_scores, mentor_scores, feasible, capacities)
    n, m = ex.shape
    rows, cols = assignment.rows, assignment.cols
    if rows.size and (rows.max() >= n or cols.max() >= m):
        raise InvalidInputError(f"The assignment uses an index outside the {n}x{m} score matrices.")
    if sorted_unique(rows).size != rows.size:
        raise InvalidInputError("The assignment gives an executive more than one mentor.")
    ex_rank = _ranks(ex, axis=1)
    mentor_rank = _ranks(mentor, axis=0)
    current = np.full(n, m, dtype=np.intp)  # rank m: worse than any mentor
    current[rows] = ex_rank[rows, cols]
    held = np.bincount(cols, minlength=m)
    worst = np.full(m, -1, dtype=np.intp)
    np.maximum.at(worst, cols, mentor_rank[rows, cols])
    assigned = np.zeros((n, m), dtype=np.bool_)
    assigned[rows, cols] = True
    executive_wants = ex_rank < current[:, None]
    mentor_wants = (held < caps)[None, :] | (mentor_rank < worst[None, :])
    block = acceptable & ~assigned & executive_wants & mentor_wants
    return [(int(i), int(j)) for i, j in np.argwhere(block)]
