"""Plan -> HTML (also the input of the PDF). One Jinja2 template, charts inlined as SVG, no remote assets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment

from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan
from wendao.report.cases import plan_cases_context
from wendao.report.charts import Chart, all_charts
from wendao.report.labels import Labels
from wendao.report.needs import choice_lines, need_rows
from wendao.report.peers import PeerComparison, synthetic_peer_averages
from wendao.report.pools import pool_lines, upside_lines
from wendao.report.routes import model_free_line, route_rows
from wendao.report.templating import template_env
from wendao.report.who_pays import who_pays_context
from wendao.report.workings import defaults_lines, workings

TEMPLATES = Path(__file__).resolve().parent / "templates"
SECTIONS = (
    ("summary", "s_summary"),
    ("needs", "s_needs"),
    ("maturity", "s_maturity"),
    ("levels", "s_levels"),
    ("scenarios", "s_scenarios"),
    ("roadmap", "s_roadmap"),
    ("pools", "s_pools"),
    ("workings", "s_workings"),
    ("cash", "s_cash"),
    ("funding", "s_funding"),
    ("routes", "s_routes"),
    ("kpis", "s_kpis"),
    ("risks", "s_risks"),
    ("next", "s_next"),
    ("sources", "s_sources"),
)
SIZE_EN = {"large": "large", "medium": "medium", "small": "small", "micro": "micro"}


def _env() -> Environment:
    return template_env()  # one environment for every report template, kept for the process


def document_context(
    plan: Plan, lang: str, comparison: PeerComparison | None = None
) -> tuple[dict[str, Any], dict[str, Chart]]:
    """Everything the templates and the Word renderer need. Peers: the web passes the platform's own (the
    averages its plan page shows); without them (CLI) the synthetic demo averages, said so."""
    labels = Labels(lang)
    if comparison is None:
        comparison = PeerComparison(
            *synthetic_peer_averages(default_catalog(), plan.enterprise.industry[:3], plan.enterprise.size_class)
        )
    peers, cell = comparison.averages, comparison.cell
    peer_cell = labels.peer_cell(cell.group, cell.size_class, cell.enterprises, cell.synthetic) if cell else ""
    charts = all_charts(plan, peers, labels)
    chosen = {i.scenario for i in plan.items}
    ranked = [r for r in plan.scenarios if r.id in chosen] + [r for r in plan.scenarios if r.id not in chosen][:5]
    ranked.sort(key=lambda r: r.rank)
    names = {r.id: labels.scenario(r.name_zh, r.name_en) for r in plan.scenarios}
    context = {
        "funding_rows": funding_rows(plan, labels),
        "wp": who_pays_context(plan, labels),
        "cases": plan_cases_context(plan, labels),
        "pool_lines": pool_lines(plan, labels),
        "need_rows": need_rows(plan, labels),
        "choice_lines": choice_lines(plan, labels),
        "workings": workings(plan, labels),
        "defaults_lines": defaults_lines(plan, labels),
        "upside_lines": upside_lines(plan, labels),
        "route_rows": route_rows(plan, labels),
        "model_free_line": model_free_line(plan, labels),
        "plan": plan,
        "e": plan.enterprise,
        "m": plan.money,
        "L": labels,
        "charts": charts,
        "peers": peers,
        "peer_cell": peer_cell,
        "peer_note": labels.peer_note(bool(peers), cell.synthetic if cell else True, peer_cell),
        "top3": plan.top_items(),
        "ranked": ranked,
        "chosen": chosen,
        "left_out": [x for x in plan.excluded if x.reason != "value"][:15]
        + [x for x in plan.excluded if x.reason == "value"][:5],
        "names": names,
        "sections": SECTIONS,
        "size_label": plan.enterprise.size_class_zh + "企业" if labels.zh else SIZE_EN[plan.enterprise.size_class],
        "w": Labels.money,
    }
    return context, charts


def funding_rows(plan: Plan, labels: Labels) -> list[dict[str, Any]]:
    """One row per policy: which items it can fund, the total, and how to apply (counted ones first)."""
    rows: dict[str, dict[str, Any]] = {}
    for item in plan.items:
        for o in item.funding.eligible:
            if o.amount <= 0:  # announced, or no amount for a firm: shown once in the who-pays section
                continue
            row = rows.setdefault(
                o.policy,
                {
                    "name": labels.pick(o.name_zh, o.name_en),
                    "status": labels.status(o.status),
                    # the who-pays verdict: a counted tax measure is counted there (in tax savings), not only grants
                    "counted": False,
                    "amount": 0.0,
                    "items": [],
                    "kind": o.kind,
                    # where, deadline and contact; "not published" said once, not three times
                    "apply": labels.semi.join(
                        dict.fromkeys(
                            x
                            for x in (
                                labels.pick(o.apply.where_zh, o.apply.where_en),
                                labels.pick(o.apply.deadline_zh, o.apply.deadline_en),
                                labels.pick(o.apply.contact_zh, o.apply.contact_en),
                            )
                            if x
                        )
                    ),
                    "basis": labels.pick(o.basis_zh, o.basis_en),
                },
            )
            row["counted"] = row["counted"] or o.counted or o.verdict == "counted"
            row["amount"] += o.amount
            row["items"].append(labels.scenario(item.label_zh, item.label_en))
    # a total under 0.05 万元 would print as 0.0: such small (tax) lines are in the who-pays section with two decimals
    shown = [r for r in rows.values() if r["amount"] >= 0.05]
    return sorted(shown, key=lambda r: (not r["counted"], -r["amount"], r["name"]))


def render_html(plan: Plan, lang: str = "zh", comparison: PeerComparison | None = None) -> str:
    context, _ = document_context(plan, lang, comparison)
    page = '"第 " counter(page) " 页"' if lang == "zh" else '"Page " counter(page)'
    css = (TEMPLATES / "plan.css").read_text(encoding="utf-8").replace("PAGE_LABEL", page)
    return _env().get_template("plan.html.j2").render(css=css, **context)
