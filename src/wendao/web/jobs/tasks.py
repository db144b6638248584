"""The queue tasks (django-tasks, database backend). A task carries only the job id; the job's items in the
database say what is left to do, so a task can be enqueued several times for one job (several workers).

django-tasks-db never recovers a task whose worker died: its row stays RUNNING. So each active job also has a
watch task queued for later (``run_after``): whichever worker is free when it is due queues the next one and
resumes the job if it has stalled (``services.watch_job``)."""

from __future__ import annotations

from typing import Any

from django_tasks import TaskContext, task

from wendao.web.jobs import services


@task()
def run_batch_job(job_id: int) -> dict[str, int]:
    """Process the items of one batch job until none is left (see services.process_job)."""
    return services.process_job(job_id)


@task(takes_context=True)
def watch_batch_job(context: TaskContext, job_id: int) -> dict[str, Any]:
    """Look at an active job; resume it in this task if its worker stopped answering (services.watch_job)."""
    return services.watch_job(job_id, str(context.task_result.id))
