from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from wendao.engine.cases import cases_for, nearest_cases
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import PlanOptions, build_plan
from wendao.engine.profile import load_profile
from wendao.report.cases import plan_cases_context
from wendao.report.docx import render_docx
from wendao.report.html import render_html
from wendao.report.labels import Labels
from wendao.report.markdown import render_markdown

EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "wendao" / "data" / "examples" / "weifang_machinery.yaml"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def plan():  # type: ignore[no-untyped-def]
    options = PlanOptions(as_of=date(2026, 12, 6), with_routes=False, time_limit_seconds=5)
    return build_plan(load_profile(EXAMPLE), default_catalog(), options)


def test_each_roadmap_scenario_with_a_published_case_gets_its_nearest_cases_once(plan) -> None:  # type: ignore[no-untyped-def]
    loaded = default_catalog()
    ctx = plan_cases_context(plan, Labels("zh"))
    roadmap = list(dict.fromkeys(i.scenario for i in plan.items))
    expected = [
        s
        for s in roadmap
        if nearest_cases(cases_for(loaded), loaded, [s], plan.enterprise.industry, plan.enterprise.size_class)
    ]
    assert expected, "the Weifang example should have at least one roadmap scenario with a case"
    assert [r["scenario"] for r in ctx["rows"]] == expected  # a pilot and its roll-out share one row
    assert ctx["scenarios"] == len(roadmap)
    for row in ctx["rows"]:
        near = nearest_cases(
            cases_for(loaded), loaded, [row["scenario"]], plan.enterprise.industry, plan.enterprise.size_class, 2
        )
        assert [c["id"] for c in row["cases"]] == [n.case.id for n in near]
        for c in row["cases"]:
            assert c["source"].startswith("http")
            assert c["source"] in c["cite"]
            assert c["as_of"] in c["cite"]


def test_the_english_cases_read_without_chinese(plan) -> None:  # type: ignore[no-untyped-def]
    ctx = plan_cases_context(plan, Labels("en"))
    assert ctx["t"]["title"] == "What firms of the same industry and size did"
    for row in ctx["rows"]:
        assert not HAN.search(row["name"])
        for c in row["cases"]:
            for key in ("enterprise", "place", "done", "outcomes", "why", "reliability", "source_name", "cite"):
                assert not HAN.search(c[key]), (c["id"], key, c[key])


def test_markdown_word_and_html_print_each_case_with_its_source_and_date(plan) -> None:  # type: ignore[no-untyped-def]
    for lang in ("zh", "en"):
        first = plan_cases_context(plan, Labels(lang))["rows"][0]["cases"][0]
        md = render_markdown(plan, lang)
        title = "## 同行业、同规模企业的做法" if lang == "zh" else "## What firms of the same industry and size did"
        section = md[md.index(title) :]
        assert first["source"] in section
        assert first["as_of"] in section
        assert first["enterprise"] in section
        page = render_html(plan, lang)
        assert 'id="cases"' in page
        assert first["source"] in page[page.index('id="cases"') :]  # printed, not linked: a paper reader needs it
        text = "\n".join(p.text for p in Document(io.BytesIO(render_docx(plan, lang))).paragraphs)
        assert first["source"] in text
        assert first["as_of"] in text


def test_a_plan_without_items_says_the_library_has_no_case_for_it(plan) -> None:  # type: ignore[no-untyped-def]
    empty = plan.model_copy(update={"items": []})
    ctx = plan_cases_context(empty, Labels("zh"))
    assert ctx["rows"] == []
    assert "案例库里还没有与本方案路线图场景对应的已发表案例" in render_markdown(empty, "zh")


def test_every_case_reads_in_chinese_without_english_words_or_ids() -> None:
    """Whichever cases a plan shows, its Chinese document stays free of English leftovers (the rule of
    test_chinese_documents, applied to the whole library rather than to the cases the examples happen to meet)."""
    from tests.report.test_chinese_documents import ALLOWED, DIVISION, RAW_ID, URL, WORD

    for c in cases_for(default_catalog()):
        for text in (c.done_zh, *c.outcomes_zh, c.province_zh, c.city_zh or ""):
            plain = DIVISION.sub(" ", URL.sub(" ", text))
            english = {w for w in WORD.findall(plain) if w not in ALLOWED and w.rstrip(".") not in ALLOWED}
            assert not english, (c.id, english)
            assert not RAW_ID.findall(plain), c.id


def test_every_case_reads_in_english_without_chinese() -> None:
    for c in cases_for(default_catalog()):
        for text in (c.enterprise_en, c.place_en, c.done_en, *c.outcomes_en, c.source_name_en):
            assert not re.search(r"[\u4e00-\u9fff（）：；，。]", text), (c.id, text)
