"""Learned choices: candidates with features, scored by a small linear model.

A decision among candidates (which body claims a figure, which place it is about, which
period it covers, whether a number is a figure at all) is made by scoring each candidate
with a logistic model trained on the real gold of `shared/corpus/dev` (scripts in
`training/`). The rules that made the decision before become features of the candidates
(`rule=1` on the rule's choice), so a model can only do better than them where the gold
says so, and a pack with no model file falls back to the rule's choice.

Models are stored as JSON (labels, intercepts, one weight per label and feature): small,
diffable, versioned with the package, and read here with no scikit-learn at run time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

Features = dict[str, float]


@dataclass
class Candidate:
    """One possible value of a decision, with what is known for and against it."""

    value: Any
    features: Features = field(default_factory=dict)


@dataclass(frozen=True)
class LinearModel:
    """Multinomial (or binary) logistic regression over sparse named features."""

    labels: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]  # feature -> one weight per label
    meta: Mapping[str, Any] = field(default_factory=dict)

    def scores(self, features: Mapping[str, float]) -> list[float]:
        totals = list(self.intercepts)
        for name, x in features.items():
            row = self.weights.get(name)
            if row is not None and x:
                for k, w in enumerate(row):
                    totals[k] += w * x
        return totals

    def probabilities(self, features: Mapping[str, float]) -> dict[str, float]:
        totals = self.scores(features)
        if len(self.labels) == 2 and len(totals) == 1:  # binary: one logit for labels[1]
            p = 1.0 / (1.0 + math.exp(-totals[0]))
            return {self.labels[0]: 1.0 - p, self.labels[1]: p}
        top = max(totals)
        exps = [math.exp(t - top) for t in totals]
        norm = sum(exps)
        return {label: e / norm for label, e in zip(self.labels, exps, strict=True)}

    def to_json(self) -> dict[str, Any]:
        return {"labels": list(self.labels), "intercepts": list(self.intercepts),
                "weights": {k: list(v) for k, v in sorted(self.weights.items())},
                "meta": dict(self.meta)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LinearModel:
        return cls(tuple(data["labels"]), tuple(data["intercepts"]),
                   {k: tuple(v) for k, v in data["weights"].items()}, data.get("meta", {}))


@cache
def load_model(name: str) -> LinearModel | None:
    """The bundled model `extractor/models/<name>.json`, or None when there is none."""
    resource = files("extractor").joinpath("models", f"{name}.json")
    if not resource.is_file():
        return None
    return LinearModel.from_json(json.loads(resource.read_text("utf-8")))


def probability_correct(model: LinearModel, features: Mapping[str, float]) -> float:
    """P(candidate is right) from a binary model with labels ("0", "1")."""
    return model.probabilities(features).get("1", 0.0)


def group_probabilities(model: LinearModel, candidates: Sequence[Candidate]) -> list[float]:
    """How likely each candidate is the right one. A model fitted over groups (`fit_choice`,
    meta `kind: choice`) shares one probability among the candidates (a softmax of their
    scores); a per-candidate model gives each its own P(right)."""
    if model.meta.get("kind") != "choice":
        return [probability_correct(model, c.features) for c in candidates]
    scores = [model.scores(c.features)[0] for c in candidates]
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    norm = sum(exps)
    return [e / norm for e in exps]


def choose(candidates: Sequence[Candidate], model: LinearModel | None,
           margin: float | None = None) -> Candidate | None:
    """The best candidate: the model's most probable one when it beats the rule's choice
    (feature `rule`) by the model's `margin` (set by cross-validation at training), else
    the rule's. Ties keep the candidates' order, so the result is deterministic."""
    if not candidates:
        return None
    ruled = next((c for c in candidates if c.features.get("rule")), None)
    if model is None:
        return ruled or candidates[0]
    if margin is None:
        margin = float(model.meta.get("margin", 0.0))
    probabilities = group_probabilities(model, candidates)
    best, best_p = candidates[0], -1.0
    for candidate, p in zip(candidates, probabilities, strict=True):
        if p > best_p + 1e-12:
            best, best_p = candidate, p
    if ruled is not None:
        ruled_p = next(p for c, p in zip(candidates, probabilities, strict=True) if c is ruled)
        if best_p < ruled_p + margin:
            return ruled
    return best


def fit(examples: Iterable[tuple[Mapping[str, float], str]], *, c: float = 1.0,
        meta: Mapping[str, Any] | None = None) -> LinearModel:
    """Train a logistic model (scikit-learn, `pip install -e .[train]`) on labelled
    feature dicts. Deterministic: liblinear/lbfgs with a fixed random state."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows, labels = [], []
    for features, label in examples:
        rows.append(dict(features))
        labels.append(str(label))
    vectorizer = DictVectorizer(sparse=True)
    x = vectorizer.fit_transform(rows)
    model = LogisticRegression(C=c, max_iter=5000, random_state=0)
    model.fit(x, labels)
    classes = tuple(str(k) for k in model.classes_)
    coef = model.coef_
    weights = {
        name: tuple(round(float(coef[k][j]), 6) for k in range(coef.shape[0]))
        for j, name in enumerate(vectorizer.get_feature_names_out())
        if any(abs(coef[k][j]) > 1e-6 for k in range(coef.shape[0]))
    }
    intercepts = tuple(round(float(b), 6) for b in model.intercept_)
    return LinearModel(classes, intercepts, weights, dict(meta or {}))


def fit_choice(groups: Iterable[Sequence[tuple[Mapping[str, float], bool]]], *,
               c: float = 1.0, meta: Mapping[str, Any] | None = None) -> LinearModel:
    """Train a conditional logit: one weight per feature, fitted so that within each group
    of candidates (one decision) the right ones take the most of a softmax over the
    candidates' scores. Unlike `fit`, which judges every candidate on its own, it learns
    what makes a candidate better than the others it competes with. L2-penalized by 1/c;
    groups with no right candidate teach nothing and are left out. Deterministic (L-BFGS
    from zero)."""
    import numpy as np
    from scipy.optimize import minimize
    from sklearn.feature_extraction import DictVectorizer

    kept = [list(g) for g in groups if any(right for _, right in g)]
    vectorizer = DictVectorizer(sparse=True)
    x = vectorizer.fit_transform([dict(f) for g in kept for f, _ in g]).tocsr()
    right = np.array([bool(r) for g in kept for _, r in g])
    bounds = np.cumsum([0] + [len(g) for g in kept])
    group_of = np.repeat(np.arange(len(kept)), np.diff(bounds))

    def loss(w: Any) -> tuple[float, Any]:
        scores = x @ w
        top = np.maximum.reduceat(scores, bounds[:-1])
        exps = np.exp(scores - top[group_of])
        total = np.add.reduceat(exps, bounds[:-1])
        good = np.add.reduceat(np.where(right, exps, 0.0), bounds[:-1])
        p = exps / total[group_of]  # each candidate's share of its group
        q = np.where(right, exps / good[group_of], 0.0)  # its share of the right ones
        value = -np.sum(np.log(good / total)) + np.dot(w, w) / (2 * c)
        return float(value), x.T @ (p - q) + w / c

    result = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B",
                      options={"maxiter": 5000})
    weights = {name: (round(float(w), 6),)
               for name, w in zip(vectorizer.get_feature_names_out(), result.x, strict=True)
               if abs(w) > 1e-6}
    return LinearModel(("0", "1"), (0.0,), weights, {**dict(meta or {}), "kind": "choice"})


def bucket(name: str, value: float, edges: Sequence[float]) -> Features:
    """A numeric value as one-hot buckets (`name<=edge`), so a linear model can bend."""
    for edge in edges:
        if value <= edge:
            return {f"{name}<={edge:g}": 1.0}
    return {f"{name}>{edges[-1]:g}": 1.0}
