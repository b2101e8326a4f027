"""Rounds, leavers and closures: the program's everyday operations.

:func:`next_round` starts the next round from a result, :func:`remove_people`
takes leavers out (keeping their reporting lines), :func:`close_pair` ends a
pair early; :func:`current_round` tells which round a result belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from revmatch._pipeline.audit import input_digest
from revmatch._pipeline.compile import compile_program
from revmatch._pipeline.report import build_result
from revmatch._pipeline.scoring import (
    ComponentFn,
    score_arrays,
)
from revmatch.exceptions import InvalidInputError, Problem
from revmatch.lifecycle._common import as_program, check_ids, result_config
from revmatch.models import HistoryEntry, Program, cut_program
from revmatch.result import MatchResult, register_operation

__all__ = ["close_pair", "current_round", "next_round", "remove_people"]


def current_round(result: MatchResult, program: Program) -> int:
    """The round a result belongs to.

    Parameters
    ----------
    result : MatchResult
        A result of :func:`~revmatch.matching.match`, :func:`rematch` or
        :func:`close_pair`.
    program : Program
        The program the result was computed for.

    Returns
    -------
    int
        ``result.audit["round"]`` when set (by :func:`rematch` and
        :func:`close_pair`), else one more than the highest round in
        ``program.history`` (1 when there is no history).

    Examples
    --------
    >>> import revmatch as rm
    >>> from revmatch.lifecycle import current_round
    >>> program = rm.datasets.make_program(n_executives=4, n_mentors=6, seed=1)
    >>> current_round(rm.match(program), program)
    1
    """
    stamped = result.audit.get("round")
    if isinstance(stamped, int) and not isinstance(stamped, bool):
        return stamped
    return max((h.round for h in program.history), default=0) + 1


# --------------------------------------------------------------------------- rounds


def next_round(result: MatchResult, program: Program, *, round: int | None = None) -> Program:
    """Start the next round of a program from this round's result.

    Parameters
    ----------
    result : MatchResult
        This round's result.
    program : Program
        This round's program.
    round : int, optional
        Round number recorded for the result's pairs; by default
        :func:`current_round`.

    Returns
    -------
    Program
        The same people with the result's pairs appended to ``history`` (so
        the next match never repeats them unless ``allow_repeats`` is set),
        ``priority`` set to the executives the result left unmatched (they
        earn ``MatchConfig.priority_bonus``) and ``pinned`` cleared: every pin
        was honoured in this round, so it is now history. A pair already in
        the history with the same round is not added twice.

    Raises
    ------
    InvalidInputError
        If ``round`` is not an integer.

    Examples
    --------
    >>> import revmatch as rm
    >>> program = rm.datasets.make_program(n_executives=5, n_mentors=8, seed=2)
    >>> first = rm.match(program)
    >>> from revmatch.lifecycle import next_round
    >>> second_program = next_round(first, program)
    >>> {(h.executive_id, h.mentor_id) for h in second_program.history} == {
    ...     (p.executive_id, p.mentor_id) for p in first.pairs}
    True
    >>> second = rm.match(second_program)
    >>> any((p.executive_id, p.mentor_id) in {(h.executive_id, h.mentor_id)
    ...     for h in second_program.history} for p in second.pairs)
    False
    """
    if round is None:
        number = current_round(result, program)
    elif isinstance(round, bool) or not isinstance(round, int):
        raise InvalidInputError(
            Problem(f"expected an integer. Got {round!r}", field="round", expected="an int")
        )
    else:
        number = round
    seen = {(h.executive_id, h.mentor_id, h.round) for h in program.history}
    added = []
    for p in result.pairs:
        key = (p.executive_id, p.mentor_id, number)
        if key not in seen:
            seen.add(key)
            added.append(
                HistoryEntry(executive_id=p.executive_id, mentor_id=p.mentor_id, round=number)
            )
    present = {e.id for e in program.executives}
    priority = tuple(u.id for u in result.unmatched if u.role == "executive" and u.id in present)
    return program.replace(history=(*program.history, *added), pinned=(), priority=priority)


def remove_people(program: Program, ids: Iterable[str]) -> Program:
    """Remove mentors and executives from a program, keeping their reporting lines.

    Parameters
    ----------
    program : Program
        The program.
    ids : iterable of str
        Ids of mentors or executives who leave.

    Returns
    -------
    Program
        The program without them. Each leaver becomes an ``org`` entry with
        their manager, so reporting chains that pass through them still
        forbid the pairs they forbade (a mentor two levels below an executive
        stays below them when the manager in between leaves). ``org`` is
        rewritten with one entry per id of the whole chart (see
        :func:`revmatch.models.cut_program`). Pins and priority entries that
        name a leaver are dropped; ``history`` is kept.

    Raises
    ------
    InvalidInputError
        If an id is not a mentor or executive of the program (every such id
        is named).

    Examples
    --------
    >>> import revmatch as rm
    >>> program = rm.datasets.make_program(n_executives=4, n_mentors=6, seed=1)
    >>> from revmatch.lifecycle import remove_people
    >>> smaller = remove_people(program, ["m-0001", "e-0002"])
    >>> len(smaller.mentors), len(smaller.executives)
    (5, 3)
    >>> any(o.id == "m-0001" for o in smaller.org)
    True
    """
    people = {p.id: p for p in program.people()}
    gone = set(check_ids(list(ids), set(people), "a mentor or executive of this program", "ids"))
    if not gone:
        return program
    return cut_program(
        program,
        [pid for pid in people if pid not in gone],
        pinned=tuple(
            p for p in program.pinned if p.executive_id not in gone and p.mentor_id not in gone
        ),
        priority=tuple(p for p in program.priority if p not in gone),
    )


def close_pair(
    result: MatchResult,
    program: Program | Mapping[str, Any] | None,
    executive_id: str,
    reason: str,
    *,
    mentor_id: str | None = None,
    executive_done: bool = True,
    custom: Mapping[str, ComponentFn] | None = None,
) -> tuple[MatchResult, Program]:
    """Close a pair before the round ends.

    Parameters
    ----------
    result : MatchResult
        The current result.
    program : Program, mapping or None
        The program the result was computed for; ``None`` takes it from the
        result's score matrix (absent when the result was read from JSON).
    executive_id : str
        The executive whose pair closes.
    reason : str
        Why, in words (e.g. ``"executive feels done"``); kept in the audit.
    mentor_id : str, optional
        Close only the pair with this mentor (for executives with several
        mentors); by default every pair of the executive.
    executive_done : bool, default True
        The executive is done for this round and leaves the program (with
        :func:`remove_people`, so their reporting lines stay). With ``False``
        they stay, unmatched, and a later :func:`rematch` may pair them with
        someone else. Either way, an executive who still has another open
        pair stays.
    custom : mapping of str to ComponentFn, optional
        Custom score components of the result's config (taken from the
        result's score matrix when it has one).

    Returns
    -------
    result : MatchResult
        The result without the closed pair(s), rebuilt against the new
        program: metrics, unmatched people and spare capacity are up to date.
        ``audit["closed"]`` lists every closure of the round with its reason
        and ``audit["round"]`` the round.
    program : Program
        The program with the closed pair(s) in ``history`` (round
        :func:`current_round`), so they are never formed again by default,
        and without pins on them.

    Raises
    ------
    InvalidInputError
        If the executive has no such pair in the result, the reason is empty,
        ``program`` is None for a result read from JSON, or the result was
        computed for another program (its
        ``audit["input_digest"]`` differs): close pairs on the program the
        result came from, or :func:`rematch` first.

    Examples
    --------
    >>> import revmatch as rm
    >>> program = rm.datasets.make_program(n_executives=5, n_mentors=8, seed=2)
    >>> result = rm.match(program)
    >>> who = result.pairs[0].executive_id
    >>> from revmatch.lifecycle import close_pair
    >>> after, program2 = close_pair(result, program, who, "executive feels done")
    >>> len(after.pairs) == len(result.pairs) - 1, who in {e.id for e in program2.executives}
    (True, False)
    >>> after.audit["closed"][0]["reason"]
    'executive feels done'
    """
    if program is None:
        if result.program is None:
            raise InvalidInputError(
                Problem(
                    "this result was read from JSON and does not carry its program",
                    field="program",
                    expected="the program the result was computed for",
                )
            )
        program = result.program
    program = as_program(program)
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInputError(
            Problem("a closure needs a reason", field="reason", expected="a non-empty text")
        )
    digest = result.audit.get("input_digest")
    if digest is not None and digest != input_digest(program):
        raise InvalidInputError(
            "the result was not computed for this program (their input digests differ); "
            "close pairs on the program the result came from, or rematch first"
        )
    closing = [
        p
        for p in result.pairs
        if p.executive_id == executive_id and (mentor_id is None or p.mentor_id == mentor_id)
    ]
    if not closing:
        with_whom = "" if mentor_id is None else f" with mentor {mentor_id!r}"
        raise InvalidInputError(
            Problem(
                f"executive {executive_id!r} has no open pair{with_whom} in this result",
                field="executive_id",
                expected="an executive paired in the result",
            )
        )
    number = current_round(result, program)
    closed = {(p.executive_id, p.mentor_id) for p in closing}
    history = (
        *program.history,
        *(HistoryEntry(executive_id=e, mentor_id=m, round=number) for e, m in sorted(closed)),
    )
    new_program = program.replace(
        history=history,
        pinned=tuple(p for p in program.pinned if (p.executive_id, p.mentor_id) not in closed),
    )
    remaining = [p for p in result.pairs if (p.executive_id, p.mentor_id) not in closed]
    if executive_done and not any(p.executive_id == executive_id for p in remaining):
        new_program = remove_people(new_program, [executive_id])

    config = result_config(result)
    if custom is None and result.scores is not None:
        custom = result.scores.custom
    arrays = compile_program(new_program, config)
    scores = score_arrays(arrays, config, custom=custom)
    rows = np.array([arrays.exec_index[p.executive_id] for p in remaining], dtype=np.intp)
    cols = np.array([arrays.mentor_index[p.mentor_id] for p in remaining], dtype=np.intp)
    order = np.lexsort((cols, rows))
    rows, cols = rows[order], cols[order]
    log = [dict(entry) for entry in result.audit.get("closed", [])]
    log += [
        {"executive_id": e, "mentor_id": m, "reason": reason.strip(), "round": number}
        for e, m in sorted(closed)
    ]
    extra: dict[str, Any] = {"round": number, "closed": log}
    if "forced_pins" in result.audit:
        extra["forced_pins"] = result.audit["forced_pins"]
    new_result = build_result(
        new_program,
        scores,
        rows,
        cols,
        arrays.pinned.contains(rows, cols),
        method=str(result.audit.get("method", "unknown")),
        audit_extra=extra,
    )
    return new_result, new_program


register_operation("close", close_pair)
