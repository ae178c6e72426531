import pytest
from django.test import override_settings

from infopoint.knowledge.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dzień dobry, mam pytanie o kartę pobytu i meldunek.", "pl"),
        ("Добрий день, я хочу дізнатися, як отримати номер PESEL.", "uk"),
        ("Здравствуйте, подскажите, пожалуйста, где оформить вид на жительство?", "ru"),
        ("Hello, I would like to ask about registering my address.", "en"),
    ],
)
def test_detects_each_site_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "ok", "Hi!", "12345 678"])
def test_too_short_text_gives_none(text: str) -> None:
    assert detect_language(text) is None


@override_settings(LANGUAGES=[("pl", "polski"), ("en", "English")])
def test_answers_only_with_languages_the_site_offers() -> None:
    assert detect_language("Добрий день, я хочу дізнатися, як отримати номер PESEL.") in {
        "pl",
        "en",
        None,
    }


@override_settings(LANGUAGES=[("en", "English")])
def test_one_language_site_detects_nothing() -> None:
    assert detect_language("Hello, I would like to ask about registering my address.") is None
