"""The full-text index over SearchEntry and SearchTerm, for the database in use.

SQLite: FTS5 tables (lemma keys with bm25; vocabulary trigrams for typos).
PostgreSQL: unaccent and pg_trgm, a generated tsvector column (``simple`` configuration) with a
GIN index, and a trigram index on the vocabulary. Other databases get nothing.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE knowledge_fts USING fts5("
    "article_id UNINDEXED, title, summary, body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE knowledge_term_trigram USING fts5(term, tokenize = 'trigram')",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS knowledge_term_trigram",
    "DROP TABLE IF EXISTS knowledge_fts",
]
POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # unaccent() is only STABLE; a generated column and an index need an IMMUTABLE function.
    "CREATE OR REPLACE FUNCTION knowledge_unaccent(text) RETURNS text "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
    "AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$",
    "ALTER TABLE knowledge_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, knowledge_unaccent(title_terms)), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, knowledge_unaccent(summary_terms)), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, knowledge_unaccent(body_terms)), 'D')"
    ") STORED",
    "CREATE INDEX knowledge_entry_vector ON knowledge_searchentry USING gin (search_vector)",
    "CREATE INDEX knowledge_term_trigram ON knowledge_searchterm USING gin (term gin_trgm_ops)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS knowledge_term_trigram",
    "DROP INDEX IF EXISTS knowledge_entry_vector",
    "ALTER TABLE knowledge_searchentry DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS knowledge_unaccent(text)",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        ),
    ]
