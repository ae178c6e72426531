"""`make eval`: the engine's figures on the labelled question set, beside a plain baseline."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test.utils import override_settings

from infopoint.core.content import default_content_load
from infopoint.knowledge.evaluation.baseline import BaselineSearch
from infopoint.knowledge.evaluation.measure import (
    METRICS,
    SPLITS,
    by_language,
    comparison_table,
    predict_baseline,
    predict_system,
    questions_load,
)
from infopoint.knowledge.search.engine import Mode, invalidate
from infopoint.knowledge.training import triage_retrain


class Command(BaseCommand):
    help = (
        "Loads the default content into a throw-away database and prints, per language and "
        "overall, for the dev and held-out splits: language, topic, referral and article "
        "figures of the engine beside a plain BM25 baseline, and hybrid vs lexical vs semantic."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--questions", type=Path, default=None, help="A JSON Lines file.")
        parser.add_argument(
            "--tune",
            action="store_true",
            help="Search the hybrid's weights on the dev split only and print the best.",
        )
        parser.add_argument(
            "--no-train",
            action="store_true",
            help="Evaluate the topic classifier in use instead of training one first.",
        )
        parser.add_argument(
            "--keep-database",
            action="store_true",
            help="Use the configured database as it is instead of a throw-away one.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        old_name = None
        if not options["keep_database"]:
            old_name = connection.settings_dict["NAME"]
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            default_content_load()
        try:
            self.stdout.write(
                f"Database: {connection.vendor}, content loaded in "
                f"{time.monotonic() - started:.0f} s."
            )
            questions = questions_load(options["questions"])
            if not options["no_train"]:
                started = time.monotonic()
                result = triage_retrain()
                self.stdout.write(
                    f"Topic classifier: {result.examples} examples, dev score (5-fold) "
                    f"{result.candidate_score:.3f} against {result.current_score:.3f} in use: "
                    f"{'deployed' if result.deployed else 'not deployed'} "
                    f"({time.monotonic() - started:.0f} s)."
                )
                if result.referral is not None:
                    self.stdout.write(
                        f"Referral threshold {result.referral.threshold:.3f}, calibrated on dev "
                        f"(5-fold): precision {result.referral.precision:.3f}, recall "
                        f"{result.referral.recall:.3f}."
                    )
            if options["tune"]:
                self.tune([question for question in questions if question.split == "dev"])
            else:
                self.report(questions)
        finally:
            if old_name is not None:
                connection.creation.destroy_test_db(old_name, verbosity=0)

    def report(self, questions: list) -> None:
        languages = [code for code, _name in settings.LANGUAGES]
        groups = [*languages, "all"]
        baseline = BaselineSearch()
        for split in SPLITS:
            subset = [question for question in questions if question.split == split]
            if not subset:
                continue
            started = time.monotonic()
            system = by_language(subset, predict_system(subset), languages)
            elapsed = time.monotonic() - started
            base = by_language(subset, predict_baseline(subset, baseline), languages)
            overall = system["all"]
            self.stdout.write("")
            self.stdout.write(
                comparison_table(
                    f"== {split}: {overall.questions} questions, {overall.answerable} with an "
                    f"answer in the base, {overall.long_questions} of 5+ words "
                    f"({1000 * elapsed / len(subset):.0f} ms per question) ==",
                    {"engine": system, "baseline": base},
                    groups,
                )
            )
            modes = {
                "hybrid": system,
                "lexical": by_language(subset, predict_system(subset, Mode.LEXICAL), languages),
                "semantic": by_language(subset, predict_system(subset, Mode.SEMANTIC), languages),
            }
            self.stdout.write("")
            self.stdout.write(
                comparison_table(
                    f"-- {split}: the combination against each half --",
                    modes,
                    groups,
                    [
                        metric
                        for metric in METRICS
                        if metric[0] in {"topic", "recall@1", "recall@3", "MRR"}
                    ],
                )
            )

    def tune(self, questions: list) -> None:
        languages = [code for code, _name in settings.LANGUAGES]
        self.stdout.write(f"Tuning on {len(questions)} dev questions (held-out not read).")
        results = []
        for weight in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4):
            for floor in (0.7, 0.75, 0.8):
                with override_settings(
                    KNOWLEDGE_LEXICAL_WEIGHT=weight, KNOWLEDGE_SEMANTIC_FLOOR=floor
                ):
                    invalidate()
                    overall = by_language(questions, predict_system(questions), languages)["all"]
                results.append((overall.mrr + overall.topic, weight, floor, overall))
                self.stdout.write(
                    f"lexical weight {weight:.2f} floor {floor:.2f}: topic {overall.topic:.3f} "
                    f"recall@1 {overall.recall_at_1:.3f} recall@3 {overall.recall_at_3:.3f} "
                    f"MRR {overall.mrr:.3f}"
                )
        _score, weight, floor, _figures = max(results, key=lambda item: item[0])
        self.stdout.write(
            f"Best on dev: KNOWLEDGE_LEXICAL_WEIGHT = {weight}, KNOWLEDGE_SEMANTIC_FLOOR = {floor}"
        )
