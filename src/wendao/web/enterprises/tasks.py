"""Queue tasks of the enterprise app (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from wendao.web.enterprises import prepared


@task()
def prepare_plan_document(plan_id: int, fmt: str, lang: str) -> str:
    """Typeset one plan document in the background for the person waiting on the plan page (prepared.py)."""
    return prepared.prepare_document(plan_id, fmt, lang)  # type: ignore[arg-type]
