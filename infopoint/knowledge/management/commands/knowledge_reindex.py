from typing import Any

from django.core.management.base import BaseCommand

from infopoint.knowledge.search import index_rebuild


class Command(BaseCommand):
    help = "Builds the knowledge-base search index again from the articles (after an upgrade)."

    def handle(self, *args: Any, **options: Any) -> None:
        written = index_rebuild()
        self.stdout.write(f"{written} translations indexed.")
