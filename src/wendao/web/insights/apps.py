from __future__ import annotations

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Dashboards for organisers: maturity by city/industry/chain/size, demand heat map, pilot selection."""

    name = "wendao.web.insights"
    label = "insights"
    default_auto_field = "django.db.models.BigAutoField"
