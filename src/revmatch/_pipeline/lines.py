"""Reporting lines as a graph: who is above whom along solid and dotted lines.

A person's *direct managers* are their ``manager_id`` (the solid line) and
their ``secondary_manager_ids`` (dotted lines), from their own record and
from ``org`` entries (:func:`~revmatch.models.reporting_lines`,
:func:`~revmatch.models.dotted_lines`). Two rules read the graph:

``reporting_chain``
    The executive is reachable upwards from the mentor along any lines: the
    mentor is below the executive on some path of solid or dotted lines.
    Dotted lines may close a loop (validation warns); reachability is still
    well defined, and everyone on a loop is above everyone else on it.
``skip_level``
    The mentor reports *directly* (along a solid or dotted line) to a peer of
    the executive: someone other than the executive who shares one of the
    executive's direct managers. Someone further below the peer is not
    caught, only the peer's direct reports.

Both are computed once per program for every pair at once: the chain by
walking every mentor's lines upwards in lock-step (no pair is visited twice,
so loops end), the skip level as a product of sparse adjacency matrices.
Explanations ask for one pair's path (:meth:`ReportingLines.path`,
:meth:`ReportingLines.peer`) on demand.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from .._arrays import present
from ..models import Program, dotted_lines, reporting_lines

__all__ = ["ReportingLines", "describe_line"]

IntpArray = NDArray[np.intp]

_TABLE_CELLS = 20_000_000
"""Cells of the table of pairs met (bytes) that one chunk of walks may use."""


@dataclass(frozen=True)
class ReportingLines:
    """Every id's direct managers, solid line first, as a compressed graph.

    Attributes
    ----------
    ids : tuple of str
        Every id of the chart: people, org entries and managers named.
    indptr, indices : ndarray of intp
        The direct managers of ``ids[i]`` are ``indices[indptr[i]:indptr[i + 1]]``.
    dotted : ndarray of bool
        Per entry of ``indices``: a dotted line (else the solid one).
    """

    ids: tuple[str, ...]
    indptr: IntpArray
    indices: IntpArray
    dotted: NDArray[np.bool_]
    index: dict[str, int] = field(repr=False)

    @classmethod
    def of(cls, program: Program) -> ReportingLines:
        """The graph of a program's chart (its people and its ``org`` entries)."""
        solid = reporting_lines(program)
        dotted = dotted_lines(program)
        names = dict.fromkeys(solid)
        names.update(dict.fromkeys(m for m in solid.values() if m is not None))
        for ms in dotted.values():
            names.update(dict.fromkeys(ms))
        ids = tuple(names)
        index = dict(zip(ids, range(len(ids)), strict=True))
        # Edges person -> manager: the solid line, then the dotted ones in the
        # order given (one equal to the solid manager adds nothing).
        below = [p for p, m in solid.items() if m is not None]
        above = [m for m in solid.values() if m is not None]
        rank = [0] * len(below)
        for p, ms in dotted.items():
            for k, m in enumerate(ms, start=1):
                if m != solid.get(p):
                    below.append(p)
                    above.append(m)
                    rank.append(k)
        lookup = index.__getitem__
        src = np.fromiter(map(lookup, below), dtype=np.intp, count=len(below))
        dst = np.fromiter(map(lookup, above), dtype=np.intp, count=len(above))
        kind = np.array(rank, dtype=np.intp)
        order = np.lexsort((kind, src))
        indptr = np.zeros(len(ids) + 1, dtype=np.intp)
        np.cumsum(np.bincount(src, minlength=len(ids)), out=indptr[1:])
        return cls(ids, indptr, dst[order], kind[order] > 0, index)

    @property
    def has_dotted(self) -> bool:
        """Whether any dotted line exists (else every id has at most one manager)."""
        return bool(self.dotted.any())

    def managers(self, node: int) -> list[tuple[int, bool]]:
        """Direct managers of ``node`` as (node, dotted), solid line first."""
        lo, hi = int(self.indptr[node]), int(self.indptr[node + 1])
        return list(zip(self.indices[lo:hi].tolist(), self.dotted[lo:hi].tolist(), strict=True))

    def _up(self, origin: IntpArray, node: IntpArray) -> tuple[IntpArray, IntpArray]:
        """One step up: (origin, manager) for every direct manager of every ``node``."""
        start, stop = self.indptr[node], self.indptr[node + 1]
        counts = stop - start
        total = int(counts.sum())
        if total == 0:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
        offsets = np.repeat(start - np.cumsum(counts) + counts, counts)
        return np.repeat(origin, counts), self.indices[offsets + np.arange(total)]

    def above(self, ids: Sequence[str]) -> tuple[IntpArray, IntpArray]:
        """Every (k, a) such that node ``a`` is above ``ids[k]`` along some lines.

        All walks go up in lock-step, one level per pass. Without dotted
        lines each id has one path up and the chart has no loop, so nothing
        repeats; with them, a pair met before is dropped (a table of who has
        met whom, over the ids above someone, in chunks of walks), which also
        ends every loop.
        """
        origin = np.arange(len(ids), dtype=np.intp)
        node = np.array([self.index[i] for i in ids], dtype=np.intp)
        if not self.has_dotted:
            return self._walk(origin, node, None)
        # Number the ids above someone compactly, so the table stays small.
        reach = np.zeros(len(self.ids), dtype=bool)
        frontier = present(node, len(self.ids))
        while frontier.size:
            _, up = self._up(frontier, frontier)
            up = present(up[~reach[up]], len(self.ids))
            reach[up] = True
            frontier = up
        compact = np.cumsum(reach) - 1
        width = max(int(reach.sum()), 1)
        chunk = max(1, _TABLE_CELLS // width)
        parts = [
            self._walk(origin[k : k + chunk], node[k : k + chunk], (compact, width))
            for k in range(0, len(ids), chunk)
        ]
        if not parts:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
        return np.concatenate([o for o, _ in parts]), np.concatenate([a for _, a in parts])

    def _walk(
        self, origin: IntpArray, node: IntpArray, table: tuple[IntpArray, int] | None
    ) -> tuple[IntpArray, IntpArray]:
        """The lock-step walk of :meth:`above` for some walks; ``table`` drops repeats."""
        met = None
        if table is not None and origin.size:
            compact, width = table
            first = int(origin[0])
            met = np.zeros((origin.size, width), dtype=bool)
        found_origin: list[IntpArray] = []
        found_node: list[IntpArray] = []
        while node.size:
            origin, node = self._up(origin, node)
            if met is not None and node.size:
                row, col = origin - first, compact[node]
                new = ~met[row, col]
                origin, node, row, col = origin[new], node[new], row[new], col[new]
                # Two walks may reach one pair in the same pass: keep the first.
                met[row, col] = True
                _, keep = np.unique(row * width + col, return_index=True)
                origin, node = origin[keep], node[keep]
            found_origin.append(origin)
            found_node.append(node)
        if not found_origin:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
        return np.concatenate(found_origin), np.concatenate(found_node)

    def chain_pairs(
        self, executive_ids: Sequence[str], mentor_ids: Sequence[str]
    ) -> tuple[IntpArray, IntpArray]:
        """(row, col) of every pair whose executive is above the mentor along some lines."""
        exec_row = np.full(len(self.ids), -1, dtype=np.intp)
        exec_row[[self.index[e] for e in executive_ids]] = np.arange(len(executive_ids))
        cols, nodes = self.above(mentor_ids)
        rows = exec_row[nodes]
        hit = rows >= 0
        return rows[hit], cols[hit]

    def skip_level_pairs(
        self, executive_ids: Sequence[str], mentor_ids: Sequence[str]
    ) -> tuple[IntpArray, IntpArray]:
        """(row, col) of every pair whose mentor reports directly to a peer of the executive.

        With ``A`` the 0/1 matrix of direct lines (person → manager), the
        paths mentor → peer → shared manager ← executive are counted by
        ``A[mentors] @ A @ A[executives].T``; those whose "peer" is the
        executive itself (mentor → executive → manager ← executive) number
        ``A[mentor, executive] * len(managers(executive))`` and are taken off.
        """
        from scipy.sparse import csr_array

        n = len(self.ids)
        # A copy: sum_duplicates sorts the indices in place, and the order of
        # each person's managers (solid line first) is what paths report.
        adjacency = csr_array(
            (np.ones(self.indices.size, dtype=np.int64), self.indices, self.indptr),
            shape=(n, n),
            copy=True,
        )
        adjacency.sum_duplicates()
        adjacency.data[:] = 1
        m_nodes = np.array([self.index[i] for i in mentor_ids], dtype=np.intp)
        e_nodes = np.array([self.index[i] for i in executive_ids], dtype=np.intp)
        below = adjacency[m_nodes]
        execs = adjacency[e_nodes]
        paths = ((below @ adjacency) @ execs.T).tocoo()
        direct = below[:, e_nodes].tocoo()
        direct.data *= np.diff(execs.indptr)[direct.col]
        paths = (paths - direct).tocoo()
        keep = paths.data > 0
        return paths.col[keep].astype(np.intp), paths.row[keep].astype(np.intp)

    def path(self, below: str, above: str) -> tuple[tuple[str, bool], ...] | None:
        """A shortest line from ``below`` up to ``above``, solid lines preferred on ties.

        Returns
        -------
        tuple of (str, bool) or None
            The ids from ``below`` to ``above``, each with whether the line
            into it is dotted (False for ``below`` itself); None if ``above``
            is not above ``below``.
        """
        if below not in self.index or above not in self.index or below == above:
            return None
        start, goal = self.index[below], self.index[above]
        came: dict[int, tuple[int, bool]] = {start: (-1, False)}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for boss, dotted in self.managers(node):
                if boss in came:
                    continue
                came[boss] = (node, dotted)
                if boss == goal:
                    steps: list[tuple[str, bool]] = []
                    at = goal
                    while at != -1:
                        prev, kind = came[at]
                        steps.append((self.ids[at], kind))
                        at = prev
                    return tuple(reversed(steps))
                queue.append(boss)
        return None

    def peer(self, mentor: str, executive: str) -> tuple[str, bool, str] | None:
        """(peer, dotted line from mentor to peer, shared manager) of a skip-level pair, or None."""
        if mentor not in self.index or executive not in self.index:
            return None
        e = self.index[executive]
        theirs = {boss for boss, _ in self.managers(e)}
        for peer, dotted in self.managers(self.index[mentor]):
            if peer == e:
                continue
            shared = next((b for b, _ in self.managers(peer) if b in theirs), None)
            if shared is not None:
                return self.ids[peer], dotted, self.ids[shared]
        return None


def describe_line(lines: ReportingLines, executive: str, mentor: str, reason: str) -> str | None:
    """The line behind a ``reporting_chain`` or ``skip_level`` reason of one pair, in words.

    ``"'m7' -> 'm3' (dotted) -> 'e2'"`` (each step up; ``(dotted)`` marks a
    person reached by a dotted line), or ``"'m7' reports to 'p1' (dotted),
    a peer of 'e2' under 'g1'"``. None for another reason, or a pair the
    rule does not hold for.
    """
    if reason == "reporting_chain":
        steps = lines.path(mentor, executive)
        if steps is None:
            return None
        return " -> ".join(f"{pid!r}" + (" (dotted)" if dotted else "") for pid, dotted in steps)
    if reason == "skip_level":
        link = lines.peer(mentor, executive)
        if link is None:
            return None
        peer, dotted, shared = link
        line = " (dotted)" if dotted else ""
        return f"{mentor!r} reports to {peer!r}{line}, a peer of {executive!r} under {shared!r}"
    return None
