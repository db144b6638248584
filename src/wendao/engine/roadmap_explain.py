"""The roadmap's result as a reader gets it: the scheduled items with their money, the spend per year, and for
every candidate left out the binding reason, judged against the chosen plan (a structured ``Reason``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Literal

from wendao.engine.reasons import Reason, Ref
from wendao.engine.roadmap_cashflow import (
    StartRow,
    _limit_down,
    _limit_up,
    benefit_pv,
    cost_pv,
    lift_pv,
    lifts_met,
    objective_rate,
    plan_value,
    spend_by_quarter,
    valid_starts,
    window_pv,
    yearly_spend_units,
)
from wendao.engine.roadmap_payback import best_value, value_reason
from wendao.engine.roadmap_types import Candidate, Excluded, PinTiming, Problem, Roadmap, Scheduled, Settings
from wendao.engine.scenarios import money_en


def _result(
    problem: Problem,
    status: Literal["OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN", "EMPTY"],
    chosen: dict[str, int],
    seconds: float,
    table: Mapping[str, StartRow] | None = None,
    explain: bool = True,
    worth_explaining: Callable[[str, Mapping[str, int]], bool] | None = None,
) -> Roadmap:
    """The roadmap of the chosen starts, with the reason every other candidate is left out (``explain``; without
    it, none: ``explained`` adds them). ``table``: the start table of the problem's candidates when already worked
    out (``start_table``); it spares the explanations the same arithmetic. ``worth_explaining(candidate, chosen)``:
    whether a candidate left out gets its reason (default: every one); a candidate's reason depends only on the
    chosen plan, never on another's reason, so the ones given are the same either way."""
    s = problem.settings
    horizon = s.horizon_quarters
    years = -(-horizon // 4)
    by_id = {c.id: c for c in problem.candidates}
    spend_q = [0.0] * horizon
    spent = [0] * years  # what the chosen items count against each year's budget (元, as the model counts)
    busy = [0] * horizon
    items = []
    for cid, t in sorted(chosen.items(), key=lambda kv: (kv[1], kv[0])):
        c = by_id[cid]
        for q, v in enumerate(spend_by_quarter(c, t, horizon)):
            spend_q[q] += v
        for y, units in enumerate(yearly_spend_units(c, t, horizon)):
            spent[y] += units
        for q in range(t, t + c.duration_quarters):
            busy[q] += 1
        # the reported NPV leaves the windows' amounts out: the who-pays view counts them (module docstring)
        own = (
            -cost_pv(c, t, horizon, s.discount_rate)
            - window_pv(c, t, s.discount_rate)
            + benefit_pv(c.annual_benefit, t + c.duration_quarters, horizon, s.discount_rate)
        )
        # the lifts its foundations met (they went live before it started) add their savings, uncapped like its own
        lifted = lifts_met(c, t, chosen, by_id) if c.lifts else []
        own += sum(lift_pv(c.lifts[k], t + c.duration_quarters, horizon, s.discount_rate) for k in lifted)
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
                lifts_met=lifted,
            )
        )
    spend_y = [round(sum(spend_q[4 * y : 4 * y + 4]), 2) for y in range(years)]
    excluded = [
        explain_exclusion(problem, c, chosen, spent, busy, by_id, table.get(c.id) if table is not None else None)
        for c in problem.candidates
        if explain and c.id not in chosen and (worth_explaining is None or worth_explaining(c.id, chosen))
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


def explained(
    roadmap: Roadmap,
    problem: Problem,
    table: Mapping[str, StartRow] | None = None,
    worth_explaining: Callable[[str, Mapping[str, int]], bool] | None = None,
) -> Roadmap:
    """A roadmap solved without explanations (``optimise_roadmap(problem, explain=False)``) as it would have been
    solved with them: the same value worked out again from its starts, with the reason every other candidate is
    left out (``worth_explaining``: as in ``_result``). For a caller that solves several variants of a problem and
    keeps one."""
    chosen = {it.id: it.start_quarter for it in roadmap.items}
    result = _result(problem, roadmap.status, chosen, roadmap.solve_seconds, table, True, worth_explaining)
    result.pin_timing, result.solves, result.fallbacks = roadmap.pin_timing, roadmap.solves, roadmap.fallbacks
    return result


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
    spent: Sequence[int],
    busy: Sequence[int],
    by_id: dict[str, Candidate] | None = None,
    row: StartRow | None = None,
) -> Excluded:
    """The binding reason a candidate is not in the chosen plan, judged against that plan: ``spent`` is what the
    plan counts against each year's budget (元, ``yearly_spend_units`` summed), ``busy`` the projects being built
    in each quarter. Budgets and subsidy caps are judged in the units the model counts them in. ``row``: the
    candidate's row of the problem's start table, when already worked out (its values are used when they are at
    the discount rate, its budget units always: they are the same numbers)."""
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
            used = sum(_limit_up(by_id[i].subsidies[policy]) for i in chosen if by_id[i].subsidies.get(policy))
            if used + _limit_up(c.subsidies[policy]) > _limit_down(cap):
                return Excluded(
                    id=c.id,
                    reason="subsidy_cap",
                    why=Reason(code="subsidy_cap", refs=(Ref(kind="policy", id=policy),), values={"cap": cap}),
                )
    earliest = 0
    for dep in c.after:
        earliest = max(earliest, chosen[dep] + by_id[dep].duration_quarters)
    later = [t for t in starts if t >= earliest]
    own = row.value if row is not None and objective_rate(s) == s.discount_rate else None
    # its own value with the lifts the plan's foundations meet, as the optimiser counts it (engine/roadmap_payback.py)
    if best_value(c, later, chosen, by_id, problem, own) <= 0:
        return Excluded(id=c.id, reason="value", why=value_reason(problem, c, later, chosen, by_id, own))
    budget_blocked = capacity_blocked = 0
    budget = _limit_down(s.yearly_budget)
    for t in later:
        extra = row.yearly[t] if row is not None else yearly_spend_units(c, t, horizon)
        over_budget = any(spent[y] + extra[y] > budget for y in range(len(extra)))
        over_capacity = any(busy[q] + 1 > s.capacity for q in range(t, t + c.duration_quarters))
        budget_blocked += over_budget
        capacity_blocked += over_capacity and not over_budget
        if not over_budget and not over_capacity:
            return Excluded(id=c.id, reason="value", why=Reason(code="small_increment"))
    if budget_blocked >= capacity_blocked:
        return Excluded(id=c.id, reason="budget", why=Reason(code="budget", values={"budget": s.yearly_budget}))
    return Excluded(id=c.id, reason="capacity", why=Reason(code="capacity", values={"capacity": s.capacity}))


def _quarter(q: int, zh: bool) -> str:
    year, quarter = divmod(q, 4)
    return f"第{year + 1}年Q{quarter + 1}" if zh else f"Y{year + 1} Q{quarter + 1}"


def pin_timing_note(timing: PinTiming, names: Mapping[str, tuple[str, str]]) -> tuple[str, str]:
    """The pin rule as the plan states it (zh, en): when the pinned projects start and what that costs."""
    cost = round(max(0.0, timing.cost_of_earliest), 1)
    share = f"{timing.tolerance:.0%}"

    def starts(which: dict[str, int], zh: bool) -> str:
        sep = "、" if zh else ", "
        return sep.join(
            f"{names.get(p, (p, p))[0 if zh else 1]}（{_quarter(t, True)}）"
            if zh
            else f"{names.get(p, (p, p))[1]} ({_quarter(t, False)})"
            for p, t in which.items()
        )

    moved = round(max(0.0, timing.displaced), 1)
    if timing.rule == "earliest":
        if cost >= 0.05 and moved < 0.05:  # only its own cost paid sooner: no other project moves
            return (
                f"固定纳入的项目按约束允许的最早季度启动：{starts(timing.starts, True)}；在第一年内晚些启动"
                f"（{starts(timing.starts_first_year, True)}）只是晚付它自己的费用（风险调整净现值相差 {cost:,.1f} 万元），"
                "不推迟其他项目，不作为推迟的理由。",
                f"The pinned projects start as early as the constraints allow: {starts(timing.starts, False)}; "
                f"starting later in the first year ({starts(timing.starts_first_year, False)}) would only pay for "
                f"them later ({money_en(cost)} of risk-adjusted NPV) and moves no other project, which is no reason "
                "to wait.",
            )
        if cost < 0.05:
            return (
                f"固定纳入的项目按约束允许的最早季度启动：{starts(timing.starts, True)}；这不减少净现值。",
                f"The pinned projects start as early as the constraints allow: {starts(timing.starts, False)}; this "
                "costs no NPV.",
            )
        return (
            f"固定纳入的项目按约束允许的最早季度启动：{starts(timing.starts, True)}；与第一年内净现值最优的启动时间"
            f"（{starts(timing.starts_first_year, True)}）相比，风险调整净现值减少 {cost:,.1f} 万元，其中因其他项目推迟而"
            f"减少 {moved:,.1f} 万元，未超过规划净现值的 {share}（项目自身晚做省下的费用不作为推迟的理由）。",
            f"The pinned projects start as early as the constraints allow: {starts(timing.starts, False)}; against "
            f"their NPV-best start in the first year ({starts(timing.starts_first_year, False)}) this lowers the "
            f"risk-adjusted NPV by {money_en(cost)}, of which {money_en(moved)} because other projects move later, "
            f"within {share} of the plan's NPV (what a pinned project saves by paying for itself later is no reason "
            "to wait).",
        )
    return (
        f"固定纳入的项目若立即启动（{starts(timing.starts_earliest, True)}），其他项目将因此推迟，风险调整净现值减少 "
        f"{moved:,.1f} 万元，超过规划净现值的 {share}；因此安排在第一年内净现值最优的季度启动："
        f"{starts(timing.starts, True)}。",
        f"Started at once ({starts(timing.starts_earliest, False)}), the pinned projects would push other projects "
        f"back and lower the risk-adjusted NPV by {money_en(moved)}, more than {share} of the plan's NPV; they start "
        f"at their NPV-best quarter of the first year instead: {starts(timing.starts, False)}.",
    )
