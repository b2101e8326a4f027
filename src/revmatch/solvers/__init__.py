"""Exact assignment solvers on plain arrays: one signature, many methods.

Solvers never see people: rows are executives, columns are mentors, and every
method takes weights to maximise, a feasibility mask and capacities, and
returns the same :class:`Assignment`.

Public names
------------
solve
    The front end; ``method=`` picks an entry of :data:`METHODS` or ``"auto"``.
Assignment
    Chosen pairs, total, method used.
Quota
    Bounds on chosen pairs (counts or shares) in a block of the matrix (``milp``).
solve_maximin_groups
    The worst row group's mean weight maximised, then the total (HiGHS).
ChangeBudget
    At most ``k`` of given pairs may be left out (every exact method).
solve_with_duals, PairGraph, DualSolution
    An optimum of a pair list with optimal dual potentials (certificates).
murty_k_best, k_best_assignments
    The k best distinct assignments (Murty's partitioning over ``solve``).
stable_match, blocking_pairs
    Deferred acceptance with mentor capacities, and its stability audit.
METHODS, available_methods
    The registry of methods and the ones importable now.
SolverError
    A solver broke its own guarantee (a bug, never a data problem).
read_assignment, AssignmentInstance, INSTANCE_FORMATS
    Published benchmark instances (OR-Library, DIMACS ``asn``) as costs to minimise.
"""

from revmatch.solvers._assignment import Assignment, ChangeBudget, Quota, SolverError
from revmatch.solvers._duals import DualSolution, PairGraph, solve_with_duals
from revmatch.solvers._groups import solve_maximin_groups
from revmatch.solvers._instances import INSTANCE_FORMATS, AssignmentInstance, read_assignment
from revmatch.solvers._kbest import k_best_assignments, murty_k_best
from revmatch.solvers._registry import METHODS, MethodInfo, available_methods
from revmatch.solvers._solve import solve
from revmatch.solvers._stable import blocking_pairs, stable_match

__all__ = [
    "INSTANCE_FORMATS",
    "METHODS",
    "Assignment",
    "AssignmentInstance",
    "ChangeBudget",
    "DualSolution",
    "MethodInfo",
    "PairGraph",
    "Quota",
    "SolverError",
    "available_methods",
    "blocking_pairs",
    "k_best_assignments",
    "murty_k_best",
    "read_assignment",
    "solve",
    "solve_maximin_groups",
    "solve_with_duals",
    "stable_match",
]
