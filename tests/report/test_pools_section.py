from __future__ import annotations

from datetime import date

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan, PlanOptions, build_plan
from wendao.engine.profile import load_profile
from wendao.report import render

LOADED = default_catalog()
OPTIONS = PlanOptions(as_of=date(2026, 11, 24), with_routes=False)


def _plan(name: str) -> Plan:
    return build_plan(load_profile(EXAMPLES / f"{name}.yaml"), LOADED, OPTIONS)


def test_the_documents_show_each_pool_beside_what_the_plan_takes_out_of_it() -> None:
    plan = _plan("weifang_machinery")
    quality = next(p for p in plan.pools if p.pool == "annual_quality_loss")
    zh = render(plan, "md", "zh").decode("utf-8")
    en = render(plan, "md", "en").decode("utf-8")
    html = render(plan, "html", "zh").decode("utf-8")
    taken = f"{quality.saving.low:,.1f}–{quality.saving.high:,.1f}"
    assert f"质量损失（报废、返工、索赔） {quality.annual:,.1f} 万元/年 → 可减少 {taken} 万元" in zh
    assert f"Quality loss (scrap, rework, claims): {quality.annual:,.1f} 万元 a year → the plan can take out {taken}" in en
    assert 'id="pools"' in html
    assert f"可减少 {taken} 万元" in html


def test_a_sales_effect_not_counted_is_shown_as_upside_in_the_documents() -> None:
    profile = load_profile(EXAMPLES / "linyi_food.yaml").model_copy(update={"business_model": "b2c"})
    plan = build_plan(profile, LOADED, OPTIONS)
    assert plan.upside
    zh = render(plan, "md", "zh").decode("utf-8")
    en = render(plan, "md", "en").decode("utf-8")
    assert "增收潜力（只作参考，不计入收益）" in zh
    assert "缺少公开来源" in zh
    assert "Upside from extra sales (shown, not counted)" in en
    assert "no published source" in en
