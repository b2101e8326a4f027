"""Registry of solver methods: what each can do, what it needs, how to call it."""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from revmatch.solvers._blossom import solve_blossom
from revmatch.solvers._dense import solve_jv, solve_lapjv
from revmatch.solvers._flow import flow_pairs, ortools_pairs, solve_flow, solve_ortools
from revmatch.solvers._greedy import solve_greedy
from revmatch.solvers._milp import solve_milp
from revmatch.solvers._problem import BoolArray, Candidates, IntpArray, Problem
from revmatch.solvers._sparse import solve_sparse, sparse_pairs

__all__ = ["METHODS", "MethodInfo", "available_methods"]

CoreSolver = Callable[[Problem, BoolArray, bool], tuple[IntpArray, IntpArray]]
PairSolver = Callable[[Candidates, bool], tuple[IntpArray, IntpArray]]

_ALL_OBJECTIVES = frozenset({"coverage_then_score", "max_score", "maximin"})
_REPLICABLE = frozenset({"capacities", "row_capacities"})
_NETWORK = _REPLICABLE | {"many_to_many", "pair_groups"}
#: What an exact optimisation method adds: a change budget by Lagrangian steps
#: (the integer program decides the rest).
_EXACT = frozenset({"budget"})


@dataclass(frozen=True)
class MethodInfo:
    """What a solver method is and what it supports.

    Attributes
    ----------
    name : str
        The ``method=`` value.
    exact : bool
        True when the result is exactly what the method promises (copied to
        :attr:`Assignment.exact`); False only for ``"greedy"``.
    optimal : bool
        True when the method proves an optimum of the objective; False for
        ``"greedy"`` and ``"stable"`` (a stable matching, not an optimum).
    features : frozenset of str
        Problem features it handles: ``"capacities"``, ``"row_capacities"``,
        ``"many_to_many"`` (a pair whose row and column both have capacity > 1),
        ``"pair_groups"``, ``"quotas"``, ``"budget"`` (a
        :class:`~revmatch.solvers.ChangeBudget`), ``"duals"`` (an optimum with
        dual potentials, :func:`~revmatch.solvers.solve_with_duals`).
    objectives : frozenset of str
        Objectives it accepts.
    dependency : str or None
        Import name of the optional package it needs (extra ``fast``).
    summary : str
        One line: algorithm and where it shines.
    solver : callable or None
        ``solver(problem, mask, cardinality_first) -> (rows, cols)``; None for
        ``"stable"``, which is not an optimisation method.
    pair_solver : callable or None
        ``pair_solver(candidates, cardinality_first) -> (rows, cols)`` for the
        methods that work on the candidate pairs alone, so sparse weights
        reach them without a dense matrix; None for the others.
    """

    name: str
    exact: bool
    optimal: bool
    features: frozenset[str]
    objectives: frozenset[str]
    dependency: str | None
    summary: str
    solver: CoreSolver | None
    pair_solver: PairSolver | None = None

    def available(self) -> bool:
        """Whether the optional dependency (if any) is installed."""
        return self.dependency is None or _installed(self.dependency)


@functools.cache
def _installed(module: str) -> bool:
    # Cached: find_spec walks sys.path, too slow to repeat on every solve().
    return importlib.util.find_spec(module) is not None


def _info(
    name: str,
    summary: str,
    solver: CoreSolver | None,
    *,
    features: frozenset[str] = _REPLICABLE,
    objectives: frozenset[str] = _ALL_OBJECTIVES,
    dependency: str | None = None,
    exact: bool = True,
    optimal: bool = True,
    pair_solver: PairSolver | None = None,
) -> MethodInfo:
    return MethodInfo(
        name, exact, optimal, features, objectives, dependency, summary, solver, pair_solver
    )


_METHOD_LIST = [
    _info(
        "jv",
        "scipy.optimize.linear_sum_assignment (modified Jonker-Volgenant); dense, robust",
        solve_jv,
        features=_REPLICABLE | _EXACT,
    ),
    _info(
        "lapjv",
        "lap.lapjv (LAPJV); fastest on dense square score-like matrices",
        solve_lapjv,
        features=_REPLICABLE | _EXACT,
        dependency="lap",
    ),
    _info(
        "sparse",
        "scipy.sparse.csgraph.min_weight_full_bipartite_matching (LAPJVsp) on candidate pairs",
        solve_sparse,
        features=_REPLICABLE | _EXACT | {"duals"},
        pair_solver=sparse_pairs,
    ),
    _info(
        "ortools",
        "OR-tools SimpleLinearSumAssignment / SimpleMinCostFlow; fastest on sparse candidates",
        solve_ortools,
        features=_NETWORK | _EXACT | {"duals"},
        pair_solver=ortools_pairs,
        dependency="ortools",
    ),
    _info(
        "flow",
        "networkx min-cost flow (network simplex); capacities on both sides, groups",
        solve_flow,
        features=_NETWORK | _EXACT | {"duals"},
        pair_solver=flow_pairs,
    ),
    _info(
        "blossom",
        "networkx.max_weight_matching (Edmonds' blossom); small instances, test oracle",
        solve_blossom,
        features=_REPLICABLE | _EXACT,
    ),
    _info(
        "milp",
        "scipy.optimize.milp (HiGHS); quotas and other side constraints",
        solve_milp,
        features=_NETWORK | _EXACT | {"quotas"},
    ),
    _info(
        "greedy",
        "heaviest pair first; the baseline, not exact",
        solve_greedy,
        features=_NETWORK,
        exact=False,
        optimal=False,
    ),
    _info(
        "stable",
        "deferred acceptance (Gale-Shapley), executive-proposing; a stable matching",
        None,
        features=frozenset({"capacities"}),
        objectives=frozenset({"coverage_then_score", "max_score"}),
        optimal=False,
    ),
]

#: Every solver method by name (read-only). ``"auto"`` is not a method of its own.
METHODS: Mapping[str, MethodInfo] = MappingProxyType({m.name: m for m in _METHOD_LIST})


def available_methods() -> list[str]:
    """Return the names of the methods whose dependencies are importable now.

    Returns
    -------
    list of str
        In registry order.

    Examples
    --------
    >>> from revmatch.solvers import available_methods
    >>> "jv" in available_methods()
    True
    """
    return [name for name, info in METHODS.items() if info.available()]
