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

from wendao.engine.objectives import Objective
from wendao.engine.roadmap_cashflow import (
    LIMIT_UNIT,
    RAMP_QUARTERS,
    StartRow,
    _limit_up,
    benefit_pv,
    cost_pv,
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
from wendao.engine.roadmap_model import GAIN_SCALE, UNIT, _Alternatives, make_offer, solve_model
from wendao.engine.roadmap_starts import _best_alone, _feasible, start_options, useful_candidates
from wendao.engine.roadmap_types import (
    Candidate,
    Excluded,
    Problem,
    Requirement,
    Roadmap,
    Scheduled,
    Settings,
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
    "Objective",
    "Problem",
    "Requirement",
    "Roadmap",
    "Scheduled",
    "Settings",
    "StartRow",
    "Window",
    "_Alternatives",
    "_limit_up",
    "_result",
    "benefit_pv",
    "cost_pv",
    "explain_exclusion",
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


def optimise_roadmap(problem: Problem) -> Roadmap:
    """Solve the roadmap; deterministic for the same input (one worker, fixed seed)."""
    started = time.perf_counter()
    s = problem.settings
    horizon = s.horizon_quarters
    rate = objective_rate(s)
    table = start_table(problem.candidates, s)
    cands = useful_candidates(problem, table)
    if not cands:
        return _result(problem, "EMPTY", {}, time.perf_counter() - started)

    factors = [quarter_factor(rate, q) for q in range(horizon + 1)]
    options = start_options(problem, cands, table)
    # a candidate with no usable start is simply not in the model (it cannot be chosen)
    cands = [c for c in cands if options[c.id]]
    by_id = {c.id: c for c in cands}
    pinned = [p for p in dict.fromkeys(problem.pinned) if p not in problem.dropped]
    if len(pinned) < len(set(problem.pinned)) or any(p not in by_id for p in pinned):
        # a pinned candidate that is dropped too, or that has no start within the budget and the horizon
        return _result(problem, "INFEASIBLE", {}, time.perf_counter() - started)
    offer = make_offer(problem, cands, options, table, pinned, factors)
    if s.objective != "pain_points" and not offer.binding:
        relaxed = _best_alone(cands, options, offer.coef, pinned)
        if _feasible(problem, by_id, relaxed, offer.yearly, offer.budget):
            return _result(problem, "OPTIMAL", relaxed, time.perf_counter() - started)
    status, chosen = solve_model(offer)
    return _result(problem, status, chosen, time.perf_counter() - started)
