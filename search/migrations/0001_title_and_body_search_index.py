"""On PostgreSQL, a GIN index on the title and body vectors together: Wagtail's search matches
`(title || body) @@ query`, which its separate title and body indexes cannot serve, so every search read each
searchable page's index entry (6 ms a search with 1,000 products, growing with the catalogue). SQLite searches
its own FTS5 table and needs nothing."""

from django.db import migrations

INDEX = "search_indexentry_title_body_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry USING GIN ((title || body))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
