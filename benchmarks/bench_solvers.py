"""Benchmark ``solve(method="auto")`` and every solver method against the raw libraries.

Every family x size runs ``auto`` next to four anchors, the libraries a user
could call instead: scipy's ``linear_sum_assignment``, ``lap.lapjv``,
csgraph's ``min_weight_full_bipartite_matching`` and OR-tools'
``SimpleLinearSumAssignment`` (its ``SimpleMinCostFlow`` where the assignment
solver cannot express the instance). The target: ``auto`` within 1.1x of the
fastest anchor at every size >= 1000, and at most 50 us above it below 1000.

How each contender is fed. Every contender starts from what its user holds:
the dense weight matrix (with its feasible mask and column capacities, where
the family has them) for the dense families, the candidate graph as a
scipy.sparse CSR array for the sparse families. Whatever that user must do to
call the library is inside the timed region:

- ``auto``: ``solve(weights, feasible=..., capacities=..., method="auto")``
  on the dense families, ``solve(csr, method="auto")`` on the sparse ones;
  validation, method choice, result checks and the total included.
- scipy: ``linear_sum_assignment(values, maximize=True)``. Timed: columns
  copied by capacity (``w[:, repeat]``), forbidden pairs set to ``-inf``
  (or, where no assignment covers the smaller side, the cardinality-first
  encoding of ``revmatch.solvers._dense.assignment_matrix``); on a sparse
  family the dense matrix built from the CSR.
- lap: ``lap.lapjv(cost, extend_cost=rectangular)``. Timed: the same copies
  and encoding, and the negation into costs to minimise (``-w``, or ``top -
  values`` with a mask); on a sparse family the dense matrix built from the
  CSR. (lap 0.5 has no ``lapjvx``/``lapjvc``; those live in the ``lapx`` fork.)
- csgraph: LAPJVsp on a CSR of positive costs ``top - w``. Timed: the CSR
  built from the dense matrix (dense families; on the copies, with one dummy
  column per row where no assignment covers the rows). Untimed, as a favour:
  weights on the 1e-6 grid are given as integers (with exactly tied float
  costs, as quantised scores have, LAPJVsp runs for minutes; no user could
  use it on them), and on sparse families the cost CSR has the user's
  structure with those costs.
- OR-tools: arcs in int32 and integer costs ``-rint(w * scale)`` (``scale``
  ``1e6`` on the score grid, else the largest power of two that cannot
  overflow, chosen untimed), with dummy rows on rectangles; timed from the
  dense matrix (``np.flatnonzero`` of the mask) or from the CSR
  (``indptr``/``indices``), plus reading the mates. Capacities or no covering
  assignment: ``SimpleMinCostFlow`` on the source-rows-columns-sink network,
  built in the timed region.

Turning copies back into original pairs and dropping filler pairs is timed for
every anchor (their user must do it too); checking the objective is not.

Timing. BLAS is pinned to the same number of threads for every contender
(``--blas-threads``, default 1, set before numpy is imported). Each contender
first runs once (that run also gives its objective); ``auto`` and the anchors
within 3x of the fastest such run then race in interleaved rounds (every round
runs each once, the order rotating from round to round, 3 to 15 rounds within
``--budget`` seconds), so all of them see the same state of a shared machine.
Reported: the median of each contender's runs, the fastest anchor, the ratio
``auto / fastest anchor`` of medians and ``FLAG`` where it misses the target.
Slower anchors keep their single run. The garbage collector runs once before
each race and is off during it (as in :mod:`timeit`).

The other revmatch methods are timed too (full ``solve`` calls, median of up
to 25 runs within the budget; ``--methods`` selects them, ``--methods auto``
skips them), and every exact method and anchor must reach the same objective
(``coverage_then_score``: most pairs, then highest total, within
``1e-9 * (1 + k max|w|)``).

Usage::

    python benchmarks/bench_solvers.py            # full run (about an hour on 2 cores)
    python benchmarks/bench_solvers.py --quick    # smoke run, under a minute
    python benchmarks/bench_solvers.py --sizes 300,1000 --families score_like,uniform
    python benchmarks/bench_solvers.py --quick --before  # old ratios beside the new

Results go to ``benchmarks/results/solvers[_quick|_<tag>].{md,json}``.
"""

from __future__ import annotations

import os
import sys


def _pin_blas_threads(argv: list[str]) -> str:
    """Set the BLAS thread count from ``--blas-threads`` before numpy loads it."""
    threads = "1"
    for k, arg in enumerate(argv):
        if arg == "--blas-threads" and k + 1 < len(argv):
            threads = argv[k + 1]
        elif arg.startswith("--blas-threads="):
            threads = arg.split("=", 1)[1]
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = threads
    return threads


BLAS_THREADS = _pin_blas_threads(sys.argv[1:]) if __name__ == "__main__" else None

import argparse  # noqa: E402  (after the BLAS pin: numpy reads it on import)
import gc  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from numpy.typing import NDArray  # noqa: E402
from scipy.optimize import linear_sum_assignment  # noqa: E402
from scipy.sparse.csgraph import (  # noqa: E402
    maximum_bipartite_matching,
    min_weight_full_bipartite_matching,
)

from revmatch.solvers import METHODS, Assignment, solve  # noqa: E402
from revmatch.solvers._dense import assignment_matrix  # noqa: E402
from revmatch.solvers._network import grid_integers, magnitude  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
DENSE_SIZES = [100, 300, 1000, 2000, 4000]
SPARSE_SIZES = [1000, 5000, 20000]
QUICK_DENSE = [40, 120]
QUICK_SPARSE = [300]
#: Targets: ratio to the fastest anchor from this size on, else microseconds above it.
RATIO_FROM = 1000
MAX_RATIO = 1.1
MAX_EXTRA_S = 50e-6

Float2D = NDArray[np.float64]
Pairs = tuple[NDArray[np.intp], NDArray[np.intp]]


# --------------------------------------------------------------------------- families


@dataclass
class Instance:
    family: str
    size: int
    weights: Float2D
    feasible: NDArray[np.bool_] | None
    capacities: NDArray[np.int64] | None

    @property
    def mask(self) -> NDArray[np.bool_]:
        if self.feasible is None:
            return np.ones(self.weights.shape, dtype=np.bool_)
        return self.feasible

    @property
    def n_edges(self) -> int:
        return int(self.mask.sum())


def _score_like(rng: np.random.Generator, n: int, m: int, rank: int = 4) -> Float2D:
    """Low-rank scores in [0, 1] on the 1e-6 grid: many near-ties, like real scores."""
    out = np.empty((n, m))
    a = rng.random((n, rank))
    b = rng.random((rank, m))
    for start in range(0, n, 2048):  # blockwise to keep temporaries small at 20k x 20k
        out[start : start + 2048] = np.round(a[start : start + 2048] @ b / rank, 6)
    return out


def _sparse_mask(rng: np.random.Generator, n: int, m: int, per_row: float) -> NDArray[np.bool_]:
    """About ``per_row`` random candidates per row."""
    k = int(per_row * n)
    mask = np.zeros((n, m), dtype=np.bool_)
    mask[rng.integers(0, n, k), rng.integers(0, m, k)] = True
    return mask


def make_instance(family: str, n: int) -> Instance:
    rng = np.random.default_rng(42)
    if family == "uniform":
        return Instance(family, n, rng.random((n, n)), None, None)
    if family == "score_like":
        return Instance(family, n, _score_like(rng, n, n), None, None)
    if family == "rect_1x3":
        return Instance(family, n, rng.random((n // 3, n)), None, None)
    if family == "rect_3x1":
        return Instance(family, n, rng.random((n, n // 3)), None, None)
    if family == "forbidden_30":
        return Instance(family, n, _score_like(rng, n, n), rng.random((n, n)) >= 0.3, None)
    if family == "capacities_1_3":
        m = max(1, int(0.4 * n))
        caps = rng.integers(1, 4, m)
        return Instance(family, n, _score_like(rng, n, m), None, caps)
    if family == "revmatch_scores":
        import revmatch as rm

        program = rm.datasets.make_program(n_executives=n, n_mentors=n, seed=42)
        scores = rm.score(program)
        caps = np.asarray(scores.arrays.capacities, dtype=np.int64)
        return Instance(family, n, np.asarray(scores.values), scores.feasible, caps)
    if family == "sparse_2pct":
        w = _score_like(rng, n, n)
        return Instance(family, n, w, _sparse_mask(rng, n, n, 0.02 * n), None)
    if family == "sparse_2pct_uniform":
        # The same graph with independent weights on the 1e-6 grid: LAPJVsp's
        # easy case (score-like weights on a sparse graph are its hard case).
        w = np.round(rng.random((n, n)), 6)
        return Instance(family, n, w, _sparse_mask(rng, n, n, 0.02 * n), None)
    if family == "candidates_11":
        w = _score_like(rng, n, n)
        return Instance(family, n, w, _sparse_mask(rng, n, n, 11.0), None)
    raise ValueError(f"unknown family {family!r}")


DENSE_FAMILIES = [
    "uniform",
    "score_like",
    "rect_1x3",
    "rect_3x1",
    "forbidden_30",
    "capacities_1_3",
    "revmatch_scores",
]
SPARSE_FAMILIES = ["sparse_2pct", "sparse_2pct_uniform", "candidates_11"]

# --------------------------------------------------------------------------- anchors


@dataclass
class Facts:
    """What the benchmark knows about an instance, worked out outside the timed region."""

    full_cover: bool  # some assignment covers the smaller side (after capacity copies)
    scale: float  # OR-tools' integer scale: 1e6 on the score grid, else a power of two
    cs_values: Float2D | None  # csgraph's favour: grid integers as floats (dense families)
    cs_graph: sp.csr_array | None  # csgraph's cost CSR (sparse families)


def _copied(
    w: Float2D, mask: NDArray[np.bool_] | None, caps: NDArray[np.int64] | None
) -> tuple[Float2D, NDArray[np.bool_] | None, NDArray[np.intp] | None]:
    """Columns copied by capacity: what a user of a one-to-one solver does first."""
    if caps is None:
        return w, mask, None
    col_of = np.repeat(np.arange(caps.size), caps)
    return w[:, col_of], (None if mask is None else mask[:, col_of]), col_of


def _back(inst: Instance, r: NDArray[Any], c: NDArray[Any], col_of: NDArray[Any] | None) -> Pairs:
    """Original pairs of the picked copies, without filler pairs."""
    rows = r.astype(np.intp, copy=False)
    cols = (c if col_of is None else col_of[c]).astype(np.intp, copy=False)
    if inst.feasible is None:
        return rows, cols
    keep = inst.feasible[rows, cols]
    return rows[keep], cols[keep]


def _csr_rows(graph: sp.csr_array) -> NDArray[np.intp]:
    return np.repeat(np.arange(graph.shape[0]), np.diff(graph.indptr))


def _held_dense(inst: Instance, graph: sp.csr_array | None) -> tuple[Float2D, Any]:
    """The dense matrix and mask a dense-solver user works from (built from the CSR if sparse)."""
    if graph is None:
        return inst.weights, inst.feasible
    w = np.zeros(graph.shape)
    mask = np.zeros(graph.shape, dtype=np.bool_)
    rows = _csr_rows(graph)
    w[rows, graph.indices] = graph.data
    mask[rows, graph.indices] = True
    return w, mask


def _values(w: Float2D, mask: NDArray[np.bool_] | None, full_cover: bool) -> Float2D:
    """Values to maximise: forbidden pairs at -inf, or the cardinality-first encoding."""
    if mask is None:
        return w
    if full_cover:
        return np.where(mask, w, -np.inf)
    return assignment_matrix(w, mask, True)


def anchor_scipy(inst: Instance, facts: Facts, graph: sp.csr_array | None) -> Callable[[], Pairs]:
    def run() -> Pairs:
        w, mask = _held_dense(inst, graph)
        w, mask, col_of = _copied(w, mask, inst.capacities)
        r, c = linear_sum_assignment(_values(w, mask, facts.full_cover), maximize=True)
        return _back(inst, r, c, col_of)

    return run


def anchor_lap(inst: Instance, facts: Facts, graph: sp.csr_array | None) -> Callable[[], Pairs]:
    import lap

    def run() -> Pairs:
        w, mask = _held_dense(inst, graph)
        w, mask, col_of = _copied(w, mask, inst.capacities)
        if mask is None:
            cost = np.negative(w)
        else:  # lap has no infinity: the cardinality-first encoding, as costs
            values = assignment_matrix(w, mask, True)
            cost = float(values.max()) - values
        _, x, _ = lap.lapjv(cost, extend_cost=cost.shape[0] != cost.shape[1])
        r = np.flatnonzero(x >= 0)
        return _back(inst, r, x[r], col_of)

    return run


def _dummy_columns(cost: sp.csr_array, top: float) -> sp.csr_array:
    """One private "unmatched" column per row at cost ``top``: a full matching always exists."""
    p = cost.shape[0]
    return sp.hstack([cost, sp.csr_array(sp.diags_array(np.full(p, top)))], format="csr")


def anchor_csgraph(inst: Instance, facts: Facts, graph: sp.csr_array | None) -> Callable[[], Pairs]:
    if graph is not None:  # the user's CSR with positive integer-valued costs
        assert facts.cs_graph is not None
        cost_graph = facts.cs_graph
        q = graph.shape[1]

        def run_sparse() -> Pairs:
            r, c = min_weight_full_bipartite_matching(cost_graph)
            real = c < q
            return _back(inst, r[real], c[real], None)

        return run_sparse
    assert facts.cs_values is not None
    held = facts.cs_values

    def run() -> Pairs:
        v, mask, col_of = _copied(held, inst.feasible, inst.capacities)
        if facts.full_cover:  # costs top - v in [spread, 2 spread]
            lo = float(np.min(v, where=mask, initial=np.inf)) if mask is not None else v.min()
            hi = float(np.max(v, where=mask, initial=-np.inf)) if mask is not None else v.max()
            cost = (hi + ((hi - lo) or 1.0)) - v
            g = sp.csr_array(cost if mask is None else np.where(mask, cost, 0.0))
        else:
            values = assignment_matrix(v, mask if mask is not None else np.ones_like(v, bool), True)
            top = 2.0 * float(values.max())
            g = _dummy_columns(sp.csr_array(np.where(values > 0, top - values, 0.0)), top)
        r, c = min_weight_full_bipartite_matching(g)
        real = c < v.shape[1]
        return _back(inst, r[real], c[real], col_of)

    return run


def _arcs(
    inst: Instance, graph: sp.csr_array | None, w: Float2D, mask: NDArray[np.bool_] | None
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.float64]]:
    """Row, column (int32) and weight of every candidate pair, as an OR-tools user builds them."""
    if graph is not None:
        return (
            np.repeat(np.arange(graph.shape[0], dtype=np.int32), np.diff(graph.indptr)),
            graph.indices.astype(np.int32),
            graph.data,
        )
    n, m = w.shape
    if mask is None:
        return (
            np.repeat(np.arange(n, dtype=np.int32), m),
            np.tile(np.arange(m, dtype=np.int32), n),
            w.reshape(-1),
        )
    flat = np.flatnonzero(mask)
    return (flat // m).astype(np.int32), (flat % m).astype(np.int32), w.reshape(-1)[flat]


def anchor_ortools(inst: Instance, facts: Facts, graph: sp.csr_array | None) -> Callable[[], Pairs]:
    from ortools.graph.python import linear_sum_assignment as lsa
    from ortools.graph.python import min_cost_flow as mcf

    n, m = inst.weights.shape
    unit = inst.capacities is None
    small, large = min(n, m), max(n, m)
    arcs = inst.n_edges
    if unit and facts.full_cover and (large - small) * large <= arcs:

        def run() -> Pairs:
            tails, heads, w = _arcs(inst, graph, inst.weights, inst.feasible)
            costs = np.rint(w * -facts.scale).astype(np.int64)
            if n > m:
                tails, heads = heads, tails
            if large > small:
                tails = np.concatenate(
                    [tails, np.repeat(np.arange(small, large, dtype=np.int32), large)]
                )
                heads = np.concatenate(
                    [heads, np.tile(np.arange(large, dtype=np.int32), large - small)]
                )
                costs = np.concatenate([costs, np.zeros((large - small) * large, np.int64)])
            solver = lsa.SimpleLinearSumAssignment()
            solver.add_arcs_with_cost(tails, heads, costs)
            solver.solve()
            a = np.arange(small)
            b = np.fromiter(map(solver.right_mate, range(small)), dtype=np.intp, count=small)
            return _back(inst, *((a, b) if n <= m else (b, a)), None)

        return run

    def run_flow() -> Pairs:
        pr, pc, w = _arcs(inst, graph, inst.weights, inst.feasible)
        caps = np.ones(m, np.int64) if inst.capacities is None else inst.capacities
        sink = n + m + 1
        tails = np.concatenate(
            [pr + 1, np.zeros(n, np.int32), np.arange(n + 1, sink, dtype=np.int32)]
        )
        heads = np.concatenate(
            [pc + (n + 1), np.arange(1, n + 1, dtype=np.int32), np.full(m, sink, np.int32)]
        )
        capacity = np.concatenate([np.ones(pr.size + n, np.int64), caps.astype(np.int64)])
        costs = np.concatenate(
            [np.rint(w * -facts.scale).astype(np.int64), np.zeros(n + m, np.int64)]
        )
        solver = mcf.SimpleMinCostFlow()
        solver.add_arcs_with_capacity_and_unit_cost(
            tails.astype(np.int32), heads.astype(np.int32), capacity, costs
        )
        total = n + int(caps.sum())
        solver.set_node_supply(0, total)
        solver.set_node_supply(sink, -total)
        solver.solve_max_flow_with_min_cost()
        flow = np.asarray(solver.flows(np.arange(pr.size, dtype=np.int32)))
        used = np.flatnonzero(flow > 0)
        return pr[used].astype(np.intp), pc[used].astype(np.intp)

    return run_flow


ANCHORS: dict[str, tuple[Callable[[Instance, Facts, Any], Callable[[], Pairs]], str | None]] = {
    "scipy": (anchor_scipy, None),
    "lap": (anchor_lap, "lap"),
    "csgraph": (anchor_csgraph, None),
    "ortools": (anchor_ortools, "ortools"),
}


def facts_of(inst: Instance, graph: sp.csr_array | None) -> Facts:
    """Cover, integer scale and csgraph's integer costs: untimed knowledge of the instance."""
    w = inst.weights
    mask = inst.mask
    _, cmask, _ = _copied(w, mask, inst.capacities)
    assert cmask is not None
    matched = maximum_bipartite_matching(sp.csr_array(cmask), perm_type="column")
    full_cover = int(np.count_nonzero(matched >= 0)) == min(cmask.shape)
    cells = w[mask] if inst.feasible is not None else w
    grid = grid_integers(cells)
    n, m = w.shape
    limit = max(1, min(2**40, 2**62 // ((2 * max(n, m) + 1) ** 2)))
    amax = magnitude(cells) or 1.0
    scale = (
        1e6
        if grid is not None and amax * 1e6 <= limit
        else 2.0 ** math.floor(math.log2(limit / amax))
    )
    values = w if grid is None else np.rint(w * 1e6)
    cs_graph = None
    if graph is not None:
        data = values[_csr_rows(graph), graph.indices]
        lo, hi = float(data.min()), float(data.max())
        if full_cover:
            cost = (hi + ((hi - lo) or 1.0)) - data
            cs_graph = sp.csr_array((cost, graph.indices, graph.indptr), shape=graph.shape)
        else:
            spread = (hi - lo) or 1.0
            v = data + ((min(n, m) + 1) * spread - lo)
            top = 2.0 * float(v.max())
            base = sp.csr_array((top - v, graph.indices, graph.indptr), shape=graph.shape)
            cs_graph = _dummy_columns(base, top)
    return Facts(full_cover, float(scale), values if graph is None else None, cs_graph)


# --------------------------------------------------------------------------- limits

#: Largest instance (max side for dense matrix users, else number of candidate
#: pairs) each runner is attempted on; beyond it the cell reads "-".
DENSE_SIDE = {
    "jv": 4000,
    "lapjv": 4000,
    "scipy": 4000,
    "lap": 4000,
    # Deferred acceptance ranks the whole dense matrix: O(n m) memory.
    "stable": 5000,
}
EDGE_LIMIT = {
    "blossom": 2_500,
    "flow": 20_000,
    "milp": 150_000,
    "greedy": 3_000_000,
    "stable": 3_000_000,
}
#: A runner slower than this at one size is not tried at larger sizes of the family.
SLOW = 60.0
#: Anchors whose first run is within this factor of the fastest anchor's join the race.
RACE_FACTOR = 3.0
MIN_ROUNDS, MAX_ROUNDS = 3, 15


def allowed(runner: str, inst: Instance, shrink: int) -> bool:
    """Whether ``runner`` is tried on ``inst``; limits divided by ``shrink`` (``--quick``)."""
    side = max(inst.weights.shape)
    if runner in DENSE_SIDE and side > DENSE_SIDE[runner]:
        return False
    return inst.n_edges <= EDGE_LIMIT.get(runner, 10**12) // shrink


@contextmanager
def _collector_off() -> Iterator[None]:
    """One garbage collection, then none while the body runs (as :mod:`timeit` does)."""
    gc.collect()
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _once(fn: Callable[[], Pairs]) -> tuple[float, Pairs]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def timed(fn: Callable[[], Pairs], budget: float) -> tuple[float, Pairs]:
    """Median seconds over repeated runs: up to 25 within ``budget``, at least one."""
    times: list[float] = []
    with _collector_off():
        while True:
            seconds, result = _once(fn)
            times.append(seconds)
            if len(times) >= 25 or sum(times) + times[-1] > budget:
                break
    return statistics.median(times), result


def race(fns: dict[str, Callable[[], Pairs]], budget: float) -> dict[str, list[float]]:
    """Interleaved rounds: each contender once per round, the order rotating.

    At least :data:`MIN_ROUNDS` and at most :data:`MAX_ROUNDS` rounds, as many
    as fit in ``budget`` seconds.
    """
    names = list(fns)
    times: dict[str, list[float]] = {name: [] for name in names}
    spent = 0.0
    with _collector_off():
        for k in range(MAX_ROUNDS):
            order = names[k % len(names) :] + names[: k % len(names)]
            if k % 2:
                order.reverse()
            last = 0.0
            for name in order:
                seconds, _ = _once(fns[name])
                times[name].append(seconds)
                last += seconds
            spent += last
            if k + 1 >= MIN_ROUNDS and spent + last > budget:
                break
    return times


def key(inst: Instance, rows: NDArray[np.intp], cols: NDArray[np.intp]) -> tuple[int, float]:
    return int(rows.size), math.fsum(inst.weights[rows, cols].tolist())


def same(a: tuple[int, float], b: tuple[int, float], w: Float2D) -> bool:
    tol = 1e-9 * (1.0 + a[0] * float(np.abs(w).max()))
    return a[0] == b[0] and abs(a[1] - b[1]) <= tol


def candidate_graph(inst: Instance) -> sp.csr_array:
    """The feasible pairs of ``inst`` as a CSR array (explicit zeros kept)."""
    r, c = np.nonzero(inst.mask)
    return sp.csr_array((inst.weights[r, c], (r, c)), shape=inst.weights.shape)


def solve_instance(inst: Instance, method: str, graph: sp.csr_array | None) -> Assignment:
    """One full ``solve`` call: the sparse graph for pair-list methods when given."""
    if graph is not None and (method == "auto" or METHODS[method].pair_solver is not None):
        return solve(graph, capacities=inst.capacities, method=method)
    return solve(inst.weights, feasible=inst.feasible, capacities=inst.capacities, method=method)


def verdict(size: int, auto: float, best: float) -> tuple[bool, str]:
    """Whether ``auto`` meets the target against the fastest anchor, and the target's text."""
    if size >= RATIO_FROM:
        return auto <= MAX_RATIO * best, f"<= {MAX_RATIO}x"
    return auto - best <= MAX_EXTRA_S, f"<= +{MAX_EXTRA_S * 1e6:.0f} us"


# --------------------------------------------------------------------------- main


def _row(
    args: argparse.Namespace,
    family: str,
    n: int,
    methods: list[str],
    anchors: list[str],
    skipped: set[str],
) -> dict[str, Any] | None:
    try:
        inst = make_instance(family, n)
    except ImportError as exc:
        print(f"skip {family}: {exc}", file=sys.stderr)
        return None
    graph = candidate_graph(inst) if family in SPARSE_FAMILIES else None
    facts = facts_of(inst, graph)
    row: dict[str, Any] = {
        "family": family,
        "size": n,
        "shape": list(inst.weights.shape),
        "edges": inst.n_edges,
        "times": {},
        "runs": {},
        "keys": {},
    }
    shrink = 8 if args.quick else 1

    def auto_fn() -> Pairs:
        a = solve_instance(inst, "auto", graph)
        return a.rows, a.cols

    # The other methods, each on its own.
    for name in methods:
        label = name
        if name == "auto" or label in skipped or not allowed(name, inst, shrink):
            continue

        def fn(name: str = name) -> Pairs:
            a = solve_instance(inst, name, graph)
            return a.rows, a.cols

        seconds, (r, c) = timed(fn, args.budget)
        if seconds > SLOW:
            skipped.add(label)
        row["times"][label], row["keys"][label] = seconds, key(inst, r, c)
        print(f"  {family:19s} {n:6d} {label:9s} {seconds:9.4f}s", flush=True)
    # auto and the anchors: one run each, then the race among the close ones.
    contenders: dict[str, Callable[[], Pairs]] = {"auto": auto_fn}
    for name in anchors:
        label = f"@{name}"
        if label not in skipped and allowed(name, inst, shrink):
            contenders[label] = ANCHORS[name][0](inst, facts, graph)
    first: dict[str, float] = {}
    with _collector_off():
        for label, fn in contenders.items():
            first[label], (r, c) = _once(fn)
            row["keys"][label] = key(inst, r, c)
            if first[label] > SLOW:
                skipped.add(label)
    anchor_first = {k: v for k, v in first.items() if k.startswith("@")}
    fastest = min(anchor_first.values()) if anchor_first else math.inf
    racing = {
        k: fn for k, fn in contenders.items() if k == "auto" or first[k] <= RACE_FACTOR * fastest
    }
    raced = race(racing, args.budget) if len(racing) > 1 else {}
    for label in contenders:
        runs = raced.get(label, [first[label]])
        row["times"][label] = statistics.median(runs)
        row["runs"][label] = len(runs)
        print(f"  {family:19s} {n:6d} {label:9s} {row['times'][label]:9.4f}s", flush=True)
    anchor_times = {k: v for k, v in row["times"].items() if k.startswith("@")}
    best = min(anchor_times, key=anchor_times.__getitem__) if anchor_times else None
    row["fastest_anchor"] = best
    row["ratio_auto"] = row["extra_auto_s"] = row["meets_target"] = None
    if best is not None:
        auto_s, best_s = row["times"]["auto"], anchor_times[best]
        row["ratio_auto"] = auto_s / best_s
        row["extra_auto_s"] = auto_s - best_s
        row["meets_target"], row["target"] = verdict(n, auto_s, best_s)
    row["auto_method"] = solve_instance(inst, "auto", graph).method
    exact = [k for k in row["keys"] if k.startswith("@") or k == "auto" or METHODS[k].optimal]
    reference = row["keys"]["auto"]
    row["mismatched"] = [k for k in exact if not same(row["keys"][k], reference, inst.weights)]
    row["equal"] = not row["mismatched"]
    row["keys"] = {k: list(v) for k, v in row["keys"].items()}
    return row


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    methods = [m for m in [*METHODS, "auto"] if m == "auto" or METHODS[m].available()]
    if args.methods:
        methods = [m for m in methods if m in args.methods.split(",")]
    anchors = [a for a, (_, dep) in ANCHORS.items() if dep is None or importlib.util.find_spec(dep)]
    families = args.families.split(",") if args.families else DENSE_FAMILIES + SPARSE_FAMILIES
    rows: list[dict[str, Any]] = []
    start = time.perf_counter()
    for family in families:
        sizes = args.sparse_sizes if family in SPARSE_FAMILIES else args.sizes
        skipped: set[str] = set()
        for n in sizes:
            row = _row(args, family, n, methods, anchors, skipped)
            if row is None:
                break
            rows.append(row)
            save(rows, args, time.perf_counter() - start)
            print(
                f"{family} {n}: auto={row['auto_method']} ratio={row['ratio_auto']}"
                f" meets={row['meets_target']} equal={row['equal']} {row['mismatched']}",
                flush=True,
            )
            gc.collect()
    return rows


def _seconds(t: float | None) -> str:
    if t is None:
        return "-"
    return f"{t:.4f}" if t >= 0.001 else f"{t * 1e6:.0f} us"


Before = dict[tuple[str, int], dict[str, Any]]


def markdown(rows: list[dict[str, Any]], before: Before | None = None) -> str:
    """The head-to-head table (auto and anchors), then every method.

    With ``before`` (rows of an earlier run by family and size), three more
    columns give that run's method, ratio and extra time of ``auto``: each
    measured against the anchors of its own run, so the two runs compare as
    ratios even when the machine's load differed.
    """
    anchors = [f"@{a}" for a in ANCHORS]
    head = ["family", "size", "shape", "pairs", "auto ->", "auto", *anchors]
    head += ["fastest anchor", "auto/fastest", "auto - fastest"]
    if before is not None:
        head += ["before: auto ->", "before: auto/fastest", "before: auto - fastest"]
    head += ["target", "equal"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = [
            row["family"],
            str(row["size"]),
            "x".join(map(str, row["shape"])),
            str(row["edges"]),
        ]
        cells += [row["auto_method"], _seconds(row["times"].get("auto"))]
        for a in anchors:
            t = row["times"].get(a)
            runs = row["runs"].get(a, 0)
            cells.append(_seconds(t) + ("" if t is None or runs > 1 else " (1 run)"))
        ratio, extra, ok = row["ratio_auto"], row["extra_auto_s"], row["meets_target"]
        cells += [
            (row["fastest_anchor"] or "-").lstrip("@"),
            "-" if ratio is None else f"{ratio:.2f}",
            "-" if extra is None else f"{extra * 1e6:+.0f} us",
        ]
        if before is not None:
            old = before.get((row["family"], row["size"]), {})
            old_ratio, old_extra = old.get("ratio_auto"), old.get("extra_auto_s")
            cells += [
                old.get("auto_method", "-"),
                "-" if old_ratio is None else f"{old_ratio:.2f}",
                "-" if old_extra is None else f"{old_extra * 1e6:+.0f} us",
            ]
        cells += [
            "-" if ok is None else ("ok " if ok else "**FLAG** ") + row["target"],
            "yes" if row["equal"] else "NO: " + ",".join(row["mismatched"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    methods: list[str] = []
    for row in rows:
        methods += [k for k in row["times"] if not k.startswith("@") and k not in methods]
    lines += ["", "Every method (full `solve` calls, median seconds):", ""]
    lines.append("| family | size | " + " | ".join(methods) + " |")
    lines.append("|" + "---|" * (len(methods) + 2))
    for row in rows:
        cells = [row["family"], str(row["size"])] + [_seconds(row["times"].get(m)) for m in methods]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def summary(rows: list[dict[str, Any]], before: Before | None = None) -> str:
    judged = [r for r in rows if r["meets_target"] is not None]
    if not judged:
        return "no rows"
    if before is not None:
        # The earlier run's verdicts on the same rows, by its own anchors.
        keys = [(r["family"], r["size"]) for r in judged]
        met = [before[k]["meets_target"] for k in keys if k in before]
        earlier = f"{sum(bool(m) for m in met)} of {len(met)} within target before"
    flagged = [f"{r['family']} {r['size']}" for r in judged if not r["meets_target"]]
    big = [r["ratio_auto"] for r in judged if r["size"] >= RATIO_FROM]
    small = [r["extra_auto_s"] for r in judged if r["size"] < RATIO_FROM]
    parts = [
        f"rows: {len(rows)}, all objectives equal: {all(r['equal'] for r in rows)}",
        f"within target: {len(judged) - len(flagged)} of {len(judged)}",
    ]
    if big:
        parts.append(f"worst ratio at >= {RATIO_FROM}: {max(big):.2f}")
    if small:
        parts.append(f"worst extra below {RATIO_FROM}: {max(small) * 1e6:+.0f} us")
    if before is not None:
        parts.append(earlier)
    if flagged:
        parts.append("flagged: " + ", ".join(flagged))
    return "; ".join(parts)


def save(rows: list[dict[str, Any]], args: argparse.Namespace, elapsed: float) -> None:
    """Write the table so far (after every row, so a stopped run keeps its rows)."""
    env = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "networkx": nx.__version__,
        "machine": platform.machine(),
        "blas_threads": BLAS_THREADS,
        "budget_s": args.budget,
        "arguments": " ".join(sys.argv[1:]),
        "elapsed_s": round(elapsed, 1),
        "seed": 42,
    }
    for dep in ("lap", "ortools"):
        if importlib.util.find_spec(dep):
            env[dep] = getattr(__import__(dep), "__version__", "?")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = _stem(args)
    before = args.before_rows
    doc = __doc__ or ""
    feeding = doc[doc.index("How each contender") : doc.index("The other revmatch methods")]
    (RESULTS / f"{stem}.md").write_text(
        "# Solver benchmark: `auto` against the raw libraries\n\n"
        f"Target: `auto` within {MAX_RATIO}x of the fastest anchor at sizes >= {RATIO_FROM}, "
        f"at most {MAX_EXTRA_S * 1e6:.0f} us above it below; **FLAG** marks a miss. "
        'Median seconds ("us": microseconds); `@name` columns are the anchors.\n\n'
        + feeding.strip()
        + "\n\n"
        + markdown(rows, before)
        + f"\n{summary(rows, before)}\n\nEnvironment: {json.dumps(env)}\n"
        + ("" if args.before_env is None else f"Before: {json.dumps(args.before_env)}\n")
    )
    out: dict[str, Any] = {"env": env, "rows": rows}
    if before is not None:
        out["before"] = {"env": args.before_env, "rows": list(before.values())}
    (RESULTS / f"{stem}.json").write_text(json.dumps(out, indent=1))


def _stem(args: argparse.Namespace) -> str:
    """Name of the result files: ``solvers``, ``solvers_quick`` or ``solvers_<tag>``."""
    if args.tag:
        return f"solvers_{args.tag}"
    return "solvers_quick" if args.quick else "solvers"


def _read_before(args: argparse.Namespace) -> None:
    """With ``--before``, keep the rows of the result file this run will replace."""
    args.before_rows, args.before_env = None, None
    path = RESULTS / f"{_stem(args)}.json"
    if not args.before or not path.exists():
        return
    data = json.loads(path.read_text())
    # A file written with --before keeps the earlier run's rows as they were.
    args.before_rows = {(r["family"], r["size"]): r for r in data["rows"]}
    args.before_env = data["env"]


def _ints(text: str) -> list[int]:
    return [int(v) for v in text.split(",")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    parser.add_argument("--sizes", help="dense sizes, comma separated")
    parser.add_argument("--sparse-sizes", help="sparse sizes, comma separated")
    parser.add_argument("--families", help="families, comma separated")
    parser.add_argument("--methods", help="revmatch methods, comma separated (anchors always run)")
    parser.add_argument("--budget", type=float, default=3.0, help="seconds of repeats per cell")
    parser.add_argument("--blas-threads", default="1", help="BLAS threads of every contender")
    parser.add_argument("--tag", help="suffix of the result files (solvers_<tag>.md/.json)")
    parser.add_argument(
        "--before",
        action="store_true",
        help="show the ratios of the result file this run replaces beside the new ones",
    )
    args = parser.parse_args(argv)
    _read_before(args)
    args.sizes = _ints(args.sizes) if args.sizes else QUICK_DENSE if args.quick else DENSE_SIZES
    args.sparse_sizes = (
        _ints(args.sparse_sizes)
        if args.sparse_sizes
        else QUICK_SPARSE
        if args.quick
        else SPARSE_SIZES
    )
    rows = run(args)
    print(markdown(rows, args.before_rows))
    print(summary(rows, args.before_rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
