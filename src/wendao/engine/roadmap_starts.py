"""What the roadmap's solver is offered, and when it need not run: the candidates that can be part of an optimal
plan, the start quarters worth offering each, and the shortcut that takes every candidate at its own best start
when that plan meets every constraint (then no plan is worth more)."""

from __future__ import annotations

from collections.abc import Sequence

from wendao.engine.roadmap_cashflow import StartRow, _limit_down, _limit_up, start_table
from wendao.engine.roadmap_types import Candidate, Problem


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
        if max(table[cid].upper) > 0 or (s.objective == "pain_points" and c.pain_points) or cid in problem.pinned
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
    """What c needs first, and the foundations that raise its chance once live before it (its lifts)."""
    return [*c.after, *(p for r in c.requires for p in r.providers), *(p for lift in c.lifts for p in lift.providers)]


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
            for t, value, spend in zip(row.starts, row.upper, row.yearly, strict=False)
            if max(spend) <= budget and not (need_value and value <= 0)
        ]
    by_id = {c.id: c for c in cands}
    # what each candidate needs: groups of providers, any one of which must finish before it starts
    needs = {c.id: [[d] for d in c.after] + [[p for p in r.providers if p != c.id] for r in c.requires] for c in cands}
    dependants: dict[str, list[str]] = {}
    for cid, groups in needs.items():
        lifters = {p for lift in by_id[cid].lifts for p in lift.providers}
        for p in sorted({p for group in groups for p in group} | lifters):
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
            # nothing (and lifts nothing): removing it from a plan keeps the plan feasible and loses no value
            latest = max((out[u][-1] for u in dependants.get(c.id, ()) if out[u]), default=-1)
            value = table[c.id].upper
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


def _best_alone(
    cands: Sequence[Candidate],
    options: dict[str, list[int]],
    coef: dict[tuple[str, int], int],
    pinned: Sequence[str] = (),
    due: dict[str, int] | None = None,
) -> dict[str, int]:
    """The optimum of the relaxation that keeps only "at most one start per candidate" (and "a pinned
    candidate has one, as early as it can be"): every pinned candidate at its best start without delay (its
    earliest, or under the first-year rule its best up to ``due``), every other at
    its best start (the earliest among equals), or left out when no start has a positive coefficient. With a
    separable objective (no capped savings, no pain points) no plan is worth more."""
    chosen: dict[str, int] = {}
    for c in cands:
        if c.id in pinned:  # pinned starts first make their delay least (roadmap_model._pins_early)
            ts = options[c.id]
            last = max(ts[0], (due or {}).get(c.id, ts[0]))  # the latest start without delay
            chosen[c.id] = max((t for t in ts if t <= last), key=lambda t: (coef[c.id, t], -t))
            continue
        best = 0
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
    if any(
        a in chosen and b in chosen and chosen[b] < chosen[a] + by_id[a].duration_quarters for a, b in problem.sequenced
    ):
        return False
    for policy, cap in problem.policy_caps.items():
        used = sum(_limit_up(by_id[cid].subsidies[policy]) for cid in chosen if by_id[cid].subsidies.get(policy))
        if used > _limit_down(cap):
            return False
    return True
