"""Fixtures of the knowledge tests: a few short articles in several languages.

The embedding model is memory-mapped once per test process (``embedding_model``); article
vectors are cached by text, so each fixture article is embedded once per run.
"""

from __future__ import annotations

from datetime import date

import pytest

from infopoint.directory.defaults import directory_default_content_load
from infopoint.topics.defaults import topics_default_content_load

ARTICLES = [
    {
        "slug": "pesel-number",
        "topic_slug": "civil-registry",
        "institution_slugs": ["city-hall-registration"],
        "sources": [{"url": "https://www.gov.pl/web/gov/uzyskaj-numer-pesel", "title": "gov.pl"}],
        "translations": {
            "pl": {
                "title": "Numer PESEL",
                "summary": "Czym jest PESEL i jak go uzyskać dla siebie lub dziecka.",
                "body": "PESEL to numer identyfikacyjny. Wniosek o nadanie numeru PESEL "
                "złożysz w urzędzie gminy.\n\n## Dla dziecka\n\nDziecko urodzone w Polsce "
                "dostaje PESEL przy rejestracji urodzenia.",
            },
            "uk": {
                "title": "Номер PESEL",
                "summary": "Що таке PESEL і як його отримати для себе чи дитини.",
                "body": "PESEL – це ідентифікаційний номер. Заяву про присвоєння номера "
                "PESEL подають в управі гміни. Дитина, народжена в Польщі, отримує PESEL "
                "під час реєстрації народження.",
            },
            "en": {
                "title": "PESEL number",
                "summary": "What PESEL is and how to get it for yourself or your child.",
                "body": "PESEL is the Polish identification number. You apply for it at the "
                "municipal office.",
            },
        },
    },
    {
        "slug": "temporary-residence-permit",
        "topic_slug": "legal-stay",
        "institution_slugs": ["voivodeship-office-foreigners"],
        "sources": [{"url": "https://www.gov.pl/web/udsc", "title": "Urząd do Spraw Cudzoziemców"}],
        # Only in Polish: a question in another language must still find it.
        "translations": {
            "pl": {
                "title": "Zezwolenie na pobyt czasowy i karta pobytu",
                "summary": "Jak złożyć wniosek o zezwolenie na pobyt czasowy i odebrać kartę "
                "pobytu.",
                "body": "Wniosek o zezwolenie na pobyt czasowy składa się do wojewody. Po "
                "decyzji odbierasz kartę pobytu w urzędzie wojewódzkim.",
            },
        },
    },
    {
        "slug": "school-enrolment",
        "topic_slug": "education",
        "institution_slugs": [],
        "sources": [],
        "translations": {
            "pl": {
                "title": "Zapisy dziecka do szkoły",
                "summary": "Jak zapisać dziecko do szkoły podstawowej w Krakowie.",
                "body": "Dzieci cudzoziemców uczą się w polskich szkołach na takich samych "
                "zasadach jak Polacy. Zapisz dziecko w szkole rejonowej.",
            },
            "ru": {
                "title": "Запись ребёнка в школу",
                "summary": "Как записать ребёнка в начальную школу в Кракове.",
                "body": "Дети иностранцев учатся в польских школах на тех же условиях, что "
                "и поляки. Запишите ребёнка в районную школу.",
            },
            "en": {
                "title": "Enrolling a child at school",
                "summary": "How to enrol your child at a primary school in Kraków.",
                "body": "Children of foreigners attend Polish schools on the same terms as "
                "Polish children. Enrol your child at the local school.",
            },
        },
    },
]


@pytest.fixture
def directory(db) -> None:
    topics_default_content_load()
    directory_default_content_load()


@pytest.fixture
def articles(directory) -> dict:
    """Three published articles (one only in Polish) and the legal-stay referral rule."""
    from infopoint.knowledge.models import ArticleStatus
    from infopoint.knowledge.services import article_upsert, referral_rule_set

    created = {}
    for data in ARTICLES:
        article, _changed = article_upsert(
            reviewed_on=date(2026, 11, 24), status=ArticleStatus.PUBLISHED, **data
        )
        created[article.slug] = article
    referral_rule_set(topic_slug="legal-stay", institution_slug="voivodeship-office-foreigners")
    return created
