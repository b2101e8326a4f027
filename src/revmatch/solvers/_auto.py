"""The ``method="auto"`` rule: pick the fastest exact method for an instance."""

from __future__ import annotations

from revmatch.solvers._problem import Problem
from revmatch.solvers._registry import METHODS

__all__ = ["choose_method"]


def choose_method(problem: Problem, objective: str) -> str:
    """Return the name of the exact method ``auto`` uses for ``problem``."""
    needed = problem.features()
    for name in ("jv", "ortools", "flow", "milp"):
        info = METHODS[name]
        if needed <= info.features and objective in info.objectives and info.available():
            return name
    raise AssertionError("unreachable")  # pragma: no cover
