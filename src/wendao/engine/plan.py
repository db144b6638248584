"""The one entry point that turns an enterprise profile into a Plan (DESIGN §2 plan.py).

assessment -> scenario value and ranking (with pain points through search) -> funding per item -> roadmap
optimisation on net costs -> model routes for the AI items -> money summary, cash flow, milestones, risks,
next steps and the sources of every figure. The Plan is versioned JSON (PLAN_SCHEMA); the documents and
the web render it and never recompute it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, Field, model_validator

from wendao.engine.assessment import Assessment, assess
from wendao.engine.budget import budget_to_tell, least_yearly_spend
from wendao.engine.catalog import LoadedCatalog
from wendao.engine.catalog.schema import Planning, Scenario
from wendao.engine.default_names import applies_to_name, default_figure_name
from wendao.engine.financing import WhoPays, policy_windows_many, quarter_start, who_pays
from wendao.engine.firststep import foundation_first_step, foundation_note, with_first_step
from wendao.engine.foundations import FoundationRole, foundation_roles
from wendao.engine.funding import ItemFunding, counted_subsidies_many, fund_item
from wendao.engine.memo import PerObject
from wendao.engine.modelroute import RouteAdvice, UseCase, advise_routes

# the need rules live in engine/needs.py; the threshold, the matcher protocol and the choice error are re-exported
# for the callers of build_plan
from wendao.engine.needs import PAIN_MATCH_THRESHOLD as PAIN_MATCH_THRESHOLD
from wendao.engine.needs import ChoiceError as ChoiceError
from wendao.engine.needs import (
    Choices,
    NeedAnswer,
    StatedNeed,
    answer_needs,
    check_choices,
    maturity_risks,
    pain_index,
    priority_order,
    solve_with_choices,
    stated_needs,
)
from wendao.engine.needs import NeedMatcher as NeedMatcher
from wendao.engine.ownfigures import DefaultsUse, defaults_use
from wendao.engine.profile import FIGURE_NAMES, SIZE_NAMES, EnterpriseProfile, ProfileProblem
from wendao.engine.reasons import Reason, render_reason, with_names
from wendao.engine.roadmap import (
    Candidate,
    Excluded,
    Fallback,
    Objective,
    Problem,
    Requirement,
    Roadmap,
    Settings,
    Window,
    benefit_pv,
    cost_pv,
    objective_rate,
    quarter_factor,
    spend_by_quarter,
    start_table,
    valid_starts,
)
from wendao.engine.roadmap_explain import explained
from wendao.engine.roadmap_lifts import (
    ChanceNote,
    chance_in_roadmap,
    chance_notes,
    chances_in_problem,
    lifts_of,
    maturity_providers,
    share_factors,
    with_chance,
)
from wendao.engine.scenarios import (
    RAMP_QUARTERS,
    BenefitLine,
    Range3,
    RankedScenario,
    business_model_of,
    compound,
    counted_at_low_end,
    money_en,
    owned_foundation,
    rank_scenarios,
)
from wendao.engine.stages import (
    ROLLOUT,
    STAGE_LABELS,
    ItemDerivation,
    StagePart,
    derivation,
    scenario_of,
    stage_parts,
    stage_payback,
    staged_name,
    without_stage,
)
from wendao.engine.value_rules import is_gain_pool

# /2: money pools (``pools``, ``upside``), the business model, BenefitLine.upside; a pool's items compound.
# Stored /1 plans still validate: the new fields read as empty (docs/plan-schema.md, "Reading stored plans")
# /3: deployment scope and stages (PlanItem.stage, PlanItem.how, Valuation.coverage, BenefitLine.pool_share),
# the benefit ramp (Valuation.ramp_first_year) and Plan.defaults_use. Stored /2 (and /1) plans still validate:
# every new field has a default (a whole-scope item, no derivation, pool share 1, no ramp, defaults_use None)
# /4: a plan item's name_zh/name_en are the scenario's own names; its stage label (试点/推广) is added where it is
# shown (PlanItem.label_zh, engine/stages.staged_name). A stored /3 item's name loses its stage suffix on reading.
PLAN_SCHEMA = "wendao.plan/4"


class PlanError(ValueError):
    """The profile or options cannot yield a plan; ``problems`` names each field (one line each, for the CLI) and
    ``details`` holds the same problems as values, for an edge to render in its reader's language."""

    def __init__(self, problems: list[str], details: list[ProfileProblem] | None = None) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
        self.details = details or []


class PlanOptions(BaseModel):
    # bounded: a budget of ~1e17 万元 overflows the solver's integer arithmetic; no enterprise has 1e9 万元 a year
    budget: float | None = Field(default=None, ge=0, le=1e9, description="万元 per year; default: the profile's budget")
    horizon_quarters: int | None = Field(default=None, ge=4, le=40)
    discount_rate: float | None = Field(default=None, ge=0, le=1)
    objective: Objective = "npv"
    as_of: date = Field(default_factory=date.today, description="date for policy validity")
    time_limit_seconds: float = Field(default=10.0, gt=0)
    with_routes: bool = True
    pin: list[str] = Field(default_factory=list, max_length=100, description="scenario ids the roadmap must contain")
    drop: list[str] = Field(default_factory=list, max_length=100, description="scenario ids the roadmap must leave out")


class EnterpriseSummary(BaseModel):
    name: str
    city: str
    city_zh: str
    industry: str
    industry_zh: str
    chain: str | None
    employees: int
    revenue: float
    size_class: str
    size_class_zh: str
    above_designated_size: bool
    qualifications: list[str]
    systems: list[str]
    budget: float
    pain_points: list[str]
    goals: list[str]
    # English names added in wendao.plan/1 without a version bump: plans stored before them read as empty text
    city_en: str = ""
    industry_en: str = ""
    # added in wendao.plan/2 (empty in stored /1 plans): b2b | b2c | mixed, and whether it is the division default
    business_model: str = ""
    business_model_default: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class TopMove:
    """One of the summary's first moves: a scenario with its stages' figures summed (万元), named without a
    stage, started when its first stage starts."""

    scenario: str
    name_zh: str
    name_en: str
    stages: tuple[str, ...]
    start_quarter: int
    one_off: float
    net_one_off: float
    annual_benefit: Range3
    npv: float

    @classmethod
    def of(cls, items: list[PlanItem]) -> TopMove:
        first = min(items, key=lambda i: i.start_quarter)
        return cls(
            scenario=first.scenario,
            name_zh=first.name_zh,
            name_en=first.name_en,
            stages=tuple(i.stage for i in items),
            start_quarter=first.start_quarter,
            one_off=round(sum(i.one_off for i in items), 4),
            net_one_off=round(sum(i.net_one_off for i in items), 4),
            annual_benefit=Range3.of(
                *(sum(getattr(i.annual_benefit, k) for i in items) for k in ("low", "median", "high"))
            ),
            npv=round(sum(i.npv for i in items), 4),
        )

    @property
    def label_zh(self) -> str:
        return self.name_zh

    @property
    def label_en(self) -> str:
        return self.name_en

    @property
    def staged(self) -> bool:
        """A pilot and its roll-out summed."""
        return len(self.stages) > 1


class PlanItem(BaseModel):
    scenario: str
    name_zh: str = Field(description="the scenario's name; the stage label is not part of it (since wendao.plan/4)")
    name_en: str
    kind: str
    start_quarter: int
    end_quarter: int
    one_off: float
    subsidy: float
    net_one_off: float
    annual_cost: float
    annual_benefit: Range3
    risk_factor: float
    npv: float
    payback_months: float | None
    funding: ItemFunding
    kpis: list[dict[str, Any]]
    # added in wendao.plan/3 (stored /2 plans read as a whole-scope item without derivation)
    stage: str = Field(default="full", description="full | pilot | rollout (先试点、后推广)")
    how: ItemDerivation | None = Field(default=None, description="how the cost and benefit were computed")
    # added without a version bump (None in stored plans): the foundations live before it that raised its chance
    chance: ChanceNote | None = Field(default=None, description="why its chance of success is not today's")

    @model_validator(mode="before")
    @classmethod
    def _name_without_stage(cls, data: Any) -> Any:
        """A stored wendao.plan/3 item carries its stage in its name (“…（试点）”): read the scenario's name."""
        if isinstance(data, dict) and data.get("stage") in STAGE_LABELS:
            data = dict(data)
            for lang in ("zh", "en"):
                name = data.get(f"name_{lang}")
                if isinstance(name, str):
                    data[f"name_{lang}"] = without_stage(name, data["stage"], lang)
        return data

    @property
    def label_zh(self) -> str:
        """The item as a person reads it: the scenario's name with its stage (试点/推广)."""
        return staged_name(self.name_zh, self.stage, "zh")

    @property
    def label_en(self) -> str:
        return staged_name(self.name_en, self.stage, "en")


# ExcludedItem and SourceRef are dataclasses, not validated models: dozens per plan, built from values the
# engine has computed (see the note in wendao.engine.scenarios)
@dataclass(slots=True, kw_only=True)
class ExcludedItem:
    """A scenario the roadmap leaves out, named, with the binding reason."""

    scenario: str
    name_zh: str
    name_en: str
    reason: str
    detail_zh: str
    detail_en: str
    # the reason as a value (added without a version bump: stored plans carry only the texts above, None here)
    why: Reason | None = None


class Money(BaseModel):
    one_off: float
    subsidy: float
    net_one_off: float
    annual_running: float
    annual_benefit: Range3
    npv: float
    payback_months: float | None


class CashFlowQuarter(BaseModel):
    quarter: int
    spend: float
    benefit: float
    net: float
    cumulative: float


class Milestone(BaseModel):
    quarter: int
    scenario: str
    kind: str
    text_zh: str
    text_en: str


class RiskItem(BaseModel):
    scenario: str
    risk_zh: str
    risk_en: str
    mitigation_zh: str
    mitigation_en: str


class NextStep(BaseModel):
    within_days: int
    text_zh: str
    text_en: str


class FirstStep(BaseModel):
    """For a plan whose roadmap is empty although the budget is positive (DESIGN rule 4): the cheapest project
    that could start first and what would unlock it. ``unlock`` is ``budget`` (it pays back, the yearly budget is
    too small: ``budget_needed``), ``data`` (its benefit cannot be shown from the figures given: ``figures``) or
    ``value`` (it does not pay back within the horizon even on the figures given); or, since wendao.plan/3,
    ``foundation``: the roadmap's only item is a foundation project planned although it does not pay back on its
    own, because later projects need it (engine/firststep.py)."""

    scenario: str
    name_zh: str
    name_en: str
    one_off: float = Field(description="one-off investment, 万元 (median)")
    annual_cost: float = Field(description="running cost per year, 万元 (median)")
    unlock: str
    budget_needed: float | None = Field(default=None, description="yearly budget that would fund it, 万元, net")
    figures: list[str] = Field(default_factory=list, description="profile baseline figures that would value it")
    text_zh: str
    text_en: str


@dataclass(slots=True, kw_only=True)
class SourceRef:
    """Where a figure used in the plan comes from."""

    id: str
    what: str
    what_en: str
    source: str | None
    as_of: date | None
    estimate: str | None
    verified: bool
    reliability: str | None
    # added without a version bump (None in stored plans): the citation for a Chinese / an English reader where
    # the catalog's `source` is written in the other language
    source_zh: str | None = None
    source_en: str | None = None


class ModelFreeItem(BaseModel):
    """A roadmap item that needs no AI model of its own: ``none`` (software, equipment or robots bought ready
    to use) or ``optimisation_solver`` (a planning/scheduling solver, configured rather than trained)."""

    scenario: str
    name_zh: str
    name_en: str
    hint: str


class ModelRoutePlan(BaseModel):
    scenario: str
    name_zh: str
    assumptions_zh: str
    advice: RouteAdvice
    # English added in wendao.plan/1 without a version bump: plans stored before it read as empty text
    name_en: str = ""
    assumptions_en: str = ""


# The money pools: the enterprise's own yearly figures (metrics.yaml ``baseline``) that effects take money out of
POOL_NAMES: dict[str, tuple[str, str]] = {
    "annual_energy_cost": ("能源费用", "Energy bill"),
    "annual_quality_loss": ("质量损失（报废、返工、索赔）", "Quality loss (scrap, rework, claims)"),
    "annual_downtime_cost": ("非计划停机损失", "Unplanned downtime loss"),
    "annual_maintenance_cost": ("设备维护费用", "Maintenance cost"),
    "annual_inventory_carrying_cost": ("库存持有成本", "Inventory carrying cost"),
    "annual_inspection_labour_cost": ("质检人工成本", "Inspection labour"),
    "annual_production_labour_cost": ("生产人工成本", "Production labour"),
    "annual_service_labour_cost": ("客服与售后人工成本", "Customer-service and after-sales labour"),
    "annual_engineering_information_cost": (
        "技术人员查找整理资料的工时",
        "Engineers' time finding and compiling information",
    ),
    "annual_rd_cost": ("研发费用", "R&D cost"),
    "annual_logistics_cost": ("物流费用", "Logistics cost"),
    "annual_sheet_material_cost": ("板材采购额", "Sheet-material purchases"),
    "annual_contribution_margin": ("销售边际贡献", "Contribution margin on sales"),
}


class PoolUse(BaseModel):
    """One money pool of the enterprise beside what the plan takes out of it (DESIGN rule 2)."""

    pool: str = Field(description="the baseline figure (metrics.yaml), e.g. annual_quality_loss")
    name_zh: str
    name_en: str
    annual: float = Field(description="the pool, 万元 per year")
    origin: str = Field(description="profile | default | mixed: where the pool figure comes from")
    formula: str
    items: list[str] = Field(description="roadmap items with a counted effect on the pool")
    saving: Range3 = Field(
        description="risk-adjusted yearly saving once all items are live, 万元: the items' shares compounded, "
        "1 − Π(1 − rᵢ·eᵢ), times the pool; never more than the pool"
    )

    @property
    def gain(self) -> bool:
        """The plan adds to this pool (extra margin) rather than cuts it: "可增加", not "可减少"."""
        return is_gain_pool(self.pool)


class UpsideItem(BaseModel):
    """A revenue-uplift effect shown but not counted (DESIGN rule 3)."""

    scenario: str
    name_zh: str
    name_en: str
    metric: str
    metric_zh: str
    metric_en: str
    annual: Range3 = Field(description="万元 per year if the effect held, not risk-adjusted and not counted")
    reason: str = Field(description="no_source | business_model")


class Plan(BaseModel):
    schema_version: str = PLAN_SCHEMA
    generated_for: date
    catalog_version: str
    questionnaire_version: str
    enterprise: EnterpriseSummary
    settings: dict[str, Any]
    assessment: Assessment
    scenarios: list[RankedScenario]
    roadmap_status: str
    roadmap_solve_seconds: float
    # every fallback of the solver, stated (engine/roadmap_fallbacks.py); stored plans without it read none
    roadmap_fallbacks: list[Fallback] = Field(default_factory=list)
    items: list[PlanItem]
    excluded: list[ExcludedItem]
    money: Money
    spend_by_year: list[float]
    budget_by_year: list[float]
    cash_flow: list[CashFlowQuarter]
    milestones: list[Milestone]
    risks: list[RiskItem]
    next_steps: list[NextStep]
    model_routes: list[ModelRoutePlan]
    sources: list[SourceRef]
    assumptions_zh: list[str]
    assumptions_en: list[str]
    sharpen_with: list[str]
    # added in wendao.plan/2; stored /1 plans read as empty lists
    pools: list[PoolUse] = Field(default_factory=list)
    upside: list[UpsideItem] = Field(default_factory=list)
    # added without a version bump (optional, None in stored plans): set only when the roadmap is empty and the
    # budget positive
    first_step: FirstStep | None = None
    # added without a version bump (empty in stored plans): every stated need with its answer, and the pins and
    # drops behind the roadmap with their cost in NPV (engine/needs.py)
    needs: list[NeedAnswer] = Field(default_factory=list)
    choices: Choices | None = None
    # the roadmap items in the order the chosen objective puts them (empty in stored plans: schedule order)
    priorities: list[str] = Field(default_factory=list)
    # issue 14: the who-pays view (grants, tax, loan, likely if confirmed); None in plans stored before it
    who_pays: WhoPays | None = None
    # added in wendao.plan/3 (None in stored /2 plans): how far the plan rests on defaults, what would sharpen it
    defaults_use: DefaultsUse | None = None
    # added without a version bump (empty in stored plans): the roadmap items that need no model route
    model_free: list[ModelFreeItem] = Field(default_factory=list)
    # added without a version bump (empty in stored plans): what each foundation item buys (engine/foundations.py)
    foundations: list[FoundationRole] = Field(default_factory=list)

    def top_items(self, n: int = 3) -> list[TopMove]:
        """The summary's first moves: the roadmap's first ``n`` scenarios under the chosen objective, a pilot and
        its roll-out as one move with their figures summed (as ``priorities`` ranks them, engine/needs.py)."""
        stages: dict[str, list[PlanItem]] = {}
        for i in self.items:
            stages.setdefault(i.scenario, []).append(i)
        order = [s for s in dict.fromkeys(self.priorities) if s in stages] or list(stages)
        return [TopMove.of(stages[s]) for s in order[:n]]


def _in_place(sid: str, profile: EnterpriseProfile, assessment: Assessment, loaded: LoadedCatalog) -> bool:
    """A prerequisite scenario counts as done when what it provides is already there."""
    provides = loaded.planning.provides.get(sid)
    if provides is None:
        return False
    has_systems = all(x in profile.systems for x in provides.systems)
    has_levels = all(assessment.dimension_score(d) >= v for d, v in provides.dimensions.items())
    return has_systems and has_levels


_PROVIDERS: PerObject[Planning, dict[str, tuple[str, ...]]] = PerObject(size=4)


def _providers_of_system(planning: Planning) -> dict[str, tuple[str, ...]]:
    """system -> the scenarios that put it in place, in catalog order (once per planning data)."""

    def build(planning: Planning) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for sid, p in planning.provides.items():
            for system in dict.fromkeys(p.systems):
                out.setdefault(system, []).append(sid)
        return {k: tuple(v) for k, v in out.items()}

    return _PROVIDERS.get(planning, build)


_LEVELS: PerObject[Planning, dict[tuple[str, int, tuple[str, ...]], tuple[str, ...]]] = PerObject(size=4)


def _providers_of_level(planning: Planning, dim: str, need: int, kinds: Sequence[str] = ()) -> tuple[str, ...]:
    """The scenarios that raise dimension ``dim`` to ``need`` or more for a project whose data minimum means
    ``kinds`` (``Provides.level_for``), in catalog order (memoised per planning data)."""
    known = _LEVELS.get(planning, lambda _: {})
    key = (dim, need, tuple(kinds))
    hit = known.get(key)
    if hit is None:
        hit = known[key] = tuple(sid for sid, p in planning.provides.items() if p.level_for(dim, kinds) >= need)
    return hit


def _requirements(
    r: RankedScenario,
    s: Scenario,
    loaded: LoadedCatalog,
    systems_zh: Mapping[str, str],
    dims: Mapping[str, tuple[str, str]],
) -> list[Requirement]:
    planning = loaded.planning
    reqs = []
    for system in r.feasibility.missing_systems:
        providers = list(_providers_of_system(planning).get(system, ()))
        reqs.append(Requirement(what_zh=systems_zh.get(system, system), what_en=system, providers=providers))
    if r.feasibility.missing_systems_any:
        wanted = set(r.feasibility.missing_systems_any)
        providers = [sid for sid, p in planning.provides.items() if wanted & set(p.systems)]
        reqs.append(
            Requirement(
                what_zh="、".join(systems_zh.get(x, x) for x in sorted(wanted)) + "之一",
                what_en="one of " + ", ".join(sorted(wanted)),
                providers=providers,
            )
        )
    for dim, (have, need) in r.feasibility.maturity_gaps.items():
        if need - have > planning.max_maturity_gap:
            providers = list(_providers_of_level(planning, dim, need, s.prerequisites.data_kinds))
            zh, en = dims.get(dim, (dim, dim))
            reqs.append(
                Requirement(
                    what_zh=f"{zh}成熟度达到 {need} 分", what_en=f"{en} maturity of {need}", providers=providers
                )
            )
    return [q for q in reqs if s.id not in q.providers]


def plan_input_details(profile: EnterpriseProfile, options: PlanOptions) -> list[ProfileProblem]:
    """What a profile lacks for a plan, as values (the assessment answers are checked by the assessment itself)."""
    problems = []
    if options.budget is None and profile.budget is None:
        problems.append(ProfileProblem(loc=("budget",), kind="missing"))
    # no baseline figure is required (issue 13 item 7): a plan on industry defaults is flagged as such
    # (Plan.defaults_use) and names the own figures that would sharpen it most
    return problems


_INPUT_MESSAGES = {"budget": "required for the roadmap (万元 per year for AI and digital projects)"}  # by field


def plan_input_problems(profile: EnterpriseProfile, options: PlanOptions) -> list[str]:
    """What a profile lacks for a plan, one line each (the CLI's)."""
    return [f"{'.'.join(p.loc)}: {_INPUT_MESSAGES[p.loc[0]]}" for p in plan_input_details(profile, options)]


@dataclass(frozen=True, slots=True, kw_only=True)
class _PlanInputs:
    """What every step of ``build_plan`` reads: the profile, the catalog, the options and the ranking."""

    profile: EnterpriseProfile
    loaded: LoadedCatalog
    opts: PlanOptions
    by_id: Mapping[str, Scenario]
    ranked_by_id: Mapping[str, RankedScenario]
    horizon: int
    rate: float


def _candidate_scenarios(
    inputs: _PlanInputs, assessment: Assessment, goal_pins: list[str], dims: Mapping[str, tuple[str, str]]
) -> tuple[set[str], dict[str, list[Requirement]], dict[str, list[str]]]:
    """The scenarios the roadmap may choose, with what each needs first: (scenarios, requirements, after)."""
    profile, loaded, opts = inputs.profile, inputs.loaded, inputs.opts
    by_id, ranked_by_id = inputs.by_id, inputs.ranked_by_id
    # candidates: scenarios that fit the industry and create value, plus everything they depend on; a foundation
    # project whose systems are all in place already is not offered again (a firm with an ERP buys no cloud ERP)
    wanted = {
        r.id
        for r in ranked_by_id.values()  # in rank order
        if r.fit.industry != "none"
        and r.valuation.annual_benefit.median > 0
        and not owned_foundation(by_id[r.id], r.valuation)
    }
    # nor is one offered as what another project waits for or is lifted by: buying the ERP a firm runs again raises
    # none of its maturity (the B2C maker's documents read "即使在“云ERP/进销存上线”完成后实施…也不能")
    owned = {r.id for r in ranked_by_id.values() if owned_foundation(by_id[r.id], r.valuation)}
    # the projects the enterprise pins or its goals name are candidates whatever their value (engine/needs.py)
    wanted |= {p for p in [*opts.pin, *goal_pins] if p in ranked_by_id and ranked_by_id[p].fit.industry != "none"}
    systems_zh = {x.id: x.name_zh for x in loaded.catalog.systems}
    # prerequisites, only for the scenarios that become candidates
    requirements: dict[str, list[Requirement]] = {}
    after: dict[str, list[str]] = {}
    entry_steps: dict[str, list[str]] = {}  # a project -> the foundation projects that are its entry step
    for sc in loaded.catalog.scenarios:
        if sc.foundation:
            for full in sc.variant_of:
                entry_steps.setdefault(full, []).append(sc.id)
    frontier = list(wanted)
    while frontier:
        sid = frontier.pop()
        requirements[sid] = [
            Requirement(what_zh=q.what_zh, what_en=q.what_en, providers=[p for p in q.providers if p not in owned])
            for q in _requirements(ranked_by_id[sid], by_id[sid], loaded, systems_zh, dims)
        ]
        after[sid] = [d for d in by_id[sid].prerequisites.scenarios if not _in_place(d, profile, assessment, loaded)]
        # a prerequisite project is met as well by its foundation entry step, which the catalog describes as giving
        # the later projects the data they need (轻量MES for 生产进度跟踪 before AI排产); otherwise a plan schedules
        # the light MES and still says scheduling waits for 生产进度跟踪 (read as a consultant, session 6)
        for d in [d for d in after[sid] if entry_steps.get(d)]:
            after[sid].remove(d)
            providers = [d, *(e for e in entry_steps[d] if e not in owned)]
            if sid not in providers:
                requirements[sid].append(
                    Requirement(what_zh=by_id[d].name_zh, what_en=by_id[d].name_en, providers=providers)
                )
        deps = set(after[sid]) | {p for q in requirements[sid] for p in q.providers}
        for dep in deps - wanted:
            wanted.add(dep)
            frontier.append(dep)
    return wanted, requirements, after


def _candidates(
    inputs: _PlanInputs,
    wanted: set[str],
    requirements: Mapping[str, list[Requirement]],
    after: Mapping[str, list[str]],
    answers: Mapping[str, list[int]],
    lpr: float,
) -> tuple[list[Candidate], _Pools, dict[str, StagePart]]:
    """The roadmap's candidates (a staged scenario gives a pilot and a roll-out), the money pools they act on,
    and each candidate's stage."""
    profile, loaded, opts = inputs.profile, inputs.loaded, inputs.opts
    by_id, ranked_by_id, rate, horizon = inputs.by_id, inputs.ranked_by_id, inputs.rate, inputs.horizon
    # a scenario on more units than its pilot becomes two candidates, pilot then roll-out (engine/stages.py)
    parts = {sid: stage_parts(ranked_by_id[sid]) for sid in sorted(wanted)}
    stage_of = {p.candidate: p for ps in parts.values() for p in ps}
    # the optimiser needs only the counted subsidy per candidate; full funding detail is built for the chosen items
    subsidies = counted_subsidies_many(
        profile, [(by_id[sid], ps[0].one_off) for sid, ps in parts.items()], loaded.policies, lpr, opts.as_of
    )
    rollouts = [ps[1] for ps in parts.values() if len(ps) > 1]
    rollout_subsidies = counted_subsidies_many(
        profile, [(by_id[p.scenario], p.one_off) for p in rollouts], loaded.policies, lpr, opts.as_of
    )
    subsidies |= {p.candidate: rollout_subsidies[p.scenario] for p in rollouts}
    # issue 14: counted amounts earned only by a start within their policy's validity (engine/financing.py); a
    # windowed grant leaves the budget's net (it is not certain at every start) for the window
    every_part = [p for ps in parts.values() for p in ps]
    windows_of = dict(
        zip(
            (p.candidate for p in every_part),
            policy_windows_many(
                profile,
                [(by_id[p.scenario], p.one_off) for p in every_part],
                loaded.policies,
                lpr,
                opts.as_of,
                rate,
                horizon,
            ),
            strict=True,
        )
    )
    candidates = []
    pools = _Pools()
    providers = maturity_providers(loaded.planning, wanted)
    for sid, ps in parts.items():
        r = ranked_by_id[sid]
        val = r.valuation
        # its chance of success once its prerequisites are live, and what each foundation before it adds (issue 13)
        chance = chance_in_roadmap(r, by_id[sid], loaded.planning, wanted, providers)
        for part in ps:
            cid = part.candidate
            windows = [Window(policy=pid, first_start=a, last_start=b, value=v) for pid, a, b, v in windows_of[cid]]
            subsidies[cid] = {k: v for k, v in subsidies[cid].items() if k not in {w.policy for w in windows}}
            risk = chance.base * part.share
            benefits: dict[str, float] = {}
            per_point: dict[str, float] = {}  # savings per point of chance, for its lifts
            for line in val.lines:
                key = line.baseline.key
                if line.counted and key:
                    benefits[key] = max(benefits.get(key, 0.0), line.annual.median * risk)
                    per_point[key] = max(per_point.get(key, 0.0), line.annual.median * part.share)
                    # the pools' caps bound every lift met; _assemble scales the chosen items to their chance
                    pools.add(cid, line, chance.full * part.share, sid)
            candidates.append(
                Candidate(
                    id=cid,
                    one_off=part.one_off,
                    subsidies=subsidies[cid],
                    annual_cost=part.annual_cost,
                    benefits=benefits,
                    duration_quarters=max(1, -(-val.duration_months // 3)),
                    after=after[sid] if part.stage != "rollout" else [sid],
                    requires=requirements[sid] if part.stage != "rollout" else [],
                    pain_points=answers.get(sid, []) if part.stage != "rollout" else [],
                    ramp_loss=round(sum(benefits.values()) * (1.0 - val.ramp_first_year), 4),
                    windows=windows,
                    lifts=lifts_of(chance, per_point, val.ramp_first_year),
                    chance=chance.base,
                )
            )
    return candidates, pools, stage_of


def _sequenced(
    candidates: Sequence[Candidate], ranked_by_id: Mapping[str, RankedScenario], exclusive: set[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Pairs (first, second) of scenarios deployed on the same kind of unit (the same count, e.g. process units)
    that act on the same money pool: when both are in the plan, the second starts only once the first (its pilot,
    for a staged one) has finished, so that it is bought on the first's measured saving rather than on two
    estimates at once (issue 13, session 7: a steel group's process control, process optimisation and energy
    optimisation on the same furnaces). The better-ranked goes first. Site-wide scopes are not sequenced, nor a
    pair one of which waits for the other already (a prerequisite, directly or through others)."""
    first_stage = []
    for c in candidates:
        r = ranked_by_id.get(c.id)  # a roll-out's id is not a scenario's: it already follows its own pilot
        cov = r.valuation.coverage if r is not None else None
        if r is not None and cov is not None and cov.count != "site" and cov.priced_by == "units" and c.benefits:
            first_stage.append((r.rank, c.id, cov.count, set(c.benefits)))
    first_stage.sort()
    # what each candidate waits for, directly or through others: a prerequisite already orders a pair (a foundation
    # before the project it enables), and the other order would make the two impossible together
    direct = {c.id: set(c.after) | {p for r in c.requires for p in r.providers if p != c.id} for c in candidates}
    before: dict[str, set[str]] = {}

    def waits_for(cid: str) -> set[str]:
        if cid not in before:
            before[cid] = set()
            for d in direct.get(cid, set()):
                before[cid] |= {d} | waits_for(d)
        return before[cid]

    pairs = []
    for i, (_, a, count_a, pools_a) in enumerate(first_stage):
        for _, b, count_b, pools_b in first_stage[i + 1 :]:
            if count_a != count_b or not pools_a & pools_b or {(a, b), (b, a)} & exclusive:
                continue
            if a in waits_for(b) or b in waits_for(a):
                continue
            pairs.append((a, b))
    return pairs


def build_plan(
    profile: EnterpriseProfile,
    loaded: LoadedCatalog,
    options: PlanOptions | None = None,
    matcher: NeedMatcher | None = None,
) -> Plan:
    opts = options or PlanOptions()
    if details := plan_input_details(profile, opts):
        raise PlanError(plan_input_problems(profile, opts), details)
    planning = loaded.planning
    horizon = opts.horizon_quarters or planning.defaults.horizon_quarters
    rate = planning.defaults.discount_rate if opts.discount_rate is None else opts.discount_rate
    budget = opts.budget if opts.budget is not None else profile.budget
    assert budget is not None
    assessment = assess(profile.answers, loaded.questionnaire)
    by_id = {s.id: s for s in loaded.catalog.scenarios}
    names = {s.id: (s.name_zh, s.name_en) for s in loaded.catalog.scenarios}
    if wrong := check_choices(opts.pin, opts.drop, names):
        raise ChoiceError(wrong)
    cheaper: dict[str, tuple[str, ...]] = {}  # a full project -> its smaller variants (catalog variant_of)
    for sc in loaded.catalog.scenarios:
        for full in sc.variant_of:
            cheaper[full] = (*cheaper.get(full, ()), sc.id)
    stated = stated_needs(profile, matcher, len(by_id), cheaper)
    pain_scores, answers = pain_index(stated)
    dims = {d.id: (d.name_zh, d.name_en) for d in loaded.questionnaire.dimensions}
    ranked = rank_scenarios(
        profile,
        assessment,
        loaded.catalog,
        planning,
        defaults=loaded.baseline_defaults,
        pain_scores=pain_scores,
        dimension_names=dims,
        horizon_quarters=horizon,
        discount_rate=rate,
        count_defaults=loaded.count_defaults,
    )
    ranked_by_id = {r.id: r for r in ranked}
    lpr = loaded.prices.lpr_1y.value

    goal_pins = [n.named for n in stated if n.named and n.named not in opts.drop]
    goal_fallbacks = {n.named: n.fallbacks for n in stated if n.named and n.fallbacks}
    inputs = _PlanInputs(
        profile=profile, loaded=loaded, opts=opts, by_id=by_id, ranked_by_id=ranked_by_id, horizon=horizon, rate=rate
    )
    wanted, requirements, after = _candidate_scenarios(
        inputs, assessment, [*goal_pins, *(f for fs in goal_fallbacks.values() for f in fs)], dims
    )
    candidates, pools, stage_of = _candidates(inputs, wanted, requirements, after, answers, lpr)
    exclusive = []
    cand_ids = {c.id for c in candidates}
    benefit_keys = {c.id: set(c.benefits) for c in candidates}
    for c in candidates:
        if c.id not in by_id:  # a roll-out follows its pilot, which carries the exclusion
            continue
        parent = by_id[c.id].parent
        if parent and parent in cand_ids and benefit_keys[c.id] & benefit_keys[parent]:
            exclusive.append((parent, c.id))
    sequenced = _sequenced(candidates, ranked_by_id, set(exclusive))
    policy_caps = {p.id: p.award.cap_per_enterprise for p in loaded.policies if p.award.cap_per_enterprise is not None}
    settings = Settings(
        horizon_quarters=horizon,
        yearly_budget=budget,
        capacity=planning.capacity_by_size[profile.size_class],
        discount_rate=rate,
        objective=opts.objective,
        time_limit_seconds=opts.time_limit_seconds,
    )
    problem = Problem(
        candidates=candidates,
        exclusive=exclusive,
        sequenced=sequenced,
        baseline_caps=pools.caps(),
        policy_caps={k: v for k, v in policy_caps.items() if v is not None},
        settings=settings,
    )
    # every solve and explanation below is of these candidates and settings: their start table, worked out once
    table = start_table(problem.candidates, settings)
    problem, roadmap, choices = solve_with_choices(
        problem, opts.pin, opts.drop, goal_pins, ranked_by_id, goal_fallbacks, explain=False, table=table
    )
    foundation = None
    if not roadmap.items and settings.yearly_budget > 0:
        foundation = foundation_first_step(problem, {sid for sid in wanted if by_id[sid].foundation}, table)
    # the roadmap kept, with the reason every candidate left out is left out (explained once, for the one kept);
    # not a roll-out whose pilot is left out too: the pilot's reason says it (the plan lists no other, _assemble)
    roadmap = (
        with_first_step(roadmap, problem, foundation, _worth_explaining, table)
        if foundation is not None
        else explained(roadmap, problem, table, _worth_explaining)
    )
    fundings = {  # judged at each item's start (issue 14)
        it.id: fund_item(
            profile,
            by_id[stage_of[it.id].scenario],
            stage_of[it.id].one_off,
            loaded.policies,
            lpr,
            opts.as_of,
            rate,
            start=quarter_start(opts.as_of, it.start_quarter),
        )
        for it in roadmap.items
    }
    solved = _Solved(
        problem=problem, roadmap=roadmap, settings=settings, pools=pools, stage_of=stage_of, fundings=fundings
    )
    plan = _assemble(profile, loaded, opts, assessment, ranked, solved)
    if foundation is not None:  # say why a project that does not pay back on its own is the first step
        plan.first_step = foundation_note(plan, ranked_by_id[foundation.id], problem)
    unmonetised = {m.id: (m.name_zh, m.name_en) for m in loaded.catalog.metrics if m.baseline is None}
    plan.foundations = foundation_roles(plan, problem, by_id, unmonetised)
    return _with_needs(plan, stated, problem, roadmap, choices, planning, dims)


def _worth_explaining(candidate: str, chosen: Mapping[str, int]) -> bool:
    """Whether a candidate left out gets its reason in the plan: a scenario's first stage always, a roll-out only
    when its pilot is chosen (else the pilot's reason says why)."""
    return scenario_of(candidate) == candidate or scenario_of(candidate) in chosen


def _with_needs(
    plan: Plan,
    stated: list[StatedNeed],
    problem: Problem,
    roadmap: Roadmap,
    choices: Choices | None,
    planning: Planning,
    dims: Mapping[str, tuple[str, str]],
) -> Plan:
    """The needs section, the choices, the objective's order of the items and the maturity gaps the chosen items
    carry as priced risks (engine/needs.py)."""
    ranked_by_id = {r.id: r for r in plan.scenarios}
    excluded = {e.scenario: (e.reason, e.detail_zh, e.detail_en) for e in plan.excluded}
    plan.needs = answer_needs(stated, problem, roadmap, ranked_by_id, excluded, choices)
    plan.choices = choices
    # a pilot and its roll-out are one scenario: it is placed once, where its first stage puts it
    plan.priorities = list(
        dict.fromkeys(
            priority_order(
                [(i.scenario, i.npv, i.end_quarter) for i in plan.items], plan.needs, plan.settings["objective"]
            )
        )
    )
    # the gaps each item still starts with, after the foundations live before it (engine/roadmap_lifts.py)
    started = {i.scenario: i for i in reversed(plan.items) if i.stage != "rollout"}
    at_start = {
        sid: with_chance(r, i.risk_factor, i.chance.gaps_left) if (i := started.get(sid)) and i.chance else r
        for sid, r in ranked_by_id.items()
    }
    gaps = maturity_risks(plan.priorities, at_start, dims, planning.risk.per_maturity_gap_point)
    plan.risks = [
        RiskItem(scenario=sid, risk_zh=rz, risk_en=re_, mitigation_zh=mz, mitigation_en=me)
        for sid, rz, re_, mz, me in gaps
    ] + plan.risks
    return plan


class _Pools:
    """The money pools the candidates act on: each pool's figure and each candidate's risk-adjusted share of it
    (low, median, high). Savings on one pool compound (``compound``) and never exceed the pool (DESIGN rule 2).

    The roadmap's objective must stay linear (exact in CP-SAT and in the independent HiGHS MILP of
    ``bench optimizer``), and 1 − Π(1 − eᵢ) over the chosen set is not. The optimiser therefore counts the items'
    savings on a pool as their sum, capped at what all candidates on the pool take together when compounded:
    an upper bound of the compounded saving of any chosen set, exact for one item per pool and for all of them,
    and over by the product terms in between (two 10 % effects count 20 %, not 19 %). The plan's own figures
    (cash flow, money, pools) compound the chosen items exactly."""

    def __init__(self) -> None:
        self.value: dict[str, float] = {}
        self.line: dict[str, BenefitLine] = {}  # any counted line on the pool: its baseline names the figure
        self.shares: dict[str, dict[str, tuple[float, float, float]]] = {}  # pool -> candidate -> shares
        self.group: dict[str, str] = {}  # candidate -> scenario: the stages of one scenario cover different units

    def add(self, sid: str, line: BenefitLine, risk: float, group: str | None = None) -> None:
        pool, value = line.baseline.key, line.baseline.value
        if not value:  # a counted line has a positive pool; nothing to take out of an empty one
            return
        self.value[pool] = value
        self.line.setdefault(pool, line)
        self.group[sid] = group or sid
        a = line.annual
        self.shares.setdefault(pool, {})[sid] = (a.low * risk / value, a.median * risk / value, a.high * risk / value)

    def _grouped(
        self,
        by: Mapping[str, tuple[float, float, float]],
        chosen: Iterable[str],
        case: int,
        scale: Mapping[str, float] | None = None,
    ) -> list[float]:
        """The chosen candidates' shares of one pool, the stages of one scenario added (different units), so
        that only different scenarios compound."""
        out: dict[str, float] = {}
        for c in chosen:
            if c in by:
                g = self.group.get(c, c)
                out[g] = out.get(g, 0.0) + by[c][case] * (1.0 if scale is None else scale.get(c, 1.0))
        return list(out.values())

    def caps(self) -> dict[str, float]:
        return {p: self.value[p] * compound(self._grouped(by, by, 1)) for p, by in self.shares.items()}

    def at_chances(self, factors: Mapping[str, float]) -> _Pools:
        """The pools with the listed candidates' shares scaled by their factor (issue 13: a chosen item's chance of
        success over the chance its shares were added at)."""
        if not factors:
            return self
        out = _Pools()
        out.value, out.line, out.group = self.value, self.line, self.group
        out.shares = {
            p: {c: (x[0] * f, x[1] * f, x[2] * f) if (f := factors.get(c)) is not None else x for c, x in by.items()}
            for p, by in self.shares.items()
        }
        return out

    def saving(
        self, pool: str, chosen: Iterable[str], case: int = 1, scale: Mapping[str, float] | None = None
    ) -> float:
        """万元 per year the chosen candidates take out of ``pool`` together (case 0/1/2: low/median/high);
        ``scale``: per candidate, the part of its benefit delivered (the ramp in its first year)."""
        by = self.shares.get(pool, {})
        return self.value.get(pool, 0.0) * compound(self._grouped(by, chosen, case, scale))


@dataclass(frozen=True, slots=True, kw_only=True)
class _Solved:
    """The solved roadmap and what it was solved on, as ``_assemble`` turns it into a Plan."""

    problem: Problem
    roadmap: Roadmap
    settings: Settings
    pools: _Pools
    stage_of: Mapping[str, StagePart]
    fundings: dict[str, ItemFunding]  # by candidate, judged at each item's start


def _assemble(
    profile: EnterpriseProfile,
    loaded: LoadedCatalog,
    opts: PlanOptions,
    assessment: Assessment,
    ranked: list[RankedScenario],
    solved: _Solved,
) -> Plan:
    problem, roadmap, settings, pools = solved.problem, solved.roadmap, solved.settings, solved.pools
    fundings, stage_of = solved.fundings, solved.stage_of
    by_id = {s.id: s for s in loaded.catalog.scenarios}
    ranked_by_id = {r.id: r for r in ranked}
    metrics = {m.id: m for m in loaded.catalog.metrics}
    stages = dict(stage_of or {})
    # issue 13: each item's chance of success counts the foundations live before it (engine/roadmap_lifts.py)
    chances = chances_in_problem(problem, roadmap)
    notes = chance_notes(problem, roadmap, ranked_by_id, by_id, loaded)
    pools = pools.at_chances(share_factors(problem, chances))
    items = []
    for it in roadmap.items:
        sid = scenario_of(it.id)
        r = ranked_by_id[sid]
        if it.id in chances:
            r = with_chance(r, round(chances[it.id], 3))
        val = r.valuation
        part = stages.get(it.id) or stage_parts(r)[0]
        kpis = [
            {
                "metric": k.metric,
                "name_zh": metrics[k.metric].name_zh,
                "name_en": metrics[k.metric].name_en,
                "better": metrics[k.metric].better,
                # the figure the money counts: an estimate without a published source at its low end, as its
                # benefit line counts it (engine/scenarios.py), so the milestone tracks what the plan is paid by
                "target_median": k.low if counted_at_low_end(k) else k.median,
                "range": [k.low, k.high],
                "from_quarter": it.end_quarter,
            }
            for k in by_id[sid].kpi_effects
        ]
        items.append(
            PlanItem(
                scenario=sid,
                name_zh=r.name_zh,
                name_en=r.name_en,
                kind=r.kind,
                start_quarter=it.start_quarter,
                end_quarter=it.end_quarter,
                one_off=part.one_off,
                subsidy=it.subsidy,
                net_one_off=it.net_one_off,
                annual_cost=part.annual_cost,
                annual_benefit=Range3.of(
                    *(
                        x * r.feasibility.risk_factor * part.share
                        for x in (val.annual_benefit.low, val.annual_benefit.median, val.annual_benefit.high)
                    )
                ),
                risk_factor=r.feasibility.risk_factor,
                npv=it.npv,
                payback_months=val.payback_months if part.stage == "full" else stage_payback(r, part),
                funding=fundings[it.id],
                kpis=kpis,
                stage=part.stage,
                how=derivation(r, part),
                chance=notes.get(it.id),
            )
        )
    named = _NAMED.get(loaded, _reference_names)
    chosen_scenarios = {i.scenario for i in items}
    # a roll-out left out because its pilot is left out says nothing the pilot's reason does not
    excluded = [
        _excluded(e, ranked_by_id, named)
        for e in roadmap.excluded
        if e.id == scenario_of(e.id) or scenario_of(e.id) in chosen_scenarios
    ]
    horizon = settings.horizon_quarters
    ramp = loaded.planning.ramp.first_year_share if loaded.planning.ramp is not None else 1.0
    flows = _cash_flow(problem, {_candidate_id(i): i.start_quarter for i in items}, horizon, pools, ramp)
    money = _money(items, pools, flows, settings)
    model, model_default = business_model_of(profile, loaded.catalog)
    city = next(c for c in loaded.catalog.cities if c.id == profile.city)
    industry = next(i for i in loaded.catalog.industries if i.code == profile.division)
    enterprise = EnterpriseSummary(
        name=profile.name,
        city=profile.city,
        city_zh=city.name_zh,
        city_en=city.name_en,
        industry=profile.industry,
        industry_zh=industry.name_zh,
        industry_en=industry.name_en,
        chain=profile.chain,
        employees=profile.employees,
        revenue=profile.revenue,
        size_class=profile.size_class,
        size_class_zh=SIZE_NAMES[profile.size_class][0],
        above_designated_size=profile.above_designated_size,
        qualifications=list(profile.qualifications),
        systems=list(profile.systems),
        budget=settings.yearly_budget,
        pain_points=list(profile.pain_points),
        goals=list(profile.goals),
        business_model=model,
        business_model_default=model_default,
    )
    first_items = [i for i in items if i.stage != "rollout"]  # one route per scenario, not per stage
    routes = _model_routes(first_items, by_id, profile, loaded) if opts.with_routes else []
    first_step = _first_step(problem, ranked, settings) if not items and settings.yearly_budget > 0 else None
    pool_uses = _pool_uses(items, pools)
    return Plan(
        generated_for=opts.as_of,
        catalog_version=loaded.version,
        questionnaire_version=loaded.questionnaire.version,
        enterprise=enterprise,
        settings={
            "horizon_quarters": horizon,
            "discount_rate": settings.discount_rate,
            "yearly_budget": settings.yearly_budget,
            "capacity": settings.capacity,
            "objective": settings.objective,
        },
        assessment=assessment,
        scenarios=ranked,
        roadmap_status=roadmap.status,
        roadmap_solve_seconds=roadmap.solve_seconds,
        roadmap_fallbacks=roadmap.fallbacks,
        items=items,
        excluded=excluded,
        money=money,
        spend_by_year=roadmap.spend_by_year,
        budget_by_year=roadmap.budget_by_year,
        cash_flow=flows,
        milestones=_milestones(items),
        risks=_risks([i for i in items if i.stage != "rollout"], by_id),
        next_steps=_next_steps(items, fundings, first_step, profile.size_class),
        model_routes=routes,
        sources=_sources(first_items, by_id, ranked_by_id, loaded),
        assumptions_zh=_assumptions(settings, "zh") + _sequence_notes(problem.sequenced, items, pool_uses, "zh"),
        assumptions_en=_assumptions(settings, "en") + _sequence_notes(problem.sequenced, items, pool_uses, "en"),
        sharpen_with=sorted({f for r in ranked for f in r.valuation.sharpen_with}),
        pools=pool_uses,
        upside=_upside(items, ranked),
        first_step=first_step,
        who_pays=who_pays(
            profile,
            items,
            by_id,
            loaded.policies,
            horizon,
            settings.discount_rate,
            loaded.prices.lpr_1y.value,
            opts.as_of,
            city.name_zh,
            timing={(scenario_of(it.id), it.start_quarter): it for it in roadmap.items if it.windows_met},
        ),
        defaults_use=defaults_use(
            [
                (
                    i.scenario,
                    (i.how.units / i.how.units_total) if i.how and i.how.units_total else 1.0,
                    i.one_off,
                    i.how.count if i.how and i.how.count != "site" else None,
                    i.risk_factor,  # the roadmap's chance, lifts included
                )
                for i in items
            ],
            ranked_by_id,
        ),
        model_free=_model_free(items, by_id) if opts.with_routes else [],
    )


# per catalog: the names a reason may refer to, (kind, id) -> (zh, en)
_NAMED: PerObject[LoadedCatalog, dict[tuple[str, str], tuple[str, str]]] = PerObject(size=4)


def _reference_names(loaded: LoadedCatalog) -> dict[tuple[str, str], tuple[str, str]]:
    names = {("scenario", s.id): (s.name_zh, s.name_en) for s in loaded.catalog.scenarios}
    names.update({("policy", p.id): (p.name_zh, p.name_en) for p in loaded.policies})
    return names


def _excluded(
    e: Excluded, ranked_by_id: dict[str, RankedScenario], named: dict[tuple[str, str], tuple[str, str]]
) -> ExcludedItem:
    """The optimiser speaks in ids; the plan's reason names the scenarios and policies it refers to, and its
    text is rendered from that value (wendao.engine.reasons), never patched afterwards."""
    r = ranked_by_id[scenario_of(e.id)]
    why = with_names(e.why, named)
    rollout = e.id != r.id
    return ExcludedItem(
        scenario=r.id,
        name_zh=r.name_zh + ("（推广）" if rollout else ""),
        name_en=r.name_en + (" (roll-out)" if rollout else ""),
        reason=e.reason,
        detail_zh=render_reason(why, "zh"),
        detail_en=render_reason(why, "en"),
        why=why,
    )


def _cash_flow(
    problem: Problem, starts: dict[str, int], horizon: int, pools: _Pools, ramp: float = 1.0
) -> list[CashFlowQuarter]:
    """Quarterly spend and benefit of the chosen items; the savings of the items live on one pool compound, each
    item at ``ramp`` of its benefit in its first four quarters after go-live."""
    by_id = {c.id: c for c in problem.candidates}
    spend = [0.0] * horizon
    live_from: dict[str, int] = {}
    for cid, t in starts.items():
        c = by_id[cid]
        for q, v in enumerate(spend_by_quarter(c, t, horizon)):
            spend[q] += v
        live_from[cid] = t + c.duration_quarters
    benefit = [0.0] * horizon
    touched = sorted({b for cid in starts for b in by_id[cid].benefits})
    for q in range(horizon):
        live = [cid for cid, first in live_from.items() if first <= q]
        if live:
            scale = {cid: ramp for cid in live if q < live_from[cid] + RAMP_QUARTERS}
            benefit[q] = sum(pools.saving(b, live, 1, scale) for b in touched) / 4
    out = []
    total = 0.0
    for q in range(horizon):
        total += benefit[q] - spend[q]
        out.append(
            CashFlowQuarter(
                quarter=q,
                spend=round(spend[q], 2),
                benefit=round(benefit[q], 2),
                net=round(benefit[q] - spend[q], 2),
                cumulative=round(total, 2),
            )
        )
    return out


def _money(items: list[PlanItem], pools: _Pools, flows: list[CashFlowQuarter], settings: Settings) -> Money:
    chosen = [_candidate_id(i) for i in items]
    # once every item is live: per pool, the chosen items' shares compounded (never added, never above the pool)
    benefit = Range3.of(*(sum(pools.saving(p, chosen, case) for p in pools.value) for case in (0, 1, 2)))
    npv = sum(f.net * quarter_factor(settings.discount_rate, f.quarter) for f in flows)
    payback = None
    for f in flows:
        if f.cumulative >= 0 and f.quarter > 0 and any(x.spend > 0 for x in flows[: f.quarter + 1]):
            payback = float((f.quarter + 1) * 3)
            break
    if payback is None and items:
        last = flows[-1]
        running = sum(i.annual_cost for i in items)
        monthly_net = (benefit.median - running) / 12
        if monthly_net > 0 and last.cumulative < 0:
            payback = round(len(flows) * 3 + -last.cumulative / monthly_net, 1)
    return Money(
        one_off=round(sum(i.one_off for i in items), 2),
        subsidy=round(sum(i.subsidy for i in items), 2),
        net_one_off=round(sum(i.net_one_off for i in items), 2),
        annual_running=round(sum(i.annual_cost for i in items), 2),
        annual_benefit=benefit,
        npv=round(npv, 2),
        payback_months=payback,
    )


def _milestones(items: list[PlanItem]) -> list[Milestone]:
    out = []
    for i in items:
        out.append(
            Milestone(
                quarter=i.start_quarter,
                scenario=i.scenario,
                kind="start",
                text_zh=f"启动“{i.label_zh}”：确定服务商、数据准备、签订合同",
                text_en=f"Start “{i.label_en}”: choose a provider, prepare data, sign",
            )
        )
        # a target that rounds to nothing is no target to track ("生产/交付周期降低约0%": the cutting optimiser's
        # lead-time effect has a median of 0, only a high end)
        kpis = [k for k in i.kpis if abs(k["target_median"]) >= 0.0005][:2]
        targets_zh = "；".join(
            f"{k['name_zh']}{'降低' if k['better'] == 'lower' else '提升'}约{_share_text(k['target_median'])}"
            for k in kpis
        )
        targets_en = "; ".join(
            f"{k['name_en']} {'down' if k['better'] == 'lower' else 'up'} about {_share_text(k['target_median'])}"
            for k in kpis
        )
        out.append(
            Milestone(
                quarter=i.end_quarter,
                scenario=i.scenario,
                kind="go_live",
                text_zh=f"“{i.label_zh}”上线验收，跟踪指标：{targets_zh}" if kpis else f"“{i.label_zh}”上线验收",
                text_en=f"“{i.label_en}” goes live; track: {targets_en}" if kpis else f"“{i.label_en}” goes live",
            )
        )
    return sorted(out, key=lambda m: (m.quarter, m.kind != "start", m.scenario))


def _share_text(x: float) -> str:
    """A milestone's target as a percentage: one decimal below 1 % (a 0.5 % target read "约0%")"""
    return f"{x:.1%}" if 0 < x < 0.01 else f"{x:.0%}"


def _risks(items: list[PlanItem], by_id: dict[str, Scenario]) -> list[RiskItem]:
    return [
        RiskItem(
            scenario=i.scenario,
            risk_zh=r.risk_zh,
            risk_en=r.risk_en,
            mitigation_zh=r.mitigation_zh,
            mitigation_en=r.mitigation_en,
        )
        for i in items
        for r in by_id[i.scenario].risks
    ]


def _first_step(problem: Problem, ranked: list[RankedScenario], settings: Settings) -> FirstStep | None:
    """What would unlock the first project of an empty roadmap (DESIGN rule 4): the candidate with a positive
    value on its own and the smallest yearly budget that funds it; otherwise the cheapest scenario whose benefit
    the figures given cannot show; otherwise the cheapest that can start at once. None when nothing fits."""
    h = settings.horizon_quarters
    rate = objective_rate(settings)
    by_id = {r.id: r for r in ranked}
    startable = [c for c in problem.candidates if not c.after and not c.requires]
    need: dict[str, int] = {}  # 元, as the roadmap counts a budget (engine/budget.py)
    for c in startable:
        paying = [
            t
            for t in valid_starts(c, h)
            if benefit_pv(c.annual_benefit, t + c.duration_quarters, h, rate) - cost_pv(c, t, h, rate) > 0
        ]
        least = least_yearly_spend(c, paying, h)
        if least is not None:
            need[c.id] = least
    if need:
        sid = min(need, key=lambda k: (need[k], k))
        return _first_step_item(by_id[sid], settings, "budget", budget_to_tell(need[sid]), [])

    def cost(r: RankedScenario) -> tuple[float, str]:
        return (r.valuation.one_off.median + r.valuation.annual_cost.median, r.id)

    # a scenario that fits and could start now (no missing system or earlier project), in cost order
    ready = sorted(
        (
            r
            for r in ranked
            if r.fit.industry != "none"
            and not r.feasibility.missing_systems
            and not r.feasibility.missing_systems_any
            and not r.feasibility.needs_scenarios
        ),
        key=cost,
    )
    wanting = [r for r in ready if r.valuation.sharpen_with]
    if wanting:
        return _first_step_item(wanting[0], settings, "data", None, list(wanting[0].valuation.sharpen_with))
    if ready:
        return _first_step_item(ready[0], settings, "value", None, [])
    return None


def _first_step_item(
    r: RankedScenario, settings: Settings, unlock: str, budget_needed: float | None, figures: list[str]
) -> FirstStep:
    one_off, annual = r.valuation.one_off.median, r.valuation.annual_cost.median
    cost_zh = f"投资约 {one_off:.1f} 万元，年运行约 {annual:.1f} 万元"
    cost_en = f"about {money_en(one_off)} one-off and {money_en(annual)} a year"
    if unlock == "budget":
        assert budget_needed is not None
        zh = (
            f"起步项目“{r.name_zh}”（{cost_zh}）能在规划期内回本，年度预算至少 {budget_needed:.1f} 万元（扣除补贴后）"
            f"即可安排；当前年度预算 {settings.yearly_budget:.1f} 万元"
        )
        en = (
            f"First step “{r.name_en}” ({cost_en}) pays back within the planning horizon; a yearly budget of at "
            f"least {money_en(budget_needed)} (net of subsidies) would fund it; the yearly budget now is "
            f"{money_en(settings.yearly_budget)}"
        )
    elif unlock == "data":
        names = [FIGURE_NAMES.get(f, (f, f)) for f in figures]
        zh = (
            f"起步项目“{r.name_zh}”（{cost_zh}）的收益无法按现有数据测算；需补充："
            + "、".join(n[0] for n in names)
            + "，补充后重新生成规划"
        )
        en = (
            f"First step “{r.name_en}” ({cost_en}): its benefit cannot be shown from the figures given; add: "
            + ", ".join(n[1] for n in names)
            + ", then make the plan again"
        )
    else:
        zh = (
            f"场景库中最便宜的起步项目“{r.name_zh}”（{cost_zh}）按现有数据在规划期内不回本，暂不建议投入；"
            "可先整理库存、产量和设备数据，业务规模扩大后再评估"
        )
        en = (
            f"The cheapest first step in the catalog, “{r.name_en}” ({cost_en}), does not pay back within the "
            "planning horizon on the figures given, so no spending is advised yet; put stock, output and machine "
            "records in order first and assess again as the business grows"
        )
    return FirstStep(
        scenario=r.id,
        name_zh=r.name_zh,
        name_en=r.name_en,
        one_off=one_off,
        annual_cost=annual,
        unlock=unlock,
        budget_needed=budget_needed,
        figures=figures,
        text_zh=zh,
        text_en=en,
    )


SMALL_PURCHASE = 5.0  # 万元: below it a first item is a package bought off the shelf (wendao judgement)


def _next_steps(
    items: list[PlanItem],
    fundings: dict[str, ItemFunding],
    first_step: FirstStep | None = None,
    size_class: str = "",
) -> list[NextStep]:
    first = [i for i in items if i.start_quarter == 0]
    # a micro firm of a dozen people names one person, not a team (read as a consultant, session 6)
    steps = [
        NextStep(
            within_days=14,
            text_zh="老板指定一名负责人（可兼职），定下今年用于数字化的预算",
            text_en="The owner names one person in charge (part-time will do) and sets this year's budget",
        )
        if size_class == "micro"
        else NextStep(
            within_days=14,
            text_zh="成立由总经理牵头的数智化转型小组，明确项目负责人和预算",
            text_en="Set up a transformation team led by the general manager, with owners and budget",
        )
    ]
    for i in first:
        # a package of a few 万元 is chosen by trying products, not by asking providers for proposals
        small = i.one_off < SMALL_PURCHASE
        steps.append(
            NextStep(
                within_days=30,
                text_zh=f"为“{i.label_zh}”梳理数据现状，"
                + ("比较2–3家产品的试用或演示" if small else "邀请2–3家服务商方案比选"),
                text_en=f"For “{i.label_en}”: review the data, "
                + ("compare 2–3 products in a trial or demonstration" if small else "invite 2–3 providers to propose"),
            )
        )
        for o in fundings[i.scenario].eligible:
            if o.counted:
                steps.append(
                    NextStep(
                        within_days=60,
                        text_zh=f"准备申报“{o.name_zh}”"
                        + (
                            f"（{'；'.join(x for x in (o.apply.where_zh, o.apply.deadline_zh) if x)}）"
                            if o.apply.where_zh or o.apply.deadline_zh
                            else ""
                        ),
                        text_en=f"Prepare the application for “{o.name_en}”"
                        + (f" ({o.apply.where_en})" if o.apply.where_en else ""),
                    )
                )
    if not items:  # nothing to sign: say what would unlock the first project instead
        if first_step is not None:
            steps.append(NextStep(within_days=30, text_zh=first_step.text_zh, text_en=first_step.text_en))
        steps.append(
            NextStep(
                within_days=90,
                text_zh="补充基线数据（能耗、停机、质量损失、库存）后重新生成规划",
                text_en="Complete the baseline figures (energy, stoppages, quality loss, stock) and make the plan again",
            )
        )
        return steps
    steps.append(
        NextStep(
            within_days=90,
            text_zh="完成首批项目合同签订，补充基线数据（能耗、停机、质量损失）以校准收益测算",
            text_en="Sign the first projects; complete the baseline figures to sharpen the benefit estimates",
        )
    )
    return steps


# the use case a scenario's model route is costed for, and the assumption it rests on (zh, en)
USE_CASE_BY_ROUTE: dict[str, tuple[str, str, str]] = {
    "rag": (
        "document_qa",
        "按约500份文档、每天200次提问、5人同时使用估算",
        "assumes about 500 documents, 200 questions a day and 5 concurrent users",
    ),
    "hosted_api": (
        "report_drafting",
        "按每天200次生成、每次输入1500/输出500个token估算",
        "assumes 200 drafts a day of 1,500 input and 500 output tokens each",
    ),
    "lora": (
        "classification_extraction",
        "按1000条标注样本、每天200次调用估算",
        "assumes 1,000 labelled examples and 200 calls a day",
    ),
    "private_llm": (
        "document_qa",
        "数据不出厂；按约500份文档、每天200次提问、5人同时使用估算",
        "data stays on site; assumes about 500 documents, 200 questions a day and 5 concurrent users",
    ),
    # every scenario with this hint inspects images or video (robots whose vendor supplies the vision are
    # ``none``): a small detector or classifier, never an LLM API
    "small_task_model": (
        "visual_inspection",
        "按2000张标注图片、一个检测工位估算",
        "assumes 2,000 labelled images and one inspection station",
    ),
    "classical_ml": (
        "forecasting",
        "按现有业务系统的历史数据估算",
        "assumes the history already held in the business systems",
    ),
}


def _model_routes(
    items: list[PlanItem], by_id: dict[str, Scenario], profile: EnterpriseProfile, loaded: LoadedCatalog
) -> list[ModelRoutePlan]:
    out = []
    for i in items:
        s = by_id[i.scenario]
        if s.model_route not in USE_CASE_BY_ROUTE:
            continue
        task, assumptions_zh, assumptions_en = USE_CASE_BY_ROUTE[s.model_route]
        uc = UseCase(
            name=s.name_zh,
            task=task,
            documents=500 if task == "document_qa" else 0,
            training_examples=1000,
            images=2000,
            on_premise=profile.constraints.on_premise_only or s.model_route == "private_llm",
        )
        out.append(
            ModelRoutePlan(
                scenario=s.id,
                name_zh=s.name_zh,
                name_en=s.name_en,
                assumptions_zh=assumptions_zh,
                assumptions_en=assumptions_en,
                advice=advise_routes(uc, loaded),
            )
        )
    return out


def _model_free(items: list[PlanItem], by_id: dict[str, Scenario]) -> list[ModelFreeItem]:
    """The items with no model route, so the plan can say plainly that they need no AI model."""
    return [
        ModelFreeItem(scenario=s.id, name_zh=s.name_zh, name_en=s.name_en, hint=s.model_route)
        for i in items
        if (s := by_id[i.scenario]).model_route not in USE_CASE_BY_ROUTE
    ]


def _sources(
    items: list[PlanItem], by_id: dict[str, Scenario], ranked_by_id: dict[str, RankedScenario], loaded: LoadedCatalog
) -> list[SourceRef]:
    refs: dict[str, SourceRef] = {}

    def add(ident: str, what: str, what_en: str, p: Any) -> None:
        refs.setdefault(
            ident,
            SourceRef(
                id=ident,
                what=what,
                what_en=what_en,
                source=p.source,
                as_of=p.as_of,
                estimate=p.estimate,
                verified=getattr(p, "verified", False),
                reliability=getattr(p, "reliability", None),
                source_zh=getattr(p, "source_zh", None),
                source_en=getattr(p, "source_en", None),
            ),
        )

    for i in items:
        s = by_id[i.scenario]
        for k in s.kpi_effects:
            metric = next(m for m in loaded.catalog.metrics if m.id == k.metric)
            add(
                f"{s.id}.kpi.{k.metric}",
                f"{s.name_zh}：{metric.name_zh}效果区间",
                f"{s.name_en}: effect on {metric.name_en.lower()}",
                k,
            )
        add(f"{s.id}.cost", f"{s.name_zh}：成本", f"{s.name_en}: cost", s.cost)
        add(f"{s.id}.duration", f"{s.name_zh}：实施周期", f"{s.name_en}: duration", s.duration)
        for line in ranked_by_id[i.scenario].valuation.lines:
            for d in line.baseline.defaults_used:
                figure, scope = default_figure_name(d.figure), applies_to_name(d.applies_to, loaded.catalog)
                add(
                    f"default.{d.figure}.{d.applies_to}",
                    f"缺省基线：{figure[0]}（{scope[0]}）",
                    f"default baseline: {figure[1]} ({scope[1]})",
                    d,
                )
        for o in i.funding.eligible:
            policy = next(p for p in loaded.policies if p.id == o.policy)
            add(f"policy.{policy.id}", f"政策：{policy.name_zh}", f"policy: {policy.name_en}", policy.award)
    add("prices.lpr_1y", "一年期LPR", "1-year loan prime rate (LPR)", loaded.prices.lpr_1y)
    return sorted(refs.values(), key=lambda r: r.id)


def _candidate_id(i: PlanItem) -> str:
    return i.scenario + (ROLLOUT if i.stage == "rollout" else "")


def _pool_uses(items: list[PlanItem], pools: _Pools) -> list[PoolUse]:
    chosen = [_candidate_id(i) for i in items]
    out = []
    for pool, by in pools.shares.items():
        acting = [c for c in chosen if c in by]
        named = list(dict.fromkeys(scenario_of(c) for c in acting))
        if not acting:
            continue
        zh, en = POOL_NAMES.get(pool, (pool, pool))
        base = pools.line[pool].baseline
        out.append(
            PoolUse(
                pool=pool,
                name_zh=zh,
                name_en=en,
                annual=round(pools.value[pool], 2),
                origin=base.origin,
                formula=base.formula,
                items=named,
                saving=Range3.of(*(pools.saving(pool, acting, case) for case in (0, 1, 2))),
            )
        )
    return sorted(out, key=lambda p: -p.saving.median)


UPSIDE_SHOWN = 5  # upside is listed for the roadmap items and the ranking's first five scenarios


def _upside(items: list[PlanItem], ranked: list[RankedScenario]) -> list[UpsideItem]:
    shown = [r for r in ranked if r.rank <= UPSIDE_SHOWN or r.id in {i.scenario for i in items}]
    return [
        UpsideItem(
            scenario=r.id,
            name_zh=r.name_zh,
            name_en=r.name_en,
            metric=line.metric,
            metric_zh=line.metric_zh,
            metric_en=line.metric_en,
            annual=line.annual,
            reason=line.upside,
        )
        for r in shown
        for line in r.valuation.lines
        if line.upside in ("no_source", "business_model") and line.annual.high > 0
    ]


def _sequence_notes(
    sequenced: Sequence[tuple[str, str]], items: Sequence[PlanItem], pools: Sequence[PoolUse], lang: str
) -> list[str]:
    """Why a project waits for another in the plan (``_sequenced``): one sentence per sequenced pair in it."""
    first = {i.scenario: i for i in items if i.stage != "rollout"}
    notes = []
    for a, b in sequenced:
        if a not in first or b not in first:
            continue
        ia, ib = first[a], first[b]
        shared = [p for p in pools if a in p.items and b in p.items]
        how = ia.how
        if not shared or how is None:
            continue
        pool, unit_zh, unit_en = shared[0], how.unit_zh.lstrip("个台条套"), how.unit_en
        if lang == "zh":
            part = "的试点" if ia.stage == "pilot" else ""
            notes.append(
                f"{ib.name_zh}在{ia.name_zh}{part}完成后才开始：两者作用于同一批{unit_zh}的{pool.name_zh}，"
                "先测出前者的实际节约，再按实测结果决定后者，而不是同时按两个估计投入"
            )
        else:
            part = "'s pilot" if ia.stage == "pilot" else ""
            notes.append(
                f"{ib.name_en} starts only once {ia.name_en}{part} has finished: both act on the same {unit_en} and "
                f"the same {pool.name_en.lower()}, so the second is decided on the first's measured saving, not on "
                "two estimates at once"
            )
    return notes


def _assumptions(settings: Settings, lang: str) -> list[str]:
    if lang == "zh":
        return [
            f"规划期 {settings.horizon_quarters} 个季度，折现率 {settings.discount_rate:.0%}（可调整的假设）",
            f"年度预算 {settings.yearly_budget:,.1f} 万元（扣除可计入的补贴后），同时实施项目不超过 {settings.capacity} 个",
            "收益按企业自身基线 × 有来源的效果区间计算，并乘以实施成功概率（风险调整）",
            "每项收益都出自企业自身的一项费用（资金池，如能源费用、质量损失）；同一资金池上的多个项目按"
            " 1 − Π(1 − 效果) 复合计算，不简单相加，也不超过资金池本身。优化时采用线性上界：同一资金池上各项目的节约"
            "之和不超过全部候选项目复合后的值；规划中的金额按所选项目精确复合",
            "增收效果（销售增长、新增产出）只有在有公开来源、且符合企业经营模式（或产能确实不足）时才计入；否则列为"
            "增收潜力，只作参考",
            "只有现行有效、且按比例或定额计算的补贴计入净成本；贴息只降低融资成本，不计入",
        ]
    return [
        f"Horizon {settings.horizon_quarters} quarters, discount rate {settings.discount_rate:.0%} (an adjustable assumption)",
        f"Yearly budget {money_en(settings.yearly_budget)} net of counted subsidies; at most {settings.capacity} "
        "projects at once",
        "Benefits = the enterprise's own baseline × sourced effect ranges, times the chance of success (risk-adjusted)",
        "Every benefit comes out of a pool of the enterprise's own money (energy bill, quality loss, ...); several "
        "items on one pool compound, 1 − Π(1 − effect), never add, and never exceed the pool. The optimiser uses a "
        "linear bound (the items' savings on a pool add up to at most what all candidates on it take together, "
        "compounded); the plan's figures compound the chosen items exactly",
        "Extra sales and extra output count only with a published source and a fitting business model (or a real "
        "capacity shortage); otherwise they are shown as upside, not counted",
        "Only subsidies in force with a rate or fixed amount reduce the net cost; interest subsidies lower "
        "financing cost only",
    ]
