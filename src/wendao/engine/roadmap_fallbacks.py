"""Every fallback of the roadmap's solver, stated (issue 13): what was tried, what was used instead, the solver's
status and gap, as a structured ``Fallback`` with its sentence in both languages.

Three cases, each from the solves ``optimise_roadmap`` made (``Roadmap.solves``, in order):
- ``unproven``: a solve whose plan the roadmap uses reached its time limit with a plan not proven optimal; the
  gap is the solver's own (best bound less the plan found, over the bound, in its objective's units);
- ``without_lifts``: the model that counts the foundations' lifts found no plan within the time limit, so the
  same model without the lifts was solved (the model every plan had before them); its plan is feasible and the
  lifts its foundations meet still count in its value, but it may not be the best plan with the lifts;
- ``pin_earliest_kept``: the comparison of the pinned projects' earliest start with their NPV-best start in the
  first year found no first-year plan within the time limit, so the pins keep their earliest start and what a
  later start would change is not known.

A fourth is not the solver's: ``first_step``, when the optimum is an empty plan (nothing pays back within the
horizon) and the plan starts a foundation project by rule instead (engine/firststep.py).

The enterprise's choices (pins and drops, engine/needs.py) are priced against the roadmap solved without them;
that comparison's fallbacks are stated too (``comparison_fallbacks``): ``unproven`` or ``without_lifts`` naming the
comparison, and ``choices_cost_unknown`` when it found no plan, so the choices' cost is not known.
"""

from __future__ import annotations

from collections.abc import Sequence

from wendao.engine.roadmap_types import Fallback, PinTiming, Roadmap, SolveAttempt

_FOUND = ("OPTIMAL", "FEASIBLE")
# what a solve was about: (zh, en)
_WHAT = {
    "plan": ("路线图", "the roadmap"),
    "first_year": (
        "固定项目在第一年内启动的对比方案",
        "the comparison plan with the pinned projects in the first year",
    ),
    "comparison": (
        "不设任何选择（固定纳入、排除）的对比规划",
        "the comparison roadmap without any choice (pin or drop)",
    ),
}
# said after a fallback of the comparison without the choices: what it means for their stated cost (zh, en)
_PRICED = ("企业选择的代价按该方案计算。", " The choices' cost is measured against this plan.")


def _what(model: str, comparison: bool) -> tuple[str, str]:
    """What a solve was about, by its model; ``comparison``: the roadmap without the enterprise's choices."""
    return _WHAT["comparison" if comparison else "first_year" if model.startswith("first_year") else "plan"]


def _seconds(limit: float) -> str:
    return f"{limit:.0f}" if limit >= 1 else f"{limit:.3g}"


def _gap(gap: float | None, zh: bool) -> str:
    """The gap as a share: "不超过 0.4%" / "within 0.4%"; below 0.1 % it reads "<0.1%"."""
    if gap is None:
        return "未知" if zh else "unknown"
    share = "<0.1%" if 0 < gap < 0.001 else f"{gap:.1%}"
    return f"不超过 {share}" if zh else f"within {share}"


def _unproven(a: SolveAttempt, comparison: bool = False) -> Fallback:
    what_zh, what_en = _what(a.model, comparison)
    return Fallback(
        kind="unproven",
        tried=a,
        used=a,
        note_zh=f"{what_zh}的求解达到 {_seconds(a.time_limit_seconds)} 秒时限，所得方案未证明最优"
        f"（与求解器最优上界的相对差距{_gap(a.gap, True)}）。",
        note_en=f"The solve of {what_en} reached its {_seconds(a.time_limit_seconds)}-second limit; the plan "
        f"found is not proven optimal ({_gap(a.gap, False)} of the solver's best bound).",
    )


def _without_lifts(tried: SolveAttempt, used: SolveAttempt, comparison: bool = False) -> Fallback:
    what_zh, what_en = _what(tried.model, comparison)
    limit = _seconds(tried.time_limit_seconds)
    if used.status == "OPTIMAL":
        got_zh, got_en = "，得到其最优方案", ", and its optimum found"
    elif used.status == "FEASIBLE":
        got_zh = f"，得到可行方案（与其最优上界的相对差距{_gap(used.gap, True)}）"
        got_en = f", and a plan found {_gap(used.gap, False)} of its best bound"
    else:
        got_zh, got_en = "，在时限内也未得到方案", ", which found no plan within the limit either"
    after_zh = (
        "已安排在前的基础项目带来的提升仍计入各项目的价值，但该方案未必是计入提升时的最优方案。"
        if used.status in _FOUND
        else ""
    )
    after_en = (
        " The lifts of the foundations scheduled first still count in each project's value, but this may not be the "
        "best plan with the lifts counted."
        if used.status in _FOUND
        else ""
    )
    return Fallback(
        kind="without_lifts",
        tried=tried,
        used=used,
        note_zh=f"求解{what_zh}时，计入基础项目上线后成功概率提升的模型在 {limit} 秒时限内未得到方案；改为求解不计提升的"
        f"模型{got_zh}。{after_zh}",
        note_en=f"Solving {what_en}, the model that counts the foundations' lift to the chance of success found no "
        f"plan within the {limit}-second limit; the model without the lifts was solved instead{got_en}.{after_en}",
    )


def _pin_earliest_kept(tried: SolveAttempt, used: SolveAttempt | None, both: bool) -> Fallback:
    """``both``: the comparison was tried with the lifts and then without them."""
    limit = _seconds(tried.time_limit_seconds)
    none_zh = f"在 {limit} 秒时限内未得到方案" if tried.status == "UNKNOWN" else "没有可行方案"
    none_en = f"found no plan within the {limit}-second limit" if tried.status == "UNKNOWN" else "has no feasible plan"
    if both:
        none_zh = f"（计入与不计基础项目的提升各求解一次）{none_zh}"
        none_en = f"(with the foundations' lifts and without them) {none_en}"
    return Fallback(
        kind="pin_earliest_kept",
        tried=tried,
        used=used,
        note_zh=f"固定纳入的项目按约束允许的最早季度启动；与第一年内净现值最优的启动时间作比较的求解{none_zh}，"
        "因此未作比较，推迟启动对净现值的影响未知。",
        note_en="The pinned projects start as early as the constraints allow; the solve comparing this with their "
        f"NPV-best start in the first year {none_en}, so no comparison was made and what a later start would "
        "change in NPV is not known.",
    )


def fallbacks_of(
    attempts: Sequence[SolveAttempt], timing: PinTiming | None, comparison: bool = False
) -> list[Fallback]:
    """The fallbacks behind a roadmap, from its solves in order and the pin rule's result (``timing``: None when
    the first-year comparison was not made). ``comparison``: the roadmap is the one without the enterprise's
    choices, which prices them (``comparison_fallbacks``)."""
    out: list[Fallback] = []
    plan = [a for a in attempts if a.model.startswith("plan")]
    first_year = [a for a in attempts if a.model.startswith("first_year")]
    used_plan = plan[-1] if plan else None
    for group in (plan, first_year):
        # the model with the lifts, then without; a first-year comparison that found nothing either way is stated once,
        # below
        if len(group) == 2 and (group is plan or group[1].status in _FOUND):
            out.append(_without_lifts(group[0], group[1], comparison))
    # the first-year plan is used (or compared against) only when its solve found one
    compared = [first_year[-1]] if first_year and first_year[-1].status in _FOUND else []
    for a in [*plan[-1:], *compared]:
        # a plan of the model without the lifts: its note (above) states its status and gap
        if a.status == "FEASIBLE" and not a.model.endswith("_without_lifts"):
            out.append(_unproven(a, comparison))
    if first_year and timing is None and first_year[-1].status not in _FOUND:
        out.append(_pin_earliest_kept(first_year[-1], used_plan, both=len(first_year) == 2))
    return out


def comparison_fallbacks(free: Roadmap) -> list[Fallback]:
    """The fallbacks of the roadmap solved without the enterprise's choices (engine/needs.py prices the pins and
    drops against it): each of its solver's fallbacks, naming the comparison and saying the cost is measured
    against its plan; or, when it found no plan within the time limit, one ``choices_cost_unknown``."""
    plan = [a for a in free.solves if a.model.startswith("plan")]
    if free.status not in ("UNKNOWN", "INFEASIBLE") or not plan:
        return [
            f.model_copy(update={"note_zh": f.note_zh + _PRICED[0], "note_en": f.note_en + _PRICED[1]})
            for f in fallbacks_of(free.solves, free.pin_timing, comparison=True)
        ]
    what_zh, what_en = _WHAT["comparison"]
    limit = _seconds(plan[-1].time_limit_seconds)
    both_zh = "（计入与不计基础项目的提升各求解一次）" if len(plan) == 2 else ""
    both_en = " (with the foundations' lifts and without them)" if len(plan) == 2 else ""
    return [
        Fallback(
            kind="choices_cost_unknown",
            tried=plan[0],
            used=None,
            note_zh=f"为计算企业选择的代价而求解的{what_zh}{both_zh}在 {limit} 秒时限内未得到方案，因此这些选择的代价未知。",
            note_en=f"Solved to price the enterprise's choices, {what_en}{both_en} found no plan within the "
            f"{limit}-second limit, so what the choices cost is not known.",
        )
    ]


def first_step_fallback(roadmap: Roadmap) -> Fallback:
    """The roadmap's only item is a foundation project chosen by rule (engine/firststep.py), not by the optimiser,
    whose best plan (``roadmap``, before the item) was empty."""
    solved = [a for a in roadmap.solves if a.model.startswith("plan")]
    # no solve: no candidate could add value, so the empty plan is the optimum without a solver
    tried = (
        solved[-1]
        if solved
        else SolveAttempt(model="plan", method="shortcut", status="OPTIMAL", gap=0.0, time_limit_seconds=0.0)
    )
    if roadmap.status == "UNKNOWN":  # no plan at all within the time limit: nothing is known about the optimum
        why_zh = f"求解在 {_seconds(tried.time_limit_seconds)} 秒时限内未得到方案"
        why_en = f"The solver found no plan within the {_seconds(tried.time_limit_seconds)}-second limit"
    else:
        why_zh = "在规划期内没有能回本的项目，优化所得的最优方案不含任何项目"
        why_en = "No project pays back within the horizon, so the optimiser's best plan has no project"
    return Fallback(
        kind="first_step",
        tried=tried,
        note_zh=f"{why_zh}；路线图中的项目是按规则选出的第一步基础项目"
        "（先选回应所述需求的，其次是为值得做的后续项目打基础的，再次是单独实施亏损最少的），不是优化结果。",
        note_en=f"{why_en}; the roadmap's item is the first foundation step chosen by rule (first one that answers a "
        "stated need, then one that opens the way to a later project worth doing, then the one that loses least on "
        "its own), not the optimiser's result.",
    )
