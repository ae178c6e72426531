"""Search over the knowledge base: ``search()`` for people, ``rank()`` for triage and evaluation.

``index_update(article)`` is called by the services whenever an article changes.
"""

from .engine import ArticleHit, Mode, Ranking, SearchResults, invalidate, rank, search
from .index import index_rebuild, index_update, index_update_many

__all__ = [
    "ArticleHit",
    "Mode",
    "Ranking",
    "SearchResults",
    "index_rebuild",
    "index_update",
    "index_update_many",
    "invalidate",
    "rank",
    "search",
]
