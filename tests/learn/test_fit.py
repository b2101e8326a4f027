"""fit_weights against the generator's truth, an independent optimiser, and bad input."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

import revmatch as rm
from revmatch.datasets import TRUE_WEIGHTS, make_feedback
from revmatch.exceptions import InvalidInputError
from revmatch.learn import outcome_table

TRUTH = np.array([TRUE_WEIGHTS[c] for c in rm.COMPONENTS])


def _learned(fit: rm.FitResult) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Fitted and true weights of the components the data can tell, each summing to 1."""
    ok = np.array([c not in fit.unidentified for c in rm.COMPONENTS])
    got = np.array([fit.weights[c] for c in rm.COMPONENTS])[ok]
    return got / got.sum(), TRUTH[ok] / TRUTH[ok].sum()


def _l1(fit: rm.FitResult) -> float:
    got, truth = _learned(fit)
    return float(np.abs(got - truth).sum())


@pytest.fixture(scope="module")
def large_fit() -> rm.FitResult:
    return rm.fit_weights(make_feedback(n_rated=2000, seed=11), n_bootstrap=100)


def test_enough_pairs_recover_the_true_weights(large_fit: rm.FitResult) -> None:
    assert large_fit.usable, large_fit.message
    assert large_fit.n_pairs == 2000
    assert large_fit.n_rated == large_fit.n_kept_closed == 1000
    assert large_fit.unidentified == ("preferences",)  # hardly any pair has a wish
    assert _l1(large_fit) < 0.15
    got, truth = _learned(large_fit)
    assert np.abs(got - truth).max() < 0.06  # the defaults are far from the truth
    # What the data cannot tell keeps its current share, with no uncertainty claimed.
    share = rm.DEFAULT_WEIGHTS["preferences"] / sum(rm.DEFAULT_WEIGHTS.values())
    assert large_fit.weights["preferences"] == pytest.approx(share)
    assert large_fit.ci_low["preferences"] == large_fit.ci_high["preferences"]


@pytest.mark.parametrize("kind", ["rating", "kept"])
def test_each_outcome_kind_alone_recovers_the_truth(kind: str) -> None:
    fit = rm.fit_weights(make_feedback(n_rated=2000, kind=kind, seed=5), n_bootstrap=0)  # type: ignore[arg-type]
    assert _l1(fit) < 0.2
    assert (fit.n_rated > 0) == (kind == "rating")


def test_other_true_weights_are_recovered_too() -> None:
    truth = {"topic": 0.6, "availability": 0.1, "window": 0.1, "department": 0.2}
    fit = rm.fit_weights(
        make_feedback(n_rated=2000, true_weights=truth, seed=2),
        components=("topic", "availability", "window", "department"),
        n_bootstrap=0,
    )
    assert set(fit.weights) == set(truth)
    assert sum(abs(fit.weights[c] - w) for c, w in truth.items()) < 0.15


def test_recovery_error_falls_with_more_pairs() -> None:
    errors = [
        np.mean([_l1(rm.fit_weights(make_feedback(n_rated=n, seed=s), n_bootstrap=0))
                 for s in range(3)])
        for n in (100, 2000)
    ]
    assert errors[0] > 2 * errors[1]


def test_too_few_pairs_refuse_and_the_defaults_stay() -> None:
    fit = rm.fit_weights(make_feedback(n_rated=40, seed=0))
    assert not fit.usable
    assert fit.min_pairs == 80
    assert "Too few pairs" in fit.message
    assert "40" in fit.message
    assert "NOT usable" in str(fit)
    with pytest.raises(InvalidInputError, match="not usable") as info:
        rm.MatchConfig.from_fit(fit)
    assert info.value.problems[0].field == "fit"


def test_uncertain_weights_refuse() -> None:
    fit = rm.fit_weights(make_feedback(n_rated=200, seed=0), max_ci_width=0.05)
    assert not fit.usable
    assert "too uncertain" in fit.message


def test_intervals_contain_the_truth_in_most_seeded_runs() -> None:
    inside = []
    for seed in range(8):
        fit = rm.fit_weights(make_feedback(n_rated=800, seed=100 + seed), n_bootstrap=100)
        learned = [c for c in rm.COMPONENTS if c not in fit.unidentified]
        rest = sum(fit.weights[c] for c in learned)
        truth = sum(TRUE_WEIGHTS[c] for c in learned)
        for name in rm.COMPONENTS:
            assert fit.ci_low[name] <= fit.weights[name] <= fit.ci_high[name]
        for name in learned:  # both on the scale of the learned components' share
            low, high = fit.ci_low[name] / rest, fit.ci_high[name] / rest
            inside.append(low - 0.01 <= TRUE_WEIGHTS[name] / truth <= high + 0.01)
    assert np.mean(inside) >= 0.8


def test_weights_minimise_the_documented_model() -> None:
    """An independent optimiser on the model the module documents finds the same weights."""
    program = make_feedback(n_rated=300, kind="mixed", seed=4)
    fit = rm.fit_weights(program, n_bootstrap=0, l2=1e-3)
    data = outcome_table(program)
    x, t, k = data.x, data.success, data.x.shape[1]
    learnable = [c not in fit.unidentified for c in data.components]
    x = x[:, learnable]

    def loss(theta: np.ndarray[Any, Any]) -> float:
        p = np.clip(1 / (1 + np.exp(-(theta[0] + x @ theta[1:]))), 1e-12, 1 - 1e-12)
        ce = -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))
        return float(ce + 0.5e-3 * theta[1:] @ theta[1:])

    res = minimize(
        loss,
        np.zeros(x.shape[1] + 1),
        method="L-BFGS-B",
        bounds=[(None, None)] + [(0, None)] * x.shape[1],
        options={"ftol": 1e-14, "gtol": 1e-10, "maxiter": 10_000},
    )
    beta = res.x[1:]
    total = sum(rm.DEFAULT_WEIGHTS.values())
    expected = {n: rm.DEFAULT_WEIGHTS[n] / total for n in fit.unidentified}
    rest = 1 - sum(expected.values())
    for name, b in zip(np.array(data.components)[learnable], beta / beta.sum(), strict=True):
        expected[str(name)] = float(b) * rest
    assert k == len(rm.COMPONENTS)
    for name in data.components:
        assert fit.weights[name] == pytest.approx(expected[name], abs=2e-3)


def test_components_are_those_score_computes() -> None:
    program = make_feedback(n_rated=60, seed=8)
    data = outcome_table(program)
    scores = rm.score(program, {"weights": dict.fromkeys(rm.COMPONENTS, 1.0)})
    rows = [scores.executive_ids.index(e) for e, _ in data.pairs]
    cols = [scores.mentor_ids.index(m) for _, m in data.pairs]
    details = scores.details(rows, cols)
    for k, name in enumerate(data.components):
        np.testing.assert_array_equal(data.x[:, k], details.components[name])
    ratings = {(h.executive_id, h.mentor_id): h for h in program.history}
    for (e, m), t in zip(data.pairs, data.success, strict=True):
        h = ratings[(e, m)]
        assert t == ((h.rating - 1) / 4 if h.rating else float(h.outcome == "kept"))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(5, 150),
    seed=st.integers(0, 10_000),
    kind=st.sampled_from(["rating", "kept", "mixed"]),
)
def test_fit_invariants(n: int, seed: int, kind: str) -> None:
    fit = rm.fit_weights(make_feedback(n_rated=n, kind=kind, seed=seed), n_bootstrap=20, seed=seed)  # type: ignore[arg-type]
    weights = np.array(list(fit.weights.values()))
    assert (weights >= 0).all()
    assert weights.sum() == pytest.approx(1.0, abs=1e-5) or fit.usable is False
    for name, w in fit.weights.items():
        assert fit.ci_low[name] <= w <= fit.ci_high[name]
    assert fit.n_pairs == n == fit.n_rated + fit.n_kept_closed
    assert fit.usable == (n >= fit.min_pairs and fit.usable)
    if n < fit.min_pairs:
        assert not fit.usable
    assert rm.FitResult.model_validate_json(fit.model_dump_json()) == fit


def test_same_data_and_seed_give_the_same_fit() -> None:
    program = make_feedback(n_rated=120, seed=9)
    first, second = rm.fit_weights(program, seed=3), rm.fit_weights(program, seed=3)
    assert first == second
    assert rm.fit_weights(program, seed=4).digest != first.digest


def test_components_that_hardly_vary_are_unidentified() -> None:
    program = make_feedback(n_rated=150, seed=1)
    fit = rm.fit_weights(program, n_bootstrap=0)
    x = outcome_table(program).x
    rare = []
    for k, name in enumerate(rm.COMPONENTS):
        most = max(list(x[:, k]).count(v) for v in set(x[:, k]))
        if len(x) - most < 10:
            rare.append(name)
    assert rare
    assert list(fit.unidentified) == rare
    share = {n: w / sum(rm.DEFAULT_WEIGHTS.values()) for n, w in rm.DEFAULT_WEIGHTS.items()}
    for name in rare:
        assert fit.weights[name] == pytest.approx(share[name])
    learned = sum(w for n, w in fit.weights.items() if n not in rare)
    assert learned == pytest.approx(1 - sum(share[n] for n in rare), abs=1e-5)


def test_from_fit_sets_the_weights_and_the_audit_carries_the_fit(
    large_fit: rm.FitResult,
) -> None:
    base = rm.MatchConfig(session_minutes=45, weights={"custom:x": 1.0})
    config = rm.MatchConfig.from_fit(large_fit, base)
    assert config.session_minutes == 45
    assert config.weights["custom:x"] == 0.0
    assert {n: config.weights[n] for n in large_fit.weights} == large_fit.weights
    assert config.fit == large_fit
    assert rm.MatchConfig.model_validate_json(config.model_dump_json()) == config
    program = rm.datasets.make_program(n_executives=6, n_mentors=8, seed=0)
    fitted = rm.match(program, rm.MatchConfig.from_fit(large_fit))
    echo = fitted.audit["config"]["fit"]
    assert echo["digest"] == large_fit.digest
    assert echo["weights"] == large_fit.weights
    assert echo["ci_low"] == large_fit.ci_low
    assert echo["n_pairs"] == 2000
    assert "fit" not in rm.match(program).audit["config"]


def test_from_fit_refuses_other_objects() -> None:
    with pytest.raises(InvalidInputError, match="needs a FitResult"):
        rm.MatchConfig.from_fit({"weights": {}})  # type: ignore[arg-type]


def test_summary_names_every_component_and_the_scores(large_fit: rm.FitResult) -> None:
    text = str(large_fit)
    for name in rm.COMPONENTS:
        assert name in text
    assert "usable" in text
    assert "cross-validation" in text
    assert large_fit.digest[:16] in text


def test_outcomes_for_unknown_people_are_located() -> None:
    program = make_feedback(n_rated=20, seed=0)
    bad = rm.HistoryEntry(executive_id="nobody", mentor_id="m-9999", rating=4)
    program = program.replace(history=[*program.history, bad])
    with pytest.raises(InvalidInputError) as info:
        rm.fit_weights([make_feedback(n_rated=20, seed=1), program])
    located = {(p.record, p.field) for p in info.value.problems}
    assert located == {("programs[1] history[20]", "executive_id"),
                       ("programs[1] history[20]", "mentor_id")}
    with pytest.raises(InvalidInputError, match="history\\[20\\]"):
        rm.fit_weights(program)


def test_an_unknown_pair_without_outcome_is_ignored() -> None:
    program = make_feedback(n_rated=20, seed=0)
    old = rm.HistoryEntry(executive_id="gone", mentor_id="gone-too")
    fit = rm.fit_weights(program.replace(history=[*program.history, old]), n_bootstrap=0)
    assert fit.n_pairs == 20


def test_programs_without_outcomes_say_so() -> None:
    program = rm.datasets.make_program(n_executives=5, n_mentors=5, seed=0)
    with pytest.raises(InvalidInputError, match="nothing to learn from"):
        rm.fit_weights([program, program])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"folds": 1}, "folds"),
        ({"confidence": 1.0}, "confidence"),
        ({"n_bootstrap": -1}, "n_bootstrap"),
        ({"l2": -1.0}, "l2"),
        ({"max_ci_width": 2.0}, "max_ci_width"),
        ({"components": ["topic", "colour"]}, "components"),
        ({"components": []}, "components"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        rm.fit_weights(make_feedback(n_rated=10, seed=0), **kwargs)
    assert [p.field for p in info.value.problems] == [field]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"n_rated": 0}, "n_rated"),
        ({"true_weights": {"colour": 1.0}}, "true_weights"),
        ({"true_weights": {"topic": 0.0}}, "true_weights"),
        ({"true_weights": {"topic": -1.0}}, "true_weights"),
        ({"kind": "stars"}, "kind"),
        ({"strength": 0}, "strength"),
        ({"noise": -1}, "noise"),
    ],
)
def test_generator_arguments_are_checked(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        make_feedback(**kwargs)
    assert info.value.problems[0].field == field


def test_fit_and_generator_name_an_unknown_component_alike() -> None:
    with pytest.raises(InvalidInputError) as fit:
        rm.fit_weights(make_feedback(n_rated=10, seed=0), components=["topic", "colour"])
    with pytest.raises(InvalidInputError) as generator:
        make_feedback(true_weights={"topic": 1.0, "colour": 1.0})
    [a], [b] = fit.value.problems, generator.value.problems
    assert (a.field, b.field) == ("components", "true_weights")
    assert a.message == b.message == "unknown component 'colour'"
    assert a.expected == b.expected == "built-in components: " + ", ".join(rm.COMPONENTS)


def test_generator_draws_distinct_rated_pairs() -> None:
    program = make_feedback(n_rated=50, kind="mixed", seed=6)
    pairs = [(h.executive_id, h.mentor_id) for h in program.history]
    assert len(set(pairs)) == 50
    assert sum(h.rating is not None for h in program.history) == 25
    assert {h.outcome for h in program.history if h.rating is None} <= {"kept", "closed_early"}
    assert make_feedback(n_rated=50, kind="mixed", seed=6) == program
    small = rm.datasets.make_program(n_executives=2, n_mentors=2, seed=0)
    with pytest.raises(InvalidInputError, match="fewer than n_rated"):
        make_feedback(n_rated=5, program=small)


def test_noise_on_the_logit_keeps_the_proportions() -> None:
    # Extra noise flattens the outcomes' dependence on the score but not its direction.
    fit = rm.fit_weights(make_feedback(n_rated=2000, noise=1.0, seed=21), n_bootstrap=0)
    assert _l1(fit) < 0.25


def test_several_programs_pool_their_pairs() -> None:
    rounds = [make_feedback(n_rated=150, seed=s) for s in (31, 32)]
    pooled = rm.fit_weights(rounds, n_bootstrap=0)
    assert pooled.n_programs == 2
    assert pooled.n_pairs == 300
    data = outcome_table(rounds)
    assert list(data.program) == [0] * 150 + [1] * 150
    assert pooled.digest == rm.fit_weights(rounds[::-1], n_bootstrap=0).digest
