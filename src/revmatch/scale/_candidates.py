"""Top-k candidate mentors per executive without scoring every pair.

The dense path scores ``n_executives x n_mentors`` pairs; at 20,000 x 200,000
that is 4 billion pairs, most of them hopeless. Here each executive *walks*
the mentors in decreasing order of an upper bound of the pair's weight and
evaluates pairs exactly only while they can still beat its ``k``-th best
allowed candidate:

1. **Topic index.** The topic score of a pair depends only on the mentor's
   levels in the topics the executive wishes (its *support*, 1-4 topics in
   typical data). Mentors are grouped by those levels (at most ``6**s``
   groups for ``s`` wished topics); every group has one exact topic score for
   the executive. With every other component replaced by its maximum for the
   executive (:meth:`PairScorer.base_bound`, :meth:`PairScorer.attribute_max`),
   a group's bound ``B0`` holds for each of its mentors, and the groups sorted
   by ``B0`` give the walk. Within a group, each executive starts at its own
   offset, so that executives with the same wishes spread over mentors that
   tie.
2. **Pair bounds.** Walked pairs get the attribute rules and components
   from tables (:meth:`PairScorer.attribute_part`), then a bound with the
   shared time bounded by what both people offer and by one week class
   (:meth:`PairScorer.time_bound`), each dropping the pairs that can no
   longer beat the current ``k``-th best.
3. **Exact.** The remaining pairs get the pair rules, their exact shared
   time and weight.

An executive stops when its ``k``-th best allowed weight is at least the
``B0`` of the next unwalked mentor. Everything it did not keep is *pruned*,
and the walk knows an upper bound of every pruned allowed pair's weight: the
largest of the weights it dropped, the bounds of pairs it did not evaluate
exactly and the next ``B0``. The certificate in :mod:`revmatch.scale._certify`
compares this bound with the executive's dual price; where that is not
enough, the walk starts again with the price as a threshold and a list twice
as long (:meth:`ProgramCandidates.expand`).

Pairs the bounds do not cover are always evaluated exactly and kept:
pairs someone ``preferred`` (their ``preferences`` component is left out of
``B0``) and, with a positive ``repeat_bonus``, earlier pairs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from revmatch._arrays import sorted_unique
from revmatch._pipeline.compile import PairSet
from revmatch.scale._pairs import PairScorer

__all__ = ["NEG", "CandidateSet", "ProgramCandidates", "Walk"]

IntpArray = NDArray[np.intp]
Int64Array = NDArray[np.int64]
MaskArray = NDArray[np.uint16]

#: "No pair": below every weight, with room to add weights without overflow.
NEG = np.iinfo(np.int64).min // 4

_TABLE_ELEMENTS = 1 << 22
_FIRST_TAKE = 64
_MAX_TAKE = 1 << 14
_PASS_PAIRS = 1 << 19
_MAX_CODE_TOPICS = 24  # 6**24 < 2**63: base-6 codes fit int64


@dataclass(frozen=True)
class CandidateSet:
    """Candidate pairs and what is known about the pairs left out.

    Attributes
    ----------
    rows, cols : ndarray of intp
        The candidate pairs (executive, mentor), allowed for the solver.
    weights : ndarray of int64
        Their objective weights in units of ``10**-score_decimals``.
    bound : ndarray of int64, shape (n_executives,)
        For each executive, an upper bound of the weight of every allowed
        pair that is not a candidate; :data:`NEG` when there is none.
    evaluated : int
        Pairs whose weight was computed exactly.
    bounded : int
        Pairs whose bound was computed.
    """

    rows: IntpArray
    cols: IntpArray
    weights: Int64Array
    bound: Int64Array
    evaluated: int
    bounded: int


@dataclass(frozen=True)
class Walk:
    """Result of walking some executives: kept pairs, new bounds, work done."""

    rows: IntpArray
    cols: IntpArray
    weights: Int64Array
    bound: Int64Array
    evaluated: int
    bounded: int


@dataclass(frozen=True)
class _TopicIndex:
    """Mentors grouped by their levels in one set of topics."""

    support: tuple[int, ...]
    order: IntpArray  # mentors sorted by group
    start: IntpArray  # group g holds order[start[g]:start[g + 1]]
    levels: NDArray[np.float64]  # (groups, len(support)) topic levels


def _topic_index(levels: NDArray[np.uint16], support: tuple[int, ...]) -> _TopicIndex:
    """Group mentors by their levels in ``support``; ``levels`` is (topics, mentors)."""
    n = levels.shape[1]
    if not support or n == 0:
        order = np.arange(n, dtype=np.intp)
        start = np.array([0, n] if n else [0], dtype=np.intp)
        return _TopicIndex(support, order, start, np.zeros((start.size - 1, len(support))))
    if 6 ** len(support) <= 1 << 16:
        # Topic levels are integers 0..5: a base-6 number is a unique group
        # code; up to six topics it fits 16 bits, where numpy's stable sort
        # is a radix sort, and the groups are read off the code counts.
        small = np.zeros(n, dtype=np.uint16)
        for power, topic in enumerate(support):
            small += levels[topic] * np.uint16(6**power)
        counts = np.bincount(small, minlength=6 ** len(support))
        present = np.flatnonzero(counts)
        start = np.concatenate([[0], np.cumsum(counts[present])]).astype(np.intp)
        powers = 6 ** np.arange(len(support))
        digits = (present[:, None] // powers) % 6
        order = np.argsort(small, kind="stable").astype(np.intp)
        return _TopicIndex(support, order, start, digits.astype(np.float64))
    if len(support) > _MAX_CODE_TOPICS:
        code = np.unique(levels[list(support)].T, axis=0, return_inverse=True)[1]
        code = code.reshape(-1).astype(np.int64)
    else:
        code = np.zeros(n, dtype=np.int64)
        for power, topic in enumerate(support):
            code += levels[topic].astype(np.int64) * np.int64(6**power)
    order = np.argsort(code, kind="stable").astype(np.intp)
    ranked = code[order]
    first = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    start = np.append(first, n).astype(np.intp)
    group_levels = levels[np.ix_(np.asarray(support, dtype=np.intp), order[first])].T
    return _TopicIndex(support, order, start, group_levels.astype(np.float64))


class ProgramCandidates:
    """Candidate generation for a compiled program (see the module notes).

    Parameters
    ----------
    scorer : PairScorer
        Exact pair evaluation of the compiled program.
    row_capacities, capacities : ndarray of int64
        Places left per executive and per mentor (after pinned pairs).
    positive_only : bool
        Allow only pairs of positive weight (``max_score``).
    taken : PairSet, optional
        Pairs the solver may not choose although they meet every rule: the
        pins and the pairs they rule out (their executives' other mentors
        of their topic groups). Default: the pins.
    """

    def __init__(
        self,
        scorer: PairScorer,
        row_capacities: Int64Array,
        capacities: Int64Array,
        positive_only: bool,
        taken: PairSet | None = None,
    ) -> None:
        arrays, config = scorer.arrays, scorer.config
        self.arrays = arrays
        self.config = config
        self.scorer = scorer
        self.row_capacities = row_capacities
        self.mentor_open = capacities > 0
        self.positive_only = positive_only
        self.taken = arrays.pinned if taken is None else taken
        n_exec = arrays.shape[0]
        tw = np.array([config.topic_weights.get(t, 1.0) for t in arrays.topics])
        self._wished = arrays.interests * tw
        self._norm = 5.0 * self._wished.sum(axis=1)
        forced = [arrays.preferred]
        if config.allow_repeats and config.repeat_bonus > 0:
            forced.append(arrays.history)
        keys = sorted_unique(np.concatenate([f.keys for f in forced]))
        self.forced = PairSet(keys.astype(np.int64), arrays.shape[1])
        # Executives with a forced pair: only their walked pairs are looked up.
        self._has_forced = np.zeros(n_exec, dtype=bool)
        self._has_forced[(self.forced.keys // max(arrays.shape[1], 1)).astype(np.intp)] = True
        self._support = [tuple(np.flatnonzero(self._wished[i] > 0).tolist()) for i in range(n_exec)]
        # Levels by topic, one contiguous row per topic: fast group codes.
        self._levels = np.ascontiguousarray(arrays.expertise.T).astype(np.uint16)

    # ------------------------------------------------------------ evaluation
    def evaluate(
        self, r: IntpArray, c: IntpArray, known: MaskArray | None = None
    ) -> tuple[NDArray[np.bool_], Int64Array]:
        """Exact: which pairs the solver may choose, and their weights in units.

        ``known``: the pairs' rule bits other than ``min_overlap``, when known.
        """
        values, mask, _ = self.scorer.exact(r, c, known=known)
        units = self.scorer.objective(r, c, values)
        ok = (mask == 0) & self.mentor_open[c] & ~self.taken.contains(r, c)
        if self.positive_only:
            ok &= units > 0
        return ok, units

    def _forced_pairs(self, execs: IntpArray) -> tuple[IntpArray, IntpArray, Int64Array]:
        width = max(self.arrays.shape[1], 1)
        keys = self.forced.keys
        rows = (keys // width).astype(np.intp)
        keep = np.isin(rows, execs) & (self.row_capacities[rows] > 0)
        r, c = rows[keep], (keys[keep] % width).astype(np.intp)
        ok, units = self.evaluate(r, c)
        return r[ok], c[ok], units[ok]

    # ------------------------------------------------------------------ walk
    def _batches(self, execs: IntpArray) -> Iterator[tuple[_TopicIndex, IntpArray]]:
        by_support: dict[tuple[int, ...], list[int]] = {}
        for e in execs.tolist():
            by_support.setdefault(self._support[e], []).append(e)
        for support in sorted(by_support):
            index = _topic_index(self._levels, support)
            members = np.asarray(by_support[support], dtype=np.intp)
            n_groups = max(int(index.start.size) - 1, 1)
            step = max(1, _TABLE_ELEMENTS // n_groups)
            for lo in range(0, members.size, step):
                yield index, members[lo : lo + step]

    def _group_bounds(
        self, index: _TopicIndex, execs: IntpArray
    ) -> tuple[Int64Array, NDArray[np.float64]]:
        """``B0`` of every (executive, mentor group) in units, and the sum without attributes."""
        n_groups = int(index.start.size) - 1
        wished = self._wished[np.ix_(execs, np.asarray(index.support, dtype=np.intp))]
        served = wished @ index.levels.T
        norm = self._norm[execs][:, None]
        # The dense path may sum the same terms in another order; the slack
        # of bound_units covers the difference.
        topic = np.divide(served, norm, out=np.zeros_like(served), where=norm > 0)
        rows = np.repeat(execs, n_groups)
        base = self.scorer.base_bound(rows, topic.reshape(-1))
        units = self.scorer.bound_units(rows, base + self.scorer.attribute_max(rows))
        return units.reshape(execs.size, n_groups), base.reshape(execs.size, n_groups)

    def walk(
        self,
        execs: IntpArray,
        keep: Int64Array,
        threshold: Int64Array,
        dual: Callable[[IntpArray, IntpArray], Int64Array] | None = None,
    ) -> tuple[Walk, Int64Array]:
        """Walk executives ``execs`` from the start.

        Parameters
        ----------
        execs : ndarray of intp
            Executives to walk.
        keep : ndarray of int64
            How many allowed pairs to keep at most, per executive.
        threshold : ndarray of int64
            Keep only pairs of weight above this, per executive; the walk
            stops once the next bound is at most ``max(k-th kept, threshold)``.
        dual : callable, optional
            ``dual(r, c)``: the part of the dual price beyond the executive's
            own (mentor price, topic-group price). With it, the second result
            counts per executive the kept pairs whose weight exceeds
            ``threshold + dual``: the pairs that break the certificate.

        Returns
        -------
        Walk
            Kept pairs, the bound of each walked executive's pruned pairs (in
            the order of ``execs``) and the work done.
        ndarray of int64
            Violations per executive (zeros without ``dual``).
        """
        parts: list[tuple[IntpArray, IntpArray, Int64Array]] = []
        bound = np.full(execs.size, NEG, dtype=np.int64)
        violations = np.zeros(execs.size, dtype=np.int64)
        # Position in ``execs`` of every walked executive.
        position = np.full(self.arrays.shape[0], -1, dtype=np.intp)
        position[execs] = np.arange(execs.size)
        evaluated = bounded = 0
        for index, batch in self._batches(execs):
            where = position[batch]
            out = self._walk_batch(index, batch, keep[where], threshold[where])
            kept_r, kept_c, kept_w, b, n_eval, n_bound = out
            parts.append((kept_r, kept_c, kept_w))
            bound[where] = b
            evaluated += n_eval
            bounded += n_bound
            if dual is not None and kept_r.size:
                over = kept_w > threshold[position[kept_r]] + dual(kept_r, kept_c)
                np.add.at(violations, position[kept_r[over]], 1)
        if parts:
            rows = np.concatenate([p[0] for p in parts])
            cols = np.concatenate([p[1] for p in parts])
            weights = np.concatenate([p[2] for p in parts])
        else:
            rows = cols = np.zeros(0, np.intp)
            weights = np.zeros(0, np.int64)
        return Walk(rows, cols, weights, bound, evaluated, bounded), violations

    def _walk_batch(
        self, index: _TopicIndex, execs: IntpArray, keep: Int64Array, threshold: Int64Array
    ) -> tuple[IntpArray, IntpArray, Int64Array, Int64Array, int, int]:
        n_mentors = self.arrays.shape[1]
        nb = execs.size
        group_bound, group_base = self._group_bounds(index, execs)
        n_groups = group_bound.shape[1]
        sizes = np.diff(index.start)
        group_order = np.argsort(-group_bound, axis=1, kind="stable")
        sorted_bound = np.take_along_axis(group_bound, group_order, axis=1)
        cum = np.cumsum(sizes[group_order], axis=1)
        # Rows of `cum` laid end to end, so that one searchsorted serves all.
        stride = n_mentors + 1
        flat_cum = (cum + (np.arange(nb) * stride)[:, None]).reshape(-1)
        floor = np.maximum(threshold, 0) if self.positive_only else threshold.copy()

        def next_bound(pos: Int64Array) -> Int64Array:
            j = np.searchsorted(flat_cum, pos + np.arange(nb) * stride, side="right")
            j = j - np.arange(nb) * n_groups
            out = np.full(nb, NEG, dtype=np.int64)
            inside = pos < n_mentors
            out[inside] = sorted_bound[np.flatnonzero(inside), j[inside]]
            return out

        pos = np.zeros(nb, dtype=np.int64)
        dropped = np.full(nb, NEG, dtype=np.int64)
        kept: list[tuple[IntpArray, IntpArray, Int64Array]] = []
        kept_e = np.zeros(0, np.intp)
        kept_c = np.zeros(0, np.intp)
        kept_w = np.zeros(0, np.int64)
        kth = np.full(nb, NEG, dtype=np.int64)
        # A first pass of a few times k pairs; later passes double it.
        take = np.clip(4 * np.minimum(keep, _FIRST_TAKE), _FIRST_TAKE, _MAX_TAKE)
        active = (self.row_capacities[execs] > 0) & (next_bound(pos) > floor)
        evaluated = bounded = 0
        while active.any():
            e_act = np.flatnonzero(active)
            step = np.minimum(take[e_act], n_mentors - pos[e_act])
            # Pairs of one pass are evaluated in slices of about _PASS_PAIRS,
            # each executive's pairs in one slice.
            slice_of = (np.cumsum(step) - step) // _PASS_PAIRS
            for label in sorted_unique(slice_of).tolist():
                part = slice_of == label
                e_part, s_part = e_act[part], step[part]
                e_loc = np.repeat(e_part, s_part)
                offset = np.arange(e_loc.size) - np.repeat(np.cumsum(s_part) - s_part, s_part)
                p = pos[e_loc] + offset
                j = np.searchsorted(flat_cum, p + e_loc * stride, side="right")
                j = j - e_loc * n_groups
                group = group_order[e_loc, j]
                # Each executive starts every group at its own offset, so that
                # executives with the same wishes spread over mentors that tie.
                within = p - (cum[e_loc, j] - sizes[group])
                within = (within + _mix(execs[e_loc], group)) % sizes[group]
                c = index.order[index.start[group] + within]
                pos[e_part] += s_part
                base = group_base[e_loc, group]
                n_bound, n_eval = self._visit(execs, e_loc, c, base, floor, kth, dropped, kept)
                bounded += n_bound
                evaluated += n_eval
                # Fold the new pairs into the kept lists: weight descending, then
                # a per-executive tie-break.
                e_all = np.concatenate([kept_e, *(k[0] for k in kept)])
                c_all = np.concatenate([kept_c, *(k[1] for k in kept)])
                w_all = np.concatenate([kept_w, *(k[2] for k in kept)])
                kept.clear()
                order = np.lexsort((_mix(execs[e_all], c_all), -w_all, e_all))
                e_all, c_all, w_all = e_all[order], c_all[order], w_all[order]
                rank = np.arange(e_all.size) - np.searchsorted(e_all, e_all)
                stay = rank < keep[e_all]
                np.maximum.at(dropped, e_all[~stay], w_all[~stay])
                kept_e, kept_c, kept_w = e_all[stay], c_all[stay], w_all[stay]
                full = np.bincount(kept_e, minlength=nb) >= keep
                last = np.searchsorted(kept_e, np.arange(nb), side="right") - 1
                kth = np.where(full, kept_w[np.maximum(last, 0)] if kept_w.size else NEG, NEG)
            take[e_act] = np.minimum(2 * take[e_act], _MAX_TAKE)
            active &= next_bound(pos) > np.maximum(kth, floor)
        pruned = np.maximum(dropped, next_bound(pos))
        # Executives without places left have no allowed pair at all.
        pruned[self.row_capacities[execs] <= 0] = NEG
        return execs[kept_e], kept_c, kept_w, pruned, evaluated, bounded

    def _visit(
        self,
        execs: IntpArray,
        e_loc: IntpArray,
        c: IntpArray,
        base: NDArray[np.float64],
        floor: Int64Array,
        kth: Int64Array,
        dropped: Int64Array,
        kept: list[tuple[IntpArray, IntpArray, Int64Array]],
    ) -> tuple[int, int]:
        """Bound, then evaluate, the walked pairs ``(execs[e_loc], c)``.

        Three filters of rising cost: the attribute bound (one table lookup
        added to the group's ``base``), the shared-time bound (what each
        person offers, one week class), the exact evaluation. A pair goes on while it can still beat
        ``max(kth, floor)``; exact pairs are appended to ``kept`` when allowed
        and above ``floor``, and the bound of every other allowed-looking pair
        goes into ``dropped``. Returns the number of pairs bounded and
        evaluated.
        """
        r = execs[e_loc]
        if len(self.forced):
            free = np.ones(r.size, dtype=bool)
            maybe = np.flatnonzero(self._has_forced[r])
            free[maybe] = ~self.forced.contains(r[maybe], c[maybe])
            r, c, e_loc, base = r[free], c[free], e_loc[free], base[free]
        bar = np.maximum(kth, floor)
        attribute, mask = self.scorer.attribute_part(r, c)
        b0 = self.scorer.bound_units(r, base + attribute)
        ok0 = (mask == 0) & self.mentor_open[c]
        on = ok0 & (b0 > bar[e_loc])
        quiet = ok0 & ~on
        np.maximum.at(dropped, e_loc[quiet], b0[quiet])
        r, c, e_loc, base, attribute = r[on], c[on], e_loc[on], base[on], attribute[on]
        b1, enough = self.scorer.time_bound(r, c, base + attribute)
        exact = enough & (b1 > bar[e_loc])
        quiet = enough & ~exact
        np.maximum.at(dropped, e_loc[quiet], b1[quiet])
        r, c, e_loc = r[exact], c[exact], e_loc[exact]
        # Attribute rules passed above; the pair rules come last, on few pairs.
        ok2, w = self.evaluate(r, c, known=self.scorer.pair_bits(r, c))
        r, c, e_loc, w = r[ok2], c[ok2], e_loc[ok2], w[ok2]
        low = w <= floor[e_loc]
        np.maximum.at(dropped, e_loc[low], w[low])
        kept.append((e_loc[~low], c[~low], w[~low]))
        return int(on.size), int(exact.sum())

    # ------------------------------------------------------------ public API
    def initial(self, k: int) -> CandidateSet:
        """The ``k`` best allowed mentors of every executive (times its places).

        Returns
        -------
        CandidateSet
            Candidates (plus forced pairs) and the bound of the pruned ones.
        """
        n_exec = self.arrays.shape[0]
        execs = np.arange(n_exec, dtype=np.intp)
        keep = k * np.maximum(self.row_capacities, 1)
        walk, _ = self.walk(execs, keep, np.full(n_exec, NEG, dtype=np.int64))
        fr, fc, fw = self._forced_pairs(execs)
        return CandidateSet(
            rows=np.concatenate([walk.rows, fr]),
            cols=np.concatenate([walk.cols, fc]),
            weights=np.concatenate([walk.weights, fw]),
            bound=walk.bound,
            evaluated=walk.evaluated + int(fr.size),
            bounded=walk.bounded,
        )

    def expand(
        self,
        execs: IntpArray,
        threshold: Int64Array,
        dual: Callable[[IntpArray, IntpArray], Int64Array],
        keep: Int64Array,
    ) -> tuple[Walk, Int64Array]:
        """The ``keep`` best allowed pairs of ``execs`` above ``threshold``, walked afresh.

        Returns
        -------
        Walk
            Those pairs and the new bounds of the pairs left out.
        ndarray of int64
            Per executive, the kept pairs that break the dual certificate.
        """
        return self.walk(execs, keep, threshold, dual)


def _mix(a: IntpArray, b: IntpArray) -> Int64Array:
    """A fixed pseudo-random number per (a, b): tie-breaks that differ between executives.

    Ties between mentors are broken the same way in every run (the inputs are
    indices in id order), but differently for each executive, which keeps
    executives with the same wishes from all listing the same few mentors.
    """
    x = a.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + b.astype(np.uint64)
    x ^= x >> np.uint64(31)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(29)
    return (x >> np.uint64(2)).astype(np.int64)

