"""Triage of a question: its language, topic, referral and the articles that answer it.

Works on plain text only; the enquiry desk stores what it returns (and the consultant's
correction, through ``services.triage_correction_record``). One question costs one embedding
(a few ms) and one search; everything else is in memory, loaded once per process.

Topic: the articles the hybrid search finds vote for their topics (weighted by score and
rank), combined with a classifier on the question's embedding: the deployed ``TriageModel``
(softmax regression trained on articles and corrected enquiries) or, before one is trained,
the nearest topic centroid of the indexed translations. Referral: the ``ReferralRule`` of the
best article, else of the topic (rules are data). See docs/quality.md for the figures.
"""

from __future__ import annotations

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
# Score the topic of a referral rule needs, when it leads the search vote but not the topic
# scores, for the question to be referred all the same (tuned on the dev split).
REFERRAL_MIN_SCORE = 0.2
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
            topics, weights, bias = model_load(deployed)
            _classifier = _Classifier(version, topics, weights=weights, bias=bias)
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


def combine(vote: dict[str, float], chances: dict[str, float]) -> dict[str, float]:
    """The topic scores: the search vote and the classifier's probabilities, weighted."""
    vote_weight = VOTE_WEIGHT if vote else 0.0
    scores = {topic: vote_weight * value for topic, value in vote.items()}
    if chances and sum(chances.values()) > 0:
        for topic, chance in chances.items():
            scores[topic] = scores.get(topic, 0.0) + (1 - vote_weight) * float(chance)
    return scores


def topic_scores(ranking: Ranking, vector: np.ndarray) -> dict[str, float]:
    """Each topic's share of the evidence: the search vote and the classifier, summing to 1."""
    model = classifier()
    chances: dict[str, float] = {}
    if np.any(vector) and model.topics:
        chances = dict(zip(model.topics, model.probabilities(vector), strict=True))
    return combine(search_vote(ranking), chances)


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
    scores = topic_scores(ranking, vector)
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
    referral, referral_confidence = _referral(topic, scores, ranking)
    return Triage(
        language=language,
        topic=topic,
        topic_confidence=float(scores[topic]),
        referral=referral,
        referral_confidence=referral_confidence,
        articles=articles,
    )


def _referral(topic: str, scores: dict[str, float], ranking: Ranking) -> tuple[str | None, float]:
    """The institution the question belongs to, if any, with a confidence.

    A question is referred by the rule of its topic, or of a topic with a referral rule that
    leads the search vote and has at least REFERRAL_MIN_SCORE (missing a referral costs the
    person more than an unneeded one). A rule for the topic's best article overrides it.
    """
    index = matrix()
    ranked = [
        index.articles[item.article_id]
        for item in ranking.scored[:VOTE_DEPTH]
        if item.article_id in index.articles
    ]
    vote = search_vote(ranking)
    leader = max(vote, key=lambda slug: (vote[slug], slug)) if vote else None
    rules = referral_rules()
    chosen = topic
    if referral_for(topic, None)[0] is None and leader is not None and leader != topic:
        institution, _weight = referral_for(leader, None)
        if institution is not None and scores.get(leader, 0.0) >= REFERRAL_MIN_SCORE:
            chosen = leader
    best_article = next((slug for slug, article_topic in ranked if article_topic == chosen), None)
    institution, weight = referral_for(chosen, best_article)
    if institution is None and (chosen, best_article) not in rules:
        return None, float(1 - scores.get(chosen, 0.0)) if chosen != topic else 0.0
    return institution, float(scores.get(chosen, 0.0)) * weight
