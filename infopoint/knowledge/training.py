"""Training the topic classifier of triage, and deploying it only when it is better.

Examples: every passage vector of the index (labelled with its article's topic: no model time,
the vectors are already there), every ``TriageExample`` (questions whose topic a consultant
set) and the dev split of the evaluation set (labelled questions written like real ones).
Model: softmax regression on e5 embeddings, fitted in numpy.

Deploying: the candidate's topic accuracy, as triage uses it (search vote + classifier), is
measured on the dev split by 5-fold cross-validation (each fold's questions left out of its
training), and the candidate is deployed only when it beats the deployed model's score (or,
before any, the centroid classifier's). The same folds calibrate the referral threshold saved
with the model. The held-out split is never read here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from .models import TriageExample, TriageModel
from .search.engine import matrix, rank
from .search.semantic import EMBEDDING_DIM, example_vectors

FOLDS = 5
L2 = 1e-4
MAX_ARTICLE_EXAMPLES = 1500
# The targets for referrals, which the calibrated threshold balances on dev.
REFERRAL_PRECISION_TARGET = 0.9
REFERRAL_RECALL_TARGET = 0.95
# Thresholds tried: how strongly the referred topics must beat the best other topic.
REFERRAL_THRESHOLDS = (0.25, 0.33, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 2.0, 3.0)


@dataclass
class RetrainResult:
    deployed: bool
    candidate_score: float
    current_score: float
    examples: int
    model: TriageModel | None
    referral: ReferralCalibration | None = None


def softmax_regression(
    features: np.ndarray, labels: np.ndarray, classes: int, *, l2: float = L2, steps: int = 400
) -> tuple[np.ndarray, np.ndarray]:
    """Weights (dim × classes) and bias minimising cross-entropy + l2, by Adam."""
    rows, dim = features.shape
    weights = np.zeros((dim, classes), dtype=np.float64)
    bias = np.zeros(classes, dtype=np.float64)
    onehot = np.eye(classes)[labels]
    # Classes with few examples count as much as the others.
    counts = np.bincount(labels, minlength=classes).astype(np.float64)
    sample_weight = (rows / (classes * np.maximum(counts, 1)))[labels][:, None]
    moments = [np.zeros_like(weights), np.zeros_like(bias)]
    velocities = [np.zeros_like(weights), np.zeros_like(bias)]
    rate, beta1, beta2 = 0.05, 0.9, 0.999
    for step in range(1, steps + 1):
        logits = features @ weights + bias
        logits -= logits.max(axis=1, keepdims=True)
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        error = (probabilities - onehot) * sample_weight / rows
        gradients = [features.T @ error + l2 * weights, error.sum(axis=0)]
        for index, (parameter, gradient) in enumerate(zip((weights, bias), gradients, strict=True)):
            moments[index] = beta1 * moments[index] + (1 - beta1) * gradient
            velocities[index] = beta2 * velocities[index] + (1 - beta2) * gradient**2
            corrected = moments[index] / (1 - beta1**step)
            scale = np.sqrt(velocities[index] / (1 - beta2**step)) + 1e-8
            parameter -= rate * corrected / scale
    return weights.astype(np.float32), bias.astype(np.float32)


def probabilities(features: np.ndarray, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    logits = features @ weights + bias
    logits = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(logits)
    return exp / exp.sum(axis=-1, keepdims=True)


def article_examples() -> tuple[np.ndarray, list[str]]:
    """The index's passage vectors, each labelled with its article's topic (at most
    MAX_ARTICLE_EXAMPLES per topic, spread evenly, so training time stays bounded)."""
    index = matrix()
    labels = [index.articles[int(index.article_ids[row])][1] for row in index.vector_entry]
    by_topic: dict[str, list[int]] = {}
    for position, label in enumerate(labels):
        by_topic.setdefault(label, []).append(position)
    chosen: list[int] = []
    for positions in by_topic.values():
        step = max(1, len(positions) // MAX_ARTICLE_EXAMPLES)
        chosen.extend(positions[::step][:MAX_ARTICLE_EXAMPLES])
    chosen.sort()
    return index.vectors[chosen], [labels[position] for position in chosen]


def question_examples() -> tuple[list[str], list[str]]:
    """Labelled questions: consultants' corrections."""
    rows = TriageExample.objects.values_list("text", "topic__slug")
    return [text for text, _topic in rows], [topic for _text, topic in rows]


@dataclass
class _DevSet:
    vectors: np.ndarray
    topics: list[str]
    votes: list[dict[str, float]]
    # Each question's best article per topic (for article referral rules) and its referral.
    articles: list[dict[str, str]]
    referrals: list[str | None]


def dev_set() -> _DevSet:
    """The dev questions with their embeddings and the search vote of each (computed once)."""
    from .evaluation.measure import questions_load
    from .language import guess_language
    from .triage import best_articles, search_vote

    questions = questions_load(split="dev")
    vectors = example_vectors([question.text for question in questions])
    votes, articles = [], []
    for question, vector in zip(questions, vectors, strict=True):
        ranking = rank(
            question.text, language=guess_language(question.text), vector=vector, limit=10
        )
        votes.append(search_vote(ranking))
        articles.append(best_articles(ranking))
    return _DevSet(
        vectors,
        [question.topic for question in questions],
        votes,
        articles,
        [question.referral for question in questions],
    )


def _scores(dev: _DevSet, topics: list[str], rows: np.ndarray, chances: np.ndarray) -> list:
    from .triage import combine

    return [
        combine(dev.votes[row], dict(zip(topics, chances[position], strict=True)))
        for position, row in enumerate(rows)
    ]


def _accuracy(dev: _DevSet, topics: list[str], rows: np.ndarray, chances: np.ndarray) -> float:
    right = 0
    for row, scores in zip(rows, _scores(dev, topics, rows, chances), strict=True):
        right += bool(scores) and max(scores, key=lambda t: (scores[t], t)) == dev.topics[row]
    return right / max(len(rows), 1)


@dataclass(frozen=True)
class ReferralCalibration:
    threshold: float
    precision: float
    recall: float


def referral_threshold_fit(
    evidence: list[tuple[str | None, float]], expected: list[str | None]
) -> ReferralCalibration:
    """The referral threshold for cross-validated dev questions' evidence.

    The threshold that keeps both figures closest to their targets: the best of the smaller of
    precision / REFERRAL_PRECISION_TARGET and recall / REFERRAL_RECALL_TARGET; ties go to the
    better recall (a missed referral sends the person on a detour, an unneeded one only names
    an office), then the lower threshold.
    """
    from .triage import DEFAULT_REFERRAL_THRESHOLD, referral_decide

    wanted = sum(want is not None for want in expected)
    if not wanted:
        return ReferralCalibration(DEFAULT_REFERRAL_THRESHOLD, 0.0, 0.0)
    candidates = []
    for threshold in REFERRAL_THRESHOLDS:
        decided = [referral_decide(row, threshold) for row in evidence]
        pairs = zip(decided, expected, strict=True)
        right = sum(got is not None and got == want for got, want in pairs)
        precision = right / max(sum(got is not None for got in decided), 1)
        candidates.append(ReferralCalibration(threshold, precision, right / wanted))

    def balance(item: ReferralCalibration) -> float:
        return round(
            min(item.precision / REFERRAL_PRECISION_TARGET, item.recall / REFERRAL_RECALL_TARGET),
            6,
        )

    return max(candidates, key=lambda item: (balance(item), item.recall, -item.threshold))


def _fit(features: np.ndarray, labels: list[str], topics: list[str]) -> tuple[np.ndarray, ...]:
    index = {topic: position for position, topic in enumerate(topics)}
    return softmax_regression(features, np.array([index[label] for label in labels]), len(topics))


@dataclass
class Trained:
    topics: list[str]
    weights: np.ndarray
    bias: np.ndarray
    examples: int
    # Topic accuracy of triage on dev by cross-validation, and the referral threshold
    # calibrated on the same held-out folds (with its precision and recall there).
    score: float
    referral: ReferralCalibration

    @property
    def referral_threshold(self) -> float:
        return self.referral.threshold


def model_train(dev: _DevSet | None = None) -> Trained:
    """Trains on everything; scores and calibrates by 5-fold cross-validation on dev."""
    from .triage import (
        DEFAULT_REFERRAL_THRESHOLD,
        REFERRAL_VOTE_WEIGHT,
        combine,
        referral_evidence,
    )

    article_vectors, article_labels = article_examples()
    texts, question_labels = question_examples()
    question_vectors = (
        example_vectors(texts) if texts else np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    )
    dev = dev or dev_set()
    base = np.vstack([article_vectors, question_vectors])
    base_labels = article_labels + question_labels
    topics = sorted(set(base_labels) | set(dev.topics))
    if len(topics) < 2 or not len(base):
        return Trained(
            topics,
            np.zeros((EMBEDDING_DIM, len(topics)), dtype=np.float32),
            np.zeros(len(topics), dtype=np.float32),
            0,
            0.0,
            ReferralCalibration(DEFAULT_REFERRAL_THRESHOLD, 0.0, 0.0),
        )
    score = 0.0
    evidence: list[tuple[str | None, float]] = [(None, 0.0) for _topic in dev.topics]
    if len(dev.topics) >= FOLDS:
        folds = np.arange(len(dev.topics)) % FOLDS
        right = 0.0
        for fold in range(FOLDS):
            train = np.flatnonzero(folds != fold)
            held = np.flatnonzero(folds == fold)
            weights, bias = _fit(
                np.vstack([base, dev.vectors[train]]),
                base_labels + [dev.topics[row] for row in train],
                topics,
            )
            chances = probabilities(dev.vectors[held], weights, bias)
            right += _accuracy(dev, topics, held, chances) * len(held)
            for position, row in enumerate(held):
                scores = combine(
                    dev.votes[row],
                    dict(zip(topics, chances[position], strict=True)),
                    REFERRAL_VOTE_WEIGHT,
                )
                evidence[row] = referral_evidence(scores, dev.articles[row])
        score = right / len(dev.topics)
    referral = referral_threshold_fit(evidence, dev.referrals)
    weights, bias = _fit(np.vstack([base, dev.vectors]), base_labels + dev.topics, topics)
    return Trained(topics, weights, bias, len(base_labels) + len(dev.topics), score, referral)


def centroid_score(dev: _DevSet) -> float:
    from .triage import centroid_classifier

    classifier = centroid_classifier()
    if not classifier.topics:
        return 0.0
    chances = np.vstack([classifier.probabilities(vector) for vector in dev.vectors])
    return _accuracy(dev, classifier.topics, np.arange(len(dev.topics)), chances)


def model_dump(weights: np.ndarray, bias: np.ndarray, referral_threshold: float) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, weights=weights, bias=bias, referral_threshold=np.float32(referral_threshold))
    return buffer.getvalue()


def model_load(model: TriageModel) -> tuple[list[str], np.ndarray, np.ndarray, float]:
    """Topics, weights, bias and referral threshold (models saved before it: the default)."""
    from .triage import DEFAULT_REFERRAL_THRESHOLD

    with np.load(io.BytesIO(bytes(model.parameters)), allow_pickle=False) as data:
        threshold = (
            float(data["referral_threshold"])
            if "referral_threshold" in data.files
            else DEFAULT_REFERRAL_THRESHOLD
        )
        return list(model.topics), data["weights"], data["bias"], threshold


def triage_retrain() -> RetrainResult:
    """Trains a candidate classifier and deploys it only if it beats the one in use on dev."""
    from . import triage

    dev = dev_set()
    trained = model_train(dev)
    current = TriageModel.objects.filter(deployed=True).first()
    current_score = current.score if current is not None else centroid_score(dev)
    better = trained.examples > 0 and trained.score > current_score
    with transaction.atomic():
        if better:
            TriageModel.objects.filter(deployed=True).update(deployed=False)
        candidate = TriageModel.objects.create(
            parameters=model_dump(trained.weights, trained.bias, trained.referral_threshold),
            topics=trained.topics,
            examples=trained.examples,
            score=trained.score,
            deployed=better,
        )
    triage.invalidate()
    return RetrainResult(
        better, trained.score, current_score, trained.examples, candidate, trained.referral
    )
