"""A first step for every budget (issue 13 item 4, DESIGN rule 4): foundation projects provide the systems other
scenarios need, a small budget buys a first step, and an empty roadmap says what would unlock one."""

from __future__ import annotations

from datetime import date

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import PlanOptions, build_plan
from wendao.engine.profile import parse_profile, read_profile_file

LOADED = default_catalog()
OPTIONS = PlanOptions(as_of=date(2026, 11, 24), with_routes=False)
FOUNDATIONS = {
    "cloud_erp_saas": "ERP",
    "mes_lite_production_reporting": "MES",
    "equipment_networking_data_collection": "IIOT",
}


def _micro_firm(**changes: object) -> dict[str, object]:
    data = read_profile_file(EXAMPLES / "weifang_machinery.yaml")
    data.update({"employees": 15, "revenue": 900, "budget": 5, "systems": [], "pain_points": [], "goals": []})
    data.update(changes)
    return data


def test_the_foundation_projects_provide_the_systems_other_scenarios_need() -> None:
    needed = {x for s in LOADED.catalog.scenarios for x in s.prerequisites.systems_all + s.prerequisites.systems_any}
    for sid, system in FOUNDATIONS.items():
        assert system in needed
        assert system in LOADED.planning.provides[sid].systems
        scenario = LOADED.catalog.scenario(sid)
        assert scenario.cost.micro is not None
        assert scenario.cost.micro.one_off.high <= 3
        assert not scenario.prerequisites.systems_all
        assert not scenario.prerequisites.systems_any
    pilot = LOADED.catalog.scenario("ai_document_qa_pilot")
    assert pilot.kind == "ai"
    assert pilot.model_route == "rag"
    assert pilot.cost.micro is not None


def test_a_micro_firm_with_a_small_budget_gets_a_first_step() -> None:
    plan = build_plan(parse_profile(_micro_firm()), LOADED, OPTIONS)
    assert plan.items, [(e.scenario, e.detail_en) for e in plan.excluded]
    assert plan.first_step is None
    assert max(plan.spend_by_year) <= 5 + 1e-6
    assert all(s.within_days != 90 or "Sign" in s.text_en for s in plan.next_steps)


def test_a_scenario_needing_erp_can_follow_the_cloud_erp_foundation_project() -> None:
    data = _micro_firm(employees=120, revenue=12000, budget=60)
    plan = build_plan(parse_profile(data), LOADED, OPTIONS)
    needing_erp = {s.id for s in LOADED.catalog.scenarios if "ERP" in s.prerequisites.systems_all}
    for e in plan.excluded:
        assert "no scenario in the catalog provides it" not in e.detail_en or "ERP" not in e.detail_en
    chosen = {i.scenario: i for i in plan.items}
    followers = needing_erp & set(chosen)
    if followers:  # every item that needs ERP starts after the ERP project goes live
        assert "cloud_erp_saas" in chosen
        erp_live = chosen["cloud_erp_saas"].end_quarter
        assert all(chosen[f].start_quarter >= erp_live for f in followers)
    # whatever the budget, the requirement names the foundation project as its provider
    ranked = {r.id: r for r in plan.scenarios}
    demand = ranked["ai_demand_forecasting"]
    assert "ERP" in demand.feasibility.missing_systems
    erp_reason = [e for e in plan.excluded if e.scenario == "ai_demand_forecasting" and e.reason == "prerequisite"]
    assert all("云ERP" in e.detail_zh for e in erp_reason)


def test_a_scenario_needing_erp_is_scheduled_after_the_cloud_erp_project_when_both_are_chosen() -> None:
    from wendao.engine.roadmap import Candidate, Problem, Requirement, Settings, optimise_roadmap

    erp = Candidate(id="cloud_erp_saas", one_off=3, annual_cost=1, benefits={"inv": 3}, duration_quarters=1)
    forecast = Candidate(
        id="ai_demand_forecasting",
        one_off=5,
        annual_cost=1,
        benefits={"inv2": 8},
        duration_quarters=2,
        requires=[Requirement(what_zh="ERP", what_en="ERP", providers=["cloud_erp_saas"])],
    )
    roadmap = optimise_roadmap(
        Problem(candidates=[erp, forecast], settings=Settings(yearly_budget=20, horizon_quarters=12))
    )
    starts = {i.id: i for i in roadmap.items}
    assert set(starts) == {"cloud_erp_saas", "ai_demand_forecasting"}
    assert starts["ai_demand_forecasting"].start_quarter >= starts["cloud_erp_saas"].end_quarter


def test_an_empty_roadmap_says_what_would_unlock_the_first_step_and_prints_no_payback() -> None:
    plan = build_plan(parse_profile(_micro_firm(budget=0.1)), LOADED, OPTIONS)
    assert not plan.items
    assert plan.money.payback_months is None
    step = plan.first_step
    assert step is not None
    assert step.unlock in ("budget", "data", "value")
    if step.unlock == "budget":
        assert step.budget_needed is not None
        assert step.budget_needed > 0.1
        assert f"年度预算至少 {step.budget_needed:.1f} 万元" in step.text_zh
    texts = [s.text_zh for s in plan.next_steps]
    assert step.text_zh in texts
    assert not any("合同" in t for t in texts)
    assert not any("需补充：—" in r.zh for s in plan.scenarios for r in s.reasons)


def test_a_payback_beyond_the_horizon_reads_does_not_pay_back_within_the_planning_horizon() -> None:
    plan = build_plan(parse_profile(_micro_firm()), LOADED, OPTIONS)
    horizon_months = 3 * plan.settings["horizon_quarters"]
    for r in plan.scenarios:
        for reason in r.reasons:
            if reason.code != "value":
                continue
            if r.valuation.payback_months is None or r.valuation.payback_months > horizon_months:
                assert "规划期内不回本" in reason.zh
                assert "does not pay back within the planning horizon" in reason.en
                assert "个月回本" not in reason.zh
