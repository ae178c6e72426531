import pytest

from infopoint.knowledge.text import (
    lemma_keys,
    normalise,
    query_term_alternatives,
    term_key,
    to_cyrillic,
    tokenise,
)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("pesel", "песель"),
        ("PESEL", "песель"),
        ("meldunek", "мельдунек"),
        ("szkoła", "школа"),
        ("żłobek", "zlobek"),
    ],
)
def test_spellings_of_one_word_share_a_key(one: str, other: str) -> None:
    assert term_key(tokenise(one)[0]) == term_key(tokenise(other)[0])


def test_transliterated_and_inflected_forms_meet() -> None:
    assert lemma_keys("karta pobytu", "pl") == lemma_keys("карта побиту", "uk")
    assert lemma_keys("kartę pobytu", "pl") == lemma_keys("karta pobytu", "pl")
    assert lemma_keys("zezwolenia na pobyt", "pl")[0] == lemma_keys("zezwolenie", "pl")[0]
    assert lemma_keys("дозволу", "uk") == lemma_keys("дозвіл", "uk")
    assert lemma_keys("разрешения", "ru") == lemma_keys("разрешение", "ru")


def test_a_latin_typed_ukrainian_word_is_looked_up_in_cyrillic() -> None:
    assert to_cyrillic("otrymaty", "uk") == "отримати"
    assert to_cyrillic("poluchit", "ru", True)[1] == "получить"
    keys = set().union(*query_term_alternatives("dozvolu"))
    assert lemma_keys("дозвіл", "uk")[0] in keys


def test_tokens_drop_apostrophes_and_punctuation() -> None:
    assert tokenise("Сім'я, дім: PESEL-u!") == ["сімя", "дім", "pesel", "u"]
    assert tokenise('🙂 " * ( ) ^ -') == []
    assert normalise("") == ""


def test_odd_input_is_safe() -> None:
    assert query_term_alternatives("x" * 100_000) == []  # no word is 100 KB long
    assert len(query_term_alternatives(" ".join(["słowo"] * 1000))) == 1
    assert len(query_term_alternatives(" ".join(f"w{n}" for n in range(1000)))) == 64
