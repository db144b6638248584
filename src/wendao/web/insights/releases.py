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
from django.db.models import QuerySet
from django.utils import timezone

from wendao.engine import disclosure
from wendao.web.enterprises.models import AssessmentRound, DimensionResult, Enterprise
from wendao.web.insights.models import CellRelease

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
