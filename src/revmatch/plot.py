"""Plots of scores and pairs (needs the ``plot`` extra: matplotlib).

matplotlib is imported inside each function, so ``import revmatch`` never
needs it; without it the functions raise an :class:`ImportError` naming the
extra to install.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from ._pipeline.scoring import ScoreMatrix
from .exceptions import InvalidInputError
from .result import MatchResult, Unmatched

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap

__all__ = ["plot_pairs", "plot_scores"]

_NOT_ALLOWED = "#d9d9d9"
_UNMATCHED = "#b22222"
_LEGEND_BAND = 22.0  # points between an axes and its title, for a legend in one row
# Edge colours on white: viridis without its palest yellows.
_EDGE_COLOURS = (0.0, 0.85)


def _require_matplotlib(caller: str) -> None:
    """Fail with the install hint for ``caller`` when matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ImportError(
            f"matplotlib is needed for {caller}(): pip install 'revmatch[plot]'"
        ) from None


def _new_axes(width: float, height: float) -> Axes:
    import matplotlib.pyplot as plt

    return plt.figure(figsize=(width, height), layout="constrained").add_subplot()


def _select(
    scores: ScoreMatrix, chosen: Sequence[tuple[int, int]], max_people: int
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Rows and columns to show: at most ``max_people`` of each.

    Executives keep id order. Mentors chosen for the shown executives come
    first, in the order of their executives, so the chosen pairs run down
    the diagonal; the other mentors follow by id.
    """
    n_exec, n_mentor = scores.shape
    rows = np.arange(min(n_exec, max_people), dtype=np.intp)
    first: list[int] = []
    seen: set[int] = set()
    for r, c in sorted(chosen):
        if r < rows.size and c not in seen:
            seen.add(c)
            first.append(c)
    rest = [c for c in range(n_mentor) if c not in seen]
    cols = np.array((first + rest)[:max_people], dtype=np.intp)
    return rows, cols


def plot_scores(
    result_or_scores: MatchResult | ScoreMatrix,
    ax: Axes | None = None,
    *,
    max_people: int = 60,
) -> Axes:
    """Heat map of pair scores, with forbidden pairs hatched and chosen pairs framed.

    Parameters
    ----------
    result_or_scores : MatchResult or ScoreMatrix
        A result (its score matrix is drawn and its pairs framed) or a score
        matrix (nothing framed).
    ax : matplotlib Axes, optional
        Where to draw; a new figure sized to the matrix by default.
    max_people : int, default 60
        At most this many executives (rows) and mentors (columns) are shown:
        the first executives by id and, for a result, their partners first.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on. ``ax.images[0]`` holds the masked score array
        (masked = forbidden pair); the chosen pairs are a collection with
        ``gid="chosen"``; a colour bar is added to the figure.

    Raises
    ------
    ImportError
        If matplotlib is not installed.
    InvalidInputError
        If the result has no score matrix (read from JSON) or ``max_people``
        is not an integer >= 1.
    TypeError
        If ``result_or_scores`` is neither a MatchResult nor a ScoreMatrix.

    Notes
    -----
    Colours run from 0 to 1 (the score range) whatever the data, so plots
    of different programs compare. Forbidden pairs are masked, not given a
    low score, so they never read as "poor but possible".

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import revmatch as rm
    >>> from revmatch.plot import plot_scores
    >>> result = rm.match(rm.datasets.make_program(n_executives=6, n_mentors=9, seed=3))
    >>> ax = plot_scores(result)
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('mentor', 'executive')
    """
    _require_matplotlib("plot_scores")
    from matplotlib import colormaps
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Patch, Rectangle

    if isinstance(result_or_scores, MatchResult):
        if result_or_scores.scores is None:
            raise InvalidInputError(
                "this result has no score matrix (it was read from JSON); "
                "run revmatch.match again to plot its scores"
            )
        scores = result_or_scores.scores
        ei, mi = scores.arrays.exec_index, scores.arrays.mentor_index
        chosen = [(ei[p.executive_id], mi[p.mentor_id]) for p in result_or_scores.pairs]
    elif isinstance(result_or_scores, ScoreMatrix):
        scores, chosen = result_or_scores, []
    else:
        raise TypeError(
            "plot_scores() takes a MatchResult or a ScoreMatrix. "
            f"Got {type(result_or_scores).__name__}."
        )
    if isinstance(max_people, bool) or not isinstance(max_people, int) or max_people < 1:
        raise InvalidInputError(
            f"The 'max_people' of plot_scores() must be an integer >= 1. Got {max_people!r}."
        )

    rows, cols = _select(scores, chosen, max_people)
    n_rows, n_cols = rows.size, cols.size
    if ax is None:
        ax = _new_axes(2.5 + 0.2 * max(n_cols, 8), 1.5 + 0.2 * max(n_rows, 8))
    n_exec, n_mentor = scores.shape
    title = "Pair scores"
    if (n_rows, n_cols) != (n_exec, n_mentor):
        title += f" (showing {n_rows} of {n_exec} executives, {n_cols} of {n_mentor} mentors)"
    # The legend sits in a band between the axes and the title, so a long
    # title never runs into it.
    ax.set_title(title, loc="left", pad=_LEGEND_BAND)
    ax.set_xlabel("mentor")
    ax.set_ylabel("executive")
    if n_rows == 0 or n_cols == 0:
        ax.text(0.5, 0.5, "no pairs to show", ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks([])
        ax.set_yticks([])
        return ax

    values = scores.values[np.ix_(rows, cols)]
    forbidden = ~scores.feasible[np.ix_(rows, cols)]
    cmap = colormaps["viridis"].with_extremes(bad=(0.0, 0.0, 0.0, 0.0))
    # Masked cells are transparent, so the hatched backdrop shows through
    # exactly where a pair is forbidden.
    ax.add_patch(
        Rectangle(
            (-0.5, -0.5),
            n_cols,
            n_rows,
            facecolor=_NOT_ALLOWED,
            edgecolor="#8c8c8c",
            hatch="//",
            linewidth=0,
            zorder=0,
        )
    )
    image = ax.imshow(
        np.ma.masked_array(values, mask=forbidden),
        cmap=cmap,
        vmin=0.0,
        vmax=1.0,
        aspect="auto",
        interpolation="nearest",
        zorder=1,
    )
    ax.figure.colorbar(image, ax=ax, label="score", fraction=0.05, pad=0.02)

    position = {int(c): k for k, c in enumerate(cols)}
    frames = [
        Rectangle((position[c] - 0.5, r - 0.5), 1, 1)
        for r, c in chosen
        if r < n_rows and c in position
    ]
    if frames:
        # Black around white: the frame shows on the darkest and the lightest colours alike.
        ax.add_collection(
            PatchCollection(frames, facecolor="none", edgecolor="black", linewidth=2.6, zorder=2)
        )
        ax.add_collection(
            PatchCollection(
                frames, facecolor="none", edgecolor="white", linewidth=1.0, zorder=3, gid="chosen"
            )
        )

    size = 8 if max(n_rows, n_cols) <= 30 else 6
    ax.set_xticks(range(n_cols), [scores.mentor_ids[c] for c in cols], rotation=90, fontsize=size)
    ax.set_yticks(range(n_rows), [scores.executive_ids[r] for r in rows], fontsize=size)
    ax.set_xlim(-0.5, n_cols - 0.5)
    ax.set_ylim(n_rows - 0.5, -0.5)
    handles = [Patch(facecolor=_NOT_ALLOWED, edgecolor="#8c8c8c", hatch="//", label="not allowed")]
    if chosen:
        handles.append(Patch(facecolor="none", edgecolor="black", label="chosen pair"))
    ax.legend(
        handles=handles,
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncols=len(handles),
        frameon=False,
        fontsize=8,
    )
    return ax


def plot_pairs(result: MatchResult, ax: Axes | None = None, *, max_people: int = 60) -> Axes:
    """Draw the pairs as a bipartite graph: executives left, mentors right.

    Parameters
    ----------
    result : MatchResult
        The result to draw (also one read from JSON: only pairs and
        unmatched people are used).
    ax : matplotlib Axes, optional
        Where to draw; a new figure sized to the number of people by default.
    max_people : int, default 60
        With more executives or more mentors than this, a graph of labels
        would be unreadable: the pairs are summarised instead, as the number
        of pairs per score band and of unmatched people per reason (one bar
        collection each, ``gid="summary"``).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on. Edges are one collection with ``gid="pairs"``,
        coloured and widened by score; nodes are one collection per group
        (``gid`` ``"executives"``, ``"mentors"``, ``"unmatched executives"``,
        ``"unmatched mentors"``); every person is labelled, unmatched people
        with their most frequent reason code.

    Raises
    ------
    ImportError
        If matplotlib is not installed.
    InvalidInputError
        If ``max_people`` is not an integer >= 1.
    TypeError
        If ``result`` is not a MatchResult.

    Notes
    -----
    Positions come from :func:`networkx.bipartite_layout`. That layout does
    not order nodes (it iterates over a set), so the order is set here:
    executives by id, unmatched ones last; mentors by the mean position of
    their executives (fewer crossings), unmatched ones last.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import revmatch as rm
    >>> from revmatch.plot import plot_pairs
    >>> result = rm.match(rm.datasets.make_program(n_executives=6, n_mentors=9, seed=3))
    >>> ax = plot_pairs(result)
    >>> len(ax.collections[0].get_segments()) == len(result.pairs)
    True
    """
    _require_matplotlib("plot_pairs")
    import networkx as nx
    from matplotlib.cm import ScalarMappable
    from matplotlib.collections import LineCollection
    from matplotlib.colors import Normalize, to_hex
    from matplotlib.lines import Line2D

    if not isinstance(result, MatchResult):
        raise TypeError(f"plot_pairs() takes a MatchResult. Got {type(result).__name__}.")
    if isinstance(max_people, bool) or not isinstance(max_people, int) or max_people < 1:
        raise InvalidInputError(
            f"The 'max_people' of plot_pairs() must be an integer >= 1. Got {max_people!r}."
        )

    lonely: dict[str, Unmatched] = {u.id: u for u in result.unmatched}
    paired_execs = sorted({p.executive_id for p in result.pairs})
    execs = paired_execs + sorted(i for i, u in lonely.items() if u.role == "executive")
    place = {e: k for k, e in enumerate(execs)}
    served: dict[str, list[int]] = {}
    for p in result.pairs:
        served.setdefault(p.mentor_id, []).append(place[p.executive_id])
    paired_mentors = sorted(served, key=lambda m: (float(np.mean(served[m])), m))
    mentors = paired_mentors + sorted(i for i, u in lonely.items() if u.role == "mentor")
    if max(len(execs), len(mentors)) > max_people:
        return _pairs_summary(result, ax, len(execs), len(mentors), max_people)

    if ax is None:
        ax = _new_axes(9.0, 1.5 + 0.3 * max(len(execs), len(mentors), 4))
    ax.set_axis_off()
    n_lonely_e = len(execs) - len(paired_execs)
    n_lonely_m = len(mentors) - len(paired_mentors)
    ax.set_title(
        f"{len(result.pairs)} pairs; {n_lonely_e} executive(s) and {n_lonely_m} mentor(s) "
        "unmatched",
        loc="left",
    )
    if not execs and not mentors:
        ax.text(0.5, 0.5, "nobody to draw", ha="center", va="center", transform=ax.transAxes)
        return ax

    # Ids are unique across both roles (the model checks), so they name the nodes.
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(execs, bipartite=0)
    graph.add_nodes_from(mentors, bipartite=1)
    pos = nx.bipartite_layout(graph, nodes=execs)
    for side in (execs, mentors):
        ys = sorted((float(pos[n][1]) for n in side), reverse=True)
        for node, y in zip(side, ys, strict=True):
            pos[node] = np.array([pos[node][0], y])

    norm = Normalize(0.0, 1.0)
    cmap = _edge_cmap()
    if result.pairs:
        edges = [(p.executive_id, p.mentor_id) for p in result.pairs]
        graph.add_edges_from(edges)
        lines = nx.draw_networkx_edges(
            graph,
            pos,
            edgelist=edges,
            # Colours, not raw scores: networkx would read 3 or 4 numbers as one colour.
            edge_color=[to_hex(cmap(norm(p.score))) for p in result.pairs],
            width=[1.0 + 3.0 * p.score for p in result.pairs],
            arrows=False,
            ax=ax,
        )
        if isinstance(lines, LineCollection):  # always, with arrows=False
            lines.set_gid("pairs")
        ax.figure.colorbar(
            ScalarMappable(norm=norm, cmap=cmap),
            ax=ax,
            label="pair score",
            fraction=0.04,
            pad=0.02,
            shrink=0.6,
        )

    groups = (
        ("executives", paired_execs, "s", "#4c72b0", "#4c72b0"),
        ("mentors", paired_mentors, "o", "#dd8452", "#dd8452"),
        ("unmatched executives", execs[len(paired_execs) :], "s", "white", _UNMATCHED),
        ("unmatched mentors", mentors[len(paired_mentors) :], "o", "white", _UNMATCHED),
    )
    for gid, nodes, shape, face, edge in groups:
        if nodes:
            dots = nx.draw_networkx_nodes(
                graph,
                pos,
                nodelist=nodes,
                node_shape=shape,
                node_color=face,
                edgecolors=edge,
                linewidths=1.5,
                node_size=120,
                ax=ax,
            )
            dots.set_gid(gid)

    left_side = set(execs)
    for pid, xy in pos.items():
        unmatched = lonely.get(pid)
        label = pid if unmatched is None else f"{pid} (unmatched: {unmatched.reason_codes[0]})"
        left = pid in left_side
        ax.annotate(
            label,
            xy=(float(xy[0]), float(xy[1])),
            xytext=(-9 if left else 9, 0),
            textcoords="offset points",
            ha="right" if left else "left",
            va="center",
            fontsize=8,
            color="black" if unmatched is None else _UNMATCHED,
        )
    xs = [float(xy[0]) for xy in pos.values()]
    # Room for the labels on both sides of the two columns.
    span = max(max(xs) - min(xs), 1.0)
    ax.set_xlim(min(xs) - 0.85 * span, max(xs) + 0.85 * span)
    ys = [float(xy[1]) for xy in pos.values()]
    ax.set_ylim(min(ys) - 0.08, max(ys) + 0.12)
    for nodes, text in ((execs, "executives"), (mentors, "mentors")):
        if nodes:
            x = float(pos[nodes[0]][0])
            ax.text(x, max(ys) + 0.08, text, ha="center", va="bottom", fontsize=9, weight="bold")
    ax.legend(
        handles=[
            Line2D([], [], marker="s", ls="", color="#4c72b0", label="executive"),
            Line2D([], [], marker="o", ls="", color="#dd8452", label="mentor"),
            Line2D([], [], marker="o", ls="", mfc="white", mec=_UNMATCHED, label="unmatched"),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncols=3,
        frameon=False,
        fontsize=8,
    )
    return ax


def _edge_cmap() -> Colormap:
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap

    lo, hi = _EDGE_COLOURS
    return ListedColormap(colormaps["viridis"](np.linspace(lo, hi, 256)), name="viridis_on_white")


def _pairs_summary(
    result: MatchResult, ax: Axes | None, n_execs: int, n_mentors: int, max_people: int
) -> Axes:
    """Pairs per score band and unmatched people per reason, for programs too large to label."""
    from matplotlib.colors import Normalize

    if ax is None:
        ax = _new_axes(9.0, 4.5)
    edges = np.linspace(0.0, 1.0, 11)
    counts, _ = np.histogram([p.score for p in result.pairs], bins=edges)
    reasons: dict[str, int] = {}
    for u in result.unmatched:
        code = u.reason_codes[0] if u.reason_codes else "unknown"
        key = f"unmatched {u.role}s: {code}"
        reasons[key] = reasons.get(key, 0) + 1
    ranked = sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:8]
    labels = [f"score {a:.1f}-{b:.1f}" for a, b in itertools.pairwise(edges)]
    labels += [name for name, _ in ranked]
    values = [int(c) for c in counts] + [n for _, n in ranked]
    cmap, norm = _edge_cmap(), Normalize(0.0, 1.0)
    colours = [cmap(norm((a + b) / 2)) for a, b in itertools.pairwise(edges)]
    colours += [_UNMATCHED] * len(ranked)
    y = np.arange(len(values))
    bars = ax.barh(y, values, color=colours, gid="summary")
    ax.bar_label(bars, fontsize=8, padding=2)
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("people or pairs")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(
        f"{len(result.pairs)} pairs of {n_execs} executives and {n_mentors} mentors "
        f"(summary: more than {max_people} people on a side)",
        loc="left",
    )
    return ax
