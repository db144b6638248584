"""Money pools and revenue uplift (DESIGN rules 2 and 3): effects on one pool compound and never exceed it; a sales
effect counts only with a source and a fitting business model."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import PLAN_SCHEMA, Plan, PlanOptions, build_plan
from wendao.engine.profile import load_profile, parse_profile
from wendao.engine.scenarios import (
    BaselineValue,
    Range3,
    _Effect,
    _line,
    business_model_of,
    compound,
)
from wendao.synthetic import synthetic_profile

LOADED = default_catalog()
OPTIONS = PlanOptions(as_of=date(2026, 11, 24), with_routes=False)
METRICS = {m.id: m for m in LOADED.catalog.metrics}
SALES_SCENARIOS = {s.id for s in LOADED.catalog.scenarios if any(k.metric == "sales_revenue" for k in s.kpi_effects)}


def _plan(name: str, **changes: object) -> Plan:
    profile = load_profile(EXAMPLES / f"{name}.yaml")
    return build_plan(profile.model_copy(update=changes), LOADED, OPTIONS)


def test_two_items_on_one_pool_compound_rather_than_add() -> None:
    assert compound([0.1, 0.1]) == pytest.approx(0.19)
    assert compound([0.3]) == pytest.approx(0.3)
    assert compound([]) == 0.0
    assert compound([0.6, 0.7, 1.4]) == pytest.approx(1.0)  # a share above the whole pool takes the pool, no more


def test_a_plan_s_pools_compound_its_items_and_its_money_is_the_sum_of_its_pools() -> None:
    plan = _plan("zibo_chemical")
    ranked = {r.id: r for r in plan.scenarios}
    shared = [p for p in plan.pools if len(p.items) > 1]
    assert shared, "the Zibo example has several items on one pool"
    for pool in plan.pools:
        shares = []
        for sid in pool.items:
            r = ranked[sid]
            line = next(x for x in r.valuation.lines if x.counted and x.baseline.key == pool.pool)
            # the stages of one scenario (pilot, roll-out) cover different units: their parts add up
            covered = sum(i.how.units / i.how.units_total for i in plan.items if i.scenario == sid and i.how)
            shares.append(line.annual.median * r.feasibility.risk_factor * covered / pool.annual)
        assert pool.saving.median == pytest.approx(pool.annual * compound(shares), abs=0.02)
        if len(shares) > 1:
            assert pool.saving.median < pool.annual * sum(shares)
    assert plan.money.annual_benefit.median == pytest.approx(sum(p.saving.median for p in plan.pools), abs=0.1)
    # once every item has been live a full year (the ramp, planning.yaml) the last quarter shows the full benefit
    if all(i.end_quarter + 4 <= len(plan.cash_flow) - 1 for i in plan.items):
        assert plan.cash_flow[-1].benefit * 4 == pytest.approx(plan.money.annual_benefit.median, abs=0.1)
    else:
        assert plan.cash_flow[-1].benefit * 4 < plan.money.annual_benefit.median


@settings(max_examples=25, deadline=None)
@given(index=st.integers(0, 10_000))
def test_no_plan_takes_more_out_of_a_pool_than_it_holds(index: int) -> None:
    data = synthetic_profile(LOADED, random.Random(index), index)
    plan = build_plan(parse_profile(data, LOADED), LOADED, OPTIONS)
    for pool in plan.pools:
        assert 0 <= pool.saving.low <= pool.saving.median <= pool.saving.high <= pool.annual
    for quarter in plan.cash_flow:
        assert quarter.benefit * 4 <= sum(p.annual for p in plan.pools) + 0.01


def test_a_b2b_chemical_firm_counts_no_unsourced_marketing_uplift() -> None:
    plan = _plan("zibo_chemical")
    assert (plan.enterprise.business_model, plan.enterprise.business_model_default) == ("b2b", True)
    marketing = next(r for r in plan.scenarios if r.id == "precision_marketing")
    sales = next(x for x in marketing.valuation.lines if x.metric == "sales_revenue")
    assert not sales.counted
    assert sales.annual.median > 0
    assert sales.upside == "business_model"  # observed in consumer business, not the firm's
    assert "upside" in {r.code for r in marketing.reasons}
    assert not SALES_SCENARIOS & {i.scenario for i in plan.items}
    assert not SALES_SCENARIOS & {r.id for r in plan.scenarios[:3]}


def test_a_sales_effect_without_a_source_is_upside_even_for_a_consumer_firm() -> None:
    plan = _plan("linyi_food", business_model="b2c")
    assert (plan.enterprise.business_model, plan.enterprise.business_model_default) == ("b2c", False)
    upside = {(u.scenario, u.reason) for u in plan.upside}
    assert ("ai_marketing_content_generation", "no_source") in upside
    for r in plan.scenarios:
        assert not any(x.counted for x in r.valuation.lines if x.metric == "sales_revenue")


def test_a_sourced_sales_effect_counts_only_for_a_business_model_it_was_observed_in() -> None:
    scenario = next(s for s in LOADED.catalog.scenarios if s.id == "precision_marketing")
    kpi = next(k for k in scenario.kpi_effects if k.metric == "sales_revenue")
    sourced = kpi.model_copy(update={"source": "https://example.org/study", "as_of": date(2025, 1, 1), "estimate": None})
    whole = (kpi.low, kpi.median, kpi.high)
    effect = _Effect(sourced, METRICS["sales_revenue"], Range3.of(*whole), "scale", whole, low_end=False)
    margin = BaselineValue(
        key="annual_contribution_margin",
        value=1000.0,
        origin="profile",
        formula="revenue × contribution_margin_rate",
        inputs={},
        defaults_used=[],
        sharpen_with=[],
    )
    profile = load_profile(EXAMPLES / "linyi_food.yaml")
    consumer = _line(effect, profile, lambda _: margin, "b2c")
    industrial = _line(effect, profile, lambda _: margin, "b2b")
    assert consumer.counted
    assert consumer.upside == ""
    assert not industrial.counted
    assert industrial.upside == "business_model"
    unsourced = replace(effect, kpi=kpi)
    assert _line(unsourced, profile, lambda _: margin, "b2c").upside == "no_source"


def test_extra_output_without_a_capacity_shortage_is_not_counted() -> None:
    plan = _plan("zibo_chemical")
    base = load_profile(EXAMPLES / "zibo_chemical.yaml").baseline
    unconstrained = _plan("zibo_chemical", baseline=base.model_copy(update={"capacity_constrained": False}))
    for r in unconstrained.scenarios:
        for x in r.valuation.lines:
            if x.metric == "throughput":
                assert not x.counted
                assert x.upside == "capacity"
    assert "annual_contribution_margin" in {p.pool for p in plan.pools}  # sourced and capacity-constrained
    assert "annual_contribution_margin" not in {p.pool for p in unconstrained.pools}


@pytest.mark.parametrize(
    ("division", "model"), [("C26", "b2b"), ("C34", "b2b"), ("C39", "b2b"), ("C14", "mixed"), ("C18", "mixed")]
)
def test_the_business_model_defaults_by_division_and_says_it_is_a_default(division: str, model: str) -> None:
    profile = load_profile(EXAMPLES / "linyi_food.yaml").model_copy(update={"industry": division})
    assert business_model_of(profile, LOADED.catalog) == (model, True)
    assert business_model_of(profile.model_copy(update={"business_model": "b2c"}), LOADED.catalog) == ("b2c", False)


def test_a_stored_v1_plan_without_pools_still_reads() -> None:
    data = _plan("weifang_machinery").model_dump(mode="json")
    data["schema_version"] = "wendao.plan/1"
    for key in ("pools", "upside"):
        del data[key]
    for key in ("business_model", "business_model_default"):
        del data["enterprise"][key]
    for r in data["scenarios"]:
        for line in r["valuation"]["lines"]:
            del line["upside"]
    old = Plan.model_validate(data)
    assert old.schema_version == "wendao.plan/1" != PLAN_SCHEMA
    assert old.pools == []
    assert old.upside == []
    assert old.enterprise.business_model == ""


def test_no_b2b_process_firm_gets_a_marketing_item_in_its_top_three_when_sales_is_not_a_stated_need() -> None:
    groups = {i.code: i.group for i in LOADED.catalog.industries}
    rng = random.Random(5)
    checked = 0
    for index in range(120):
        data = synthetic_profile(LOADED, rng, index)
        if groups[data["industry"][:3]] != "raw_materials":
            continue
        plan = build_plan(parse_profile(data, LOADED), LOADED, OPTIONS)  # no matcher: no need is matched
        assert not SALES_SCENARIOS & {r.id for r in plan.scenarios[:3]}
        assert not SALES_SCENARIOS & {i.scenario for i in plan.items[:3]}
        checked += 1
    assert checked >= 20


def test_an_estimate_without_a_source_counts_at_its_low_end_and_a_sourced_effect_over_its_range() -> None:
    plan = _plan("zibo_chemical")
    lines = [x for r in plan.scenarios for x in r.valuation.lines if x.counted and x.baseline.value]
    assert any(x.low_end for x in lines)
    assert any(not x.low_end for x in lines)
    for x in lines:
        pool = x.baseline.value * x.pool_share * x.in_place_share
        if x.low_end:  # (low, low, median) of the effect, never its median or high
            assert x.source is None
            assert x.annual.median == x.annual.low
            assert x.annual.median <= pool * x.effect.low + 0.01
        else:
            assert x.source


def test_a_firm_that_already_runs_the_system_counts_half_of_the_effect_and_is_told_why() -> None:
    runs_ems = {r.id: r for r in _plan("zibo_chemical").scenarios}["energy_management"]
    without = {r.id: r for r in _plan("zibo_chemical", systems=["ERP", "MES", "DCS"]).scenarios}["energy_management"]
    share = LOADED.planning.in_place.share_left  # type: ignore[union-attr]
    assert runs_ems.valuation.in_place == ["EMS"]
    assert without.valuation.in_place == []
    assert runs_ems.valuation.annual_benefit.median == pytest.approx(
        without.valuation.annual_benefit.median * share, abs=0.02
    )
    reason = next(x for x in runs_ems.reasons if x.code == "in_place")
    assert "EMS" in reason.zh
    assert f"{share * 100:.0f}%" in reason.zh
