"""The full-text index, one interface over two databases.

SQLite: an FTS5 table of the lemma keys (FTS5 has no stemming of its own) ranked by bm25,
and an FTS5 trigram table of the vocabulary for typos. PostgreSQL: a generated tsvector column
(the ``simple`` configuration over the same lemma keys, through ``unaccent``) ranked by
ts_rank, and pg_trgm over the vocabulary. Both tables are created by migration 0002.

Query text never reaches MATCH or to_tsquery: the expression is built here from term keys,
each quoted, so FTS syntax (" * NEAR OR AND : ( ) ^ -) in a question is only ever text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection

# Relative weight of a match in the title, the summary and the body.
FIELD_WEIGHTS = (8.0, 3.0, 1.0)


def trigrams(term: str) -> list[str]:
    return list(dict.fromkeys(term[index : index + 3] for index in range(len(term) - 2)))


class LexicalBackend:
    vendor = ""

    def entries_write(self, rows: Sequence[tuple[int, int, str, str, str]]) -> None:
        """Index (entry id, article id, title terms, summary terms, body terms)."""

    def entries_delete(self, entry_ids: Iterable[int]) -> None:
        """Forget entries."""

    def articles_prune(self, article_ids: Sequence[int], keep: set[int]) -> None:
        """Forget entries of these articles other than ``keep`` (rows deleted by cascade)."""

    def terms_added(self, terms: Sequence[tuple[int, str]]) -> None:
        """New vocabulary rows (id, term), for typo look-ups."""

    def terms_deleted(self, term_ids: Iterable[int]) -> None:
        """Vocabulary rows gone."""

    def match(self, keys: Sequence[str], limit: int) -> list[tuple[int, float]]:
        """Entries holding any of ``keys``, best first, with a score (higher is better)."""
        raise NotImplementedError

    def similar_terms(self, key: str, limit: int) -> list[tuple[str, int]]:
        """Vocabulary terms that share letters with ``key``, as (term, entries)."""
        raise NotImplementedError

    def clear(self) -> None:
        """Empty the index (the SearchEntry and SearchTerm rows are emptied by the caller)."""


def _fts_string(key: str) -> str:
    return '"' + key.replace('"', '""') + '"'


class SQLiteBackend(LexicalBackend):
    vendor = "sqlite"

    def entries_write(self, rows: Sequence[tuple[int, int, str, str, str]]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM knowledge_fts WHERE rowid = %s", [(row[0],) for row in rows]
            )
            cursor.executemany(
                "INSERT INTO knowledge_fts (rowid, article_id, title, summary, body) "
                "VALUES (%s, %s, %s, %s, %s)",
                list(rows),
            )

    def entries_delete(self, entry_ids: Iterable[int]) -> None:
        ids = [(entry_id,) for entry_id in entry_ids]
        if ids:
            with connection.cursor() as cursor:
                cursor.executemany("DELETE FROM knowledge_fts WHERE rowid = %s", ids)

    def articles_prune(self, article_ids: Sequence[int], keep: set[int]) -> None:
        if not article_ids:
            return
        with connection.cursor() as cursor:
            placeholders = ", ".join(["%s"] * len(article_ids))
            cursor.execute(
                f"SELECT rowid FROM knowledge_fts WHERE article_id IN ({placeholders})",  # noqa: S608  # nosec B608  # only %s placeholders
                list(article_ids),
            )
            orphans = [(row[0],) for row in cursor.fetchall() if row[0] not in keep]
            if orphans:
                cursor.executemany("DELETE FROM knowledge_fts WHERE rowid = %s", orphans)

    def terms_added(self, terms: Sequence[tuple[int, str]]) -> None:
        if terms:
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO knowledge_term_trigram (rowid, term) VALUES (%s, %s)", list(terms)
                )

    def terms_deleted(self, term_ids: Iterable[int]) -> None:
        ids = [(term_id,) for term_id in term_ids]
        if ids:
            with connection.cursor() as cursor:
                cursor.executemany("DELETE FROM knowledge_term_trigram WHERE rowid = %s", ids)

    def match(self, keys: Sequence[str], limit: int) -> list[tuple[int, float]]:
        if not keys:
            return []
        expression = " OR ".join(_fts_string(key) for key in keys)
        weights = ", ".join(str(weight) for weight in (0.0, *FIELD_WEIGHTS))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, -bm25(knowledge_fts, {weights}) AS score "  # noqa: S608  # nosec B608  # constants
                "FROM knowledge_fts WHERE knowledge_fts MATCH %s ORDER BY score DESC LIMIT %s",
                [expression, limit],
            )
            return [(int(row[0]), float(row[1])) for row in cursor.fetchall()]

    def similar_terms(self, key: str, limit: int) -> list[tuple[str, int]]:
        grams = trigrams(key)
        if not grams:
            return []
        expression = " OR ".join(_fts_string(gram) for gram in grams)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT t.term, t.entries FROM knowledge_term_trigram g "
                "JOIN knowledge_searchterm t ON t.id = g.rowid "
                "WHERE knowledge_term_trigram MATCH %s ORDER BY g.rank LIMIT %s",
                [expression, limit],
            )
            return [(row[0], int(row[1])) for row in cursor.fetchall()]

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM knowledge_fts")
            cursor.execute("DELETE FROM knowledge_term_trigram")


def _tsquery_lexeme(key: str) -> str:
    return "'" + key.replace("\\", "").replace("'", "''") + "'"


class PostgreSQLBackend(LexicalBackend):
    vendor = "postgresql"

    def match(self, keys: Sequence[str], limit: int) -> list[tuple[int, float]]:
        if not keys:
            return []
        expression = " | ".join(_tsquery_lexeme(key) for key in keys)
        title, summary, body = FIELD_WEIGHTS
        weights = (
            "{" + ",".join(str(w) for w in (body / title, body / title, summary / title, 1.0)) + "}"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.id, ts_rank(%s::float4[], e.search_vector, q, 1) AS score "
                "FROM knowledge_searchentry e, "
                "to_tsquery('simple', knowledge_unaccent(%s)) q "
                "WHERE e.search_vector @@ q ORDER BY score DESC LIMIT %s",
                [weights, expression, limit],
            )
            return [(int(row[0]), float(row[1])) for row in cursor.fetchall()]

    def similar_terms(self, key: str, limit: int) -> list[tuple[str, int]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term, entries FROM knowledge_searchterm WHERE term %% %s "
                "ORDER BY similarity(term, %s) DESC LIMIT %s",
                [key, key, limit],
            )
            return [(row[0], int(row[1])) for row in cursor.fetchall()]


def lexical_backend() -> LexicalBackend:
    """The backend of the database in use (chosen by connection.vendor)."""
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"No knowledge-base index for {connection.vendor}")
