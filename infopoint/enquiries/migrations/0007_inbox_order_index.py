"""An index in the inbox's own order, on PostgreSQL only.

The inbox lists owed enquiries (new, open) first by due time, then the rest newest first:
``ORDER BY CASE WHEN status IN ('new', 'open') THEN 0 ELSE 1 END, due_at, created_at DESC, id
DESC`` (``inbox.enquiry_inbox``; the statuses are ``inbox.OWED_STATUSES``). With an index on
that very expression PostgreSQL reads the first page's 50 rows in order and stops, instead of
sorting every visible enquiry. The expression must stay as Django writes it; the test
``test_the_inbox_reads_its_first_page_through_the_order_index`` checks that it still fits.
Django's ``Meta.indexes`` could declare it, but SQLite (the embedded profile) does not need it.
"""

from django.db import migrations

NAME = "enquiry_inbox_order"


def index_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("enquiries", "Enquiry")._meta.db_table)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(NAME)} ON {table} "
        "((CASE WHEN status IN ('new', 'open') THEN 0 ELSE 1 END), due_at, "
        "created_at DESC, id DESC)"
    )


def index_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(NAME)}")


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0006_report_covering_index")]

    operations = [migrations.RunPython(index_create, index_drop)]
