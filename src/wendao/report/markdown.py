"""Plan -> Markdown (Chinese or English). Renders the Plan object; recomputes nothing.

Every text taken from the plan goes through ``text``: the enterprise's own words (its name, its pain points
quoted in the reasons) and the knowledge base's alike, so that no text can add HTML or Markdown structure to
a document that is opened in a Markdown viewer or converted to HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from wendao.engine.plan import Plan
from wendao.report.labels import Labels
from wendao.report.pools import pool_lines, upside_lines
from wendao.report.workings import defaults_lines, workings

QUARTER_ZH = "第{n}季度"

# HTML: < and > always (no tag, comment or autolink), & only where it would start an entity (Q&A stays as it
# is); Markdown: backslash, backtick, brackets (no link or image) and | (no extra table cell)
_SPECIAL = re.compile(r"[<>\\`\[\]|]|&(?=#?[0-9A-Za-z]+;)")
_ESCAPED = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029\x85\v\f]+")
# a text that opens a list item would otherwise open a heading, a quote or a nested list inside it
_BLOCK_START = (re.compile(r"^(\s*)([#+*-])(?=\s|$)"), re.compile(r"^(\s*\d+)([.)])(?=\s|$)"))


def text(value: str) -> str:
    """A text shown literally, on one line, wherever it is put: a heading, a list item or a table cell."""
    one_line = _LINE_BREAK.sub(" ", value)
    escaped = _SPECIAL.sub(lambda m: _ESCAPED.get(m.group(), "\\" + m.group()), one_line)
    for marker in _BLOCK_START:
        escaped = marker.sub(r"\1\\\2", escaped)
    return escaped


def _w(x: float) -> str:
    return f"{x:,.1f}"


def _q(n: int, lang: str) -> str:
    year, quarter = divmod(n, 4)
    return f"第{year + 1}年Q{quarter + 1}" if lang == "zh" else f"Y{year + 1} Q{quarter + 1}"


def render_markdown(plan: Plan, lang: str = "zh") -> str:
    zh = lang == "zh"
    t = text
    labels = Labels(lang)
    e = plan.enterprise
    m = plan.money
    out: list[str] = []
    add = out.append
    add(f"# {t(e.name)} — {'人工智能转型方案' if zh else 'AI transformation plan'}\n")
    add(
        f"{'生成日期' if zh else 'Date'}: {plan.generated_for} · {'知识库版本' if zh else 'Catalog'}: "
        f"{t(plan.catalog_version)} · {'方案格式' if zh else 'Schema'}: {t(plan.schema_version)}\n"
    )
    add(f"## {'一页摘要' if zh else 'Summary'}\n")
    if zh:
        add(
            f"- 企业：{t(e.city_zh)} · {t(e.industry_zh)}（{t(e.industry)}）· {t(e.size_class_zh)}企业"
            f"{'（规上）' if e.above_designated_size else ''} · 年度预算 {_w(e.budget)} 万元"
        )
        add(
            f"- 成熟度总分 **{plan.assessment.overall}** / 100；"
            + "；".join(f"{t(lv.name_zh)}：{t(lv.label_zh)}" for lv in plan.assessment.levels)
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
                else "；" + labels.t("no_payback")
            )
        )
        add(
            "- 前三项举措：" + "；".join(t(i.name_zh) for i in plan.items[:3])
            if plan.items
            else "- 本预算下没有可行项目"
            + (f"；{t(plan.first_step.text_zh)}" if plan.first_step is not None else "")
        )
    else:
        add(
            f"- Enterprise: {t(e.city_en or e.city)} · {t(e.industry_en or e.industry)} ({t(e.industry)}) · "
            f"{t(e.size_class)}{' (above designated size)' if e.above_designated_size else ''} · "
            f"yearly budget {_w(e.budget)} 万元"
        )
        add(
            f"- Maturity {plan.assessment.overall} / 100; "
            + "; ".join(f"{t(lv.name_en)}: {t(lv.label_en)}" for lv in plan.assessment.levels)
        )
        add(f"- Investment {_w(m.one_off)} 万元, counted subsidies {_w(m.subsidy)}, net **{_w(m.net_one_off)} 万元**")
        add(
            f"- Annual benefit (risk-adjusted) {_w(m.annual_benefit.low)}–{_w(m.annual_benefit.high)} 万元, median "
            f"**{_w(m.annual_benefit.median)}**; NPV {_w(m.npv)} 万元"
        )
        add(
            "- Top moves: " + "; ".join(t(i.name_en) for i in plan.items[:3])
            if plan.items
            else "- No feasible project"
            + (f"; {t(plan.first_step.text_en)}" if plan.first_step is not None else "")
        )
    add("")
    add(f"## {'成熟度' if zh else 'Maturity'}\n")
    add("| " + (" | ".join(["维度", "得分"] if zh else ["Dimension", "Score"])) + " |\n|---|---:|")
    for d in plan.assessment.dimensions:
        add(f"| {t(d.name_zh if zh else d.name_en)} | {'—' if d.score is None else d.score} |")
    add("")
    add(f"## {'路线图' if zh else 'Roadmap'}{labels.paren(t(plan.roadmap_status))}\n")
    head = (
        ["场景", "开始", "上线", "投资", "补贴", "净投入", "年收益中值", "净现值"]
        if zh
        else ["Scenario", "Start", "Live", "Investment", "Subsidy", "Net", "Benefit/yr", "NPV"]
    )
    add("| " + " | ".join(head) + " |\n|---|---|---|---:|---:|---:|---:|---:|")
    for i in plan.items:
        add(
            f"| {t(i.name_zh if zh else i.name_en)} | {_q(i.start_quarter, lang)} | {_q(i.end_quarter, lang)} | "
            f"{_w(i.one_off)} | {_w(i.subsidy)} | {_w(i.net_one_off)} | {_w(i.annual_benefit.median)} | {_w(i.npv)} |"
        )
    add("")
    _pools(plan, labels, add)
    _workings(plan, labels, add)
    add(f"## {'排序与理由' if zh else 'Ranked scenarios and reasons'}\n")
    for r in plan.scenarios[:10]:
        add(f"### {r.rank}. {t(r.name_zh if zh else r.name_en)}{labels.paren(f'{r.score:.2f}')}")
        for reason in r.reasons:
            add(f"- {t(reason.zh if zh else reason.en)}")
        add("")
    add(f"## {'未纳入的场景' if zh else 'Left out'}\n")
    for x in plan.excluded[:20]:
        add(f"- {t(x.name_zh if zh else x.name_en)}{labels.colon}{t(x.detail_zh if zh else x.detail_en)}")
    add("")
    add(f"## {'资金支持' if zh else 'Funding'}\n")
    for i in plan.items:
        for o in i.funding.eligible:
            if zh:
                add(
                    f"- {t(i.name_zh)} · {t(o.name_zh)}（{t(o.status)}）：{_w(o.amount)} 万元 — {t(o.basis_zh)}；"
                    f"{t(o.apply.where_zh)}"
                )
            else:
                add(
                    f"- {t(i.name_en)} · {t(o.name_en)} ({t(o.status)}): {_w(o.amount)} 万元 — {t(o.basis_en)}; "
                    f"{t(o.apply.where_en or o.apply.where_zh)}"
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
                add(f"- {t(mr.name_zh)}：{t(best.name_zh)}，一次性 {one_off}，月度 {monthly}（{t(mr.assumptions_zh)}）")
            else:
                add(
                    f"- {t(mr.name_en or mr.name_zh)}: {t(best.name_en)}, one-off {one_off}, monthly {monthly} "
                    f"({t(mr.assumptions_en or mr.assumptions_zh)})"
                )
        add("")
    add(f"## {'里程碑' if zh else 'Milestones'}\n")
    for ms in plan.milestones:
        add(f"- {_q(ms.quarter, lang)}{labels.colon}{t(ms.text_zh if zh else ms.text_en)}")
    add("")
    add(f"## {'未来90天' if zh else 'Next 90 days'}\n")
    for st in plan.next_steps:
        add(f"- {st.within_days} {'天内' if zh else 'days'}{labels.colon}{t(st.text_zh if zh else st.text_en)}")
    add("")
    add(f"## {'假设' if zh else 'Assumptions'}\n")
    for a in plan.assumptions_zh if zh else plan.assumptions_en:
        add(f"- {t(a)}")
    add("")
    add(f"## {'来源' if zh else 'Sources'}\n")
    for s in plan.sources:
        where = t(s.source) if s.source else f"{'估算' if zh else 'estimate'}: {t(s.estimate or '')}"
        add(f"- `{s.id}` {t(s.what if zh else s.what_en)}: {where}" + (labels.paren(str(s.as_of)) if s.as_of else ""))
    return "\n".join(out) + "\n"


def _pools(plan: Plan, labels: Labels, add: Callable[[str], None]) -> None:
    """Each money pool beside what the plan takes out of it, and the upside not counted."""
    add(f"## {labels.t('s_pools')}\n")
    lines = pool_lines(plan, labels)
    for line in lines or [labels.t("no_pools")]:
        add(f"- {text(line)}")
    add("")
    add(labels.t("pools_note") + "\n")
    upside = upside_lines(plan, labels)
    if upside:
        add(f"### {labels.t('upside')}\n")
        for line in upside:
            add(f"- {text(line)}")
        add("")


def _workings(plan: Plan, labels: Labels, add: Callable[[str], None]) -> None:
    """How the money was made (issue 13 item 8): report/workings.py, as in the HTML/PDF and Word."""
    shown = workings(plan, labels)
    defaults = defaults_lines(plan, labels)
    if not shown and not defaults:
        return
    add(f"## {labels.t('s_workings')}\n")
    for line in defaults:
        add(f"- {text(line)}")
    for wk in shown:
        add(f"\n### {text(wk.title)}\n")
        for line in wk.lines:
            add(f"- {text(line)}")
    add("")
    add(labels.t("workings_note") + "\n")
