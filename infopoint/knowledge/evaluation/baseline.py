"""The plain baseline the engine is compared with: Okapi BM25 over unlemmatised words.

Each published translation is one document (title, summary and body); words are only
case-folded (no lemmas, no transliteration, no typo handling, no embeddings). An article
scores as its best translation. Topic and referral follow from the best article.
"""

from __future__ import annotations

import math
from collections import Counter

from ..models import ArticleStatus, ArticleTranslation
from ..text import tokenise


class BM25:
    def __init__(self, documents: list[list[str]], k1: float = 1.5, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.frequencies = [Counter(document) for document in documents]
        self.lengths = [len(document) for document in documents]
        self.average = (sum(self.lengths) / len(documents)) if documents else 0.0
        frequency: Counter[str] = Counter()
        for counts in self.frequencies:
            frequency.update(counts.keys())
        total = len(documents)
        self.idf = {
            term: math.log(1 + (total - count + 0.5) / (count + 0.5))
            for term, count in frequency.items()
        }

    def scores(self, query: list[str]) -> list[float]:
        out = []
        for counts, length in zip(self.frequencies, self.lengths, strict=True):
            score = 0.0
            for term in query:
                tf = counts.get(term)
                if tf:
                    norm = tf + self.k1 * (1 - self.b + self.b * length / (self.average or 1))
                    score += self.idf[term] * tf * (self.k1 + 1) / norm
            out.append(score)
        return out


class BaselineSearch:
    """BM25 over the published translations, built once from the database."""

    def __init__(self) -> None:
        rows = list(
            ArticleTranslation.objects.filter(article__status=ArticleStatus.PUBLISHED)
            .select_related("article__topic")
            .order_by("pk")
        )
        self.articles = [(row.article.slug, row.article.topic.slug) for row in rows]
        self.index = BM25([tokenise(f"{row.title} {row.summary} {row.body}") for row in rows])

    def rank(self, query: str, limit: int = 10) -> list[tuple[str, str, float]]:
        """(slug, topic, score) of the best articles, best first."""
        best: dict[str, tuple[str, float]] = {}
        for (slug, topic), score in zip(
            self.articles, self.index.scores(tokenise(query)), strict=True
        ):
            if score > 0 and score > best.get(slug, ("", 0.0))[1]:
                best[slug] = (topic, score)
        ordered = sorted(best.items(), key=lambda item: -item[1][1])[:limit]
        return [(slug, topic, score) for slug, (topic, score) in ordered]
