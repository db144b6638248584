"""Roadmap optimiser (OR-Tools CP-SAT): which scenarios, starting in which quarter, under the budget.

Decision: x[i, t] = 1 when candidate i starts in quarter t (at most one start; it must finish within the
horizon). Constraints:
- budget: in every year, the net one-off spend (spread evenly over the build quarters, after counted
  subsidies) plus running costs after go-live stay within the yearly budget;
- prerequisites: a required scenario finishes before the dependant starts; a missing system or maturity
  level needs one of the scenarios that provide it to finish first. Written time-indexed: for every quarter
  q, "started by q" is at most "finished by q" summed over the providers;
- capacity: at most ``capacity`` projects are being built in any quarter;
- alternatives: two ways of doing the same thing (an AI scenario and its MIIT parent acting on the same
  figure) are never both chosen;
- subsidy caps: the counted subsidies of one policy across the chosen items stay within its cap;
- the enterprise's choices: a pinned candidate is in the plan, a dropped one is not (engine/needs.py states
  what a choice costs against the unconstrained optimum), and the pinned start as early as the constraints
  allow: their total delay comes before NPV in the objective (after the pain points under ``pain_points``).
Policy windows (issue 14): a counted amount a policy gives only to a project started within its validity (e.g. the
one-time equipment deduction, 公告2023年第37号, to 2027-12-31) is a ``Window`` of its candidate; a start inside
it earns the amount, discounted to quarter 0, in the objective (through ``cost_pv``, so the CP-SAT model and the
independent MILP see the same rule). The plan's reported NPV leaves it out (the who-pays view counts it once).
Objective (``npv``): risk-adjusted NPV at quarter 0, where the savings on one baseline figure (e.g. energy
cost) count per quarter at most a quarter of the figure's yearly cap (``Problem.baseline_caps``, which the plan
sets to what all candidates on the money pool take together, compounded), so overlapping projects are not
counted twice; ``roadmap_cashflow.quarter_savings_cap`` is the one home of that rule. ``quick_wins`` discounts at a steep rate (earlier cash counts more); ``pain_points`` first
covers as many stated pain points as possible, then maximises NPV.
Money is handled in integer units of 0.01 万元 (100 元) inside the solver; amounts counted against a budget or a
subsidy cap in whole 元, rounded up against a limit rounded down, so the real amounts always fit.

The code lives in sibling modules, imported from here: ``roadmap_types`` (the inputs and the result),
``roadmap_cashflow`` (the money of one candidate and start, a schedule's value, the rounding against limits),
``roadmap_starts`` (what the solver is offered, and the shortcut when it need not run), ``roadmap_model`` (the
CP-SAT model, one function per constraint family) and ``roadmap_explain`` (the result, and why each candidate
left out is left out).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Literal

from wendao.engine.objectives import Objective
from wendao.engine.roadmap_cashflow import (
    LIMIT_UNIT,
    RAMP_QUARTERS,
    StartRow,
    _limit_up,
    benefit_pv,
    cost_pv,
    lift_pv,
    lift_share,
    lifts_met,
    objective_rate,
    plan_value,
    quarter_factor,
    quarter_savings_cap,
    spend_by_quarter,
    spend_by_year,
    standalone_value,
    start_table,
    valid_starts,
    window_pv,
    yearly_spend_units,
)
from wendao.engine.roadmap_explain import _result, explain_exclusion
from wendao.engine.roadmap_fallbacks import fallbacks_of
from wendao.engine.roadmap_model import GAIN_SCALE, UNIT, Offer, Status, _Alternatives, make_offer, solve_model
from wendao.engine.roadmap_starts import _best_alone, _feasible, start_options, useful_candidates
from wendao.engine.roadmap_types import (
    Candidate,
    Excluded,
    Fallback,
    Lift,
    PinTiming,
    Problem,
    Requirement,
    Roadmap,
    Scheduled,
    Settings,
    SolveAttempt,
    Window,
)

# what the rest of the engine, the benches and the tests import from here
__all__ = [
    "GAIN_SCALE",
    "LIMIT_UNIT",
    "RAMP_QUARTERS",
    "UNIT",
    "Candidate",
    "Excluded",
    "Fallback",
    "Lift",
    "Objective",
    "PinTiming",
    "Problem",
    "Requirement",
    "Roadmap",
    "Scheduled",
    "Settings",
    "SolveAttempt",
    "StartRow",
    "Window",
    "_Alternatives",
    "_limit_up",
    "_result",
    "benefit_pv",
    "cost_pv",
    "displaced_value",
    "explain_exclusion",
    "lift_pv",
    "lift_share",
    "lifts_met",
    "objective_rate",
    "optimise_roadmap",
    "plan_value",
    "quarter_factor",
    "quarter_savings_cap",
    "spend_by_quarter",
    "spend_by_year",
    "standalone_value",
    "start_options",
    "start_table",
    "useful_candidates",
    "valid_starts",
    "window_pv",
    "yearly_spend_units",
]


def optimise_roadmap(problem: Problem, table: Mapping[str, StartRow] | None = None, explain: bool = True) -> Roadmap:
    """Solve the roadmap; deterministic for the same input (one worker, fixed seed). ``table``: the start table of
    the problem's candidates and settings (``start_table``), when a caller solving several variants of one problem
    (other pins or drops, the same candidates and settings) has worked it out once. ``explain``: with the reason
    every candidate left out is left out; a caller that keeps one of several solves explains only that one
    (``roadmap_explain.explained``)."""
    started = time.perf_counter()
    s = problem.settings
    horizon = s.horizon_quarters
    rate = objective_rate(s)
    table = dict(table) if table is not None else start_table(problem.candidates, s)
    cands = useful_candidates(problem, table)
    if not cands:
        return _result(problem, "EMPTY", {}, time.perf_counter() - started, table, explain)

    factors = [quarter_factor(rate, q) for q in range(horizon + 1)]
    options = start_options(problem, cands, table)
    # a candidate with no usable start is simply not in the model (it cannot be chosen)
    cands = [c for c in cands if options[c.id]]
    by_id = {c.id: c for c in cands}
    pinned = [p for p in dict.fromkeys(problem.pinned) if p not in problem.dropped]
    if len(pinned) < len(set(problem.pinned)) or any(p not in by_id for p in pinned):
        # a pinned candidate that is dropped too, or that has no start within the budget and the horizon
        return _result(problem, "INFEASIBLE", {}, time.perf_counter() - started, table, explain)
    attempts: list[SolveAttempt] = []  # every solve, so that each fallback is stated (Roadmap.fallbacks)
    status, chosen = _solve_once(problem, cands, options, table, pinned, factors, {}, attempts)
    timing = None
    if pinned and status in ("OPTIMAL", "FEASIBLE"):
        status, chosen, timing = _pin_rule(problem, cands, options, table, pinned, factors, status, chosen, attempts)
    result = _result(problem, status, chosen, time.perf_counter() - started, table, explain)
    result.pin_timing = timing
    result.solves = attempts
    result.fallbacks = fallbacks_of(attempts, timing)
    return result


FIRST_YEAR_LAST = 3  # the last quarter of the first year (quarters 0-3)


def _solve_once(
    problem: Problem,
    cands: list[Candidate],
    options: dict[str, list[int]],
    table: dict[str, StartRow],
    pinned: list[str],
    factors: list[float],
    due: dict[str, int],
    attempts: list[SolveAttempt],
) -> tuple[Status, dict[str, int]]:
    """One solve: the shortcut when every candidate at its own best start is feasible, else the CP-SAT model.
    ``due``: pinned candidate -> the latest start that costs no delay (empty: its earliest offered start). Each
    solve made is appended to ``attempts``."""
    which: Literal["plan", "first_year"] = "first_year" if due else "plan"
    limit = problem.settings.time_limit_seconds
    offer = make_offer(problem, cands, options, table, pinned, factors)
    offer.pin_due = due
    if problem.settings.objective != "pain_points" and not offer.binding and not offer.lifts:
        relaxed = _best_alone(cands, options, offer.coef, pinned, due)
        if _feasible(problem, offer.by_id, relaxed, offer.yearly, offer.budget):
            attempts.append(
                SolveAttempt(model=which, method="shortcut", status="OPTIMAL", gap=0.0, time_limit_seconds=limit)
            )
            return "OPTIMAL", relaxed
    status, chosen = solve_model(offer)
    attempts.append(_solved(which, status, offer))
    if status == "UNKNOWN" and offer.lifts:
        # no plan found within the time limit (a 40-quarter model of the largest profile, on a loaded machine: the
        # lifts add about as many variables as there are starts): solve without the lifts, the model every plan had
        # before them; its plan is feasible and the lifts its foundations meet still count in its value
        plain = [c.model_copy(update={"lifts": []}) if c.lifts else c for c in cands]
        offer = make_offer(problem, plain, options, table, pinned, factors)
        offer.pin_due = due
        status, chosen = solve_model(offer)
        attempts.append(_solved("plan_without_lifts" if which == "plan" else "first_year_without_lifts", status, offer))
        status = "FEASIBLE" if status == "OPTIMAL" else status  # optimal without the lifts only
    return status, chosen


def _solved(
    model: Literal["plan", "plan_without_lifts", "first_year", "first_year_without_lifts"], status: Status, offer: Offer
) -> SolveAttempt:
    """The record of one CP-SAT solve of ``offer``: its status, the solver's gap and the time limit it had (the
    offer's own: a test may force a smaller one on one model)."""
    limit = offer.problem.settings.time_limit_seconds
    return SolveAttempt(model=model, status=status, gap=offer.gap, time_limit_seconds=limit)


def _pin_rule(
    problem: Problem,
    cands: list[Candidate],
    options: dict[str, list[int]],
    table: dict[str, StartRow],
    pinned: list[str],
    factors: list[float],
    status: Status,
    earliest: dict[str, int],
    attempts: list[SolveAttempt],
) -> tuple[Status, dict[str, int], PinTiming | None]:
    """A pin's cost (issue 13). A project the enterprise pins, or its goal names, starts as early as the
    constraints allow, unless that pushes the other projects back so far that the plan loses more than
    ``Settings.pin_tolerance`` (5 %) of its NPV against the best plan that starts the pin within the first year;
    then it starts at its NPV-best quarter of the first year (or, when the first year is not possible, as early as
    it can). What the pinned project itself gains from starting later (its own cost paid later) does not count: the
    enterprise chose to do it, and deferring its own spend is no reason to wait (``displaced_value``). Both plans are
    solved exactly; the plan reports both NPVs and the rule applied (``Roadmap.pin_timing``).

    5 % is a stated design rule, not a measurement: the materiality threshold auditors customarily start from (5 %
    of profit before tax, the example ISA 320 gives for a manufacturer; read in a secondary source,
    https://www.ciferi.com/materiality-calculator/manufacturing, not in the IAASB's text), by analogy: a cost below
    it does not change the decision a reader would take from the plan."""
    s = problem.settings
    due = dict.fromkeys(pinned, FIRST_YEAR_LAST)
    status_y, first_year = _solve_once(problem, cands, options, table, pinned, factors, due, attempts)
    if status_y not in ("OPTIMAL", "FEASIBLE"):
        # no first-year plan within the time limit: the pins keep their earliest start, stated (``fallbacks_of``)
        return status, earliest, None
    rate = objective_rate(s)
    rule: Literal["earliest", "first_year"] = "earliest"
    if (
        displaced_value(problem, earliest, first_year, rate)
        > s.pin_tolerance * abs(plan_value(problem, first_year, rate)) + 1e-6
    ):
        rule, status, chosen = "first_year", status_y, first_year
    else:
        chosen = earliest

    def npv(starts: dict[str, int]) -> float:  # as Roadmap.npv: at the discount rate, without the windows' amounts
        credit = sum(window_pv(c, starts[c.id], s.discount_rate) for c in cands if c.id in starts)
        return round(plan_value(problem, starts, s.discount_rate) - credit, 2)

    return (
        status,
        chosen,
        PinTiming(
            rule=rule,
            npv_earliest=npv(earliest),
            npv_first_year=npv(first_year),
            displaced=round(displaced_value(problem, earliest, first_year, s.discount_rate), 2),
            tolerance=s.pin_tolerance,
            starts={p: chosen[p] for p in pinned if p in chosen},
            starts_earliest={p: earliest[p] for p in pinned if p in earliest},
            starts_first_year={p: first_year[p] for p in pinned if p in first_year},
        ),
    )


def displaced_value(problem: Problem, earliest: dict[str, int], first_year: dict[str, int], rate: float) -> float:
    """What starting the pins at once costs the rest of the plan (万元 at ``rate``): the NPV of the first-year plan
    less the earliest plan's, without the difference the pinned projects' own starts make to their own value
    (``standalone_value``'s terms at each start). The one definition for CP-SAT and the MILP of ``bench optimizer``."""
    h = problem.settings.horizon_quarters
    by_id = {c.id: c for c in problem.candidates}

    def own(starts: dict[str, int]) -> float:
        total = 0.0
        for p in problem.pinned:
            if p in starts:
                c, t = by_id[p], starts[p]
                total += benefit_pv(c.annual_benefit, t + c.duration_quarters, h, rate) - cost_pv(c, t, h, rate)
        return total

    return (
        plan_value(problem, first_year, rate) - plan_value(problem, earliest, rate) - (own(first_year) - own(earliest))
    )
