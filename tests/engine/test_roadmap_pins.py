"""A pin's cost (issue 13): a pinned project starts as early as the constraints allow unless that pushes the other
projects back by more than 5 % of the plan's NPV against its NPV-best start in the first year; then it starts at that
quarter of the first year.
What the pinned project saves by paying for itself later does not count. The CP-SAT roadmap and the independent
MILP of ``bench optimizer`` apply the same rule."""

from __future__ import annotations

import pytest

from wendao.bench.optimizer import solve_milp
from wendao.engine.roadmap import Candidate, Problem, Settings, optimise_roadmap, plan_value


def _busy_team(pin_tolerance: float = 0.05) -> Problem:
    """One project at a time: a pinned project that loses money, started at once, holds back one that pays well."""
    earner = Candidate(id="earner", one_off=10, annual_cost=0, benefits={"energy": 100}, duration_quarters=2)
    kb = Candidate(id="kb", one_off=10, annual_cost=1, benefits={"rd": 1}, duration_quarters=1)
    settings = Settings(yearly_budget=100, capacity=1, horizon_quarters=12, pin_tolerance=pin_tolerance)
    return Problem(candidates=[earner, kb], settings=settings, pinned=["kb"])


def test_a_pin_that_holds_others_back_by_over_five_percent_starts_at_its_best_quarter_of_the_first_year() -> None:
    result = optimise_roadmap(_busy_team())
    starts = {i.id: i.start_quarter for i in result.items}
    assert starts == {"earner": 0, "kb": 3}  # after the earner, as late as the first year allows (its cost later)
    timing = result.pin_timing
    assert timing is not None
    assert timing.rule == "first_year"
    assert timing.starts_earliest == {"kb": 0}
    assert timing.displaced > 0.05 * abs(timing.npv_first_year)  # the earner would go live a quarter later
    assert result.npv == pytest.approx(timing.npv_first_year, abs=0.01)


def test_a_pin_that_costs_little_to_start_at_once_starts_at_once() -> None:
    result = optimise_roadmap(_busy_team(pin_tolerance=0.5))
    starts = {i.id: i.start_quarter for i in result.items}
    assert starts["kb"] == 0
    timing = result.pin_timing
    assert timing is not None
    assert timing.rule == "earliest"
    assert 0 < timing.cost_of_earliest <= 0.5 * abs(timing.npv_first_year)


def test_what_a_pinned_project_saves_by_paying_for_itself_later_is_no_reason_to_wait() -> None:
    # alone in the plan, the loss-making pinned project would be worth a little more started late in the first year
    # (its own cost paid later); it moves nothing else, so it starts at once (Linyi's cloud ERP)
    problem = _busy_team().model_copy(update={"candidates": [_busy_team().candidates[1]]})
    result = optimise_roadmap(problem)
    assert [(i.id, i.start_quarter) for i in result.items] == [("kb", 0)]
    timing = result.pin_timing
    assert timing is not None
    assert timing.rule == "earliest"
    assert timing.cost_of_earliest > 0.05 * abs(timing.npv_first_year)
    assert timing.displaced == pytest.approx(0.0, abs=0.01)
    _value, starts, proven = solve_milp(problem)
    assert proven
    assert starts == {"kb": 0}


def test_without_pins_there_is_no_pin_timing() -> None:
    problem = _busy_team().model_copy(update={"pinned": []})
    assert optimise_roadmap(problem).pin_timing is None


@pytest.mark.parametrize("tolerance", [0.05, 0.5])
def test_the_exact_milp_applies_the_same_pin_rule(tolerance: float) -> None:
    problem = _busy_team(tolerance)
    value, starts, proven = solve_milp(problem)
    assert proven
    ours = optimise_roadmap(problem)
    assert {i.id: i.start_quarter for i in ours.items} == starts
    assert plan_value(problem, starts) == pytest.approx(value, abs=0.01)
