"""The needs section in every document: each stated need with the plan's answer, and the choices' cost."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest

from tests.engine.test_needs import WEIFANG, RecordedMatcher
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan, PlanOptions, build_plan
from wendao.report import render


@pytest.fixture(scope="module")
def plan() -> Plan:
    options = PlanOptions(as_of=date(2026, 11, 24), with_routes=False)
    return build_plan(WEIFANG, default_catalog(), options, RecordedMatcher())


def test_the_markdown_answers_every_need_in_the_readers_language(plan: Plan) -> None:
    zh = render(plan, "md", "zh").decode("utf-8")
    en = render(plan, "md", "en").decode("utf-8")
    section = zh[zh.index("## 企业提出的需求与回应") : zh.index("## 成熟度")]
    assert all(n.text in section for n in plan.needs)
    assert "| 痛点 | 排产靠计划员用Excel，插单一多就乱 | 暂未安排 | AI排产优化：" in section
    assert "固定纳入“设备维修知识助手”（目标点名的项目）" in section
    assert "风险调整净现值减少约" in section
    assert "## Your stated needs and the plan's answer" in en
    assert "Pinned: “Maintenance knowledge assistant” (the project a goal names)" in en


def test_the_html_and_pdf_input_carry_the_needs_section_in_the_table_of_contents(plan: Plan) -> None:
    html = render(plan, "html", "zh").decode("utf-8")
    assert '<a href="#needs">企业提出的需求与回应</a>' in html
    section = html[html.index('<section id="needs">') :]
    section = section[: section.index("</section>")]
    assert section.count("<tr>") == 1 + len(plan.needs)
    # the scheduling pain's prerequisite is met by the light MES in the plan (session 6): its row says what pinning
    # AI scheduling would cost instead of a chain of foundations
    assert "AI排产优化：在规划期内不能回本" in section
    assert "可固定纳入规划" in section


def test_the_word_report_has_the_needs_table_and_the_choices(plan: Plan) -> None:
    document = docx.Document(io.BytesIO(render(plan, "docx", "zh")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "企业提出的需求与回应" in headings
    assert "企业的选择及其代价" in headings
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert {n.text for n in plan.needs} <= cells


def test_choices_whose_cost_could_not_be_measured_say_so_instead_of_a_cost_of_nothing(plan: Plan) -> None:
    assert plan.choices is not None
    unknown = plan.model_copy(
        update={"choices": plan.choices.model_copy(update={"cost_known": False, "npv_cost": 0.0})}
    )
    zh = render(unknown, "md", "zh").decode("utf-8")
    en = render(unknown, "md", "en").decode("utf-8")
    assert "这些选择的代价未能算出" in zh
    assert "风险调整净现值减少约" not in zh
    assert "以上选择不降低" not in zh
    assert "What these choices cost is not known" in en
