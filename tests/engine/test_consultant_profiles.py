"""Three profiles written to read plans as a smart-manufacturing consultant would (issue 13, session 5): a micro
job shop with 3 万元 a year, a B2C furniture maker selling online, and a 300 亿元 steel group
(tests/data/profiles), and the three examples (session 6). What each test holds is a line the consultant checked
in the plan, with its figure."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan, PlanOptions, build_plan
from wendao.engine.profile import load_profile

PROFILES = Path(__file__).resolve().parent.parent / "data" / "profiles"
LOADED = default_catalog()
OPTIONS = PlanOptions(as_of=date(2026, 12, 7), with_routes=False)


@pytest.fixture(scope="module")
def plans() -> dict[str, Plan]:
    from wendao.engine.search import ScenarioSearch

    search = ScenarioSearch()  # the real matcher, as `wendao plan` uses it
    return {p.stem: build_plan(load_profile(p), LOADED, OPTIONS, search) for p in sorted(PROFILES.glob("*.yaml"))}


def test_every_stated_need_of_the_three_profiles_gets_an_answer(plans: dict[str, Plan]) -> None:
    assert set(plans) == {"tiny_budget_workshop", "b2c_furniture", "large_steel"}
    for plan in plans.values():
        assert len(plan.needs) == len(plan.enterprise.pain_points) + len(plan.enterprise.goals)
        for n in plan.needs:
            assert n.status == "addressed" or (n.reason_zh and n.next_zh), n.text


def test_a_micro_shop_with_3_wan_a_year_gets_a_first_step_it_can_pay_for(plans: dict[str, Plan]) -> None:
    plan = plans["tiny_budget_workshop"]
    assert plan.items
    assert plan.money.one_off <= plan.settings["yearly_budget"]
    # its order-tracking pain is answered by the light MES at a micro firm's price, not by a 11.5 万元 network
    orders = next(n for n in plan.needs if "订单做到哪一步" in n.text)
    assert orders.status == "addressed" or orders.scenario == "mes_lite_production_reporting"
    goal = next(n for n in plan.needs if n.kind == "goal")
    assert goal.status == "addressed"


def test_a_b2c_maker_s_inventory_target_is_answered_by_the_demand_forecast_it_gets(plans: dict[str, Plan]) -> None:
    plan = plans["b2c_furniture"]
    assert plan.enterprise.business_model == "b2c"
    chosen = {i.scenario for i in plan.items}
    assert {"ai_customer_service", "ai_demand_forecasting"} <= chosen
    target = next(n for n in plan.needs if "库存降低20%" in n.text)
    assert target.status == "addressed"
    assert "ai_demand_forecasting" in target.items
    # a stated target names no project, so nothing is pinned for it
    assert all(c.scenario != "production_plan_optimisation" for c in (plan.choices.items if plan.choices else []))


def test_a_300_yi_steel_group_s_plan_stays_within_bounds_a_consultant_accepts(plans: dict[str, Plan]) -> None:
    plan = plans["large_steel"]
    revenue = plan.enterprise.revenue
    assert plan.money.annual_benefit.median <= 0.02 * revenue  # the median bound
    assert plan.money.annual_benefit.high <= 0.05 * revenue
    # not capacity-constrained: extra output does not count, so no pool is added to
    assert not any(p.gain for p in plan.pools)
    # the yearly budget holds for every item started alone, in whole 元
    assert plan.items
    assert all(i.one_off <= plan.settings["yearly_budget"] for i in plan.items)


def test_the_steel_group_s_plan_holds_the_figures_a_consultant_read_line_by_line(plans: dict[str, Plan]) -> None:
    # session 6: site-wide projects priced per site equivalent (15 for 300 亿元), default counts ×15, one-site
    # pilots and roll-outs to half of the rest (planning.yaml site_scaling). Session 7: the utilities energy
    # optimiser priced and pooled for a steel works (catalog by_division C31), and a second project on the same
    # furnaces and pool waits for the first's pilot (plan._sequenced); the figures the closing note quotes
    plan = plans["large_steel"]
    assert plan.money.one_off == pytest.approx(7217.1, abs=1.0)  # 6 820 in session 6
    assert plan.money.annual_benefit.median == pytest.approx(21584.9, abs=1.0)  # 0.7 % of revenue (30 711 before)
    assert plan.money.annual_benefit.low == pytest.approx(12523.1, abs=1.0)
    assert plan.money.annual_benefit.high == pytest.approx(49634.6, abs=1.0)
    assert plan.money.npv == pytest.approx(13633.7, abs=1.0)
    assert plan.money.annual_benefit.median / plan.enterprise.revenue == pytest.approx(0.0072, abs=0.0005)
    energy = next(p for p in plan.pools if p.pool == "annual_energy_cost")
    # 2.8 % of the energy bill at the median within the plan (5.5 % before), 6.2 % at the high end: below the group's
    # own three-year goal of 5 % and BCG's −5 %, because the second process project starts only after the first
    # has measured, and a roll-out covers half the furnaces in three years
    assert energy.saving.median / energy.annual == pytest.approx(0.0277, abs=0.001)
    assert energy.saving.high / energy.annual == pytest.approx(0.0621, abs=0.001)
    assert set(energy.items) == {"process_dynamic_optimisation", "energy_management", "advanced_process_control"}
    items = {(i.scenario, i.stage): i for i in plan.items}
    # the energy lines, as a consultant reads them: one-off, yearly benefit (risk-adjusted median), payback
    pdo = items["process_dynamic_optimisation", "pilot"]
    assert (pdo.one_off, pdo.annual_benefit.median, pdo.payback_months) == (
        pytest.approx(195.5, abs=0.1),
        pytest.approx(1161.0, abs=0.5),
        pytest.approx(11.8, abs=0.1),
    )
    apc = items["advanced_process_control", "pilot"]
    assert (apc.one_off, apc.annual_benefit.median, apc.payback_months) == (
        pytest.approx(372.2, abs=0.1),
        pytest.approx(1296.0, abs=0.5),
        pytest.approx(16.5, abs=0.1),
    )
    # advanced process control is on the same 14 process units and the same energy bill: it starts once process
    # optimisation's pilot has finished, not in the same quarter
    assert apc.start_quarter >= pdo.end_quarter
    assert (
        "先进过程控制在工艺动态优化的试点完成后才开始：两者作用于同一批工艺装置的能源费用，先测出前者的实际节约，"
        "再按实测结果决定后者，而不是同时按两个估计投入"
    ) in plan.assumptions_zh
    assert any(a.startswith("Advanced process control starts only once") for a in plan.assumptions_en)
    ems = items["energy_management", "pilot"]
    assert (ems.one_off, ems.annual_benefit.median, ems.payback_months) == (
        pytest.approx(475.0, abs=0.1),
        pytest.approx(432.0, abs=0.5),
        pytest.approx(25.8, abs=0.1),
    )
    # energy management is site-wide metering and management (one site equivalent of 15), not a second optimiser
    # on the furnaces: it runs beside the process pilot. It counts 3 % × half (the group already runs an EMS) of
    # one site's bill: 1.5 % site-wide, near the 10 kgce a tonne (about 1.7 %) of the MIIT energy-centre seminar
    assert ems.how is not None
    assert ems.how.unit == "site_equiv"
    assert ems.how.pools[0].in_place_share == 0.5
    # the utilities optimiser is now priced as a steel works' unit and does not pay enough to enter the plan
    assert ("ai_energy_optimisation", "pilot") not in items
    # every stated need is acted on, the maintenance goal by a pilot on one site's key machines
    assert all(n.status == "addressed" for n in plan.needs)
    pilot = items["ai_predictive_maintenance", "pilot"]
    assert pilot.how is not None
    assert (pilot.how.units, pilot.how.units_total) == (150, 2250)
    assert pilot.one_off == pytest.approx(320.0)  # 20 fixed + 150 × 2 万元, not 5 machines for 30 万元
    # a site-wide project's pilot is one site equivalent at the large band's price, its roll-out 7 of the other 14
    assert items["supply_chain_logistics", "pilot"].one_off == pytest.approx(450.0)
    rollout = items["supply_chain_logistics", "rollout"].how
    assert rollout is not None
    assert (rollout.units, rollout.units_later) == (7, 7)
    # no group rolls out everywhere at once: every roll-out leaves units to the next plan
    assert all(i.how is not None and i.how.units_later > 0 for i in plan.items if i.stage == "rollout")


def test_the_summary_s_moves_are_the_roadmap_s_under_its_objective(plans: dict[str, Plan]) -> None:
    for plan in plans.values():
        top = plan.top_items()
        assert [m.scenario for m in top] == plan.priorities[:3]
        npv = {m.scenario: m.npv for m in top}
        assert list(npv.values()) == sorted(npv.values(), reverse=True)


def test_the_micro_shop_s_erp_is_shown_as_a_cost_that_buys_a_next_step_not_as_a_return(plans: dict[str, Plan]) -> None:
    plan = plans["tiny_budget_workshop"]
    [item] = plan.items
    assert item.scenario == "cloud_erp_saas"
    assert (item.one_off, item.annual_cost) == (pytest.approx(0.9), pytest.approx(0.5))
    # inventory 80 万元 × 18 % = 14.4 万元 a year; the unsourced 0.5 % at its low end, × 0.9 chance: 0.06 万元
    assert item.annual_benefit.median == pytest.approx(80 * 0.18 * 0.005 * 0.9, abs=0.005)
    [role] = plan.foundations
    assert role.scenario == "cloud_erp_saas"
    assert "投资约 0.9 万元，每年运行约 0.5 万元" in role.text_zh
    assert "它是一笔成本而不是回报" in role.text_zh
    # a next step it buys is named with its figures, and fits 3 years of the 3 万元 budget
    assert role.enables
    assert all(e.one_off <= 9 for e in role.enables)
    # the milestone tracks the 0.5 % the money counts, not "约0%"
    assert any("库存水平降低约0.5%" in m.text_zh for m in plan.milestones)
    # a dozen people name one person in charge, and try a 0.9 万元 package rather than ask for proposals
    steps = {s.within_days: s.text_zh for s in plan.next_steps}
    assert steps[14].startswith("老板指定一名负责人")
    assert "比较2–3家产品的试用或演示" in steps[30]


def test_the_micro_shop_s_quoting_pain_is_answered_about_the_quoting_project(plans: dict[str, Plan]) -> None:
    quoting = next(n for n in plans["tiny_budget_workshop"].needs if "报价" in n.text)
    # the search matches 智能选型报价; 设备维修维护 only relates, and its cheaper step is no answer to quoting
    assert quoting.scenario == "ai_quotation_configurator"
    assert quoting.next_zh


def test_the_b2c_maker_s_cutting_pain_gets_the_sourced_cutting_plan_optimisation(plans: dict[str, Plan]) -> None:
    plan = plans["b2c_furniture"]
    cutting = next(n for n in plan.needs if "开料" in n.text)
    assert cutting.status == "addressed"
    assert cutting.items == ["sheet_cutting_optimisation"]
    item = next(i for i in plan.items if i.scenario == "sheet_cutting_optimisation")
    # its own sheet purchases 2 200 万元 × 4 % (Hoffmann et al. 2015 measured 7 %) × its chance of success
    assert item.risk_factor == pytest.approx(0.81)  # 0.9, × 0.9 for a model-driven (kind ai) project
    assert item.annual_benefit.median == pytest.approx(2200 * 0.04 * 0.81, abs=0.05)
    assert item.one_off == pytest.approx(5.0)
    pool = next(p for p in plan.pools if p.pool == "annual_sheet_material_cost")
    assert (pool.annual, pool.origin) == (2200, "profile")
    assert item.how is not None
    line = next(x for x in item.how.pools if x.metric == "sheet_material")
    assert line.effect.median == pytest.approx(0.04)
    assert line.source is not None
    assert "revistaespacios.com" in line.source
    # the whole plan stays a believable share of revenue
    assert plan.money.annual_benefit.median <= 0.02 * plan.enterprise.revenue


@pytest.fixture(scope="module")
def examples() -> dict[str, Plan]:
    from wendao.engine.search import ScenarioSearch

    search = ScenarioSearch()
    return {p.stem: build_plan(load_profile(p), LOADED, OPTIONS, search) for p in sorted(EXAMPLES.glob("*.yaml"))}


def test_linyi_s_only_item_is_a_3_wan_yuan_erp_that_says_it_does_not_pay_and_why(examples: dict[str, Plan]) -> None:
    plan = examples["linyi_food"]
    [item] = plan.items
    assert item.scenario == "cloud_erp_saas"
    assert (item.one_off, item.annual_cost) == (pytest.approx(3.0), pytest.approx(1.25))
    assert plan.money.npv < 0
    [role] = plan.foundations
    assert role.own_benefit < role.annual_cost
    assert "它是一笔成本而不是回报" in role.text_zh
    stock = next(n for n in plan.needs if "手工记账" in n.text)
    assert stock.items == ["cloud_erp_saas"]


def test_weifang_s_pools_and_its_light_mes_that_pays_its_running_cost(examples: dict[str, Plan]) -> None:
    plan = examples["weifang_machinery"]
    pools = {p.pool: p for p in plan.pools}
    assert pools["annual_quality_loss"].annual == pytest.approx(380)
    assert pools["annual_quality_loss"].saving.median == pytest.approx(52.9, abs=0.1)
    assert plan.money.one_off == pytest.approx(94.0, abs=0.05)
    assert plan.money.annual_benefit.median <= 0.02 * plan.enterprise.revenue
    role = next(r for r in plan.foundations if r.scenario == "mes_lite_production_reporting")
    assert role.own_benefit > role.annual_cost
    assert "不是回报" not in role.text_zh
    # the light MES in the plan meets AI scheduling's prerequisite, so the Excel pain says what stops it is its value
    excel = next(n for n in plan.needs if "Excel" in n.text)
    assert excel.scenario == "ai_scheduling_agent"
    assert excel.blocker == "value"
    # the maintenance assistant its goal names is in the roadmap
    goal = next(n for n in plan.needs if n.kind == "goal" and "维修手册" in n.text)
    assert goal.items == ["ai_maintenance_knowledge_assistant"]


def test_zibo_s_pinned_knowledge_base_states_what_the_pin_costs(examples: dict[str, Plan]) -> None:
    plan = examples["zibo_chemical"]
    kb = next(i for i in plan.items if i.scenario == "ai_enterprise_knowledge_qa")
    assert kb.npv < 0  # it does not pay on the figures given, and the page says what honouring the goal costs
    assert plan.choices is not None
    assert any(c.scenario == "ai_enterprise_knowledge_qa" for c in plan.choices.items)
    # session 7: its utilities energy optimiser starts once process optimisation's pilot on the same four units has
    # finished (quarter 4, was 0) and its roll-out leaves the plan; 产品数字化设计 takes the freed budget
    assert plan.money.annual_benefit.median == pytest.approx(1407.12, abs=0.5)  # was 1 302.65
    items = {(i.scenario, i.stage): i for i in plan.items}
    assert (
        items["ai_energy_optimisation", "pilot"].start_quarter
        >= items["process_dynamic_optimisation", "pilot"].end_quarter
    )
    assert any(a.startswith("能耗预测与优化在工艺动态优化的试点完成后才开始") for a in plan.assumptions_zh)
    assert plan.money.annual_benefit.median <= 0.02 * plan.enterprise.revenue
    assert plan.foundations == []


def test_a_foundation_and_the_project_it_enables_on_the_same_machines_are_not_held_apart() -> None:
    # generated firm 189 of the plausibility bench (seed 13): a 4.7 亿元 food maker networks its key machines, then
    # runs predictive maintenance on them. Both act on the machines' downtime; the prerequisite already orders them,
    # and holding the second until the first "has measured" the other way round would make the two impossible
    import random

    from wendao.engine.profile import parse_profile
    from wendao.synthetic import synthetic_profile

    rng = random.Random(13)
    for k in range(189):
        synthetic_profile(LOADED, rng, k)
    profile = parse_profile(synthetic_profile(LOADED, rng, 189), LOADED)
    assert (profile.division, profile.size_class) == ("C13", "medium")
    plan = build_plan(profile, LOADED, OPTIONS)
    starts = {(i.scenario, i.stage): i.start_quarter for i in plan.items}
    assert ("equipment_networking_data_collection", "pilot") in starts
    assert ("ai_predictive_maintenance", "pilot") in starts
    assert starts["ai_predictive_maintenance", "pilot"] > starts["equipment_networking_data_collection", "pilot"]
