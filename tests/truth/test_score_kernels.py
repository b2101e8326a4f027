"""The fast scoring kernels against straightforward references.

Shared time is counted from runs and periodic prefix sums, zone group by
zone group, local weeks read at a shift and weeks holding a clock change cut
where the offset changes (``revmatch.availability._counts``).  The oracle
here asks zoneinfo for the wall clock of every UTC cell of every program
week, person by person, and counts shared half-cells cell by cell: the
counts must be equal as integers, with every segment layout forced (one
segment per zone group, a few, or all mixed) and patterns cut into chunks
of one to three.  Zones include 30- and 45-minute offsets, a half-hour DST
change (Lord Howe), both hemispheres, and fortnightly slots.

Scores are then computed block by block from look-up tables of the counts
and categorical components added where they hold; the reference scores the
whole matrix in one block with every component materialised by its plain
definition (``component_block``) and the shared minutes of
``weekly_overlap``: the totals must be equal bit for bit, and so must the
reason masks, whose language rule is re-derived from the records.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import revmatch as rm
from revmatch._pipeline.compile import compile_program
from revmatch._pipeline.rules import REASON_BITS, reason_block
from revmatch._pipeline.scoring import (
    absent_pairs,
    active_weights,
    component_block,
    missing_inputs,
    pair_overlap,
    present_factor,
    renormalise,
    score_arrays,
)
from revmatch.availability import (
    AvailabilityGrids,
    PatternCounter,
    _overlap,
    compile_availability,
    weekly_overlap,
)
from tests.strategies.oracles import Person, ref_cells
from tests.strategies.programs import configs, fortnightly_programs, rich_programs
from tests.strategies.time import SLOT_ZONES, near_clock_changes, program_spans, slots, windows

# ------------------------------------------------------------------------------- shared time


def ref_counts(
    execs: list[Person], mentors: list[Person], weeks: tuple[date, ...], window: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(fewest, week-summed, preferred week-summed) shared half-cells of every pair.

    A cell both cover weekly counts 2 half-cells, a cell both cover where one
    side is only fortnightly counts 1; inside both preferred windows likewise.
    """
    low = np.full((len(execs), len(mentors)), np.iinfo(np.int64).max)
    total = np.zeros_like(low)
    preferred = np.zeros_like(low)
    for monday in weeks:
        e_cells = [np.array(ref_cells(p, monday, window), dtype=bool) for p in execs]
        m_cells = [np.array(ref_cells(p, monday, window), dtype=bool) for p in mentors]
        for i, a in enumerate(e_cells):
            for j, b in enumerate(m_cells):
                full = a[:, 0] & b[:, 0]
                shared = int(full.sum() + (a[:, 1] & b[:, 1]).sum())
                inside = a[:, 2] & b[:, 2]
                low[i, j] = min(low[i, j], shared)
                total[i, j] += shared
                preferred[i, j] += int(inside.sum() + (inside & full).sum())
    return low, total, preferred


@st.composite
def zoned_sides(draw: st.DrawFn) -> tuple[list[Person], list[Person]]:
    """Executives and mentors from a few zones, so that zones hold several people."""
    zones = draw(st.lists(st.sampled_from(SLOT_ZONES), min_size=1, max_size=3, unique=True))
    person = st.tuples(st.sampled_from(zones), st.lists(slots(), max_size=3))
    return (
        draw(st.lists(person, min_size=1, max_size=5)),
        draw(st.lists(person, min_size=1, max_size=5)),
    )


def people_counts(grids: AvailabilityGrids) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The counter's tables spread to people."""
    counter = PatternCounter(grids)
    counts = counter.counts()
    rows = counts.exec_row[grids.exec_pattern][:, None]
    cols = counter.mentor_col[grids.mentor_pattern][None, :]
    assert counts.total is not None
    return counts.low[rows, cols], counts.total[rows, cols], counts.preferred[rows, cols]


@settings(max_examples=60, deadline=None)
@given(
    sides=zoned_sides(),
    program=st.one_of(near_clock_changes(), program_spans()),
    window=windows,
    layout=st.sampled_from(["groups", "few groups", "mixed", "mixed executives"]),
    chunk=st.integers(1, 3),
)
def test_shared_time_counts_equal_the_cell_by_cell_reference(
    sides: tuple[list[Person], list[Person]],
    program: tuple[date, date],
    window: tuple[int, int] | None,
    layout: str,
    chunk: int,
) -> None:
    execs, mentors = sides
    grids = compile_availability(
        execs, mentors, start=program[0], end=program[1], preferred_window=window
    )
    # Every zone group its own segment, at most one, or one mixed segment;
    # or (as in most programs of a few hundred people) one mixed segment of
    # executives, read at a shift per zone group, against mentors by group.
    segments = {
        "groups": (1, 1, 12),
        "few groups": (1, 1, 1),
        "mixed": (10**6, 10**9, 12),
        "mixed executives": (1, 10**9, 12),
    }
    least, pairs, most = segments[layout]
    with mock.patch.multiple(
        _overlap,
        _MIN_SEGMENT=least,
        _MIN_BLOCK_PAIRS=pairs,
        _MAX_GROUPS=most,
        _PATTERN_CHUNK=chunk,
    ):
        low, total, preferred = people_counts(grids)
    expected = ref_counts(execs, mentors, grids.weeks, window)
    np.testing.assert_array_equal(low, expected[0])
    np.testing.assert_array_equal(total, expected[1])
    np.testing.assert_array_equal(preferred, expected[2])


# ----------------------------------------------------------------------------------- scores


def reference_scores(
    arrays: Any, config: rm.MatchConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Totals and reason masks in one block, every component by its plain definition."""
    weights = active_weights(config, {})
    total_weight = sum(weights.values())
    rows = slice(0, arrays.shape[0])
    overlap = weekly_overlap(arrays.availability)
    values = np.zeros(arrays.shape)
    for name, weight in weights.items():
        values += (weight / total_weight) * component_block(
            name, arrays, config, rows, overlap, {}
        )
    missing = missing_inputs(arrays, config, weights)
    if missing:
        ri = np.arange(arrays.shape[0])[:, None]
        ci = np.arange(arrays.shape[1])[None, :]
        renormalise(values, present_factor(weights, absent_pairs(missing, ri, ci)))
    np.round(values, config.score_decimals, out=values)
    return values, reason_block(arrays, config, rows, overlap.min_minutes)


topic_weights = st.dictionaries(
    st.sampled_from(rm.DEFAULT_TOPICS), st.sampled_from([0.0, 0.3, 0.5, 1.7, 2.0]), max_size=3
)
all_weights = st.fixed_dictionaries(
    {name: st.sampled_from((0.0, 0.05, 0.1, 0.3, 1.0)) for name in rm.COMPONENTS}
).filter(lambda w: any(w.values()))


@settings(max_examples=80, deadline=None)
@given(
    program=st.one_of(rich_programs(), fortnightly_programs()),
    base=configs(),
    weights=st.one_of(st.none(), all_weights),
    tau=topic_weights,
    window=st.sampled_from([None, ("11:30", "14:30"), ("08:00", "18:45")]),
)
def test_scores_equal_the_one_block_reference_bit_for_bit(
    program: rm.Program,
    base: rm.MatchConfig,
    weights: dict[str, float] | None,
    tau: dict[str, float],
    window: tuple[str, str] | None,
) -> None:
    update: dict[str, Any] = {"topic_weights": tau, "preferred_window": window}
    if weights is not None:
        update["weights"] = weights
    config = rm.MatchConfig.model_validate({**base.model_dump(), **update})
    arrays = compile_program(program, config)
    scores = score_arrays(arrays, config)
    values, reasons = reference_scores(arrays, config)
    np.testing.assert_array_equal(scores.values.view(np.uint64), values.view(np.uint64))
    np.testing.assert_array_equal(scores.reasons, reasons)
    # The minima kept on the score matrix are those of the pair-by-pair count.
    r, c = (i.ravel() for i in np.indices(arrays.shape))
    np.testing.assert_array_equal(scores.min_minutes(r, c), pair_overlap(arrays, r, c).min_minutes)


@st.composite
def polyglot_programs(draw: st.DrawFn) -> rm.Program:
    """People speaking none, one or several of up to 70 languages (several packed words)."""
    program = draw(rich_programs())
    n_languages = draw(st.sampled_from([3, 9, 17, 40, 70]))
    codes = [f"l{k:02d}" for k in range(n_languages)]
    spoken = st.lists(st.sampled_from(codes), max_size=3, unique=True)

    def speaking(person: Any) -> Any:
        return person.model_copy(update={"languages": tuple(draw(spoken))})

    return program.replace(
        executives=[speaking(e) for e in program.executives],
        mentors=[speaking(m) for m in program.mentors],
    )


@settings(max_examples=60, deadline=None)
@given(program=polyglot_programs())
def test_language_rule_equals_its_definition(program: rm.Program) -> None:
    scores = rm.score(program, rm.MatchConfig(require_shared_language=True))
    bit = REASON_BITS["language"]
    for i, e_id in enumerate(scores.executive_ids):
        e = next(p for p in program.executives if p.id == e_id)
        for j, m_id in enumerate(scores.mentor_ids):
            m = next(p for p in program.mentors if p.id == m_id)
            expected = bool(e.languages and m.languages and not set(e.languages) & set(m.languages))
            assert bool(scores.reasons[i, j] & bit) == expected
