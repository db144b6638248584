"""The roadmap's CP-SAT model, one function per constraint family: start variables, precedence, alternatives,
pins, subsidy caps, the yearly budget, capacity, the capped savings on each baseline figure and the pain-point
objective; then the solve. ``optimise_roadmap`` (engine/roadmap.py) prepares the candidates, their start options
and objective coefficients and calls ``solve_model``. Every family adds its rows in a fixed order, so the same
input builds the same model and gets the same answer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from wendao.engine.lean_imports import load_cp_model
from wendao.engine.roadmap_cashflow import RAMP_QUARTERS, StartRow, _limit_down, _limit_up, quarter_savings_cap
from wendao.engine.roadmap_types import Candidate, Problem

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


@lru_cache(maxsize=1)
def _lean_model_class() -> type[cp_model.CpModel]:
    """CpModel without the deprecated CamelCase aliases that ``CpModel.__init__`` attaches to every new model
    (about 0.5 ms of the engine's per-plan budget). Imported without pandas (engine/lean_imports.py)."""
    load_cp_model()
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


Status = Literal["OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN"]


@dataclass(slots=True, kw_only=True)
class Offer:
    """What the CP-SAT model is built from (``make_offer``): the candidates that can be chosen, each with its
    start options, the integer objective coefficient and the yearly spend (元, rounded up) of every start."""

    problem: Problem
    cands: list[Candidate]
    by_id: dict[str, Candidate]
    options: dict[str, list[int]]
    pinned: list[str]
    alternatives: _Alternatives
    binding: set[str]  # the baseline figures whose savings cap can bind
    factors: list[float]  # discount factor of each quarter at the objective's rate
    coef: dict[tuple[str, int], int] = field(default_factory=dict)  # candidate, start -> objective coefficient
    yearly: dict[tuple[str, int], list[int]] = field(default_factory=dict)  # candidate, start -> 元 per year
    budget: int = 0  # the yearly budget in 元, rounded down
    # candidate, lift, start -> the provider starts that go live by then (any one meets the lift); only where one can
    lifts: dict[tuple[str, int, int], list[tuple[str, int]]] = field(default_factory=dict)
    lift_coef: dict[tuple[str, int, int], int] = field(default_factory=dict)  # its objective coefficient
    # pinned candidate -> the latest start that costs no delay: none (its earliest offered start) for the rule
    # "as early as the constraints allow", the first year's last quarter for "in the first year" (roadmap.py)
    pin_due: dict[str, int] = field(default_factory=dict)
    # set by the solve (issue 13, fallbacks stated): the relative gap between the solver's best bound and the plan
    # it found, 0 when proven optimal, None when it found none
    gap: float | None = None


def make_offer(
    problem: Problem,
    cands: list[Candidate],
    options: dict[str, list[int]],
    table: dict[str, StartRow],
    pinned: list[str],
    factors: list[float],
) -> Offer:
    s = problem.settings
    horizon = s.horizon_quarters
    by_id = {c.id: c for c in cands}
    # savings on a baseline figure are capped only where the candidates together could exceed the cap
    # (each candidate counts once, whatever its start); elsewhere they simply add up
    alternatives = _Alternatives([(a, b) for a, b in problem.exclusive if a in by_id and b in by_id])
    binding = {
        b
        for b in {b for c in cands for b in _claims(c)}
        if (cap := problem.baseline_caps.get(b)) is not None
        and alternatives.most_together({c.id: _claims(c)[b] for c in cands if b in _claims(c)}) > cap
    }
    offer = Offer(
        problem=problem,
        cands=cands,
        by_id=by_id,
        options=options,
        pinned=pinned,
        alternatives=alternatives,
        binding=binding,
        factors=factors,
        budget=_limit_down(s.yearly_budget),
    )
    tail = [0.0] * (horizon + 1)  # tail[q] = sum of discount factors from quarter q to the horizon's end
    for q in range(horizon - 1, -1, -1):
        tail[q] = tail[q + 1] + factors[q]
    for c in cands:
        row = table[c.id]
        free = sum(v for b, v in c.benefits.items() if b not in binding)
        for t in options[c.id]:
            go_live = t + c.duration_quarters
            # integer objective: money units weighted by discount factors (scaled), one coefficient per start
            offer.coef[c.id, t] = round(
                FACTOR_SCALE * UNIT * GAIN_SCALE * (free / 4 * tail[min(horizon, go_live)] - row.cost[t])
            )
            offer.yearly[c.id, t] = row.yearly[t]
    _lift_offer(offer, tail)
    return offer


def _claims(c: Candidate) -> dict[str, float]:
    """The most a candidate can save a year on each baseline figure: its own savings and every lift's."""
    if not c.lifts:
        return c.benefits
    out = dict(c.benefits)
    for lift in c.lifts:
        for b, v in lift.benefits.items():
            out[b] = out.get(b, 0.0) + v
    return out


def _lift_offer(offer: Offer, tail: list[float]) -> None:
    """The lifts that can be met (issue 13): for each candidate, lift and start, the provider starts that go live by
    then, and the objective coefficient of the lift's savings on figures whose cap cannot bind (discounted, the
    first four quarters live at the lift's ramp share)."""
    horizon = offer.problem.settings.horizon_quarters
    by_id, options = offer.by_id, offer.options
    for c in offer.cands:
        for k, lift in enumerate(c.lifts):
            providers = [p for p in dict.fromkeys(lift.providers) if p in by_id and p != c.id]
            if not providers:
                continue
            free = sum(v for b, v in lift.benefits.items() if b not in offer.binding)
            for t in options[c.id]:
                done = [(p, s) for p in providers for s in options[p] if s + by_id[p].duration_quarters <= t]
                if not done:
                    continue
                offer.lifts[c.id, k, t] = done
                live = min(horizon, t + c.duration_quarters)
                ramped = min(horizon, t + c.duration_quarters + RAMP_QUARTERS)
                weight = lift.ramp_first_year * (tail[live] - tail[ramped]) + tail[ramped]
                offer.lift_coef[c.id, k, t] = round(FACTOR_SCALE * UNIT * GAIN_SCALE * free / 4 * weight)


@dataclass(slots=True)
class _Variables:
    x: dict[tuple[str, int], int]  # candidate, start quarter -> variable index
    present: dict[str, int]  # candidate -> "it is in the plan"
    building: list[list[int]]  # who is being built in quarter q
    z: dict[tuple[str, int, int], int] = field(default_factory=dict)  # candidate, lift, start -> "the lift is met"


def solve_model(offer: Offer) -> tuple[Status, dict[str, int]]:
    """Build the CP-SAT model of ``offer`` and solve it: the status and the chosen start of each candidate."""
    m = _Model()
    v = _start_variables(m, offer)
    _precedence(m, offer, v)
    _alternative_pairs(m, offer, v)
    _sequenced_pairs(m, offer, v)
    _pins(m, offer, v)
    _subsidy_caps(m, offer, v)
    _yearly_budget(m, offer, v)
    _capacity(m, offer, v)
    _lifts(m, offer, v)
    # the capped savings add variables and move the savings of quarters where no cap binds into coef
    gains, gain_coefs, gain_range = _capped_savings(m, offer, v)
    npv_range = _npv_range(offer, gain_range)
    delay, most_delay = _pins_early(offer, npv_range)
    obj_vars = [v.x[k] for k in v.x] + [v.z[k] for k in v.z] + gains
    obj_coefs = [offer.coef[k] - delay.get(k, 0) for k in v.x] + [offer.lift_coef[k] for k in v.z] + gain_coefs
    if offer.problem.settings.objective == "pain_points":
        # one more covered pain point outweighs any difference in the pins' delay and the NPV together
        _pain_points_first(m, offer, v, npv_range * (most_delay + 1), obj_vars, obj_coefs)
    m.maximize(obj_vars, _within_objective_limit(m, obj_vars, obj_coefs))
    return _solve(m, offer, v)


def _start_variables(m: _Model, offer: Offer) -> _Variables:
    v = _Variables({}, {}, [[] for _ in range(offer.problem.settings.horizon_quarters)])
    for c in offer.cands:
        ts = offer.options[c.id]
        for t in ts:
            var = v.x[c.id, t] = m.var()
            for q in range(t, t + c.duration_quarters):
                v.building[q].append(var)
        if len(ts) == 1:
            v.present[c.id] = v.x[c.id, ts[0]]
        else:
            v.present[c.id] = m.var()
            m.row([*((v.x[c.id, t], 1) for t in ts), (v.present[c.id], -1)], 0, 0)
    return v


def _precedence(m: _Model, offer: Offer, v: _Variables) -> None:
    """Precedence, time-indexed: "started by quarter q" never exceeds "a provider finished by quarter q". The
    same feasible plans as "start >= provider's end", with a far tighter LP relaxation than a big-M row."""
    x, options, by_id = v.x, offer.options, offer.by_id
    # each candidate's starts as (finish quarter, variable), by finish; "finished by q" is a prefix of it
    finishing = {c.id: [(t + c.duration_quarters, x[c.id, t]) for t in options[c.id]] for c in offer.cands}

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

    for c in offer.cands:
        for dep in c.after:
            if dep not in by_id:
                m.fix_zero(v.present[c.id])
                continue
            _needs_one_of(c.id, [dep])
        for req in c.requires:
            providers = [p for p in req.providers if p in by_id and p != c.id]
            if not providers:
                m.fix_zero(v.present[c.id])
                continue
            _needs_one_of(c.id, providers)


def _alternative_pairs(m: _Model, offer: Offer, v: _Variables) -> None:
    """Of two alternatives, at most one is chosen."""
    for a, b in offer.problem.exclusive:
        if a in v.present and b in v.present:
            m.at_most([(v.present[a], 1), (v.present[b], 1)], 1)


def _sequenced_pairs(m: _Model, offer: Offer, v: _Variables) -> None:
    """Of a sequenced pair (first, second) both in the plan, the second starts only once the first has finished;
    either alone is free. Time-indexed: started(second, by q) − finished(first, by q) + present(first) ≤ 1."""
    x, options, by_id = v.x, offer.options, offer.by_id
    for a, b in offer.problem.sequenced:
        if a not in v.present or b not in v.present:
            continue
        done_by = sorted((t + by_id[a].duration_quarters, x[a, t]) for t in options[a])
        started: list[tuple[int, int]] = []
        done: list[tuple[int, int]] = []
        k = 0
        for q in options[b]:  # ascending
            started.append((x[b, q], 1))
            while k < len(done_by) and done_by[k][0] <= q:
                done.append((done_by[k][1], -1))
                k += 1
            terms: dict[int, int] = {}
            for var, coef in [*started, *done, (v.present[a], 1)]:
                terms[var] = terms.get(var, 0) + coef
            m.at_most([(var, coef) for var, coef in terms.items() if coef], 1)


def _pins(m: _Model, offer: Offer, v: _Variables) -> None:
    """A pinned candidate is in the plan."""
    for p in offer.pinned:
        m.row([(v.present[p], 1)], 1, 1)


def _subsidy_caps(m: _Model, offer: Offer, v: _Variables) -> None:
    """The counted subsidies of one policy across the chosen items stay within its cap (in 元, rounded against)."""
    for policy, cap in offer.problem.policy_caps.items():
        terms = [
            (v.present[c.id], _limit_up(c.subsidies[policy]))
            for c in offer.cands
            if c.subsidies.get(policy) and c.id in v.present
        ]
        if terms and sum(t for _, t in terms) > _limit_down(cap):
            m.at_most(terms, _limit_down(cap))


def _yearly_budget(m: _Model, offer: Offer, v: _Variables) -> None:
    """In every year, the chosen starts' net spend (元, rounded up) stays within the budget (元, rounded down)."""
    years = -(-offer.problem.settings.horizon_quarters // 4)
    keys = list(v.x)
    for y in range(years):
        spend = [(v.x[k], offer.yearly[k][y]) for k in keys if offer.yearly[k][y] > 0]
        if sum(t for _, t in spend) > offer.budget:
            m.at_most(spend, offer.budget)


def _capacity(m: _Model, offer: Offer, v: _Variables) -> None:
    """At most ``capacity`` projects are being built in any quarter."""
    capacity = offer.problem.settings.capacity
    for active in v.building:
        if len(active) > capacity:
            m.at_most([(var, 1) for var in active], capacity)


def _lifts(m: _Model, offer: Offer, v: _Variables) -> None:
    """A lift of candidate X started in t counts only when X starts in t and one of the lift's providers has gone
    live by t: z <= x[X, t] and z <= the providers' starts that finish by t. Its savings are never negative (the
    ramp delays them, it costs nothing), so the solver takes every lift it meets: the objective is the schedule's
    value (``plan_value``) without rows that force z up."""
    # "p has finished by quarter q", once per provider and quarter and chained (f[p, q] = f[p, q-1] + x[p, q-d]),
    # so each lift's row names its providers, not every start of every provider
    finished: dict[tuple[str, int], int] = {}

    def finished_by(p: str, q: int) -> int | None:
        if (p, q) in finished:
            return finished[p, q]
        d = offer.by_id[p].duration_quarters
        if q - d < offer.options[p][0]:
            return None
        before = finished_by(p, q - 1)
        start = v.x.get((p, q - d))
        f = finished[p, q] = m.var()
        terms = [(f, 1)]
        if before is not None:
            terms.append((before, -1))
        if start is not None:
            terms.append((start, -1))
        m.row(terms, 0, 0)
        return f

    for key, done in offer.lifts.items():
        cid, _k, t = key
        z = v.z[key] = m.var()
        m.at_most([(z, 1), (v.x[cid, t], -1)], 0)
        providers = dict.fromkeys(p for p, _s in done)
        flags = [f for p in providers if (f := finished_by(p, t)) is not None]
        m.at_most([(z, 1), *((f, -1) for f in flags)], 0)


def _capped_savings(m: _Model, offer: Offer, v: _Variables) -> tuple[list[int], list[int], int]:
    """The savings on each figure whose cap can bind, quarter by quarter: a gain variable at most the live
    savings and the quarter's cap, where the cap can bind in that quarter; elsewhere the savings go straight into
    the starts' coefficients (``offer.coef``). Returns the gain variables, their objective weights and the most
    they can add to the objective."""
    problem, by_id = offer.problem, offer.by_id
    # every variable that saves on a figure once live: a start (its own savings) or a met lift (the lift's, from
    # go-live at its ramp share and the rest four quarters later); each with the objective coefficient it adds to
    coefs: dict[int, dict[Any, int]] = {}
    sources: list[tuple[str, Any, int, str, int, float]] = []  # candidate, source, var, figure, from quarter, 万元/yr
    for (cid, t), var in v.x.items():
        c = by_id[cid]
        for b, annual in c.benefits.items():
            sources.append((cid, "own", var, b, t + c.duration_quarters, annual))
    for (cid, k, t), var in v.z.items():
        c = by_id[cid]
        lift = c.lifts[k]
        go_live = t + c.duration_quarters
        for b, annual in lift.benefits.items():
            sources.append((cid, (k, 0), var, b, go_live, annual * lift.ramp_first_year))
            sources.append((cid, (k, 1), var, b, go_live + RAMP_QUARTERS, annual * (1.0 - lift.ramp_first_year)))
    gains: list[int] = []
    gain_coefs: list[int] = []
    gain_range = 0  # the most the capped savings variables can add to the objective
    for b in sorted(offer.binding):
        cap = quarter_savings_cap(problem, b)
        assert cap is not None  # only figures with a cap can bind
        cap_q = round(cap * UNIT * GAIN_SCALE)
        # the variables with savings on b, by the quarter they start saving: live in quarter q = from q or before
        entries = sorted(
            (
                (first, round(annual / 4 * UNIT * GAIN_SCALE), cid, source, var)
                for cid, source, var, fig, first, annual in sources
                if fig == b and (source == "own" or annual > 0)
            ),
            key=lambda e: e[0],
        )
        live: list[tuple[int, int]] = []
        # each candidate counts once, whichever of its starts is chosen: its own savings and each lift phase
        parts: dict[str, dict[Any, int]] = {}
        claims: dict[str, int] = {}
        k = 0
        for q in range(problem.settings.horizon_quarters):
            while k < len(entries) and entries[k][0] <= q:
                _, value, cid, source, var = entries[k]
                live.append((value, var))
                parts.setdefault(cid, {})[source] = value
                claims[cid] = sum(parts[cid].values())
                k += 1
            if not live:
                continue
            weight = round(FACTOR_SCALE * offer.factors[q])
            if offer.alternatives.most_together(claims) <= cap_q:
                # the cap cannot bind in this quarter: the savings simply add up (the same integer objective
                # as a gain variable, without the variable)
                for value, var in live:
                    coefs.setdefault(var, {})[q] = coefs.get(var, {}).get(q, 0) + weight * value
                continue
            most = min(int(offer.alternatives.most_together(claims)), cap_q)
            gain = m.var(most)
            gain_range += weight * most
            m.at_most([(gain, 1), *_summed((var, -value) for value, var in live)], 0)
            gains.append(gain)
            gain_coefs.append(weight)
    # the uncapped quarters' savings go into the starts' and lifts' coefficients
    var_key: dict[int, Any] = {var: ("x", key) for key, var in v.x.items()}
    var_key.update({var: ("z", key) for key, var in v.z.items()})
    for var, by_q in coefs.items():
        kind, key = var_key[var]
        target = offer.coef if kind == "x" else offer.lift_coef
        target[key] += sum(by_q.values())
    return gains, gain_coefs, gain_range


def _summed(terms: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Terms with each variable once (a lift's two ramp phases are one variable)."""
    out: dict[int, int] = {}
    for var, c in terms:
        out[var] = out.get(var, 0) + c
    return list(out.items())


def _npv_range(offer: Offer, gain_range: int) -> int:
    """More than any difference in the NPV term of the objective between two plans: every plan's NPV term lies
    within +-(the largest |coefficient| of each candidate, summed) plus what the capped savings can add."""
    spread: dict[Any, int] = {}
    for (cid, _t), value in offer.coef.items():
        spread[cid] = max(spread.get(cid, 0), abs(value))
    for (cid, k, _t), value in offer.lift_coef.items():
        spread[cid, k] = max(spread.get((cid, k), 0), abs(value))
    return 2 * sum(spread.values()) + gain_range + 1


def _pins_early(offer: Offer, npv_range: int) -> tuple[dict[tuple[str, int], int], int]:
    """A pinned candidate (the enterprise's choice or a project its goal names) starts as early as the
    constraints allow (issue 13): without this the NPV objective put a pinned project that does not pay back at
    the end of the horizon, its cost discounted most (Zibo's goal-pinned knowledge base in year 3 Q3). Each
    quarter of a pinned start after its earliest option costs ``npv_range`` in the objective, more than any
    difference in NPV: the solver first makes the pinned starts' total delay as small as it can be, then
    maximises NPV among the plans that reach it. Returns the penalty of each delayed pinned start and the
    largest total delay. Under the first-year rule (``Offer.pin_due``) only the quarters after the first year count
    as delay: the pinned start is then the NPV-best one within the first year."""
    delay: dict[tuple[str, int], int] = {}
    most = 0
    for p in offer.pinned:
        ts = offer.options[p]
        due = offer.pin_due.get(p, ts[0])
        for t in ts:
            if t > due:
                delay[p, t] = npv_range * (t - due)
        most += max(0, ts[-1] - due)
    return delay, most


def _pain_points_first(
    m: _Model, offer: Offer, v: _Variables, big: int, obj_vars: list[int], obj_coefs: list[int]
) -> None:
    """Under the pain-point objective, one covered-point variable per stated pain point, each worth ``big``: more
    than any difference in the rest of the objective between two plans (appended to the objective)."""
    cands = offer.cands
    points = sorted({k for c in cands for k in c.pain_points})
    for k in points:
        ck = m.var()
        m.at_most([(ck, 1), *((v.present[c.id], -1) for c in cands if k in c.pain_points and c.id in v.present)], 0)
        obj_vars.append(ck)
        obj_coefs.append(big)


def _solve(m: _Model, offer: Offer, v: _Variables) -> tuple[Status, dict[str, int]]:
    from ortools.sat.python import cp_model

    s = offer.problem.settings
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
    offer.gap = None
    if status in ("OPTIMAL", "FEASIBLE"):
        found, bound = solver.objective_value, solver.best_objective_bound
        offer.gap = 0.0 if status == "OPTIMAL" else round(max(0.0, bound - found) / max(1.0, abs(bound)), 4)
        solution = solver.response_proto.solution
        chosen = {cid: t for (cid, t), var in v.x.items() if solution[var]}
    return status, chosen  # type: ignore[return-value]


def _within_objective_limit(m: _Model, variables: Sequence[int], coefs: list[int]) -> list[int]:
    """The objective coefficients, divided by a common factor when the objective's range (each coefficient
    times its variable's upper bound) exceeds OBJECTIVE_LIMIT. Such amounts are hundreds of billions of 万元,
    so rounding them to a coarser unit changes no choice worth making; smaller ones are left exactly as they are."""
    reach = sum(abs(c) * m.variables[v].domain[1] for v, c in zip(variables, coefs, strict=True))  # domains: [0, upper]
    if reach <= OBJECTIVE_LIMIT:
        return coefs
    divisor = -(-reach // OBJECTIVE_LIMIT)
    return [round(c / divisor) for c in coefs]
