"""Compile a :class:`~revmatch.models.Program` into numpy arrays, once.

This is the single place where people become arrays. Everything downstream
(scoring, constraints, solvers) sees only :class:`ProgramArrays`, which holds
arrays and plain values (ids, zones, vocabularies) and no pydantic object:
what only people-facing output needs (names, e-mails, availability slots)
stays in the :class:`~revmatch.models.Program`, which the pipeline keeps
beside the arrays.

People are ordered by id (plain string order), so the arrays, and therefore
every result, do not depend on the order of the input records.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from .._arrays import sorted_unique
from ..availability import AvailabilityGrids, compile_availability
from ..models import Executive, MatchConfig, Mentor, Program
from .lines import ReportingLines

__all__ = ["MODES", "PairSet", "ProgramArrays", "compile_program"]

MODES: tuple[str, ...] = ("hybrid", "onsite", "remote")
"""Meeting modes by code; an unknown mode counts as ``hybrid`` (code 0)."""


@dataclass(frozen=True)
class PairSet:
    """A set of (executive, mentor) index pairs, stored as sorted flat keys.

    Parameters
    ----------
    keys : ndarray of int64
        Sorted unique ``row * n_cols + col`` keys.
    n_cols : int
        Number of mentors (columns).
    """

    keys: NDArray[np.int64]
    n_cols: int

    @classmethod
    def from_pairs(cls, rows: Iterable[int], cols: Iterable[int], n_cols: int) -> PairSet:
        """Build a set from parallel row and column indices."""
        r = np.fromiter(rows, dtype=np.int64)
        c = np.fromiter(cols, dtype=np.int64)
        return cls(sorted_unique(r * max(n_cols, 1) + c), n_cols)

    def __len__(self) -> int:
        return int(self.keys.size)

    def block(self, rows: slice) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """Return the (row offset within the block, col) pairs that fall in ``rows``."""
        width = max(self.n_cols, 1)
        lo = np.searchsorted(self.keys, rows.start * width)
        hi = np.searchsorted(self.keys, rows.stop * width)
        found = self.keys[lo:hi]
        return (found // width - rows.start).astype(np.intp), (found % width).astype(np.intp)

    def mask(self, rows: slice) -> NDArray[np.bool_]:
        """Return a dense boolean mask of the pairs in ``rows`` (block × all columns)."""
        out = np.zeros((rows.stop - rows.start, self.n_cols), dtype=bool)
        r, c = self.block(rows)
        out[r, c] = True
        return out

    def contains(self, rows: NDArray[np.intp], cols: NDArray[np.intp]) -> NDArray[np.bool_]:
        """Vectorised membership test for parallel index arrays."""
        if self.keys.size == 0:
            return np.zeros(np.shape(rows), dtype=bool)
        keys = np.asarray(rows, dtype=np.int64) * max(self.n_cols, 1) + np.asarray(cols)
        pos = np.clip(np.searchsorted(self.keys, keys), 0, self.keys.size - 1)
        return np.asarray(self.keys[pos] == keys)


@dataclass(frozen=True)
class ProgramArrays:
    """Everything scoring and constraints need, as arrays ordered by id.

    Rows are executives and columns mentors, both sorted by id. Categorical
    fields are integer codes with ``-1`` for unknown.
    """

    exec_ids: tuple[str, ...]
    mentor_ids: tuple[str, ...]
    topics: tuple[str, ...]
    interests: NDArray[np.float64]
    expertise: NDArray[np.float64]
    capacities: NDArray[np.int64]
    availability: AvailabilityGrids
    exec_zones: tuple[str, ...]
    mentor_zones: tuple[str, ...]
    languages: tuple[str, ...]
    exec_languages: NDArray[np.bool_]
    mentor_languages: NDArray[np.bool_]
    exec_first_language: NDArray[np.intp]
    locations: tuple[str, ...]
    exec_location: NDArray[np.intp]
    mentor_location: NDArray[np.intp]
    exec_mode: NDArray[np.int8]
    mentor_mode: NDArray[np.int8]
    departments: tuple[str, ...]
    exec_department: NDArray[np.intp]
    mentor_department: NDArray[np.intp]
    exec_grade: NDArray[np.float64]
    mentor_grade: NDArray[np.float64]
    chain: PairSet
    skip_level: PairSet
    blocked: PairSet
    preferred: PairSet
    history: PairSet
    pinned: PairSet
    priority: NDArray[np.intp]
    exec_index: dict[str, int] = field(repr=False)
    mentor_index: dict[str, int] = field(repr=False)
    lines: ReportingLines = field(repr=False)
    exec_labels: tuple[tuple[str, ...], ...] = field(default=(), repr=False)
    mentor_labels: tuple[tuple[str, ...], ...] = field(default=(), repr=False)

    @property
    def shape(self) -> tuple[int, int]:
        """(number of executives, number of mentors)."""
        return len(self.exec_ids), len(self.mentor_ids)


def _codes(values: Sequence[str | None]) -> tuple[tuple[str, ...], NDArray[np.intp]]:
    vocabulary = tuple(sorted({v for v in values if v is not None}))
    lookup = {v: i for i, v in enumerate(vocabulary)}
    codes = np.array([lookup[v] if v is not None else -1 for v in values], dtype=np.intp)
    return vocabulary, codes


def _levels(levels: Sequence[dict[str, int]], topics: Sequence[str]) -> NDArray[np.float64]:
    out = np.zeros((len(levels), len(topics)), dtype=np.float64)
    column = {t: j for j, t in enumerate(topics)}
    for i, person in enumerate(levels):
        for topic, level in person.items():
            out[i, column[topic]] = level
    return out


def _language_matrix(
    people: Sequence[Executive | Mentor], vocabulary: Sequence[str]
) -> NDArray[np.bool_]:
    column = {lang: j for j, lang in enumerate(vocabulary)}
    out = np.zeros((len(people), len(vocabulary)), dtype=bool)
    for i, person in enumerate(people):
        for lang in person.languages:
            out[i, column[lang]] = True
    return out


def _pairs_by_id(
    pairs: Iterable[tuple[str, str]],
    exec_index: dict[str, int],
    mentor_index: dict[str, int],
) -> PairSet:
    rows, cols = [], []
    for executive_id, mentor_id in pairs:
        if executive_id in exec_index and mentor_id in mentor_index:
            rows.append(exec_index[executive_id])
            cols.append(mentor_index[mentor_id])
    return PairSet.from_pairs(rows, cols, len(mentor_index))


def compile_program(program: Program, config: MatchConfig | None = None) -> ProgramArrays:
    """Turn a validated program into :class:`ProgramArrays`.

    Parameters
    ----------
    program : Program
        The validated program.
    config : MatchConfig, optional
        Only ``preferred_window`` is read here (it shapes the availability
        grids); defaults to ``MatchConfig()``.

    Returns
    -------
    ProgramArrays
        Executives and mentors in id order with every field as an array.
    """
    config = config or MatchConfig()
    executives = tuple(sorted(program.executives, key=lambda p: p.id))
    mentors = tuple(sorted(program.mentors, key=lambda p: p.id))
    exec_index = {p.id: i for i, p in enumerate(executives)}
    mentor_index = {p.id: i for i, p in enumerate(mentors)}
    topics = program.topics

    exec_zones = tuple(program.timezone_of(p) for p in executives)
    mentor_zones = tuple(program.timezone_of(p) for p in mentors)
    grids = compile_availability(
        [(z, p.availability) for z, p in zip(exec_zones, executives, strict=True)],
        [(z, p.availability) for z, p in zip(mentor_zones, mentors, strict=True)],
        start=program.start,
        end=program.end,
        preferred_window=config.preferred_window_minutes,
    )

    languages = tuple(sorted({lang for p in program.people() for lang in p.languages}))
    lang_column = {lang: j for j, lang in enumerate(languages)}
    first = np.array(
        [lang_column[p.languages[0]] if p.languages else -1 for p in executives], dtype=np.intp
    )

    locations, location_codes = _codes(
        [p.location for p in executives] + [p.location for p in mentors]
    )
    departments, department_codes = _codes(
        [p.department for p in executives] + [p.department for p in mentors]
    )
    ne = len(executives)
    mode_code: dict[str | None, int] = {None: 0, **{m: i for i, m in enumerate(MODES)}}

    def grades(people: Sequence[Executive | Mentor]) -> NDArray[np.float64]:
        return np.array(
            [np.nan if p.grade is None else float(p.grade) for p in people], dtype=np.float64
        )

    blocked = [(e.id, m) for e in executives for m in e.blocked] + [
        (e, m.id) for m in mentors for e in m.blocked
    ]
    preferred = [(e.id, m) for e in executives for m in e.preferred] + [
        (e, m.id) for m in mentors for e in m.preferred
    ]
    history = [(h.executive_id, h.mentor_id) for h in program.history]
    pinned = [(p.executive_id, p.mentor_id) for p in program.pinned]
    # Reporting lines, solid and dotted: the chain (the executive above the
    # mentor along any lines) and the skip level (the mentor reports to a
    # peer of the executive), as pair sets computed once.
    lines = ReportingLines.of(program)
    exec_order, mentor_order = tuple(exec_index), tuple(mentor_index)

    return ProgramArrays(
        exec_ids=tuple(exec_index),
        mentor_ids=tuple(mentor_index),
        topics=topics,
        interests=_levels([e.interests for e in executives], topics),
        expertise=_levels([m.expertise for m in mentors], topics),
        capacities=np.array([m.capacity for m in mentors], dtype=np.int64),
        availability=grids,
        exec_zones=exec_zones,
        mentor_zones=mentor_zones,
        languages=languages,
        exec_languages=_language_matrix(executives, languages),
        mentor_languages=_language_matrix(mentors, languages),
        exec_first_language=first,
        locations=locations,
        exec_location=location_codes[:ne],
        mentor_location=location_codes[ne:],
        exec_mode=np.array([mode_code[p.mode] for p in executives], dtype=np.int8),
        mentor_mode=np.array([mode_code[p.mode] for p in mentors], dtype=np.int8),
        departments=departments,
        exec_department=department_codes[:ne],
        mentor_department=department_codes[ne:],
        exec_grade=grades(executives),
        mentor_grade=grades(mentors),
        chain=PairSet.from_pairs(*lines.chain_pairs(exec_order, mentor_order), len(mentors)),
        skip_level=PairSet.from_pairs(
            *lines.skip_level_pairs(exec_order, mentor_order), len(mentors)
        ),
        blocked=_pairs_by_id(blocked, exec_index, mentor_index),
        preferred=_pairs_by_id(preferred, exec_index, mentor_index),
        history=_pairs_by_id(history, exec_index, mentor_index),
        pinned=_pairs_by_id(pinned, exec_index, mentor_index),
        priority=np.unique(
            np.array([exec_index[p] for p in program.priority if p in exec_index], dtype=np.intp)
        ),
        exec_index=exec_index,
        mentor_index=mentor_index,
        lines=lines,
        exec_labels=tuple(p.groups for p in executives),
        mentor_labels=tuple(p.groups for p in mentors),
    )
