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
from wendao.report.who_pays import funding_rows, who_pays_context
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


def render_html(plan: Plan, lang: str = "zh", comparison: PeerComparison | None = None) -> str:
    context, _ = document_context(plan, lang, comparison)
    page = '"第 " counter(page) " 页"' if lang == "zh" else '"Page " counter(page)'
    css = (TEMPLATES / "plan.css").read_text(encoding="utf-8").replace("PAGE_LABEL", page)
    return _env().get_template("plan.html.j2").render(css=css, **context)
