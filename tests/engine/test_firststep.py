"""A first step for every positive budget (issue 13 item 4): when nothing pays back on its own, the plan starts
with the affordable foundation project that the later projects need, and says so."""

from __future__ import annotations

from datetime import date

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import PlanOptions, build_plan
from wendao.engine.profile import Baseline, load_profile

LOADED = default_catalog()
OPTIONS = PlanOptions(as_of=date(2026, 11, 24), with_routes=False)


def test_a_twenty_person_firm_with_eight_wan_yuan_a_year_gets_a_foundation_first_step() -> None:
    profile = load_profile(EXAMPLES / "weifang_machinery.yaml").model_copy(
        update={"employees": 20, "revenue": 1500, "budget": 8, "systems": [], "baseline": Baseline()}
    )
    plan = build_plan(profile, LOADED, OPTIONS)
    assert len(plan.items) >= 1
    assert all(s <= 8 + 1e-6 for s in plan.spend_by_year)
    if len(plan.items) == 1 and plan.first_step is not None and plan.first_step.unlock == "foundation":
        assert LOADED.catalog.scenario(plan.items[0].scenario).foundation
        assert "不回本" in plan.first_step.text_zh
        assert "个月回本" not in plan.first_step.text_zh
