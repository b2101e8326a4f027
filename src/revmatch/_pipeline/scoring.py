"""Score every executive–mentor pair, component by component.

The total score of a pair is the weighted mean of named components, each in
0..1 (weights from :class:`~revmatch.models.MatchConfig`):

===============  =============================================================
``topic``        Σ_t w_t·interest_t·expertise_t / (5·Σ_t w_t·interest_t): the
                 share of the executive's wishes the mentor can serve, with
                 per-topic weights ``w_t`` (default 1). *Absent* when the
                 executive wishes nothing (no interests, or only topics of
                 topic weight 0); a mentor without expertise is a real 0.
``availability`` min(minimum weekly shared minutes / session_minutes, 1)
``window``       min(mean weekly shared minutes inside both people's preferred
                 local window / session_minutes, 1)
``language``     1 if the mentor speaks the executive's first-listed language.
                 *Absent* when either person lists no languages.
``place``        1 if both work at the same location and neither is
                 remote-only (they can meet in person). *Absent* when either
                 has no location (a remote-only person with a location is a
                 real 0).
``department``   1 if the departments differ. *Absent* when either has none.
``seniority``    clip((executive grade − mentor grade) / seniority_span, 0, 1).
                 *Absent* when either has no grade.
``preferences``  1 if either person lists the other in ``preferred``
``custom:NAME``  a function you pass to :func:`score` (see :data:`ComponentFn`)
===============  =============================================================

Missing data is neutral: a component that is *absent* for a pair counts 0 in
its component values but is left out of that pair's weighted mean, whose
weights are renormalised over the components present (``availability``,
``window``, ``preferences`` and custom components are never absent). With
``MatchConfig(missing="zero")`` an absent component counts as a real 0
instead. A pair whose every weighted component is absent scores 0.
Numerically, the total is computed as if nothing were absent (absent
components are 0, so the sum is the sum over present ones) and then, for
pairs with an absent component only, multiplied by W / W_present
(:func:`present_factor`), so pairs with complete data score exactly as
without the rule.

Worked example of ``topic``: an executive wishes ``social_media`` 5 and
``digital`` 3; a mentor knows ``social_media`` 4 and ``digital`` 5. With equal
topic weights the topic score is (5·4 + 3·5) / (5·(5 + 3)) = 35 / 40 = 0.875.
With ``topic_weights={"social_media": 2}`` it is (2·5·4 + 3·5) / (5·(2·5 + 3))
= 55 / 65 ≈ 0.846: the mentor's gap on the favoured topic now counts double.

Scores are rounded to ``config.score_decimals`` (default 6) so that equal
scores compare equal exactly; people are ordered by id, so ties are broken by
id and never by input order. Scoring works in blocks of executive rows, so
peak memory stays near the size of the total score matrix itself.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..availability import (
    Overlap,
    PatternCounter,
    PatternCounts,
    block_overlaps,
    weekly_overlap,
)
from ..exceptions import InvalidInputError
from ..models import COMPONENTS, MatchConfig, Program
from .compile import MODES, ProgramArrays, compile_program
from .prepare import as_config, as_program
from .rules import reason_block

__all__ = [
    "MAY_BE_ABSENT",
    "ComponentFn",
    "PairDetails",
    "ScoreMatrix",
    "SharedMinima",
    "absent_pairs",
    "lost_weight",
    "missing_inputs",
    "pair_contributions",
    "present_factor",
    "renormalise",
    "score",
    "score_arrays",
]

ComponentFn = Callable[[ProgramArrays, slice], ArrayLike]
"""A custom component: ``fn(arrays, rows) -> array`` of shape
``(rows.stop - rows.start, n_mentors)`` with values in 0..1, for the
executives ``arrays.exec_ids[rows]`` against every mentor."""

#: Most (executive, mentor) elements scored at once.
_BLOCK_ELEMENTS = 1 << 19
#: Smallest block worth its per-block overhead.
_MIN_BLOCK_ELEMENTS = 1 << 16
#: Blocks are about this fraction of the matrix (within the bounds above).
_BLOCKS = 16
_REMOTE = MODES.index("remote")


def block_rows(n_rows: int, n_cols: int) -> Iterator[slice]:
    """Row blocks of about a sixteenth of the matrix, within the block bounds.

    Temporaries are a few times one block, so a sixteenth keeps them to a
    fraction of the output at every size (next to the output and the
    pattern tables of :func:`score_arrays`), and the bounds keep each block
    large enough to amortise its Python overhead and small enough for the
    cache-friendly sizes measured in ``benchmarks/bench_scoring.py``.
    """
    most = _BLOCK_ELEMENTS
    elements = min(most, max(n_rows * n_cols // _BLOCKS, min(_MIN_BLOCK_ELEMENTS, most)))
    step = max(1, elements // max(n_cols, 1))
    for start in range(0, n_rows, step):
        yield slice(start, min(n_rows, start + step))


def active_weights(config: MatchConfig, custom: Mapping[str, ComponentFn]) -> dict[str, float]:
    """Return the positive weights, after checking custom components exist.

    Raises
    ------
    InvalidInputError
        If a weight names a custom component that was not passed.
    """
    weights = {name: w for name, w in config.weights.items() if w > 0}
    for name in weights:
        if name.startswith("custom:") and name.removeprefix("custom:") not in custom:
            raise InvalidInputError(
                f"config weights name {name!r} but no custom component "
                f"{name.removeprefix('custom:')!r} was passed; passed: "
                + (", ".join(sorted(custom)) or "none")
            )
    return weights


def _topic_weights(arrays: ProgramArrays, config: MatchConfig) -> NDArray[np.float64]:
    return np.array([config.topic_weights.get(t, 1.0) for t in arrays.topics], dtype=np.float64)


MAY_BE_ABSENT: tuple[str, ...] = ("topic", "language", "place", "department", "seniority")
"""Components whose inputs may be missing for a pair (see the module table)."""

#: Which executives and which mentors lack a component's inputs.
Missing = dict[str, tuple[NDArray[np.bool_], NDArray[np.bool_]]]


def missing_inputs(
    arrays: ProgramArrays, config: MatchConfig, weights: Mapping[str, float]
) -> Missing:
    """Per weighted component that may be absent: who lacks its inputs, on each side.

    A component is absent for a pair when its executive or its mentor lacks
    its inputs. Components that nobody lacks are left out, and so is
    everything with ``config.missing == "zero"``: an empty result means no
    pair has an absent component.
    """
    if config.missing == "zero":
        return {}
    n_mentor = arrays.shape[1]
    sides: dict[str, tuple[ArrayLike, ArrayLike]] = {
        "topic": (
            (arrays.interests * _topic_weights(arrays, config)).sum(axis=1) == 0,
            np.zeros(n_mentor, dtype=bool),
        ),
        "language": (
            ~arrays.exec_languages.any(axis=1),
            ~arrays.mentor_languages.any(axis=1),
        ),
        "place": (arrays.exec_location < 0, arrays.mentor_location < 0),
        "department": (arrays.exec_department < 0, arrays.mentor_department < 0),
        "seniority": (np.isnan(arrays.exec_grade), np.isnan(arrays.mentor_grade)),
    }
    return {
        name: (np.asarray(e, dtype=bool), np.asarray(m, dtype=bool))
        for name, (e, m) in sides.items()
        if name in weights and (np.any(e) or np.any(m))
    }


def absent_pairs(
    missing: Missing, ri: NDArray[np.intp], ci: NDArray[np.intp]
) -> dict[str, NDArray[np.bool_]]:
    """Which components are absent for the pairs ``(ri, ci)`` (broadcast against each other)."""
    return {name: np.asarray(e[ri] | m[ci]) for name, (e, m) in missing.items()}


def lost_weight(
    weights: Mapping[str, float], absent: Mapping[str, NDArray[np.bool_]]
) -> tuple[float, NDArray[np.float64]]:
    """W, the sum of the weights, and per pair the weight of its absent components.

    The one place both are summed: always in the order of ``weights``, so
    that the exact totals and the bounds of candidate mode, which must
    compare, add the same numbers in the same order.
    """
    total = sum(weights.values())
    lost: NDArray[np.float64] = np.zeros(np.broadcast_shapes(*(a.shape for a in absent.values())))
    for name, weight in weights.items():
        if name in absent:
            lost = lost + np.where(absent[name], weight, 0.0)
    return total, lost


def present_factor(
    weights: Mapping[str, float], absent: Mapping[str, NDArray[np.bool_]]
) -> NDArray[np.float64]:
    """W / W_present per pair: 1 where nothing is absent, 0 where everything is."""
    total, lost = lost_weight(weights, absent)
    present = total - lost
    return np.asarray(
        np.divide(total, present, out=np.zeros_like(present), where=present > 0),
        dtype=np.float64,
    )


def renormalise(total: NDArray[np.float64], factor: NDArray[np.float64]) -> None:
    """Turn unrounded totals (absent components at 0) into means over present ones, in place.

    Where ``factor`` is 1 the totals stay bit for bit as they are. Elsewhere
    the result is capped at 1, which it can only pass by float cancellation
    in W − lost when weights differ by many orders of magnitude.
    """
    np.multiply(total, factor, out=total)
    np.minimum(total, 1.0, out=total, where=factor != 1.0)


def _elementwise(
    name: str,
    arrays: ProgramArrays,
    config: MatchConfig,
    ri: NDArray[np.intp],
    ci: NDArray[np.intp],
) -> NDArray[np.float64]:
    """Components that are a function of one executive and one mentor.

    ``ri`` and ``ci`` broadcast against each other: a column and a row of
    indices for a block, or two parallel vectors for a list of pairs.
    """
    if name == "language":
        if not arrays.languages:
            return np.zeros(np.broadcast_shapes(ri.shape, ci.shape))
        first = arrays.exec_first_language[ri]
        speaks = arrays.mentor_languages[ci, np.maximum(first, 0)]
        return np.asarray((first >= 0) & speaks, dtype=np.float64)
    if name == "place":
        el, ml = arrays.exec_location[ri], arrays.mentor_location[ci]
        in_person = (arrays.exec_mode[ri] != _REMOTE) & (arrays.mentor_mode[ci] != _REMOTE)
        return np.asarray((el >= 0) & (el == ml) & in_person, dtype=np.float64)
    if name == "department":
        ed, md = arrays.exec_department[ri], arrays.mentor_department[ci]
        return np.asarray((ed >= 0) & (md >= 0) & (ed != md), dtype=np.float64)
    if name == "seniority":
        gap = arrays.exec_grade[ri] - arrays.mentor_grade[ci]
        return np.asarray(np.nan_to_num(np.clip(gap / config.seniority_span, 0.0, 1.0), nan=0.0))
    if name == "preferences":
        ri, ci = np.broadcast_arrays(ri, ci)
        return np.asarray(arrays.preferred.contains(ri, ci), dtype=np.float64)
    raise InvalidInputError(
        f"unknown component {name!r}; known: {', '.join(COMPONENTS)} or 'custom:<name>'"
    )


def component_block(
    name: str,
    arrays: ProgramArrays,
    config: MatchConfig,
    rows: slice,
    overlap: Overlap | None,
    custom: Mapping[str, ComponentFn],
) -> NDArray[np.float64]:
    """One component for executives ``rows`` against every mentor.

    ``overlap`` holds the block's shared minutes; only ``availability`` and
    ``window`` read it.

    Raises
    ------
    InvalidInputError
        If the name is unknown, or a custom component returns the wrong
        shape, non-finite values or values outside 0..1.
    """
    if name == "topic":
        wished = arrays.interests[rows] * _topic_weights(arrays, config)
        return _topic(wished, arrays.expertise)
    if name in ("availability", "window"):
        if overlap is None:
            overlap = weekly_overlap(arrays.availability, rows=rows)
        return _time_component(name, overlap.min_minutes, overlap.preferred_minutes, config)
    if name.startswith("custom:"):
        return _custom(name, custom[name.removeprefix("custom:")], arrays, rows)
    if name == "preferences":
        return np.asarray(arrays.preferred.mask(rows), dtype=np.float64)
    ri = np.arange(rows.start, rows.stop, dtype=np.intp)[:, None]
    ci = np.arange(arrays.shape[1], dtype=np.intp)[None, :]
    return _elementwise(name, arrays, config, ri, ci)


def _topic(wished: NDArray[np.float64], expertise: NDArray[np.float64]) -> NDArray[np.float64]:
    """The topic component of weighted wishes (rows) against every mentor's expertise."""
    norm = 5.0 * wished.sum(axis=1, keepdims=True)
    # One product per block, as always: a BLAS kernel's rounding can depend on
    # where a row falls in the call, so other splits could move the last bit.
    served = wished @ expertise.T
    # A row of norm 0 wishes nothing, so its products are 0 already.
    return np.asarray(np.divide(served, norm, out=served, where=norm > 0))


def component_pairs(
    name: str,
    arrays: ProgramArrays,
    config: MatchConfig,
    r: NDArray[np.intp],
    c: NDArray[np.intp],
    overlap: Overlap,
    custom: Mapping[str, ComponentFn],
) -> NDArray[np.float64]:
    """One component for the pairs ``(r[k], c[k])``; ``overlap`` holds their 1-D minutes."""
    if name == "topic":
        wished = arrays.interests[r] * _topic_weights(arrays, config)
        norm = 5.0 * wished.sum(axis=1)
        served = np.einsum("ij,ij->i", wished, arrays.expertise[c])
        return np.asarray(np.divide(served, norm, out=np.zeros_like(served), where=norm > 0))
    if name in ("availability", "window"):
        return _time_component(name, overlap.min_minutes, overlap.preferred_minutes, config)
    if name.startswith("custom:"):
        out = np.zeros(r.size)
        fn = custom[name.removeprefix("custom:")]
        for row in np.unique(r):
            sel = r == row
            out[sel] = _custom(name, fn, arrays, slice(int(row), int(row) + 1))[0, c[sel]]
        return out
    return _elementwise(name, arrays, config, r, c)


def _time_component(
    name: str,
    min_minutes: NDArray[np.float64],
    preferred_minutes: NDArray[np.float64],
    config: MatchConfig,
) -> NDArray[np.float64]:
    """``availability`` or ``window`` from shared minutes (the one formula of both)."""
    minutes = min_minutes if name == "availability" else preferred_minutes
    return np.asarray(np.minimum(minutes / config.session_minutes, 1.0))


def _custom(name: str, fn: ComponentFn, arrays: ProgramArrays, rows: slice) -> NDArray[np.float64]:
    expected = (rows.stop - rows.start, arrays.shape[1])
    try:
        values = np.asarray(fn(arrays, rows), dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(
            f"custom component {name!r} did not return numbers: {exc}"
        ) from None
    if values.shape != expected:
        raise InvalidInputError(
            f"custom component {name!r} returned shape {values.shape}; expected {expected} "
            "(executives in the block × all mentors)"
        )
    if not np.all(np.isfinite(values)) or values.min(initial=0) < 0 or values.max(initial=0) > 1:
        raise InvalidInputError(
            f"custom component {name!r} returned values outside 0..1 (or NaN/inf); "
            "expected finite values in 0..1"
        )
    return values


@dataclass(frozen=True)
class PairDetails:
    """Components and shared time of chosen pairs, as parallel arrays."""

    components: dict[str, NDArray[np.float64]]
    min_minutes: NDArray[np.float64]
    mean_minutes: NDArray[np.float64]
    preferred_minutes: NDArray[np.float64]


def pair_contributions(
    weights: Mapping[str, float], components: Mapping[str, float], absent: Collection[str] = ()
) -> dict[str, float]:
    """Each component's weighted share of a pair's (unrounded) total.

    The shares sum to the total: absent components (see
    :func:`missing_inputs`) contribute 0 and the others are renormalised
    with :func:`present_factor`, as the total is.
    """
    total_weight = sum(weights.values())
    gone = {n: np.asarray(True) for n in absent}
    factor = float(present_factor(weights, gone)) if absent else 1.0
    return {
        n: 0.0 if n in absent else weights[n] * components[n] / total_weight * factor
        for n in weights
    }


@dataclass(frozen=True)
class SharedMinima:
    """The fewest shared minutes of every pair, as scoring counted them.

    ``minutes[low[exec_row[i], mentor_col[j]]]`` are the minutes of executive
    ``i`` and mentor ``j``: small integer counts per pattern pair (2 bytes
    each) and the minutes of every count.
    """

    low: NDArray[np.int16]
    exec_row: NDArray[np.intp]
    mentor_col: NDArray[np.intp]
    minutes: NDArray[np.float64]

    def of(self, rows: NDArray[np.intp], cols: NDArray[np.intp]) -> NDArray[np.float64]:
        """Minutes of the pairs ``(rows[k], cols[k])``."""
        return np.asarray(self.minutes.take(self.low[self.exec_row[rows], self.mentor_col[cols]]))


@dataclass(frozen=True)
class ScoreMatrix:
    """Scores and feasibility of every executive–mentor pair.

    Attributes
    ----------
    values : ndarray, shape (n_executives, n_mentors)
        Total score in 0..1, rounded to ``config.score_decimals``.
    reasons : ndarray of uint16, same shape
        Bit mask of the hard rules each pair breaks (see
        :mod:`revmatch._pipeline.rules`); 0 means feasible.
    arrays : ProgramArrays
        The compiled program the scores come from.
    config : MatchConfig
        The settings used.
    weights : dict of str to float
        The positive component weights used.
    """

    values: NDArray[np.float64]
    reasons: NDArray[np.uint16]
    arrays: ProgramArrays
    config: MatchConfig
    weights: dict[str, float]
    custom: Mapping[str, ComponentFn] = field(default_factory=dict, repr=False)
    _cache: dict[str, NDArray[np.float64]] = field(default_factory=dict, repr=False)
    _minima: SharedMinima | None = field(default=None, repr=False)

    @property
    def feasible(self) -> NDArray[np.bool_]:
        """Boolean mask of feasible pairs."""
        return np.asarray(self.reasons == 0)

    @property
    def executive_ids(self) -> tuple[str, ...]:
        """Executive ids, one per row."""
        return self.arrays.exec_ids

    @property
    def mentor_ids(self) -> tuple[str, ...]:
        """Mentor ids, one per column."""
        return self.arrays.mentor_ids

    @property
    def shape(self) -> tuple[int, int]:
        """(number of executives, number of mentors)."""
        return self.arrays.shape

    @property
    def components(self) -> dict[str, NDArray[np.float64]]:
        """Every active component as a full (n_executives × n_mentors) array.

        Computed on first access and cached; :meth:`details` is cheaper when
        only some pairs are needed.
        """
        missing = [n for n in self.weights if n not in self._cache]
        if missing:
            parts: dict[str, list[NDArray[np.float64]]] = {n: [] for n in missing}
            blocks = block_overlaps(self.arrays.availability, block_rows(*self.shape))
            for rows, overlap in blocks:
                for name in missing:
                    parts[name].append(
                        component_block(name, self.arrays, self.config, rows, overlap, self.custom)
                    )
            for name in missing:
                self._cache[name] = (
                    np.concatenate(parts[name]) if parts[name] else np.zeros(self.shape)
                )
        return {n: self._cache[n] for n in self.weights}

    def details(self, rows: ArrayLike, cols: ArrayLike) -> PairDetails:
        """Components and weekly shared minutes of the pairs ``(rows[k], cols[k])``."""
        r = np.asarray(rows, dtype=np.intp).ravel()
        c = np.asarray(cols, dtype=np.intp).ravel()
        overlap = pair_overlap(self.arrays, r, c)
        comps = {
            name: component_pairs(name, self.arrays, self.config, r, c, overlap, self.custom)
            for name in self.weights
        }
        return PairDetails(
            comps, overlap.min_minutes, overlap.mean_minutes, overlap.preferred_minutes
        )

    def min_minutes(self, rows: ArrayLike, cols: ArrayLike) -> NDArray[np.float64]:
        """Fewest weekly shared minutes of the pairs ``(rows[k], cols[k])``.

        Read from the counts scoring made (no recount; the same values as
        :func:`pair_overlap`'s ``min_minutes``, and as the ``min_overlap``
        rule compares), or counted for these pairs when there are none.
        """
        r = np.asarray(rows, dtype=np.intp).ravel()
        c = np.asarray(cols, dtype=np.intp).ravel()
        if self._minima is None:
            return pair_overlap(self.arrays, r, c).min_minutes
        return self._minima.of(r, c)

    def pair_masks(self, rows: NDArray[np.intp], cols: NDArray[np.intp]) -> NDArray[np.uint16]:
        """Rule masks of the pairs ``(rows[k], cols[k])``; 0 means allowed."""
        return np.asarray(self.reasons[rows, cols], dtype=np.uint16)

    def pair_details(
        self, rows: NDArray[np.intp], cols: NDArray[np.intp]
    ) -> tuple[NDArray[np.float64], PairDetails]:
        """Total scores and :meth:`details` of the pairs ``(rows[k], cols[k])``."""
        return np.asarray(self.values[rows, cols]), self.details(rows, cols)

    def contributions(
        self, components: Mapping[str, float], absent: Collection[str] = ()
    ) -> dict[str, float]:
        """Weighted share of each component in a total score; see :func:`pair_contributions`."""
        return pair_contributions(self.weights, components, absent)

    def absent(self, rows: ArrayLike, cols: ArrayLike) -> dict[str, NDArray[np.bool_]]:
        """Which components are left out of the pairs ``(rows[k], cols[k])`` for missing data.

        Only components absent for some pair of the program are keys.
        """
        r = np.asarray(rows, dtype=np.intp).ravel()
        c = np.asarray(cols, dtype=np.intp).ravel()
        return absent_pairs(missing_inputs(self.arrays, self.config, self.weights), r, c)


def pair_overlap(
    arrays: ProgramArrays, r: NDArray[np.intp], c: NDArray[np.intp], chunk: int = 2048
) -> Overlap:
    """Weekly shared minutes of the pairs ``(r[k], c[k])`` as 1-D arrays.

    Same quantities as :func:`~revmatch.availability.weekly_overlap` (cells
    both cover weekly count 15 minutes, cells where one side is only
    fortnightly count 7.5; minimum and mean over the program's weeks), but
    per pair: the two people's grids are gathered and compared cell by cell,
    so a list of pairs costs time proportional to its length, not to the
    number of people.
    """
    g = arrays.availability
    n_weeks = float(g.week_counts.sum())
    weights = g.week_counts.astype(np.float64) / max(n_weeks, 1.0)
    out = [np.zeros(r.size) for _ in range(3)]
    for lo in range(0, r.size, chunk):
        pe = g.exec_pattern[r[lo : lo + chunk]]
        pm = g.mentor_pattern[c[lo : lo + chunk]]
        fe, fm = g.exec_full[pe], g.mentor_full[pm]
        ae, am = fe | g.exec_half[pe], fm | g.mentor_half[pm]
        both_full, both_any = fe & fm, ae & am
        minutes = _cell_minutes(both_full, both_any)
        preferred = g.exec_preferred[pe] & g.mentor_preferred[pm]
        pref_minutes = _cell_minutes(both_full & preferred, both_any & preferred)
        block = slice(lo, lo + pe.size)
        if minutes.shape[1]:
            out[0][block] = minutes.min(axis=1)
        out[1][block] = minutes @ weights
        out[2][block] = pref_minutes @ weights
    return Overlap(out[0], out[1], out[2])


def _cell_minutes(full: NDArray[np.bool_], any_: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Minutes per (pair, week class): 15 per weekly cell, 7.5 per fortnightly-only cell."""
    n_full = np.count_nonzero(full, axis=2)
    n_any = np.count_nonzero(any_, axis=2)
    return np.asarray(7.5 * (n_full + n_any), dtype=np.float64)


@dataclass(frozen=True)
class _SharedTime:
    """Exact shared-time counts of every pattern pair, with look-up tables of their terms.

    Shared time depends on people only through their availability patterns,
    so it is counted once per (executive pattern, mentor pattern) pair, as
    small integers (:class:`~revmatch.availability.PatternCounts`).  Each
    weighted time component is then a table indexed by the count, made with
    the very operations of :func:`_time_component` and the weighting of
    :func:`score_arrays` (so every value is the same bit for bit), and a
    block of people costs one gather of counts and one look-up.
    """

    counts: PatternCounts
    exec_row: NDArray[np.intp]
    mentor_col: NDArray[np.intp]
    min_minutes: NDArray[np.float64]
    terms: dict[str, tuple[bool, NDArray[np.float64]]]
    #: The counts of the latest block of executives, by (start, stop, preferred).
    _latest: dict[tuple[int, int, bool], NDArray[np.integer[Any]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @classmethod
    def of(
        cls, arrays: ProgramArrays, config: MatchConfig, weights: Mapping[str, float]
    ) -> _SharedTime:
        grids = arrays.availability
        counter = PatternCounter(grids)
        counts = counter.counts(mean=False)
        low = np.arange(int(counts.low.max(initial=0)) + 1, dtype=np.float64) * counts.min_scale
        preferred = np.arange(int(counts.preferred.max(initial=0)) + 1, dtype=np.float64)
        preferred *= counts.mean_scale
        total_weight = sum(weights.values())
        terms = {
            name: (
                name == "window",
                (weights[name] / total_weight) * _time_component(name, low, preferred, config),
            )
            for name in ("availability", "window")
            if name in weights
        }
        return cls(
            counts,
            counts.exec_row[grids.exec_pattern],
            counter.mentor_col[grids.mentor_pattern],
            low,
            terms,
        )

    def block(self, rows: slice, preferred: bool = False) -> NDArray[np.integer[Any]]:
        """Counts (the minimum, or the preferred sum) of executives ``rows`` x every mentor.

        The latest block's are kept: the availability term and the reason
        masks of a block read the same minima.
        """
        key = (rows.start, rows.stop, preferred)
        found = self._latest.get(key)
        if found is None:
            if any(k[:2] != key[:2] for k in self._latest):
                self._latest.clear()
            table = self.counts.preferred if preferred else self.counts.low
            picked = table.take(self.exec_row[rows], axis=0).take(self.mentor_col, axis=1)
            found = np.asarray(picked)
            self._latest[key] = found
        return found


class _BlockScorer:
    """Weighted components of blocks of executives, added one by one to the totals.

    Categorical components count 0 or 1, so each adds its weight where it
    holds and 0.0 elsewhere (the same totals as adding every term), from
    per-person keys that make it one comparison per pair.
    """

    def __init__(
        self,
        arrays: ProgramArrays,
        config: MatchConfig,
        weights: Mapping[str, float],
        custom: Mapping[str, ComponentFn],
    ) -> None:
        self.arrays, self.config, self.weights, self.custom = arrays, config, weights, custom
        self.total_weight = sum(weights.values())
        self.shared = _SharedTime.of(arrays, config, weights)
        self.topic_weights = _topic_weights(arrays, config)
        self.spoken = np.ascontiguousarray(arrays.mentor_languages.T)  # language x mentor
        # Where both can meet in person, the same location code on both sides.
        self.exec_place = np.where(
            (arrays.exec_location >= 0) & (arrays.exec_mode != _REMOTE), arrays.exec_location, -2
        )
        self.mentor_place = np.where(arrays.mentor_mode != _REMOTE, arrays.mentor_location, -3)
        self.no_department = arrays.mentor_department < 0

    def _holds(self, name: str, rows: slice) -> NDArray[np.bool_] | None:
        """Where a 0/1 component is 1 for executives ``rows``; None for other components."""
        a = self.arrays
        if name == "language" and a.languages:
            first = a.exec_first_language[rows]
            holds = self.spoken.take(np.maximum(first, 0), axis=0)
            holds[first < 0] = False
            return np.asarray(holds)
        if name == "place":
            return np.asarray(self.exec_place[rows][:, None] == self.mentor_place[None, :])
        if name == "department":
            department = a.exec_department[rows]
            holds = department[:, None] != a.mentor_department[None, :]
            holds[department < 0] = False
            if self.no_department.any():
                holds[:, self.no_department] = False
            return np.asarray(holds)
        return None

    def add(self, block: NDArray[np.float64], name: str, rows: slice) -> None:
        """Add component ``name``, weighted, to ``block`` (executives ``rows`` x every mentor)."""
        weight = self.weights[name] / self.total_weight
        if name in self.shared.terms:
            preferred, table = self.shared.terms[name]
            block += table.take(self.shared.block(rows, preferred))
        elif name == "topic":
            term = _topic(self.arrays.interests[rows] * self.topic_weights, self.arrays.expertise)
            term *= weight
            block += term
        elif name == "preferences":
            r, c = self.arrays.preferred.block(rows)
            block[r, c] += weight
        elif (holds := self._holds(name, rows)) is not None:
            block += holds * weight  # exactly weight or 0.0 (a masked add is far slower)
        elif name != "language":  # no languages at all: the component is 0
            a, config, custom = self.arrays, self.config, self.custom
            block += weight * component_block(name, a, config, rows, None, custom)


def score_arrays(
    arrays: ProgramArrays,
    config: MatchConfig | None = None,
    *,
    custom: Mapping[str, ComponentFn] | None = None,
) -> ScoreMatrix:
    """Score a compiled program; see :func:`score`."""
    config = config or MatchConfig()
    custom = dict(custom or {})
    weights = active_weights(config, custom)
    n_rows, n_cols = arrays.shape
    # Shared time is counted once for every pattern pair (here), then spread
    # to people block by block; the outputs are allocated after the
    # counting's temporaries are gone.
    scorer = _BlockScorer(arrays, config, weights, custom)
    missing = missing_inputs(arrays, config, weights)
    columns = np.arange(n_cols, dtype=np.intp)[None, :]
    values = np.zeros((n_rows, n_cols), dtype=np.float64)
    reasons = np.zeros((n_rows, n_cols), dtype=np.uint16)
    for rows in block_rows(n_rows, n_cols):
        block = values[rows]
        for name in weights:
            scorer.add(block, name, rows)
        if missing:
            ri = np.arange(rows.start, rows.stop, dtype=np.intp)[:, None]
            renormalise(block, present_factor(weights, absent_pairs(missing, ri, columns)))
        np.round(block, config.score_decimals, out=block)
        low = scorer.shared.min_minutes.take(scorer.shared.block(rows))
        reasons[rows] = reason_block(arrays, config, rows, low)
    shared = scorer.shared
    minima = SharedMinima(shared.counts.low, shared.exec_row, shared.mentor_col, shared.min_minutes)
    return ScoreMatrix(values, reasons, arrays, config, weights, custom, _minima=minima)


def score(
    program: Program | ProgramArrays | Mapping[str, Any],
    config: MatchConfig | Mapping[str, Any] | None = None,
    *,
    custom: Mapping[str, ComponentFn] | None = None,
) -> ScoreMatrix:
    """Score every executive–mentor pair of a program.

    Parameters
    ----------
    program : Program, ProgramArrays or mapping
        The program (compiled here), an already compiled one, or canonical
        program data as :func:`revmatch.match` takes it.
    config : MatchConfig or mapping, optional
        Weights, thresholds and switches; ``MatchConfig()`` by default. A
        mapping is validated as a ``MatchConfig``, as :func:`revmatch.match` does.
    custom : mapping of str to ComponentFn, optional
        Custom components, weighted in ``config.weights`` as ``"custom:<name>"``.

    Returns
    -------
    ScoreMatrix
        Totals, reason masks and lazily computed components.

    Raises
    ------
    InvalidInputError
        If a custom component is missing or returns bad values.

    Examples
    --------
    >>> import revmatch as rm
    >>> program = rm.datasets.make_program(n_executives=5, n_mentors=8, seed=1)
    >>> scores = rm.score(program)
    >>> scores.values.shape
    (5, 8)
    >>> bool(((scores.values >= 0) & (scores.values <= 1)).all())
    True
    """
    config = as_config(config)
    if isinstance(program, ProgramArrays):
        return score_arrays(program, config, custom=custom)
    return score_arrays(compile_program(as_program(program), config), config, custom=custom)
