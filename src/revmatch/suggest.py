"""Capacity-aware shortlists for self-selection programs.

Some programs let executives choose their mentor themselves. A naive
shortlist (each executive's ``top_n`` best scores) puts the same few popular
mentors on almost every list, and most executives then find their choice
already taken. :func:`suggest` builds the lists from successive optimal
assignments instead, so every mentor is offered only as often as their
capacity allows.

Construction
------------
Round 1 is exactly the assignment :func:`revmatch.match` chooses: same
scores, objective weights, solver method, pins and capacities. Round ``k``
is an optimal assignment with the same settings on the feasible pairs not
yet shortlisted. An executive's shortlist is the union of the first
``top_n`` rounds, ordered by round (then score, then mentor id). Hence:

* every entry is a feasible pair (no hard rule broken);
* the round-1 entries are the executive's partners in
  :func:`revmatch.match` (so, with one mentor per executive, the first entry
  is the match partner of every executive that match pairs);
* each round respects mentor capacities, so a mentor appears on at most
  ``capacity × top_n`` lists, and the entries of one round, taken together,
  form a valid assignment: if every executive picks their entry of round
  ``k``, no mentor is over capacity.

Ranks count entries on a list and may skip rounds: an executive who found
no free mentor in round 2 has its round-3 entry at rank 2.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._pipeline.assign import objective_weights, solve_scores
from ._pipeline.audit import input_digest
from ._pipeline.prepare import prepare
from ._pipeline.rules import reason_counts
from ._pipeline.score import score_dense
from ._pipeline.scoring import ComponentFn, ScoreMatrix
from .exceptions import InvalidInputError
from .models import MatchConfig, Program

__all__ = ["Shortlist", "Suggestion", "Suggestions", "suggest"]


@dataclass(frozen=True)
class Suggestion:
    """One mentor on an executive's shortlist.

    Attributes
    ----------
    mentor_id : str
        The suggested mentor.
    score : float
        Total score of the pair in 0..1.
    components : dict of str to float
        Each score component's value in 0..1.
    rank : int
        Position on the list, from 1.
    round : int
        The assignment round that suggested it; round 1 is the pair
        :func:`revmatch.match` chooses.
    pinned : bool
        Whether the program pins this pair.
    """

    mentor_id: str
    score: float
    components: dict[str, float]
    rank: int
    round: int
    pinned: bool = False


@dataclass(frozen=True)
class Shortlist:
    """The mentors suggested to one executive.

    Attributes
    ----------
    executive_id : str
        Whose list it is.
    entries : tuple of Suggestion
        The suggestions, best round first.
    wanted : int
        How many entries were asked for: ``top_n`` per open place
        (``mentors_per_executive`` minus pins) plus the pinned mentors.
    reasons : dict of str to int
        Empty for a full list. For a shorter one, reason code -> number of
        mentors it concerns: the hard rules that exclude mentors (as in
        :class:`~revmatch.result.Unmatched`), ``capacity`` (feasible mentors
        whose places went to other executives' lists whenever this list had
        room; with several mentors per executive also those serving the same
        topic as a mentor chosen in that round), ``no_capacity``
        (feasible mentors with capacity 0), ``zero_score`` (feasible mentors
        never chosen because ``objective="max_score"`` skips pairs of weight
        <= 0), ``few_mentors`` (the program has fewer mentors than wanted;
        the count is the number of mentors) or ``no_mentors`` (it has none).
    hint : str
        Why the list is short, in a sentence; empty for a full list.
    """

    executive_id: str
    entries: tuple[Suggestion, ...]
    wanted: int
    reasons: dict[str, int] = field(default_factory=dict)
    hint: str = ""

    @property
    def mentor_ids(self) -> tuple[str, ...]:
        """The suggested mentor ids, in list order."""
        return tuple(s.mentor_id for s in self.entries)

    @property
    def short(self) -> bool:
        """Whether the list has fewer entries than wanted."""
        return len(self.entries) < self.wanted

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """The reason codes, most frequent first."""
        return tuple(sorted(self.reasons, key=lambda k: (-self.reasons[k], k)))

    def __iter__(self) -> Iterator[Suggestion]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


@dataclass(frozen=True)
class Suggestions:
    """Shortlists for every executive of a program; see :func:`suggest`.

    Iterating yields one :class:`Shortlist` per executive, in id order.

    Attributes
    ----------
    shortlists : tuple of Shortlist
        One per executive (also those with an empty list), by executive id.
    top_n : int
        The requested number of rounds.
    appearances : dict of str to int
        Mentor id -> number of lists the mentor is on (every mentor, also
        those on none). Never more than ``capacity × top_n``.
    audit : dict
        Input digest, config, top_n, and per round the solver method and the
        number of new entries.
    scores : ScoreMatrix or None
        The score matrix behind the lists.
    """

    shortlists: tuple[Shortlist, ...]
    top_n: int
    appearances: dict[str, int]
    audit: dict[str, Any]
    scores: ScoreMatrix | None = field(default=None, repr=False, compare=False)

    def __iter__(self) -> Iterator[Shortlist]:
        return iter(self.shortlists)

    def __len__(self) -> int:
        return len(self.shortlists)

    def shortlist(self, executive_id: str) -> Shortlist:
        """The list of one executive.

        Raises
        ------
        InvalidInputError
            If ``executive_id`` is not an executive of the program.
        """
        for s in self.shortlists:
            if s.executive_id == executive_id:
                return s
        raise InvalidInputError(f"{executive_id!r} is not an executive of this program")

    def _component_names(self) -> list[str]:
        return sorted({n for s in self.shortlists for e in s.entries for n in e.components})

    # ----------------------------------------------------------------- outputs
    def to_records(self) -> list[dict[str, Any]]:
        """Flat records: per executive, one per entry, then one if the list is short.

        Every record has ``kind`` (``"suggestion"`` or ``"short"``),
        ``executive_id``, ``rank``, ``mentor_id``, ``score``, ``round``,
        ``pinned``, one ``c:<component>`` column per component, ``reasons``
        (``code=count`` joined by ``;``) and ``hint``; fields that do not
        apply are ``None`` or empty.
        """
        names = self._component_names()
        records: list[dict[str, Any]] = []
        for s in self.shortlists:
            for e in s.entries:
                rec: dict[str, Any] = {
                    "kind": "suggestion",
                    "executive_id": s.executive_id,
                    "rank": e.rank,
                    "mentor_id": e.mentor_id,
                    "score": e.score,
                    "round": e.round,
                    "pinned": e.pinned,
                }
                rec.update({f"c:{n}": e.components.get(n) for n in names})
                rec.update({"reasons": "", "hint": ""})
                records.append(rec)
            if s.short:
                rec = {
                    "kind": "short",
                    "executive_id": s.executive_id,
                    "rank": None,
                    "mentor_id": "",
                    "score": None,
                    "round": None,
                    "pinned": None,
                }
                rec.update({f"c:{n}": None for n in names})
                rec.update(
                    {
                        "reasons": ";".join(f"{k}={s.reasons[k]}" for k in s.reason_codes),
                        "hint": s.hint,
                    }
                )
                records.append(rec)
        return records

    def to_dict(self) -> dict[str, Any]:
        """Return the suggestions as a JSON-ready mapping."""
        return {
            "top_n": self.top_n,
            "shortlists": [asdict(s) for s in self.shortlists],
            "appearances": dict(self.appearances),
            "audit": self.audit,
        }

    def to_json(self, path: str | Path | None = None, *, indent: int | None = 2) -> str:
        """Serialise to JSON; also write it to ``path`` when given."""
        text = json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)
        if path is not None:
            Path(path).write_text(text + "\n", encoding="utf-8")
        return text

    def to_csv(self, path: str | Path | None = None) -> str:
        """Write :meth:`to_records` as CSV (to ``path`` if given) and return the text."""
        import csv
        import io

        records = self.to_records()
        columns = list(records[0]) if records else ["kind", "executive_id", "rank", "mentor_id"]
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for rec in records:
            writer.writerow({k: "" if v is None else v for k, v in rec.items()})
        text = buffer.getvalue()
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    # ----------------------------------------------------------------- display
    def summary(self) -> str:
        """One line: lists, how many are short and why, most appearances of a mentor."""
        n_short = sum(s.short for s in self.shortlists)
        line = (
            f"shortlists of up to {self.top_n} mentor(s) per place for "
            f"{len(self.shortlists)} executives: {len(self.shortlists) - n_short} full, "
            f"{n_short} shorter"
        )
        counts: dict[str, int] = {}
        for s in self.shortlists:
            if s.reasons:
                main = s.reason_codes[0]
                counts[main] = counts.get(main, 0) + 1
        if counts:
            ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            line += " (main reasons: " + ", ".join(f"{k} {v}" for k, v in ordered) + ")"
        if self.appearances:
            line += f"; no mentor is on more than {max(self.appearances.values())} list(s)"
        return line

    def table(self, limit: int | None = None) -> str:
        """A fixed-width text table of the lists (at most ``limit`` executives)."""
        names = self._component_names()
        short = {n: n.removeprefix("custom:")[:6] for n in names}
        head = (
            f"{'executive':<12} {'rank':>4} {'mentor':<12} {'score':>6} {'round':>5} "
            + " ".join(f"{short[n]:>6}" for n in names)
        )
        lines = [head.rstrip(), "-" * len(head.rstrip())]
        shown = self.shortlists if limit is None else self.shortlists[:limit]
        for s in shown:
            who = s.executive_id
            for e in s.entries:
                parts = " ".join(f"{e.components[n]:>6.2f}" for n in names)
                when = "pin" if e.pinned else str(e.round)
                row = f"{who:<12} {e.rank:>4} {e.mentor_id:<12} {e.score:>6.3f} {when:>5} {parts}"
                lines.append(row.rstrip())
                who = ""
            if s.short:
                lines.append(f"{who:<12} {'':>4} {s.hint}")
        if limit is not None and len(self.shortlists) > limit:
            lines.append(f"... {len(self.shortlists) - limit} more executives")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        esc = html.escape
        names = self._component_names()
        head = "".join(f"<th>{esc(n)}</th>" for n in names)
        rows = []
        for s in self.shortlists[:50]:
            for e in s.entries:
                cells = "".join(f"<td>{e.components[n]:.2f}</td>" for n in names)
                when = "pin" if e.pinned else str(e.round)
                rows.append(
                    f"<tr><td>{esc(s.executive_id)}</td><td>{e.rank}</td>"
                    f"<td>{esc(e.mentor_id)}</td><td>{e.score:.3f}</td><td>{when}</td>"
                    f"{cells}<td></td></tr>"
                )
            if s.short:
                rows.append(
                    f"<tr><td>{esc(s.executive_id)}</td><td></td><td></td><td></td><td></td>"
                    + "<td></td>" * len(names)
                    + f"<td>{esc(s.hint)}</td></tr>"
                )
        more = (
            f"<p>… {len(self.shortlists) - 50} more executives</p>"
            if len(self.shortlists) > 50
            else ""
        )
        return (
            f"<div class='revmatch-suggestions'><p>{esc(self.summary())}</p><table>"
            "<tr><th>executive</th><th>rank</th><th>mentor</th><th>score</th><th>round</th>"
            f"{head}<th>note</th></tr>{''.join(rows)}</table>{more}</div>"
        )


def suggest(
    program: Program | Mapping[str, Any],
    config: MatchConfig | Mapping[str, Any] | None = None,
    top_n: int = 3,
    *,
    custom: Mapping[str, ComponentFn] | None = None,
) -> Suggestions:
    """Give every executive a capacity-aware shortlist of mentors to choose from.

    Parameters
    ----------
    program : Program or mapping
        The validated program, or canonical data to validate.
    config : MatchConfig or mapping, optional
        Weights, rules and solver choice, as for :func:`revmatch.match`.
    top_n : int, default 3
        Number of assignment rounds, i.e. mentors offered per place.
    custom : mapping of str to ComponentFn, optional
        Custom score components, weighted as ``"custom:<name>"``.

    Returns
    -------
    Suggestions
        One :class:`Shortlist` per executive (by id), mentor appearances and
        an audit record.

    Raises
    ------
    InvalidInputError
        If ``top_n`` is not an integer >= 1, the program or config is
        invalid, or a pinned pair breaks a rule.
    InfeasibleError
        With ``config.strict``, exactly when :func:`revmatch.match` raises it
        (round 1); later rounds are best effort.

    Notes
    -----
    Round 1 is the assignment of :func:`revmatch.match`; round ``k`` solves
    the same problem (objective, method, capacities) on the feasible pairs
    not yet shortlisted. A list is the union of the first ``top_n`` rounds,
    ordered by round, then score, then mentor id. Ranks follow the rounds,
    not raw scores: a round-2 entry can score higher than the round-1 entry
    when round 1 gave that mentor to an executive with fewer alternatives.
    The guarantees (see the module docstring): entries are feasible, the
    round-1 entries are the :func:`revmatch.match` partners, a mentor
    appears on at most ``capacity × top_n`` lists, and the entries of one
    round together respect every capacity.

    With ``mentors_per_executive = m`` each round gives an executive up to
    ``m`` mentors, so a list holds up to ``m × top_n`` entries: ``top_n``
    options for each place. Pinned pairs are decisions already made: they
    enter the list in round 1 (marked ``pinned``), keep their mentor's seat
    in every round and fill one of the executive's places, so an executive
    whose pins fill all ``m`` places is offered no alternatives (and that
    list counts as full).

    Cost: ``top_n`` solves of the assignment problem; rounds stop early when
    no feasible pair is left.

    Examples
    --------
    >>> import revmatch as rm
    >>> from revmatch.suggest import suggest
    >>> program = rm.datasets.make_program(n_executives=6, n_mentors=9, seed=3)
    >>> lists = suggest(program, top_n=2)
    >>> len(lists)
    6
    >>> partner = rm.match(program).partner_map()
    >>> all(s.entries[0].mentor_id == partner[s.executive_id] for s in lists if s.entries)
    True
    >>> caps = {m.id: m.capacity for m in program.mentors}
    >>> all(n <= caps[m] * 2 for m, n in lists.appearances.items())
    True
    """
    if isinstance(top_n, bool) or not isinstance(top_n, int | np.integer) or top_n < 1:
        raise InvalidInputError(f"The 'top_n' of suggest() must be an integer >= 1. Got {top_n!r}.")
    top_n = int(top_n)
    prepared = prepare(program, config)
    return _shortlists(prepared.program, score_dense(prepared, custom), top_n)


def _rounds(
    scores: ScoreMatrix, top_n: int
) -> tuple[NDArray[np.int64], NDArray[np.bool_], list[dict[str, Any]]]:
    """Run the rounds; return each pair's round (0 = not listed), pins, round log."""
    round_of = np.zeros(scores.shape, dtype=np.int64)
    pinned = np.zeros(scores.shape, dtype=bool)
    log: list[dict[str, Any]] = []
    # Round 1 must equal match(), strict included; after it, fewer pairs are
    # left by construction, so strict coverage would fail for no fault of the
    # data: later rounds are best effort.
    later = replace(scores, config=scores.config.replace(strict=False))
    for k in range(1, top_n + 1):
        if k == 1:
            rows, cols, pins, method = solve_scores(scores)
            pinned[rows[pins], cols[pins]] = True
        else:
            rows, cols, pins, method = solve_scores(later, feasible=round_of == 0)
            # Pins come back every round; they were listed in round 1.
            rows, cols = rows[~pins], cols[~pins]
        log.append({"round": k, "method": method, "new_entries": int(rows.size)})
        if rows.size == 0:
            break
        round_of[rows, cols] = k
    return round_of, pinned, log


def _shortlists(program: Program, scores: ScoreMatrix, top_n: int) -> Suggestions:
    arrays, config = scores.arrays, scores.config
    round_of, pinned, log = _rounds(scores, top_n)
    rows, cols = np.nonzero(round_of)
    values = scores.values[rows, cols]
    # Per executive: by round, then higher score, then mentor id (column order).
    order = np.lexsort((cols, -values, round_of[rows, cols], rows))
    rows, cols = rows[order].astype(np.intp), cols[order].astype(np.intp)
    details = scores.details(rows, cols)

    entries: dict[int, list[Suggestion]] = {}
    for k, (r, c) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
        listed = entries.setdefault(r, [])
        listed.append(
            Suggestion(
                mentor_id=arrays.mentor_ids[c],
                score=float(scores.values[r, c]),
                components={n: round(float(v[k]), 6) for n, v in details.components.items()},
                rank=len(listed) + 1,
                round=int(round_of[r, c]),
                pinned=bool(pinned[r, c]),
            )
        )

    n_pins = pinned.sum(axis=1)
    places = np.maximum(config.mentors_per_executive - n_pins, 0)
    wanted = n_pins + places * top_n
    weights = objective_weights(scores)
    lists = []
    for r, executive_id in enumerate(arrays.exec_ids):
        got = tuple(entries.get(r, ()))
        reasons: dict[str, int] = {}
        hint = ""
        if len(got) < wanted[r]:
            reasons, hint = _why_short(scores, weights, round_of, r, len(got), int(wanted[r]))
        lists.append(Shortlist(executive_id, got, int(wanted[r]), reasons, hint))

    counts = np.count_nonzero(round_of, axis=0)
    audit = {
        "input_digest": input_digest(program),
        "config": config.model_dump(mode="json"),
        "top_n": top_n,
        "rounds": log,
    }
    return Suggestions(
        shortlists=tuple(lists),
        top_n=top_n,
        appearances={m: int(counts[c]) for c, m in enumerate(arrays.mentor_ids)},
        audit=audit,
        scores=scores,
    )


def _why_short(
    scores: ScoreMatrix,
    weights: NDArray[np.float64],
    round_of: NDArray[np.int64],
    r: int,
    n_listed: int,
    wanted: int,
) -> tuple[dict[str, int], str]:
    """Reason codes and a hint for a list with fewer than ``wanted`` entries."""
    head = f"{n_listed} of {wanted} entries: "
    if scores.shape[1] == 0:
        return {"no_mentors": 0}, head + "the program has no mentors"
    reasons = reason_counts(scores.reasons[r])
    n_mentor = scores.shape[1]
    if n_mentor < wanted:
        reasons["few_mentors"] = n_mentor
    feasible = scores.reasons[r] == 0
    left = feasible & (round_of[r] == 0)
    no_capacity = left & (scores.arrays.capacities == 0)
    if scores.config.objective == "max_score":
        zero = left & ~no_capacity & (weights[r] <= 0)
    else:
        zero = np.zeros_like(left)
    # Every other feasible mentor left off was full whenever this list still
    # had room (an optimal round would otherwise have used the free seat), or,
    # with several mentors per executive, serves the topic of one chosen in
    # that round.
    taken = left & ~no_capacity & ~zero
    n_feasible = int(feasible.sum())
    if n_mentor < wanted:
        parts = [f"the program has only {n_mentor} mentor(s), {n_feasible} of them allowed"]
    elif n_feasible:
        parts = [f"{n_feasible} mentor(s) are allowed"]
    else:
        parts = ["no mentor is allowed"]
    rules = {k: v for k, v in reasons.items() if k != "few_mentors"}
    if rules:
        top = max(rules, key=lambda k: (rules[k], k))
        parts[0] += f" (most often excluded by {top}: {rules[top]})"
    for code, mask, text in (
        ("capacity", taken, "had their places taken by other executives' lists"),
        ("no_capacity", no_capacity, "have capacity 0"),
        ("zero_score", zero, "score 0 and objective 'max_score' skips them"),
    ):
        n = int(mask.sum())
        if n:
            reasons[code] = n
            parts.append(f"{n} of them {text}")
    return reasons, head + "; ".join(parts)
