"""The budget checks outside the solver count in whole 元 like the roadmap, so they agree with what it schedules."""

from __future__ import annotations

from wendao.engine.budget import budget_to_tell, fits_yearly_budget, least_yearly_spend, over_limit
from wendao.engine.roadmap import Candidate, Problem, Settings, optimise_roadmap

# 0.1 + 0.2 万元 is 0.30000000000000004 in floats: the float check needed a slack, the 元 count does not
ODD = Candidate(id="odd", one_off=0.1 + 0.2, annual_cost=0, benefits={"energy": 5.0}, duration_quarters=1)


def test_a_project_costing_exactly_the_budget_fits_and_one_yuan_more_does_not() -> None:
    assert fits_yearly_budget(ODD, 0, 12, 0.3)
    assert not fits_yearly_budget(ODD, 0, 12, 0.2999)
    assert least_yearly_spend(ODD, range(12), 12) == 3000  # 元
    assert not over_limit(0.1 + 0.2, 0.3)
    assert over_limit(0.3001, 0.3)


def test_what_the_check_calls_affordable_the_roadmap_schedules() -> None:
    for budget in (0.2999, 0.3, 0.31):
        settings = Settings(yearly_budget=budget, horizon_quarters=12)
        roadmap = optimise_roadmap(Problem(candidates=[ODD], settings=settings))
        assert bool(roadmap.items) == fits_yearly_budget(ODD, 0, 12, budget)


def test_a_budget_a_person_is_told_is_rounded_up_to_a_tenth_of_a_wan() -> None:
    assert budget_to_tell(3000) == 0.3
    assert budget_to_tell(3001) == 0.4
    assert budget_to_tell(0) == 0.0
