"""Exact shared-cell counts of pattern pairs, from runs and periodic prefix sums.

In one week class a pair shares ``F_e.F_m + A_e.A_m`` half-cells (``F``
weekly cells, ``H`` fortnightly-only cells, ``A = F | H``).  Read from the
executive's side, a cell of a weekly run of hers counts ``2 F_m + H_m`` and
a cell of a fortnightly-only run ``F_m + H_m``; so with the mentor's prefix
sums of those two weights, a run ``[a, b)`` adds ``P[b] - P[a]``, and a
pair costs two look-ups per run of the executive instead of one
multiply-add per cell.  People hold a few runs a week against 672 cells.

The mentor tables are always of *local* weeks.  Where the mentor's zone
keeps one UTC offset ``o`` through a class's week, UTC cell ``u`` is local
cell ``u + o``, so a run read ``o`` cells later counts the same cells;
prefix sums over two periods (:class:`Table`) make that shift a plain index
offset.  Where the offset changes within the week, the executive's runs are
split where it changes and each piece is read at its own shift
(:meth:`Runs.split`).

Every number is a small integer (at most ``2 * 2 * 672``) held in int16, the
products are sums of gathered rows, and nothing calls BLAS: the counts are
exact and their speed does not depend on how many threads a BLAS library
would start on a busy machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from ._masks import BoolArray
from ._slots import SLOTS_PER_WEEK
from ._weeks import IntArray

Int16Array: TypeAlias = npt.NDArray[np.int16]

_N = SLOTS_PER_WEEK
#: Prefix positions of one weight over two periods: 0 .. 2 * 672.
SPAN = 2 * _N + 1


@dataclass(frozen=True)
class Runs:
    """Runs of covered cells of a list of patterns, pattern by pattern.

    Attributes
    ----------
    start, stop : (J,) ndarray of intp
        First and one-past-last cell of every run (0..672).
    kind : (J,) ndarray of intp
        The weight a run reads in a :class:`Table`: 0 for weekly runs
        (``2 F + H``), 1 for fortnightly-only runs (``F + H``).
    shift : (J,) ndarray of intp
        Cells by which each run is read later in the table's week (0..671).
    bounds : (n + 1,) ndarray of intp
        The runs of pattern ``i`` are ``bounds[i]:bounds[i + 1]``.
    """

    start: IntArray
    stop: IntArray
    kind: IntArray
    shift: IntArray
    bounds: IntArray

    @classmethod
    def of(cls, full: BoolArray, half: BoolArray) -> Runs:
        """The runs of ``full`` (weekly) and ``half`` (fortnightly-only) cells, ``(n, 672)``."""
        n = full.shape[0]
        padded = np.zeros((n, 2, _N + 2), dtype=np.bool_)
        padded[:, 0, 1:-1] = full
        padded[:, 1, 1:-1] = half
        edges = np.flatnonzero(padded[..., 1:] != padded[..., :-1])
        # Edges come in (start, stop) pairs, pattern by pattern, weekly runs first.
        owner, rest = np.divmod(edges[0::2], 2 * (_N + 1))
        kind, start = np.divmod(rest, _N + 1)
        stop = edges[1::2] - (edges[0::2] - start)
        bounds = np.zeros(n + 1, dtype=np.intp)
        np.cumsum(np.bincount(owner, minlength=n), out=bounds[1:])
        return cls(start, stop, kind, np.zeros_like(start), bounds)

    def rows(self, rows: slice) -> Runs:
        """The runs of patterns ``rows``, renumbered from 0."""
        lo, hi = int(self.bounds[rows.start]), int(self.bounds[rows.stop])
        part = slice(lo, hi)
        return Runs(
            self.start[part],
            self.stop[part],
            self.kind[part],
            self.shift[part],
            self.bounds[rows.start : rows.stop + 1] - lo,
        )

    def shifted(self, shift: int | IntArray) -> Runs:
        """The same runs, all read ``shift`` cells later (one shift, or one per run)."""
        shifts = np.full_like(self.start, shift) if isinstance(shift, int) else shift
        return Runs(self.start, self.stop, self.kind, shifts, self.bounds)

    def to_utc(self, offset: int | IntArray) -> Runs:
        """Local runs as UTC runs of a zone ``offset`` cells ahead of UTC all week.

        Local cell ``v`` is UTC cell ``v - offset`` (cyclic); a run that wraps
        past the end of the UTC week is cut in two.  ``offset`` is one for
        all runs or one per run.
        """
        start = (self.start - offset) % _N
        stop = start + (self.stop - self.start)
        wraps = stop > _N
        if not wraps.any():
            return Runs(start, stop, self.kind, self.shift, self.bounds)
        n = self.bounds.size - 1
        owner = np.repeat(np.arange(n), np.diff(self.bounds))
        order = np.argsort(np.concatenate([owner, owner[wraps]]), kind="stable")
        return Runs(
            np.concatenate([start, np.zeros(np.count_nonzero(wraps), dtype=start.dtype)])[order],
            np.concatenate([np.minimum(stop, _N), stop[wraps] - _N])[order],
            np.concatenate([self.kind, self.kind[wraps]])[order],
            np.concatenate([self.shift, self.shift[wraps]])[order],
            self.bounds + np.concatenate([[0], np.cumsum(np.bincount(owner[wraps], minlength=n))]),
        )

    def replaced(self, patterns: IntArray, other: Runs) -> Runs:
        """These runs with those of ``patterns`` (sorted) replaced by ``other``'s, in order."""
        n = self.bounds.size - 1
        owner = np.repeat(np.arange(n), np.diff(self.bounds))
        dropped = np.zeros(n, dtype=np.bool_)
        dropped[patterns] = True
        keep = ~dropped[owner]
        owner = np.concatenate(
            [owner[keep], patterns[np.repeat(np.arange(patterns.size), np.diff(other.bounds))]]
        )
        order = np.argsort(owner, kind="stable")
        bounds = np.zeros_like(self.bounds)
        np.cumsum(np.bincount(owner, minlength=n), out=bounds[1:])

        def join(mine: IntArray, theirs: IntArray) -> IntArray:
            return np.concatenate([mine[keep], theirs])[order]

        return Runs(
            join(self.start, other.start),
            join(self.stop, other.stop),
            join(self.kind, other.kind),
            join(self.shift, other.shift),
            bounds,
        )

    def split(self, offsets: npt.NDArray[np.int16]) -> Runs:
        """UTC runs read in a local week whose UTC offset at cell ``u`` is ``offsets[u]``.

        Runs are cut where the offset changes, and each piece is read at its
        offset (modulo the week).
        """
        start, stop, kind = self.start, self.stop, self.kind
        owner = np.repeat(np.arange(self.bounds.size - 1), np.diff(self.bounds))
        for cut in (np.flatnonzero(offsets[1:] != offsets[:-1]) + 1).tolist():
            inside = (start < cut) & (cut < stop)
            if inside.any():
                start = np.concatenate([start, np.full(np.count_nonzero(inside), cut)])
                stop = np.concatenate([np.where(inside, cut, stop), stop[inside]])
                kind = np.concatenate([kind, kind[inside]])
                owner = np.concatenate([owner, owner[inside]])
        order = np.argsort(owner, kind="stable")
        start, stop, kind = start[order], stop[order], kind[order]
        shift = offsets[start % _N].astype(np.intp) % _N
        bounds = np.zeros_like(self.bounds)
        np.cumsum(np.bincount(owner, minlength=bounds.size - 1), out=bounds[1:])
        return Runs(start, stop, kind, shift, bounds)


@dataclass(frozen=True)
class Table:
    """Prefix sums of ``2 F + H`` and of ``F + H`` of a list of patterns, over two weeks.

    Only cells some pattern covers change the sums, so the table keeps one
    row per such cell (twice, for the two periods) and :attr:`position`
    maps a cell ``c`` of ``0..1344`` to the row holding the sum of cells
    ``0..c-1``: then ``P[b + s] - P[a + s]`` counts cells ``a + s .. b + s - 1``
    modulo 672 for any ``0 <= s < 672`` and ``0 <= a <= b <= 672``.

    Attributes
    ----------
    sums : (2 * span, n) ndarray of int16
        The sums of ``2 F + H`` (rows ``0..span-1``) and of ``F + H`` (rows
        ``span..``), C-contiguous: a run reads two rows.
    position : (1345,) ndarray of intp
        Row (within one weight's block) of every cell boundary.
    span : int
        Rows per weight.
    union : (672,) ndarray of bool
        Cells some pattern covers.
    """

    sums: Int16Array
    position: IntArray
    span: int
    union: BoolArray

    @classmethod
    def of(cls, full: BoolArray, half: BoolArray) -> Table:
        """The table of ``full`` (weekly) and ``half`` (fortnightly-only) cells, ``(n, 672)``."""
        n = full.shape[0]
        union = np.asarray((full | half).any(axis=0))
        cells = np.flatnonzero(union)
        used = cells.size
        position = np.zeros(SPAN, dtype=np.intp)
        np.cumsum(np.concatenate([union, union]), out=position[1:])
        span = 2 * used + 1
        f = np.asarray(full[:, cells].T, dtype=np.int16, order="C")
        weight = f + half[:, cells].T  # F + H
        out = np.empty((2, span, n), dtype=np.int16)
        out[:, 0] = 0
        np.cumsum(weight + f, axis=0, dtype=np.int16, out=out[0, 1 : used + 1])
        np.cumsum(weight, axis=0, dtype=np.int16, out=out[1, 1 : used + 1])
        np.add(out[:, 1 : used + 1], out[:, used : used + 1], out=out[:, used + 1 :])
        return cls(out.reshape(2 * span, n), position, span, union)


def shared_counts(runs: Runs, table: Table) -> Int16Array:
    """``F_e.F_m + A_e.A_m`` of every pattern of ``runs`` against every pattern of ``table``.

    Patterns are taken in order of their number of runs, so that the
    ``r``-th runs of all patterns that have one are gathered and added as
    one contiguous block.
    """
    n = runs.bounds.size - 1
    sums = table.sums
    acc = np.zeros((n, sums.shape[1]), dtype=np.int16)
    if runs.start.size == 0 or sums.shape[1] == 0:
        return acc
    per = np.diff(runs.bounds)
    order = np.argsort(-per, kind="stable")
    ranked = per[order]
    first = runs.bounds[:-1][order]
    base = runs.kind * table.span
    lo = base + table.position[runs.start + runs.shift]
    hi = base + table.position[runs.stop + runs.shift]
    for layer in range(int(ranked[0])):
        size = int(np.count_nonzero(ranked > layer))
        pick = first[:size] + layer
        part = acc[:size]
        part += sums.take(hi[pick], axis=0)
        part -= sums.take(lo[pick], axis=0)
    out = np.empty_like(acc)
    out[order] = acc
    return out
