"""A first plan on defaults (issue 13 item 7): no baseline figure is required, the plan says it rests on
industry defaults and names the three own figures whose defaults carry the most money."""

from __future__ import annotations

from datetime import date

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
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
