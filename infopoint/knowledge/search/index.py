"""Keeping the index in step with the articles: called by the services, never by signals."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction

from .. import text
from .backends import lexical_backend
from .semantic import passage_key, passage_vectors, passages, to_bytes

if TYPE_CHECKING:
    from ..models import Article, ArticleTranslation, SearchEntry

MAX_TERM_LENGTH = 64


def _terms(value: str, language: str) -> str:
    keys = (key[:MAX_TERM_LENGTH] for key in text.lemma_keys(value, language))
    return " ".join(key for key in keys if key)


def _body_text(body: str) -> str:
    """The words of a Markdown body: link targets and bare addresses are not words of it."""
    body = re.sub(r"\]\([^)]*\)", "] ", body)  # link targets
    return re.sub(r"https?://\S+", " ", body)


def entry_fields(translation: ArticleTranslation) -> dict[str, str]:
    language = translation.language
    return {
        "title_terms": _terms(translation.title, language),
        "summary_terms": _terms(translation.summary, language),
        "body_terms": _terms(_body_text(translation.body), language),
    }


def _entry_terms(entry: SearchEntry) -> set[str]:
    return set(f"{entry.title_terms} {entry.summary_terms} {entry.body_terms}".split())


def _terms_count(delta: Counter[str]) -> None:
    from ..models import SearchTerm

    delta = Counter({term: count for term, count in delta.items() if count})
    if not delta:
        return
    backend = lexical_backend()
    existing = {row.term: row for row in SearchTerm.objects.filter(term__in=list(delta))}
    changed: list[SearchTerm] = []
    gone: list[SearchTerm] = []
    for term, row in existing.items():
        row.entries = max(row.entries + delta[term], 0)
        (changed if row.entries else gone).append(row)
    if changed:
        SearchTerm.objects.bulk_update(changed, ["entries"], batch_size=500)
    if gone:
        backend.terms_deleted([row.pk for row in gone])
        SearchTerm.objects.filter(pk__in=[row.pk for row in gone]).delete()
    new = [
        SearchTerm(term=term, entries=count)
        for term, count in delta.items()
        if term not in existing and count > 0
    ]
    if new:
        SearchTerm.objects.bulk_create(new, batch_size=500)
        created = SearchTerm.objects.filter(term__in=[row.term for row in new])
        backend.terms_added(list(created.values_list("pk", "term")))


@transaction.atomic
def index_update(article: Article) -> int:
    """Indexes the published translations of ``article`` and forgets everything else of it.

    Lemma keys are recomputed; an embedding only when its text changed. Returns the number
    of entries written.
    """
    return index_update_many([article])


@transaction.atomic
def index_update_many(articles: Iterable[Article]) -> int:
    from ..models import ArticleStatus, ArticleTranslation, SearchEntry

    articles = list(articles)
    backend = lexical_backend()
    ids = [article.pk for article in articles]
    published = {article.pk for article in articles if article.status == ArticleStatus.PUBLISHED}
    translations = list(
        ArticleTranslation.objects.filter(article_id__in=published).order_by("article_id", "pk")
    )
    old = {entry.translation_id: entry for entry in SearchEntry.objects.filter(article_id__in=ids)}
    delta: Counter[str] = Counter()
    keep: set[int] = set()
    writes: list[SearchEntry] = []
    to_embed: list[tuple[SearchEntry, list[str]]] = []
    for translation in translations:
        fields = entry_fields(translation)
        texts = passages(translation.title, translation.summary, translation.body)
        key = passage_key("\n\n".join(texts))
        entry = old.get(translation.pk)
        if entry is None:
            entry = SearchEntry(
                translation=translation, article_id=translation.article_id, embedding_key=""
            )
        else:
            keep.add(entry.pk)
            delta.subtract(_entry_terms(entry))
        unchanged = (
            entry.pk is not None
            and entry.language == translation.language
            and all(getattr(entry, name) == value for name, value in fields.items())
            and entry.embedding_key == key
        )
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.language = translation.language
        delta.update(_entry_terms(entry))
        if unchanged:
            continue
        if entry.embedding_key != key or entry.embedding is None:
            to_embed.append((entry, texts))
            entry.embedding_key = key
        writes.append(entry)
    if to_embed:
        vectors = passage_vectors([text for _entry, texts in to_embed for text in texts])
        start = 0
        for entry, texts in to_embed:
            entry.embedding = to_bytes(vectors[start : start + len(texts)])
            start += len(texts)
    stale = [entry for entry in old.values() if entry.pk not in keep]
    for entry in stale:
        delta.subtract(_entry_terms(entry))
    if stale:
        backend.entries_delete([entry.pk for entry in stale])
        SearchEntry.objects.filter(pk__in=[entry.pk for entry in stale]).delete()
    for entry in writes:
        entry.save()
    backend.articles_prune(ids, keep={entry.pk for entry in writes} | keep)
    backend.entries_write(
        [
            (entry.pk, entry.article_id, entry.title_terms, entry.summary_terms, entry.body_terms)
            for entry in writes
        ]
    )
    _terms_count(delta)
    if writes or stale:
        from .engine import invalidate

        transaction.on_commit(invalidate)
        invalidate()
    return len(writes)


@transaction.atomic
def index_rebuild() -> int:
    """Builds the whole index again from the articles (after an upgrade of the analysis)."""
    from ..models import Article, SearchEntry, SearchTerm

    backend = lexical_backend()
    backend.clear()
    SearchEntry.objects.all().delete()
    SearchTerm.objects.all().delete()
    written = 0
    articles = list(Article.objects.all())
    for start in range(0, len(articles), 200):
        written += index_update_many(articles[start : start + 200])
    return written
