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


def test_the_shipped_period_model_loads_and_says_what_it_was_trained_on():
    model = learned.load_model("period")
    assert model is not None
    assert model.meta["trained_on"] == "shared/corpus/dev"
    assert set(model.labels) == {"0", "1"}
