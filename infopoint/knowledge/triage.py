"""Triage of a question: its language, topic, referral and the articles that answer it.

Works on plain text only; the enquiry desk stores what it returns (and the consultant's
correction, through ``services.triage_correction_record``). One question costs one embedding
(a few ms) and one search; everything else is in memory, loaded once per process.

Topic: the articles the hybrid search finds vote for their topics (weighted by score and
rank), combined with a classifier on the question's embedding: the deployed ``TriageModel``
(softmax regression trained on articles and corrected enquiries) or, before one is trained,
the nearest topic centroid of the indexed translations. Referral: each topic's score goes to
the institution its ``ReferralRule`` names (a rule for its best article overrides the topic's;
rules are data), and the question is referred when an institution's share reaches the threshold
calibrated on the dev split with the deployed model. See docs/quality.md for the figures.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings

from infopoint.core.models import fallback_order

from .language import guess_language
from .search.engine import Mode, Ranking, matrix, rank
from .search.semantic import query_vector

MAX_ARTICLES = 5
# Weight of the search vote against the classifier, and how fast the vote decays with rank
# (tuned on the dev split).
VOTE_WEIGHT = 0.2
VOTE_DECAY = 0.4
VOTE_DEPTH = 5
# How strongly the topics with a referral rule must beat the others for the question to be
# referred (1: together they outscore every other topic), before a trained model brings its
# threshold calibrated on the dev split.
DEFAULT_REFERRAL_THRESHOLD = 1.0
# Weight of the search vote in the referral's evidence: which office a question belongs to
# hinges on which articles answer it as much as on the classifier (chosen on the dev split).
REFERRAL_VOTE_WEIGHT = 0.5
# Temperature of the centroid classifier's softmax (cosines lie close together).
CENTROID_TEMPERATURE = 0.02


@dataclass(frozen=True)
class Triage:
    language: str | None
    topic: str | None
    topic_confidence: float
    referral: str | None
    referral_confidence: float
    articles: list[tuple[str, str, float]] = field(default_factory=list)

    def as_json(self, id_: Any = None) -> dict[str, Any]:
        data: dict[str, Any] = {} if id_ is None else {"id": id_}
        data.update(
            {
                "language": self.language,
                "topic": self.topic,
                "topic_confidence": round(self.topic_confidence, 4),
                "referral": self.referral,
                "referral_confidence": round(self.referral_confidence, 4),
                "articles": [
                    {"slug": slug, "language": language, "score": round(score, 4)}
                    for slug, language, score in self.articles
                ],
            }
        )
        return data


# The classifier and the rules, per process ---------------------------------------------


@dataclass
class _Classifier:
    version: Any
    topics: list[str]
    # Either centroids (topics × dim) or a softmax regression (weights dim × topics, bias).
    centroids: np.ndarray | None = None
    weights: np.ndarray | None = None
    bias: np.ndarray | None = None
    referral_threshold: float = DEFAULT_REFERRAL_THRESHOLD

    def probabilities(self, vector: np.ndarray) -> np.ndarray:
        if self.weights is not None and self.bias is not None:
            logits = vector @ self.weights + self.bias
        elif self.centroids is not None and len(self.centroids):
            logits = (self.centroids @ vector) / CENTROID_TEMPERATURE
        else:
            return np.zeros(len(self.topics))
        logits = logits - logits.max()
        exp = np.exp(logits)
        return exp / exp.sum()


_classifier: _Classifier | None = None
_rules: tuple[Any, dict[tuple[str, str | None], tuple[str | None, float]]] | None = None
_lock = threading.Lock()


def invalidate() -> None:
    """Forget the classifier and rules of this process (after retraining or a rule change)."""
    global _classifier, _rules
    _classifier = None
    _rules = None


def _deployed_model_version() -> Any:
    from .models import TriageModel

    return TriageModel.objects.filter(deployed=True).values_list("pk", flat=True).first()


def classifier() -> _Classifier:
    global _classifier
    index = matrix()
    version = (id(index), _deployed_model_version())
    current = _classifier
    if current is not None and current.version == version:
        return current
    with _lock:
        from .models import TriageModel
        from .training import model_load

        deployed = TriageModel.objects.filter(deployed=True).first()
        if deployed is not None:
            topics, weights, bias, threshold = model_load(deployed)
            _classifier = _Classifier(
                version, topics, weights=weights, bias=bias, referral_threshold=threshold
            )
        else:
            _classifier = centroid_classifier(version)
        return _classifier


def centroid_classifier(version: Any = None) -> _Classifier:
    """Each topic as the mean embedding of its indexed translations."""
    index = matrix()
    by_topic: dict[str, list[int]] = {}
    for position, row in enumerate(index.vector_entry):
        meta = index.articles.get(int(index.article_ids[row]))
        if meta is not None:
            by_topic.setdefault(meta[1], []).append(position)
    topics = sorted(by_topic)
    centroids = np.zeros((len(topics), index.vectors.shape[1]), dtype=np.float32)
    for position, topic in enumerate(topics):
        centroid = index.vectors[by_topic[topic]].mean(axis=0)
        centroids[position] = centroid / (np.linalg.norm(centroid) or 1.0)
    return _Classifier(version, topics, centroids=centroids)


def referral_rules() -> dict[tuple[str, str | None], tuple[str | None, float]]:
    """(topic slug, article slug or None) → (institution slug or None, weight)."""
    global _rules
    from .models import ReferralRule

    version = (
        ReferralRule.objects.order_by("-pk").values_list("pk", flat=True).first(),
        (ReferralRule.objects.count()),
    )
    if _rules is not None and _rules[0] == version:
        return _rules[1]
    rules: dict[tuple[str, str | None], tuple[str | None, float]] = {
        (topic, article): (institution, weight)
        for topic, article, institution, weight in ReferralRule.objects.values_list(
            "topic__slug", "article__slug", "institution__slug", "weight"
        )
    }
    _rules = (version, rules)
    return rules


# Triage -----------------------------------------------------------------------------------


def search_vote(ranking: Ranking) -> dict[str, float]:
    """Each topic's share of the best articles' scores, decaying with rank (sums to 1)."""
    index = matrix()
    vote: dict[str, float] = {}
    for position, item in enumerate(ranking.scored[:VOTE_DEPTH]):
        meta = index.articles.get(item.article_id)
        if meta is not None:
            vote[meta[1]] = vote.get(meta[1], 0.0) + item.score * VOTE_DECAY**position
    total = sum(vote.values())
    return {topic: value / total for topic, value in vote.items()} if total else {}


def combine(
    vote: dict[str, float], chances: dict[str, float], weight: float = VOTE_WEIGHT
) -> dict[str, float]:
    """The topic scores: the search vote (``weight``) and the classifier's probabilities."""
    vote_weight = weight if vote else 0.0
    scores = {topic: vote_weight * value for topic, value in vote.items()}
    if chances and sum(chances.values()) > 0:
        for topic, chance in chances.items():
            scores[topic] = scores.get(topic, 0.0) + (1 - vote_weight) * float(chance)
    return scores


def topic_evidence(
    ranking: Ranking, vector: np.ndarray
) -> tuple[dict[str, float], dict[str, float]]:
    """The search vote and the classifier's probabilities, each topic's share summing to 1."""
    model = classifier()
    chances: dict[str, float] = {}
    if np.any(vector) and model.topics:
        chances = dict(zip(model.topics, model.probabilities(vector), strict=True))
    return search_vote(ranking), chances


def topic_scores(ranking: Ranking, vector: np.ndarray) -> dict[str, float]:
    """Each topic's share of the evidence: the search vote and the classifier, summing to 1."""
    return combine(*topic_evidence(ranking, vector))


def referral_for(topic: str | None, article_slug: str | None) -> tuple[str | None, float]:
    if topic is None:
        return None, 0.0
    rules = referral_rules()
    if article_slug is not None and (topic, article_slug) in rules:
        return rules[(topic, article_slug)]
    return rules.get((topic, None), (None, 1.0))


def _display_language(article_id: int, language: str | None) -> str:
    available = matrix().article_languages.get(article_id, [])
    for code in fallback_order(language):
        if code in available:
            return code
    return available[0] if available else ""


def triage(
    text: str,
    language: str | None = None,
    *,
    mode: str = Mode.HYBRID,
    depth: int = MAX_ARTICLES,
) -> Triage:
    """Language, topic, referral and up to five articles for a question, with confidences.

    ``language`` may be given when known (an e-mail's header, the form's language); otherwise
    it is detected. Never raises on odd input: an empty or emoji-only text gives no topic.
    """
    text = text or ""
    language = language or guess_language(text)
    vector = query_vector(text) if mode != Mode.LEXICAL else np.zeros(1)
    ranking = rank(
        text,
        language=language,
        mode=mode,
        vector=vector if np.any(vector) else None,
        limit=max(depth, VOTE_DEPTH),
    )
    if mode == Mode.LEXICAL:
        vector = np.zeros(1)
    vote, chances = topic_evidence(ranking, vector)
    scores = combine(vote, chances)
    if not scores:
        return Triage(language, None, 0.0, None, 0.0, [])
    topic = max(scores, key=lambda slug: (scores[slug], slug))
    index = matrix()
    top_articles = [item for item in ranking.scored if item.article_id in index.articles][:depth]
    threshold = float(getattr(settings, "KNOWLEDGE_MIN_SCORE", 0.2))
    shown = [item for item in top_articles if item.score >= threshold]
    articles = [
        (
            index.articles[item.article_id][0],
            _display_language(item.article_id, language),
            item.score,
        )
        for item in shown
    ]
    referral, referral_confidence = _referral(combine(vote, chances, REFERRAL_VOTE_WEIGHT), ranking)
    return Triage(
        language=language,
        topic=topic,
        topic_confidence=float(scores[topic]),
        referral=referral,
        referral_confidence=referral_confidence,
        articles=articles,
    )


def best_articles(ranking: Ranking) -> dict[str, str]:
    """Each topic's best-ranked article slug among the first VOTE_DEPTH results."""
    index = matrix()
    found: dict[str, str] = {}
    for item in ranking.scored[:VOTE_DEPTH]:
        meta = index.articles.get(item.article_id)
        if meta is not None:
            found.setdefault(meta[1], meta[0])
    return found


def referral_evidence(
    scores: dict[str, float], articles: dict[str, str]
) -> tuple[str | None, float]:
    """The institution the topic evidence points to most, and how strongly.

    A topic's score goes to the institution its rule names; a rule for the topic's best article
    (``articles``: topic → slug) overrides the topic's (citizenship is answered by the point).
    The strength is that institution's evidence over the best score of a topic it does not
    handle: above 1 when it beats every other topic.
    """
    routed = {topic: referral_for(topic, articles.get(topic)) for topic in scores}
    evidence: dict[str, float] = {}
    for topic, (institution, weight) in routed.items():
        if institution is not None:
            evidence[institution] = evidence.get(institution, 0.0) + scores[topic] * weight
    if not evidence:
        return None, 0.0
    institution = max(evidence, key=lambda slug: (evidence[slug], slug))
    rival = max(
        (score for topic, score in scores.items() if routed[topic][0] != institution),
        default=0.0,
    )
    return institution, evidence[institution] / rival if rival > 0 else math.inf


def referral_decide(evidence: tuple[str | None, float], threshold: float) -> str | None:
    """The institution when its strength reaches the calibrated threshold."""
    institution, strength = evidence
    return institution if institution is not None and strength >= threshold else None


def _referral(scores: dict[str, float], ranking: Ranking) -> tuple[str | None, float]:
    """The institution the question belongs to, if any, with a confidence (its share of the
    topic evidence).

    Referred when its evidence over the strongest other topic reaches the threshold calibrated
    on the dev split with the deployed model (see training.referral_threshold_fit).
    """
    articles = best_articles(ranking)
    institution = referral_decide(
        referral_evidence(scores, articles), classifier().referral_threshold
    )
    if institution is None:
        return None, 0.0
    share = sum(
        score
        for topic, score in scores.items()
        if referral_for(topic, articles.get(topic))[0] == institution
    )
    return institution, float(share)
