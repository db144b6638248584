"""Use cases of batch work: start a job, let workers claim and process its items, finish it, report progress.

Web views, the CLI (``wendao jobs …``) and the queue tasks (``tasks.run_batch_job``, ``tasks.watch_batch_job``)
all call these. The plan rules stay where they are: an export renders each enterprise's latest plan with
``plan_document``; a regeneration calls ``create_plan`` with the enterprise's previous plan options and the
active catalog.

A worker can die at any moment (killed, out of memory, machine lost). Claims are therefore leases that the
working worker renews (``Heartbeat``); an item whose lease ran out is taken over by the next worker that looks
for work, at most ``WENDAO_JOB_ATTEMPTS`` times in all (``claim_item``). django-tasks-db itself never recovers
a task row left RUNNING by a dead worker, so every active job has a watch task queued for later
(``watch_job``): any worker picks it up when due, queues the next one, and resumes the job itself if it has
stalled. Readers (job page, ``wendao jobs status``) show a stalled job as such, and fail it once no worker has
taken it up for ``abandon_after()`` while none showed life anywhere (``fail_if_abandoned``).
"""

from __future__ import annotations

import io
import logging
import os
import re
import socket
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook
from openpyxl.styles import Font

from wendao.engine.tables import safe_row
from wendao.web.accounts.audit import record
from wendao.web.accounts.types import Actor, Visitor
from wendao.web.catalog import services as catalog_services
from wendao.web.enterprises import services as enterprise_services
from wendao.web.enterprises.models import PlanRecord
from wendao.web.jobs.models import BatchItem, BatchJob
from wendao.web.programmes.access import programmes_for_user
from wendao.web.programmes.models import Participant, Programme

LANGS = ("zh", "en")
ERROR_MAX = 2000
logger = logging.getLogger(__name__)

# --- leases: how long a claim holds, how a dead worker's work is noticed --------------------------------------
#
# A worker renews the lease of what it holds every lease/6 (10 s) from a heartbeat thread, so the lease does not
# depend on how long one item takes (a plan PDF 3–4 s, a plan a few seconds, the archive of 300 PDFs some more).
# 60 s is six renewals: it rides out missed ones (a renewal waiting out SQLite's 20 s busy timeout, a long GC
# pause, a database hiccup), and a worker killed mid-item frees its item within a minute. An idle worker looks
# at each active job every lease/2 (30 s), so a dead worker's job is taken up within lease + lease/2 (90 s).


def lease() -> timedelta:
    return timedelta(seconds=settings.WENDAO_JOB_LEASE_SECONDS)


def heartbeat_every() -> float:
    return lease().total_seconds() / 6


def watch_every() -> timedelta:
    return lease() / 2


def abandon_after() -> timedelta:
    """A stalled job that no worker took up for this long, while no worker showed life on any job, is failed
    (``fail_if_abandoned``): 15 minutes, long enough for an operator to restart a worker or the demo."""
    return timedelta(seconds=settings.WENDAO_JOB_ABANDON_SECONDS)


# A worker that has held one item (or the archive) this long without finishing it is taken for hung (150 times
# a plan PDF): its heartbeat stops renewing, another worker takes the item over, and the hung worker's late
# result is discarded (its writes are fenced by the claim, see process_item).
HOLD_LIMIT = timedelta(minutes=10)


class JobError(ValueError):
    """A job that cannot start (no participants, unknown language): shown to the user as is."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:128]


# --- access ---------------------------------------------------------------------------------------------------


def jobs_for_user(user: Visitor) -> QuerySet[BatchJob]:
    """Jobs of the programmes the user organises (nobody else sees them)."""
    return BatchJob.objects.filter(programme__in=programmes_for_user(user))


def get_job_for_user(user: Visitor, pk: int) -> BatchJob:
    from django.http import Http404

    try:
        return jobs_for_user(user).select_related("programme").defer("archive").get(pk=pk)
    except BatchJob.DoesNotExist:
        raise Http404("no such job") from None


# --- starting ---------------------------------------------------------------------------------------------------


def active_job(programme: Programme, kind: str) -> BatchJob | None:
    return BatchJob.objects.filter(programme=programme, kind=kind, status__in=BatchJob.ACTIVE).first()


def start_job(user: Actor, programme: Programme, kind: str, lang: str = "zh") -> tuple[BatchJob, bool]:
    """Create the job with one item per participant and enqueue it. Returns (job, created): while a job of the
    same kind runs for the programme, that one is returned instead (a partial unique index makes this hold
    under concurrent requests too). A stalled one is resumed at once (``resume_if_stalled``); one that no
    worker took up for ``abandon_after()`` is failed, and a new job replaces it."""
    if kind not in BatchJob.Kind.values:
        raise JobError(_("未知的任务类型：%(kind)s") % {"kind": kind})
    if lang not in LANGS:
        raise JobError(_("文档语言只能是 zh 或 en，收到：%(lang)s") % {"lang": lang})
    running = active_job(programme, kind)
    if running is not None and not fail_if_abandoned(running):
        resume_if_stalled(running)
        return running, False
    participants = list(
        # joined only: an enterprise that has not accepted the invitation is not the organisers' to plan or export
        Participant.objects.joined()
        .filter(programme=programme)
        .select_related("enterprise")
        .order_by("enterprise__name", "pk")
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
            _schedule_watch(job)
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


def _schedule_watch(job: BatchJob) -> str:
    """Queue the job's next watch (``watch_job``) for ``watch_every()`` from now: whichever worker is free then
    looks at the job. A plain queue task, so `wendao jobs worker`, `wendao demo`'s worker and any `db_worker`
    run it; until it is due it does not count as work (`--batch` workers still exit)."""
    from wendao.web.jobs.tasks import watch_batch_job

    task_id = str(watch_batch_job.using(run_after=timezone.now() + watch_every()).enqueue(job.pk).id)
    BatchJob.objects.filter(pk=job.pk).update(watch_task_id=task_id)
    job.watch_task_id = task_id
    return task_id


def _waiting_task(job: BatchJob) -> bool:
    """Whether one of the job's queue tasks still waits for a worker."""
    return DBTaskResult.objects.filter(id__in=job.task_ids, status=TaskResultStatus.READY).exists()


def stalled_since(job: BatchJob, now: datetime | None = None) -> datetime | None:
    """When the job's worker stopped answering, or None while the job is live, waits in the queue or is
    finished. Running: no item holds a live lease and none was claimed, renewed or finished within a lease
    (the moment is the last lease's end); finishing: the archive builder's lease ran out; queued: its queue
    tasks were taken, yet no worker started it (one died in between)."""
    now = now or timezone.now()
    span = lease()
    if job.status == BatchJob.Status.FINISHING:
        end = job.lease_expires_at or (job.started_at or job.created_at) + span
        return end if end < now else None
    if job.status == BatchJob.Status.QUEUED:
        if _waiting_task(job):
            return None
        end = (job.resumed_at or job.created_at) + span
        return end if end < now else None
    if job.status != BatchJob.Status.RUNNING:
        return None
    row = job.items.aggregate(
        live=Count("id", filter=Q(status=BatchItem.Status.RUNNING, lease_expires_at__gte=now)),
        lease=Max("lease_expires_at"),
        touched=Max("updated_at"),
    )
    if row["live"]:
        return None
    ends = [row["lease"], row["touched"] and row["touched"] + span, (job.started_at or job.created_at) + span]
    end = max(t for t in ends if t)
    return end if end < now else None


def _forget_lost_tasks(job: BatchJob) -> None:
    """The job's queue tasks left RUNNING by a worker that stopped answering: django-tasks-db never finishes
    them itself. Marked failed, so the queue shows what happened (should that worker wake up after all, its own
    result overwrites this)."""
    DBTaskResult.objects.filter(id__in=job.task_ids, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="wendao.web.jobs.services.WorkerLost",
        traceback=f"WorkerLost: no heartbeat from the worker running this task; batch job {job.pk} was resumed\n",
    )


def resume_if_stalled(job: BatchJob) -> bool:
    """Whoever notices a stalled job (a new request for it, its page) hands it to a fresh queue task at once,
    unless one already waits for a worker, and restarts its watch if that chain broke. The dead worker's item
    is free already (its lease ran out), and claims are atomic: a task that turns out redundant finds nothing
    to do. Returns whether the job was stalled."""
    if stalled_since(job) is None:
        return False
    _forget_lost_tasks(job)
    if not _waiting_task(job):
        ids = _enqueue(job, 1)
        job.task_ids = [*job.task_ids, *ids]
        job.resumed_at = timezone.now()
        BatchJob.objects.filter(pk=job.pk).update(task_ids=job.task_ids, resumed_at=job.resumed_at)
    watch = job.watch_task_id
    if not (watch and DBTaskResult.objects.filter(id=watch, status=TaskResultStatus.READY).exists()):
        _schedule_watch(job)
    return True


def _any_worker_alive() -> bool:
    """A worker holds a live lease somewhere (an item of any job, or an archive being built): it takes up the
    next queue task when it is done, so a job waiting behind it is not abandoned."""
    now = timezone.now()
    return (
        BatchItem.objects.filter(status=BatchItem.Status.RUNNING, lease_expires_at__gte=now).exists()
        or BatchJob.objects.filter(status=BatchJob.Status.FINISHING, lease_expires_at__gte=now).exists()
    )


def fail_if_abandoned(job: BatchJob) -> bool:
    """Fail a job that has been stalled for ``abandon_after()`` while no worker showed life on any job: nobody
    is there to take it up (no worker runs, or every one died). Done by whoever looks (job page, `wendao jobs
    status`, a new request), so the job reports the failure by itself. Its interrupted items are failed, the
    ones never processed skipped, each with the reason; a new request starts a fresh job. Returns whether it
    failed the job now."""
    since = stalled_since(job)
    now = timezone.now()
    if since is None or now - since < abandon_after() or _any_worker_alive():
        return False
    minutes = round(abandon_after().total_seconds() / 60)
    message = _(
        "处理进程无响应，%(minutes)d 分钟内没有其他后台进程接手，任务已中止。"
        "请确认后台任务进程（wendao jobs worker，wendao demo 会自动启动一个）在运行，再重新发起。"
    ) % {"minutes": minutes}
    s = BatchItem.Status
    with transaction.atomic():
        if not BatchJob.objects.filter(pk=job.pk, status=job.status).update(
            status=BatchJob.Status.FAILED, error=message, finished_at=now, lease_expires_at=None
        ):
            return False
        job.items.filter(status=s.RUNNING).update(
            status=s.FAILED, error=_("处理该项时进程中断，任务已中止"), lease_expires_at=None, updated_at=now
        )
        job.items.filter(status=s.PENDING).update(status=s.SKIPPED, error=_("任务已中止，未处理"), updated_at=now)
        job.items.exclude(document=None).update(document=None)
    record(job.created_by, f"jobs.{job.kind}.abandon", job, {"stalled_since": since.isoformat()})
    job.refresh_from_db(fields=["status", "error", "finished_at", "lease_expires_at"])
    return True


def watch_job(job_id: int, task_id: str = "") -> dict[str, Any]:
    """The body of a watch task: while the job is active, queue the next watch first (if this worker dies
    below, that one is there for the next), then resume the job in this very task if it has stalled: its
    dead worker's item is taken over by ``claim_item``, the rest goes on as usual."""
    job = BatchJob.objects.filter(pk=job_id).defer("archive").first()
    if job is None or job.finished:
        return {"watching": False}
    _schedule_watch(job)
    since = stalled_since(job)
    if since is None:
        return {"watching": True, "stalled": False}
    logger.warning("batch job %s stalled since %s: resuming it in task %s", job.pk, since, task_id)
    _forget_lost_tasks(job)
    BatchJob.objects.filter(pk=job.pk).update(
        task_ids=[*job.task_ids, task_id] if task_id else job.task_ids, resumed_at=timezone.now()
    )
    return {"watching": True, "stalled": True, **process_job(job_id)}


# --- processing (runs in a worker) --------------------------------------------------------------------------------


def _lease_over(now: datetime) -> Q:
    # no lease at all: an item claimed before leases existed
    return Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now)


def claim_item(job_id: int, worker: str) -> BatchItem | None:
    """Take the next pending item, or one whose holder's lease ran out (its worker died), for this worker; None
    when none is left. An item already claimed ``WENDAO_JOB_ATTEMPTS`` times whose lease ran out again is failed
    with the reason instead (an enterprise whose document kills the worker would otherwise do so forever). The
    row is locked with SKIP LOCKED on PostgreSQL and every change is a conditional UPDATE (``take``), so two
    workers never take the same item."""
    while True:
        now = timezone.now()
        with transaction.atomic():
            candidates = BatchItem.objects.filter(
                Q(status=BatchItem.Status.PENDING) | (Q(status=BatchItem.Status.RUNNING) & _lease_over(now)),
                job_id=job_id,
            ).order_by("attempts", "position")  # retries go after the fresh items: a passing glitch gets time
            if connection.features.has_select_for_update_skip_locked:
                candidates = candidates.select_for_update(skip_locked=True)
            item = candidates.defer("document").first()
            if item is None:
                return None
            if item.status == BatchItem.Status.RUNNING and item.attempts >= settings.WENDAO_JOB_ATTEMPTS:
                _give_up(item, now)
                continue
            claimed = take(item, worker, now)
        if claimed:
            item.refresh_from_db()
            return item


def take(item: BatchItem, worker: str, now: datetime | None = None) -> bool:
    """The claim itself, for an item as the worker last read it: one conditional UPDATE that succeeds only if
    the item is still pending, or still running with its lease run out, and nobody claimed it since (same
    attempts). Of two workers racing for it exactly one wins: SQLite runs writers one at a time, each seeing the
    other's committed row; on PostgreSQL (read committed) the second UPDATE waits for the first to commit and
    then re-checks this WHERE on the new row version, whose attempts and lease have moved on, and updates
    nothing. A lease the holder renewed since the read defeats a takeover the same way."""
    now = now or timezone.now()
    rows = BatchItem.objects.filter(pk=item.pk, attempts=item.attempts)
    change: dict[str, Any] = {}
    if item.status == BatchItem.Status.RUNNING:
        rows = rows.filter(_lease_over(now), status=BatchItem.Status.RUNNING)
        interrupted = _("处理中断：处理该项的进程（%(worker)s）无响应，已由其他进程接手") % {"worker": item.claimed_by}
        change = {"error": interrupted[:ERROR_MAX], "interruptions": F("interruptions") + 1}
    else:
        rows = rows.filter(status=BatchItem.Status.PENDING)
    taken = rows.update(
        status=BatchItem.Status.RUNNING,
        claimed_by=worker,
        claimed_at=now,
        lease_expires_at=now + lease(),
        attempts=F("attempts") + 1,
        **change,
    )
    return taken == 1


def _give_up(item: BatchItem, now: datetime) -> bool:
    """An item whose worker died while it held its last attempt: failed, with the reason (conditional, like a
    claim: a renewal or another worker's decision since the read wins)."""
    interruptions = item.interruptions + 1  # this last attempt's too
    if interruptions > 1:
        message = _(
            "处理该项的进程多次中断（%(n)d 次，共尝试 %(attempts)d 次），已放弃该项：可能是这家企业的规划或文档让进程崩溃，或内存不足"
        ) % {"n": interruptions, "attempts": item.attempts}
    else:
        message = _("处理该项的进程中断，尝试次数已用完（共 %(attempts)d 次）；上一次的错误：%(error)s") % {
            "attempts": item.attempts,
            "error": item.error,
        }
    return (
        BatchItem.objects.filter(
            _lease_over(now), pk=item.pk, status=BatchItem.Status.RUNNING, attempts=item.attempts
        ).update(status=BatchItem.Status.FAILED, error=message[:ERROR_MAX], interruptions=interruptions, updated_at=now)
        == 1
    )


class Heartbeat:
    """Renews the lease of what this worker holds (the item it processes, or the job while it builds the
    archive) every ``heartbeat_every()`` seconds from a daemon thread with its own database connection, so a
    lease does not depend on how long one item takes. A hold older than HOLD_LIMIT is not renewed any more: a
    worker stuck that long is taken for hung and another worker may take over. ``renew`` is one renewal (tests
    call it directly)."""

    def __init__(self, worker: str) -> None:
        self.worker = worker
        self._held: tuple[str, int, int, datetime] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Heartbeat:
        self._thread = threading.Thread(target=self._run, name=f"lease-heartbeat {self.worker}", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    @contextmanager
    def holding_item(self, item: BatchItem) -> Iterator[None]:
        self._held = ("item", item.pk, item.attempts, timezone.now())
        try:
            yield
        finally:
            self._held = None

    @contextmanager
    def holding_job(self, job_id: int, attempt: int) -> Iterator[None]:
        self._held = ("job", job_id, attempt, timezone.now())
        try:
            yield
        finally:
            self._held = None

    def renew(self) -> bool:
        held = self._held  # one read: the worker thread may change it meanwhile
        if held is None:
            return False
        what, pk, attempt, since = held
        now = timezone.now()
        if now - since > HOLD_LIMIT:
            return False
        if what == "item":
            rows: QuerySet[Any] = BatchItem.objects.filter(
                pk=pk, status=BatchItem.Status.RUNNING, claimed_by=self.worker, attempts=attempt
            )
        else:
            rows = BatchJob.objects.filter(pk=pk, status=BatchJob.Status.FINISHING, finish_attempts=attempt)
        return rows.update(lease_expires_at=now + lease()) == 1

    def _run(self) -> None:
        try:
            while not self._stop.wait(heartbeat_every()):
                try:
                    self.renew()
                except DatabaseError:  # a locked or lost database: the next beat tries again, the lease has room
                    logger.warning("batch job lease renewal failed", exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections


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
    with Heartbeat(worker) as beat:
        while (item := claim_item(job_id, worker)) is not None:
            with beat.holding_item(item):
                process_item(job, item)
            processed += 1
        finish_job(job_id, beat)
    return {"processed": processed}


def process_item(job: BatchJob, item: BatchItem) -> None:
    """One enterprise: done, skipped (with the reason), back to pending for another attempt, or failed with the
    error once the attempts are used up. Never raises for the item's own failure: the job goes on.

    The result is written only while this worker's claim still stands (same holder, same attempt): a worker
    whose lease ran out while it worked (taken for dead or hung) finds the item taken over and drops its
    result, so a late writer never overwrites the newer claim."""
    mine = BatchItem.objects.filter(
        pk=item.pk, status=BatchItem.Status.RUNNING, claimed_by=item.claimed_by, attempts=item.attempts
    )
    if not in_programme(job).filter(pk=item.pk).exists():
        outcome = _left_programme()
    else:
        try:
            outcome = _export(job, item) if job.kind == BatchJob.Kind.EXPORT else _regenerate(job, item)
        except Exception as exc:  # any failure of one enterprise's plan is reported on its item
            message = f"{type(exc).__name__}: {exc}"[:ERROR_MAX]
            retry = item.attempts < settings.WENDAO_JOB_ATTEMPTS
            outcome = {"status": BatchItem.Status.PENDING if retry else BatchItem.Status.FAILED, "error": message}
    # written only while the firm is still in the programme: one that left while its document was made keeps
    # nothing of it here (leave_programme has cleared what the job held of it before)
    if not mine.filter(pk__in=in_programme(job).values("pk")).update(updated_at=timezone.now(), **outcome):
        if mine.update(updated_at=timezone.now(), **_left_programme()):
            return
        logger.warning("item %s of batch job %s was taken over while %s worked on it", item.pk, job.pk, item.claimed_by)


def _left_programme() -> dict[str, Any]:
    """An item skipped because its firm withdrew its consent after the job took its list of firms."""
    return _skipped(_("企业已退出项目，未处理"))


def in_programme(job: BatchJob) -> QuerySet[BatchItem]:
    """The job's items whose enterprise is still in the programme (joined, not left). A job takes its list of
    firms when it starts; a firm may leave while it runs, and from then on the job reads nothing of it: no plan
    exported or made for it (``process_item``), no figures, city or industry in the summary (``summary_rows``)."""
    joined = Participant.objects.joined().filter(programme_id=job.programme_id).values("enterprise")
    return job.items.filter(enterprise__in=joined)


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
        rec = enterprise_services.replan_if_changed(job.created_by, enterprise, options, previous)
    except enterprise_services.NoAssessmentError:
        return _skipped(_("尚未完成评估，无法生成规划"))
    if rec is None:  # same profile, assessment, catalog, engine and options as its latest plan: no duplicate
        assert previous is not None
        return {
            "status": BatchItem.Status.UNCHANGED,
            "error": _("输入与最新规划相同（企业信息、评估、知识库版本、引擎版本、规划选项），未重新生成"),
            "plan": previous,
            "figures": _figures(enterprise_services.plan_of(previous)),
        }
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


def finish_job(job_id: int, beat: Heartbeat | None = None) -> bool:
    """Close the job once no item is pending or running: build the export archive, set the final status. The
    conditional RUNNING → FINISHING update makes exactly one task do it; the finishing worker holds a lease on
    the job like one on an item (renewed by ``beat``), and if it dies while building the archive the next one
    takes over, at most ``WENDAO_JOB_ATTEMPTS`` times. Returns whether this call finished the job."""
    if BatchItem.objects.filter(
        job_id=job_id, status__in=[BatchItem.Status.PENDING, BatchItem.Status.RUNNING]
    ).exists():
        return False
    now = timezone.now()
    start = {"lease_expires_at": now + lease(), "finish_attempts": F("finish_attempts") + 1}
    if not BatchJob.objects.filter(pk=job_id, status=BatchJob.Status.RUNNING).update(
        status=BatchJob.Status.FINISHING, **start
    ) and not BatchJob.objects.filter(  # the worker building the archive died: its lease ran out
        Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now), pk=job_id, status=BatchJob.Status.FINISHING
    ).update(**start):
        return False
    job = BatchJob.objects.select_related("programme", "created_by").get(pk=job_id)
    mine = BatchJob.objects.filter(pk=job_id, status=BatchJob.Status.FINISHING, finish_attempts=job.finish_attempts)
    if job.finish_attempts > settings.WENDAO_JOB_ATTEMPTS:
        error = _("打包的进程多次中断（%(n)d 次），任务已中止") % {"n": job.finish_attempts - 1}
        mine.update(status=BatchJob.Status.FAILED, error=error, finished_at=now, lease_expires_at=None)
        return True
    try:
        with beat.holding_job(job_id, job.finish_attempts) if beat is not None else nullcontext():
            update: dict[str, Any] = {}
            if job.kind == BatchJob.Kind.EXPORT:
                update["archive"] = build_archive(job)
                update["archive_name"] = f"{_UNSAFE.sub('_', job.programme.name)[:60]}-plans-{job.pk}.zip"
            failed = job.items.filter(status=BatchItem.Status.FAILED).count()
            update["status"] = BatchJob.Status.COMPLETED_WITH_FAILURES if failed else BatchJob.Status.COMPLETED
            update["finished_at"] = timezone.now()
            with transaction.atomic():
                if not mine.update(**update):  # taken over meanwhile (this worker was taken for dead)
                    return False
                job.items.exclude(document=None).update(document=None)  # the archive holds them now
        record(job.created_by, f"jobs.{job.kind}.finish", job, counts(job))
    except Exception as exc:
        mine.update(
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
        unchanged=Count("id", filter=Q(status=s.UNCHANGED)),
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
    stalled_since: datetime | None = None  # the job's worker stopped answering then (see stalled_since())
    unchanged: int = 0  # regenerate: firms whose inputs had not changed since their latest plan

    @property
    def processed(self) -> int:
        return self.done + self.failed + self.skipped + self.unchanged

    @property
    def stalled(self) -> bool:
        return self.stalled_since is not None

    @property
    def state(self) -> str:
        """The job's status as reported: "stalled" for an active job whose worker stopped answering."""
        return "stalled" if self.stalled else str(self.job.status)

    @property
    def abandon_minutes(self) -> int:
        return round(abandon_after().total_seconds() / 60)

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
    """Done/total, failures, the items being processed now, elapsed time and a linear ETA. A stalled job says
    since when, and whoever looks at it hands it to a fresh queue task (``resume_if_stalled``) or, once no
    worker has taken it up for ``abandon_after()``, fails it (``fail_if_abandoned``)."""
    job.refresh_from_db(
        fields=[
            "status",
            "started_at",
            "finished_at",
            "error",
            "archive_name",
            "created_at",
            "resumed_at",
            "lease_expires_at",
            "task_ids",
            "watch_task_id",
        ]
    )
    stalled = None
    if not job.finished and not fail_if_abandoned(job):
        stalled = stalled_since(job)
        if stalled is not None:
            resume_if_stalled(job)
    c = counts(job)
    current = list(job.items.filter(status=BatchItem.Status.RUNNING).values_list("label", flat=True)[:3])
    elapsed = eta = None
    if job.started_at is not None:
        end = job.finished_at or timezone.now()
        elapsed = max(0.0, (end - job.started_at).total_seconds())
        processed = c["done"] + c["failed"] + c["skipped"] + c["unchanged"]
        if not job.finished and processed:
            eta = elapsed / processed * (c["total"] - processed)
    return JobProgress(job=job, current=current, elapsed_seconds=elapsed, eta_seconds=eta, stalled_since=stalled, **c)


def problem_items(job: BatchJob) -> QuerySet[BatchItem]:
    return (
        job.items.filter(status__in=[BatchItem.Status.FAILED, BatchItem.Status.SKIPPED, BatchItem.Status.UNCHANGED])
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
    current = set(in_programme(job).values_list("pk", flat=True))
    rows = []
    for item in job.items.select_related("enterprise").defer("document", "enterprise__profile").order_by("position"):
        e = item.enterprise
        # a firm that left is its own record again: the name the organisers imported, nothing it set since
        reads = item.pk in current
        f = item.figures if reads else {}
        rows.append(
            {
                "position": item.position,
                "name": item.label,
                "city": cities.get(e.city, e.city) if reads else None,
                "industry": f"{e.industry} {industries.get(e.industry[:3], '')}".strip() if reads else None,
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
            sheet.append(safe_row(row[key] for key, _header in SUMMARY_COLUMNS))
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
        PlanRecord.objects.filter(
            enterprise__participations__programme=programme, enterprise__participations__joined_at__isnull=False
        )
        .order_by("enterprise_id", "-created_at", "-id")
        .values("enterprise_id", "catalog_version")
    )
    seen: dict[int, str] = {}
    for row in latest.iterator(chunk_size=500):
        seen.setdefault(row["enterprise_id"], row["catalog_version"])
    return sum(1 for v in seen.values() if v != version)
