"""The knowledge base in the database: seeded from the YAML files, edited by catalog editors and admins.

Each entry keeps the full engine model as JSON (validated by the engine's pydantic schema on every save)
plus the provenance of its last edit. ``CatalogState.revision`` is bumped on every change so each
process can tell cheaply whether its cached engine catalog is stale.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CatalogState(models.Model):
    """Singleton row: the revision of the database knowledge base and the YAML it was seeded from."""

    revision = models.PositiveIntegerField(default=0)
    seeded_from = models.CharField(max_length=64, blank=True, help_text="version of the YAML catalog seeded")
    updated_at = models.DateTimeField(auto_now=True)


class Entry(models.Model):
    key = models.CharField(_("编号"), max_length=64, unique=True)
    name_zh = models.CharField(_("中文名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    data = models.JSONField(_("内容（JSON）"))
    source = models.CharField(_("来源"), max_length=500, help_text=_("文件、网址或说明：这次内容的出处"))
    as_of = models.DateField(_("日期"), help_text=_("数据或文件的日期"))
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} {self.name_zh}"


class ScenarioEntry(Entry):
    kind = models.CharField(max_length=8)

    class Meta(Entry.Meta):
        verbose_name = _("场景")
        verbose_name_plural = _("场景")


class PolicyEntry(Entry):
    class Meta(Entry.Meta):
        verbose_name = _("政策")
        verbose_name_plural = _("政策")


class PriceEntry(Entry):
    """One row of the price table: kind api / gpu / hardware, or a single rate (usd_cny, lpr_1y)."""

    kind = models.CharField(max_length=16)

    class Meta(Entry.Meta):
        verbose_name = _("价格")
        verbose_name_plural = _("价格")


class CaseEntry(Entry):
    """One published case of the case library (engine/cases.py): the cases a plan page shows beside each item."""

    class Meta(Entry.Meta):
        verbose_name = _("案例")
        verbose_name_plural = _("案例")


class QuestionnaireVersion(Entry):
    """A whole questionnaire; ``key`` is id@version. Exactly one is active."""

    active = models.BooleanField(default=False)

    class Meta(Entry.Meta):
        verbose_name = _("问卷版本")
        verbose_name_plural = _("问卷版本")
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=models.Q(active=True), name="one_active_questionnaire")
        ]


class EntryVersion(models.Model):
    """One saved state of a knowledge-base entry: who changed it, when, through which path and from which source.

    Written on every change (the site's editor, the policy spreadsheet, the admin); the entry's first version is
    written the first time it is changed, from the seeded content, so the history always starts where the YAML did.
    """

    class Via(models.TextChoices):
        SEED = "seed", _("初始导入")
        EDITOR = "editor", _("知识库编辑页面")
        SPREADSHEET = "spreadsheet", _("政策表格上传")
        ADMIN = "admin", _("后台管理")
        PROPOSAL = "proposal", _("组织方建议（经审核）")

    kind = models.CharField(max_length=16)  # scenario | policy | price | questionnaire
    key = models.CharField(max_length=64)
    revision = models.PositiveIntegerField()
    name_zh = models.CharField(max_length=200)
    data = models.JSONField()
    source = models.CharField(max_length=500)
    as_of = models.DateField()
    via = models.CharField(max_length=16, choices=Via.choices)
    note = models.CharField(max_length=500, blank=True)
    # the top-level fields (dotted paths) that differ from the version before; empty for the first
    changed = models.JSONField(default=list, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["kind", "key", "revision"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} r{self.revision}"

    @property
    def changed_labels(self) -> list[str]:
        """The changed fields by their labels in the reader's language (a path without a label as it is)."""
        from wendao.web.catalog.fields import LABELS

        return [str(LABELS.get(p, p)) for p in self.changed]


class ChangeProposal(models.Model):
    """An organiser's proposed change to one knowledge-base entry (or a new policy), applied only when a catalog
    editor accepts it.

    The catalog is platform-wide, so a programme organiser must not change every other programme's plans on their
    own (issue 16); but organisers are the ones who learn first that a city's policy changed. So they propose, with
    the source, and an editor reviews the change and its preview before it reaches any plan. ``base_revision`` is
    the entry's revision the proposal was written against: a proposal for an entry that changed since is not
    applied over that change.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        ACCEPTED = "accepted", _("已采纳")
        REJECTED = "rejected", _("未采纳")
        WITHDRAWN = "withdrawn", _("已撤回")

    kind = models.CharField(max_length=16)  # the editor's kind slug in the address: policies | scenarios | ...
    entry_id = models.PositiveIntegerField(null=True, blank=True)  # None: a new policy
    key = models.CharField(max_length=64)
    name_zh = models.CharField(max_length=200)
    base_revision = models.PositiveIntegerField(default=0)
    data = models.JSONField()
    base_data = models.JSONField(default=dict, blank=True)  # the entry as the proposer saw it ({} for a new one)
    source = models.CharField(max_length=500)
    as_of = models.DateField()
    note = models.CharField(max_length=500, blank=True)
    changed = models.JSONField(default=list, blank=True)  # dotted paths that differ from the entry proposed on
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="catalog_proposals"
    )
    proposed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=500, blank=True)
    version = models.ForeignKey(EntryVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} ({self.status})"

    @property
    def changed_labels(self) -> list[str]:
        from wendao.web.catalog.fields import LABELS

        return [str(LABELS.get(p, p)) for p in self.changed]
