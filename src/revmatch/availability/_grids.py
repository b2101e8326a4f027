"""Compiled availability: one UTC grid per person pattern and week class.

:func:`compile_availability` reads everyone's ``(zone, slots)``, finds the
program's week classes and zone groups, deduplicates people into patterns
and stores their UTC grids in a frozen :class:`AvailabilityGrids`, from
which :mod:`revmatch.availability._overlap` counts shared time.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from revmatch.exceptions import InvalidInputError, Problem

from ._masks import (
    DEFAULT_PREFERRED_WINDOW,
    BoolArray,
    Person,
    SlotKey,
    check_window,
    local_masks,
    read_people,
    to_utc,
    window_mask,
)
from ._slots import SLOTS_PER_WEEK
from ._weeks import (
    IntArray,
    OffGridZoneError,
    program_weeks,
    utc_offsets,
    week_classes,
    zone_groups,
)


@dataclass(frozen=True, eq=False, repr=False)
class AvailabilityGrids:
    """UTC availability grids of a program, one per distinct person pattern.

    People with the same time zone and the same covered cells share a
    *pattern*; weeks in which every zone of the program has the same offsets
    share a *week class*.  Grids are indexed ``[pattern, class, utc_cell]``,
    where ``utc_cell`` counts 15-minute cells from Monday 00:00 UTC of the
    week (cyclic, see the module notes).

    Attributes
    ----------
    weeks : tuple of datetime.date
        Program weeks (their Mondays).
    week_class : (W,) ndarray of intp
        Class of each week; numbered in order of first appearance.
    week_counts : (K,) ndarray of intp
        Number of weeks in each class.
    exec_pattern, mentor_pattern : (n,) ndarray of intp
        Pattern of each executive / mentor, in input order.
    exec_full, mentor_full : (P, K, 672) ndarray of bool
        UTC cells covered by weekly slots.
    exec_half, mentor_half : (P, K, 672) ndarray of bool
        UTC cells covered only by fortnightly slots.
    exec_preferred, mentor_preferred : (P, K, 672) ndarray of bool
        Covered cells (weekly or fortnightly) inside the person's local
        preferred window.
    zones : tuple of str
        Time zones of the program, in order of first appearance.
    exec_pattern_zone, mentor_pattern_zone : (P,) ndarray of intp
        Index into ``zones`` of each pattern.
    zone_group : (Z,) ndarray of intp
        Zones with the same UTC offsets throughout the program share a group.
    group_class : (G, K) ndarray of intp
        For each group, classes with equal number have the same offsets in
        that group's zones (so its people's grids are equal in them).
    group_shift : (G, K) ndarray of intp
        The group's UTC offset in cells where it is constant through the
        week of that class (the grids are then a rotation of the local week),
        else ``-2**20``.
    preferred_window : tuple of int or None
        The local preferred window (minutes of the day) the grids were built with.
    exec_local_full, mentor_local_full : (P, 672) ndarray of bool
        Local cells (from Monday 00:00 on the person's wall clock) covered by
        weekly slots, per pattern: the grids of a class in which the
        pattern's zone keeps one offset are these rotated by that offset.
    exec_local_half, mentor_local_half : (P, 672) ndarray of bool
        Local cells covered only by fortnightly slots.
    window : (672,) ndarray of bool
        Local cells inside the preferred window (none without a window).
    group_offsets : (G, K, 672) ndarray of int16
        Each group's UTC offset in cells at every UTC cell of each class's
        week: UTC cell ``u`` shows local cell ``u + group_offsets[g, k, u]``.
    zone_offsets : (Z, K, 672) ndarray of int16
        The same for each zone.

    Notes
    -----
    The UTC grids (``exec_full`` ... ``mentor_preferred``) are made from the
    local cells on first access and kept; scoring reads local weeks at a
    shift and asks :meth:`utc_cells` for the few UTC weeks it needs.
    """

    weeks: tuple[date, ...]
    week_class: IntArray
    week_counts: IntArray
    exec_pattern: IntArray
    mentor_pattern: IntArray
    zones: tuple[str, ...]
    exec_pattern_zone: IntArray
    mentor_pattern_zone: IntArray
    zone_group: IntArray
    group_class: IntArray
    group_shift: IntArray
    preferred_window: tuple[int, int] | None
    exec_local_full: BoolArray
    exec_local_half: BoolArray
    mentor_local_full: BoolArray
    mentor_local_half: BoolArray
    window: BoolArray
    group_offsets: npt.NDArray[np.int16]
    zone_offsets: npt.NDArray[np.int16]

    def __repr__(self) -> str:
        return (
            f"AvailabilityGrids({self.n_executives} executives in "
            f"{self.exec_local_full.shape[0]} patterns, {self.n_mentors} mentors in "
            f"{self.mentor_local_full.shape[0]} patterns, {self.n_weeks} weeks in "
            f"{self.week_counts.size} classes, {len(self.zones)} zones)"
        )

    def _utc(self, local: BoolArray, zone_of: IntArray) -> BoolArray:
        grid = to_utc(local, zone_of, self.zone_offsets)
        grid.flags.writeable = False
        return grid

    @functools.cached_property
    def exec_full(self) -> BoolArray:
        """(P, K, 672) UTC cells covered by weekly slots."""
        return self._utc(self.exec_local_full, self.exec_pattern_zone)

    @functools.cached_property
    def exec_half(self) -> BoolArray:
        """(P, K, 672) UTC cells covered only by fortnightly slots."""
        return self._utc(self.exec_local_half, self.exec_pattern_zone)

    @functools.cached_property
    def exec_preferred(self) -> BoolArray:
        """(P, K, 672) covered UTC cells inside the local preferred window."""
        local = (self.exec_local_full | self.exec_local_half) & self.window
        return self._utc(local, self.exec_pattern_zone)

    @functools.cached_property
    def mentor_full(self) -> BoolArray:
        """(P, K, 672) UTC cells covered by weekly slots."""
        return self._utc(self.mentor_local_full, self.mentor_pattern_zone)

    @functools.cached_property
    def mentor_half(self) -> BoolArray:
        """(P, K, 672) UTC cells covered only by fortnightly slots."""
        return self._utc(self.mentor_local_half, self.mentor_pattern_zone)

    @functools.cached_property
    def mentor_preferred(self) -> BoolArray:
        """(P, K, 672) covered UTC cells inside the local preferred window."""
        local = (self.mentor_local_full | self.mentor_local_half) & self.window
        return self._utc(local, self.mentor_pattern_zone)

    def utc_cells(
        self, side: str, patterns: IntArray, week: int
    ) -> tuple[BoolArray, BoolArray, BoolArray]:
        """UTC weekly, fortnightly-only and preferred cells of some patterns in one class.

        ``side`` is ``"exec"`` or ``"mentor"``; each array is ``(len(patterns), 672)``,
        equal to ``exec_full[patterns, week]`` (...), computed for these
        patterns alone unless the grids were made already.
        """
        if f"{side}_full" in self.__dict__:
            grids = (getattr(self, f"{side}_{kind}") for kind in ("full", "half", "preferred"))
            full, half, preferred = (grid[patterns, week] for grid in grids)
            return full, half, preferred
        full = getattr(self, f"{side}_local_full")[patterns]
        half = getattr(self, f"{side}_local_half")[patterns]
        zone_of = getattr(self, f"{side}_pattern_zone")[patterns]
        out_full, out_half = np.empty_like(full), np.empty_like(half)
        preferred = np.empty_like(full)
        # One copy of column ranges per run of patterns of one zone (patterns
        # are numbered zone by zone): UTC cell u shows local cell u + offset(u).
        cuts = (np.flatnonzero(zone_of[1:] != zone_of[:-1]) + 1).tolist()
        for lo, hi in itertools.pairwise([0, *cuts, zone_of.size]):
            for utc, local in _pieces(self.zone_offsets[zone_of[lo], week]):
                out_full[lo:hi, utc] = full[lo:hi, local]
                out_half[lo:hi, utc] = half[lo:hi, local]
                preferred[lo:hi, utc] = self.window[local]
        np.bitwise_and(out_full | out_half, preferred, out=preferred)
        return out_full, out_half, preferred

    @property
    def n_executives(self) -> int:
        """Number of executives."""
        return int(self.exec_pattern.size)

    @property
    def n_mentors(self) -> int:
        """Number of mentors."""
        return int(self.mentor_pattern.size)

    @property
    def n_weeks(self) -> int:
        """Number of program weeks."""
        return len(self.weeks)


def _pieces(offsets: npt.NDArray[np.int16]) -> list[tuple[slice, slice]]:
    """Ranges of UTC cells and the local cells they show, for one zone's offsets in a week.

    UTC cell ``u`` shows local cell ``u + offsets[u]`` (cyclic); the offset
    changes at most a few times a week, so a few ranges copy a whole grid.
    """
    out = []
    cuts = (np.flatnonzero(offsets[1:] != offsets[:-1]) + 1).tolist()
    for lo, hi in itertools.pairwise([0, *cuts, SLOTS_PER_WEEK]):
        first = (lo + int(offsets[lo])) % SLOTS_PER_WEEK
        wrap = min(hi - lo, SLOTS_PER_WEEK - first)  # cells before the local week wraps
        out.append((slice(lo, lo + wrap), slice(first, first + wrap)))
        if wrap < hi - lo:
            out.append((slice(lo + wrap, hi), slice(0, hi - lo - wrap)))
    return out


def _compile_side(
    people: list[tuple[str, SlotKey]], zone_index: dict[str, int]
) -> tuple[IntArray, IntArray, BoolArray, BoolArray]:
    """Dedupe one side by (zone, covered cells).

    Patterns are numbered by zone, then by first appearance. Returns each
    person's pattern, each pattern's zone and its local weekly and
    fortnightly-only cells.
    """
    raw_ids: dict[tuple[str, SlotKey], int] = {}
    person_raw = np.fromiter(
        (raw_ids.setdefault(person, len(raw_ids)) for person in people),
        dtype=np.intp,
        count=len(people),
    )
    raw_keys = list(raw_ids)
    full, half = local_masks([key for _, key in raw_keys])
    raw_zone = np.fromiter(
        (zone_index[zone] for zone, _ in raw_keys), dtype=np.intp, count=len(raw_keys)
    )
    # Different slot lists can cover the same cells ("10-11, 11-12" and "10-12"):
    # patterns are the distinct rows of (zone, packed cells), numbered by first appearance.
    code = np.concatenate(
        [
            raw_zone.astype("<i8").view(np.uint8).reshape(-1, 8),
            np.packbits(full, axis=1),
            np.packbits(half, axis=1),
        ],
        axis=1,
    )
    code = np.ascontiguousarray(code).view(np.dtype((np.void, code.shape[1]))).ravel()
    _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    rank = np.empty(first.size, dtype=np.intp)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    raw_pattern = rank[inverse.reshape(-1)]
    _, first_raw = np.unique(raw_pattern, return_index=True)
    # Grouping a zone's patterns lets to_utc work on contiguous blocks.
    by_zone = first_raw[np.argsort(raw_zone[first_raw], kind="stable")]
    rank = np.empty(by_zone.size, dtype=np.intp)
    rank[raw_pattern[by_zone]] = np.arange(by_zone.size)
    return (
        rank[raw_pattern[person_raw]] if people else np.zeros(0, dtype=np.intp),
        raw_zone[by_zone],
        full[by_zone],
        half[by_zone],
    )


def compile_availability(
    executives: Sequence[Person],
    mentors: Sequence[Person],
    *,
    start: date | None = None,
    end: date | None = None,
    preferred_window: tuple[int, int] | None = DEFAULT_PREFERRED_WINDOW,
) -> AvailabilityGrids:
    """Compile everyone's weekly slots into per-week-class UTC grids.

    Parameters
    ----------
    executives, mentors : sequence of (str, sequence of Slot)
        Each person as ``(iana_zone, slots)``; slots may also be given as text
        (``"Mon 12:00-14:00"``) or mappings, as :func:`parse_slot` reads them.
        Overlapping slots of one person are united; where a weekly and a
        fortnightly slot cover the same cell, the weekly one wins.
    start, end : datetime.date, optional
        Program dates, see :func:`program_weeks`.
    preferred_window : (int, int) or None
        Local minutes ``(start, end)`` of the preferred meeting time, applied
        on every day; ``None`` leaves the preferred grids empty.

    Returns
    -------
    AvailabilityGrids

    Raises
    ------
    InvalidInputError
        Listing every person whose zone or slots cannot be read, a zone whose
        UTC offset is not a multiple of 15 minutes during the program, bad
        program dates or a bad preferred window.

    Notes
    -----
    zoneinfo is consulted about twice per UTC day per distinct zone (cached
    across calls); only days holding a clock change are resolved cell by
    cell.  People are deduplicated by zone and covered cells, and each
    pattern's grid in a class is its local mask rotated by the zone's offset
    (a gather through the per-cell offsets in the weeks holding a change),
    made on first access.  Cost is ``O(Z * days + P * 672)`` for ``Z`` zones
    and ``P`` patterns, and ``O(P * K * 672)`` for ``K`` week classes when
    the UTC grids are first read; their memory is then ``3 * P * K * 672``
    bytes per side.

    Examples
    --------
    >>> from revmatch.availability import parse_slot
    >>> grids = compile_availability(
    ...     [("Europe/Berlin", [parse_slot("Mon 15:00-17:00")])],
    ...     [("America/New_York", [parse_slot("Mon 09:00-11:00")])],
    ...     start=date(2027, 3, 1), end=date(2027, 4, 11))
    >>> grids.week_class.tolist()  # the weeks holding the US and the EU change differ
    [0, 1, 2, 3, 4, 4]
    """
    weeks = program_weeks(start, end)
    window = check_window(preferred_window)
    problems: list[Problem] = []
    exec_people = read_people(executives, "executives", problems)
    mentor_people = read_people(mentors, "mentors", problems)
    if problems:
        raise InvalidInputError(problems)

    zones = tuple(dict.fromkeys(zone for zone, _ in [*exec_people, *mentor_people]))
    zone_index = {zone: z for z, zone in enumerate(zones)}
    offsets = np.empty((len(zones), len(weeks), SLOTS_PER_WEEK), dtype=np.int16)
    for z, zone in enumerate(zones):
        try:
            offsets[z] = utc_offsets(zone, weeks[0], len(weeks))
        except OffGridZoneError as exc:
            holders = [
                f"{role}[{i}]"
                for role, side in (("executives", executives), ("mentors", mentors))
                for i, person in enumerate(side)
                if person[0] == zone
            ]
            raise InvalidInputError(
                Problem(
                    str(exc),
                    record=holders[0],
                    field="timezone",
                    expected="a zone whose UTC offset is a multiple of 15 minutes "
                    "during the program",
                )
            ) from None
    week_class, week_counts, representative = week_classes(offsets)
    class_offsets = offsets[:, representative, :]
    zone_group, group_class, group_shift = zone_groups(class_offsets)
    first_zone = np.unique(zone_group, return_index=True)[1]
    group_offsets = np.ascontiguousarray(class_offsets[first_zone])
    mask = window_mask(window)
    e_pat, e_zone, e_local_full, e_local_half = _compile_side(exec_people, zone_index)
    m_pat, m_zone, m_local_full, m_local_half = _compile_side(mentor_people, zone_index)
    class_offsets = np.ascontiguousarray(class_offsets)
    arrays = (week_class, week_counts, e_pat, m_pat, e_zone, m_zone, zone_group, group_class,
              group_shift, e_local_full, e_local_half, m_local_full, m_local_half, mask,
              group_offsets, class_offsets)  # fmt: skip
    for array in arrays:
        array.flags.writeable = False  # the grids are frozen; share them freely
    return AvailabilityGrids(
        weeks=weeks,
        week_class=week_class,
        week_counts=week_counts,
        exec_pattern=e_pat,
        mentor_pattern=m_pat,
        zones=zones,
        exec_pattern_zone=e_zone,
        mentor_pattern_zone=m_zone,
        zone_group=zone_group,
        group_class=group_class,
        group_shift=group_shift,
        preferred_window=window,
        exec_local_full=e_local_full,
        exec_local_half=e_local_half,
        mentor_local_full=m_local_full,
        mentor_local_half=m_local_half,
        window=mask,
        group_offsets=group_offsets,
        zone_offsets=class_offsets,
    )
