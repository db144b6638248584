"""The value model's rules (engine/value_rules.py), one test per rule: how each money pool is worked out from a
profile, and how an effect on it becomes money. Profiles are parsed from the Weifang example with its
baseline replaced, so each test states exactly which figures the firm gave."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from wendao.engine.catalog import LoadedCatalog, default_catalog
from wendao.engine.profile import Baseline, EnterpriseProfile, parse_profile
from wendao.engine.scenarios import Defaults, money_pool
from wendao.engine.value_rules import POOL_RULES, effect_money, effect_rule, value_rule_problems

EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "wendao" / "data" / "examples" / "weifang_machinery.yaml"


@pytest.fixture(scope="module")
def loaded() -> LoadedCatalog:
    return default_catalog()


def firm(loaded: LoadedCatalog, **baseline: Any) -> EnterpriseProfile:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["baseline"] = baseline
    return parse_profile(data, loaded)


def default(loaded: LoadedCatalog, profile: EnterpriseProfile, figure: str) -> float:
    found = Defaults(loaded.baseline_defaults, loaded.catalog).get(figure, profile.division)
    assert found is not None, figure
    return found.value


def pool(loaded: LoadedCatalog, profile: EnterpriseProfile, key: str) -> Any:
    return money_pool(key, profile, loaded.baseline_defaults, loaded.catalog)


SHARES = [k for k, r in POOL_RULES.items() if r.kind == "share_of_revenue"]


@pytest.mark.parametrize("key", SHARES)
def test_a_cost_the_firm_gives_is_its_pool_and_a_missing_one_is_revenue_times_the_default_share(
    loaded: LoadedCatalog, key: str
) -> None:
    rule = POOL_RULES[key]
    own = firm(loaded, **{rule.own[0]: 123.0})
    given = pool(loaded, own, key)
    assert (given.value, given.origin, given.defaults_used) == (123.0, "profile", [])
    bare = firm(loaded)
    made = pool(loaded, bare, key)
    assert made.value == pytest.approx(bare.revenue * default(loaded, bare, rule.defaults[0]))
    assert made.origin == "default"
    assert made.sharpen_with == [rule.own[0]]


def test_downtime_is_hours_times_the_cost_of_an_hour_and_has_no_default(loaded: LoadedCatalog) -> None:
    both = pool(loaded, firm(loaded, unplanned_downtime_hours=500, downtime_cost_per_hour=0.6), "annual_downtime_cost")
    assert (both.value, both.origin) == (pytest.approx(300.0), "profile")
    one = pool(loaded, firm(loaded, unplanned_downtime_hours=500), "annual_downtime_cost")
    assert (one.value, one.origin, one.sharpen_with) == (None, "missing", ["downtime_cost_per_hour"])


def test_inventory_carrying_cost_is_stock_times_rate_with_defaults_for_either(loaded: LoadedCatalog) -> None:
    own = pool(
        loaded, firm(loaded, inventory_value=5000, inventory_carrying_rate=0.2), "annual_inventory_carrying_cost"
    )
    assert (own.value, own.origin) == (pytest.approx(1000.0), "profile")
    bare = firm(loaded, inventory_value=5000)
    mixed = pool(loaded, bare, "annual_inventory_carrying_cost")
    assert mixed.value == pytest.approx(5000 * default(loaded, bare, "inventory_carrying_rate"))
    assert mixed.origin == "mixed"
    none = firm(loaded)
    made = pool(loaded, none, "annual_inventory_carrying_cost")
    share, rate = (default(loaded, none, f) for f in ("inventory_share_of_revenue", "inventory_carrying_rate"))
    assert made.value == pytest.approx(none.revenue * share * rate)
    assert made.origin == "default"


@pytest.mark.parametrize(
    ("key", "staff"),
    [("annual_inspection_labour_cost", "inspection_staff"), ("annual_production_labour_cost", "production_staff")],
)
def test_a_staff_cost_is_headcount_times_wage_with_a_default_share_of_employees(
    loaded: LoadedCatalog, key: str, staff: str
) -> None:
    own = pool(loaded, firm(loaded, **{staff: 10, "labour_cost_per_person": 9.0}), key)
    assert (own.value, own.origin) == (pytest.approx(90.0), "profile")
    bare = firm(loaded)
    made = pool(loaded, bare, key)
    share, wage = (
        default(loaded, bare, POOL_RULES[key].staff_share or ""),
        default(loaded, bare, "labour_cost_per_person"),
    )
    assert made.value == pytest.approx(bare.employees * share * wage)


def test_service_labour_has_no_default_headcount(loaded: LoadedCatalog) -> None:
    assert pool(loaded, firm(loaded), "annual_service_labour_cost").value is None
    given = pool(loaded, firm(loaded, service_staff=6, labour_cost_per_person=10.0), "annual_service_labour_cost")
    assert given.value == pytest.approx(60.0)


def test_engineering_information_cost_is_the_engineers_cost_times_their_time_on_information(
    loaded: LoadedCatalog,
) -> None:
    profile = firm(loaded, engineering_staff=20, labour_cost_per_person=12.0)
    got = pool(loaded, profile, "annual_engineering_information_cost")
    assert got.value == pytest.approx(20 * 12.0 * default(loaded, profile, "engineering_time_share_on_information"))
    assert got.formula.endswith("× engineering_time_share_on_information")


def test_the_contribution_margin_is_revenue_times_the_margin_rate(loaded: LoadedCatalog) -> None:
    own = firm(loaded, contribution_margin_rate=0.25)
    assert pool(loaded, own, "annual_contribution_margin").value == pytest.approx(own.revenue * 0.25)
    bare = firm(loaded)
    made = pool(loaded, bare, "annual_contribution_margin")
    assert made.value == pytest.approx(bare.revenue * default(loaded, bare, "contribution_margin_rate"))
    assert made.origin == "default"


def test_a_lower_is_better_effect_saves_that_share_of_its_pool() -> None:
    assert effect_rule("energy_cost", "lower") == "scale"
    assert effect_money("scale", 400.0, 0.1, capacity_constrained=False) == pytest.approx(40.0)


def test_a_productivity_gain_saves_p_over_one_plus_p_of_labour() -> None:
    assert effect_rule("labour_productivity", "higher") == "productivity"
    assert effect_money("productivity", 1000.0, 0.25, capacity_constrained=False) == pytest.approx(200.0)


def test_extra_throughput_counts_only_when_demand_exceeds_capacity() -> None:
    assert effect_rule("throughput", "higher") == "throughput"
    assert effect_money("throughput", 1000.0, 0.05, capacity_constrained=False) == 0.0
    assert effect_money("throughput", 1000.0, 0.05, capacity_constrained=True) == pytest.approx(50.0)


def test_every_monetised_metric_has_a_rule_and_every_rule_names_real_figures(loaded: LoadedCatalog) -> None:
    metrics = [(m.id, m.baseline) for m in loaded.catalog.metrics]
    figures = [d.figure for d in loaded.baseline_defaults]
    assert value_rule_problems(metrics, figures, Baseline.model_fields) == []
    assert {b for _, b in metrics if b is not None} <= set(POOL_RULES)


def test_the_loader_check_names_a_pool_without_a_rule_and_a_missing_default() -> None:
    problems = value_rule_problems([("new_kpi", "annual_new_pool")], [], Baseline.model_fields)
    assert any("new_kpi" in p and "annual_new_pool" in p for p in problems)
    assert any("energy_cost_share_of_revenue" in p for p in problems)
