"""Aggregates over the enterprises of one programme (or of every programme of an organiser), in SQL.

Maturity is the overall score of each enterprise's latest completed round (``AssessmentRound.current``).
Groups are counted, averaged and their median taken in the database (``values().annotate()``; the median is
``insights.median.Median``: ``percentile_cont`` on PostgreSQL, an equivalent registered aggregate on SQLite).
Groups of fewer than ``MIN_CELL`` enterprises are hidden (only their number is reported).

Plans are read through ``PlanSummary`` / ``PlanItemSummary`` (narrow rows kept in step with every stored plan,
see ``insights.models``): the heat map is a GROUP BY over item rows, the totals are SQL sums, and no plan JSON
is loaded.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    Avg,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Substr

from wendao.engine.disclosure import MIN_CELL
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises.models import AssessmentRound, Enterprise, PlanRecord
from wendao.web.insights import pilots
from wendao.web.insights.median import Median
from wendao.web.insights.models import (
    PilotComponents,
    PlanItemSummary,
    PlanNeedSummary,
    PlanSummary,
    ProgressStatus,
    ScenarioProgress,
)
from wendao.web.insights.pilots import PilotInput, PilotScore, Weights
from wendao.web.programmes.models import Participant, Programme

DIMENSIONS: dict[str, Any] = {
    "city": F("enterprise__city"),
    "division": Substr("enterprise__industry", 1, 3),
    "chain": F("enterprise__chain"),
    "size": F("enterprise__size_class"),
}


def enterprises_of(programmes: QuerySet[Programme]) -> QuerySet[Enterprise]:
    # joined only: an enterprise's data reaches a programme's dashboards once it accepted the invitation
    return Enterprise.objects.filter(
        pk__in=Participant.objects.joined().filter(programme__in=programmes).values("enterprise")
    )


def current_rounds(enterprises: QuerySet[Enterprise]) -> QuerySet[AssessmentRound]:
    return AssessmentRound.objects.filter(enterprise__in=enterprises, current=True, overall__isnull=False)


def latest_plans(enterprises: QuerySet[Enterprise]) -> QuerySet[PlanSummary]:
    """The numbers of each enterprise's newest plan (``PlanSummary`` rows, not the plan JSON)."""
    return PlanSummary.objects.filter(enterprise__in=enterprises, latest=True)


def _rows_of(
    model: type[PlanItemSummary] | type[PlanNeedSummary],
    enterprises: QuerySet[Enterprise],
    plans: QuerySet[PlanSummary] | None,
) -> QuerySet[Any]:
    """The item (or need) rows of the enterprises' latest plans; of ``plans`` when given (a city's officials
    count the plans of the city's release, ``releases.city_figures``, not the live ones)."""
    if plans is None:
        return model.objects.filter(summary__latest=True, summary__enterprise__in=enterprises)
    return model.objects.filter(summary__in=plans)


@dataclass(frozen=True)
class Cell:
    key: str
    n: int
    mean: float
    median: float
    low: float
    high: float


@dataclass(frozen=True)
class Distribution:
    dimension: str
    cells: list[Cell]
    hidden: int  # groups of fewer than MIN_CELL enterprises, not shown


def _distribution(dimension: str, rows: list[dict[str, Any]]) -> Distribution:
    cells, hidden = [], 0
    for r in sorted(rows, key=lambda r: (-r["n"], r["key"] or "")):
        if r["n"] < MIN_CELL:
            hidden += 1
            continue
        cells.append(Cell(r["key"] or "", r["n"], round(r["mean"], 1), round(r["median"], 1), r["low"], r["high"]))
    return Distribution(dimension, cells, hidden)


def maturity_by(enterprises: QuerySet[Enterprise], dimension: str) -> Distribution:
    rows = (
        current_rounds(enterprises)
        .annotate(key=DIMENSIONS[dimension])
        .values("key")
        .annotate(
            n=Count("overall"), mean=Avg("overall"), median=Median("overall"), low=Min("overall"), high=Max("overall")
        )
        .order_by()
    )
    return _distribution(dimension, list(rows))


def maturity_distributions(enterprises: QuerySet[Enterprise], dimensions: list[str]) -> dict[str, Distribution]:
    """``maturity_by`` for several dimensions. On PostgreSQL one pass with GROUPING SETS over the ORM's own
    query (the rounds are read once instead of once per dimension: at 10⁵ enterprises that is most of the
    dashboard's time); elsewhere one grouped query per dimension. Same aggregates, same numbers."""
    if connection.vendor != "postgresql" or len(dimensions) < 2:
        return {d: maturity_by(enterprises, d) for d in dimensions}
    keys = {d: f"k_{i}" for i, d in enumerate(dimensions)}
    base = (
        current_rounds(enterprises)
        .annotate(**{keys[d]: DIMENSIONS[d] for d in dimensions})
        .values(*keys.values(), "overall")
        .order_by()
    )
    inner, params = base.query.sql_with_params()
    columns = ", ".join(keys.values())
    flags = ", ".join(f"GROUPING({k}) AS g_{k}" for k in keys.values())
    sets = ", ".join(f"({k})" for k in keys.values())
    sql = (
        f"SELECT {columns}, {flags}, COUNT(overall), AVG(overall), "
        "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY overall), MIN(overall), MAX(overall) "
        f"FROM ({inner}) AS rounds GROUP BY GROUPING SETS ({sets})"
    )
    grouped: dict[str, list[dict[str, Any]]] = {d: [] for d in dimensions}
    n_keys = len(keys)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            values, flags_ = row[:n_keys], row[n_keys : 2 * n_keys]
            n, mean, median, low, high = row[2 * n_keys :]
            for i, d in enumerate(dimensions):
                if flags_[i] == 0:  # this row is the group of dimension d
                    grouped[d].append(
                        {"key": values[i], "n": n, "mean": mean, "median": median, "low": low, "high": high}
                    )
    return {d: _distribution(d, grouped[d]) for d in dimensions}


@dataclass(frozen=True)
class HeatMap:
    rows: list[str]  # chain ids ("" = in no provincial chain)
    columns: list[str]  # scenario ids
    names: dict[str, tuple[str, str]]  # scenario id -> (zh, en)
    counts: dict[tuple[str, str], int]  # (chain, scenario) -> number of latest plans including it

    def matrix(self) -> list[tuple[str, list[int]]]:
        return [(r, [self.counts.get((r, c), 0) for c in self.columns]) for r in self.rows]


def demand_heatmap(enterprises: QuerySet[Enterprise], plans: QuerySet[PlanSummary] | None = None) -> HeatMap:
    """One GROUP BY (chain, scenario) over the item rows of the latest plans (or of ``plans``). Names come from
    the knowledge base; a scenario no longer in it keeps the name its plans stored (one small query per such
    scenario)."""
    rows = (
        _rows_of(PlanItemSummary, enterprises, plans)
        .values(chain=F("summary__enterprise__chain"), sid=F("scenario_id"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: Counter[tuple[str, str]] = Counter()
    for r in rows:
        counts[(r["chain"] or "", r["sid"])] += r["n"]
    catalog = {sc.id: (sc.name_zh, sc.name_en) for sc in active_catalog().catalog.scenarios}
    names: dict[str, tuple[str, str]] = {}
    for sid in {sid for _chain, sid in counts}:
        stored = (
            catalog.get(sid) or PlanItemSummary.objects.filter(scenario_id=sid).values_list("name_zh", "name_en")[0]
        )
        names[sid] = (stored[0], stored[1])
    by_scenario: Counter[str] = Counter()
    by_chain: Counter[str] = Counter()
    for (chain, sid), n in counts.items():
        by_scenario[sid] += n
        by_chain[chain] += n
    # enterprises in no provincial chain ("") come last: the chains are what the heat map compares
    rows_ = sorted(by_chain, key=lambda c: (c == "", -by_chain[c], c))
    columns = sorted(by_scenario, key=lambda s: (-by_scenario[s], s))
    return HeatMap(rows_, columns, names, dict(counts))


@dataclass(frozen=True)
class PilotRow:
    pk: int
    name: str
    city: str
    chain: str
    size_class: str
    inputs: PilotInput
    result: PilotScore


def pilot_inputs(enterprises: QuerySet[Enterprise]) -> list[tuple[int, PilotInput]]:
    """The inputs of the pilot score, loaded in one query (used to refresh ``PilotComponents``)."""
    overall = AssessmentRound.objects.filter(enterprise=OuterRef("pk"), current=True).values("overall")[:1]
    rows = enterprises.annotate(
        maturity=Subquery(overall),
        has_plan=Exists(PlanRecord.objects.filter(enterprise=OuterRef("pk"))),
    ).values_list(
        "pk",
        "chain",
        "size_class",
        "revenue",
        "maturity",
        "has_plan",
        "profile__budget",
        "profile__systems",
        "profile__qualifications",
    )
    out = []
    for pk, chain, size_class, revenue, maturity, has_plan, budget, systems, qualifications in rows:
        out.append(
            (
                pk,
                PilotInput(
                    overall=maturity,
                    systems=len(_list(systems)),
                    budget=_float(budget),
                    revenue=revenue,
                    steps=1 + (maturity is not None) + bool(has_plan),
                    in_chain=bool(chain),
                    size_class=size_class,
                    qualifications=tuple(str(q) for q in _list(qualifications)),
                ),
            )
        )
    return out


# the stored, weight-free pilot components (inputs, then the three scores), as written and as read back
PILOT_FIELDS = (
    "overall",
    "systems",
    "budget",
    "steps",
    "qualifications",
    "foundation",
    "willingness",
    "demonstration",
)


def refresh_pilot_components(enterprises: QuerySet[Enterprise]) -> int:
    """Recompute and store the weight-free pilot components of these enterprises; returns how many."""
    rows = [
        PilotComponents(
            enterprise_id=pk,
            overall=inp.overall,
            systems=inp.systems,
            budget=inp.budget,
            steps=inp.steps,
            qualifications=list(inp.qualifications),
            foundation=pilots.foundation(inp),
            willingness=pilots.willingness(inp),
            demonstration=pilots.demonstration(inp),
        )
        for pk, inp in pilot_inputs(enterprises)
    ]
    PilotComponents.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["enterprise"],
        update_fields=[*PILOT_FIELDS, "updated_at"],
    )
    return len(rows)


@dataclass(frozen=True)
class Ranking:
    rows: list[PilotRow]
    total: int  # enterprises ranked (``rows`` may hold only the top)


def pilot_ranking(
    enterprises: QuerySet[Enterprise], weights: Weights, limit: int | None = None, offset: int = 0
) -> Ranking:
    """Ranked in SQL by the weighted sum of the stored components (``pilots.combine`` with the same weights);
    only the ``limit`` rows from place ``offset`` on (0: the top) are loaded. Enterprises without components
    yet get them first."""
    missing = enterprises.exclude(pk__in=PilotComponents.objects.values("enterprise"))
    if missing.exists():
        refresh_pilot_components(missing)
    w = weights.normalised()
    ranked = (
        PilotComponents.objects.filter(enterprise__in=enterprises)
        .annotate(
            total=ExpressionWrapper(
                w.foundation * F("foundation")
                + w.willingness * F("willingness")
                + w.demonstration * F("demonstration"),
                output_field=FloatField(),
            )
        )
        .order_by("-total", "enterprise__name", "enterprise_id")
        .values_list(
            "enterprise_id",
            "enterprise__name",
            "enterprise__city",
            "enterprise__chain",
            "enterprise__size_class",
            "enterprise__revenue",
            *PILOT_FIELDS,
        )
    )
    total = PilotComponents.objects.filter(enterprise__in=enterprises).count()
    out = []
    for pk, name, city, chain, size, revenue, overall, systems, budget, steps, quals, f, wi, d in (
        ranked[offset : offset + limit] if limit is not None else ranked[offset:]
    ):
        inputs = PilotInput(
            overall=overall,
            systems=systems,
            budget=budget,
            revenue=revenue,
            steps=steps,
            in_chain=bool(chain),
            size_class=size,
            qualifications=tuple(str(q) for q in _list(quals)),
        )
        out.append(PilotRow(pk, name, city, chain, size, inputs, pilots.combine(f, wi, d, weights)))
    return Ranking(out, total)


def _list(value: Any) -> list[Any]:
    if isinstance(value, str):
        value = json.loads(value)
    return list(value) if isinstance(value, list) else []


def _float(value: Any) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


# --- demand: roadmap items by group and scenario, with their progress and the stated needs -------------------


@dataclass(frozen=True)
class Demand:
    """Roadmap items of the latest plans, counted by group (city, division, chain or size) and scenario.

    ``counts[(group, scenario)]`` is (planned, started, deployed): each item's status is what the enterprise's
    members set on their plan page (``ScenarioProgress``); an item nobody marked is planned. Groups with fewer
    than ``MIN_CELL`` enterprises with a plan are left out (``hidden`` says how many) and not counted in the
    scenario totals either. ``needs[scenario]`` is how many of the shown enterprises' stated pains and goals
    point to the scenario, in their roadmap or not.
    """

    dimension: str  # city, division, chain, size, or all (one group "": the whole programme)
    groups: list[str]  # keys, most items first
    scenarios: list[str]  # ids, most items first
    names: dict[str, tuple[str, str]]  # scenario id -> the (zh, en) name its plans stored
    counts: dict[tuple[str, str], tuple[int, int, int]]
    firms: dict[str, int]  # group -> enterprises with a plan
    needs: dict[str, int]
    hidden: int

    def total(self, group: str, scenario: str) -> int:
        return sum(self.counts.get((group, scenario), (0, 0, 0)))

    def by_scenario(self, scenario: str) -> tuple[int, int, int]:
        rows = [self.counts.get((g, scenario), (0, 0, 0)) for g in self.groups]
        return (sum(r[0] for r in rows), sum(r[1] for r in rows), sum(r[2] for r in rows))


def _group_key(dimension: str, prefix: str) -> Any:
    if dimension == "all":  # the whole programme as one group
        return Value("")
    if dimension == "division":
        return Substr(f"{prefix}enterprise__industry", 1, 3)
    field = {"city": "city", "chain": "chain", "size": "size_class"}[dimension]
    return F(f"{prefix}enterprise__{field}")


def demand_by(enterprises: QuerySet[Enterprise], dimension: str, plans: QuerySet[PlanSummary] | None = None) -> Demand:
    """Three grouped queries (items with their status, enterprises with a plan, stated needs), no plan JSON;
    over the enterprises' latest plans, or over ``plans`` when given."""
    status = ScenarioProgress.objects.filter(
        enterprise=OuterRef("summary__enterprise"), scenario_id=OuterRef("scenario_id")
    ).values("status")[:1]
    items = (
        _rows_of(PlanItemSummary, enterprises, plans)
        .annotate(key=_group_key(dimension, "summary__"), status=Subquery(status))
        .values("key", "scenario_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    firms = {
        r["key"] or "": r["n"]
        for r in (latest_plans(enterprises) if plans is None else plans)
        .annotate(key=_group_key(dimension, ""))
        .values("key")
        .annotate(n=Count("pk"))
        .order_by()
    }
    shown = {g for g, n in firms.items() if n >= MIN_CELL}
    position = {ProgressStatus.PLANNED: 0, ProgressStatus.STARTED: 1, ProgressStatus.DEPLOYED: 2}
    tallies: dict[tuple[str, str], list[int]] = {}
    for r in items:
        group = r["key"] or ""
        if group not in shown:
            continue
        tally = tallies.setdefault((group, r["scenario_id"]), [0, 0, 0])
        tally[position.get(r["status"], 0)] += r["n"]
    needs: Counter[str] = Counter()
    need_rows = (
        _rows_of(PlanNeedSummary, enterprises, plans)
        .annotate(key=_group_key(dimension, "summary__"))
        .values("key", "scenario_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in need_rows:
        if (r["key"] or "") in shown:
            needs[r["scenario_id"]] += r["n"]
    counts = {k: (v[0], v[1], v[2]) for k, v in tallies.items()}
    per_group: Counter[str] = Counter()
    per_scenario: Counter[str] = Counter()
    for (group, sid), c in counts.items():
        per_group[group] += sum(c)
        per_scenario[sid] += sum(c)
    for sid in needs:
        per_scenario.setdefault(sid, 0)
    # the group of enterprises in no chain (or with no value) comes last: the named groups are what is compared
    groups = sorted((g for g in shown), key=lambda g: (g == "", -per_group[g], g))
    scenarios = sorted(per_scenario, key=lambda s: (-per_scenario[s], -needs[s], s))
    return Demand(
        dimension,
        groups,
        scenarios,
        _stored_names(set(scenarios)),
        counts,
        {g: firms[g] for g in groups},
        dict(needs),
        len(firms) - len(shown),
    )


def _stored_names(scenarios: set[str]) -> dict[str, tuple[str, str]]:
    """Scenario names from the knowledge base; a scenario no longer in it keeps the name its plans stored (one
    small query per such scenario)."""
    catalog = {sc.id: (sc.name_zh, sc.name_en) for sc in active_catalog().catalog.scenarios}
    out = {sid: catalog[sid] for sid in scenarios if sid in catalog}
    for sid in scenarios - out.keys():
        for model in (PlanItemSummary, PlanNeedSummary):
            stored = model.objects.filter(scenario_id=sid).values_list("name_zh", "name_en").first()
            if stored is not None:
                out[sid] = (stored[0], stored[1])
                break
    return out


# --- money: totals that say how they were formed --------------------------------------------------------------


@dataclass(frozen=True)
class Money:
    """Sums over the latest plans of the enterprises (only roadmap items count: a plan's money is its items').
    ``benefit_low``/``benefit_high`` add each plan's own low and high estimate: a band wider than the cohort's
    likely spread, since the plans will not all land at their lows, or all at their highs, together."""

    plans: int
    items: int
    one_off: float
    subsidy_counted: float
    subsidy_likely: float
    annual_running: float
    benefit_low: float
    benefit_median: float
    benefit_high: float

    @property
    def net_one_off(self) -> float:
        return round(self.one_off - self.subsidy_counted, 2)


def money(enterprises: QuerySet[Enterprise]) -> Money:
    agg = latest_plans(enterprises).aggregate(
        plans=Count("pk"),
        items=Sum("items"),
        one_off=Sum("one_off"),
        subsidy=Sum("subsidy"),
        likely=Sum("subsidy_likely"),
        running=Sum("annual_running"),
        low=Sum("annual_benefit_low"),
        median=Sum("annual_benefit_median"),
        high=Sum("annual_benefit_high"),
    )

    def r(key: str) -> float:
        return round(agg[key] or 0.0, 2)

    return Money(
        agg["plans"],
        agg["items"] or 0,
        r("one_off"),
        r("subsidy"),
        max(r("likely"), r("subsidy")),
        r("running"),
        r("low"),
        r("median"),
        r("high"),
    )
