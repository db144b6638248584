"""What a foundation item buys (issue 13, session 6): a foundation project in the roadmap is shown as a cost that
makes named next projects possible, with their figures, never as a return it does not earn."""

from __future__ import annotations

from datetime import date

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import PlanOptions, build_plan
from wendao.engine.profile import load_profile

LOADED = default_catalog()
OPTIONS = PlanOptions(as_of=date(2026, 12, 7), with_routes=False)


def test_a_foundation_that_costs_more_to_run_than_it_earns_says_it_is_a_cost_and_what_it_buys() -> None:
    plan = build_plan(load_profile(EXAMPLES / "linyi_food.yaml"), LOADED, OPTIONS)
    [role] = plan.foundations
    item = next(i for i in plan.items if i.scenario == role.scenario)
    assert LOADED.catalog.scenario(role.scenario).foundation
    assert role.one_off == round(item.one_off, 2)
    assert role.annual_cost == round(item.annual_cost, 2)
    assert role.own_benefit < role.annual_cost
    assert "是一笔成本而不是回报" in role.text_zh
    assert "a cost, not a return" in role.text_en
    assert "规划期（12 个季度）之后的价值不计入" in role.text_zh
    # the effects the catalog gives it that have no money pool are named as not turned into money
    metrics = {m.id: m for m in LOADED.catalog.metrics}
    free = [k.metric for k in LOADED.catalog.scenario(role.scenario).kpi_effects if metrics[k.metric].baseline is None]
    assert free
    assert role.uncounted == free
    assert all(metrics[m].name_zh in role.text_zh for m in free)


def test_a_foundation_names_only_next_projects_that_pay_their_running_cost_and_fit_the_horizon_budget() -> None:
    plan = build_plan(load_profile(EXAMPLES / "weifang_machinery.yaml"), LOADED, OPTIONS)
    ranked = {r.id: r for r in plan.scenarios}
    reach = plan.settings["yearly_budget"] * plan.settings["horizon_quarters"] / 4
    roles = {r.scenario: r for r in plan.foundations}
    assert "mes_lite_production_reporting" in roles
    role = roles["mes_lite_production_reporting"]
    assert role.enables
    for e in role.enables:
        assert e.scenario != role.scenario
        if not e.in_plan:
            val = ranked[e.scenario].valuation
            assert val.annual_benefit.median > val.annual_cost.median
            assert val.one_off.median <= reach
            assert f"“{e.name_zh}”（未排入本规划，年收益中值 {e.benefit:.1f} 万元" in role.text_zh
    # it earns more than it costs to run, so it is not called a cost without return
    assert role.own_benefit > role.annual_cost
    assert "不是回报" not in role.text_zh


def test_a_plan_without_a_foundation_item_has_no_foundation_note() -> None:
    plan = build_plan(load_profile(EXAMPLES / "zibo_chemical.yaml"), LOADED, OPTIONS)
    assert not any(LOADED.catalog.scenario(i.scenario).foundation for i in plan.items)
    assert plan.foundations == []


def test_a_project_planned_only_as_a_prerequisite_is_explained_like_a_foundation() -> None:
    import random

    from wendao.engine.profile import parse_profile
    from wendao.engine.search import ScenarioSearch
    from wendao.synthetic import synthetic_profile

    rng, search, found = random.Random(13), ScenarioSearch(), []
    for k in range(7):  # the bench's generated firms (seed 13); the seventh plans 生产计划优化 for what follows
        profile = parse_profile(synthetic_profile(LOADED, rng, k), LOADED)
        if k == 6:  # its goal "降低库存资金占用" had pinned 采购计划优化协同; since session 8 a goal naming an outcome
            # pins nothing, so the firm's own pin stands in for it
            plan = build_plan(profile, LOADED, OPTIONS.model_copy(update={"pin": ["procurement_planning"]}), search)
            found = [r for r in plan.foundations if not r.catalog_foundation]
    assert found
    for role in found:
        assert not LOADED.catalog.scenario(role.scenario).foundation
        assert role.own_benefit < role.annual_cost
        assert any(e.in_plan for e in role.enables)
        assert "在本规划中是后续项目的前提" in role.text_zh
        assert "prerequisite of what follows" in role.text_en
