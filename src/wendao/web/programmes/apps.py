from __future__ import annotations

from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    """Programmes (cohorts): sessions, participants imported from Excel, discussion groups, visits."""

    name = "wendao.web.programmes"
    label = "programmes"
    default_auto_field = "django.db.models.BigAutoField"
