"""The enterprise profile (DESIGN §3): what an enterprise tells us about itself.

The file form (YAML/JSON) and the web form share this model. Codes are checked against the catalog passed
in the validation context (``{"catalog": LoadedCatalog}``; the bundled catalog by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    StringConstraints,
    Tag,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from wendao.engine.catalog import LoadedCatalog, default_catalog
from wendao.engine.catalog.schema import SizeClass
from wendao.engine.datafile import DataFileError, load_data_file
from wendao.engine.text import Line, Text, printable_line

Qualification = Literal[
    "zjtx",  # 专精特新中小企业
    "little_giant",  # 专精特新"小巨人"企业
    "single_champion",  # 制造业单项冠军
    "high_tech",  # 高新技术企业
    "tech_sme",  # 科技型中小企业
    "chain_leader",  # 链主企业
    "innovative_sme",  # 创新型中小企业
]

QUALIFICATION_NAMES: dict[str, tuple[str, str]] = {
    "zjtx": ("专精特新中小企业", "Specialised and sophisticated SME (专精特新)"),
    "little_giant": ('专精特新"小巨人"企业', 'Specialised and sophisticated "little giant"'),
    "single_champion": ("制造业单项冠军", "Manufacturing single champion"),
    "high_tech": ("高新技术企业", "High-tech enterprise"),
    "tech_sme": ("科技型中小企业", "Technology-based SME"),
    "chain_leader": ("链主企业", "Chain-leader enterprise"),
    "innovative_sme": ("创新型中小企业", "Innovative SME"),
}
_QUALIFICATION_ALIASES = {zh: key for key, (zh, _en) in QUALIFICATION_NAMES.items()} | {
    "专精特新": "zjtx",
    "小巨人": "little_giant",
    "专精特新小巨人": "little_giant",
    '专精特新"小巨人"': "little_giant",
    "单项冠军": "single_champion",
    "高新技术": "high_tech",
    "高企": "high_tech",
    "链主": "chain_leader",
}

# NBS 2017《统计上大中小微型企业划分办法》, industry: (employees X, revenue Y in 万元) lower bounds.
# Large/medium/small must meet BOTH bounds, otherwise drop one class and re-check; micro needs only one
# of X < 20, Y < 300. (NBS answer of 2024-05-24: https://www.stats.gov.cn/hd/lyzx/zxgk/202405/t20240524_1953570.html)
SIZE_THRESHOLDS: tuple[tuple[SizeClass, int, float], ...] = (
    ("large", 1000, 40000.0),
    ("medium", 300, 2000.0),
    ("small", 20, 300.0),
)
# 规模以上工业企业: annual main-business revenue >= 2000万元 since 2011 (国家统计局).
ABOVE_DESIGNATED_SIZE_REVENUE = 2000.0

SIZE_NAMES: dict[str, tuple[str, str]] = {
    "large": ("大型", "large"),
    "medium": ("中型", "medium"),
    "small": ("小型", "small"),
    "micro": ("微型", "micro"),
}


def size_class(employees: int, revenue_wan: float) -> SizeClass:
    """Industrial size class from employees and annual revenue (万元), NBS 2017 rules."""
    for name, min_employees, min_revenue in SIZE_THRESHOLDS:
        if employees >= min_employees and revenue_wan >= min_revenue:
            return name
    return "micro"


def above_designated_size(revenue_wan: float) -> bool:
    """规上: revenue is used as the stand-in for 主营业务收入 (main-business revenue)."""
    return revenue_wan >= ABOVE_DESIGNATED_SIZE_REVENUE


# Bounds of every figure an enterprise enters (file, web form, API). Each is far above any real manufacturer, so
# no true profile is refused, and together they keep every amount the engine derives finite and the solver's
# integer money within 64 bits (tests/engine/test_plan.py plans the largest allowed profile).
# The largest manufacturers in China employ several hundred thousand people (about a million at the very top);
# two million leaves room and fits every database's integer column.
MAX_EMPLOYEES = 2_000_000
# 万元 per year: 10^9 万元 = 10 万亿元, about three times the revenue of China's largest industrial firm.
MAX_MONEY = 1e9
MAX_HOURS_PER_YEAR = 8784  # hours of stoppage cannot exceed the hours of a (leap) year
MAX_COST_PER_HOUR = 1e6  # 万元 per hour of stoppage: 100 亿元 an hour, above a large firm's yearly output
MAX_LABOUR_COST = 1000.0  # 万元 per person-year (1 000 万元): a hundred times the manufacturing average
MAX_NAME_LENGTH = 200  # the Enterprise.name column
MAX_UNITS = 100_000  # lines, machines, stations of one enterprise: far above any real plant
MAX_ITEMS = 50  # pain points, goals, data assets, notes, systems: a profile lists a handful of each
MAX_EVIDENCE_LENGTH = 2000  # figures or a document name backing one answer
MAX_ANSWERS = 500  # the questionnaire has a few dozen questions
_ID_LENGTH = 64  # question and option ids are short codes

Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME_LENGTH), AfterValidator(printable_line)]
_Id = Annotated[str, StringConstraints(max_length=_ID_LENGTH)]
Evidence = Annotated[Text, StringConstraints(max_length=MAX_EVIDENCE_LENGTH)]


class _Model(BaseModel):
    # NaN and infinity are no figures (JSON's 1e400 reads as infinity); every float field refuses them
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


# How a person reads each Baseline figure (zh, en): documents and reasons name figures, never field ids.
FIGURE_NAMES: dict[str, tuple[str, str]] = {
    "annual_energy_cost": ("年能源费用（万元）", "yearly energy bill (10k CNY)"),
    "annual_quality_loss": ("年质量损失（报废、返工、索赔，万元）", "yearly quality loss (scrap, rework, claims; 10k CNY)"),
    "unplanned_downtime_hours": ("年非计划停机小时数", "hours of unplanned stoppage a year"),
    "downtime_cost_per_hour": ("每小时停机损失（万元）", "loss per hour of stoppage (10k CNY)"),
    "inventory_value": ("平均库存金额（万元）", "average inventory (10k CNY)"),
    "inventory_carrying_rate": ("库存持有成本率", "inventory carrying-cost rate"),
    "annual_maintenance_cost": ("年设备维护费用（万元）", "yearly maintenance cost (10k CNY)"),
    "inspection_staff": ("质检人数", "number of inspectors"),
    "production_staff": ("生产人员人数", "number of production workers"),
    "engineering_staff": ("技术人员人数", "number of engineers and technicians"),
    "service_staff": ("客服与售后人数", "number of customer-service and after-sales staff"),
    "labour_cost_per_person": ("人均年人工成本（万元）", "labour cost per person and year (10k CNY)"),
    "annual_logistics_cost": ("年物流费用（万元）", "yearly logistics cost (10k CNY)"),
    "annual_rd_cost": ("年研发费用（万元）", "yearly R&D cost (10k CNY)"),
    "annual_sheet_material_cost": ("年板材采购额（万元）", "yearly sheet-material purchases (10k CNY)"),
    "contribution_margin_rate": ("边际贡献率", "contribution margin rate"),
    # units of deployment (issue 13): how many a scenario can cover
    "production_lines": ("产线数（条）", "production lines"),
    "key_machines": ("关键设备数（台）", "key machines"),
    "inspection_stations": ("人工质检工位数（个）", "manual inspection stations"),
    "process_units": ("主要工艺装置/窑炉数（套）", "main process units or furnaces"),
    "warehouses": ("仓库数（个）", "warehouses"),
}


# Figures profiles once carried and no rule uses: ``defect_rate`` (share of output scrapped or reworked) was
# counted as a given figure but no benefit read it — a defect effect is worth money through the yearly quality
# loss (annual_quality_loss), and no sourced rule turns a rate into that loss (issue 21 item 5).
RETIRED_FIGURES = ("defect_rate",)


class Baseline(_Model):
    """Figures the value model turns KPI effects into money with. All optional; 万元 unless stated."""

    annual_energy_cost: float | None = Field(default=None, ge=0, le=MAX_MONEY, description="energy bill per year, 万元")
    annual_quality_loss: float | None = Field(
        default=None, ge=0, le=MAX_MONEY, description="scrap, rework and claims per year, 万元"
    )
    unplanned_downtime_hours: float | None = Field(
        default=None, ge=0, le=MAX_HOURS_PER_YEAR, description="hours of unplanned stoppage per year"
    )
    downtime_cost_per_hour: float | None = Field(
        default=None, ge=0, le=MAX_COST_PER_HOUR, description="万元 per hour of stoppage"
    )
    inventory_value: float | None = Field(default=None, ge=0, le=MAX_MONEY, description="average inventory, 万元")
    inventory_carrying_rate: float | None = Field(
        default=None, ge=0, le=1, description="carrying cost per year as share"
    )
    annual_maintenance_cost: float | None = Field(default=None, ge=0, le=MAX_MONEY)
    inspection_staff: int | None = Field(default=None, ge=0, le=MAX_EMPLOYEES, description="people doing inspection")
    production_staff: int | None = Field(default=None, ge=0, le=MAX_EMPLOYEES)
    engineering_staff: int | None = Field(default=None, ge=0, le=MAX_EMPLOYEES, description="engineers and technicians")
    service_staff: int | None = Field(
        default=None, ge=0, le=MAX_EMPLOYEES, description="customer service and after-sales"
    )
    labour_cost_per_person: float | None = Field(
        default=None, ge=0, le=MAX_LABOUR_COST, description="万元 per person-year"
    )
    annual_logistics_cost: float | None = Field(default=None, ge=0, le=MAX_MONEY)
    annual_rd_cost: float | None = Field(default=None, ge=0, le=MAX_MONEY)
    annual_sheet_material_cost: float | None = Field(
        default=None, ge=0, le=MAX_MONEY, description="panels and boards bought per year, 万元"
    )
    contribution_margin_rate: float | None = Field(default=None, ge=0, le=1)
    capacity_constrained: bool = Field(default=False, description="demand exceeds capacity: extra output sells")
    # units of deployment (issue 13): None = the default for the division group and size class, shown as such
    production_lines: int | None = Field(default=None, ge=1, le=MAX_UNITS, description="production lines or cells")
    key_machines: int | None = Field(
        default=None, ge=1, le=MAX_UNITS, description="machines whose stoppage stops output"
    )
    inspection_stations: int | None = Field(
        default=None, ge=1, le=MAX_UNITS, description="stations where people inspect parts by eye"
    )
    process_units: int | None = Field(
        default=None, ge=1, le=MAX_UNITS, description="energy-intensive process units, furnaces, kilns"
    )
    warehouses: int | None = Field(default=None, ge=1, le=MAX_UNITS, description="raw-material and product stores")


    @model_validator(mode="before")
    @classmethod
    def _retired(cls, data: Any) -> Any:
        """Profiles stored with a retired figure still load; the figure is dropped (``RETIRED_FIGURES``)."""
        if isinstance(data, dict) and any(k in data for k in RETIRED_FIGURES):
            return {k: v for k, v in data.items() if k not in RETIRED_FIGURES}
        return data


class Constraints(_Model):
    on_premise_only: bool = Field(default=False, description="data may not leave the plant (no public cloud API)")
    notes: list[Line] = Field(default_factory=list, max_length=MAX_ITEMS)


TaxStatus = Literal["standard", "high_tech", "small_low_profit", "no_taxable_income"]
# How a person reads each tax status (zh, en): the web form's choices and the plan's text
TAX_STATUS_NAMES: dict[str, tuple[str, str]] = {
    "standard": ("一般企业（企业所得税税率25%）", "standard (25 % income tax)"),
    "high_tech": ("高新技术企业（减按15%）", "high-tech enterprise (15 %)"),
    "small_low_profit": ("小型微利企业", "small low-profit enterprise"),
    "no_taxable_income": ("目前无应纳税所得额（亏损或弥补以前年度亏损）", "no taxable income at present (losses)"),
}


class FundingFacts(_Model):
    """The facts that decide the most support money (issue 14). Each is optional: an unanswered fact makes the
    policies that need it "to confirm" with the one question that settles it (engine/funding.py
    ``FACT_QUESTIONS``), never counted."""

    tax_status: TaxStatus | None = Field(default=None, description="how the enterprise pays income tax")
    rd_project: bool | None = Field(
        default=None, description="the AI and digital projects are set up as R&D projects with R&D costs kept apart"
    )
    techreno_listed: bool | None = Field(
        default=None, description="the project is in the provincial 技改 project list (技改导向目录项目库)"
    )
    equipment_renewal_listed: bool | None = Field(
        default=None, description="the project is on the national equipment-renewal candidate list (备选项目清单)"
    )
    loan_share: float | None = Field(
        default=None, ge=0, le=1, description="share of the one-off investment paid with a bank loan (0 = none)"
    )
    loan_years: int | None = Field(default=None, ge=1, le=10, description="years to repay the loan")
    special_equipment: bool | None = Field(
        default=None, description="equipment bought is in the energy/water-saving, environmental or safety catalogues"
    )
    model_product: bool | None = Field(
        default=None, description="the enterprise builds a vertical-industry model product for evaluation"
    )
    private: bool | None = Field(default=None, description="a privately owned (民营) enterprise")
    policy_answers: dict[_Id, bool] | None = Field(
        default=None,
        max_length=MAX_ITEMS,
        description="answers to a policy's own question (Policy.ask_zh), by policy id: yes settles it, no rules it out",
    )


Answer = str | list[str]
BusinessModel = Literal["b2b", "b2c", "mixed"]  # sells to firms, to consumers, or both
_BoundedAnswer = Annotated[
    Annotated[_Id, Tag("option")] | Annotated[list[_Id], Field(max_length=MAX_ITEMS), Tag("options")],
    Discriminator(lambda v: "options" if isinstance(v, list) else "option"),
]


class EnterpriseProfile(_Model):
    name: Name
    city: str = Field(description="city id (e.g. jinan) or Chinese name (济南)")
    industry: str = Field(description="GB/T 4754-2017 division C13–C43, optionally a 4-digit class (C3670)")
    chain: str | None = None
    employees: int = Field(ge=0, le=MAX_EMPLOYEES)
    revenue: float = Field(ge=0, le=MAX_MONEY, description="annual revenue, 万元")
    qualifications: list[Qualification] = Field(default_factory=list, max_length=MAX_ITEMS)
    systems: list[str] = Field(default_factory=list, max_length=MAX_ITEMS)
    answers: dict[_Id, _BoundedAnswer] = Field(
        default_factory=dict, max_length=MAX_ANSWERS, description="question id -> option id(s) or 'na'"
    )
    evidence: dict[_Id, Evidence] = Field(
        default_factory=dict, max_length=MAX_ANSWERS, description="question id -> figures or document name"
    )
    pain_points: list[Line] = Field(default_factory=list, max_length=MAX_ITEMS)
    goals: list[Line] = Field(default_factory=list, max_length=MAX_ITEMS)
    budget: float | None = Field(default=None, ge=0, le=MAX_MONEY, description="AI/digital budget per year, 万元")
    # who the enterprise sells to; decides whether a sourced sales-uplift effect applies (DESIGN rule 3). Optional:
    # when absent the plan uses a default by division group (engine/scenarios.py) and says it is a default
    business_model: BusinessModel | None = Field(default=None, description="b2b | b2c | mixed")
    baseline: Baseline = Field(default_factory=Baseline)
    data_assets: list[Line] = Field(default_factory=list, max_length=MAX_ITEMS)
    constraints: Constraints = Field(default_factory=Constraints)
    funding: FundingFacts = Field(default_factory=FundingFacts)
    _in_shandong: bool = PrivateAttr(default=False)  # set from the catalog on validation (``_place``)

    @field_validator("city")
    @classmethod
    def _known_city(cls, value: str, info: ValidationInfo) -> str:
        cities = _catalog(info).catalog.cities
        for c in cities:
            if value in (c.id, c.name_zh, c.name_zh + "市", c.name_en):
                return c.id
        known = "、".join(c.name_zh for c in cities)
        raise PydanticCustomError(
            "unknown_city", "unknown city '{given}'; expected one of {expected} (or 'other')", _told(value, known)
        )

    @field_validator("industry")
    @classmethod
    def _known_industry(cls, value: str, info: ValidationInfo) -> str:
        code = value.strip().upper()
        if not code.startswith("C"):
            code = "C" + code
        division = code[:3]
        codes = {i.code for i in _catalog(info).catalog.industries}
        if division not in codes or len(code) not in (3, 5) or not code[1:].isdigit():
            raise PydanticCustomError(
                "unknown_industry",
                "unknown industry '{given}'; expected a GB/T 4754-2017 manufacturing division C13–C43 "
                "(optionally with its 2-digit class, e.g. C3670)",
                _told(value, "C13–C43"),
            )
        return code

    @field_validator("chain")
    @classmethod
    def _known_chain(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        chains = _catalog(info).catalog.chains
        for c in chains:
            if value in (c.id, c.name_zh):
                return c.id
        known = ", ".join(c.id for c in chains)
        raise PydanticCustomError("unknown_chain", "unknown chain '{given}'; expected one of: {expected}", _told(value, known))

    @field_validator("qualifications", mode="before")
    @classmethod
    def _qualification_aliases(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [_QUALIFICATION_ALIASES.get(v, v) if isinstance(v, str) else v for v in value]
        return value

    @field_validator("systems")
    @classmethod
    def _known_systems(cls, value: list[str], info: ValidationInfo) -> list[str]:
        known = {s.id for s in _catalog(info).catalog.systems}
        out = []
        for v in value:
            code = v.strip().upper()
            if code not in known:
                expected = ", ".join(sorted(known))
                raise PydanticCustomError(
                    "unknown_system", "unknown system '{given}'; expected one of {expected}", _told(v, expected)
                )
            out.append(code)
        return out

    @model_validator(mode="after")
    def _place(self, info: ValidationInfo) -> EnterpriseProfile:
        city = next((c for c in _catalog(info).catalog.cities if c.id == self.city), None)
        self._in_shandong = city is not None and city.in_shandong
        return self

    @property
    def in_shandong(self) -> bool:
        """Registered in one of Shandong's cities, as the catalog the profile was checked against says
        (catalog.schema.City.in_shandong); not part of the profile's data."""
        return self._in_shandong

    @field_validator("pain_points", "goals", mode="before")
    @classmethod
    def _text_or_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @property
    def division(self) -> str:
        return self.industry[:3]

    @property
    def size_class(self) -> SizeClass:
        return size_class(self.employees, self.revenue)

    @property
    def above_designated_size(self) -> bool:
        return above_designated_size(self.revenue)


def _told(given: Any, expected: str) -> dict[str, str]:
    """The context of a code the catalog does not know: the value given and what was expected, so an edge can say
    it in its reader's language (the error's type is the problem's kind; for a list, ``given`` is the entry)."""
    return {"given": str(given), "expected": expected}


def _catalog(info: ValidationInfo) -> LoadedCatalog:
    ctx = info.context or {}
    loaded = ctx.get("catalog")
    return loaded if isinstance(loaded, LoadedCatalog) else default_catalog()


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileProblem:
    """One problem of a profile as a value, for an edge to render in its reader's language: the field's path,
    the kind of problem (pydantic's error type, e.g. ``less_than_equal``), the limit it broke (the bound, the
    longest length) and the value given, shortened."""

    loc: tuple[str, ...]
    kind: str
    limit: Any = None
    given: str | None = None


class ProfileError(Exception):
    """A profile file could not be read; ``problems`` names every field with what was expected (one line each,
    for the CLI and the API) and ``details`` holds the same problems as values (empty for a file error)."""

    def __init__(self, problems: list[str], details: list[ProfileProblem] | None = None) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
        self.details = details or []


class ProfileFileError(ProfileError):
    """The file itself cannot be read (missing, not UTF-8, too large, YAML aliases, not YAML/JSON): one
    problem, one line."""


def _given_text(given: Any) -> str:
    """The value given, as a reader should see it: a number too large to write out in 15 digits in the short
    scientific form (PostgreSQL's JSON hands 1e308 back as an integer of 309 digits), anything else shortened."""
    if isinstance(given, int | float | Decimal) and not isinstance(given, bool):
        try:
            number = float(given)
        except OverflowError:  # an integer beyond any float: its order of magnitude is what matters
            return f"1e+{len(str(abs(int(given)))) - 1}"
        if abs(number) >= 1e15:
            return f"{number:.3g}"
    return _shorter(str(given))


def parse_profile(data: Any, catalog: LoadedCatalog | None = None) -> EnterpriseProfile:
    try:
        return EnterpriseProfile.model_validate(data, context={"catalog": catalog or default_catalog()})
    except ValidationError as exc:
        problems = []
        details = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "(profile)"
            ctx = err.get("ctx") or {}
            given = ctx.get("given", err.get("input"))
            shown = "" if isinstance(given, dict | list) else f" (given: {_shorter(repr(given))})"
            problems.append(f"{loc}: {err['msg']}{shown}")
            limit = next((ctx[k] for k in ("le", "ge", "lt", "gt", "max_length", "min_length") if k in ctx), None)
            details.append(
                ProfileProblem(
                    loc=tuple(str(p) for p in err["loc"]),
                    kind=err["type"],
                    limit=limit,
                    given=None if isinstance(given, dict | list) else _given_text(given),
                )
            )
        raise ProfileError(problems, details) from None


def _shorter(text: str, most: int = 80) -> str:
    """An echoed input cut short: a 100 000-character name is not sent back whole in the error."""
    return text if len(text) <= most else text[: most - 1] + "…"


def read_profile_file(path: Path) -> Any:
    """Raw data of a YAML or JSON profile file (parsing only; validation is parse_profile). Read with
    ``datafile.load_data_file``: at most 1 MB, no YAML aliases, each refusal one ``ProfileFileError`` line."""
    try:
        data = load_data_file(path)
    except DataFileError as exc:
        raise ProfileFileError([str(exc)]) from None
    if not isinstance(data, dict):
        raise ProfileError([f"{path}: expected a mapping of profile fields at the top level"])
    return data


def load_profile(path: Path, catalog: LoadedCatalog | None = None) -> EnterpriseProfile:
    return parse_profile(read_profile_file(path), catalog)
