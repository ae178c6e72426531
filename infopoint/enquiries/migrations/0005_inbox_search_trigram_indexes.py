"""Trigram indexes for the staff inbox search, on PostgreSQL only.

The inbox's ``q`` is ``icontains``, which Django asks PostgreSQL as
``UPPER(column::text) LIKE UPPER('%…%')``: no B-tree can answer that, so every search read both
tables. GIN indexes with pg_trgm's operator class on that very expression can. They cannot be
declared in the models' ``Meta``: the embedded profile runs SQLite, which has neither the
extension nor the index type, and goes without.
"""

from django.db import migrations

# (index, model, field): every text the inbox search reads.
INDEXES = [
    ("enquiry_reference_trgm", "Enquiry", "reference"),
    ("enquiry_name_trgm", "Enquiry", "name"),
    ("enquiry_email_trgm", "Enquiry", "email"),
    ("enquiry_phone_trgm", "Enquiry", "phone"),
    ("enquiry_subject_trgm", "Enquiry", "subject"),
    ("enquiry_message_text_trgm", "Message", "text"),
]


def indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    # A trusted extension since PostgreSQL 13: the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, model_name, field_name in INDEXES:
        model = apps.get_model("enquiries", model_name)
        column = model._meta.get_field(field_name).column
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(model._meta.db_table)} "
            f"USING gin ((UPPER({quote(column)}::text)) gin_trgm_ops)"
        )


def indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other objects in the database may use it by then.
    for name, _model_name, _field_name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0004_triage_and_suggestion_openings")]

    operations = [migrations.RunPython(indexes_create, indexes_drop)]
