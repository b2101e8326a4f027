"""Benchmark every solver method against the raw libraries it wraps.

Every method of ``revmatch.solvers`` (and ``auto``) runs on named instance
families x sizes, next to the raw anchors called directly in the same run:
scipy's ``linear_sum_assignment``, ``lap.lapjv``, csgraph's
``min_weight_full_bipartite_matching``, OR-tools, networkx min-cost flow and
``munkres`` (small sizes). Anchors get their input prepared outside the timed
region, in the form a careful user of that library would build; revmatch
methods are timed through the full ``solve`` call (validation included).
On the sparse families, ``auto`` and the pair-list methods (``sparse``,
``ortools``, ``flow``) get the candidate graph as a scipy.sparse CSR array,
built outside the timed region like the anchors' edge lists; the dense
methods get the dense matrix and mask.

Each row reports median seconds, the fastest anchor, the ratio ``auto /
fastest anchor`` (target: <= 1.1) and whether every exact method and anchor
reached the same objective (``coverage_then_score``: most pairs, then highest
total, within 1e-9 * (1 + k max|w|)).

The ratio is measured head to head: once every runner of a row has been
timed, ``auto`` and the fastest anchor run alternately (3 to 25 rounds
within the budget, the order flipping every round), so both see the same
state of a shared machine. Two
figures are kept: the ratio of the medians (``auto/anchor``) and the ratio of
the fastest runs (``best-run ratio``, the statistic :mod:`timeit` recommends,
least sensitive to interference from other processes).

Timing follows :mod:`timeit`: the garbage collector runs once before a
runner's repeats and is switched off while they run. (Collecting before every
call, as earlier runs did, walks every Python object and evicts the caches,
so each Python-level step of the next call starts cold: about 100 us per step
here, which dominated the sub-millisecond rows while the anchors' single C
call barely noticed.)

Usage::

    python benchmarks/bench_solvers.py            # full run (about 40 minutes on 2 cores)
    python benchmarks/bench_solvers.py --quick    # smoke run, seconds
    python benchmarks/bench_solvers.py --sizes 300,1000 --families score_like,uniform

Results go to ``benchmarks/results/solvers[_quick|_<tag>].{md,json}``.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import math
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import scipy
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import maximum_bipartite_matching, min_weight_full_bipartite_matching

from revmatch.solvers import METHODS, Assignment, solve
from revmatch.solvers._dense import assignment_matrix, copies
from revmatch.solvers._network import build_network, grid_integers, integer_weights
from revmatch.solvers._problem import validate

RESULTS = Path(__file__).resolve().parent / "results"
DENSE_SIZES = [100, 300, 1000, 2000, 4000]
SPARSE_SIZES = [1000, 5000, 20000]
QUICK_DENSE = [40, 120]
QUICK_SPARSE = [300]

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
class Prepared:
    """Inputs of the anchors, built once outside the timed region."""

    values: Float2D | None  # dense assignment matrix (copies + cardinality term)
    row_of: NDArray[np.intp]
    col_of: NDArray[np.intp]
    edges: tuple[NDArray[np.intp], NDArray[np.intp]]  # (row copy, col copy) of candidates
    edge_w: Float2D
    full_cover: bool


def prepare(inst: Instance, dense_ok: bool) -> Prepared:
    problem = validate(
        inst.weights,
        feasible=inst.feasible,
        capacities=inst.capacities,
        row_capacities=None,
        pair_groups=None,
        quotas=None,
    )
    row_of, col_of = copies(problem, problem.feasible)
    # Copy index of every candidate pair (capacities only on columns here).
    col_start = np.searchsorted(col_of, np.arange(inst.weights.shape[1]))
    row_start = np.searchsorted(row_of, np.arange(inst.weights.shape[0]))
    pr, pc = np.nonzero(problem.feasible)
    reps = np.bincount(col_of, minlength=inst.weights.shape[1])[pc]
    er = np.repeat(row_start[pr], reps)
    ec = np.repeat(col_start[pc], reps) + (
        np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
    )
    edge_w = np.repeat(inst.weights[pr, pc], reps)
    graph = sp.csr_array((np.ones(er.size), (er, ec)), shape=(row_of.size, col_of.size))
    cover = int(np.count_nonzero(maximum_bipartite_matching(graph) >= 0))
    values = None
    if dense_ok:
        w = inst.weights[np.ix_(row_of, col_of)]
        values = assignment_matrix(w, problem.feasible[np.ix_(row_of, col_of)], True)
    return Prepared(
        values, row_of, col_of, (er, ec), edge_w, cover == min(row_of.size, col_of.size)
    )


def _from_copies(prep: Prepared, r: NDArray[np.intp], c: NDArray[np.intp], inst: Instance) -> Pairs:
    rows, cols = prep.row_of[r], prep.col_of[c]
    keep = inst.mask[rows, cols]
    return rows[keep], cols[keep]


def anchor_scipy(inst: Instance, prep: Prepared) -> Callable[[], Pairs]:
    assert prep.values is not None
    values = prep.values

    def run() -> Pairs:
        r, c = linear_sum_assignment(values, maximize=True)
        return _from_copies(prep, r, c, inst)

    return run


def anchor_lap(inst: Instance, prep: Prepared) -> Callable[[], Pairs]:
    import lap

    assert prep.values is not None
    cost = np.ascontiguousarray(float(prep.values.max()) - prep.values)
    rect = cost.shape[0] != cost.shape[1]

    def run() -> Pairs:
        _, x, _ = lap.lapjv(cost, extend_cost=rect)
        r = np.flatnonzero(x >= 0)
        return _from_copies(prep, r, x[r].astype(np.intp), inst)

    return run


def anchor_csgraph(inst: Instance, prep: Prepared) -> Callable[[], Pairs]:
    er, ec = prep.edges
    p, q = prep.row_of.size, prep.col_of.size
    # Integer-valued costs: LAPJVsp can run for minutes on exactly tied float
    # costs (quantised scores), integer ones finish quickly.
    grid = grid_integers(prep.edge_w)
    w = prep.edge_w if grid is None else grid.astype(np.float64)
    if prep.full_cover:  # "2 - S" minimisation form over the candidates
        spread = float(w.max() - w.min()) or 1.0
        graph = sp.csr_array(((float(w.max()) + spread) - w, (er, ec)), shape=(p, q))
    else:  # dummies: one private "unmatched" column per row
        spread = float(w.max() - w.min())
        big = (min(p, q) + 1) * spread if spread > 0 else 1.0
        v = w + (big - float(w.min()))
        top = 2.0 * float(v.max())
        graph = sp.csr_array(
            (
                np.concatenate([top - v, np.full(p, top)]),
                (np.concatenate([er, np.arange(p)]), np.concatenate([ec, q + np.arange(p)])),
            ),
            shape=(p, q + p),
        )

    def run() -> Pairs:
        r, c = min_weight_full_bipartite_matching(graph)
        real = c < q
        return _from_copies(prep, r[real].astype(np.intp), c[real].astype(np.intp), inst)

    return run


def anchor_ortools(inst: Instance, prep: Prepared) -> Callable[[], Pairs]:
    from ortools.graph.python import linear_sum_assignment as lsa
    from ortools.graph.python import min_cost_flow as mcf

    er, ec = prep.edges
    p, q = prep.row_of.size, prep.col_of.size
    ints, _ = integer_weights(prep.edge_w, 10**9)
    if prep.full_cover and abs(p - q) * max(p, q) <= er.size:
        left, right = (er, ec) if p <= q else (ec, er)
        small, large = min(p, q), max(p, q)
        dummy_l = np.repeat(np.arange(small, large), large)
        dummy_r = np.tile(np.arange(large), large - small)
        tails = np.concatenate([left, dummy_l]).astype(np.int32)
        heads = np.concatenate([right, dummy_r]).astype(np.int32)
        costs = np.concatenate([-ints, np.zeros(dummy_l.size, np.int64)])

        def run() -> Pairs:
            solver = lsa.SimpleLinearSumAssignment()
            solver.add_arcs_with_cost(tails, heads, costs)
            solver.solve()
            a = np.arange(small)
            b = np.array([solver.right_mate(i) for i in range(small)], dtype=np.intp)
            r, c = (a, b) if p <= q else (b, a)
            return _from_copies(prep, r, c, inst)

        return run
    problem = validate(
        inst.weights,
        feasible=inst.feasible,
        capacities=inst.capacities,
        row_capacities=None,
        pair_groups=None,
        quotas=None,
    )
    net = build_network(problem, problem.feasible)
    net_ints, _ = integer_weights(inst.weights[net.pair_rows, net.pair_cols], 10**9)
    costs = np.zeros(net.tails.size, np.int64)
    costs[: net.n_pairs] = -net_ints
    total = int(net.caps[net.n_pairs :].sum())

    def run_flow() -> Pairs:
        solver = mcf.SimpleMinCostFlow()
        solver.add_arcs_with_capacity_and_unit_cost(
            net.tails.astype(np.int32),
            net.heads.astype(np.int32),
            net.caps.astype(np.int64),
            costs,
        )
        solver.set_node_supply(net.source, total)
        solver.set_node_supply(net.sink, -total)
        solver.solve_max_flow_with_min_cost()
        flow = np.asarray(solver.flows(np.arange(net.n_pairs, dtype=np.int32)))
        used = np.flatnonzero(flow > 0)
        return net.pair_rows[used], net.pair_cols[used]

    return run_flow


def anchor_networkx(inst: Instance, prep: Prepared) -> Callable[[], Pairs]:
    problem = validate(
        inst.weights,
        feasible=inst.feasible,
        capacities=inst.capacities,
        row_capacities=None,
        pair_groups=None,
        quotas=None,
    )
    net = build_network(problem, problem.feasible)
    ints, _ = integer_weights(inst.weights[net.pair_rows, net.pair_cols], 2**52)
    costs = np.zeros(net.tails.size, np.int64)
    costs[: net.n_pairs] = -ints
    graph: nx.DiGraph[int] = nx.DiGraph()
    for t, h, c, w in zip(
        net.tails.tolist(), net.heads.tolist(), net.caps.tolist(), costs.tolist(), strict=True
    ):
        graph.add_edge(t, h, capacity=c, weight=w)
    pairs = list(zip(net.pair_rows.tolist(), net.pair_cols.tolist(), strict=True))
    arcs = list(
        zip(net.tails[: net.n_pairs].tolist(), net.heads[: net.n_pairs].tolist(), strict=True)
    )

    def run() -> Pairs:
        flow = nx.max_flow_min_cost(graph, net.source, net.sink)
        chosen = [pairs[k] for k, (t, h) in enumerate(arcs) if flow[t][h] > 0]
        rows = np.array([r for r, _ in chosen], dtype=np.intp)
        cols = np.array([c for _, c in chosen], dtype=np.intp)
        return rows, cols

    return run


def anchor_munkres(inst: Instance, prep: Prepared) -> Callable[[], Pairs]:
    from munkres import Munkres

    assert prep.values is not None
    cost = (float(prep.values.max()) - prep.values).tolist()

    def run() -> Pairs:
        idx = Munkres().compute([row[:] for row in cost])
        r = np.array([i for i, _ in idx], dtype=np.intp)
        c = np.array([j for _, j in idx], dtype=np.intp)
        return _from_copies(prep, r, c, inst)

    return run


ANCHORS: dict[str, tuple[Callable[[Instance, Prepared], Callable[[], Pairs]], str | None]] = {
    "scipy": (anchor_scipy, None),
    "lap": (anchor_lap, "lap"),
    "csgraph": (anchor_csgraph, None),
    "ortools": (anchor_ortools, "ortools"),
    "networkx": (anchor_networkx, None),
    "munkres": (anchor_munkres, "munkres"),
}


# --------------------------------------------------------------------------- limits

#: Largest instance (max side for dense matrix users, else number of candidate
#: pairs) each runner is attempted on; beyond it the cell reads "-".
DENSE_SIDE = {
    "jv": 4000,
    "lapjv": 4000,
    "scipy": 4000,
    "lap": 4000,
    "munkres": 100,
    # Deferred acceptance ranks the whole dense matrix: O(n m) memory.
    "stable": 5000,
}
EDGE_LIMIT = {
    "blossom": 2_500,
    "flow": 20_000,
    "networkx": 20_000,
    "milp": 150_000,
    "greedy": 3_000_000,
    "stable": 3_000_000,
}
#: A runner slower than this at one size is not tried at larger sizes of the family.
SLOW = 60.0


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


def timed(fn: Callable[[], Pairs], budget: float) -> tuple[float, Pairs]:
    """Median seconds over repeated runs: up to 25 within ``budget``, at least one.

    Many repeats of the fast cells keep the median robust to the load spikes
    of a shared 2-core machine.
    """
    times: list[float] = []
    result: Pairs | None = None
    with _collector_off():
        while True:
            start = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - start)
            if len(times) >= 25 or sum(times) + times[-1] > budget:
                break
    return statistics.median(times), result


def head_to_head(
    auto: Callable[[], Pairs], anchor: Callable[[], Pairs], budget: float
) -> tuple[float, float]:
    """``auto`` and ``anchor`` run alternately: (ratio of medians, ratio of fastest runs).

    At least 3 rounds and up to 25 within ``budget``; the order within a round
    alternates, so neither side always runs on the memory the other just freed.
    """
    mine: list[float] = []
    theirs: list[float] = []
    with _collector_off():
        while True:
            pair = [(auto, mine), (anchor, theirs)]
            for fn, times in pair if len(mine) % 2 == 0 else pair[::-1]:
                start = time.perf_counter()
                fn()
                times.append(time.perf_counter() - start)
            spent = sum(mine) + sum(theirs)
            if len(mine) >= 25 or (len(mine) >= 3 and spent + mine[-1] + theirs[-1] > budget):
                break
    return statistics.median(mine) / statistics.median(theirs), min(mine) / min(theirs)


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


# --------------------------------------------------------------------------- main


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
            try:
                inst = make_instance(family, n)
            except ImportError as exc:
                print(f"skip {family}: {exc}", file=sys.stderr)
                break
            dense_ok = max(inst.weights.shape) <= 4000
            prep = prepare(inst, dense_ok)
            graph = candidate_graph(inst) if family in SPARSE_FAMILIES else None
            row: dict[str, Any] = {
                "family": family,
                "size": n,
                "shape": list(inst.weights.shape),
                "edges": inst.n_edges,
                "times": {},
                "keys": {},
            }
            reference: tuple[int, float] | None = None
            runners = [(m, False) for m in methods] + [(a, True) for a in anchors]
            timed_fns: dict[str, Callable[[], Pairs]] = {}
            for name, is_anchor in runners:
                label = f"@{name}" if is_anchor else name
                if label in skipped or not allowed(name, inst, 8 if args.quick else 1):
                    continue
                if is_anchor:
                    if name in ("scipy", "lap", "munkres") and prep.values is None:
                        continue
                    fn = ANCHORS[name][0](inst, prep)
                else:

                    def fn(name: str = name, inst: Instance = inst, graph: Any = graph) -> Pairs:
                        a = solve_instance(inst, name, graph)
                        return a.rows, a.cols

                timed_fns[label] = fn
                seconds, (r, c) = timed(fn, args.budget)
                if seconds > SLOW:
                    skipped.add(label)
                k = key(inst, r, c)
                row["times"][label] = seconds
                row["keys"][label] = k
                if name == "jv" or (reference is None and name in ("sparse", "ortools")):
                    reference = k
                print(f"  {family:15s} {n:6d} {label:9s} {seconds:9.4f}s  pairs={k[0]}", flush=True)
            exact = [
                lbl
                for lbl in row["keys"]
                if lbl.startswith("@") or lbl == "auto" or METHODS[lbl].optimal
            ]
            if reference is None:
                reference = row["keys"][exact[0]]
            mismatched = [
                lbl for lbl in exact if not same(row["keys"][lbl], reference, inst.weights)
            ]
            anchor_times = {k: v for k, v in row["times"].items() if k.startswith("@")}
            best = min(anchor_times, key=anchor_times.__getitem__) if anchor_times else None
            row["fastest_anchor"] = best
            row["ratio_auto"] = row["ratio_auto_best"] = None
            if best and "auto" in timed_fns:
                row["ratio_auto"], row["ratio_auto_best"] = head_to_head(
                    timed_fns["auto"], timed_fns[best], args.budget
                )
            row["auto_method"] = solve_instance(inst, "auto", graph).method
            row["equal"] = not mismatched
            row["mismatched"] = mismatched
            row["keys"] = {k: list(v) for k, v in row["keys"].items()}
            rows.append(row)
            save(rows, args, time.perf_counter() - start)
            print(
                f"{family} {n}: auto={row['auto_method']} ratio={row['ratio_auto']}"
                f" equal={row['equal']} {mismatched}",
                flush=True,
            )
            del inst, prep
            gc.collect()
    return rows


def markdown(rows: list[dict[str, Any]]) -> str:
    columns: list[str] = []
    for row in rows:
        for name in row["times"]:
            if name not in columns:
                columns.append(name)
    methods = [c for c in columns if not c.startswith("@")]
    anchors = [c for c in columns if c.startswith("@")]
    head = [
        "family",
        "size",
        "shape",
        "pairs",
        *methods,
        *anchors,
        "fastest anchor",
        "auto ->",
        "auto/anchor",
        "best-run ratio",
        "equal",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = [
            row["family"],
            str(row["size"]),
            "x".join(map(str, row["shape"])),
            str(row["edges"]),
        ]
        for c in methods + anchors:
            t = row["times"].get(c)
            cells.append("-" if t is None else f"{t:.4f}")
        ratio, best_run = row["ratio_auto"], row.get("ratio_auto_best")
        cells += [
            (row["fastest_anchor"] or "-").lstrip("@"),
            row["auto_method"],
            "-" if ratio is None else f"{ratio:.2f}",
            "-" if best_run is None else f"{best_run:.2f}",
            "yes" if row["equal"] else "NO: " + ",".join(row["mismatched"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def summary(rows: list[dict[str, Any]]) -> str:
    ratios = [r["ratio_auto"] for r in rows if r["ratio_auto"] is not None]
    best_runs = [r["ratio_auto_best"] for r in rows if r.get("ratio_auto_best") is not None]
    if not ratios:
        return "no rows"
    within = sum(1 for v in ratios if v <= 1.1)
    return (
        f"rows: {len(rows)}, all objectives equal: {all(r['equal'] for r in rows)}, "
        f"worst auto/fastest-anchor: {max(ratios):.2f} (medians, head to head; "
        f"{within} of {len(ratios)} rows within 1.1), "
        f"worst best-run ratio: {max(best_runs):.2f}"
    )


def save(rows: list[dict[str, Any]], args: argparse.Namespace, elapsed: float) -> None:
    """Write the table so far (after every row, so a stopped run keeps its rows)."""
    env = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "networkx": nx.__version__,
        "machine": platform.machine(),
        "elapsed_s": round(elapsed, 1),
        "seed": 42,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = "solvers_quick" if args.quick else "solvers"
    if args.tag:
        stem = f"solvers_{args.tag}"
    (RESULTS / f"{stem}.md").write_text(
        "# Solver benchmark\n\nMedian seconds; methods are full `revmatch.solvers.solve` calls, "
        "`@name` columns are raw library anchors. `auto/anchor` and `best-run ratio` come "
        "from a head-to-head run of `auto` against the fastest anchor (ratio of medians, "
        "ratio of fastest runs).\n\n"
        + markdown(rows)
        + f"\n{summary(rows)}\n\nEnvironment: {json.dumps(env)}\n"
    )
    (RESULTS / f"{stem}.json").write_text(json.dumps({"env": env, "rows": rows}, indent=1))


def _ints(text: str) -> list[int]:
    return [int(v) for v in text.split(",")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    parser.add_argument("--sizes", help="dense sizes, comma separated")
    parser.add_argument("--sparse-sizes", help="sparse sizes, comma separated")
    parser.add_argument("--families", help="families, comma separated")
    parser.add_argument("--methods", help="revmatch methods, comma separated (anchors always run)")
    parser.add_argument("--budget", type=float, default=2.0, help="seconds of repeats per cell")
    parser.add_argument("--tag", help="suffix of the result files (solvers_<tag>.md/.json)")
    args = parser.parse_args(argv)
    args.sizes = _ints(args.sizes) if args.sizes else QUICK_DENSE if args.quick else DENSE_SIZES
    args.sparse_sizes = (
        _ints(args.sparse_sizes)
        if args.sparse_sizes
        else QUICK_SPARSE
        if args.quick
        else SPARSE_SIZES
    )
    rows = run(args)
    print(markdown(rows))
    print(summary(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
