"""What a foundation project in the roadmap buys (issue 13): a cost that makes the next projects possible, not a
return.

A foundation project (scenarios/foundation.yaml: cloud ERP/进销存, MES-lite, equipment networking, the LLM pilot)
counts only its own small, mostly estimated effects, so on its own it usually costs more to run each year than it is
credited with. A factory owner who reads "spend 0.5 万元 a year, get 0.1 万元 back" and nothing else closes the
document. A consultant says what the money buys: the projects that need it, by name, with the figures the page
gives them elsewhere (the roadmap table for an item in the plan, the ranking for one that is not), and the effects
it has that the plan does not turn into money.

The rule this module states, and does not change: the plan credits a foundation only with its own counted effects
and with the chance of success it adds to the projects after it (engine/roadmap_lifts.py). It gives it no value of
its own beyond the horizon (no terminal value): a terminal value would not make a subscription whose yearly running
cost exceeds its yearly benefit pay, and it would raise every item's NPV alike. Large-sample studies of ERP adopters
find no measurable gain in the first years after go-live (the sources are in the cloud ERP entry's estimate), so
the page says so instead of crediting one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from wendao.engine.roadmap_types import Problem
from wendao.engine.scenarios import money_en
from wendao.engine.stages import scenario_of

if TYPE_CHECKING:
    from wendao.engine.catalog.schema import Scenario
    from wendao.engine.plan import Plan
    from wendao.engine.scenarios import Valuation

SHOWN = 3  # projects named per foundation: the page names the best few, not every candidate that needs it


class Enabled(BaseModel):
    """A project that needs the foundation first (a prerequisite it provides) or gains from it (a lift)."""

    scenario: str
    name_zh: str
    name_en: str
    in_plan: bool = Field(description="scheduled in this roadmap after the foundation")
    start_quarter: int | None = Field(default=None, description="its start in the roadmap, when in_plan")
    benefit: float = Field(
        description="yearly benefit, 万元 (median): the roadmap's risk-adjusted figure when in_plan, else the "
        "ranking's figure"
    )
    one_off: float = Field(description="one-off investment, 万元 (median; the roadmap's when in_plan)")


class FoundationRole(BaseModel):
    """One foundation item of the roadmap: what it costs, what it is credited with, what it makes possible."""

    scenario: str
    name_zh: str
    name_en: str
    one_off: float = Field(description="one-off investment, 万元 (median, all its stages)")
    annual_cost: float = Field(description="running cost per year, 万元 (median)")
    own_benefit: float = Field(description="its own counted yearly benefit, 万元 (median, risk-adjusted)")
    enables: list[Enabled] = Field(default_factory=list)
    uncounted: list[str] = Field(
        default_factory=list, description="metrics it moves that the plan does not turn into money (metrics.yaml ids)"
    )
    catalog_foundation: bool = Field(
        default=True, description="a foundation project of the catalog; False: a project planned as a prerequisite"
    )
    text_zh: str
    text_en: str


def foundation_roles(
    plan: Plan, problem: Problem, by_id: Mapping[str, Scenario], metric_names: Mapping[str, tuple[str, str]]
) -> list[FoundationRole]:
    """A role for every foundation scenario in the roadmap, and for every other item that earns less than it costs
    to run and is planned because a later item needs it, in roadmap order. ``metric_names``: id -> (zh, en) of the
    metrics that are not turned into money (baseline null in metrics.yaml)."""
    ranked = {r.id: r for r in plan.scenarios}
    planned: dict[str, list[int]] = {}
    benefit: dict[str, float] = {}
    one_off: dict[str, float] = {}
    annual: dict[str, float] = {}
    for i in plan.items:
        planned.setdefault(i.scenario, []).append(i.start_quarter)
        benefit[i.scenario] = benefit.get(i.scenario, 0.0) + i.annual_benefit.median
        one_off[i.scenario] = one_off.get(i.scenario, 0.0) + i.one_off
        annual[i.scenario] = max(annual.get(i.scenario, 0.0), i.annual_cost)
    # a next step the enterprise could pay for: its one-off within the yearly budget over the whole horizon
    horizon = int(plan.settings.get("horizon_quarters") or 12)
    reach = float(plan.settings.get("yearly_budget") or 0.0) * horizon / 4
    out = []
    for sid in planned:
        sc = by_id.get(sid)
        if sc is None:
            continue
        needs_it = _needing(sid, problem)
        # a catalog foundation, or a project that earns less than it costs to run and is in the plan because a
        # later item of the plan needs it (a prerequisite bought for what follows, e.g. 数字基础设施建设)
        if not sc.foundation and not (benefit[sid] < annual[sid] and any(other in planned for other in needs_it)):
            continue
        enables = []
        for other in needs_it:
            if other in planned:
                enables.append(
                    Enabled(
                        scenario=other,
                        name_zh=ranked[other].name_zh,
                        name_en=ranked[other].name_en,
                        in_plan=True,
                        start_quarter=min(planned[other]),
                        benefit=round(benefit[other], 2),
                        one_off=round(one_off[other], 2),
                    )
                )
            elif other in ranked and _worth_naming(ranked[other].valuation, reach):
                val = ranked[other].valuation
                enables.append(
                    Enabled(
                        scenario=other,
                        name_zh=ranked[other].name_zh,
                        name_en=ranked[other].name_en,
                        in_plan=False,
                        benefit=round(val.annual_benefit.median, 2),
                        one_off=round(val.one_off.median, 2),
                    )
                )
        # the projects in the plan first (in start order), then the most valuable of the others
        enables.sort(key=lambda e: (not e.in_plan, e.start_quarter or 0, -e.benefit, e.scenario))
        uncounted = [k.metric for k in sc.kpi_effects if k.metric in metric_names]
        role = FoundationRole(
            scenario=sid,
            name_zh=ranked[sid].name_zh,
            name_en=ranked[sid].name_en,
            one_off=round(one_off[sid], 2),
            annual_cost=round(annual[sid], 2),
            own_benefit=round(benefit[sid], 2),
            enables=enables[:SHOWN],
            uncounted=uncounted,
            catalog_foundation=sc.foundation,
            text_zh="",
            text_en="",
        )
        role.text_zh, role.text_en = _texts(role, metric_names, horizon)
        out.append(role)
    return out


def _worth_naming(val: Valuation, reach: float) -> bool:
    """A project not in the plan is named as what a foundation buys only when it pays its own running cost and
    its one-off fits the budget of the whole horizon: a 105 万元 warehouse is no next step for a firm with 3 万元 a
    year."""
    return val.annual_benefit.median > val.annual_cost.median and val.one_off.median <= reach


def _needing(sid: str, problem: Problem) -> list[str]:
    """Scenarios (not stages) of the candidates that need ``sid`` first or gain from it going live before them."""
    found: dict[str, None] = {}
    for c in problem.candidates:
        other = scenario_of(c.id)
        if other == sid:
            continue
        provides = {scenario_of(p) for q in c.requires for p in q.providers}
        provides |= {scenario_of(a) for a in c.after}
        provides |= {scenario_of(p) for lift in c.lifts for p in lift.providers}
        if sid in provides:
            found[other] = None
    return list(found)


def _quarter(q: int) -> tuple[str, str]:
    return f"第{q // 4 + 1}年Q{q % 4 + 1}", f"year {q // 4 + 1} Q{q % 4 + 1}"


def _texts(role: FoundationRole, metric_names: Mapping[str, tuple[str, str]], horizon: int) -> tuple[str, str]:
    net = role.own_benefit - role.annual_cost
    what_zh = "是打基础的项目" if role.catalog_foundation else "在本规划中是后续项目的前提"
    what_en = (
        "is a foundation project" if role.catalog_foundation else "is in this plan as a prerequisite of what follows"
    )
    zh = (
        f"“{role.name_zh}”{what_zh}：投资约 {role.one_off:.1f} 万元，每年运行约 {role.annual_cost:.1f} 万元，"
        f"按现有数据它自己每年计入约 {role.own_benefit:.1f} 万元收益"
    )
    en = (
        f"“{role.name_en}” {what_en}: about {money_en(role.one_off)} one-off and "
        f"{money_en(role.annual_cost)} a year to run; on the figures given it is credited with about "
        f"{money_en(role.own_benefit)} a year of its own"
    )
    if net < 0:
        zh += "，少于运行费用，它是一笔成本而不是回报"
        en += ", less than it costs to run: it is a cost, not a return"
    zh += "。"
    en += "."
    if role.enables:
        parts_zh, parts_en = [], []
        for e in role.enables:
            if e.in_plan and e.start_quarter is not None:
                qz, qe = _quarter(e.start_quarter)
                parts_zh.append(f"“{e.name_zh}”（本规划{qz}开始，年收益中值 {e.benefit:.1f} 万元）")
                parts_en.append(f"“{e.name_en}” (in this plan from {qe}, median {money_en(e.benefit)} a year)")
            else:
                parts_zh.append(
                    f"“{e.name_zh}”（未排入本规划，年收益中值 {e.benefit:.1f} 万元，投资约 {e.one_off:.1f} 万元）"
                )
                parts_en.append(
                    f"“{e.name_en}” (not in this plan; median {money_en(e.benefit)} a year for about "
                    f"{money_en(e.one_off)})"
                )
        zh += "它买的是下一步的条件：" + "、".join(parts_zh) + "需要它先上线，或在它之后更容易成功。"
        en += (
            " What it buys is the next step: "
            + ", ".join(parts_en)
            + " need it live first or succeed more often after it."
        )
        later = sum(e.benefit for e in role.enables)
        if later + net < 0:
            zh += f"按现有数据，这些项目每年合计约 {later:.1f} 万元，加上它自己的收益仍抵不过它的运行费用；补充企业自己的数据后重新测算。"
            en += (
                f" On the figures given these bring about {money_en(later)} a year together, which with its own benefit "
                "still does not cover its running cost; add the enterprise's own figures and make the plan again."
            )
    else:
        zh += "按现有数据，以它为前提的后续项目中，没有一项既能抵付自己的运行费用、投资又在规划期预算之内。"
        en += (
            " On the figures given, none of the later projects that need it both covers its own running cost and "
            "fits the horizon's budget."
        )
    if role.uncounted:
        names_zh = "、".join(metric_names[m][0] for m in role.uncounted)
        names_en = ", ".join(metric_names[m][1] for m in role.uncounted)
        zh += f"它对{names_zh}的改善不折算成金额，不计入收益。"
        en += f" Its effect on {names_en} is not turned into money and is not counted."
    zh += f"规划期（{horizon} 个季度）之后的价值不计入。"
    en += f" Nothing is counted beyond the {horizon}-quarter horizon."
    return zh, en
