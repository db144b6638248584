"""Scenario value and ranking: what each scenario is worth to THIS enterprise, and why it is in or out.

Value model. For each KPI effect of a scenario (a sourced relative change, low/median/high) the annual
benefit is the enterprise's own baseline figure × the effect. Baselines come from the profile; where a
figure is missing, a sourced industry default is used and flagged, and the figures that would sharpen the
estimate are listed. Two effects on the same baseline are not added (the larger counts). A revenue-uplift
effect (extra sales, extra output sold) counts only when a published source backs it and it fits the business
(sales effects: the enterprise's business model; extra output: demand exceeds capacity); otherwise it is
valued and shown as upside, not counted (DESIGN rule 3). One-off and
running costs come from the scenario's cost model for the enterprise's size class. NPV is computed
quarterly over the horizon, benefits starting when the project is finished; payback is counted from the
project's start.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Annotated

from pydantic import Field

from wendao.engine.assessment import Assessment
from wendao.engine.catalog.schema import (
    BaselineDefault,
    Catalog,
    CountDefault,
    KpiEffect,
    Metric,
    Planning,
    Scenario,
    Scope,
    SizeClass,
    UnitCost,
)
from wendao.engine.memo import PerObject
from wendao.engine.profile import FIGURE_NAMES, EnterpriseProfile
from wendao.engine.scope import (
    Counts,
    UnitCount,
    class_price_factor,
    division_unit_scale,
    pilot_units,
    rollout_units,
    site_equivalents,
    site_split,
    unit_cost_scale,
)
from wendao.engine.value_rules import POOL_RULES, EffectRule, PoolRule, effect_money, effect_rule

# The value objects of a ranking are plain dataclasses, not pydantic models: the engine builds about 750 of
# them per plan from values it has computed itself, and a dataclass is built four to five times faster than
# a validated model (about 0.3 µs against 1–2 µs). Pydantic still validates them wherever data comes from
# outside: a stored plan read back with ``Plan.model_validate`` builds them from JSON, field by field.


# frozen: the static ranges of the catalog (effects, cost bands) are shared by every plan
@dataclass(frozen=True, slots=True)
class Range3:
    """Low, median and high of one figure."""

    low: float
    median: float
    high: float

    @classmethod
    def of(cls, low: float, median: float, high: float) -> Range3:
        return cls(round(low, 2), round(median, 2), round(high, 2))


@dataclass(slots=True, kw_only=True)
class DefaultUsed:
    """A sourced industry default used in place of a figure the enterprise did not give."""

    figure: str
    value: float
    unit: str
    applies_to: str
    source: str | None
    as_of: date | None
    estimate: str | None
    # the citation for the other language's reader (catalog Provenance.source_zh / source_en); None in stored plans
    source_zh: str | None = None
    source_en: str | None = None


# frozen: shared by the lines that use the same figure
@dataclass(frozen=True, slots=True, kw_only=True)
class BaselineValue:
    """One baseline figure of the enterprise and how it was obtained."""

    key: str
    value: Annotated[float | None, Field(description="万元 per year; None when it cannot be computed")]
    origin: Annotated[str, Field(description="profile | default | mixed | missing")]
    formula: str
    inputs: dict[str, float]
    defaults_used: list[DefaultUsed]
    sharpen_with: Annotated[list[str], Field(description="profile fields that would replace a default or fill a gap")]


@dataclass(slots=True, kw_only=True)
class BenefitLine:
    """One KPI effect of a scenario turned into money on the enterprise's own baseline."""

    metric: str
    metric_zh: str
    metric_en: str
    effect: Range3
    baseline: BaselineValue
    annual: Range3
    counted: bool
    note: str = ""
    source: str | None
    as_of: date | None
    estimate: str | None
    verified: bool
    reliability: str | None
    # added in wendao.plan/2; stored /1 plans read as "" (the line was then counted or not by the old rules)
    upside: Annotated[
        str,
        Field(
            description="why a revenue-uplift effect is shown but not counted: no_source | business_model | "
            "capacity; empty otherwise"
        ),
    ] = ""
    # added in wendao.plan/3 (1.0 in stored plans): the share of the pool the covered units touch (Scope)
    pool_share: Annotated[
        float, Field(description="annual = pool × effect × pool_share (all units covered); 1.0 before plan/3")
    ] = 1.0
    # added in session 4 (False / 1.0 in stored plans, which counted every effect over its whole range)
    low_end: Annotated[
        bool,
        Field(
            description="an estimate without a published source, counted at its low end: annual = pool × (low, "
            "low, median) instead of (low, median, high)"
        ),
    ] = False
    in_place_share: Annotated[
        float,
        Field(
            description="the share of the effect left because the enterprise already runs the system the scenario "
            "puts in place (planning.yaml in_place); 1.0 otherwise"
        ),
    ] = 1.0


@dataclass(slots=True, kw_only=True)
class Coverage:
    """The units a scenario is valued on (issue 13): all N units of the enterprise, priced fixed + N × per unit
    (or by the size-class band for a site-wide package), each pool taken at pool_share."""

    unit: Annotated[str, Field(description="station | line | machine | unit | warehouse | site")]
    count: Annotated[str, Field(description="the profile figure giving N (e.g. inspection_stations); site = 1")]
    units: Annotated[int, Field(description="N, the units the valuation covers")]
    count_default: Annotated[bool, Field(description="N is the industry default for the size class")]
    count_estimate: str | None
    pilot_units: Annotated[int, Field(description="units of the pilot stage; = units when not staged")]
    pool_share: float
    priced_by: Annotated[str, Field(description="units: fixed + per unit | size_band: the size-class band")]
    fixed_one_off: Range3
    fixed_annual: Range3
    unit_one_off: Range3
    unit_annual: Range3
    cost_estimate: str | None
    # added in session 3 (1.0 in stored plans): the per-unit price multiplier for a unit larger than its size
    # class's price was written for (planning.yaml size_scaling); unit_one_off and unit_annual include it
    cost_scale: Annotated[float, Field(description="multiplier of the per-unit price for the unit's size")] = 1.0
    # added in session 5 (1.0 in stored plans): the part of cost_scale that brings the scope's price up to the
    # scenario's size-class band (engine/scope.py class_price_factor)
    class_scale: Annotated[float, Field(description="part of cost_scale from the size class's band")] = 1.0
    # added in session 6 (None in stored plans): a group's roll-out covers a stated share of the units after the
    # pilot within the plan (planning.yaml site_scaling.rollout_share); None: all of them
    rollout_units: Annotated[
        int | None, Field(description="units the roll-out covers within the plan; None: all after the pilot")
    ] = None


@dataclass(slots=True, kw_only=True)
class Valuation:
    """What a scenario is worth to the enterprise: benefits, costs, NPV and payback."""

    scenario: str
    annual_benefit: Range3
    lines: list[BenefitLine]
    one_off: Range3
    annual_cost: Range3
    cost_basis: str
    cost_source: str | None
    cost_as_of: date | None
    duration_months: int
    npv: Range3
    payback_months: float | None
    sharpen_with: list[str]
    # added in wendao.plan/3 (None in stored plans): the units valued and how the cost was built
    coverage: Coverage | None = None
    ramp_first_year: Annotated[
        float, Field(description="share of the yearly benefit in the first year after go-live")
    ] = 1.0
    # added in session 4 (empty in stored plans)
    in_place: Annotated[
        list[str], Field(description="systems the enterprise already runs that this scenario would put in place")
    ] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Feasibility:
    """Whether the enterprise is ready for a scenario, and the chance its median benefit is delivered."""

    ready: bool
    maturity_gaps: Annotated[
        dict[str, tuple[float, int]], Field(description="dimension -> (have, need) where have < need")
    ]
    missing_systems: list[str]
    missing_systems_any: Annotated[list[str], Field(description="none of these is in place (one is needed)")]
    needs_scenarios: list[str]
    risk_factor: Annotated[float, Field(description="chance the median benefit is delivered (design parameter based)")]


@dataclass(slots=True, kw_only=True)
class Fit:
    """How well a scenario fits the enterprise's industry and stated needs."""

    industry: Annotated[str, Field(description="high | medium | low | none")]
    industry_factor: float
    pain: Annotated[
        float, Field(description="best search score of the pain points and goals against the scenario, 0–1")
    ]
    pain_text: str | None


# frozen: the fixed reasons are shared by every plan
@dataclass(frozen=True, slots=True, kw_only=True)
class Reason:
    """A human-readable reason a scenario is in or out, in both languages."""

    code: str
    zh: str
    en: str


@dataclass(slots=True, kw_only=True)
class RankedScenario:
    """A scenario valued, checked and ranked for one enterprise, with its reasons."""

    id: str
    name_zh: str
    name_en: str
    kind: str
    parent: str | None
    rank: int
    score: float
    fit: Fit
    feasibility: Feasibility
    valuation: Valuation
    reasons: list[Reason]


# --- business model ----------------------------------------------------------------------------------

# Who an enterprise sells to when its profile does not say, by division group. A wendao judgement (no
# statistic of sales channels by division was found), shown in the plan as a default: process and materials
# firms (chemicals, metals, building materials, C22/C25–C32/C42) and equipment makers (C33–C38, C43) sell to
# other firms; electronics (C39–C40) are mostly component, instrument and equipment suppliers; consumer-goods
# divisions (food, drink, textiles, furniture, …) sell through retail and their own channels as well as to firms.
DEFAULT_BUSINESS_MODEL: dict[str, str] = {
    "raw_materials": "b2b",
    "equipment": "b2b",
    "electronics": "b2b",
    "consumer": "mixed",
}
UPLIFT_METRICS = frozenset({"sales_revenue", "throughput"})  # effects that add sales rather than save cost


def counted_at_low_end(k: KpiEffect) -> bool:
    """An effect without a published source counts at its low end, (low, low, median) of its range; revenue-uplift
    effects without a source are upside, never counted (``_upside_reason``), and are shown whole."""
    sourced = bool(k.source and k.source.strip()) and k.as_of is not None
    return not sourced and k.metric not in UPLIFT_METRICS


def business_model_of(profile: EnterpriseProfile, catalog: Catalog) -> tuple[str, bool]:
    """(business model, whether it is the division default rather than the enterprise's own answer)."""
    if profile.business_model is not None:
        return profile.business_model, False
    group = next((i.group for i in catalog.industries if i.code == profile.division), "")
    return DEFAULT_BUSINESS_MODEL.get(group, "mixed"), True


def compound(shares: Iterable[float]) -> float:
    """The share of one money pool that several effects take together: 1 − Π(1 − eᵢ). Each acts on what the
    others leave (two 10 % cuts of the energy bill save 19 %, not 20 %), so the result never reaches the whole
    pool. For added sales (a share of the contribution margin) the true combination is Π(1 + eᵢ) − 1, above the
    sum; the same rule is then a conservative bound (DESIGN rule 2)."""
    rest = 1.0
    for e in shares:
        rest *= 1.0 - min(1.0, max(0.0, e))
    return 1.0 - rest


# --- baselines ---------------------------------------------------------------------------------------


class Defaults:
    """Looks up the most specific default: division, then industry group, then 'all'."""

    def __init__(self, defaults: Sequence[BaselineDefault], catalog: Catalog) -> None:
        self._by_key: dict[tuple[str, str], BaselineDefault] = {(d.figure, d.applies_to): d for d in defaults}
        self._groups = {i.code: i.group for i in catalog.industries}

    def get(self, figure: str, division: str) -> BaselineDefault | None:
        for scope in (division, self._groups.get(division, ""), "all"):
            found = self._by_key.get((figure, scope))
            if found is not None:
                return found
        return None


def _used(d: BaselineDefault) -> DefaultUsed:
    return DefaultUsed(
        figure=d.figure,
        value=d.value,
        unit=d.unit,
        applies_to=d.applies_to,
        source=d.source,
        as_of=d.as_of,
        estimate=d.estimate,
        source_zh=d.source_zh,
        source_en=d.source_en,
    )


class _Resolver:
    """Builds BaselineValue objects from a profile and the defaults, recording where each input came from."""

    def __init__(self, profile: EnterpriseProfile, defaults: Defaults) -> None:
        self.p = profile
        self.b = profile.baseline
        self.defaults = defaults
        self._cache: dict[str, BaselineValue] = {}

    def _figure(
        self, own: float | None, own_name: str, default_figure: str, used: list[DefaultUsed], sharpen: list[str]
    ) -> float | None:
        if own is not None:
            return float(own)
        d = self.defaults.get(default_figure, self.p.division)
        sharpen.append(own_name)
        if d is None:
            return None
        used.append(_used(d))
        return d.value

    def _share_of_revenue(self, key: str, own: float | None, own_name: str, figure: str) -> BaselineValue:
        used: list[DefaultUsed] = []
        sharpen: list[str] = []
        if own is not None:
            return BaselineValue(
                key=key,
                value=float(own),
                origin="profile",
                formula=own_name,
                inputs={own_name: float(own)},
                defaults_used=[],
                sharpen_with=[],
            )
        share = self._figure(None, own_name, figure, used, sharpen)
        value = None if share is None else self.p.revenue * share
        return BaselineValue(
            key=key,
            value=value,
            origin="default" if value is not None else "missing",
            formula=f"revenue × {figure}",
            inputs={"revenue": self.p.revenue},
            defaults_used=used,
            sharpen_with=sharpen,
        )

    def _staff_cost(
        self, key: str, staff: int | None, staff_name: str, share_figure: str | None, factor_figure: str | None = None
    ) -> BaselineValue:
        used: list[DefaultUsed] = []
        sharpen: list[str] = []
        inputs: dict[str, float] = {}
        if staff is not None:
            people: float | None = float(staff)
            inputs[staff_name] = float(staff)
        elif share_figure is not None:
            share = self._figure(None, staff_name, share_figure, used, sharpen)
            people = None if share is None else self.p.employees * share
            inputs["employees"] = float(self.p.employees)
        else:
            people = None
            sharpen.append(staff_name)
        wage = self._figure(
            self.b.labour_cost_per_person, "labour_cost_per_person", "labour_cost_per_person", used, sharpen
        )
        if wage is not None and self.b.labour_cost_per_person is not None:
            inputs["labour_cost_per_person"] = wage
        factor = 1.0
        formula = f"{staff_name} × labour_cost_per_person"
        if factor_figure is not None:
            d = self.defaults.get(factor_figure, self.p.division)
            if d is None:
                people = None
            else:
                used.append(_used(d))
                factor = d.value
                formula += f" × {factor_figure}"
        value = None if people is None or wage is None else people * wage * factor
        origin = (
            "missing" if value is None else ("profile" if not used else ("default" if len(inputs) <= 1 else "mixed"))
        )
        return BaselineValue(
            key=key,
            value=value,
            origin=origin,
            formula=formula,
            inputs=inputs,
            defaults_used=used,
            sharpen_with=sharpen,
        )

    def resolve(self, key: str) -> BaselineValue:
        if key not in self._cache:
            self._cache[key] = self._compute(key)
        return self._cache[key]

    def _compute(self, key: str) -> BaselineValue:
        rule = POOL_RULES.get(key)
        if rule is None:
            raise KeyError(f"no rule for baseline {key!r}")
        # one function per kind of pool rule (value_rules.PoolRule.kind); revenue × a rate otherwise
        return _POOL_KINDS.get(rule.kind, _Resolver._margin_on_revenue)(self, key, rule)

    def _revenue_share_pool(self, key: str, rule: PoolRule) -> BaselineValue:
        """The profile's own figure, else revenue × the default share."""
        return self._share_of_revenue(key, getattr(self.b, rule.own[0]), rule.own[0], rule.defaults[0])

    def _staff_pool(self, key: str, rule: PoolRule) -> BaselineValue:
        """Staff (own, or employees × a default share) × labour cost per person (× a default factor)."""
        staff = rule.own[0]
        return self._staff_cost(key, getattr(self.b, staff), staff, rule.staff_share, factor_figure=rule.factor)

    def _hours_times_rate(self, key: str, rule: PoolRule) -> BaselineValue:
        """Both own figures multiplied; no default (the pool stays empty until both are given)."""
        given = {n: getattr(self.b, n) for n in rule.own}
        sharpen = [n for n, v in given.items() if v is None]
        value = None
        inputs: dict[str, float] = {}
        if not sharpen:
            inputs = {n: float(v) for n, v in given.items()}
            hours, rate = inputs.values()
            value = hours * rate
        return BaselineValue(
            key=key,
            value=value,
            origin="profile" if value is not None else "missing",
            formula=rule.formula,
            inputs=inputs,
            defaults_used=[],
            sharpen_with=sharpen,
        )

    def _own_figure(self, key: str, rule: PoolRule) -> BaselineValue:
        """The profile's own figure; no default (the pool stays empty until it is given)."""
        name = rule.own[0]
        given = getattr(self.b, name)
        return BaselineValue(
            key=key,
            value=None if given is None else float(given),
            origin="missing" if given is None else "profile",
            formula=rule.formula,
            inputs={} if given is None else {name: float(given)},
            defaults_used=[],
            sharpen_with=[name] if given is None else [],
        )

    def _stock_times_rate(self, key: str, rule: PoolRule) -> BaselineValue:
        """A stock (own, or revenue × a default share) times a yearly rate (own, or a default)."""
        (stock_name, rate_name), (stock_share, rate_default) = rule.own, rule.defaults
        used: list[DefaultUsed] = []
        sharpen: list[str] = []
        stock = getattr(self.b, stock_name)
        if stock is None:
            share = self._figure(None, stock_name, stock_share, used, sharpen)
            stock = None if share is None else self.p.revenue * share
        rate = self._figure(getattr(self.b, rate_name), rate_name, rate_default, used, sharpen)
        value = None if stock is None or rate is None else stock * rate
        inputs = {n: float(getattr(self.b, n)) for n in rule.own if getattr(self.b, n) is not None}
        origin = "missing" if value is None else ("profile" if not used else ("mixed" if inputs else "default"))
        return BaselineValue(
            key=key,
            value=value,
            origin=origin,
            formula=rule.formula,
            inputs=inputs,
            defaults_used=used,
            sharpen_with=sharpen,
        )

    def _margin_on_revenue(self, key: str, rule: PoolRule) -> BaselineValue:
        """Revenue times a rate (own, or the default)."""
        used: list[DefaultUsed] = []
        sharpen: list[str] = []
        own = rule.own[0]
        rate = self._figure(getattr(self.b, own), own, rule.defaults[0], used, sharpen)
        value = None if rate is None else self.p.revenue * rate
        return BaselineValue(
            key=key,
            value=value,
            origin="missing" if value is None else ("default" if used else "profile"),
            formula=rule.formula,
            inputs={"revenue": self.p.revenue},
            defaults_used=used,
            sharpen_with=sharpen,
        )


_POOL_KINDS: dict[str, Callable[[_Resolver, str, PoolRule], BaselineValue]] = {
    "share_of_revenue": _Resolver._revenue_share_pool,
    "staff_cost": _Resolver._staff_pool,
    "hours_times_rate": _Resolver._hours_times_rate,
    "own_figure": _Resolver._own_figure,
    "stock_times_rate": _Resolver._stock_times_rate,
    "margin_on_revenue": _Resolver._margin_on_revenue,
}


def money_pool(
    key: str, profile: EnterpriseProfile, defaults: Sequence[BaselineDefault], catalog: Catalog
) -> BaselineValue:
    """One money pool (a metric's ``baseline``) as the value model works it out (value_rules.POOL_RULES)."""
    return _Resolver(profile, Defaults(defaults, catalog)).resolve(key)


# --- valuation ------------------------------------------------------------------------------------------


RAMP_QUARTERS = 4  # the ramp (planning.yaml ``ramp``) covers the first year after go-live


@lru_cache(maxsize=64)
def _quarter_divisors(discount_rate: float, horizon_quarters: int) -> tuple[float, ...]:
    """(1 + quarterly rate) ** q for q in 0..horizon-1: npv_quarterly's divisors, computed once per rate."""
    q_rate = (1 + discount_rate) ** 0.25 - 1
    return tuple((1 + q_rate) ** q for q in range(horizon_quarters))


def npv_quarterly(
    one_off: float,
    annual_benefit: float,
    annual_cost: float,
    duration_quarters: int,
    horizon_quarters: int,
    discount_rate: float,
    start_quarter: int = 0,
    ramp_loss: float = 0.0,
) -> float:
    """NPV at quarter 0 of a project started at ``start_quarter``: the one-off cost is spread evenly over
    the build quarters, net benefits flow from completion to the end of the horizon, less ``ramp_loss`` (万元
    per year: the benefit not yet delivered while it ramps up) in the first four quarters after completion."""
    div = _quarter_divisors(discount_rate, horizon_quarters)
    total = 0.0
    build = max(1, duration_quarters)
    for q in range(start_quarter, min(horizon_quarters, start_quarter + build)):
        total -= (one_off / build) / div[q]
    for q in range(start_quarter + build, horizon_quarters):
        total += ((annual_benefit - annual_cost) / 4) / div[q]
        if ramp_loss and q < start_quarter + build + RAMP_QUARTERS:
            total -= (ramp_loss / 4) / div[q]
    return total


def _npv_range(
    one_offs: tuple[float, float, float],
    nets: tuple[float, float, float],
    duration_quarters: int,
    horizon_quarters: int,
    discount_rate: float,
    ramp_losses: tuple[float, float, float] = (0.0, 0.0, 0.0),
) -> tuple[float, float, float]:
    """``npv_quarterly`` (started at quarter 0) of the low, median and high case in one pass: the same
    operations in the same order for each case, so the same floats (a test holds them equal)."""
    div = _quarter_divisors(discount_rate, horizon_quarters)
    build = max(1, duration_quarters)
    lo_build, mid_build, hi_build = (x / build for x in one_offs)
    lo_net, mid_net, hi_net = (x / 4 for x in nets)
    lo = mid = hi = 0.0
    for q in range(min(horizon_quarters, build)):
        d = div[q]
        lo -= lo_build / d
        mid -= mid_build / d
        hi -= hi_build / d
    for q in range(build, horizon_quarters):
        d = div[q]
        lo += lo_net / d
        mid += mid_net / d
        hi += hi_net / d
    if any(ramp_losses):
        lo_r, mid_r, hi_r = (x / 4 for x in ramp_losses)
        for q in range(build, min(horizon_quarters, build + RAMP_QUARTERS)):
            d = div[q]
            lo -= lo_r / d
            mid -= mid_r / d
            hi -= hi_r / d
    return lo, mid, hi


@dataclass(frozen=True)
class _Effect:
    kpi: KpiEffect
    metric: Metric
    effect: Range3  # the effect as a BenefitLine shows it (shared by every plan)
    rule: EffectRule  # how the effect becomes money (engine/value_rules.py)
    # the effect as money counts it: the catalog's range when a published source backs it; an estimate without one
    # counts at its low end, (low, low, median), so a judgement never carries a plan on its median
    counted: tuple[float, float, float]
    low_end: bool

    def line(
        self,
        baseline: BaselineValue,
        annual: Range3,
        counted: bool,
        note: str,
        upside: str = "",
        pool_share: float = 1.0,
        low_end: bool = False,
        in_place_share: float = 1.0,
    ) -> BenefitLine:
        k, m = self.kpi, self.metric
        return BenefitLine(
            metric=m.id,
            metric_zh=m.name_zh,
            metric_en=m.name_en,
            effect=self.effect,
            baseline=baseline,
            annual=annual,
            counted=counted,
            note=note,
            source=k.source,
            as_of=k.as_of,
            estimate=k.estimate,
            verified=k.verified,
            reliability=k.reliability,
            upside=upside,
            pool_share=pool_share,
            low_end=low_end,
            in_place_share=in_place_share,
        )


@dataclass(frozen=True)
class _Static:
    """The parts of a scenario's valuation that do not depend on the enterprise, built once per catalog.
    The Range3 objects in it are shared by every plan and never mutated."""

    effects: tuple[_Effect, ...]
    one_off: dict[str, Range3]  # by size class: the price of a site-wide scope without per-unit cost
    running: dict[str, Range3]
    months: int
    quarters: int
    scope: Scope


_STATICS: PerObject[Catalog, dict[str, _Static]] = PerObject(size=4)


def _statics(catalog: Catalog) -> dict[str, _Static]:
    """Per-scenario static parts for ``catalog``, built once per catalog."""
    return _STATICS.get(catalog, _build_statics)


def _build_statics(catalog: Catalog) -> dict[str, _Static]:
    metrics = {m.id: m for m in catalog.metrics}
    out: dict[str, _Static] = {}
    for sc in catalog.scenarios:
        effects = []
        for k in sc.kpi_effects:
            m = metrics[k.metric]
            rule = effect_rule(m.id, m.better)  # engine/value_rules.py EFFECT_RULES
            low_end = counted_at_low_end(k)
            counted = (k.low, k.low, k.median) if low_end else (k.low, k.median, k.high)
            effects.append(_Effect(k, m, Range3.of(k.low, k.median, k.high), rule, counted, low_end))
        one_off: dict[str, Range3] = {}
        running: dict[str, Range3] = {}
        for size in ("large", "medium", "small", "micro"):
            band = sc.cost.band(size)
            one_off[size] = Range3.of(band.one_off.low, (band.one_off.low + band.one_off.high) / 2, band.one_off.high)
            running[size] = Range3.of(band.annual.low, (band.annual.low + band.annual.high) / 2, band.annual.high)
        months = round((sc.duration.months_low + sc.duration.months_high) / 2)
        out[sc.id] = _Static(tuple(effects), one_off, running, months, max(1, -(-months // 3)), sc.scope)
    return out


_ZERO = Range3(0.0, 0.0, 0.0)
_NOT_MONETISED = BaselineValue(
    key="", value=None, origin="missing", formula="not monetised", inputs={}, defaults_used=[], sharpen_with=[]
)


def value_scenario(
    s: Scenario,
    profile: EnterpriseProfile,
    static: _Static,
    resolver: Callable[[str], BaselineValue],
    horizon_quarters: int,
    discount_rate: float,
    size: str,
    business_model: str = "mixed",
    units: UnitCount | None = None,
    ramp_first_year: float = 1.0,
    group: str = "",
    unit_scale: float = 1.0,
    caps: Mapping[str, float] | None = None,
    in_place: Sequence[str] = (),
    in_place_share: float = 1.0,
    class_scale: float = 1.0,
    site_split: tuple[float, float] | None = None,
    rollout_share: float | None = None,
    sites: int = 1,
) -> Valuation:
    """``size`` is the profile's size class and ``business_model`` its business model (``business_model_of``),
    both computed once per ranking. ``units`` is how many units of the scenario's scope the enterprise has
    (``Counts``; one site when not given): the valuation covers all of them, priced fixed + units × per unit,
    each pool taken at the scope's pool_share. ``ramp_first_year``: share of the yearly benefit delivered in
    the first year after go-live (planning.yaml ``ramp``). ``unit_scale``: the per-unit price multiplier for a unit
    larger than its size class's price was written for (planning.yaml ``size_scaling``); ``caps``: the most
    one item may take out of a pool, as a share of it (planning.yaml ``pool_caps``). ``in_place``: the systems
    this scenario puts in place that the enterprise already runs; then each effect counts ``in_place_share`` of
    itself (planning.yaml ``in_place``). ``class_scale``: the part of ``unit_scale`` that brings the scope's price to
    the size class's band (``scope.class_price_factor``), kept to say so on the page. ``site_split``: (a, b) of
    ``scope.site_split`` when a site-wide scope is valued on a group's ``units`` site equivalents;
    ``rollout_share``: the share of the units after the pilot a group's roll-out covers (planning.yaml
    ``site_scaling``); None for a firm that is not a group. ``sites``: the group's site equivalents; its pilot of a
    per-unit scope covers one site's share of the units (N ÷ sites), at least the scope's own pilot."""
    scope = static.scope
    units = units or UnitCount(count="site", value=1, default=False, estimate=None)
    by_baseline: dict[str, BenefitLine] = {}
    lines: list[BenefitLine] = []
    for e in static.effects:
        m = e.metric
        line = _line(
            e,
            profile,
            resolver,
            business_model,
            scope.share_for(group, profile.division),
            caps,
            in_place_share if in_place else 1.0,
        )
        lines.append(line)
        if not line.counted or m.baseline is None:
            continue
        best = by_baseline.get(m.baseline)
        if best is None or line.annual.median > best.annual.median:
            by_baseline[m.baseline] = line
    for e, line in zip(static.effects, lines, strict=True):
        key = e.metric.baseline
        if line.counted and key is not None and by_baseline.get(key) is not line:
            line.counted = False
            line.note = "same baseline as a larger effect of this scenario: not added twice"
    counted = list(by_baseline.values())
    benefit = Range3.of(
        sum(x.annual.low for x in counted), sum(x.annual.median for x in counted), sum(x.annual.high for x in counted)
    )
    coverage = _coverage(scope, units, static, size, scope.share_for(group, profile.division), unit_scale, class_scale)
    if scope.per_unit is None and site_split is not None and units.value > 1:
        coverage = _group_coverage(coverage, static, size, site_split)
        one_off = Range3.of(*_add_lines(coverage.fixed_one_off, coverage.unit_one_off, units.value))
        running = Range3.of(*_add_lines(coverage.fixed_annual, coverage.unit_annual, units.value))
    elif scope.per_unit is None:
        one_off = static.one_off[size]
        running = static.running[size]
    else:
        one_off = Range3.of(*_add_lines(coverage.fixed_one_off, coverage.unit_one_off, units.value))
        running = Range3.of(*_add_lines(coverage.fixed_annual, coverage.unit_annual, units.value))
    if sites > 1 and scope.per_unit is not None:  # a group's pilot: one site's units, not a small firm's pilot
        coverage.pilot_units = min(coverage.units, max(coverage.pilot_units, round(coverage.units / sites)))
    if rollout_share is not None and coverage.units > coverage.pilot_units:
        coverage.rollout_units = rollout_units(coverage.units - coverage.pilot_units, rollout_share)
    months = static.months
    quarters = static.quarters
    loss = 1.0 - ramp_first_year
    npv = Range3.of(
        *_npv_range(
            (one_off.high, one_off.median, one_off.low),
            (benefit.low - running.high, benefit.median - running.median, benefit.high - running.low),
            quarters,
            horizon_quarters,
            discount_rate,
            (benefit.low * loss, benefit.median * loss, benefit.high * loss),
        )
    )
    payback = payback_months(one_off.median, benefit.median, running.median, months, ramp_first_year)
    sharpen = sorted({f for line in lines for f in line.baseline.sharpen_with})
    return Valuation(
        scenario=s.id,
        annual_benefit=benefit,
        lines=lines,
        one_off=one_off,
        annual_cost=running,
        cost_basis=s.cost.estimate or "sourced",
        cost_source=s.cost.source,
        cost_as_of=s.cost.as_of,
        duration_months=months,
        npv=npv,
        payback_months=payback,
        sharpen_with=sharpen,
        coverage=coverage,
        ramp_first_year=ramp_first_year,
        in_place=list(in_place),
    )


def payback_months(
    one_off: float, benefit: float, running: float, months: int, ramp_first_year: float = 1.0
) -> float | None:
    """Months from the project's start until the net benefit has repaid the one-off: the build, then the
    first year at ``ramp_first_year`` of the benefit, then the full benefit. None when it never pays back."""
    first = (ramp_first_year * benefit - running) / 12  # monthly net in the first year after go-live
    full = (benefit - running) / 12
    if first > 0 and one_off <= 12 * first:
        return round(months + one_off / first, 1)
    if full <= 0:
        return None
    return round(months + 12 + (one_off - 12 * first) / full, 1)


_ZERO_COST = UnitCost.model_validate({"one_off": {"low": 0, "high": 0}, "annual": {"low": 0, "high": 0}})


def _coverage(
    scope: Scope,
    units: UnitCount,
    static: _Static,
    size: str,
    pool_share: float,
    unit_scale: float = 1.0,
    class_scale: float = 1.0,
) -> Coverage:
    fixed = scope.fixed or _ZERO_COST
    per = scope.per_unit or _ZERO_COST
    us = unit_scale
    return Coverage(
        unit=scope.unit,
        count=scope.count,
        units=units.value,
        count_default=units.default,
        count_estimate=units.estimate,
        pilot_units=pilot_units(scope, units.value),
        pool_share=pool_share,
        priced_by="size_band" if scope.per_unit is None else "units",
        fixed_one_off=Range3.of(*_mid(fixed.one_off.low, fixed.one_off.high)),
        fixed_annual=Range3.of(*_mid(fixed.annual.low, fixed.annual.high)),
        unit_one_off=Range3.of(*_mid(per.one_off.low * us, per.one_off.high * us)),
        unit_annual=Range3.of(*_mid(per.annual.low * us, per.annual.high * us)),
        cost_estimate=scope.estimate,
        cost_scale=us,
        class_scale=class_scale,
    )


def _mid(low: float, high: float) -> tuple[float, float, float]:
    return low, (low + high) / 2, high


def _group_coverage(c: Coverage, static: _Static, size: str, split: tuple[float, float]) -> Coverage:
    """A site-wide scope valued on a group's site equivalents: the size band split into what is built once
    (a × band) and what each site equivalent adds (b × band), so that one costs the band (planning.yaml
    site_scaling, ``scope.site_split``)."""
    a, b = split
    one, run = static.one_off[size], static.running[size]
    c.unit = "site_equiv"
    c.priced_by = "units"
    c.fixed_one_off = Range3.of(one.low * a, one.median * a, one.high * a)
    c.fixed_annual = Range3.of(run.low * a, run.median * a, run.high * a)
    c.unit_one_off = Range3.of(one.low * b, one.median * b, one.high * b)
    c.unit_annual = Range3.of(run.low * b, run.median * b, run.high * b)
    c.cost_estimate = (
        f"group above the site-wide band's size (planning.yaml site_scaling): {c.units} site equivalents; "
        f"band × ({a:.3f} + n × {b:.3f}), one site equivalent costs the band (wendao estimate)"
    )
    return c


def _unit_scale(
    s: Scenario, profile: EnterpriseProfile, size: SizeClass, counts: Counts, planning: Planning
) -> tuple[float, float]:
    """(the per-unit price multiplier, its size-class part): the size class's own price level
    (``class_price_factor``) times the unit's size above the class's reference (``unit_cost_scale``), at most the
    size rule's cap."""
    own = s.scope.by_division.get(profile.division)
    if own is not None and own.unit_revenue is not None:  # the division's own price, for its own kind of unit
        units = counts.get(profile, s.scope.count)
        return division_unit_scale(profile.revenue, units, own.unit_revenue, planning.size_scaling), 1.0
    default_units = counts.default(profile, s.scope.count)
    by_size = unit_cost_scale(
        s.scope, profile.revenue, size, counts.get(profile, s.scope.count), default_units, planning.size_scaling
    )
    by_class = class_price_factor(s.scope, s.cost.band(size), default_units)
    factor = by_size * by_class
    cap = planning.size_scaling.max_factor if planning.size_scaling is not None else factor
    return round(min(factor, cap), 4), by_class


def _add_lines(fixed: Range3, per_unit: Range3, units: float) -> tuple[float, float, float]:
    """fixed + units × per unit, for low, median and high (one cost line a reader can recompute)."""
    return (
        fixed.low + units * per_unit.low,
        fixed.median + units * per_unit.median,
        fixed.high + units * per_unit.high,
    )


def _line(
    e: _Effect,
    profile: EnterpriseProfile,
    resolver: Callable[[str], BaselineValue],
    business_model: str,
    pool_share: float = 1.0,
    caps: Mapping[str, float] | None = None,
    in_place_share: float = 1.0,
) -> BenefitLine:
    m, k = e.metric, e.kpi
    if m.baseline is None:
        return e.line(_NOT_MONETISED, _ZERO, False, "KPI reported, not turned into money")
    base = resolver(m.baseline)
    if base.value is None:
        return e.line(base, _ZERO, False, "baseline figure missing: give " + ", ".join(base.sharpen_with))
    v = base.value * pool_share * in_place_share  # the part of the pool the covered units touch, and what is left
    constrained = profile.baseline.capacity_constrained
    annual = Range3.of(*(effect_money(e.rule, v, x, constrained) for x in e.counted))
    cap = caps.get(m.baseline) if caps else None
    if cap is not None and annual.high > base.value * cap:
        # one item never takes more than the declared share of a pool (planning.yaml pool_caps)
        limit = base.value * cap
        annual = Range3.of(min(annual.low, limit), min(annual.median, limit), limit)
    if m.id == "throughput" and not profile.baseline.capacity_constrained:
        note = "extra output counted only when demand exceeds capacity (baseline.capacity_constrained)"
        return e.line(base, annual, False, note, "capacity", pool_share, e.low_end, in_place_share)
    if m.id in UPLIFT_METRICS:
        upside = _upside_reason(k, m.id, business_model)
        if upside is not None:
            return e.line(base, annual, False, _UPSIDE_NOTES[upside], upside, pool_share, e.low_end, in_place_share)
    return e.line(base, annual, annual.high > 0, "", "", pool_share, e.low_end, in_place_share)


_UPSIDE_NOTES = {
    "business_model": "upside, not counted: the sales effect was observed in another business model",
    "no_source": "upside, not counted: no published source backs this revenue effect (wendao estimate)",
}


def _upside_reason(k: KpiEffect, metric: str, business_model: str) -> str | None:
    """Why a revenue-uplift effect is upside rather than counted (DESIGN rule 3), or None when it counts."""
    if metric == "sales_revenue" and k.business_models is not None and business_model not in k.business_models:
        return "business_model"
    if not (k.source and k.source.strip() and k.as_of is not None):
        return "no_source"
    return None


# --- feasibility, fit, ranking ---------------------------------------------------------------------------


def feasibility(s: Scenario, planning: Planning, scores: Mapping[str, float], systems: set[str]) -> Feasibility:
    """``scores`` are the assessment's dimension scores and ``systems`` the profile's, looked up once per
    ranking."""
    pre = s.prerequisites
    gaps: dict[str, tuple[float, int]] = {}
    for dim, need in pre.maturity.items():
        have = scores[dim]
        if have < need:
            gaps[dim] = (have, need)
    missing = [x for x in pre.systems_all if x not in systems]
    missing_any = list(pre.systems_any) if pre.systems_any and not systems & set(pre.systems_any) else []
    r = planning.risk
    gap_points = sum(need - have for have, need in gaps.values())
    risk = r.base - r.per_maturity_gap_point * gap_points - r.per_missing_system * (len(missing) + bool(missing_any))
    if s.kind == "ai":
        risk *= r.ai_kind
    return Feasibility(
        ready=not gaps and not missing and not missing_any and not pre.scenarios,
        maturity_gaps=gaps,
        missing_systems=missing,
        missing_systems_any=missing_any,
        needs_scenarios=list(pre.scenarios),
        risk_factor=round(max(r.floor, risk), 3),
    )


def money_text(x: float, digits: int = 1) -> str:
    """An amount in 万元 with thousands separators and ``digits`` decimals; under 0.05 万元 at the default precision,
    two decimals: "（中值 0.0）" beside "0.0–0.1" read as nothing (documents read as PNG pages). The one rule of the
    engine's reasons and the documents (``report.labels.Labels.money``)."""
    if digits == 1 and 0 < abs(x) < 0.05:
        digits = 2
    return f"{x:,.{digits}f}"


def money_en(x: float, digits: int = 1) -> str:
    """An amount given in 万元, as an English reader reads it: "CNY 200,000" in whole yuan, rounded to the
    precision the 万元 figure carries (one decimal: to CNY 1,000; two below 0.05 万元: to CNY 100). English text
    never writes 万元, and tables state their unit in the header ("10k CNY") instead. The one rule of English
    reasons, answers and documents."""
    if digits == 1 and 0 < abs(x) < 0.05:
        digits = 2
    yuan = round(x * 10_000, digits - 4) if digits < 4 else x * 10_000
    return f"CNY {yuan:,.0f}".replace("CNY -", "−CNY ")


def money_range_en(low: float, high: float, digits: int = 1) -> str:
    """"CNY 200,000–400,000"; one figure when both ends print the same."""
    lo, hi = money_en(low, digits), money_en(high, digits)
    return lo if lo == hi else f"{lo}–{hi.removeprefix('CNY ')}"


_INDUSTRY_REASONS = {
    level: Reason(code="industry", zh=f"与本行业的适用度：{zh}", en=f"Applicability to this industry: {level}")
    for level, zh in {"high": "高", "medium": "中", "low": "低", "none": "未列出"}.items()
}


def reasons_for(
    s: Scenario,
    fit: Fit,
    feas: Feasibility,
    val: Valuation,
    dims: Mapping[str, tuple[str, str]],
    scenario_names: Mapping[str, tuple[str, str]],
    horizon_months: int | None = None,
) -> list[Reason]:
    """``horizon_months``: a payback later than the planning horizon reads "规划期内不回本", never "约 549 个月"."""
    out: list[Reason] = [_INDUSTRY_REASONS[fit.industry]]
    if fit.pain_text and fit.pain >= 0.5:
        out.append(
            Reason(
                code="pain",
                zh=f"回应了企业提出的问题：“{fit.pain_text}”",
                en=f"Answers a stated need: “{fit.pain_text}”",
            )
        )
    if val.annual_benefit.median > 0:
        low, median, high = (
            money_text(val.annual_benefit.low),
            money_text(val.annual_benefit.median),
            money_text(val.annual_benefit.high),
        )
        cost_low, cost_high = money_text(val.one_off.low), money_text(val.one_off.high)
        payback = val.payback_months
        if payback is not None and horizon_months is not None and payback > horizon_months:
            payback = None
        tiny = val.annual_benefit.high < 0.05  # "0.0–0.0 万元（中值 0.0）" read as a benefit of nothing (PNG pages, issue 13)
        # every counted effect an estimate without a source, counted at its low end: the middle figure IS the low
        # end, and calling it 中值 beside "3.9–10.4" read as an error (Weifang's ranking, read as PNG pages)
        at_low = [x.low_end for x in val.lines if x.counted]
        low_end = bool(at_low) and all(at_low)
        mid_zh = f"按低值计入 {median}：效果无公开来源" if low_end else f"中值 {median}"
        median_en = money_en(val.annual_benefit.median)
        mid_en = f"counted at the low end, {median_en}: no published source" if low_end else f"median {median_en}"
        out.append(
            Reason(
                code="value",
                zh=("预计年收益不足 0.1 万元" if tiny else f"预计年收益 {low}–{high} 万元（{mid_zh}）")
                + f"，投资 {cost_low}–{cost_high} 万元"
                + (f"，约 {payback:.0f} 个月回本" if payback else "，规划期内不回本"),
                en=(
                    "Annual benefit under CNY 1,000"
                    if tiny
                    else f"Annual benefit {money_range_en(val.annual_benefit.low, val.annual_benefit.high)} ({mid_en})"
                )
                + f", investment {money_range_en(val.one_off.low, val.one_off.high)}"
                + (f", payback in about {payback:.0f} months" if payback else ", does not pay back within the planning horizon"),
            )
        )
    if val.in_place:
        left = next((x.in_place_share for x in val.lines if x.counted), 1.0)
        systems = "、".join(val.in_place)
        out.append(
            Reason(
                code="in_place",
                zh=f"企业已有{systems}，本项目按升级计：只计剩余效果的 {left * 100:.0f}%",
                en=f"The enterprise already runs {', '.join(val.in_place)}: this project is an upgrade and counts "
                f"{left * 100:.0f} % of its effect",
            )
        )
    upside = [x for x in val.lines if x.upside and x.annual.median > 0]
    if upside:
        low, high = money_text(sum(x.annual.low for x in upside)), money_text(sum(x.annual.high for x in upside))
        why_zh = "缺少公开来源" if any(x.upside == "no_source" for x in upside) else "与企业的经营模式不符"
        why_en = "no published source" if any(x.upside == "no_source" for x in upside) else "another business model"
        out.append(
            Reason(
                code="upside",
                # a range from "0.0" reads as nothing: "up to" says the same
                zh=(f"增收潜力最多约 {high}" if low == money_text(0.0) else f"增收潜力约 {low}–{high}")
                + f" 万元/年（{why_zh}），只作参考，不计入收益",
                en=(
                    f"Possible extra sales worth up to {money_en(sum(x.annual.high for x in upside))}"
                    if low == money_text(0.0)
                    else "Possible extra sales worth "
                    + money_range_en(sum(x.annual.low for x in upside), sum(x.annual.high for x in upside))
                )
                + f" a year ({why_en}): shown, not counted",
            )
        )
    if val.annual_benefit.median <= 0 and not upside:  # with upside, the reason above says why nothing counts
        if val.sharpen_with:
            names = [FIGURE_NAMES.get(f, (f, f)) for f in val.sharpen_with]
            out.append(
                Reason(
                    code="no_value",
                    zh=f"按现有数据无法测算收益（需补充：{'、'.join(n[0] for n in names)}）",
                    en=f"No benefit can be computed from the data given (add: {', '.join(n[1] for n in names)})",
                )
            )
        else:  # nothing to add: its effects (OEE, response time, ...) are reported, not turned into money
            out.append(
                Reason(
                    code="no_value",
                    zh="效果（如设备综合效率、响应时间）不直接折算为金额，主要作为后续项目的基础",
                    en="Its effects (such as OEE or response time) are not turned into money; it is mainly a "
                    "foundation for later projects",
                )
            )
    for dim, (have, need) in feas.maturity_gaps.items():
        zh, en = dims.get(dim, (dim, dim))
        out.append(
            Reason(
                code="maturity",
                # a gap is priced as implementation risk (feasibility); a large one also needs a foundation first
                zh=f"{zh}成熟度 {have:.0f} 分，低于建议的 {need} 分（差距已计入实施风险）",
                en=f"{en} maturity {have:.0f} is below the recommended {need} (the gap is priced as a risk)",
            )
        )
    if feas.missing_systems:
        out.append(
            Reason(
                code="systems",
                zh="需要先具备：" + "、".join(feas.missing_systems),
                en="Needs first: " + ", ".join(feas.missing_systems),
            )
        )
    if feas.missing_systems_any:
        out.append(
            Reason(
                code="systems",
                zh="需要以下系统之一：" + "、".join(feas.missing_systems_any),
                en="Needs one of: " + ", ".join(feas.missing_systems_any),
            )
        )
    if feas.needs_scenarios:
        names = [scenario_names.get(x, (x, x)) for x in feas.needs_scenarios]
        out.append(
            Reason(
                code="foundation",
                zh="建议先完成：" + "、".join(n[0] for n in names),
                en="Best done after: " + ", ".join(n[1] for n in names),
            )
        )
    return out


def _in_place_systems(sid: str, planning: Planning, systems: set[str]) -> list[str]:
    """The systems scenario ``sid`` puts in place (planning.yaml provides) when the enterprise runs all of them
    already; empty otherwise (nothing, or only part of it, is there)."""
    provides = planning.provides.get(sid)
    if provides is None or not provides.systems or not set(provides.systems) <= systems:
        return []
    return list(provides.systems)


def rank_scenarios(
    profile: EnterpriseProfile,
    assessment: Assessment,
    catalog: Catalog,
    planning: Planning,
    *,
    defaults: Sequence[BaselineDefault],
    pain_scores: Mapping[str, tuple[float, str | None]],
    dimension_names: Mapping[str, tuple[str, str]],
    horizon_quarters: int,
    discount_rate: float,
    count_defaults: Sequence[CountDefault] = (),
) -> list[RankedScenario]:
    """Every scenario valued, checked and ranked for this enterprise, best first, with reasons.
    ``count_defaults``: unit counts by size class for the figures the profile leaves empty."""
    statics = _statics(catalog)
    scores = {d.id: d.score or 0.0 for d in assessment.dimensions}
    size = profile.size_class
    systems = set(profile.systems)
    resolver = _Resolver(profile, Defaults(defaults, catalog))
    site_rule = planning.site_scaling
    own_reference = planning.size_scaling.reference_revenue.get(size) if planning.size_scaling is not None else None
    sites = site_equivalents(profile.revenue, site_rule, own_reference)
    counts = Counts(count_defaults, {i.code: i.group for i in catalog.industries}, sites)
    caps = {k: c.share for k, c in planning.pool_caps.items()}
    ramp = planning.ramp.first_year_share if planning.ramp is not None else 1.0
    model, _ = business_model_of(profile, catalog)
    group = next((i.group for i in catalog.industries if i.code == profile.division), "")
    names = {s.id: (s.name_zh, s.name_en) for s in catalog.scenarios}
    share_left = planning.in_place.share_left if planning.in_place is not None else 1.0
    group_split = site_split(sites, site_rule) if site_rule is not None and sites > 1 else None
    group_share = site_rule.rollout_share if site_rule is not None and sites > 1 else None
    site_units = UnitCount(count="site", value=sites, default=False, estimate=None)
    staged = []
    for s in catalog.scenarios:
        strength = s.industries.strength(profile.division) or "none"
        pain, pain_text = pain_scores.get(s.id, (0.0, None))
        fit = Fit(
            industry=strength,
            industry_factor=planning.industry_factor[strength],
            pain=round(pain, 4),
            pain_text=pain_text,
        )
        feas = feasibility(s, planning, scores, systems)
        scale, by_class = _unit_scale(s, profile, size, counts, planning)
        static = statics[s.id]
        if profile.division in s.scope.by_division:  # a division whose units differ in kind (catalog by_division)
            static = replace(static, scope=s.scope.for_division(profile.division))
        val = value_scenario(
            s,
            profile,
            static,
            resolver.resolve,
            horizon_quarters,
            discount_rate,
            size,
            model,
            site_units if s.scope.per_unit is None and group_split is not None else counts.get(profile, s.scope.count),
            ramp,
            group,
            scale,
            caps,
            in_place=_in_place_systems(s.id, planning, systems),
            in_place_share=share_left,
            class_scale=by_class,
            site_split=group_split,
            rollout_share=group_share,
            sites=sites,
        )
        staged.append((s, fit, feas, val))
    best_npv = max((max(v.npv.median, 0.0) for _, _, _, v in staged), default=0.0) or 1.0
    w = planning.rank_weights
    scored = []
    for s, fit, feas, val in staged:
        value_term = max(val.npv.median, 0.0) / best_npv
        score = (
            w["fit"] * fit.industry_factor
            + w["pain"] * fit.pain
            + w["value"] * value_term
            + w["feasibility"] * feas.risk_factor
        )
        scored.append((round(score, 4), s, fit, feas, val))
    # a foundation project whose systems the firm runs already (the B2C furniture maker, with an ERP, was offered
    # cloud ERP at rank 5) is not a thing to buy: it ranks after every other scenario, and says why
    scored.sort(key=lambda t: (owned_foundation(t[1], t[4]), -t[0], t[1].id))
    return [
        RankedScenario(
            id=s.id,
            name_zh=s.name_zh,
            name_en=s.name_en,
            kind=s.kind,
            parent=s.parent,
            rank=i,
            score=score,
            fit=fit,
            feasibility=feas,
            valuation=val,
            reasons=_owned_reasons(val)
            if owned_foundation(s, val)
            else reasons_for(s, fit, feas, val, dimension_names, names, 3 * horizon_quarters),
        )
        for i, (score, s, fit, feas, val) in enumerate(scored, 1)
    ]


def owned_foundation(s: Scenario, val: Valuation) -> bool:
    """A foundation project (scenarios/foundation.yaml) every system of which the enterprise already runs
    (``Valuation.in_place``): the roadmap does not offer it (plan._candidate_scenarios), and the ranking puts it last."""
    return s.foundation and bool(val.in_place)


def _owned_reasons(val: Valuation) -> list[Reason]:
    """Why an owned foundation is last: the firm has it; its valuation as an upgrade is not a reason to buy it."""
    return [
        Reason(
            code="in_place",
            zh=f"企业已有{'、'.join(val.in_place)}：这个打基础的项目不必再买，排在最后",
            en=f"The enterprise already runs {', '.join(val.in_place)}: this foundation project need not be bought, "
            "and ranks last",
        )
    ]
