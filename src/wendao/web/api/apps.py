from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The open API (django-ninja, OpenAPI 3 at /api/openapi.json): the same access helpers as the web."""

    name = "wendao.web.api"
    label = "api"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from wendao.web.api.tokens import revoke_on_password_change

        post_save.connect(revoke_on_password_change, sender=get_user_model(), dispatch_uid="api_tokens_password")
