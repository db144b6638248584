"""Aggregates over the enterprises of one programme (or of every programme of an organiser), in SQL.

Maturity is the overall score of each enterprise's latest completed round (``AssessmentRound.current``).
Groups are counted and averaged in the database (``values().annotate()``); the median is not computed
because it has no portable SQL aggregate (SQLite has none), so groups show count, mean, min and max.
Groups of fewer than ``MIN_CELL`` enterprises are hidden (only their number is reported).

The demand heat map needs ``plan.items[].scenario``: unnesting a JSON array differs between SQLite
(json_each) and PostgreSQL (jsonb_array_elements), so only the ``items`` key of each latest plan is
loaded with ``.values()`` and counted in one pass. The money totals are SQL sums over JSON keys.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Exists, F, FloatField, Max, Min, OuterRef, QuerySet, Subquery, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Substr

from wendao.web.enterprises.models import AssessmentRound, Enterprise, PlanRecord
from wendao.web.insights.pilots import PilotInput, PilotScore, Weights, score
from wendao.web.programmes.models import Participant, Programme

MIN_CELL = 5

DIMENSIONS: dict[str, Any] = {
    "city": F("enterprise__city"),
    "division": Substr("enterprise__industry", 1, 3),
    "chain": F("enterprise__chain"),
    "size": F("enterprise__size_class"),
}


def enterprises_of(programmes: QuerySet[Programme]) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(pk__in=Participant.objects.filter(programme__in=programmes).values("enterprise"))


def current_rounds(enterprises: QuerySet[Enterprise]) -> QuerySet[AssessmentRound]:
    return AssessmentRound.objects.filter(enterprise__in=enterprises, current=True, overall__isnull=False)


def latest_plans(enterprises: QuerySet[Enterprise]) -> QuerySet[PlanRecord]:
    newest = PlanRecord.objects.filter(enterprise=OuterRef("enterprise")).order_by("-created_at", "-id").values("pk")
    return PlanRecord.objects.filter(enterprise__in=enterprises, pk=Subquery(newest[:1]))


@dataclass(frozen=True)
class Cell:
    key: str
    n: int
    mean: float
    low: float
    high: float


@dataclass(frozen=True)
class Distribution:
    dimension: str
    cells: list[Cell]
    hidden: int  # groups of fewer than MIN_CELL enterprises, not shown


def maturity_by(enterprises: QuerySet[Enterprise], dimension: str) -> Distribution:
    rows = (
        current_rounds(enterprises)
        .annotate(key=DIMENSIONS[dimension])
        .values("key")
        .annotate(n=Count("pk"), mean=Avg("overall"), low=Min("overall"), high=Max("overall"))
        .order_by("-n", "key")
    )
    cells, hidden = [], 0
    for r in rows:
        if r["n"] < MIN_CELL:
            hidden += 1
            continue
        cells.append(Cell(r["key"] or "—", r["n"], round(r["mean"], 1), r["low"], r["high"]))
    return Distribution(dimension, cells, hidden)


@dataclass(frozen=True)
class HeatMap:
    rows: list[str]  # chains
    columns: list[str]  # scenario ids
    names: dict[str, tuple[str, str]]  # scenario id -> (zh, en)
    counts: dict[tuple[str, str], int]  # (chain, scenario) -> number of latest plans including it

    def matrix(self) -> list[tuple[str, list[int]]]:
        return [(r, [self.counts.get((r, c), 0) for c in self.columns]) for r in self.rows]


def _items(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, str):  # a backend that returns the JSON text of a key transform
        value = json.loads(value)
    return [i for i in value or [] if isinstance(i, dict)]


def demand_heatmap(enterprises: QuerySet[Enterprise]) -> HeatMap:
    counts: Counter[tuple[str, str]] = Counter()
    names: dict[str, tuple[str, str]] = {}
    for chain, items in latest_plans(enterprises).values_list("enterprise__chain", "plan__items"):
        seen = set()
        for item in _items(items):
            sid = str(item.get("scenario", ""))
            if not sid or sid in seen:
                continue
            seen.add(sid)
            names.setdefault(sid, (str(item.get("name_zh", sid)), str(item.get("name_en", sid))))
            counts[(chain or "—", sid)] += 1
    by_scenario: Counter[str] = Counter()
    by_chain: Counter[str] = Counter()
    for (chain, sid), n in counts.items():
        by_scenario[sid] += n
        by_chain[chain] += n
    rows = sorted(by_chain, key=lambda c: (-by_chain[c], c))
    columns = sorted(by_scenario, key=lambda s: (-by_scenario[s], s))
    return HeatMap(rows, columns, names, dict(counts))


@dataclass(frozen=True)
class Totals:
    plans: int
    one_off: float
    subsidy: float
    annual_benefit_median: float


def _money(key: str) -> Any:
    return Sum(Cast(KT(f"plan__money__{key}"), FloatField()))


def totals(enterprises: QuerySet[Enterprise]) -> Totals:
    agg = latest_plans(enterprises).aggregate(
        plans=Count("pk"),
        one_off=_money("one_off"),
        subsidy=_money("subsidy"),
        benefit=_money("annual_benefit__median"),
    )
    return Totals(
        agg["plans"],
        round(agg["one_off"] or 0.0, 2),
        round(agg["subsidy"] or 0.0, 2),
        round(agg["benefit"] or 0.0, 2),
    )


@dataclass(frozen=True)
class PilotRow:
    pk: int
    name: str
    city: str
    chain: str
    size_class: str
    inputs: PilotInput
    result: PilotScore


def pilot_ranking(enterprises: QuerySet[Enterprise], weights: Weights) -> list[PilotRow]:
    """One query loads the few fields the score needs; the score itself is ``pilots.score``."""
    overall = current_rounds(Enterprise.objects.all()).filter(enterprise=OuterRef("pk")).values("overall")[:1]
    rows = enterprises.annotate(
        maturity=Subquery(overall),
        has_plan=Exists(PlanRecord.objects.filter(enterprise=OuterRef("pk"))),
    ).values(
        "pk",
        "name",
        "city",
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
    for r in rows:
        systems = _list(r["profile__systems"])
        inputs = PilotInput(
            overall=r["maturity"],
            systems=len(systems),
            budget=_float(r["profile__budget"]),
            revenue=r["revenue"],
            steps=1 + (r["maturity"] is not None) + bool(r["has_plan"]),
            in_chain=bool(r["chain"]),
            size_class=r["size_class"],
            qualifications=tuple(str(q) for q in _list(r["profile__qualifications"])),
        )
        out.append(PilotRow(r["pk"], r["name"], r["city"], r["chain"], r["size_class"], inputs, score(inputs, weights)))
    out.sort(key=lambda p: (-p.result.score, p.name))
    return out


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
