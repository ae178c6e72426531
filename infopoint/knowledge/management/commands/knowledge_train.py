from typing import Any

from django.core.management.base import BaseCommand

from infopoint.knowledge.training import triage_retrain


class Command(BaseCommand):
    help = (
        "Trains the triage topic classifier on the articles, corrected enquiries and the dev "
        "questions; deploys it only if it beats the one in use (what the daily task does)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = triage_retrain()
        self.stdout.write(
            f"{result.examples} examples; dev score {result.candidate_score:.3f} against "
            f"{result.current_score:.3f} in use: "
            f"{'deployed' if result.deployed else 'not deployed'}."
        )
