from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _sqlite_pragmas(sender: Any, connection: Any, **kwargs: Any) -> None:
    """WAL journal on every SQLite connection: readers never block the autosave writer (embedded default)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL;")
            cursor.execute("PRAGMA synchronous=NORMAL;")


class WebConfig(AppConfig):
    name = "wendao.web"
    label = "wendao_web"
    verbose_name = "wendao"

    def ready(self) -> None:
        connection_created.connect(_sqlite_pragmas, dispatch_uid="wendao_sqlite_pragmas")
