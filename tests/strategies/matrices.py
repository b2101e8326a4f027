"""Weight matrices: solver instances and two-sided markets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st
from numpy.typing import NDArray

from revmatch.solvers import Quota

Float2D = NDArray[np.float64]
Market = tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_], list[int]]


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


@st.composite
def instances(draw: st.DrawFn, flexible: bool = False) -> Instance:
    """Tiny instances (<= 10 candidate pairs) with ties, forbidden pairs and capacities."""
    n = draw(st.integers(0, 4))
    m = draw(st.integers(0, 4))
    levels = st.integers(-2, 8).map(lambda v: v / 8)  # coarse grid: ties on purpose
    w = np.array(draw(st.lists(levels, min_size=n * m, max_size=n * m)), float).reshape(n, m)
    ok = np.array(draw(st.lists(st.booleans(), min_size=n * m, max_size=n * m)), bool)
    ok = ok.reshape(n, m)
    flat = np.flatnonzero(ok)
    ok.flat[flat[10:]] = False  # keep brute force small
    caps = np.array(draw(st.lists(st.integers(0, 3), min_size=m, max_size=m)), np.intp)
    row_caps = None
    groups = None
    if flexible:
        row_caps = np.array(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), np.intp)
        labels = st.integers(-1, 2)
        groups = np.array(draw(st.lists(labels, min_size=n * m, max_size=n * m)), np.intp)
        groups = groups.reshape(n, m)
    else:
        # Copying is exact only while no feasible pair joins two multi-capacity sides.
        row_caps = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)), np.intp)
    return Instance("random", w, ok, caps, row_caps, groups)


@st.composite
def markets(draw: st.DrawFn) -> Market:
    """Executive and mentor scores, a feasible mask and mentor capacities, many ties."""
    n = draw(st.integers(0, 7))
    m = draw(st.integers(0, 6))
    # A coarse grid gives many ties; thirds are off the 1e-6 score grid, so
    # both ways of ordering the preference lists are exercised.
    denominator = draw(st.sampled_from([4, 3]))
    grid = st.integers(0, 4).map(lambda v: v / denominator)
    ex = np.array(draw(st.lists(grid, min_size=n * m, max_size=n * m)), float).reshape(n, m)
    mentor = np.array(draw(st.lists(grid, min_size=n * m, max_size=n * m)), float).reshape(n, m)
    ok = np.array(draw(st.lists(st.booleans(), min_size=n * m, max_size=n * m)), bool)
    caps = draw(st.lists(st.integers(0, 3), min_size=m, max_size=m))
    return ex, mentor, ok.reshape(n, m), caps
