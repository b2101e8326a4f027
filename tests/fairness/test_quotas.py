"""Group quotas and maximin_groups: exact against brute force, relaxations, errors."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import revmatch as rm
from revmatch.exceptions import InfeasibleError, InvalidInputError, QuotaInfeasibleError
from revmatch.solvers import Quota, solve, solve_maximin_groups

Pairs = tuple[tuple[int, int], ...]


def matchings(feasible: np.ndarray) -> list[Pairs]:
    """Every one-to-one matching within ``feasible`` (the empty one included)."""
    n, m = feasible.shape
    out: list[Pairs] = []
    for cols in itertools.product(range(-1, m), repeat=n):
        used = [c for c in cols if c >= 0]
        if len(used) != len(set(used)):
            continue
        if all(c < 0 or feasible[r, c] for r, c in enumerate(cols)):
            out.append(tuple((r, c) for r, c in enumerate(cols) if c >= 0))
    return out


def in_block(pairs: Pairs, rows: Sequence[int], cols: Sequence[int]) -> int:
    return sum(1 for r, c in pairs if r in rows and c in cols)


@st.composite
def small(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(1, 4))
    m = draw(st.integers(1, 4))
    w = np.array(draw(st.lists(st.integers(0, 1000), min_size=n * m, max_size=n * m)))
    f = np.array(draw(st.lists(st.booleans(), min_size=n * m, max_size=n * m)))
    return w.reshape(n, m) / 1000.0, f.reshape(n, m) | (w.reshape(n, m) > 700)


@settings(max_examples=60, deadline=None)
@given(small(), st.data())
def test_count_and_share_quotas_match_brute_force(inst, data) -> None:
    w, f = inst
    n, m = w.shape
    rows = data.draw(st.lists(st.integers(0, n - 1), min_size=1, unique=True))
    lo = data.draw(st.integers(0, 2))
    share = data.draw(st.sampled_from([0.0, 0.25, 0.5, 0.75]))
    cap = data.draw(st.sampled_from([None, 0.75, 1.0]))
    quota = Quota("q", rows=rows, min=lo, min_share=share, max_share=cap)
    got = solve(w, feasible=f, quotas=[quota], method="milp")

    def key(p: Pairs) -> tuple[int, int, float]:
        count = in_block(p, rows, range(m))
        return (-max(lo - count, 0), len(p), sum(w[r, c] for r, c in p))

    allowed = [
        p
        for p in matchings(f)
        if in_block(p, rows, range(m)) >= share * len(p) - 1e-9
        and (cap is None or in_block(p, rows, range(m)) <= cap * len(p) + 1e-9)
    ]
    best = max(key(p) for p in allowed)
    mine = tuple(zip(got.rows.tolist(), got.cols.tolist(), strict=True))
    assert mine in allowed
    assert key(mine)[:2] == best[:2]
    assert key(mine)[2] == pytest.approx(best[2], abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(small(), st.data())
def test_maximin_groups_matches_brute_force(inst, data) -> None:
    w, f = inst
    n, _ = w.shape
    labels = np.array(data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)))
    got, worst = solve_maximin_groups(w, row_groups=labels, feasible=f)

    def key(p: Pairs) -> tuple[float, float]:
        earned = np.zeros(n)
        for r, c in p:
            earned[r] += w[r, c]
        means = [earned[labels == g].mean() for g in np.unique(labels)]
        return (round(min(means), 9), round(sum(w[r, c] for r, c in p), 9))

    best = max(key(p) for p in matchings(f))
    mine = tuple(zip(got.rows.tolist(), got.cols.tolist(), strict=True))
    assert all(f[r, c] for r, c in mine)
    assert len({c for _, c in mine}) == len(mine) == len({r for r, _ in mine})
    assert key(mine) == best
    assert worst == pytest.approx(best[0], abs=1e-9)


def test_maximin_groups_agrees_with_milp_threshold_search() -> None:
    # Cross-check on a larger instance: no other assignment found by the
    # count-quota MILP has a better worst group once that group is forced up.
    rng = np.random.default_rng(3)
    w = np.round(rng.random((12, 10)), 3)
    labels = np.repeat([0, 1, 2], 4)
    got, worst = solve_maximin_groups(w, row_groups=labels)
    plain = solve(w, method="milp", objective="max_score")
    earned = np.bincount(plain.rows, weights=w[plain.rows, plain.cols], minlength=12)
    assert worst >= min(earned[labels == g].mean() for g in range(3)) - 1e-12
    assert got.total <= plain.total + 1e-9


PROGRAM = rm.datasets.make_program(24, 24, seed=5)


def _count(result: rm.MatchResult, side: str, attribute: str, value: str) -> int:
    people = {p.id: p for p in (PROGRAM.executives if side == "executive" else PROGRAM.mentors)}
    key = "executive_id" if side == "executive" else "mentor_id"
    return sum(getattr(people[getattr(p, key)], attribute) == value for p in result.pairs)


def test_match_honours_share_and_pair_quotas() -> None:
    hq = PROGRAM.executives[0].location
    config = rm.MatchConfig(
        quotas=[f"executive.location!={hq}:min_share=0.8", "pair.department*department:max=1"]
    )
    result = rm.match(PROGRAM, config=config)
    outside = len(result.pairs) - _count(result, "executive", "location", hq)
    assert outside >= 0.8 * len(result.pairs) - 1e-9
    execs = {p.id: p for p in PROGRAM.executives}
    mentors = {p.id: p for p in PROGRAM.mentors}
    combos = [
        (execs[p.executive_id].department, mentors[p.mentor_id].department) for p in result.pairs
    ]
    assert max(combos.count(c) for c in set(combos)) == 1
    price = result.audit["price_of_quotas"]
    free = rm.match(PROGRAM)
    assert price["total_without_quotas"] == pytest.approx(free.audit["objective_value"], abs=1e-6)
    assert price["pairs_without_quotas"] == len(free.pairs)
    assert price["pairs_lost"] >= 0


def _largest_min(message: str) -> int:
    found = re.search(r"largest feasible min is (\d+)", message)
    assert found, message
    return int(found.group(1))


def test_infeasible_quota_names_the_smallest_relaxation() -> None:
    dept = PROGRAM.executives[0].department
    with pytest.raises(QuotaInfeasibleError, match="smallest relaxation") as info:
        rm.match(PROGRAM, config=rm.MatchConfig(quotas=[f"executive.department={dept}:min=99"]))
    assert isinstance(info.value, InfeasibleError)  # caught by handlers of the general error
    best = _largest_min(str(info.value))
    quota = f"executive.department={dept}:min="
    ok = rm.match(PROGRAM, config=rm.MatchConfig(quotas=[f"{quota}{best}"]))
    assert _count(ok, "executive", "department", dept) >= best
    with pytest.raises(QuotaInfeasibleError):
        rm.match(PROGRAM, config=rm.MatchConfig(quotas=[f"{quota}{best + 1}"]))


@pytest.mark.parametrize(
    ("quota", "where"),
    [
        ("executive.salary=1:min=1", "unknown attribute 'salary'"),
        ("executive.location:min_share=1.5", "less than or equal to 1"),
        ("executive.location:min=3,max=1", "min \\(3\\) is above max \\(1\\)"),
        ("executive.location:min_share=0.6,max_share=0.5", "min_share \\(0.6\\) is above"),
        ("team.location:min=1", "must start with 'executive.'"),
        ("pair.location:max=1", "two selectors"),
        ("executive.location:most=2", "bound 'most=2'"),
        ("executive.grade=x:max=1", "grade value 'x'"),
        ({"executive": {"attribute": "salary"}, "min": 1}, "executive group"),
        ({"mentor": {"attribute": "location"}}, "at least one of min"),
    ],
)
def test_bad_quotas_get_located_errors(quota: object, where: str) -> None:
    with pytest.raises(InvalidInputError, match=where) as info:
        rm.MatchConfig(quotas=[quota])
    assert "quotas[0]" in str(info.value)


def test_unknown_group_value_is_an_error_naming_the_values() -> None:
    config = rm.MatchConfig(quotas=["mentor.department=Salse:min=1"])
    with pytest.raises(InvalidInputError, match="no mentor has department 'Salse'; values there"):
        rm.match(PROGRAM, config=config)


def test_candidate_mode_is_refused_with_quotas() -> None:
    with pytest.raises(InvalidInputError, match="set candidates=None"):
        rm.MatchConfig(quotas=["executive.location:max=3"], candidates=10)
    with pytest.raises(InvalidInputError, match="set candidates=None"):
        rm.MatchConfig(objective="maximin_groups", candidates="auto")


def test_quota_text_round_trips_and_config_json_is_unchanged_without_quotas() -> None:
    q = rm.GroupQuota.model_validate("pair.department=IT|HR*grade=3-5:max=2,min_share=0.1")
    assert rm.GroupQuota.model_validate(q.text()) == q
    assert "quotas" not in rm.MatchConfig().model_dump_json()
    config = rm.MatchConfig(quotas=[q], group_by="location")
    assert rm.MatchConfig.model_validate_json(config.model_dump_json()) == config


def test_maximin_groups_in_match_raises_the_worst_group() -> None:
    plain = rm.match(PROGRAM)
    fair = rm.match(PROGRAM, config=rm.MatchConfig(objective="maximin_groups"))

    def worst(result: rm.MatchResult) -> float:
        execs = {p.id: p for p in PROGRAM.executives}
        total: dict[str, float] = {}
        for p in result.pairs:
            d = execs[p.executive_id].department
            total[d] = total.get(d, 0.0) + p.score
        sizes: dict[str, int] = {}
        for e in PROGRAM.executives:
            if e.department is not None:
                sizes[e.department] = sizes.get(e.department, 0) + 1
        return min(total.get(d, 0.0) / s for d, s in sizes.items())

    assert worst(fair) >= worst(plain) - 1e-9
