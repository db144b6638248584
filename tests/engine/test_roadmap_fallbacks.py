"""Every fallback of the roadmap's solver is a stated fact (issue 13): what was tried, what was used instead, the
solver's status and gap, in both languages. The time limits are forced: on the whole problem, or on one model only
(the model with the lifts, or the pins' first-year comparison) by giving that model's solve a limit it cannot meet."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wendao.engine import roadmap
from wendao.engine.firststep import with_first_step
from wendao.engine.needs import solve_with_choices
from wendao.engine.roadmap import Candidate, Lift, Problem, Settings, SolveAttempt, optimise_roadmap, plan_value
from wendao.engine.roadmap_fallbacks import fallbacks_of
from wendao.engine.roadmap_model import Offer

NO_TIME = 1e-9  # seconds: CP-SAT stops before it has any plan


def _foundation_and_two_projects(limit: float = 10.0, pinned: tuple[str, ...] = ()) -> Problem:
    """Networking lifts a prediction project that pays only with the lift; an energy project pays on its own."""
    network = Candidate(id="network", one_off=6, annual_cost=0, duration_quarters=1)
    predict = Candidate(
        id="predict",
        one_off=30,
        annual_cost=1,
        benefits={"downtime": 8},
        duration_quarters=1,
        lifts=[Lift(providers=["network"], benefits={"downtime": 16}, chance=0.3)],
    )
    energy = Candidate(id="energy", one_off=10, annual_cost=0, benefits={"energy": 20}, duration_quarters=2)
    settings = Settings(yearly_budget=100, capacity=3, horizon_quarters=12, time_limit_seconds=limit)
    return Problem(candidates=[network, predict, energy], settings=settings, pinned=list(pinned))


def _force_time_limit(monkeypatch: pytest.MonkeyPatch, when: Callable[[Offer], bool]) -> None:
    """The solves whose offer matches ``when`` get a time limit no solver meets; the others keep theirs."""
    real = roadmap.solve_model

    def solve(offer: Offer) -> tuple[str, dict[str, int]]:
        if when(offer):
            settings = offer.problem.settings.model_copy(update={"time_limit_seconds": NO_TIME})
            offer.problem = offer.problem.model_copy(update={"settings": settings})
        return real(offer)

    monkeypatch.setattr(roadmap, "solve_model", solve)


def test_a_roadmap_solved_in_time_states_no_fallback_and_records_its_solve() -> None:
    result = optimise_roadmap(_foundation_and_two_projects())
    assert result.status == "OPTIMAL"
    assert result.fallbacks == []
    assert [(a.model, a.status, a.gap) for a in result.solves] == [("plan", "OPTIMAL", 0.0)]


def test_when_the_lifted_model_hits_its_time_limit_the_plan_says_it_was_solved_without_the_lifts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _force_time_limit(monkeypatch, lambda offer: bool(offer.lifts))
    problem = _foundation_and_two_projects()
    result = optimise_roadmap(problem)
    # optimal without the lifts only: not reported as optimal
    assert result.status == "FEASIBLE"
    assert [(a.model, a.status) for a in result.solves] == [("plan", "UNKNOWN"), ("plan_without_lifts", "OPTIMAL")]
    (fallback,) = result.fallbacks
    assert fallback.kind == "without_lifts"
    assert (fallback.tried.status, fallback.tried.gap, fallback.tried.time_limit_seconds) == ("UNKNOWN", None, NO_TIME)
    assert fallback.used is not None
    assert (fallback.used.status, fallback.used.gap) == ("OPTIMAL", 0.0)
    assert fallback.used.time_limit_seconds == 10.0
    # without the lifts the prediction does not pay: the plan is the energy project, valued as the plan counts it
    starts = {i.id: i.start_quarter for i in result.items}
    assert set(starts) == {"energy"}
    assert result.npv == pytest.approx(plan_value(problem, starts, problem.settings.discount_rate), abs=0.01)
    assert "不计提升的模型" in fallback.note_zh
    assert "得到其最优方案" in fallback.note_zh
    assert "未必是计入提升时的最优方案" in fallback.note_zh
    assert "without the lifts" in fallback.note_en
    assert "may not be the best plan" in fallback.note_en
    for word in ("OPTIMAL", "FEASIBLE", "UNKNOWN", "lift"):
        assert word not in fallback.note_zh


def test_when_the_pins_first_year_comparison_hits_its_time_limit_the_pins_keep_their_earliest_start_and_say_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _force_time_limit(monkeypatch, lambda offer: bool(offer.pin_due))
    result = optimise_roadmap(_foundation_and_two_projects(pinned=("predict",)))
    assert result.status == "OPTIMAL"  # the plan itself was solved to optimality
    assert result.pin_timing is None
    starts = {i.id: i.start_quarter for i in result.items}
    assert starts["predict"] == 0  # as early as the constraints allow, before any foundation could lift it
    models = [(a.model, a.status) for a in result.solves]
    assert models == [
        ("plan", "OPTIMAL"),
        ("first_year", "UNKNOWN"),
        ("first_year_without_lifts", "UNKNOWN"),
    ]
    (fallback,) = result.fallbacks
    assert fallback.kind == "pin_earliest_kept"
    assert fallback.tried.model == "first_year_without_lifts"
    assert fallback.used is not None
    assert fallback.used.model == "plan"
    assert "最早季度启动" in fallback.note_zh
    assert "未作比较" in fallback.note_zh
    assert "计入与不计基础项目的提升各求解一次" in fallback.note_zh
    assert "no comparison was made" in fallback.note_en


def test_with_no_time_at_all_the_roadmap_is_unknown_and_says_that_neither_model_found_a_plan() -> None:
    result = optimise_roadmap(_foundation_and_two_projects(limit=NO_TIME))
    assert result.status == "UNKNOWN"
    assert result.items == []
    (fallback,) = result.fallbacks
    assert fallback.kind == "without_lifts"
    assert fallback.used is not None
    assert fallback.used.status == "UNKNOWN"
    assert "在时限内也未得到方案" in fallback.note_zh
    assert "未必是" not in fallback.note_zh  # no claim about a plan that does not exist
    assert "found no plan within the limit either" in fallback.note_en


def test_a_plan_not_proven_optimal_in_time_states_the_solvers_gap() -> None:
    attempt = SolveAttempt(model="plan", status="FEASIBLE", gap=0.0042, time_limit_seconds=10)
    (fallback,) = fallbacks_of([attempt], None)
    assert fallback.kind == "unproven"
    assert fallback.used == attempt
    assert "10 秒时限" in fallback.note_zh
    assert "不超过 0.4%" in fallback.note_zh
    assert "within 0.4% of the solver's best bound" in fallback.note_en
    tiny = attempt.model_copy(update={"gap": 0.0002})
    assert "<0.1%" in fallbacks_of([tiny], None)[0].note_zh


def test_a_first_year_comparison_found_in_time_but_unproven_is_stated_as_such() -> None:
    plan = SolveAttempt(model="plan", status="OPTIMAL", gap=0.0, time_limit_seconds=10)
    first_year = SolveAttempt(model="first_year", status="FEASIBLE", gap=0.01, time_limit_seconds=10)
    (fallback,) = fallbacks_of([plan, first_year], None)
    assert fallback.kind == "unproven"
    assert "第一年内启动的对比方案" in fallback.note_zh


def test_a_foundation_first_step_after_a_solve_without_any_plan_does_not_claim_the_optimum_was_empty() -> None:
    problem = _foundation_and_two_projects(limit=NO_TIME)
    unknown = optimise_roadmap(problem)
    assert unknown.status == "UNKNOWN"
    stepped = with_first_step(unknown, problem, problem.candidates[0])
    assert [f.kind for f in stepped.fallbacks] == ["without_lifts", "first_step"]
    note = stepped.fallbacks[-1].note_zh
    assert note.startswith("求解在")
    assert "最优方案不含任何项目" not in note
    assert "不是优化结果" in note
    assert stepped.status == "UNKNOWN"


def test_when_the_roadmap_without_the_choices_finds_no_plan_in_time_their_cost_is_stated_as_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _force_time_limit(monkeypatch, lambda offer: not offer.problem.pinned)  # the comparison only
    _problem, result, choices = solve_with_choices(_foundation_and_two_projects(), ["energy"], [], [], {})
    assert result.status == "OPTIMAL"  # the roadmap with the pin was solved in time
    assert choices is not None
    assert not choices.cost_known
    assert (choices.npv_unconstrained, choices.npv_cost) == (0.0, 0.0)  # not minus the roadmap's NPV
    (fallback,) = result.fallbacks
    assert fallback.kind == "choices_cost_unknown"
    assert (fallback.tried.model, fallback.tried.status, fallback.used) == ("plan", "UNKNOWN", None)
    assert "不设任何选择" in fallback.note_zh
    assert "计入与不计基础项目的提升各求解一次" in fallback.note_zh
    assert "代价未知" in fallback.note_zh
    assert "what the choices cost is not known" in fallback.note_en


def test_when_the_roadmap_without_the_choices_falls_back_the_fallback_names_it_and_prices_the_choices_against_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _force_time_limit(monkeypatch, lambda offer: not offer.problem.pinned and bool(offer.lifts))
    _problem, result, choices = solve_with_choices(_foundation_and_two_projects(), ["energy"], [], [], {})
    assert choices is not None
    assert choices.cost_known
    free = optimise_roadmap(_foundation_and_two_projects())  # still forced: the plan without the lifts
    assert choices.npv_cost == round(free.npv - result.npv, 2)
    (fallback,) = result.fallbacks
    assert fallback.kind == "without_lifts"
    assert fallback.note_zh.startswith("求解不设任何选择（固定纳入、排除）的对比规划时")
    assert fallback.note_zh.endswith("企业选择的代价按该方案计算。")
    assert fallback.note_en.endswith("The choices' cost is measured against this plan.")


def test_a_roadmap_without_choices_solved_in_time_adds_no_fallback() -> None:
    _problem, result, choices = solve_with_choices(_foundation_and_two_projects(), ["energy"], [], [], {})
    assert choices is not None
    assert choices.cost_known
    assert result.fallbacks == []
