from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from wendao.engine.catalog import default_catalog
from wendao.engine.plan import PlanOptions, build_plan
from wendao.engine.profile import load_profile
from wendao.report.docx import render_docx
from wendao.report.html import render_html
from wendao.report.labels import Labels
from wendao.report.markdown import render_markdown
from wendao.report.who_pays import who_pays_context

EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "wendao" / "data" / "examples" / "weifang_machinery.yaml"


@pytest.fixture(scope="module")
def plan():  # type: ignore[no-untyped-def]
    options = PlanOptions(as_of=date(2026, 12, 6), with_routes=False, time_limit_seconds=5)
    return build_plan(load_profile(EXAMPLE), default_catalog(), options)


def test_the_who_pays_section_has_a_row_per_plan_year_and_a_total(plan) -> None:  # type: ignore[no-untyped-def]
    ctx = who_pays_context(plan, Labels("zh"))
    assert ctx is not None
    assert len(ctx["years"]) == len(plan.who_pays.years) + 1
    assert ctx["years"][-1][0] == "合计"


def test_no_line_of_the_section_shows_a_zero_amount_or_the_old_filler(plan) -> None:  # type: ignore[no-untyped-def]
    ctx = who_pays_context(plan, Labels("zh"))
    lines = [ln for i in ctx["item_rows"] for ln in i["lines"]]
    assert lines
    assert all(ln["amount"] != "0.00" for ln in lines)
    page = render_html(plan, "zh")
    assert page.count("未公开，请咨询当地工信部门") <= 1
    assert "谁来出钱" in page
    assert "条款待定" in page  # the 2026 provincial package, announced


def test_the_english_section_leaves_no_chinese_headings(plan) -> None:  # type: ignore[no-untyped-def]
    ctx = who_pays_context(plan, Labels("en"))
    assert ctx["t"]["title"] == "Who pays"
    assert all(h.isascii() for h in ctx["year_heads"])


def test_word_and_markdown_carry_the_section(plan) -> None:  # type: ignore[no-untyped-def]
    assert "## 谁来出钱" in render_markdown(plan, "zh")
    assert len(render_docx(plan, "zh")) > 10_000


def test_the_one_time_deduction_has_its_own_column_and_sentence_and_no_negative_support(plan) -> None:  # type: ignore[no-untyped-def]
    ctx = who_pays_context(plan, Labels("zh"))
    heads = ctx["year_heads"]
    assert "税款递延" in heads
    likely = heads.index("确认后可能获得")
    assert all(not row[likely].startswith("-") for row in ctx["years"])
    assert any("公告2023年第37号" in b and "合计为零" in b for b in ctx["basis"])
    after = next(b for b in ctx["basis"] if b.startswith("规划期之后还有"))
    assert "确认后可能获得 -" not in after
    assert "税款递延" in after
    assert len(ctx["years"][0]) == len(heads)
    md = render_markdown(plan, "zh")
    assert "| 税款递延 |" in md


def test_items_that_reach_a_minimum_project_size_together_are_listed_as_one_project_in_every_format() -> None:
    options = PlanOptions(as_of=date(2026, 12, 6), with_routes=False, time_limit_seconds=5)
    zibo = build_plan(load_profile(EXAMPLE.with_name("zibo_chemical.yaml")), default_catalog(), options)
    assert zibo.who_pays is not None
    assert zibo.who_pays.bundles
    b = zibo.who_pays.bundles[0]
    md = render_markdown(zibo, "zh")
    assert "### 合并成一个技改项目申报" in md
    assert f"合计 {b.total:,.2f} 万元，达到最低项目投资 {b.minimum:g} 万元" in md
    assert "Register as one renovation project" in render_markdown(zibo, "en")
    assert "合并成一个技改项目申报" in render_html(zibo, "zh")
    # the bundle line names its source like every other line (issue 14: issuer, 文号 and link)
    assert b.link
    assert b.link.startswith("http")
    bundle_row = who_pays_context(zibo, Labels("zh"))["bundles"][0]
    assert b.link in bundle_row["link"]
    assert b.link in render_html(zibo, "zh")


def test_a_policy_whose_document_number_was_not_read_says_so(plan) -> None:  # type: ignore[no-untyped-def]
    ctx = who_pays_context(plan, Labels("zh"))
    docs = [row["doc"] for key in ("apply", "announced", "other") for row in ctx[key]]
    docs += [src["doc"] for src in ctx["sources"]]
    without = [d for d in docs if "〔" not in d and "公告" not in d and "令" not in d]
    assert without  # the 2026 package has none yet
    assert all(d.endswith("文号未读到") for d in without)
    # English documents leave the Chinese-only issuer and 文号 out
    assert all(row["doc"] == "" for row in who_pays_context(plan, Labels("en"))["apply"])


def test_a_cell_with_nothing_in_it_shows_a_dash_not_zero(plan) -> None:  # type: ignore[no-untyped-def]
    ctx = who_pays_context(plan, Labels("zh"))
    cells = [c for row in ctx["years"] for c in row[1:]] + [c for i in ctx["item_rows"] for c in i["cells"][1:]]
    assert "—" in cells  # this plan has no loan: its loan columns are empty
    assert all(c not in ("0.00", "-0.00") for c in cells)
    assert any("表中“—”表示该项为零" in b for b in ctx["basis"])
    assert not any("0.00 万元" in b for b in ctx["basis"])


def test_a_plan_that_counts_no_grant_says_why_instead_of_printing_zeros() -> None:
    options = PlanOptions(as_of=date(2026, 12, 6), with_routes=False, time_limit_seconds=5)
    zibo = build_plan(load_profile(EXAMPLE.with_name("zibo_chemical.yaml")), default_catalog(), options)
    assert zibo.who_pays is not None
    assert round(zibo.who_pays.totals["grants"], 2) == 0
    zh = who_pays_context(zibo, Labels("zh"))
    grants = zh["year_heads"].index("计入的补助")
    assert {row[grants] for row in zh["years"]} == {"—"}
    why = next(b for b in zh["basis"] if b.startswith("没有计入的补助"))
    assert "条款尚待核实" in why
    assert "企业自有资金按全额计算" in why
    en = who_pays_context(zibo, Labels("en"))
    assert any(b.startswith("No grant is counted") for b in en["basis"])
    assert "没有计入的补助" in render_markdown(zibo, "zh")


def test_the_funding_table_calls_a_tax_measure_counted_when_who_pays_counts_it(plan) -> None:  # type: ignore[no-untyped-def]
    from wendao.report.html import funding_rows

    counted = {ln.name_zh for i in plan.who_pays.items for ln in i.lines if ln.verdict == "counted"}
    assert counted  # this plan counts the R&D super-deduction
    rows = {r["name"]: r for r in funding_rows(plan, Labels("zh"))}
    assert all(rows[name]["counted"] for name in counted if name in rows)
    assert any(name in rows for name in counted)


@pytest.mark.parametrize("example", ["weifang_machinery", "zibo_chemical", "linyi_food"])
def test_each_example_shows_the_year_table_and_names_issuer_document_and_link_on_every_line(example: str) -> None:
    """Issue 14's "Done means": the Weifang, Zibo and Linyi examples each show a year-by-year table with grants, tax,
    loans and to-confirm items, each line with its issuer, 文号 (or that it was not read) and link (or why none)."""
    options = PlanOptions(as_of=date(2026, 12, 6), with_routes=False, time_limit_seconds=5)
    p = build_plan(load_profile(EXAMPLE.with_name(f"{example}.yaml")), default_catalog(), options)
    ctx = who_pays_context(p, Labels("zh"))
    assert ctx is not None
    for head in ("计入的补助", "税收减免", "贷款提款", "还本付息", "贴息", "企业自有资金", "确认后可能获得"):
        assert head in ctx["year_heads"]
    rows = [*ctx["sources"], *ctx["apply"], *ctx["announced"], *ctx["other"], *ctx["bundles"]]
    refs = {src["ref"] for src in ctx["sources"]}
    assert all(ln["ref"] in refs for i in ctx["item_rows"] for ln in i["lines"])  # every line's source is listed
    assert rows
    for row in rows:
        assert row["doc"], row  # issuer and 文号, or "文号未读到"
        assert row["link"].startswith("http") or row["link"].startswith("无官方链接"), row
    assert any("2026年，25条50项" in n["name"] for n in ctx["announced"])  # the 2026 package, never counted
    md = render_markdown(p, "zh")
    assert "| 0.00 |" not in md


def _example(name: str):  # type: ignore[no-untyped-def]
    options = PlanOptions(as_of=date(2026, 12, 6), with_routes=False, time_limit_seconds=5)
    return build_plan(load_profile(EXAMPLE.with_name(f"{name}.yaml")), default_catalog(), options)


def test_linyi_lists_each_policy_to_watch_once_with_how_to_apply_and_its_funding_heading_says_why_it_is_empty() -> None:
    """Linyi's document printed "## 资金支持" with nothing under it, and its three policies that publish no amount for
    a firm both under "how to apply" and under "other policies to watch"."""
    from wendao.engine.search import ScenarioSearch

    options = PlanOptions(as_of=date(2026, 12, 6), with_routes=False, time_limit_seconds=5)
    # as the CLI makes it (with the text search): a cloud ERP only, which no policy with an amount pays for
    linyi = build_plan(load_profile(EXAMPLE.with_name("linyi_food.yaml")), default_catalog(), options, ScenarioSearch())
    ctx = who_pays_context(linyi, Labels("zh"))
    watched = {n["name"] for n in ctx["other"]}
    assert len(watched) == 3
    assert not watched & {s["name"] for s in ctx["apply"]}
    assert all(n["where"] for n in ctx["other"])  # where to apply moved onto the policy's one line
    md = render_markdown(linyi, "zh")
    funding = md.split("## 资金支持")[1].split("## 谁来出钱")[0]
    assert Labels("zh").t("no_funding_rows") in funding
    section = md.split("## 谁来出钱")[1].split("\n## ")[0]
    for name in watched:
        assert section.count(name) == 1, name
    page = render_html(linyi, "zh").split('id="who_pays"')[1].split("</section>")[0]
    assert all(page.count(name) == 1 for name in watched)


def test_a_policy_on_several_items_is_one_line_of_the_markdown_funding_section() -> None:
    zibo = _example("zibo_chemical")
    md = render_markdown(zibo, "zh")
    funding = md.split("## 资金支持")[1].split("## 谁来出钱")[0]
    assert funding.count("山东省人工智能“算力券”奖补") == 1  # on four items, one line naming them


def test_the_money_tables_state_their_unit_in_every_document(plan) -> None:  # type: ignore[no-untyped-def]
    import io
    import zipfile

    for lang, unit in (("zh", "单位：万元"), ("en", "Unit: 10k CNY")):
        who_pays = render_html(plan, lang).split('id="who_pays"')[1]
        assert who_pays.count(unit) == 2, lang  # by year and by project
        assert render_markdown(plan, lang).count(unit) == 2, lang
        word = zipfile.ZipFile(io.BytesIO(render_docx(plan, lang))).read("word/document.xml").decode()
        assert word.count(unit) == 2, lang


def test_a_policy_to_watch_that_ends_before_the_projects_start_says_so() -> None:
    """Jinan's AI action plan (2024–2026) was listed to watch for projects starting in 2027 as if it would still run."""
    profile = load_profile(EXAMPLE).model_copy(update={"city": "jinan"})
    options = PlanOptions(as_of=date(2026, 12, 6), with_routes=False, time_limit_seconds=5)
    jinan = build_plan(profile, default_catalog(), options)
    for lang, said in (("zh", "政策有效期至2026-12-31，早于项目开始"), ("en", "the policy runs to 2026-12-31, before")):
        ctx = who_pays_context(jinan, Labels(lang))
        (note,) = [n for n in ctx["other"] if n["name"].startswith(("济南市", "Jinan"))]
        assert said in note["summary"], lang
    assert all("早于项目开始" not in n["summary"] for n in who_pays_context(jinan, Labels("zh"))["announced"])


def test_an_interest_subsidy_is_per_year_only_when_it_is_a_yearly_amount() -> None:
    """Zibo's equipment-renewal loan subsidy (1.5 points for up to 2 years, the total over them) read “0.7 万元/年”."""
    from wendao.report.who_pays import funding_rows

    profile = load_profile(EXAMPLE.with_name("zibo_chemical.yaml"))
    options = PlanOptions(as_of=date(2026, 12, 6), with_routes=False, time_limit_seconds=5)
    plan = build_plan(profile, default_catalog(), options)
    rows = {r["name"]: r for r in funding_rows(plan, Labels("zh"))}
    assert rows["设备更新贷款中央财政贴息"]["per_year"] is False  # points × years: a total
    md = render_markdown(plan, "zh").split("## 资金支持")[1].split("## 谁来出钱")[0]
    (line,) = [ln for ln in md.splitlines() if ln.startswith("- 设备更新贷款中央财政贴息")]
    assert "/年" not in line.split("；")[1]
