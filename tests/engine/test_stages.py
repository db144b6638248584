"""Pilot then roll-out (issue 13 item 3) and how each item's money was made (item 8)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan, PlanOptions, _Pools, build_plan
from wendao.engine.profile import load_profile
from wendao.engine.scenarios import BaselineValue, BenefitLine, Range3, compound
from wendao.engine.stages import ROLLOUT, stage_parts, staged_name

LOADED = default_catalog()
OPTIONS = PlanOptions(as_of=date(2026, 11, 24), with_routes=False)


def _plan(name: str = "weifang_machinery", **changes: object) -> Plan:
    return build_plan(load_profile(EXAMPLES / f"{name}.yaml").model_copy(update=changes), LOADED, OPTIONS)


PLAN = _plan()


def test_a_scenario_on_more_units_than_its_pilot_is_a_pilot_and_a_roll_out_that_add_up_to_the_whole() -> None:
    r = next(x for x in PLAN.scenarios if x.id == "online_inspection")
    pilot, rollout = stage_parts(r)
    assert (pilot.stage, rollout.stage) == ("pilot", "rollout")
    assert rollout.candidate == "online_inspection" + ROLLOUT
    assert pilot.units + rollout.units == pilot.units_total == r.valuation.coverage.units  # type: ignore[union-attr]
    assert pilot.share + rollout.share == pytest.approx(1.0)
    assert pilot.one_off + rollout.one_off == pytest.approx(r.valuation.one_off.median)
    assert pilot.annual_cost + rollout.annual_cost == pytest.approx(r.valuation.annual_cost.median)


def test_a_site_wide_scenario_is_one_stage() -> None:
    r = next(x for x in PLAN.scenarios if x.id == "energy_management")
    (only,) = stage_parts(r)
    assert (only.stage, only.share) == ("full", 1.0)


def test_the_roll_out_starts_only_after_its_pilot_is_finished() -> None:
    staged = [i for i in PLAN.items if i.stage == "rollout"]
    assert staged, "the Weifang example rolls out at least one scenario"
    for rollout in staged:
        pilot = next(i for i in PLAN.items if i.scenario == rollout.scenario and i.stage == "pilot")
        assert pilot.end_quarter <= rollout.start_quarter
        assert "（推广）" in rollout.label_zh
        assert "（试点）" in pilot.label_zh
        assert rollout.how is not None
        assert pilot.how is not None
        assert rollout.how.units + pilot.how.units == rollout.how.units_total


def _line(value: float, annual: float) -> BenefitLine:
    base = BaselineValue(
        key="annual_quality_loss",
        value=value,
        origin="profile",
        formula="",
        inputs={},
        defaults_used=[],
        sharpen_with=[],
    )
    return BenefitLine(
        metric="defect_rate",
        metric_zh="",
        metric_en="",
        effect=Range3.of(0, 0, 0),
        baseline=base,
        annual=Range3.of(annual, annual, annual),
        counted=True,
        source=None,
        as_of=None,
        estimate="t",
        verified=False,
        reliability=None,
    )


def test_the_stages_of_one_scenario_add_on_a_pool_and_different_scenarios_compound() -> None:
    pools = _Pools()
    pools.add("a", _line(100, 20), 0.5, "a")  # pilot: half of a 40 % effect
    pools.add("a" + ROLLOUT, _line(100, 20), 0.5, "a")
    pools.add("b", _line(100, 30), 1.0, "b")
    assert pools.saving("annual_quality_loss", ["a", "a" + ROLLOUT]) == pytest.approx(20.0)  # 10 + 10, added
    assert pools.saving("annual_quality_loss", ["a", "a" + ROLLOUT, "b"]) == pytest.approx(100 * compound([0.2, 0.3]))
    assert pools.caps()["annual_quality_loss"] == pytest.approx(100 * compound([0.2, 0.3]))
    # the ramp: an item in its first year delivers its share times the ramp
    assert pools.saving("annual_quality_loss", ["b"], 1, {"b": 0.5}) == pytest.approx(15.0)


def test_a_reader_can_recompute_every_item_s_median_benefit_and_cost_from_its_derivation() -> None:
    for item in PLAN.items:
        how = item.how
        assert how is not None
        before_risk = sum(
            p.pool_value * p.money_rate.median * p.pool_share * p.in_place_share * p.coverage for p in how.pools
        )
        assert before_risk == pytest.approx(how.benefit_before_risk.median, abs=0.05)
        assert before_risk * how.risk_factor == pytest.approx(item.annual_benefit.median, abs=0.05)
        assert sum(c.one_off for c in how.cost_lines) == pytest.approx(item.one_off, abs=0.02)
        assert sum(c.annual for c in how.cost_lines) == pytest.approx(item.annual_cost, abs=0.02)
        assert 0 < how.ramp_first_year <= 1


def test_the_cash_flow_delivers_the_ramp_share_in_an_item_s_first_year() -> None:
    first = min(PLAN.items, key=lambda i: i.end_quarter)
    alone = [i for i in PLAN.items if i.end_quarter <= first.end_quarter]
    if len(alone) == 1 and not any(p.items != [first.scenario] for p in PLAN.pools if first.scenario in p.items):
        q = first.end_quarter
        assert PLAN.cash_flow[q].benefit == pytest.approx(first.annual_benefit.median / 4 * 0.5, abs=0.05)


def test_an_item_keeps_the_scenario_s_name_and_shows_its_stage_only_where_it_is_read() -> None:
    staged = [i for i in PLAN.items if i.stage != "full"]
    assert staged
    names = {r.id: (r.name_zh, r.name_en) for r in PLAN.scenarios}
    for i in PLAN.items:
        assert (i.name_zh, i.name_en) == names[i.scenario]
    pilot = next(i for i in staged if i.stage == "pilot")
    assert pilot.label_zh == f"{pilot.name_zh}（试点）"
    assert pilot.label_en == f"{pilot.name_en} (pilot)"
    whole = next((i for i in PLAN.items if i.stage == "full"), None)
    if whole is not None:
        assert (whole.label_zh, whole.label_en) == (whole.name_zh, whole.name_en)


def test_a_stored_plan_3_item_loses_the_stage_its_name_carried() -> None:
    stored = PLAN.model_dump(mode="json")
    for item in stored["items"]:
        item["name_zh"] = staged_name(item["name_zh"], item["stage"], "zh")
        item["name_en"] = staged_name(item["name_en"], item["stage"], "en")
    read = Plan.model_validate(stored)
    assert [(i.name_zh, i.label_zh) for i in read.items] == [(i.name_zh, i.label_zh) for i in PLAN.items]
    assert not any(i.name_zh.endswith("）") for i in read.items if i.stage != "full")
