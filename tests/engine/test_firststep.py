"""A first step for every positive budget (issue 13 item 4): when nothing pays back on its own, the plan starts
with the affordable foundation project that the later projects need, and says so."""

from __future__ import annotations

import random
from datetime import date

from tests.conftest import EXAMPLES
from wendao.bench.optimizer import generate_instance
from wendao.engine.catalog import default_catalog
from wendao.engine.firststep import foundation_first_step
from wendao.engine.plan import PlanOptions, build_plan
from wendao.engine.profile import Baseline, load_profile
from wendao.engine.roadmap import Candidate, Problem, Settings, start_table

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


def _foundation(cid: str, one_off: float, benefit: float, needs: list[int] | None = None) -> Candidate:
    return Candidate(
        id=cid,
        one_off=one_off,
        annual_cost=0.5,
        benefits={"annual_energy_cost": benefit},
        duration_quarters=1,
        pain_points=needs or [],
    )


def _problem(*candidates: Candidate) -> Problem:
    return Problem(candidates=list(candidates), settings=Settings(yearly_budget=20))


def test_the_first_step_answers_a_stated_need_before_it_unlocks_the_most_projects() -> None:
    networking = _foundation("networking", 6, 0.3)
    erp = _foundation("erp", 3, 0.3, needs=[0])
    later = [
        Candidate(id=f"monitoring{k}", one_off=50, annual_cost=5, duration_quarters=2, after=["networking"])
        for k in range(3)
    ]
    assert foundation_first_step(_problem(networking, erp, *later), {"networking", "erp"}) == erp


def test_the_first_step_is_the_one_that_loses_least_when_neither_answers_a_need_nor_unlocks_a_paying_project() -> None:
    dear = _foundation("dear", 6, 0.3)
    cheap = _foundation("cheap", 1, 0.3)
    unpaying = Candidate(id="later", one_off=50, annual_cost=5, duration_quarters=2, after=["dear"])
    assert foundation_first_step(_problem(dear, cheap, unpaying), {"dear", "cheap"}) == cheap


def test_the_first_step_opens_the_way_to_a_project_that_pays() -> None:
    dear = _foundation("dear", 6, 0.3)
    cheap = _foundation("cheap", 1, 0.3)
    paying = Candidate(
        id="later", one_off=10, annual_cost=1, benefits={"annual_energy_cost": 40}, duration_quarters=1, after=["dear"]
    )
    assert foundation_first_step(_problem(dear, cheap, paying), {"dear", "cheap"}) == dear


def test_the_first_step_is_the_same_when_the_start_table_gives_each_candidates_value_on_its_own() -> None:
    # a plan passes the start table it solved with (engine/plan.py); its values are standalone_value's floats
    chosen = 0
    for seed in range(30):
        problem, _ = generate_instance(random.Random(seed), 12, 0.2)
        foundation = {c.id for c in problem.candidates if c.id.startswith("f")}
        table = start_table(problem.candidates, problem.settings)
        alone = foundation_first_step(problem, foundation)
        assert foundation_first_step(problem, foundation, table) == alone
        chosen += alone is not None
    assert chosen > 10
