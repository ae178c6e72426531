"""Batch triage: one JSON question per input line, one JSON answer per output line."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from infopoint.knowledge.search.engine import matrix
from infopoint.knowledge.triage import triage


class Command(BaseCommand):
    help = (
        'Reads {"id": …, "text": …} lines from standard input and writes one line per input: '
        '{"id", "language", "topic", "referral", "articles": [{"slug", "language", "score"}]} '
        "(at most 5 articles). Models are loaded once. A line that is not such JSON gets "
        '{"id": null, "error": …} and the run goes on.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--jsonl", action="store_true", help="JSON Lines in and out (the only format)."
        )
        parser.add_argument(
            "--confidence", action="store_true", help="Add topic and referral confidences."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["jsonl"]:
            raise CommandError("Use --jsonl: JSON Lines on standard input.")
        matrix()  # load the index and the model before the first line
        keep = {"id", "language", "topic", "referral", "articles"}
        if options["confidence"]:
            keep |= {"topic_confidence", "referral_confidence"}
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                question = json.loads(line)
                if not isinstance(question, dict):
                    raise ValueError("not an object")
                text = question.get("text")
                if text is not None and not isinstance(text, str):
                    raise ValueError("text is not a string")
            except ValueError as error:
                answer: dict[str, Any] = {"id": None, "error": f"invalid line: {error}"}
            else:
                result = triage(text or "").as_json(question.get("id"))
                answer = {key: value for key, value in result.items() if key in keep}
            self.stdout.write(json.dumps(answer, ensure_ascii=False))
