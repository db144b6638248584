"""Knowledge-base schema: the shapes every catalog file is validated against on load.

Rule of the house (DESIGN §4): every number in the catalog says where it comes from.
A block that holds numbers carries *provenance*: either ``source`` + ``as_of`` (a URL or
document citation and the date of the figure) or ``estimate`` (how the figure was made).
``verified`` keeps the reliability tag of the research notes: only figures read in the
official text are ``verified: true``.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Reliability = Literal["official", "verbatim", "media", "secondary", "low", "estimate"]
SizeClass = Literal["large", "medium", "small", "micro"]
SIZE_CLASSES: tuple[SizeClass, ...] = ("large", "medium", "small", "micro")
Strength = Literal["high", "medium", "low"]


class Strict(BaseModel):
    """Base for catalog models: unknown keys are errors (a typo must not silently vanish)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Provenance(Strict):
    """Where a figure comes from. Mixed into every model that carries numbers."""

    source: str | None = Field(default=None, description="URL or document citation of the figure")
    # the citation for the other language's reader where `source` is written in one language (titles and URLs kept
    # as published): a Chinese document prints source_zh, an English one source_en, else `source`
    source_zh: str | None = Field(default=None, description="the citation in Chinese, where `source` is English")
    source_en: str | None = Field(default=None, description="the citation in English, where `source` is Chinese")
    as_of: date | None = Field(default=None, description="date of the figure (publication or price date)")
    estimate: str | None = Field(default=None, description="how the figure was estimated, if not sourced")
    verified: bool = Field(default=False, description="read in the official/original text")
    reliability: Reliability | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _has_provenance(self) -> Provenance:
        sourced = bool(self.source and self.source.strip()) and self.as_of is not None
        estimated = bool(self.estimate and self.estimate.strip())
        if not (sourced or estimated):
            raise ValueError("number without provenance: give `source` and `as_of`, or `estimate: <method>`")
        return self


class LocalName(Strict):
    id: str
    name_zh: str
    name_en: str


class Industry(Strict):
    """A GB/T 4754-2017 manufacturing division (C13–C43)."""

    code: str = Field(pattern=r"^C(1[3-9]|[23]\d|4[0-3])$")
    name_zh: str
    name_en: str
    group: str = Field(description="broad group used for peers: raw_materials, equipment, consumer, electronics")


class City(Strict):
    id: str
    name_zh: str
    name_en: str
    province: str = "山东"

    @property
    def in_shandong(self) -> bool:
        """One of Shandong's 16 cities; ``other`` (省外, province 其他) stands for every place outside. The one
        home of "is this city in Shandong" (funding's ``enterprise.in_shandong``, provider matching's region)."""
        return self.province == "山东"


class Chain(Strict):
    id: str
    name_zh: str
    name_en: str
    industries: list[str] = Field(default_factory=list, description="GB/T 4754 divisions typical of the chain")
    source: str
    as_of: date | None = None
    verified: bool = False


class Stage(Strict):
    """One of the 8 环节 of the MIIT 2025 scenario guide."""

    id: str
    name_zh: str
    name_en: str
    order: int
    verified: bool = False
    source: str


class Metric(Strict):
    """A KPI a scenario moves; ``baseline`` names the profile figure it acts on (None: not monetised)."""

    id: str
    name_zh: str
    name_en: str
    unit: str
    better: Literal["lower", "higher"]
    baseline: str | None = None
    description: str = ""


class System(Strict):
    id: str
    name_zh: str
    name_en: str


class KpiEffect(Provenance):
    """Relative change of a KPI (0.3 = 30 %) in the direction that is better for the metric."""

    metric: str
    low: float = Field(ge=0)
    median: float = Field(ge=0)
    high: float = Field(ge=0)
    business_models: list[Literal["b2b", "b2c", "mixed"]] | None = Field(
        default=None,
        description="for a sales effect: the business models it was observed in (None: not restricted); "
        "it counts only for an enterprise with one of them (DESIGN rule 3)",
    )

    @model_validator(mode="after")
    def _ordered(self) -> KpiEffect:
        if not self.low <= self.median <= self.high:
            raise ValueError(f"kpi effect {self.metric}: need low <= median <= high")
        return self


class MoneyRange(Strict):
    """万元; low <= high."""

    low: float = Field(ge=0)
    high: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> MoneyRange:
        if self.low > self.high:
            raise ValueError("need low <= high")
        return self


class CostBand(Strict):
    one_off: MoneyRange = Field(description="one-off investment, 万元")
    annual: MoneyRange = Field(description="running cost per year, 万元")


class CostModel(Provenance):
    """Cost of one project of typical scope by enterprise size class (NBS 2017 industrial classes). The
    valuation prices a scenario by its ``Scope`` (fixed + per unit covered); these bands price only a site-wide
    scope without a per-unit cost (a package whose price follows the firm's size), and otherwise set the price
    level of the scope's units for the size class (engine/scope.py ``class_price_factor``)."""

    large: CostBand
    medium: CostBand
    small: CostBand
    micro: CostBand | None = None
    buys: list[Literal["compute", "equipment", "software", "services", "data"]] = Field(
        default_factory=list, description="what the money buys (subsidies depend on it)"
    )

    def band(self, size: SizeClass) -> CostBand:
        chosen = getattr(self, size)
        return chosen if chosen is not None else self.small


class Duration(Provenance):
    months_low: int = Field(ge=1)
    months_high: int = Field(ge=1)


# Which records a project's data are: machine condition signals, shop-floor progress and reports, quality results,
# energy meter readings, orders, sales and stock (the ERP's), design models. The maturity dimension ``data`` is one
# score for all of them, so without a kind a project needing machine data waited for quality projects, the only ones
# reaching data 50 (read as a consultant, session 8: "关键设备经常突然停机" chained through 质量精准追溯 → 质量分析与改进).
DataKind = Literal["equipment", "production", "quality", "energy", "business", "design"]
DATA_DIMENSION = "data"  # the questionnaire's data dimension (data/questionnaire.yaml DAT1–DAT4)


class Prerequisites(Provenance):
    """What must be in place first. Maturity minimums are 0–100 dimension scores."""

    maturity: dict[str, int] = Field(default_factory=dict)
    data_kinds: list[DataKind] = Field(
        default_factory=list,
        description="the kinds of data its data-maturity minimum means: only a project providing one of them raises "
        "that level for it (planning.yaml provides); empty: any kind",
    )
    systems_all: list[str] = Field(default_factory=list)
    systems_any: list[str] = Field(default_factory=list)
    scenarios: list[str] = Field(default_factory=list, description="scenario ids to finish first")
    data: list[str] = Field(default_factory=list, description="data assets needed, in words")


class Applicability(Strict):
    """How strongly a scenario applies, by GB/T 4754 division; ``all`` = every division at that level."""

    high: list[str] = Field(default_factory=list)
    medium: list[str] = Field(default_factory=list)
    low: list[str] = Field(default_factory=list)
    basis: str = Field(description="why: the cases or reasoning behind the grouping")

    def strength(self, industry: str) -> Strength | None:
        for level in ("high", "medium", "low"):
            codes: list[str] = getattr(self, level)
            if industry in codes or "all" in codes:
                return level
        return None


class Risk(Strict):
    risk_zh: str
    risk_en: str
    mitigation_zh: str
    mitigation_en: str


ModelRouteHint = Literal[
    "none",
    "hosted_api",
    "rag",
    "lora",
    "small_task_model",
    "classical_ml",
    "optimisation_solver",
    "private_llm",
]


ScopeUnit = Literal["station", "line", "machine", "unit", "warehouse", "site"]
# the profile count that says how many units an enterprise has (Baseline fields); "site" = one per enterprise
ScopeCount = Literal["inspection_stations", "production_lines", "key_machines", "process_units", "warehouses", "site"]


class UnitCost(Strict):
    one_off: MoneyRange = Field(description="one-off investment, 万元")
    annual: MoneyRange = Field(description="running cost per year, 万元")


class DivisionScope(Provenance):
    """A scope's pool share and per-unit price for one GB/T 4754 division where its process units differ in kind
    from the ones the scope was written for (issue 13, session 7: a steel works' blast furnaces and mills are not
    a chemical plant's reactors or a factory's compressor house). Keyed by division (C31), never by industry
    group, so that a division sharing its group (steel with chemicals) moves alone."""

    pool_share: float | None = Field(default=None, gt=0, le=1, description="replaces the scope's pool_share")
    per_unit: UnitCost | None = Field(default=None, description="replaces the scope's per-unit price")
    unit_revenue: float | None = Field(
        default=None,
        gt=0,
        description="万元 of yearly output of the unit ``per_unit`` is written for; a unit of another size (revenue ÷ "
        "units) costs (size ÷ unit_revenue) ** size_scaling.exponent times as much, within 1/max_factor and "
        "max_factor (planning.yaml size_scaling)",
    )

    @model_validator(mode="after")
    def _sized(self) -> DivisionScope:
        if (self.per_unit is None) != (self.unit_revenue is None):
            raise ValueError("a division's per_unit price needs the unit_revenue it was written for, and only then")
        return self


class Scope(Provenance):
    """What one deployment covers and how cost and benefit grow with coverage (issue 13 item 1).

    A scenario is deployed on units (inspection stations, lines, key machines, process units, warehouses, or
    the whole site); ``count`` names the profile figure that says how many units the enterprise has (N).
    Covering n of N units costs ``fixed`` + n × ``per_unit`` and takes n/N × ``pool_share`` × effect of each
    money pool it acts on: ``pool_share`` is the share of the pool the units together touch when all are
    covered (stations touch the inspection labour and quality loss of the lines they cover, not the whole
    plant's). A site-wide scenario with no ``per_unit`` cost is priced by the size-class band of its cost
    model (a software package whose price follows the firm's size). ``pilot_units`` are covered first
    (先试点、后推广); the rest follow as a roll-out once the pilot is finished."""

    unit: ScopeUnit
    count: ScopeCount
    pool_share: float = Field(gt=0, le=1)
    fixed: UnitCost | None = Field(default=None, description="once per enterprise, whatever the coverage")
    per_unit: UnitCost | None = Field(default=None, description="for each unit covered")
    pilot_units: int = Field(default=1, ge=1)
    pool_share_by_group: dict[str, float] = Field(
        default_factory=dict,
        description="pool_share for an industry group where it differs (e.g. visual inspection touches little of a "
        "process plant's quality loss, which is judged by lab sampling)",
    )
    by_division: dict[str, DivisionScope] = Field(
        default_factory=dict, description="pool share and per-unit price for a division whose units differ in kind"
    )

    def share_for(self, group: str, division: str = "") -> float:
        own = self.by_division.get(division)
        if own is not None and own.pool_share is not None:
            return own.pool_share
        return self.pool_share_by_group.get(group, self.pool_share)

    def for_division(self, division: str) -> Scope:
        """This scope as a firm of ``division`` reads it: the division's per-unit price in place of the scope's."""
        own = self.by_division.get(division)
        if own is None:
            return self
        update: dict[str, object] = {"estimate": own.estimate, "source": own.source, "as_of": own.as_of}
        if own.per_unit is not None:
            update["per_unit"] = own.per_unit
        return self.model_copy(update=update)

    @model_validator(mode="after")
    def _priced(self) -> Scope:
        if any(not 0 < v <= 1 for v in self.pool_share_by_group.values()):
            raise ValueError("pool_share_by_group: shares in (0, 1]")
        if self.count != "site" and self.per_unit is None:
            raise ValueError("a scope counted in units needs a `per_unit` cost")
        if self.count == "site" and self.unit != "site":
            raise ValueError("a scope counted per site has unit `site`")
        if any(len(k) != 3 or not k.startswith("C") for k in self.by_division):
            raise ValueError("by_division: keys are GB/T 4754 divisions such as C31")
        if self.per_unit is None and any(d.per_unit is not None for d in self.by_division.values()):
            raise ValueError("by_division: a per_unit price needs a scope priced per unit")
        return self


class Scenario(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: Literal["miit", "ai"]
    name_zh: str
    name_en: str
    name_verified: bool = Field(description="exact name read in the official guide")
    name_source: str
    stage: str
    parent: str | None = Field(default=None, description="MIIT scenario an AI scenario belongs to")
    variant_of: list[str] = Field(
        default_factory=list,
        description="the scenarios this one is a smaller, cheaper variant of (a foundation's entry step of a MIIT "
        "scenario, an LLM pilot of the knowledge base): a goal naming the full project falls back to it",
    )
    foundation: bool = Field(
        default=False,
        description="a wendao first-step project (scenarios/foundation.yaml), not a scenario of the MIIT guide even "
        "where it is filed as kind miit so that policies and search treat it as its MIIT family",
    )
    description_zh: str
    description_en: str
    industries: Applicability
    prerequisites: Prerequisites
    kpi_effects: list[KpiEffect] = Field(min_length=1)
    cost: CostModel
    scope: Scope = Field(description="unit of deployment; cost and benefit by coverage (issue 13)")
    duration: Duration
    technique: list[str] = Field(min_length=1)
    model_route: ModelRouteHint
    risks: list[Risk] = Field(min_length=1)
    keywords_zh: list[str] = Field(min_length=3, description="what a plant manager would actually say")
    keywords_en: list[str] = Field(default_factory=list)

    @field_validator("keywords_zh")
    @classmethod
    def _no_blank_keywords(cls, value: list[str]) -> list[str]:
        if any(not k.strip() for k in value):
            raise ValueError("blank keyword")
        return value


class Catalog(Strict):
    """The whole knowledge base, cross-checked (references resolve) by the loader."""

    version: str
    as_of: date
    industries: list[Industry]
    cities: list[City]
    chains: list[Chain]
    chains_note: str
    stages: list[Stage]
    metrics: list[Metric]
    systems: list[System]
    scenarios: list[Scenario]

    def scenario(self, scenario_id: str) -> Scenario:
        for s in self.scenarios:
            if s.id == scenario_id:
                return s
        raise KeyError(scenario_id)


# --- maturity questionnaire -------------------------------------------------------------


class Crosswalk(Strict):
    """Which dimensions of other frameworks a wendao dimension corresponds to (names only, no texts)."""

    siri: list[str] = Field(default_factory=list)
    eu_dma: list[str] = Field(default_factory=list)
    cmmm: list[str] = Field(default_factory=list, description="GB/T 39116 capability sub-domains")
    miit_sme: list[str] = Field(default_factory=list, description="MIIT 中小企业数字化水平评测指标 2024 items")
    note: str = ""


class Dimension(Strict):
    id: str = Field(pattern=r"^[a-z][a-z_]*$")
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str
    weight: float = Field(gt=0)
    crosswalk: Crosswalk


class AnswerOption(Strict):
    id: str
    text_zh: str
    text_en: str
    score: float = Field(ge=0, le=100, description="points (single: the score; multi: points added, capped at 100)")
    exclusive: bool = Field(default=False, description="multi choice: cannot be combined (e.g. 'none of these')")


class Question(Strict):
    id: str = Field(pattern=r"^[A-Z]+\d+$")
    dimension: str
    type: Literal["single", "multi"]
    text_zh: str
    text_en: str
    why_zh: str = Field(description="one line: why the question matters")
    why_en: str
    evidence_zh: str = Field(description="what evidence backs the answer (figures, document names)")
    evidence_en: str
    allows_na: bool = Field(default=False, description="may be answered 'not applicable' (dropped from the mean)")
    outcome: bool = Field(
        default=False, description="measures a result (e.g. yield trend), not a practice: never offered as a next step"
    )
    weight: float = Field(default=1.0, gt=0)
    options: list[AnswerOption] = Field(min_length=2)

    @model_validator(mode="after")
    def _options_make_sense(self) -> Question:
        ids = [o.id for o in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError(f"{self.id}: duplicate option ids")
        if self.type == "single":
            scores = [o.score for o in self.options]
            if scores != sorted(scores):
                raise ValueError(f"{self.id}: single-choice options must be listed from lowest to highest score")
            if scores[-1] != 100:
                raise ValueError(f"{self.id}: the best single-choice option must score 100")
        return self


class LevelGate(Strict):
    """An answer a level needs: the question's score must reach ``min_score`` (0–100)."""

    question: str
    min_score: float = Field(ge=0, le=100)


class OfficialLevel(Strict):
    level: int = Field(ge=1, le=5)
    label_zh: str
    label_en: str
    meaning_zh: str
    meaning_en: str
    min_overall: float = Field(ge=0, le=100, description="minimum wendao overall score")
    gates: list[LevelGate] = Field(default_factory=list)


class LevelScale(Provenance):
    """An official scale we map to (indicatively): MIIT SME digital level, GB/T 39116 CMMM."""

    id: str
    name_zh: str
    name_en: str
    method_zh: str
    method_en: str
    levels: list[OfficialLevel] = Field(min_length=2)
    below_zh: str = Field(description="label when not even the first level is reached")
    below_en: str


class Questionnaire(Provenance):
    """Scoring design parameters (option scores, weights) are wendao's own; ``estimate`` says how they were set."""

    id: str
    version: str
    title_zh: str
    title_en: str
    dimensions: list[Dimension] = Field(min_length=5)
    questions: list[Question] = Field(min_length=30)
    scales: list[LevelScale] = Field(min_length=2)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


# --- funding policies -------------------------------------------------------------------------

SpendCategory = Literal["compute", "equipment", "software", "services", "data"]


AwardKind = Literal[
    "share_of_cost",  # rate × the item's spend in the `base` categories
    "interest_subsidy",  # `points` percentage points (or `lpr_share` × LPR) a year on the loan principal
    "fixed_amount",  # up to `amount`
    "tax_deduction",  # an extra deduction of `rate` × the spend in `base`, worth that × the enterprise's tax rate
    "tax_credit",  # `rate` × the spend in `base` set against the income tax payable
    "tax_expensing",  # spend in `base` deducted at once instead of depreciated (a timing benefit)
    "tax_rate",  # the income-tax rate `rate` (e.g. 15 % for high-tech enterprises): decides the worth of the others
    "pending",  # announced, terms not published: never counted, no amount
]


class Award(Provenance):
    """How much a policy pays. Money in 万元; rates as fractions (0.05 = 5 %)."""

    kind: AwardKind
    base: list[SpendCategory] = Field(
        default_factory=list, description="spend categories of an item that count towards the eligible base"
    )
    rate: float | None = Field(default=None, ge=0, le=1, description="share of the eligible base")
    lpr_share: float | None = Field(default=None, ge=0, le=1, description="interest subsidy: share of 1-year LPR")
    amount: float | None = Field(default=None, ge=0, description="fixed award, 万元")
    cap_per_item: float | None = Field(default=None, ge=0, description="万元 per project")
    cap_per_enterprise: float | None = Field(default=None, ge=0, description="万元 per enterprise")
    cap_period: Literal["per_year", "cumulative"] = "cumulative"
    uplift_note_zh: str | None = Field(default=None, description="extra awards not modelled (e.g. +20% for A-rated)")
    points: float | None = Field(
        default=None, ge=0, le=0.2, description="interest subsidy: percentage points a year as a fraction (0.015)"
    )
    years: int | None = Field(default=None, ge=1, le=10, description="interest subsidy: at most this many years")
    min_loan: float | None = Field(default=None, ge=0, description="interest subsidy: smallest loan, 万元")
    max_loan: float | None = Field(default=None, ge=0, description="interest subsidy: principal counted at most, 万元")
    unit_cap: float | None = Field(
        default=None, ge=0, description="tax_expensing: the largest unit value that qualifies, 万元 per unit"
    )
    selective: bool = Field(
        default=False, description="awarded by competitive review or a quota: shown as possible, never counted"
    )

    @model_validator(mode="after")
    def _complete(self) -> Award:
        if self.kind in ("share_of_cost", "tax_deduction", "tax_credit") and (self.rate is None or not self.base):
            raise ValueError(f"{self.kind} needs `rate` and a non-empty `base`")
        if self.kind == "tax_expensing" and not self.base:
            raise ValueError("tax_expensing needs a non-empty `base`")
        if self.kind == "tax_rate" and self.rate is None:
            raise ValueError("tax_rate needs `rate`")
        if self.kind == "interest_subsidy" and self.lpr_share is None and self.points is None:
            raise ValueError("interest_subsidy needs `points` or `lpr_share`")
        if self.kind == "fixed_amount" and self.amount is None:
            raise ValueError("fixed_amount needs `amount`")
        return self


class ApplyInfo(Strict):
    """The 申兑 fields every policy publishes (beneficiaries, conditions, deadline, where, contact)."""

    beneficiaries_zh: str
    conditions_zh: str
    deadline_zh: str
    where_zh: str
    contact_zh: str
    beneficiaries_en: str = ""
    conditions_en: str = ""
    deadline_en: str = ""
    where_en: str = ""
    contact_en: str = ""
    # added with issue 14: a dated deadline orders the "how to apply" list; materials are what to prepare
    deadline: date | None = Field(default=None, description="last day to apply, when published")
    materials_zh: str = ""
    materials_en: str = ""


PolicyStatus = Literal["active", "announced", "expired", "unverified", "reference"]


class Policy(Provenance):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    name_en: str
    issuer_zh: str
    document_zh: str
    level: Literal["national", "provincial", "city", "other_province"]
    region_zh: str
    status: PolicyStatus = Field(
        description="reference = another province's scheme shown as an example, never applied to Shandong firms; "
        "announced = published in outline, terms pending: shown with what is known, never counted"
    )
    valid_from: date | None = None
    valid_to: date | None = None
    eligibility: dict[str, Any] = Field(description="rule over enterprise.* and item.* facts (engine/rules.py)")
    award: Award
    apply: ApplyInfo
    summary_zh: str
    summary_en: str
    # added with issue 14 (``wendao catalog check`` requires them; see engine/catalog/policy_check.py)
    document_no: str | None = Field(default=None, description="文号, e.g. 财政部 税务总局公告2023年第37号")
    issued: date | None = Field(default=None, description="issue (or publication) date of the document")
    official_url: str | None = Field(default=None, description="the issuing body's own page")
    official_url_missing: str | None = Field(
        default=None, description="why no official page is given (then `source` holds what was read)"
    )
    reposts: list[str] = Field(default_factory=list, description="reposts read beside (or instead of) the original")
    ask_zh: str | None = Field(
        default=None,
        description="a question the enterprise must answer that no profile fact covers (e.g. whether its field is "
        "among those a notice lists): the policy is at most 'to confirm', never counted",
    )
    ask_en: str | None = None


# --- prices for the model-route advisor ------------------------------------------------------------


class ApiPrice(Provenance):
    """Hosted LLM API price per million tokens."""

    id: str
    vendor: str
    model: str
    tier: Literal["small", "medium", "large", "reasoning"]
    currency: Literal["CNY", "USD"]
    input_per_m: float = Field(ge=0)
    output_per_m: float = Field(ge=0)
    cached_input_per_m: float | None = Field(default=None, ge=0)
    context_k: int | None = Field(default=None, ge=1)


class GpuPrice(Provenance):
    """GPU rental per GPU-hour, as a low–high range."""

    id: str
    gpu: str
    memory_gb: int = Field(ge=1)
    bf16_tflops: float | None = Field(default=None, gt=0, description="dense BF16 peak")
    market: Literal["cn", "global"]
    currency: Literal["CNY", "USD"]
    per_hour_low: float = Field(ge=0)
    per_hour_high: float = Field(ge=0)


class HardwarePrice(Provenance):
    """A server or appliance for private deployment, price range in 万元."""

    id: str
    name_zh: str
    name_en: str
    gpu_memory_gb: int = Field(ge=0, description="total GPU (or unified) memory usable for models")
    complete_system: bool = Field(default=True, description="false: a component only (e.g. a bare GPU card)")
    price_low: float = Field(ge=0)
    price_high: float = Field(ge=0)
    serves_zh: str = Field(description="what it is reported to run")


class Rate(Provenance):
    value: float


class PriceTable(Strict):
    api: list[ApiPrice] = Field(min_length=3)
    gpu: list[GpuPrice] = Field(min_length=2)
    hardware: list[HardwarePrice] = Field(min_length=1)
    usd_cny: Rate
    lpr_1y: Rate = Field(description="1-year loan prime rate (fraction), for interest subsidies")


# --- defaults for missing baseline figures and LLM model specs ---------------------------------------

BaselineFigure = Literal[
    "energy_cost_share_of_revenue",
    "quality_loss_share_of_revenue",
    "maintenance_cost_share_of_revenue",
    "inventory_share_of_revenue",
    "inventory_carrying_rate",
    "labour_cost_per_person",
    "rd_cost_share_of_revenue",
    "logistics_cost_share_of_revenue",
    "contribution_margin_rate",
    "engineering_time_share_on_information",
    "inspection_staff_share",
    "production_staff_share",
    "engineering_staff_share",
]


class BaselineDefault(Provenance):
    """A default used when an enterprise leaves a baseline figure empty; always shown as a default."""

    figure: BaselineFigure
    applies_to: str = Field(
        description="'all', an industry group (raw_materials, equipment, consumer, electronics) "
        "or a GB/T 4754 division code"
    )
    value: float = Field(ge=0)
    unit: str


class CountDefault(Provenance):
    """How many units of a kind (lines, key machines, ...) an enterprise has when its profile does not say, by
    size class; always shown as a default."""

    count: Literal["inspection_stations", "production_lines", "key_machines", "process_units", "warehouses"]
    applies_to: str = Field(description="'all', an industry group or a GB/T 4754 division code")
    by_size: dict[SizeClass, int]
    unit: str

    @field_validator("by_size")
    @classmethod
    def _every_size(cls, value: dict[str, int]) -> dict[str, int]:
        if set(value) != set(SIZE_CLASSES) or any(v < 1 for v in value.values()):
            raise ValueError("give a count of at least 1 for every size class")
        return value


class OpenModel(Provenance):
    """Architecture figures of an open-weight LLM used for memory and compute estimates."""

    id: str
    name: str
    params_b: float = Field(gt=0, description="parameters, billions")
    layers: int = Field(ge=1)
    hidden: int = Field(ge=1)
    kv_heads: int = Field(ge=1)
    head_dim: int = Field(ge=1)
    context_k: int = Field(ge=1)
    licence: str


# --- planning design parameters -----------------------------------------------------------------------


class RiskParams(Strict):
    base: float = Field(gt=0, le=1)
    per_maturity_gap_point: float = Field(ge=0, le=1)
    per_missing_system: float = Field(ge=0, le=1)
    ai_kind: float = Field(gt=0, le=1)
    floor: float = Field(gt=0, le=1)


class Provides(Strict):
    systems: list[str] = Field(default_factory=list)
    dimensions: dict[str, int] = Field(default_factory=dict)
    data_kinds: list[DataKind] = Field(
        default_factory=list, description="the kinds of data its data-maturity level is made of"
    )

    def level_for(self, dimension: str, kinds: Collection[str] = ()) -> int:
        """The level it raises ``dimension`` to for a project whose data minimum means ``kinds`` (empty: any
        kind): a data level made of other data gives that project nothing (no fault model learns from
        inspection records)."""
        if dimension == DATA_DIMENSION and kinds and not set(kinds) & set(self.data_kinds):
            return 0
        return self.dimensions.get(dimension, 0)


class Ramp(Provenance):
    """How fast a benefit arrives after go-live: ``first_year_share`` of the yearly benefit in the first four
    quarters, the full benefit after."""

    first_year_share: float = Field(gt=0, le=1)


class SizeScaling(Provenance):
    """How a per-unit price grows with the size of the unit (issue 13, session 3). A per-unit price is written
    for a unit of a firm no larger than ``reference_revenue`` of its size class; a larger unit costs
    (size ÷ reference) ** ``exponent`` times as much, at most ``max_factor`` times, and a smaller one keeps the
    price (never scaled down). Only the scope ``units`` named scale."""

    exponent: float = Field(gt=0, le=1)
    reference_revenue: dict[SizeClass, float] = Field(description="万元 per year, by size class")
    max_factor: float = Field(ge=1)
    units: list[str] = Field(description="the scope units whose per-unit price scales (e.g. unit: process units)")


class SiteScaling(Provenance):
    """How a site-wide scenario's price and roll-out grow for a group above the size its bands were written for
    (issue 13, session 6). A firm with revenue above ``reference_revenue`` counts k = revenue ÷ reference site
    equivalents (rounded). Covering n of them costs band × (a + n × b), with a + b = 1 (one site equivalent costs
    the band) and a + k × b = min(``max_factor``, k ** ``exponent``) (all of them cost the band times the
    cost-capacity factor); the pilot covers one site equivalent and the roll-out ``rollout_share`` of the others
    (and of the other units of a per-unit scope) within the plan."""

    exponent: float = Field(gt=0, le=1)
    reference_revenue: float = Field(gt=0, description="万元 per year: the size one site equivalent stands for")
    max_factor: float = Field(ge=1)
    rollout_share: float = Field(gt=0, le=1, description="share of the units after the pilot a group's roll-out covers")


class PoolCap(Provenance):
    """The most one item (one scenario, all its units covered) may take out of one money pool, as a share."""

    share: float = Field(gt=0, le=1)


class InPlace(Provenance):
    """What is left of a scenario's effect when the enterprise already runs the system it puts in place
    (``Planning.provides``): the firm has taken part of the effect already; the item counts ``share_left``."""

    share_left: float = Field(gt=0, le=1)


class PlanningDefaults(Strict):
    horizon_quarters: int = Field(ge=4, le=40)
    discount_rate: float = Field(ge=0, le=1)


class Planning(Provenance):
    """Design parameters of ranking and scheduling (data/planning.yaml); not statistics."""

    industry_factor: dict[Literal["high", "medium", "low", "none"], float]
    rank_weights: dict[Literal["fit", "pain", "value", "feasibility"], float]
    risk: RiskParams
    max_maturity_gap: int = Field(ge=0, le=100)
    capacity_by_size: dict[SizeClass, int]
    defaults: PlanningDefaults
    provides: dict[str, Provides]
    ramp: Ramp | None = Field(default=None, description="benefit ramp after go-live; None: full from go-live")
    size_scaling: SizeScaling | None = Field(default=None, description="None: costs as the bands give them")
    site_scaling: SiteScaling | None = Field(default=None, description="None: site-wide prices as the bands give them")
    pool_caps: dict[str, PoolCap] = Field(
        default_factory=dict, description="by baseline pool: the most one item may take out of it"
    )
    in_place: InPlace | None = Field(
        default=None, description="the share of an effect counted when the system it puts in place is there already"
    )

    @model_validator(mode="before")
    @classmethod
    def _provides_provenance_is_not_a_scenario(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("provides"), dict):
            data = dict(data)
            data["provides"] = {k: v for k, v in data["provides"].items() if isinstance(v, dict)}
        return data


# --- model-route advisor parameters -------------------------------------------------------------------


class FinetuneMemory(Provenance):
    full_amp: float = Field(gt=0)
    full_bf16: float = Field(gt=0)
    lora_16bit: float = Field(gt=0)
    qlora_8bit: float = Field(gt=0)
    qlora_4bit: float = Field(gt=0)
    # the published table itself, per method: [billions of parameters, GB] at the sizes it lists; the advisor
    # interpolates between them (the per-billion rules above drop the fixed overhead the table includes)
    table: dict[str, list[tuple[float, float]]] = Field(default_factory=dict)


class ServingParams(Provenance):
    bytes_bf16: float = Field(gt=0)
    bytes_int8: float = Field(gt=0)
    bytes_int4: float = Field(gt=0)
    overhead: float = Field(ge=0)
    context_tokens_per_user: int = Field(ge=1)


class ThroughputParams(Provenance):
    qlora_7b_tokens_per_gpu_second: float = Field(gt=0)
    lora_7b_tokens_per_gpu_second: float = Field(gt=0)


class TrainingParams(Provenance):
    epochs: int = Field(ge=1)
    mfu: float = Field(gt=0, le=1)


class EffortParams(Provenance):
    day_rate_yuan_low: float = Field(gt=0)
    day_rate_yuan_high: float = Field(gt=0)
    person_days: dict[str, tuple[float, float]]


class RagParams(Provenance):
    retrieved_tokens: int = Field(ge=0)


class VisionParams(Provenance):
    epochs: int = Field(ge=1)
    images_per_second: float = Field(gt=0)
    training_gpu_memory_gb: float = Field(default=24, gt=0, description="the rented GPU the detector trains on")
    inference_memory_gb: float = Field(default=4, gt=0, description="GPU memory a small detector needs to run")


class EdgeHardware(Provenance):
    """The box next to the line that runs a small vision model (price range in 万元)."""

    name_zh: str
    name_en: str
    price_low: float = Field(ge=0)
    price_high: float = Field(ge=0)


class ModelRouteParams(Strict):
    finetune_memory: FinetuneMemory
    serving: ServingParams
    throughput: ThroughputParams
    training: TrainingParams
    effort: EffortParams
    rag: RagParams
    vision: VisionParams
    edge_hardware: EdgeHardware | None = None
