from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The open API (django-ninja, OpenAPI 3 at /api/openapi.json): the same access helpers as the web."""

    name = "wendao.web.api"
    label = "api"
    default_auto_field = "django.db.models.BigAutoField"
