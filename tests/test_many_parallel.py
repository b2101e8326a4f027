"""match_many on processes and Dask: same results as serial, compact payloads, chunks, progress."""

from __future__ import annotations

import gc
import json
import os
import pickle
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

import revmatch as rm
from revmatch.scale import (
    BLAS_THREAD_VARIABLES,
    CHUNK_PAIRS,
    DASK_CONFIG,
    MIN_CHUNKS,
    TAPER,
    CohortFailure,
    match_many,
    process_pool,
)
from revmatch.scale._many import _chunks, _dumps, _loads
from tests.extras import needs
from tests.strategies.programs import file_programs, rich_programs


def _json(result: rm.MatchResult | CohortFailure) -> str:
    """The result's JSON apart from timings: what must not depend on where it ran."""
    assert isinstance(result, rm.MatchResult), result
    data = json.loads(result.to_json())
    del data["audit"]["timings"]
    return json.dumps(data, sort_keys=True)


def _cohorts(n: int = 7) -> list[rm.Program]:
    # Different shapes, so that chunks by pairs hold different numbers of cohorts.
    return [
        rm.datasets.make_program(n_executives=4 + s, n_mentors=6 + 2 * s, seed=s, name=f"c{s}")
        for s in range(n)
    ]


def _env(name: str) -> str | None:
    return os.environ.get(name)


def _dask_setting(name: str) -> Any:
    import dask

    return dask.config.get(name)


def test_process_pools_of_one_and_two_workers_give_the_serial_results() -> None:
    cohorts = _cohorts()
    environment = {v: os.environ.get(v) for v in BLAS_THREAD_VARIABLES}
    serial = [_json(r) for r in match_many(cohorts)]
    assert serial == [_json(rm.match(p)) for p in cohorts]
    for workers in (1, 2):
        with process_pool(workers) as pool:
            assert [pool.submit(_env, v).result() for v in BLAS_THREAD_VARIABLES] == [
                "1"
            ] * len(BLAS_THREAD_VARIABLES)
            for chunksize in (None, 1, 3):
                results = match_many(cohorts, executor=pool, chunksize=chunksize)
                assert [_json(r) for r in results] == serial, (workers, chunksize)
                assert all(isinstance(r, rm.MatchResult) and r.scores is None for r in results)
            heavy = match_many(cohorts, executor=pool, chunksize=2, scores=True)
        # Asked for, the score matrix comes back; the program is the caller's own.
        assert [_json(r) for r in heavy] == serial
        for program, result in zip(cohorts, heavy, strict=True):
            assert isinstance(result, rm.MatchResult)
            assert result.scores is not None
            assert result.program is program
    # The parent's environment is left as it was.
    assert {v: os.environ.get(v) for v in BLAS_THREAD_VARIABLES} == environment


def test_results_sent_back_hold_no_score_matrix_unless_asked() -> None:
    program = _cohorts(1)[0]
    (light,) = match_many([program])
    (heavy,) = match_many([program], scores=True)
    assert isinstance(light, rm.MatchResult)
    assert isinstance(heavy, rm.MatchResult)
    assert light.scores is None
    assert light.program is None
    assert heavy.scores is not None
    assert heavy.program is program
    assert _json(light) == _json(heavy)
    assert len(pickle.dumps(light)) * 5 < len(pickle.dumps(heavy))


@needs("distributed")
def test_dask_clusters_of_one_and_two_worker_processes_give_the_serial_results() -> None:
    import dask
    import distributed

    cohorts: list[Any] = [*_cohorts(5)]
    # Canonical data is validated in the worker; its program comes back with the scores.
    cohorts.append(cohorts[0].model_dump(mode="json"))
    serial = [_json(r) for r in match_many(cohorts)]
    for workers in (1, 2):
        with dask.config.set(DASK_CONFIG):
            cluster = distributed.LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
        with cluster, distributed.Client(cluster) as client:
            # Started under DASK_CONFIG: no malloc trim threshold, Dask's one BLAS thread.
            for env in client.run(_env, "MALLOC_TRIM_THRESHOLD_").values():
                assert env is None
            assert set(client.run(_env, "OMP_NUM_THREADS").values()) == {"1"}
            profiling = client.run(_dask_setting, "distributed.worker.profile.enabled")
            assert set(profiling.values()) == {False}
            executor = client.get_executor()
            results = match_many(cohorts, executor=executor)
            heavy = match_many(cohorts, executor=executor, chunksize=4, scores=True)
        assert [_json(r) for r in results] == serial, workers
        assert [_json(r) for r in heavy] == serial, workers
        assert all(isinstance(r, rm.MatchResult) and r.program is not None for r in heavy)
        assert heavy[0].program is cohorts[0]


class _Recording(Executor):
    """Runs each task here, as a process would: arguments and result pickled; records them."""

    def __init__(self) -> None:
        self.sent: list[tuple[Any, ...]] = []
        self.returned: list[Any] = []

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.sent.append(args)
        future: Future[Any] = Future()
        out = fn(*pickle.loads(pickle.dumps(args)), **kwargs)
        self.returned.append(out)
        future.set_result(pickle.loads(pickle.dumps(out)))
        return future


def test_a_task_sends_one_bytes_payload_each_way_and_leaves_the_collector_as_it_was() -> None:
    cohorts = _cohorts(5)
    serial = [_json(r) for r in match_many(cohorts)]
    for collecting in (True, False):
        executor = _Recording()
        if not collecting:
            gc.disable()
        try:
            results = match_many(cohorts, executor=executor, chunksize=2)
            assert gc.isenabled() is collecting
        finally:
            gc.enable()
        assert [_json(r) for r in results] == serial
        # Three tasks (2, 2, 1 cohorts): nothing for an executor to inspect but bytes.
        assert [tuple(type(a) for a in args) for args in executor.sent] == [(bytes,)] * 3
        assert [type(out) for out in executor.returned] == [bytes] * 3
        # A payload holds its cohorts' programs; the results hold no score matrix.
        for args, out in zip(executor.sent, executor.returned, strict=True):
            first, programs, *_ = pickle.loads(args[0])
            assert programs == cohorts[first : first + len(programs)]
            assert all(r.scores is None and r.program is None for r in pickle.loads(out))


def _same_models(a: Any, b: Any) -> None:
    """Equal, and every pydantic model alike in class, fields set, private and extra state."""
    if isinstance(a, BaseModel):
        assert type(a) is type(b)
        assert list(a.__dict__) == list(b.__dict__)
        assert a.__pydantic_fields_set__ == b.__pydantic_fields_set__
        assert a.__pydantic_private__ == b.__pydantic_private__
        assert a.__pydantic_extra__ == b.__pydantic_extra__
        for key, value in a.__dict__.items():
            _same_models(value, b.__dict__[key])
    elif isinstance(a, list | tuple):
        assert type(a) is type(b)
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _same_models(x, y)
    elif isinstance(a, dict):
        assert list(a) == list(b)
        for key, value in a.items():
            _same_models(value, b[key])
    else:
        assert a == b
        assert type(a) is type(b)


@given(st.one_of(rich_programs(), file_programs()))
def test_a_payload_gives_the_worker_the_programs_as_they_are(program: rm.Program) -> None:
    # Programs as read from data leave fields unset; defaults, private state and all.
    partial = rm.Program.model_validate_json(program.model_dump_json(exclude_unset=True))
    config = rm.MatchConfig()
    sent = (3, [program, partial], config, None, False)
    back = _loads(_dumps(sent))
    _same_models(back, sent)
    assert back == sent
    # As pickle itself would give them.
    _same_models(back, pickle.loads(pickle.dumps(sent)))


def _unpicklable_component(*_: Any) -> float:
    return 0.0


def test_a_task_that_cannot_run_fails_its_cohorts_only() -> None:
    cohorts = _cohorts(4)
    # A component defined in a function cannot be pickled to a process.
    custom = {"local": lambda arrays, config, rows, cols: rows * 0.0}
    with process_pool(1) as pool:
        results = match_many(cohorts, executor=pool, chunksize=3, custom=custom)
    assert [type(r) for r in results] == [CohortFailure] * 4
    assert [r.index for r in results if isinstance(r, CohortFailure)] == [0, 1, 2, 3]
    assert [r.name for r in results if isinstance(r, CohortFailure)] == ["c0", "c1", "c2", "c3"]


def test_process_pool_checks_its_arguments() -> None:
    with pytest.raises(rm.InvalidInputError, match="max_workers >= 1"):
        process_pool(0)
    with pytest.raises(rm.InvalidInputError, match="blas_threads >= 1"):
        process_pool(1, blas_threads=0)


# ------------------------------------------------------------------- chunks


def _fake(n_exec: int, n_mentor: int) -> dict[str, Any]:
    return {"executives": [{}] * n_exec, "mentors": [{}] * n_mentor}


@given(
    st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300)), max_size=200),
    st.one_of(st.none(), st.integers(1, 12)),
)
def test_chunks_keep_every_cohort_in_order_within_their_limits(
    shapes: list[tuple[int, int]], chunksize: int | None
) -> None:
    cohorts = [_fake(e, m) for e, m in shapes]
    chunks = _chunks(cohorts, chunksize)
    flat = [p for _, chunk in chunks for p in chunk]
    assert len(flat) == len(cohorts)
    assert all(a is b for a, b in zip(flat, cohorts, strict=True))
    starts = [lo for lo, _ in chunks]
    assert starts == [sum(len(c) for _, c in chunks[:k]) for k in range(len(chunks))]
    assert all(chunk for _, chunk in chunks)
    if chunksize is not None:
        assert all(len(chunk) == chunksize for _, chunk in chunks[:-1])
        return
    most = max(1, -(-len(cohorts) // MIN_CHUNKS))
    for back, (_, chunk) in enumerate(reversed(chunks)):
        # Cut from the end: the k-th chunk from the end holds at most 2 ** (k // TAPER).
        cap = min(most, 2 ** (back // TAPER))
        assert len(chunk) <= cap
        pairs = [max(len(p["executives"]) * len(p["mentors"]), 1) for p in chunk]
        # A chunk closes once it reaches CHUNK_PAIRS, never before.
        assert sum(pairs[1:]) < CHUNK_PAIRS
        if back < len(chunks) - 1:  # only the first chunk may be cut short
            assert len(chunk) == cap or sum(pairs) >= CHUNK_PAIRS
    if cohorts:
        assert len(chunks[-1][1]) == 1


def test_default_chunks_of_the_benchmark_cohorts() -> None:
    # 300 cohorts of 50 x 80: tasks of 10 (40,000 pairs), then 8, 8, 4, 4, 2, 2, 1, 1.
    cohorts = [_fake(50, 80)] * 300
    tail = [8, 8, 4, 4, 2, 2, 1, 1]
    assert [len(chunk) for _, chunk in _chunks(cohorts, None)] == [10] * 27 + tail
    assert [len(chunk) for _, chunk in _chunks(cohorts[:60], None)] == [2] * 29 + [1, 1]
    # Large cohorts: one per task all along.
    assert [len(chunk) for _, chunk in _chunks([_fake(200, 300)] * 5, None)] == [1] * 5


# ----------------------------------------------------------------- progress


def _recorder() -> tuple[list[tuple[int, int, str]], Any]:
    calls: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, label: str) -> None:
        calls.append((done, total, label))

    return calls, progress


@pytest.mark.parametrize("threads", [0, 2])
def test_match_many_reports_every_cohort_in_order(threads: int) -> None:
    cohorts = _cohorts(5)
    calls, progress = _recorder()
    if threads:
        with ThreadPoolExecutor(threads) as pool:
            match_many(cohorts, executor=pool, chunksize=2, progress=progress)
    else:
        match_many(cohorts, progress=progress)
    assert {(total, label) for _, total, label in calls} == {(5, "cohorts")}
    done = [d for d, _, _ in calls]
    assert done[0] == 0
    assert done[-1] == 5
    assert done == sorted(done)
    # Serially every cohort is reported; on an executor every chunk (2, 2, 1).
    assert len(done) == (6 if not threads else 4)
