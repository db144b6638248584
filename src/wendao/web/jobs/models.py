"""Batch jobs of a programme (export every plan document, regenerate every plan) and their items.

The queue itself is django-tasks' database backend (``django_tasks_db``): a job enqueues one or more queue
tasks, and each of them claims this job's items one at a time (``services.claim_item``), so several workers
share a 300-enterprise job without processing an item twice. An item's status, attempts and error are kept
per enterprise: a failure is retried and then reported, never dropped.

A claim is a lease: the worker holding an item (or the job, while it builds the archive) renews
``lease_expires_at`` while it works, and an item whose lease ran out belongs to a worker that died; any worker
that looks for work takes it over (``services.claim_item``), and a job with no live lease is stalled
(``services.stalled_since``) until a worker resumes it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.programmes.models import Programme


class BatchJob(models.Model):
    class Kind(models.TextChoices):
        EXPORT = "export", _("导出全部规划文档")
        REGENERATE = "regenerate", _("重新生成全部规划")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        FINISHING = "finishing", _("正在打包")
        COMPLETED = "completed", _("已完成")
        COMPLETED_WITH_FAILURES = "completed_with_failures", _("已完成（有失败项）")
        FAILED = "failed", _("失败")

    ACTIVE = (Status.QUEUED, Status.RUNNING, Status.FINISHING)
    FINISHED = (Status.COMPLETED, Status.COMPLETED_WITH_FAILURES, Status.FAILED)

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="batch_jobs")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=32, choices=Status.choices, default=Status.QUEUED)
    lang = models.CharField(_("文档语言"), max_length=8, default="zh")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    catalog_revision = models.PositiveIntegerField(default=0, help_text="CatalogState.revision when started")
    catalog_version = models.CharField(max_length=64, blank=True, help_text="the active catalog's version")
    task_ids = models.JSONField(default=list, help_text="django-tasks result ids of the queue tasks")
    error = models.TextField(blank=True, help_text="a job-level failure (e.g. the archive could not be built)")
    archive = models.BinaryField(null=True, blank=True, help_text="the export zip (documents + summary.xlsx)")
    archive_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    resumed_at = models.DateTimeField(null=True, blank=True, help_text="a stalled job got a fresh queue task")
    # while FINISHING: the lease of the worker building the archive, and how many workers started building it
    lease_expires_at = models.DateTimeField(null=True, blank=True, help_text="the finishing worker's lease")
    finish_attempts = models.PositiveSmallIntegerField(default=0)
    watch_task_id = models.CharField(max_length=64, blank=True, help_text="the next watch_batch_job queue task")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # one running job per programme and kind: a second request gets the running one (see start_job)
            models.UniqueConstraint(
                fields=["programme", "kind"],
                condition=Q(status__in=["queued", "running", "finishing"]),
                name="one_active_batch_job_per_programme_and_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.programme_id})"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED


class BatchItem(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("等待")
        RUNNING = "running", _("处理中")
        DONE = "done", _("完成")
        FAILED = "failed", _("失败")
        SKIPPED = "skipped", _("跳过")
        UNCHANGED = "unchanged", _("未变化")

    job = models.ForeignKey(BatchJob, on_delete=models.CASCADE, related_name="items")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="batch_items")
    position = models.PositiveIntegerField(help_text="order in the programme's participant list, 1-based")
    label = models.CharField(max_length=200, help_text="the enterprise's name when the job started")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    interruptions = models.PositiveSmallIntegerField(default=0, help_text="attempts whose worker died holding it")
    error = models.TextField(blank=True, help_text="the last attempt's error, or why the item was skipped")
    claimed_by = models.CharField(max_length=128, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(
        null=True, blank=True, help_text="the claiming worker renews this while it works; past it, the item is free"
    )
    plan = models.ForeignKey(PlanRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(max_length=200, blank=True)
    # the rendered document until the archive is built (workers on other machines share only the database)
    document = models.BinaryField(null=True, blank=True)
    figures = models.JSONField(default=dict, help_text="the plan's money figures for the summary sheet")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["job_id", "position"]
        constraints = [models.UniqueConstraint(fields=["job", "enterprise"], name="one_item_per_enterprise_and_job")]
        indexes = [models.Index(fields=["job", "status"])]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.position} {self.label}"
