"""Pilot and roll-out (先试点、后推广, issue 13 item 3) and how each plan item's money was made (item 8).

A scenario valued on N units of scope with N above its pilot is offered to the roadmap as two candidates: the
pilot (the fixed cost and the pilot units) and the roll-out (the other units), which starts only after the
pilot has finished (``Candidate.after``). Each stage takes n/N of the scenario's benefit on every pool; the
two stages of one scenario cover different units, so their shares of a pool add up (to the scenario's full
share), and only different scenarios on one pool compound (``wendao.engine.plan._Pools``).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, Field

from wendao.engine.scenarios import Range3, RankedScenario, payback_months
from wendao.engine.scope import UNIT_NAMES

ROLLOUT = "__rollout"  # suffix of a roll-out candidate's id (scenario ids are [a-z0-9_] without a double "_")
STAGE_LABELS = {"pilot": ("试点", "pilot"), "rollout": ("推广", "roll-out")}  # a whole-scope item has no label


def staged_name(name: str, stage: str, lang: str) -> str:
    """A plan item's name as a person reads it: the scenario's name and, for a pilot or a roll-out, its stage
    (“数智精益管理（试点）”, “Data-driven lean management (pilot)”). The plan's data keeps the scenario's own name
    (``PlanItem.name_zh``); the documents, the web and the answers add the stage where they show an item."""
    zh, en = STAGE_LABELS.get(stage, ("", ""))
    if lang == "zh":
        return f"{name}（{zh}）" if zh else name
    return f"{name} ({en})" if en else name


def without_stage(name: str, stage: str, lang: str) -> str:
    """``name`` without the stage label a stored wendao.plan/3 item carries in its name."""
    zh, en = STAGE_LABELS.get(stage, ("", ""))
    suffix = (f"（{zh}）" if lang == "zh" else f" ({en})") if zh else ""
    return name.removesuffix(suffix) if suffix else name


@dataclass(frozen=True, slots=True, kw_only=True)
class StagePart:
    """One stage of a scenario as the roadmap sees it."""

    candidate: str  # the roadmap candidate id: the scenario id, or scenario id + ROLLOUT
    scenario: str
    stage: str  # full | pilot | rollout
    units: int
    units_total: int
    share: float  # units / units_total: the stage's part of the scenario's benefit
    one_off: float  # 万元, median
    annual_cost: float  # 万元 per year, median


def scenario_of(candidate: str) -> str:
    return candidate.removesuffix(ROLLOUT)


def stage_parts(r: RankedScenario) -> list[StagePart]:
    """The stages of a ranked scenario: one ``full`` part, or a ``pilot`` and a ``rollout``."""
    val = r.valuation
    cov = val.coverage
    if cov is None or cov.priced_by != "units" or cov.units <= cov.pilot_units:
        units = cov.units if cov is not None else 1
        return [
            StagePart(
                candidate=r.id,
                scenario=r.id,
                stage="full",
                units=units,
                units_total=units,
                share=1.0,
                one_off=val.one_off.median,
                annual_cost=val.annual_cost.median,
            )
        ]
    n, total = cov.pilot_units, cov.units
    rest = cov.rollout_units if cov.rollout_units is not None else total - n  # a group: a stated share (scope.py)
    return [
        StagePart(
            candidate=r.id,
            scenario=r.id,
            stage="pilot",
            units=n,
            units_total=total,
            share=n / total,
            one_off=round(cov.fixed_one_off.median + n * cov.unit_one_off.median, 4),
            annual_cost=round(cov.fixed_annual.median + n * cov.unit_annual.median, 4),
        ),
        StagePart(
            candidate=r.id + ROLLOUT,
            scenario=r.id,
            stage="rollout",
            units=rest,
            units_total=total,
            share=rest / total,
            one_off=round(rest * cov.unit_one_off.median, 4),
            annual_cost=round(rest * cov.unit_annual.median, 4),
        ),
    ]


# --- how the money was made (plan JSON, web, documents) -------------------------------------------------


class CostLine(BaseModel):
    """One line of an item's cost: units × price per unit = amount (万元, medians)."""

    what: str = Field(description="fixed | per_unit | size_band")
    units: float
    one_off_each: float
    annual_each: float
    one_off: float
    annual: float


class PoolLine(BaseModel):
    """What an item takes out of one money pool: pool × effect × pool share × covered units / all units."""

    pool: str
    metric: str
    metric_zh: str
    metric_en: str
    pool_value: float = Field(description="the pool, 万元 per year")
    pool_origin: str = Field(description="profile | default | mixed")
    effect: Range3 = Field(description="the KPI effect (low, median, high), a share of the pool")
    money_rate: Range3 = Field(
        description="the share of the pool the effect saves (= effect, or p/(1+p) for a productivity gain p)"
    )
    pool_share: float
    coverage: float = Field(description="covered units / all units")
    annual: Range3 = Field(
        description="pool × money_rate × pool_share × in_place_share × coverage, 万元 per year, before risk"
    )
    source: str | None
    estimate: str | None
    # added in session 4 (stored plans: False / 1.0)
    low_end: bool = Field(default=False, description="an unsourced estimate counted at its low end (low, low, median)")
    in_place_share: float = Field(
        default=1.0, description="share of the effect left: the enterprise already runs the system it puts in place"
    )


class ItemDerivation(BaseModel):
    """How a plan item's cost and benefit were computed, so a reader can redo the median by hand."""

    stage: str = Field(description="full | pilot | rollout")
    unit: str
    unit_zh: str
    unit_en: str
    units: int = Field(description="units this item covers")
    units_total: int = Field(description="units the enterprise has (N)")
    count: str = Field(description="the profile figure giving N; site = 1")
    count_default: bool
    pools: list[PoolLine]
    benefit_before_risk: Range3
    risk_factor: float
    ramp_first_year: float
    cost_lines: list[CostLine]
    cost_estimate: str | None
    # added in session 3 (1.0 in stored plans): the per-unit price in cost_lines is the catalog's times this, for a
    # unit larger than its size class's price was written for (planning.yaml size_scaling)
    cost_scale: float = Field(default=1.0, description="multiplier of the per-unit price for the unit's size")
    # added in session 5 (1.0 in stored plans): the part of cost_scale that brings the per-unit price up to the
    # scenario's size-class band (engine/scope.py class_price_factor); the rest is the unit-size rule
    class_scale: float = Field(default=1.0, description="part of cost_scale from the size class's price band")
    # added in session 6 (0 in stored plans): a group's roll-out covers a stated share of the units after the pilot
    # within the plan (planning.yaml site_scaling.rollout_share); these are left to a later plan
    units_later: int = Field(default=0, description="units neither the pilot nor this roll-out covers in the plan")


def derivation(r: RankedScenario, part: StagePart) -> ItemDerivation:
    val = r.valuation
    cov = val.coverage
    pools = []
    for line in val.lines:
        if not line.counted or not line.baseline.key or not line.baseline.value:
            continue
        base = line.baseline.value
        share = line.pool_share
        left = line.in_place_share
        # four decimals: a rate of 5.66 % must not read as 6 % when a reader multiplies it out
        rate = Range3(
            *(round(x / (base * share * left), 4) for x in (line.annual.low, line.annual.median, line.annual.high))
        )
        pools.append(
            PoolLine(
                pool=line.baseline.key,
                metric=line.metric,
                metric_zh=line.metric_zh,
                metric_en=line.metric_en,
                pool_value=round(base, 2),
                pool_origin=line.baseline.origin,
                effect=line.effect,
                money_rate=rate,
                pool_share=share,
                coverage=round(part.share, 4),
                annual=Range3.of(*(x * part.share for x in (line.annual.low, line.annual.median, line.annual.high))),
                source=line.source,
                estimate=line.estimate,
                low_end=line.low_end,
                in_place_share=left,
            )
        )
    b = val.annual_benefit
    cost_lines: list[CostLine] = []
    if cov is not None and cov.priced_by == "units":
        if part.stage != "rollout" and (cov.fixed_one_off.median or cov.fixed_annual.median):
            cost_lines.append(_cost_line("fixed", 1, cov.fixed_one_off.median, cov.fixed_annual.median))
        cost_lines.append(_cost_line("per_unit", part.units, cov.unit_one_off.median, cov.unit_annual.median))
    else:
        cost_lines.append(_cost_line("size_band", 1, val.one_off.median, val.annual_cost.median))
    unit = cov.unit if cov is not None else "site"
    zh, en = UNIT_NAMES.get(unit, (unit, unit))
    return ItemDerivation(
        stage=part.stage,
        unit=unit,
        unit_zh=zh,
        unit_en=en,
        units=part.units,
        units_total=part.units_total,
        count=cov.count if cov is not None else "site",
        count_default=cov.count_default if cov is not None else False,
        pools=pools,
        benefit_before_risk=Range3.of(b.low * part.share, b.median * part.share, b.high * part.share),
        risk_factor=r.feasibility.risk_factor,
        ramp_first_year=val.ramp_first_year,
        cost_lines=cost_lines,
        cost_estimate=cov.cost_estimate if cov is not None and cov.priced_by == "units" else val.cost_basis,
        cost_scale=cov.cost_scale if cov is not None else 1.0,
        class_scale=cov.class_scale if cov is not None else 1.0,
        units_later=(
            cov.units - cov.pilot_units - cov.rollout_units
            if cov is not None and part.stage == "rollout" and cov.rollout_units is not None
            else 0
        ),
    )


def _cost_line(what: str, units: float, one_off_each: float, annual_each: float) -> CostLine:
    return CostLine(
        what=what,
        units=units,
        one_off_each=round(one_off_each, 2),
        annual_each=round(annual_each, 2),
        one_off=round(units * one_off_each, 2),
        annual=round(units * annual_each, 2),
    )


def stage_payback(r: RankedScenario, part: StagePart) -> float | None:
    """Months from the stage's start until it has paid back (benefit at risk-free median, like the ranking)."""
    val = r.valuation
    return payback_months(
        part.one_off, val.annual_benefit.median * part.share, part.annual_cost, val.duration_months, val.ramp_first_year
    )
