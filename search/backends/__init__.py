"""The site's search backend: Wagtail's database backend for the database in use, with each search ranked once.

Wagtail's `wagtail.search.backends.database` picks its backend by the default database's vendor, and so does this
(settings: `search.backends`). The SQLite and PostgreSQL modules are imported only for their own database:
Wagtail's index models for one cannot be loaded on the other.
"""

from django.db import connection


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend's module
    if connection.vendor == "sqlite":
        from .sqlite import RankedOnceSQLiteBackend  # Wagtail's SQLite index models load only on SQLite

        return RankedOnceSQLiteBackend(params)
    if connection.vendor == "postgresql":
        from .postgres import RankedOncePostgresBackend  # and PostgreSQL's only on PostgreSQL

        return RankedOncePostgresBackend(params)
    from modelsearch.backends.database import SearchBackend as wagtails

    return wagtails(params)
