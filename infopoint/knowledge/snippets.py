"""The sentence of an article that best matches a question, with the matching words marked."""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from . import text

MAX_SNIPPET_CHARACTERS = 260
# Sentences of a body looked through for the best one: the beginning says the most.
MAX_SENTENCES = 15
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"(^|\n)\s*(#+|[-*+]|\d+[.)]|>)\s+")
_EMPHASIS = re.compile(r"[*_`]+")
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")


def plain_text(markdown: str) -> str:
    """Markdown as the words a reader sees, without markup or link targets."""
    value = _LINK.sub(r"\1", markdown or "")
    value = _MARKUP.sub(r"\1", value)
    return _EMPHASIS.sub("", value)


def _shorten(sentence: str) -> str:
    if len(sentence) <= MAX_SNIPPET_CHARACTERS:
        return sentence
    cut = sentence[:MAX_SNIPPET_CHARACTERS].rsplit(" ", 1)[0]
    return cut + "…"


def _keys(sentence: str, language: str) -> frozenset[str]:
    # Words of three letters or fewer are looked up as they are: cheaper, and mostly
    # words that are their own lemma.
    return frozenset(
        text.term_key(token if len(token) <= 3 else text.lemma(token, language))
        for token in text.tokenise(sentence)
    )


@lru_cache(maxsize=512)
def _sentences(body: str, language: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """The body's sentences with their term keys; kept for the most recently shown bodies."""
    sentences = []
    for sentence in _SENTENCE_END.split(plain_text(body))[:MAX_SENTENCES]:
        sentence = sentence.strip()
        if len(sentence) >= 20:
            sentences.append((sentence, _keys(sentence, language)))
    return tuple(sentences)


def snippet(body: str, summary: str, language: str, keys: Collection[str]) -> SafeString:
    """The body's sentence with most words among ``keys`` (term keys), marked; else the summary."""
    keys = set(keys)
    best, best_hits = "", 0
    if keys:
        for sentence, sentence_keys in _sentences(body, language):
            hits = len(sentence_keys & keys)
            if hits > best_hits:
                best, best_hits = sentence, hits
    if not best_hits:
        return format_html("{}", _shorten(summary))
    return highlight(_shorten(best), language, keys)


def highlight(sentence: str, language: str, keys: Collection[str]) -> SafeString:
    parts: list[str] = []
    position = 0
    for match in re.finditer(r"[^\W_]+(?:['’ʼ][^\W_]+)*", sentence):
        word = match.group()
        token = text.tokenise(word)
        if not token:
            continue
        if text.term_key(text.lemma(token[0], language)) in keys or text.term_key(token[0]) in keys:
            parts.append(escape(sentence[position : match.start()]))
            parts.append(format_html("<mark>{}</mark>", word))
            position = match.end()
    parts.append(escape(sentence[position:]))
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703  # every part escaped above
