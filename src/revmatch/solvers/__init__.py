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
    Bounds on chosen pairs in a block of the matrix (``milp``).
stable_match, blocking_pairs
    Deferred acceptance with mentor capacities, and its stability audit.
METHODS, available_methods
    The registry of methods and the ones importable now.
SolverError
    A solver broke its own guarantee (a bug, never a data problem).
read_assignment, AssignmentInstance, INSTANCE_FORMATS
    Published benchmark instances (OR-Library, DIMACS ``asn``) as costs to minimise.
"""

from revmatch.solvers._assignment import Assignment, Quota, SolverError
from revmatch.solvers._instances import INSTANCE_FORMATS, AssignmentInstance, read_assignment
from revmatch.solvers._registry import METHODS, MethodInfo, available_methods
from revmatch.solvers._solve import solve
from revmatch.solvers._stable import blocking_pairs, stable_match

__all__ = [
    "INSTANCE_FORMATS",
    "METHODS",
    "Assignment",
    "AssignmentInstance",
    "MethodInfo",
    "Quota",
    "SolverError",
    "available_methods",
    "blocking_pairs",
    "read_assignment",
    "solve",
    "stable_match",
]
