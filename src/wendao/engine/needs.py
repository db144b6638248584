"""Needs first (DESIGN rule 4): every stated pain point and goal gets an answer, and the enterprise's own
choices bind the roadmap.

- ``stated_needs`` matches each pain point and goal to scenarios once, with the plan's search rule (a
  scenario answers a need when it is among the need's top ``MATCH_TOP`` results scoring at least
  ``PAIN_MATCH_THRESHOLD``); ``pain_index`` turns the matches into what ranking and the optimiser use.
- A goal that *names* a project ("用大模型把维修手册和故障记录变成问答助手") is honoured: its scenario is pinned
  unless the enterprise drops it or it cannot be scheduled, and then the reason is specific.
- ``solve_with_choices`` runs the roadmap with the pinned and dropped scenarios, falls back from a named goal
  that cannot fit (never from the enterprise's own pin: that is an error the user sees), and prices the
  choices against the unconstrained optimum in NPV.
- ``answer_needs`` gives every need the roadmap items that address it, or why none does (the scenario that
  would, and what blocks it) and the cheapest next step that would make it possible.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from wendao.engine.budget import (
    as_wan,
    budget_to_tell,
    fits_yearly_budget,
    least_yearly_spend,
    over_limit,
    spend_units,
)
from wendao.engine.profile import FIGURE_NAMES, EnterpriseProfile
from wendao.engine.roadmap import (
    Candidate,
    Problem,
    Roadmap,
    optimise_roadmap,
    standalone_value,
    valid_starts,
)
from wendao.engine.roadmap_cashflow import StartRow, start_table, yearly_spend_units
from wendao.engine.roadmap_explain import explained, pin_timing_note
from wendao.engine.roadmap_fallbacks import comparison_fallbacks
from wendao.engine.scenarios import RankedScenario, money_en
from wendao.engine.stages import ROLLOUT

PAIN_MATCH_THRESHOLD = 0.75  # fused search score above which a scenario is said to answer a stated need
MATCH_TOP = 5  # ... when it is also among the need's first five results
# A need no chosen item addresses is answered by the scenario, among its matches and the related results
# (top five, at least this score), whose next step costs least ("订单忽多忽少，不知道该备多少货" → AI需求预测 at 0.58
# rather than 生产进度跟踪 at 0.89, which needs a 70 万元 infrastructure project first on a 15 万元 budget)
RELATED_SCORE = 0.55
# A goal names a project when its best match is near-certain and far ahead of the next one. Measured on the
# example goals: "用大模型把维修手册和故障记录变成问答助手" 0.97 vs 0.69, "建设企业私有部署的大模型知识库" 1.00 vs
# 0.56, "先把进销存管起来" 1.00 vs 0.34 name one project; "三年内把设备综合效率提高到75%以上" 0.85 vs 0.80 and
# "单位产品综合能耗下降8%" 0.98 vs 0.96 state a target that several projects serve.
NAMED_SCORE = 0.9
NAMED_LEAD = 0.2
# A goal stating a measurable target (a number, a share, "三分之一", "翻番") names an outcome several projects serve,
# not a project, however close one scenario's words are: "交付周期缩短三分之一" scored 0.97 on 工厂数字化规划设计 and was
# pinned as if it named it (session 5, read in the plausibility bench's generated plans).
TARGET = re.compile(r"[0-9０-９]|[%％]|[一二三四五六七八九十两几]+(?:分之|成|倍)|一半|翻番|减半")
# A goal stating a direction for a measure ("降低库存资金占用") or a status the firm wants to reach ("建成数字化车间",
# a provincial recognition several projects earn together) also names an outcome, not a project, unless it names
# its means ("用…", "通过…", "上线…"). Session 8, read in generated plans: "降低库存资金占用" scored 1.00 on
# 采购计划优化协同 and "建成数字化车间" 1.00 on 工厂数字化规划设计 (3D plant-layout design before a build), so both
# were pinned whatever their value. Over the plausibility bench's first 300 generated firms (seed 13) 47 plans
# carried one of those two pins, priced by the plans themselves at 5 658 万元 of risk-adjusted NPV; without them the
# 47 plans invest 1 412 instead of 5 835 万元 (a medium firm: 339 → 19 万元, NPV up 369 万元, having been sent
# to a 145 万元 layout study and the 175 万元 design system it needs first).
OUTCOME = re.compile(
    r"降低|减少|下降|压缩|削减|提高|提升|增加|增长|缩短|加快"
    r"|(?:建成|打造|创建|成为|评为|争创|申报|通过).{0,8}(?:车间|工厂|示范|标杆|灯塔|小巨人|专精特新)"
)
MEANS = re.compile(r"^[先要]?用|[利运使应采]用|通过|借助|上线|部署|引入")  # not the 用 of 占用 or 费用

# A need that names a measure with a money pool ("降低库存资金占用", "装置能耗高", "一次合格率提高到99%", "突发故障导致
# 非计划停车") is acted on by a roadmap item whose counted saving on that pool is one of the catalog's main effects on
# it (at least MAIN_EFFECT_SHARE of the strongest), whatever words the item's name shares with the need; and a need
# no item acts on is answered about a matched project with a main effect on its measure before one without. Session
# 8, read in generated plans: "降低库存资金占用" read "暂未安排" beside AI需求预测 cutting the same inventory pool, and
# "一次合格率提高到99%以上" was answered with 质量报告智能生成 (a report-writing assistant, search score 1.00) where
# 质量分析与改进 (0.99) acts on defects. "报废" is left out (临期报废 is stock, not a defect), and so is a need about
# spare parts ("备件库存积压又经常缺件" is 设备维修维护's, not the production inventory pool).
MEASURE_WORDS: dict[str, re.Pattern[str]] = {
    "inventory": re.compile(r"^(?!.*备件).*(?:库存|积压|资金占用|备货)"),  # spare parts are maintenance's stock
    "energy_cost": re.compile(r"能耗|电费|用电|蒸汽|用能|能源成本"),
    "defect_rate": re.compile(r"合格率|良率|不良|缺陷|漏检|返工|质量波动|批次质量"),
    "unplanned_downtime": re.compile(r"停机|停车|突发故障"),
}
MAIN_EFFECT_SHARE = 0.5

Blocker = Literal[
    "budget",
    "capacity",
    "prerequisite",
    "value",
    "alternative",
    "horizon",
    "subsidy_cap",
    "dropped",
    "infeasible",
    "industry",
    "data",
    "no_match",
    "in_place",
]


class NeedMatcher(Protocol):
    def match_many(self, texts: Sequence[str], top: int = 5, taxonomy: Any = "all") -> list[list[Any]]: ...


@dataclass(slots=True, kw_only=True)
class StatedNeed:
    """One pain point or goal with its search results (scenario id, score), best first."""

    index: int
    kind: Literal["pain", "goal"]
    text: str
    results: list[tuple[str, float]]
    searched: bool = True  # False when the plan was made without text search (``--no-search``)
    # full project -> its smaller variants (catalog ``variant_of``): a project and its own pilot are one project
    # when a goal names it, and the variant is the fallback when the full project cannot be scheduled
    cheaper: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def _kin(self, a: str, b: str) -> bool:
        return b in self.cheaper.get(a, ()) or a in self.cheaper.get(b, ())

    @property
    def matched(self) -> list[str]:
        """The scenarios the plan's rule says answer this need, best first."""
        return [
            sid for rank, (sid, score) in enumerate(self.results) if score >= PAIN_MATCH_THRESHOLD and rank < MATCH_TOP
        ]

    @property
    def named(self) -> str | None:
        """The scenario a goal names as its project, if it names one."""
        if self.kind != "goal" or not self.results or TARGET.search(self.text):
            return None
        if OUTCOME.search(self.text) and not MEANS.search(OUTCOME.sub("", self.text)):
            return None
        top, best = self.results[0]
        second = next((score for sid, score in self.results[1:] if not self._kin(top, sid)), 0.0)
        return top if best >= NAMED_SCORE and best - second >= NAMED_LEAD else None

    @property
    def fallbacks(self) -> tuple[str, ...]:
        """The smaller variants to pin, in catalog order, when the project the goal names cannot be scheduled."""
        named = self.named
        return self.cheaper.get(named, ()) if named is not None else ()


def stated_needs(
    profile: EnterpriseProfile,
    matcher: NeedMatcher | None,
    scenario_count: int,
    cheaper: Mapping[str, tuple[str, ...]] | None = None,
) -> list[StatedNeed]:
    texts: list[tuple[Literal["pain", "goal"], str]] = [
        *(("pain", t) for t in profile.pain_points if t.strip()),
        *(("goal", t) for t in profile.goals if t.strip()),
    ]
    if not texts:
        return []
    if matcher is None:
        return [StatedNeed(index=k, kind=kind, text=t, results=[], searched=False) for k, (kind, t) in enumerate(texts)]
    found = matcher.match_many([t for _, t in texts], top=scenario_count, taxonomy="all")
    return [
        StatedNeed(index=k, kind=kind, text=t, results=[(m.id, float(m.score)) for m in ms], cheaper=cheaper or {})
        for k, ((kind, t), ms) in enumerate(zip(texts, found, strict=True))
    ]


def pain_index(needs: Sequence[StatedNeed]) -> tuple[dict[str, tuple[float, str | None]], dict[str, list[int]]]:
    """Best search score per scenario over the stated needs, and which needs each scenario answers."""
    scores: dict[str, tuple[float, str | None]] = {}
    answers: dict[str, list[int]] = {}
    for need in needs:
        for sid, score in need.results:
            if sid not in scores or score > scores[sid][0]:
                scores[sid] = (score, need.text)
        for sid in need.matched:
            answers.setdefault(sid, []).append(need.index)
    return scores, answers


# --- the enterprise's choices ----------------------------------------------------------------------------


class ChoiceError(ValueError):
    """A pin or drop that cannot be honoured: each problem as (option, Chinese, English), the option being
    ``pin`` or ``drop`` (the user's language is chosen at the edge)."""

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        super().__init__("\n".join(en for _, _, en in problems))
        self.fields = [field for field, _, _ in problems]
        self.problems_zh = [zh for _, zh, _ in problems]
        self.problems = [en for _, _, en in problems]


class Choice(BaseModel):
    scenario: str
    name_zh: str
    name_en: str
    action: Literal["pin", "drop"]
    by: Literal["enterprise", "goal"] = Field(description="the enterprise's own choice, or a goal naming the project")
    honoured: bool = True
    reason_zh: str = ""
    reason_en: str = ""


class Choices(BaseModel):
    """The pins and drops behind the roadmap and what they cost against the roadmap without them."""

    items: list[Choice] = Field(default_factory=list)
    npv: float = Field(default=0.0, description="the roadmap's risk-adjusted NPV with the choices, 万元")
    npv_unconstrained: float = Field(default=0.0, description="the same without any pin or drop, 万元")
    npv_cost: float = Field(default=0.0, description="npv_unconstrained − npv, 万元 (≥ 0 at the optimum)")
    # added without a version bump (true in stored plans): false when the roadmap without the choices found no plan
    # within the time limit, so npv_unconstrained and npv_cost say nothing (0) and a fallback says so
    cost_known: bool = True
    # added without a version bump (empty in stored plans): when the pins start and what that costs (issue 13)
    timing_zh: str = ""
    timing_en: str = ""


def check_choices(
    pins: Sequence[str], drops: Sequence[str], names: Mapping[str, tuple[str, str]]
) -> list[tuple[str, str, str]]:
    """Unknown ids and contradictory choices, as (option, zh, en) messages naming what was given."""
    problems = []
    for flag, ids in (("pin", pins), ("drop", drops)):
        for sid in ids:
            if sid not in names:
                problems.append(
                    (
                        flag,
                        f"{'固定纳入' if flag == 'pin' else '排除'}的场景“{sid}”不在场景库中（请使用场景编号，例如 "
                        "ai_maintenance_knowledge_assistant）",
                        f"“{sid}” is not a scenario in the catalog (use a scenario id, e.g. "
                        "ai_maintenance_knowledge_assistant)",
                    )
                )
    for sid in sorted(set(pins) & set(drops)):
        if sid in names:
            zh, en = names[sid]
            problems.append(("drop", f"“{zh}”不能同时固定纳入和排除", f"“{en}” cannot be both pinned and dropped"))
    return problems


def pin_blocker(problem: Problem, cid: str, ranked: RankedScenario | None) -> tuple[str, str]:
    """Why a pinned candidate cannot be scheduled, as specific as the figures allow (zh, en)."""
    s = problem.settings
    by_id = {c.id: c for c in problem.candidates}
    c = by_id.get(cid)
    if c is None:
        if ranked is not None and ranked.fit.industry == "none":
            return "该场景不适用于本行业", "the scenario does not apply to this industry"
        return "该场景不在可选项目中", "the scenario is not among the candidate projects"
    starts = valid_starts(c, s.horizon_quarters)
    if not starts:
        return (
            f"实施周期 {c.duration_quarters} 个季度，超出 {s.horizon_quarters} 个季度的规划期",
            f"it takes {c.duration_quarters} quarters, longer than the {s.horizon_quarters}-quarter horizon",
        )
    least_units = least_yearly_spend(c, starts, s.horizon_quarters)
    least = as_wan(least_units or 0)
    if over_limit(least, s.yearly_budget):
        return (
            f"单独实施每年净支出至少 {least:.1f} 万元，超过年度预算 {s.yearly_budget:.1f} 万元",
            f"on its own it needs at least {money_en(least)} a year net, above the yearly budget of "
            f"{money_en(s.yearly_budget)}",
        )
    for policy, cap in problem.policy_caps.items():
        if over_limit(c.subsidies.get(policy, 0.0), cap):
            return (
                "其计入的补贴超过该政策对每家企业的上限",
                "its counted subsidy exceeds the policy's cap per enterprise",
            )
    for req in c.requires:
        if not [p for p in req.providers if p in by_id and p not in problem.dropped]:
            return (
                f"需要先具备{req.what_zh}，而没有可安排的项目能提供它",
                f"it needs {req.what_en} first, and no project that can be scheduled provides it",
            )
    for dep in c.after:
        if dep not in by_id or dep in problem.dropped:
            return "其前置项目已被排除或无法安排", "a project it needs first is dropped or cannot be scheduled"
    return (
        f"连同其前置项目，在年度预算 {s.yearly_budget:.1f} 万元、同时实施不超过 {s.capacity} 个项目和规划期内无法安排",
        f"with the projects it needs first it does not fit the yearly budget of {money_en(s.yearly_budget)}, "
        f"{s.capacity} projects at a time and the horizon",
    )


def solve_with_choices(
    problem: Problem,
    pins: Sequence[str],
    drops: Sequence[str],
    goal_pins: Sequence[str],
    ranked_by_id: Mapping[str, RankedScenario],
    fallbacks: Mapping[str, Sequence[str]] | None = None,
    explain: bool = True,
    table: Mapping[str, StartRow] | None = None,
) -> tuple[Problem, Roadmap, Choices | None]:
    """The roadmap honouring the enterprise's pins and drops and the projects its goals name.

    A goal's project is kept only while the roadmap stays feasible (each is tried in turn, in the order the
    goals were written); when it cannot be, its smaller variant (``fallbacks``: the LLM pilot of a knowledge base)
    is tried in its place. An enterprise's own pin that cannot fit raises ``ChoiceError`` with the reason. The
    choices' cost is the NPV of the unconstrained optimum minus the NPV of the chosen roadmap. ``explain``: the
    roadmap with the reason every candidate left out is left out; without it, none (a caller that may replace the
    roadmap, as a plan's first step does, explains the one it keeps: ``roadmap_explain.explained``). ``table``: the
    start table of the problem's candidates and settings (``start_table``), when the caller has worked it out."""

    def names(sid: str) -> tuple[str, str]:
        r = ranked_by_id.get(sid)
        return (r.name_zh, r.name_en) if r is not None else (sid, sid)

    cand_ids = {c.id for c in problem.candidates}
    own = list(dict.fromkeys(pins))
    missing = [p for p in own if p not in cand_ids]
    if missing:
        raise ChoiceError(
            [
                ("pin", f"无法固定纳入“{names(p)[0]}”：{why[0]}", f"cannot pin “{names(p)[1]}”: {why[1]}")
                for p in missing
                for why in [pin_blocker(problem, p, ranked_by_id.get(p))]
            ]
        )
    base = problem.model_copy(update={"pinned": own, "dropped": list(dict.fromkeys(drops))})
    # every solve below is of this problem's candidates and settings, with other pins or drops: one start table
    table = table if table is not None else start_table(problem.candidates, problem.settings)
    roadmap = optimise_roadmap(base, table, explain=False)
    if own and roadmap.status == "INFEASIBLE":
        problems = []
        for p in own:
            alone = base.model_copy(update={"pinned": [p]})
            if optimise_roadmap(alone, table, explain=False).status == "INFEASIBLE":
                zh, en = pin_blocker(alone, p, ranked_by_id.get(p))
                problems.append(("pin", f"无法固定纳入“{names(p)[0]}”：{zh}", f"cannot pin “{names(p)[1]}”: {en}"))
        if not problems:
            problems.append(
                (
                    "pin",
                    "所选的固定纳入项目无法同时安排在预算、产能和规划期内，请减少固定项目或提高预算",
                    "the pinned projects do not fit the budget, capacity and horizon together: pin fewer or raise "
                    "the budget",
                )
            )
        raise ChoiceError(problems)
    choices = [
        Choice(scenario=p, name_zh=names(p)[0], name_en=names(p)[1], action="pin", by="enterprise") for p in own
    ] + [
        Choice(scenario=d, name_zh=names(d)[0], name_en=names(d)[1], action="drop", by="enterprise")
        for d in base.dropped
    ]
    kept = list(own)
    for g in dict.fromkeys(goal_pins):
        if g in kept or g in base.dropped:
            continue
        zh, en = names(g)
        trial = base.model_copy(update={"pinned": [*kept, g]})
        attempt = optimise_roadmap(trial, table, explain=False) if g in cand_ids else None
        if attempt is not None and attempt.status in ("OPTIMAL", "FEASIBLE"):
            kept.append(g)
            base, roadmap = trial, attempt
            choices.append(Choice(scenario=g, name_zh=zh, name_en=en, action="pin", by="goal"))
        else:
            why = pin_blocker(trial, g, ranked_by_id.get(g))
            choices.append(
                Choice(
                    scenario=g,
                    name_zh=zh,
                    name_en=en,
                    action="pin",
                    by="goal",
                    honoured=False,
                    reason_zh=why[0],
                    reason_en=why[1],
                )
            )
            for f in (fallbacks or {}).get(g, ()):  # the goal's project in its smaller form
                if f in kept or f in base.dropped or f not in cand_ids:
                    continue
                trial = base.model_copy(update={"pinned": [*kept, f]})
                attempt = optimise_roadmap(trial, table, explain=False)
                if attempt.status in ("OPTIMAL", "FEASIBLE"):
                    kept.append(f)
                    base, roadmap = trial, attempt
                    fz, fe = names(f)
                    choices.append(Choice(scenario=f, name_zh=fz, name_en=fe, action="pin", by="goal"))
                    break
    if explain:  # the kept solve, with the reason every candidate left out is left out (no other solve has them)
        roadmap = explained(roadmap, base, table)
    if not choices:
        return base, roadmap, None
    free = roadmap if not base.pinned and not base.dropped else optimise_roadmap(problem, table, explain=False)
    cost_known = free.status not in ("UNKNOWN", "INFEASIBLE")
    if free is not roadmap:  # the comparison's fallbacks are the plan's too: its choices' cost rests on it
        roadmap = roadmap.model_copy(update={"fallbacks": [*roadmap.fallbacks, *comparison_fallbacks(free)]})
    timing = pin_timing_note(roadmap.pin_timing, {p: names(p) for p in base.pinned}) if roadmap.pin_timing else ("", "")
    return (
        base,
        roadmap,
        Choices(
            items=choices,
            npv=roadmap.npv,
            npv_unconstrained=free.npv if cost_known else 0.0,
            npv_cost=round(free.npv - roadmap.npv, 2) if cost_known else 0.0,
            cost_known=cost_known,
            timing_zh=timing[0],
            timing_en=timing[1],
        ),
    )


# --- answers --------------------------------------------------------------------------------------------


class NeedAnswer(BaseModel):
    """A stated need and the plan's answer to it."""

    kind: Literal["pain", "goal"]
    text: str
    status: Literal["addressed", "blocked", "no_match"]
    items: list[str] = Field(default_factory=list, description="roadmap items that address it, best match first")
    items_zh: list[str] = Field(default_factory=list)
    items_en: list[str] = Field(default_factory=list)
    scenario: str | None = Field(default=None, description="when blocked: the scenario that would address it")
    name_zh: str = ""
    name_en: str = ""
    blocker: Blocker | None = None
    reason_zh: str = ""
    reason_en: str = ""
    next_kind: Literal["foundation", "budget", "data", "smaller", "pin", "later", "consult", ""] = ""
    next_scenario: str | None = None
    next_zh: str = ""
    next_en: str = ""
    next_cost: float | None = Field(
        default=None,
        description="what the next step costs, 万元: a foundation's one-off investment, the extra yearly budget, or "
        "the NPV given up by pinning it; 0 for data to collect; None when it cannot be priced",
    )


def answer_needs(
    needs: Sequence[StatedNeed],
    problem: Problem,
    roadmap: Roadmap,
    ranked_by_id: Mapping[str, RankedScenario],
    excluded: Mapping[str, tuple[str, str, str]],
    choices: Choices | None,
) -> list[NeedAnswer]:
    """``excluded``: scenario -> (reason, detail_zh, detail_en) as the plan states it."""
    chosen = {i.id: i for i in roadmap.items}
    by_id = {c.id: c for c in problem.candidates}
    strongest = strongest_effects(ranked_by_id.values())
    out = []
    for need in needs:
        matched = need.matched
        if need.named and need.named not in matched:
            matched = [need.named, *matched]
        # a matched project's smaller variants (the entry step of a MIIT scenario, an LLM pilot) answer the same
        # need: the light MES answers "查不到订单做到哪一步" as 生产进度跟踪 does, at a micro firm's price
        smaller = [v for sid in matched for v in need.cheaper.get(sid, ())]
        matched = [*matched, *(v for v in dict.fromkeys(smaller) if v not in matched)]
        acting = [sid for sid in matched if sid in chosen]
        # a matched project left out as the alternative of a chosen one on the same figure (二选一) is answered by
        # that chosen one. A merely related one (RELATED_SCORE) is not: the figure the two share need not be the
        # need's. Session 8, the bench's first 300 generated firms: "化验数据多但没人分析" (17) and "测试数据量大但没有
        # 分析" (3) read 已安排 with 大模型文档问答试点 or 企业知识库问答, through 智能经营决策 (0.61), with which those
        # share engineers' look-up hours. The case that had brought related ones in, 生产计划优化 (0.72) for
        # "成品库存降低20%" beside AI需求预测, names its figure and is answered by the measure rule below.
        acting += [
            x
            for sid in matched
            if sid not in chosen
            for a, b in problem.exclusive
            if sid in (a, b)
            for x in (b if a == sid else a,)
            if x in chosen and x not in acting
        ]
        measures = named_measures(need.text) if need.searched else set()  # no matching asked: none by words either
        acting += [sid for sid in chosen if sid not in acting and acts_on(ranked_by_id.get(sid), measures, strongest)]
        acting = list(dict.fromkeys(acting))
        if acting:
            out.append(
                NeedAnswer(
                    kind=need.kind,
                    text=need.text,
                    status="addressed",
                    items=acting,
                    items_zh=[ranked_by_id[s].name_zh for s in acting],
                    items_en=[ranked_by_id[s].name_en for s in acting],
                )
            )
            continue
        if not need.searched:
            out.append(
                NeedAnswer(
                    kind=need.kind,
                    text=need.text,
                    status="no_match",
                    reason_zh="生成规划时未做需求文本匹配，无法判断哪些项目对应这一需求",
                    reason_en="the plan was made without matching the stated needs, so no project is linked to it",
                    next_kind="consult",
                    next_zh="启用需求匹配后重新生成规划",
                    next_en="make the plan again with need matching on",
                )
            )
            continue
        if not matched:
            out.append(_no_match(need, ranked_by_id, chosen))
            continue
        if need.named:  # a goal naming its project is answered about that project
            options = [need.named]
        else:
            related = [
                sid
                for sid, score in need.results[:MATCH_TOP]
                if score >= RELATED_SCORE and sid not in matched and sid in ranked_by_id and sid not in chosen
            ]  # a related scenario already in the roadmap is not what this need asks for (e.g. ERP for scheduling)
            options = [*matched, *related]
        answers = [_blocked(need, sid, problem, roadmap, by_id, ranked_by_id, excluded, choices) for sid in options]
        # a matched project is answered before a merely related one, whatever their next steps cost: the cheapest
        # related step (设备维修维护) is no answer to "报价靠老板凭经验估算" when 智能选型报价 matches it (session 6)
        out.append(
            min(
                enumerate(answers),
                key=lambda ka: (
                    options[ka[0]] not in matched,
                    bool(measures)
                    and not acts_on(ranked_by_id.get(options[ka[0]]), measures, strongest, counted=False),
                    ka[1].next_cost is None,
                    ka[1].next_cost or 0.0,
                    ka[0],
                ),
            )[1]
        )
    return out


def named_measures(text: str) -> set[str]:
    """The money-pool measures a need's words name (``MEASURE_WORDS``)."""
    return {metric for metric, words in MEASURE_WORDS.items() if words.search(text)}


def strongest_effects(ranked: Iterable[RankedScenario]) -> dict[str, float]:
    """metric -> the largest median effect any ranked scenario has on it."""
    out: dict[str, float] = {}
    for r in ranked:
        for line in r.valuation.lines:
            out[line.metric] = max(out.get(line.metric, 0.0), line.effect.median)
    return out


def acts_on(r: RankedScenario | None, measures: set[str], strongest: Mapping[str, float], counted: bool = True) -> bool:
    """Whether the scenario has a main effect on one of ``measures`` (at least ``MAIN_EFFECT_SHARE`` of the
    strongest), counted in money for this enterprise when ``counted``."""
    if r is None or not measures:
        return False
    return any(
        line.metric in measures
        and line.effect.median >= MAIN_EFFECT_SHARE * strongest.get(line.metric, 0.0) > 0
        and (not counted or (line.counted and line.annual.median > 0))
        for line in r.valuation.lines
    )


def _no_match(need: StatedNeed, ranked_by_id: Mapping[str, RankedScenario], chosen: Mapping[str, Any]) -> NeedAnswer:
    near = next(((sid, score) for sid, score in need.results[:MATCH_TOP] if sid in ranked_by_id), None)
    if near is not None and near[0] in chosen:
        r = ranked_by_id[near[0]]
        return NeedAnswer(
            kind=need.kind,
            text=need.text,
            status="addressed",
            items=[r.id],
            items_zh=[r.name_zh],
            items_en=[r.name_en],
            reason_zh=f"场景库中没有直接对应的场景；最接近的“{r.name_zh}”已在规划中",
            reason_en=f"no scenario in the catalog answers it directly; the nearest, “{r.name_en}”, is in the plan",
        )
    hint_zh = f"最接近的是“{ranked_by_id[near[0]].name_zh}”，但匹配度不足" if near else "没有相近的场景"
    hint_en = f"the nearest, “{ranked_by_id[near[0]].name_en}”, is not a close match" if near else "none is close"
    return NeedAnswer(
        kind=need.kind,
        text=need.text,
        status="no_match",
        blocker="no_match",
        reason_zh=f"场景库中没有直接对应这一需求的场景（{hint_zh}）",
        reason_en=f"no scenario in the catalog answers this need directly ({hint_en})",
        next_kind="consult",
        next_zh="把这一需求写得更具体（哪个环节、哪类数据、想要的结果），重新生成规划，或请服务商评估定制方案",
        next_en="state the need more concretely (which step, which data, what result) and make the plan again, "
        "or ask a provider to assess a custom project",
    )


def _blocked(
    need: StatedNeed,
    sid: str,
    problem: Problem,
    roadmap: Roadmap,
    by_id: Mapping[str, Candidate],
    ranked_by_id: Mapping[str, RankedScenario],
    excluded: Mapping[str, tuple[str, str, str]],
    choices: Choices | None,
) -> NeedAnswer:
    r = ranked_by_id[sid]
    answer = NeedAnswer(
        kind=need.kind, text=need.text, status="blocked", scenario=sid, name_zh=r.name_zh, name_en=r.name_en
    )
    s = problem.settings
    goal_choice = next((c for c in (choices.items if choices else []) if c.scenario == sid and not c.honoured), None)
    c = by_id.get(sid)
    if c is None:  # not a candidate: it does not fit the industry, or its benefit cannot be shown
        if r.fit.industry == "none":
            answer.blocker = "industry"
            answer.reason_zh, answer.reason_en = "该场景不适用于本行业", "the scenario does not apply to this industry"
            answer.next_kind = "consult"
            answer.next_zh = "请服务商评估本行业的可行做法"
            answer.next_en = "ask a provider what works in this industry"
            return answer
        if any(x.code == "in_place" for x in r.reasons):  # the ranking's own word: the firm runs its systems
            # session 8: once the roadmap stopped re-buying a running ERP (c865b01), 10 of the bench's first 600
            # generated firms (seed 13) read "库存全靠手工记账" answered "按现有数据无法测算它的收益；补充库存持有成本率"
            owned_zh, owned_en = "、".join(r.valuation.in_place), ", ".join(r.valuation.in_place)
            answer.blocker = "in_place"
            answer.reason_zh = f"企业已有{owned_zh}，“{r.name_zh}”不必再买，本规划不另列项目"
            answer.reason_en = f"the enterprise already runs {owned_en}, so “{r.name_en}” need not be bought again"
            answer.next_kind = "consult"  # unpriced: a matched project with a priced next step is answered first
            answer.next_zh = f"在现有{owned_zh}中启用或完善相应功能；若现有系统做不到，说明缺什么后重新生成规划"
            answer.next_en = (
                f"use or extend the matching functions of the {owned_en} already running; if it cannot do this, "
                "say what is missing and make the plan again"
            )
            return answer
        figures = list(r.valuation.sharpen_with)
        unvalued = [line for line in r.valuation.lines if not line.counted]
        if not figures and unvalued and not any(line.counted for line in r.valuation.lines):
            # session 8: "订单多品种小批量，换型时间长" (19 of the bench's first 300 generated firms' 909 needs) read
            # "补充与该需求相关的基线数据后重新生成规划" about 柔性产线快速换产, whose effects (换型时间, OEE) no figure
            # turns into money: no data would change the answer, so the plan says so and offers the pin
            answer.blocker = "value"
            what_zh = "、".join(dict.fromkeys(line.metric_zh for line in unvalued))
            what_en = ", ".join(dict.fromkeys(line.metric_en for line in unvalued))
            answer.reason_zh = f"它的效果（{what_zh}）在本规划中不折算成金额，按收益不会被排入"
            answer.reason_en = f"its effects ({what_en}) are not turned into money here, so no benefit brings it in"
            one_off, running = r.valuation.one_off.median, r.valuation.annual_cost.median
            answer.next_kind = "pin"
            answer.next_zh = (
                f"如仍需要，可固定纳入规划（投资约 {one_off:.1f} 万元、每年运行约 {running:.1f} 万元，不计收益）；"
                "规划会列出这一选择对净现值的影响"
            )
            answer.next_en = (
                f"pin it if it is still wanted (about {money_en(one_off)} one-off and {money_en(running)} a year, no "
                "benefit counted); the plan then shows what that choice costs in NPV"
            )
            return answer
        answer.blocker = "data"
        answer.next_cost = 0.0 if figures else None  # without a figure to name, the step cannot be priced
        names = [FIGURE_NAMES.get(f, (f, f)) for f in figures]
        answer.reason_zh = "按现有数据无法测算它的收益"
        answer.reason_en = "its benefit cannot be shown from the figures given"
        answer.next_kind = "data"
        if names:
            answer.next_zh = "补充" + "、".join(n[0] for n in names) + "后重新生成规划"
            answer.next_en = "add " + ", ".join(n[1] for n in names) + ", then make the plan again"
        else:
            answer.next_zh = "补充与该需求相关的基线数据后重新生成规划"
            answer.next_en = "add the baseline figures behind this need, then make the plan again"
        return answer
    reason, detail_zh, detail_en = excluded.get(sid, ("value", "", ""))
    if goal_choice is not None:
        answer.blocker = "infeasible"
        answer.reason_zh = f"目标点名的项目无法安排：{goal_choice.reason_zh}"
        answer.reason_en = f"the project the goal names cannot be scheduled: {goal_choice.reason_en}"
    else:
        answer.blocker = reason  # type: ignore[assignment]
        answer.reason_zh, answer.reason_en = detail_zh, detail_en
    if reason == "prerequisite" or (goal_choice is not None and (c.after or c.requires)):
        chain = _foundations(c, {i.id for i in roadmap.items}, by_id)
        if chain is None and reason == "prerequisite":  # nothing in the catalog provides it
            unmet = next((q for q in c.requires if not q.providers), None)
            what_zh, what_en = (unmet.what_zh, unmet.what_en) if unmet else ("前置条件", "the prerequisite")
            answer.next_kind = "foundation"
            answer.next_zh = f"先把{what_zh}作为信息化基础建设到位（场景库中暂无对应项目，需与服务商单独评估）"
            answer.next_en = (
                f"put {what_en} in place first as a basic IT project (the catalog has no project for it; assess it "
                "with a provider)"
            )
            return answer
        if chain:
            total = sum(by_id[d].one_off for d in chain)
            answer.next_cost = round(total, 2)
            answer.next_kind, answer.next_scenario = "foundation", chain[0]
            names_zh = "”→“".join(ranked_by_id[d].name_zh for d in chain)
            names_en = "” → “".join(ranked_by_id[d].name_en for d in chain)
            if len(chain) == 1:
                answer.next_zh = f"先建设基础项目“{names_zh}”（投资约 {total:.1f} 万元），完成后即可安排"
                answer.next_en = f"first build the foundation “{names_en}” (about {money_en(total)}), then it can follow"
            else:
                answer.next_zh = f"依次建设基础项目“{names_zh}”（合计投资约 {total:.1f} 万元），完成后即可安排"
                answer.next_en = (
                    f"first build the foundations “{names_en}” in turn (about {money_en(total)} together), then it "
                    "can follow"
                )
            if total > s.yearly_budget:  # say so: the step is not within this year's money
                answer.next_zh += f"；投资高于当前年度预算 {s.yearly_budget:.1f} 万元，需分年安排或提高预算"
                answer.next_en += (
                    f"; the investment exceeds the yearly budget of {money_en(s.yearly_budget)}: spread it over "
                    "years or raise the budget"
                )
            # each started at its best quarter on its own: an upper bound of what the chain and the project earn
            # together, so when even it is not positive the path does not pay within the horizon on these figures
            best = standalone_value(c, s) + sum(standalone_value(by_id[d], s) for d in chain)
            if best <= 0:
                answer.next_zh += "；但按现有数据，连同基础项目在规划期内仍不能回本，可补充企业自身数据后再判断，或作为企业的选择固定纳入"
                answer.next_en += (
                    "; on the figures given, it does not pay back within the horizon even with its foundation: add "
                    "the enterprise's own figures to judge again, or pin it as the enterprise's choice"
                )
            return answer
    if reason in ("budget", "infeasible") or goal_choice is not None:
        need_budget = _budget_to_add(c, roadmap, problem)
        if need_budget is not None:
            answer.next_cost = max(0.0, need_budget - s.yearly_budget)
            answer.next_kind = "budget"
            answer.next_zh = f"年度预算提高到约 {need_budget:.1f} 万元（扣除补贴后）即可与现有项目一并安排"
            answer.next_en = (
                f"a yearly budget of about {money_en(need_budget)} (net of subsidies) fits it beside the chosen projects"
            )
            _add_pin_fit(answer, c, problem, by_id, in_place_of_others=True)
            return answer
    if reason == "capacity":
        answer.next_cost = 0.0
        answer.next_kind = "later"
        answer.next_zh = "待在建项目上线后再启动，或延长规划期"
        answer.next_en = "start it once a running project goes live, or lengthen the horizon"
        return answer
    if reason == "dropped":
        answer.next_cost = 0.0
        answer.next_kind = "pin"
        answer.next_zh = "企业已选择不纳入；如需要可取消排除后重新生成规划"
        answer.next_en = "the enterprise left it out; undo the drop to plan it again"
        return answer
    if r.valuation.sharpen_with:
        names = [FIGURE_NAMES.get(f, (f, f)) for f in r.valuation.sharpen_with]
        answer.next_kind = "data"
        answer.next_cost = 0.0
        answer.next_zh = "补充" + "、".join(n[0] for n in names) + "，收益可按企业自身数据测算"
        answer.next_en = "add " + ", ".join(n[1] for n in names) + " so its benefit rests on your own figures"
        _add_pin_fit(answer, c, problem, by_id, in_place_of_others=False)
        return answer
    own = standalone_value(c, s)
    answer.next_cost = round(max(0.0, -own), 2)
    answer.next_kind = "pin"
    answer.next_zh = (
        f"如仍需要，可固定纳入规划；按现有数据其风险调整净现值约 {own:.1f} 万元，规划会列出由此减少的净现值"
    )
    answer.next_en = (
        f"pin it if it is still wanted; on the figures given its risk-adjusted NPV is about {money_en(own)}, and "
        "the plan states what the choice costs"
    )
    return answer


def _add_pin_fit(
    answer: NeedAnswer, c: Candidate, problem: Problem, by_id: Mapping[str, Candidate], in_place_of_others: bool
) -> None:
    """Say whether the enterprise can pin the step within its yearly budget (started alone at some quarter), what
    it costs, and, for a scenario planned in stages, that the pin takes the pilot first (issue 13, session 3)."""
    s = problem.settings
    h = s.horizon_quarters
    if not any(fits_yearly_budget(c, t, h, s.yearly_budget) for t in valid_starts(c, h)):
        return
    staged = c.id + ROLLOUT in by_id
    what_zh = "先只做试点" if staged else "固定纳入它"
    what_en = "pin the pilot alone" if staged else "pin it"
    money_zh = f"投资约 {c.net_one_off:.1f} 万元、每年运行约 {c.annual_cost:.1f} 万元，单独安排在年度预算 {s.yearly_budget:.1f} 万元以内"
    spend_en = (
        f"about {money_en(c.net_one_off)} one-off and {money_en(c.annual_cost)} a year, within the yearly budget of "
        f"{money_en(s.yearly_budget)} on its own"
    )
    then_zh = "，推广待试点验证后再定" if staged else ""
    then_en = ", the roll-out once the pilot has proved itself" if staged else ""
    cost_zh = (
        "；规划会为它让出预算，并列出由此减少的净现值" if in_place_of_others else "；规划会列出这一选择对净现值的影响"
    )
    cost_en = (
        "; the plan makes room for it in the budget and states the NPV this costs"
        if in_place_of_others
        else "; the plan states what the choice does to the NPV"
    )
    answer.next_zh += f"；或{what_zh}（{money_zh}）{then_zh}{cost_zh}"
    answer.next_en += f"; or {what_en} ({spend_en}){then_en}{cost_en}"


def _foundations(
    c: Candidate, chosen: set[str], by_id: Mapping[str, Candidate], seen: frozenset[str] = frozenset()
) -> list[str] | None:
    """The projects not in the plan that c needs first, in build order, taking for each unmet requirement the
    provider whose own foundations cost least; [] when nothing is missing, None when something cannot be
    provided (no provider, or a cycle)."""
    out: list[str] = []
    groups = [[d] for d in c.after] + [list(q.providers) for q in c.requires]
    for group in groups:
        if any(p in chosen or p in out for p in group):
            continue
        best: list[str] | None = None
        for p in group:
            if p not in by_id or p in seen or p == c.id:
                continue
            below = _foundations(by_id[p], chosen | set(out), by_id, seen | {c.id})
            if below is None:
                continue
            path = [*below, p]
            if best is None or sum(by_id[x].one_off for x in path) < sum(by_id[x].one_off for x in best):
                best = path
        if best is None:
            return None
        out.extend(x for x in best if x not in out)
    return out


def _budget_to_add(c: Candidate, roadmap: Roadmap, problem: Problem) -> float | None:
    """The smallest yearly budget with which c fits beside the chosen items at some start (net, 万元)."""
    h = problem.settings.horizon_quarters
    spent = [spend_units(x) for x in roadmap.spend_by_year]
    best: int | None = None
    for t in valid_starts(c, h):
        extra = yearly_spend_units(c, t, h)
        need = max(a + b for a, b in zip(spent, extra, strict=False))
        best = need if best is None else min(best, need)
    return None if best is None else budget_to_tell(best)


# --- coherence: what the roadmap puts first, and the maturity gaps it carries as risks ----------------------


def priority_order(items: Sequence[tuple[str, float, int]], needs: Sequence[NeedAnswer], objective: str) -> list[str]:
    """The roadmap's scenarios (from items: scenario, risk-adjusted NPV, go-live quarter) in the order the chosen
    objective puts them: by NPV; for quick wins by go-live, then NPV; for pain points first the items that
    address a stated need (in the order the needs were written), then NPV. A pilot and its roll-out are one
    scenario: their NPVs add up and the pilot's go-live stands for both. The summary's top three are the first
    three."""
    npv_of: dict[str, float] = {}
    live_of: dict[str, int] = {}
    for sid, npv, live in items:
        npv_of[sid] = npv_of.get(sid, 0.0) + npv
        live_of[sid] = min(live_of.get(sid, live), live)
    items = [(sid, round(npv_of[sid], 4), live_of[sid]) for sid in npv_of]
    first_need: dict[str, int] = {}
    for k, n in enumerate(needs):
        if n.status == "addressed":
            for sid in n.items:
                first_need.setdefault(sid, k)
    big = len(needs) + 1

    def key(item: tuple[str, float, int]) -> tuple[float, ...]:
        sid, npv, live = item
        if objective == "pain_points":
            return (first_need.get(sid, big), -npv)
        if objective == "quick_wins":
            return (live, -npv)
        return (-npv,)

    return [sid for sid, _, _ in sorted(items, key=key)]


def maturity_risks(
    items: Sequence[str],
    ranked_by_id: Mapping[str, RankedScenario],
    dimension_names: Mapping[str, tuple[str, str]],
    per_point: float,
) -> list[tuple[str, str, str, str, str]]:
    """A roadmap item started below a recommended maturity level carries the gap as a risk the optimiser
    priced (its chance of success is lowered per missing point): (scenario, risk zh, en, mitigation zh, en)."""
    out = []
    for sid in items:
        r = ranked_by_id[sid]
        for dim, (have, need) in r.feasibility.maturity_gaps.items():
            zh, en = dimension_names.get(dim, (dim, dim))
            gap = need - have
            out.append(
                (
                    sid,
                    f"{zh}成熟度 {have:.0f} 分，低于建议的 {need} 分：成功概率已按差距下调约 {per_point * gap:.0%}",
                    f"{en} maturity {have:.0f} is below the recommended {need}: the chance of success is lowered by "
                    f"about {per_point * gap:.0%} for the gap",
                    f"实施前补齐{zh}的短板（按评估中拉低得分的题目逐项改进），并在试点阶段验证效果后再推广",
                    f"close the {en.lower()} gap first (the questions that pull the score down) and prove the "
                    "effect in the pilot before rolling out",
                )
            )
    return out
