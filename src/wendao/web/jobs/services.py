"""Use cases of batch work: start a job, let workers claim and process its items, finish it, report progress.

Web views, the CLI (``wendao jobs …``) and the queue task (``tasks.run_batch_job``) all call these. The plan
rules stay where they are: an export renders each enterprise's latest plan with ``plan_document``; a
regeneration calls ``create_plan`` with the enterprise's previous plan options and the active catalog.
"""

from __future__ import annotations

import io
import os
import re
import socket
import threading
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from wendao.web.accounts.audit import record
from wendao.web.catalog import services as catalog_services
from wendao.web.enterprises import services as enterprise_services
from wendao.web.enterprises.access import programmes_for_user
from wendao.web.enterprises.models import PlanRecord
from wendao.web.jobs.models import BatchItem, BatchJob
from wendao.web.programmes.models import Participant, Programme

LANGS = ("zh", "en")
# An item claimed longer ago than this belongs to a worker that died (a PDF takes about a second and a plan a
# few): another worker may take it over, and a job with no progress for this long gets a fresh queue task.
STALLED_AFTER = timedelta(minutes=10)
ERROR_MAX = 2000


class JobError(ValueError):
    """A job that cannot start (no participants, unknown language): shown to the user as is."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:128]


# --- access ---------------------------------------------------------------------------------------------------


def jobs_for_user(user: Any) -> QuerySet[BatchJob]:
    """Jobs of the programmes the user organises (nobody else sees them)."""
    return BatchJob.objects.filter(programme__in=programmes_for_user(user))


def get_job_for_user(user: Any, pk: int) -> BatchJob:
    from django.http import Http404

    try:
        return jobs_for_user(user).select_related("programme").defer("archive").get(pk=pk)
    except BatchJob.DoesNotExist:
        raise Http404("no such job") from None


# --- starting ---------------------------------------------------------------------------------------------------


def active_job(programme: Programme, kind: str) -> BatchJob | None:
    return BatchJob.objects.filter(programme=programme, kind=kind, status__in=BatchJob.ACTIVE).first()


def start_job(user: Any, programme: Programme, kind: str, lang: str = "zh") -> tuple[BatchJob, bool]:
    """Create the job with one item per participant and enqueue it. Returns (job, created): while a job of the
    same kind runs for the programme, that one is returned instead (a partial unique index makes this hold
    under concurrent requests too)."""
    if kind not in BatchJob.Kind.values:
        raise JobError(_("未知的任务类型：%(kind)s") % {"kind": kind})
    if lang not in LANGS:
        raise JobError(_("文档语言只能是 zh 或 en，收到：%(lang)s") % {"lang": lang})
    running = active_job(programme, kind)
    if running is not None:
        _resume_if_stalled(running)
        return running, False
    participants = list(
        Participant.objects.filter(programme=programme).select_related("enterprise").order_by("enterprise__name", "pk")
    )
    if not participants:
        raise JobError(_("项目还没有参训企业，无事可做。请先导入名单。"))
    st = catalog_services.state()
    try:
        with transaction.atomic():
            job = BatchJob.objects.create(
                programme=programme,
                kind=kind,
                lang=lang,
                created_by=user if getattr(user, "is_authenticated", False) else None,
                catalog_revision=st.revision,
                catalog_version=catalog_services.active_catalog().version[:64],
            )
            BatchItem.objects.bulk_create(
                BatchItem(job=job, enterprise=p.enterprise, position=i, label=p.enterprise.name[:200])
                for i, p in enumerate(participants, start=1)
            )
            # enqueued in the same transaction: the job and its queue tasks exist together or not at all
            job.task_ids = _enqueue(job, settings.WENDAO_JOB_TASKS)
            job.save(update_fields=["task_ids"])
            record(user, f"jobs.{kind}.start", job, {"programme": programme.pk, "items": len(participants)})
    except IntegrityError:
        running = active_job(programme, kind)
        if running is None:
            raise
        return running, False
    return job, True


def _enqueue(job: BatchJob, count: int) -> list[str]:
    from wendao.web.jobs.tasks import run_batch_job

    return [str(run_batch_job.enqueue(job.pk).id) for _ in range(max(1, count))]


def last_activity(job: BatchJob) -> Any:
    latest = job.items.aggregate(at=Max("updated_at"))["at"]
    return max(t for t in (latest, job.started_at, job.created_at, job.resumed_at) if t is not None)


def _resume_if_stalled(job: BatchJob) -> None:
    """A job whose worker died (killed mid-item, machine lost) gets one more queue task; items are claimed
    atomically, so a task that turns out to be redundant just finds nothing to do."""
    if timezone.now() - last_activity(job) < STALLED_AFTER:
        return
    ids = _enqueue(job, 1)
    # resumed_at counts as activity: a request within STALLED_AFTER does not enqueue yet another task
    BatchJob.objects.filter(pk=job.pk).update(task_ids=list(job.task_ids) + ids, resumed_at=timezone.now())


# --- processing (runs in a worker) --------------------------------------------------------------------------------


def claim_item(job_id: int, worker: str) -> BatchItem | None:
    """Take the next pending item (or one a dead worker left running) for this worker, or None when none is
    left. The row is locked with SKIP LOCKED on PostgreSQL and the claim is a conditional UPDATE everywhere,
    so two workers never take the same item."""
    stalled = timezone.now() - STALLED_AFTER
    while True:
        with transaction.atomic():
            candidates = BatchItem.objects.filter(
                Q(status=BatchItem.Status.PENDING) | Q(status=BatchItem.Status.RUNNING, claimed_at__lt=stalled),
                job_id=job_id,
            ).order_by("attempts", "position")  # retries go after the fresh items: a passing glitch gets time
            if connection.features.has_select_for_update_skip_locked:
                candidates = candidates.select_for_update(skip_locked=True)
            item = candidates.first()
            if item is None:
                return None
            now = timezone.now()
            claimed = BatchItem.objects.filter(pk=item.pk, status=item.status, attempts=item.attempts).update(
                status=BatchItem.Status.RUNNING, claimed_by=worker, claimed_at=now, attempts=F("attempts") + 1
            )
        if claimed:
            item.refresh_from_db()
            return item


def process_job(job_id: int, worker: str | None = None) -> dict[str, int]:
    """The body of one queue task: claim and process items until none is left, then finish the job if this
    task processed the last one. Several tasks (on several workers) may run this for the same job at once."""
    worker = worker or worker_name()
    job = BatchJob.objects.select_related("programme", "created_by").get(pk=job_id)
    if job.finished:
        return {"processed": 0}
    BatchJob.objects.filter(pk=job_id, status=BatchJob.Status.QUEUED).update(
        status=BatchJob.Status.RUNNING, started_at=timezone.now()
    )
    processed = 0
    while (item := claim_item(job_id, worker)) is not None:
        process_item(job, item)
        processed += 1
    finish_job(job_id)
    return {"processed": processed}


def process_item(job: BatchJob, item: BatchItem) -> None:
    """One enterprise: done, skipped (with the reason), back to pending for another attempt, or failed with the
    error once the attempts are used up. Never raises for the item's own failure: the job goes on."""
    try:
        outcome = _export(job, item) if job.kind == BatchJob.Kind.EXPORT else _regenerate(job, item)
    except Exception as exc:  # any failure of one enterprise's plan is reported on its item
        message = f"{type(exc).__name__}: {exc}"[:ERROR_MAX]
        retry = item.attempts < settings.WENDAO_JOB_ATTEMPTS
        BatchItem.objects.filter(pk=item.pk).update(
            status=BatchItem.Status.PENDING if retry else BatchItem.Status.FAILED,
            error=message,
            updated_at=timezone.now(),
        )
        return
    BatchItem.objects.filter(pk=item.pk).update(updated_at=timezone.now(), **outcome)


def _figures(plan: Any) -> dict[str, Any]:
    m = plan.money
    return {
        "one_off": m.one_off,
        "subsidy": m.subsidy,
        "net_one_off": m.net_one_off,
        "annual_benefit": m.annual_benefit.median,
        "npv": m.npv,
        "payback_months": m.payback_months,
        "items": len(plan.items),
        "catalog_version": plan.catalog_version,
    }


def _skipped(reason: str) -> dict[str, Any]:
    return {"status": BatchItem.Status.SKIPPED, "error": reason}


def _no_plan_reason(item: BatchItem) -> str:
    if not item.enterprise.rounds.filter(completed_at__isnull=False).exists():
        return _("尚未完成评估，没有规划")
    return _("尚未生成规划")


def _export(job: BatchJob, item: BatchItem) -> dict[str, Any]:
    rec = PlanRecord.objects.filter(enterprise_id=item.enterprise_id).first()  # the latest plan
    if rec is None:
        return _skipped(_no_plan_reason(item))
    plan = enterprise_services.plan_of(rec)
    body = enterprise_services.plan_document(rec, "pdf", job.lang)
    return {
        "status": BatchItem.Status.DONE,
        "error": "",
        "plan": rec,
        "document": body,
        "file_name": document_name(item.position, item.label, "pdf"),
        "figures": _figures(plan),
    }


def _regenerate(job: BatchJob, item: BatchItem) -> dict[str, Any]:
    enterprise = item.enterprise
    if not enterprise.rounds.filter(current=True).exists():
        return _skipped(_("尚未完成评估，无法生成规划"))
    previous = PlanRecord.objects.filter(enterprise=enterprise).first()
    # the enterprise's own choices (budget, horizon, objective) carry over; the catalog is the active one
    options = enterprise_services.plan_options(dict(previous.options) if previous else {})
    try:
        rec = enterprise_services.create_plan(job.created_by, enterprise, options)
    except enterprise_services.NoAssessmentError:
        return _skipped(_("尚未完成评估，无法生成规划"))
    return {
        "status": BatchItem.Status.DONE,
        "error": "",
        "plan": rec,
        "figures": _figures(enterprise_services.plan_of(rec)),
    }


_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def document_name(position: int, name: str, ext: str) -> str:
    """A file name safe in a zip on Windows, macOS and Linux: the position keeps names unique."""
    clean = _UNSAFE.sub("_", name).strip(" ._")[:80] or "enterprise"
    return f"{position:03d}_{clean}.{ext}"


def finish_job(job_id: int) -> bool:
    """Close the job once no item is pending or running: build the export archive, set the final status. The
    conditional RUNNING → FINISHING update makes exactly one task do it. Returns whether this call finished it."""
    if BatchItem.objects.filter(
        job_id=job_id, status__in=[BatchItem.Status.PENDING, BatchItem.Status.RUNNING]
    ).exists():
        return False
    if not BatchJob.objects.filter(pk=job_id, status=BatchJob.Status.RUNNING).update(status=BatchJob.Status.FINISHING):
        return False
    job = BatchJob.objects.select_related("programme", "created_by").get(pk=job_id)
    try:
        update: dict[str, Any] = {}
        if job.kind == BatchJob.Kind.EXPORT:
            update["archive"] = build_archive(job)
            update["archive_name"] = f"{_UNSAFE.sub('_', job.programme.name)[:60]}-plans-{job.pk}.zip"
        failed = job.items.filter(status=BatchItem.Status.FAILED).count()
        update["status"] = BatchJob.Status.COMPLETED_WITH_FAILURES if failed else BatchJob.Status.COMPLETED
        update["finished_at"] = timezone.now()
        with transaction.atomic():
            BatchJob.objects.filter(pk=job_id).update(**update)
            job.items.exclude(document=None).update(document=None)  # the archive holds them now
        record(job.created_by, f"jobs.{job.kind}.finish", job, counts(job))
    except Exception as exc:
        BatchJob.objects.filter(pk=job_id).update(
            status=BatchJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:ERROR_MAX], finished_at=timezone.now()
        )
        raise
    return True


def build_archive(job: BatchJob) -> bytes:
    """The zip: one PDF per enterprise with a plan, plus summary.xlsx with every participant (documents,
    skips with their reason, failures with their error)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        documents = job.items.filter(status=BatchItem.Status.DONE).exclude(document=None)
        for name, body in documents.values_list("file_name", "document").iterator(chunk_size=20):
            zf.writestr(name, bytes(body))
        zf.writestr("summary.xlsx", summary_workbook(job))
    return out.getvalue()


# --- reporting ----------------------------------------------------------------------------------------------------


def counts(job: BatchJob) -> dict[str, int]:
    s = BatchItem.Status
    row = job.items.aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=s.DONE)),
        failed=Count("id", filter=Q(status=s.FAILED)),
        skipped=Count("id", filter=Q(status=s.SKIPPED)),
        running=Count("id", filter=Q(status=s.RUNNING)),
        retrying=Count("id", filter=Q(status=s.PENDING, attempts__gt=0)),
    )
    return {k: int(v or 0) for k, v in row.items()}


@dataclass(frozen=True)
class JobProgress:
    job: BatchJob
    total: int
    done: int
    failed: int
    skipped: int
    running: int
    retrying: int
    current: list[str]
    elapsed_seconds: float | None
    eta_seconds: float | None

    @property
    def processed(self) -> int:
        return self.done + self.failed + self.skipped

    @property
    def percent(self) -> int:
        return round(100 * self.processed / self.total) if self.total else 100

    @property
    def finished(self) -> bool:
        return self.job.finished

    @property
    def elapsed_clock(self) -> str:
        return clock(self.elapsed_seconds)

    @property
    def eta_clock(self) -> str:
        return clock(self.eta_seconds)


def clock(seconds: float | None) -> str:
    """h:mm:ss or m:ss; empty when unknown."""
    if seconds is None:
        return ""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def progress(job: BatchJob) -> JobProgress:
    """Done/total, failures, the items being processed now, elapsed time and a linear ETA (two queries)."""
    job.refresh_from_db(fields=["status", "started_at", "finished_at", "error", "archive_name"])
    c = counts(job)
    current = list(job.items.filter(status=BatchItem.Status.RUNNING).values_list("label", flat=True)[:3])
    elapsed = eta = None
    if job.started_at is not None:
        end = job.finished_at or timezone.now()
        elapsed = max(0.0, (end - job.started_at).total_seconds())
        processed = c["done"] + c["failed"] + c["skipped"]
        if not job.finished and processed:
            eta = elapsed / processed * (c["total"] - processed)
    return JobProgress(job=job, current=current, elapsed_seconds=elapsed, eta_seconds=eta, **c)


def problem_items(job: BatchJob) -> QuerySet[BatchItem]:
    return (
        job.items.filter(status__in=[BatchItem.Status.FAILED, BatchItem.Status.SKIPPED])
        .defer("document")
        .order_by("position")
    )


SUMMARY_COLUMNS = (
    ("position", gettext_lazy("序号")),
    ("name", gettext_lazy("企业名称")),
    ("city", gettext_lazy("城市")),
    ("industry", gettext_lazy("行业")),
    ("status", gettext_lazy("状态")),
    ("one_off", gettext_lazy("投资（万元）")),
    ("subsidy", gettext_lazy("补贴（万元）")),
    ("net_one_off", gettext_lazy("净投入（万元）")),
    ("annual_benefit", gettext_lazy("年收益中位值（万元）")),
    ("npv", gettext_lazy("净现值 NPV（万元）")),
    ("payback_months", gettext_lazy("回收期（月）")),
    ("file_name", gettext_lazy("文档文件名")),
    ("attempts", gettext_lazy("尝试次数")),
    ("error", gettext_lazy("错误或说明")),
)


def summary_rows(job: BatchJob) -> list[dict[str, Any]]:
    """One row per participant of the job, in programme order, whatever happened to it."""
    catalog = catalog_services.active_catalog().catalog
    english = job.lang == "en"
    cities = {c.id: (c.name_en if english else c.name_zh) for c in catalog.cities}
    industries = {i.code: (i.name_en if english else i.name_zh) for i in catalog.industries}
    statuses = dict(BatchItem.Status.choices)
    rows = []
    for item in job.items.select_related("enterprise").defer("document", "enterprise__profile").order_by("position"):
        e = item.enterprise
        f = item.figures
        rows.append(
            {
                "position": item.position,
                "name": item.label,
                "city": cities.get(e.city, e.city),
                "industry": f"{e.industry} {industries.get(e.industry[:3], '')}".strip(),
                "status": str(statuses[item.status]),
                "one_off": f.get("one_off"),
                "subsidy": f.get("subsidy"),
                "net_one_off": f.get("net_one_off"),
                "annual_benefit": f.get("annual_benefit"),
                "npv": f.get("npv"),
                "payback_months": f.get("payback_months"),
                "file_name": item.file_name,
                "attempts": item.attempts,
                "error": item.error,
            }
        )
    return rows


def summary_workbook(job: BatchJob) -> bytes:
    with translation.override("en" if job.lang == "en" else "zh-hans"):
        wb = Workbook()
        sheet = wb.active
        assert sheet is not None
        sheet.title = _("汇总")
        sheet.append([str(header) for _key, header in SUMMARY_COLUMNS])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in summary_rows(job):
            sheet.append([row[key] for key, _header in SUMMARY_COLUMNS])
        sheet.freeze_panes = "A2"
        for letter, width in zip("ABCDEFGHIJKLMN", (6, 36, 10, 22, 16, 12, 12, 12, 16, 14, 12, 44, 8, 60), strict=True):
            sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def stale_plans(programme: Programme) -> int:
    """Participants whose latest plan was made with another catalog version than the active one (a catalog
    edit since): what a regeneration would refresh."""
    version = catalog_services.active_catalog().version
    latest = (
        PlanRecord.objects.filter(enterprise__participations__programme=programme)
        .order_by("enterprise_id", "-created_at", "-id")
        .values("enterprise_id", "catalog_version")
    )
    seen: dict[int, str] = {}
    for row in latest.iterator(chunk_size=500):
        seen.setdefault(row["enterprise_id"], row["catalog_version"])
    return sum(1 for v in seen.values() if v != version)
