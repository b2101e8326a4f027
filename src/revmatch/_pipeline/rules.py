"""Hard rules: which executive–mentor pairs are forbidden, and why.

Each rule sets one bit of a ``uint16`` reason mask per pair; a pair is
feasible when its mask is zero. Bits follow :data:`~revmatch.models.REASONS`:

==================  ==========================================================
``reporting_chain``  the executive is above the mentor along solid or dotted lines
``blocked``          either person lists the other in ``blocked``
``min_overlap``      the smallest weekly shared time is below the minimum
``language``         both list languages and share none
``location``         no meeting form suits both (mode and location)
``same_department``  same department while ``exclude_same_department`` is set
``not_junior``       grades on both sides and the gap is below ``min_grade_gap``
``repeat``           the pair met in an earlier round (``history``)
``skip_level``       the mentor reports to a peer of the executive while
                     ``exclude_skip_level`` is set (:mod:`.lines`)
==================  ==========================================================
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Protocol, TypeVar, cast

import numpy as np
from numpy.typing import NDArray

from ..models import REASONS, MatchConfig
from .compile import MODES, ProgramArrays

__all__ = ["REASON_BITS", "decode_reasons", "force_pinned", "reason_block", "reason_counts"]

REASON_BITS: Mapping[str, int] = {name: 1 << i for i, name in enumerate(REASONS)}
"""Bit of each reason code in a reason mask."""

_ONSITE, _REMOTE = MODES.index("onsite"), MODES.index("remote")


def reason_block(
    arrays: ProgramArrays,
    config: MatchConfig,
    rows: slice,
    min_overlap: NDArray[np.float64],
) -> NDArray[np.uint16]:
    """Reason masks for executives ``rows`` against every mentor.

    Parameters
    ----------
    arrays : ProgramArrays
        The compiled program.
    config : MatchConfig
        Thresholds and switches.
    rows : slice
        Executive rows of this block.
    min_overlap : ndarray
        Minimum weekly shared minutes for the block, shape (rows, mentors).

    Returns
    -------
    ndarray of uint16
        Bit mask per pair; 0 means feasible.
    """
    n_rows = rows.stop - rows.start
    mask = np.zeros((n_rows, arrays.shape[1]), dtype=np.uint16)
    bits = REASON_BITS

    r, c = arrays.chain.block(rows)
    mask[r, c] |= bits["reporting_chain"]
    r, c = arrays.blocked.block(rows)
    mask[r, c] |= bits["blocked"]
    if config.exclude_skip_level:
        r, c = arrays.skip_level.block(rows)
        mask[r, c] |= bits["skip_level"]
    if not config.allow_repeats:
        r, c = arrays.history.block(rows)
        mask[r, c] |= bits["repeat"]

    _flag(mask, min_overlap < config.min_overlap_minutes, bits["min_overlap"])

    if config.require_shared_language and arrays.languages:
        _flag(mask, _no_shared_language(arrays, rows), bits["language"])

    _flag(mask, ~_meeting_possible(arrays, rows), bits["location"])

    if config.exclude_same_department:
        ed = arrays.exec_department[rows][:, None]
        md = arrays.mentor_department[None, :]
        _flag(mask, (ed >= 0) & (ed == md), bits["same_department"])

    exec_grade = arrays.exec_grade[rows]
    # Rounding is monotone: when the least senior executive is far enough above
    # the most senior mentor, so is every pair, and no gap need be computed.
    least = np.nanmin(exec_grade, initial=np.inf) - np.nanmax(arrays.mentor_grade, initial=-np.inf)
    if least < config.min_grade_gap:
        gap = exec_grade[:, None] - arrays.mentor_grade[None, :]
        with np.errstate(invalid="ignore"):
            not_junior = gap < config.min_grade_gap  # NaN (unknown grade) compares False
        _flag(mask, not_junior, bits["not_junior"])
    return mask


def _flag(mask: NDArray[np.uint16], where: NDArray[np.bool_], bit: int) -> None:
    """Set ``bit`` in ``mask`` where ``where`` holds (no index arrays, no masked loop)."""
    if where.any():  # most rules forbid few pairs or none
        mask |= where * np.uint16(bit)


def _language_sets(spoken: NDArray[np.bool_]) -> NDArray[np.unsignedinteger[Any]]:
    """Each person's languages as bits of the smallest unsigned integers that hold them.

    ``(people, words)``; someone who lists no language gets every bit set,
    so that they share a language with everybody (the rule needs both lists).
    """
    n_languages = spoken.shape[1]
    size = next((b for b in (1, 2, 4, 8) if n_languages <= 8 * b), 8)
    packed = np.packbits(spoken, axis=1, bitorder="little")
    pad = (-packed.shape[1]) % size
    if pad:
        packed = np.concatenate([packed, np.zeros((packed.shape[0], pad), np.uint8)], axis=1)
    words = np.ascontiguousarray(packed).view(f"<u{size}")
    words[~spoken.any(axis=1)] = np.iinfo(words.dtype).max
    return words


def _no_shared_language(arrays: ProgramArrays, rows: slice) -> NDArray[np.bool_]:
    """Pairs who both list languages and share none: one AND per pair, no BLAS call."""
    execs = _language_sets(arrays.exec_languages[rows])
    mentors = _language_sets(arrays.mentor_languages)
    none = np.ones((execs.shape[0], mentors.shape[0]), dtype=np.bool_)
    for word in range(execs.shape[1]):
        none &= (execs[:, word, None] & mentors[None, :, word]) == 0
    return none


def _meeting_possible(arrays: ProgramArrays, rows: slice) -> NDArray[np.bool_]:
    """Whether some meeting form suits both people.

    In person needs neither to be remote-only and the same location (an
    unknown location is given the benefit of the doubt); video needs neither
    to be on-site-only.
    """
    em = arrays.exec_mode[rows][:, None]
    mm = arrays.mentor_mode[None, :]
    el = arrays.exec_location[rows][:, None]
    ml = arrays.mentor_location[None, :]
    same_place = (el < 0) | (ml < 0) | (el == ml)
    in_person = (em != _REMOTE) & (mm != _REMOTE) & same_place
    video = (em != _ONSITE) & (mm != _ONSITE)
    return np.asarray(in_person | video)


def decode_reasons(mask: int) -> list[str]:
    """Names of the reasons set in one mask, in :data:`REASONS` order."""
    return [name for name, bit in REASON_BITS.items() if mask & bit]


def reason_counts(masks: NDArray[np.uint16]) -> dict[str, int]:
    """Count, per reason, how many masks in ``masks`` have it set (zeros omitted)."""
    out = {}
    for name, bit in REASON_BITS.items():
        count = int(np.count_nonzero(masks & bit))
        if count:
            out[name] = count
    return out


class _RuledScores(Protocol):
    """Scores with a reason mask per pair (a :class:`~revmatch._pipeline.scoring.ScoreMatrix`)."""

    @property
    def arrays(self) -> ProgramArrays: ...

    @property
    def reasons(self) -> NDArray[np.uint16]: ...


_S = TypeVar("_S", bound=_RuledScores)


def force_pinned(scores: _S) -> tuple[_S, list[dict[str, Any]]]:
    """Let pinned pairs through the hard rules, recording which rules they break.

    Parameters
    ----------
    scores : ScoreMatrix
        Scores of a program with pinned pairs.

    Returns
    -------
    scores : ScoreMatrix
        The same scores with the reason mask cleared at pinned pairs that break
        a rule (only there; every other pair keeps its rules), so the solver
        front end accepts them. ``scores`` itself when no pin breaks a rule.
    forced : list of dict
        One record per forced pin: ``executive_id``, ``mentor_id`` and the
        ``rules`` it breaks; meant for the audit record (``audit["forced_pins"]``).

    Notes
    -----
    Forcing overrides the rules for the named pairs only, never for a pair the
    solver picks. A pin that exceeds a mentor's capacity is still an error.

    Examples
    --------
    >>> import revmatch as rm
    >>> from revmatch._pipeline.rules import force_pinned
    >>> program = rm.Program(
    ...     mentors=[{"id": "m1", "timezone": "UTC", "manager_id": "e1",
    ...               "availability": ["Mon 12:00-14:00"]}],
    ...     executives=[{"id": "e1", "timezone": "UTC", "availability": ["Mon 12:00-14:00"]}],
    ...     pinned=[{"executive_id": "e1", "mentor_id": "m1"}])
    >>> forced_scores, forced = force_pinned(rm.score(program))
    >>> forced
    [{'executive_id': 'e1', 'mentor_id': 'm1', 'rules': ['reporting_chain']}]
    """
    arrays = scores.arrays
    width = max(arrays.shape[1], 1)
    rows = (arrays.pinned.keys // width).astype(np.intp)
    cols = (arrays.pinned.keys % width).astype(np.intp)
    masks = scores.reasons[rows, cols]
    broken = np.flatnonzero(masks != 0)
    if broken.size == 0:
        return scores, []
    reasons = scores.reasons.copy()
    reasons[rows[broken], cols[broken]] = 0
    forced = [
        {
            "executive_id": arrays.exec_ids[rows[k]],
            "mentor_id": arrays.mentor_ids[cols[k]],
            "rules": decode_reasons(int(masks[k])),
        }
        for k in broken.tolist()
    ]
    return cast(_S, dataclasses.replace(cast(Any, scores), reasons=reasons)), forced
