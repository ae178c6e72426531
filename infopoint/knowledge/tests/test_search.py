import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infopoint.knowledge.search import Mode, search

# Text that is FTS5 or tsquery syntax, or SQL, must only ever be searched for as words.
ODD_QUERIES = [
    "",
    "   ",
    '"',
    '"unterminated',
    "*",
    "pesel*",
    "NEAR(pesel karta)",
    "pesel OR karta",
    "pesel AND NOT karta",
    "title:pesel",
    "(pesel",
    "^pesel",
    "-pesel",
    "pesel & karta | !szkoła",
    "'; DROP TABLE knowledge_searchentry; --",
    "🙂🙂🙂",
    "🇺🇦 песель 🙂",
    "pesel песель PESEL-у",
    "x" * 100_000,
    "песель " * 20_000,
    "\x00\x01\x02",
    "\u202e\u200b",
]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_queries_give_results_or_nothing(articles, query: str) -> None:
    results = search(query, language="uk")
    assert all(hit.slug in articles for hit in results.hits)


def test_a_100_kb_query_is_read_by_its_beginning(articles) -> None:
    results = search("pesel " + "x" * 100_000, language="pl")
    assert results.truncated
    assert results.hits[0].slug == "pesel-number"


@pytest.mark.parametrize(
    ("query", "language", "expected"),
    [
        ("pesel dla dziecka", "pl", "pesel-number"),
        ("песель для дитини", "uk", "pesel-number"),
        ("як отримати номер песель", "uk", "pesel-number"),
        ("how do I get a PESEL", "en", "pesel-number"),
        ("карта побиту", "uk", "temporary-residence-permit"),
        ("kartę pobytu odebrać", "pl", "temporary-residence-permit"),
        ("записать ребенка в школу", "ru", "school-enrolment"),
        ("zapisy do szkoly", "pl", "school-enrolment"),
        ("enroll my son in scool", "en", "school-enrolment"),
    ],
)
def test_inflected_transliterated_and_misspelled_questions_find_the_article(
    articles, query: str, language: str, expected: str
) -> None:
    assert search(query, language=language).hits[0].slug == expected


def test_an_article_only_in_polish_is_found_from_ukrainian_and_marked(articles) -> None:
    hits = search("Як отримати дозвіл на тимчасове проживання?", language="uk").hits
    hit = hits[0]
    assert hit.slug == "temporary-residence-permit"
    assert hit.language == "pl"
    assert hit.is_fallback
    assert hit.languages == ["pl"]


def test_the_visitors_language_is_shown_when_the_article_has_it(articles) -> None:
    hit = search("numer PESEL", language="uk").hits[0]
    assert (hit.slug, hit.language, hit.is_fallback) == ("pesel-number", "uk", False)
    assert hit.languages == ["en", "pl", "uk"]
    assert "<mark>" in str(hit.snippet) or hit.snippet == hit.summary


def test_each_half_of_the_hybrid_works_alone(articles) -> None:
    assert search("pesel", mode=Mode.LEXICAL).hits[0].slug == "pesel-number"
    assert search("identification number", mode=Mode.SEMANTIC).hits[0].slug == "pesel-number"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=st.text(max_size=300))
def test_any_string_is_safe_to_search(articles, query: str) -> None:
    results = search(query, language="pl")
    assert len(results.hits) <= 10
