"""A first plan on defaults (issue 13 item 7): no baseline figure is required, the plan says it rests on
industry defaults and names the three own figures whose defaults carry the most money."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
from wendao.engine.ownfigures import defaults_use
from wendao.engine.plan import PlanOptions, build_plan, plan_input_problems
from wendao.engine.profile import Baseline, load_profile

LOADED = default_catalog()
OPTIONS = PlanOptions(as_of=date(2026, 11, 24), with_routes=False)
BARE = load_profile(EXAMPLES / "weifang_machinery.yaml").model_copy(update={"baseline": Baseline()})


def test_a_profile_without_any_baseline_figure_gets_a_plan() -> None:
    assert plan_input_problems(BARE, OPTIONS) == []
    plan = build_plan(BARE, LOADED, OPTIONS)
    assert plan.items


def test_a_plan_on_defaults_says_so_and_names_the_three_figures_with_the_most_money_at_stake() -> None:
    use = build_plan(BARE, LOADED, OPTIONS).defaults_use
    assert use is not None
    assert use.on_defaults
    assert use.benefit_on_defaults == use.benefit_total > 0
    assert 1 <= len(use.sharpen_most) <= 3
    stakes = [f.at_stake for f in use.sharpen_most]
    assert stakes == sorted(stakes, reverse=True)
    for f in use.sharpen_most:
        assert f.name_zh
        assert "_" not in f.name_zh  # read as a person knows it, not a field id


def test_a_plan_on_the_enterprise_s_own_figures_is_not_flagged() -> None:
    use = build_plan(load_profile(EXAMPLES / "weifang_machinery.yaml"), LOADED, OPTIONS).defaults_use
    assert use is not None
    assert not use.on_defaults


def test_the_money_at_stake_is_the_plan_s_own_the_items_medians_at_the_roadmap_s_chance() -> None:
    plan = build_plan(BARE, LOADED, OPTIONS)
    use = plan.defaults_use
    assert use is not None
    assert use.benefit_total == pytest.approx(sum(i.annual_benefit.median for i in plan.items), abs=0.05)


def test_a_chance_lifted_by_foundations_raises_the_money_at_stake_in_proportion() -> None:
    plan = build_plan(BARE, LOADED, OPTIONS)
    ranked = {r.id: r for r in plan.scenarios}
    item = next(i for i in plan.items if i.how is not None and i.annual_benefit.median > 0)
    share = item.how.units / item.how.units_total if item.how else 1.0
    today = ranked[item.scenario].feasibility.risk_factor
    at_today = defaults_use([(item.scenario, share, item.one_off, None)], ranked)
    lifted = defaults_use([(item.scenario, share, item.one_off, None, min(1.0, today + 0.09))], ranked)
    assert at_today.benefit_total > 0
    assert lifted.benefit_total == pytest.approx(at_today.benefit_total * min(1.0, today + 0.09) / today, rel=1e-3)
