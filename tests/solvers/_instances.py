"""The shared table of solver instances.

Every exact method runs on every family here (tests/solvers/test_conformance.py);
the objective oracle and brute force live in :mod:`tests.strategies.oracles`.
"""

from __future__ import annotations

import numpy as np
import pytest

from revmatch.solvers import METHODS
from tests.strategies.matrices import Float2D, Instance


def score_like(
    rng: np.random.Generator, n: int, m: int, rank: int = 3, grid: float = 1e-6
) -> Float2D:
    """Low-rank scores in [0, 1] on a grid: many near-ties, like revmatch scores."""
    a = rng.random((n, rank))
    b = rng.random((rank, m))
    s = (a @ b) / rank
    return np.round(np.round(s / grid) * grid, 6)


def families(n: int = 10, seed: int = 0) -> list[Instance]:
    """The instance families every exact method must agree on."""
    rng = np.random.default_rng(seed)
    sq = (n, n)
    uniform = np.round(rng.random(sq), 6)
    forbid30 = rng.random(sq) >= 0.3
    big = 5 * n
    sparse = rng.random((big, big)) < 0.02
    # Make sure no family is trivially empty.
    sparse[np.arange(big), rng.integers(0, big, big)] |= rng.random(big) < 0.5
    all_forbidden_rows = np.ones(sq, dtype=np.bool_)
    all_forbidden_rows[[1, 4]] = False
    caps_rng = rng.integers(1, 4, size=n // 2)
    return [
        Instance("uniform", uniform),
        Instance("score_ties", score_like(rng, n, n, grid=0.05)),
        Instance("score_like", score_like(rng, n, n)),
        Instance("rect_1x3", np.round(rng.random((n // 2, 3 * (n // 2))), 6)),
        Instance("rect_3x1", np.round(rng.random((3 * (n // 2), n // 2)), 6)),
        Instance("forbidden_30", score_like(rng, n, n), feasible=forbid30),
        Instance("sparse_2pct", score_like(rng, big, big), feasible=sparse),
        Instance(
            "capacities_1_3",
            score_like(rng, 2 * n, n // 2),
            feasible=rng.random((2 * n, n // 2)) >= 0.2,
            capacities=caps_rng,
        ),
        Instance("all_forbidden_rows", uniform, feasible=all_forbidden_rows),
        Instance("empty_rows", np.zeros((0, 4))),
        Instance("empty_cols", np.zeros((4, 0))),
        Instance("one_by_one", np.array([[0.25]])),
        Instance("one_by_one_forbidden", np.array([[0.25]]), feasible=np.array([[False]])),
        Instance("negative_weights", np.round(rng.random(sq) - 0.5, 6)),
        # Weights next to 0 (1e-12 is within the grid tolerance of 0): every
        # method must see the same sign, so max_score takes the same pairs.
        Instance("tiny_weights", rng.choice([0.0, 1e-12, -1e-12, 5e-13, 3e-12], size=sq)),
        Instance(
            "tiny_among_scores",
            np.where(rng.random(sq) < 0.5, 1e-12, score_like(rng, n, n)),
        ),
        Instance(
            "row_capacities",
            score_like(rng, n // 2, n),
            row_capacities=rng.integers(0, 4, size=n // 2),
            feasible=rng.random((n // 2, n)) >= 0.3,
        ),
    ]


def flexible_families(n: int = 8, seed: int = 1) -> list[Instance]:
    """Families only flow-like methods can express (many-to-many, groups)."""
    rng = np.random.default_rng(seed)
    w = score_like(rng, n, n)
    return [
        Instance(
            "many_to_many",
            w,
            feasible=rng.random((n, n)) >= 0.3,
            capacities=rng.integers(1, 4, n),
            row_capacities=rng.integers(1, 4, n),
        ),
        Instance(
            "pair_groups",
            w,
            capacities=rng.integers(1, 3, n),
            row_capacities=np.full(n, 3),
            pair_groups=rng.integers(-1, 3, (n, n)),
        ),
    ]


def needed_features(inst: Instance) -> set[str]:
    """The method features an instance of the table needs."""
    needed = set()
    if inst.pair_groups is not None:
        needed.add("pair_groups")
    if inst.quotas:
        needed.add("quotas")
    if inst.name == "many_to_many":
        needed.add("many_to_many")
    return needed


def supports(method: str, inst: Instance) -> bool:
    """Whether ``method`` can express ``inst``."""
    return needed_features(inst) <= METHODS[method].features


def reference_method(inst: Instance) -> str:
    """An independent exact method able to express the instance."""
    return "jv" if supports("jv", inst) else "flow"


def forbid_densify(monkeypatch: pytest.MonkeyPatch, module: str) -> None:
    """Make ``module.densify`` fail: the code under test must never build a dense matrix."""

    def refuse(*_: object) -> None:
        raise AssertionError("densify was called")

    monkeypatch.setattr(f"{module}.densify", refuse)


def tiny(seed: int, n: int = 3, m: int = 4) -> Instance:
    """A random tiny instance with forbidden pairs and tied weights."""
    rng = np.random.default_rng(seed)
    return Instance(
        f"tiny{seed}",
        np.round(rng.integers(-2, 6, (n, m)) / 4, 6),
        feasible=rng.random((n, m)) >= 0.3,
        capacities=rng.integers(0, 3, m),
    )


__all__ = [
    "Instance",
    "families",
    "flexible_families",
    "forbid_densify",
    "reference_method",
    "score_like",
    "supports",
    "tiny",
]
