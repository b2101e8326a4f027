"""The shared table of solver instances, the objective oracle and brute force.

Every exact method runs on every family here (tests/solvers/test_conformance.py).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from revmatch.solvers import METHODS, Assignment, Quota

Float2D = NDArray[np.float64]


@dataclass(frozen=True)
class Instance:
    """Keyword arguments of one ``solve`` call, with a readable name."""

    name: str
    weights: Float2D
    feasible: NDArray[np.bool_] | None = None
    capacities: NDArray[np.intp] | None = None
    row_capacities: NDArray[np.intp] | None = None
    pair_groups: NDArray[np.intp] | None = None
    quotas: tuple[Quota, ...] = field(default=())

    def kwargs(self) -> dict[str, Any]:
        """Arguments for :func:`revmatch.solvers.solve` (besides weights)."""
        out: dict[str, Any] = {
            "feasible": self.feasible,
            "capacities": self.capacities,
            "row_capacities": self.row_capacities,
            "pair_groups": self.pair_groups,
        }
        if self.quotas:
            out["quotas"] = list(self.quotas)
        return out

    @property
    def mask(self) -> NDArray[np.bool_]:
        """The feasible mask, all True when not given."""
        if self.feasible is None:
            return np.ones(self.weights.shape, dtype=np.bool_)
        return self.feasible

    @property
    def col_caps(self) -> NDArray[np.intp]:
        """Column capacities, ones when not given."""
        m = self.weights.shape[1]
        return np.ones(m, np.intp) if self.capacities is None else self.capacities

    @property
    def row_caps(self) -> NDArray[np.intp]:
        """Row capacities, ones when not given."""
        n = self.weights.shape[0]
        return np.ones(n, np.intp) if self.row_capacities is None else self.row_capacities


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


def objective_key(
    weights: Float2D, rows: NDArray[np.intp], cols: NDArray[np.intp], objective: str
) -> tuple[float, ...]:
    """The lexicographic value an assignment reaches (larger is better)."""
    chosen = weights[rows, cols]
    total = math.fsum(chosen.tolist())
    if objective == "max_score":
        return (total,)
    if objective == "maximin":
        low = float(chosen.min()) if chosen.size else math.inf
        return (float(rows.size), low, total)
    return (float(rows.size), total)


def tolerance(weights: Float2D, k: int) -> float:
    """Agreement bound on totals stated in docs/solvers.md: 1e-9 (1 + k max|w|)."""
    amax = float(np.abs(weights).max()) if weights.size else 0.0
    return 1e-9 * (1.0 + k * amax)


def same_value(a: tuple[float, ...], b: tuple[float, ...], tol: float) -> bool:
    """Lexicographic keys equal: counts exactly, weights within ``tol``."""
    return len(a) == len(b) and all(
        x == y if i == 0 and len(a) > 1 else math.isclose(x, y, rel_tol=0, abs_tol=tol)
        for i, (x, y) in enumerate(zip(a, b, strict=True))
    )


def check_assignment(inst: Instance, a: Assignment, objective: str) -> None:
    """Assert every hard constraint on ``a`` (never a forbidden pair, capacities, groups)."""
    rows, cols = a.rows, a.cols
    n, m = inst.weights.shape
    assert rows.dtype == np.intp
    assert cols.dtype == np.intp
    assert np.array_equal(np.lexsort((cols, rows)), np.arange(rows.size))
    assert inst.mask[rows, cols].all(), "forbidden pair returned"
    assert len({(r, c) for r, c in a.pairs()}) == len(a), "pair returned twice"
    assert (np.bincount(rows, minlength=n) <= inst.row_caps).all()
    assert (np.bincount(cols, minlength=m) <= inst.col_caps).all()
    if inst.pair_groups is not None:
        labels = inst.pair_groups[rows, cols]
        seen = [(r, g) for r, g in zip(rows.tolist(), labels.tolist(), strict=True) if g >= 0]
        assert len(seen) == len(set(seen)), "two pairs of one row share a group"
    if objective == "max_score":
        assert (inst.weights[rows, cols] > 0).all()
    assert math.isclose(a.total, math.fsum(inst.weights[rows, cols].tolist()), rel_tol=0, abs_tol=0)


def brute_force(inst: Instance, objective: str) -> tuple[float, ...]:
    """Best objective key over every subset of feasible pairs (tiny instances only)."""
    w = inst.weights
    n, m = w.shape
    pr, pc = np.nonzero(inst.mask)
    if objective == "max_score":
        keep = w[pr, pc] > 0
        pr, pc = pr[keep], pc[keep]
    assert pr.size <= 16, "instance too large for brute force"
    best: tuple[float, ...] | None = None
    for size in range(pr.size + 1):
        for combo in itertools.combinations(range(pr.size), size):
            idx = np.array(combo, dtype=np.intp)
            rows, cols = pr[idx].astype(np.intp), pc[idx].astype(np.intp)
            if (np.bincount(rows, minlength=n) > inst.row_caps).any():
                continue
            if (np.bincount(cols, minlength=m) > inst.col_caps).any():
                continue
            if inst.pair_groups is not None:
                labels = inst.pair_groups[rows, cols]
                seen = [
                    (r, g) for r, g in zip(rows.tolist(), labels.tolist(), strict=True) if g >= 0
                ]
                if len(seen) != len(set(seen)):
                    continue
            if not _quotas_ok(inst.quotas, rows, cols, n, m):
                continue
            key = objective_key(w, rows, cols, objective)
            if best is None or key > best:
                best = key
    assert best is not None
    return best


def _quotas_ok(
    quotas: tuple[Quota, ...], rows: NDArray[np.intp], cols: NDArray[np.intp], n: int, m: int
) -> bool:
    for q in quotas:
        in_rows = np.ones(n, np.bool_) if q.rows is None else np.isin(np.arange(n), q.rows)
        in_cols = np.ones(m, np.bool_) if q.cols is None else np.isin(np.arange(m), q.cols)
        count = int((in_rows[rows] & in_cols[cols]).sum())
        if count < q.min or (q.max is not None and count > q.max):
            return False
    return True


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
    "brute_force",
    "check_assignment",
    "families",
    "flexible_families",
    "objective_key",
    "same_value",
    "score_like",
    "tiny",
    "tolerance",
]
