"""Many independent cohorts at once, on any :class:`concurrent.futures.Executor`.

What makes many small cohorts scale on processes or a cluster is what is sent
and when: a task carries a chunk of consecutive cohorts (each task costs a
scheduling round and a transfer each way), the last tasks are small so that
the workers finish together, a result comes back without its score matrix
and without the program the caller already holds, and the workers start
(imports, BLAS thread limits) once, before the first task
(:func:`process_pool`).

A task travels as one ``bytes`` object each way: the chunk pickled by the
caller, the results pickled by the worker. An executor then has nothing to
inspect or re-serialise (Dask's executor hashes every argument of a task to
name it, which for pydantic models means pickling them twice more), and the
cyclic garbage collector is paused while the many small objects of a payload
are pickled or unpickled (it would otherwise scan the heap over and over as
they appear, most of the cost of unpickling a program).
"""

from __future__ import annotations

import dataclasses
import importlib
import io
import math
import multiprocessing
import os
import pickle
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import (
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    as_completed,
)
from contextlib import contextmanager
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from revmatch._gc import collector_paused
from revmatch._pipeline.scoring import ComponentFn
from revmatch._progress import Progress
from revmatch.exceptions import InvalidInputError, RevmatchError
from revmatch.models import Executive, MatchConfig, Mentor, Program, cut_program
from revmatch.result import MatchResult
from revmatch.scale._match import match_program

__all__ = [
    "BLAS_THREAD_VARIABLES",
    "CHUNK_PAIRS",
    "DASK_CONFIG",
    "MIN_CHUNKS",
    "SPLIT_FIELDS",
    "TAPER",
    "CohortError",
    "CohortFailure",
    "match_many",
    "process_pool",
    "split_by",
]

SPLIT_FIELDS: tuple[str, ...] = ("department", "location", "timezone", "region")
"""Fields :func:`split_by` can cut a program by."""

CHUNK_PAIRS = 40_000
"""With ``chunksize=None``, a task gathers consecutive cohorts until they hold
this many executive-mentor pairs (ten cohorts of 50 x 80, some 0.3 s of work
on one core): enough for the per-task cost of a process pool or a Dask
scheduler (about 1 to 5 ms) to stay near 1%."""

MIN_CHUNKS = 32
"""With ``chunksize=None``, cohorts are cut into at least this many tasks when
there are as many cohorts, so that every worker of a cluster gets several and
the last ones finish together."""

TAPER = 2
"""With ``chunksize=None``, the last tasks hold 1, 1, 2, 2, 4, 4, ... cohorts
(each size this many times, doubling) up to the size of the others: a worker
that finishes early waits at most for one small task of another."""

DASK_CONFIG: Mapping[str, Any] = MappingProxyType(
    {
        "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
        "distributed.worker.profile.enabled": False,
        "distributed.admin.tick.interval": "500ms",
        "distributed.admin.system-monitor.interval": "2s",
        "distributed.worker.memory.monitor-interval": "1s",
    }
)
"""Dask settings for a cluster that runs :func:`match_many`: pass them to
``dask.config.set`` where the cluster's workers are started.

Dask's nanny starts every worker with ``MALLOC_TRIM_THRESHOLD_=65536``, and
setting that variable turns off glibc's adaptive threshold above which
memory comes straight from the system: every numpy array above 128 kB is
then mapped and unmapped afresh. Matching 50 x 80 cohorts in such a worker
took 1.25 to 1.45 times the CPU time it took with the variable left unset
(``None`` leaves it unset). The other settings make the cluster's
housekeeping lighter, which two workers on two cores share with the
matching: no statistical profiler sampling the tasks' stacks every 10 ms,
the event loop's tick every 500 ms rather than 20 ms, the system and memory
monitors every 2 s and 1 s rather than 0.5 s and 0.1 s. Together they took
some 10 ms of worker CPU and 7 to 15 ms of the caller's (the scheduler of a
``LocalCluster``) off each 50 x 80 cohort. The price: no profile of the
tasks in the dashboard, and memory limits enforced within a second.
Dask's other settings (one BLAS thread per worker among them) stay."""

BLAS_THREAD_VARIABLES: tuple[str, ...] = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)
"""Environment variables :func:`process_pool` sets in its workers: each
BLAS library reads its own when it loads."""


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
Cohort = Program | Mapping[str, Any]


def _name(program: Cohort, index: int) -> str:
    if isinstance(program, Program):
        return program.name
    info = program.get("program") if isinstance(program, Mapping) else None
    name = info.get("name") if isinstance(info, Mapping) else None
    return str(name) if name else f"cohort {index}"


def _match_chunk(
    first: int,
    programs: Sequence[Cohort],
    config: MatchConfig | Mapping[str, Any] | None,
    custom: Mapping[str, ComponentFn] | None,
    scores: bool,
    sent: bool = False,
) -> list[Outcome]:
    """Match consecutive cohorts; a failing cohort becomes a :class:`CohortFailure`.

    Top-level (not a closure) so that process pools and Dask can pickle it.
    ``sent``: the results travel back to a caller that holds every validated
    :class:`Program` already, so they leave it out (the caller puts it back).
    """
    out: list[Outcome] = []
    for offset, program in enumerate(programs):
        index = first + offset
        try:
            result = match_program(program, config, custom=custom)
        except Exception as exc:  # one cohort's failure must not cost the others
            out.append(CohortFailure(index, _name(program, index), type(exc).__name__, str(exc)))
            continue
        if not scores:
            result = dataclasses.replace(result, scores=None, program=None)
        elif sent and isinstance(program, Program):
            result = dataclasses.replace(result, program=None)
        out.append(result)
    return out


_set = object.__setattr__


def _model(
    cls: type[BaseModel],
    values: dict[str, Any],
    fields_set: set[str] | None,
    private: dict[str, Any] | None,
    extra: dict[str, Any] | None,
) -> BaseModel:
    """Rebuild a pydantic model as its own ``__setstate__`` does (no validation)."""
    model = cls.__new__(cls)
    _set(model, "__dict__", values)
    _set(model, "__pydantic_fields_set__", set(values) if fields_set is None else fields_set)
    _set(model, "__pydantic_extra__", extra)
    _set(model, "__pydantic_private__", private)
    return model


#: Per class: whether :class:`_Pickler` may pickle its models by their state alone.
_PLAIN: dict[type, bool] = {}


def _plain(cls: type) -> bool:
    """A revmatch pydantic model that pickles as pydantic does (no pickling of its own)."""
    plain = _PLAIN.get(cls)
    if plain is None:
        plain = _PLAIN[cls] = (
            issubclass(cls, BaseModel)
            and cls.__module__.startswith("revmatch.")
            and getattr(cls, "__getstate__", None) is BaseModel.__getstate__
            and getattr(cls, "__setstate__", None) is BaseModel.__setstate__
            and getattr(cls, "__reduce_ex__", None) is object.__reduce_ex__
        )
    return plain


class _Pickler(pickle.Pickler):
    """Pickles revmatch's pydantic models in one call each, without pydantic's state dicts.

    A model's state is its field values, its fields set (left out when they
    are all its values), its private attributes and its extra fields: what
    pydantic's ``__getstate__`` returns, without building a dict and a set
    per model (a program holds some 700 models; this takes a third off the
    time to pickle it, paid by the caller for every cohort it sends).
    """

    def reducer_override(self, obj: Any) -> Any:
        if not _plain(type(obj)):
            return NotImplemented
        values = obj.__dict__
        fields = obj.__pydantic_fields_set__
        return _model, (
            type(obj),
            values,
            None if fields == values.keys() else fields,
            obj.__pydantic_private__,
            obj.__pydantic_extra__,
        )


def _dumps(value: Any) -> bytes:
    with collector_paused():
        out = io.BytesIO()
        _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        return out.getvalue()


def _loads(payload: bytes) -> Any:
    with collector_paused():
        return pickle.loads(payload)


def _match_packed(payload: bytes) -> bytes:
    """A task on another process: the pickled arguments of :func:`_match_chunk` in, results out.

    The results are pickled with the collector running: pickling a result
    computes its meetings and relaxations (see :mod:`revmatch._lazy`), the
    same work, under the same conditions, as a caller's first use of them.
    """
    first, programs, config, custom, scores = _loads(payload)
    outcomes = _match_chunk(first, programs, config, custom, scores, sent=True)
    return pickle.dumps(outcomes, protocol=pickle.HIGHEST_PROTOCOL)


def _size(program: Cohort) -> int:
    """Executive-mentor pairs of a cohort (a guess of 1 for data that is not lists)."""
    if isinstance(program, Program):
        return max(len(program.executives) * len(program.mentors), 1)
    executives, mentors = program.get("executives"), program.get("mentors")
    if isinstance(executives, Sequence) and isinstance(mentors, Sequence):
        return max(len(executives) * len(mentors), 1)
    return 1


def _chunks(todo: Sequence[Cohort], chunksize: int | None) -> list[tuple[int, list[Cohort]]]:
    """Consecutive cohorts per task: ``chunksize`` each, or by :data:`CHUNK_PAIRS`.

    By pairs, the chunks are cut from the end: the ``k``-th chunk from the
    end holds at most ``2 ** (k // TAPER)`` cohorts (:data:`TAPER`), and
    every chunk at most ``ceil(n / MIN_CHUNKS)`` cohorts; a chunk closes once
    it reaches :data:`CHUNK_PAIRS` pairs.
    """
    if chunksize is not None:
        return [(lo, list(todo[lo : lo + chunksize])) for lo in range(0, len(todo), chunksize)]
    most = max(1, math.ceil(len(todo) / MIN_CHUNKS))
    out: list[tuple[int, list[Cohort]]] = []
    hi = len(todo)
    while hi > 0:
        cap = min(most, 2 ** min(len(out) // TAPER, 62))
        lo, pairs = hi, 0
        while lo > 0 and hi - lo < cap and pairs < CHUNK_PAIRS:
            lo -= 1
            pairs += _size(todo[lo])
        out.append((lo, list(todo[lo:hi])))
        hi = lo
    out.reverse()
    return out


def match_many(
    programs: Iterable[Cohort],
    config: MatchConfig | Mapping[str, Any] | None = None,
    *,
    executor: Executor | None = None,
    custom: Mapping[str, ComponentFn] | None = None,
    chunksize: int | None = None,
    errors: Literal["return", "raise"] = "return",
    scores: bool = False,
    progress: Progress | None = None,
) -> list[Outcome]:
    """Match independent cohorts, serially or on an executor, in input order.

    Parameters
    ----------
    programs : iterable of Program or mapping
        The cohorts (see :func:`split_by` to cut one program into cohorts).
    config : MatchConfig or mapping, optional
        Settings for every cohort.
    executor : concurrent.futures.Executor, optional
        Where to run: a ``ThreadPoolExecutor``, a ``ProcessPoolExecutor``
        (best from :func:`process_pool`, whose workers start once with
        revmatch imported and one BLAS thread each) or Dask's
        ``distributed.Client(...).get_executor()`` (start the cluster under
        ``dask.config.set(DASK_CONFIG)``, see :data:`DASK_CONFIG`). ``None``
        runs in this thread.
    custom : mapping of str to ComponentFn, optional
        Custom components; with processes or Dask they must be picklable
        (functions defined at module level).
    chunksize : int, optional
        Cohorts per task. ``None`` gathers consecutive cohorts until a task
        holds :data:`CHUNK_PAIRS` executive-mentor pairs, makes at least
        :data:`MIN_CHUNKS` tasks when there are that many cohorts, and
        makes the last tasks smaller (1, 1, 2, 2, 4, ... cohorts, see
        :data:`TAPER`).
    errors : {"return", "raise"}
        ``"return"``: a failing cohort yields a :class:`CohortFailure` in its
        place. ``"raise"``: after every cohort has run, raise an
        :class:`ExceptionGroup` of :class:`CohortError` if any failed.
    scores : bool, default False
        Keep each result's score matrix (``result.scores``, what
        :meth:`MatchResult.explain` needs) and program (``result.program``,
        for handouts). The score matrix holds the compiled program with its
        availability grids, some 50 times the rest of a result (1.4 MB for
        50 x 80 people and 26 weeks), so by default it is left out and
        results from processes or a cluster are cheap to send back. With
        ``True`` a result from another process gets back the caller's own
        :class:`Program` object rather than a copy sent back.
    progress : Progress, optional
        Called as ``progress(done, total, "cohorts")`` after each cohort
        (serially) or each finished task (on an executor): ``done`` counts
        finished cohorts, from 0 up to ``total``.

    Returns
    -------
    list of MatchResult or CohortFailure
        One entry per cohort, in input order. Each result equals that of
        ``revmatch.match(program, config)`` run alone (timings aside, and
        without ``scores`` and ``program`` unless ``scores=True``),
        whatever the executor and chunk size.

    Raises
    ------
    InvalidInputError
        If ``chunksize < 1`` or ``errors`` is unknown.
    ExceptionGroup
        With ``errors="raise"``, when some cohort failed.

    Notes
    -----
    On any executor but a ``ThreadPoolExecutor`` a task is one ``bytes``
    payload each way: the chunk's programs pickled here, the results
    pickled by the worker. A 50 x 80 program pickles to some 35 kB, a
    result without scores to some 30 kB: some 2 ms of the caller's time per
    cohort (pickling it, unpickling its result), as much of the worker's,
    against 60 ms of matching. A result computes its meetings and
    relaxations on first use; one sent back from a worker has them computed
    there, so they are part of the parallel work.
    ``benchmarks/bench_parallel.py`` measures the speed-up on 1 and 2
    workers and models a larger cluster; ``docs/how-to.md`` (many cohorts
    in parallel) shows how to set up each executor.

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
    if chunksize is not None and chunksize < 1:
        raise InvalidInputError(f"The 'chunksize' must be >= 1. Got {chunksize}.")
    if errors not in ("return", "raise"):
        raise InvalidInputError(f"The 'errors' must be 'return' or 'raise'. Got {errors!r}.")
    todo = list(programs)
    total = len(todo)
    if progress is not None:
        progress(0, total, "cohorts")
    if executor is None:
        outcomes: list[Outcome] = []
        for index, program in enumerate(todo):
            outcomes.extend(_match_chunk(index, [program], config, custom, scores))
            if progress is not None:
                progress(index + 1, total, "cohorts")
    else:
        outcomes = _on_executor(executor, todo, config, custom, chunksize, scores, progress)
    failures = [o for o in outcomes if isinstance(o, CohortFailure)]
    if errors == "raise" and failures:
        raise ExceptionGroup(
            f"{len(failures)} of {len(outcomes)} cohorts failed",
            [f.exception() for f in failures],
        )
    return outcomes


def _on_executor(
    executor: Executor,
    todo: list[Cohort],
    config: MatchConfig | Mapping[str, Any] | None,
    custom: Mapping[str, ComponentFn] | None,
    chunksize: int | None,
    scores: bool,
    progress: Progress | None,
) -> list[Outcome]:
    """Submit every chunk, collect them as they finish, put them back in input order.

    Threads share this process: they get the chunks as they are. Any other
    executor gets each chunk pickled into one ``bytes`` payload and returns
    the results as one (see the module's docstring).
    """
    chunks = _chunks(todo, chunksize)
    threads = isinstance(executor, ThreadPoolExecutor)
    futures: dict[Future[Any], int] = {}
    done: list[list[Outcome] | None] = [None] * len(chunks)

    def failed(k: int, exc: Exception) -> list[Outcome]:
        lo, chunk = chunks[k]
        return [
            CohortFailure(lo + i, _name(p, lo + i), type(exc).__name__, str(exc))
            for i, p in enumerate(chunk)
        ]

    for k, (lo, chunk) in enumerate(chunks):
        future: Future[Any]
        try:
            if threads:
                future = executor.submit(_match_chunk, lo, chunk, config, custom, scores, True)
            else:
                payload = _dumps((lo, chunk, config, custom, scores))
                future = executor.submit(_match_packed, payload)
        except Exception as exc:  # e.g. a custom component that cannot be pickled
            done[k] = failed(k, exc)
        else:
            futures[future] = k
    finished = sum(len(chunks[k][1]) for k, d in enumerate(done) if d is not None)
    if finished and progress is not None:
        progress(finished, len(todo), "cohorts")
    for future in as_completed(futures):
        k = futures[future]
        lo, chunk = chunks[k]
        try:
            done[k] = future.result() if threads else _loads(future.result())
        except Exception as exc:  # the task itself failed (a lost worker, ...)
            done[k] = failed(k, exc)
        finished += len(chunk)
        if progress is not None:
            progress(finished, len(todo), "cohorts")
    outcomes: list[Outcome] = []
    for (_, chunk), results in zip(chunks, done, strict=True):
        assert results is not None  # every future was collected above
        for program, result in zip(chunk, results, strict=True):
            if scores and isinstance(result, MatchResult) and isinstance(program, Program):
                result = dataclasses.replace(result, program=program)
            outcomes.append(result)
    return outcomes


# ----------------------------------------------------------- worker processes

#: Set in each worker of :func:`process_pool` by its initializer.
_READY: Any = None


def _start_worker(ready: Any, blas_threads: int) -> None:
    """Initializer of a :func:`process_pool` worker: warm up, then wait for the others."""
    global _READY
    _READY = ready
    from revmatch.datasets import make_program

    try:  # BLAS may have loaded before the environment was read (the parent's main module)
        threadpoolctl = importlib.import_module("threadpoolctl")
    except ImportError:
        pass
    else:
        threadpoolctl.threadpool_limits(blas_threads)

    # One tiny match imports and initialises everything a cohort needs.
    match_program(make_program(3, 4, seed=0))


def _wait_ready(_: int) -> int:
    """Block until every worker of the pool runs one of these (so each has started)."""
    _READY.wait(timeout=_START_TIMEOUT)
    return os.getpid()


_START_TIMEOUT = 300.0


@contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the duration (child processes inherit them)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def process_pool(max_workers: int | None = None, *, blas_threads: int = 1) -> ProcessPoolExecutor:
    """A process pool ready for :func:`match_many`: every worker started and warmed up.

    Parameters
    ----------
    max_workers : int, optional
        Worker processes; the number of CPUs by default.
    blas_threads : int, default 1
        Threads each worker's BLAS library may use (the variables of
        :data:`BLAS_THREAD_VARIABLES`). With one worker per core, more would
        oversubscribe the cores.

    Returns
    -------
    concurrent.futures.ProcessPoolExecutor
        Spawned workers (no fork of a process that holds threads), each of
        which has imported revmatch and matched a tiny program before this
        returns, so the first cohorts do not pay for start-up. Shut it down
        (``with process_pool(2) as pool: ...``) when done.

    Raises
    ------
    InvalidInputError
        If ``max_workers`` or ``blas_threads`` is below 1.

    Examples
    --------
    >>> import revmatch as rm
    >>> from revmatch.scale import match_many, process_pool
    >>> cohorts = [rm.datasets.make_program(6, 9, seed=s) for s in range(4)]
    >>> with process_pool(2) as pool:  # doctest: +SKIP
    ...     results = match_many(cohorts, executor=pool)
    """
    workers = (os.cpu_count() or 1) if max_workers is None else max_workers
    if workers < 1 or blas_threads < 1:
        raise InvalidInputError(
            f"process_pool needs max_workers >= 1 and blas_threads >= 1. "
            f"Got {max_workers} and {blas_threads}."
        )
    spawn = multiprocessing.get_context("spawn")
    ready = spawn.Barrier(workers)
    pool = ProcessPoolExecutor(
        workers, mp_context=spawn, initializer=_start_worker, initargs=(ready, blas_threads)
    )
    # Spawned workers read the environment when they start, at the first
    # submit; every BLAS library reads its variable when it loads.
    with _environment({name: str(blas_threads) for name in BLAS_THREAD_VARIABLES}):
        started = [pool.submit(_wait_ready, k) for k in range(workers)]
    for future in started:
        future.result()
    return pool


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
