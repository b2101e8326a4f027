"""Match results that explain themselves: pairs, unmatched people, metrics, audit.

A :class:`MatchResult` answers every "why" without re-running anything: each
:class:`Pair` carries its score parts, the topics served and the meeting
slot; each :class:`Unmatched` person carries reason codes with counts and a
hint; the audit record pins down input, settings, versions and timings.

This module is the data: the modules built on a result import it, never the
other way round. The methods that need them (:meth:`MatchResult.explain`,
:meth:`~MatchResult.close`, :meth:`~MatchResult.to_ics`,
:meth:`~MatchResult.to_html` and :meth:`~MatchResult.letters`) call an
operation that the implementing module provides when it is imported, with
one :func:`register_operation` line (as pandas' accessors are registered):
:mod:`revmatch.explain`, :mod:`revmatch.lifecycle` and
:mod:`revmatch.handouts`. ``import revmatch`` imports all three, so the
methods are always there; a method whose module was not imported says which
one to import.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from ._handout_data import Invitations, Letter
from ._json import json_default
from ._lazy import defer_fields
from .availability import Meeting
from .exceptions import InvalidInputError
from .models import COMPONENTS
from .relax import Relaxation

if TYPE_CHECKING:
    import pandas as pd

    from ._pipeline.scoring import ScoreMatrix
    from .models import Program

__all__ = ["Alternative", "Explanation", "MatchResult", "Meeting", "Pair", "Unmatched"]

Role = Literal["executive", "mentor"]

_PROVIDERS = {
    "close": "revmatch.lifecycle",
    "explain": "revmatch.explain",
    "letters": "revmatch.handouts",
    "to_html": "revmatch.handouts",
    "to_ics": "revmatch.handouts",
}
"""Each :class:`MatchResult` method implemented elsewhere -> the module that provides it."""

_OPERATIONS: dict[str, Callable[..., Any]] = {}


def register_operation(name: str, function: Callable[..., Any]) -> None:
    """Provide the :class:`MatchResult` method ``name``; called by the module that implements it.

    ``function`` takes the result first, then the method's arguments.
    """
    if name not in _PROVIDERS:
        raise ValueError(f"MatchResult has no operation {name!r}")
    _OPERATIONS[name] = function


def _operation(name: str) -> Callable[..., Any]:
    try:
        return _OPERATIONS[name]
    except KeyError:
        raise RuntimeError(
            f"MatchResult.{name}() is provided by {_PROVIDERS[name]}: import it (or revmatch)"
        ) from None


@dataclass(frozen=True)
class Pair:
    """One executive–mentor pair of a result.

    Attributes
    ----------
    executive_id, mentor_id : str
        Who is paired.
    score : float
        Total score in 0..1.
    components : dict of str to float
        Each component's value in 0..1.
    contributions : dict of str to float
        Each component's weighted share of ``score`` (they sum to it, up to
        rounding); 0 for the components in ``missing``.
    min_overlap_minutes, mean_overlap_minutes : float
        Smallest and mean weekly shared time over the program weeks.
    topics_covered, topics_uncovered : tuple of str
        Wished topics the mentor knows (level > 0) and those left uncovered.
    meeting : Meeting or None
        Proposed weekly slot, if any window of ``session_minutes`` is shared.
    pinned : bool
        Whether the pair was pinned by the program.
    executive_name, mentor_name : str or None
        Names, when the input gives them (for people-facing output only).
    missing : tuple of str
        Components left out of ``score`` because their data is missing for
        this pair (e.g. ``language`` when either person lists none; see
        ``MatchConfig.missing``): the weights were renormalised over the
        other components. Empty with ``missing="zero"``.
    """

    executive_id: str
    mentor_id: str
    score: float
    components: dict[str, float]
    contributions: dict[str, float]
    min_overlap_minutes: float
    mean_overlap_minutes: float
    topics_covered: tuple[str, ...] = ()
    topics_uncovered: tuple[str, ...] = ()
    meeting: Meeting | None = None
    pinned: bool = False
    executive_name: str | None = None
    mentor_name: str | None = None
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unmatched:
    """A person left without a partner, and why.

    Attributes
    ----------
    id : str
        The person's id.
    role : {"executive", "mentor"}
        Which side they are on.
    reasons : dict of str to int
        Reason code -> number of candidates it concerns. Hard-rule codes
        (``reporting_chain``, ``min_overlap``, ...) count the candidates the
        rule excluded; ``capacity`` counts feasible mentors that were all
        taken; ``not_chosen`` counts feasible executives who have all the
        mentors they may have; ``quota`` counts feasible partners (with
        room, for a mentor's executives) whose pair added to the result would
        break a quota; ``no_gain`` counts feasible partners with room
        left whose pair would not raise the objective; ``no_capacity`` marks
        a mentor of capacity 0, and on an executive counts the feasible
        mentors of capacity 0; ``no_mentors`` and ``no_executives`` mark
        empty supply.
    hint : str
        A sentence for people.
    spare : int
        For mentors, the unused capacity.
    fix : Relaxation or None
        The smallest computed change of settings or capacity that admits a
        partner for the person; with ``fix.matched`` it was checked by
        solving again that the change gets them that partner (see
        :mod:`revmatch.relax`).
    """

    id: str
    role: Role
    reasons: dict[str, int]
    hint: str
    spare: int = 0
    fix: Relaxation | None = None

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """The reason codes, most frequent first."""
        return tuple(sorted(self.reasons, key=lambda k: (-self.reasons[k], k)))


# What explains a pair or an unmatched person may be computed on first use:
# a result of match() holds them deferred (see revmatch._lazy).
PAIR_DETAILS = (
    "components",
    "contributions",
    "min_overlap_minutes",
    "mean_overlap_minutes",
    "topics_covered",
    "topics_uncovered",
    "executive_name",
    "mentor_name",
    "missing",
)
"""The fields of a :class:`Pair` that explain it, computed together (the meeting apart)."""

defer_fields(Pair, (*PAIR_DETAILS, "meeting"))
defer_fields(Unmatched, ("fix",))


@dataclass(frozen=True)
class Alternative:
    """A candidate partner shown by :meth:`MatchResult.explain`."""

    id: str
    score: float
    feasible: bool
    why_not: str
    components: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Explanation:
    """Why a person got the partner(s) they got."""

    id: str
    role: Role
    partners: tuple[str, ...]
    alternatives: tuple[Alternative, ...]
    summary: str

    def __str__(self) -> str:
        lines = [self.summary]
        for alt in self.alternatives:
            mark = "feasible" if alt.feasible else "infeasible"
            lines.append(f"  {alt.id:<14} score {alt.score:.3f}  {mark:<10}  {alt.why_not}")
        return "\n".join(lines)


@dataclass(frozen=True)
class MatchResult:
    """The outcome of :func:`revmatch.match`.

    Attributes
    ----------
    pairs : tuple of Pair
        Chosen pairs, ordered by executive id then mentor id.
    unmatched : tuple of Unmatched
        Everyone without a partner (executives first, then mentors, by id).
    metrics : dict
        Coverage, score statistics, load and reason counts.
    audit : dict
        Input digest, full config, versions, method, objective, timings.
        ``timings["explain"]`` is the work :func:`revmatch.match` does
        before it returns; what the result computes when first read (pair
        explanations, meetings, fixes) is not in it.
    spare_capacity : dict of str to int
        Mentors with unused capacity (matched or not) -> spare places.
    scores : ScoreMatrix or None
        The score matrix behind the result (absent when read from JSON).
    program : Program or None
        The program the result was matched from, kept with ``scores`` (absent
        when read from JSON or solved in candidate mode). Like ``scores``, it
        is not part of the JSON, the records or equality.

    Notes
    -----
    A result of :func:`revmatch.match` computes the explanations of its pairs
    (score parts, shared minutes, topics, names, meeting) and the fixes of
    unmatched people when they are first read, each kind for all records at
    once (fixes in the order of the people, which share one budget for
    checking them), and keeps them. The values are the same whenever they
    are read; :meth:`to_json`, :meth:`to_dict`, equality and pickling read
    them all.
    """

    pairs: tuple[Pair, ...]
    unmatched: tuple[Unmatched, ...]
    metrics: dict[str, Any]
    audit: dict[str, Any]
    spare_capacity: dict[str, int] = field(default_factory=dict)
    scores: ScoreMatrix | None = field(default=None, repr=False, compare=False)
    program: Program | None = field(default=None, repr=False, compare=False)

    # ------------------------------------------------------------------ access
    def pairs_of(self, person_id: str) -> tuple[Pair, ...]:
        """Pairs that involve ``person_id`` (as executive or mentor)."""
        return tuple(p for p in self.pairs if person_id in (p.executive_id, p.mentor_id))

    def partner_map(self) -> dict[str, str]:
        """Executive id -> mentor id (first mentor when there are several)."""
        out: dict[str, str] = {}
        for p in self.pairs:
            out.setdefault(p.executive_id, p.mentor_id)
        return out

    def __iter__(self) -> Iterator[Pair]:
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)

    def close(
        self, executive_id: str, reason: str, program: Program | None = None, **options: Any
    ) -> tuple[MatchResult, Program]:
        """Close an executive's pair; it goes to the program's history.

        See :func:`revmatch.lifecycle.close_pair` for ``options``.

        Returns
        -------
        result : MatchResult
            The result without the closed pair (the people become unmatched).
        program : Program
            The program with the closed pair in ``history``.
        """
        close: Callable[..., tuple[MatchResult, Program]] = _operation("close")
        return close(self, program, executive_id, reason, **options)

    # ----------------------------------------------------------------- explain
    def explain(self, person_id: str, top_n: int = 5) -> Explanation:
        """Explain the partner(s) of a person and the best alternatives.

        Parameters
        ----------
        person_id : str
            An executive or mentor id.
        top_n : int
            How many alternatives to show.

        Returns
        -------
        Explanation
            Chosen partners, and the ``top_n`` highest-scoring other
            candidates with why each was not chosen, read off the solved
            problem: the hard rules it breaks, a mentor's capacity of 0, who
            holds all of its places, or, when it has room, what the one move
            that makes the pair (adding it, or letting it take the place of
            the person's weakest pair) does to the solver's total. A tie is
            named only when that move leaves the total unchanged. With
            quotas, a move that would break one names it, and an unmatched
            person's summary names each quota that keeps them out (see
            :func:`revmatch.explain_quotas`).

        Raises
        ------
        InvalidInputError
            If the id is unknown, or the result was read from JSON (no scores).
        """
        explain: Callable[[MatchResult, ScoreMatrix, str, int], Explanation] = _operation("explain")
        if self.scores is None:
            raise InvalidInputError(
                "this result has no score matrix (it was read from JSON); "
                "run revmatch.match again to explain it"
            )
        return explain(self, self.scores, person_id, top_n)

    # ----------------------------------------------------------------- outputs
    def to_records(self) -> list[dict[str, Any]]:
        """Flat records: one per pair, then one per unmatched person.

        Every record has ``kind`` (``"pair"`` or ``"unmatched"``),
        ``executive_id`` and ``mentor_id`` (one empty for unmatched people),
        ``score``, one ``c:<component>`` column per component, shared minutes,
        the meeting slot, and for unmatched people ``reasons`` and ``hint``.
        """
        names = sorted({n for p in self.pairs for n in p.components})
        records: list[dict[str, Any]] = []
        for p in self.pairs:
            rec: dict[str, Any] = {
                "kind": "pair",
                "executive_id": p.executive_id,
                "mentor_id": p.mentor_id,
                "executive_name": p.executive_name or "",
                "mentor_name": p.mentor_name or "",
                "score": p.score,
            }
            rec.update({f"c:{n}": p.components.get(n) for n in names})
            rec.update(
                {
                    "min_overlap_minutes": p.min_overlap_minutes,
                    "mean_overlap_minutes": p.mean_overlap_minutes,
                    "topics_covered": ";".join(p.topics_covered),
                    "topics_uncovered": ";".join(p.topics_uncovered),
                    "meeting_executive_local": p.meeting.executive_local if p.meeting else "",
                    "meeting_mentor_local": p.meeting.mentor_local if p.meeting else "",
                    "meeting_utc": p.meeting.utc if p.meeting else "",
                    "reasons": "",
                    "hint": "",
                }
            )
            records.append(rec)
        for u in self.unmatched:
            rec = {
                "kind": "unmatched",
                "executive_id": u.id if u.role == "executive" else "",
                "mentor_id": u.id if u.role == "mentor" else "",
                "executive_name": "",
                "mentor_name": "",
                "score": None,
            }
            rec.update({f"c:{n}": None for n in names})
            rec.update(
                {
                    "min_overlap_minutes": None,
                    "mean_overlap_minutes": None,
                    "topics_covered": "",
                    "topics_uncovered": "",
                    "meeting_executive_local": "",
                    "meeting_mentor_local": "",
                    "meeting_utc": "",
                    "reasons": ";".join(f"{k}={u.reasons[k]}" for k in u.reason_codes),
                    "hint": u.hint + (f" Fix: {u.fix}." if u.fix else ""),
                }
            )
            records.append(rec)
        return records

    def to_dict(self) -> dict[str, Any]:
        """Return the whole result as a JSON-ready mapping."""
        return {
            "pairs": [asdict(p) for p in self.pairs],
            "unmatched": [asdict(u) for u in self.unmatched],
            "spare_capacity": dict(self.spare_capacity),
            "metrics": self.metrics,
            "audit": self.audit,
        }

    def to_json(self, path: str | Path | None = None, *, indent: int | None = 2) -> str:
        """Serialise the result to JSON; also write it to ``path`` when given."""
        text = json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, default=json_default)
        if path is not None:
            Path(path).write_text(text + "\n", encoding="utf-8")
        return text

    @classmethod
    def from_json(cls, source: str | Path) -> MatchResult:
        """Read a result written by :meth:`to_json` (a path or the JSON text).

        Raises
        ------
        InvalidInputError
            If the text is not a revmatch result.
        """
        text = str(source)
        if not text.lstrip().startswith("{"):
            text = Path(source).read_text(encoding="utf-8")
        try:
            data = json.loads(text)
            pairs = tuple(
                Pair(
                    **{
                        **p,
                        "topics_covered": tuple(p.get("topics_covered", ())),
                        "topics_uncovered": tuple(p.get("topics_uncovered", ())),
                        "missing": tuple(p.get("missing", ())),
                        "meeting": _meeting_from(p.get("meeting")),
                    }
                )
                for p in data["pairs"]
            )
            unmatched = tuple(
                Unmatched(**{**u, "fix": _fix_from(u.get("fix"))}) for u in data["unmatched"]
            )
            return cls(
                pairs=pairs,
                unmatched=unmatched,
                metrics=dict(data.get("metrics", {})),
                audit=dict(data.get("audit", {})),
                spare_capacity=dict(data.get("spare_capacity", {})),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInputError(f"not a revmatch result: {exc}") from None

    def to_csv(self, path: str | Path | None = None) -> str:
        """Write :meth:`to_records` as CSV (to ``path`` if given) and return the text."""
        import csv
        import io

        records = self.to_records()
        buffer = io.StringIO()
        columns = list(records[0]) if records else ["kind", "executive_id", "mentor_id"]
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for rec in records:
            writer.writerow({k: "" if v is None else v for k, v in rec.items()})
        text = buffer.getvalue()
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def to_pandas(self) -> pd.DataFrame:
        """Return :meth:`to_records` as a pandas DataFrame (needs the pandas extra)."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - exercised only without pandas
            raise ImportError(
                "pandas is needed for to_pandas(): pip install 'revmatch[pandas]'"
            ) from None
        return pd.DataFrame.from_records(self.to_records())

    # ---------------------------------------------------------------- handouts
    def to_ics(
        self,
        path_or_dir: str | Path,
        *,
        program: Program | None = None,
        organizer: str | None = None,
        language: str = "en",
    ) -> Invitations:
        """Write calendar invitations: one recurring event per pair (needs the calendar extra).

        Each pair's proposed meeting becomes an RFC 5545 event in the
        executive's time zone (``TZID`` with its ``VTIMEZONE``), repeated
        weekly (``RRULE``; every two weeks for a fortnightly meeting) over the
        program's weeks, with both people as attendees when e-mails are
        given and the pair's topics, both local times and the weeks to watch
        in the description. Every session is checked again at its real
        instants: a week in which a daylight-saving change takes it out of
        someone's available time gets a moved session (``RECURRENCE-ID``) at
        the nearest shared time of that week, or an ``EXDATE`` and a line in
        the description naming the week.

        Parameters
        ----------
        path_or_dir : str or pathlib.Path
            A directory (created if needed) for one ``pair-<executive>-<mentor>.ics``
            per pair, ``all-pairs.ics`` with every event, and
            ``pairs-without-slot.txt`` when a pair has no shared slot; or a
            path ending in ``.ics`` for the combined file alone.
        program : Program, optional
            The program the result was matched from; needed for a result read
            from JSON (names, e-mails, zones and availability are not in it).
        organizer : str, optional
            The program office's e-mail, written as ``ORGANIZER``; by default
            the executive (or the mentor) organizes.
        language : {"en", "de"}
            Language of the summary and description.

        Returns
        -------
        Invitations
            The files written, the pairs without a slot, and how many
            sessions were moved or dropped.

        Raises
        ------
        ImportError
            If icalendar is not installed.
        InvalidInputError
            If no program is known or it does not hold the result's people,
            or the language is not built in.

        Examples
        --------
        >>> import tempfile, revmatch as rm
        >>> result = rm.match(rm.datasets.make_program(n_executives=4, n_mentors=6, seed=1))
        >>> invitations = result.to_ics(tempfile.mkdtemp())
        >>> invitations.combined.name
        'all-pairs.ics'
        """
        to_ics: Callable[..., Invitations] = _operation("to_ics")
        return to_ics(self, path_or_dir, program=program, organizer=organizer, language=language)

    def to_html(
        self, path: str | Path | None = None, *, program: Program | None = None, title: str = ""
    ) -> str:
        """A self-contained report page for the steering committee.

        One HTML file with inline styles and inline SVG charts (no network,
        readable on a phone, printable): headline numbers, the score
        distribution, topic coverage, mentor load, outcomes by department,
        location and ``groups`` label, fairness figures per group on both
        sides (``metrics["fairness"]``, the worst-off group marked) with the
        price of the quotas, the pairs with why and when, unmatched
        people with their reasons and the computed fix, and the hard rules'
        counts.

        Parameters
        ----------
        path : str or pathlib.Path, optional
            Where to write the page (UTF-8).
        program : Program, optional
            The program the result was matched from (for a result read from
            JSON); without one, outcomes by group are left out.
        title : str, optional
            The page title; the program's name by default.

        Returns
        -------
        str
            The page.

        Examples
        --------
        >>> import revmatch as rm
        >>> result = rm.match(rm.datasets.make_program(n_executives=4, n_mentors=6, seed=1))
        >>> page = result.to_html()
        >>> page.startswith("<!DOCTYPE html>") and "http://" not in page
        True
        """
        render: Callable[..., str] = _operation("to_html")
        page = render(self, program=program, title=title)
        if path is not None:
            Path(path).write_text(page, encoding="utf-8")
        return page

    def letters(
        self,
        template: str | Path | Mapping[str, str | Path] | None = None,
        *,
        program: Program | None = None,
        language: str | None = None,
    ) -> tuple[Letter, ...]:
        """One short letter per participant: their partner, why, when, and what to watch.

        Parameters
        ----------
        template : str, pathlib.Path or mapping, optional
            Your own template (``string.Template`` text, or a path to one) for
            every letter, or ``{"paired": ..., "unmatched": ...}``; see
            :data:`revmatch.handouts.PLACEHOLDERS` for the fields. The
            built-in Markdown templates by default.
        program : Program, optional
            The program the result was matched from (for a result read from
            JSON).
        language : {"en", "de"}, optional
            Language of the built-in words and templates; by default each
            person's first listed language that is built in, else English.

        Returns
        -------
        tuple of Letter
            One per executive and mentor of the program, executives first,
            by id. A letter names only its reader and their partners.

        Examples
        --------
        >>> import revmatch as rm
        >>> result = rm.match(rm.datasets.make_program(n_executives=4, n_mentors=6, seed=1))
        >>> letters = result.letters(language="en")
        >>> len(letters)
        10
        """
        letters: Callable[..., tuple[Letter, ...]] = _operation("letters")
        return letters(self, template, program=program, language=language)

    # ----------------------------------------------------------------- display
    def summary(self) -> str:
        """A short text summary: coverage, score statistics, unmatched reasons."""
        m = self.metrics
        lines = [
            f"matched {m.get('matched_executives', 0)} of {m.get('n_executives', 0)} executives"
            f" (coverage {m.get('coverage', 0.0):.0%}); "
            f"{m.get('n_pairs', 0)} pairs with {m.get('n_mentors', 0)} mentors",
        ]
        if self.pairs:
            lines.append(
                f"score mean {m['score_mean']:.3f}, median {m['score_median']:.3f}, "
                f"min {m['score_min']:.3f}, p10 {m['score_p10']:.3f}"
            )
        extra = []
        if m.get("topic_coverage") is not None:
            extra.append(f"topic coverage {m['topic_coverage']:.0%}")
        if m.get("mentor_capacity"):
            extra.append(f"mentor load {m['mentor_load']:.0%} of capacity")
        if m.get("blocking_pairs") is not None:
            extra.append(f"{m['blocking_pairs']} blocking pairs")
        if extra:
            lines.append("; ".join(extra))
        counts = m.get("unmatched_reasons", {})
        if counts:
            parts = ", ".join(f"{k} {v}" for k, v in counts.items())
            lines.append(f"unmatched people by reason: {parts}")
        return "\n".join(lines)

    def table(self, limit: int | None = None) -> str:
        """A fixed-width text table of the pairs (at most ``limit`` rows)."""
        names = _component_order({n for p in self.pairs for n in p.components})
        short = {n: _SHORT.get(n, n.removeprefix("custom:")[:6]) for n in names}
        head = f"{'executive':<12} {'mentor':<12} {'score':>6} " + " ".join(
            f"{short[n]:>6}" for n in names
        )
        head += f" {'min/wk':>6}  meeting (executive's time)"
        lines = [head, "-" * len(head)]
        shown = self.pairs if limit is None else self.pairs[:limit]
        for p in shown:
            parts = " ".join(f"{p.components[n]:>6.2f}" for n in names)
            meeting = p.meeting.executive_local if p.meeting else "-"
            lines.append(
                f"{p.executive_id:<12} {p.mentor_id:<12} {p.score:>6.3f} {parts} "
                f"{p.min_overlap_minutes:>6.0f}  {meeting}"
            )
        if limit is not None and len(self.pairs) > limit:
            lines.append(f"... {len(self.pairs) - limit} more pairs")
        if self.unmatched:
            lines.append("")
            lines.append(f"{'unmatched':<12} {'role':<10} reasons")
            for u in self.unmatched:
                reasons = ", ".join(f"{k} {u.reasons[k]}" for k in u.reason_codes)
                fix = f"  | fix: {u.fix}" if u.fix else ""
                lines.append(f"{u.id:<12} {u.role:<10} {reasons}{fix}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text("MatchResult(...)" if cycle else self.summary() + "\n" + self.table(limit=20))

    def _repr_html_(self) -> str:
        esc = html.escape
        names = _component_order({n for p in self.pairs for n in p.components})
        rows = []
        for p in self.pairs[:50]:
            cells = "".join(f"<td>{p.components[n]:.2f}</td>" for n in names)
            meeting = esc(p.meeting.executive_local) if p.meeting else ""
            rows.append(
                f"<tr><td>{esc(_who(p.executive_id, p.executive_name))}</td>"
                f"<td>{esc(_who(p.mentor_id, p.mentor_name))}</td>"
                f"<td>{p.score:.3f}</td>{cells}<td>{meeting}</td></tr>"
            )
        more = f"<p>… {len(self.pairs) - 50} more pairs</p>" if len(self.pairs) > 50 else ""
        head = "".join(f"<th>{esc(n)}</th>" for n in names)
        summary = "<br>".join(esc(line) for line in self.summary().splitlines())
        unmatched = "".join(
            f"<tr><td>{esc(u.id)}</td><td>{esc(u.role)}</td>"
            f"<td>{esc(', '.join(f'{k} {u.reasons[k]}' for k in u.reason_codes))}</td></tr>"
            for u in self.unmatched[:50]
        )
        unmatched_table = (
            f"<table><tr><th>unmatched</th><th>role</th><th>reasons</th></tr>{unmatched}</table>"
            if unmatched
            else ""
        )
        return (
            f"<div class='revmatch-result'><p>{summary}</p><table>"
            f"<tr><th>executive</th><th>mentor</th><th>score</th>{head}<th>meeting</th></tr>"
            f"{''.join(rows)}</table>{more}{unmatched_table}</div>"
        )


_SHORT = {
    "topic": "topic",
    "availability": "avail",
    "window": "window",
    "language": "lang",
    "place": "place",
    "department": "dept",
    "seniority": "senior",
    "preferences": "pref",
}


def _component_order(names: set[str]) -> list[str]:
    """Built-in components in their documented order, then custom ones by name."""
    return [n for n in COMPONENTS if n in names] + sorted(n for n in names if n not in COMPONENTS)


def _who(pid: str, name: str | None) -> str:
    return f"{pid} ({name})" if name else pid


def _fix_from(data: Mapping[str, Any] | None) -> Relaxation | None:
    if data is None:
        return None
    return Relaxation(**{**data, "changes": tuple(data.get("changes", ()))})


def _meeting_from(data: Mapping[str, Any] | None) -> Meeting | None:
    if data is None:
        return None
    return Meeting(**{**data, "dst_notes": tuple(data.get("dst_notes", ()))})


def score_stats(values: Sequence[float]) -> dict[str, float]:
    """Mean, median, min and 10th percentile of pair scores (0 when empty)."""
    if not values:
        return {"score_mean": 0.0, "score_median": 0.0, "score_min": 0.0, "score_p10": 0.0}
    arr = np.asarray(values, dtype=np.float64)
    return {
        "score_mean": round(float(arr.mean()), 6),
        "score_median": round(float(np.median(arr)), 6),
        "score_min": round(float(arr.min()), 6),
        "score_p10": round(float(np.percentile(arr, 10)), 6),
    }
