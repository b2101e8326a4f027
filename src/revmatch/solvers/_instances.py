"""Published assignment benchmark instances: OR-Library and DIMACS files.

Two families of public test sets describe linear assignment problems as costs
to *minimise*:

- Beasley's OR-Library (``assign100`` ... ``assign800``: the number of people
  ``n``, then the ``n x n`` cost matrix row by row; ``assignp800`` ...
  ``assignp5000``: ``n``, then one ``i j cost`` triple per allowed pair,
  1-based);
- the DIMACS assignment format (``p asn nodes arcs``, ``n id`` lines for the
  nodes of the first side, ``a tail head cost`` lines for the arcs, ``c``
  comments).

:func:`read_assignment` reads either into an :class:`AssignmentInstance`,
whose :attr:`~AssignmentInstance.weights` (the negated costs) go straight into
:func:`~revmatch.solvers.solve`: with the default ``coverage_then_score``
objective, the most pairs at the largest total of negated costs is a minimum
cost assignment of the largest size, the perfect one when it exists.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

import numpy as np
import scipy.sparse as sp

from revmatch.exceptions import InvalidInputError
from revmatch.exceptions import Problem as InputProblem
from revmatch.solvers._assignment import Assignment
from revmatch.solvers._problem import BoolArray, FloatArray, IntpArray, row_major

__all__ = ["AssignmentInstance", "read_assignment"]

Format = Literal["auto", "orlib", "orlib-dense", "orlib-sparse", "dimacs"]
#: The accepted ``format`` values.
INSTANCE_FORMATS: tuple[str, ...] = get_args(Format)


@dataclass(frozen=True)
class AssignmentInstance:
    """A published assignment problem: costs to minimise.

    Attributes
    ----------
    costs : (n_rows, n_cols) float64 ndarray or scipy.sparse.csr_array
        Dense when the file lists every pair; otherwise sparse, its stored
        entries (explicit zeros included) being the allowed pairs.
    format : str
        ``"orlib-dense"``, ``"orlib-sparse"`` or ``"dimacs"``.
    row_labels, col_labels : (n_rows,) and (n_cols,) intp
        The node numbers of the file for each row and column (1-based, as in
        the file).
    source : str
        The file it was read from.
    """

    costs: FloatArray | sp.csr_array
    format: str
    row_labels: IntpArray
    col_labels: IntpArray
    source: str

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_rows, n_cols)``."""
        n, m = self.costs.shape
        return int(n), int(m)

    @property
    def weights(self) -> FloatArray | sp.csr_array:
        """The negated costs: weights to maximise with :func:`~revmatch.solvers.solve`."""
        return -self.costs

    def cost(self, assignment: Assignment) -> float:
        """Total cost of ``assignment``'s pairs (exactly summed).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from revmatch.solvers import read_assignment, solve
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "assign3.txt"
        >>> _ = path.write_text("3\\n 4 1 3\\n 2 0 5\\n 3 2 2\\n")
        >>> instance = read_assignment(path)
        >>> instance.cost(solve(instance.weights, method="auto"))
        5.0
        """
        rows, cols = np.asarray(assignment.rows), np.asarray(assignment.cols)
        if isinstance(self.costs, np.ndarray):
            picked = self.costs[rows, cols]
        else:
            picked = np.asarray(self.costs[rows, cols]).reshape(-1)
        return math.fsum(picked.tolist())


def read_assignment(path: str | Path, *, format: Format = "auto") -> AssignmentInstance:
    """Read an OR-Library or DIMACS assignment instance (costs to minimise).

    Parameters
    ----------
    path : str or path-like
        The instance file.
    format : {"auto", "orlib", "orlib-dense", "orlib-sparse", "dimacs"}, default "auto"
        ``"auto"`` takes DIMACS when the file starts with a ``c``, ``p``,
        ``n`` or ``a`` line, else OR-Library. With ``"orlib"`` (and
        ``"auto"``) a file is dense when exactly ``n * n`` numbers follow
        ``n``, and ``i j cost`` triples otherwise; ``"orlib-dense"`` and
        ``"orlib-sparse"`` settle the one case that leaves open (``n * n / 3``
        triples).

    Returns
    -------
    AssignmentInstance
        ``costs`` dense for a full matrix, a CSR array for a list of pairs.

    Raises
    ------
    InvalidInputError
        Naming the file, the line and the field: a token that is not a number,
        a node number out of range, a pair listed twice, a missing or extra
        number, an arc between two nodes of the same side.
    FileNotFoundError
        When ``path`` does not exist.

    Notes
    -----
    Solve with ``solve(instance.weights, method="auto")``: the weights are the
    negated costs, so the default ``coverage_then_score`` objective gives a
    minimum-cost assignment among those with the most pairs. The published
    optima of OR-Library's ``assignp800``, ``assignp1500``, ``assignp3000``
    and ``assignp5000`` are 2239, 5839, 18696 and 48533.

    References
    ----------
    J. E. Beasley, "OR-Library: distributing test problems by electronic mail",
    Journal of the Operational Research Society 41 (1990) 1069-1072.
    DIMACS Implementation Challenge, network flows and matching (1991), the
    ``asn`` problem format.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from revmatch.solvers import read_assignment
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "assignp3.txt"
    >>> _ = path.write_text("3\\n1 1 4\\n1 2 1\\n2 2 0\\n2 3 5\\n3 1 3\\n3 3 2\\n")
    >>> instance = read_assignment(path)
    >>> instance.format, instance.shape, instance.costs.nnz
    ('orlib-sparse', (3, 3), 6)
    """
    if format not in INSTANCE_FORMATS:
        raise InvalidInputError(
            InputProblem(
                f"Unknown instance format {format!r}.",
                field="format",
                expected=", ".join(repr(f) for f in INSTANCE_FORMATS),
            )
        )
    file = Path(path)
    text = file.read_text(encoding="utf-8", errors="replace")
    lines = text.splitlines()
    first = text.split(maxsplit=1)[:1]
    if format == "dimacs" or (format == "auto" and first and first[0] in _DIMACS_KINDS):
        return _read_dimacs(lines, str(file))
    layout = format.removeprefix("orlib-") if format.startswith("orlib-") else "auto"
    return _read_orlib(lines, str(file), layout)


_DIMACS_KINDS = ("c", "p", "n", "a")


def _error(
    message: str, file: str, line: int | None, field: str, expected: str
) -> InvalidInputError:
    return InvalidInputError(
        InputProblem(message, field=field, line=line, file=file, expected=expected)
    )


def _line_of(lines: list[str], token: int) -> int:
    """1-based line holding the ``token``-th whitespace-separated token (0-based)."""
    seen = 0
    for number, line in enumerate(lines, start=1):
        seen += len(line.split())
        if seen > token:
            return number
    return len(lines)


def _numbers(lines: list[str], file: str) -> FloatArray:
    tokens = " ".join(lines).split()
    try:
        return np.array(tokens, dtype=np.float64)
    except ValueError:
        for k, token in enumerate(tokens):
            try:
                float(token)
            except ValueError:
                raise _error(
                    f"{token!r} is not a number.", file, _line_of(lines, k), "value", "a number"
                ) from None
        raise  # pragma: no cover - numpy and float() agree on what a number is


def _read_orlib(lines: list[str], file: str, layout: str) -> AssignmentInstance:
    values = _numbers(lines, file)
    if values.size == 0:
        raise _error("The file is empty.", file, None, "n", "the number of people, then the costs")
    n = values[0]
    if not (n.is_integer() and n >= 1):
        raise _error(
            f"The first number is {values[0]:g}.",
            file,
            _line_of(lines, 0),
            "n",
            "a positive integer",
        )
    size = int(n)
    rest = values[1:]
    where = np.flatnonzero(~np.isfinite(rest))
    if where.size:
        raise _error(
            f"A cost is {rest[where[0]]}.",
            file,
            _line_of(lines, int(where[0]) + 1),
            "cost",
            "a finite number",
        )
    labels = np.arange(1, size + 1, dtype=np.intp)
    if layout == "dense" or (layout == "auto" and rest.size == size * size):
        if rest.size != size * size:
            raise _error(
                f"{rest.size} numbers follow n = {size}; a full cost matrix has {size * size}.",
                file,
                len(lines),
                "costs",
                f"{size * size} costs",
            )
        return AssignmentInstance(rest.reshape(size, size), "orlib-dense", labels, labels, file)
    if rest.size % 3:
        raise _error(
            f"{rest.size} numbers follow n = {size}: neither the {size * size} of a full cost "
            f"matrix nor whole 'i j cost' triples ({rest.size % 3} left over).",
            file,
            len(lines),
            "costs",
            f"{size * size} costs, or 'i j cost' triples",
        )
    triples = rest.reshape(-1, 3)
    ends = triples[:, :2]
    bad = np.flatnonzero(((ends < 1) | (ends > size) | (ends != np.floor(ends))).any(axis=1))
    if bad.size:
        k = int(bad[0])
        i, j = triples[k, 0], triples[k, 1]
        raise _error(
            f"Pair ({i:g}, {j:g}) is outside 1..{size}.",
            file,
            _line_of(lines, 1 + 3 * k),
            "i j",
            f"integers from 1 to {size}",
        )
    rows = triples[:, 0].astype(np.intp) - 1
    cols = triples[:, 1].astype(np.intp) - 1
    costs = _pairs_matrix(
        rows, cols, triples[:, 2], (size, size), file, lambda k: _line_of(lines, 1 + 3 * k)
    )
    return AssignmentInstance(costs, "orlib-sparse", labels, labels, file)


def _pairs_matrix(
    rows: IntpArray,
    cols: IntpArray,
    costs: FloatArray,
    shape: tuple[int, int],
    file: str,
    line_of: Callable[[int], int],
) -> sp.csr_array:
    """CSR array of the listed pairs; a pair listed twice is an error naming its second line."""
    order, twice = row_major(rows, cols, shape[1])
    if twice.size:
        k = int(twice[0]) if order is None else int(order[twice[0]])
        raise _error(
            f"Pair ({rows[k] + 1}, {cols[k] + 1}) is listed more than once.",
            file,
            line_of(k),
            "i j",
            "each pair at most once",
        )
    if order is not None:
        rows, cols, costs = rows[order], cols[order], costs[order]
    return sp.csr_array((costs, (rows, cols)), shape=shape)


_DIMACS_LINES = "'c comment', 'p asn nodes arcs', 'n node' or 'a tail head cost'"


def _unreadable(raw: str, number: int, file: str) -> InvalidInputError:
    kind = raw.split()[0]
    return _error(f"Cannot read {raw.strip()!r}.", file, number, kind, _DIMACS_LINES)


def _read_dimacs(lines: list[str], file: str) -> AssignmentInstance:
    """DIMACS ``asn``: one pass over the lines, the arcs checked and converted as arrays."""
    declared: tuple[int, int] | None = None
    left: dict[int, int] = {}  # node -> line of its 'n' line
    arc_lines: list[int] = []  # 0-based
    arc_tokens: list[str] = []  # tail, head, cost of each arc, in turn
    bad_line: int | None = None  # first unreadable line other than an arc (0-based)
    for index, raw in enumerate(lines):
        parts = raw.split()
        if not parts or parts[0] == "c":
            continue
        if parts[0] == "a" and len(parts) == 4:
            arc_lines.append(index)
            arc_tokens += parts[1:]
            continue
        try:
            if parts[0] == "p" and len(parts) == 4 and parts[1] == "asn":
                declared = (int(parts[2]), int(parts[3]))
                if declared[0] < 1 or declared[1] < 0:
                    raise ValueError
            elif parts[0] == "n" and len(parts) == 2:
                left.setdefault(int(parts[1]), index + 1)
            else:
                raise ValueError
        except ValueError:
            bad_line = index  # later lines cannot hold an earlier mistake
            break
    try:
        tails = np.array(arc_tokens[0::3], dtype=np.intp)
        heads = np.array(arc_tokens[1::3], dtype=np.intp)
        costs = np.array(arc_tokens[2::3], dtype=np.float64)
    except (ValueError, OverflowError):
        for k, index in enumerate(arc_lines):
            try:
                ends = int(arc_tokens[3 * k]), int(arc_tokens[3 * k + 1])
                float(arc_tokens[3 * k + 2])
                if max(abs(v) for v in ends) >= 2**62:
                    raise ValueError
            except ValueError:
                raise _unreadable(lines[index], index + 1, file) from None
        raise  # pragma: no cover - numpy and int()/float() agree on what a number is
    if bad_line is not None:
        raise _unreadable(lines[bad_line], bad_line + 1, file)
    if declared is None:
        raise _error("No problem line.", file, None, "p", "a line 'p asn nodes arcs'")
    nodes, n_arcs = declared
    if tails.size != n_arcs:
        raise _error(
            f"The problem line declares {n_arcs} arcs; the file has {tails.size}.",
            file,
            None,
            "a",
            f"{n_arcs} arc lines",
        )
    listed = np.fromiter(left, dtype=np.intp, count=len(left))  # in file order
    outside = np.flatnonzero((listed < 1) | (listed > nodes))
    if outside.size:
        node = int(listed[outside[0]])
        raise _error(f"Node {node} is outside 1..{nodes}.", file, left[node], "n", f"1 to {nodes}")
    row_labels = np.sort(listed)
    is_left = np.zeros(nodes + 1, dtype=np.bool_)
    is_left[row_labels] = True
    col_labels = np.flatnonzero(~is_left[1:]).astype(np.intp) + 1
    _check_arcs(tails, heads, costs, is_left, lambda k: arc_lines[k] + 1, file)
    row_of = np.full(nodes + 1, -1, dtype=np.intp)
    row_of[row_labels] = np.arange(row_labels.size)
    col_of = np.full(nodes + 1, -1, dtype=np.intp)
    col_of[col_labels] = np.arange(col_labels.size)
    matrix = _pairs_matrix(
        row_of[tails],
        col_of[heads],
        costs,
        (row_labels.size, col_labels.size),
        file,
        lambda k: arc_lines[k] + 1,
    )
    return AssignmentInstance(matrix, "dimacs", row_labels, col_labels, file)


def _check_arcs(
    tails: IntpArray,
    heads: IntpArray,
    costs: FloatArray,
    is_left: BoolArray,
    line_of: Callable[[int], int],
    file: str,
) -> None:
    """The first arc (in file order) with a node out of range, on the wrong side, or a bad cost."""
    nodes = is_left.size - 1
    outside = (tails < 1) | (tails > nodes) | (heads < 1) | (heads > nodes)
    inside_t, inside_h = np.where(outside, 0, tails), np.where(outside, 0, heads)
    wrong_side = ~outside & (~is_left[inside_t] | is_left[inside_h])
    not_finite = ~np.isfinite(costs)
    bad = np.flatnonzero(outside | wrong_side | not_finite)
    if not bad.size:
        return
    k = int(bad[0])
    tail, head, line = int(tails[k]), int(heads[k]), line_of(k)
    if outside[k]:
        raise _error(
            f"Arc ({tail}, {head}) has a node outside 1..{nodes}.",
            file,
            line,
            "a",
            f"nodes 1 to {nodes}",
        )
    if wrong_side[k]:
        raise _error(
            f"Arc ({tail}, {head}) does not go from a node on an 'n' line to one that is not.",
            file,
            line,
            "a",
            "tail on an 'n' line, head not",
        )
    raise _error(f"Arc ({tail}, {head}) costs {costs[k]}.", file, line, "cost", "a finite number")
