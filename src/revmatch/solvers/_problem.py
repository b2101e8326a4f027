"""Validation of raw solver input into one normalised :class:`Problem`."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from revmatch.exceptions import InvalidInputError
from revmatch.exceptions import Problem as InputProblem
from revmatch.solvers._assignment import Quota

__all__ = [
    "OBJECTIVES",
    "BoolArray",
    "Candidates",
    "FloatArray",
    "IntpArray",
    "NormQuota",
    "Objective",
    "Problem",
    "densify",
    "extremes",
    "mask_cells",
    "row_major",
    "validate",
    "validate_sparse",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntpArray = NDArray[np.intp]
#: Dense weights, or a scipy.sparse array or matrix whose stored entries are the candidates.
WeightsLike = ArrayLike | sp.sparray | sp.spmatrix

Objective = Literal["coverage_then_score", "max_score", "maximin"]
OBJECTIVES: tuple[str, ...] = get_args(Objective)


@dataclass(frozen=True)
class NormQuota:
    """A :class:`Quota` with its blocks turned into boolean masks."""

    name: str
    row_mask: BoolArray
    col_mask: BoolArray
    min: int
    max: int | None
    rows_given: bool
    cols_given: bool
    min_share: float = 0.0
    max_share: float | None = None

    def shares_met(self, count: int, total: int) -> tuple[bool, bool]:
        """Whether ``count`` of ``total`` pairs meets the least and the largest share."""
        slack = 1e-9 * max(total, 1)
        low = count >= self.min_share * total - slack
        high = self.max_share is None or count <= self.max_share * total + slack
        return low, high

    def pair_mask(self) -> BoolArray:
        """Dense (n_rows, n_cols) mask of the pairs the quota counts."""
        return np.logical_and.outer(self.row_mask, self.col_mask)


@dataclass(frozen=True)
class Problem:
    """Validated, normalised solver input.

    Attributes
    ----------
    weights : (n, m) float64
        Finite weights to maximise.
    feasible : (n, m) bool
        The caller's mask, already restricted to rows and columns of positive
        capacity, so every method can treat it as "pairs that may be chosen".
        Read-only; without a mask, a broadcast view of a single True.
    capacities : (m,) intp
        Column capacities capped at the number of rows, the most a column can
        ever use (so ``10**9`` costs nothing).
    row_capacities : (n,) intp
        Row capacities capped at the number of columns.
    row_requests : (n,) intp
        Row capacities as given (uncapped): what ``strict=True`` demands.
        A row that asks for more partners than there are columns can never
        get them all, since each pair is chosen at most once.
    pair_groups : (n, m) intp or None
        Group label per pair, ``-1`` for none; ``None`` when not given or all -1.
    quotas : tuple of NormQuota
    all_feasible : bool
        ``feasible`` is all True.
    unit : bool
        Every row and column capacity is at most one and there are no groups.
    all_open : bool
        Every row and column capacity is positive (with ``unit``: exactly
        one). False when not known.
    """

    weights: FloatArray
    feasible: BoolArray
    capacities: IntpArray
    row_capacities: IntpArray
    row_requests: IntpArray
    pair_groups: IntpArray | None
    quotas: tuple[NormQuota, ...]
    all_feasible: bool
    unit: bool
    all_open: bool = False

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_rows, n_cols)``."""
        n, m = self.weights.shape
        return int(n), int(m)

    def full(self, mask: BoolArray) -> bool:
        """Whether ``mask`` allows every pair (known without a scan for the input mask)."""
        return self.all_feasible if mask is self.feasible else bool(mask.all())

    def features(self) -> frozenset[str]:
        """The features a method must support to solve this problem exactly.

        ``"capacities"``: a column may take several rows. ``"row_capacities"``:
        a row may take several columns. ``"many_to_many"``: some feasible pair
        joins a row and a column that both have capacity > 1, so copying rows
        and columns (what the assignment-matrix methods do) could choose the
        same pair twice. ``"pair_groups"`` and ``"quotas"`` as given.
        """
        if self.unit and not self.quotas:
            return frozenset()
        return _features(
            self.capacities,
            self.row_capacities,
            lambda rows, cols: bool(self.feasible[np.ix_(rows, cols)].any()),
            grouped=self.pair_groups is not None,
            quotas=bool(self.quotas),
        )


def mask_cells(mask: BoolArray) -> tuple[IntpArray, IntpArray, IntpArray]:
    """Row-major cell numbers, rows and columns of the True entries of ``mask``."""
    # Several times faster than 2-D np.nonzero; the rows come from the count
    # per row, which avoids an integer division per pair.
    n, m = mask.shape
    flat = np.flatnonzero(mask).astype(np.intp, copy=False)
    rows = np.repeat(np.arange(n, dtype=np.intp), np.count_nonzero(mask, axis=1))
    cols = rows * m
    np.subtract(flat, cols, out=cols)
    return flat, rows, cols


@dataclass(frozen=True)
class Candidates:
    """A problem as its list of candidate pairs: what the pair-list methods read.

    ``ortools``, ``sparse`` and ``flow`` work on the pairs that may be chosen,
    never on the dense matrix, so they take their input in this form, built
    from a dense :class:`Problem` and mask (:meth:`of`) or straight from a
    sparse weight matrix (:func:`validate_sparse`) without any dense array.

    Attributes
    ----------
    shape : (int, int)
        ``(n_rows, n_cols)``.
    rows, cols : (k,) intp
        The candidate pairs in row-major order, no pair twice.
    weights : (k,) float64
        Their weights.
    capacities, row_capacities : intp
        As in :class:`Problem`.
    labels : (k,) intp or None
        Pair group of each candidate (``-1`` for none), or None.
    unit : bool
        Every capacity is at most one and there are no groups.
    complete : bool
        Every cell is a candidate (``rows``/``cols`` enumerate the matrix).
    all_open : bool
        Every row and column capacity is positive (with ``unit``: exactly
        one). False when not known.
    """

    shape: tuple[int, int]
    rows: IntpArray
    cols: IntpArray
    weights: FloatArray
    capacities: IntpArray
    row_capacities: IntpArray
    labels: IntpArray | None
    unit: bool
    complete: bool
    all_open: bool = False

    @classmethod
    def of(cls, problem: Problem, mask: BoolArray) -> Candidates:
        """The pairs of ``mask`` with their weights in ``problem``."""
        n, m = problem.shape
        complete = problem.full(mask)
        if complete:
            rows = np.repeat(np.arange(n, dtype=np.intp), m)
            cols = np.tile(np.arange(m, dtype=np.intp), n)
            weights = problem.weights.reshape(-1)
        else:
            flat, rows, cols = mask_cells(mask)
            weights = problem.weights.reshape(-1)[flat]  # 3x faster than weights[rows, cols]
        labels = None if problem.pair_groups is None else problem.pair_groups[rows, cols]
        return cls(
            (n, m),
            rows,
            cols,
            weights,
            problem.capacities,
            problem.row_capacities,
            labels,
            problem.unit,
            complete,
            problem.all_open,
        )

    def keep(self, chosen: BoolArray) -> Candidates:
        """The candidates where ``chosen`` is True."""
        labels = None if self.labels is None else self.labels[chosen]
        return Candidates(
            self.shape,
            self.rows[chosen],
            self.cols[chosen],
            self.weights[chosen],
            self.capacities,
            self.row_capacities,
            labels,
            self.unit,
            self.complete and bool(chosen.all()),
            self.all_open,
        )

    def features(self) -> frozenset[str]:
        """As :meth:`Problem.features`, from the candidate list."""
        if self.unit:
            return frozenset()
        return _features(
            self.capacities,
            self.row_capacities,
            lambda rows, cols: bool((rows[self.rows] & cols[self.cols]).any()),
            grouped=self.labels is not None,
            quotas=False,
        )

    def scatter(self, values: FloatArray) -> FloatArray:
        """Dense ``(n_rows, n_cols)`` array of per-candidate ``values``, 0 elsewhere."""
        out = np.zeros(self.shape)
        out[self.rows, self.cols] = values
        return out

    @property
    def degrees(self) -> tuple[IntpArray, IntpArray]:
        """Candidate pairs per row and per column."""
        n, m = self.shape
        return (
            np.bincount(self.rows, minlength=n).astype(np.intp, copy=False),
            np.bincount(self.cols, minlength=m).astype(np.intp, copy=False),
        )


def _features(
    capacities: IntpArray,
    row_capacities: IntpArray,
    joins: Callable[[BoolArray, BoolArray], bool],
    *,
    grouped: bool,
    quotas: bool,
) -> frozenset[str]:
    """The features of a problem (see :meth:`Problem.features`).

    ``joins(multi_row, multi_col)`` tells whether some candidate pair joins a
    row and a column of capacity > 1.
    """
    found: set[str] = set()
    multi_col = capacities > 1
    multi_row = row_capacities > 1
    if multi_col.any():
        found.add("capacities")
    if multi_row.any():
        found.add("row_capacities")
        if multi_col.any() and joins(multi_row, multi_col):
            found.add("many_to_many")
    if grouped:
        found.add("pair_groups")
    if quotas:
        found.add("quotas")
    return frozenset(found)


def _problem(message: str, field: str, expected: str | None = None) -> InvalidInputError:
    return InvalidInputError(InputProblem(message, field=field, expected=expected))


def _as_weights(weights: ArrayLike) -> FloatArray:
    try:
        raw = np.asarray(weights)
    except (ValueError, TypeError) as exc:  # ragged nested lists
        raise _problem(
            f"The weights cannot be read as a 2-D numeric array ({exc}).",
            "weights",
            "a rectangular (n_rows, n_cols) array of float",
        ) from exc
    _check_numeric_2d(raw.dtype, raw.shape, "a rectangular")
    w = np.ascontiguousarray(raw, dtype=np.float64)
    m = max(int(w.shape[1]), 1)
    _check_values(
        w.reshape(-1),
        lambda k: divmod(k, m),
        "also at infeasible positions; forbid a pair with feasible=False instead",
    )
    return w


def _check_numeric_2d(dtype: np.dtype[Any], shape: tuple[int, ...], kind: str) -> None:
    """Weights must be numbers in two dimensions; ``kind`` names the array form."""
    if dtype.kind not in "biuf":
        raise _problem(
            f"The weights must be numbers. Got dtype {dtype}.",
            "weights",
            f"{kind} (n_rows, n_cols) array of float",
        )
    if len(shape) != 2:
        raise _problem(
            f"The weights must be a 2-D array. Got {len(shape)} dimension(s), shape {shape}.",
            "weights",
            "shape (n_rows, n_cols)",
        )


#: Entries per step of :func:`extremes`: 1 MB of float64, which stays in
#: cache between the two reductions.
_EXTREMES_CHUNK = 1 << 17
#: Up to this many entries (16 MB) the array itself stays in cache.
_EXTREMES_WHOLE = 1 << 21


def extremes(values: FloatArray) -> tuple[float, float]:
    """Smallest and largest entry (0, 0 when empty), with no temporary array.

    They are finite exactly when every entry is (NaN propagates through both),
    and they bound the magnitude. (``np.abs(w).max()`` would allocate a second
    matrix: 3.2 GB at 20,000 x 20,000.) Large arrays are read in cache-sized
    steps, so memory is read once for both reductions: at 4000 x 4000, 6 ms
    instead of 7 to 10.
    """
    if values.size <= _EXTREMES_WHOLE:
        return (float(values.min()), float(values.max())) if values.size else (0.0, 0.0)
    starts = range(0, values.size, _EXTREMES_CHUNK)
    lows, highs = np.empty(len(starts)), np.empty(len(starts))
    for k, start in enumerate(starts):
        step = values[start : start + _EXTREMES_CHUNK]
        lows[k], highs[k] = step.min(), step.max()
    # numpy's reductions, not Python's min(): they keep a NaN.
    return float(lows.min()), float(highs.max())


def _check_values(
    values: FloatArray, position: Callable[[int], tuple[int, int]], advice: str
) -> None:
    """Every value finite and of bounded magnitude; errors name ``weights[r, c]``."""
    if values.size <= _ONE_DOT:
        # One reduction instead of two: a sum of squares of at most 1e300
        # bounds every |value| by 1e150 (the limit below) and is NaN or inf
        # when some value is not finite. Anything else takes the exact path.
        # (np.vdot, unlike np.dot, raises no overflow warning on huge values;
        # those then get the error below.)
        squares = float(np.vdot(values, values))
        if squares <= _MAX_WEIGHT * _MAX_WEIGHT:
            return
    lo, hi = extremes(values)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        bad = np.flatnonzero(~np.isfinite(values))
        r, c = position(int(bad[0]))
        more = f" ({bad.size} non-finite entries in all)" if bad.size > 1 else ""
        raise InvalidInputError(
            InputProblem(
                f"weights[{r}, {c}] is {values[bad[0]]}{more}. Every weight must be finite, "
                f"{advice}.",
                field=f"weights[{r}, {c}]",
                expected="a finite float",
            )
        )
    # Sums, totals and the cardinality-first encoding must stay finite.
    if max(-lo, hi) > _MAX_WEIGHT:
        raise _problem(
            f"The weights reach {max(-lo, hi):.3g} in magnitude; sums of such weights overflow.",
            "weights",
            f"finite floats of magnitude at most {_MAX_WEIGHT:g}",
        )


_MAX_WEIGHT = 1e150
#: Up to this many values the check is one dot product (OpenBLAS runs dot on
#: one thread up to 10,000 entries; larger arrays are memory-bound anyway).
_ONE_DOT = 8192


#: The buffer of the mask without a ``feasible`` argument (immutable, so the view is read-only).
_TRUE_BYTE = b"\x01"


def _as_mask(feasible: ArrayLike | None, shape: tuple[int, int]) -> BoolArray:
    if feasible is None:
        # A read-only view of one True byte with zero strides: no memory and no
        # fresh pages (a filled 4000 x 4000 mask costs 16 MB and about 2 ms
        # here); what np.broadcast_to makes, at a tenth of its call cost.
        return np.ndarray(shape, np.bool_, _TRUE_BYTE, 0, (0, 0))
    raw = np.asarray(feasible)
    if raw.shape != shape:
        raise _problem(
            f"The feasible mask must have the shape of the weights {shape}. Got {raw.shape}.",
            "feasible",
            f"a boolean array of shape {shape}",
        )
    if raw.dtype.kind == "b":
        return np.ascontiguousarray(raw, dtype=np.bool_)
    if raw.dtype.kind in "iu" and bool(np.isin(raw, (0, 1)).all()):
        return np.ascontiguousarray(raw != 0)
    raise _problem(
        f"The feasible mask must be boolean. Got dtype {raw.dtype}.",
        "feasible",
        "True/False (or 0/1) values",
    )


#: Largest intp, read once (np.iinfo costs microseconds a call).
_INTP_MAX = int(np.iinfo(np.intp).max)


def _as_counts(values: ArrayLike | None, size: int, name: str, side: str) -> IntpArray:
    if values is None:
        return np.ones(size, dtype=np.intp)
    raw = np.asarray(values)
    if raw.ndim == 0:
        raw = np.full(size, raw)
    if raw.shape != (size,):
        raise _problem(
            f"The {name} must have one entry per {side} ({size}). Got shape {raw.shape}.",
            name,
            f"{size} integers >= 0",
        )
    if raw.dtype.kind == "f" and bool(np.isfinite(raw).all()) and bool((raw == np.rint(raw)).all()):
        raw = raw.astype(np.int64)
    if raw.dtype.kind not in "iub":
        raise _problem(
            f"The {name} must be integers. Got dtype {raw.dtype}.",
            name,
            "integers >= 0",
        )
    if raw.size and int(raw.min()) < 0:
        k = int(np.argmin(raw))
        raise _problem(
            f"The '{name}' of {side} {k} must be >= 0. Got {int(raw[k])}.",
            f"{name}[{k}]",
            "integers >= 0",
        )
    # Clip before the cast so values beyond intp (e.g. uint64) cannot wrap around.
    clipped: IntpArray = np.minimum(raw, _INTP_MAX).astype(np.intp)
    return clipped


def _as_groups(pair_groups: ArrayLike | None, shape: tuple[int, int]) -> IntpArray | None:
    if pair_groups is None:
        return None
    raw = np.asarray(pair_groups)
    if raw.shape != shape:
        raise _problem(
            f"The pair_groups must have the shape of the weights {shape}. Got {raw.shape}.",
            "pair_groups",
            f"an integer array of shape {shape}",
        )
    if raw.dtype.kind not in "iu":
        raise _problem(
            f"The pair_groups must be integers. Got dtype {raw.dtype}.",
            "pair_groups",
            "integer labels >= 0, or -1 for no group",
        )
    if raw.size and int(raw.min()) < -1:
        r, c = (int(v) for v in np.argwhere(raw < -1)[0])
        raise _problem(
            f"pair_groups[{r}, {c}] is {int(raw[r, c])}.",
            f"pair_groups[{r}, {c}]",
            "integer labels >= 0, or -1 for no group",
        )
    groups = np.ascontiguousarray(raw, dtype=np.intp)
    return None if bool((groups < 0).all()) else groups


def _index_mask(values: ArrayLike | None, size: int, field: str) -> tuple[BoolArray, bool]:
    mask = np.zeros(size, dtype=np.bool_)
    if values is None:
        mask[:] = True
        return mask, False
    raw = np.asarray(values)
    if raw.dtype.kind == "b" and raw.shape == (size,):
        return raw.astype(np.bool_), True
    raw = raw.reshape(-1)
    if raw.size and raw.dtype.kind not in "iu":
        raise _problem(
            f"The {field} must be integer indices. Got dtype {raw.dtype}.",
            field,
            f"indices in [0, {size})",
        )
    if raw.size and (int(raw.min()) < 0 or int(raw.max()) >= size):
        bad = int(raw[(raw < 0) | (raw >= size)][0])
        raise _problem(
            f"The {field} contain index {bad}, outside [0, {size}).",
            field,
            f"indices in [0, {size})",
        )
    mask[raw.astype(np.intp)] = True
    return mask, True


def _as_quotas(quotas: Sequence[Quota] | None, shape: tuple[int, int]) -> tuple[NormQuota, ...]:
    if not quotas:
        return ()
    out: list[NormQuota] = []
    for k, q in enumerate(quotas):
        where = f"quotas[{k}]"
        if not isinstance(q, Quota):
            raise _problem(
                f"{where} must be a Quota. Got {type(q).__name__}.", where, "Quota(name, ...)"
            )
        row_mask, rows_given = _index_mask(q.rows, shape[0], f"{where}.rows")
        col_mask, cols_given = _index_mask(q.cols, shape[1], f"{where}.cols")
        lo = int(q.min)
        hi = None if q.max is None else int(q.max)
        if lo < 0 or (hi is not None and hi < lo):
            raise _problem(
                f"Quota '{q.name}' has min={q.min}, max={q.max}.",
                where,
                "0 <= min <= max",
            )
        low_share = float(q.min_share)
        high_share = None if q.max_share is None else float(q.max_share)
        shares = [low_share] + ([] if high_share is None else [high_share])
        if not all(0.0 <= s <= 1.0 for s in shares) or (
            high_share is not None and high_share < low_share
        ):
            raise _problem(
                f"Quota '{q.name}' has min_share={q.min_share}, max_share={q.max_share}.",
                where,
                "0 <= min_share <= max_share <= 1",
            )
        out.append(
            NormQuota(
                q.name, row_mask, col_mask, lo, hi, rows_given, cols_given, low_share, high_share
            )
        )
    return tuple(out)


def _cap(counts: IntpArray, default: bool, most: int) -> tuple[IntpArray, bool]:
    """Counts capped at ``most``, and whether every count is positive."""
    if default:  # all ones: nothing to cap or close
        return counts, True
    return np.minimum(counts, most).astype(np.intp), bool(counts.all())


def _capacities(
    capacities: ArrayLike | None, row_capacities: ArrayLike | None, shape: tuple[int, int]
) -> tuple[IntpArray, bool, IntpArray, bool, IntpArray]:
    """Checked column and row capacities, capped, whether each side is all
    positive, and the row capacities as given.

    Each pair is chosen at most once, so a column can never use more places
    than there are rows (and a row more than there are columns); capping here
    keeps copies and int32 flow capacities small however large the input.
    Methods cap further by the actual number of candidate pairs.
    """
    n, m = shape
    if capacities is None and row_capacities is None:  # the default: every count one
        row_ones = np.ones(n, dtype=np.intp)
        return np.ones(m, dtype=np.intp), True, row_ones, True, row_ones
    caps = _as_counts(capacities, m, "capacities", "column")
    row_caps = _as_counts(row_capacities, n, "row_capacities", "row")
    col_cap, col_open = _cap(caps, capacities is None, n)
    row_cap, row_open = _cap(row_caps, row_capacities is None, m)
    return col_cap, col_open, row_cap, row_open, row_caps


def _unit(col_cap: IntpArray, row_cap: IntpArray) -> bool:
    return int(col_cap.max(initial=0)) <= 1 and int(row_cap.max(initial=0)) <= 1


def validate(
    weights: ArrayLike,
    *,
    feasible: ArrayLike | None,
    capacities: ArrayLike | None,
    row_capacities: ArrayLike | None,
    pair_groups: ArrayLike | None,
    quotas: Sequence[Quota] | None,
) -> Problem:
    """Check every input and return the normalised :class:`Problem`.

    Raises
    ------
    InvalidInputError
        On any malformed input, naming the position or field.
    """
    w = _as_weights(weights)
    n, m = w.shape
    shape = (int(n), int(m))
    mask = _as_mask(feasible, shape)
    groups = _as_groups(pair_groups, shape)
    norm_quotas = _as_quotas(quotas, shape)
    usable = mask
    col_cap, col_open, row_cap, row_open, row_requests = _capacities(
        capacities, row_capacities, shape
    )
    if not col_open:
        usable = usable & (col_cap > 0)[None, :]
    if not row_open:
        usable = usable & (row_cap > 0)[:, None]
    if groups is not None:
        usable_groups = np.where(usable, groups, -1)
        groups = None if bool((usable_groups < 0).all()) else np.ascontiguousarray(usable_groups)
    return Problem(
        weights=w,
        feasible=usable,
        capacities=col_cap,
        row_capacities=row_cap,
        row_requests=row_requests,
        pair_groups=groups,
        quotas=norm_quotas,
        all_feasible=col_open and row_open and (feasible is None or bool(usable.all())),
        # Default capacities are all ones: unit without a scan.
        unit=groups is None
        and ((capacities is None and row_capacities is None) or _unit(col_cap, row_cap)),
        all_open=col_open and row_open,
    )


def row_major(rows: IntpArray, cols: IntpArray, n_cols: int) -> tuple[IntpArray | None, IntpArray]:
    """How to put pairs in row-major order, and which of them repeat.

    Returns
    -------
    order : intp array or None
        Stable order that sorts the pairs row-major; None when they already are.
    twice : intp array
        Positions, in sorted order, of the pairs equal to the pair before them.
    """
    keys = rows * n_cols + cols
    order = None
    if keys.size > 1 and bool((keys[1:] < keys[:-1]).any()):
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
    return order, np.flatnonzero(keys[1:] == keys[:-1]) + 1


def _sparse_coordinates(
    weights: Any,
) -> tuple[tuple[int, int], IntpArray, IntpArray, FloatArray]:
    """Shape, row-major sorted coordinates and values of the stored entries."""
    _check_numeric_2d(weights.dtype, weights.shape, "a sparse")
    if isinstance(weights, sp.csr_array | sp.csr_matrix) and weights.has_canonical_format:
        # Sorted, without repeats: the coordinates are read off the structure.
        n, m = (int(v) for v in weights.shape)
        indptr = weights.indptr
        rows = np.repeat(np.arange(n, dtype=np.intp), indptr[1:] - indptr[:-1])
        cols = weights.indices.astype(np.intp, copy=False)
        return (n, m), rows, cols, weights.data.astype(np.float64, copy=False)
    coo = sp.coo_array(weights)
    n, m = (int(v) for v in coo.shape)
    rows = np.asarray(coo.row, dtype=np.intp)
    cols = np.asarray(coo.col, dtype=np.intp)
    values = np.asarray(coo.data, dtype=np.float64)
    order, twice = row_major(rows, cols, m)
    if order is not None:
        rows, cols, values = rows[order], cols[order], values[order]
    if twice.size:
        r, c = int(rows[twice[0]]), int(cols[twice[0]])
        raise _problem(
            f"weights[{r}, {c}] is stored more than once ({twice.size} repeated entries in all); "
            "a sparse matrix with duplicates would silently add them up.",
            f"weights[{r}, {c}]",
            "each pair stored at most once (call sum_duplicates() if adding up is meant)",
        )
    return (n, m), rows, cols, values


def validate_sparse(
    weights: Any,
    *,
    feasible: ArrayLike | None,
    capacities: ArrayLike | None,
    row_capacities: ArrayLike | None,
) -> Candidates:
    """Check sparse weights; the stored entries (explicit zeros too) are the candidates.

    Raises
    ------
    InvalidInputError
        On a mask next to sparse weights, repeated or non-finite entries, or
        malformed capacities, naming the position or field.
    """
    if feasible is not None:
        raise _problem(
            "With sparse weights the stored entries are the pairs that may be chosen, "
            "so a separate feasible mask is not accepted.",
            "feasible",
            "None (store only the candidate pairs, explicit zeros included)",
        )
    shape, rows, cols, values = _sparse_coordinates(weights)
    _check_values(
        values,
        lambda k: (int(rows[k]), int(cols[k])),
        "leave a forbidden pair out of the sparse matrix instead",
    )
    col_cap, col_open, row_cap, row_open, _ = _capacities(capacities, row_capacities, shape)
    if not (col_open and row_open):
        usable = (col_cap[cols] > 0) & (row_cap[rows] > 0)
        rows, cols, values = rows[usable], cols[usable], values[usable]
    complete = rows.size == shape[0] * shape[1]
    # Default capacities are all ones: unit without a scan.
    unit = (capacities is None and row_capacities is None) or _unit(col_cap, row_cap)
    return Candidates(
        shape, rows, cols, values, col_cap, row_cap, None, unit, complete, col_open and row_open
    )


def densify(candidates: Candidates) -> tuple[FloatArray, BoolArray]:
    """Dense weights (0 off the candidates) and the candidate mask."""
    mask = np.zeros(candidates.shape, dtype=np.bool_)
    mask[candidates.rows, candidates.cols] = True
    return candidates.scatter(candidates.weights), mask
