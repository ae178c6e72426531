"""Text analysis for search and triage: tokens, lemmas and the keys they are matched by.

Every word, of an article or of a question, becomes a *term key*: its lemma in its language
(simplemma's dictionaries, loaded lazily in their low-memory form), case-folded, written in
Latin letters and reduced to a spelling skeleton. So "песель", "pesel" and "PESEL-u" meet, and
so do "карта побиту" (a Ukrainian typing the Polish words in Cyrillic) and "karta pobytu":

    Cyrillic → Latin as a Pole would spell it (ш → sz, ч → cz, и → y, в → w …),
    accents stripped (ł → l, ż → z), then one skeleton for every spelling of a sound
    (sz/sh → s, cz/ch → c, w → v, y/j → i …) and no doubled letters.

The keys are for matching only: what people read is never changed.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from simplemma import Lemmatizer

# Longest token kept: longer runs of letters are noise (a pasted hash, a URL), not words.
MAX_TOKEN_LENGTH = 40
# Words read of a query: a 100 KB question is searched by its beginning.
MAX_QUERY_TOKENS = 64

# Script of the languages simplemma and our transliteration know; others count as Latin.
CYRILLIC_LANGUAGES = frozenset({"uk", "ru", "be", "bg", "mk", "sr"})

_TOKEN = re.compile(r"[^\W_]+(?:['’ʼ`][^\W_]+)*", flags=re.UNICODE)
_APOSTROPHES = re.compile(r"['’ʼ`]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f]")

# Cyrillic → Latin, the way Polish spells the same sounds, so Polish words typed in Cyrillic
# ("песель", "мельдунек", "карта побиту") come out as the Polish word.
_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "w", "г": "h", "ґ": "g", "д": "d", "е": "e", "ё": "jo",
    "є": "je", "ж": "z", "з": "z", "и": "y", "і": "i", "ї": "ji", "й": "j", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "ch", "ц": "c", "ч": "cz", "ш": "sz", "щ": "szcz", "ъ": "",
    "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja", "ў": "u", "ђ": "dz", "ј": "j",
    "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz", "ѓ": "g", "ќ": "k", "ѕ": "dz",
}  # fmt: skip
_CYRILLIC_TABLE = str.maketrans(_CYRILLIC_TO_LATIN)

# Latin → Cyrillic for words a Ukrainian or Russian typed in Latin letters ("dozvil",
# "poluchit"), longest sequences first, per language; only used to look words up.
_LATIN_TO_CYRILLIC_COMMON = [
    ("shch", "щ"), ("szcz", "щ"), ("zh", "ж"), ("kh", "х"), ("ch", "ч"), ("sh", "ш"),
    ("sz", "ш"), ("cz", "ч"), ("ts", "ц"), ("ya", "я"), ("ia", "я"), ("yu", "ю"),
    ("iu", "ю"), ("ja", "я"), ("ju", "ю"), ("a", "а"), ("b", "б"), ("c", "ц"), ("d", "д"),
    ("f", "ф"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
    ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("w", "в"), ("z", "з"),
    ("x", "кс"), ("q", "к"),
]  # fmt: skip
_LATIN_TO_CYRILLIC_BY_LANGUAGE = {
    "uk": [
        ("yi", "ї"), ("ye", "є"), ("ie", "є"), ("g", "ґ"), ("h", "г"), ("y", "и"), ("i", "і"),
        ("j", "й"), ("e", "е"),
    ],
    "ru": [
        ("yo", "ё"), ("ye", "е"), ("iy", "ий"), ("yy", "ый"), ("yi", "ый"), ("g", "г"),
        ("h", "х"), ("y", "ы"), ("i", "и"), ("j", "й"), ("e", "е"),
    ],
}  # fmt: skip


@lru_cache(maxsize=16)
def _latin_to_cyrillic(language: str) -> tuple[re.Pattern[str], dict[str, str]]:
    pairs = _LATIN_TO_CYRILLIC_BY_LANGUAGE.get(language, _LATIN_TO_CYRILLIC_BY_LANGUAGE["uk"])
    table = dict(_LATIN_TO_CYRILLIC_COMMON)
    table.update(pairs)
    pattern = re.compile(
        "|".join(re.escape(latin) for latin in sorted(table, key=len, reverse=True))
    )
    return pattern, table


# Letters no Unicode decomposition takes apart.
_UNDECOMPOSABLE = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"})

# One skeleton for the spellings of a sound across Polish, English and Cyrillic transliteration.
_SKELETON = [
    ("szcz", "sc"), ("shch", "sc"), ("sz", "s"), ("sh", "s"), ("cz", "c"), ("ch", "h"),
    ("kh", "h"), ("zh", "z"), ("rz", "z"), ("ts", "c"), ("tz", "c"), ("ck", "k"),
    ("w", "v"), ("y", "i"), ("j", "i"), ("g", "h"), ("x", "ks"), ("q", "k"),
]  # fmt: skip
_SKELETON_RE = re.compile("|".join(re.escape(source) for source, _t in _SKELETON))
_SKELETON_MAP = dict(_SKELETON)
_DOUBLED = re.compile(r"(.)\1+")


def tokenise(text: str) -> list[str]:
    """The words of ``text``, case-folded, apostrophes inside words dropped (сім'я → сімя)."""
    tokens = []
    for match in _TOKEN.finditer(text or ""):
        token = _APOSTROPHES.sub("", match.group()).casefold()
        if len(token) <= MAX_TOKEN_LENGTH:
            tokens.append(token)
    return tokens


def is_cyrillic(token: str) -> bool:
    return bool(_CYRILLIC.search(token))


def is_latin(token: str) -> bool:
    return bool(_LATIN.search(token))


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_UNDECOMPOSABLE))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def to_latin(text: str) -> str:
    """Cyrillic letters in Polish spelling; other letters left as they are."""
    return text.casefold().translate(_CYRILLIC_TABLE)


@lru_cache(maxsize=50_000)
def to_cyrillic(text: str, language: str = "uk", variants: bool = False) -> Any:
    """A Latin-letter word as the Cyrillic word of ``language`` it most likely transliterates.

    With ``variants``, a tuple of spellings to try: also with a soft sign or й where Latin
    spelling drops them ("zapisat" → "записать", "semeinyi" → "семейный").
    """
    pattern, table = _latin_to_cyrillic(language)
    word = pattern.sub(lambda match: table[match.group()], strip_accents(text.casefold()))
    if not variants:
        return word
    spellings = [word, word + "ь", word.replace("еи", "ей").replace("аи", "ай").replace("ои", "ой")]
    if language == "uk":
        spellings.append(word.replace("іи", "ій").replace("ии", "ий").replace("еи", "ей"))
    return tuple(dict.fromkeys(spellings))


@lru_cache(maxsize=200_000)
def term_key(word: str) -> str:
    """The key a word is matched by: Latin letters, no accents, one spelling skeleton."""
    latin = strip_accents(to_latin(word))
    skeleton = _SKELETON_RE.sub(lambda match: _SKELETON_MAP[match.group()], latin)
    return _DOUBLED.sub(r"\1", skeleton)


def normalise(text: str) -> str:
    """``text`` as its term keys, unlemmatised, separated by spaces (for matching only)."""
    return " ".join(term_key(token) for token in tokenise(text))


# Lemmas --------------------------------------------------------------------------------

_lemmatizer: Lemmatizer | None = None
_lemmatizer_lock = threading.Lock()


def _simplemma() -> Lemmatizer:
    """One lemmatiser per process; each language's dictionary is read on its first word.

    The low-memory dictionaries keep the compressed-in-memory form (about 20 MB a language)
    instead of a Python dict (Polish alone: about 420 MB); see docs/quality.md.
    """
    global _lemmatizer
    if _lemmatizer is None:
        with _lemmatizer_lock:
            if _lemmatizer is None:
                from simplemma import Lemmatizer
                from simplemma.strategies import DefaultStrategy

                _lemmatizer = Lemmatizer(
                    lemmatization_strategy=DefaultStrategy(low_memory=True),
                    cache_max_size=200_000,
                )
    return _lemmatizer


@lru_cache(maxsize=64)
def lemmatiser_supports(language: str) -> bool:
    from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

    return language in SUPPORTED_LANGUAGES


def lemma(token: str, language: str) -> str:
    """The dictionary form of a case-folded token, or the token when the language has none."""
    if not language or not lemmatiser_supports(language) or token.isdigit():
        return token
    try:
        return _simplemma().lemmatize(token, lang=language).casefold()
    except (ValueError, TypeError):
        return token


def lemma_keys(text: str, language: str) -> list[str]:
    """The term keys of ``text`` as written in ``language``: what the index stores."""
    return [term_key(lemma(token, language)) for token in tokenise(text)]


def languages_for_script(token: str, preferred: str | None = None) -> list[str]:
    """Languages of the site whose dictionaries may know ``token``, best first."""
    offered = [code for code, _name in settings.LANGUAGES]
    cyrillic = is_cyrillic(token)
    fitting = [code for code in offered if (code in CYRILLIC_LANGUAGES) == cyrillic]
    if preferred in fitting:
        fitting.remove(preferred)
        fitting.insert(0, preferred)
    return fitting


def query_term_alternatives(
    text: str, language: str | None = None, max_tokens: int = MAX_QUERY_TOKENS
) -> list[set[str]]:
    """For each word of a question, the term keys it may be indexed under.

    The question's language is often unknown (three words) or not the article's, so a word is
    looked up in every dictionary of its script: its surface key, its lemma in each, and for a
    Latin word also its lemma as a transliterated Ukrainian or Russian word.
    """
    alternatives: list[set[str]] = []
    seen: set[str] = set()
    for token in tokenise(text):
        if token in seen:
            continue
        seen.add(token)
        if len(alternatives) >= max_tokens:
            break
        keys = {term_key(token)}
        for code in languages_for_script(token, language):
            keys.add(term_key(lemma(token, code)))
        if is_latin(token) and not token.isdigit():
            for code in languages_for_script("я", language):
                keys.add(term_key(lemma(to_cyrillic(token, code), code)))
        elif is_cyrillic(token):
            # A Polish word typed in Cyrillic ("побиту"): its Polish lemma.
            latin = strip_accents(to_latin(token))
            for code in languages_for_script(latin, language):
                keys.add(term_key(lemma(latin, code)))
        keys.discard("")
        if keys:
            alternatives.append(keys)
    return alternatives


def words(texts: Iterable[str]) -> Iterator[str]:
    for text in texts:
        yield from tokenise(text)


def word_count(text: str) -> int:
    return len(tokenise(text))
