"""Shared weekly time of executive x mentor pairs, from compiled grids.

:func:`weekly_overlap` gives the shared minutes of people,
:func:`pattern_overlap` of patterns; :class:`PatternCounter` counts pattern
pairs as exact integer tables (:class:`PatternCounts`), and
:func:`block_counts` / :func:`block_overlaps` hand them out block by block
of executives for programs too large for one table.  The kernel
(:mod:`revmatch.availability._counts`) sums prefix sums of one side at the
runs of the other, over zone-group segments, in integers and without BLAS;
no Python loop runs over pairs.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias

import numpy as np
import numpy.typing as npt

from revmatch.exceptions import InvalidInputError, Problem

from ._counts import Int16Array, Runs, Table, shared_counts
from ._grids import AvailabilityGrids
from ._masks import BoolArray
from ._slots import SLOT_MINUTES, SLOTS_PER_WEEK
from ._weeks import NOT_UNIFORM, IntArray

FloatArray: TypeAlias = npt.NDArray[np.float64]

# Patterns per chunk of either side in :func:`weekly_overlap`; bounds the
# prefix tables and the int16 temporaries to a few tens of MB.
_PATTERN_CHUNK = 2048
# A zone group gets a block of its own in :func:`weekly_overlap` (at most
# _MAX_GROUPS per side) when it has at least _MIN_SEGMENT patterns and its
# patterns times the other side's reach _MIN_BLOCK_PAIRS; the rest share one
# block.  Smaller blocks would cost more in per-block calls than they save.
_MAX_GROUPS = 12
_MIN_SEGMENT = 16
_MIN_BLOCK_PAIRS = 1 << 16


@dataclass(frozen=True, eq=False)
class Overlap:
    """Shared weekly minutes of executive (row) x mentor (column) pairs.

    Attributes
    ----------
    min_minutes : (r, c) ndarray of float64
        Fewest shared minutes in any program week.
    mean_minutes : (r, c) ndarray of float64
        Mean shared minutes per program week.
    preferred_minutes : (r, c) ndarray of float64
        Mean shared minutes per week inside both people's preferred windows.
    """

    min_minutes: FloatArray
    mean_minutes: FloatArray
    preferred_minutes: FloatArray


def _select(patterns: IntArray, index: slice | npt.ArrayLike | None, name: str) -> IntArray:
    if index is None:
        return patterns
    if isinstance(index, slice):
        return patterns[index]
    arr = np.asarray(index)
    if arr.dtype == np.bool_ and arr.shape == patterns.shape:
        return np.asarray(patterns[arr], dtype=np.intp)
    if arr.ndim != 1 or not np.issubdtype(arr.dtype, np.integer):
        raise InvalidInputError(
            Problem(
                f"{name} has dtype {arr.dtype} and shape {arr.shape}",
                field=name,
                expected="a slice, a 1-D integer array or a boolean mask of all people",
            )
        )
    return np.asarray(patterns[arr], dtype=np.intp)


@dataclass(frozen=True)
class _Segment:
    """Consecutive ordered patterns ``[start, stop)`` of one zone group (or of several).

    ``members`` are the zone groups of its patterns, sorted.
    """

    group: int  # -1: several small groups together
    start: int
    stop: int
    members: tuple[int, ...]

    def chunks(self) -> Iterable[slice]:
        for lo in range(self.start, self.stop, _PATTERN_CHUNK):
            yield slice(lo, min(lo + _PATTERN_CHUNK, self.stop))


def _plan(
    ids: IntArray, pattern_zone: IntArray, zone_group: IntArray, other: int
) -> tuple[IntArray, list[_Segment]]:
    """Order patterns by zone group; only large groups keep a segment of their own.

    ``other`` is the number of patterns on the other side; 0 keeps every
    group of at least ``_MIN_SEGMENT`` patterns (the mentors' side: their
    local tables of one group serve a mixed segment of executives too).
    """
    if ids.size == 0:
        return np.zeros(0, dtype=np.intp), []
    group = zone_group[pattern_zone[ids]]
    sizes = np.bincount(group)
    kept = np.argsort(-sizes, kind="stable")[:_MAX_GROUPS]
    large = sizes[kept] * other >= _MIN_BLOCK_PAIRS if other else True
    kept = kept[(sizes[kept] >= _MIN_SEGMENT) & large]
    label = np.full(sizes.size, kept.size, dtype=np.intp)  # the shared "mixed" segment
    label[kept] = np.arange(kept.size)
    order = np.argsort(label[group], kind="stable")
    ordered = label[group][order]
    bounds = [0, *(np.flatnonzero(np.diff(ordered)) + 1).tolist(), ids.size]
    ordered_group = group[order]
    segments = [
        _Segment(
            int(kept[ordered[lo]]) if ordered[lo] < kept.size else -1,
            lo,
            hi,
            tuple(np.unique(ordered_group[lo:hi]).tolist()),
        )
        for lo, hi in itertools.pairwise(bounds)
    ]
    return order.astype(np.intp), segments


#: Patterns ``[start, stop)``, week class or None (local weeks), inside the window only.
_Key: TypeAlias = tuple[int, int, int | None, bool]


@dataclass(frozen=True, order=True)
class _Job:
    """One count a pair of segments needs: class ``first`` stands for ``weeks`` weeks.

    ``shift`` is how many cells later the mentors' local week is read against
    the executives' when both sides' groups keep one UTC offset through the
    class's week (the count is then one of local weeks), one per zone group
    of the executives' segment; None means the UTC grids of class ``first``
    are read.
    """

    first: int
    weeks: int
    shift: tuple[int, ...] | None


def _class_jobs(
    grids: AvailabilityGrids, e_groups: tuple[int, ...], m_group: int
) -> list[_Job]:
    """Week classes a pair of segments needs, with the weeks each stands for.

    ``e_groups`` are the zone groups of the executives' segment, ``m_group``
    the mentors' (``-1``: a mixed segment, for which no class can be
    merged).  Two classes give every pair of the segments the same counts
    when all these groups' offsets are equal in them, or when they are all
    constant through the week and each executive group's differs from the
    mentors' by the same amount in both (the grids are then rotations of
    the local week by the same relative shifts).
    """
    n_classes = grids.week_counts.size
    merged: dict[tuple[object, ...], _Job] = {}
    rows = np.asarray(e_groups, dtype=np.intp)
    for c in range(n_classes):
        shift: tuple[int, ...] | None = None
        if m_group < 0:
            key: tuple[object, ...] = (0, c)
        else:
            se, sm = grids.group_shift[rows, c], int(grids.group_shift[m_group, c])
            if sm != NOT_UNIFORM and np.all(se != NOT_UNIFORM):
                shift = tuple(((sm - se) % SLOTS_PER_WEEK).tolist())
                key = (1, shift)
            else:
                classes = tuple(grids.group_class[rows, c].tolist())
                key = (2, classes, int(grids.group_class[m_group, c]))
        job = merged.get(key, _Job(c, 0, shift))
        merged[key] = _Job(job.first, job.weeks + int(grids.week_counts[c]), shift)
    return sorted(merged.values())


class _Side:
    """One side's patterns ``ids`` (in counting order): their runs or prefix tables.

    Cells are local (``week=None``) or those of the UTC grids of a week
    class, optionally only inside the preferred window; each comes with the
    union of its rows' cells, to skip pairs of segments that share no cell.
    Results are kept until :meth:`forget`.
    """

    def __init__(self, grids: AvailabilityGrids, side: str, ids: IntArray) -> None:
        self._grids, self._side, self._ids = grids, side, ids
        #: Zone group of each pattern, in counting order.
        self.groups = grids.zone_group[getattr(grids, f"{side}_pattern_zone")[ids]]
        full = getattr(grids, f"{side}_local_full")[ids]  # in counting order: chunks are views
        half = getattr(grids, f"{side}_local_half")[ids]
        self._local = {False: (full, half)}
        if grids.preferred_window is not None:
            self._local[True] = full & grids.window, half & grids.window
        self._runs: dict[_Key, tuple[Runs, BoolArray]] = {}
        self._mixed: dict[_Key, tuple[Runs, BoolArray]] = {}
        self._tables: dict[_Key, Table] = {}

    def _cells(self, key: _Key) -> tuple[BoolArray, BoolArray]:
        start, stop, week, in_window = key
        if week is None:
            full, half = self._local[in_window and True in self._local]
            return full[start:stop], half[start:stop]
        full, half, inside = self._grids.utc_cells(self._side, self._ids[start:stop], week)
        if in_window:
            full, half = full & inside, half & inside
        return full, half

    def runs(self, rows: slice, week: int | None, in_window: bool) -> tuple[Runs, BoolArray]:
        """Runs of patterns ``rows`` and the union of their cells."""
        key = (rows.start, rows.stop, week, in_window)
        if key not in self._runs:
            full, half = self._cells(key)
            self._runs[key] = Runs.of(full, half), np.asarray((full | half).any(axis=0))
        return self._runs[key]

    def mixed_runs(self, rows: slice, week: int, in_window: bool) -> tuple[Runs, BoolArray]:
        """UTC runs in class ``week`` of patterns ``rows`` of several zone groups.

        Patterns of groups that keep one offset through the week have their
        local runs moved by it; only the others read UTC cells.  The union
        given is every cell (so no pair of segments is skipped).
        """
        key = (rows.start, rows.stop, week, in_window)
        if key not in self._mixed:
            shifts = self._grids.group_shift[self.groups[rows], week]
            uniform = shifts != NOT_UNIFORM
            if not uniform.any():
                runs = self.runs(rows, week, in_window)[0]
            else:
                local = self.runs(rows, None, in_window)[0]
                moved = np.where(uniform, shifts, 0).astype(np.intp)
                runs = local.to_utc(np.repeat(moved, np.diff(local.bounds)))
                if not uniform.all():
                    others = np.flatnonzero(~uniform)
                    ids = self._ids[rows][others]
                    full, half, inside = self._grids.utc_cells(self._side, ids, week)
                    if in_window:
                        full, half = full & inside, half & inside
                    runs = runs.replaced(others, Runs.of(full, half))
            self._mixed[key] = runs, np.ones(SLOTS_PER_WEEK, dtype=np.bool_)
        return self._mixed[key]

    def table(self, rows: slice, week: int | None, in_window: bool) -> Table:
        """Prefix table of patterns ``rows``."""
        key = (rows.start, rows.stop, week, in_window)
        if key not in self._tables:
            self._tables[key] = Table.of(*self._cells(key))
        return self._tables[key]

    def forget(self) -> None:
        """Drop the tables kept so far (those of one chunk, before the next is built)."""
        self._tables.clear()


def _count(
    grids: AvailabilityGrids,
    sides: tuple[_Side, _Side],
    blocks: tuple[slice, slice],
    segments: tuple[_Segment, _Segment],
    job: _Job,
    in_window: bool,
) -> Int16Array | None:
    """Counts of exec patterns x mentor patterns ``blocks`` for ``job``; None if all 0.

    ``segments`` are the blocks' segments.  The executives' local runs are
    read at the job's shift of their zone group when all groups keep one
    offset; otherwise their UTC runs are read at the mentors' offsets (one
    mentor group) or against the mentors' UTC tables (several groups).
    """
    (execs, mentors), (rows, cols) = sides, blocks
    e_group, m_group = segments[0].group, segments[1].group
    if job.shift is not None:
        runs, e_union = execs.runs(rows, None, in_window)
        table = mentors.table(cols, None, in_window)
        if len(job.shift) > 1:  # several executive groups, each at its own shift
            by_group = np.zeros(int(execs.groups.max(initial=0)) + 1, dtype=np.intp)
            by_group[list(segments[0].members)] = job.shift
            shift = np.repeat(by_group[execs.groups[rows]], np.diff(runs.bounds))
            return shared_counts(runs.shifted(shift), table)
        runs, m_union = runs.shifted(job.shift[0]), np.roll(table.union, -job.shift[0])
    else:
        runs, e_union = _utc_runs(grids, execs, rows, e_group, job.first, in_window)
        if m_group >= 0:
            table = mentors.table(cols, None, in_window)
            offsets = grids.group_offsets[m_group, job.first]
            runs = runs.split(offsets)
            cells = np.arange(SLOTS_PER_WEEK)
            m_union = table.union[(cells + offsets) % SLOTS_PER_WEEK]
        else:
            table = mentors.table(cols, job.first, in_window)
            m_union = table.union
    if not np.any(e_union & m_union):
        return None
    return shared_counts(runs, table)


def _utc_runs(
    grids: AvailabilityGrids, execs: _Side, rows: slice, group: int, week: int, in_window: bool
) -> tuple[Runs, BoolArray]:
    """UTC runs of week class ``week`` of exec patterns ``rows`` and the union of their cells.

    A zone group keeping one offset through the week has its local runs
    moved; others read their UTC grids.  ``group`` -1 is a mixed segment
    (:meth:`_Side.mixed_runs`).
    """
    if group < 0:
        return execs.mixed_runs(rows, week, in_window)
    shift = int(grids.group_shift[group, week])
    if shift == NOT_UNIFORM:
        return execs.runs(rows, week, in_window)
    runs, union = execs.runs(rows, None, in_window)
    return runs.to_utc(shift), np.roll(union, -shift)


def _pattern_overlap(
    grids: AvailabilityGrids,
    e_ids: IntArray,
    e_segments: Sequence[_Segment],
    m_ids: IntArray,
    m_segments: Sequence[_Segment],
    mean: bool = True,
) -> tuple[Int16Array, npt.NDArray[np.int32] | None, npt.NDArray[np.int32]]:
    """Min, week-weighted sum and preferred sum, in 7.5-minute units, per pattern pair.

    The unit count of a pair in a week is ``F_e.F_m + A_e.A_m`` (``A = F | H``):
    cells both cover weekly count 2, cells where one side is fortnightly-only
    count 1 (:mod:`revmatch.availability._counts`).  Each pair of zone-group
    segments needs it only for the classes that differ *for its two groups*
    (:func:`_class_jobs`: two or three for most pairs, against five to ten
    program-wide classes), and most of those are local weeks read at a
    shift, from tables built once per chunk of mentor patterns.  Memory
    beyond the tables is one chunk's prefix tables.  Without ``mean`` the
    week-weighted sum is not accumulated (None).  Counts are exact integers.
    """
    shape = (e_ids.size, m_ids.size)
    low = np.full(shape, np.iinfo(np.int16).max, dtype=np.int16)
    total = np.zeros(shape, dtype=np.int32) if mean else None
    preferred = np.zeros(shape, dtype=np.int32)
    if not (e_ids.size and m_ids.size):
        return low, total, preferred
    g = grids
    window = g.window if g.preferred_window is not None else None
    execs, mentors = _Side(g, "exec", e_ids), _Side(g, "mentor", m_ids)
    sides = (execs, mentors)
    for m_seg in m_segments:
        for cols in m_seg.chunks():
            for e_seg in e_segments:
                jobs = _class_jobs(g, e_seg.members, m_seg.group)
                segments = (e_seg, m_seg)
                for rows in e_seg.chunks():
                    for job in jobs:
                        weeks = np.int32(job.weeks)
                        count = _count(g, sides, (rows, cols), segments, job, False)
                        if count is None:
                            low[rows, cols] = 0
                            continue
                        np.minimum(low[rows, cols], count, out=low[rows, cols])
                        if total is not None:
                            total[rows, cols] += count * weeks if job.weeks > 1 else count
                        if window is not None:
                            count = _count(g, sides, (rows, cols), segments, job, True)
                            if count is not None:
                                preferred[rows, cols] += count * weeks if job.weeks > 1 else count
            mentors.forget()
    return low, total, preferred


def weekly_overlap(
    grids: AvailabilityGrids,
    rows: slice | npt.NDArray[np.intp] | npt.NDArray[np.bool_] | None = None,
    cols: slice | npt.NDArray[np.intp] | npt.NDArray[np.bool_] | None = None,
) -> Overlap:
    """Shared weekly minutes of every executive x mentor pair, week by week in UTC.

    Parameters
    ----------
    grids : AvailabilityGrids
        From :func:`compile_availability`.
    rows, cols : slice, integer array or boolean mask, optional
        Executives (rows) and mentors (columns) to compute; all by default.

    Returns
    -------
    Overlap
        Arrays of shape ``(len(rows), len(cols))``.

    Raises
    ------
    InvalidInputError
        If ``rows`` or ``cols`` is not a slice, 1-D integer array or boolean mask.

    Notes
    -----
    In one week a pair shares ``15 * n_full + 7.5 * n_half`` minutes, where
    ``n_full`` counts UTC cells both cover with weekly slots and ``n_half``
    cells both cover where at least one side has only a fortnightly slot.
    The counts are computed for the distinct patterns of the selected people
    only, one all-pairs table per week class (per class in which the two
    zone groups differ, for large groups), in exact integers: each pair
    costs two look-ups in the mentor's prefix sums per run of covered cells
    of the executive.  They are then spread to people with the pattern
    indices.  Patterns are processed in chunks of 2048, so memory beyond the
    output is bounded; pass row blocks to bound the output too.  No Python
    loop runs over pairs.

    Examples
    --------
    >>> from datetime import date
    >>> from revmatch.availability import compile_availability, parse_slot
    >>> grids = compile_availability(
    ...     [("Europe/Berlin", [parse_slot("Mon 15:00-17:00")])],
    ...     [("America/New_York", [parse_slot("Mon 09:00-11:00")])],
    ...     start=date(2027, 3, 1), end=date(2027, 4, 11))
    >>> ov = weekly_overlap(grids)
    >>> float(ov.min_minutes[0, 0]), float(ov.mean_minutes[0, 0])
    (60.0, 100.0)
    """
    e_sel = _select(grids.exec_pattern, rows, "rows")
    m_sel = _select(grids.mentor_pattern, cols, "cols")
    return _overlap_of(grids, e_sel, m_sel)


def pattern_overlap(
    grids: AvailabilityGrids,
    exec_patterns: npt.NDArray[np.intp] | None = None,
    mentor_patterns: npt.NDArray[np.intp] | None = None,
) -> Overlap:
    """Shared weekly minutes between executive and mentor *patterns*.

    At scale most people share a handful of patterns; computing per pattern
    pair and looking people up afterwards
    (``ov.mean_minutes[grids.exec_pattern[i], grids.mentor_pattern[j]]``)
    avoids materialising the full people x people arrays.

    Parameters
    ----------
    grids : AvailabilityGrids
        From :func:`compile_availability`.
    exec_patterns, mentor_patterns : 1-D integer array, optional
        Pattern ids (rows of ``grids.exec_full`` / ``grids.mentor_full``);
        all patterns by default.

    Returns
    -------
    Overlap
        Arrays of shape ``(len(exec_patterns), len(mentor_patterns))``, with
        the same meaning as in :func:`weekly_overlap`.

    Raises
    ------
    InvalidInputError
        If a selection is not a 1-D integer array.

    Examples
    --------
    >>> from datetime import date
    >>> from revmatch.availability import compile_availability, parse_slot
    >>> berlin = ("Europe/Berlin", [parse_slot("Mon 12:00-13:00")])
    >>> grids = compile_availability([berlin, berlin], [berlin], start=date(2027, 1, 4))
    >>> pattern_overlap(grids).mean_minutes.shape
    (1, 1)
    """
    n_exec, n_mentor = grids.exec_local_full.shape[0], grids.mentor_local_full.shape[0]
    e_sel = _select(np.arange(n_exec, dtype=np.intp), exec_patterns, "exec_patterns")
    m_sel = _select(np.arange(n_mentor, dtype=np.intp), mentor_patterns, "mentor_patterns")
    return _overlap_of(grids, e_sel, m_sel)


def gather_index(rows: npt.ArrayLike, cols: npt.ArrayLike, n_cols: int) -> IntArray:
    """Flat indices of ``table[rows][:, cols]`` in a C-ordered table of ``n_cols`` columns.

    ``table.ravel().take(gather_index(rows, cols, n_cols))`` is that sub-table,
    gathered in one pass (far quicker than two ``take`` calls along axes).
    """
    r = np.asarray(rows, dtype=np.intp).reshape(-1, 1)
    c = np.asarray(cols, dtype=np.intp).reshape(1, -1)
    return np.asarray(r * n_cols + c, dtype=np.intp)


@dataclass(frozen=True)
class PatternCounts:
    """Shared time per (executive pattern, mentor pattern), as exact integer counts.

    ``low``, ``total`` and ``preferred`` are in units of 7.5 minutes
    (:func:`_pattern_overlap`); multiply by :attr:`min_scale` (``low``) or
    :attr:`mean_scale` (``total``, ``preferred``) in float64 to get the
    minutes of :class:`Overlap`.  Tables are in computation order: executive
    pattern ``p`` is row ``exec_row[p]``, mentor pattern ``q`` column
    ``mentor_col[q]``.  ``total`` is None when counted with ``mean=False``.
    """

    low: Int16Array
    total: npt.NDArray[np.int32] | None
    preferred: npt.NDArray[np.int32]
    min_scale: float
    mean_scale: float
    exec_row: IntArray
    mentor_col: IntArray

    def minutes(self, kind: Literal["min", "mean", "preferred"]) -> FloatArray:
        """The float64 minutes of :class:`Overlap` (``min_minutes``, ...) per pattern pair.

        Raises
        ------
        ValueError
            For ``"mean"`` when the counts were taken with ``mean=False``.
        """
        counts, scale = {
            "min": (self.low, self.min_scale),
            "mean": (self.total, self.mean_scale),
            "preferred": (self.preferred, self.mean_scale),
        }[kind]
        if counts is None:
            raise ValueError("mean minutes were not counted (counts(..., mean=False))")
        out = counts.astype(np.float64)
        out *= scale
        return out

    def rows(self, positions: IntArray) -> PatternCounts:
        """The tables restricted to rows ``positions``, which become rows ``0, 1, ...``."""
        pick = np.asarray(positions, dtype=np.intp)
        return PatternCounts(
            low=self.low[pick],
            total=None if self.total is None else self.total[pick],
            preferred=self.preferred[pick],
            min_scale=self.min_scale,
            mean_scale=self.mean_scale,
            exec_row=np.arange(pick.size, dtype=np.intp),
            mentor_col=self.mentor_col,
        )


class PatternCounter:
    """Shared-time counts of executive patterns against a fixed set of mentor patterns.

    Each :meth:`counts` call runs class by class (:func:`_pattern_overlap`):
    the operands of one week class are built for the patterns of the call,
    used and freed before the next class, so the memory beyond the result
    tables is one class's operands.  Count every pattern needed in one call
    (as :func:`~revmatch._pipeline.scoring.score` does) and select rows afterwards with
    :meth:`PatternCounts.rows`.

    Parameters
    ----------
    grids : AvailabilityGrids
        From :func:`compile_availability`.
    mentor_patterns : 1-D integer array, optional
        Sorted distinct mentor pattern ids; all by default.

    Examples
    --------
    >>> from datetime import date
    >>> from revmatch.availability import compile_availability, parse_slot
    >>> berlin = ("Europe/Berlin", [parse_slot("Mon 12:00-13:00")])
    >>> grids = compile_availability([berlin], [berlin, berlin], start=date(2027, 1, 4))
    >>> counts = PatternCounter(grids).counts()
    >>> float(counts.low[0, 0] * counts.min_scale)
    60.0
    """

    def __init__(
        self, grids: AvailabilityGrids, mentor_patterns: npt.NDArray[np.intp] | None = None
    ) -> None:
        self.grids = grids
        m_ids = np.arange(grids.mentor_local_full.shape[0], dtype=np.intp)
        if mentor_patterns is not None:
            m_ids = np.asarray(mentor_patterns, dtype=np.intp)
        m_order, self._m_segments = _plan(m_ids, grids.mentor_pattern_zone, grids.zone_group, 0)
        #: Table column of each mentor pattern of the counter (as in :class:`PatternCounts`).
        self.mentor_col = np.argsort(m_order).astype(np.intp)
        self._m_ids = m_ids[m_order]

    def counts(
        self, exec_patterns: npt.NDArray[np.intp] | None = None, *, mean: bool = True
    ) -> PatternCounts:
        """Counts for sorted distinct executive pattern ids (all by default).

        Row ``exec_row[i]`` of the tables is ``exec_patterns[i]``; column
        ``mentor_col[j]`` is the ``j``-th mentor pattern of the counter.
        Without ``mean`` the week-weighted sum (``total``) is skipped, which
        saves one table when only the minimum and preferred time are needed.
        """
        g = self.grids
        e_ids = np.arange(g.exec_local_full.shape[0], dtype=np.intp)
        if exec_patterns is not None:
            e_ids = np.asarray(exec_patterns, dtype=np.intp)
        e_order, e_segments = _plan(e_ids, g.exec_pattern_zone, g.zone_group, self._m_ids.size)
        low, total, preferred = _pattern_overlap(
            g, e_ids[e_order], e_segments, self._m_ids, self._m_segments, mean
        )
        # Row i of the results is pattern e_ids[e_order[i]].
        unit = SLOT_MINUTES / 2
        return PatternCounts(
            low=low,
            total=total,
            preferred=preferred,
            min_scale=unit,
            mean_scale=unit / float(g.week_counts.sum()),
            exec_row=np.argsort(e_order).astype(np.intp),
            mentor_col=self.mentor_col,
        )


def block_counts(
    grids: AvailabilityGrids, blocks: Iterable[slice], *, mean: bool = True
) -> Iterator[tuple[slice, PatternCounts, IntArray]]:
    """Pattern counts of each block of executives, from one count of every pattern pair.

    Every pattern pair is counted once, when this function is called (one
    :class:`PatternCounter` call, class by class, before any block is asked
    for, so a caller can allocate its outputs after the counting's
    temporaries are gone); each block then gets the rows of its own
    executives' patterns, so a program handled in many blocks pays for its
    shared time once.

    Parameters
    ----------
    grids : AvailabilityGrids
        From :func:`compile_availability`.
    blocks : iterable of slice
        Executive rows of each block.
    mean : bool, default True
        Also count the week-weighted sum (see :meth:`PatternCounter.counts`).

    Yields
    ------
    rows : slice
        The block.
    counts : PatternCounts
        The tables of the block's distinct executive patterns.
    index : (block rows, all mentors) integer array
        Flat positions in those tables of every (executive, mentor) pair of
        the block: ``counts.minutes("min").take(index)`` is the block's
        ``min_minutes``.
    """
    counter = PatternCounter(grids)
    counts = counter.counts(mean=mean)  # now, not at the first block
    mentor_col = counter.mentor_col[grids.mentor_pattern]  # table column of each mentor

    def one(rows: slice) -> tuple[slice, PatternCounts, IntArray]:
        patterns, inverse = np.unique(grids.exec_pattern[rows], return_inverse=True)
        sub = counts.rows(counts.exec_row[patterns])
        return rows, sub, gather_index(inverse.reshape(-1), mentor_col, sub.low.shape[1])

    # A map keeps no block's arrays alive once the caller has let them go.
    return map(one, blocks)


def block_overlaps(
    grids: AvailabilityGrids, blocks: Iterable[slice]
) -> Iterator[tuple[slice, Overlap]]:
    """:func:`weekly_overlap` of each block of executives against every mentor.

    Built on :func:`block_counts`: shared time is counted once for the whole
    program, not once per block.

    Parameters
    ----------
    grids : AvailabilityGrids
        From :func:`compile_availability`.
    blocks : iterable of slice
        Executive rows of each block.

    Yields
    ------
    rows : slice
        The block.
    overlap : Overlap
        Its arrays of shape ``(block rows, all mentors)``, equal to
        ``weekly_overlap(grids, rows=rows)``.

    Examples
    --------
    >>> from datetime import date
    >>> from revmatch.availability import compile_availability, parse_slot
    >>> berlin = ("Europe/Berlin", [parse_slot("Mon 12:00-13:00")])
    >>> grids = compile_availability([berlin] * 3, [berlin], start=date(2027, 1, 4))
    >>> [ov.min_minutes.shape for _, ov in block_overlaps(grids, [slice(0, 2), slice(2, 3)])]
    [(2, 1), (1, 1)]
    """
    for rows, counts, index in block_counts(grids, blocks):
        yield (
            rows,
            Overlap(
                min_minutes=counts.minutes("min").take(index),
                mean_minutes=counts.minutes("mean").take(index),
                preferred_minutes=counts.minutes("preferred").take(index),
            ),
        )


def _overlap_of(grids: AvailabilityGrids, e_sel: IntArray, m_sel: IntArray) -> Overlap:
    """Overlap of exec patterns ``e_sel`` x mentor patterns ``m_sel`` (repeats allowed)."""
    e_ids, e_inv = np.unique(e_sel, return_inverse=True)
    m_ids, m_inv = np.unique(m_sel, return_inverse=True)
    counts = PatternCounter(grids, m_ids).counts(e_ids)
    flat = gather_index(
        counts.exec_row[e_inv.reshape(-1)], counts.mentor_col[m_inv.reshape(-1)], m_ids.size
    )

    return Overlap(
        min_minutes=counts.minutes("min").take(flat),
        mean_minutes=counts.minutes("mean").take(flat),
        preferred_minutes=counts.minutes("preferred").take(flat),
    )
