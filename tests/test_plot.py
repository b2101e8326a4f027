"""Plots: what is drawn (images, masks, collections, labels), never pixels."""

from __future__ import annotations

import doctest
import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.collections import Collection, LineCollection, PatchCollection, PathCollection

import revmatch as rm
from revmatch.plot import plot_pairs, plot_scores
from tests.strategies.programs import person

plot_module = importlib.import_module("revmatch.plot")


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def result() -> rm.MatchResult:
    return rm.match(rm.datasets.make_program(n_executives=10, n_mentors=14, seed=1))


def _by_gid(ax: Axes, gid: str) -> list[Collection]:
    return [c for c in ax.collections if c.get_gid() == gid]


def _chosen_cells(ax: Axes) -> set[tuple[int, int]]:
    """(row, col) of every framed cell, read back from the rectangles' corners."""
    (frames,) = _by_gid(ax, "chosen")
    assert isinstance(frames, PatchCollection)
    cells = set()
    for path in frames.get_paths():
        x, y = np.asarray(path.vertices).min(axis=0)
        cells.add((round(y + 0.5), round(x + 0.5)))
    return cells


# ----------------------------------------------------------------- plot_scores
def test_heat_map_of_a_result(result: rm.MatchResult) -> None:
    scores = result.scores
    assert scores is not None
    ax = plot_scores(result)
    (image,) = ax.images
    data = image.get_array()
    assert isinstance(data, np.ma.MaskedArray)
    assert data.shape == scores.shape
    assert image.get_clim() == (0.0, 1.0)
    # Executives keep id order; mentors are reordered, so map columns by label.
    rows = [t.get_text() for t in ax.get_yticklabels()]
    cols = [t.get_text() for t in ax.get_xticklabels()]
    assert rows == list(scores.executive_ids)
    assert sorted(cols) == list(scores.mentor_ids)
    order = [scores.arrays.mentor_index[c] for c in cols]
    # Forbidden pairs are masked (hatched backdrop shows), allowed ones carry the score.
    assert np.array_equal(data.mask, ~scores.feasible[:, order])
    assert np.array_equal(data.compressed(), scores.values[:, order][scores.feasible[:, order]])
    (backdrop,) = ax.patches
    assert backdrop.get_hatch() == "//"
    # Chosen pairs are framed, one frame per pair, on the right cells.
    expected = {(rows.index(p.executive_id), cols.index(p.mentor_id)) for p in result.pairs}
    assert _chosen_cells(ax) == expected
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("mentor", "executive")
    legend = ax.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["not allowed", "chosen pair"]
    assert len(ax.figure.axes) == 2  # the heat map and its colour bar


def test_chosen_pairs_run_down_the_diagonal(result: rm.MatchResult) -> None:
    ax = plot_scores(result)
    # Executives matched in id order get mentors in column order.
    cells = sorted(_chosen_cells(ax))
    assert [c for _, c in cells] == list(range(len(cells)))


def test_heat_map_of_a_score_matrix_marks_nothing() -> None:
    scores = rm.score(rm.datasets.make_program(n_executives=4, n_mentors=5, seed=2))
    _, ax = plt.subplots()
    assert plot_scores(scores, ax) is ax
    assert _by_gid(ax, "chosen") == []
    assert [t.get_text() for t in ax.get_xticklabels()] == list(scores.mentor_ids)
    legend = ax.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["not allowed"]


def test_max_people_limits_rows_and_columns() -> None:
    program = rm.datasets.make_program(n_executives=12, n_mentors=16, seed=3)
    result = rm.match(program)
    ax = plot_scores(result, max_people=5)
    data = ax.images[0].get_array()
    assert data is not None
    assert data.shape == (5, 5)
    assert "showing 5 of 12 executives, 5 of 16 mentors" in ax.get_title(loc="left")
    shown = [t.get_text() for t in ax.get_yticklabels()]
    assert shown == sorted(e.id for e in program.executives)[:5]
    partners = {p.mentor_id for p in result.pairs if p.executive_id in shown}
    assert partners <= {t.get_text() for t in ax.get_xticklabels()}
    assert len(_chosen_cells(ax)) == len(partners)


def test_heat_map_of_an_empty_program() -> None:
    ax = plot_scores(rm.match(rm.Program(executives=[person("e1")])))
    assert len(ax.images) == 0
    assert [t.get_text() for t in ax.texts] == ["no pairs to show"]


def test_plot_scores_rejects_bad_input(result: rm.MatchResult) -> None:
    with pytest.raises(TypeError, match=r"plot_scores\(\) takes a MatchResult or a ScoreMatrix"):
        plot_scores([[0.5]])  # type: ignore[arg-type]
    with pytest.raises(rm.InvalidInputError, match="'max_people' of plot_scores"):
        plot_scores(result, max_people=0)
    from_json = rm.MatchResult.from_json(result.to_json())
    with pytest.raises(rm.InvalidInputError, match="no score matrix"):
        plot_scores(from_json)


# ------------------------------------------------------------------ plot_pairs
def test_bipartite_drawing(result: rm.MatchResult) -> None:
    ax = plot_pairs(result)
    (edges,) = _by_gid(ax, "pairs")
    assert isinstance(edges, LineCollection)
    segments = edges.get_segments()
    assert len(segments) == len(result.pairs)
    # Edges run from the executives' column (left) to the mentors' (right).
    assert all(seg[0][0] < seg[1][0] for seg in segments)
    # Wider and brighter for better scores.
    widths = np.atleast_1d(edges.get_linewidth())
    best = int(np.argmax([p.score for p in result.pairs]))
    worst = int(np.argmin([p.score for p in result.pairs]))
    assert widths[best] > widths[worst]
    labels = {t.get_text() for t in ax.texts}
    for p in result.pairs:
        assert {p.executive_id, p.mentor_id} <= labels
    for u in result.unmatched:
        assert f"{u.id} (unmatched: {u.reason_codes[0]})" in labels


def test_unmatched_people_are_their_own_nodes(result: rm.MatchResult) -> None:
    ax = plot_pairs(result)
    counts = {}
    for gid in ("executives", "mentors", "unmatched executives", "unmatched mentors"):
        found = _by_gid(ax, gid)
        counts[gid] = np.asarray(found[0].get_offsets()).shape[0] if found else 0
        assert all(isinstance(c, PathCollection) for c in found)
    assert counts["executives"] == len({p.executive_id for p in result.pairs})
    assert counts["mentors"] == len({p.mentor_id for p in result.pairs})
    assert counts["unmatched executives"] == sum(u.role == "executive" for u in result.unmatched)
    assert counts["unmatched mentors"] == sum(u.role == "mentor" for u in result.unmatched)
    assert counts["unmatched mentors"] > 0


def test_node_order_is_fixed_and_top_down() -> None:
    program = rm.Program(
        mentors=[person("m-a", expertise={"digital": 5}), person("m-b"), person("m-z")],
        executives=[person("e-2"), person("e-1", interests={"digital": 5}), person("e-3")],
    )
    result = rm.match(program)
    ax = plot_pairs(result)
    y = {t.get_text().split()[0]: t.xy[1] for t in ax.texts if hasattr(t, "xy")}
    assert y["e-1"] > y["e-2"]
    assert y["e-1"] > y["e-3"]
    # Mentors follow their executives: e-1's mentor sits at the top.
    top = max((m for m in y if m.startswith("m-")), key=lambda m: y[m])
    assert top == result.partner_map()["e-1"]


def test_pairs_of_an_empty_program_and_a_json_result(result: rm.MatchResult) -> None:
    ax = plot_pairs(rm.match(rm.Program()))
    assert "nobody to draw" in [t.get_text() for t in ax.texts]
    ax = plot_pairs(rm.MatchResult.from_json(result.to_json()))
    (edges,) = _by_gid(ax, "pairs")
    assert isinstance(edges, LineCollection)
    assert len(edges.get_segments()) == len(result.pairs)
    with pytest.raises(TypeError, match=r"plot_pairs\(\) takes a MatchResult"):
        plot_pairs(result.scores)  # type: ignore[arg-type]


# --------------------------------------------------------- without matplotlib
@pytest.mark.parametrize(("fn", "name"), [(plot_scores, "plot_scores"), (plot_pairs, "plot_pairs")])
def test_missing_matplotlib_names_the_extra(
    result: rm.MatchResult,
    monkeypatch: pytest.MonkeyPatch,
    fn: Callable[[rm.MatchResult], Axes],
    name: str,
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    message = rf"matplotlib is needed for {name}\(\): pip install 'revmatch\[plot\]'"
    with pytest.raises(ImportError, match=message):
        fn(result)


def test_importing_the_module_does_not_need_matplotlib() -> None:
    source = plot_module.__file__
    assert source is not None
    code = Path(source).read_text(encoding="utf-8")
    top_level = [line for line in code.splitlines() if line.startswith(("import ", "from "))]
    assert not any("matplotlib" in line for line in top_level)


def test_docstring_examples_run() -> None:
    outcome = doctest.testmod(plot_module, raise_on_error=False)
    assert outcome.attempted > 0
    assert outcome.failed == 0
