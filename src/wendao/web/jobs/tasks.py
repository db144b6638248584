"""The queue tasks (django-tasks, database backend). A task carries only the job id; the job's items in the
database say what is left to do, so a task can be enqueued several times for one job (several workers)."""

from __future__ import annotations

from django_tasks import task

from wendao.web.jobs import services


@task()
def run_batch_job(job_id: int) -> dict[str, int]:
    """Process the items of one batch job until none is left (see services.process_job)."""
    return services.process_job(job_id)
