"""The package's replacements for plain ``np.unique`` give exactly its values."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from revmatch._arrays import count_distinct, present, sorted_unique

indices = st.lists(st.integers(0, 40), max_size=60)


@given(st.lists(st.integers(-(2**62), 2**62), max_size=80))
def test_sorted_unique_is_np_unique(values: list[int]) -> None:
    got = sorted_unique(np.array(values, dtype=np.int64))
    want = np.unique(np.array(values, dtype=np.int64))
    assert got.dtype == want.dtype
    assert got.tolist() == want.tolist()


@given(indices)
def test_present_and_count_distinct_agree_with_a_set(values: list[int]) -> None:
    assert present(np.array(values, dtype=np.intp), 41).tolist() == sorted(set(values))
    assert count_distinct(np.array(values, dtype=np.intp)) == len(set(values))
