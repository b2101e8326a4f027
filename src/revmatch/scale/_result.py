"""A :class:`~revmatch.result.MatchResult` from certified pairs, without dense matrices.

Pairs are explained exactly as in the dense path (their components, shared
time and meeting slot are computed per pair). Unmatched people:

* **Executives** (few) get their whole row computed exactly, block-wise, so
  their reason counts over every mentor, their hint and their smallest
  relaxation are those of the dense path (the relaxation up to
  :data:`FIX_LIMIT` mentors; beyond, ``fix`` is None).
* **Mentors** (at scale, most of them) get exact counts over every executive
  for all rules that do not need shared time (the attribute rules counted per
  attribute type, the pair rules from their pair sets). Shared time is known
  only for the pairs that were evaluated, so ``min_overlap`` is not counted
  for mentors; instead, the executives that pass every other rule are counted
  under the code ``outranked``: the certificate shows that each of them is at
  least as well served by its own partner(s) as by this mentor. A mentor that
  no executive passes gets the dense path's hint and relaxation (up to
  :data:`FIX_LIMIT` executives).

Reasons and hints are set at once; a relaxation needs the person's whole
line scored exactly, so it is computed on first use (``Unmatched.fix`` is
deferred, see :mod:`revmatch._lazy`), with the value it would have had.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from revmatch._arrays import sorted_unique
from revmatch._gc import collector_paused
from revmatch._lazy import InOrder, Row, deferred
from revmatch._pipeline.prepare import Prepared
from revmatch._pipeline.report import (
    build_pairs,
    executive_reasons,
    finish,
    idle_mentor,
    spare_capacity,
)
from revmatch._pipeline.scoring import PairDetails, ScoreMatrix
from revmatch.relax import smallest_relaxation
from revmatch.result import MatchResult, Role, Unmatched
from revmatch.scale._pairs import PairScorer

__all__ = ["FIX_LIMIT", "OUTRANKED", "build_candidate_result", "mentor_rule_counts"]

IntpArray = NDArray[np.intp]

OUTRANKED = "outranked"
"""Reason code of unmatched mentors in candidate mode (see the module notes)."""

FIX_LIMIT = 50_000
"""Longest line (mentors of an executive, executives of a mentor) for which an
unmatched person's smallest relaxation is computed: it loops over the line in
Python, seconds per person beyond this."""

_ROW_ELEMENTS = 1 << 21


def build_candidate_result(
    prepared: Prepared,
    scorer: PairScorer,
    rows: IntpArray,
    cols: IntpArray,
    pinned: NDArray[np.bool_],
    *,
    method: str,
    audit_extra: Mapping[str, Any],
) -> MatchResult:
    """Explain certified pairs; the candidate counterpart of the dense path's report.

    Parameters
    ----------
    prepared : Prepared
        The program, config, arrays and the timings so far (``explain`` and
        ``total`` are added).
    scorer : PairScorer
        Exact pair evaluation of the program.
    rows, cols : ndarray of intp
        Chosen pairs, sorted by (row, col).
    pinned : ndarray of bool
        Which pairs are pinned.
    method : str
        Solver of the candidate graph.
    audit_extra : mapping
        More entries for the audit record.

    Returns
    -------
    MatchResult
        With ``scores=None``: no dense score matrix exists.
    """
    arrays = scorer.arrays
    t = perf_counter()
    mentor_used = np.bincount(cols, minlength=arrays.shape[1])
    with collector_paused():
        pairs, values = build_pairs(prepared.program, scorer, rows, cols, pinned)
        people = _unmatched_executives(scorer, rows, mentor_used)
        people += _unmatched_mentors(scorer, mentor_used)
        unmatched = _with_fixes(scorer, people, mentor_used)
    # The stability audit compares every pair with the chosen ones: it needs
    # the dense matrix, which candidate mode never builds.
    return finish(
        prepared.program,
        arrays,
        prepared.config,
        pairs,
        unmatched,
        rows,
        cols,
        spare=spare_capacity(arrays, mentor_used),
        values=values,
        blocking=None,
        method=method,
        timings=prepared.clock.timings,
        explain_start=t,
        start=prepared.clock.start,
        audit_extra=audit_extra,
    )


def _lines(
    scorer: PairScorer, execs: IntpArray | None, mentors: IntpArray | None, scores: bool
) -> tuple[NDArray[np.float64], NDArray[np.uint16]]:
    """Rule masks, and with ``scores`` exact scores, of whole rows or whole columns.

    ``execs`` selects rows (all mentors each), ``mentors`` columns (all
    executives each). Without ``scores`` the values are zeros and only the
    shared time the ``min_overlap`` rule needs is computed.
    """
    r_idx = np.arange(scorer.arrays.shape[0]) if execs is None else execs
    c_idx = np.arange(scorer.arrays.shape[1]) if mentors is None else mentors
    r = np.repeat(r_idx, c_idx.size).astype(np.intp)
    c = np.tile(c_idx, r_idx.size).astype(np.intp)
    if scores:
        values, mask, _ = scorer.exact(r, c)
    else:
        values, mask = np.zeros(r.size), scorer.masks(r, c)
    return values.reshape(r_idx.size, c_idx.size), mask.reshape(r_idx.size, c_idx.size)


def _rows(
    scorer: PairScorer, execs: IntpArray, scores: bool
) -> tuple[NDArray[np.float64], NDArray[np.uint16]]:
    """:func:`_lines` of whole rows, from row-wise overlap and rule tables (same values)."""
    n_mentor = scorer.arrays.shape[1]
    if not scores:
        return np.zeros((execs.size, n_mentor)), scorer.row_masks(execs)
    known = scorer.row_bits(execs)
    values = np.zeros((execs.size, n_mentor))
    masks = np.zeros((execs.size, n_mentor), dtype=np.uint16)
    cols = np.arange(n_mentor, dtype=np.intp)
    for k, r in enumerate(execs.tolist()):
        rows = np.full(n_mentor, r, dtype=np.intp)
        values[k], masks[k], _ = scorer.exact(rows, cols, scorer.overlap.row(r), known[k])
    return values, masks


@dataclass(frozen=True)
class _LineScores(ScoreMatrix):
    """A score matrix whose every row (or column) is one exact line, without copying.

    :func:`revmatch.relax.smallest_relaxation` reads one row (or column) of
    ``values`` and ``reasons`` and asks :meth:`details` about some pairs;
    broadcasting the line to the full shape gives it the line wherever it
    looks, in O(line) memory, and :meth:`details` uses the packed overlap.
    """

    scorer: PairScorer | None = field(default=None, repr=False)

    def details(self, rows: ArrayLike, cols: ArrayLike) -> PairDetails:
        """Components and weekly shared minutes of the pairs ``(rows[k], cols[k])``."""
        assert self.scorer is not None
        r = np.asarray(rows, dtype=np.intp).ravel()
        c = np.asarray(cols, dtype=np.intp).ravel()
        overlap = self.scorer.overlap(r, c)
        comps = self.scorer.details(r, c, overlap)
        return PairDetails(
            comps, overlap.min_minutes, overlap.mean_minutes, overlap.preferred_minutes
        )


def _view(scorer: PairScorer, values: NDArray[np.float64], mask: NDArray[np.uint16]) -> ScoreMatrix:
    shape = scorer.arrays.shape
    return _LineScores(
        values=np.broadcast_to(values, shape),
        reasons=np.broadcast_to(mask, shape),
        arrays=scorer.arrays,
        config=scorer.config,
        weights=scorer.weights,
        custom=scorer.custom,
        scorer=scorer,
    )


#: An unmatched person's fields (id, role, reasons, hint, spare), and the
#: (index, role) a fix is sought for, or None.
_Person = tuple[tuple[str, Role, dict[str, int], str, int], tuple[int, str] | None]


def _unmatched_executives(
    scorer: PairScorer, rows: IntpArray, mentor_used: NDArray[np.int64]
) -> list[_Person]:
    """The unmatched executives, each with the person a fix is sought for."""
    arrays = scorer.arrays
    n_exec, n_mentor = arrays.shape
    alone = np.flatnonzero(np.bincount(rows, minlength=n_exec) == 0)
    out: list[_Person] = []
    step = max(1, _ROW_ELEMENTS // max(n_mentor, 1))
    with_fix = 0 < n_mentor <= FIX_LIMIT
    free = mentor_used < arrays.capacities
    for lo in range(0, alone.size, step):
        block = alone[lo : lo + step]
        masks = scorer.row_masks(block)
        for k, r in enumerate(block.tolist()):
            reasons, hint = executive_reasons(masks[k], arrays.capacities, free)
            sought = (r, "executive") if with_fix else None
            out.append(((arrays.exec_ids[r], "executive", reasons, hint, 0), sought))
    return out


def mentor_rule_counts(
    scorer: PairScorer,
) -> tuple[dict[str, NDArray[np.int64]], NDArray[np.int64]]:
    """Per mentor: how many executives each non-time rule excludes, and how many pass them all.

    Attribute rules are counted per attribute type (executives per type times
    the type table), pair rules from their pair sets; the executives passing
    every rule are counted on joint types, minus the pairs a pair rule
    excludes. Exact, and without touching ``n_executives x n_mentors`` pairs.

    Returns
    -------
    counts : dict of str to ndarray of int64
        Reason code -> executives it excludes, per mentor.
    passing : ndarray of int64
        Executives passing every rule except ``min_overlap``, per mentor.
    """
    arrays = scorer.arrays
    n_mentor = arrays.shape[1]
    counts: dict[str, NDArray[np.int64]] = {}
    for f in scorer.factors:
        per_type = np.bincount(f.exec_type, minlength=f.bits.shape[0]).astype(np.int64)
        counts[f.rule] = (per_type @ (f.bits != 0))[f.mentor_type].astype(np.int64)
    width = max(n_mentor, 1)
    pair_sets = scorer.pair_rules()
    for name, pair_set in pair_sets:
        counts[name] = np.bincount(pair_set.keys % width, minlength=n_mentor).astype(np.int64)
    joint_e, e_of = scorer.joint_exec
    joint_m, m_of = scorer.joint_mentor
    ok = np.ones((joint_e.shape[0], joint_m.shape[0]), dtype=bool)
    for k, f in enumerate(scorer.factors):
        ok &= f.bits[np.ix_(joint_e[:, k], joint_m[:, k])] == 0
    passing = (np.bincount(e_of, minlength=ok.shape[0]) @ ok)[m_of].astype(np.int64)
    keys = sorted_unique(np.concatenate([ps.keys for _, ps in pair_sets]))
    pr, pc = keys // width, keys % width
    excluded = ok[e_of[pr], m_of[pc]]
    passing -= np.bincount(pc[excluded], minlength=n_mentor)
    return counts, passing


def _unmatched_mentors(
    scorer: PairScorer, mentor_used: NDArray[np.int64]
) -> list[_Person]:
    """The unmatched mentors, each with the person a fix is sought for."""
    arrays = scorer.arrays
    n_exec = arrays.shape[0]
    alone = np.flatnonzero(mentor_used == 0)
    if alone.size == 0:
        return []
    counts, passing = mentor_rule_counts(scorer)
    names = list(counts)
    # One row of counts per mentor, as Python ints: no numpy scalar per look-up.
    table = np.stack([counts[name][alone] for name in names], axis=1).tolist()
    with_fix = n_exec <= FIX_LIMIT
    out: list[_Person] = []
    ids = arrays.mentor_ids
    for c, row, capacity, n_pass in zip(
        alone.tolist(),
        table,
        arrays.capacities[alone].tolist(),
        passing[alone].tolist(),
        strict=True,
    ):
        reasons = {name: v for name, v in zip(names, row, strict=True) if v}
        idle = idle_mentor(capacity, n_exec)
        sought = None
        if idle is not None:
            reasons, hint = idle
        elif n_pass:
            reasons[OUTRANKED] = n_pass
            hint = f"{n_pass} {_OUTRANKED_HINT}"
        else:
            top = max(reasons, key=lambda k: (reasons[k], k))
            hint = f"no executive is allowed; most often excluded by {top} ({reasons[top]})"
            sought = (c, "mentor") if with_fix else None
        out.append(((ids[c], "mentor", reasons, hint, capacity), sought))
    return out


_FIELDS = ("id", "role", "reasons", "hint", "spare")

_OUTRANKED_HINT = (
    "executive(s) pass every rule checked before shared time, "
    "and each is at least as well served by its own partner (certified optimum)"
)


def _with_fixes(
    scorer: PairScorer,
    people: list[_Person],
    mentor_used: NDArray[np.int64],
) -> tuple[Unmatched, ...]:
    """The :class:`Unmatched` records, each with its fix deferred where one is sought.

    A fix needs the person's whole line scored exactly (a row of all mentors
    or a column of all executives), so it is computed on first use, person
    by person (:class:`revmatch._lazy.InOrder`), with the values it would
    have had if computed at once: each fix depends only on its own line.
    """
    sought = [person for _, person in people if person is not None]

    def fix(k: int) -> Row:
        index, role = sought[k]
        if role == "executive":
            values, masks = _rows(scorer, np.array([index], dtype=np.intp), scores=True)
            view = _view(scorer, values[0], masks[0])
        else:
            values, masks = _lines(scorer, None, np.array([index], dtype=np.intp), scores=True)
            view = _view(scorer, values, masks)
        return {"fix": smallest_relaxation(view, index, role, mentor_used)}

    sources = {"fix": InOrder(fix, len(sought))}
    out: list[Unmatched] = []
    k = 0
    for fields, person in people:
        if person is None:
            out.append(Unmatched(*fields))
        else:
            out.append(deferred(Unmatched, dict(zip(_FIELDS, fields, strict=True)), k, sources))
            k += 1
    return tuple(out)
