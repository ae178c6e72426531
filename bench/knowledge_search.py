"""Knowledge search and triage latency, and a web worker's memory, with 2,000 articles × 4.

Loads the default content (42 real articles) into a throw-away SQLite database (or the
PostgreSQL one of BENCH_POSTGRES_URL with --postgres), then adds synthetic articles made
from the real ones until there are ARTICLES articles, each in four languages: every synthetic
translation is two real translations of that language run together (paragraphs of one, then
of another) with a unique word, indexed by the real code path for text (lemmas, FTS or
tsvector, vocabulary). Their embeddings are the two real articles' passage vectors with a
little noise: embedding 30,000 passages on two cores would take about an hour and the
latency of a search does not depend on the vectors' values, only on their number.

Then asks every question of the evaluation set (shuffled) through ``search()`` (what the
search page and the suggestions call: lemmas, typo look-up, FTS, one embedding, the matrix
product, reading the hits and their snippets) and ``triage()`` (search plus the topic
classifier and the referral rules), after a warm-up, and prints p50/p95/max per call and the
process's resident memory (VmRSS, and its peak VmHWM) with everything loaded: Django, the
four lemma dictionaries, the e5 model, the embedding matrix and the classifier.

    .venv/bin/python bench/knowledge_search.py [--articles 2000] [--questions 496] [--postgres]
"""

from __future__ import annotations

import argparse
import contextlib
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    data_dir,
    django_start,
    environment,
    machine,
    median,
    percentile,
    postgres_database,
    sqlite_url,
    table,
)

SEED = 2026
BATCH = 100
NOISE = 0.03


def memory() -> dict[str, int]:
    """VmRSS and VmHWM of this process, in MB."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            name, _colon, rest = line.partition(":")
            if name in {"VmRSS", "VmHWM"}:
                values[name] = int(rest.split()[0]) // 1024
    return values


def synthetic_articles_add(target: int) -> int:
    """Adds synthetic published articles until there are ``target``; returns how many."""
    import numpy as np
    from django.db import transaction
    from django.utils import timezone

    from infopoint.knowledge.models import (
        Article,
        ArticleStatus,
        ArticleTranslation,
        SearchEntry,
    )
    from infopoint.knowledge.search import engine
    from infopoint.knowledge.search.backends import lexical_backend
    from infopoint.knowledge.search.index import _entry_terms, _terms_count, entry_fields
    from infopoint.knowledge.search.semantic import from_bytes, to_bytes

    rng = random.Random(SEED)
    noise = np.random.default_rng(SEED)
    real = list(Article.objects.filter(status=ArticleStatus.PUBLISHED).select_related("topic"))
    texts = {
        (row.article_id, row.language): row
        for row in ArticleTranslation.objects.filter(article__in=real)
    }
    vectors = {
        (entry.article_id, entry.language): np.atleast_2d(from_bytes(entry.embedding))
        for entry in SearchEntry.objects.filter(article__in=real)
    }
    languages = sorted({language for _article, language in texts})
    missing = target - len(real)
    backend = lexical_backend()
    today = timezone.localdate()
    added = 0
    while added < missing:
        count = min(BATCH, missing - added)
        with transaction.atomic():
            articles, pairs = [], []
            for number in range(added, added + count):
                first, second = rng.sample(real, 2)
                pairs.append((first, second))
                articles.append(
                    Article(
                        slug=f"{first.slug}-synthetic-{number}",
                        topic=first.topic,
                        status=ArticleStatus.PUBLISHED,
                        reviewed_on=today,
                        published_at=timezone.now(),
                    )
                )
            Article.objects.bulk_create(articles)
            articles = list(Article.objects.filter(slug__in=[a.slug for a in articles]))
            by_slug = {article.slug: article for article in articles}
            translations = []
            for number, (first, second) in zip(range(added, added + count), pairs, strict=True):
                article = by_slug[f"{first.slug}-synthetic-{number}"]
                for language in languages:
                    one, other = texts.get((first.pk, language)), texts.get((second.pk, language))
                    if one is None or other is None:
                        continue
                    translations.append(
                        ArticleTranslation(
                            article=article,
                            language=language,
                            title=f"{one.title} ({number})",
                            summary=one.summary,
                            body=f"{one.body}\n\n{other.body}\n\nsynthetic{number}",
                        )
                    )
            ArticleTranslation.objects.bulk_create(translations)
            rows = ArticleTranslation.objects.filter(article__in=articles).select_related("article")
            entries = []
            origin = {
                by_slug[f"{first.slug}-synthetic-{number}"].pk: (first.pk, second.pk)
                for number, (first, second) in zip(range(added, added + count), pairs, strict=True)
            }
            for row in rows:
                first_pk, second_pk = origin[row.article_id]
                block = np.vstack(
                    [vectors[(first_pk, row.language)], vectors[(second_pk, row.language)][1:]]
                )
                block = block + noise.normal(0, NOISE, block.shape).astype(np.float32)
                block /= np.linalg.norm(block, axis=1, keepdims=True)
                entries.append(
                    SearchEntry(
                        translation=row,
                        article_id=row.article_id,
                        language=row.language,
                        embedding=to_bytes(block[:6]),
                        embedding_key="synthetic",
                        **entry_fields(row),
                    )
                )
            SearchEntry.objects.bulk_create(entries)
            saved = list(SearchEntry.objects.filter(article__in=articles))
            backend.entries_write(
                [
                    (
                        entry.pk,
                        entry.article_id,
                        entry.title_terms,
                        entry.summary_terms,
                        entry.body_terms,
                    )
                    for entry in saved
                ]
            )
            from collections import Counter

            delta: Counter[str] = Counter()
            for entry in saved:
                delta.update(_entry_terms(entry))
            _terms_count(delta)
        added += count
        print(f"  {len(real) + added} articles", end="\r", flush=True)
    engine.invalidate()
    return added


def load_average() -> str:
    """The machine's 1-minute load average (uptime's first figure)."""
    with open("/proc/loadavg", encoding="ascii") as handle:
        return handle.read().split()[0]


def timed(function: Any, texts: list[str]) -> list[float]:
    times = []
    for text in texts:
        started = time.perf_counter()
        function(text)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--questions", type=int, default=496)
    parser.add_argument("--postgres", action="store_true")
    arguments = parser.parse_args()

    with contextlib.ExitStack() as stack:
        folder = stack.enter_context(data_dir())
        url = (
            stack.enter_context(postgres_database("infopoint_bench_knowledge"))
            if arguments.postgres
            else sqlite_url(folder)
        )
        started = time.monotonic()
        django_start(environment(database_url=url, folder=folder))
        loaded = time.monotonic() - started
        from django.db import connection

        from infopoint.knowledge.evaluation.measure import questions_load
        from infopoint.knowledge.models import Article, SearchEntry
        from infopoint.knowledge.search import rank, search
        from infopoint.knowledge.search.engine import matrix
        from infopoint.knowledge.triage import triage

        started = time.monotonic()
        synthetic_articles_add(arguments.articles)
        built = time.monotonic() - started
        # Trained as the Celery worker does it, in another process: the web worker measured
        # here only loads the deployed classifier.
        trained = subprocess.run(
            [sys.executable, "manage.py", "knowledge_train"],
            cwd=Path(__file__).resolve().parent.parent,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        index = matrix()
        questions = [question.text for question in questions_load()]
        random.Random(SEED).shuffle(questions)
        questions = questions[: arguments.questions]
        timed(lambda text: search(text, language="uk"), questions[:20])  # warm-up
        timed(triage, questions[:20])
        # Other work on the machine slows every figure: the load is printed with them.
        load_before = load_average()
        search_times = timed(lambda text: search(text, language="uk"), questions)
        rank_times = timed(lambda text: rank(text), questions)
        triage_times = timed(triage, questions)
        rss = memory()
        load_after = load_average()

        table(
            "Knowledge search and triage",
            ["figure", "value"],
            [
                *machine(connection.vendor),
                ("articles × languages", f"{Article.objects.count()} × 4"),
                ("indexed translations", SearchEntry.objects.count()),
                ("passage vectors in memory", len(index.vectors)),
                ("default content loaded", f"{loaded:.0f} s"),
                ("synthetic articles indexed", f"{built:.0f} s"),
                ("topic classifier (trained in another process)", trained),
                ("questions asked", len(questions)),
                ("search() p50 / p95 / max", _line(search_times)),
                ("of which ranking (rank()) p50 / p95 / max", _line(rank_times)),
                ("triage() p50 / p95 / max", _line(triage_times)),
                ("load average (1 min) before / after timing", f"{load_before} / {load_after}"),
                ("resident memory (VmRSS)", f"{rss['VmRSS']} MB"),
                ("peak resident memory (VmHWM)", f"{rss['VmHWM']} MB"),
            ],
        )


def _line(times: list[float]) -> str:
    return f"{median(times):.1f} / {percentile(times, 0.95):.1f} / {max(times):.1f} ms"


if __name__ == "__main__":
    main()
