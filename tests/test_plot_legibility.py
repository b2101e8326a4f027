"""Plots people can read: legends off titles, colours seen on white, large programs summed up."""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.colors import to_rgb
from matplotlib.transforms import Bbox

import revmatch as rm
from revmatch.exceptions import InvalidInputError
from revmatch.plot import plot_pairs, plot_scores


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def _overlap(a: Bbox, b: Bbox) -> bool:
    common = Bbox.intersection(a, b)
    return common is not None and common.width > 0 and common.height > 0


@pytest.mark.parametrize(("n_exec", "n_mentor", "max_people"), [(6, 9, 60), (80, 120, 40)])
def test_the_heat_map_legend_stays_off_the_title(
    n_exec: int, n_mentor: int, max_people: int
) -> None:
    result = rm.match(rm.datasets.make_program(n_executives=n_exec, n_mentors=n_mentor, seed=3))
    ax = plot_scores(result, max_people=max_people)
    figure = ax.figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    legend = ax.get_legend()
    assert legend is not None
    title = ax.title if ax.title.get_text() else ax._left_title
    assert not _overlap(legend.get_window_extent(renderer), title.get_window_extent(renderer))


def test_chosen_frames_show_on_dark_and_light_cells() -> None:
    result = rm.match(rm.datasets.make_program(n_executives=6, n_mentors=9, seed=3))
    ax = plot_scores(result)
    edges = {
        tuple(np.round(c.get_edgecolor()[0][:3], 3)) for c in ax.collections if c.get_paths()
    }
    assert (0.0, 0.0, 0.0) in edges
    assert (1.0, 1.0, 1.0) in edges


def test_pair_edges_are_never_pale_on_white() -> None:
    result = rm.match(rm.datasets.make_program(n_executives=10, n_mentors=14, seed=1))
    ax = plot_pairs(result)
    (edges,) = [c for c in ax.collections if c.get_gid() == "pairs"]
    for colour in edges.get_edgecolor():
        r, g, b = to_rgb(colour)
        assert 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.75  # relative luminance


def test_a_large_program_is_summarised_not_labelled() -> None:
    result = rm.match(rm.datasets.make_program(n_executives=90, n_mentors=120, seed=4))
    ax = plot_pairs(result, max_people=60)
    assert len(ax.texts) < 30
    heights = [p.get_width() for p in ax.patches]
    assert sum(heights[:10]) == len(result.pairs)  # the ten score bands hold every pair
    assert "summary" in ax.get_title(loc="left")
    with pytest.raises(InvalidInputError, match="'max_people' of plot_pairs"):
        plot_pairs(result, max_people=0)
