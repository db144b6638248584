"""Stored releases of peer figures: what every reader of a cell is shown (the rule: ``engine.disclosure``).

A peer cell (an industry group and a size class) is read from its ``CellRelease``: the noisy sum of each
dimension over the current assessment round of every firm of the cell, made when the cell is first read with
at least the minimum number of firms, and replaced only when ``disclosure.release_due`` says so (two members
changed and the release is 30 days old). Every reader sees the same release, with their own firms in it: a
figure made per reader (their own firms left out) would give each of an attacker's accounts its own noise to
average. What a reader's own firms change is handled by the minimum instead: a release is shown to a reader only
if at least the minimum number of its firms are unknown to them (``peer_view``).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from wendao.engine import disclosure
from wendao.web.enterprises.models import AssessmentRound, DimensionResult, Enterprise
from wendao.web.insights.models import CellRelease, PlanSummary
from wendao.web.insights.queries import Money

_SYSTEM_RANDOM = random.SystemRandom()


def peer_cell_name(industry_group: str, size_class: str) -> str:
    return f"peer:{industry_group}:{size_class}"


def peer_release(
    industry_group: str, size_class: str, minimum: int, *, rng: random.Random | None = None
) -> CellRelease | None:
    """The cell's release in force, made or replaced now if due; None while the cell never had ``minimum`` firms.
    ``rng``: the noise's source (tests pass a seeded one; the default is the operating system's). A read that
    changes nothing takes no write lock and reads no scores, only the cell's member ids."""
    cell = peer_cell_name(industry_group, size_class)
    in_cell = DimensionResult.objects.filter(
        round__current=True,
        round__enterprise__industry_group=industry_group,
        round__enterprise__size_class=size_class,
        score__isnull=False,
    )
    members = sorted(set(in_cell.values_list("round_id", flat=True)))

    def scores() -> dict[str, list[float]]:
        by_dimension: dict[str, list[float]] = {}
        for _round, dimension, score in in_cell.values_list("round_id", "dimension", "score"):
            by_dimension.setdefault(dimension, []).append(float(score))
        return by_dimension

    return _in_force(cell, members, minimum, lambda: disclosure.release(scores(), rng or _SYSTEM_RANDOM))


def _due(release: CellRelease | None, members: list[int], minimum: int) -> bool:
    if release is None:
        return len(members) >= minimum
    age = (timezone.now() - release.created_at).total_seconds() / 86400
    return len(members) >= minimum and disclosure.release_due(release.members, members, age)


def _in_force(
    cell: str, members: list[int], minimum: int, make: Callable[[], dict[str, disclosure.Released]]
) -> CellRelease | None:
    """The release of ``cell`` in force: the stored one, or (when ``_due``) a new one from ``make`` stored in its
    place. A cell that shrank below ``minimum`` keeps the release it had (made when it was large enough)."""
    current = CellRelease.objects.filter(cell=cell).first()
    if not _due(current, members, minimum):
        return current
    with transaction.atomic():
        current = CellRelease.objects.select_for_update().filter(cell=cell).first()
        if not _due(current, members, minimum):  # another request replaced it meanwhile
            return current
        figures = {key: [r.total, r.n] for key, r in make().items()}
        now = timezone.now()
        if current is not None:
            current.members, current.figures, current.created_at = members, figures, now
            current.save(update_fields=["members", "figures", "created_at"])
            return current
        try:
            with transaction.atomic():
                return CellRelease.objects.create(cell=cell, members=members, figures=figures, created_at=now)
        except IntegrityError:  # another request made it first: theirs is the release
            return CellRelease.objects.get(cell=cell)


@dataclass(frozen=True)
class PeerView:
    """What one reader is shown of a release: its firms, and the mean per dimension (empty: hidden to them)."""

    enterprises: int
    averages: dict[str, float]
    released_at: datetime | None = None


def peer_view(release: CellRelease, known: QuerySet[Enterprise], minimum: int) -> PeerView:
    """The release as shown to readers who know the firms ``known``: hidden unless ``minimum`` of its firms are
    unknown to them, and each dimension only if ``minimum`` unknown firms are in it (its count less every known
    firm of the release, a lower bound). Means on the 0-100 scale, one decimal, noise clipped to the scale."""
    known_in = AssessmentRound.objects.filter(pk__in=release.members, enterprise__in=known).count()
    if len(release.members) - known_in < minimum:
        return PeerView(len(release.members) - known_in, {}, release.created_at)
    averages = {
        d: round(min(100.0, max(0.0, total / n)), 1)
        for d, (total, n) in release.figures.items()
        if n - known_in >= minimum
    }
    return PeerView(len(release.members), averages, release.created_at)


# --- a chain leader's demand cells ------------------------------------------------------------------------------


def chain_cell_name(chain: str) -> str:
    return f"chain:{chain}"


def chain_release(
    chain: str, amounts_by_plan: dict[int, dict[str, float]], minimum: int, *, rng: random.Random | None = None
) -> CellRelease | None:
    """The chain's release of scenario demand: per scenario the noisy sum of the one-off estimates and the number
    of firms, over the current plan of every firm of the chain (``amounts_by_plan``: plan id -> scenario ->
    one-off estimate; a new plan is a change). Made and replaced by the same rule as a peer cell's."""

    def amounts() -> dict[str, list[float]]:
        by_scenario: dict[str, list[float]] = {}
        for costs in amounts_by_plan.values():
            for scenario, cost in costs.items():
                by_scenario.setdefault(scenario, []).append(cost)
        return by_scenario

    return _in_force(
        chain_cell_name(chain),
        sorted(amounts_by_plan),
        minimum,
        lambda: disclosure.release_amounts(amounts(), rng or _SYSTEM_RANDOM),
    )


# --- a city's views for its officials ---------------------------------------------------------------------------

# the money a city release carries: the figure of ``queries.Money`` -> the ``PlanSummary`` field summed
CITY_MONEY = {
    "one_off": "one_off",
    "subsidy_counted": "subsidy",
    "subsidy_likely": "subsidy_likely",
    "annual_running": "annual_running",
    "benefit_low": "annual_benefit_low",
    "benefit_median": "annual_benefit_median",
    "benefit_high": "annual_benefit_high",
}


def city_cell_name(city: str) -> str:
    return f"city:{city}"


@dataclass(frozen=True)
class CityFigures:
    """What a city's officials are shown of the plans of the firms that share with the city: the plans of the
    release in force (``plans``: the demand tables and heat map count their items) and its noisy money totals.
    Before the city ever had ``MIN_CELL`` firms with a plan: no plans, zero money, ``released_at`` None."""

    plans: QuerySet[PlanSummary]
    money: Money
    released_at: datetime | None


def city_figures(city: str, *, rng: random.Random | None = None) -> CityFigures:
    """The city's release, made or replaced now if due (the rule of a peer cell: ``disclosure.release_due``).

    Members are the latest plans of the firms that share with the city (``access.city_enterprises``), so a firm
    that starts sharing, withdraws, or plans again is a change. The money totals carry ``release_amounts``'s
    noise (one firm's worth of each sum); the counts of plans, items and scenarios are exact over the release's
    plans. Before the fix every read summed the live plans: when one firm started sharing, the difference of two
    reads was its plan's money and scenarios, beyond the name, industry, size, overall score and item count its
    consent lets officials see (docs/security.md, "City officials' views")."""
    from wendao.web.enterprises.access import city_enterprises

    latest = PlanSummary.objects.filter(enterprise__in=city_enterprises(city), latest=True)
    members = sorted(latest.values_list("pk", flat=True))

    def amounts() -> dict[str, list[float]]:
        fields = list(CITY_MONEY.values())
        by_figure: dict[str, list[float]] = {figure: [] for figure in CITY_MONEY}
        for row in PlanSummary.objects.filter(pk__in=members).values_list(*fields):
            for figure, value in zip(CITY_MONEY, row, strict=True):
                by_figure[figure].append(float(value))
        return by_figure

    release = _in_force(
        city_cell_name(city),
        members,
        disclosure.MIN_CELL,
        lambda: disclosure.release_amounts(amounts(), rng or _SYSTEM_RANDOM),
    )
    if release is None:
        return CityFigures(PlanSummary.objects.none(), Money(0, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0), None)
    plans = PlanSummary.objects.filter(pk__in=release.members)
    figure = {key: round(max(0.0, total), 2) for key, (total, _n) in release.figures.items()}
    # each sum carries its own draw: keep the orders a reader relies on (the counted subsidy within the investment
    # and below the likely one; the benefit band around its median)
    one_off = figure.get("one_off", 0.0)
    counted = min(one_off, figure.get("subsidy_counted", 0.0))
    low, median, high = sorted(figure.get(k, 0.0) for k in ("benefit_low", "benefit_median", "benefit_high"))
    return CityFigures(
        plans,
        Money(
            plans=len(release.members),
            items=plans.aggregate(n=Sum("items"))["n"] or 0,
            one_off=one_off,
            subsidy_counted=counted,
            subsidy_likely=max(counted, figure.get("subsidy_likely", 0.0)),
            annual_running=figure.get("annual_running", 0.0),
            benefit_low=low,
            benefit_median=median,
            benefit_high=high,
        ),
        release.created_at,
    )
