"""The model-route section of the documents and the web: one row per AI item (its recommended route, money in
万元, hardware, time) and one plain sentence for the items that need no model. The engine prices routes in 元
(a per-call price is a fraction of a 元); here they become 万元 like every other amount a reader sees."""

from __future__ import annotations

from dataclasses import dataclass

from wendao.engine.modelroute import MoneyRange, Route, gpu_hours_text
from wendao.engine.plan import Plan
from wendao.engine.reasons import render_reason
from wendao.engine.scenarios import money_range_en
from wendao.report.labels import NIL, Labels

YUAN_PER_WAN = 1e4


def wan_text(yuan: float) -> str:
    """An amount given in 元, in 万元 with the precision it deserves: 2 decimals below 1 万元, "<0.01" for a
    few 元, one decimal up to 100 万元."""
    v = yuan / YUAN_PER_WAN
    if v == 0:
        return "0"
    if v < 0.01:
        return "<0.01"
    if v < 1:
        return f"{v:.2f}"
    return f"{v:,.1f}" if v < 100 else f"{v:,.0f}"


def wan_range(low_yuan: float, high_yuan: float) -> str:
    low, high = wan_text(low_yuan), wan_text(high_yuan)
    return low if low == high else f"{low}–{high}"


def running_per_year(monthly_yuan: MoneyRange) -> str:
    """A route's running cost per year in 万元, or "—" when nothing recurring is priced (a private deployment's
    power and upkeep): the documents' route table and the web plan's route table print it alike."""
    return NIL if monthly_yuan.high == 0 else wan_range(monthly_yuan.low * 12, monthly_yuan.high * 12)


@dataclass(frozen=True, slots=True)
class RouteRow:
    scenario: str
    route: str
    usable: bool
    one_off: str  # 万元
    running: str  # 万元 per year, "—" when nothing recurring is priced
    hardware: str
    training: str  # GPU-hours of training, "" when the route trains nothing
    time: str
    why_not: list[str]
    # the amounts with their unit for running text: "0.5–1.2 万元" / "CNY 5,000–12,000"
    one_off_text: str = ""
    running_text: str = ""  # per year; "" when nothing recurring is priced


def route_row(scenario: str, r: Route, labels: Labels) -> RouteRow:
    hardware = labels.pick(r.hardware or "", r.hardware_en or "") or "—"
    if r.gpu_memory_gb:
        memory = f"{r.gpu_memory_gb:g} GB"
        hardware = (
            memory if hardware == "—" else f"{hardware}{labels.comma}{'显存约' if labels.zh else 'about'} {memory}"
        )
    return RouteRow(
        scenario=scenario,
        route=labels.pick(r.name_zh, r.name_en),
        usable=r.usable,
        one_off=wan_range(r.one_off_yuan.low, r.one_off_yuan.high),
        running=running_per_year(r.monthly_yuan),
        hardware=hardware,
        training=gpu_hours_text(r.training_gpu_hours, labels.lang) if r.training_gpu_hours else "",
        time=f"{r.weeks_to_first_result[0]}–{r.weeks_to_first_result[1]} {labels.t('weeks')}",
        why_not=[render_reason(w, labels.lang) for w in r.why_not],
        one_off_text=_amount(r.one_off_yuan.low, r.one_off_yuan.high, labels),
        running_text=""
        if r.monthly_yuan.high == 0
        else _amount(r.monthly_yuan.low * 12, r.monthly_yuan.high * 12, labels),
    )


def _amount(low_yuan: float, high_yuan: float, labels: Labels) -> str:
    """A range given in 元 for running text: in 万元 in Chinese; in English "CNY 5,000–12,000" (to the yuan below
    CNY 100, where a few yuan of API calls is not "CNY 0")."""
    if labels.zh:
        return f"{wan_range(low_yuan, high_yuan)} 万元"
    digits = 4 if 0 < high_yuan < 100 else 2
    return money_range_en(low_yuan / YUAN_PER_WAN, high_yuan / YUAN_PER_WAN, digits)


def route_rows(plan: Plan, labels: Labels) -> list[RouteRow]:
    """Per AI item, the recommended route (the first listed: usable routes come first, cheapest first)."""
    return [
        route_row(labels.pick(mr.name_zh, mr.name_en), mr.advice.routes[0], labels)
        for mr in plan.model_routes
        if mr.advice.routes
    ]


def model_free_line(plan: Plan, labels: Labels) -> str:
    """The sentence that says which items need no model at all ("" when every item has a route or the plan
    was made without routes)."""
    plain = [labels.pick(m.name_zh, m.name_en) for m in plan.model_free if m.hint != "optimisation_solver"]
    solver = [labels.pick(m.name_zh, m.name_en) for m in plan.model_free if m.hint == "optimisation_solver"]
    parts = []
    if plain:
        parts.append(
            f"{labels.enum.join(plain)}：购买成熟的软件或设备即可，不需要训练或调用AI模型。"
            if labels.zh
            else f"{', '.join(plain)}: bought as ready software or equipment; no AI model to train or call."
        )
    if solver:
        parts.append(
            f"{labels.enum.join(solver)}：使用优化求解器（按工厂规则配置），不需要训练AI模型。"
            if labels.zh
            else f"{', '.join(solver)}: an optimisation solver configured with the plant's rules; no AI model to train."
        )
    return "".join(parts) if labels.zh else " ".join(parts)
