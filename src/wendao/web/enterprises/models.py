"""Enterprises, who belongs to them, their assessment rounds and the plans made for them.

The profile is stored as the engine's validated JSON (one seam: ``services.profile_of``) with the fields
the platform filters and aggregates on copied into columns (city, industry group, size class).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Enterprise(models.Model):
    name = models.CharField(_("企业名称"), max_length=200)
    city = models.CharField(max_length=32, db_index=True)
    industry = models.CharField(max_length=8)
    industry_group = models.CharField(max_length=32)
    chain = models.CharField(max_length=64, blank=True)
    employees = models.PositiveIntegerField()
    revenue = models.FloatField(help_text="万元")
    size_class = models.CharField(max_length=8)
    above_designated_size = models.BooleanField(default=False)
    profile = models.JSONField(help_text="EnterpriseProfile without answers and evidence (those live in rounds)")
    synthetic = models.BooleanField(default=False, help_text="generated demo data, not a real firm")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["industry_group", "size_class"]),
            # PostgreSQL: dashboards group 10⁵ enterprises by these columns with an index-only scan instead of
            # reading the wide rows (the profile JSON); other databases skip covering indexes
            models.Index(fields=["id"], include=["city", "chain", "industry", "size_class"], name="enterprise_dims"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "enterprise"], name="one_membership_per_pair")]


def round_label(number: int) -> str:
    """Round ``number`` (0 for the first) as a reader names it: 首次评估 / First assessment, 第2次评估 / Assessment 2."""
    if number == 0:
        return str(_("首次评估"))
    return str(_("第%(n)s次评估") % {"n": number + 1})


class AssessmentRound(models.Model):
    """One pass through the questionnaire: T0 is the first, T1… are re-assessments."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField(help_text="0 for T0, 1 for T1, …")
    questionnaire_version = models.CharField(max_length=64)
    answers = models.JSONField(default=dict, blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True, help_text="the engine's Assessment, once completed")
    overall = models.FloatField(null=True, blank=True)
    current = models.BooleanField(default=False, help_text="the enterprise's latest completed round (peer statistics)")
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["enterprise_id", "number"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "number"], name="one_round_number_per_enterprise")]
        indexes = [
            # PostgreSQL: the current score of every enterprise, index-only (dashboards, peer statistics)
            models.Index(
                fields=["enterprise"],
                include=["overall"],
                condition=models.Q(current=True, overall__isnull=False),
                name="round_current_overall",
            ),
        ]

    @property
    def code(self) -> str:
        """T0, T1, …: the round's short name in the API, logs and the admin (not for a reader)."""
        return f"T{self.number}"

    @property
    def label(self) -> str:
        """The round as an owner names it, in the active language: 首次评估, then 第2次评估, 第3次评估 …"""
        return round_label(self.number)

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.code}"


class DimensionResult(models.Model):
    """A completed round's score per dimension, as rows so peer averages are one SQL aggregate."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="dimension_results")
    dimension = models.CharField(max_length=32)
    score = models.FloatField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "dimension"], name="one_score_per_dimension")]
        indexes = [models.Index(fields=["dimension"])]


class PlanRecord(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="plans")
    round = models.ForeignKey(AssessmentRound, null=True, on_delete=models.SET_NULL, related_name="plans")
    plan = models.JSONField(help_text="the engine's Plan (schema wendao.plan/1)")
    catalog_version = models.CharField(max_length=64)
    options = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    # empty on plans stored before it: such a plan always counts as changed
    inputs = models.CharField(
        max_length=64,
        blank=True,
        default="",
        help_text="digest of what the plan was built from (profile, assessment round, catalog, engine, options)",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
