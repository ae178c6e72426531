"""Hybrid search: lemma-key full text (one backend per database) plus e5 embeddings.

An article's score is ``lexical_weight × lexical + semantic_weight × semantic`` where
lexical is its best translation's full-text score divided by the best score of the question,
and semantic its best translation's cosine rescaled from [floor, 1] to [0, 1]. The weights
and floor are tuned on the dev split of the evaluation set only (``KNOWLEDGE_*`` settings).
An article in any language may answer: the text shown is the visitor's language when it has
one, otherwise the next fallback, marked, with the languages it is available in.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count, Max

from .. import text
from ..language import detect_language
from .backends import lexical_backend
from .semantic import EMBEDDING_DIM, from_bytes, query_vector

# Characters of a question read at all; the rest of a 100 KB paste is ignored.
MAX_QUERY_CHARACTERS = 4000
# Lexical candidates fetched from the database and semantic candidates kept per question.
LEXICAL_CANDIDATES = 100
SEMANTIC_CANDIDATES = 50
# A word in more than this share of entries says nothing about any of them ("jak", "the").
COMMON_TERM_SHARE = 0.3
# Typo look-up: only for words of at least this many letters, this many per question.
MIN_TYPO_LENGTH = 4
MAX_TYPO_WORDS = 6
# A word of the question that no article has counts this much of a rare word's weight.
UNKNOWN_WORD_WEIGHT = 0.5
# A result scoring below this share of the best is the crowd around the answer, not another
# answer: to e5 every text is somewhat like every question, so every article passes an
# absolute minimum alone (the API listed all 42 for "PESEL").
RELATIVE_RELEVANCE = 0.8
# Seconds a process trusts its in-memory embedding matrix before asking the database
# whether another process changed the index.
INDEX_CHECK_SECONDS = 2.0


class Mode:
    HYBRID = "hybrid"
    LEXICAL = "lexical"
    SEMANTIC = "semantic"


@dataclass
class Scored:
    """An article's scores for one question, before anything is read for display."""

    article_id: int
    score: float
    lexical: float
    semantic: float
    best_language: str


@dataclass
class Ranking:
    query: str
    language: str | None
    keys: list[str]
    vector: np.ndarray
    scored: list[Scored]


@dataclass
class ArticleHit:
    article_id: int
    slug: str
    topic_slug: str
    score: float
    lexical: float
    semantic: float
    language: str
    languages: list[str]
    title: str
    summary: str
    snippet: Any
    is_fallback: bool
    article: Any = None


@dataclass
class SearchResults:
    query: str
    hits: list[ArticleHit] = field(default_factory=list)
    truncated: bool = False
    detected_language: str | None = None


# The embedding matrix of every indexed translation, per process ----------------------


@dataclass
class _Matrix:
    version: tuple[Any, ...]
    entry_ids: np.ndarray
    article_ids: np.ndarray
    languages: list[str]
    vectors: np.ndarray
    vector_entry: np.ndarray
    row_of_entry: dict[int, int]
    checked_at: float
    # Article id → (slug, topic slug), and the languages each article is indexed in.
    articles: dict[int, tuple[str, str]]
    article_languages: dict[int, list[str]]


_matrix: _Matrix | None = None
_matrix_lock = threading.Lock()


def invalidate() -> None:
    """Forgets this process's matrix: the next search reads the index again."""
    global _matrix
    _matrix = None


def _version() -> tuple[Any, ...]:
    from ..models import SearchEntry

    stats = SearchEntry.objects.aggregate(count=Count("id"), last=Max("id"), at=Max("updated_at"))
    return (stats["count"], stats["last"], stats["at"])


def matrix() -> _Matrix:
    global _matrix
    current = _matrix
    now = time.monotonic()
    if current is not None and now - current.checked_at < INDEX_CHECK_SECONDS:
        return current
    version = _version()
    if current is not None and current.version == version:
        current.checked_at = now
        return current
    with _matrix_lock:
        from ..models import Article, SearchEntry

        rows = list(
            SearchEntry.objects.order_by("id").values_list(
                "id", "article_id", "language", "embedding"
            )
        )
        blocks = [
            np.atleast_2d(from_bytes(row[3]))
            if row[3] is not None
            else np.zeros((0, EMBEDDING_DIM))
            for row in rows
        ]
        counts = [len(block) for block in blocks]
        vectors = (
            np.vstack(blocks).astype(np.float32)
            if blocks and sum(counts)
            else np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        )
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors /= np.where(norms == 0, 1.0, norms)
        entry_ids = np.array([row[0] for row in rows], dtype=np.int64)
        # Each vector's row in ``vectors`` belongs to one entry: its index in ``rows``.
        vector_entry = np.repeat(np.arange(len(rows)), counts)
        article_languages: dict[int, list[str]] = {}
        for row in rows:
            article_languages.setdefault(row[1], []).append(row[2])
        articles = {
            pk: (slug, topic)
            for pk, slug, topic in Article.objects.filter(pk__in=article_languages).values_list(
                "pk", "slug", "topic__slug"
            )
        }
        _matrix = _Matrix(
            version=version,
            entry_ids=entry_ids,
            article_ids=np.array([row[1] for row in rows], dtype=np.int64),
            languages=[row[2] for row in rows],
            vectors=vectors,
            vector_entry=vector_entry,
            row_of_entry={int(entry_id): index for index, entry_id in enumerate(entry_ids)},
            checked_at=now,
            articles=articles,
            article_languages={pk: sorted(codes) for pk, codes in article_languages.items()},
        )
        return _matrix


# Lexical --------------------------------------------------------------------------------


def _damerau_levenshtein(a: str, b: str, limit: int) -> int:
    """Edit distance with transpositions, giving up (returning limit + 1) past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = char_a != char_b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


@dataclass
class QueryTerms:
    """A question's words as groups of term keys (a word's alternatives), each with its IDF."""

    groups: list[set[str]]
    weights: list[float]
    # The weight of the question's words that no indexed text has.
    missing: float = 0.0

    @property
    def keys(self) -> list[str]:
        return sorted(set().union(*self.groups)) if self.groups else []

    def coverage(self, terms: str) -> float:
        """The IDF-weighted share of the question's words found in ``terms``.

        ``terms`` is an entry's term keys separated by single spaces, with a space at each end:
        looking a dozen keys up in the string costs less than splitting it into a set.
        """
        total = sum(self.weights) + self.missing
        if not total:
            return 0.0
        found = sum(
            weight
            for group, weight in zip(self.groups, self.weights, strict=True)
            if any(f" {key} " in terms for key in group)
        )
        return found / total


def query_terms(query: str, language: str | None) -> QueryTerms:
    """The term keys to look a question up by: known lemmas, typos corrected, no stop words."""
    from ..models import SearchTerm

    alternatives = text.query_term_alternatives(query, language)
    if not alternatives:
        return QueryTerms([], [], 0.0)
    every = set().union(*alternatives)
    known = dict(SearchTerm.objects.filter(term__in=list(every)).values_list("term", "entries"))
    backend = lexical_backend()
    total = max(len(matrix().entry_ids), 1)
    groups: list[set[str]] = []
    unknown = 0
    typo_lookups = 0
    for keys in alternatives:
        found = {key for key in keys if known.get(key)}
        longest = max(keys, key=len)
        if (
            not found
            and typo_lookups < MAX_TYPO_WORDS
            and len(longest) >= MIN_TYPO_LENGTH
            and not longest.isdigit()
        ):
            typo_lookups += 1
            found = _corrections(backend, keys, known)
        if found:
            groups.append(found)
        elif len(longest) >= MIN_TYPO_LENGTH:
            # A word no article has: the question asks something the index cannot match.
            unknown += 1
    informative = [
        group
        for group in groups
        if min(known.get(key, 0) for key in group) <= COMMON_TERM_SHARE * total
    ]
    chosen = informative or groups
    weights = [
        math.log(1 + total / max(min(known.get(key, 1) for key in group), 1)) for group in chosen
    ]
    return QueryTerms(chosen, weights, unknown * UNKNOWN_WORD_WEIGHT * math.log(1 + total))


def query_keys(query: str, language: str | None) -> list[str]:
    return query_terms(query, language).keys


def _entry_terms(entry_ids: list[int]) -> dict[int, str]:
    """Each entry's term keys as one string, spaces around each (see QueryTerms.coverage)."""
    from ..models import SearchEntry

    rows = SearchEntry.objects.filter(pk__in=entry_ids).values_list(
        "pk", "title_terms", "summary_terms", "body_terms"
    )
    return {pk: f" {title} {summary} {body} " for pk, title, summary, body in rows}


def _corrections(backend: Any, keys: set[str], known: dict[str, int]) -> set[str]:
    best: dict[str, tuple[int, int]] = {}
    for key in keys:
        if len(key) < MIN_TYPO_LENGTH:
            continue
        limit = 1 if len(key) <= 6 else 2
        for term, entries in backend.similar_terms(key, 30):
            distance = _damerau_levenshtein(key, term, limit)
            if distance > limit and not (len(key) >= 5 and term.startswith(key)):
                continue
            rank = (min(distance, limit), -entries)
            if term not in best or rank < best[term]:
                best[term] = rank
    chosen = sorted(best, key=lambda term: best[term])[:2]
    for term in chosen:
        known[term] = -best[term][1]
    return set(chosen)


# Ranking --------------------------------------------------------------------------------


def _weights(mode: str) -> tuple[float, float]:
    lexical = float(getattr(settings, "KNOWLEDGE_LEXICAL_WEIGHT", 0.1))
    if mode == Mode.LEXICAL:
        return 1.0, 0.0
    if mode == Mode.SEMANTIC:
        return 0.0, 1.0
    return lexical, 1.0 - lexical


def rank(
    query: str,
    *,
    language: str | None = None,
    mode: str = Mode.HYBRID,
    vector: np.ndarray | None = None,
    limit: int = 20,
) -> Ranking:
    """Articles answering ``query``, best first, with their scores (nothing read for display).

    ``language`` is the question's language when known (it orders dictionary look-ups).
    """
    query = (query or "")[:MAX_QUERY_CHARACTERS]
    lexical_weight, semantic_weight = _weights(mode)
    index = matrix()
    keys: list[str] = []
    lexical_by_article: dict[int, tuple[float, str]] = {}
    if lexical_weight > 0:
        terms = query_terms(query, language)
        keys = terms.keys
        hits = lexical_backend().match(keys, LEXICAL_CANDIDATES) if keys else []
        top = max((score for _entry, score in hits), default=0.0)
        entry_terms = _entry_terms([entry_id for entry_id, _score in hits]) if hits else {}
        for entry_id, score in hits:
            row = index.row_of_entry.get(entry_id)
            if row is None or top <= 0:
                continue
            article_id = int(index.article_ids[row])
            # How much of the question the text holds, sharpened by its rank score.
            coverage = terms.coverage(entry_terms.get(entry_id, ""))
            normalised = coverage * math.sqrt(score / top)
            if normalised > lexical_by_article.get(article_id, (0.0, ""))[0]:
                lexical_by_article[article_id] = (normalised, index.languages[row])
    semantic_by_article: dict[int, tuple[float, str]] = {}
    if vector is None:
        vector = query_vector(query) if semantic_weight > 0 else np.zeros(EMBEDDING_DIM)
    if semantic_weight > 0 and len(index.vectors) and np.any(vector):
        floor = float(getattr(settings, "KNOWLEDGE_SEMANTIC_FLOOR", 0.7))
        cosines = index.vectors @ vector.astype(np.float32)
        count = min(SEMANTIC_CANDIDATES * 8, len(cosines))
        best_vectors = np.argpartition(-cosines, count - 1)[:count]
        for position in best_vectors:
            row = int(index.vector_entry[position])
            article_id = int(index.article_ids[row])
            scaled = max(0.0, (float(cosines[position]) - floor) / (1.0 - floor))
            if scaled > semantic_by_article.get(article_id, (-1.0, ""))[0]:
                semantic_by_article[article_id] = (scaled, index.languages[row])
    scored = []
    for article_id in set(lexical_by_article) | set(semantic_by_article):
        lexical, lexical_language = lexical_by_article.get(article_id, (0.0, ""))
        semantic, semantic_language = semantic_by_article.get(article_id, (0.0, ""))
        score = lexical_weight * lexical + semantic_weight * semantic
        if score <= 0:
            continue
        best_language = lexical_language if lexical >= semantic else semantic_language
        scored.append(Scored(article_id, score, lexical, semantic, best_language))
    scored.sort(key=lambda item: (-item.score, item.article_id))
    return Ranking(query, language, keys, vector, scored[:limit])


def search(
    query: str,
    *,
    language: str | None = None,
    limit: int = 10,
    mode: str = Mode.HYBRID,
    min_score: float | None = None,
) -> SearchResults:
    """Published articles answering ``query``, shown in ``language`` where they have it.

    A hit scores at least ``min_score`` (KNOWLEDGE_MIN_SCORE) and RELATIVE_RELEVANCE of the
    best. Never raises on odd input: empty, emoji-only or FTS syntax gives no hits or some hits.
    """
    from ..selectors import article_hits_for_display

    query = query or ""
    truncated = len(query) > MAX_QUERY_CHARACTERS
    results = SearchResults(query=query[:MAX_QUERY_CHARACTERS], truncated=truncated)
    if not text.tokenise(results.query):
        return results
    results.detected_language = detect_language(results.query)
    ranking = rank(results.query, language=results.detected_language, mode=mode, limit=limit * 2)
    threshold = (
        float(getattr(settings, "KNOWLEDGE_MIN_SCORE", 0.2)) if min_score is None else min_score
    )
    if ranking.scored:
        threshold = max(threshold, RELATIVE_RELEVANCE * ranking.scored[0].score)
    scored = [item for item in ranking.scored if item.score >= threshold][:limit]
    results.hits = article_hits_for_display(scored, language=language, keys=ranking.keys)
    return results
