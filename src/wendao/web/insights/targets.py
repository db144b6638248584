"""Programme targets: what each metric counts, its current value (one SQL aggregate each), and progress.

Metrics are computed over the enterprises of the target's programme, narrowed to one city, industrial chain
or industry division (GB/T 4754 code such as C34) when the target has a scope. Definitions:

- enterprises_with_plan     enterprises with at least one saved plan
- enterprises_assessed      enterprises with a completed assessment round
- maturity_at_least         enterprises whose latest completed assessment scores ≥ N (overall, 0–100)
- scenarios_planned         roadmap items in the enterprises' latest plans
- scenarios_deployed        roadmap items their members marked "deployed"
- high_value_deployed       deployed items whose NPV (万元, from the plan item) is ≥ the threshold the
                            organiser sets on the target — the page states the threshold
- planned_investment        one-off investment of the latest plans, 万元
- subsidy_demand            subsidies counted in the latest plans, 万元

Progress is measured against a straight line from 0 on the start date to the target value on the due
date: a target is on track when its current share of the target is at least the share of the time elapsed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Aggregate, Count, Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wendao.web.enterprises.models import Enterprise
from wendao.web.insights import queries
from wendao.web.insights.models import ProgressStatus, ScenarioProgress, Scope, Target
from wendao.web.programmes.models import Programme


def _sources(enterprises: QuerySet[Enterprise]) -> dict[str, QuerySet[Any]]:
    """The three tables metrics aggregate over, for these enterprises."""
    return {
        "plans": queries.latest_plans(enterprises),  # one row per enterprise with a plan: its newest
        "rounds": queries.current_rounds(enterprises),
        "deployed": ScenarioProgress.objects.filter(enterprise__in=enterprises, status=ProgressStatus.DEPLOYED),
    }


def _deployed(threshold: float | None) -> Aggregate:
    return Count("pk", filter=None if threshold is None else Q(npv__gte=threshold))


@dataclass(frozen=True)
class Metric:
    id: str
    label: str | Promise
    unit: str | Promise
    source: str  # a key of _sources
    aggregate: Callable[[float | None], Aggregate]  # the target's parameter -> the SQL aggregate
    parameter_label: str | Promise | None = None  # the metric needs a parameter (a threshold) when set
    parameter_default: float | None = None


METRICS: dict[str, Metric] = {
    m.id: m
    for m in (
        Metric("enterprises_with_plan", _("有转型规划的企业数"), _("家"), "plans", lambda _p: Count("pk")),
        Metric(
            "enterprises_assessed",
            _("完成成熟度评估的企业数"),
            _("家"),
            "rounds",
            lambda _p: Count("enterprise", distinct=True),
        ),
        Metric(
            "maturity_at_least",
            _("成熟度总分达到门槛的企业数"),
            _("家"),
            "rounds",
            lambda p: Count("enterprise", distinct=True, filter=Q(overall__gte=p or 0)),
            _("成熟度总分门槛（0–100）"),
            60.0,
        ),
        Metric("scenarios_planned", _("规划中的场景数"), _("个"), "plans", lambda _p: Sum("items")),
        Metric("scenarios_deployed", _("已上线的场景数"), _("个"), "deployed", lambda _p: _deployed(None)),
        Metric(
            "high_value_deployed",
            _("已上线的高价值场景数"),
            _("个"),
            "deployed",
            _deployed,
            _("高价值门槛：规划项目净现值（万元）不低于"),
            100.0,
        ),
        Metric("planned_investment", _("规划投资总额"), _("万元"), "plans", lambda _p: Sum("one_off")),
        Metric("subsidy_demand", _("补贴需求总额"), _("万元"), "plans", lambda _p: Sum("subsidy")),
    )
}


def metric_choices() -> list[tuple[str, str | Promise]]:
    return [(m.id, m.label) for m in METRICS.values()]


def scoped(enterprises: QuerySet[Enterprise], scope: str, value: str) -> QuerySet[Enterprise]:
    if scope == Scope.CITY:
        return enterprises.filter(city=value)
    if scope == Scope.CHAIN:
        return enterprises.filter(chain=value)
    if scope == Scope.DIVISION:
        return enterprises.filter(industry__startswith=value)
    return enterprises


def current_values(targets: list[Target]) -> dict[int, float]:
    """Every target's current value, with one aggregate query per (programme, scope, source table): the
    targets page costs at most three queries per scope, however many targets it shows."""
    groups: dict[tuple[int, str, str, str], list[Target]] = defaultdict(list)
    for t in targets:
        groups[(t.programme_id, t.scope, t.scope_value, METRICS[t.metric].source)].append(t)
    out: dict[int, float] = {}
    for (programme_pk, scope, scope_value, source), members in groups.items():
        enterprises = scoped(queries.enterprises_of(Programme.objects.filter(pk=programme_pk)), scope, scope_value)
        values = _sources(enterprises)[source].aggregate(
            **{f"t{t.pk}": METRICS[t.metric].aggregate(t.parameter) for t in members}
        )
        for t in members:
            out[t.pk] = round(float(values[f"t{t.pk}"] or 0), 2)
    return out


def current_value(target: Target) -> float:
    return current_values([target])[target.pk]


@dataclass(frozen=True)
class Progress:
    target: Target
    metric: Metric
    current: float
    percent: float  # of the target value, may exceed 100
    expected_percent: float  # share of the time from start to due date elapsed, 0–100
    state: str  # "reached", "on_track", "behind", "missed"

    @property
    def bar(self) -> float:
        return min(self.percent, 100.0)

    @property
    def on_track(self) -> bool:
        return self.state in ("reached", "on_track")


def progress(target: Target, today: dt.date, current: float | None = None) -> Progress:
    current = current_value(target) if current is None else current
    percent = round(100.0 * current / target.value, 1) if target.value else 0.0
    span = (target.due_date - target.start_date).days
    elapsed = (today - target.start_date).days
    expected = 100.0 if span <= 0 else round(100.0 * min(max(elapsed / span, 0.0), 1.0), 1)
    if current >= target.value:
        state = "reached"
    elif today > target.due_date:
        state = "missed"
    elif percent >= expected:
        state = "on_track"
    else:
        state = "behind"
    return Progress(target, METRICS[target.metric], current, percent, expected, state)


def programme_progress(programme: Programme, today: dt.date) -> list[Progress]:
    goals = list(Target.objects.filter(programme=programme))
    values = current_values(goals)
    return [progress(t, today, values[t.pk]) for t in goals]


STATE_LABELS: dict[str, str | Promise] = {
    "reached": _("已达成"),
    "on_track": _("进度正常"),
    "behind": _("落后于进度"),
    "missed": _("已逾期未达成"),
}

NEWS = _("李梦瑶，2026年5月报道")


@dataclass(frozen=True)
class Preset:
    """A target suggested from the province's published figures (reported by 李梦瑶, May 2026)."""

    id: str
    metric: str
    parameter: float | None
    value: float
    due_date: dt.date
    source: str | Promise


PRESETS: tuple[Preset, ...] = (
    Preset(
        "province_high_value",
        "high_value_deployed",
        100.0,
        100,
        dt.date(2028, 12, 31),
        _("《山东省“人工智能+制造”行动方案（2026—2028年）》：到2028年推广高价值场景约100个（李梦瑶，2026年5月报道）"),
    ),
    Preset(
        "province_pioneer",
        "high_value_deployed",
        1000.0,
        10,
        dt.date(2028, 12, 31),
        _(
            "同一方案：到2028年建成先锋应用约10个（李梦瑶，2026年5月报道）；"
            "平台无法认定“先锋应用”，这里以净现值不低于1000万元的已上线场景近似"
        ),
    ),
    Preset(
        "cohort_plans",
        "enterprises_with_plan",
        None,
        300,
        dt.date(2026, 12, 31),
        _("第10期培训班来自16市的近300名企业家，目标是每人带回一份转型方案（李梦瑶，2026年5月报道）"),
    ),
)


def preset(preset_id: str) -> Preset | None:
    return next((p for p in PRESETS if p.id == preset_id), None)
