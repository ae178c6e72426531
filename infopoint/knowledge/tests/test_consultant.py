from django.utils import translation

from infopoint.knowledge.consultant import draft_reply, triage_for_enquiry


def test_triage_for_an_enquiry_gives_articles_to_show(articles) -> None:
    result = triage_for_enquiry("Де продовжити карту побиту?", "uk")
    assert result.triage.language == "uk"
    assert result.triage.referral == "voivodeship-office-foreigners"
    assert result.articles[0].slug == "temporary-residence-permit"


def test_a_draft_reply_in_the_enquirers_language(articles) -> None:
    draft = draft_reply(articles["pesel-number"], "uk")
    with translation.override("uk"):
        assert draft.startswith(translation.gettext("Hello,"))
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
