"""Which of the site's languages a text is written in.

Works on plain text only (the desk asks, the knowledge app never knows why). The detector is
restricted to the languages of settings.LANGUAGES and built lazily, once per process and set of
languages, because building it loads the language models (a fraction of a second).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from lingua import LanguageDetector

# Below this many letters a guess is closer to chance than to an answer ("ok", "Hi!").
MIN_LETTERS = 12
# How much more likely the best language must be than the next one for a confident answer.
MIN_RELATIVE_DISTANCE = 0.1
_LETTER = re.compile(r"[^\W\d_]", flags=re.UNICODE)


@lru_cache(maxsize=4)
def _detector(codes: tuple[str, ...]) -> tuple[LanguageDetector, dict[str, str]] | None:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages: dict[str, str] = {}
    chosen = []
    for code in codes:
        iso = getattr(IsoCode639_1, code.split("-")[0].upper(), None)
        if iso is None:
            continue
        try:
            language = Language.from_iso_code_639_1(iso)
        except ValueError:  # a code lingua knows but has no model for
            continue
        if language.name not in languages:
            languages[language.name] = code
            chosen.append(language)
    if len(languages) < 2:
        return None
    detector = (
        LanguageDetectorBuilder.from_languages(*chosen)
        .with_minimum_relative_distance(MIN_RELATIVE_DISTANCE)
        .build()
    )
    return detector, languages


def detect_language(text: str) -> str | None:
    """The code (from settings.LANGUAGES) of the language ``text`` is written in, or None.

    None when the text is too short to tell, when no language is clearly the most likely, or
    when the site offers fewer than two languages lingua knows.
    """
    if len(_LETTER.findall(text or "")) < MIN_LETTERS:
        return None
    built = _detector(tuple(code for code, _name in settings.LANGUAGES))
    if built is None:
        return None
    detector, codes = built
    language = detector.detect_language_of(text)
    return codes.get(language.name) if language is not None else None


# Letters only one of the site's languages uses: a short text with one of them is written in
# that language ("дякую", "łóżko").
_DISTINCTIVE_LETTERS = {
    "uk": set("іїєґ"),
    "ru": set("ыэъё"),
    "pl": set("ąęłńśźżó"),
    "be": set("ў"),
    "de": set("äöüß"),
    "cs": set("ěřů"),
}
# Short, very common words that mark a language in a mixed or transliterated question
# (Ukrainian and Russian as people type them in Latin letters).
# fmt: off
_MARKER_WORDS = {
    "en": frozenset(
        {
        "the", "a", "an", "is", "are", "what", "how", "where", "when", "who", "which", "can",
        "could", "do", "does", "i", "my", "me", "we", "our", "you", "your", "for", "to", "of",
        "in", "on", "with", "and", "or", "it", "this", "that", "there", "need", "want", "get",
        "have", "has", "should", "please", "hello", "hi", "thanks", "about", "from", "at", "by",
        }
    ),
    "pl": frozenset(
        {
        "jak", "gdzie", "ile", "co", "czy", "mi", "mnie", "jest", "nie", "się", "sie", "dla",
        "do", "na", "w", "z", "o", "i", "czym", "kiedy", "można", "mozna", "muszę", "musze",
        "chcę", "chce", "proszę", "prosze", "dzień", "dzien",
        }
    ),
    "uk": frozenset(
        {
        "yak", "de", "skilky", "shcho", "scho", "meni", "mene", "ya", "treba", "potribno",
        "mozhna", "chomu", "koly", "tse", "ye", "ie", "chy", "dlia", "dlya", "mozhe", "yaki",
        "yakyi",
        }
    ),
    "ru": frozenset(
        {
        "kak", "gde", "skolko", "chto", "shto", "mne", "menya", "ya", "nuzhno", "nado",
        "mozhno", "pochemu", "kogda", "eto", "est", "li", "dlya", "kakie", "kakoi", "kakoy",
        "mozhet",
        }
    ),
}
# Names every language writes alike in Latin letters: they tell nothing.
_NEUTRAL_WORDS = frozenset(
    {
        "krakow", "krakowie", "krakov", "krakovi", "krakove", "cracow", "pesel", "nfz", "zus",
        "mops", "mos", "ok",
    }
)
# fmt: on
# Weight of a marker word, of lingua's guess, and of a word shorter than three letters.
MARKER_WEIGHT = 2.0
LINGUA_WEIGHT = 1.0
SHORT_WORD_WEIGHT = 0.3
# Below this share of a text's words, words in another script are quoted terms, not the
# language of the text ("Niebieska Karta що це" is Ukrainian, "що таке umowa o dzieło" too).
MIN_SCRIPT_SHARE = 0.25


def _known(token: str, language: str) -> bool:
    from simplemma import is_known

    from .text import lemmatiser_supports

    if not lemmatiser_supports(language) or len(token) < 2:
        return False
    try:
        return is_known(token, language, low_memory=True)
    except ValueError:
        return False


def _cyrillic_language(tokens: list[str], codes: list[str]) -> str | None:
    """Which Cyrillic language of the site the Cyrillic words are in."""
    from .text import CYRILLIC_LANGUAGES

    candidates = [code for code in codes if code.split("-")[0] in CYRILLIC_LANGUAGES]
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    letters = set("".join(tokens))
    votes = dict.fromkeys(candidates, 0.0)
    for code in candidates:
        if letters & _DISTINCTIVE_LETTERS.get(code.split("-")[0], set()):
            votes[code] += 3.0
    for token in tokens:
        knowing = [code for code in candidates if _known(token, code.split("-")[0])]
        for code in knowing:
            # Two Cyrillic letters make words that tell ("що", "чи", "як").
            votes[code] += (1.0 if len(token) > 1 else SHORT_WORD_WEIGHT) / len(knowing)
    built = _detector(tuple(candidates))
    if built is not None:
        detector, names = built
        values = detector.compute_language_confidence_values(" ".join(tokens))
        if values:
            guessed = names.get(values[0].language.name)
            if guessed is not None and guessed in votes:
                # lingua is sure of itself on two words and often wrong ("що це").
                votes[guessed] += LINGUA_WEIGHT * values[0].value * min(1.0, len(tokens) / 4)
    return max(candidates, key=lambda code: (votes[code], -candidates.index(code)))


def _latin_language(tokens: list[str], codes: list[str], detected: str | None) -> str | None:
    """Which language Latin-letter words are in: a Latin language of the site, or Ukrainian or
    Russian transliterated ("karta pobytu prodovzhyty yak", "kak poluchit pesel")."""
    from .text import CYRILLIC_LANGUAGES, to_cyrillic

    votes = dict.fromkeys(codes, 0.0)
    for token in tokens:
        if token.isdigit() or token in _NEUTRAL_WORDS:
            continue
        marking = [code for code in codes if token in _MARKER_WORDS.get(code.split("-")[0], ())]
        if len(marking) == 1:
            votes[marking[0]] += MARKER_WEIGHT
            continue
        knowing = []
        for code in codes:
            base = code.split("-")[0]
            if base in CYRILLIC_LANGUAGES:
                known = any(_known(variant, base) for variant in to_cyrillic(token, base, True))
            else:
                known = _known(token, base)
            if known:
                knowing.append(code)
        for code in knowing:
            votes[code] += (1.0 if len(token) > 2 else SHORT_WORD_WEIGHT) / len(knowing)
    if detected is not None:
        votes[detected] = votes.get(detected, 0.0) + LINGUA_WEIGHT
    # Office words in the site's own language (LANGUAGE_CODE, e.g. Polish "meldunek") inside
    # another language's question do not make it a question in that language.
    home = settings.LANGUAGE_CODE
    others = {code: vote for code, vote in votes.items() if code != home}
    best_other = max(others, key=lambda code: others[code], default=None)
    if (
        best_other is not None
        and others[best_other] >= max(1.0, 0.3 * len(tokens))
        and others[best_other] >= 0.5 * votes.get(home, 0.0)
    ):
        return best_other
    return max(votes, key=lambda code: (votes[code], code == home)) if any(votes.values()) else None


def guess_language(text: str, default: str | None = None) -> str | None:
    """The most likely site language of ``text``, also when short, mixed or transliterated.

    Words in Cyrillic make it a Cyrillic language (chosen by letters, dictionaries and
    lingua) unless they are only a quoted term; Latin-letter words vote for the languages
    whose dictionaries know them, a transliterated Ukrainian or Russian word included, and
    the site's own language's office terms inside another language do not outvote it.
    """
    from .text import is_cyrillic, tokenise

    tokens = [token for token in tokenise(text) if not token.isdigit()]
    if not tokens:
        return default
    codes = [code for code, _name in settings.LANGUAGES]
    cyrillic = [token for token in tokens if is_cyrillic(token)]
    latin = [token for token in tokens if not is_cyrillic(token)]
    if cyrillic and len(cyrillic) >= MIN_SCRIPT_SHARE * len(tokens):
        return _cyrillic_language(cyrillic, codes) or default
    detected = detect_language(" ".join(latin))
    return _latin_language(latin, codes, detected) or detected or default
