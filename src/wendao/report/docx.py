"""Plan -> Word (.docx) with real Word styles: Title, Heading 1/2, tables in a table style, a table-of-contents
field (Word/WPS fill it on opening: right-click -> update field), page numbers in the footer, a running header,
and the East-Asian font set on every style so Chinese displays properly in Word and WPS. Same sections and
the same charts (PNG) as the HTML/PDF."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from wendao.engine.plan import Plan
from wendao.report.cases import cases_docx
from wendao.report.html import document_context
from wendao.report.labels import Labels
from wendao.report.needs import choice_lines, need_rows
from wendao.report.peers import PeerComparison
from wendao.report.pools import pool_lines, upside_lines
from wendao.report.routes import model_free_line, route_rows
from wendao.report.workings import defaults_lines, workings

SANS = "Noto Sans CJK SC"
SERIF = "Noto Serif CJK SC"
ACCENT = RGBColor(0x14, 0x36, 0x5F)


def _east_asian(style: Any, font: str, size: float | None = None, bold: bool | None = None) -> None:
    style.font.name = font
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold


def _field(paragraph: Any, instruction: str, placeholder: str = "") -> None:
    """A Word field (TOC, PAGE): begin, instruction, separate, placeholder, end."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run._r.append(begin)
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    run._r.append(text)
    run = paragraph.add_run()
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(sep)
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)


def _no_split(row: Any) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _table(
    doc: Any, headers: list[str], rows: list[list[str]], widths_cm: list[float], numeric: set[int] | None = None
) -> None:
    numeric = numeric or set()
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Light Grid Accent 1"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, text in enumerate(headers):
        cell = table.rows[0].cells[i]
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    _repeat_header(table.rows[0])
    for values in rows:
        row = table.add_row()
        _no_split(row)
        for i, text in enumerate(values):
            row.cells[i].text = text
            if i in numeric:
                row.cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        for i, width in enumerate(widths_cm):
            row.cells[i].width = Cm(width)
    doc.add_paragraph()


def _styles(doc: Any) -> None:
    _east_asian(doc.styles["Normal"], SANS, 10)
    _east_asian(doc.styles["Title"], SERIF, 24, True)
    for name, size in (("Heading 1", 15), ("Heading 2", 12), ("Heading 3", 11)):
        _east_asian(doc.styles[name], SERIF, size, True)
        doc.styles[name].font.color.rgb = ACCENT
    for name in ("Caption", "List Bullet", "List Number", "Table Grid", "Light Grid Accent 1"):
        if name in [s.name for s in doc.styles]:
            _east_asian(doc.styles[name], SANS)


def render_docx(plan: Plan, lang: str = "zh", comparison: PeerComparison | None = None) -> bytes:
    """The plan as Word: the sections in the order of the HTML/PDF, each written by its own function."""
    ctx, charts = document_context(plan, lang, comparison)
    L: Labels = ctx["L"]  # noqa: N806 - the same short name the templates use
    doc = Document()
    _styles(doc)
    _page(doc, f"{plan.enterprise.name} · {L.t('doc_title')}", L.t("page"))
    _cover(doc, plan, ctx)
    _contents(doc, L)
    _summary(doc, plan, L)
    _needs(doc, plan, L)
    _maturity(doc, plan, ctx, charts)
    _levels(doc, plan, L)
    _scenarios(doc, ctx)
    _roadmap(doc, plan, L, charts)
    _pools(doc, plan, L)
    _workings(doc, plan, L)
    _cash(doc, L, charts)
    _funding(doc, ctx)
    _who_pays(doc, ctx["wp"], L)
    _routes(doc, plan, L)
    _kpis_and_risks(doc, plan, ctx)
    _next_steps(doc, plan, L)
    cases_docx(doc, ctx["cases"], L)
    _sources(doc, plan, L)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page(doc: Any, running_header: str, page_label: str) -> None:
    """A4 portrait, the running header (not on the cover) and the page number in the footer (``page_label`` holds
    ``{page}``). The plan's and the cohort report's Word documents (report/cohort.py) share it."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.8))
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.text = running_header
    header.runs[0].font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, after = page_label.split("{page}")
    footer.add_run(before)
    _field(footer, "PAGE", "1")
    footer.add_run(after)


def _cover(doc: Any, plan: Plan, ctx: dict[str, Any]) -> None:
    L: Labels = ctx["L"]  # noqa: N806 - as in the templates
    e = plan.enterprise
    doc.add_paragraph(f"问道 wendao · {L.t('confidential')}")
    doc.add_paragraph(f"{e.name}\n{L.t('doc_title')}", style="Title")
    for line in (
        f"{L.t('city')}{L.colon}{L.pick(e.city_zh, e.city_en or e.city)} · {L.t('industry')}{L.colon}"
        f"{L.pick(e.industry_zh, e.industry_en or e.industry)}{L.paren(e.industry)}",
        f"{L.t('size')}{L.colon}{ctx['size_label']} · {L.t('budget')}{L.colon}{L.amount(e.budget)}",
        f"{L.t('prepared')}{L.colon}{plan.generated_for}",
        f"{L.t('catalog')}{L.colon}{plan.catalog_version} · {L.t('schema')}{L.colon}{L.schema_version(plan.schema_version)}",
    ):
        doc.add_paragraph(line)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _contents(doc: Any, L: Labels) -> None:  # noqa: N803 - as in the templates
    """A table-of-contents field: Word and WPS fill it when the reader updates it."""
    doc.add_heading(L.t("toc"), level=1)
    _field(
        doc.add_paragraph(),
        'TOC \\o "1-2" \\h \\z \\u',
        "（打开后右键“更新域”生成目录）" if L.zh else "(right-click and update the field to build the table)",
    )
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _summary(doc: Any, plan: Plan, L: Labels) -> None:  # noqa: N803 - as in the templates
    """Where the enterprise stands, the first three items (or the first step) and the money in one table."""
    w, m = Labels.money, plan.money
    doc.add_heading(L.t("s_summary"), level=1)
    doc.add_heading(L.t("where"), level=2)
    levels = L.semi.join(
        f"{L.pick(lv.name_zh, lv.name_en)}{L.colon}{L.pick(lv.label_zh, lv.label_en)}" for lv in plan.assessment.levels
    )
    doc.add_paragraph(f"{L.t('overall')} {plan.assessment.overall} / 100{L.semi}{levels}")
    top = plan.top_items()
    doc.add_heading(L.top_heading(len(top)) + L.paren(L.top_order(plan.settings["objective"], any(i.staged for i in top))), level=2)
    if not plan.items:
        doc.add_paragraph(L.t("no_items"))
        if plan.first_step is not None:
            doc.add_paragraph(f"{L.t('first_step')}{L.colon}{L.pick(plan.first_step.text_zh, plan.first_step.text_en)}")
    for i in top:
        doc.add_paragraph(
            f"{L.scenario(i.label_zh, i.label_en)} — {L.quarter(i.start_quarter)}{L.semi}{L.t('net')} "
            f"{L.amount(i.net_one_off)}{L.semi}{L.t('benefit_yr')} {L.amount(i.annual_benefit.median)}",
            style="List Number",
        )
    doc.add_heading(L.t("money"), level=2)
    _table(
        doc,
        [L.t("figure"), L.t("wan")],
        [
            [L.t("investment"), w(m.one_off)],
            [L.t("subsidy"), L.subsidy_headline(m.subsidy)],
            [L.t("net_cost"), w(m.net_one_off)],
            [
                L.t("annual_benefit"),
                f"{w(m.annual_benefit.low)}–{w(m.annual_benefit.high)}{L.paren(w(m.annual_benefit.median))}",
            ],
            [L.t("payback"), L.plan_payback(m.payback_months, m.one_off, plan.settings["horizon_quarters"])],
            [L.t("npv"), w(m.npv)],
        ],
        [9, 8],
        numeric={1},
    )
    doc.add_paragraph(L.money_gloss(plan.settings.get("discount_rate", 0.08)))


def _picture(doc: Any, chart: Any) -> None:
    """A chart as its PNG at its width, with its title as the caption."""
    doc.add_picture(io.BytesIO(chart.png), width=Cm(chart.width_cm))
    doc.add_paragraph(chart.title, style="Caption")


def _maturity(doc: Any, plan: Plan, ctx: dict[str, Any], charts: dict[str, Any]) -> None:
    """The radar chart and each dimension's score beside the peer median."""
    L: Labels = ctx["L"]  # noqa: N806 - as in the templates
    doc.add_heading(L.t("s_maturity"), level=1)
    _picture(doc, charts["radar"])
    peers = ctx["peers"]
    doc.add_paragraph(ctx["peer_note"])
    _table(
        doc,
        [L.t("dimension"), L.t("score"), L.t("peer_median")],
        [
            [
                L.dim(d.name_zh, d.name_en),
                "—" if d.score is None else str(d.score),
                str(peers.get(d.id, "—")) if peers else "—",
            ]
            for d in plan.assessment.dimensions
        ],
        [9, 4, 4],
        {1, 2},
    )


def _levels(doc: Any, plan: Plan, L: Labels) -> None:  # noqa: N803 - as in the templates
    """The official level scales with what the next level needs, then the gaps that hold each dimension back."""
    doc.add_heading(L.t("s_levels"), level=1)
    _table(
        doc,
        [L.t("level_scale"), L.t("level"), L.t("next_needs")],
        [
            [
                L.pick(lv.name_zh, lv.name_en),
                L.pick(lv.label_zh, lv.label_en),
                L.semi.join(
                    ([f"{L.t('overall')} ≥ {L.score(lv.next_needs_overall)}"] if lv.next_needs_overall else [])
                    + [L.shortfall(g.text_zh, g.text_en, g.score, g.needed) for g in lv.next_missing]
                ),
            ]
            for lv in plan.assessment.levels
        ],
        [6.5, 3.5, 7.4],
    )
    doc.add_paragraph(L.t("indicative"))
    doc.add_heading(L.t("gaps"), level=2)
    for g in plan.assessment.gaps:
        steps = L.semi.join(
            f"{L.pick(q.text_zh, q.text_en)} → {L.pick(q.next_option_zh or '', q.next_option_en or '')}"
            for q in g.held_back_by
        )
        doc.add_paragraph(f"{L.pick(g.name_zh, g.name_en)}{L.paren(g.score)}{L.colon}{steps}", style="List Bullet")


def _scenarios(doc: Any, ctx: dict[str, Any]) -> None:
    """The ranked scenarios with their reasons, and those left out with why."""
    L: Labels = ctx["L"]  # noqa: N806 - as in the templates
    doc.add_heading(L.t("s_scenarios"), level=1)
    for r in ctx["ranked"]:
        doc.add_heading(f"{r.rank}. {L.scenario(r.name_zh, r.name_en)}", level=2)
        for reason in r.reasons:
            doc.add_paragraph(L.pick(reason.zh, reason.en), style="List Bullet")
    doc.add_paragraph(L.t("ranked_note"))
    doc.add_heading(L.t("s_left_out"), level=2)
    _table(
        doc,
        [L.t("scenario"), L.t("reason"), L.t("left_out_detail")],
        [[L.scenario(x.name_zh, x.name_en), L.reason(x.reason), L.why(x)] for x in ctx["left_out"]],
        [5, 2.5, 9.9],
    )


def _roadmap(doc: Any, plan: Plan, L: Labels, charts: dict[str, Any]) -> None:  # noqa: N803 - as in the templates
    """The Gantt chart and the item table with its total row."""
    w, m = Labels.money, plan.money
    doc.add_heading(L.t("s_roadmap"), level=1)
    _picture(doc, charts["gantt"])
    rows = [
        [
            L.scenario(i.label_zh, i.label_en),
            L.quarter(i.start_quarter),
            L.quarter(i.end_quarter),
            w(i.one_off),
            L.subsidy(i.subsidy),
            w(i.net_one_off),
            w(i.annual_benefit.median),
        ]
        for i in plan.items
    ]
    rows.append(
        ["合计" if L.zh else "Total", "", "", w(m.one_off), L.subsidy(m.subsidy), w(m.net_one_off), w(m.annual_benefit.median)]
    )
    _table(
        doc,
        [L.t("scenario"), L.t("start"), L.t("live"), L.t("one_off"), L.t("subsidy"), L.t("net"), L.t("benefit_yr")],
        rows,
        [5, 2, 2, 2.1, 2.1, 2.1, 2.1],
        {3, 4, 5, 6},
    )
    for f in plan.foundations:  # what a foundation item buys (engine/foundations.py)
        doc.add_paragraph(L.pick(f.text_zh, f.text_en))
    compounded = L.compounded_total([i.annual_benefit.median for i in plan.items], m.annual_benefit.median)
    if compounded:
        doc.add_paragraph(compounded)
    for f in plan.roadmap_fallbacks:  # each fallback of the solver, stated (engine/roadmap_fallbacks.py)
        doc.add_paragraph(L.pick(f.note_zh, f.note_en))


def _pools(doc: Any, plan: Plan, L: Labels) -> None:  # noqa: N803 - as in the templates
    """Each money pool beside what the plan takes out of it, then the upside not optimised on."""
    doc.add_heading(L.t("s_pools"), level=1)
    for line in pool_lines(plan, L) or [L.t("no_pools")]:
        doc.add_paragraph(line, style="List Bullet")
    doc.add_paragraph(L.t("pools_note"))
    upside = upside_lines(plan, L)
    if upside:
        doc.add_heading(L.t("upside"), level=2)
        for line in upside:
            doc.add_paragraph(line, style="List Bullet")


def _cash(doc: Any, L: Labels, charts: dict[str, Any]) -> None:  # noqa: N803 - as in the templates
    doc.add_heading(L.t("s_cash"), level=1)
    for key in ("cash_flow", "value_cost"):
        _picture(doc, charts[key])


def _funding(doc: Any, ctx: dict[str, Any]) -> None:
    """Each policy with the items it pays for, its amount, whether it is counted and how to apply."""
    L: Labels = ctx["L"]  # noqa: N806 - as in the templates
    w = Labels.money
    doc.add_heading(L.t("s_funding"), level=1)
    if not ctx["funding_rows"]:  # a table of headings with no row (Linyi): say what there is instead
        doc.add_paragraph(L.t("no_funding_rows"))
        return
    _table(
        doc,
        [L.t("policy"), L.t("scenario"), L.t("amount"), L.t("status"), L.t("how_apply")],
        [
            [
                r["name"],
                L.enum.join(r["items"]),
                w(r["amount"]) + ((f"/{'年' if L.zh else 'yr'}") if r["per_year"] else ""),
                f"{r['status']}{L.semi}{L.t('counted') if r['counted'] else L.t('possible')}",
                r["apply"],
            ]
            for r in ctx["funding_rows"]
        ],
        [4, 4, 1.8, 2.6, 5],
        {2},
    )


def _routes(doc: Any, plan: Plan, L: Labels) -> None:  # noqa: N803 - as in the templates
    """The model routes of the AI items with cost, hardware and time, or why none is usable."""
    doc.add_heading(L.t("s_routes"), level=1)
    rows = route_rows(plan, L)
    if rows:
        _table(
            doc,
            [L.t("scenario"), L.t("route"), L.t("route_one_off"), L.t("route_running"), L.t("hardware"), L.t("time")],
            [
                [
                    row.scenario,
                    row.route
                    + (
                        ""
                        if row.usable
                        else L.paren(("无可用路线" if L.zh else "no usable route") + L.colon + L.semi.join(row.why_not))
                    )
                    + (L.paren(f"{L.t('route_training')} {row.training}") if row.training else ""),
                    row.one_off,
                    row.running,
                    row.hardware,
                    row.time,
                ]
                for row in rows
            ],
            [3, 4, 2.4, 2.4, 3.6, 2],
            {2, 3},
        )
        doc.add_paragraph(L.t("routes_note"))
    else:
        doc.add_paragraph(L.t("no_routes"))
    if free := model_free_line(plan, L):
        doc.add_paragraph(free)


def _kpis_and_risks(doc: Any, plan: Plan, ctx: dict[str, Any]) -> None:
    """The milestones by quarter, then each item's risks with their mitigation."""
    L: Labels = ctx["L"]  # noqa: N806 - as in the templates
    doc.add_heading(L.t("s_kpis"), level=1)
    _table(
        doc,
        [L.t("quarter"), L.t("milestone")],
        [[L.quarter(ms.quarter), L.pick(ms.text_zh, ms.text_en)] for ms in plan.milestones],
        [2.8, 14.6],
    )
    doc.add_heading(L.t("s_risks"), level=1)
    _table(
        doc,
        [L.t("scenario"), L.t("risk"), L.t("mitigation")],
        [
            [ctx["names"][r.scenario], L.pick(r.risk_zh, r.risk_en), L.pick(r.mitigation_zh, r.mitigation_en)]
            for r in plan.risks
        ],
        [3.6, 6.9, 6.9],
    )


def _next_steps(doc: Any, plan: Plan, L: Labels) -> None:  # noqa: N803 - as in the templates
    """What to do within how many days, and the assumptions the plan rests on."""
    doc.add_heading(L.t("s_next"), level=1)
    _table(
        doc,
        [L.t("within_days"), L.t("action")],
        [[f"{st.within_days} {L.t('days')}", L.pick(st.text_zh, st.text_en)] for st in plan.next_steps],
        [2.8, 14.6],
    )
    doc.add_heading(L.t("s_assumptions"), level=2)
    for a in plan.assumptions_zh if L.zh else plan.assumptions_en:
        doc.add_paragraph(a, style="List Bullet")


def _sources(doc: Any, plan: Plan, L: Labels) -> None:  # noqa: N803 - as in the templates
    """Every figure's source and date, or how it was estimated."""
    doc.add_heading(L.t("s_sources"), level=1)
    _table(
        doc,
        [L.t("figure"), L.t("source"), L.t("as_of")],
        [
            [
                L.pick(s.what, s.what_en),
                L.source_cell(s),
                str(s.as_of or "—"),
            ]
            for s in plan.sources
        ],
        [4.5, 10.6, 2.3],
    )


def _needs(doc: Any, plan: Plan, labels: Labels) -> None:
    """The needs section: each stated need with its answer and next step, then the choices and their cost."""
    doc.add_heading(labels.t("s_needs"), level=1)
    rows = need_rows(plan, labels)
    if rows:
        _table(
            doc,
            [labels.t(k) for k in ("need_kind", "need_text", "need_status", "need_answer", "need_next")],
            [[r.kind, r.text, r.status, r.answer, r.next_step or "—"] for r in rows],
            [1.4, 4.2, 1.6, 5.6, 4.6],
        )
    else:
        doc.add_paragraph(labels.t("no_needs"))
    lines = choice_lines(plan, labels)
    if lines:
        doc.add_heading(labels.t("s_choices"), level=2)
        for line in lines:
            doc.add_paragraph(line, style="List Bullet")


def _source_text(src: dict[str, str], L: Labels) -> str:  # noqa: N803 - as in the templates
    """One cited policy of the who-pays section: "[2] name；issuer, 文号；to confirm；link"."""
    return f"{src['ref']} " + L.semi.join(x for x in (src["name"], src["doc"], src["ask"], src["link"]) if x)


def _who_pays(doc: Any, wp: dict[str, Any] | None, L: Labels) -> None:  # noqa: N803 - as in the templates
    """The "谁来出钱" section (report/who_pays.py): the year table, the item table with its lines, the questions,
    how to apply by deadline, and the announced and no-amount policies."""
    if wp is None:
        return
    t = wp["t"]
    doc.add_heading(t["title"], level=1)
    doc.add_heading(t["by_year"], level=2)
    doc.add_paragraph(wp["unit"])  # the tables' cells are bare numbers: their unit, as the web page gives it
    n = len(wp["year_heads"])  # 10, or up to 12 with the tax-timing columns: all within the 17.4 cm text width
    heads = ["\n".join(h) for h in wp["year_head_lines"]]  # broken where a reader breaks them (who_pays.HEAD_LINES_ZH)
    _table(doc, heads, wp["years"], [1.6] + [min(1.5, 15.8 / (n - 1))] * (n - 1), set(range(1, n)))
    for b in wp["basis"]:
        doc.add_paragraph(b)
    doc.add_heading(t["by_item"], level=2)
    doc.add_paragraph(wp["unit"])
    if wp["empty"]:
        doc.add_paragraph(t["none"])
    _table(doc, wp["item_heads"], [i["cells"] for i in wp["item_rows"]], [5, 2, 2, 2, 2, 2.4], {1, 2, 3, 4, 5})
    for i in wp["item_rows"]:
        for ln in i["lines"]:
            doc.add_paragraph(
                f"{i['cells'][0]}{L.colon}{ln['verdict']}{L.colon}{ln['name']}{wp['ref_gap']}{ln['ref']} {ln['amount']}"
                f"{L.semi}{ln['detail']}",
                style="List Bullet",
            )
    if wp["sources"]:  # each policy cited once; the lines above carry its number
        doc.add_paragraph(t["sources"])
        for src in wp["sources"]:
            doc.add_paragraph(_source_text(src, L), style="List Bullet")
    if wp["questions"]:
        doc.add_heading(t["questions"], level=2)
        for q in wp["questions"]:
            extra = f"{L.semi}{q['likely']}" if q["likely"] else ""
            doc.add_paragraph(f"{q['question']}{L.paren(q['policies'])}{extra}", style="List Bullet")
    if wp["apply"]:
        doc.add_heading(t["apply"], level=2)
        for s in wp["apply"]:
            parts = [s["name"] + (L.paren(s["verdict"]) if s["verdict"] else ""), s["doc"], s["deadline"], s["where"],
                     s["materials"], s["for_items"], s["link"]]
            doc.add_paragraph(L.semi.join(x for x in parts if x), style="List Number")
    for key in ("bundles", "announced", "other"):
        if wp[key]:
            doc.add_heading(t[key], level=2)
            for n in wp[key]:
                how = (n.get("deadline", ""), n.get("where", ""), n.get("materials", ""), n.get("for_items", ""))  # policies to watch: how to apply
                doc.add_paragraph(
                    L.semi.join(x for x in (n["name"], n["doc"], n["summary"], *how, n["link"]) if x), style="List Bullet"
                )


def _workings(doc: Any, plan: Plan, labels: Labels) -> None:
    """How the money was made (issue 13 item 8): the lines of report/workings.py, as in the HTML/PDF."""
    doc.add_heading(labels.t("s_workings"), level=1)
    for line in defaults_lines(plan, labels):
        doc.add_paragraph(line, style="List Bullet")
    for wk in workings(plan, labels):
        doc.add_heading(wk.title, level=2)
        for line in wk.lines:
            doc.add_paragraph(line, style="List Bullet")
    doc.add_paragraph(labels.t("workings_note"))
