"""Ask wendao: a participant's question -> what is asked -> an answer composed from the engine's facts.

The question is read in simplified characters (OpenCC) and routed by cues (data/search/ask_intents.yaml) to one
kind, in the issue's order: cost_down, model_route, funding, eligibility, scenarios, cases, unknown. Each kind
answers from one part of the engine — the plan's money pools and items, the model-route advisor, the funding
view and policy rules, scenario search, the case library — with the enterprise's own figures when a profile or
plan is given. Every answer lists its sources and the enterprise figures it used; nothing is invented: where
the engine has no fact the answer says so and where to ask. Answers are in the question's language (a question
in traditional characters is answered in simplified).

Optional phrasing by a language model (engine/ask_llm.py) only rewrites the text composed here; its numbers are
checked against the facts before it is shown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field

from wendao.engine.ask_route import prepare, route
from wendao.engine.cases import RELIABILITY_NAMES, Case, cases_for, nearest_cases
from wendao.engine.catalog import LoadedCatalog
from wendao.engine.catalog.schema import Policy, Scenario
from wendao.engine.funding import counted_by_policy, facts
from wendao.engine.modelroute import Route, UseCase, advise_routes
from wendao.engine.plan import Plan
from wendao.engine.profile import QUALIFICATION_NAMES, SIZE_NAMES, EnterpriseProfile
from wendao.engine.reasons import render_reason
from wendao.engine.rules import Checked, Failure, check
from wendao.engine.scenarios import money_en, money_range_en
from wendao.engine.search import (
    Match,
    ScenarioSearch,
    content_text,
    is_chinese,
    script_of,
    shared_embedder,
    to_simplified,
)

AskKind = Literal["cost_down", "model_route", "funding", "eligibility", "scenarios", "cases", "unknown"]
KINDS: tuple[AskKind, ...] = ("cost_down", "model_route", "funding", "eligibility", "scenarios", "cases", "unknown")
Language = Literal["zh", "en"]

INTENTS_FILE = Path(__file__).resolve().parent.parent / "data" / "search" / "ask_intents.yaml"
MAX_QUESTION_CHARS = 500  # a question, not a document: longer text is refused at the edge with this limit

# a need told in the firm's words is answered with scenarios only when search found words it shares with a
# scenario (min-max fused scores alone always give a first place a score of 1); one shared word ("培训" in a
# question about the course's certificates) is not enough
MIN_MATCHED_TERMS = 2  # words and synonym groups (Match.evidence)
# English words are stems matched on the English fields, where one common word ("match", "rate") says little
MIN_MATCHED_WORDS_EN = 2

WHERE_TO_ASK_ZH = "可以问项目组织方、授课专家，或所在县（市、区）工业和信息化部门"
WHERE_TO_ASK_EN = (
    "ask the programme's organisers, the lecturers, or the industry and information technology bureau of your county"
)

# --- the answer -------------------------------------------------------------------------------------------------


class AskSource(BaseModel):
    kind: Literal["scenario", "policy", "case", "prices", "plan", "guide"]
    id: str
    title: str
    url: str | None = None
    as_of: str | None = None
    reliability: str | None = None


class AskFigure(BaseModel):
    """One figure of the enterprise the answer used (from its profile or its plan)."""

    name: str
    value: float | str
    unit: str = Field(default="", description="the unit as a reader reads it, in the answer's language (万元, 10k CNY)")
    # added 2026-12 (docs/ask.md, "Figures and their units"); empty in answers stored before it
    unit_code: str = Field(
        default="",
        description="the unit as a code, the same in every language: wan_cny (10,000 CNY), wan_cny_per_year, people, "
        "documents, images, records; empty for a figure without a unit",
    )
    origin: Literal["profile", "plan", "engine"]
    text: str = ""  # the value as the answer prints it (number_text: 1,615 rather than 1615.0)
    # the value with its unit in the answer's language ("1,615 万元/年", "CNY 16,150,000 a year"); empty in
    # answers stored before it, which print text and unit
    shown: str = ""


class AskScenario(BaseModel):
    id: str
    name: str
    parent_name: str | None = None
    score: float | None = None
    why: str = ""
    in_plan: bool = False
    annual_benefit: float | None = Field(default=None, description="万元 per year, median, from the plan")
    one_off: float | None = Field(default=None, description="万元, median, from the plan")
    payback_months: float | None = None


class AskRoute(BaseModel):
    route: str
    name: str
    usable: bool
    why_not: list[str] = Field(default_factory=list)
    model: str | None = None
    one_off_wan: tuple[float, float]
    monthly_wan: tuple[float, float]
    total_wan: tuple[float, float]
    months: int
    gpu_memory_gb: float | None = None
    hardware: str | None = None


class AskPolicy(BaseModel):
    id: str
    name: str
    status: str
    eligible: bool | None = Field(description="None: not checked (no profile)")
    counted: float = Field(default=0, description="万元 the plan counts from it")
    possible: float = Field(default=0, description="万元 the firm may still confirm (not counted)")
    missing: list[str] = Field(default_factory=list, description="conditions not met, in the answer's language")
    where: str = ""
    deadline: str = ""


class AskCase(BaseModel):
    id: str
    enterprise: str
    place: str
    division: str
    size: str
    done: str
    outcomes: list[str]
    why: str
    reliability: str
    source: str
    as_of: str
    note: str | None = None


class Answer(BaseModel):
    question: str
    language: Language
    script: str
    kind: AskKind
    enterprise: str | None = None
    text: str
    paragraphs: list[str]
    scenarios: list[AskScenario] = Field(default_factory=list)
    routes: list[AskRoute] = Field(default_factory=list)
    policies: list[AskPolicy] = Field(default_factory=list)
    cases: list[AskCase] = Field(default_factory=list)
    figures: list[AskFigure] = Field(default_factory=list)
    sources: list[AskSource] = Field(default_factory=list)
    phrased_by: str = "template"


class QuestionError(ValueError):
    """A question that cannot be asked (empty, too long); the message names the limit."""

    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.code, self.zh, self.en = code, zh, en


# --- context --------------------------------------------------------------------------------------------------


@dataclass
class AskContext:
    """What the answer may draw on. ``plan`` carries the enterprise's figures; ``profile`` its data assets and
    constraints; both optional (a question asked without them gets catalog facts and says what would sharpen it)."""

    loaded: LoadedCatalog
    search: ScenarioSearch | None = None
    profile: EnterpriseProfile | None = None
    plan: Plan | None = None
    cases: Sequence[Case] | None = None
    today: date = field(default_factory=date.today)

    def case_library(self) -> Sequence[Case]:
        return self.cases if self.cases is not None else cases_for(self.loaded)


# --- routing --------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _intents() -> tuple[tuple[AskKind, re.Pattern[str], re.Pattern[str]], ...]:
    raw = yaml.safe_load(INTENTS_FILE.read_text(encoding="utf-8"))
    out = []
    for entry in raw["kinds"]:
        kind = entry["kind"]
        if kind not in KINDS:
            raise ValueError(f"{INTENTS_FILE.name}: unknown kind {kind!r}")
        zh = re.compile("|".join(f"(?:{p})" for p in entry["zh"]), re.IGNORECASE)
        en = re.compile("|".join(f"(?:{p})" for p in entry["en"]), re.IGNORECASE)
        out.append((kind, zh, en))
    return tuple(out)


def prepare_ask(search: ScenarioSearch | None) -> None:
    """Get everything a first question needs ready now rather than on that question: the router's example
    questions embedded (about 120 texts: 23 s in a fresh process with an empty embedding cache on a busy machine,
    docs/bench/ask.json ``first_ask``), the cue words read, OpenCC and the question-word pattern loaded."""
    _intents()
    content_text("预热")
    prepare(shared_embedder() if search is not None and search.uses_embeddings else None)


def language_of(question: str) -> Language:
    return "zh" if is_chinese(question) else "en"


def cue_kind(question: str) -> AskKind | None:
    """The kind a question's cue words name, or None when it names none (a need, or something else)."""
    text = to_simplified(question).lower()
    for kind, zh, en in _intents():
        if zh.search(text) or en.search(text):
            return kind
    return None


def check_question(question: str) -> str:
    text = question.strip()
    if not text:
        raise QuestionError("empty", "请输入问题。", "Please type a question.")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(
            "too_long",
            f"问题最多 {MAX_QUESTION_CHARS} 个字，现在是 {len(text)} 个字。",
            f"A question has at most {MAX_QUESTION_CHARS} characters; this one has {len(text)}.",
        )
    return text


# --- formatting -----------------------------------------------------------------------------------------------


def number_text(x: float) -> str:
    """A figure as the answers print it: whole above 100, else up to one decimal (two below 1)."""
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:,.1f}".rstrip("0").rstrip(".") if abs(x) >= 1 else f"{x:.2f}".rstrip("0").rstrip(".") or "0"


# a figure's unit in English, and whether it is money given in 万元 (shown as "CNY 200,000"); counts need no unit
# beside their name ("documents 120")
_FIGURE_UNITS_EN = {
    "万元": ("", True),
    "万元/年": ("a year", True),
    "人": ("", False),
    "份": ("", False),
    "张": ("", False),
    "条": ("", False),
}


# a figure's unit as the API's code (AskFigure.unit_code), the same whatever the answer's language
UNIT_CODES = {
    "万元": "wan_cny",
    "万元/年": "wan_cny_per_year",
    "人": "people",
    "份": "documents",
    "张": "images",
    "条": "records",
    "": "",
}


class _Writer:
    def __init__(self, lang: Language) -> None:
        self.lang = lang
        self.paragraphs: list[str] = []
        self.figures: list[AskFigure] = []
        self.sources: dict[str, AskSource] = {}

    @property
    def en(self) -> bool:
        return self.lang == "en"

    def t(self, zh: str, en: str) -> str:
        return en if self.en else zh

    def say(self, zh: str, en: str) -> None:
        self.paragraphs.append(self.t(zh, en))

    def wan(self, x: float) -> str:
        return money_en(x) if self.en else f"{number_text(x)} 万元"

    def figure(
        self, zh: str, en: str, value: float | str, unit: str, origin: Literal["profile", "plan", "engine"]
    ) -> None:
        name = self.t(zh, en)
        if not any(f.name == name and f.value == value for f in self.figures):
            shown = round(value, 2) if isinstance(value, (int, float)) else value
            text = number_text(value) if isinstance(value, (int, float)) else value
            unit_en, money = _FIGURE_UNITS_EN.get(unit, (unit, False))
            if not self.en:
                display = f"{text} {unit}".rstrip()
            elif money and isinstance(value, (int, float)):
                display = f"{money_en(value)} {unit_en}".rstrip()
            else:
                display = f"{text} {unit_en}".rstrip()
            self.figures.append(
                AskFigure(
                    name=name,
                    value=shown,
                    unit=unit if not self.en else ("10k CNY" + unit_en.replace("a year", "/year") if money else unit_en),
                    unit_code=UNIT_CODES[unit],
                    origin=origin,
                    text=text,
                    shown=display,
                )
            )

    def source(self, src: AskSource) -> None:
        self.sources.setdefault(f"{src.kind}:{src.id}", src)

    def name(self, obj: Any) -> str:
        return str(obj.name_en if self.en else obj.name_zh)


def _scenario_source(w: _Writer, s: Scenario) -> None:
    kpi = next((k for k in s.kpi_effects if k.source), None)
    w.source(
        AskSource(
            kind="scenario",
            id=s.id,
            title=w.name(s),
            url=kpi.source if kpi else None,
            as_of=kpi.as_of.isoformat() if kpi and kpi.as_of else None,
            reliability=kpi.reliability if kpi else "estimate",
        )
    )


def _plan_source(w: _Writer, plan: Plan) -> None:
    w.source(
        AskSource(
            kind="plan",
            id="plan",
            title=w.t(f"{plan.enterprise.name} 的问道方案", f"wendao plan of {plan.enterprise.name}"),
            as_of=plan.generated_for.isoformat(),
        )
    )


def _policy_source(w: _Writer, p: Policy) -> None:
    w.source(
        AskSource(
            kind="policy",
            id=p.id,
            title=w.name(p),
            url=p.source,
            as_of=p.as_of.isoformat() if p.as_of else None,
            reliability=p.reliability,
        )
    )


# --- the use case ---------------------------------------------------------------------------------------------


def ask(question: str, ctx: AskContext) -> Answer:
    """Answer one question (kind, text, structured parts, figures used, sources)."""
    text = check_question(question)
    lang = language_of(text)
    w = _Writer(lang)
    found: list[list[Match]] = []

    def search_once() -> list[Match]:
        # search only where the router or the answer reads it (a need told in words, the item a cost question
        # names, cases), and once
        if not found:
            searchable = ctx.search is not None and content_text(text).strip()
            found.append(ctx.search.match(text, top=5, families=True) if searchable and ctx.search else [])
        return found[0]

    embedder = shared_embedder() if ctx.search is not None and ctx.search.uses_embeddings else None
    routed = route(text, cue_kind(text), embedder, lambda: max((m.evidence for m in search_once()), default=0))
    kind: AskKind = routed.kind
    matches: list[Match] = []
    if kind in ("funding", "cases"):
        least = MIN_MATCHED_TERMS if lang == "zh" else MIN_MATCHED_WORDS_EN
        matches = [m for m in search_once() if m.evidence >= least]
    elif kind == "scenarios":
        # the router asked for one shared word where the question reads as a need by meaning, two without it
        least = 1 if routed.scores else MIN_MATCHED_TERMS
        matches = [m for m in search_once() if m.evidence >= least]
    answer_kind: AskKind = kind
    parts: dict[str, Any] = {}
    if kind == "cost_down":
        parts = _cost_down(w, ctx)
    elif kind == "model_route":
        parts = _model_route(w, ctx, text)
    elif kind == "funding":
        parts = _funding(w, ctx, matches)
    elif kind == "eligibility":
        parts = _eligibility(w, ctx, text)
    elif kind == "cases":
        parts = _cases(w, ctx, matches)
    elif kind == "scenarios":
        parts = _scenarios(w, ctx, matches)
    else:
        parts = _unknown(w, ctx, matches)
    return Answer(
        question=text,
        language=lang,
        script=script_of(text),
        kind=answer_kind,
        enterprise=ctx.plan.enterprise.name if ctx.plan else (ctx.profile.name if ctx.profile else None),
        text="\n".join(w.paragraphs),
        paragraphs=w.paragraphs,
        figures=w.figures,
        sources=list(w.sources.values()),
        **parts,
    )


# --- cost down on an automated line ---------------------------------------------------------------------------

# MIIT scenarios that take cost out of a running, already automated line (issue 15: process optimisation,
# energy, predictive maintenance, vision inspection, scheduling); shown from the catalog when no plan is given
COST_DOWN_SCENARIOS = (
    "process_dynamic_optimisation",
    "advanced_process_control",
    "energy_management",
    "equipment_fault_prediction",
    "online_inspection",
    "workshop_scheduling",
)


UPLIFT_POOLS = frozenset({"annual_contribution_margin"})


def _cost_down(w: _Writer, ctx: AskContext) -> dict[str, Any]:
    plan = ctx.plan
    by_id = {s.id: s for s in ctx.loaded.catalog.scenarios}
    if plan is None or not plan.pools:
        w.say(
            "还没有贵企业的方案，下面是已自动化产线上通常还能降本的场景（行业公开数据，不是贵企业的数字）；"
            "填写企业档案并生成方案后，会按贵企业各项成本的大小给出具体金额。",
            "There is no plan for your firm yet. These are the scenarios that usually still cut cost on an automated "
            "line (published figures, not yours); fill in the profile and build a plan to get your own amounts.",
        )
        out = []
        for sid in COST_DOWN_SCENARIOS:
            s = by_id[sid]
            kpi = s.kpi_effects[0]
            metric = next((m for m in ctx.loaded.catalog.metrics if m.id == kpi.metric), None)
            metric_name = w.name(metric) if metric else kpi.metric
            w.say(
                f"· {s.name_zh}：{metric_name} 改善 {number_text(kpi.low * 100)}%–{number_text(kpi.high * 100)}%（中位 {number_text(kpi.median * 100)}%）",
                f"· {s.name_en}: {metric_name} better by {number_text(kpi.low * 100)}%–{number_text(kpi.high * 100)}% "
                f"(median {number_text(kpi.median * 100)}%)",
            )
            _scenario_source(w, s)
            out.append(AskScenario(id=s.id, name=w.name(s)))
        return {"scenarios": out}

    _plan_source(w, plan)
    e = plan.enterprise
    systems = "、".join(e.systems) if e.systems else w.t("无", "none")
    w.say(
        f"{e.name}：已有系统 {systems}。先看钱在哪里——按方案核算的各项成本（万元/年），"
        "以及方案已安排的项目从中能拿出多少、还剩多少：",
        f"{e.name}: systems already in place: {', '.join(e.systems) or 'none'}. Where the money is — your cost "
        "pools as the plan computes them (CNY a year), what the planned items take out of each, and what is left:",
    )
    # a cost question: the sales margin is not a cost pool (it grows with sales, not cut)
    pools = sorted((p for p in plan.pools if p.pool not in UPLIFT_POOLS), key=lambda p: -(p.annual - p.saving.median))
    item_names = {i.scenario: w.name(i) for i in plan.items}
    for p in pools[:5]:
        left = max(0.0, p.annual - p.saving.median)
        acting = "、".join(item_names.get(s, s) for s in p.items) if p.items else w.t("暂无项目", "no item yet")
        w.say(
            f"· {p.name_zh}：{number_text(p.annual)} 万元/年；方案拿出 {number_text(p.saving.low)}–{number_text(p.saving.high)}"
            f"（中位 {number_text(p.saving.median)}），剩余约 {number_text(left)}；作用项目：{acting}",
            f"· {p.name_en}: {money_en(p.annual)} a year; the plan takes out "
            f"{money_range_en(p.saving.low, p.saving.high)} (median {money_en(p.saving.median)}), about {money_en(left)} left; "
            f"items: {acting}",
        )
        w.figure(p.name_zh, p.name_en, p.annual, "万元/年", "plan")
    # the scenarios that act on the largest remaining pools and are not yet in the roadmap, nor the same family as a
    # planned item: an AI scenario is a way of doing its MIIT parent, so the two act on the same money (Zibo's answer
    # offered 能源智能管控 beside its planned 能耗预测与优化, counting the energy pool twice)
    in_plan = {i.scenario for i in plan.items}
    family = in_plan | {by_id[sid].parent for sid in in_plan if sid in by_id and by_id[sid].parent}
    candidates: list[tuple[float, Any, str]] = []
    for p in pools[:3]:
        for r in plan.scenarios:
            parent = by_id[r.id].parent if r.id in by_id else None
            if r.id in family or (parent and parent in in_plan) or r.fit.industry == "none":
                continue
            # one that does not pay back within the plan's horizon is no next step to cut cost (Zibo's answer offered
            # 产品虚拟验证 at 172 months): only a positive median NPV is offered
            if r.valuation.npv.median <= 0:
                continue
            # nor one whose systems the firm already runs (Zibo, with IIOT and SCADA, was offered 设备联网与数据采集):
            # the question is about the line being automated already, and that is what the firm has covered
            if r.valuation.in_place:
                continue
            on_pool = sum(ln.annual.median for ln in r.valuation.lines if ln.counted and ln.baseline.key == p.pool)
            if on_pool > 0:
                candidates.append((on_pool, r, p.name_en if w.en else p.name_zh))
    candidates.sort(key=lambda c: -c[0])
    scenarios: list[AskScenario] = []
    if candidates:
        w.say(
            "还可以加上的、作用在剩余最大几项成本上的场景：",
            "Scenarios that act on the largest pools left and are not yet planned:",
        )
    seen: set[str] = set()
    for on_pool, r, pool_name in candidates:
        if r.id in seen or len(seen) >= 4:
            continue
        seen.add(r.id)
        v = r.valuation
        payback = _payback(w, v.payback_months)
        w.say(
            f"· {r.name_zh}（{pool_name}）：每年约省 {number_text(on_pool)} 万元，一次性投入约 {number_text(v.one_off.median)} 万元，{payback}",
            f"· {r.name_en} ({pool_name}): saves about {money_en(on_pool)} a year for about "
            f"{money_en(v.one_off.median)} one-off; {payback}",
        )
        if r.id in by_id:
            _scenario_source(w, by_id[r.id])
        scenarios.append(
            AskScenario(
                id=r.id,
                name=w.name(r),
                why=pool_name,
                annual_benefit=round(on_pool, 2),
                one_off=v.one_off.median,
                payback_months=v.payback_months,
            )
        )
    if plan.items:
        w.say("方案里已安排的项目（按开工顺序）：", "Items already in the plan (by start):")
        for i in plan.items[:6]:
            w.say(
                f"· {i.label_zh}：一次性 {number_text(i.one_off)} 万元，年收益约 {number_text(i.annual_benefit.median)} 万元，{_payback(w, i.payback_months)}",
                f"· {i.label_en}: {money_en(i.one_off)} one-off, about {money_en(i.annual_benefit.median)} a year; "
                f"{_payback(w, i.payback_months)}",
            )
            scenarios.append(
                AskScenario(
                    id=i.scenario,
                    name=w.name(i),
                    in_plan=True,
                    annual_benefit=i.annual_benefit.median,
                    one_off=i.one_off,
                    payback_months=i.payback_months,
                )
            )
            if i.scenario in by_id:
                _scenario_source(w, by_id[i.scenario])
    return {"scenarios": scenarios}


def _payback(w: _Writer, months: float | None) -> str:
    if months is None:
        return w.t("规划期内不回本", "no payback within the horizon")
    return w.t(f"约 {number_text(months)} 个月回本", f"pays back in about {number_text(months)} months")


# --- customising a model at minimal cost -----------------------------------------------------------------------

_TASK_CUES: tuple[tuple[str, str], ...] = (
    (r"视觉|图像|图片|缺陷|外观|瑕疵|vision|image|defect|camera", "visual_inspection"),
    (r"报告|撰写|文案|起草|周报|日报|report|draft", "report_drafting"),
    (r"预测|需求|销量|forecast|demand", "forecasting"),
    (r"代码|编程|plc|程序|code|program", "code"),
    (r"分类|抽取|单据|合同|发票|classif|extract|invoice|contract", "classification_extraction"),
)
TASK_NAMES: dict[str, tuple[str, str]] = {
    "document_qa": (
        "文档知识问答（工艺、手册、故障记录）",
        "question answering over documents (process, manuals, fault records)",
    ),
    "report_drafting": ("报告与文案生成", "report drafting"),
    "forecasting": ("预测", "forecasting"),
    "code": ("代码与PLC编程助手", "code and PLC programming assistant"),
    "classification_extraction": ("单据分类与信息抽取", "classification and extraction"),
    "visual_inspection": ("视觉检测", "visual inspection"),
}
_ON_PREMISE = re.compile(
    r"私有化|本地部署|本地化|不出厂|不能上云|数据安全|保密|内网|on.?prem|on.?site|air.?gap", re.IGNORECASE
)
_ASSET_COUNT = re.compile(r"(\d[\d,，]*)\s*(份|篇|本|页|个文件|条|张|幅|images?|documents?|records?)", re.IGNORECASE)


def use_case_for(question: str, profile: EnterpriseProfile | None) -> tuple[UseCase, list[tuple[str, str]]]:
    """The model use case a question implies, sized from the firm's own data assets where they give counts;
    returns the use case and the assumptions made (zh, en)."""
    text = to_simplified(question).lower()
    task = next((t for pattern, t in _TASK_CUES if re.search(pattern, text)), "document_qa")
    documents = examples = images = 0
    for asset in profile.data_assets if profile else []:
        for number, unit in _ASSET_COUNT.findall(to_simplified(asset)):
            n = int(re.sub(r"[,，]", "", number))
            if unit in ("份", "篇", "本", "个文件") or unit.lower().startswith("document"):
                documents += n
            elif unit in ("条",) or unit.lower().startswith("record"):
                examples += n
            elif unit in ("张", "幅") or unit.lower().startswith("image"):
                images += n
    assumptions: list[tuple[str, str]] = []
    # wendao's planning defaults where the profile gives no count (as engine/plan.py costs model routes)
    if task == "document_qa" and not documents:
        documents = 500
        assumptions.append(
            ("按约500份文档估算（档案未写文档数量）", "assumes about 500 documents (the profile gives no count)")
        )
    if task == "visual_inspection" and not images:
        images = 2000
        assumptions.append(("按2000张标注图片估算", "assumes 2,000 labelled images"))
    if not examples:
        examples = 1000
        if task in ("classification_extraction", "forecasting"):
            assumptions.append(("按1000条标注样本估算", "assumes 1,000 labelled examples"))
    on_premise = bool(_ON_PREMISE.search(text)) or bool(profile and profile.constraints.on_premise_only)
    use_case = UseCase(
        name=TASK_NAMES[task][0],
        task=task,
        documents=documents,
        training_examples=examples,
        images=images,
        on_premise=on_premise,
    )
    return use_case, assumptions


def _model_route(w: _Writer, ctx: AskContext, question: str) -> dict[str, Any]:
    uc, assumptions = use_case_for(question, ctx.profile)
    advice = advise_routes(uc, ctx.loaded)
    zh, en = TASK_NAMES[uc.task]
    usable = sorted((r for r in advice.routes if r.usable), key=lambda r: (r.total_yuan.low, r.total_yuan.high))
    unusable = [r for r in advice.routes if not r.usable]
    basis_zh = [f"用途：{zh}"]
    basis_en = [f"use: {en}"]
    assumed = " ".join(a for a, _ in assumptions)
    if ctx.profile is not None:  # counts read from the firm's data assets (a default is an assumption instead)
        if uc.task == "document_qa" and "文档" not in assumed:
            basis_zh.append(f"文档约 {uc.documents} 份")
            basis_en.append(f"about {uc.documents} documents")
            w.figure("文档数量", "documents", uc.documents, "份", "profile")
        if uc.task == "visual_inspection" and "图片" not in assumed:
            w.figure("图片数量", "images", uc.images, "张", "profile")
        if uc.task in ("classification_extraction", "forecasting") and "样本" not in assumed:
            w.figure("记录/样本数量", "records / examples", uc.training_examples, "条", "profile")
    basis_zh.append("数据不出厂（私有化部署）" if uc.on_premise else "可以使用云端接口")
    basis_en.append("data stays on site (private deployment)" if uc.on_premise else "a cloud API is allowed")
    basis_zh += [a for a, _ in assumptions]
    basis_en += [b for _, b in assumptions]
    w.say(
        "按最低总成本排列、且可行的定制路线（" + "；".join(basis_zh) + f"；{uc.months} 个月总成本）：",
        "Sound routes, cheapest total first (" + "; ".join(basis_en) + f"; total over {uc.months} months):",
    )
    routes: list[AskRoute] = []
    for r in usable[:3]:
        routes.append(_route(w, r, uc.months))
        hardware = (r.hardware_en or r.hardware) if w.en else r.hardware
        w.say(
            f"· {r.name_zh}{'（模型：' + r.model + '）' if r.model else ''}：一次性 {_range_wan(r.one_off_yuan)}，"
            f"每月 {_range_wan(r.monthly_yuan)}，{uc.months} 个月合计 {_range_wan(r.total_yuan)}"
            + (f"；显存约 {r.gpu_memory_gb:.0f} GB，硬件：{hardware}" if r.gpu_memory_gb and hardware else ""),
            f"· {r.name_en}{' (model: ' + r.model + ')' if r.model else ''}: one-off {_range_wan(r.one_off_yuan, en=True)}, "
            f"monthly {_range_wan(r.monthly_yuan, en=True)}, {uc.months}-month total {_range_wan(r.total_yuan, en=True)}"
            + (
                f"; GPU memory about {r.gpu_memory_gb:.0f} GB, hardware: {hardware}"
                if r.gpu_memory_gb and hardware
                else ""
            ),
        )
    for r in unusable[:3]:
        routes.append(_route(w, r, uc.months))
        zh_reason = render_reason(r.why_not[0], "zh") if r.why_not else ""
        en_reason = render_reason(r.why_not[0], "en") if r.why_not else ""
        w.say(f"✗ {r.name_zh}：{zh_reason}", f"✗ {r.name_en}: {en_reason}")
    if not usable:
        w.say("按这些条件没有可行路线。", "No route is sound under these conditions.")
    w.say("；".join(advice.notes), "; ".join(advice.notes_en))
    w.source(
        AskSource(
            kind="prices",
            id="prices",
            title=w.t("问道价格表（API、GPU、硬件）", "wendao price table (API, GPU, hardware)"),
            as_of=advice.price_table_as_of,
        )
    )
    for r in usable[:3]:
        for working in r.workings:
            for url in re.findall(r"https?://[^\s,;)）]+", working):
                w.source(AskSource(kind="prices", id=url, title=r.name_en if w.en else r.name_zh, url=url))
    return {"routes": routes}


def _range_wan(r: Any, en: bool = False) -> str:
    """A route's price range given in 元: “0.5–1.2 万元”, or in English “CNY 5,000–12,000” (to the yuan below
    CNY 100, where an API bill of some yuan a month is not "CNY 0")."""
    lo, hi = r.low / 10_000, r.high / 10_000
    if en:
        digits = 4 if 0 < hi < 0.01 else 2
        return money_range_en(lo, hi, digits)
    if 0 < hi < 0.005:  # an API bill of some yuan a month is not "0 万元"
        return "<0.01 万元"
    return f"{number_text(lo)} 万元" if number_text(lo) == number_text(hi) else f"{number_text(lo)}–{number_text(hi)} 万元"


def _route(w: _Writer, r: Route, months: int) -> AskRoute:
    return AskRoute(
        route=r.route,
        name=w.name(r),
        usable=r.usable,
        why_not=[render_reason(x, "en" if w.en else "zh") for x in r.why_not],
        model=r.model,
        one_off_wan=(round(r.one_off_yuan.low / 1e4, 2), round(r.one_off_yuan.high / 1e4, 2)),
        monthly_wan=(round(r.monthly_yuan.low / 1e4, 2), round(r.monthly_yuan.high / 1e4, 2)),
        total_wan=(round(r.total_yuan.low / 1e4, 2), round(r.total_yuan.high / 1e4, 2)),
        months=months,
        gpu_memory_gb=r.gpu_memory_gb,
        hardware=(r.hardware_en or r.hardware) if w.en else r.hardware,
    )


# --- cost and who pays --------------------------------------------------------------------------------------------


def _funding(w: _Writer, ctx: AskContext, matches: list[Match]) -> dict[str, Any]:
    plan = ctx.plan
    policies = {p.id: p for p in ctx.loaded.policies}
    if plan is None:
        w.say(
            "还没有贵企业的方案，算不出要花多少钱；生成方案后这里会给出投资、补贴和自筹。下面是山东企业可以关注的政策：",
            "There is no plan for your firm yet, so the cost cannot be computed; once a plan is built this shows the "
            "investment, the support and your own share. Policies a Shandong firm may look at:",
        )
        listed = [
            p
            for p in ctx.loaded.policies
            if p.status in ("active", "unverified") and p.level in ("national", "provincial", "city")
        ][:8]
        for p in listed:
            w.say(f"· {p.name_zh}：{p.summary_zh}", f"· {p.name_en}: {p.summary_en}")
            _policy_source(w, p)
        return {"policies": [AskPolicy(id=p.id, name=w.name(p), status=p.status, eligible=None) for p in listed]}

    _plan_source(w, plan)
    m = plan.money
    focus = None
    planned = {i.scenario: i for i in plan.items}
    for match in matches[:2]:
        if match.id in planned:
            focus = planned[match.id]
            break
        if match.parent in planned:
            focus = planned[match.parent]
            break
    years = len(plan.spend_by_year)
    w.say(
        f"要花多少：方案共 {len(plan.items)} 个项目，一次性投资 {number_text(m.one_off)} 万元，每年运行费用约 {number_text(m.annual_running)} 万元"
        f"（{years} 年分年投入：" + "、".join(number_text(x) for x in plan.spend_by_year) + " 万元）。",
        f"What it costs: {len(plan.items)} items, {money_en(m.one_off)} one-off and about {money_en(m.annual_running)} "
        f"a year to run (spend by year over {years} years: "
        + ", ".join(money_en(x) for x in plan.spend_by_year)
        + ").",
    )
    w.figure("一次性投资", "one-off investment", m.one_off, "万元", "plan")
    w.figure("每年运行费用", "running cost a year", m.annual_running, "万元/年", "plan")
    w.figure("年度预算", "yearly budget", plan.enterprise.budget, "万元/年", "profile")
    none = m.subsidy <= 0 and plan.who_pays is not None  # "0 万元" alone read as "nothing to be had"
    w.say(
        f"谁来出：已计入的政府补助 {number_text(m.subsidy)} 万元"
        + ("（暂无按规则可计入的补助；下面列出的政策确认后才可能计入）" if none else "")
        + f"，企业自筹 {number_text(m.net_one_off)} 万元（年度预算 {number_text(plan.enterprise.budget)} 万元）。",
        f"Who pays: government grants counted {money_en(m.subsidy)}"
        + (" (none can be counted by rule yet; the policies below may count once confirmed)" if none else "")
        + f"; the firm pays {money_en(m.net_one_off)} (yearly budget {money_en(plan.enterprise.budget)}).",
    )
    w.figure("已计入补贴", "support counted", m.subsidy, "万元", "plan")
    w.figure("企业自筹", "the firm's own share", m.net_one_off, "万元", "plan")
    if focus is not None:
        w.say(
            f"其中「{focus.name_zh}」：一次性 {number_text(focus.one_off)} 万元，补贴 {number_text(focus.subsidy)} 万元，自筹 {number_text(focus.net_one_off)} 万元。",
            f"Of which {focus.name_en}: {money_en(focus.one_off)} one-off, {money_en(focus.subsidy)} support, "
            f"{money_en(focus.net_one_off)} own share.",
        )
    if plan.who_pays is None:  # a plan stored before the who-pays view: the items' own policy outcomes
        return {"policies": _funding_from_items(w, plan, policies)}
    return {"policies": _funding_from_who_pays(w, plan, policies)}


def _counted_line(w: _Writer, pid: str, pol: Policy, amount: float) -> AskPolicy:
    """One counted policy of the funding answer, said with its source."""
    w.say(f"· 已计入：{pol.name_zh} {number_text(amount)} 万元", f"· counted: {pol.name_en} {money_en(amount, 2)}")
    _policy_source(w, pol)
    return AskPolicy(id=pid, name=w.name(pol), status=pol.status, eligible=True, counted=round(amount, 2))


def _funding_from_items(w: _Writer, plan: Plan, policies: dict[str, Policy]) -> list[AskPolicy]:
    """Counted and possible support per policy from the items' outcomes (plans without ``who_pays``)."""
    counted: dict[str, float] = {}
    possible: dict[str, float] = {}
    where: dict[str, tuple[str, str]] = {}
    for item in plan.items:
        for pid, amount in counted_by_policy(item.funding).items():
            counted[pid] = counted.get(pid, 0) + amount
        for o in item.funding.eligible:
            if not o.counted and o.amount > 0:
                possible[o.policy] = possible.get(o.policy, 0) + o.amount
            where[o.policy] = (
                (o.apply.where_en or o.apply.where_zh) if w.en else o.apply.where_zh,
                ((o.apply.deadline_en or o.apply.deadline_zh) if w.en else o.apply.deadline_zh),
            )
    out: list[AskPolicy] = []
    for pid, amount in sorted(counted.items(), key=lambda kv: -kv[1]):
        pol = policies.get(pid)
        if pol is None or amount <= 0:
            continue
        out.append(_counted_line(w, pid, pol, amount))
    confirm = [(pid, a) for pid, a in sorted(possible.items(), key=lambda kv: -kv[1]) if pid not in counted]
    if confirm:
        w.say(
            "还可以去确认的（符合已知条件，但政策状态或条件需企业向主管部门确认，未计入上面的数字）：",
            "Still to confirm (the known conditions are met, but the policy's status or terms must be confirmed with "
            "the bureau; not in the figures above):",
        )
    for pid, amount in confirm[:5]:
        pol = policies.get(pid)
        if pol is None:
            continue
        place, deadline = where.get(pid, ("", ""))
        place = place or _unstated(w, pol)
        w.say(
            f"· {pol.name_zh}：最多约 {number_text(amount)} 万元；申报：{place}",
            f"· {pol.name_en}: up to about {money_en(amount)}; apply: {place}",
        )
        _policy_source(w, pol)
        out.append(
            AskPolicy(
                id=pid,
                name=w.name(pol),
                status=pol.status,
                eligible=True,
                possible=round(amount, 2),
                where=place,
                deadline=deadline,
            )
        )
    return out


# why a policy the plan lists is not counted, by the reason's key (zh, en)
_NOT_COUNTED: dict[str, tuple[str, str]] = {
    "unverified": ("条款尚待核实", "its terms are not yet verified"),
    "selective": ("经评审或限额遴选", "it is awarded by review or quota"),
    "ends": ("政策在项目开始前到期，需确认是否延续", "it ends before the project starts: confirm it is extended"),
    "unstated": ("按规则未计入", "not counted by rule"),
}
_VERDICT_RANK = {"counted": 0, "to_confirm": 1, "possible": 2}


def _funding_from_who_pays(w: _Writer, plan: Plan, policies: dict[str, Policy]) -> list[AskPolicy]:
    """The plan's funding view, as its who-pays section has it (issue 15): what is counted (grants, tax savings), then
    each policy the firm may still confirm with its amount and what is missing to confirm it (the question to answer,
    or why it is not counted), then the policies that publish no amount for a firm or whose terms are pending."""
    from wendao.engine.financing import quarter_start

    wp = plan.who_pays
    assert wp is not None
    tax = sum(i.tax for i in wp.items)  # as the counted lines below add up (worth at the year of the spending)
    if tax > 0.005:
        w.say(
            f"另计入税收减免 {number_text(tax)} 万元（按投资当年的价值计；在次年汇算清缴时少缴，不减少一次性投资）。",
            f"Tax savings counted besides: {money_en(tax, 2)} (worth at the year of the spending; paid less at the "
            "next year's settlement, so the one-off investment is not reduced).",
        )
        w.figure("计入的税收减免", "tax savings counted", tax, "万元", "plan")
    # one entry per policy over the items: its best verdict, its amount, the questions and the reasons not counted
    by_policy: dict[str, dict[str, Any]] = {}
    for item in wp.items:
        start = quarter_start(plan.generated_for, item.start_quarter)
        for ln in item.lines:
            if round(ln.amount, 2) <= 0:
                continue
            e = by_policy.setdefault(
                ln.policy, {"line": ln, "verdict": ln.verdict, "amount": 0.0, "asks": {}, "why": {}}
            )
            e["amount"] += ln.amount
            if _VERDICT_RANK.get(ln.verdict, 3) < _VERDICT_RANK.get(e["verdict"], 3):
                e["verdict"] = ln.verdict
            for zh, en in zip(ln.confirm_zh, ln.confirm_en, strict=True):
                e["asks"][zh] = en
            if ln.verdict == "possible":
                if ln.valid_to is not None and ln.valid_to < start:
                    e["why"]["ends"] = None
                if ln.status != "active":
                    e["why"]["unverified"] = None
                if ln.selective:
                    e["why"]["selective"] = None
                if not (e["why"] or ln.confirm_zh):
                    e["why"]["unstated"] = None
    ordered = sorted(by_policy.items(), key=lambda kv: (_VERDICT_RANK.get(kv[1]["verdict"], 3), -kv[1]["amount"]))
    out: list[AskPolicy] = []
    counted = [(pid, e) for pid, e in ordered if e["verdict"] == "counted"]
    for pid, e in counted:
        pol = policies.get(pid)
        if pol is None:
            continue
        out.append(_counted_line(w, pid, pol, e["amount"]))
    rest = [(pid, e) for pid, e in ordered if e["verdict"] != "counted" and pid in policies]
    if rest:
        w.say(
            f"方案列出的、企业还可以去确认的支持（{len(rest)} 项，未计入上面的数字；确认后才可能计入）：",
            f"Support the plan lists that the firm may still confirm ({len(rest)}; not in the figures above, and "
            "counted only once confirmed):",
        )
    shown = 6
    for pid, e in rest[:shown]:
        pol = policies[pid]
        # one label per kind of gap: "需回答：A？B？；未计入原因：X，且Y", not the label again before each
        missing_zh = ([f"需回答：{''.join(e['asks'])}"] if e["asks"] else []) + (
            [f"未计入原因：{'，且'.join(_NOT_COUNTED[k][0] for k in e['why'])}"] if e["why"] else []
        )
        missing_en = ([f"to answer: {' '.join(e['asks'].values())}"] if e["asks"] else []) + (
            [f"not counted because {' and '.join(_NOT_COUNTED[k][1] for k in e['why'])}"] if e["why"] else []
        )
        place = w.t(pol.apply.where_zh, pol.apply.where_en or pol.apply.where_zh) or _unstated(w, pol)
        w.say(
            f"· {pol.name_zh}：约 {number_text(e['amount'])} 万元；" + "；".join(missing_zh) + f"；申报：{place}",
            f"· {pol.name_en}: about {money_en(e['amount'], 2)}; " + "; ".join(missing_en) + f"; apply: {place}",
        )
        _policy_source(w, pol)
        out.append(
            AskPolicy(
                id=pid,
                name=w.name(pol),
                status=pol.status,
                eligible=True,
                possible=round(e["amount"], 2),
                missing=missing_en if w.en else missing_zh,
                where=place,
                deadline=w.t(pol.apply.deadline_zh, pol.apply.deadline_en or pol.apply.deadline_zh),
            )
        )
    if len(rest) > shown:
        names = [policies[pid] for pid, _ in rest[shown:]]
        w.say(
            f"另有 {len(names)} 项：" + "、".join(p.name_zh for p in names) + "（见方案“谁来出钱”）。",
            f"{len(names)} more: " + "; ".join(p.name_en for p in names) + " (see the plan's Who pays).",
        )
    watch = [*wp.other, *wp.announced]
    if watch:
        w.say(
            f"还有 {len(watch)} 项政策未公布对企业的金额或条款待定，不计金额：" + "、".join(n.name_zh for n in watch)
            + "（申报途径见方案“谁来出钱”）。",
            f"{len(watch)} more policies publish no amount for a firm or have terms pending, so no amount is given: "
            + "; ".join(n.name_en for n in watch)
            + " (how to apply: the plan's Who pays).",
        )
    return out


# --- can we apply for X ---------------------------------------------------------------------------------------------

FIELD_NAMES: dict[str, tuple[str, str]] = {
    "enterprise.city": ("所在城市", "city"),
    "enterprise.in_shandong": ("注册在山东", "registered in Shandong"),
    "enterprise.size_class": ("企业规模", "size class"),
    "enterprise.above_designated_size": ("规模以上工业企业", "above designated size"),
    "enterprise.industry": ("行业大类", "industry division"),
    "enterprise.qualifications": ("企业资质", "qualifications"),
    "enterprise.employees": ("从业人数", "employees"),
    "enterprise.revenue": ("营业收入（万元）", "revenue (10k CNY)"),
    "enterprise.chain": ("所属产业链", "industrial chain"),
    "item.scenario": ("项目场景", "the project's scenario"),
    "item.kind": ("项目类型", "the project's type"),
    "item.stage": ("项目环节", "the project's stage"),
    "item.buys": ("项目所购内容", "what the project buys"),
    "item.one_off": ("项目一次性投资（万元）", "the project's one-off cost (10k CNY)"),
    "item.model_route": ("模型路线", "the model route"),
    "enterprise.tax_status": ("企业所得税身份", "income-tax status"),
    "enterprise.rd_project": (
        "项目按研发项目立项、单独归集费用",
        "the projects run as R&D projects with costs kept apart",
    ),
    "enterprise.techreno_listed": ("项目纳入省级技改项目库", "the project is in the provincial renovation list"),
    "enterprise.equipment_renewal_listed": (
        "项目进入国家设备更新备选项目清单",
        "the project is on the national equipment-renewal list",
    ),
    "enterprise.loan_financing": ("投资部分用银行贷款支付", "part of the investment is paid with a bank loan"),
    "enterprise.special_equipment": (
        "所购设备列入节能节水、环保或安全生产专用设备目录",
        "the equipment is in the energy, environment or safety equipment catalogues",
    ),
    "enterprise.model_product": (
        "企业开发垂直行业大模型产品并送国家级机构评测",
        "the firm builds a vertical model product for national evaluation",
    ),
    "enterprise.private": ("民营企业", "privately owned"),
}
BUY_NAMES: dict[str, tuple[str, str]] = {
    "compute": ("算力", "compute"),
    "equipment": ("设备", "equipment"),
    "software": ("软件", "software"),
    "services": ("服务", "services"),
    "data": ("数据", "data"),
}
OP_NAMES: dict[str, tuple[str, str]] = {
    "eq": ("须为", "must be"),
    "ne": ("不能是", "must not be"),
    "in": ("须属于", "must be one of"),
    "not_in": ("不能属于", "must not be one of"),
    "gt": ("须大于", "must exceed"),
    "gte": ("须不少于", "must be at least"),
    "lt": ("须小于", "must be below"),
    "lte": ("须不超过", "must be at most"),
    "contains": ("须包含", "must include"),
    "contains_any": ("须包含其一", "must include one of"),
    "is_true": ("须满足", "must hold"),
    "is_false": ("须不满足", "must not hold"),
}


# a project's type and model route as a reader names them: "模型路线须为lora（现为：private_llm）" was the rule's code
KIND_NAMES: dict[str, tuple[str, str]] = {
    "ai": ("人工智能项目", "an AI project"),
    "miit": ("数字化项目（工信部场景）", "a digital project (MIIT scenario)"),
}
ROUTE_NAMES: dict[str, tuple[str, str]] = {
    "none": ("不用模型", "no model"),
    "hosted_api": ("调用云端大模型接口", "calling a hosted model API"),
    "rag": ("现成大模型加企业资料检索（RAG）", "an off-the-shelf model answering from the firm's documents (RAG)"),
    "lora": ("用企业数据训练（微调）自己的模型", "training (fine-tuning) the firm's own model on its data"),
    "small_task_model": ("训练专用小模型", "training a small task model"),
    "classical_ml": ("传统机器学习模型", "a classical machine-learning model"),
    "optimisation_solver": ("优化求解器", "an optimisation solver"),
    "private_llm": ("私有化部署现成大模型", "a privately deployed off-the-shelf model"),
}


def _value_name(w: _Writer, value: Any, loaded: LoadedCatalog) -> str:
    if isinstance(value, (list, tuple, set, frozenset)):
        if not value:
            return w.t("无", "none")
        return w.t("、", ", ").join(_value_name(w, v, loaded) for v in value)
    if isinstance(value, bool):
        return w.t("是" if value else "否", "yes" if value else "no")
    if isinstance(value, str):
        cities = {c.id: c for c in loaded.catalog.cities}
        industries = {i.code: i for i in loaded.catalog.industries}
        scenarios = {x.id: x for x in loaded.catalog.scenarios}
        if value in scenarios:
            return w.name(scenarios[value])
        for table in (SIZE_NAMES, QUALIFICATION_NAMES, BUY_NAMES, KIND_NAMES, ROUTE_NAMES):
            if value in table:
                zh, en = table[value]
                return w.t(zh, en)
        if value in cities:
            return w.name(cities[value])
        if value in industries:
            return w.name(industries[value])
        return value
    if isinstance(value, (int, float)):
        return number_text(float(value))
    return w.t("（未填写）", "(not given)")


def describe_failure(w: _Writer, f: Failure, loaded: LoadedCatalog) -> str:
    zh, en = FIELD_NAMES.get(f.field, ("其他条件", "another condition"))
    op_zh, op_en = OP_NAMES.get(f.op, ("须满足", "must satisfy"))
    expected, actual = _value_name(w, f.expected, loaded), _value_name(w, f.actual, loaded)
    if f.op in ("is_true", "is_false"):
        if f.actual is None:  # a yes/no fact the profile has not answered: to confirm, not failed
            return w.t(f"须确认：{zh}（档案中未填写）", f"to confirm: {en} (not given in the profile)")
        return w.t(f"{zh}{op_zh}（现为：{actual}）", f"{en} {op_en} (now: {actual})")
    return w.t(f"{zh}{op_zh}{expected}（现为：{actual}）", f"{en} {op_en} {expected} (now: {actual})")


About = Literal["enterprise", "project", "either"]


def describe_failed_rule(
    w: _Writer, checked: Checked, loaded: LoadedCatalog, nested: bool = False
) -> list[tuple[About, str, str]]:
    """The failed conditions of a checked eligibility rule as lines a person reads, each as (what it is about: the
    enterprise, the project, or either when its routes are of both, a key that names the condition without the
    current value, the text): an ``all`` gives each failed part its own line; an ``any`` (alternative routes) gives
    ONE line naming every route, so two routes do not read as two requirements."""
    if checked.holds:
        return []
    if checked.kind == "all":
        return [line for part in checked.parts for line in describe_failed_rule(w, part, loaded, nested)]
    failures = checked.failures()
    if checked.kind == "any":
        routes = [lines for part in checked.parts if (lines := describe_failed_rule(w, part, loaded, True))]
        if len(routes) == 1:
            return routes[0]
        of_enterprise = {f.field.startswith("enterprise.") for f in failures}
        about: About = "either" if len(of_enterprise) == 2 else "enterprise" if True in of_enterprise else "project"
        texts = [w.t("，且", ", and ").join(text for _, _, text in lines) for lines in routes]
        key = "any(" + "|".join(k for lines in routes for _, k, _ in lines) + ")"
        if nested:  # a choice inside a route: one clause in brackets
            text = w.t("（", "(") + w.t("或", " or ").join(texts) + w.t("）", ")")
        else:
            text = w.t("以下任一即可：", "any one of: ") + w.t("；或", "; or ").join(texts)
        return [(about, key, text)]
    return [
        (
            "enterprise" if f.field.startswith("enterprise.") else "project",
            f"{f.field} {f.op} {f.expected!r}",
            describe_failure(w, f, loaded),
        )
        for f in failures
    ]


def find_policies(question: str, policies: Sequence[Policy]) -> list[Policy]:
    """The policies a question names: those sharing the most Chinese bigrams (or English words) with the question,
    beyond the words every policy name has; several when they tie (the same scheme in two batches)."""
    zh = is_chinese(question)

    def grams(s: str) -> set[str]:
        if zh:
            s = re.sub(r"[^\u4e00-\u9fff]", "", to_simplified(s))
            return {s[i : i + 2] for i in range(len(s) - 1)}
        return set(re.findall(r"[a-z]{4,}", s.lower()))

    q = grams(content_text(question))
    generic = grams("山东省政策项目申请申报补贴奖励资金支持" if zh else "shandong support subsidy programme policy")
    scored = []
    for p in policies:
        shared = (q & grams(p.name_zh if zh else p.name_en)) - generic
        if len(shared) >= 2:
            scored.append((len(shared), p))
    if not scored:
        return []
    best = max(n for n, _ in scored)
    return sorted((p for n, p in scored if n == best), key=lambda p: p.id)[:3]


def _unstated(w: _Writer, policy: Policy) -> str:
    """Where to apply when the policy's page does not say: its issuer, named, rather than an empty 申报：."""
    return w.t(f"未写明，请向发文单位（{policy.issuer_zh}）确认", f"not stated; ask the issuer ({policy.issuer_zh})")


def _status(w: _Writer, policy: Policy) -> str:
    zh = {"active": "有效", "expired": "已过期", "unverified": "未核实，条件以年度申报通知为准"}
    en = {"active": "in force", "expired": "expired", "unverified": "not verified; the yearly notice decides"}
    return w.t(zh.get(policy.status, policy.status), en.get(policy.status, policy.status))


def _eligibility(w: _Writer, ctx: AskContext, question: str) -> dict[str, Any]:
    applicable = [p for p in ctx.loaded.policies if p.status != "reference"]
    chosen = find_policies(question, applicable)
    if not chosen:
        w.say(
            "没能从问题里确定是哪一项政策，请写出政策名称再问一次。问道收录的、山东企业可关注的政策有：",
            "wendao could not tell which policy the question means; ask again naming it. Policies it holds for "
            "Shandong firms:",
        )
        listed = [p for p in applicable if p.status in ("active", "unverified")][:6]
        for p in listed:
            w.say(f"· {p.name_zh}", f"· {p.name_en}")
            _policy_source(w, p)
        return {"policies": [AskPolicy(id=p.id, name=w.name(p), status=p.status, eligible=None) for p in listed]}
    out = [_check_policy(w, ctx, p) for p in chosen]
    if ctx.profile is not None:
        w.figure("从业人数", "employees", ctx.profile.employees, "人", "profile")
        w.figure("营业收入", "revenue", ctx.profile.revenue, "万元", "profile")
    return {"policies": out}


def _check_policy(w: _Writer, ctx: AskContext, policy: Policy) -> AskPolicy:
    _policy_source(w, policy)
    apply = policy.apply
    where = ((apply.where_en or apply.where_zh) if w.en else apply.where_zh) or _unstated(w, policy)
    deadline = ((apply.deadline_en or apply.deadline_zh) if w.en else apply.deadline_zh) or w.t(
        "未写明（以年度申报通知为准）", "not stated (see the year's call)"
    )
    profile = ctx.profile
    if profile is None:
        w.say(
            f"{policy.name_zh}（{_status(w, policy)}）。申报对象：{apply.beneficiaries_zh}；条件：{apply.conditions_zh}"
            "。填写企业档案后问道可以逐条核对。",
            f"{policy.name_en} ({_status(w, policy)}). For: {apply.beneficiaries_en or apply.beneficiaries_zh}; "
            f"conditions: {apply.conditions_en or apply.conditions_zh}. With your profile wendao checks them one by one.",
        )
        return AskPolicy(
            id=policy.id, name=w.name(policy), status=policy.status, eligible=None, where=where, deadline=deadline
        )
    # the enterprise's conditions once; the project's conditions against each planned item (or the best ranked)
    by_id = {s.id: s for s in ctx.loaded.catalog.scenarios}
    plan = ctx.plan
    items = [(by_id[i.scenario], i.one_off) for i in (plan.items if plan else []) if i.scenario in by_id]
    if not items and plan:
        items = [(by_id[r.id], r.valuation.one_off.median) for r in plan.scenarios[:5] if r.id in by_id]
    enterprise_missing: dict[str, str] = {}
    project_missing: dict[str, str] = {}
    fits: list[str] = []
    either = False  # a line whose routes are of both the firm and the item
    for scenario, one_off in items or [(next(iter(by_id.values())), 0.0)]:
        item_facts = facts(profile, scenario, one_off)
        checked = check(policy.eligibility, item_facts)
        if checked.holds:
            fits.append(w.name(scenario))
            continue
        for about, key, text in describe_failed_rule(w, checked, ctx.loaded):
            (enterprise_missing if about == "enterprise" else project_missing).setdefault(key, text)
            either = either or about == "either"
    w.say(f"{policy.name_zh}（{_status(w, policy)}）：", f"{policy.name_en} ({_status(w, policy)}):")
    if enterprise_missing:
        w.say("贵企业还不满足或尚待确认的条件：", "Conditions your firm does not meet yet or must confirm:")
        for text in enterprise_missing.values():
            w.say(f"· {text}", f"· {text}")
        if project_missing and not fits:
            w.say("此外，方案中没有符合项目条件的项目：", "Besides, no planned item meets the project conditions:")
            for text in list(project_missing.values())[:4]:
                w.say(f"· {text}", f"· {text}")
    elif fits and items:
        w.say(
            "企业条件满足；方案中符合项目条件的有：" + "、".join(fits) + "。",
            "The firm's conditions are met; planned items that fit: " + ", ".join(fits) + ".",
        )
    elif fits:
        w.say("企业条件满足。", "The firm's conditions are met.")
    else:
        if either:  # a condition the firm or an item may meet (the relending tool: a firm list, or a listed project)
            w.say("贵企业或方案中的项目还需满足以下条件：", "Your firm, or a planned item, still needs to meet:")
        else:
            w.say(
                "企业条件满足，但方案中没有符合项目条件的项目：",
                "The firm's conditions are met, but no planned item fits:",
            )
        for text in list(project_missing.values())[:4]:
            w.say(f"· {text}", f"· {text}")
    w.say(f"申报：{where}；截止：{deadline}", f"Apply: {where}; deadline: {deadline}")
    return AskPolicy(
        id=policy.id,
        name=w.name(policy),
        status=policy.status,
        eligible=bool(fits) and not enterprise_missing,
        missing=list(enterprise_missing.values()) + ([] if fits else list(project_missing.values())[:4]),
        where=where,
        deadline=deadline,
    )


# --- need -> scenarios ----------------------------------------------------------------------------------------------


def _scenarios(w: _Writer, ctx: AskContext, matches: list[Match]) -> dict[str, Any]:
    by_id = {s.id: s for s in ctx.loaded.catalog.scenarios}
    ranked = {r.id: r for r in ctx.plan.scenarios} if ctx.plan else {}
    planned = {i.scenario for i in ctx.plan.items} if ctx.plan else set()
    if ctx.plan:
        _plan_source(w, ctx.plan)
    w.say("与这个问题最相关的场景：", "The scenarios closest to what you describe:")
    out: list[AskScenario] = []
    for m in matches:
        parent = (m.parent_name_en if w.en else m.parent_name_zh) or None
        words = w.t("、", ", ").join(m.matched)
        why = w.t(f"匹配：{words}", f"matched: {words}")
        r = ranked.get(m.id)
        line_zh = f"· {m.name_zh}" + (f"（属于 {m.parent_name_zh}）" if m.parent_name_zh else "") + f"——{why}"
        line_en = f"· {m.name_en}" + (f" (part of {m.parent_name_en})" if m.parent_name_en else "") + f" — {why}"
        s = AskScenario(id=m.id, name=m.name_en if w.en else m.name_zh, parent_name=parent, score=m.score, why=why)
        if r is not None:
            v = r.valuation
            s.annual_benefit, s.one_off, s.payback_months = v.annual_benefit.median, v.one_off.median, v.payback_months
            s.in_plan = m.id in planned
            line_zh += (
                f"；对贵企业：年收益约 {number_text(v.annual_benefit.median)} 万元，一次性约 {number_text(v.one_off.median)} 万元"
                + ("，已在方案中" if s.in_plan else "")
            )
            line_en += (
                f"; for your firm: about {money_en(v.annual_benefit.median)} a year for {money_en(v.one_off.median)} one-off"
                + (", already in the plan" if s.in_plan else "")
            )
        w.say(line_zh, line_en)
        if m.id in by_id:
            _scenario_source(w, by_id[m.id])
        out.append(s)
    return {"scenarios": out}


# --- who has done this ------------------------------------------------------------------------------------------------


def _cases(w: _Writer, ctx: AskContext, matches: list[Match]) -> dict[str, Any]:
    # the need the question names (two or more shared words, not a stray one), and the plan's own items
    wanted = [m.id for m in matches[:3] if len(m.matched) >= 2]
    if ctx.plan:
        wanted += [i.scenario for i in ctx.plan.items]
    if not wanted and ctx.plan:
        wanted = [r.id for r in ctx.plan.scenarios[:5]]
    division = size = None
    if ctx.plan:
        division, size = ctx.plan.enterprise.industry[:3], ctx.plan.enterprise.size_class
    elif ctx.profile:
        division, size = ctx.profile.division, ctx.profile.size_class
    library = ctx.case_library()
    near = nearest_cases(library, ctx.loaded, wanted, division, size, top=4) if wanted else []
    if not near:
        near = nearest_cases(
            library, ctx.loaded, [c for case in library for c in case.scenarios], division, size, top=3
        )
        w.say(
            "问道的案例库里还没有与这些场景对应的已发表案例；下面是库中与贵企业行业、规模最接近的案例。"
            "更多案例可查工业和信息化部智能制造优秀场景名单和省工信厅发布的典型案例。",
            "wendao's case library has no published case for these scenarios yet; these are the nearest by industry "
            "and size. More in MIIT's lists of excellent smart-manufacturing scenarios and the provincial typical cases.",
        )
    else:
        w.say(
            "已发表的真实案例（同场景优先，其次同行业、同规模）：",
            "Published real cases (same scenario first, then industry, then size):",
        )
    out = []
    for n in near:
        c = n.case
        rel_zh, rel_en = RELIABILITY_NAMES[c.reliability]
        place = "".join(x for x in (c.province_zh, c.city_zh or "") if x)
        outcomes = c.outcomes_en if w.en else c.outcomes_zh
        results = (
            w.t("；".join(outcomes), "; ".join(outcomes))
            if outcomes
            else w.t("来源未公开效果数字", "no outcome figure published")
        )
        enterprise = c.enterprise_en if w.en else c.enterprise_zh
        w.say(
            f"· {c.enterprise_zh}（{place}）：{c.done_zh} 效果：{results}。［{rel_zh}，{c.as_of.isoformat()}］",
            f"· {c.enterprise_en} ({place}): {c.done_en} Results: {results}. [{rel_en}, {c.as_of.isoformat()}]",
        )
        w.source(
            AskSource(
                kind="case",
                id=c.id,
                title=enterprise,
                url=c.source,
                as_of=c.as_of.isoformat(),
                reliability=c.reliability,
            )
        )
        industries = {i.code: i for i in ctx.loaded.catalog.industries}
        out.append(
            AskCase(
                id=c.id,
                enterprise=enterprise,
                place=place,
                division=w.name(industries[c.division]) if c.division in industries else c.division,
                size=w.t(*SIZE_NAMES[c.size]) if c.size in SIZE_NAMES else w.t("规模未公开", "size not published"),
                done=c.done_en if w.en else c.done_zh,
                outcomes=list(outcomes),
                why=n.why_en if w.en else n.why_zh,
                reliability=rel_en if w.en else rel_zh,
                source=c.source,
                as_of=c.as_of.isoformat(),
                note=c.note,
            )
        )
    if division:
        industries = {i.code: i for i in ctx.loaded.catalog.industries}
        w.figure(
            "行业大类",
            "industry division",
            w.name(industries[division]) if division in industries else division,
            "",
            "profile",
        )
    if size:
        w.figure("企业规模", "size class", w.t(*SIZE_NAMES[size]) if size in SIZE_NAMES else size, "", "profile")
    return {"cases": out}


# --- anything else ------------------------------------------------------------------------------------------------------


def _unknown(w: _Writer, ctx: AskContext, matches: list[Match]) -> dict[str, Any]:
    w.say(
        f"问道不知道这个问题的答案：它只回答企业智能化改造的降本、模型定制、费用与补贴、政策条件、场景和案例。{WHERE_TO_ASK_ZH}。",
        f"wendao does not know the answer: it answers on cost cuts, customising models, cost and funding, policy "
        f"conditions, scenarios and cases for a plant's AI transformation. You can {WHERE_TO_ASK_EN}.",
    )
    return {}
