"""Plan -> Markdown (Chinese or English). Renders the Plan object; recomputes nothing.

Every text taken from the plan goes through ``text``: the enterprise's own words (its name, its pain points
quoted in the reasons) and the knowledge base's alike, so that no text can add HTML or Markdown structure to
a document that is opened in a Markdown viewer or converted to HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from wendao.engine.plan import Plan
from wendao.engine.scenarios import money_en, money_range_en
from wendao.report.cases import cases_markdown
from wendao.report.labels import NIL, Labels
from wendao.report.needs import choice_lines, need_rows
from wendao.report.pools import pool_lines, upside_lines
from wendao.report.routes import model_free_line, route_rows
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
    return Labels.money(x)  # one rule with the other formats (two decimals under 0.05 万元)


def _q(n: int, lang: str) -> str:
    year, quarter = divmod(n, 4)
    return f"第{year + 1}年Q{quarter + 1}" if lang == "zh" else f"Y{year + 1} Q{quarter + 1}"


def render_markdown(plan: Plan, lang: str = "zh") -> str:
    zh = lang == "zh"
    t = text
    labels = Labels(lang)
    e = plan.enterprise
    m = plan.money
    top = plan.top_items()
    out: list[str] = []
    add = out.append
    add(f"# {t(e.name)} — {'人工智能转型方案' if zh else 'AI transformation plan'}\n")
    add(
        f"{'生成日期' if zh else 'Date'}: {plan.generated_for} · {'知识库版本' if zh else 'Catalog'}: "
        f"{t(plan.catalog_version)} · {'方案格式' if zh else 'Schema'}: {t(labels.schema_version(plan.schema_version))}\n"
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
            (
                f"- 投资 {_w(m.one_off)} 万元，可计入补贴 {_w(m.subsidy)} 万元，净投入 **{_w(m.net_one_off)} 万元**；"
                if round(m.subsidy, 1)
                else f"- 投资 **{_w(m.one_off)} 万元**（暂无可计入的补贴，可能适用的政策见“资金支持”）；"
            )
            + f"年运行成本 {_w(m.annual_running)} 万元"
        )
        add(
            f"- 预计年收益（风险调整后）{_w(m.annual_benefit.low)}–{_w(m.annual_benefit.high)} 万元，中值 "
            f"**{_w(m.annual_benefit.median)} 万元**；规划期净现值 {_w(m.npv)} 万元"
            + (
                ("；" + labels.t("no_payback") if m.one_off > 0 else "")  # spends and never pays back: say so
                if not m.payback_months
                else f"；约 {m.payback_months:.0f} 个月回本"
                if m.payback_months <= 3 * plan.settings["horizon_quarters"]
                else "；" + labels.t("no_payback")
            )
        )
        add(
            f"- {'前三项举措' if len(top) >= 3 else '优先举措'}（{labels.top_order(plan.settings['objective'], any(i.staged for i in top))}）："
            + "；".join(t(i.label_zh) for i in top)
            if plan.items
            else "- 本预算下没有可行项目"
            + (f"；{t(plan.first_step.text_zh)}" if plan.first_step is not None else "")
        )
    else:
        add(
            f"- Enterprise: {t(e.city_en or e.city)} · {t(e.industry_en or e.industry)} ({t(e.industry)}) · "
            f"{t(e.size_class)}{' (above designated size)' if e.above_designated_size else ''} · "
            f"yearly budget {money_en(e.budget)}"
        )
        add(
            f"- Maturity {plan.assessment.overall} / 100; "
            + "; ".join(f"{t(lv.name_en)}: {t(lv.label_en)}" for lv in plan.assessment.levels)
        )
        add(
            f"- Investment {money_en(m.one_off)}, counted subsidies {money_en(m.subsidy)}, net **{money_en(m.net_one_off)}**"
            if round(m.subsidy, 1)
            else f"- Investment **{money_en(m.one_off)}** (no subsidy counted yet; the policies that may apply are "
            "under Funding)"
        )
        add(
            f"- Annual benefit (risk-adjusted) {money_range_en(m.annual_benefit.low, m.annual_benefit.high)}, median "
            f"**{money_en(m.annual_benefit.median)}**; NPV {money_en(m.npv)}"
        )
        add(
            f"- Top moves ({labels.top_order(plan.settings['objective'], any(i.staged for i in top))}): "
            + "; ".join(t(i.label_en) for i in top)
            if plan.items
            else "- No feasible project"
            + (f"; {t(plan.first_step.text_en)}" if plan.first_step is not None else "")
        )
    add("")
    _needs(plan, labels, add)
    add(f"## {'成熟度' if zh else 'Maturity'}\n")
    add("| " + (" | ".join(["维度", "得分"] if zh else ["Dimension", "Score"])) + " |\n|---|---:|")
    for d in plan.assessment.dimensions:
        add(f"| {t(d.name_zh if zh else d.name_en)} | {'—' if d.score is None else d.score} |")
    add("")
    status = t(labels.solver_status(plan.roadmap_status))  # “可行方案（…）” inside “路线图（…）” read as nested brackets
    add(f"## {'路线图' if zh else 'Roadmap'}{labels.colon + status if '（' in status or '(' in status else labels.paren(status)}\n")
    head = (
        ["场景", "开始", "上线", "投资", labels.t("subsidy"), "净投入", "年收益中值", "净现值"]
        if zh
        else ["Scenario", "Start", "Live", "Investment", labels.t("subsidy"), "Net", "Benefit/yr", "NPV"]
    )
    add("| " + " | ".join(head) + " |\n|---|---|---|---:|---:|---:|---:|---:|")
    for i in plan.items:
        add(
            f"| {t(i.label_zh if zh else i.label_en)} | {_q(i.start_quarter, lang)} | {_q(i.end_quarter, lang)} | "
            f"{_w(i.one_off)} | {Labels.subsidy(i.subsidy)} | {_w(i.net_one_off)} | {_w(i.annual_benefit.median)} | {_w(i.npv)} |"
        )
    add("")
    for f in plan.foundations:  # what a foundation item buys (engine/foundations.py)
        add(t(f.text_zh if zh else f.text_en) + "\n")
    for f in plan.roadmap_fallbacks:  # each fallback of the solver, stated (engine/roadmap_fallbacks.py)
        add(f"> {t(labels.pick(f.note_zh, f.note_en))}\n")
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
        add(f"- {t(x.name_zh if zh else x.name_en)}{labels.colon}{t(labels.why(x))}")
    add("")
    _funding(plan, labels, add)
    _who_pays(plan, labels, add)
    rows, free = route_rows(plan, labels), model_free_line(plan, labels)
    if rows or free:
        add(f"## {'模型路线' if zh else 'Model routes'}\n")
        for mr, row in zip(plan.model_routes, rows, strict=False):
            assumptions = t(mr.assumptions_zh if zh else mr.assumptions_en or mr.assumptions_zh)
            unpriced = row.running == NIL  # no cloud bill: a private deployment's power and upkeep are not priced
            if zh:
                running = "无云端调用费（电费和运维未计入）" if unpriced else f"每年运行费用 {row.running} 万元"
                add(f"- {t(row.scenario)}：{t(row.route)}，一次性投入 {row.one_off} 万元，{running}（{assumptions}）")
            else:
                running = (
                    "no cloud bill (electricity and upkeep not priced)"
                    if unpriced
                    else f"running cost {row.running_text} a year"
                )
                add(f"- {t(row.scenario)}: {t(row.route)}, one-off {row.one_off_text}, {running} ({assumptions})")
        if free:
            add(f"- {t(free)}")
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
    cases_markdown(plan, labels, add, text)
    add(f"## {'来源' if zh else 'Sources'}\n")
    for s in plan.sources:
        where = t(labels.source_cell(s))
        add(f"- {t(s.what if zh else s.what_en)}{labels.colon}{where}" + (labels.paren(str(s.as_of)) if s.as_of else ""))
    return "\n".join(out) + "\n"


def _needs(plan: Plan, labels: Labels, add: Callable[[str], None]) -> None:
    """Every stated need with its answer, then the pins and drops and what they cost."""
    add(f"## {labels.t('s_needs')}\n")
    rows = need_rows(plan, labels)
    if not rows:
        add(labels.t("no_needs") + "\n")
    else:
        head = [labels.t(k) for k in ("need_kind", "need_text", "need_status", "need_answer", "need_next")]
        add("| " + " | ".join(head) + " |\n|---|---|---|---|---|")
        for r in rows:
            add(f"| {r.kind} | {text(r.text)} | {r.status} | {text(r.answer)} | {text(r.next_step) or '—'} |")
        add("")
    lines = choice_lines(plan, labels)
    if lines:
        add(f"### {labels.t('s_choices')}\n")
        for line in lines:
            add(f"- {text(line)}")
        add("")


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


def _funding(plan: Plan, labels: Labels, add: Callable[[str], None]) -> None:
    """The funding section as the PDF and Word print it (who_pays.funding_rows): one line per policy with the items
    it pays for, or the sentence saying there is none; Linyi's heading had stood empty, and a policy on several
    items was repeated on each item's line."""
    from wendao.report.who_pays import funding_rows

    add(f"## {labels.t('s_funding')}\n")
    rows = funding_rows(plan, labels)
    if not rows:
        add(labels.t("no_funding_rows") + "\n")
        return
    for r in rows:
        amount = labels.amount(r["amount"], 1) + ("/年" if labels.zh else " a year") * r["per_year"]
        verdict = labels.t("counted") if r["counted"] else labels.t("possible")
        parts = (labels.enum.join(r["items"]), amount, f"{r['status']}{labels.semi}{verdict}", r["apply"])
        add(f"- {text(r['name'])}{labels.colon}" + labels.semi.join(text(x) for x in parts if x))
    add("")


def _who_pays(plan: Plan, labels: Labels, add: Callable[[str], None]) -> None:
    """The "谁来出钱" section (report/who_pays.py) as Markdown tables and lists."""
    from wendao.report.who_pays import who_pays_context

    wp = who_pays_context(plan, labels)
    if wp is None:
        return
    t = wp["t"]
    add(f"## {t['title']}\n")
    add(f"### {t['by_year']}\n")
    add(f"{wp['unit']}\n")  # the tables' cells are bare numbers
    add("| " + " | ".join(wp["year_heads"]) + " |\n|---|" + "---:|" * (len(wp["year_heads"]) - 1))
    for row in wp["years"]:
        add("| " + " | ".join(text(c) for c in row) + " |")
    add("")
    for b in wp["basis"]:
        add(f"- {text(b)}")
    add(f"\n### {t['by_item']}\n")
    add(f"{wp['unit']}\n")
    add("| " + " | ".join(wp["item_heads"]) + " |\n|---|" + "---:|" * (len(wp["item_heads"]) - 1))
    for i in wp["item_rows"]:
        add("| " + " | ".join(text(c) for c in i["cells"]) + " |")
    add("")
    for i in wp["item_rows"]:
        for ln in i["lines"]:
            add(
                f"- {text(i['cells'][0])}{labels.colon}{ln['verdict']}{labels.colon}{text(ln['name'])}{wp['ref_gap']}{text(ln['ref'])}"
                f" {ln['amount']}{labels.semi}{text(ln['detail'])}"
            )
    if wp["sources"]:  # each policy cited once; the lines above carry its number
        add(f"\n{t['sources']}{labels.colon}\n")
        for src in wp["sources"]:
            cited = labels.semi.join(text(x) for x in (src["name"], src["doc"], src["ask"], src["link"]) if x)
            add(f"- {text(src['ref'])} {cited}")
    sections = (("questions", "question"), ("apply", "name"), ("bundles", "name"), ("announced", "name"), ("other", "name"))
    for key, first in sections:
        if wp[key]:
            add(f"\n### {t[key]}\n")
            for row in wp[key]:
                # a policy to watch cites its link once (its source is the same page, read at a date)
                rest = [v for k, v in row.items() if k != first and v and not (key == "other" and k == "source")]
                add(f"- {text(row[first])}{labels.semi}" + labels.semi.join(text(v) for v in rest))
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
