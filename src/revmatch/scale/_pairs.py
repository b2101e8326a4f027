"""Exact scores and rule masks of a list of pairs, and upper bounds that avoid them.

The dense path scores blocks of executives against every mentor. Candidate
generation instead asks about scattered pairs, many times, so this module
evaluates *pair lists* with the dense path's own functions wherever they work
on pairs (:func:`revmatch._pipeline.scoring.component_pairs`), and reduces everything
else to small lookup tables:

*Attribute factors.*  The components ``language``, ``place``, ``department``
and ``seniority`` and the rules ``language``, ``location``,
``same_department`` and ``not_junior`` each depend only on a few attributes
of the two people (first language and language set; location and mode;
department; grade). For every such factor the distinct attribute values of
each side are collected (a few to a few hundred), one representative person
per value is taken, and :func:`~revmatch._pipeline.scoring.component_block` and
:func:`~revmatch._pipeline.rules.reason_block` are run on the representatives:
the resulting table is exact for every pair and uses the very code of the
dense path.

*Sparse rules.*  ``reporting_chain``, ``blocked``, ``skip_level`` and ``repeat`` are pair
sets; ``min_overlap`` compares the exact shared minutes of
:class:`~revmatch.scale._overlap.PairOverlap` with the threshold, as
:func:`~revmatch._pipeline.rules.reason_block` does.

*Totals* add ``weight / total_weight * component`` in the order of the
weights, renormalise pairs with absent components
(:func:`~revmatch._pipeline.scoring.renormalise`) and round to ``score_decimals``, the
exact float operations of :func:`~revmatch._pipeline.scoring.score_arrays`, so a
pair's total equals the dense matrix entry.

*Bounds.*  Candidate generation needs upper bounds of the rounded total
for millions of pairs: :meth:`PairScorer.base_bound` (topic bound and what
the executive offers in time) + :meth:`PairScorer.attribute_part` (the
attribute components, pre-summed per pair of attribute types), tightened by
:meth:`PairScorer.time_bound` (what both people offer). Each replaces
components by upper bounds and adds them in another order than the dense
path; every step is monotone (``x * w``, ``a + b``, ``min(x, 1)``,
rounding), and :data:`BOUND_SLACK` covers the rounding differences of the
order. Where data may be missing, :meth:`PairScorer.bound_units` multiplies
by an upper bound of the renormalisation factor of the executive's pairs:
W / (W − the weight of what the executive lacks and what some mentor lacks),
summed by :func:`~revmatch._pipeline.scoring.lost_weight` like the exact factor, so
it is at least the exact factor in floats too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from revmatch._pipeline.assign import priority_bonus
from revmatch._pipeline.compile import PairSet, ProgramArrays
from revmatch._pipeline.rules import REASON_BITS, reason_block
from revmatch._pipeline.scoring import (
    ComponentFn,
    PairDetails,
    absent_pairs,
    active_weights,
    component_block,
    component_pairs,
    lost_weight,
    missing_inputs,
    present_factor,
    renormalise,
)
from revmatch.availability import Overlap
from revmatch.models import MatchConfig
from revmatch.scale._overlap import PairOverlap

__all__ = [
    "BOUND_SLACK",
    "JOINT_ELEMENTS",
    "MAX_DECIMALS",
    "Factor",
    "PairScorer",
    "joint_types",
    "objective_decimals",
    "subset_arrays",
    "units_exact",
]

FloatArray = NDArray[np.float64]
IntpArray = NDArray[np.intp]
MaskArray = NDArray[np.uint16]


JOINT_ELEMENTS = 1 << 24
"""Largest (executive types x mentor types) table of joint attribute parts."""

BOUND_SLACK = 1e-12
"""Added to fast bounds before rounding.

Fast bounds add the same terms as the dense path in another order; the sums
differ by a few units in the last place (around 1e-16), far below this, so a
bound stays above the rounded total even at a rounding boundary."""


MAX_DECIMALS = 12
"""Finest objective unit, ``10**-12``: the most ``score_decimals`` allows."""

#: Distance from an integer, in units, still counted as exact (float noise of
#: ``x * 10**d`` is about ``1e-4`` units at ``d = 12``).
_UNIT_TOLERANCE = 1e-3


def objective_decimals(config: MatchConfig) -> int:
    """Decimals of the objective units: the fewest that hold every objective weight.

    An objective weight is a score rounded to ``score_decimals`` plus, where
    they apply, ``priority_bonus`` and ``repeat_bonus``. The units are
    ``10**-d`` for the smallest ``d >= score_decimals`` at which both bonuses
    are whole numbers of units, so integer weights are the objective itself:
    ``score_decimals=0`` with ``repeat_bonus=-0.3`` needs tenths, not the
    whole numbers the scores alone would. A bonus with more than
    :data:`MAX_DECIMALS` decimals (e.g. ``1/3``) is rounded to ``10**-12``:
    each weight then moves by at most half a unit.
    """
    for d in range(config.score_decimals, MAX_DECIMALS + 1):
        if units_exact(config, d):
            return d
    return MAX_DECIMALS


def units_exact(config: MatchConfig, decimals: int) -> bool:
    """Whether both bonuses are whole numbers of ``10**-decimals`` units."""
    terms = [config.priority_bonus]
    if config.allow_repeats:
        terms.append(config.repeat_bonus)
    scaled = [t * 10.0**decimals for t in terms]
    return all(abs(x - round(x)) <= _UNIT_TOLERANCE for x in scaled)


def subset_arrays(arrays: ProgramArrays, rows: IntpArray, cols: IntpArray) -> ProgramArrays:
    """Arrays of the executives ``rows`` and mentors ``cols`` only, without pair sets.

    Only per-person fields are cut (availability grids are kept whole and
    must not be used); reporting chains, blocks, wishes, history and pins
    are left empty, so rules and components computed on the result are
    those that depend on the two people's attributes alone.
    """
    empty = PairSet(np.empty(0, dtype=np.int64), int(cols.size))
    exec_ids = tuple(arrays.exec_ids[i] for i in rows.tolist())
    mentor_ids = tuple(arrays.mentor_ids[j] for j in cols.tolist())
    return dataclasses.replace(
        arrays,
        exec_ids=exec_ids,
        mentor_ids=mentor_ids,
        interests=arrays.interests[rows],
        expertise=arrays.expertise[cols],
        capacities=arrays.capacities[cols],
        exec_zones=tuple(arrays.exec_zones[i] for i in rows.tolist()),
        mentor_zones=tuple(arrays.mentor_zones[j] for j in cols.tolist()),
        exec_languages=arrays.exec_languages[rows],
        mentor_languages=arrays.mentor_languages[cols],
        exec_first_language=arrays.exec_first_language[rows],
        exec_location=arrays.exec_location[rows],
        mentor_location=arrays.mentor_location[cols],
        exec_mode=arrays.exec_mode[rows],
        mentor_mode=arrays.mentor_mode[cols],
        exec_department=arrays.exec_department[rows],
        mentor_department=arrays.mentor_department[cols],
        exec_grade=arrays.exec_grade[rows],
        mentor_grade=arrays.mentor_grade[cols],
        chain=empty,
        skip_level=empty,
        blocked=empty,
        preferred=empty,
        history=empty,
        pinned=empty,
        priority=np.empty(0, dtype=np.intp),
        exec_index={pid: k for k, pid in enumerate(exec_ids)},
        mentor_index={pid: k for k, pid in enumerate(mentor_ids)},
    )


def _keys(*columns: NDArray[np.generic]) -> tuple[IntpArray, IntpArray]:
    """Representative index and type of every person, from attribute columns."""
    n = len(columns[0])
    if n == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    parts = [np.asarray(c, dtype=np.float64).reshape(n, -1) for c in columns]
    table = np.nan_to_num(np.concatenate(parts, axis=1), nan=-1e18)
    return _distinct_rows(table)


def _distinct_rows(table: NDArray[np.generic]) -> tuple[IntpArray, IntpArray]:
    """First index of every distinct row of a 2-D ``table`` and each row's type.

    The types are numbered in the lexicographic order of the rows, as
    ``np.unique(table, axis=0)`` numbers them; the rows are coded as one
    integer each (a mixed-radix number of the columns' ranks) when that fits
    int64, which is many times faster than comparing rows.
    """
    code = np.zeros(table.shape[0], dtype=np.int64)
    span = 1
    for column in table.T:
        values, rank = np.unique(column, return_inverse=True)
        span *= max(int(values.size), 1)
        if span >= 1 << 62:
            _, first, inverse = np.unique(table, axis=0, return_index=True, return_inverse=True)
            return first.astype(np.intp), inverse.reshape(-1).astype(np.intp)
        code = code * values.size + rank.reshape(-1)
    _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    return first.astype(np.intp), inverse.reshape(-1).astype(np.intp)


def joint_types(types: list[IntpArray]) -> tuple[IntpArray, IntpArray]:
    """Distinct rows of the stacked per-factor types, and each person's row."""
    stacked = np.stack(types, axis=1)
    if stacked.shape[0] == 0:
        return np.zeros((0, len(types)), dtype=np.intp), np.zeros(0, dtype=np.intp)
    first, inverse = _distinct_rows(stacked)
    return stacked[first].astype(np.intp), inverse


@dataclass(frozen=True)
class Factor:
    """Components and rule bits that depend on one group of attributes.

    Attributes
    ----------
    exec_type, mentor_type : ndarray of intp
        Type of every executive / mentor for this factor.
    components : dict of str to ndarray
        Component name -> (executive types x mentor types) table.
    rule : str
        The rule it decides.
    bits : ndarray of uint16
        (executive types x mentor types) table of that rule's bit.
    """

    exec_type: IntpArray
    mentor_type: IntpArray
    components: dict[str, FloatArray]
    rule: str
    bits: MaskArray


def _factor(
    arrays: ProgramArrays,
    config: MatchConfig,
    exec_columns: tuple[NDArray[np.generic], ...],
    mentor_columns: tuple[NDArray[np.generic], ...],
    names: tuple[str, ...],
    rule: str,
) -> Factor:
    e_rep, e_type = _keys(*exec_columns)
    m_rep, m_type = _keys(*mentor_columns)
    small = subset_arrays(arrays, e_rep, m_rep)
    rows = slice(0, int(e_rep.size))
    shape = (int(e_rep.size), int(m_rep.size))
    # Neither the components nor the rules used here read the overlap.
    no_time = Overlap(np.zeros(shape), np.zeros(shape), np.zeros(shape))
    tables = {n: component_block(n, small, config, rows, no_time, {}) for n in names}
    mask = reason_block(small, config, rows, np.full(shape, np.inf))
    return Factor(e_type, m_type, tables, rule, mask & np.uint16(REASON_BITS[rule]))


class PairScorer:
    """Exact totals and rule masks of pair lists, plus the bounds that prune them.

    Parameters
    ----------
    arrays : ProgramArrays
        The compiled program.
    config : MatchConfig
        Weights and rules.
    custom : mapping of str to ComponentFn
        Custom components named in ``config.weights``.

    Notes
    -----
    A custom component is a function of whole rows (``fn(arrays, rows)``),
    so evaluating it for a pair costs a call for the pair's executive; its
    bound is 1.
    """

    def __init__(
        self, arrays: ProgramArrays, config: MatchConfig, custom: Mapping[str, ComponentFn]
    ) -> None:
        self.arrays = arrays
        self.config = config
        self.custom = dict(custom)
        self.weights = active_weights(config, self.custom)
        self.overlap = PairOverlap(arrays.availability)
        a = arrays
        self.factors = (
            _factor(
                a,
                config,
                (a.exec_first_language, a.exec_languages),
                (a.mentor_languages,),
                ("language",),
                "language",
            ),
            _factor(
                a,
                config,
                (a.exec_location, a.exec_mode),
                (a.mentor_location, a.mentor_mode),
                ("place",),
                "location",
            ),
            _factor(
                a,
                config,
                (a.exec_department,),
                (a.mentor_department,),
                ("department",),
                "same_department",
            ),
            _factor(a, config, (a.exec_grade,), (a.mentor_grade,), ("seniority",), "not_junior"),
        )
        self._component_factor = {
            name: f for f in self.factors for name in f.components if name in self.weights
        }
        total_weight = sum(self.weights.values())
        self._weighted = [
            sum(
                (
                    (self.weights[n] / total_weight) * t
                    for n, t in f.components.items()
                    if n in self.weights
                ),
                np.zeros(f.bits.shape),
            )
            for f in self.factors
        ]
        #: Joint (all factors) attribute types: distinct rows of the factors'
        #: types, and each executive's / mentor's row.
        self.joint_exec = joint_types([f.exec_type for f in self.factors])
        self.joint_mentor = joint_types([f.mentor_type for f in self.factors])
        self._joint = self._joint_tables()
        self._missing = missing_inputs(arrays, config, self.weights)
        self._factor_bound = self._renormalisation_bound()
        self.decimals = objective_decimals(config)
        self.scale = 10.0**self.decimals
        self.units_exact = units_exact(config, self.decimals)
        self.priority = priority_bonus(arrays, config)

    def _joint_tables(
        self,
    ) -> tuple[IntpArray, IntpArray, FloatArray, MaskArray] | None:
        """Attribute parts on joint (all factors) types: one lookup per pair instead of four.

        None when the joint table would exceed :data:`JOINT_ELEMENTS`.
        """
        joint_e, e_of = self.joint_exec
        joint_m, m_of = self.joint_mentor
        if joint_e.shape[0] * joint_m.shape[0] > JOINT_ELEMENTS:
            return None
        value = np.zeros((joint_e.shape[0], joint_m.shape[0]))
        bits = np.zeros(value.shape, dtype=np.uint16)
        for k, (f, weighted) in enumerate(zip(self.factors, self._weighted, strict=True)):
            cells = np.ix_(joint_e[:, k], joint_m[:, k])
            value += weighted[cells]
            bits |= f.bits[cells]
        return e_of, m_of, value, bits

    def _renormalisation_bound(self) -> FloatArray | None:
        """Per executive, an upper bound of the renormalisation factor of its pairs.

        A component counts as lost when the executive lacks its inputs or
        any mentor does; the lost weight is summed in the order of the exact
        factor (:func:`~revmatch._pipeline.scoring.lost_weight`), over a superset of
        each pair's absent components, so it is at least each pair's in
        floats too. Infinite where everything may be lost (the bound is then
        1, the largest score). None when nothing is missing.
        """
        if not self._missing:
            return None
        worst = {name: e | bool(m.any()) for name, (e, m) in self._missing.items()}
        total, lost = lost_weight(self.weights, worst)
        present = total - lost
        return np.asarray(
            np.divide(total, present, out=np.full(present.shape, np.inf), where=present > 0),
            dtype=np.float64,
        )

    # ----------------------------------------------------------------- pieces
    def attribute_bits(self, r: IntpArray, c: IntpArray) -> MaskArray:
        """Rule bits of the attribute factors and the pair sets (not ``min_overlap``)."""
        mask = self.pair_bits(r, c)
        for f in self.factors:
            mask |= f.bits[f.exec_type[r], f.mentor_type[c]]
        return mask

    def pair_bits(self, r: IntpArray, c: IntpArray) -> MaskArray:
        """Rule bits of the pair sets: chain, blocks, skip level and repeats (as configured)."""
        mask = np.zeros(r.size, dtype=np.uint16)
        for name, pair_set in self.pair_rules():
            mask[pair_set.contains(r, c)] |= np.uint16(REASON_BITS[name])
        return mask

    def pair_rules(self) -> list[tuple[str, PairSet]]:
        """The rules decided by a pair set, with their sets, as configured."""
        a, config = self.arrays, self.config
        rules = [("reporting_chain", a.chain), ("blocked", a.blocked)]
        if not config.allow_repeats:
            rules.append(("repeat", a.history))
        if config.exclude_skip_level:
            rules.append(("skip_level", a.skip_level))
        return rules

    def _total(
        self, r: IntpArray, c: IntpArray, overlap: Overlap, replace: Mapping[str, FloatArray]
    ) -> FloatArray:
        """The dense path's rounded total, with some components replaced (by bounds)."""
        total_weight = sum(self.weights.values())
        acc = np.zeros(r.size)
        for name, weight in self.weights.items():
            if name in replace:
                value = replace[name]
            elif name in self._component_factor:
                f = self._component_factor[name]
                value = f.components[name][f.exec_type[r], f.mentor_type[c]]
            else:
                value = component_pairs(name, self.arrays, self.config, r, c, overlap, self.custom)
            acc += (weight / total_weight) * value
        if self._missing:
            renormalise(acc, present_factor(self.weights, absent_pairs(self._missing, r, c)))
        return np.round(acc, self.config.score_decimals, out=acc)

    def details(self, r: IntpArray, c: IntpArray, overlap: Overlap) -> dict[str, FloatArray]:
        """Every active component of the pairs, as :meth:`ScoreMatrix.details` has them."""
        a, config = self.arrays, self.config
        return {n: component_pairs(n, a, config, r, c, overlap, self.custom) for n in self.weights}

    def objective(self, r: IntpArray, c: IntpArray, values: FloatArray) -> NDArray[np.int64]:
        """Solver weights in units of ``10**-decimals`` (:func:`objective_decimals`).

        ``values + priority bonus (+ repeat bonus)``, the terms of
        :func:`revmatch._pipeline.assign.objective_weights`, added in its order; the
        units hold every such weight exactly, so the graph is solved for the
        objective the dense path maximises, not a rounded one.
        """
        weights = values + self.priority[r]
        config = self.config
        if config.allow_repeats and config.repeat_bonus:
            weights = weights + np.where(
                self.arrays.history.contains(r, c), config.repeat_bonus, 0.0
            )
        return np.rint(weights * self.scale).astype(np.int64)

    # ------------------------------------------------------------------ exact
    def exact(
        self,
        r: IntpArray,
        c: IntpArray,
        overlap: Overlap | None = None,
        known: MaskArray | None = None,
    ) -> tuple[FloatArray, MaskArray, Overlap]:
        """Scores, rule masks and overlap of the pairs ``(r[p], c[p])``, as the dense path has them.

        ``overlap`` (1-D, one entry per pair) is computed when not given, and
        so are the rule bits other than ``min_overlap`` unless ``known``.
        """
        if overlap is None:
            overlap = self.overlap(r, c)
        mask = self.attribute_bits(r, c) if known is None else known.copy()
        mask[overlap.min_minutes < self.config.min_overlap_minutes] |= np.uint16(
            REASON_BITS["min_overlap"]
        )
        return self._total(r, c, overlap, {}), mask, overlap

    def pair_masks(self, r: IntpArray, c: IntpArray) -> MaskArray:
        """Rule masks of the pairs ``(r[k], c[k])``, shared time included (see :meth:`exact`)."""
        return self.exact(r, c)[1]

    def pair_details(self, r: IntpArray, c: IntpArray) -> tuple[FloatArray, PairDetails]:
        """Exact totals, components and weekly shared minutes of the pairs ``(r[k], c[k])``."""
        overlap = self.overlap(r, c)
        values, _, _ = self.exact(r, c, overlap)
        details = PairDetails(
            self.details(r, c, overlap),
            overlap.min_minutes,
            overlap.mean_minutes,
            overlap.preferred_minutes,
        )
        return values, details

    def masks(self, r: IntpArray, c: IntpArray) -> MaskArray:
        """Rule masks of the pairs, as the dense path has them (no scores)."""
        mask = self.attribute_bits(r, c)
        low = self.overlap.min_minutes(r, c)
        mask[low < self.config.min_overlap_minutes] |= np.uint16(REASON_BITS["min_overlap"])
        return mask

    def row_bits(self, rows: IntpArray) -> MaskArray:
        """:meth:`attribute_bits` of executives ``rows`` with every mentor, (rows, mentors).

        Attribute bits are whole table rows gathered by mentor type; pair
        rules are read from the spans of the rows in each rule's sorted pair
        set (:meth:`pair_bits` on those pairs, without merging the sets).
        """
        n_mentor = self.arrays.shape[1]
        if self._joint is not None:
            je, jm, _, bits = self._joint
            out = bits[je[rows]].take(jm, axis=1)
        else:
            out = np.zeros((rows.size, n_mentor), dtype=np.uint16)
            for f in self.factors:
                out |= f.bits[f.exec_type[rows]].take(f.mentor_type, axis=1)
        width = max(n_mentor, 1)
        start = rows.astype(np.int64) * width
        for name, pair_set in self.pair_rules():
            keys = pair_set.keys
            lo = np.searchsorted(keys, start)
            hi = np.searchsorted(keys, start + width)
            counts = hi - lo
            at = np.repeat(lo - (np.cumsum(counts) - counts), counts) + np.arange(counts.sum())
            local = np.repeat(np.arange(rows.size), counts)
            out[local, (keys[at] % width).astype(np.intp)] |= np.uint16(REASON_BITS[name])
        return out

    def row_masks(self, rows: IntpArray) -> MaskArray:
        """:meth:`masks` of executives ``rows`` with every mentor, shape (rows, mentors)."""
        out = self.row_bits(rows)
        bit = np.uint16(REASON_BITS["min_overlap"])
        for k, r in enumerate(rows.tolist()):
            out[k, self.overlap.row_short(r, self.config.min_overlap_minutes)] |= bit
        return out

    # ----------------------------------------------------------------- bounds
    def time_bound(
        self, r: IntpArray, c: IntpArray, partial: FloatArray
    ) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
        """Tighter bounds of pairs whose :meth:`base_bound` + :meth:`attribute_part` is ``partial``.

        The shared time of the base (what the executive offers) is replaced by
        the least of what either person offers and the count in one week
        class (:meth:`PairOverlap.screen`). Returns the bound in objective
        units and whether the pair may have enough shared time (False means
        ``min_overlap`` for certain).
        """
        ov = self.overlap
        e_min, e_pref = ov.exec_bounds(r)
        m_min, m_pref = ov.mentor_bounds(c)
        low = np.minimum(np.minimum(e_min, m_min), ov.screen(r, c))
        pair = Overlap(low, low, np.minimum(e_pref, m_pref))
        alone = Overlap(e_min, e_min, e_pref)
        total_weight = sum(self.weights.values())
        out = partial.copy()
        for name in ("availability", "window"):
            if name in self.weights:
                share = self.weights[name] / total_weight
                now = component_pairs(name, self.arrays, self.config, r, c, pair, {})
                before = component_pairs(name, self.arrays, self.config, r, c, alone, {})
                out += share * (now - before)
        return self.bound_units(r, out), low >= self.config.min_overlap_minutes

    def base_bound(self, rows: IntpArray, topic_bound: FloatArray) -> FloatArray:
        """Weighted sum, unrounded, of the components that are not attribute factors.

        ``topic_bound`` bounds the topic score; shared time is bounded by what
        executive ``rows[p]`` offers; ``preferences`` counts 0 (wished pairs
        are always evaluated exactly) and custom components 1. Adding
        :meth:`attribute_part` and rounding with :data:`BOUND_SLACK` gives an
        upper bound of the rounded total.
        """
        e_min, e_pref = self.overlap.exec_bounds(rows)
        bound = Overlap(e_min, e_min, e_pref)
        total_weight = sum(self.weights.values())
        acc = np.zeros(rows.size)
        for name, weight in self.weights.items():
            if name in self._component_factor or name == "preferences":
                continue
            if name == "topic":
                value = topic_bound
            elif name.startswith("custom:"):
                value = np.ones(rows.size)
            else:
                zeros = np.zeros(rows.size, dtype=np.intp)
                value = component_pairs(name, self.arrays, self.config, rows, zeros, bound, {})
            acc += (weight / total_weight) * value
        return acc

    def attribute_part(self, r: IntpArray, c: IntpArray) -> tuple[FloatArray, MaskArray]:
        """Weighted attribute components (unrounded) and attribute rule bits of pairs."""
        if self._joint is not None:
            je, jm, value, bits = self._joint
            at = je[r] * value.shape[1] + jm[c]
            return value.take(at), bits.take(at)
        out = np.zeros(r.size)
        mask = np.zeros(r.size, dtype=np.uint16)
        for f, weighted in zip(self.factors, self._weighted, strict=True):
            out += weighted[f.exec_type[r], f.mentor_type[c]]
            mask |= f.bits[f.exec_type[r], f.mentor_type[c]]
        return out, mask

    def attribute_max(self, rows: IntpArray) -> FloatArray:
        """Largest weighted attribute part executive ``rows[p]`` can get with any mentor."""
        out = np.zeros(rows.size)
        for f, weighted in zip(self.factors, self._weighted, strict=True):
            out += weighted.max(axis=1, initial=0.0)[f.exec_type[rows]]
        return out

    def bound_units(self, rows: IntpArray, partial: FloatArray) -> NDArray[np.int64]:
        """Objective units of a bound whose weighted sum (unrounded) is ``partial``.

        The priority bonus is added as in :meth:`objective`; the repeat bonus
        is not (earlier pairs are evaluated exactly when it is positive, and a
        negative one only lowers the weight). Where data may be missing, the
        sum is multiplied by the executive's bound of the renormalisation
        factor, capped at 1 like the totals.
        """
        raised = partial + BOUND_SLACK
        if self._factor_bound is not None:
            # ``raised`` is positive, so an infinite factor gives inf, capped at 1.
            renormalise(raised, self._factor_bound[rows])
        values = np.round(raised, self.config.score_decimals)
        return np.rint((values + self.priority[rows]) * self.scale).astype(np.int64)
