"""A foundation project the enterprise already has is not ranked as a thing to buy (session 7): the B2C furniture
maker runs an ERP and was offered 云ERP/进销存上线 at rank 5 of its ranking, above projects it could use."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan, PlanOptions, build_plan
from wendao.engine.profile import load_profile

PROFILES = Path(__file__).resolve().parent.parent / "data" / "profiles"
LOADED = default_catalog()


@cache
def _plan(path: Path) -> Plan:
    return build_plan(load_profile(path), LOADED, PlanOptions(as_of=date(2026, 12, 7), with_routes=False))


def _owned(systems: set[str]) -> set[str]:
    """The catalog's foundation projects every system of which the enterprise runs."""
    foundations = {s.id for s in LOADED.catalog.scenarios if s.foundation}
    systems_of = {sid: set(p.systems) for sid, p in LOADED.planning.provides.items() if sid in foundations}
    return {sid for sid, provided in systems_of.items() if provided and provided <= systems}


@pytest.mark.parametrize("path", [PROFILES / "b2c_furniture.yaml", EXAMPLES / "zibo_chemical.yaml"])
def test_a_foundation_the_firm_runs_ranks_after_every_scenario_it_could_buy_and_says_why(path: Path) -> None:
    plan = _plan(path)
    owned = _owned(set(load_profile(path).systems))
    assert "cloud_erp_saas" in owned  # both run an ERP
    ranks = {r.id: r.rank for r in plan.scenarios}
    assert min(ranks[sid] for sid in owned) > max(r for sid, r in ranks.items() if sid not in owned)
    erp = next(r for r in plan.scenarios if r.id == "cloud_erp_saas")
    assert [x.zh for x in erp.reasons] == ["企业已有ERP：这个打基础的项目不必再买，排在最后"]
    assert "cloud_erp_saas" not in {i.scenario for i in plan.items}


def test_a_firm_without_an_erp_still_gets_cloud_erp_ranked_on_its_merits() -> None:
    plan = _plan(EXAMPLES / "linyi_food.yaml")  # no systems
    erp = next(r for r in plan.scenarios if r.id == "cloud_erp_saas")
    assert erp.rank < len(plan.scenarios)
    assert not any(x.code == "in_place" for x in erp.reasons)
    scores = [r.score for r in plan.scenarios]
    assert scores == sorted(scores, reverse=True)  # nothing owned: the ranking is by score alone


@pytest.mark.parametrize("path", [PROFILES / "b2c_furniture.yaml", EXAMPLES / "weifang_machinery.yaml"])
def test_no_project_waits_for_or_is_lifted_by_a_foundation_the_firm_runs(path: Path) -> None:
    # B2C's left-out projects read "即使在“云ERP/进销存上线”完成后实施（成功概率 0.8 → 0.81）也不能" beside a running ERP
    plan = _plan(path)
    owned = _owned(set(load_profile(path).systems))
    named = {ref.id for e in plan.excluded for ref in e.why.refs if ref.kind == "scenario"}
    assert not owned & named
    assert not owned & {e.scenario for e in plan.excluded}  # never a candidate, so never "left out"
