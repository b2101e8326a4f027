"""Reading OR-Library and DIMACS assignment instances, and solving them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from revmatch.exceptions import InvalidInputError
from revmatch.solvers import read_assignment, solve
from tests.extras import method_param

BIG = 10**6


def _min_cost(costs: np.ndarray, allowed: np.ndarray) -> float:
    """Reference: minimum-cost perfect matching with scipy on a dense matrix."""
    dense = np.where(allowed, costs, BIG)
    r, c = linear_sum_assignment(dense)
    assert allowed[r, c].all()
    return float(dense[r, c].sum())


def _orlib_dense(path: Path, costs: np.ndarray) -> Path:
    n = costs.shape[0]
    # Costs wrapped over several lines, as in the published files.
    numbers = " ".join(str(int(v)) for v in costs.reshape(-1))
    words = numbers.split()
    body = "\n".join(" ".join(words[k : k + 7]) for k in range(0, len(words), 7))
    path.write_text(f" {n}\n{body}\n")
    return path


def _orlib_sparse(path: Path, costs: np.ndarray, allowed: np.ndarray) -> Path:
    n = costs.shape[0]
    rows, cols = np.nonzero(allowed)
    lines = [f"{i + 1} {j + 1} {int(costs[i, j])}" for i, j in zip(rows, cols, strict=True)]
    path.write_text(f"{n}\n" + "\n".join(lines) + "\n")
    return path


def _instance(seed: int, n: int, density: float) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    costs = rng.integers(0, 100, (n, n)).astype(np.float64)
    allowed = rng.random((n, n)) < density
    allowed[np.arange(n), rng.permutation(n)] = True  # a perfect matching exists
    return costs, allowed


@pytest.mark.parametrize("method", ["auto", "jv", method_param("ortools"), "sparse", "flow"])
def test_dense_orlib_instance_solves_to_the_minimum_cost(tmp_path: Path, method: str) -> None:
    costs, _ = _instance(1, 9, 1.0)
    instance = read_assignment(_orlib_dense(tmp_path / "assign9.txt", costs))
    assert instance.format == "orlib-dense"
    assert isinstance(instance.costs, np.ndarray)
    np.testing.assert_array_equal(instance.costs, costs)
    result = solve(instance.weights, method=method)
    assert len(result) == 9
    assert instance.cost(result) == _min_cost(costs, np.ones_like(costs, dtype=bool))


@pytest.mark.parametrize("method", ["auto", "jv", method_param("ortools"), "sparse", "flow"])
def test_sparse_orlib_instance_solves_to_the_minimum_cost(tmp_path: Path, method: str) -> None:
    costs, allowed = _instance(2, 12, 0.25)
    costs[0, :] = 0.0  # explicit zero costs stay allowed pairs
    instance = read_assignment(_orlib_sparse(tmp_path / "assignp12.txt", costs, allowed))
    assert instance.format == "orlib-sparse"
    assert isinstance(instance.costs, sp.csr_array)
    assert instance.costs.nnz == allowed.sum()
    np.testing.assert_array_equal(instance.costs.toarray(), np.where(allowed, costs, 0.0))
    result = solve(instance.weights, method=method)
    assert len(result) == 12
    assert allowed[result.rows, result.cols].all()
    assert instance.cost(result) == _min_cost(costs, allowed)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 8), density=st.floats(0.1, 1.0))
def test_both_orlib_forms_and_dimacs_give_the_same_optimum(
    tmp_path_factory: pytest.TempPathFactory, seed: int, n: int, density: float
) -> None:
    folder = tmp_path_factory.mktemp("instances")
    costs, allowed = _instance(seed, n, density)
    everything = np.ones_like(allowed)
    dense = read_assignment(_orlib_dense(folder / "dense.txt", costs))
    listed = read_assignment(_orlib_sparse(folder / "sparse.txt", costs, everything))
    arcs = [
        f"a {i + 1} {n + j + 1} {int(costs[i, j])}"
        for i, j in zip(*np.nonzero(allowed), strict=True)
    ]
    nodes = [f"n {i + 1}" for i in range(n)]
    (folder / "x.asn").write_text(
        "\n".join(["c random", f"p asn {2 * n} {len(arcs)}", *nodes, *arcs]) + "\n"
    )
    dimacs = read_assignment(folder / "x.asn")
    want_full = _min_cost(costs, everything)
    assert dense.cost(solve(dense.weights, method="auto")) == want_full
    assert listed.format == "orlib-sparse"  # 3 n^2 numbers are never a full matrix
    assert listed.cost(solve(listed.weights, method="auto")) == want_full
    assert dimacs.format == "dimacs"
    assert dimacs.cost(solve(dimacs.weights, method="auto")) == _min_cost(costs, allowed)


def test_dimacs_example_with_comments_and_node_labels(tmp_path: Path) -> None:
    # Resources 1-5, tasks 6-10, every pair; nodes are relabelled in order.
    costs = np.array(
        [
            [22, 30, 26, 16, 25],
            [27, 29, 28, 20, 32],
            [33, 25, 21, 29, 23],
            [24, 24, 30, 19, 26],
            [30, 33, 32, 37, 31],
        ],
        dtype=np.float64,
    )
    lines = ["c example", "p asn 10 25", *[f"n {i}" for i in range(1, 6)], "c arcs"]
    lines += [f"a {i + 1} {j + 6} {int(costs[i, j])}" for i in range(5) for j in range(5)]
    path = tmp_path / "example.asn"
    path.write_text("\n".join(lines) + "\n")
    instance = read_assignment(path)
    assert instance.shape == (5, 5)
    np.testing.assert_array_equal(instance.row_labels, [1, 2, 3, 4, 5])
    np.testing.assert_array_equal(instance.col_labels, [6, 7, 8, 9, 10])
    result = solve(instance.weights, method="auto")
    assert instance.cost(result) == _min_cost(costs, np.ones((5, 5), dtype=bool))


@pytest.mark.parametrize(
    ("text", "name", "pattern"),
    [
        ("3\n1 1 4\n1 2 x\n", "a.txt", r"a\.txt, line 3, field 'value': 'x' is not a number"),
        ("3\n1 1 4\n1 4 2\n2 2 1\n3 3 1\n", "b.txt", r"b\.txt, line 3, field 'i j': Pair \(1, 4\)"),
        ("3\n1 1 4\n2 2 1\n1 1 5\n3 3 1\n", "c.txt", r"c\.txt, line 4, .*\(1, 1\) is listed more"),
        ("3\n1 1 4\n2 2\n", "d.txt", r"d\.txt, line 3, field 'costs': 5 numbers follow n = 3"),
        ("", "e.txt", r"e\.txt, field 'n': The file is empty"),
        ("2.5\n1 1 1\n", "f.txt", r"f\.txt, line 1, field 'n': The first number is 2\.5"),
        ("2\n1 1 inf\n2 2 1\n", "g.txt", r"g\.txt, line 2, field 'cost': A cost is inf"),
        ("p asn 4 1\nn 1\nn 2\na 1 2 5\n", "h.asn", r"h\.asn, line 4, field 'a': .*\(1, 2\)"),
        ("p asn 4 2\nn 1\na 1 3 5\n", "i.asn", r"i\.asn, field 'a': .*declares 2 arcs"),
        ("p asn 4 1\nn 1\na 1 3\n", "j.asn", r"j\.asn, line 3, field 'a': Cannot read 'a 1 3'"),
        ("p asn 4 1\nn 1\na 1 9 2\n", "k.asn", r"k\.asn, line 3, .*outside 1\.\.4"),
        ("c nothing\nn 1\n", "l.asn", r"l\.asn, field 'p': No problem line"),
        ("p asn 4 1\nn 1\na 1 99999999999999999999 2\n", "m.asn", r"m\.asn, line 3, .*Cannot"),
        ("p asn -4 1\nn 1\na 1 2 2\n", "o.asn", r"o\.asn, line 1, field 'p': Cannot read"),
        ("p asn 4 2\na 1 x 2\nq\n", "r.asn", r"r\.asn, line 2, field 'a': Cannot read 'a 1 x"),
        ("p asn 4 1\nn 1\na 1 2 nan\n", "s.asn", r"s\.asn, line 3, field 'cost': .* costs nan"),
    ],
)
def test_bad_instance_files_name_file_line_and_field(
    tmp_path: Path, text: str, name: str, pattern: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(InvalidInputError, match=pattern):
        read_assignment(path)


def test_unknown_format_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("1\n5\n")
    with pytest.raises(InvalidInputError, match="format"):
        read_assignment(path, format="csv")  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError):
        read_assignment(tmp_path / "missing.txt")
    one = read_assignment(path, format="orlib")
    assert one.shape == (1, 1)
    assert one.cost(solve(one.weights)) == 5.0
    # Three triples for n = 3 are also nine costs: the format settles it.
    path.write_text("3\n1 1 4\n2 2 1\n3 3 2\n")
    assert read_assignment(path).format == "orlib-dense"
    listed = read_assignment(path, format="orlib-sparse")
    assert listed.format == "orlib-sparse"
    assert listed.cost(solve(listed.weights)) == 7.0
    path.write_text("3\n1 2 3\n")
    with pytest.raises(InvalidInputError, match="a full cost matrix has 9"):
        read_assignment(path, format="orlib-dense")
