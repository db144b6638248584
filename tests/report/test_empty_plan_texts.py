"""An empty roadmap reads as one (issue 13 item 4): every document says what would unlock the first step and
prints no payback and no contract-signing step; a payback beyond the horizon reads 规划期内不回本."""

from __future__ import annotations

import html
import io
import re
from datetime import date

import docx
import pytest

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan, PlanOptions, build_plan
from wendao.engine.profile import parse_profile, read_profile_file
from wendao.report import render
from wendao.report.labels import Labels

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")


@pytest.fixture(scope="module")
def empty_plan() -> Plan:
    data = read_profile_file(EXAMPLES / "weifang_machinery.yaml")
    data.update({"employees": 15, "revenue": 900, "budget": 0.1, "systems": [], "pain_points": [], "goals": []})
    plan = build_plan(parse_profile(data), default_catalog(), PlanOptions(as_of=date(2026, 11, 24), with_routes=False))
    assert not plan.items
    assert plan.first_step is not None
    return plan


def _text(plan: Plan, fmt: str, lang: str) -> str:
    out = render(plan, fmt, lang)  # type: ignore[arg-type]
    if fmt == "docx":
        document = docx.Document(io.BytesIO(out))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    text = out.decode("utf-8")
    return html.unescape(text) if fmt == "html" else text


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_an_empty_roadmap_says_what_would_unlock_the_first_step_and_prints_no_payback(
    empty_plan: Plan, fmt: str
) -> None:
    step = empty_plan.first_step
    assert step is not None
    zh = _text(empty_plan, fmt, "zh")
    assert step.text_zh in zh
    # no plan payback; the ranking may still show a scenario's own payback, never one beyond the horizon
    assert "规划期净现值 0.0 万元；" not in zh
    assert "需补充：—" not in zh
    assert all(int(m) <= 36 for m in re.findall(r"约 (\d+) 个月回本", zh))
    assert "完成首批项目合同签订" not in zh
    en = _text(empty_plan, fmt, "en")
    assert step.text_en in en
    assert "Sign the first projects" not in en
    assert not {m for m in _CJK.findall(step.text_en) if m not in {"万元", "元"}}


def test_a_payback_beyond_the_horizon_reads_does_not_pay_back_within_the_planning_horizon() -> None:
    assert Labels("zh").payback(549, 12) == "规划期内不回本"
    assert Labels("en").payback(549, 12) == "does not pay back within the planning horizon"
    assert Labels("zh").payback(18, 12) == "18 个月"
    assert Labels("zh").payback(None, 12) == "—"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_model_route_without_a_cloud_bill_reads_as_one_in_markdown_not_as_a_dash_in_wan_yuan(lang: str) -> None:
    plan = build_plan(
        parse_profile(read_profile_file(EXAMPLES / "zibo_chemical.yaml")), default_catalog(),
        PlanOptions(as_of=date(2026, 11, 24)),
    )  # fmt: skip
    text = render(plan, "md", lang).decode("utf-8")  # type: ignore[arg-type]
    assert "— 万元" not in text
    assert ("无云端调用费" if lang == "zh" else "no cloud bill") in text
