"""A candidate left out for its value is judged with the chance the foundations' lifts give it (issue 13): "pays back
only after <foundation>" where that is so, structured and rendered per language, with no id in the prose."""

from __future__ import annotations

import random

from wendao.bench.optimizer import generate_instance, with_lifts
from wendao.engine.reasons import render_reason, with_names
from wendao.engine.roadmap import (
    Candidate,
    Lift,
    Problem,
    Settings,
    explain_exclusion,
    optimise_roadmap,
    start_table,
)
from wendao.engine.roadmap_cashflow import _limit_down
from wendao.engine.roadmap_explain import explained

NAMES = {
    ("scenario", "network"): ("设备联网与数据采集", "Equipment networking"),
    ("scenario", "mes"): ("生产进度跟踪", "MES"),
}


def _prediction(lift: float = 16, budget: float = 100, chance: float | None = 0.5) -> Problem:
    """A prediction project that does not pay at today's chance; networking (or a light MES) lifts it."""
    network = Candidate(id="network", one_off=6, annual_cost=0, duration_quarters=1)
    mes = Candidate(id="mes", one_off=9, annual_cost=0, duration_quarters=2)
    predict = Candidate(
        id="predict",
        one_off=30,
        annual_cost=1,
        benefits={"downtime": 8},
        duration_quarters=1,
        chance=chance,
        lifts=[Lift(providers=["mes", "network"], benefits={"downtime": lift}, chance=0.25)],
    )
    settings = Settings(yearly_budget=budget, capacity=3, horizon_quarters=12)
    return Problem(candidates=[network, mes, predict], settings=settings)


def _why(problem: Problem, cid: str) -> tuple[str, str, str]:
    result = optimise_roadmap(problem)
    (left,) = [e for e in result.excluded if e.id == cid]
    why = with_names(left.why, NAMES)
    return why.code, render_reason(why, "zh"), render_reason(why, "en")


def test_a_project_that_pays_only_after_a_foundation_says_which_one_and_the_chance_it_would_count() -> None:
    problem = _prediction().model_copy(update={"dropped": ["network", "mes"]})  # the enterprise left both out
    code, zh, en = _why(problem, "predict")
    assert code == "pays_after"
    # the foundation live soonest is named (networking takes one quarter, the MES two), with both chances
    assert zh == (
        "按目前的成熟度（成功概率 0.5）在规划期内不能回本；在“设备联网与数据采集”完成后实施（成功概率升至 0.75）才能回本"
    )
    assert en == (
        "does not pay back within the horizon at today's maturity (chance of success 0.5); it does when started after "
        '"Equipment networking" (chance of success 0.75)'
    )
    for raw in ("network", "predict", "mes"):
        assert raw not in zh


def test_a_project_that_does_not_pay_even_after_its_foundation_says_so_with_the_lifted_chance() -> None:
    problem = _prediction(lift=1)
    code, zh, en = _why(problem, "predict")
    assert code == "no_payback_lifted"
    assert "；即使在“设备联网与数据采集”完成后实施（成功概率 0.5 → 0.75）也不能" in zh
    assert 'even started after "Equipment networking" (chance of success 0.5 → 0.75)' in en


def test_a_rise_in_chance_too_small_to_matter_is_not_named_in_the_reason() -> None:
    # B2C's left-out projects read "即使在“产品精准营销”完成后实施（成功概率 0.8 → 0.81）也不能"
    problem = _prediction(lift=1)
    predict = problem.candidates[2]
    small = predict.model_copy(update={"lifts": [predict.lifts[0].model_copy(update={"chance": 0.01})]})
    problem = problem.model_copy(update={"candidates": [*problem.candidates[:2], small]})
    code, zh, _ = _why(problem, "predict")
    assert code == "no_payback"
    assert "即使" not in zh


def test_without_a_known_chance_the_reason_names_the_foundation_without_figures() -> None:
    problem = _prediction(chance=None).model_copy(update={"dropped": ["network", "mes"]})
    code, zh, _ = _why(problem, "predict")
    assert code == "pays_after_plain"
    assert zh == "按目前的成熟度在规划期内不能回本；在“设备联网与数据采集”完成后实施才能回本"


def test_a_project_without_lifts_that_does_not_pay_keeps_the_plain_reason() -> None:
    problem = _prediction()
    plain = problem.candidates[2].model_copy(update={"lifts": []})
    problem = problem.model_copy(update={"candidates": [*problem.candidates[:2], plain]})
    assert _why(problem, "predict")[0] == "no_payback"


def test_a_project_that_pays_with_the_plans_foundation_is_left_out_for_the_budget_not_for_its_value() -> None:
    problem = _prediction()
    predict = problem.candidates[2]
    full = [_limit_down(problem.settings.yearly_budget)] * 3  # every year's budget used up by the plan
    left = explain_exclusion(problem, predict, {"network": 0}, full, [1] * 12)
    assert left.why.code == "budget"
    # the same plan without the foundation: it does not pay, and it would after networking
    left = explain_exclusion(problem, predict, {}, full, [0] * 12)
    assert left.why.code == "pays_after"


def test_a_foundation_that_waits_for_its_own_prerequisite_is_counted_live_only_after_it() -> None:
    problem = _prediction().model_copy(update={"dropped": ["network", "mes"]})
    short = problem.model_copy(update={"settings": problem.settings.model_copy(update={"horizon_quarters": 8})})
    assert _why(short, "predict")[0] == "pays_after"  # networking live after one quarter leaves time to pay back
    cabling = Candidate(id="cabling", one_off=50, annual_cost=0, duration_quarters=5)
    network = short.candidates[0].model_copy(update={"after": ["cabling"]})
    mes = short.candidates[1].model_copy(update={"after": ["cabling"]})
    waiting = short.model_copy(update={"candidates": [cabling, network, mes, short.candidates[2]]})
    # after the cabling, networking is live in quarter 6: too late for the prediction to pay back within 8 quarters
    assert _why(waiting, "predict")[0] == "no_payback_lifted"


def test_the_reasons_for_left_out_candidates_are_the_same_from_the_start_table_and_from_the_scalar_functions() -> None:
    # a plan explains its kept roadmap with the start table its solves used (engine/plan.py); the table's values are
    # the same floats as cost_pv and benefit_pv, so every reason, and every lift it names, must be the same
    compared = 0
    for seed in range(12):
        rng = random.Random(seed)
        problem, _ = generate_instance(rng, 14, 0.4)
        problem = with_lifts(problem, rng)
        roadmap = optimise_roadmap(problem, explain=False)
        table = start_table(problem.candidates, problem.settings)
        plain = explained(roadmap, problem)
        assert explained(roadmap, problem, table).excluded == plain.excluded
        # the candidates it is asked to explain get the very reasons a full explanation gives them
        some = explained(roadmap, problem, table, lambda cid, chosen: cid < "m")
        assert some.excluded == [e for e in plain.excluded if e.id < "m"]
        compared += len(plain.excluded)
    assert compared > 50
