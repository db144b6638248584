"""A foundation live before a project starts raises the project's chance of success (roadmap.Lift, issue 13): in
the CP-SAT model, in the independent MILP of ``bench optimizer`` and in ``plan_value`` alike."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wendao.bench.optimizer import generate_instance, solve_milp, with_choices, with_lifts
from wendao.engine.roadmap import (
    Candidate,
    Lift,
    Problem,
    Settings,
    lift_pv,
    optimise_roadmap,
    plan_value,
    start_options,
    valid_starts,
)


def _settings(budget: float, capacity: int = 3, horizon: int = 8) -> Settings:
    return Settings(yearly_budget=budget, capacity=capacity, horizon_quarters=horizon)


def _networking_and_prediction(budget: float = 100) -> Problem:
    """A prediction project worth little at today's equipment maturity, and much more once networking is live."""
    network = Candidate(id="network", one_off=6, annual_cost=0, duration_quarters=1)
    predict = Candidate(
        id="predict",
        one_off=30,
        annual_cost=1,
        benefits={"downtime": 8},
        duration_quarters=1,
        lifts=[Lift(providers=["network"], benefits={"downtime": 16}, chance=0.3)],
    )
    return Problem(candidates=[network, predict], settings=_settings(budget, horizon=12))


def test_a_project_that_pays_only_with_a_lifted_chance_is_scheduled_after_the_foundation_that_lifts_it() -> None:
    problem = _networking_and_prediction()
    alone = problem.model_copy(update={"candidates": [problem.candidates[1].model_copy(update={"lifts": []})]})
    assert optimise_roadmap(alone).items == []  # at today's maturity it does not pay
    result = optimise_roadmap(problem)
    starts = {i.id: i.start_quarter for i in result.items}
    assert starts["network"] + 1 <= starts["predict"]
    predict = next(i for i in result.items if i.id == "predict")
    assert predict.lifts_met == [0]
    # the item's NPV counts the lifted savings, as the plan's value does
    assert result.npv == pytest.approx(plan_value(problem, starts, problem.settings.discount_rate), abs=0.01)


def test_a_lift_counts_only_when_its_provider_is_live_before_the_project_starts() -> None:
    problem = _networking_and_prediction()
    predict = problem.candidates[1]
    rate = problem.settings.discount_rate
    network_alone = plan_value(problem, {"network": 0})
    # built side by side, the network is not live when the prediction starts: nothing is lifted
    together = plan_value(problem, {"network": 0, "predict": 0})
    assert together == pytest.approx(network_alone + plan_value(problem, {"predict": 0}), abs=1e-9)
    # started after it, the prediction earns the lift's savings from its own go-live (quarter 2)
    after = plan_value(problem, {"network": 0, "predict": 1})
    lifted = after - network_alone - plan_value(problem, {"predict": 1})
    assert lifted == pytest.approx(lift_pv(predict.lifts[0], 2, 12, rate), abs=1e-9)
    assert lifted > 0


def test_a_lift_with_a_ramp_delivers_part_of_its_savings_in_the_first_year_live() -> None:
    full = Lift(providers=["p"], benefits={"x": 4.0}, ramp_first_year=1.0)
    half = full.model_copy(update={"ramp_first_year": 0.5})
    assert lift_pv(half, 0, 12, 0.0) == pytest.approx(lift_pv(full, 0, 12, 0.0) - 4.0 * 0.5, abs=1e-9)


def test_the_solver_is_offered_the_foundations_that_only_lift_a_project() -> None:
    problem = _networking_and_prediction()
    options = start_options(problem, problem.candidates)
    assert options["network"], "a foundation with no value of its own is kept when it lifts a project"


def test_lifts_on_a_capped_figure_never_count_above_the_cap() -> None:
    problem = _networking_and_prediction().model_copy(update={"baseline_caps": {"downtime": 18.0}})
    result = optimise_roadmap(problem)
    starts = {i.id: i.start_quarter for i in result.items}
    exact, _starts, proven = solve_milp(problem)
    assert proven
    assert plan_value(problem, starts) == pytest.approx(exact, abs=0.02)


def test_lifted_plans_equal_brute_force_on_a_tiny_instance() -> None:
    problem, _ = generate_instance(random.Random(11), 5, 0.6, horizon=6)
    problem = with_lifts(problem, random.Random(3))
    assert any(c.lifts for c in problem.candidates)
    ours = optimise_roadmap(problem)
    options = [[None, *valid_starts(c, 6)] for c in problem.candidates]
    best = 0.0
    by_id = {c.id: c for c in problem.candidates}
    for combo in itertools.product(*options):
        starts = {c.id: t for c, t in zip(problem.candidates, combo, strict=True) if t is not None}
        if not _feasible(problem, by_id, starts):
            continue
        best = max(best, plan_value(problem, starts))
    assert plan_value(problem, {i.id: i.start_quarter for i in ours.items}) == pytest.approx(best, abs=0.02)


def _feasible(problem: Problem, by_id: dict[str, Candidate], starts: dict[str, int]) -> bool:
    s = problem.settings
    h = s.horizon_quarters
    spend = [0.0] * h
    busy = [0] * h
    for cid, t in starts.items():
        c = by_id[cid]
        for q in range(t, t + c.duration_quarters):
            busy[q] += 1
            spend[q] += c.net_one_off / c.duration_quarters
        for q in range(t + c.duration_quarters, h):
            spend[q] += c.annual_cost / 4
        if any(d not in starts or starts[d] + by_id[d].duration_quarters > t for d in c.after):
            return False
        for req in c.requires:
            if not any(p in starts and starts[p] + by_id[p].duration_quarters <= t for p in req.providers):
                return False
    if any(sum(spend[4 * y : 4 * y + 4]) > s.yearly_budget + 1e-9 for y in range(-(-h // 4))):
        return False
    if max(busy, default=0) > s.capacity or any(a in starts and b in starts for a, b in problem.exclusive):
        return False
    return all(
        sum(by_id[c].subsidies.get(p, 0.0) for c in starts) <= cap + 1e-9 for p, cap in problem.policy_caps.items()
    )


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000), st.integers(5, 16), st.booleans())
def test_with_lifts_the_roadmap_matches_the_independent_milp(seed: int, n: int, choices: bool) -> None:
    problem, _ = generate_instance(random.Random(seed), n, 0.4)
    if choices:
        problem = with_choices(problem, random.Random(seed + 1))
    problem = with_lifts(problem, random.Random(seed + 2))
    ours = optimise_roadmap(problem)
    exact, _starts, proven = solve_milp(problem)
    assert proven
    assert plan_value(problem, {i.id: i.start_quarter for i in ours.items}) == pytest.approx(exact, abs=0.02)


def test_a_plan_item_started_after_a_foundation_counts_the_raised_chance_and_says_so() -> None:
    from wendao.engine.catalog import default_catalog
    from wendao.engine.plan import PlanOptions, build_plan
    from wendao.engine.profile import parse_profile
    from wendao.synthetic import synthetic_profile

    loaded = default_catalog()
    rng = random.Random(13)
    lifted = []
    for k in range(60):
        plan = build_plan(
            parse_profile(synthetic_profile(loaded, rng, k), loaded), loaded, PlanOptions(with_routes=False)
        )
        starts = {i.scenario: i for i in plan.items if i.stage != "rollout"}
        for item in plan.items:
            assert item.how is not None
            # the item's benefit is its benefit before risk times the chance the roadmap counts, as the page says
            assert item.how.risk_factor == item.risk_factor
            assert item.annual_benefit.median == pytest.approx(
                item.how.benefit_before_risk.median * item.risk_factor, abs=0.01
            )
            note = item.chance
            if note is None or not note.by:
                continue
            lifted.append(item)
            assert note.counted == pytest.approx(item.risk_factor, abs=0.001)
            assert note.counted > note.today
            assert "完成后实施，成功概率按提升后的成熟度计" in note.note_zh
            for sid in note.by:  # what raised it went live before it started
                assert starts[sid].end_quarter <= item.start_quarter
        if len(lifted) >= 2:
            break
    assert lifted, "no generated plan starts an item after a foundation that raises its chance"
