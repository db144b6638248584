from __future__ import annotations

from datetime import date

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan, PlanOptions, build_plan
from wendao.engine.profile import load_profile
from wendao.engine.scenarios import money_en, money_range_en
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
    taken_en = money_range_en(quality.saving.low, quality.saving.high)
    assert f"Quality loss (scrap, rework, claims): {money_en(quality.annual)} a year → the plan can take out {taken_en}" in en
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


ZIBO = _plan("zibo_chemical")  # capacity-constrained: extra output counts at the contribution margin


def test_a_pool_the_plan_adds_to_reads_can_add_and_a_cost_pool_can_cut() -> None:
    margin = next(p for p in ZIBO.pools if p.pool == "annual_contribution_margin")
    energy = next(p for p in ZIBO.pools if p.pool == "annual_energy_cost")
    assert margin.gain
    assert not energy.gain
    zh = render(ZIBO, "md", "zh").decode("utf-8")
    en = render(ZIBO, "md", "en").decode("utf-8")
    assert f"销售边际贡献 {margin.annual:,.1f} 万元/年 → 可增加 {margin.saving.low:,.1f}" in zh
    assert f"能源费用 {energy.annual:,.1f} 万元/年 → 可减少 {energy.saving.low:,.1f}" in zh
    assert "可减少" not in next(line for line in zh.splitlines() if line.startswith("- 销售边际贡献"))
    assert f"→ the plan can add {money_range_en(margin.saving.low, margin.saving.high)}" in en


def test_no_subsidy_column_prints_a_row_of_zeros() -> None:
    assert all(round(i.subsidy, 1) == 0 for i in ZIBO.items)  # nothing counted for Zibo today (issue 14)
    zh = render(ZIBO, "md", "zh").decode("utf-8")
    rows = [line for line in zh.splitlines() if line.startswith("| ") and "第1年" in line and "万元" not in line]
    roadmap = [r for r in rows if r.count("|") == 9]
    assert roadmap
    assert all(r.split("|")[5].strip() == "—" for r in roadmap)
    assert "可计入补贴 0.0" not in zh
    assert "暂无可计入的补贴" in zh
    html = render(ZIBO, "html", "zh").decode("utf-8")
    assert '<td class="num">0.0</td>' not in html


def test_the_summary_s_first_moves_name_a_staged_scenario_once_and_say_what_they_rank_by() -> None:
    zh = render(ZIBO, "md", "zh").decode("utf-8")
    en = render(ZIBO, "md", "en").decode("utf-8")
    top = ZIBO.top_items()
    assert any(m.staged for m in top)
    assert f"前三项举措（按净现值从高到低；先试点后推广的项目按两阶段合计）：{'；'.join(m.name_zh for m in top)}" in zh
    assert "Top moves (by NPV, highest first; a pilot and its roll-out counted together): " in en
    html = render(ZIBO, "html", "zh").decode("utf-8")
    assert "先试点后推广的项目按两阶段合计" in html


def test_the_roadmap_heading_has_no_brackets_inside_brackets() -> None:
    plan = ZIBO.model_copy(update={"roadmap_status": "FEASIBLE"})
    zh = render(plan, "md", "zh").decode("utf-8")
    en = render(plan, "md", "en").decode("utf-8")
    assert "## 路线图：可行方案（求解时限内未证明最优）" in zh
    assert "## Roadmap: feasible (not proven optimal within the time limit)" in en
