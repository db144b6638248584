"""Peer averages for the maturity radar when no platform data is at hand (CLI documents).

The web platform compares against real enterprises of the programme (a SQL mean per dimension,
web/enterprises/services.peer_scores). A document made by the CLI has no database, so it compares against the
built-in SYNTHETIC demo enterprises, and says so — with the same statistic (the arithmetic mean, one decimal),
so a reader who sees both sees one kind of figure. Cells with fewer than 5 enterprises are never shown (the
same minimum cell size as the platform's dashboards).
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass

from wendao.engine.assessment import assess
from wendao.engine.catalog import LoadedCatalog
from wendao.engine.disclosure import MIN_CELL
from wendao.engine.profile import parse_profile
from wendao.synthetic import synthetic_profile

DEMO_SEED = 20260519  # the demo programme's seed (the day the Hangzhou class opened)
DEMO_SIZE = 300


_CACHE: dict[str, tuple[tuple[str, str, dict[str, float]], ...]] = {}


def _demo_scores(loaded: LoadedCatalog) -> tuple[tuple[str, str, dict[str, float]], ...]:
    if loaded.content_hash not in _CACHE:
        _CACHE[loaded.content_hash] = _compute_demo_scores(loaded)
    return _CACHE[loaded.content_hash]


def _compute_demo_scores(loaded: LoadedCatalog) -> tuple[tuple[str, str, dict[str, float]], ...]:
    rng = random.Random(DEMO_SEED)
    groups = {i.code: i.group for i in loaded.catalog.industries}
    out = []
    for k in range(DEMO_SIZE):
        profile = parse_profile(synthetic_profile(loaded, rng, k), loaded)
        result = assess(profile.answers, loaded.questionnaire)
        scores = {d.id: d.score for d in result.dimensions if d.score is not None}
        out.append((groups[profile.division], profile.size_class, scores))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class PeerCell:
    """Which peers were averaged: an industry group, a size class (None: the whole group), how many, and
    whether they are the synthetic demo enterprises (CLI documents) or the platform's own (web documents)."""

    group: str
    size_class: str | None
    enterprises: int
    synthetic: bool = True


@dataclass(frozen=True, slots=True)
class PeerComparison:
    """What a document compares the enterprise with: averages per dimension (None: too few peers to show)."""

    averages: dict[str, float] | None
    cell: PeerCell | None


def synthetic_peer_averages(
    loaded: LoadedCatalog, division: str, size_class: str
) -> tuple[dict[str, float] | None, PeerCell | None]:
    """Mean per dimension of synthetic demo peers: same industry group and size class, else the same group.
    Returns (averages or None, the cell averaged or None when fewer than 5 peers)."""
    group = next(i.group for i in loaded.catalog.industries if i.code == division)
    rows = _demo_scores(loaded)
    for size, members in (
        (size_class, [s for g, z, s in rows if g == group and z == size_class]),
        (None, [s for g, _z, s in rows if g == group]),
    ):
        if len(members) >= MIN_CELL:
            dims = {d for m in members for d in m}
            means = {d: round(statistics.fmean(m[d] for m in members if d in m), 1) for d in dims}
            return means, PeerCell(group, size, len(members))
    return None, None
