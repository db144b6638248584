from __future__ import annotations

from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    """Providers and their capabilities, 揭榜挂帅 challenges with proposals, matching needs to providers."""

    name = "wendao.web.marketplace"
    label = "marketplace"
    default_auto_field = "django.db.models.BigAutoField"
