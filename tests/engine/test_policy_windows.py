"""Policy windows (issue 14, priority 6): an amount a policy gives only to a project started within its validity
moves the roadmap's choice of start, in the CP-SAT model and in the independent MILP alike; the plan's NPV leaves
it out (the who-pays view counts it) and the plan says when a start was moved for it. Funding is judged at each
item's start, not the plan's date."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wendao.bench.optimizer import generate_instance, solve_milp, with_windows
from wendao.engine.catalog import default_catalog
from wendao.engine.financing import FundingLine, _explain_window, policy_windows, policy_windows_many, quarter_start
from wendao.engine.funding import fund_item
from wendao.engine.profile import parse_profile
from wendao.engine.roadmap import (
    Candidate,
    Problem,
    Scheduled,
    Settings,
    Window,
    benefit_pv,
    cost_pv,
    objective_rate,
    optimise_roadmap,
    plan_value,
    start_table,
    valid_starts,
    window_pv,
)

LOADED = default_catalog()
TODAY = date(2026, 12, 6)


def _one(windows: list[Window], budget: float = 1000.0) -> Problem:
    c = Candidate(id="c", one_off=50, annual_cost=2, benefits={"energy": 30}, duration_quarters=2, windows=windows)
    return Problem(candidates=[c], settings=Settings(horizon_quarters=12, yearly_budget=budget))


def test_a_policy_beginning_later_puts_a_start_back_when_it_is_worth_more_than_the_delay() -> None:
    plain = optimise_roadmap(_one([]))
    assert plain.items[0].start_quarter == 0
    later = optimise_roadmap(_one([Window(policy="p", first_start=4, last_start=11, value=60)]))
    item = later.items[0]
    assert item.start_quarter == 4
    assert item.best_start_without_windows == 0
    assert [w.policy for w in item.windows_met] == ["p"]
    # the reported NPV is the plan's own money: the window's amount is counted once, by the who-pays view
    assert later.npv == pytest.approx(plain.npv - (plain.items[0].npv - item.npv), abs=0.01)
    assert later.npv < plain.npv


def test_a_window_worth_less_than_the_delay_moves_nothing() -> None:
    item = optimise_roadmap(_one([Window(policy="p", first_start=4, last_start=11, value=0.5)])).items[0]
    assert item.start_quarter == 0
    assert item.windows_met == []


def test_the_objective_is_the_best_start_by_enumeration_with_the_window() -> None:
    problem = _one([Window(policy="p", first_start=6, last_start=7, value=12)])
    c = problem.candidates[0]
    rate = objective_rate(problem.settings)
    best = max(
        valid_starts(c, 12), key=lambda t: benefit_pv(c.annual_benefit, t + 2, 12, rate) - cost_pv(c, t, 12, rate)
    )
    assert optimise_roadmap(problem).items[0].start_quarter == best
    assert plan_value(problem, {"c": best}) == pytest.approx(
        benefit_pv(30, best + 2, 12, rate)
        - cost_pv(c.model_copy(update={"windows": []}), best, 12, rate)
        + window_pv(c, best, rate)
    )


@settings(max_examples=25, deadline=None)
@given(
    value=st.floats(0, 500),
    first=st.integers(0, 8),
    length=st.integers(0, 8),
    rate=st.floats(0, 0.5),
    objective=st.sampled_from(["npv", "quick_wins"]),
)
def test_the_vectorised_start_table_equals_the_scalar_definitions_with_windows(
    value: float, first: int, length: int, rate: float, objective: str
) -> None:
    window = Window(policy="p", first_start=first, last_start=first + length, value=value)
    c = Candidate(id="c", one_off=80, annual_cost=3, benefits={"energy": 40}, duration_quarters=3, windows=[window])
    other = Candidate(id="o", one_off=10, annual_cost=1, benefits={"scrap": 5}, duration_quarters=2)
    s = Settings(horizon_quarters=12, yearly_budget=100, discount_rate=rate, objective=objective)  # type: ignore[arg-type]
    row = start_table([other, c], s)["c"]
    r = objective_rate(s)
    for t in row.starts:
        assert row.cost[t] == cost_pv(c, t, 12, r)
        assert row.value[t] == benefit_pv(c.annual_benefit, t + 3, 12, r) - cost_pv(c, t, 12, r)


@pytest.mark.parametrize("seed", [3, 14, 15])
def test_the_roadmap_with_policy_windows_matches_the_independent_exact_milp(seed: int) -> None:
    problem, _ = generate_instance(random.Random(seed), 12, 0.4)
    problem = with_windows(problem, random.Random(seed + 1))
    assert any(c.windows for c in problem.candidates)
    ours = optimise_roadmap(problem)
    exact, _starts, proven = solve_milp(problem)
    assert proven
    assert plan_value(problem, {i.id: i.start_quarter for i in ours.items}) == pytest.approx(exact, abs=0.02)


def _profile(**funding: object):  # type: ignore[no-untyped-def]
    return parse_profile(
        {"name": "测试企业", "city": "潍坊", "industry": "C34", "employees": 200, "revenue": 9000, "funding": funding}
    )


def _equipment_scenario():  # type: ignore[no-untyped-def]
    return next(s for s in LOADED.catalog.scenarios if "equipment" in s.cost.buys)


def test_the_one_time_deduction_is_a_window_to_the_end_of_2027_once_the_tax_status_is_stated() -> None:
    scenario = _equipment_scenario()
    stated = policy_windows(_profile(tax_status="standard"), scenario, 100.0, LOADED.policies, 0.03, TODAY, 0.08, 12)
    deduction = [w for w in stated if w[0] == "national_equipment_one_time_deduction"]
    assert len(deduction) == 1
    _, first, last, value = deduction[0]
    assert first == 0
    assert quarter_start(TODAY, last) <= date(2027, 12, 31) < quarter_start(TODAY, last + 1)
    assert value > 0
    # not counted while the tax status is unanswered: nothing for the optimiser to chase
    unstated = policy_windows(_profile(), scenario, 100.0, LOADED.policies, 0.03, TODAY, 0.08, 12)
    assert not [w for w in unstated if w[0] == "national_equipment_one_time_deduction"]


def test_a_policy_coming_into_force_after_the_plan_date_is_judged_at_the_items_start() -> None:
    scenario = _equipment_scenario()
    deduction = next(p for p in LOADED.policies if p.id == "national_equipment_one_time_deduction")
    later = deduction.model_copy(update={"valid_from": date(2027, 6, 1), "valid_to": date(2029, 12, 31)})
    policies = [later if p.id == deduction.id else p for p in LOADED.policies]
    profile = _profile(tax_status="standard")

    def verdict(start: date | None) -> bool:
        f = fund_item(profile, scenario, 100.0, policies, 0.03, TODAY, start=start)
        return any(o.policy == deduction.id and o.verdict == "counted" for o in f.eligible)

    assert not verdict(None)
    assert not verdict(date(2027, 4, 1))
    assert verdict(date(2027, 7, 1))


def _line() -> FundingLine:
    return FundingLine(
        policy="national_equipment_one_time_deduction",
        name_zh="设备、器具一次性税前扣除",
        name_en="One-time deduction",
        issuer_zh="财政部、税务总局",
        status="active",
        verdict="counted",
        group="tax",
        amount=0.4,
        basis_zh="一次性扣除设备 40.0 万元",
        basis_en="equipment of 40.0 万元 deducted at once",
    )


def test_the_plan_says_when_a_start_was_moved_to_meet_a_policy_and_what_it_is_worth() -> None:
    deduction = next(p for p in LOADED.policies if p.id == "national_equipment_one_time_deduction")
    met = Window(policy=deduction.id, last_start=3, value=0.4)
    moved = Scheduled(
        id="x",
        start_quarter=3,
        end_quarter=5,
        net_one_off=40,
        subsidy=0,
        npv=10,
        windows_met=[met],
        best_start_without_windows=5,
    )
    line = _line()
    _explain_window(line, deduction, moved, quarter_start(TODAY, 3))
    assert "在政策有效期（至2027-12-31）内" in line.basis_zh
    assert "宜在规划第6季度开工" in line.basis_zh
    assert "提前到第4季度" in line.basis_zh
    assert "0.40 万元" in line.basis_zh
    assert "brought forward it to quarter 4" in line.basis_en
    kept = moved.model_copy(update={"best_start_without_windows": 2})
    plain = _line()
    _explain_window(plain, deduction, kept, quarter_start(TODAY, 3))
    assert "在政策有效期" in plain.basis_zh
    assert "提前" not in plain.basis_zh


def test_the_windows_of_several_items_worked_out_at_once_are_each_items_own() -> None:
    # a plan asks for every candidate's windows at once (financing.policy_windows_many), the enterprise's facts
    # worked out once; each item must get what policy_windows gives it alone, including with two judging days
    deduction = next(p for p in LOADED.policies if p.id == "national_equipment_one_time_deduction")
    later = deduction.model_copy(update={"id": "later", "valid_from": date(2027, 6, 1), "valid_to": date(2029, 12, 31)})
    profile = _profile(tax_status="standard")
    items = [(s, one_off) for s in LOADED.catalog.scenarios[:20] for one_off in (0.5, 40.0, 900.0)]
    for policies in (LOADED.policies, [*LOADED.policies, later]):
        many = policy_windows_many(profile, items, policies, 0.03, TODAY, 0.08, 12)
        alone = [policy_windows(profile, s, x, policies, 0.03, TODAY, 0.08, 12) for s, x in items]
        assert many == alone
        assert sum(1 for w in many if w) > 5
    assert any(len(w) == 2 for w in policy_windows_many(profile, items, [*LOADED.policies, later], 0.03, TODAY, 0.08, 12))
