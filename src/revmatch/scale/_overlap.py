"""Exact weekly shared minutes of a list of pairs, from bit-packed availability grids.

:func:`revmatch.availability.weekly_overlap` computes whole blocks of
executives x mentors with matrix products. Candidate generation needs the
opposite shape: a few hundred scattered mentors per executive, for thousands
of executives. Here every availability pattern is packed once into 64-bit
words (only the UTC cells that someone on each side covers are kept), and a
pair costs a handful of ``AND`` + popcount operations per week class.

The counts are those of the availability engine, cell by cell: in week class
``k`` a pair shares ``|F_e & F_m| + |A_e & A_m|`` half-cells of 7.5 minutes,
where ``F`` are the cells covered by weekly slots and ``A = F | H`` adds the
fortnightly-only cells ``H``; the preferred-window counts use the same formula
on the cells inside both people's preferred windows. The minimum is taken over
the week classes, the means weight each class by its number of weeks, and the
float conversions are the engine's, so the results are equal to
:func:`~revmatch.availability.weekly_overlap` bit for bit (a property test
checks this).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from revmatch.availability import SLOT_MINUTES, AvailabilityGrids, Overlap

__all__ = ["PairOverlap", "popcount_words"]

_CHUNK = 2048  # pairs per step: the gathered words stay in cache
_ROW_CHUNK = 4096  # mentor patterns per step of a whole row
_PATTERN_CHUNK = 4096  # patterns per step of packing the grids
_HALF_CELL = SLOT_MINUTES / 2
_BYTE_BITS = np.array([bin(b).count("1") for b in range(256)], dtype=np.uint8)

Words = NDArray[np.uint64]
IntpArray = NDArray[np.intp]


def popcount_words(words: Words) -> NDArray[np.int32]:
    """Number of set bits of ``words`` summed over the last axis.

    Uses :func:`numpy.bitwise_count` (numpy >= 2.0) and a byte lookup table
    otherwise.
    """
    if hasattr(np, "bitwise_count"):
        return np.asarray(np.bitwise_count(words).sum(axis=-1, dtype=np.int32))
    as_bytes = words.view(np.uint8).reshape(*words.shape[:-1], words.shape[-1] * 8)
    return np.asarray(_BYTE_BITS[as_bytes].sum(axis=-1, dtype=np.int32))


def _counts(block: Words, words: Words) -> NDArray[np.int32]:
    """``popcount_words(block & words)`` for a (patterns, words) block and one row of words.

    Word by word over a transposed copy: long vector operations instead of
    many reductions over a short axis, several times faster.
    """
    if not hasattr(np, "bitwise_count"):
        return popcount_words(block & words)
    # Always a copy: the transpose of a single row is contiguous already, and
    # ANDing in place would change the caller's words.
    columns = np.array(block.T, order="C")
    columns &= words[:, None]
    out = np.zeros(block.shape[0], dtype=np.int32)
    for column in np.bitwise_count(columns):
        out += column
    return out


def _joined(full: Words, cover: Words) -> Words:
    """``[F | A]`` along the word axis, C-contiguous (fast row gathers)."""
    return np.ascontiguousarray(np.concatenate([full, cover], axis=-1))


def _shared(a: Words, b: Words, pa: IntpArray, pb: IntpArray) -> NDArray[np.int32]:
    """Popcount of ``a[pa] & b[pb]`` summed over the word axis."""
    words = a.take(pa, axis=0)
    words &= b.take(pb, axis=0)
    return popcount_words(words)


def _pack(cells: NDArray[np.bool_]) -> Words:
    """Pack boolean cells into little-endian 64-bit words along the last axis."""
    packed = np.packbits(cells, axis=-1, bitorder="little")
    pad = (-packed.shape[-1]) % 8
    if pad:
        packed = np.concatenate(
            [packed, np.zeros((*packed.shape[:-1], pad), dtype=np.uint8)], axis=-1
        )
    return np.ascontiguousarray(packed).view(np.uint64)


def _packed_side(grids: AvailabilityGrids, side: str) -> tuple[Words, Words, Words]:
    """Packed UTC weekly, fortnightly-only and preferred cells of one side, (P, K, words).

    Read a block of patterns and one week class at a time
    (:meth:`AvailabilityGrids.utc_cells`), so the boolean UTC grids of the
    whole side (hundreds of MB for 200,000 people) are never built.
    """
    n_patterns, n_cells = getattr(grids, f"{side}_local_full").shape
    n_classes = int(grids.week_counts.size)
    shape = (n_patterns, n_classes, -(-n_cells // 64))
    out = (np.zeros(shape, np.uint64), np.zeros(shape, np.uint64), np.zeros(shape, np.uint64))
    for lo in range(0, n_patterns, _PATTERN_CHUNK):
        patterns = np.arange(lo, min(n_patterns, lo + _PATTERN_CHUNK), dtype=np.intp)
        for k in range(n_classes):
            for words, cells in zip(out, grids.utc_cells(side, patterns, k), strict=True):
                words[lo : lo + patterns.size, k] = _pack(cells)
    return out


class PairOverlap:
    """Shared weekly minutes of arbitrary (executive, mentor) pairs.

    Parameters
    ----------
    grids : AvailabilityGrids
        The compiled availability of a program.

    Notes
    -----
    Packing costs one pass over the grids, block by block (the UTC cells of
    200,000 people in 26 weeks, a few hundred MB of booleans, become a few
    tens of MB of words, and the boolean grids are never built); a pair then
    costs ``O(K * W)`` word operations for ``K`` week classes and ``W <= 11``
    words (words of cells nobody covers are dropped). Pairs are processed in
    chunks of 2,048, so the gathered words stay in cache.

    Examples
    --------
    >>> from datetime import date
    >>> from revmatch.availability import compile_availability, parse_slot
    >>> grids = compile_availability(
    ...     [("Europe/Berlin", [parse_slot("Mon 15:00-17:00")])],
    ...     [("America/New_York", [parse_slot("Mon 09:00-11:00")])],
    ...     start=date(2027, 3, 1), end=date(2027, 4, 11))
    >>> ov = PairOverlap(grids)(np.array([0]), np.array([0]))
    >>> float(ov.min_minutes[0]), float(ov.mean_minutes[0])
    (60.0, 100.0)
    """

    def __init__(self, grids: AvailabilityGrids) -> None:
        ef, eh, ep = _packed_side(grids, "exec")
        mf, mh, mp = _packed_side(grids, "mentor")
        ea, ma = ef | eh, mf | mh
        # Words nobody on one side covers can never be shared: drop them.
        keep = np.flatnonzero(
            np.bitwise_or.reduce(ea, axis=(0, 1)) & np.bitwise_or.reduce(ma, axis=(0, 1))
        )
        self._exec_pattern = grids.exec_pattern
        self._mentor_pattern = grids.mentor_pattern
        self._week_counts = np.asarray(grids.week_counts, dtype=np.int64)
        self._mean_scale = _HALF_CELL / float(grids.week_counts.sum() or 1)
        self._screen_class = int(np.argmax(self._week_counts))
        # One array per side holding [F | A] along the word axis, so that one
        # AND + popcount yields |F_e & F_m| + |A_e & A_m|.
        self._exec_words = _joined(ef[..., keep], ea[..., keep])
        self._mentor_words = _joined(mf[..., keep], ma[..., keep])
        k = self._screen_class
        self._exec_screen = np.ascontiguousarray(self._exec_words[:, k])
        self._mentor_screen = np.ascontiguousarray(self._mentor_words[:, k])
        self._has_preferred = bool(ep.any() and mp.any())
        if self._has_preferred:
            ep, mp = ep[..., keep], mp[..., keep]
            self._exec_pref = _joined(ep & ef[..., keep], ep & ea[..., keep])
            self._mentor_pref = _joined(mp & mf[..., keep], mp & ma[..., keep])
        #: Fewest minutes each executive / mentor pattern offers in any week
        #: class, and its mean preferred-window minutes: upper bounds of what
        #: it can share with anyone.
        self.exec_pattern_min, self.exec_pattern_preferred = self._own(
            self._exec_words, self._exec_pref if self._has_preferred else None
        )
        self.mentor_pattern_min, self.mentor_pattern_preferred = self._own(
            self._mentor_words, self._mentor_pref if self._has_preferred else None
        )

    def _own(
        self, words: Words, preferred: Words | None
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        # A partner covering every cell weekly shares exactly a pattern's own
        # cells: |F & 1| + |A & 1| = |F| + |A|.
        own = popcount_words(words)
        low = own.min(axis=1).astype(np.float64) * _HALF_CELL
        if preferred is None:
            return low, np.zeros(own.shape[0])
        total = (popcount_words(preferred) @ self._week_counts).astype(np.float64)
        return low, total * self._mean_scale

    def exec_bounds(self, rows: IntpArray) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Upper bounds of ``min_minutes`` and ``preferred_minutes`` of executives ``rows``."""
        pattern = self._exec_pattern[rows]
        return self.exec_pattern_min[pattern], self.exec_pattern_preferred[pattern]

    def mentor_bounds(self, cols: IntpArray) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Upper bounds of ``min_minutes`` and ``preferred_minutes`` of mentors ``cols``."""
        pattern = self._mentor_pattern[cols]
        return self.mentor_pattern_min[pattern], self.mentor_pattern_preferred[pattern]

    def screen(self, rows: IntpArray, cols: IntpArray) -> NDArray[np.float64]:
        """Upper bound of ``min_minutes`` from the week class with the most weeks.

        The minimum over classes is at most the count in any one class, so a
        pair whose count there is below a threshold is below it for certain;
        this costs a fifth to a tenth of :meth:`__call__`.
        """
        n = int(np.size(rows))
        out = np.zeros(n, dtype=np.int64)
        pe_all = self._exec_pattern[np.asarray(rows, dtype=np.intp)]
        pm_all = self._mentor_pattern[np.asarray(cols, dtype=np.intp)]
        for lo in range(0, n, _CHUNK):
            part = slice(lo, min(n, lo + _CHUNK))
            out[part] = _shared(self._exec_screen, self._mentor_screen, pe_all[part], pm_all[part])
        return out.astype(np.float64) * _HALF_CELL

    def min_minutes(self, rows: IntpArray, cols: IntpArray) -> NDArray[np.float64]:
        """``min_minutes`` of the pairs alone (what the ``min_overlap`` rule needs)."""
        n = int(np.size(rows))
        low = np.zeros(n, dtype=np.int64)
        pe_all = self._exec_pattern[np.asarray(rows, dtype=np.intp)]
        pm_all = self._mentor_pattern[np.asarray(cols, dtype=np.intp)]
        for lo in range(0, n, _CHUNK):
            part = slice(lo, min(n, lo + _CHUNK))
            low[part] = _shared(
                self._exec_words, self._mentor_words, pe_all[part], pm_all[part]
            ).min(axis=1)
        return low.astype(np.float64) * _HALF_CELL

    def row(self, row: int, full: bool = True) -> Overlap:
        """Overlap of executive ``row`` with every mentor, equal to :meth:`__call__` on those pairs.

        A whole row needs each mentor *pattern* once and no gather of words:
        the executive's words are ANDed with every pattern's in place. With
        ``full=False`` only ``min_minutes`` is computed (the means are
        zeros), as :meth:`min_minutes` would.
        """
        words = self._exec_words[self._exec_pattern[row]]
        pref = self._exec_pref[self._exec_pattern[row]] if full and self._has_preferred else None
        n_patterns, n_classes = self._mentor_words.shape[:2]
        low = np.zeros(n_patterns, dtype=np.int64)
        total = np.zeros(n_patterns, dtype=np.int64)
        preferred = np.zeros(n_patterns, dtype=np.int64)
        for lo in range(0, n_patterns, _ROW_CHUNK):
            part = slice(lo, min(n_patterns, lo + _ROW_CHUNK))
            counts = popcount_words(self._mentor_words[part] & words)
            if n_classes:
                low[part] = counts.min(axis=1)
            if full:
                total[part] = counts @ self._week_counts
            if pref is not None:
                preferred[part] = popcount_words(self._mentor_pref[part] & pref) @ self._week_counts
        of = self._mentor_pattern
        return Overlap(
            min_minutes=low[of].astype(np.float64) * _HALF_CELL,
            mean_minutes=total[of].astype(np.float64) * self._mean_scale,
            preferred_minutes=preferred[of].astype(np.float64) * self._mean_scale,
        )

    def row_short(self, row: int, minutes: float) -> NDArray[np.bool_]:
        """Whether executive ``row`` shares fewer than ``minutes`` with each mentor.

        Equal to ``self.row(row, full=False).min_minutes < minutes``, and
        cheaper: the week class with the most weeks (:meth:`screen`) settles
        most mentor patterns, and only the others are counted in every class.
        """
        pattern = self._exec_pattern[row]
        n_patterns = self._mentor_words.shape[0]
        if self._exec_words.shape[1] == 0 or self.exec_pattern_min[pattern] < minutes:
            return np.full(self._mentor_pattern.size, minutes > 0)
        short = np.zeros(n_patterns, dtype=bool)
        words, screen = self._exec_words[pattern], self._exec_screen[pattern]
        for lo in range(0, n_patterns, _ROW_CHUNK):
            part = slice(lo, min(n_patterns, lo + _ROW_CHUNK))
            short[part] = _counts(self._mentor_screen[part], screen) * _HALF_CELL < minutes
            rest = lo + np.flatnonzero(~short[part])
            gathered = self._mentor_words[rest]
            low = np.min(
                [_counts(gathered[:, k], words[k]) for k in range(words.shape[0])], axis=0
            )
            short[rest] = low * _HALF_CELL < minutes
        return short[self._mentor_pattern]

    def __call__(self, rows: IntpArray, cols: IntpArray) -> Overlap:
        """Overlap of the pairs ``(rows[p], cols[p])`` as 1-D arrays.

        Parameters
        ----------
        rows, cols : 1-D integer arrays of equal length
            Executive and mentor indices.

        Returns
        -------
        Overlap
            ``min_minutes``, ``mean_minutes`` and ``preferred_minutes`` per pair.
        """
        n = int(np.size(rows))
        low = np.zeros(n, dtype=np.int64)
        total = np.zeros(n, dtype=np.int64)
        preferred = np.zeros(n, dtype=np.int64)
        pe_all = self._exec_pattern[np.asarray(rows, dtype=np.intp)]
        pm_all = self._mentor_pattern[np.asarray(cols, dtype=np.intp)]
        for lo in range(0, n, _CHUNK):
            part = slice(lo, min(n, lo + _CHUNK))
            pe, pm = pe_all[part], pm_all[part]
            counts = _shared(self._exec_words, self._mentor_words, pe, pm)
            if counts.shape[1]:
                low[part] = counts.min(axis=1)
            total[part] = counts @ self._week_counts
            if self._has_preferred:
                shared = _shared(self._exec_pref, self._mentor_pref, pe, pm)
                preferred[part] = shared @ self._week_counts
        return Overlap(
            min_minutes=low.astype(np.float64) * _HALF_CELL,
            mean_minutes=total.astype(np.float64) * self._mean_scale,
            preferred_minutes=preferred.astype(np.float64) * self._mean_scale,
        )
