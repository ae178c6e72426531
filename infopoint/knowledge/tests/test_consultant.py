from datetime import date

import pytest
from django.utils import translation

from infopoint.knowledge.consultant import draft_reply, triage_for_enquiry
from infopoint.knowledge.models import Article, ArticleStatus, ArticleTranslation
from infopoint.topics.models import Topic

# The body of an article as staff write it: headings, a list, emphasis and two links.
BODIES = {
    "uk": (
        "## Що підготувати\n\n"
        "- заповнену **заяву** (бланк є на [gov.pl](https://www.gov.pl/web/gov/pesel_1)),\n"
        "* дійсний паспорт.\n\n"
        "## Як це відбувається\n\n"
        "1. Подайте заяву.\n"
        "2. Отримайте номер.\n\n"
        "Див. [статтю про реєстрацію адреси](/uk/articles/address-registration/)."
    ),
    "ru": (
        "## Что подготовить\n\n"
        "- заполненное **заявление**,\n"
        "- паспорт.\n\n"
        "См. [статью о прописке](/ru/articles/address-registration/)."
    ),
}


@pytest.fixture
def article(db, settings) -> Article:
    settings.SITE_URL = "https://infopoint.example.org/"
    topic = Topic.objects.create(slug="civil-registry-draft")
    article = Article.objects.create(
        slug="pesel-draft",
        topic=topic,
        status=ArticleStatus.PUBLISHED,
        reviewed_on=date(2026, 11, 24),
        sources=[{"url": "https://www.gov.pl/web/gov/uzyskaj-numer-pesel", "title": "gov.pl"}],
    )
    for language, body in BODIES.items():
        ArticleTranslation.objects.create(
            article=article, language=language, title="PESEL", summary="PESEL.", body=body
        )
    return article


def test_triage_for_an_enquiry_gives_articles_to_show(articles) -> None:
    result = triage_for_enquiry("Де продовжити карту побиту?", "uk")
    assert result.triage.language == "uk"
    assert result.triage.referral == "voivodeship-office-foreigners"
    assert result.articles[0].slug == "temporary-residence-permit"


def test_a_draft_reply_in_the_enquirers_language(articles) -> None:
    draft = draft_reply(articles["pesel-number"], "uk")
    with translation.override("uk"):
        # The reply e-mail greets the enquirer by name: the draft does not greet again.
        assert draft.startswith(translation.gettext("Thank you for your question."))
        assert translation.gettext("Hello,") not in draft
    assert "Номер PESEL" in draft
    assert "https://www.gov.pl/web/gov/uzyskaj-numer-pesel" in draft
    assert "##" not in draft


def test_a_draft_from_an_untranslated_article_says_so(articles) -> None:
    draft = draft_reply(articles["temporary-residence-permit"], "en")
    assert "not yet available in your language" in draft
    assert "Zezwolenie na pobyt czasowy" in draft


def test_the_confidence_of_a_detected_language() -> None:
    from infopoint.knowledge.consultant import language_confidence

    question = "Де продовжити карту побиту? Закінчується дозвіл на перебування."
    assert language_confidence(question, "uk") > 0.9
    assert language_confidence(question, "ru") < 0.1
    assert 0.0 <= language_confidence("🙂🙂", "uk") <= 1.0
    # Nothing to tell: no text, no language, or a language the site does not offer.
    assert language_confidence("   ", "uk") == 0.0
    assert language_confidence(question, None) == 0.0
    assert language_confidence(question, "xx") == 0.0


def test_a_draft_keeps_the_lists_and_the_links_addresses_in_ukrainian(article) -> None:
    draft = draft_reply(article, "uk")
    lines = draft.splitlines()
    # Headings stand on lines of their own; list items keep their markers.
    assert "Що підготувати" in lines
    assert "- заповнену заяву (бланк є на gov.pl (https://www.gov.pl/web/gov/pesel_1))," in lines
    assert "- дійсний паспорт." in lines
    assert lines[lines.index("1. Подайте заяву.") : lines.index("1. Подайте заяву.") + 2] == [
        "1. Подайте заяву.",
        "2. Отримайте номер.",
    ]
    # A link within the site gets the site's address: the e-mail is read elsewhere.
    assert (
        "Див. статтю про реєстрацію адреси "
        "(https://infopoint.example.org/uk/articles/address-registration/)." in lines
    )
    assert "#" not in draft and "**" not in draft and "](" not in draft
    # The date's own abbreviation ("р.") and the sentence share one full stop.
    assert draft.count("..") == 0
    with translation.override("uk"):
        checked = translation.gettext("This information was last checked on %(date)s.")
    assert checked.split("%(date)s")[0] + "24 листопада 2026 р." in draft


def test_a_draft_in_russian_ends_its_date_with_one_full_stop(article) -> None:
    draft = draft_reply(article, "ru")
    with translation.override("ru"):
        assert draft.startswith(translation.gettext("Thank you for your question."))
        checked = translation.gettext("This information was last checked on %(date)s.")
    assert checked.split("%(date)s")[0] + "24 ноября 2026 г." in draft
    assert "г.." not in draft
    assert "- заполненное заявление," in draft.splitlines()
    address = "https://infopoint.example.org/ru/articles/address-registration/"
    assert f"См. статью о прописке ({address})." in draft
