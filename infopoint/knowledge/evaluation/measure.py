"""Figures of the engine and of the baseline on the labelled question set.

recall@k is the share of questions that have an answer in the base (``articles`` not empty)
with at least one expected article among the first k results; MRR is the mean of 1/rank of
the first expected article (0 when none is in the first 10). Referral precision and recall
count a referral as right only when it names the expected institution. Language accuracy
on "5+ words" counts only texts of at least five words.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..language import detect_language
from ..search.engine import Mode
from ..text import word_count
from ..triage import referral_for, triage
from .baseline import BaselineSearch

QUESTIONS_FILE = Path(__file__).resolve().parent / "questions.jsonl"
SPLITS = ("dev", "heldout")
RANK_DEPTH = 10


@dataclass(frozen=True)
class Question:
    id: str
    language: str
    text: str
    topic: str
    referral: str | None
    articles: tuple[str, ...]
    split: str


@dataclass
class Prediction:
    language: str | None
    topic: str | None
    referral: str | None
    articles: list[str] = field(default_factory=list)


@dataclass
class Figures:
    questions: int = 0
    answerable: int = 0
    language: float = 0.0
    language_long: float = 0.0
    long_questions: int = 0
    topic: float = 0.0
    referral_precision: float = 0.0
    referral_recall: float = 0.0
    recall_at_1: float = 0.0
    recall_at_3: float = 0.0
    mrr: float = 0.0


def questions_load(path: Path | None = None, split: str | None = None) -> list[Question]:
    questions = []
    with (path or QUESTIONS_FILE).open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            question = Question(
                id=row["id"],
                language=row["language"],
                text=row["text"],
                topic=row["topic"],
                referral=row.get("referral"),
                articles=tuple(row.get("articles") or ()),
                split=row.get("split", "dev"),
            )
            if split is None or question.split == split:
                questions.append(question)
    return questions


def _share(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def figures(questions: Sequence[Question], predictions: Sequence[Prediction]) -> Figures:
    result = Figures(questions=len(questions))
    language_hits = long_hits = long_total = topic_hits = 0
    referred = expected_referrals = right_referrals = 0
    answerable = at_1 = at_3 = 0
    reciprocal = 0.0
    for question, prediction in zip(questions, predictions, strict=True):
        right_language = prediction.language == question.language
        language_hits += right_language
        if word_count(question.text) >= 5:
            long_total += 1
            long_hits += right_language
        topic_hits += prediction.topic == question.topic
        referred += prediction.referral is not None
        expected_referrals += question.referral is not None
        right_referrals += (
            prediction.referral is not None and prediction.referral == question.referral
        )
        if question.articles:
            answerable += 1
            expected = set(question.articles)
            ranks = [
                position
                for position, slug in enumerate(prediction.articles[:RANK_DEPTH], start=1)
                if slug in expected
            ]
            if ranks:
                at_1 += ranks[0] <= 1
                at_3 += ranks[0] <= 3
                reciprocal += 1 / ranks[0]
    result.answerable = answerable
    result.language = _share(language_hits, len(questions))
    result.language_long = _share(long_hits, long_total)
    result.long_questions = long_total
    result.topic = _share(topic_hits, len(questions))
    result.referral_precision = _share(right_referrals, referred) if referred else 1.0
    result.referral_recall = _share(right_referrals, expected_referrals)
    result.recall_at_1 = _share(at_1, answerable)
    result.recall_at_3 = _share(at_3, answerable)
    result.mrr = reciprocal / answerable if answerable else 0.0
    return result


def predict_system(questions: Iterable[Question], mode: str = Mode.HYBRID) -> list[Prediction]:
    predictions = []
    for question in questions:
        result = triage(question.text, mode=mode, depth=RANK_DEPTH)
        predictions.append(
            Prediction(
                language=result.language,
                topic=result.topic,
                referral=result.referral,
                articles=[slug for slug, _language, _score in result.articles],
            )
        )
    return predictions


def predict_baseline(
    questions: Iterable[Question], baseline: BaselineSearch | None = None
) -> list[Prediction]:
    baseline = baseline or BaselineSearch()
    predictions = []
    for question in questions:
        ranked = baseline.rank(question.text, RANK_DEPTH)
        topic = ranked[0][1] if ranked else None
        referral, _weight = referral_for(topic, ranked[0][0] if ranked else None)
        predictions.append(
            Prediction(
                language=detect_language(question.text),
                topic=topic,
                referral=referral,
                articles=[slug for slug, _topic, _score in ranked],
            )
        )
    return predictions


METRICS: list[tuple[str, Callable[[Figures], float]]] = [
    ("language", lambda f: f.language),
    ("language, 5+ words", lambda f: f.language_long),
    ("topic", lambda f: f.topic),
    ("referral precision", lambda f: f.referral_precision),
    ("referral recall", lambda f: f.referral_recall),
    ("recall@1", lambda f: f.recall_at_1),
    ("recall@3", lambda f: f.recall_at_3),
    ("MRR", lambda f: f.mrr),
]


def by_language(
    questions: Sequence[Question], predictions: Sequence[Prediction], languages: Sequence[str]
) -> dict[str, Figures]:
    groups = {}
    for code in languages:
        pairs = [
            (question, prediction)
            for question, prediction in zip(questions, predictions, strict=True)
            if question.language == code
        ]
        groups[code] = figures([pair[0] for pair in pairs], [pair[1] for pair in pairs])
    groups["all"] = figures(questions, predictions)
    return groups


def comparison_table(
    title: str,
    columns: dict[str, dict[str, Figures]],
    groups: Sequence[str],
    metrics: Sequence[tuple[str, Callable[[Figures], float]]] = tuple(METRICS),
) -> str:
    """Rows of metrics, a column per group, each cell "a / b / …" for the compared systems."""
    names = list(columns)
    width = max(12, len(" / ".join("0.000" for _ in names)) + 2)
    lines = [title, " / ".join(names) + " in each cell"]
    lines.append(f"{'':<20}" + "".join(f"{group:>{width}}" for group in groups))
    for label, metric in metrics:
        cells = [
            " / ".join(f"{metric(columns[name][group]):.3f}" for name in names) for group in groups
        ]
        lines.append(f"{label:<20}" + "".join(f"{cell:>{width}}" for cell in cells))
    return "\n".join(lines)
