"""Plan -> Markdown (Chinese or English). Renders the Plan object; recomputes nothing."""

from __future__ import annotations

from collections.abc import Callable

from wendao.engine.plan import Plan
from wendao.report.labels import Labels
from wendao.report.pools import pool_lines, upside_lines

QUARTER_ZH = "第{n}季度"


def _w(x: float) -> str:
    return f"{x:,.1f}"


def _q(n: int, lang: str) -> str:
    year, quarter = divmod(n, 4)
    return f"第{year + 1}年Q{quarter + 1}" if lang == "zh" else f"Y{year + 1} Q{quarter + 1}"


def render_markdown(plan: Plan, lang: str = "zh") -> str:
    zh = lang == "zh"
    labels = Labels(lang)
    e = plan.enterprise
    m = plan.money
    out: list[str] = []
    add = out.append
    add(f"# {e.name} — {'人工智能转型方案' if zh else 'AI transformation plan'}\n")
    add(
        f"{'生成日期' if zh else 'Date'}: {plan.generated_for} · {'知识库版本' if zh else 'Catalog'}: "
        f"{plan.catalog_version} · {'方案格式' if zh else 'Schema'}: {plan.schema_version}\n"
    )
    add(f"## {'一页摘要' if zh else 'Summary'}\n")
    if zh:
        add(
            f"- 企业：{e.city_zh} · {e.industry_zh}（{e.industry}）· {e.size_class_zh}企业"
            f"{'（规上）' if e.above_designated_size else ''} · 年度预算 {_w(e.budget)} 万元"
        )
        add(
            f"- 成熟度总分 **{plan.assessment.overall}** / 100；"
            + "；".join(f"{lv.name_zh}：{lv.label_zh}" for lv in plan.assessment.levels)
        )
        add(
            f"- 投资 {_w(m.one_off)} 万元，可计入补贴 {_w(m.subsidy)} 万元，净投入 **{_w(m.net_one_off)} 万元**；"
            f"年运行成本 {_w(m.annual_running)} 万元"
        )
        add(
            f"- 预计年收益（风险调整后）{_w(m.annual_benefit.low)}–{_w(m.annual_benefit.high)} 万元，中值 "
            f"**{_w(m.annual_benefit.median)} 万元**；规划期净现值 {_w(m.npv)} 万元"
            + (
                ""
                if not m.payback_months
                else f"；约 {m.payback_months:.0f} 个月回本"
                if m.payback_months <= 3 * plan.settings["horizon_quarters"]
                else "；规划期内不回本"
            )
        )
        add(
            "- 前三项举措：" + "；".join(i.name_zh for i in plan.items[:3])
            if plan.items
            else "- 本预算下没有可行项目"
            + (f"；{plan.first_step.text_zh}" if plan.first_step is not None else "")
        )
    else:
        add(
            f"- Enterprise: {e.city_en or e.city} · {e.industry_en or e.industry} ({e.industry}) · {e.size_class}"
            f"{' (above designated size)' if e.above_designated_size else ''} · yearly budget {_w(e.budget)} 万元"
        )
        add(
            f"- Maturity {plan.assessment.overall} / 100; "
            + "; ".join(f"{lv.name_en}: {lv.label_en}" for lv in plan.assessment.levels)
        )
        add(f"- Investment {_w(m.one_off)} 万元, counted subsidies {_w(m.subsidy)}, net **{_w(m.net_one_off)} 万元**")
        add(
            f"- Annual benefit (risk-adjusted) {_w(m.annual_benefit.low)}–{_w(m.annual_benefit.high)} 万元, median "
            f"**{_w(m.annual_benefit.median)}**; NPV {_w(m.npv)} 万元"
        )
        add(
            "- Top moves: " + "; ".join(i.name_en for i in plan.items[:3])
            if plan.items
            else "- No feasible project"
            + (f"; {plan.first_step.text_en}" if plan.first_step is not None else "")
        )
    add("")
    add(f"## {'成熟度' if zh else 'Maturity'}\n")
    add("| " + (" | ".join(["维度", "得分"] if zh else ["Dimension", "Score"])) + " |\n|---|---:|")
    for d in plan.assessment.dimensions:
        add(f"| {d.name_zh if zh else d.name_en} | {'—' if d.score is None else d.score} |")
    add("")
    add(f"## {'路线图' if zh else 'Roadmap'}{labels.paren(plan.roadmap_status)}\n")
    head = (
        ["场景", "开始", "上线", "投资", "补贴", "净投入", "年收益中值", "净现值"]
        if zh
        else ["Scenario", "Start", "Live", "Investment", "Subsidy", "Net", "Benefit/yr", "NPV"]
    )
    add("| " + " | ".join(head) + " |\n|---|---|---|---:|---:|---:|---:|---:|")
    for i in plan.items:
        add(
            f"| {i.name_zh if zh else i.name_en} | {_q(i.start_quarter, lang)} | {_q(i.end_quarter, lang)} | "
            f"{_w(i.one_off)} | {_w(i.subsidy)} | {_w(i.net_one_off)} | {_w(i.annual_benefit.median)} | {_w(i.npv)} |"
        )
    add("")
    _pools(plan, labels, add)
    add(f"## {'排序与理由' if zh else 'Ranked scenarios and reasons'}\n")
    for r in plan.scenarios[:10]:
        add(f"### {r.rank}. {r.name_zh if zh else r.name_en}{labels.paren(f'{r.score:.2f}')}")
        for reason in r.reasons:
            add(f"- {reason.zh if zh else reason.en}")
        add("")
    add(f"## {'未纳入的场景' if zh else 'Left out'}\n")
    for x in plan.excluded[:20]:
        add(f"- {x.name_zh if zh else x.name_en}{labels.colon}{x.detail_zh if zh else x.detail_en}")
    add("")
    add(f"## {'资金支持' if zh else 'Funding'}\n")
    for i in plan.items:
        for o in i.funding.eligible:
            if zh:
                add(
                    f"- {i.name_zh} · {o.name_zh}（{o.status}）：{_w(o.amount)} 万元 — {o.basis_zh}；{o.apply.where_zh}"
                )
            else:
                add(
                    f"- {i.name_en} · {o.name_en} ({o.status}): {_w(o.amount)} 万元 — {o.basis_en}; "
                    f"{o.apply.where_en or o.apply.where_zh}"
                )
    add("")
    if plan.model_routes:
        add(f"## {'模型路线' if zh else 'Model routes'}\n")
        for mr in plan.model_routes:
            best = next((r for r in mr.advice.routes if r.usable), None)
            if best is None:
                continue
            one_off = f"{best.one_off_yuan.low:,.0f}–{best.one_off_yuan.high:,.0f} 元"
            monthly = f"{best.monthly_yuan.low:,.0f}–{best.monthly_yuan.high:,.0f} 元"
            if zh:
                add(f"- {mr.name_zh}：{best.name_zh}，一次性 {one_off}，月度 {monthly}（{mr.assumptions_zh}）")
            else:
                add(
                    f"- {mr.name_en or mr.name_zh}: {best.name_en}, one-off {one_off}, monthly {monthly} "
                    f"({mr.assumptions_en or mr.assumptions_zh})"
                )
        add("")
    add(f"## {'里程碑' if zh else 'Milestones'}\n")
    for ms in plan.milestones:
        add(f"- {_q(ms.quarter, lang)}{labels.colon}{ms.text_zh if zh else ms.text_en}")
    add("")
    add(f"## {'未来90天' if zh else 'Next 90 days'}\n")
    for st in plan.next_steps:
        add(f"- {st.within_days} {'天内' if zh else 'days'}{labels.colon}{st.text_zh if zh else st.text_en}")
    add("")
    add(f"## {'假设' if zh else 'Assumptions'}\n")
    for a in plan.assumptions_zh if zh else plan.assumptions_en:
        add(f"- {a}")
    add("")
    add(f"## {'来源' if zh else 'Sources'}\n")
    for s in plan.sources:
        where = s.source or f"{'估算' if zh else 'estimate'}: {s.estimate}"
        add(f"- `{s.id}` {s.what if zh else s.what_en}: {where}" + (labels.paren(str(s.as_of)) if s.as_of else ""))
    return "\n".join(out) + "\n"


def _pools(plan: Plan, labels: Labels, add: Callable[[str], None]) -> None:
    """Each money pool beside what the plan takes out of it, and the upside not counted."""
    add(f"## {labels.t('s_pools')}\n")
    lines = pool_lines(plan, labels)
    for line in lines or [labels.t("no_pools")]:
        add(f"- {line}")
    add("")
    add(labels.t("pools_note") + "\n")
    upside = upside_lines(plan, labels)
    if upside:
        add(f"### {labels.t('upside')}\n")
        for line in upside:
            add(f"- {line}")
        add("")
