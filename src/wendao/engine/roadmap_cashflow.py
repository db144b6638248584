"""The roadmap's money, one candidate and start at a time: discount factors, spend per quarter and per year, the
present values the objective is made of, a schedule's value with the savings caps, and the rounding that keeps
budgets and subsidy caps true for the real amounts. Shared by the CP-SAT model (engine/roadmap.py), the
explanations, the independent MILP of ``bench optimizer`` and the heuristics."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from wendao.engine.roadmap_types import Candidate, Lift, Problem, Settings


@lru_cache(maxsize=4096)
def quarter_factor(rate: float, q: int) -> float:
    return float(1 / (1 + rate) ** (q / 4))


def valid_starts(c: Candidate, horizon: int) -> range:
    return range(max(0, horizon - c.duration_quarters + 1))


def spend_by_quarter(c: Candidate, start: int, horizon: int) -> list[float]:
    """Net cash out of candidate c started at ``start``, per quarter of the horizon (万元)."""
    out = [0.0] * horizon
    for q in range(start, start + c.duration_quarters):
        out[q] += c.net_one_off / c.duration_quarters
    for q in range(start + c.duration_quarters, horizon):
        out[q] += c.annual_cost / 4
    return out


def spend_by_year(c: Candidate, start: int, horizon: int) -> list[float]:
    """Net cash out of candidate c started at ``start``, per year of the horizon (万元): the sums of
    ``spend_by_quarter`` over each year's quarters, in closed form."""
    live = start + c.duration_quarters
    build = c.net_one_off / c.duration_quarters
    out = []
    for y0 in range(0, horizon, 4):
        y1 = min(horizon, y0 + 4)
        building = max(0, min(y1, live) - max(y0, start))
        running = max(0, y1 - max(y0, live))
        out.append(building * build + running * c.annual_cost / 4)
    return out


@lru_cache(maxsize=256)
def _prefix_factors(rate: float, horizon: int) -> tuple[float, ...]:
    """prefix[q] = sum of the discount factors of quarters 0..q-1, so any run of quarters is O(1)."""
    out = [0.0]
    for q in range(horizon):
        out.append(out[-1] + quarter_factor(rate, q))
    return tuple(out)


RAMP_QUARTERS = 4  # a candidate's ramp_loss falls in the first four quarters after go-live


def cost_pv(c: Candidate, start: int, horizon: int, rate: float) -> float:
    """Present value of the net one-off (spread over the build quarters), of running costs after go-live and
    of the benefit the ramp does not yet deliver in the first year after go-live, less what a timely start
    earns from policy windows."""
    f = _prefix_factors(rate, horizon)
    live = min(horizon, start + c.duration_quarters)
    build = c.net_one_off / c.duration_quarters * (f[live] - f[min(horizon, start)])
    ramped = min(horizon, live + RAMP_QUARTERS)
    cost = build + c.annual_cost / 4 * (f[horizon] - f[live]) + c.ramp_loss / 4 * (f[ramped] - f[live])
    return cost - window_pv(c, start, rate) if c.windows else cost


def window_pv(c: Candidate, start: int, rate: float) -> float:
    """What the candidate's policy windows pay for a start in quarter ``start``, discounted to quarter 0."""
    credit = 0.0
    for w in c.windows:
        if w.first_start <= start <= w.last_start:
            credit += w.value * quarter_factor(rate, start)
    return credit


def benefit_pv(annual: float, go_live: int, horizon: int, rate: float) -> float:
    f = _prefix_factors(rate, horizon)
    return annual / 4 * (f[horizon] - f[min(horizon, go_live)])


def lift_share(lift: Lift, go_live: int, q: int) -> float:
    """The share of a lift's yearly savings delivered in quarter ``q`` by a candidate live from ``go_live``: none
    before, ``ramp_first_year`` in its first four quarters live, all of it after (the candidate's own ramp, as a
    delay of the extra savings rather than a cost, so a met lift never lowers a plan's value)."""
    if q < go_live:
        return 0.0
    return lift.ramp_first_year if q < go_live + RAMP_QUARTERS else 1.0


def lift_pv(lift: Lift, go_live: int, horizon: int, rate: float) -> float:
    """Present value at quarter 0 of a met lift's extra savings (uncapped), for a candidate live from ``go_live``."""
    f = _prefix_factors(rate, horizon)
    live = min(horizon, go_live)
    ramped = min(horizon, go_live + RAMP_QUARTERS)
    yearly = sum(lift.benefits.values())
    return yearly / 4 * (lift.ramp_first_year * (f[ramped] - f[live]) + f[horizon] - f[ramped])


def lifts_met(c: Candidate, start: int, starts: dict[str, int], by_id: dict[str, Candidate]) -> list[int]:
    """The indexes of ``c``'s lifts met when it starts in ``start``: one of the lift's providers is in the
    schedule ``starts`` and has gone live (finished) by then."""
    return [
        k
        for k, lift in enumerate(c.lifts)
        if any(p in starts and p in by_id and starts[p] + by_id[p].duration_quarters <= start for p in lift.providers)
    ]


def objective_rate(settings: Settings) -> float:
    # quick wins: a steep discount makes early, fast-paying projects win
    return max(0.25, 3 * settings.discount_rate) if settings.objective == "quick_wins" else settings.discount_rate


def quarter_savings_cap(problem: Problem, baseline: str) -> float | None:
    """The most the savings on one baseline figure count for in one quarter (万元), or None when the figure has no
    cap: a quarter of its yearly cap. The one home of the savings cap: ``plan_value``, the CP-SAT model (in its
    integer units) and the MILP of ``bench optimizer`` all cap a figure's quarterly savings with it. The yearly
    cap itself is the caller's (``Problem.baseline_caps``): a plan sets it to what all the candidates on one money
    pool take out of it together, compounded (engine/plan.py, ``_Pools.caps``)."""
    cap = problem.baseline_caps.get(baseline)
    return None if cap is None else cap / 4


def plan_value(problem: Problem, starts: dict[str, int], rate: float | None = None) -> float:
    """Risk-adjusted NPV of a schedule (万元): costs, plus per quarter the savings on each baseline figure
    summed over the live projects (with the lifts their foundations met, ``lifts_met``), at most the figure's
    ``quarter_savings_cap`` (the objective)."""
    s = problem.settings
    r = objective_rate(s) if rate is None else rate
    h = s.horizon_quarters
    by_id = {c.id: c for c in problem.candidates}
    total = 0.0
    per_quarter: dict[str, list[float]] = {}
    for cid, t in starts.items():
        c = by_id[cid]
        total -= cost_pv(c, t, h, r)
        live = t + c.duration_quarters
        for b, annual in c.benefits.items():
            series = per_quarter.setdefault(b, [0.0] * h)
            for q in range(live, h):
                series[q] += annual / 4
        for k in lifts_met(c, t, starts, by_id) if c.lifts else ():  # a foundation live before it starts
            lift = c.lifts[k]
            for b, annual in lift.benefits.items():
                series = per_quarter.setdefault(b, [0.0] * h)
                for q in range(live, h):
                    series[q] += annual / 4 * lift_share(lift, live, q)
    for b, series in per_quarter.items():
        cap = quarter_savings_cap(problem, b)
        for q, v in enumerate(series):
            total += (v if cap is None else min(v, cap)) * quarter_factor(r, q)
    return total


# Limits (budgets, subsidy caps) must hold for the real amounts, not only for rounded ones: amounts that count
# against a limit are rounded up and the limit down, so a sum within the limit in units is within it in 万元.
# They are counted in 元 (LIMIT_UNIT per 万元) so that the rounding costs at most 1 元 per item; the slack only
# absorbs float noise on an amount that is a whole number of 元. Every budget and subsidy-cap check of the
# roadmap (the start options, the CP-SAT rows, the shortcut's check, the explanations) counts in these units.
LIMIT_UNIT = 10_000
_SLACK = 1e-6


def _limit_up(x: float) -> int:
    """An amount that counts against a limit, in 元, rounded up."""
    return math.ceil(x * LIMIT_UNIT - _SLACK)


def _limit_down(x: float) -> int:
    """A limit (a yearly budget, a subsidy cap), in 元, rounded down."""
    return math.floor(x * LIMIT_UNIT + _SLACK)


def yearly_spend_units(c: Candidate, start: int, horizon: int) -> list[int]:
    """What candidate c started at ``start`` counts against each year's budget: ``spend_by_year`` in 元, rounded
    up (``start_table`` computes the same for every start at once; a test holds them equal)."""
    return [_limit_up(v) for v in spend_by_year(c, start, horizon)]


def standalone_value(c: Candidate, settings: Settings) -> float:
    """Best NPV of a candidate on its own over its possible starts: an upper bound of what it can add to
    any plan (baseline caps and alternatives only ever lower its contribution)."""
    rate = objective_rate(settings)
    h = settings.horizon_quarters
    return max(
        (
            -cost_pv(c, t, h, rate) + benefit_pv(c.annual_benefit, t + c.duration_quarters, h, rate)
            for t in valid_starts(c, h)
        ),
        default=float("-inf"),
    )


class StartRow(NamedTuple):
    """One candidate's possible starts with what each start means, computed once per solve."""

    starts: list[int]
    value: list[float]  # NPV on its own at the objective's rate (benefit_pv - cost_pv)
    cost: list[float]  # cost_pv at the objective's rate
    yearly: list[list[int]]  # net spend per year (spend_by_year) in 元, rounded up
    upper: list[float]  # value with every lift met: the most a start can add to any plan (``value`` without lifts)


def start_table(cands: Sequence[Candidate], settings: Settings) -> dict[str, StartRow]:
    """``StartRow`` for every candidate, all candidates and starts at once with NumPy. The arithmetic is
    the same, operation for operation, as ``cost_pv``, ``benefit_pv`` and ``spend_by_year`` (so the floats
    and the rounded money units are identical; a test holds them equal); the scalar functions stay as the
    readable definition and for the independent MILP baseline."""
    h = settings.horizon_quarters
    if not cands:
        return {}
    prefix = _prefix_factors(objective_rate(settings), h)
    f = np.array(prefix)
    d = np.array([c.duration_quarters for c in cands], dtype=np.int64)[:, None]
    net = np.array([c.net_one_off for c in cands])[:, None]
    running = np.array([c.annual_cost for c in cands])[:, None]
    gain = np.array([c.annual_benefit for c in cands])[:, None]
    loss = np.array([c.ramp_loss for c in cands])[:, None]
    t = np.arange(h, dtype=np.int64)[None, :]
    live_raw = t + d
    live = np.minimum(live_raw, h)
    ramped = np.minimum(live + RAMP_QUARTERS, h)
    build = net / d
    cost = build * (f[live] - f[t]) + running / 4 * (f[h] - f[live]) + loss / 4 * (f[ramped] - f[live])
    if any(c.windows for c in cands):  # as in window_pv, operation for operation
        qf = np.array([quarter_factor(objective_rate(settings), q) for q in range(h)])
        for i, c in enumerate(cands):
            if c.windows:
                credit = np.zeros(h)
                for w in c.windows:
                    inside = (np.arange(h) >= w.first_start) & (np.arange(h) <= w.last_start)
                    credit = credit + np.where(inside, w.value * qf, 0.0)
                cost[i] = cost[i] - credit
    value = gain / 4 * (f[h] - f[live]) - cost
    years = []
    for y0 in range(0, h, 4):
        y1 = min(h, y0 + 4)
        building = np.maximum(0, np.minimum(y1, live_raw) - np.maximum(y0, t))
        after = np.maximum(0, y1 - np.maximum(y0, live_raw))
        years.append(np.ceil((building * build + after * running / 4) * LIMIT_UNIT - _SLACK).astype(np.int64))
    yearly = np.stack(years, axis=2).tolist()
    values = value.tolist()
    costs = cost.tolist()
    out = {}
    for i, c in enumerate(cands):
        n = max(0, h - c.duration_quarters + 1)
        value_i = values[i][:n]
        upper = value_i
        if c.lifts and n:
            # v + sum(lift_pv(lift, t + d, h, rate) for lift in c.lifts) for every start t, as lift_pv computes it,
            # operation for operation (so the floats are identical; a test holds them equal); in plain floats: a
            # candidate has a few lifts and starts, and NumPy's cost per operation made this part 1.2 of the table's
            # 1.8 ms on a 69-candidate plan (CPU time, loaded machine, 2026-12-07); 0.8 ms in plain floats
            at = [(min(t + c.duration_quarters, h), min(t + c.duration_quarters + RAMP_QUARTERS, h)) for t in range(n)]
            ramp_part = [prefix[ramped] - prefix[live] for live, ramped in at]
            lifted = [0.0] * n
            for lift in c.lifts:
                quarter = sum(lift.benefits.values()) / 4
                share = lift.ramp_first_year
                lifted = [
                    x + quarter * (share * rp + prefix[h] - prefix[ramped])
                    for x, rp, (_, ramped) in zip(lifted, ramp_part, at, strict=True)
                ]
            upper = [v + x for v, x in zip(value_i, lifted, strict=True)]
        out[c.id] = StartRow(list(range(n)), value_i, costs[i][:n], yearly[i][:n], upper)
    return out
