"""A project's chance of success once the foundations before it have gone live (issue 13).

The ranking judges a scenario's chance of success at the enterprise's maturity and systems today
(``scenarios.feasibility``: 0.9, less 1 point per missing maturity point on a prerequisite dimension and 10 points
per missing system, times 0.9 for AI, never below 0.4; data/planning.yaml ``risk``, a stated design estimate). In a
roadmap the project starts later, and the foundations scheduled before it change what it starts on:

- what it must wait for (a missing system, a maturity gap above ``max_maturity_gap``) is a hard prerequisite: the
  roadmap starts it only after a project that puts the system in place or reaches the level has gone live, so its
  chance counts neither that missing system nor that gap (``Chance.base``);
- a smaller gap is a risk it may start with; each foundation the roadmap schedules to go live before it raises the
  dimension to the level the foundation provides (data/planning.yaml ``provides``, a stated design judgement) and the
  chance by the same 1 point per maturity point (``Chance.tiers``, met through ``roadmap.Lift``).

No new figure is introduced: the lifted chance is the same rule at the maturity the foundations provide. Where the
floor of 0.4 binds, the points a partial lift adds are scaled so that every lift met gives exactly the rule's chance
at the lifted levels and none gives the chance the roadmap starts from (the rule is convex there, so a partial lift
counts slightly more than the rule; stated, a design choice that keeps the optimiser linear).

The optimiser sees increments: a tier is "dimension d reaches level L", met by any candidate providing L or more;
tiers of one dimension add up to the highest level reached, so the met tiers' points are the chance's rise."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from wendao.engine.roadmap_cashflow import lifts_met
from wendao.engine.roadmap_types import Candidate, Lift, Problem, Roadmap
from wendao.engine.stages import scenario_of

if TYPE_CHECKING:
    from wendao.engine.catalog import LoadedCatalog
    from wendao.engine.catalog.schema import Planning, Scenario
    from wendao.engine.scenarios import RankedScenario


@dataclass(frozen=True, slots=True)
class Tier:
    """Dimension ``dimension`` reaching ``level`` (from ``below``) once one of ``providers`` is live: ``points`` of
    chance. Tiers with the same providers are merged into one lift (``levels`` lists each dimension's step)."""

    providers: tuple[str, ...]
    points: float
    levels: tuple[tuple[str, float, float], ...]  # (dimension, from, to)


@dataclass(frozen=True, slots=True)
class Chance:
    """One scenario's chance of success in the roadmap: ``today`` (the ranking's), ``base`` (when it starts, its
    hard prerequisites met), ``full`` (every lift met) and the lifts in between."""

    today: float
    base: float
    full: float
    tiers: list[Tier] = field(default_factory=list)
    closed: tuple[tuple[str, float, int], ...] = ()  # hard gaps closed before it starts: (dimension, have, need)
    systems: tuple[str, ...] = ()  # missing systems put in place before it starts


def maturity_providers(planning: Planning, candidates: Collection[str]) -> dict[str, list[tuple[str, int]]]:
    """Per maturity dimension, the candidates that provide it, in id order, with the level each gives (the same
    for every scenario of one roadmap: ``chance_in_roadmap`` takes it worked out once)."""
    out: dict[str, list[tuple[str, int]]] = {}
    for p in sorted(candidates):
        if p in planning.provides:
            for dim, level in planning.provides[p].dimensions.items():
                out.setdefault(dim, []).append((p, level))
    return out


def chance_in_roadmap(
    r: RankedScenario,
    s: Scenario,
    planning: Planning,
    candidates: Collection[str],
    providers: Mapping[str, Sequence[tuple[str, int]]] | None = None,
) -> Chance:
    """The chance of success of scenario ``r`` in a roadmap whose candidates are ``candidates`` (scenario ids).
    ``providers``: ``maturity_providers(planning, candidates)`` when already worked out."""
    risk = planning.risk
    feas = r.feasibility
    ai = risk.ai_kind if s.kind == "ai" else 1.0
    own = planning.provides.get(r.id)
    own_systems = set(own.systems) if own is not None else set()
    # what the plan makes it wait for (engine/plan.py ``_requirements``): a missing system or a large gap, unless
    # the scenario itself puts it in place (then it is its own work, and stays a risk)
    hard = {
        d
        for d, (have, need) in feas.maturity_gaps.items()
        if need - have > planning.max_maturity_gap and (own is None or own.dimensions.get(d, 0) < need)
    }
    systems = [x for x in feas.missing_systems if x not in own_systems]
    any_waited = bool(feas.missing_systems_any) and not own_systems & set(feas.missing_systems_any)
    missing_left = len(feas.missing_systems) - len(systems) + (bool(feas.missing_systems_any) and not any_waited)
    soft = {d: gap for d, gap in feas.maturity_gaps.items() if d not in hard}
    raw_base = (
        risk.base
        - risk.per_maturity_gap_point * sum(need - have for have, need in soft.values())
        - risk.per_missing_system * missing_left
    ) * ai
    steps: dict[tuple[str, ...], list[tuple[str, float, float, float]]] = {}
    lifted_points = 0.0
    # the candidates that provide each dimension, in id order (worked out once per roadmap, not for every gap)
    by_dim = (providers if providers is not None else maturity_providers(planning, candidates)) if soft else {}
    kinds = s.prerequisites.data_kinds
    for dim, (have, need) in sorted(soft.items()):
        # the providers among the candidates and the level each reaches (no higher than the recommended level)
        # (a data level counts only where it is made of the kinds of data the project needs, Provides.level_for)
        reach = {
            p: min(need, level)
            for p, level in by_dim.get(dim, ())
            if level > have and p != r.id and planning.provides[p].level_for(dim, kinds) >= level
        }
        below = have
        for level in sorted(set(reach.values())):
            who = tuple(p for p, lv in reach.items() if lv >= level)
            points = risk.per_maturity_gap_point * (level - below) * ai
            steps.setdefault(who, []).append((dim, below, float(level), points))
            lifted_points += points
            below = level
    base = round(max(risk.floor, raw_base), 3)
    full = round(max(risk.floor, raw_base + lifted_points), 3)
    scale = (full - base) / lifted_points if lifted_points > 0 else 0.0
    tiers = [
        Tier(providers=p, points=sum(x[3] for x in xs) * scale, levels=tuple((d, a, b) for d, a, b, _ in xs))
        for p, xs in steps.items()
        if sum(x[3] for x in xs) * scale > 0
    ]
    return Chance(
        today=feas.risk_factor,
        base=base,
        full=full,
        tiers=tiers,
        closed=tuple((d, *feas.maturity_gaps[d]) for d in sorted(hard)),
        systems=(*systems, *(feas.missing_systems_any if any_waited else [])),
    )


def lifts_of(chance: Chance, unit_benefits: Mapping[str, float], ramp_first_year: float) -> list[Lift]:
    """The candidate's lifts: each tier's points times the savings the candidate makes per point of chance."""
    return [
        Lift(
            providers=list(t.providers),
            benefits={b: v * t.points for b, v in unit_benefits.items()},
            chance=t.points,
            ramp_first_year=ramp_first_year,
        )
        for t in chance.tiers
    ]


# --- the chosen roadmap as the plan shows it --------------------------------------------------------------


class LiftedLevel(BaseModel):
    """A maturity dimension a foundation live before the item raised: from today's score to the level counted."""

    dimension: str
    name_zh: str
    name_en: str
    before: float
    after: float


class ChanceNote(BaseModel):
    """Why an item's chance of success differs from the ranking's (today's): the foundations live before it."""

    today: float = Field(description="the chance at today's maturity and systems (the ranking's)")
    counted: float = Field(description="the chance the roadmap counts for the item")
    by: list[str] = Field(default_factory=list, description="scenarios live before it that raised it")
    by_zh: list[str] = Field(default_factory=list)
    by_en: list[str] = Field(default_factory=list)
    levels: list[LiftedLevel] = Field(default_factory=list)
    systems: list[str] = Field(default_factory=list, description="missing systems put in place before it starts")
    gaps_left: dict[str, tuple[float, int]] = Field(
        default_factory=dict, description="dimension -> (level it starts at, recommended) where still below"
    )
    note_zh: str = ""
    note_en: str = ""


def item_chance(c: Candidate, start: int, starts: Mapping[str, int], by_id: Mapping[str, Candidate]) -> float:
    """The chance the roadmap counts for candidate ``c`` started in ``start``: its base and its met lifts."""
    assert c.chance is not None
    return c.chance + sum(c.lifts[k].chance for k in lifts_met(c, start, dict(starts), dict(by_id)))


def chance_note(
    r: RankedScenario,
    chance: Chance,
    c: Candidate,
    start: int,
    starts: Mapping[str, int],
    by_id: Mapping[str, Candidate],
    names: Mapping[str, tuple[str, str]],
    dims: Mapping[str, tuple[str, str]],
) -> ChanceNote | None:
    """What the item's chance counts beyond today's, in words, or None when it counts today's."""
    counted = round(item_chance(c, start, starts, by_id), 3)
    met = [chance.tiers[k] for k in lifts_met(c, start, dict(starts), dict(by_id))]
    if abs(counted - chance.today) < 0.0005 and not met and not chance.closed and not chance.systems:
        return None
    live_by = [
        p
        for p in dict.fromkeys(p for t in met for p in t.providers)
        if p in starts and p in by_id and starts[p] + by_id[p].duration_quarters <= start
    ]
    # the items it waits for that put a missing system in place or close a large gap: its prerequisites
    first = [
        p
        for req in c.requires
        for p in req.providers
        if p in starts and p in by_id and starts[p] + by_id[p].duration_quarters <= start
    ]
    by = list(dict.fromkeys([*first, *live_by]))
    reached: dict[str, tuple[float, float]] = {}
    for t in met:
        for d, a, b in t.levels:
            lo, hi = reached.get(d, (a, a))
            reached[d] = (min(lo, a), max(hi, b))
    for d, have, need in chance.closed:
        reached[d] = (have, float(need))
    levels = [
        LiftedLevel(dimension=d, name_zh=dims.get(d, (d, d))[0], name_en=dims.get(d, (d, d))[1], before=a, after=b)
        for d, (a, b) in sorted(reached.items())
    ]
    gaps_left = {
        d: (max(have, reached.get(d, (have, have))[1]), need)
        for d, (have, need) in r.feasibility.maturity_gaps.items()
        if max(have, reached.get(d, (have, have))[1]) < need
    }
    by_zh = [names.get(p, (p, p))[0] for p in by]
    by_en = [names.get(p, (p, p))[1] for p in by]
    steps_zh = "、".join(f"{lv.name_zh} {lv.before:.0f}→{lv.after:.0f} 分" for lv in levels)
    steps_en = ", ".join(f"{lv.name_en} {lv.before:.0f}→{lv.after:.0f}" for lv in levels)
    systems = list(chance.systems)
    parts_zh = [p for p in (steps_zh, ("已具备" + "、".join(systems)) if systems else "") if p]
    parts_en = [p for p in (steps_en, ("with " + ", ".join(systems) + " in place") if systems else "") if p]
    who_zh = "、".join(by_zh) or "前提项目"
    who_en = ", ".join(by_en) or "its prerequisites"
    note_zh = f"{who_zh}完成后实施，成功概率按提升后的成熟度计（{'；'.join(parts_zh)}）：今天 {chance.today:.2f} → 计入 {counted:.2f}"
    note_en = (
        f"Starts after {who_en} {'is' if len(by) <= 1 else 'are'} done, so its chance of success counts the raised "
        f"maturity ({'; '.join(parts_en)}): {chance.today:.2f} today → {counted:.2f} counted"
    )
    return ChanceNote(
        today=chance.today,
        counted=counted,
        by=by,
        by_zh=by_zh,
        by_en=by_en,
        levels=levels,
        systems=systems,
        gaps_left=gaps_left,
        note_zh=note_zh,
        note_en=note_en,
    )


def with_chance(
    r: RankedScenario, chance: float, gaps: Mapping[str, tuple[float, int]] | None = None
) -> RankedScenario:
    """A copy of ``r`` whose chance of success (and maturity gaps, when given) are the roadmap item's."""
    feas = replace(r.feasibility, risk_factor=chance)
    if gaps is not None:
        feas = replace(feas, maturity_gaps=dict(gaps))
    return replace(r, feasibility=feas)


def chances_in_problem(problem: Problem, roadmap: Roadmap) -> dict[str, float]:
    """candidate id -> the chance the roadmap counts for each scheduled item built by a plan (``Candidate.chance``)."""
    by_id = {c.id: c for c in problem.candidates}
    starts = {i.id: i.start_quarter for i in roadmap.items}
    return {
        i.id: item_chance(by_id[i.id], i.start_quarter, starts, by_id)
        for i in roadmap.items
        if by_id[i.id].chance is not None
    }


def share_factors(problem: Problem, chances: Mapping[str, float]) -> dict[str, float]:
    """candidate id -> its counted chance over the chance every lift met gives (the pools' shares are added at the
    latter, engine/plan.py ``_Pools``)."""
    by_id = {c.id: c for c in problem.candidates}
    out = {}
    for cid, counted in chances.items():
        c = by_id[cid]
        full = (c.chance or 0.0) + sum(lift.chance for lift in c.lifts)
        if full > 0:
            out[cid] = counted / full
    return out


def chance_notes(
    problem: Problem,
    roadmap: Roadmap,
    ranked_by_id: Mapping[str, RankedScenario],
    scenarios: Mapping[str, Scenario],
    loaded: LoadedCatalog,
) -> dict[str, ChanceNote]:
    """candidate id -> what its chance counts beyond today's, for the scheduled items a plan built."""
    by_id = {c.id: c for c in problem.candidates}
    starts = {i.id: i.start_quarter for i in roadmap.items}
    wanted = {scenario_of(c.id) for c in problem.candidates}
    names = {s.id: (s.name_zh, s.name_en) for s in loaded.catalog.scenarios}
    dims = {d.id: (d.name_zh, d.name_en) for d in loaded.questionnaire.dimensions}
    out = {}
    for it in roadmap.items:
        c = by_id[it.id]
        sid = scenario_of(it.id)
        if c.chance is None or sid not in ranked_by_id:
            continue
        chance = chance_in_roadmap(ranked_by_id[sid], scenarios[sid], loaded.planning, wanted)
        note = chance_note(ranked_by_id[sid], chance, c, it.start_quarter, starts, by_id, names, dims)
        if note is not None:
            out[it.id] = note
    return out
