from __future__ import annotations

from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Batch work on the database-backed task queue (django-tasks): plan regeneration, cohort document export."""

    name = "wendao.web.jobs"
    label = "jobs"
    default_auto_field = "django.db.models.BigAutoField"
