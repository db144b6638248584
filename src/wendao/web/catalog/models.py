"""The knowledge base in the database: seeded from the YAML files, edited by catalog editors and admins.

Each entry keeps the full engine model as JSON (validated by the engine's pydantic schema on every save)
plus the provenance of its last edit. ``CatalogState.revision`` is bumped on every change so each
process can tell cheaply whether its cached engine catalog is stale.
"""

from __future__ import annotations

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


class QuestionnaireVersion(Entry):
    """A whole questionnaire; ``key`` is id@version. Exactly one is active."""

    active = models.BooleanField(default=False)

    class Meta(Entry.Meta):
        verbose_name = _("问卷版本")
        verbose_name_plural = _("问卷版本")
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=models.Q(active=True), name="one_active_questionnaire")
        ]
