"""Learned choices: the JSON linear model, its fallback to the rules, and the shipped models."""

from __future__ import annotations

import json

import pytest

from extractor import learned
from extractor.learned import Candidate, LinearModel, bucket, choose


def binary(weights: dict[str, float], intercept: float = 0.0) -> LinearModel:
    return LinearModel(("0", "1"), (intercept,), {k: (v,) for k, v in weights.items()})


def test_binary_model_probabilities_follow_the_logit():
    model = binary({"near": 2.0, "far": -2.0})
    assert model.probabilities({"near": 1.0})["1"] == pytest.approx(0.8808, abs=1e-4)
    assert model.probabilities({"far": 1.0})["1"] == pytest.approx(0.1192, abs=1e-4)
    assert model.probabilities({"unknown": 1.0})["1"] == pytest.approx(0.5)


def test_multinomial_probabilities_sum_to_one_and_rank_by_score():
    model = LinearModel(("none", "a", "b"), (0.0, 0.0, 0.0), {"x": (0.0, 1.0, 3.0)})
    p = model.probabilities({"x": 1.0})
    assert sum(p.values()) == pytest.approx(1.0)
    assert p["b"] > p["a"] > p["none"]


def test_choose_takes_the_most_probable_candidate():
    options = [Candidate("rule's", {"rule": 1.0}), Candidate("better", {"near": 1.0})]
    assert choose(options, binary({"near": 2.0, "rule": 0.5})).value == "better"
    assert choose(options, binary({"near": 0.1, "rule": 0.5})).value == "rule's"


def test_without_a_model_the_rules_choice_stands():
    options = [Candidate("none", {}), Candidate("rule's", {"rule": 1.0})]
    assert choose(options, None).value == "rule's"
    assert choose([], None) is None


def test_a_model_survives_its_json_form():
    model = binary({"near": 1.25}, intercept=-0.5)
    again = LinearModel.from_json(json.loads(json.dumps(model.to_json())))
    assert again.probabilities({"near": 1.0}) == model.probabilities({"near": 1.0})


def test_buckets_are_one_hot():
    assert bucket("d", 0, (0, 2)) == {"d<=0": 1.0}
    assert bucket("d", 1, (0, 2)) == {"d<=2": 1.0}
    assert bucket("d", 9, (0, 2)) == {"d>2": 1.0}


def test_fit_learns_a_separable_rule():
    pytest.importorskip("sklearn")
    data = [({"near": 1.0}, "1")] * 20 + [({"far": 1.0}, "0")] * 20
    model = learned.fit(data, c=10.0)
    assert model.probabilities({"near": 1.0})["1"] > 0.9
    assert model.probabilities({"far": 1.0})["1"] < 0.1


def test_fit_choice_learns_what_wins_within_a_group():
    """A feature every candidate of a group shares ("common") says nothing about which one
    is right: a conditional logit gives it no weight, whatever its base rate."""
    pytest.importorskip("scipy")
    groups = [[({"common": 1.0, "near": 1.0}, True), ({"common": 1.0, "far": 1.0}, False),
               ({"common": 1.0}, False)]] * 10
    model = learned.fit_choice(groups, c=10.0)
    assert model.meta["kind"] == "choice"
    assert model.weights.get("common", (0.0,))[0] == pytest.approx(0.0, abs=1e-6)
    assert model.weights["near"][0] > 0 > model.weights["far"][0]
    options = [Candidate("far", {"common": 1.0, "far": 1.0}),
               Candidate("near", {"common": 1.0, "near": 1.0})]
    assert choose(options, model).value == "near"


def test_fit_choice_ignores_groups_without_a_right_candidate():
    pytest.importorskip("scipy")
    good = [[({"near": 1.0}, True), ({"far": 1.0}, False)]] * 5
    hopeless = [[({"near": 1.0}, False), ({"far": 1.0}, False)]] * 50
    assert learned.fit_choice(good + hopeless, c=1.0).weights == \
        learned.fit_choice(good, c=1.0).weights


def test_a_choice_model_shares_one_probability_among_the_candidates():
    model = LinearModel(("0", "1"), (0.0,), {"a": (2.0,), "b": (1.0,)}, {"kind": "choice"})
    options = [Candidate("a", {"a": 1.0}), Candidate("b", {"b": 1.0}), Candidate("c", {})]
    shares = learned.group_probabilities(model, options)
    assert sum(shares) == pytest.approx(1.0)
    assert shares[0] > shares[1] > shares[2]
    # the rule's choice stands unless the best beats it by the margin, in shares
    ruled = [Candidate("b", {"b": 1.0, "rule": 1.0}), Candidate("a", {"a": 1.0})]
    gap = learned.group_probabilities(model, ruled)
    assert gap[1] - gap[0] == pytest.approx(0.4621, abs=1e-3)
    assert choose(ruled, model, margin=0.4).value == "a"
    assert choose(ruled, model, margin=0.5).value == "b"


def test_the_shipped_period_model_loads_and_says_what_it_was_trained_on():
    model = learned.load_model("period")
    assert model is not None
    assert model.meta["trained_on"] == "shared/corpus/dev"
    assert set(model.labels) == {"0", "1"}
