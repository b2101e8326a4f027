"""match_many in parallel: process pools and Dask against serial, and a model of a cluster.

Cohorts: ``rm.datasets.make_program(50, 80, n_topics=10, weeks=26)`` with
seeds from ``numpy.random.default_rng(42)``; 300 of them (60 with ``--quick``).

Configurations, all on the same cohorts and default settings of ``match_many``
(``scores=False``, ``chunksize=None``); each run ends with every value of
every result computed (a result computes its meetings and relaxations on first
use; see ``_complete``), so that every configuration delivers the same work:

* ``serial``: no executor;
* ``pool 1``, ``pool 2``: ``revmatch.scale.process_pool(W)`` (spawned workers,
  one BLAS thread each, started and warmed up once, before the timed runs);
* ``dask 1``, ``dask 2``: a ``distributed.LocalCluster`` of W worker processes
  with one thread each, started under ``dask.config.set(DASK_CONFIG)``,
  through ``Client.get_executor()``; workers warmed up once with
  ``client.run``;
* ``pool 2, before``: the same 2-worker pool with the earlier defaults
  (``chunksize=1``, ``scores=True``: one task per cohort, score matrices
  sent back), the anchor of the issue;
* ``dask 2, models sent``: the same 2-worker cluster with the chunks sent as
  before (the pydantic programs as task arguments, which Dask's executor
  hashes, and pickles with cloudpickle, rather than one ``bytes`` payload);
* ``dask 2, Dask's defaults``: a 2-worker cluster started with Dask's own
  settings, whose nanny gives workers ``MALLOC_TRIM_THRESHOLD_=65536``.

The machine is shared and noisy, so each executor runs in its own block,
started once and shut down after it (an idle cluster still takes CPU from the
others), where its configurations and serial run ``--rounds`` times,
interleaved (round k in an order rotated by k). The table reports the best
(noise only ever adds time) and the median; the speed-up is the block's best
serial over the configuration's best. CPU time is counted too (the parent's,
and the workers' from /proc or ``client.run``): serial CPU over all the CPU a
parallel run used is its efficiency, which load hardly changes. The 1-minute
load average is recorded around every round. Every run's results are compared with the serial
ones: same ``to_dict()`` (pairs, unmatched, metrics, audit) apart from
``audit["timings"]``.

The model of a larger cluster
-----------------------------
Measured here:

* ``c``: seconds of worker CPU per cohort in the ``dask 1`` run (matching,
  unpickling the programs, pickling the results, Dask's own work in the
  worker; one worker, the caller on the other core, as on a cluster);
* ``p``: seconds of the caller's CPU per cohort to pickle a cohort into a
  task's payload and unpickle its result (timed here on the benchmark's
  cohorts, as ``match_many`` does it);
* per task of a Dask executor, with payloads of the real sizes (a chunk's
  pickled programs out, bytes the size of its pickled results back) but no
  work: in a burst of ``n`` such no-op tasks on 2 workers, ``s`` is the
  caller's CPU per task (client and scheduler, which a ``LocalCluster``
  runs in the caller's process) and ``o`` the workers' CPU per task (best of
  3 bursts).

* ``serial``: CPU seconds per cohort of the best serial run; the predicted
  speed-up is ``N serial / T(N, W)``.

CPU times rather than wall times, as the machine is shared: other people's
load stretches wall times, much less CPU times.

Predicted time of ``N`` cohorts on ``W`` workers, cut into ``n`` tasks by
``match_many``'s default chunking (the largest of ``b`` cohorts, the last
ones tapering to 1)::

    T(N, W) = max(N c / W + n o / W,  N p + n s) + c

the workers' share of the work, unless the caller's and the scheduler's
serial work is the bottleneck, plus about one cohort of imbalance at the
end. Assumptions: the caller and the scheduler have a core of their own and
the cluster's cores match a cohort as fast as these; the scheduler's
per-task cost and the transfer cost per task do not grow with the number of
workers (transfers here are over local TCP; a network of 1 GB/s adds about
0.4 ms per task of 10 cohorts of 40 kB, within ``o``); start-up of the
cluster is paid once and left out. On this machine the caller shares the 2
cores with the workers, so the check against the measured 2-worker Dask run
adds the caller's CPU to theirs: ``T = (N (c + p) + n (o + s)) / 2 + c``.

Usage::

    python benchmarks/bench_parallel.py [--quick] [--rounds 3] [--cohorts 300]

Tables are printed and saved to ``benchmarks/results/parallel[_quick].{md,json}``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import pickle
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, wait
from pathlib import Path
from typing import Any

import numpy as np

import revmatch as rm
from revmatch.scale import (
    BLAS_THREAD_VARIABLES,
    DASK_CONFIG,
    match_many,
    process_pool,
)
from revmatch.scale._many import (  # the payloads match_many sends
    _chunks,
    _dumps,
    _loads,
    _match_chunk,
)

RESULTS = Path(__file__).resolve().parent / "results"
SEEDS = np.random.default_rng(42).integers(0, 2**31, size=20_000).tolist()
MODEL_WORKERS = 32
MODEL_COHORTS = 10_000


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _cohorts(n: int) -> list[rm.Program]:
    return [
        rm.datasets.make_program(50, 80, seed=SEEDS[i], n_topics=10, weeks=26, name=f"c{i}")
        for i in range(n)
    ]


def _comparable(result: Any) -> Any:
    if not isinstance(result, rm.MatchResult):
        return ("failed", str(result))
    data = result.to_dict()
    data["audit"] = {k: v for k, v in data["audit"].items() if k != "timings"}
    return json.dumps(data, sort_keys=True, default=str)


def _complete(results: list[Any]) -> list[Any]:
    """Every value of every result computed, as whoever uses the results needs them.

    A result computes its meetings and relaxations on first use: in this
    process for serial runs, in the worker (to send it back) for the others,
    so timing ``match_many`` alone would compare different work. Pickling
    reads every value of a result (computing what is not yet computed) and
    costs under a millisecond once they are; ``to_dict()``, some 6 ms per
    50 x 80 result, is left out as work the caller does either way.
    """
    for result in results:
        if isinstance(result, rm.MatchResult):
            pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    return results


def _warm_worker() -> dict[str, Any]:
    """Run in every Dask worker once: import and match a tiny program; report its environment."""
    rm.match(rm.datasets.make_program(3, 4, seed=0))
    names = (*BLAS_THREAD_VARIABLES[:3], "MALLOC_TRIM_THRESHOLD_")
    return {name: os.environ.get(name) for name in names}


def _noop(payload: bytes, size: int) -> bytes:
    """A task that does no work: a chunk's payload in, bytes of its results' size back."""
    return bytes(size)


def _chunk_sizes(n: int) -> list[int]:
    """Cohorts per task that match_many's default chunking gives for n cohorts of 50 x 80."""
    fake = [{"executives": [None] * 50, "mentors": [None] * 80}] * n
    return [len(chunk) for _, chunk in _chunks(fake, None)]


def _noop_burst(family: Family, payloads: list[tuple[bytes, int]]) -> dict[str, float]:
    """Wall time, the caller's CPU and the workers' CPU of a burst of no-op tasks."""
    workers = family.worker_cpu()
    t, cpu = time.perf_counter(), time.process_time()
    futures = [family.executor.submit(_noop, payload, size) for payload, size in payloads]
    wait(futures)
    for f in futures:
        f.result()
    wall, cpu = time.perf_counter() - t, time.process_time() - cpu
    return {"wall": wall, "caller_cpu": cpu, "worker_cpu": family.worker_cpu() - workers}


def _payloads(cohorts: list[rm.Program], results: list[Any]) -> list[tuple[bytes, int]]:
    """Each task's payload as match_many sends it, and the size of its results' payload."""
    out, lo = [], 0
    for size in _chunk_sizes(len(cohorts)):
        chunk = cohorts[lo : lo + size]
        payload = pickle.dumps((lo, chunk, None, None, False), protocol=pickle.HIGHEST_PROTOCOL)
        back = pickle.dumps(results[lo : lo + size], protocol=pickle.HIGHEST_PROTOCOL)
        out.append((payload, len(back)))
        lo += size
    return out


def _caller_cpu(cohorts: list[rm.Program], results: list[Any]) -> float:
    """The caller's CPU seconds per cohort to pickle cohorts and unpickle results, as match_many."""
    blobs = [pickle.dumps([r], protocol=pickle.HIGHEST_PROTOCOL) for r in results]
    best = math.inf
    for _ in range(3):
        t = time.process_time()
        for program in cohorts:
            _dumps((0, [program], None, None, False))
        for blob in blobs:
            _loads(blob)
        best = min(best, time.process_time() - t)
    return best / len(cohorts)


def _models_sent(executor: Executor, cohorts: list[rm.Program]) -> list[Any]:
    """match_many's tasks as they were sent before: the pydantic models as task arguments."""
    futures, lo = [], 0
    for size in _chunk_sizes(len(cohorts)):
        chunk = cohorts[lo : lo + size]
        futures.append(executor.submit(_match_chunk, lo, chunk, None, None, False, True))
        lo += size
    return [r for f in futures for r in f.result()]


def _proc_cpu(pids: Sequence[int]) -> float:
    """User + system CPU seconds of processes, from /proc (Linux)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


@dataclasses.dataclass
class Family:
    """Executors of one kind, started once, and a way to read their workers' CPU time."""

    name: str
    executor: Executor
    start_s: float
    worker_cpu: Callable[[], float]
    close: Callable[[], Any]
    info: Any = None


def _pool(workers: int) -> Family:
    t = time.perf_counter()
    pool = process_pool(workers)
    start = time.perf_counter() - t
    pids = [p.pid for p in pool._processes.values()]  # private, for the benchmark only
    return Family(f"pool {workers}", pool, start, lambda: _proc_cpu(pids), pool.shutdown)


def _dask(workers: int, defaults: bool = False) -> Family:
    import logging

    import dask
    import distributed

    t = time.perf_counter()
    with dask.config.set({} if defaults else dict(DASK_CONFIG)):
        cluster = distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.WARNING,
        )
    client = distributed.Client(cluster)
    env = list(client.run(_warm_worker).values())
    start = time.perf_counter() - t

    def cpu() -> float:
        return float(sum(client.run(time.process_time).values()))

    def close() -> None:
        client.close()
        cluster.close()

    name = f"dask {workers}, Dask's defaults" if defaults else f"dask {workers}"
    return Family(name, client.get_executor(), start, cpu, close, env)


def _dask_defaults(workers: int) -> Family:
    """A cluster started with Dask's own settings (MALLOC_TRIM_THRESHOLD_=65536)."""
    return _dask(workers, defaults=True)


def _run(
    name: str, run: Callable[[], list[Any]], worker_cpu: Callable[[], float] | None
) -> dict[str, Any]:
    before = worker_cpu() if worker_cpu else 0.0
    t, cpu = time.perf_counter(), time.process_time()
    out = run()
    wall, cpu = time.perf_counter() - t, time.process_time() - cpu
    workers = (worker_cpu() - before) if worker_cpu else 0.0
    print(f"{name}: {wall:.2f} s", file=sys.stderr)
    return {"wall": wall, "parent_cpu": cpu, "worker_cpu": workers, "out": out}


def _block(
    family: Family, cohorts: list[rm.Program], rounds: int, reference: list[Any], before: bool
) -> dict[str, Any]:
    """Serial and this family's configurations, interleaved for ``rounds`` rounds."""
    runs: dict[str, tuple[Callable[[], list[Any]], Callable[[], float] | None]] = {
        "serial": (lambda: _complete(match_many(cohorts)), None),
        family.name: (
            lambda: _complete(match_many(cohorts, executor=family.executor)),
            family.worker_cpu,
        ),
    }
    if before and family.name.startswith("pool"):
        runs[f"{family.name}, before"] = (
            lambda: _complete(
                match_many(cohorts, executor=family.executor, chunksize=1, scores=True)
            ),
            family.worker_cpu,
        )
    elif before:
        runs[f"{family.name}, models sent"] = (
            lambda: _complete(_models_sent(family.executor, cohorts)),
            family.worker_cpu,
        )
    names = list(runs)
    got: dict[str, list[dict[str, Any]]] = {k: [] for k in names}
    identical = dict.fromkeys(names, True)
    loads = []
    for k in range(rounds):
        load = _load()
        for name in names[k % len(names) :] + names[: k % len(names)]:
            run = _run(name, *runs[name])
            identical[name] &= [_comparable(r) for r in run.pop("out")] == reference
            got[name].append(run)
        loads.append((load, _load()))
    return {"runs": got, "identical": identical, "loads": loads}


def _row(
    name: str, runs: list[dict[str, Any]], serial: list[dict[str, Any]], n: int
) -> dict[str, Any]:
    best = min(runs, key=lambda r: r["wall"])
    best_serial = min(r["wall"] for r in serial)
    serial_cpu = min(r["parent_cpu"] for r in serial)
    cpu = best["parent_cpu"] + best["worker_cpu"]
    return {
        "config": name,
        "best_s": round(best["wall"], 3),
        "median_s": round(statistics.median(r["wall"] for r in runs), 3),
        "serial_best_s": round(best_serial, 3),
        "speedup": round(best_serial / best["wall"], 2),
        "parent_cpu_ms_per_cohort": round(1000 * best["parent_cpu"] / n, 2),
        "worker_cpu_ms_per_cohort": round(1000 * best["worker_cpu"] / n, 2),
        # Serial CPU over all CPU the parallel run used: what 2 idle cores would
        # turn into a speed-up of up to W times this.
        "cpu_efficiency": round(serial_cpu / cpu, 3) if cpu > 0 else 1.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="60 cohorts, 2 rounds")
    parser.add_argument("--cohorts", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--no-dask", action="store_true", help="process pools only")
    args = parser.parse_args(argv)
    n = args.cohorts or (60 if args.quick else 300)
    rounds = args.rounds or (2 if args.quick else 3)
    cohorts = _cohorts(n)
    # Complete results (nothing left to compute on first use) for the no-op bursts.
    results = _complete(match_many(cohorts))
    reference = [_comparable(r) for r in results]

    makers: list[tuple[Callable[[int], Family], int]] = [(_pool, 1), (_pool, 2)]
    if not args.no_dask:
        try:
            import distributed  # noqa: F401
        except ImportError:
            print("dask is not installed: pip install 'revmatch[dask]'", file=sys.stderr)
        else:
            makers += [(_dask, 1), (_dask, 2), (_dask_defaults, 2)]
    rows: list[dict[str, Any]] = []
    blocks: dict[str, Any] = {}
    bursts: dict[int, dict[str, float]] = {}
    identical = True
    # One family alive at a time: an idle cluster still takes CPU from the others.
    for make, workers in makers:
        family = make(workers)
        try:
            before = family.name in ("pool 2", "dask 2")
            block = _block(family, cohorts, rounds, reference, before=before)
            if family.name in ("dask 1", "dask 2"):
                payloads = _payloads(cohorts, results)
                bursts[workers] = min(
                    (_noop_burst(family, payloads) for _ in range(3)),
                    key=lambda b: b["caller_cpu"] + b["worker_cpu"],
                )
        finally:
            family.close()
        blocks[family.name] = {
            "start_s": family.start_s,
            "info": family.info,
            "loads": block["loads"],
            "walls": {k: [r["wall"] for r in v] for k, v in block["runs"].items()},
            "serial_cpu": [r["parent_cpu"] for r in block["runs"]["serial"]],
        }
        identical &= all(block["identical"].values())
        for name, runs in block["runs"].items():
            if name != "serial":
                row = _row(name, runs, block["runs"]["serial"], n)
                row["start_s"] = round(family.start_s, 2) if name == family.name else None
                row["identical"] = block["identical"][name]
                row["loads"] = block["loads"]
                rows.append(row)

    p = _caller_cpu(cohorts, results)
    program_bytes = len(pickle.dumps(cohorts[0], protocol=pickle.HIGHEST_PROTOCOL))
    light = match_many(cohorts[:1])[0]
    heavy = match_many(cohorts[:1], scores=True)[0]
    result_bytes = len(pickle.dumps(light, protocol=pickle.HIGHEST_PROTOCOL))
    heavy_bytes = len(pickle.dumps(dataclasses.replace(heavy, program=None)))
    model = _model(n, p, bursts, blocks, rows) if len(bursts) == 2 else {}

    text = _markdown(n, rounds, rows, model, program_bytes, result_bytes, heavy_bytes, blocks)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    stem = "parallel_quick" if args.quick else "parallel"
    (RESULTS / f"{stem}.md").write_text(text + "\n", encoding="utf-8")
    payload = {
        "cohorts": n,
        "rounds": rounds,
        "cpus": os.cpu_count(),
        "rows": rows,
        "blocks": blocks,
        "payload_bytes": {
            "program": program_bytes,
            "result": result_bytes,
            "with_scores": heavy_bytes,
        },
        "model": model,
    }
    (RESULTS / f"{stem}.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0 if identical else 1


def _model(
    n: int,
    p: float,
    bursts: dict[int, dict[str, float]],
    blocks: dict[str, Any],
    rows: list[dict[str, Any]],
) -> dict[str, Any]:
    """The fitted per-task costs and the prediction for a larger cluster (see the docstring)."""
    (alone,) = [r for r in rows if r["config"] == "dask 1"]
    c = alone["worker_cpu_ms_per_cohort"] / 1000
    tasks = len(_chunk_sizes(n))
    o = bursts[2]["worker_cpu"] / tasks
    s = bursts[2]["caller_cpu"] / tasks

    def predict(cohort_count: int, workers: int) -> float:
        count = len(_chunk_sizes(cohort_count))
        work = cohort_count * c / workers + count * o / workers
        return max(work, cohort_count * p + count * s) + c

    sizes = _chunk_sizes(MODEL_COHORTS)
    t_model = predict(MODEL_COHORTS, MODEL_WORKERS)
    # CPU time, like c: wall times of a shared machine carry other people's load.
    serial = min(t for b in blocks.values() for t in b["serial_cpu"]) / n
    return {
        "c_s": c,
        "p_s": p,
        "serial_per_cohort_s": serial,
        "noop_burst": {str(w): v for w, v in bursts.items()},
        "tasks": tasks,
        "o_s": o,
        "s_s": s,
        "check_2_workers": {
            "predicted_s": (n * (c + p) + tasks * (o + s)) / 2 + c,
            "measured_s": min(blocks["dask 2"]["walls"]["dask 2"]),
        },
        "cluster": {
            "workers": MODEL_WORKERS,
            "cohorts": MODEL_COHORTS,
            "tasks": len(sizes),
            "cohorts_per_task": max(sizes),
            "serial_s": MODEL_COHORTS * serial,
            "predicted_s": t_model,
            "speedup": MODEL_COHORTS * serial / t_model,
            "caller_bound": MODEL_COHORTS * p + len(sizes) * s
            > MODEL_COHORTS * c / MODEL_WORKERS + len(sizes) * o / MODEL_WORKERS,
        },
    }


def _markdown(
    n: int,
    rounds: int,
    rows: list[dict[str, Any]],
    model: dict[str, Any],
    program_bytes: int,
    result_bytes: int,
    heavy_bytes: int,
    blocks: dict[str, Any],
) -> str:
    out = [
        f"# match_many in parallel ({n} cohorts of 50 x 80, {os.cpu_count()} CPUs)",
        "",
        f"Each configuration runs beside serial in its own block ({rounds} interleaved "
        "rounds, only that executor alive); best and median wall time, speed-up = best "
        "serial / best of the configuration in the same block. CPU efficiency = serial CPU "
        "/ (parent + workers' CPU) of the best run: on W idle cores the speed-up can reach "
        "W times it.",
        "",
        "| configuration | best s | median s | serial best s | speed-up | parent CPU ms "
        "/ cohort | workers' CPU ms / cohort | CPU efficiency | start-up s (once) | "
        "identical | load before/after |",
        "|" + "---|" * 11,
    ]
    for r in rows:
        start = "" if r["start_s"] is None else r["start_s"]
        loads = ", ".join(f"{a}/{b}" for a, b in r["loads"])
        out.append(
            f"| {r['config']} | {r['best_s']} | {r['median_s']} | {r['serial_best_s']} | "
            f"{r['speedup']} | {r['parent_cpu_ms_per_cohort']} | "
            f"{r['worker_cpu_ms_per_cohort']} | {r['cpu_efficiency']} | {start} | "
            f"{r['identical']} | {loads} |"
        )
    env = blocks.get("dask 2", {}).get("info")
    out += [
        "",
        f"Payloads: a program pickles to {program_bytes:,} bytes, a result to "
        f"{result_bytes:,} (with its score matrix {heavy_bytes:,}). "
        f"`before`: chunksize=1 and scores=True, the earlier defaults; `models sent`: "
        f"the programs as task arguments rather than one bytes payload per task; "
        f"`Dask's defaults`: a cluster started without DASK_CONFIG. "
        f"Environment of the Dask workers: {env}.",
    ]
    if model:
        cl = model["cluster"]
        check = model["check_2_workers"]
        out += [
            "",
            "## Model of a larger Dask cluster",
            "",
            "`T(N, W) = max(N c / W + n o / W, N p + n s) + c` (see the script's docstring).",
            "",
            "| quantity | value |",
            "|---|---|",
            f"| serial: CPU per cohort (best serial run) | "
            f"{1000 * model['serial_per_cohort_s']:.1f} ms |",
            f"| c: worker CPU per cohort (dask 1) | {1000 * model['c_s']:.1f} ms |",
            f"| p: caller CPU per cohort (pickle a cohort, unpickle its result) | "
            f"{1000 * model['p_s']:.2f} ms |",
            f"| no-op burst of {model['tasks']} tasks with real payloads, 1 / 2 workers | "
            f"{model['noop_burst']['1']['wall']:.3f} / "
            f"{model['noop_burst']['2']['wall']:.3f} s |",
            f"| o: workers' CPU per no-op task | {1000 * model['o_s']:.2f} ms |",
            f"| s: caller's CPU per no-op task (client, scheduler) | "
            f"{1000 * model['s_s']:.2f} ms |",
            f"| check: {n} cohorts on 2 workers, predicted / measured | "
            f"{check['predicted_s']:.2f} / {check['measured_s']:.2f} s |",
            f"| {cl['cohorts']:,} cohorts on {cl['workers']} workers: tasks x cohorts | "
            f"{cl['tasks']} x {cl['cohorts_per_task']} |",
            f"| serial (N x serial per cohort) | {cl['serial_s']:.1f} s |",
            f"| predicted | {cl['predicted_s']:.2f} s |",
            f"| predicted speed-up | {cl['speedup']:.1f}x |",
            f"| bound by | {'the caller and scheduler' if cl['caller_bound'] else 'the workers'} |",
        ]
    return "\n".join(out)


if __name__ == "__main__":
    raise SystemExit(main())
