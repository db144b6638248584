"""The "同行业、同规模企业的做法" section: for each scenario of the roadmap, the nearest real published cases from the
case library (engine/cases.py), nearest by scenario (family), then division, then size. The HTML/PDF template,
the Word and Markdown renderers and the web plan page all print the rows built here, in the reader's language,
each case with what was done, the outcome figures as its source states them, the source and its date."""

from __future__ import annotations

from typing import Any

from wendao.engine.cases import RELIABILITY_NAMES, Case, cases_for, nearest_cases
from wendao.engine.catalog import LoadedCatalog, default_catalog
from wendao.engine.plan import Plan, PlanItem
from wendao.engine.scenarios import money_en
from wendao.report.labels import Labels

CASES_PER_ITEM = 2

# (zh, en) texts of this section; kept here, not in labels.TEXT, so the section stays one module
T: dict[str, tuple[str, str]] = {
    "title": ("同行业、同规模企业的做法", "What firms of the same industry and size did"),
    "intro": (
        "{total} 个路线图场景中有 {n} 个在案例库里有已发表的真实案例（同场景优先，其次同行业、同规模）。"
        "效果数字照录来源原文，问道未核实；未公开的投资额和回收期不作推算。",
        "{n} of the roadmap's {total} scenarios have a real published case in the case library (same scenario "
        "first, then same industry and size). Outcome figures are as the source states them, not verified by "
        "wendao; investment and payback are not estimated where unpublished.",
    ),
    "none": (
        "案例库里还没有与本方案路线图场景对应的已发表案例。",
        "The case library has no published case for this plan's roadmap scenarios yet.",
    ),
    "outcomes": ("效果", "outcome"),
    "investment": ("投资", "Investment"),
    "payback": ("回收期", "Payback"),
    "source": ("来源", "source"),
    "published": ("发布于", "published"),
    "wan": ("万元", "万元"),
    "months": ("个月", "months"),
}


def _t(labels: Labels, key: str) -> str:
    zh, en = T[key]
    return zh if labels.zh else en


def plan_cases_context(
    plan: Plan, labels: Labels, loaded: LoadedCatalog | None = None, per_item: int = CASES_PER_ITEM
) -> dict[str, Any]:
    """One row per roadmap scenario that has a case (a pilot and its roll-out are one scenario), with its nearest
    cases; ``loaded`` gives the scenario families (the web passes its active catalog, documents the bundled one)."""
    loaded = loaded or default_catalog()
    library = cases_for(loaded)
    names = {r.id: labels.scenario(r.name_zh, r.name_en) for r in plan.scenarios}
    scenarios = list(dict.fromkeys(i.scenario for i in plan.items))
    first_item: dict[str, PlanItem] = {}
    for item in plan.items:
        first_item.setdefault(item.scenario, item)
    rows: list[dict[str, Any]] = []
    for sid in scenarios:
        near = nearest_cases(library, loaded, [sid], plan.enterprise.industry, plan.enterprise.size_class, per_item)
        if not near:
            continue
        item = first_item[sid]
        rows.append(
            {
                "scenario": sid,
                "name": names.get(sid) or labels.scenario(item.name_zh, item.name_en),
                "cases": [_case_row(n.case, n.why_zh, n.why_en, labels) for n in near],
            }
        )
    return {
        "t": {k: _t(labels, k) for k in T},
        "intro": _t(labels, "intro").format(n=len(rows), total=len(scenarios)),
        "rows": rows,
        "scenarios": len(scenarios),
    }


def _case_row(c: Case, why_zh: str, why_en: str, labels: Labels) -> dict[str, Any]:
    zh = labels.zh
    place = "".join(x for x in (c.province_zh, c.city_zh or "") if x) if zh else c.place_en
    money = []
    if c.investment_wan is not None:
        amount = f"{c.investment_wan:,.0f} 万元" if zh else money_en(c.investment_wan, 0)
        money.append(f"{_t(labels, 'investment')} {amount}")
    if c.payback_months is not None:
        money.append(f"{_t(labels, 'payback')} {c.payback_months:.0f} {_t(labels, 'months')}")
    source_name = c.source_name_zh if zh else c.source_name_en
    return {
        "id": c.id,
        "enterprise": c.enterprise_zh if zh else c.enterprise_en,
        "place": place,
        "done": (c.done_zh if zh else c.done_en).rstrip("。. "),  # a clause of one line: its stop comes later
        "outcomes": labels.semi.join(c.outcomes_zh if zh else c.outcomes_en),
        "money": labels.semi.join(money),
        "why": why_zh if zh else why_en,
        "reliability": RELIABILITY_NAMES[c.reliability][0 if zh else 1],
        "source_name": source_name,
        "source": c.source,
        "as_of": c.as_of.isoformat(),
        # one line for the documents: 来源：name，URL（发布于 date；reliability；why）
        "cite": f"{_t(labels, 'source')}{labels.colon}{source_name}{labels.comma}{c.source}"
        + labels.paren(
            labels.semi.join(
                (
                    f"{_t(labels, 'published')} {c.as_of.isoformat()}",
                    RELIABILITY_NAMES[c.reliability][0 if zh else 1],
                    why_zh if zh else why_en,
                )
            )
        ),
    }


def case_lines(ctx: dict[str, Any], labels: Labels) -> list[tuple[str, list[str]]]:
    """The section as (scenario heading, one text per case) pairs: what the Word and Markdown renderers print."""
    out = []
    for row in ctx["rows"]:
        lines = []
        for c in row["cases"]:
            parts = [f"{c['enterprise']}{labels.paren(c['place'])}{labels.colon}{c['done']}"]
            if c["outcomes"]:
                parts.append(f"{ctx['t']['outcomes']}{labels.colon}{c['outcomes']}")
            if c["money"]:
                parts.append(c["money"])
            parts.append(c["cite"])
            lines.append(labels.semi.join(parts))
        out.append((row["name"], lines))
    return out


def cases_markdown(plan: Plan, labels: Labels, add: Any, escape: Any) -> None:
    """The section in Markdown; ``escape`` is the Markdown renderer's ``text`` (every case text shown literally)."""
    ctx = plan_cases_context(plan, labels)
    add(f"## {ctx['t']['title']}\n")
    if not ctx["rows"]:
        add(ctx["t"]["none"] + "\n")
        return
    add(escape(ctx["intro"]) + "\n")
    for name, lines in case_lines(ctx, labels):
        add(f"### {escape(name)}\n")
        for line in lines:
            add(f"- {escape(line)}")
        add("")


def cases_docx(doc: Any, ctx: dict[str, Any], labels: Labels) -> None:
    """The section in a python-docx document (``ctx`` from ``plan_cases_context``): a heading per roadmap scenario,
    a bullet per case."""
    doc.add_heading(ctx["t"]["title"], level=1)
    if not ctx["rows"]:
        doc.add_paragraph(ctx["t"]["none"])
        return
    doc.add_paragraph(ctx["intro"])
    for name, lines in case_lines(ctx, labels):
        doc.add_heading(name, level=2)
        for line in lines:
            doc.add_paragraph(line, style="List Bullet")
