"""Which of the enterprise's own figures would sharpen its plan most (issue 13 item 7).

A plan can be made on industry defaults alone (flagged "按行业默认值估算"); it then names the three figures whose
defaults carry the most money: for a baseline figure, the risk-adjusted yearly benefit of the roadmap items
that rests on a pool computed from its default; for a unit count, the one-off cost of the items priced by it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel, Field

from wendao.engine.profile import FIGURE_NAMES
from wendao.engine.scenarios import RankedScenario

TOP = 3


class OwnFigure(BaseModel):
    """A figure the enterprise could give instead of a default, and the money that rests on the default."""

    figure: str = Field(description="profile figure (Baseline field)")
    name_zh: str
    name_en: str
    at_stake: float = Field(description="万元: yearly benefit (baseline figure) or one-off cost (unit count)")
    kind: str = Field(description="benefit | cost: what at_stake measures")


class DefaultsUse(BaseModel):
    """How far the plan rests on defaults rather than the enterprise's own figures."""

    on_defaults: bool = Field(description="no counted benefit of the roadmap rests on a figure the enterprise gave")
    benefit_on_defaults: float = Field(description="万元 per year of the items' risk-adjusted median on defaults")
    benefit_total: float = Field(description="万元 per year, the items' risk-adjusted medians summed")
    sharpen_most: list[OwnFigure]


def defaults_use(
    items: Sequence[tuple[str, float, float, str | None] | tuple[str, float, float, str | None, float]],
    ranked: Mapping[str, RankedScenario],
) -> DefaultsUse:
    """``items``: (scenario, share of the scenario's benefit, one-off cost, unit count if priced by units, and
    optionally the item's chance of success in the roadmap) for each roadmap item. The roadmap's chance counts the
    foundations live before the item (engine/roadmap_lifts.py), so the money at stake is the money the plan
    shows; without it, the ranking's chance (today's maturity) is used."""
    stake: dict[str, float] = {}
    kinds: dict[str, str] = {}
    on_defaults = total = 0.0
    own = False
    for sid, share, one_off, count, *chance in items:
        r = ranked[sid]
        risk = chance[0] if chance else r.feasibility.risk_factor
        for line in r.valuation.lines:
            if not line.counted:
                continue
            money = line.annual.median * share * risk
            total += money
            if line.baseline.origin == "profile":
                own = True
                continue
            if line.baseline.origin == "mixed":
                own = True
            on_defaults += money
            for f in line.baseline.sharpen_with:
                stake[f] = stake.get(f, 0.0) + money
                kinds[f] = "benefit"
        cov = r.valuation.coverage
        if count is not None and cov is not None and cov.count_default:
            stake[count] = stake.get(count, 0.0) + one_off
            kinds.setdefault(count, "cost")
    best = sorted(stake, key=lambda f: (-stake[f], f))[:TOP]
    return DefaultsUse(
        on_defaults=not own and total > 0,
        benefit_on_defaults=round(on_defaults, 2),
        benefit_total=round(total, 2),
        sharpen_most=[
            OwnFigure(
                figure=f,
                name_zh=FIGURE_NAMES.get(f, (f, f))[0],
                name_en=FIGURE_NAMES.get(f, (f, f))[1],
                at_stake=round(stake[f], 2),
                kind=kinds[f],
            )
            for f in best
            if stake[f] > 0
        ],
    )
