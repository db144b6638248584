"""Why a candidate left out does not pay back, with the lifts counted (issue 13).

A candidate's chance of success rises once a foundation that raises a maturity it falls short on has gone live
before it starts (``roadmap.Lift``, engine/roadmap_lifts.py); the optimiser counts that rise. The reason a candidate
is left out for its value is judged the same way:

- with the lifts the chosen plan's foundations meet, at each start it could take;
- if it still does not pay back: with every lift, each met by the provider that can go live first (one in the plan
  at its go-live there, any other started as soon as what it waits for allows), and counted only from starts after
  that. When that pays back, the
  reason is ``pays_after``: it pays back only after those foundations, named with the chance it would then count;
  when it does not, ``no_payback`` (with the lifted chance, ``no_payback_lifted``, when it has lifts).

The providers named are the fewest lifts that still make it pay (dropping the smallest lift first while it still
pays), one provider per lift: the one in the plan, else the one live soonest, then the cheapest.
"""

from __future__ import annotations

from collections.abc import Sequence

from wendao.engine.reasons import Reason, Ref
from wendao.engine.roadmap_cashflow import benefit_pv, cost_pv, lift_pv
from wendao.engine.roadmap_types import Candidate, Problem
from wendao.engine.stages import scenario_of

# a rise in the chance of success smaller than this is not named in a "does not pay back even after …" reason
MIN_NAMED_LIFT = 0.05


def value_at(c: Candidate, t: int, met: Sequence[int], problem: Problem, own: Sequence[float] | None = None) -> float:
    """The candidate's own risk-adjusted NPV started in ``t`` with lifts ``met`` (万元, at the discount rate).
    ``own``: its value without lifts at each start at the discount rate when already worked out (``StartRow.value``
    of a start table at that rate: the same float as ``benefit_pv - cost_pv``)."""
    s = problem.settings
    h, rate = s.horizon_quarters, s.discount_rate
    live = t + c.duration_quarters
    base = own[t] if own is not None else -cost_pv(c, t, h, rate) + benefit_pv(c.annual_benefit, live, h, rate)
    return base + sum(lift_pv(c.lifts[k], live, h, rate) for k in met)


def best_value(
    c: Candidate,
    starts: Sequence[int],
    chosen: dict[str, int],
    by_id: dict[str, Candidate],
    problem: Problem,
    own: Sequence[float] | None = None,
) -> float:
    """Its best own NPV over ``starts``, with the lifts the chosen plan's foundations meet at each (``own``: as in
    ``value_at``)."""
    if own is not None and not c.lifts:  # value_at without lifts is its own value
        return max((own[t] for t in starts), default=float("-inf"))
    # lift k is met from the quarter its first provider in the plan has gone live (``lifts_met`` at every start)
    met_from = [
        min((chosen[p] + by_id[p].duration_quarters for p in lift.providers if p in chosen and p in by_id), default=None)
        for lift in c.lifts
    ]
    return max(
        (value_at(c, t, [k for k, q in enumerate(met_from) if q is not None and q <= t], problem, own) for t in starts),
        default=float("-inf"),
    )


def _ready(p: str, chosen: dict[str, int], by_id: dict[str, Candidate], seen: frozenset[str] = frozenset()) -> int:
    """The quarter candidate ``p`` can be live by: its go-live in the plan, else started as soon as what it must wait
    for (its ``after`` and one provider of each requirement, each as soon as it can be live) has gone live."""
    pc = by_id[p]
    if p in chosen:
        return chosen[p] + pc.duration_quarters
    if p in seen:  # a cycle cannot be met
        return 10**6
    inner = seen | {p}
    start = 0
    for dep in pc.after:
        start = max(start, _ready(dep, chosen, by_id, inner) if dep in by_id else 10**6)
    for req in pc.requires:
        start = max(start, min((_ready(q, chosen, by_id, inner) for q in req.providers if q in by_id), default=10**6))
    return start + pc.duration_quarters


def _provider(
    lift_providers: Sequence[str], chosen: dict[str, int], by_id: dict[str, Candidate], horizon: int
) -> tuple[str, int] | None:
    """The provider of a lift that can be live soonest, and when: one in the plan at its go-live there, else the one
    live soonest when started as early as what it waits for allows (then the cheapest)."""
    options = []
    for p in dict.fromkeys(lift_providers):
        if p not in by_id:
            continue
        ready = _ready(p, chosen, by_id)
        if ready <= horizon:
            options.append((p not in chosen, ready, by_id[p].net_one_off, p))
    if not options:
        return None
    _, ready, _, p = min(options)
    return p, ready


def value_reason(
    problem: Problem,
    c: Candidate,
    starts: Sequence[int],
    chosen: dict[str, int],
    by_id: dict[str, Candidate],
    own: Sequence[float] | None = None,
) -> Reason:
    """The reason of a candidate that does not pay back with the lifts the plan's foundations meet (``starts``: the
    starts it could take after what it must wait for; ``own``: as in ``value_at``)."""
    horizon = problem.settings.horizon_quarters
    ready: dict[int, tuple[str, int]] = {}  # lift -> (provider, the quarter it can be live by)
    for k, lift in enumerate(c.lifts):
        hit = _provider(lift.providers, chosen, by_id, horizon)
        if hit is not None:
            ready[k] = hit
    if not ready:
        return Reason(code="no_payback")

    # value_at's terms, each worked out once when first needed: ``pays`` is asked again for every lift it tries to drop
    s = problem.settings
    h, rate = s.horizon_quarters, s.discount_rate
    base: dict[int, float] = {}
    lifted: dict[tuple[int, int], float] = {}

    def lift_at(k: int, t: int) -> float:
        if (k, t) not in lifted:
            lifted[k, t] = lift_pv(c.lifts[k], t + c.duration_quarters, h, rate)
        return lifted[k, t]

    def value(t: int, lifts: Sequence[int]) -> float:  # value_at(c, t, the lifts ready by t, problem, own)
        if t not in base:
            base[t] = value_at(c, t, [], problem, own)
        return base[t] + sum(lift_at(k, t) for k in lifts if ready[k][1] <= t)

    def pays(lifts: Sequence[int]) -> bool:
        return any(value(t, lifts) > 0 for t in starts)

    needed = sorted(ready)
    if pays(needed):
        # the fewest lifts that still pay: drop the smallest first while it pays without it
        for k in sorted(needed, key=lambda k: (c.lifts[k].chance, sum(c.lifts[k].benefits.values()), k)):
            fewer = [x for x in needed if x != k]
            if fewer and pays(fewer):
                needed = fewer
        code = "pays_after"
    elif c.chance is not None and sum(c.lifts[k].chance for k in needed) < MIN_NAMED_LIFT:
        # "即使在“产品精准营销”完成后实施（成功概率 0.8 → 0.81）也不能": true, and noise to an owner
        return Reason(code="no_payback")
    else:
        code = "no_payback_lifted"
    refs = tuple(Ref(kind="scenario", id=scenario_of(p)) for p in dict.fromkeys(ready[k][0] for k in needed))
    values: dict[str, int | float | str] = {}
    if c.chance is not None:
        values = {"chance": round(c.chance, 2), "lifted": round(c.chance + sum(c.lifts[k].chance for k in needed), 2)}
    else:
        code += "_plain"
    return Reason(code=code, refs=refs, values=values)
