"""The harness's own pure helpers (no browser needed)."""

from tests.browser.harness import format_violations, language_problems


def test_text_in_the_right_language_has_no_problem() -> None:
    assert language_problems("Інформаційний пункт для іноземців, пишіть нам", "uk") == []
    assert language_problems("Информационный пункт для иностранцев, пишите нам", "ru") == []
    assert language_problems("Punkt Informacyjny dla Cudzoziemców", "pl") == []
    assert language_problems("Information Point for Foreigners", "en") == []


def test_leftover_words_and_letters_of_another_language_are_reported() -> None:
    problems = language_problems("Інформаційний пункт\nOpening hours\nWhat can we do", "uk")
    assert problems == [
        "'en' text on a 'uk' page ('Opening hours'): 'Opening hours'",
        "'en' text on a 'uk' page ('can'): 'What can we do'",
    ]
    assert language_problems("Информационный пункт для іноземців", "ru") != []
    assert language_problems("Information Point, godziny otwarcia", "en") != []
    assert language_problems("Punkt Informacyjny dla Cudzoziemców, Пункт", "pl") == [
        "letters 'pl' does not use ('Пкнту'): 'Punkt Informacyjny dla Cudzoziemców, Пункт'"
    ]


def test_words_match_whole_words_only() -> None:
    assert language_problems("Sendai, Homer, Cantor, Ofelia — Gdańsk", "pl") == []


def test_languages_the_harness_does_not_know_are_not_checked() -> None:
    assert language_problems("the and with", "de") == []


def test_violations_are_listed_with_rule_help_and_selectors() -> None:
    text = format_violations(
        [
            {
                "id": "color-contrast",
                "impact": "serious",
                "help": "Elements must meet minimum color contrast ratio thresholds",
                "helpUrl": "https://dequeuniversity.com/rules/axe/4.14/color-contrast",
                "nodes": [{"target": ["main > p.note"], "failureSummary": "Fix any of:\n x"}],
            }
        ],
        where="on /uk/",
    )
    assert "color-contrast (serious)" in text
    assert "at main > p.note" in text
    assert "on /uk/" in text
