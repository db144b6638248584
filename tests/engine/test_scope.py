"""Deployment scope (issue 13 item 1): a scenario's cost and benefit grow with the units it covers, and the
counts a profile leaves empty come from defaults by industry group and size class, flagged as defaults."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
from wendao.engine.catalog.schema import SIZE_CLASSES, Scope
from wendao.engine.plan import PlanOptions, build_plan
from wendao.engine.profile import load_profile
from wendao.engine.scenarios import _npv_range, npv_quarterly, payback_months
from wendao.engine.scope import Counts, cost_of, rollout_units, site_equivalents, site_split, size_factor
from wendao.engine.stages import derivation, stage_parts

LOADED = default_catalog()
GROUPS = {i.code: i.group for i in LOADED.catalog.industries}
COUNTS = Counts(LOADED.count_defaults, GROUPS)
WEIFANG = load_profile(EXAMPLES / "weifang_machinery.yaml")


def test_a_count_the_profile_gives_is_used_and_not_flagged_as_a_default() -> None:
    own = WEIFANG.model_copy(update={"baseline": WEIFANG.baseline.model_copy(update={"key_machines": 86})})
    count = COUNTS.get(own, "key_machines")
    assert (count.value, count.default) == (86, False)


def test_a_missing_count_is_the_group_default_for_the_size_class_and_says_so() -> None:
    count = COUNTS.get(WEIFANG, "key_machines")  # C34 is an equipment division, 260 people a small firm
    assert WEIFANG.size_class == "small"
    assert count.default
    assert count.value == 15
    assert count.estimate is not None
    assert "estimate" in count.estimate
    assert COUNTS.get(WEIFANG, "site").value == 1


def test_every_count_has_a_default_for_every_size_class() -> None:
    for name in ("inspection_stations", "production_lines", "key_machines", "process_units", "warehouses"):
        for size in SIZE_CLASSES:
            found = [d for d in LOADED.count_defaults if d.count == name and d.applies_to == "all"]
            assert found
            assert found[0].by_size[size] >= 1


def test_covering_units_costs_the_fixed_part_plus_units_times_the_unit_price() -> None:
    scope = Scope.model_validate(
        {
            "unit": "station",
            "count": "inspection_stations",
            "pool_share": 0.6,
            "fixed": {"one_off": {"low": 5, "high": 20}, "annual": {"low": 1, "high": 3}},
            "per_unit": {"one_off": {"low": 10, "high": 40}, "annual": {"low": 1, "high": 3}},
            "estimate": "test",
        }
    )
    one_off, annual = cost_of(scope, 3, None)
    assert one_off == (5 + 3 * 10, (12.5 + 3 * 25), 20 + 3 * 40)
    assert annual == (1 + 3 * 1, 2 + 3 * 2, 3 + 3 * 3)
    assert cost_of(scope, 3, None, with_fixed=False)[0] == (30, 75, 120)


def test_a_scope_counted_in_units_needs_a_unit_price() -> None:
    with pytest.raises(ValueError, match="per_unit"):
        Scope.model_validate({"unit": "line", "count": "production_lines", "pool_share": 1, "estimate": "test"})


def test_every_unit_price_agrees_with_the_size_bands_within_a_factor_of_four() -> None:
    """The size-class bands are the cross-check of the unit costs: fixed + default units × per unit stays within
    a factor of four of the band of each size class (a gross unit-price error would leave it)."""
    for s in LOADED.catalog.scenarios:
        if s.scope.per_unit is None:
            continue
        for size in ("small", "medium", "large"):
            for d in (d for d in LOADED.count_defaults if d.count == s.scope.count):
                one_off, _ = cost_of(s.scope, d.by_size[size], None)
                band = s.cost.band(size)
                assert band.one_off.low / 4 <= one_off[1] <= band.one_off.high * 4, (s.id, size, d.applies_to)


def _ranked(profile=WEIFANG):  # type: ignore[no-untyped-def]
    from datetime import date

    from wendao.engine.plan import PlanOptions, build_plan

    return {
        r.id: r for r in build_plan(profile, LOADED, PlanOptions(as_of=date(2026, 11, 24), with_routes=False)).scenarios
    }


def test_a_scenario_takes_pool_times_effect_times_pool_share_and_costs_fixed_plus_units_times_unit_price() -> None:
    r = _ranked()["online_inspection"]
    cov = r.valuation.coverage
    assert cov is not None
    assert (cov.unit, cov.priced_by) == ("station", "units")
    assert (cov.units, cov.count_default) == (2, True)  # the default for a small equipment firm
    for line in r.valuation.lines:
        if line.counted and line.metric == "inspection_labour":
            pool = line.baseline.value
            assert pool == pytest.approx(14 * 9.5)  # the profile's inspectors × labour cost
            # effect 30–50–80 %, an estimate without a source: counted at its low end (30 %); pool share 0.6
            assert line.low_end
            assert line.annual.median == pytest.approx(pool * 0.3 * 0.6, abs=0.01)
            assert line.annual.high == pytest.approx(pool * 0.5 * 0.6, abs=0.01)
    assert r.valuation.one_off.median == pytest.approx(cov.fixed_one_off.median + 2 * cov.unit_one_off.median)
    assert r.valuation.annual_cost.median == pytest.approx(cov.fixed_annual.median + 2 * cov.unit_annual.median)


def test_a_site_wide_package_is_priced_by_its_size_band() -> None:
    r = _ranked()["energy_management"]
    band = LOADED.catalog.scenario("energy_management").cost.band("small")
    assert r.valuation.coverage is not None
    assert r.valuation.coverage.priced_by == "size_band"
    assert r.valuation.one_off.median == pytest.approx((band.one_off.low + band.one_off.high) / 2)


def test_the_ramp_delays_payback_by_the_benefit_missing_in_the_first_year() -> None:
    # 12 万元 one-off, 24 万元 a year benefit, no running cost, 3 months to build
    assert payback_months(12, 24, 0, 3) == 9.0
    assert payback_months(12, 24, 0, 3, 0.5) == 15.0  # half the benefit in the first year: 12 months to repay
    assert payback_months(30, 24, 0, 3, 0.5) == 24.0  # year one repays 12, the full rate the other 18 in 9 months
    assert payback_months(5, 1, 2, 3) is None


def test_the_ramp_lowers_the_npv_by_the_benefit_missing_in_the_first_year_and_both_forms_agree() -> None:
    full = npv_quarterly(10, 20, 2, 2, 12, 0.08)
    ramped = npv_quarterly(10, 20, 2, 2, 12, 0.08, ramp_loss=10)
    assert full - ramped == pytest.approx(sum(2.5 / (1.08**0.25) ** q for q in range(2, 6)))
    lo, mid, hi = _npv_range((10, 10, 10), (18, 18, 18), 2, 12, 0.08, (10, 10, 10))
    assert lo == mid == hi == pytest.approx(ramped)


# --- session 3: a process unit's price grows with its size; one item's take of a pool is capped ------------------

ZIBO = load_profile(EXAMPLES / "zibo_chemical.yaml")
RULE = LOADED.planning.size_scaling


def test_a_process_unit_larger_than_its_size_class_costs_more_by_the_six_tenths_rule() -> None:
    assert RULE is not None
    r = _ranked(ZIBO)["process_dynamic_optimisation"]
    cov = r.valuation.coverage
    assert cov is not None
    assert ZIBO.size_class == "medium"  # 850 people, though 12.6 亿元 of revenue
    assert (cov.units, cov.count_default) == (4, True)
    per_unit = LOADED.catalog.scenario("process_dynamic_optimisation").scope.per_unit
    assert per_unit is not None
    # one unit's revenue (126 000 ÷ 4) against the medium reference per unit (40 000 ÷ 4)
    factor = (126000 / 4 / (40000 / 4)) ** 0.6
    assert cov.cost_scale == pytest.approx(factor, abs=1e-3)
    assert cov.unit_one_off.median == pytest.approx(
        (per_unit.one_off.low + per_unit.one_off.high) / 2 * factor, abs=0.01
    )
    assert r.valuation.one_off.median == pytest.approx(cov.fixed_one_off.median + 4 * cov.unit_one_off.median)


def test_a_unit_within_its_size_class_and_a_station_keep_their_price() -> None:
    ranked = _ranked()
    assert WEIFANG.revenue > 2000  # far above the small class's revenue, but stations are not scaled
    cov = ranked["online_inspection"].valuation.coverage
    assert cov is not None
    assert cov.cost_scale == 1.0
    small_plant = ZIBO.model_copy(update={"revenue": 20000.0})
    cov = _ranked(small_plant)["process_dynamic_optimisation"].valuation.coverage
    assert cov is not None
    assert cov.cost_scale == 1.0


def test_the_size_factor_is_at_most_the_rules_cap() -> None:
    assert RULE is not None
    assert size_factor(1e9, 1.0, RULE) == RULE.max_factor
    assert size_factor(50.0, 100.0, RULE) == 1.0


def test_no_item_takes_more_than_the_capped_share_of_a_pool() -> None:
    caps = {k: c.share for k, c in LOADED.planning.pool_caps.items()}
    assert caps["annual_contribution_margin"] == 0.06
    for r in _ranked(ZIBO).values():
        for line in r.valuation.lines:
            key = line.baseline.key
            if key in caps and line.baseline.value:
                assert line.annual.high <= line.baseline.value * caps[key] + 1e-6, (r.id, line.metric)


def test_zibos_process_optimisation_roll_out_is_priced_for_its_large_units() -> None:
    """Last session's 112.5 万元 → 993 万元 a year on 3 of 4 units: now the units' price follows their size."""
    plan = build_plan(ZIBO, LOADED, PlanOptions(as_of=date(2026, 11, 24), with_routes=False))
    rollout = next(i for i in plan.items if i.scenario == "process_dynamic_optimisation" and i.stage == "rollout")
    assert rollout.one_off > 200
    assert (rollout.annual_benefit.median - rollout.annual_cost) / rollout.one_off < 3.5


def test_a_medium_firm_s_line_is_priced_at_its_size_class_band_not_a_small_firm_s() -> None:
    lean = LOADED.catalog.scenario("lean_management")
    cov = _ranked(ZIBO)["lean_management"].valuation.coverage
    assert cov is not None
    assert (cov.unit, cov.units, cov.count_default) == ("line", 2, True)  # raw-materials medium default
    assert lean.scope.per_unit is not None
    assert lean.scope.fixed is not None
    band = lean.cost.band("medium")
    # the default two lines and the fixed part cost the medium band's median one-off
    whole = cov.fixed_one_off.median + 2 * cov.unit_one_off.median
    assert whole == pytest.approx((band.one_off.low + band.one_off.high) / 2, abs=0.05)
    assert cov.cost_scale > 1


def test_a_scope_that_already_costs_its_band_keeps_its_price() -> None:
    cov = _ranked(ZIBO)["process_dynamic_optimisation"].valuation.coverage
    assert cov is not None
    assert cov.cost_scale == pytest.approx((126000 / 4 / (40000 / 4)) ** 0.6, abs=1e-3)  # the unit-size rule only
    small = _ranked(load_profile(EXAMPLES / "linyi_food.yaml"))
    assert all(
        r.valuation.coverage.cost_scale == 1.0
        for r in small.values()
        if r.valuation.coverage is not None and r.valuation.coverage.unit in {"line", "station"}
    )


# --- a group far above the size the site-wide bands describe (planning.yaml site_scaling, session 6) ----------

STEEL = load_profile(Path(__file__).resolve().parents[1] / "data" / "profiles" / "large_steel.yaml")
SITE_RULE = LOADED.planning.site_scaling


def test_a_firm_below_one_and_a_half_references_counts_as_one_site_and_a_300_yi_group_as_fifteen() -> None:
    assert SITE_RULE is not None
    assert site_equivalents(ZIBO.revenue, SITE_RULE) == 1  # 12.6 亿元: priced by its band as before
    assert site_equivalents(299_999, SITE_RULE) == 1
    assert site_equivalents(STEEL.revenue, SITE_RULE) == 15  # 300 亿元 ÷ 20 亿元


def test_one_site_equivalent_costs_the_band_and_all_of_them_the_band_times_the_six_tenths_rule() -> None:
    assert SITE_RULE is not None
    a, b = site_split(15, SITE_RULE)
    assert a + b == pytest.approx(1.0)
    assert a + 15 * b == pytest.approx(15**0.6, abs=1e-4)  # 5.08, not 15
    assert site_split(1, SITE_RULE) == (1.0, 0.0)


def test_a_group_s_site_wide_scenario_is_priced_per_site_equivalent_and_its_pilot_costs_the_large_band() -> None:
    assert SITE_RULE is not None
    r = _ranked(STEEL)["ai_demand_forecasting"]
    cov = r.valuation.coverage
    band = LOADED.catalog.scenario("ai_demand_forecasting").cost.band("large")
    median = (band.one_off.low + band.one_off.high) / 2
    assert cov is not None
    assert (cov.unit, cov.priced_by, cov.units, cov.pilot_units) == ("site_equiv", "units", 15, 1)
    assert cov.fixed_one_off.median + cov.unit_one_off.median == pytest.approx(median)  # the pilot: one site
    assert r.valuation.one_off.median == pytest.approx(median * 15**0.6, rel=1e-4)  # 95 × 5.08 = 483 万元
    assert cov.rollout_units == 7  # half of the other 14 within the plan


def test_a_group_s_roll_out_covers_its_stated_share_and_leaves_the_rest_to_the_next_plan() -> None:
    assert rollout_units(13, 0.5) == 7
    assert rollout_units(145, 0.5) == 73
    assert rollout_units(1, 0.5) == 1
    assert rollout_units(13, None) == 13  # not a group: the roll-out covers every unit after the pilot
    r = _ranked(STEEL)["process_dynamic_optimisation"]
    parts = stage_parts(r)
    assert [(p.stage, p.units, p.units_total) for p in parts] == [("pilot", 1, 14), ("rollout", 7, 14)]
    assert derivation(r, parts[1]).units_later == 6


def test_the_examples_are_not_groups_and_their_roll_outs_cover_every_unit() -> None:
    for profile in (WEIFANG, ZIBO):
        for r in _ranked(profile).values():
            cov = r.valuation.coverage
            assert cov is not None
            assert cov.unit != "site_equiv"
            assert cov.rollout_units is None


def test_a_group_s_default_count_is_one_plant_s_default_times_its_site_equivalents_and_its_pilot_one_site() -> None:
    one_plant = COUNTS.get(STEEL, "key_machines")  # the large class's default, written for one plant
    r = _ranked(STEEL)["ai_predictive_maintenance"]
    cov = r.valuation.coverage
    assert cov is not None
    assert (cov.units, cov.count_default) == (15 * one_plant.value, True)
    assert cov.count_estimate is not None
    assert "15 site equivalents" in cov.count_estimate
    assert cov.pilot_units == one_plant.value  # one site's machines, not a small firm's five
    assert cov.rollout_units == (cov.units - cov.pilot_units) // 2
    assert cov.cost_scale == 1.0  # a machine of a group costs what a machine costs


def test_a_group_s_own_count_is_used_as_given() -> None:
    r = _ranked(STEEL)["process_dynamic_optimisation"]
    cov = r.valuation.coverage
    assert cov is not None
    assert (cov.units, cov.count_default, cov.pilot_units) == (14, False, 1)  # the profile's 14 process units


# --- session 7: a steel works' own units, and a firm below the large class far above 30 亿元 ------------------


def test_a_steel_works_utilities_optimiser_is_priced_for_a_furnace_and_takes_only_the_non_coal_part_of_energy() -> None:
    assert RULE is not None
    scope = LOADED.catalog.scenario("ai_energy_optimisation").scope
    own = scope.by_division["C31"]
    assert own.per_unit is not None
    assert own.unit_revenue is not None
    assert own.source is not None
    r = _ranked(STEEL)["ai_energy_optimisation"]
    cov = r.valuation.coverage
    assert cov is not None
    assert cov.pool_share == pytest.approx(0.3)  # coal ~70 % of steel's primary energy is left to process control
    # one of 14 units of a 300 亿元 group: 21.4 亿元 a unit against the 20 亿元 the price was written for
    scale = (STEEL.revenue / 14 / own.unit_revenue) ** RULE.exponent
    assert cov.cost_scale == pytest.approx(scale, abs=1e-4)
    assert cov.class_scale == 1.0
    assert cov.unit_one_off.median == pytest.approx(300 * scale, abs=0.05)  # 312.7 万元, was 19 × 4.63 = 88.0
    assert cov.cost_estimate is not None
    assert "华菱湘钢" in cov.cost_estimate
    # the pilot on one unit pays back within one to three years, not in 8 months at ten times its cost a year
    pilot = stage_parts(r)[0]
    assert pilot.stage == "pilot"
    assert pilot.one_off == pytest.approx(12.5 + 300 * scale, abs=0.05)  # 325.2 万元, was 100.5
    benefit = r.valuation.annual_benefit.median * pilot.share
    assert benefit == pytest.approx(480_000 * 0.3 / 14 * 0.06, abs=0.01)  # 617 万元 a year before risk, was 1 234
    months = payback_months(pilot.one_off, benefit, pilot.annual_cost, r.valuation.duration_months, 0.5)
    assert months is not None
    assert 12 <= months <= 36


def test_a_chemical_plant_in_steel_s_industry_group_keeps_the_general_utilities_scope() -> None:
    r = _ranked(ZIBO)["ai_energy_optimisation"]
    cov = r.valuation.coverage
    assert cov is not None
    assert ZIBO.division == "C26"
    assert cov.pool_share == pytest.approx(0.6)
    per_unit = LOADED.catalog.scenario("ai_energy_optimisation").scope.per_unit
    assert per_unit is not None
    assert cov.unit_one_off.median == pytest.approx(
        (per_unit.one_off.low + per_unit.one_off.high) / 2 * cov.cost_scale, abs=0.01
    )


def test_a_smaller_steel_unit_costs_less_by_the_same_rule_within_a_tenth_and_ten_times() -> None:
    assert RULE is not None
    from wendao.engine.scope import UnitCount, division_unit_scale

    four = UnitCount(count="process_units", value=4, default=True, estimate=None)
    assert division_unit_scale(800_000, four, 200_000, RULE) == 1.0  # a unit of exactly 20 亿元
    assert division_unit_scale(80_000, four, 200_000, RULE) == pytest.approx(0.1**0.6, abs=1e-4)  # 2 亿元: 0.25
    assert division_unit_scale(800, four, 200_000, RULE) == pytest.approx(0.1)  # never below a tenth
    assert division_unit_scale(100_000_000, four, 200_000, RULE) == pytest.approx(10.0)  # never above ten times


def test_a_medium_class_firm_above_30_yi_counts_its_sites_against_its_own_class_s_reference() -> None:
    assert SITE_RULE is not None
    assert RULE is not None
    medium = RULE.reference_revenue["medium"]  # 4 亿元: the medium bands describe a plant of up to this size
    # a 40 亿元 firm of 900 people is ten medium plants, not two large ones (it is priced by the medium band)
    assert site_equivalents(400_000, SITE_RULE, medium) == 10
    assert site_equivalents(400_000, SITE_RULE, RULE.reference_revenue["large"]) == 2
    assert site_equivalents(400_000, SITE_RULE) == 2
    # below 30 亿元 every firm keeps its band as before
    assert site_equivalents(299_999, SITE_RULE, medium) == 1
    firm = STEEL.model_copy(update={"employees": 900})
    assert firm.size_class == "medium"
    r = _ranked(firm)["ai_demand_forecasting"]
    cov = r.valuation.coverage
    assert cov is not None
    assert cov.units == round(firm.revenue / medium)  # 75 medium plants' worth, not 15
    band = LOADED.catalog.scenario("ai_demand_forecasting").cost.band("medium")
    assert cov.fixed_one_off.median + cov.unit_one_off.median == pytest.approx(
        (band.one_off.low + band.one_off.high) / 2
    )
