"""Whole-row shortcuts of candidate mode equal the pair-by-pair computations they replace."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

import revmatch as rm
from revmatch._pipeline.compile import compile_program
from revmatch.scale._overlap import PairOverlap
from revmatch.scale._pairs import PairScorer, _distinct_rows, joint_types
from tests.strategies.programs import SCALE_CONFIGS, fortnightly_programs, person, programs


def _row(r: int, n_mentors: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    return np.full(n_mentors, r, dtype=np.intp), np.arange(n_mentors, dtype=np.intp)


@given(fortnightly_programs(), st.sampled_from([0, 7.5, 15, 60, 240, 10**9]))
def test_overlap_of_a_row_equals_its_pairs(program: rm.Program, minutes: float) -> None:
    arrays = compile_program(program)
    # Row methods work on their own copy of the words: `overlap` must still
    # answer pairs as one never asked about rows does.
    overlap, fresh = PairOverlap(arrays.availability), PairOverlap(arrays.availability)
    n_exec, n_mentor = arrays.shape
    for r in range(n_exec):
        pairs = fresh(*_row(r, n_mentor))
        row = overlap.row(r)
        for field in ("min_minutes", "mean_minutes", "preferred_minutes"):
            assert np.array_equal(getattr(row, field), getattr(pairs, field)), field
        assert np.array_equal(overlap.row(r, full=False).min_minutes, pairs.min_minutes)
        assert np.array_equal(overlap.row_short(r, minutes), pairs.min_minutes < minutes)
        again = overlap(*_row(r, n_mentor))
        assert np.array_equal(again.min_minutes, pairs.min_minutes)
        assert np.array_equal(overlap.screen(*_row(r, n_mentor)), fresh.screen(*_row(r, n_mentor)))


@given(fortnightly_programs())
def test_packing_builds_no_boolean_utc_grid(program: rm.Program) -> None:
    arrays = compile_program(program)
    grids = arrays.availability
    packed = PairOverlap(grids)
    kinds = ("full", "half", "preferred")
    built = {f"{side}_{kind}" for side in ("exec", "mentor") for kind in kinds}
    assert not built & set(vars(grids))
    # Words packed from the full grids, once they exist, give the same counts.
    for name in sorted(built):
        getattr(grids, name)
    n_exec, n_mentor = arrays.shape
    r = np.repeat(np.arange(n_exec, dtype=np.intp), n_mentor)
    c = np.tile(np.arange(n_mentor, dtype=np.intp), n_exec)
    again = PairOverlap(grids)
    for field in ("min_minutes", "mean_minutes", "preferred_minutes"):
        assert np.array_equal(getattr(packed(r, c), field), getattr(again(r, c), field)), field


@given(programs(), SCALE_CONFIGS)
def test_row_masks_equal_the_masks_of_their_pairs(
    program: rm.Program, config: rm.MatchConfig
) -> None:
    arrays = compile_program(program, config)
    scorer = PairScorer(arrays, config, {})
    n_exec, n_mentor = arrays.shape
    rows = np.arange(n_exec, dtype=np.intp)[::-1]
    bits, masks = scorer.row_bits(rows), scorer.row_masks(rows)
    assert bits.shape == masks.shape == (n_exec, n_mentor)
    for k, r in enumerate(rows.tolist()):
        pair_r, pair_c = _row(r, n_mentor)
        assert np.array_equal(bits[k], scorer.attribute_bits(pair_r, pair_c))
        assert np.array_equal(masks[k], scorer.masks(pair_r, pair_c))


@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=12),
        elements=st.sampled_from([-1.0, 0.0, 0.5, 2.0, 3.0, -1e18]),
    )
)
def test_distinct_rows_number_types_as_numpy_unique(table: NDArray[np.float64]) -> None:
    first, types = _distinct_rows(table)
    if table.shape[0] == 0:
        assert first.size == types.size == 0
        return
    _, first_np, types_np = np.unique(table, axis=0, return_index=True, return_inverse=True)
    assert np.array_equal(first, first_np)
    assert np.array_equal(types, types_np.reshape(-1))


def test_distinct_rows_fall_back_when_codes_would_overflow() -> None:
    # 40 columns of 4 values: 4**40 codes do not fit int64.
    table = np.random.default_rng(42).integers(0, 4, size=(300, 40))
    table[150:] = table[:150]
    first, types = _distinct_rows(table)
    _, first_np, types_np = np.unique(table, axis=0, return_index=True, return_inverse=True)
    assert np.array_equal(first, first_np)
    assert np.array_equal(types, types_np.reshape(-1))
    rows, of = joint_types([table[:, 0], table[:, 1]])
    assert np.array_equal(rows[of], table[:, :2])


def test_rows_leave_the_words_of_a_single_mentor_pattern_unchanged() -> None:
    # One mentor pattern: the block of words a row reads is one row, whose
    # transpose is contiguous; counting must not AND it in place.
    program = rm.Program.model_validate(
        {
            "mentors": [person("m0")],
            "executives": [
                person("e0", availability=["Mon 13:00-14:00"]),
                person("e1", availability=["Mon 12:00-13:00"]),
            ],
        }
    )
    arrays = compile_program(program)
    overlap, fresh = PairOverlap(arrays.availability), PairOverlap(arrays.availability)
    r, c = np.array([0, 1], dtype=np.intp), np.zeros(2, dtype=np.intp)
    assert fresh(r, c).min_minutes.tolist() == [60.0, 60.0]
    for row in (0, 1):
        assert overlap.row_short(row, 30).tolist() == [False]
    assert np.array_equal(overlap(r, c).min_minutes, fresh(r, c).min_minutes)
    assert np.array_equal(overlap.screen(r, c), fresh.screen(r, c))
