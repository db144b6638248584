"""What the organiser watches over time: the numbers of every stored plan in narrow rows, an enterprise's
progress on its roadmap items, and the programme's targets.

``PlanSummary`` / ``PlanItemSummary`` copy from each stored plan the few numbers dashboards and targets
aggregate (money, item count; per item the scenario, NPV, investment). A stored plan is a JSON document of a
few hundred KB (every ranked scenario with its reasons); PostgreSQL must decompress a whole TOASTed jsonb value
to read one key, so aggregating over 10⁵ plans' JSON takes minutes where these rows take milliseconds. They
are kept in step by signals on ``PlanRecord`` (``insights.signals``), so every path that stores a plan (web,
API, CLI, demo, jobs) is covered; ``latest`` marks the newest plan of each enterprise.

``ScenarioProgress`` is set by the enterprise's members from their plan page (planned → started → deployed).
The item's NPV and investment are copied from the plan item when the status is set, so "high-value scenarios
deployed" is one SQL count with a filter on ``npv``, without unnesting plan JSON.

``CityShare`` is an enterprise's consent to be counted, by name, in its city officials' views.

``Target`` is a number the organiser wants to reach by a date, for one metric of ``insights.targets``,
optionally for one city / industrial chain / industry division of the programme's enterprises.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.programmes.models import Programme


class PlanSummary(models.Model):
    plan = models.OneToOneField(PlanRecord, on_delete=models.CASCADE, primary_key=True, related_name="summary")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    latest = models.BooleanField(default=True)
    items = models.PositiveIntegerField(help_text="roadmap items")
    one_off = models.FloatField(help_text="万元")
    subsidy = models.FloatField(help_text="万元")
    annual_benefit_median = models.FloatField(help_text="万元/年")
    # the plan's own band and its other sums, for totals that say how they were formed (insights.money)
    annual_benefit_low = models.FloatField(default=0.0, help_text="万元/年")
    annual_benefit_high = models.FloatField(default=0.0, help_text="万元/年")
    annual_running = models.FloatField(default=0.0, help_text="万元/年")
    subsidy_likely = models.FloatField(
        default=0.0, help_text="万元: per item the larger of the counted subsidy and the best eligible policy"
    )

    class Meta:
        indexes = [
            models.Index(fields=["enterprise"], condition=models.Q(latest=True), name="plansummary_latest"),
        ]


class PlanItemSummary(models.Model):
    summary = models.ForeignKey(PlanSummary, on_delete=models.CASCADE, related_name="item_rows")
    scenario_id = models.CharField(max_length=64)
    name_zh = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    npv = models.FloatField(help_text="万元")
    one_off = models.FloatField(help_text="万元")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["summary", "scenario_id"], name="one_item_row_per_scenario")]


class PlanNeedSummary(models.Model):
    """A scenario that a plan's stated needs point to (its fit to a pain point or goal reaches the engine's
    ``PAIN_MATCH_THRESHOLD``), whether or not the roadmap took it: the cohort's stated pains beside its demand."""

    summary = models.ForeignKey(PlanSummary, on_delete=models.CASCADE, related_name="need_rows")
    scenario_id = models.CharField(max_length=64)
    name_zh = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["summary", "scenario_id"], name="one_need_row_per_scenario")]


class PilotComponents(models.Model):
    """The three pilot-selection components of one enterprise (``insights.pilots``), which do not depend on the
    organiser's weights: ranking 10⁵ enterprises is then one ORDER BY over a weighted sum in SQL. Refreshed
    by signals when the enterprise, its current assessment round or its plans change (``insights.signals``)."""

    enterprise = models.OneToOneField(Enterprise, on_delete=models.CASCADE, primary_key=True, related_name="+")
    overall = models.FloatField(null=True)
    systems = models.PositiveIntegerField()
    budget = models.FloatField(null=True)
    steps = models.PositiveSmallIntegerField()
    qualifications = models.JSONField(default=list)
    foundation = models.FloatField()
    willingness = models.FloatField()
    demonstration = models.FloatField()
    updated_at = models.DateTimeField(auto_now=True)


class ProgressStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    STARTED = "started", _("实施中")
    DEPLOYED = "deployed", _("已上线")


class ScenarioProgress(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="scenario_progress")
    plan = models.ForeignKey(PlanRecord, null=True, on_delete=models.SET_NULL, related_name="+")
    scenario_id = models.CharField(max_length=64)
    name_zh = models.CharField(max_length=200)
    npv = models.FloatField(help_text="万元, the plan item's NPV when the status was last set")
    one_off = models.FloatField(help_text="万元, the plan item's investment when the status was last set")
    status = models.CharField(max_length=16, choices=ProgressStatus.choices, default=ProgressStatus.PLANNED)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "scenario_id"], name="one_progress_per_scenario"),
        ]
        indexes = [models.Index(fields=["status", "npv"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.scenario_id} {self.status}"


class Scope(models.TextChoices):
    ALL = "", _("全部参训企业")
    CITY = "city", _("城市")
    CHAIN = "chain", _("产业链")
    DIVISION = "division", _("行业大类")


class Target(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    metric = models.CharField(_("指标"), max_length=32)
    parameter = models.FloatField(_("指标参数"), null=True, blank=True)
    scope = models.CharField(_("范围"), max_length=16, choices=Scope.choices, blank=True, default=Scope.ALL)
    scope_value = models.CharField(_("范围取值"), max_length=64, blank=True)
    value = models.FloatField(_("目标值"))
    start_date = models.DateField(_("起始日期"))
    due_date = models.DateField(_("截止日期"))
    source = models.CharField(_("目标来源"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.metric} {self.value}"


class CohortReport(models.Model):
    """A report on a programme's cohort for the organiser's superiors (``insights.report``), built on the task
    queue: its progress while it is made, then the PDF and Word documents."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    # a programme's cohort, or (programme empty) a city's shared enterprises for its officials (``city``)
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="cohort_reports"
    )
    city = models.CharField(max_length=32, blank=True, default="")
    lang = models.CharField(max_length=8, default="zh")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField(max_length=100, blank=True, help_text="what is being done, in the report's language")
    percent = models.PositiveSmallIntegerField(default=0)
    pdf = models.BinaryField(null=True, blank=True)
    docx = models.BinaryField(null=True, blank=True)
    error = models.TextField(blank=True)
    seconds = models.FloatField(null=True, blank=True, help_text="time to build, once done")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"report {self.pk} ({self.programme_id or self.city}, {self.lang}, {self.status})"


class CityShare(models.Model):
    """An enterprise's consent, given by one of its members, that its city's officials (``Role.CITY_OFFICIAL``
    of ``Enterprise.city``) may count it in the city's dashboards, demand views and report and see its name
    there, for every programme it joined. Without it the enterprise is in no city view; withdrawing deletes
    the row."""

    enterprise = models.OneToOneField(Enterprise, on_delete=models.CASCADE, primary_key=True, related_name="city_share")
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    given_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"city share {self.enterprise_id}"


class CellRelease(models.Model):
    """The stored release of one cell's figures (``insights.releases``; the rule in ``engine.disclosure``): the
    noisy sums every reader of the cell is shown, until enough firms of the cell have changed and the release is
    old enough to be replaced. ``cell`` names the cell (``peer:<industry group>:<size class>``, ``chain:<chain>``,
    ``city:<city>``); ``members`` are the assessment rounds (peer) or plans (chain, city) it was made over;
    ``figures`` maps a figure to ``[noisy sum, n]``."""

    cell = models.CharField(max_length=96, unique=True)
    members = models.JSONField(default=list)
    figures = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"release {self.cell} ({len(self.members)} members, {self.created_at:%Y-%m-%d})"
