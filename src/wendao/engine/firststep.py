"""A first step for every positive budget (issue 13 item 4).

When no candidate pays back within the horizon but the budget is positive, the roadmap would be empty. The
foundation projects (scenarios/foundation.yaml: cloud ERP, MES-lite, equipment networking, an LLM pilot) are
valued honestly, on conservative effects, so on a small firm's own pools they often do not pay back on their
own; their worth is that the later projects need them. Such a plan gets the affordable foundation project that
unlocks the most other candidates as its one item, says that it does not pay back on its own and what it
unlocks, rather than an empty roadmap.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING

from wendao.engine.budget import fits_yearly_budget
from wendao.engine.roadmap import Candidate, Problem, Roadmap, StartRow, _result, standalone_value
from wendao.engine.roadmap_fallbacks import first_step_fallback
from wendao.engine.scenarios import money_en

if TYPE_CHECKING:
    from wendao.engine.plan import FirstStep, Plan
    from wendao.engine.scenarios import RankedScenario


def foundation_first_step(
    problem: Problem, foundation: Collection[str], table: Mapping[str, StartRow] | None = None
) -> Candidate | None:
    """The foundation candidate to start with: it needs nothing else first and fits the yearly budget started at
    once. Of those, the one that answers a stated need, then the one that unlocks the most candidates worth doing
    on their own (positive NPV once their prerequisite is there), then the one that loses least on its own (the
    cheapest way in: a 1 万元 pilot before a 6 万元 one that does no more), then the most candidates unlocked.

    Until session 4 the rule was "unlocks the most candidates": it started a small firm whose stated pain is
    scheduling with equipment networking because three monitoring projects (none of them paying) needed it.
    Session 8: after one that answers a stated need comes one that a project answering a stated need waits for.
    Of the bench's first 300 generated firms (seed 13), 172 plans were a first step, 158 of them the LLM document
    pilot, which served a stated need in 8, while the needs table told most of those owners to "first build"
    another foundation (设备联网与数据采集 for "关键设备经常突然停机"). With this rule: 65 pilots, 59 equipment
    networking, 25 cloud ERP, 23 MES-lite.

    ``table``: the start table of the problem's candidates when already worked out (``start_table``: its values
    are ``standalone_value``'s at each start, the same floats)."""
    s = problem.settings
    h = s.horizon_quarters

    def alone(c: Candidate) -> float:
        row = table.get(c.id) if table is not None else None
        return max(row.value, default=float("-inf")) if row is not None else standalone_value(c, s)

    unlocks: dict[str, int] = {}
    valuable: dict[str, int] = {}
    toward_need: set[str] = set()  # foundations a project answering a stated need waits for
    for c in problem.candidates:
        needed = {p for r in c.requires for p in r.providers} | set(c.after)
        if not needed:  # it unlocks nothing: its value is not needed
            continue
        worth = alone(c) > 0
        for p in needed:
            unlocks[p] = unlocks.get(p, 0) + 1
            valuable[p] = valuable.get(p, 0) + worth
        if c.pain_points:
            toward_need |= needed
    fitting = [
        c
        for c in problem.candidates
        if c.id in foundation
        and not c.after
        and not c.requires
        and c.duration_quarters <= h
        and fits_yearly_budget(c, 0, h, s.yearly_budget)
    ]
    if not fitting:
        return None
    return min(
        fitting,
        key=lambda c: (
            not c.pain_points,
            c.id not in toward_need,
            -valuable.get(c.id, 0),
            -round(alone(c), 2),
            -unlocks.get(c.id, 0),
            c.id,
        ),
    )


def with_first_step(
    roadmap: Roadmap,
    problem: Problem,
    c: Candidate,
    worth_explaining: Callable[[str, Mapping[str, int]], bool] | None = None,
    table: Mapping[str, StartRow] | None = None,
) -> Roadmap:
    """The roadmap with ``c`` started in quarter 0 (spend, exclusions and NPV recomputed; ``worth_explaining`` and
    ``table``: as in ``roadmap_explain._result``)."""
    # the optimiser's verdict on its own problem stays (no candidate adding value: the empty optimum needs no
    # solver); the item chosen by rule instead is a stated fallback (engine/roadmap_fallbacks.py)
    status = "OPTIMAL" if roadmap.status == "EMPTY" else roadmap.status
    result = _result(problem, status, {c.id: 0}, roadmap.solve_seconds, table, True, worth_explaining)
    result.solves = roadmap.solves
    result.fallbacks = [*roadmap.fallbacks, first_step_fallback(roadmap)]
    return result


def foundation_note(plan: Plan, r: RankedScenario, problem: Problem) -> FirstStep:
    """Why the plan's only item is a foundation project, what it costs and what it unlocks."""
    from wendao.engine.plan import FirstStep  # plan imports this module

    item = plan.items[0]
    names = {x.id: (x.name_zh, x.name_en) for x in plan.scenarios}
    unlocked = sorted(
        {
            c.id.split("__")[0]
            for c in problem.candidates
            if any(r.id in q.providers for q in c.requires) or r.id in c.after
        }
    )
    shown = [names[x] for x in unlocked if x in names][:4]
    benefit = item.annual_benefit.median
    zh = (
        f"打基础的起步项目“{r.name_zh}”（投资约 {item.one_off:.1f} 万元，年运行约 {item.annual_cost:.1f} 万元）："
        f"按现有数据，它本身每年只带来约 {benefit:.1f} 万元收益，规划期内不回本；安排它是因为后续项目需要它"
        + ("（如" + "、".join(f"“{n[0]}”" for n in shown) + "）" if shown else "")
        + "。补充企业自己的数据（见“最能提高测算精度的数据”）后重新生成规划，可确认后续项目的收益"
    )
    en = (
        f"Foundation first step “{r.name_en}” (about {money_en(item.one_off)} one-off and {money_en(item.annual_cost)} "
        f"a year): on the figures given it brings only about {money_en(benefit)} a year and does not pay back within "
        "the horizon on its own; it is planned because later projects need it"
        + (" (such as " + ", ".join(f"“{n[1]}”" for n in shown) + ")" if shown else "")
        + ". Add the enterprise's own figures (see “figures that would sharpen the plan most”) and make the plan "
        "again to confirm the later projects' benefits"
    )
    return FirstStep(
        scenario=r.id,
        name_zh=r.name_zh,
        name_en=r.name_en,
        one_off=item.one_off,
        annual_cost=item.annual_cost,
        unlock="foundation",
        text_zh=zh,
        text_en=en,
    )
