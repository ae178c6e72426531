from django.urls import reverse
from django.utils import translation

from infopoint.knowledge.models import ArticleFeedback


def _url(name: str, language: str, **kwargs: str) -> str:
    with translation.override(language):
        return reverse(f"knowledge:{name}", kwargs=kwargs or None)


def test_an_article_in_the_visitors_language(client, articles) -> None:
    response = client.get(_url("article", "uk", slug="pesel-number"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Номер PESEL" in page
    assert 'datetime="2026-11-24"' in page
    assert "https://www.gov.pl/web/gov/uzyskaj-numer-pesel" in page
    assert 'class="fallback"' not in page
    assert 'hreflang="pl"' in page


def test_an_article_not_yet_translated_is_shown_marked(client, articles) -> None:
    response = client.get(_url("article", "en", slug="temporary-residence-permit"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="fallback"' in page
    assert 'lang="pl"' in page
    assert "Zezwolenie na pobyt czasowy" in page


def test_drafts_and_unknown_articles_are_not_found(client, articles) -> None:
    from infopoint.knowledge.services import article_unpublish

    article_unpublish(article=articles["school-enrolment"])
    assert client.get(_url("article", "en", slug="school-enrolment")).status_code == 404
    assert client.get(_url("article", "en", slug="no-such-article")).status_code == 404


def test_was_this_helpful(client, articles) -> None:
    url = _url("feedback", "uk", slug="pesel-number")
    response = client.post(url, {"helpful": "yes", "language": "uk"})
    assert response.status_code == 302
    assert response["Location"].endswith("?feedback=thanks#feedback")
    client.post(url, {"helpful": "no", "language": "uk"})
    client.post(url, {"helpful": "maybe", "language": "uk"})  # ignored
    feedback = ArticleFeedback.objects.get(translation__language="uk")
    assert (feedback.helpful_yes, feedback.helpful_no) == (1, 1)
    assert client.get(url).status_code == 405
    thanks = client.get(response["Location"]).content.decode()
    with translation.override("uk"):
        assert translation.gettext("Thank you. Your answer helps us improve this page.") in thanks


def test_search_page(client, articles) -> None:
    url = _url("search", "en")
    empty = client.get(url)
    assert empty.status_code == 200
    assert "For example" in empty.content.decode()
    # The examples typed in other languages say which (WCAG 3.1.2).
    assert '<span lang="uk">карта побиту</span>' in empty.content.decode()
    found = client.get(url, {"q": "karta pobytu"}).content.decode()
    assert _url("article", "en", slug="temporary-residence-permit") in found
    assert "Not yet in your language. Available in: Polish." in found


def test_search_page_bad_input_never_fails(client, articles) -> None:
    url = _url("search", "en")
    for query in ['" OR * NEAR(', "🙂", "\x00", "pesel " * 20]:
        assert client.get(url, {"q": query}).status_code == 200
    response = client.get(url, {"q": "x" * 100_000}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "too long to search" in page
    assert len(page) < 50_000


def test_suggestions_fragment(client, articles) -> None:
    url = _url("suggest", "uk")
    assert client.get(url, {"q": "pes"}).content.decode().strip() == ""
    fragment = client.get(url, {"q": "як отримати номер песель для дитини"}).content.decode()
    link = _url("article", "uk", slug="pesel-number") + "?from=suggestion"
    assert link in fragment
    assert "<html" not in fragment
    client.get(link)
    assert ArticleFeedback.objects.get(translation__language="uk").opened_from_suggestion == 1
