"""Batch job pages, for the programme's organisers only: start a job, watch its progress, download the result.

Programmes are fetched with ``get_programme_for_user`` and jobs with ``services.get_job_for_user``: anyone
who is not an organiser of the programme gets 404 on every page, the download included.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wendao.web.accounts.audit import record
from wendao.web.htmx import htmx_partial
from wendao.web.jobs import services
from wendao.web.jobs.models import BatchJob
from wendao.web.programmes.access import get_programme_for_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def programme_jobs(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    jobs = list(BatchJob.objects.filter(programme=programme).defer("archive")[:20])
    return render(
        request,
        "jobs/programme.html",
        {"programme": programme, "jobs": jobs, "stale": services.stale_plans(programme)},
    )


@login_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    kind = request.POST.get("kind", "")
    lang = request.POST.get("lang", "zh")
    try:
        job, created = services.start_job(request.user, programme, kind, lang)
    except services.JobError as exc:
        messages.error(request, str(exc))
        return redirect("jobs:programme", pk=programme.pk)
    if not created and services.stalled_since(job) is not None:
        messages.info(request, _("同类任务已停滞（处理进程无响应），已重新排队，由其他后台进程接着处理。"))
    elif not created:
        messages.info(request, _("同类任务正在进行，显示的是这个任务的进度。"))
    return redirect("jobs:detail", pk=job.pk)


def _context(job: BatchJob) -> dict[str, object]:
    return {
        "job": job,
        "programme": job.programme,
        "p": services.progress(job),
        "problems": services.problem_items(job)[:500] if job.finished else [],
    }


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = services.get_job_for_user(request.user, pk)
    return render(request, "jobs/detail.html", _context(job))


@login_required
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment HTMX polls every two seconds while the job runs (the whole page otherwise)."""
    job = services.get_job_for_user(request.user, pk)
    return htmx_partial(request, "jobs/detail.html", "jobs/_progress.html", _context(job))


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    job = services.get_job_for_user(request.user, pk)
    body = BatchJob.objects.filter(pk=job.pk).values_list("archive", flat=True).first()
    if job.kind != BatchJob.Kind.EXPORT or not job.finished or not body:
        raise Http404("no archive")
    record(request.user, "jobs.download", job, {"archive": job.archive_name})
    return FileResponse(
        io.BytesIO(bytes(body)), as_attachment=True, filename=job.archive_name, content_type="application/zip"
    )


@login_required
@require_GET
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    job = services.get_job_for_user(request.user, pk)
    response = HttpResponse(services.summary_workbook(job), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="summary-{job.pk}.xlsx"'
    return response
