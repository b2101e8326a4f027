"""The ``method="auto"`` rule: pick the fastest exact method for an instance.

No single library wins everywhere (measured on 2 cores, see
``docs/solvers.md`` and ``benchmarks/results/solvers.md``):

- scipy's ``linear_sum_assignment`` is fastest on rectangular problems and
  tiny ones, but slow on square score-like matrices (low rank, many near-ties);
- ``lap.lapjv`` is fastest on square matrices without such structure;
- OR-tools' cost-scaling assignment and min-cost flow are insensitive to
  near-ties, so they win on structured square matrices, on capacities and on
  sparse candidate graphs, and lose on unstructured dense ones;
- networkx and HiGHS are needed only for what the others cannot express.

The rule looks only at the instance (never at timings), so the same input
always gets the same method and therefore the same pairs.
"""

from __future__ import annotations

import numpy as np

from revmatch.solvers._flow import ortools_assignment
from revmatch.solvers._problem import BoolArray, Candidates, FloatArray, IntpArray, Problem
from revmatch.solvers._registry import METHODS

__all__ = ["choose_method", "choose_pair_method", "small_assignment", "structured"]

#: At most this share of candidate pairs counts as a sparse candidate graph.
SPARSE_DENSITY = 0.1
#: Up to this many cells (rows x slots) every method takes well under a
#: millisecond and scipy has the least overhead.
TINY_CELLS = 64 * 64
#: Up to this many cells a problem with capacities is solved faster by LAPJV
#: on the copied matrix than by OR-tools' min-cost flow (measured crossover
#: between 250 x 213 and 300 x 253 cells, see ``docs/solvers.md``).
SMALL_FLOW_CELLS = 256 * 256
#: Rows-to-slots ratio from which scipy's rectangular solver wins.
RECTANGULAR = 2.5
#: Spectral concentration (see :func:`structured`) marking a structured matrix,
#: 1.6 times that of independent noise.
STRUCTURE = 0.05
_PROBE = 64


def structured(weights: FloatArray, mask: np.ndarray, full: bool) -> bool:
    """Whether the weights are low-rank-like: the case that slows JV-type solvers.

    Adding a constant to a row or to a column does not change which assignment
    is best, so the probe removes row and column means from a fixed, evenly
    spaced 64 x 64 sample (forbidden cells get the sample mean), forms its Gram
    matrix ``G`` and measures how concentrated the spectrum is:
    ``sum(G**2) / trace(G)**2 = sum(s**4) / sum(s**2)**2`` over the singular
    values ``s``. That is about ``2/64 = 0.03`` for independent noise and
    about ``1/r`` for ``r`` equal factors (0.26 for four-factor scores, 0.10
    for revmatch's own scores). Cost: about 0.03 ms.
    """
    n, m = weights.shape
    p, q = min(_PROBE, n), min(_PROBE, m)
    # Evenly spaced rows and columns, first and last included.
    rows = (np.arange(p, dtype=np.intp) * (n - 1)) // max(p - 1, 1)
    cols = (np.arange(q, dtype=np.intp) * (m - 1)) // max(q - 1, 1)
    sample = weights.take(rows, axis=0).take(cols, axis=1)
    if not full:
        allowed = mask.take(rows, axis=0).take(cols, axis=1)
        if not allowed.any():
            return False
        sample = np.where(allowed, sample, sample[allowed].mean())
    # float32 is ample for a threshold between 0.03 and 0.10 and halves the
    # cost of the product below; the statistic does not depend on scale, so
    # the sample is scaled into float32's range first.
    scale = max(-float(sample.min()), float(sample.max()))
    centred = (sample / scale if scale > 0 else sample).astype(np.float32)
    # Means as sums over counts: what ndarray.mean computes, without its
    # Python-level wrapper (a few microseconds a call, on a probe of ~30).
    centred -= np.add.reduce(centred, axis=0) / p
    centred -= (np.add.reduce(centred, axis=1) / q)[:, None]
    # A general product with a copied transpose: numpy would send x @ x.T to
    # syrk, which OpenBLAS has run on several threads even at this size (20+
    # ms on a busy 2-core machine), while its gemm stays on one thread up to
    # 64**3 multiply-adds. About 6 us, against 40 us for einsum's own loop.
    gram = centred @ np.ascontiguousarray(centred.T)
    trace = float(np.trace(gram))
    return trace > 0 and float(np.vdot(gram, gram)) / (trace * trace) >= STRUCTURE


def _have(name: str) -> bool:
    return METHODS[name].available()


def _lapjv_or_jv() -> str:
    return "lapjv" if _have("lapjv") else "jv"


def choose_method(problem: Problem, objective: str) -> str:
    """Return the name of the exact method ``auto`` uses for ``problem``.

    The rule, first match wins:

    1. quotas: ``milp`` (the only method that can express them);
    2. many-to-many pairs or pair groups: ``ortools`` (min-cost flow), else ``flow``;
    3. candidate pairs at most 10% of all cells: ``ortools``, else ``sparse``;
    4. up to 64 x 64 cells (rows x slots, the summed column capacities), or
       rows and slots at a ratio of 2.5 or more: ``jv``;
    5. ``max_score`` (no cardinality term, where OR-tools would need min-cost
       flow instead of its assignment solver), or capacities above one on up
       to 256 x 256 cells (where OR-tools' min-cost flow is still slower than
       LAPJV on the copies): ``lapjv``, else ``jv``;
    6. structured weights (:func:`structured`): ``ortools``, else ``lapjv``, else ``jv``
       (on up to 256 x 256 one-to-one cells, :func:`solve` switches to
       ``lapjv`` when OR-tools finds no matching covering the smaller side,
       see :func:`small_assignment`);
    7. otherwise ``lapjv``, else ``jv``.
    """
    needed = problem.features()
    if "quotas" in needed:
        return "milp"
    n, m = problem.shape
    full = problem.all_feasible
    candidates = n * m if full else int(np.count_nonzero(problem.feasible))
    graph_method = _graph_rules(needed, candidates, n * m)
    if graph_method is not None:
        return graph_method
    if problem.unit and full:  # every capacity is one
        rows, slots = n, m
    else:
        rows, slots = int(problem.row_capacities.sum()), int(problem.capacities.sum())
    lo, hi = sorted((max(rows, 1), max(slots, 1)))
    if rows * slots <= TINY_CELLS or hi >= RECTANGULAR * lo:
        return "jv"
    if objective == "max_score" or (not problem.unit and rows * slots <= SMALL_FLOW_CELLS):
        return _lapjv_or_jv()
    if _have("ortools") and structured(problem.weights, problem.feasible, full):
        return "ortools"
    return _lapjv_or_jv()


def choose_pair_method(candidates: Candidates) -> str | None:
    """The pair-list method ``auto`` uses for sparse input, or None for a dense one.

    The first three rules of :func:`choose_method`, read off the candidate
    list: many-to-many pairs need min-cost flow (``ortools``, else ``flow``);
    candidate pairs at most 10% of all cells go to ``ortools``, else
    ``sparse``. Denser inputs return None: a dense method is faster there, so
    the caller expands the matrix and applies the dense rules.
    """
    n, m = candidates.shape
    return _graph_rules(candidates.features(), candidates.rows.size, n * m)


def _graph_rules(needed: frozenset[str], candidates: int, cells: int) -> str | None:
    """Rules 2 and 3 of :func:`choose_method`: the problems for the pair-list methods."""
    if needed & {"many_to_many", "pair_groups"}:
        return "ortools" if _have("ortools") else "flow"
    if candidates <= SPARSE_DENSITY * cells:
        return "ortools" if _have("ortools") else "sparse"
    return None


def small_assignment(
    problem: Problem, mask: BoolArray, cardinality_first: bool
) -> tuple[str, tuple[IntpArray, IntpArray]] | None:
    """Rule 6 on small one-to-one problems: OR-tools' assignment solver or LAPJV.

    Where :func:`choose_method` picks ``ortools`` for a unit-capacity
    ``coverage_then_score`` problem of up to 256 x 256 cells, OR-tools'
    assignment solver is tried first; when no matching covers the smaller side
    (it finds that out in a fraction of its solve time), OR-tools would fall
    back to its min-cost flow, which at this size is several times slower than
    LAPJV on the dense matrix (1.1 ms against 0.3 ms on 100 executives and
    mentors with revmatch's own scores), so LAPJV (else ``jv``) solves it.
    Returns the method that solved it and the pairs, or None where the rule
    does not apply and ``ortools`` runs as usual.
    """
    n, m = problem.shape
    if not (cardinality_first and problem.unit and n * m <= SMALL_FLOW_CELLS):
        return None
    pairs = ortools_assignment(problem, mask)
    if pairs is not None:
        return "ortools", pairs
    fallback = _lapjv_or_jv()
    solver = METHODS[fallback].solver
    assert solver is not None
    return fallback, solver(problem, mask, cardinality_first)
