"""The plan documents as a consultant and a factory owner read them (issue 13 item 5, issue 19's PNG pages): one test
per class of defect found on the rendered pages of the three examples and the tiny, B2C and very large profiles,
in Chinese and English. Each scans every rendered document for its pattern, so a new profile or section that
brings the defect back fails here."""

from __future__ import annotations

import html
import io
import re
from datetime import date
from functools import cache
from pathlib import Path

import docx
import pytest

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan, PlanOptions, build_plan
from wendao.engine.profile import load_profile
from wendao.engine.scenarios import money_en
from wendao.report import render
from wendao.report.html import document_context
from wendao.report.labels import Labels

PROFILES = Path(__file__).resolve().parent.parent / "data" / "profiles"
PATHS = sorted(EXAMPLES.glob("*.yaml")) + sorted(PROFILES.glob("*.yaml"))
NAMES = [p.stem for p in PATHS]
LANGS = ("zh", "en")


@cache
def _plan(name: str) -> Plan:
    path = next(p for p in PATHS if p.stem == name)
    return build_plan(load_profile(path), default_catalog(), PlanOptions(as_of=date(2026, 12, 7), with_routes=False))


@cache
def _html(name: str, lang: str) -> str:
    return render(_plan(name), "html", lang).decode("utf-8")


def _text(page: str) -> str:
    """What a reader reads of the HTML: no style, no charts, no tags."""
    page = re.sub(r"<style.*?</style>|<svg.*?</svg>", "", page, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@cache
def _docx_text(name: str, lang: str) -> str:
    document = docx.Document(io.BytesIO(render(_plan(name), "docx", lang)))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_profiles_read_are_the_three_examples_and_the_three_consultant_profiles() -> None:
    assert len(NAMES) == 6
    assert {"tiny_budget_workshop", "b2c_furniture", "large_steel"} <= set(NAMES)


# a benefit that rounds to nothing printed as money: "0.0–0.0 万元（中值 0.0）", "0–0" beside a median of 0.1
ZERO_MONEY = re.compile(r"(?<![\d.,])0\.0–0\.0\b|中值 0\.0(?!\d)|median 0\.0(?!\d)|(?<![\d.,])0–0(?![\d.])|约 0\.0–")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_no_benefit_that_rounds_to_nothing_is_printed_as_a_range_of_zeros(name: str, lang: str) -> None:
    for fmt, text in (("html", _text(_html(name, lang))), ("md", render(_plan(name), "md", lang).decode())):
        found = ZERO_MONEY.findall(text)
        assert not found, f"{name} {lang} {fmt}: {found}"


@pytest.mark.parametrize("name", NAMES)
def test_english_sentences_on_one_line_are_separated_by_a_space(name: str) -> None:
    text = re.sub(r"(?:https?://|www\.)\S+", " ", _text(_html(name, "en")))
    # "Level 1 Planned.Main gaps": a full stop glued to the next sentence (not a decimal, an URL or "e.g.")
    glued = re.findall(r"[a-z0-9)]\.[A-Z][a-z]", text)
    assert not glued, f"{name}: {glued}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_the_summary_heading_counts_the_moves_it_lists(name: str, lang: str) -> None:
    plan = _plan(name)
    heading = Labels(lang).t("top3")
    top = plan.top_items()
    assert (heading in _text(_html(name, lang))) == (len(top) >= 3)
    assert (heading in _docx_text(name, lang)) == (len(top) >= 3)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_every_table_column_has_a_heading(name: str, lang: str) -> None:
    page = _html(name, lang)
    assert not re.findall(r"<th[^>]*>\s*</th>", page)
    document = docx.Document(io.BytesIO(render(_plan(name), "docx", lang)))
    empty = [t.rows[0].cells[0].text for t in document.tables if any(not c.text.strip() for c in t.rows[0].cells)]
    assert not empty, f"{name} {lang}: a Word table with an empty heading cell after {empty}"


@pytest.mark.parametrize("name", NAMES)
def test_the_who_pays_year_headings_break_between_words_not_inside_them(name: str) -> None:
    """12 money columns on an A4 page give each heading 3-4 characters a line: an unplanned break read "运行费/用"."""
    context, _ = document_context(_plan(name), "zh")
    wp = context["wp"]
    assert wp is not None
    for lines in wp["year_head_lines"][1:]:
        assert all(len(line) <= 3 for line in lines), lines
    page = _html(name, "zh")
    table = page[page.index('class="who-pays-years"') :]
    table = table[: table.index("</table>")]
    widths = [float(x) for x in re.findall(r'<col style="width:([\d.]+)%">', table)]
    assert len(widths) == len(wp["year_heads"])
    assert abs(sum(widths) - 100) < 0.1


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_the_tax_status_is_stated_once_and_an_inferred_one_says_it_is_inferred(name: str, lang: str) -> None:
    plan = _plan(name)
    assert plan.who_pays is not None
    text = _text(_html(name, lang))
    if plan.who_pays.tax_rate_stated:
        assert ("企业所得税身份：" if lang == "zh" else "Income-tax status: ") in text
    else:  # it read "企业所得税身份：高新技术企业……；企业尚未说明纳税身份" — stated, then not
        assert "企业所得税身份：" not in text
        assert "Income-tax status: " not in text
        assert ("按其资质推定为" if lang == "zh" else "taken from its qualifications") in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_a_plan_that_spends_and_never_pays_back_says_so_in_its_payback_box(name: str, lang: str) -> None:
    plan = _plan(name)
    labels = Labels(lang)
    box = re.search(r'<div class="v">([^<]*)</div><div class="l">' + re.escape(labels.t("payback")), _html(name, lang))
    assert box is not None
    if plan.money.one_off > 0 and not plan.money.payback_months:
        assert box.group(1) == labels.t("no_payback")
    assert box.group(1) != "—" or plan.money.one_off == 0


@pytest.mark.parametrize("name", NAMES)
def test_the_benefit_box_prints_its_range_in_the_precision_of_its_median(name: str) -> None:
    """The tiny workshop's box read "0–0" above "中值 0.1": whole 万元 only from 100 up."""
    m = _plan(name).money
    box = re.search(
        r'<div class="v">([^<]*)</div><div class="l">' + re.escape(Labels("zh").t("annual_benefit")), _html(name, "zh")
    )
    assert box is not None
    low, high = box.group(1).split("–")
    if m.annual_benefit.high < 100:
        assert "." in low, box.group(1)
        assert "." in high, box.group(1)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_what_the_next_level_needs_names_the_question_and_the_score_it_needs(name: str, lang: str) -> None:
    plan = _plan(name)
    text = _text(_html(name, lang))
    for lv in plan.assessment.levels:
        if lv.next_needs_overall:
            assert f"≥ {lv.next_needs_overall:g}" in text  # 40, not 40.0
        for g in lv.next_missing:
            assert f"{g.score:g} → {g.needed:g}" in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_spend_against_budget_names_each_year(name: str, lang: str) -> None:
    plan = _plan(name)
    text = _text(_html(name, lang))
    for k, (spend, budget) in enumerate(zip(plan.spend_by_year, plan.budget_by_year, strict=False)):
        year = f"第{k + 1}年 " if lang == "zh" else f"Y{k + 1} "
        assert f"{year}{spend:,.1f}/{budget:,.1f}" in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_the_ranking_says_why_its_figures_differ_from_the_roadmaps(name: str, lang: str) -> None:
    """The ranking prices each scenario for the whole plant before the chance of success (在线智能检测 80.9 万元 a
    year), the roadmap its pilot and roll-out after it (36.4 + 36.4): the page says so, in both formats."""
    note = Labels(lang).t("ranked_note")
    assert note in _text(_html(name, lang))
    assert note in _docx_text(name, lang)


@pytest.mark.parametrize("name", NAMES)
def test_the_roadmap_solver_line_comes_before_the_table_so_it_never_stands_alone_on_a_page(name: str) -> None:
    page = _html(name, "zh")
    section = page[page.index('<section id="roadmap">') :]
    assert section.index("路线图求解") < section.index("<table>")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_the_summary_glosses_risk_adjusted_and_npv_for_an_owner(name: str, lang: str) -> None:
    """An owner showing the plan to his board meets 风险调整 and 净现值 in the key figures first: both are explained
    under them, with the plan's own discount rate."""
    plan = _plan(name)
    gloss = Labels(lang).money_gloss(plan.settings["discount_rate"])
    assert f"{plan.settings['discount_rate'] * 100:g}%" in gloss
    assert gloss in _text(_html(name, lang))
    assert gloss in _docx_text(name, lang)


@pytest.mark.parametrize("name", NAMES)
def test_the_gantt_bars_carry_the_net_cost_the_roadmap_table_prints(name: str) -> None:
    """The bars read "12" and "38" above a table of 12.5 and 37.5: the same figure, the same precision."""
    plan = _plan(name)
    _, charts = document_context(plan, "zh")
    svg = charts["gantt"].svg
    for item in plan.items:
        assert Labels.money(item.net_one_off) in svg


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_a_roadmap_total_that_is_not_the_sum_of_its_column_says_why(name: str, lang: str) -> None:
    """Zibo's column of yearly benefits adds up to 1,311.9 above a total row of 1,302.7 (pools compound): the page
    gives both figures and the reason; a total that is the sum says nothing more."""
    plan = _plan(name)
    labels = Labels(lang)
    added = sum(i.annual_benefit.median for i in plan.items)
    note = labels.compounded_total([i.annual_benefit.median for i in plan.items], plan.money.annual_benefit.median)
    assert bool(note) == (Labels.money(added) != Labels.money(plan.money.annual_benefit.median))
    if note:
        assert (Labels.money(added) if lang == "zh" else money_en(added)) in note  # English writes "CNY 13,119,000"
        assert note in _text(_html(name, lang))
        assert note in _docx_text(name, lang)


def test_zibo_roadmap_column_and_total_disagree_and_the_page_explains_it() -> None:
    plan = _plan("zibo_chemical")
    assert Labels("zh").compounded_total(
        [i.annual_benefit.median for i in plan.items], plan.money.annual_benefit.median
    )


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_no_table_is_printed_with_headings_and_no_row(name: str, lang: str) -> None:
    """Linyi's funding table was its heading row alone: a plan with nothing to list says so in a sentence."""
    page = _html(name, lang)
    for table in re.findall(r"<table.*?</table>", page, flags=re.S):
        body = table.split("</thead>", 1)[-1]
        assert "<td" in body, table[:200]
    document = docx.Document(io.BytesIO(render(_plan(name), "docx", lang)))
    assert all(len(t.rows) > 1 for t in document.tables)
    context, _ = document_context(_plan(name), lang)
    if not context["funding_rows"]:
        assert Labels(lang).t("no_funding_rows") in _text(page)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_the_who_pays_items_cite_each_policy_once_and_every_line_names_its_number(name: str, lang: str) -> None:
    """Weifang's by-item lines printed the SME loan subsidy's issuer, 文号, question and link on each of its six lines
    (PDF pp. 10-11, 2 pages of citations): each policy is now cited once under the table, and every line carries
    the number of its citation."""
    context, _ = document_context(_plan(name), lang)
    wp = context["wp"]
    assert wp is not None
    cited = {src["ref"]: src for src in wp["sources"]}
    lines = [ln for item in wp["item_rows"] for ln in item["lines"]]
    assert {ln["ref"] for ln in lines} == set(cited)
    page = _html(name, lang)
    items = page[page.index('class="who-pays-items"') :]
    items = items[: items.index("</ul>")] if wp["sources"] else items[: items.index("</table>")]
    markdown = render(_plan(name), "md", lang).decode()
    by_item = markdown[markdown.index(f"### {wp['t']['by_item']}") :]
    word = _docx_text(name, lang)
    for src in cited.values():
        link = html.escape(src["link"], quote=False)
        assert items.count(link) == 1, (src["ref"], items.count(link))
        assert by_item.split("\n### ")[0].count(src["link"].split("（")[0].split(" (")[0]) == 1
        assert word.count(f"{src['ref']} {src['name']}") == 1


def test_the_english_who_pays_year_headings_are_at_most_three_short_lines_that_do_not_wrap() -> None:
    """Left to wrap, "Loan repaid + interest" took four lines and "Tax timing (to confirm)" four on Weifang's English
    PDF. Each heading is broken where it reads, and each line is kept whole (a Typst non-breaking space) and at most
    as long as "confirmed", the longest word that fits a column at 7.5 pt."""
    from wendao.report.pdf_typst import html_to_typst

    context, _ = document_context(_plan("weifang_machinery"), "en")
    heads = context["wp"]["year_head_lines"]
    assert any(len(h) > 1 for h in heads)
    for lines in heads:
        assert len(lines) <= 3, lines
        assert all(len(line) <= len("+ interest") for line in lines), lines
    source, _ = html_to_typst(_html("weifang_machinery", "en"))
    assert "Repaid #linebreak() \\+~interest" in source


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_a_who_pays_total_that_differs_between_the_two_tables_names_both_and_says_why(name: str, lang: str) -> None:
    """B2C's by-year table read "确认后可能获得" 5.62 万元 and its by-project rows 1.16 + 1.16 + 2.89 = 5.21, with
    nothing saying why: the items' tax savings are worth at the spend year, the years' are each year's money."""
    plan = _plan(name)
    wp = plan.who_pays
    assert wp is not None
    labels = Labels(lang)
    text = _text(_html(name, lang))
    for key in ("grants", "tax", "interest_subsidy", "likely"):
        by_year, by_item = wp.totals.get(key, 0.0), sum(getattr(i, key) for i in wp.items)
        if round(by_year, 2) != round(by_item, 2):
            assert (labels.money(by_year, 2) if lang == "zh" else money_en(by_year, 2)) in text, key
            assert labels.amount(by_item, 2) in text, key  # "5.21 万元" / "CNY 52,100"
            assert ("两表合计不同" if lang == "zh" else "their totals differ") in text


def test_b2c_s_two_who_pays_totals_differ_and_its_page_explains_it() -> None:
    assert "“确认后可能获得”按年度合计 5.62、按项目合计 5.21 万元" in _text(_html("b2c_furniture", "zh"))


@pytest.mark.parametrize("name", NAMES)
def test_the_chinese_ranking_tags_its_scenarios_in_chinese(name: str) -> None:
    """Every ranked scenario of the Chinese document carried an English "MIIT" tag beside its name."""
    page = _html(name, "zh")
    tags = re.findall(r'<span class="tag">([^<]*)</span>', page)
    assert tags
    assert "MIIT" not in tags
    assert "工信部典型场景" in tags


# a clause stopped twice ("未读到。；http…"), or an empty part between two semicolons ("software; ; Shandong…": the
# English who-pays lists printed the Chinese-only 文号 as nothing)
DOUBLE_STOP = re.compile(r"[。.]\s?[；;]|[；;]\s?[；;]")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_no_clause_ends_twice_and_no_part_between_two_semicolons_is_empty(name: str, lang: str) -> None:
    texts = {
        "html": _text(_html(name, lang)),
        "md": render(_plan(name), "md", lang).decode(),
        "docx": _docx_text(name, lang),
    }
    for fmt, text in texts.items():
        text = re.sub(r"(?:https?://|www\.)\S+", "URL", text)
        found = [text[max(0, m.start() - 20) : m.end() + 10] for m in DOUBLE_STOP.finditer(text)]
        assert not found, f"{name} {lang} {fmt}: {found[:5]}"


@pytest.mark.parametrize("name", NAMES)
def test_each_english_who_pays_line_opens_with_a_capital(name: str) -> None:
    """"may apply, not counted: Central interest subsidy …" opened the English lines in lower case."""
    starts = re.findall(r'<tr class="who-pays-line"><td colspan="6">(.)', _html(name, "en"))
    assert all(c.isupper() for c in starts), starts
