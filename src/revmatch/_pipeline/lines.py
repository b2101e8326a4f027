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

from ..models import Program, dotted_lines, reporting_lines

__all__ = ["ReportingLines", "describe_line"]

IntpArray = NDArray[np.intp]


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
        names.update(dict.fromkeys(m for ms in dotted.values() for m in ms))
        ids = tuple(names)
        index = {pid: i for i, pid in enumerate(ids)}
        indptr = np.zeros(len(ids) + 1, dtype=np.intp)
        targets: list[int] = []
        kinds: list[bool] = []
        for i, pid in enumerate(ids):
            boss = solid.get(pid)
            if boss is not None:
                targets.append(index[boss])
                kinds.append(False)
            for other in dotted.get(pid, ()):
                if other != boss:
                    targets.append(index[other])
                    kinds.append(True)
            indptr[i + 1] = len(targets)
        return cls(
            ids,
            indptr,
            np.array(targets, dtype=np.intp),
            np.array(kinds, dtype=bool),
            index,
        )

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
        repeats; with them, pairs met before are dropped, which also ends
        every loop.
        """
        n = max(len(self.ids), 1)
        origin = np.arange(len(ids), dtype=np.intp)
        node = np.array([self.index[i] for i in ids], dtype=np.intp)
        seen = np.empty(0, dtype=np.int64)
        found_origin: list[IntpArray] = []
        found_node: list[IntpArray] = []
        check = self.has_dotted
        while node.size:
            origin, node = self._up(origin, node)
            if check and node.size:
                keys = np.unique(origin.astype(np.int64) * n + node)
                keys = keys[~np.isin(keys, seen, assume_unique=True)]
                seen = np.union1d(seen, keys)
                origin, node = (keys // n).astype(np.intp), (keys % n).astype(np.intp)
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
        adjacency = csr_array(
            (np.ones(self.indices.size, dtype=np.int64), self.indices, self.indptr), shape=(n, n)
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
