"""Many independent cohorts at once, on any :class:`concurrent.futures.Executor`."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from revmatch._pipeline.scoring import ComponentFn
from revmatch.exceptions import InvalidInputError, RevmatchError
from revmatch.models import Executive, MatchConfig, Mentor, Program, cut_program
from revmatch.result import MatchResult
from revmatch.scale._match import match_program

__all__ = ["SPLIT_FIELDS", "CohortError", "CohortFailure", "match_many", "split_by"]

SPLIT_FIELDS: tuple[str, ...] = ("department", "location", "timezone", "region")
"""Fields :func:`split_by` can cut a program by."""


class CohortError(RevmatchError):
    """One cohort of :func:`match_many` failed.

    Attributes
    ----------
    index : int
        Position of the cohort in the input.
    name : str
        The cohort's program name.
    """

    def __init__(self, message: str, *, index: int, name: str) -> None:
        super().__init__(message)
        self.index = index
        self.name = name


@dataclass(frozen=True)
class CohortFailure:
    """A cohort that could not be matched, in place of its :class:`MatchResult`.

    Attributes
    ----------
    index : int
        Position of the cohort in the input.
    name : str
        The cohort's program name (``"cohort <index>"`` when it has none).
    error : str
        The exception's class name, e.g. ``"InvalidInputError"``.
    message : str
        The exception's message.
    """

    index: int
    name: str
    error: str
    message: str

    def __str__(self) -> str:
        return f"cohort {self.index} ({self.name!r}) failed: {self.error}: {self.message}"

    def exception(self) -> CohortError:
        """The failure as an exception (for ``raise`` or an :class:`ExceptionGroup`)."""
        return CohortError(str(self), index=self.index, name=self.name)


Outcome = MatchResult | CohortFailure
P = TypeVar("P", Executive, Mentor)


def _name(program: Program | Mapping[str, Any], index: int) -> str:
    if isinstance(program, Program):
        return program.name
    info = program.get("program") if isinstance(program, Mapping) else None
    name = info.get("name") if isinstance(info, Mapping) else None
    return str(name) if name else f"cohort {index}"


def _match_chunk(
    first: int,
    programs: Sequence[Program | Mapping[str, Any]],
    config: MatchConfig | Mapping[str, Any] | None,
    custom: Mapping[str, ComponentFn] | None,
    scores: bool,
) -> list[Outcome]:
    """Match consecutive cohorts; a failing cohort becomes a :class:`CohortFailure`.

    Top-level (not a closure) so that process pools and Dask can pickle it.
    """
    out: list[Outcome] = []
    for offset, program in enumerate(programs):
        index = first + offset
        try:
            result = match_program(program, config, custom=custom)
        except Exception as exc:  # one cohort's failure must not cost the others
            out.append(CohortFailure(index, _name(program, index), type(exc).__name__, str(exc)))
            continue
        out.append(result if scores else dataclasses.replace(result, scores=None, program=None))
    return out


def match_many(
    programs: Iterable[Program | Mapping[str, Any]],
    config: MatchConfig | Mapping[str, Any] | None = None,
    *,
    executor: Executor | None = None,
    custom: Mapping[str, ComponentFn] | None = None,
    chunksize: int = 1,
    errors: Literal["return", "raise"] = "return",
    scores: bool = True,
) -> list[Outcome]:
    """Match independent cohorts, serially or on an executor, in input order.

    Parameters
    ----------
    programs : iterable of Program or mapping
        The cohorts (see :func:`split_by` to cut one program into cohorts).
    config : MatchConfig or mapping, optional
        Settings for every cohort.
    executor : concurrent.futures.Executor, optional
        Where to run: a ``ThreadPoolExecutor``, a ``ProcessPoolExecutor`` or
        Dask's ``distributed.Client(...).get_executor()``. ``None`` runs in
        this thread.
    custom : mapping of str to ComponentFn, optional
        Custom components; with processes or Dask they must be picklable
        (functions defined at module level).
    chunksize : int, default 1
        Cohorts per task. Larger chunks save scheduling and transfer overhead
        for many small cohorts on process pools.
    errors : {"return", "raise"}
        ``"return"``: a failing cohort yields a :class:`CohortFailure` in its
        place. ``"raise"``: after every cohort has run, raise an
        :class:`ExceptionGroup` of :class:`CohortError` if any failed.
    scores : bool, default True
        Keep each result's score matrix (``result.scores``, what
        :meth:`MatchResult.explain` needs). It holds the compiled program
        with its availability grids, some 50 times the rest of a result
        (1.4 MB for 50 x 80 people and 26 weeks); ``False`` makes results
        from processes or a cluster much cheaper to send back.

    Returns
    -------
    list of MatchResult or CohortFailure
        One entry per cohort, in input order. Each result equals that of
        ``revmatch.match(program, config)`` run alone (timings aside, and
        without ``scores`` when ``scores=False``).

    Raises
    ------
    InvalidInputError
        If ``chunksize < 1`` or ``errors`` is unknown.
    ExceptionGroup
        With ``errors="raise"``, when some cohort failed.

    Examples
    --------
    >>> import revmatch as rm
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> from revmatch.scale import match_many
    >>> cohorts = [rm.datasets.make_program(6, 9, seed=s) for s in range(3)]
    >>> with ThreadPoolExecutor(max_workers=2) as pool:
    ...     results = match_many(cohorts, executor=pool)
    >>> [r.metrics["n_executives"] for r in results]
    [6, 6, 6]
    """
    if chunksize < 1:
        raise InvalidInputError(f"The 'chunksize' must be >= 1. Got {chunksize}.")
    if errors not in ("return", "raise"):
        raise InvalidInputError(f"The 'errors' must be 'return' or 'raise'. Got {errors!r}.")
    todo = list(programs)
    chunks = [(lo, todo[lo : lo + chunksize]) for lo in range(0, len(todo), chunksize)]
    outcomes: list[Outcome] = []
    if executor is None:
        for lo, chunk in chunks:
            outcomes.extend(_match_chunk(lo, chunk, config, custom, scores))
    else:
        futures: list[Future[list[Outcome]]] = [
            executor.submit(_match_chunk, lo, chunk, config, custom, scores) for lo, chunk in chunks
        ]
        for (lo, chunk), future in zip(chunks, futures, strict=True):
            try:
                outcomes.extend(future.result())
            except Exception as exc:  # the task itself failed (pickling, a lost worker, ...)
                outcomes.extend(
                    CohortFailure(lo + k, _name(p, lo + k), type(exc).__name__, str(exc))
                    for k, p in enumerate(chunk)
                )
    failures = [o for o in outcomes if isinstance(o, CohortFailure)]
    if errors == "raise" and failures:
        raise ExceptionGroup(
            f"{len(failures)} of {len(outcomes)} cohorts failed",
            [f.exception() for f in failures],
        )
    return outcomes


def _region(zone: str) -> str:
    return zone.split("/", 1)[0]


def _value(program: Program, person: Executive | Mentor, field: str) -> str | None:
    if field == "timezone":
        return program.timezone_of(person)
    if field == "region":
        return _region(program.timezone_of(person))
    value = getattr(person, field)
    return None if value is None else str(value)


def split_by(program: Program, field: str) -> dict[str | None, Program]:
    """Cut a program into independent cohorts by department, location or time zone.

    Parameters
    ----------
    program : Program
        The whole program.
    field : {"department", "location", "timezone", "region"}
        What defines a cohort: the person's department or location, their time
        zone (the program's default zone when they give none), or its region
        (the part of the zone name before ``/``: ``Europe``, ``America``,
        ``Asia``, ...).

    Returns
    -------
    dict of str or None to Program
        One program per value, sorted by value, people without a value under
        ``None`` (last), so nobody is lost. Each cohort keeps the program's
        dates and topics, is named ``"<name> [<field>=<value>]"``, and keeps
        every reporting chain of the whole program above its people: ``org``
        names everyone on those chains who is not in the cohort (people of
        other cohorts included) with their manager, and the managers ``org``
        gave the cohort's own people, so chains through other cohorts or
        through ``org`` still forbid their pairs.
        ``blocked``/``preferred`` entries naming people of other cohorts,
        history of other cohorts and priorities are left out.

    Raises
    ------
    InvalidInputError
        If the field is unknown, or a pinned pair joins two cohorts.

    Examples
    --------
    >>> import revmatch as rm
    >>> from revmatch.scale import split_by
    >>> program = rm.datasets.make_program(n_executives=30, n_mentors=40, seed=1)
    >>> cohorts = split_by(program, "region")
    >>> sorted(cohorts, key=str)
    ['America', 'Asia', 'Europe']
    >>> sum(len(c.executives) for c in cohorts.values())
    30
    """
    if field not in SPLIT_FIELDS:
        raise InvalidInputError(
            f"Cannot split by {field!r}; expected one of: {', '.join(SPLIT_FIELDS)}."
        )
    value_of: dict[str, str | None] = {p.id: _value(program, p, field) for p in program.people()}
    for k, pin in enumerate(program.pinned):
        a, b = value_of.get(pin.executive_id), value_of.get(pin.mentor_id)
        if a != b:
            raise InvalidInputError(
                f"pinned[{k}] pairs {pin.executive_id!r} ({field}={a}) with {pin.mentor_id!r} "
                f"({field}={b}): a pinned pair must stay within one cohort."
            )
    values = sorted({v for v in value_of.values() if v is not None})
    if any(v is None for v in value_of.values()):
        values_all: list[str | None] = [*values, None]
    else:
        values_all = list(values)
    return {v: _cohort(program, field, v, value_of) for v in values_all}


def _cohort(
    program: Program, field: str, value: str | None, value_of: Mapping[str, str | None]
) -> Program:
    members = {pid for pid, v in value_of.items() if v == value}

    def own(person: P) -> P:
        blocked = tuple(x for x in person.blocked if x in members)
        preferred = tuple(x for x in person.preferred if x in members)
        if blocked == person.blocked and preferred == person.preferred:
            return person
        return person.model_copy(update={"blocked": blocked, "preferred": preferred})

    info = program.program.model_copy(
        update={"name": f"{program.name} [{field}={'' if value is None else value}]"}
    )
    return cut_program(
        program,
        members,
        prune_org=True,
        program=info,
        executives=[own(e) for e in program.executives if e.id in members],
        mentors=[own(m) for m in program.mentors if m.id in members],
        history=[
            h for h in program.history if h.executive_id in members and h.mentor_id in members
        ],
        pinned=[p for p in program.pinned if p.executive_id in members],
        priority=[p for p in program.priority if p in members],
    )
