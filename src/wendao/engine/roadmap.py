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
  what a choice costs against the unconstrained optimum).
Policy windows (issue 14): a counted amount a policy gives only to a project started within its validity (e.g. the
one-time equipment deduction, 公告2023年第37号, to 2027-12-31) is a ``Window`` of its candidate; a start inside
it earns the amount, discounted to quarter 0, in the objective (through ``cost_pv``, so the CP-SAT model and the
independent MILP see the same rule). The plan's reported NPV leaves it out (the who-pays view counts it once).
Objective (``npv``): risk-adjusted NPV at quarter 0, where the savings on one baseline figure (e.g. energy
cost) are capped at the largest saving any single candidate claims on it, so overlapping projects are not
counted twice. ``quick_wins`` discounts at a steep rate (earlier cash counts more); ``pain_points`` first
covers as many stated pain points as possible, then maximises NPV.
Money is handled in integer units of 0.01 万元 (100 元) inside the solver; amounts counted against a budget or a
subsidy cap in whole 元, rounded up against a limit rounded down, so the real amounts always fit.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Literal, NamedTuple

import numpy as np
from pydantic import BaseModel, Field

from wendao.engine.objectives import Objective as Objective  # re-exported: plan.py and the API import it here
from wendao.engine.reasons import Reason, Ref, render_reason

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

UNIT = 100  # solver money unit: 0.01 万元
FACTOR_SCALE = 100_000  # discount factors as integers in the CP-SAT objective
# Capped savings enter the objective per quarter, each claim and the cap rounded on their own; at UNIT (0.01 万元)
# that rounding reached 0.01 万元 a quarter, enough to keep a project worth -0.045 万元 (found by the exact-MILP
# property test, seed 2125). The objective counts money in 1 元 (UNIT * GAIN_SCALE) instead.
GAIN_SCALE = 100
# CP-SAT refuses (MODEL_INVALID, and the plan would come out empty) an objective whose terms could together
# leave 64-bit integers. Ordinary plans stay many orders of magnitude below; the largest profile the bounds
# allow (tests/engine/test_plan.py) does not, so its coefficients are divided down to fit, with room to spare.
OBJECTIVE_LIMIT = 2**61


# Requirement and Excluded are dataclasses, not validated models: the engine builds dozens of each per plan
# from values it has computed (see the note in wendao.engine.scenarios); pydantic still validates them when
# a Problem or a stored result is read from outside
@dataclass(slots=True, kw_only=True)
class Requirement:
    """Something a candidate needs that is not in place; any one of ``providers`` finishing first meets it."""

    what_zh: str
    what_en: str
    providers: list[str]


class Window(BaseModel):
    """A counted amount of ``policy`` earned only when the candidate starts in quarters first..last (inclusive)."""

    policy: str
    first_start: int = Field(default=0, ge=0)
    last_start: int = Field(ge=0)
    value: float = Field(ge=0, description="万元, worth at the project's start")


class Candidate(BaseModel):
    id: str
    one_off: float = Field(ge=0, description="gross one-off cost, 万元")
    subsidies: dict[str, float] = Field(default_factory=dict, description="counted subsidy per policy, 万元")
    annual_cost: float = Field(ge=0)
    benefits: dict[str, float] = Field(default_factory=dict, description="risk-adjusted annual saving by baseline")
    duration_quarters: int = Field(ge=1)
    after: list[str] = Field(default_factory=list, description="candidates that must finish first")
    requires: list[Requirement] = Field(default_factory=list)
    pain_points: list[int] = Field(default_factory=list, description="indexes of stated pain points it answers")
    ramp_loss: float = Field(
        default=0.0,
        ge=0,
        description="万元 per year of benefit not yet delivered in the first four quarters after go-live (the ramp); "
        "counted as a cost in those quarters",
    )
    windows: list[Window] = Field(default_factory=list, description="policy amounts earned only by a timely start")

    @cached_property
    def net_one_off(self) -> float:
        return max(0.0, self.one_off - sum(self.subsidies.values()))

    @cached_property
    def annual_benefit(self) -> float:
        return sum(self.benefits.values())


class Settings(BaseModel):
    horizon_quarters: int = Field(default=12, ge=4, le=40)
    yearly_budget: float = Field(ge=0, description="万元 per year, net of subsidies")
    capacity: int = Field(default=2, ge=1)
    discount_rate: float = Field(default=0.08, ge=0, le=1)
    objective: Objective = "npv"
    time_limit_seconds: float = Field(default=10.0, gt=0)
    workers: int = Field(default=1, ge=1)


class Problem(BaseModel):
    candidates: list[Candidate]
    exclusive: list[tuple[str, str]] = Field(default_factory=list)
    baseline_caps: dict[str, float] = Field(default_factory=dict, description="annual cap per baseline, 万元")
    policy_caps: dict[str, float] = Field(default_factory=dict, description="per-enterprise cap per policy, 万元")
    settings: Settings
    pinned: list[str] = Field(default_factory=list, description="candidates the plan must contain")
    dropped: list[str] = Field(default_factory=list, description="candidates the plan must leave out")


class Scheduled(BaseModel):
    id: str
    start_quarter: int
    end_quarter: int = Field(description="first quarter after completion (go-live)")
    net_one_off: float
    subsidy: float
    npv: float
    windows_met: list[Window] = Field(default_factory=list, description="policy windows its start falls in")
    best_start_without_windows: int | None = Field(
        default=None, description="its best start on its own without the windows' amounts, when that differs"
    )


@dataclass(slots=True, kw_only=True)
class Excluded:
    """A candidate left out of the plan, with the binding reason."""

    id: str
    reason: Literal[
        "budget", "capacity", "prerequisite", "value", "alternative", "horizon", "subsidy_cap", "dropped", "infeasible"
    ]
    why: Reason  # what exactly, as a value (wendao.engine.reasons); the plan names what it refers to

    @property
    def detail_zh(self) -> str:
        return render_reason(self.why, "zh")

    @property
    def detail_en(self) -> str:
        return render_reason(self.why, "en")


class Roadmap(BaseModel):
    status: Literal["OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN", "EMPTY"]
    objective: Objective
    npv: float = Field(description="risk-adjusted NPV of the chosen plan after baseline caps, 万元")
    items: list[Scheduled]
    excluded: list[Excluded]
    spend_by_year: list[float]
    budget_by_year: list[float]
    projects_by_quarter: list[int]
    solve_seconds: float


# --- cash-flow coefficients (shared by the solver, the MILP baseline and the heuristics) ------------------


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


def objective_rate(settings: Settings) -> float:
    # quick wins: a steep discount makes early, fast-paying projects win
    return max(0.25, 3 * settings.discount_rate) if settings.objective == "quick_wins" else settings.discount_rate


def plan_value(problem: Problem, starts: dict[str, int], rate: float | None = None) -> float:
    """Risk-adjusted NPV of a schedule (万元): costs, plus per quarter the savings on each baseline figure
    summed over the live projects and capped at the largest single claim (the objective)."""
    s = problem.settings
    r = objective_rate(s) if rate is None else rate
    h = s.horizon_quarters
    by_id = {c.id: c for c in problem.candidates}
    total = 0.0
    per_quarter: dict[str, list[float]] = {}
    for cid, t in starts.items():
        c = by_id[cid]
        total -= cost_pv(c, t, h, r)
        for b, annual in c.benefits.items():
            series = per_quarter.setdefault(b, [0.0] * h)
            for q in range(t + c.duration_quarters, h):
                series[q] += annual / 4
    for b, series in per_quarter.items():
        cap = problem.baseline_caps.get(b)
        for q, v in enumerate(series):
            total += (v if cap is None else min(v, cap / 4)) * quarter_factor(r, q)
    return total


def _money(x: float) -> int:
    return round(x * UNIT)


# Limits (budgets, subsidy caps) must hold for the real amounts, not only for rounded ones: amounts that count
# against a limit are rounded up and the limit down, so a sum within the limit in units is within it in 万元.
# They are counted in 元 (LIMIT_UNIT per 万元) so that the rounding costs at most 1 元 per item; the slack only
# absorbs float noise on an amount that is a whole number of 元.
LIMIT_UNIT = 10_000
_SLACK = 1e-6


def _limit_up(x: float) -> int:
    return math.ceil(x * LIMIT_UNIT - _SLACK)


def _limit_down(x: float) -> int:
    return math.floor(x * LIMIT_UNIT + _SLACK)


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


def start_table(cands: Sequence[Candidate], settings: Settings) -> dict[str, StartRow]:
    """``StartRow`` for every candidate, all candidates and starts at once with NumPy. The arithmetic is
    the same, operation for operation, as ``cost_pv``, ``benefit_pv`` and ``spend_by_year`` (so the floats
    and the rounded money units are identical; a test holds them equal); the scalar functions stay as the
    readable definition and for the independent MILP baseline."""
    h = settings.horizon_quarters
    if not cands:
        return {}
    f = np.array(_prefix_factors(objective_rate(settings), h))
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
        out[c.id] = StartRow(list(range(n)), values[i][:n], costs[i][:n], yearly[i][:n])
    return out


def useful_candidates(problem: Problem, table: dict[str, StartRow] | None = None) -> list[Candidate]:
    """Candidates that can be part of an optimal plan: those that can add value (or cover a pain point under
    the pain-point objective) and everything they depend on. Dropping the rest changes no optimum."""
    s = problem.settings
    table = table if table is not None else start_table(problem.candidates, s)
    dropped = set(problem.dropped)
    by_id = {c.id: c for c in problem.candidates if table[c.id].starts and c.id not in dropped}
    keep = {
        cid
        for cid, c in by_id.items()
        if max(table[cid].value) > 0 or (s.objective == "pain_points" and c.pain_points) or cid in problem.pinned
    }
    frontier = list(keep)
    while frontier:
        c = by_id[frontier.pop()]
        for dep in _dependencies(c):
            if dep in by_id and dep not in keep:
                keep.add(dep)
                frontier.append(dep)
    return [c for c in problem.candidates if c.id in keep]


def _dependencies(c: Candidate) -> list[str]:
    return [*c.after, *(p for r in c.requires for p in r.providers)]


def start_options(
    problem: Problem, cands: Sequence[Candidate], table: dict[str, StartRow] | None = None
) -> dict[str, list[int]]:
    """The start quarters worth offering the solver for each candidate. Dropping the others changes no
    optimum: a start whose spend alone breaks a year's budget is infeasible in any plan, and a start whose
    standalone value is not positive (for a candidate nothing depends on, under a money objective) can be
    removed from any plan without lowering its value, since baseline caps only ever lower a contribution
    and every spend coefficient is non-negative; a start before any provider of a prerequisite can have
    finished is infeasible too."""
    s = problem.settings
    table = table if table is not None else start_table(cands, s)
    budget = _limit_down(s.yearly_budget)
    depended = {d for c in cands for d in _dependencies(c)}
    pinned = set(problem.pinned)  # a pinned candidate keeps every start that fits, whatever its value
    out: dict[str, list[int]] = {}
    for c in cands:
        row = table[c.id]
        need_value = s.objective != "pain_points" and c.id not in depended and c.id not in pinned
        out[c.id] = [
            t
            for t, value, spend in zip(row.starts, row.value, row.yearly, strict=False)
            if max(spend) <= budget and not (need_value and value <= 0)
        ]
    by_id = {c.id: c for c in cands}
    # what each candidate needs: groups of providers, any one of which must finish before it starts
    needs = {c.id: [[d] for d in c.after] + [[p for p in r.providers if p != c.id] for r in c.requires] for c in cands}
    dependants: dict[str, list[str]] = {}
    for cid, groups in needs.items():
        for p in {p for group in groups for p in group}:
            dependants.setdefault(p, []).append(cid)
    money = s.objective != "pain_points"
    changed = True
    while changed:  # to a fixed point: each rule can narrow what the other sees
        changed = False
        for c in cands:
            ts = out[c.id]
            if not ts:
                continue
            earliest = 0
            for group in needs[c.id]:
                finishes = [out[p][0] + by_id[p].duration_quarters for p in group if p in by_id and out[p]]
                earliest = max(earliest, min(finishes, default=s.horizon_quarters))
            # a start without value of its own that finishes after every start of what depends on it unlocks
            # nothing: removing it from a plan keeps the plan feasible and loses no value
            latest = max((out[u][-1] for u in dependants.get(c.id, ()) if out[u]), default=-1)
            value = table[c.id].value
            kept = [
                t
                for t in ts
                if t >= earliest
                and not (money and c.id not in pinned and value[t] <= 0 and t + c.duration_quarters > latest)
            ]
            if len(kept) < len(ts):
                out[c.id] = kept
                changed = True
    return out


# --- CP-SAT model ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _lean_model_class() -> type[cp_model.CpModel]:
    """CpModel without the deprecated CamelCase aliases that ``CpModel.__init__`` attaches to every new model
    (about 0.5 ms of the engine's per-plan budget)."""
    from ortools.sat.python import cp_model

    class LeanCpModel(cp_model.CpModel):
        def _add_pre_pep8_methods(self) -> None:
            pass

    return LeanCpModel


class _Model:
    """A CP-SAT model written straight into CpModel's proto: variables are proto indexes, every constraint is
    one linear row with its terms sorted by variable, exactly what ``CpModel.add`` writes for the same
    expression. Building through the expression API costs about twice as long (parsing each expression in
    Python), a measurable share of a plan."""

    INT_MIN = -(2**63)

    def __init__(self) -> None:
        self.model = _lean_model_class()()
        self.variables = self.model.proto.variables
        self.constraints = self.model.proto.constraints
        self.count = 0

    def var(self, upper: int = 1) -> int:
        """A new variable in [0, upper] (a Boolean by default); returns its index."""
        self.variables.add().domain.extend((0, upper))
        self.count += 1
        return self.count - 1

    def fix_zero(self, var: int) -> None:
        self.row([(var, 1)], 0, 0)

    def row(self, terms: list[tuple[int, int]], lower: int, upper: int) -> None:
        """lower <= sum(coef * var) <= upper; no variable twice."""
        terms.sort()
        linear = self.constraints.add().linear
        linear.vars.extend([v for v, _ in terms])
        linear.coeffs.extend([c for _, c in terms])
        linear.domain.extend((lower, upper))

    def at_most(self, terms: list[tuple[int, int]], upper: int) -> None:
        self.row(terms, self.INT_MIN, upper)

    def maximize(self, variables: Sequence[int], coefs: Sequence[int]) -> None:
        """As ``CpModel.maximize`` writes it (minimise the negated sum, scaling factor -1), in bulk; the
        variables must be distinct."""
        objective = self.model.proto.objective
        objective.vars.extend(variables)
        objective.coeffs.extend([-c for c in coefs])
        objective.scaling_factor = -1.0


class _Alternatives:
    """Pairs of alternatives (of two, at most one is chosen), to bound what candidates can claim together on
    one baseline figure. In the catalog they form stars, a parent and its variants that may be combined with
    each other but not with the parent; a star's claims are then at most max(parent, sum of variants). Any
    other shape falls back to a matching: for each pair in it, the smaller claim is never added."""

    def __init__(self, pairs: Sequence[tuple[str, str]]) -> None:
        self.pairs = pairs
        leaves: dict[str, list[str]] = {}
        for a, b in pairs:
            leaves.setdefault(a, []).append(b)
        centre_of: dict[str, str] = {}
        for a, bs in leaves.items():
            for b in bs:
                centre_of[b] = a
        stars = not (set(leaves) & set(centre_of)) and len(centre_of) == sum(len(bs) for bs in leaves.values())
        self.stars: list[tuple[str, list[str]]] | None = list(leaves.items()) if stars else None

    def most_together(self, claims: dict[str, int] | dict[str, float]) -> float:
        """An upper bound of the claims of candidates that can be chosen together."""
        total: float = sum(claims.values())
        if self.stars is not None:
            for centre, variants in self.stars:
                if centre in claims:
                    together = sum(claims[v] for v in variants if v in claims)
                    total -= min(claims[centre], together)
            return total
        matched: set[str] = set()
        for a, b in self.pairs:
            if a in claims and b in claims and a not in matched and b not in matched:
                total -= min(claims[a], claims[b])
                matched.update((a, b))
        return total


def optimise_roadmap(problem: Problem) -> Roadmap:
    """Solve the roadmap; deterministic for the same input (one worker, fixed seed)."""
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    s = problem.settings
    horizon = s.horizon_quarters
    years = -(-horizon // 4)
    rate = objective_rate(s)
    table = start_table(problem.candidates, s)
    cands = useful_candidates(problem, table)
    by_id = {c.id: c for c in cands}
    if not cands:
        return _result(problem, "EMPTY", {}, time.perf_counter() - started)

    factors = [quarter_factor(rate, q) for q in range(horizon + 1)]
    tail = [0.0] * (horizon + 1)  # tail[q] = sum of discount factors from quarter q to the horizon's end
    for q in range(horizon - 1, -1, -1):
        tail[q] = tail[q + 1] + factors[q]
    options = start_options(problem, cands, table)
    # a candidate with no usable start is simply not in the model (it cannot be chosen)
    cands = [c for c in cands if options[c.id]]
    by_id = {c.id: c for c in cands}
    pinned = [p for p in dict.fromkeys(problem.pinned) if p not in problem.dropped]
    if len(pinned) < len(set(problem.pinned)) or any(p not in by_id for p in pinned):
        # a pinned candidate that is dropped too, or that has no start within the budget and the horizon
        return _result(problem, "INFEASIBLE", {}, time.perf_counter() - started)
    # savings on a baseline figure are capped only where the candidates together could exceed the cap
    # (each candidate counts once, whatever its start); elsewhere they simply add up
    alternatives = _Alternatives([(a, b) for a, b in problem.exclusive if a in by_id and b in by_id])
    binding = {
        b
        for b in {b for c in cands for b in c.benefits}
        if (cap := problem.baseline_caps.get(b)) is not None
        and alternatives.most_together({c.id: c.benefits[b] for c in cands if b in c.benefits}) > cap
    }

    coef: dict[tuple[str, int], int] = {}  # candidate, start quarter -> its integer objective coefficient
    yearly: dict[tuple[str, int], list[int]] = {}
    for c in cands:
        row = table[c.id]
        free = sum(v for b, v in c.benefits.items() if b not in binding)
        for t in options[c.id]:
            go_live = t + c.duration_quarters
            # integer objective: money units weighted by discount factors (scaled), one coefficient per start
            coef[c.id, t] = round(
                FACTOR_SCALE * UNIT * GAIN_SCALE * (free / 4 * tail[min(horizon, go_live)] - row.cost[t])
            )
            yearly[c.id, t] = row.yearly[t]
    budget = _limit_down(s.yearly_budget)
    if s.objective != "pain_points" and not binding:
        relaxed = _best_alone(cands, options, coef, pinned)
        if _feasible(problem, by_id, relaxed, yearly, budget):
            return _result(problem, "OPTIMAL", relaxed, time.perf_counter() - started)

    m = _Model()
    x: dict[tuple[str, int], int] = {}  # candidate, start quarter -> variable index
    present: dict[str, int] = {}
    building: list[list[int]] = [[] for _ in range(horizon)]  # who is being built in quarter q
    for c in cands:
        ts = options[c.id]
        for t in ts:
            var = x[c.id, t] = m.var()
            for q in range(t, t + c.duration_quarters):
                building[q].append(var)
        if len(ts) == 1:
            present[c.id] = x[c.id, ts[0]]
        else:
            present[c.id] = m.var()
            m.row([*((x[c.id, t], 1) for t in ts), (present[c.id], -1)], 0, 0)

    # precedence, time-indexed: "started by quarter q" never exceeds "a provider finished by quarter q". The
    # same feasible plans as "start >= provider's end", with a far tighter LP relaxation than a big-M row
    # each candidate's starts as (finish quarter, variable), by finish; "finished by q" is a prefix of it
    finishing = {c.id: [(t + c.duration_quarters, x[c.id, t]) for t in options[c.id]] for c in cands}

    def _needs_one_of(cid: str, providers: list[str]) -> None:
        done_by = sorted(e for p in providers for e in finishing[p])
        started: list[tuple[int, int]] = []
        done: list[tuple[int, int]] = []
        k = 0
        for q in options[cid]:  # ascending
            started.append((x[cid, q], 1))
            while k < len(done_by) and done_by[k][0] <= q:
                done.append((done_by[k][1], -1))
                k += 1
            if not done:
                # cannot start in q: nothing it needs can be finished by then
                m.fix_zero(x[cid, q])
                continue
            m.at_most(started + done, 0)

    for c in cands:
        for dep in c.after:
            if dep not in by_id:
                m.fix_zero(present[c.id])
                continue
            _needs_one_of(c.id, [dep])
        for req in c.requires:
            providers = [p for p in req.providers if p in by_id and p != c.id]
            if not providers:
                m.fix_zero(present[c.id])
                continue
            _needs_one_of(c.id, providers)

    for a, b in problem.exclusive:
        if a in present and b in present:
            m.at_most([(present[a], 1), (present[b], 1)], 1)

    for p in pinned:
        m.row([(present[p], 1)], 1, 1)

    for policy, cap in problem.policy_caps.items():
        terms = [
            (present[c.id], _limit_up(c.subsidies[policy]))
            for c in cands
            if c.subsidies.get(policy) and c.id in present
        ]
        if terms and sum(v for _, v in terms) > _limit_down(cap):
            m.at_most(terms, _limit_down(cap))

    keys = list(x)
    for y in range(years):
        spend = [(x[k], yearly[k][y]) for k in keys if yearly[k][y] > 0]
        if sum(v for _, v in spend) > budget:
            m.at_most(spend, budget)

    for active in building:
        if len(active) > s.capacity:
            m.at_most([(v, 1) for v in active], s.capacity)

    gains: list[int] = []
    gain_coefs: list[int] = []
    gain_range = 0  # the most the capped savings variables can add to the objective
    for b in sorted(binding):
        cap_q = round(problem.baseline_caps[b] / 4 * UNIT * GAIN_SCALE)
        # the starts with savings on b, by go-live quarter: live in quarter q = go-live at or before q
        entries = sorted(
            (
                (t + by_id[cid].duration_quarters, round(by_id[cid].benefits[b] / 4 * UNIT * GAIN_SCALE), cid, t)
                for (cid, t) in keys
                if b in by_id[cid].benefits
            ),
            key=lambda e: e[0],
        )
        live: list[tuple[int, str, int]] = []
        claims: dict[str, int] = {}  # each candidate counts once, whichever of its starts is chosen
        k = 0
        for q in range(horizon):
            while k < len(entries) and entries[k][0] <= q:
                _, v, cid, t = entries[k]
                live.append((v, cid, t))
                claims[cid] = v
                k += 1
            if not live:
                continue
            weight = round(FACTOR_SCALE * factors[q])
            if alternatives.most_together(claims) <= cap_q:
                # the cap cannot bind in this quarter: the savings simply add up (the same integer objective
                # as a gain variable, without the variable)
                for v, cid, t in live:
                    coef[cid, t] += weight * v
                continue
            most = min(int(alternatives.most_together(claims)), cap_q)
            gain = m.var(most)
            gain_range += weight * most
            m.at_most([(gain, 1), *((x[cid, t], -v) for v, cid, t in live)], 0)
            gains.append(gain)
            gain_coefs.append(weight)
    obj_vars = [x[k] for k in keys] + gains
    obj_coefs = [coef[k] for k in keys] + gain_coefs
    if s.objective == "pain_points":
        points = sorted({k for c in cands for k in c.pain_points})
        # lexicographic: one more covered pain point outweighs any difference in NPV between two plans. Every
        # plan's NPV term lies within +-(the largest |coefficient| of each candidate, summed) plus what the
        # capped savings can add, so one point must be worth more than that range
        spread: dict[str, int] = {}
        for (cid, _t), v in coef.items():
            spread[cid] = max(spread.get(cid, 0), abs(v))
        big = 2 * sum(spread.values()) + gain_range + 1
        for k in points:
            ck = m.var()
            m.at_most([(ck, 1), *((present[c.id], -1) for c in cands if k in c.pain_points and c.id in present)], 0)
            obj_vars.append(ck)
            obj_coefs.append(big)
    m.maximize(obj_vars, _within_objective_limit(m, obj_vars, obj_coefs))

    solver = cp_model.CpSolver()
    # measured on the bundled examples and 400 generated plans: presolve costs more than it saves on these
    # small models; the stronger LP relaxation closes the budget knapsack quickly, and the generic cut
    # generators then cost more than they prune (cut_level 0 halved the solve time with the same optima;
    # `bench optimizer` keeps checking optimality against an independent MILP)
    solver.parameters.cp_model_presolve = False
    solver.parameters.linearization_level = 2
    solver.parameters.cut_level = 0
    # the whole model in the LP from the start, and no SAT inprocessing between restarts: 27 % less solve time
    # on 374 recorded plan problems, the same optimum on every one (2026-11-25)
    solver.parameters.add_lp_constraints_lazily = False
    solver.parameters.use_sat_inprocessing = False
    # symmetry detection finds next to nothing in these models and costs 3 % of the solve time
    solver.parameters.symmetry_level = 0
    solver.parameters.num_workers = s.workers
    solver.parameters.random_seed = 7
    solver.parameters.max_time_in_seconds = s.time_limit_seconds
    code = solver.solve(m.model)
    status = {cp_model.OPTIMAL: "OPTIMAL", cp_model.FEASIBLE: "FEASIBLE", cp_model.INFEASIBLE: "INFEASIBLE"}.get(
        code, "UNKNOWN"
    )
    chosen: dict[str, int] = {}
    if status in ("OPTIMAL", "FEASIBLE"):
        solution = solver.response_proto.solution
        chosen = {cid: t for (cid, t), var in x.items() if solution[var]}
    return _result(problem, status, chosen, time.perf_counter() - started)  # type: ignore[arg-type]


def _within_objective_limit(m: _Model, variables: Sequence[int], coefs: list[int]) -> list[int]:
    """The objective coefficients, divided by a common factor when the objective's range (each coefficient
    times its variable's upper bound) exceeds OBJECTIVE_LIMIT. Such amounts are hundreds of billions of 万元,
    so rounding them to a coarser unit changes no choice worth making; smaller ones are left exactly as they are."""
    reach = sum(abs(c) * m.variables[v].domain[1] for v, c in zip(variables, coefs, strict=True))  # domains: [0, upper]
    if reach <= OBJECTIVE_LIMIT:
        return coefs
    divisor = -(-reach // OBJECTIVE_LIMIT)
    return [round(c / divisor) for c in coefs]


def _best_alone(
    cands: Sequence[Candidate],
    options: dict[str, list[int]],
    coef: dict[tuple[str, int], int],
    pinned: Sequence[str] = (),
) -> dict[str, int]:
    """The optimum of the relaxation that keeps only "at most one start per candidate" (and "a pinned
    candidate has one"): every candidate at its best start (the earliest among equals), or left out when no
    start has a positive coefficient and it is not pinned. With a separable objective (no capped savings, no
    pain points) no plan is worth more."""
    chosen: dict[str, int] = {}
    for c in cands:
        best = 0 if c.id not in pinned else min(coef[c.id, t] for t in options[c.id]) - 1
        for t in options[c.id]:
            if coef[c.id, t] > best:
                best = coef[c.id, t]
                chosen[c.id] = t
    return chosen


def _feasible(
    problem: Problem,
    by_id: dict[str, Candidate],
    chosen: dict[str, int],
    yearly: dict[tuple[str, int], list[int]],
    budget: int,
) -> bool:
    """Whether a choice of starts (from the offered options) meets every constraint of the CP-SAT model,
    counted in the same integer units."""
    s = problem.settings
    if any(sum(yearly[cid, t][y] for cid, t in chosen.items()) > budget for y in range(-(-s.horizon_quarters // 4))):
        return False
    busy = [0] * s.horizon_quarters
    for cid, t in chosen.items():
        c = by_id[cid]
        for q in range(t, t + c.duration_quarters):
            busy[q] += 1
        for dep in c.after:
            if dep not in chosen or chosen[dep] + by_id[dep].duration_quarters > t:
                return False
        for req in c.requires:
            if not any(p in chosen and p != cid and chosen[p] + by_id[p].duration_quarters <= t for p in req.providers):
                return False
    if max(busy, default=0) > s.capacity:
        return False
    if any(a in chosen and b in chosen for a, b in problem.exclusive):
        return False
    for policy, cap in problem.policy_caps.items():
        used = sum(_limit_up(by_id[cid].subsidies[policy]) for cid in chosen if by_id[cid].subsidies.get(policy))
        if used > _limit_down(cap):
            return False
    return True


# --- result and reasons -------------------------------------------------------------------------------------


def _result(
    problem: Problem,
    status: Literal["OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN", "EMPTY"],
    chosen: dict[str, int],
    seconds: float,
) -> Roadmap:
    s = problem.settings
    horizon = s.horizon_quarters
    years = -(-horizon // 4)
    by_id = {c.id: c for c in problem.candidates}
    spend_q = [0.0] * horizon
    busy = [0] * horizon
    items = []
    for cid, t in sorted(chosen.items(), key=lambda kv: (kv[1], kv[0])):
        c = by_id[cid]
        for q, v in enumerate(spend_by_quarter(c, t, horizon)):
            spend_q[q] += v
        for q in range(t, t + c.duration_quarters):
            busy[q] += 1
        # the reported NPV leaves the windows' amounts out: the who-pays view counts them (module docstring)
        own = (
            -cost_pv(c, t, horizon, s.discount_rate)
            - window_pv(c, t, s.discount_rate)
            + benefit_pv(c.annual_benefit, t + c.duration_quarters, horizon, s.discount_rate)
        )
        met = [w for w in c.windows if w.first_start <= t <= w.last_start]
        items.append(
            Scheduled(
                id=cid,
                start_quarter=t,
                end_quarter=t + c.duration_quarters,
                net_one_off=round(c.net_one_off, 2),
                subsidy=round(c.one_off - c.net_one_off, 2),
                npv=round(own, 2),
                windows_met=met,
                best_start_without_windows=_best_start_without_windows(c, s) if met else None,
            )
        )
    spend_y = [round(sum(spend_q[4 * y : 4 * y + 4]), 2) for y in range(years)]
    excluded = [
        explain_exclusion(problem, c, chosen, spend_q, busy, by_id) for c in problem.candidates if c.id not in chosen
    ]
    credit = sum(window_pv(by_id[cid], t, s.discount_rate) for cid, t in chosen.items())
    return Roadmap(
        status=status,
        objective=s.objective,
        npv=round(plan_value(problem, chosen, s.discount_rate) - credit, 2),
        items=items,
        excluded=excluded,
        spend_by_year=spend_y,
        budget_by_year=[s.yearly_budget] * years,
        projects_by_quarter=busy,
        solve_seconds=round(seconds, 4),
    )


def _best_start_without_windows(c: Candidate, settings: Settings) -> int | None:
    """The start the candidate would take on its own if its policy windows paid nothing (the earliest of the
    best), or None: how the plan tells that a start was moved to meet a window."""
    plain = c.model_copy(update={"windows": []})
    rate = objective_rate(settings)
    h = settings.horizon_quarters
    starts = list(valid_starts(plain, h))
    if not starts:
        return None
    values = [
        -cost_pv(plain, t, h, rate) + benefit_pv(plain.annual_benefit, t + plain.duration_quarters, h, rate)
        for t in starts
    ]
    return starts[values.index(max(values))]


def explain_exclusion(
    problem: Problem,
    c: Candidate,
    chosen: dict[str, int],
    spend_q: Sequence[float],
    busy: Sequence[int],
    by_id: dict[str, Candidate] | None = None,
) -> Excluded:
    """The binding reason a candidate is not in the chosen plan, judged against that plan."""
    s = problem.settings
    horizon = s.horizon_quarters
    by_id = by_id if by_id is not None else {x.id: x for x in problem.candidates}
    starts = valid_starts(c, horizon)
    if c.id in problem.dropped:
        return Excluded(id=c.id, reason="dropped", why=Reason(code="dropped"))
    if c.id in problem.pinned and not chosen:
        return Excluded(id=c.id, reason="infeasible", why=Reason(code="pin_infeasible"))
    if not starts:
        return Excluded(id=c.id, reason="horizon", why=Reason(code="horizon", values={"quarters": c.duration_quarters}))
    for dep in c.after:
        if dep not in chosen:
            return Excluded(
                id=c.id, reason="prerequisite", why=Reason(code="after_missing", refs=(Ref(kind="scenario", id=dep),))
            )
    for req in c.requires:
        if not any(p in chosen for p in req.providers):
            what = Ref(kind="requirement", id=req.what_en, name_zh=req.what_zh, name_en=req.what_en)
            if not req.providers:
                return Excluded(id=c.id, reason="prerequisite", why=Reason(code="requires_unprovided", refs=(what,)))
            providers = tuple(Ref(kind="scenario", id=p) for p in req.providers)
            return Excluded(
                id=c.id, reason="prerequisite", why=Reason(code="requires_provider", refs=(what, *providers))
            )
    for a, b in problem.exclusive:
        other = b if a == c.id else a if b == c.id else None
        if other is not None and other in chosen:
            return Excluded(
                id=c.id, reason="alternative", why=Reason(code="alternative", refs=(Ref(kind="scenario", id=other),))
            )
    for policy, cap in problem.policy_caps.items():
        if c.subsidies.get(policy):
            used = sum(by_id[i].subsidies.get(policy, 0.0) for i in chosen)
            if used + c.subsidies[policy] > cap + 1e-6:
                return Excluded(
                    id=c.id,
                    reason="subsidy_cap",
                    why=Reason(code="subsidy_cap", refs=(Ref(kind="policy", id=policy),), values={"cap": cap}),
                )
    earliest = 0
    for dep in c.after:
        earliest = max(earliest, chosen[dep] + by_id[dep].duration_quarters)
    later = [t for t in starts if t >= earliest]
    best_alone = max(
        (
            -cost_pv(c, t, horizon, s.discount_rate)
            + benefit_pv(c.annual_benefit, t + c.duration_quarters, horizon, s.discount_rate)
            for t in later
        ),
        default=float("-inf"),
    )
    if best_alone <= 0:
        return Excluded(id=c.id, reason="value", why=Reason(code="no_payback"))
    budget_blocked = capacity_blocked = 0
    years = -(-horizon // 4)
    spent = [sum(spend_q[4 * y : min(horizon, 4 * y + 4)]) for y in range(years)]
    for t in later:
        extra = spend_by_year(c, t, horizon)
        over_budget = any(spent[y] + extra[y] > s.yearly_budget + 1e-6 for y in range(years))
        over_capacity = any(busy[q] + 1 > s.capacity for q in range(t, t + c.duration_quarters))
        budget_blocked += over_budget
        capacity_blocked += over_capacity and not over_budget
        if not over_budget and not over_capacity:
            return Excluded(id=c.id, reason="value", why=Reason(code="small_increment"))
    if budget_blocked >= capacity_blocked:
        return Excluded(id=c.id, reason="budget", why=Reason(code="budget", values={"budget": s.yearly_budget}))
    return Excluded(id=c.id, reason="capacity", why=Reason(code="capacity", values={"capacity": s.capacity}))
