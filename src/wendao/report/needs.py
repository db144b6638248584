"""The plan's needs section (DESIGN rule 4) in the document's language: every stated pain point and goal with
the roadmap items that address it, or why none does and the cheapest next step; and the pins and drops behind
the roadmap with what they cost in NPV. Renders the Plan; recomputes nothing (shared by Markdown, HTML/PDF and
Word)."""

from __future__ import annotations

from dataclasses import dataclass

from wendao.engine.plan import Plan
from wendao.engine.scenarios import money_en
from wendao.report.labels import Labels


@dataclass(frozen=True, slots=True)
class NeedRow:
    kind: str  # 痛点 / 目标
    text: str  # the enterprise's own words
    status: str  # 已安排 / 暂未安排 / 无对应场景
    answer: str
    next_step: str


def need_rows(plan: Plan, labels: Labels) -> list[NeedRow]:
    rows = []
    for n in plan.needs:
        kind = labels.t("need_pain" if n.kind == "pain" else "need_goal")
        status = labels.t(f"need_{n.status}")
        if n.status == "addressed":
            items = labels.enum.join(labels.scenario(zh, en) for zh, en in zip(n.items_zh, n.items_en, strict=True))
            answer = f"{labels.t('need_by')}{labels.colon}{items}"
            if n.reason_zh:
                answer += labels.paren(labels.pick(n.reason_zh, n.reason_en))
        elif n.scenario:
            answer = f"{labels.scenario(n.name_zh, n.name_en)}{labels.colon}{labels.pick(n.reason_zh, n.reason_en)}"
        else:
            answer = labels.pick(n.reason_zh, n.reason_en)
        rows.append(NeedRow(kind, n.text, status, answer, labels.pick(n.next_zh, n.next_en)))
    return rows


def choice_lines(plan: Plan, labels: Labels) -> list[str]:
    """One line per pin or drop, then what the choices cost against the roadmap without them."""
    c = plan.choices
    if c is None:
        return []
    out = []
    for x in c.items:
        name = labels.scenario(x.name_zh, x.name_en)
        by = labels.t("choice_by_goal" if x.by == "goal" else "choice_by_enterprise")
        if not x.honoured:
            out.append(
                f"{labels.t('choice_not_pinned')}“{name}”{labels.paren(by)}{labels.colon}{labels.pick(x.reason_zh, x.reason_en)}"
            )
        else:
            out.append(f"{labels.t('choice_pin' if x.action == 'pin' else 'choice_drop')}“{name}”{labels.paren(by)}")
    if c.timing_zh:  # when the pins start and what that costs (engine/roadmap.py, a pin's cost)
        out.append(labels.pick(c.timing_zh, c.timing_en))
    cost = Labels.money(c.npv_cost)
    if not c.cost_known:  # the roadmap without the choices found no plan in time (the fallback note says so)
        out.append(labels.t("choice_cost_unknown"))
    elif abs(c.npv_cost) < 0.05:
        out.append(labels.t("choice_free"))
    elif labels.zh:
        out.append(f"与不设任何选择的最优规划相比，以上选择使风险调整净现值减少约 {cost} 万元")
    else:
        out.append(
            f"Against the best roadmap without these choices, they lower the risk-adjusted NPV by about {money_en(c.npv_cost)}"
        )
    return out
