"""The k best assignments of a program, for a committee to choose from: :func:`alternatives`."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from time import perf_counter
from typing import Any

import numpy as np

from revmatch._json import json_default
from revmatch._pipeline.assign import solver_call, with_pins
from revmatch._pipeline.prepare import prepare
from revmatch._pipeline.run import dense_result
from revmatch._pipeline.score import score_dense
from revmatch._pipeline.scoring import ComponentFn
from revmatch._progress import Progress
from revmatch.exceptions import InvalidInputError
from revmatch.models import MatchConfig, Program
from revmatch.result import MatchResult
from revmatch.scale import candidate_k
from revmatch.solvers import murty_k_best

__all__ = ["Alternatives", "Difference", "Swap", "alternatives"]


@dataclass(frozen=True)
class Swap:
    """One executive whose mentor differs from the best assignment.

    Attributes
    ----------
    executive_id : str
        The executive.
    best_mentor, mentor : str or None
        The mentor in the best assignment and in this one; None where the
        executive has one mentor fewer (unmatched, or fewer places filled).
    best_score, score : float or None
        The pair's score in the best assignment and in this one.
    """

    executive_id: str
    best_mentor: str | None
    mentor: str | None
    best_score: float | None
    score: float | None


@dataclass(frozen=True)
class Difference:
    """How one alternative differs from the best: the swapped pairs and the objective.

    Attributes
    ----------
    rank : int
        Index of the alternative (0 is the best itself).
    swaps : tuple of Swap
        Executives whose mentors differ, by executive id; with several
        mentors per executive, the sorted mentors that differ are paired up.
    objective_delta : float
        This alternative's objective value minus the best's (<= 0 unless a
        priority or repeat bonus outweighs scores; see :func:`alternatives`).
    pairs_delta : int
        Pairs in this alternative minus pairs in the best.

    Examples
    --------
    >>> import revmatch as rm
    >>> program = rm.datasets.make_program(n_executives=5, n_mentors=6, seed=1)
    >>> d = rm.alternatives(program, k=2).diff(1)
    >>> d.rank, d.objective_delta <= 0, len(d.swaps) >= 1
    (1, True, True)
    """

    rank: int
    swaps: tuple[Swap, ...]
    objective_delta: float
    pairs_delta: int

    def table(self) -> str:
        """The swaps as a fixed-width text table, then the objective difference."""
        head = f"{'executive':<14} {'best mentor':<14} {'this mentor':<14} {'score change':>12}"
        lines = [head, "-" * len(head)]
        for s in self.swaps:
            change = (s.score or 0.0) - (s.best_score or 0.0)
            lines.append(
                f"{s.executive_id:<14} {s.best_mentor or '-':<14} {s.mentor or '-':<14} "
                f"{change:>+12.3f}"
            )
        lines.append(f"objective {self.objective_delta:+.6f} against the best")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()


@dataclass(frozen=True)
class Alternatives:
    """The best assignments of one program, best first, each fully explained.

    Attributes
    ----------
    results : tuple of MatchResult
        One result per assignment, as :func:`revmatch.match` builds it;
        ``results[0]`` has the pairs and objective of ``match``.
    k : int
        How many were asked for.
    exhausted : bool
        True when fewer than ``k`` assignments exist: ``results`` then lists
        every one.

    Examples
    --------
    >>> import revmatch as rm
    >>> program = rm.datasets.make_program(n_executives=5, n_mentors=6, seed=1)
    >>> alts = rm.alternatives(program, k=3)
    >>> len(alts), alts.objectives[0] >= alts.objectives[1] >= alts.objectives[2]
    (3, True)
    """

    results: tuple[MatchResult, ...]
    k: int
    exhausted: bool

    @property
    def objectives(self) -> tuple[float, ...]:
        """The objective value of each result (``audit["objective_value"]``: its summed scores)."""
        return tuple(float(r.audit["objective_value"]) for r in self.results)

    def __len__(self) -> int:
        return len(self.results)

    def __iter__(self) -> Iterator[MatchResult]:
        return iter(self.results)

    def __getitem__(self, index: int) -> MatchResult:
        return self.results[index]

    def diff(self, index: int) -> Difference:
        """How ``results[index]`` differs from the best (``results[0]``).

        Raises
        ------
        InvalidInputError
            If ``index`` is not the index of a result.
        """
        if isinstance(index, bool) or not isinstance(index, int | np.integer):
            raise InvalidInputError(f"The 'index' of diff must be an integer. Got {index!r}.")
        if not -len(self.results) <= index < len(self.results):
            raise InvalidInputError(
                f"The 'index' of diff must be between 0 and {len(self.results) - 1}. Got {index}."
            )
        rank = int(index) % len(self.results)
        best, this = self.results[0], self.results[rank]
        return Difference(
            rank=rank,
            swaps=_swaps(best, this),
            objective_delta=round(self.objectives[rank] - self.objectives[0], 9),
            pairs_delta=len(this.pairs) - len(best.pairs),
        )

    def table(self) -> str:
        """One line per alternative: pairs, objective, difference and the swaps in short."""
        head = f"{'#':>2} {'pairs':>5} {'objective':>12} {'vs best':>10}  swaps"
        lines = [head, "-" * len(head)]
        for rank, result in enumerate(self.results):
            d = self.diff(rank)
            swaps = "; ".join(
                f"{s.executive_id}: {s.best_mentor or '-'} -> {s.mentor or '-'}" for s in d.swaps
            )
            lines.append(
                f"{rank:>2} {len(result.pairs):>5} {self.objectives[rank]:>12.6f} "
                f"{d.objective_delta:>+10.6f}  {swaps or '(the best)'}"
            )
        if self.exhausted:
            lines.append(f"only {len(self.results)} distinct assignment(s) exist (k={self.k})")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = []
        for rank, result in enumerate(self.results):
            d = self.diff(rank)
            swaps = "<br>".join(
                esc(f"{s.executive_id}: {s.best_mentor or '-'} → {s.mentor or '-'}")
                for s in d.swaps
            )
            rows.append(
                f"<tr><td>{rank}</td><td>{len(result.pairs)}</td>"
                f"<td>{self.objectives[rank]:.6f}</td><td>{d.objective_delta:+.6f}</td>"
                f"<td>{swaps or 'the best'}</td></tr>"
            )
        note = (
            f"<p>only {len(self.results)} distinct assignment(s) exist (k={self.k})</p>"
            if self.exhausted
            else ""
        )
        return (
            "<div class='revmatch-alternatives'><table><tr><th>#</th><th>pairs</th>"
            "<th>objective</th><th>vs best</th><th>swaps</th></tr>"
            f"{''.join(rows)}</table>{note}</div>"
        )

    def to_dict(self) -> dict[str, Any]:
        """The alternatives as a JSON-ready mapping: each result with its difference."""
        return {
            "k": self.k,
            "exhausted": self.exhausted,
            "alternatives": [
                {
                    "rank": rank,
                    "objective": self.objectives[rank],
                    **{
                        key: value
                        for key, value in asdict(self.diff(rank)).items()
                        if key != "rank"
                    },
                    "result": result.to_dict(),
                }
                for rank, result in enumerate(self.results)
            ],
        }

    def to_json(self, path: str | Path | None = None, *, indent: int | None = 2) -> str:
        """Serialise :meth:`to_dict` to JSON; also write it to ``path`` when given."""
        text = json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, default=json_default)
        if path is not None:
            Path(path).write_text(text + "\n", encoding="utf-8")
        return text


def _swaps(best: MatchResult, this: MatchResult) -> tuple[Swap, ...]:
    def by_executive(result: MatchResult) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for p in result.pairs:
            out.setdefault(p.executive_id, {})[p.mentor_id] = p.score
        return out

    before, after = by_executive(best), by_executive(this)
    swaps = []
    for e in sorted(before.keys() | after.keys()):
        old, new = before.get(e, {}), after.get(e, {})
        gone = sorted(old.keys() - new.keys())
        came = sorted(new.keys() - old.keys())
        for k in range(max(len(gone), len(came))):
            m_old = gone[k] if k < len(gone) else None
            m_new = came[k] if k < len(came) else None
            swaps.append(
                Swap(
                    e,
                    m_old,
                    m_new,
                    None if m_old is None else old[m_old],
                    None if m_new is None else new[m_new],
                )
            )
    return tuple(swaps)


def _check_k(k: object) -> int:
    if isinstance(k, bool) or not isinstance(k, int | np.integer):
        raise InvalidInputError(f"The 'k' of alternatives must be an integer. Got {k!r}.")
    if k < 1:
        raise InvalidInputError(f"The 'k' of alternatives must be >= 1. Got {k}.")
    return int(k)


def alternatives(
    program: Program | Mapping[str, Any],
    k: int = 5,
    config: MatchConfig | Mapping[str, Any] | None = None,
    *,
    custom: Mapping[str, ComponentFn] | None = None,
    progress: Progress | None = None,
) -> Alternatives:
    """The ``k`` best distinct assignments of a program, each explained, with what changes.

    Scores are computed once; the assignments are ranked by the solver's
    objective exactly as :func:`revmatch.match` optimises it, and every one
    obeys every rule of the program and config (hard rules, capacities,
    pins, places per executive and one mentor per topic group).

    Parameters
    ----------
    program : Program or mapping
        The validated program, or canonical data to validate.
    k : int, default 5
        How many assignments to return, >= 1.
    config : MatchConfig or mapping, optional
        Settings; ``MatchConfig()`` by default. Not with ``quotas`` or
        ``objective="maximin_groups"`` (an :class:`InvalidInputError`).
    custom : mapping of str to ComponentFn, optional
        Custom score components, as in :func:`revmatch.match`.
    progress : Progress, optional
        Called as ``progress(done, total, "alternatives")``: ``(0, k + 1)``
        once the scores are computed, ``(1, n + 1)`` when the search has found
        its ``n <= k`` assignments, then once per result built, up to
        ``(n + 1, n + 1)``.

    Returns
    -------
    Alternatives
        Results best first; ``results[0]`` has the pairs and objective value
        of ``revmatch.match(program, config)``. ``exhausted`` says when fewer
        than ``k`` assignments exist.

    Raises
    ------
    InvalidInputError
        If ``k`` is not an integer >= 1, the program or config is invalid, a
        pinned pair breaks a rule, or ``config.candidates`` selects candidate
        mode (which never scores every pair).
    InfeasibleError
        With ``config.strict`` when not every executive can be matched.

    Notes
    -----
    The assignments come from :func:`revmatch.solvers.murty_k_best` on the
    weights, mask, capacities and groups of :func:`revmatch.match` (pinned
    pairs are taken out first and added back to each). With the default
    ``coverage_then_score``, every assignment with fewer pairs comes after
    all those with the most pairs. The order follows the solver's weights,
    which include ``priority_bonus`` and ``repeat_bonus``; ``objectives``
    are the summed scores reported by ``match``, so with a bonus they need
    not decrease. Each result is explained like ``match``'s (unmatched people
    with their smallest fixes), so the cost grows with ``k``.

    Examples
    --------
    >>> import revmatch as rm
    >>> program = rm.datasets.make_program(n_executives=5, n_mentors=6, seed=1)
    >>> alts = rm.alternatives(program, k=3)
    >>> alts.results[0].pairs == rm.match(program).pairs
    True
    >>> alts.diff(0).swaps
    ()
    """
    k = _check_k(k)
    prepared = prepare(program, config)
    arrays, config = prepared.arrays, prepared.config
    if config.quotas or config.objective == "maximin_groups":
        setting = "quotas" if config.quotas else "objective='maximin_groups'"
        raise InvalidInputError(
            f"config, field {'quotas' if config.quotas else 'objective'!r}: alternatives() "
            f"ranks assignments by a sum of pair weights, which {setting} is not; "
            "use match() for it, or alternatives() without it."
        )
    audit_extra: dict[str, Any] = {}
    if config.candidates is not None:
        if candidate_k(config, arrays.shape) is not None:
            raise InvalidInputError(
                f"alternatives() scores every pair, so it does not run candidate mode "
                f"(candidates={config.candidates!r} selects it for this program); "
                "use candidates=None."
            )
        audit_extra["candidates"] = {"mode": "dense"}
    scores = score_dense(prepared, custom)
    if progress is not None:
        progress(0, k + 1, "alternatives")
    t = perf_counter()
    call = solver_call(scores)
    found = murty_k_best(k=k, **call.kwargs)
    prepared.clock.stop("solve", t)
    if progress is not None:
        progress(1, len(found) + 1, "alternatives")
    results = []
    for rank, assignment in enumerate(found):
        solved = with_pins(assignment.rows, assignment.cols, call.pins, assignment.method)
        results.append(
            dense_result(
                prepared,
                scores,
                solved,
                {**audit_extra, "alternative": {"rank": rank, "k": k}},
            )
        )
        if progress is not None:
            progress(rank + 2, len(found) + 1, "alternatives")
    return Alternatives(tuple(results), k, len(found) < k)
