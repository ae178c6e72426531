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
