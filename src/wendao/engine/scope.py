"""Deployment scope (issue 13): how many units a scenario can cover in this enterprise, what covering them
costs and which share of each money pool they touch.

A scenario is deployed on units (inspection stations, production lines, key machines, process units,
warehouses, or the whole site). The enterprise has N of them (its own count, or the default for its industry
group and size class, shown as a default). Covering n of N units costs fixed + n × per unit and takes
n/N × pool_share × effect of each pool the scenario acts on. A scenario with N above its pilot is planned in
two stages, a pilot and then the roll-out to the other units (先试点、后推广).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from wendao.engine.catalog.schema import (
    CostBand,
    CountDefault,
    Scope,
    SiteScaling,
    SizeClass,
    SizeScaling,
    UnitCost,
)
from wendao.engine.profile import EnterpriseProfile

# How a person reads a unit (zh, en); the counts' names are FIGURE_NAMES in engine/profile.py
UNIT_NAMES: dict[str, tuple[str, str]] = {
    "station": ("个质检工位", "inspection stations"),
    "line": ("条产线", "production lines"),
    "machine": ("台关键设备", "key machines"),
    "unit": ("套工艺装置", "process units"),
    "warehouse": ("个仓库", "warehouses"),
    "site": ("个厂区（全厂）", "site (whole plant)"),
    # a group's site-wide scenario: one per planning.yaml site_scaling.reference_revenue of revenue
    "site_equiv": ("个厂区当量（按营业收入折算）", "site equivalents (by revenue)"),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitCount:
    """How many units of one kind the enterprise has, and where the figure comes from."""

    count: str
    value: int
    default: bool  # True: the industry-group default for the size class, not the enterprise's own figure
    estimate: str | None  # how the default was set


class Counts:
    """Looks up unit counts: the profile's own figure, else the most specific default (division, industry
    group, then 'all') for the enterprise's size class, else 1."""

    def __init__(self, defaults: Sequence[CountDefault], groups: Mapping[str, str], sites: int = 1) -> None:
        self._by_key: dict[tuple[str, str], CountDefault] = {(d.count, d.applies_to): d for d in defaults}
        self._groups = groups
        self._sites = max(1, sites)

    def get(self, profile: EnterpriseProfile, count: str) -> UnitCount:
        """The profile's own count, else the default; a group of ``sites`` site equivalents (``site_equivalents``)
        has that many times the default, which is written for one plant of its size class."""
        if count == "site":
            return UnitCount(count=count, value=1, default=False, estimate=None)
        own = getattr(profile.baseline, count, None)
        if own is not None:
            return UnitCount(count=count, value=int(own), default=False, estimate=None)
        d = self.default(profile, count)
        if self._sites == 1:
            return d
        why = f"{d.estimate or 'default'}; × {self._sites} site equivalents of a group (planning.yaml site_scaling)"
        return UnitCount(count=count, value=d.value * self._sites, default=True, estimate=why)

    def default(self, profile: EnterpriseProfile, count: str) -> UnitCount:
        """The default count for the enterprise's division and size class, whatever its own figure says."""
        if count == "site":
            return UnitCount(count=count, value=1, default=False, estimate=None)
        division = profile.division
        size: SizeClass = profile.size_class
        for key in (division, self._groups.get(division, ""), "all"):
            d = self._by_key.get((count, key))
            if d is not None:
                return UnitCount(count=count, value=d.by_size[size], default=True, estimate=d.estimate)
        return UnitCount(count=count, value=1, default=True, estimate="no default found: one unit assumed")


def size_factor(size: float, reference: float, rule: SizeScaling) -> float:
    """(size ÷ reference) ** exponent, at least 1 and at most ``rule.max_factor``: the cost-capacity rule
    applied above the size a price was written for, never below it."""
    if reference <= 0 or size <= reference:
        return 1.0
    return round(min(rule.max_factor, float((size / reference) ** rule.exponent)), 4)


def unit_cost_scale(
    scope: Scope, revenue: float, size: SizeClass, units: UnitCount, default_units: UnitCount, rule: SizeScaling | None
) -> float:
    """The multiplier of a scope's per-unit price for the size of one unit: the unit's share of revenue
    (revenue ÷ N) against the reference revenue of the size class ÷ the class's default N (the per-unit prices
    were set as the class's band divided by its default number of units, see the scopes' estimates). Only the
    unit kinds the rule names scale (process units: the rule was written for process equipment); 1 otherwise."""
    if rule is None or scope.unit not in rule.units or scope.per_unit is None:
        return 1.0
    reference = rule.reference_revenue.get(size, 0.0)
    return size_factor(revenue / max(units.value, 1), reference / max(default_units.value, 1), rule)


def division_unit_scale(revenue: float, units: UnitCount, unit_revenue: float, rule: SizeScaling | None) -> float:
    """The multiplier of a division's own per-unit price (``DivisionScope``) for the size of one unit: (revenue ÷ N
    ÷ the unit revenue the price was written for) ** exponent, within 1/max_factor and max_factor: a smaller
    furnace or mill costs less by the same six-tenths rule that makes a larger one cost more."""
    if rule is None or unit_revenue <= 0:
        return 1.0
    ratio = revenue / max(units.value, 1) / unit_revenue
    if ratio <= 0:
        return round(1 / rule.max_factor, 4)
    return round(min(rule.max_factor, max(1 / rule.max_factor, float(ratio**rule.exponent))), 4)


def class_price_factor(scope: Scope, band: CostBand | None, default_units: UnitCount) -> float:
    """The multiplier that makes a scope's price agree with the scenario's own size-class band: covering the
    class's default number of units (fixed + N × per unit) costs at least the band's median one-off. The per-unit
    prices were written as the band divided by the default number of units, but for one size class only (most
    agree with the small band): without this a medium or large firm's line, station or machine was priced like a
    small firm's (a 850-person plant's lean tools at 6.5 万元 a line against the medium band's 20–150 万元). Never
    below 1: where the scope already costs the band or more, its own price stands."""
    if band is None or scope.per_unit is None:
        return 1.0
    per_unit = (scope.per_unit.one_off.low + scope.per_unit.one_off.high) / 2
    fixed = (scope.fixed.one_off.low + scope.fixed.one_off.high) / 2 if scope.fixed is not None else 0.0
    target = (band.one_off.low + band.one_off.high) / 2 - fixed
    n = max(default_units.value, 1)
    if per_unit <= 0 or target <= n * per_unit:
        return 1.0
    return round(target / (n * per_unit), 4)


def _mid(low: float, high: float) -> tuple[float, float, float]:
    return low, (low + high) / 2, high


def cost_of(
    scope: Scope, units: int, band: UnitCost | None, with_fixed: bool = True
) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """(one-off, running per year) as (low, median, high) 万元 for covering ``units`` units: fixed (when
    ``with_fixed``) + units × per unit; a site-wide scope without a per-unit cost is priced by ``band`` (the
    cost model's size-class band)."""
    if scope.per_unit is None:
        assert band is not None, "a site-wide scope without a per-unit cost needs its size band"
        return _mid(band.one_off.low, band.one_off.high), _mid(band.annual.low, band.annual.high)
    lines = [(scope.per_unit, float(units))]
    if with_fixed and scope.fixed is not None:
        lines.append((scope.fixed, 1.0))
    one = (sum(c.one_off.low * n for c, n in lines), sum(c.one_off.high * n for c, n in lines))
    run = (sum(c.annual.low * n for c, n in lines), sum(c.annual.high * n for c, n in lines))
    return _mid(*one), _mid(*run)


def pilot_units(scope: Scope, total: int) -> int:
    """Units covered by the pilot; equal to ``total`` when the scenario is not staged."""
    return min(total, scope.pilot_units)


# --- a group above the size the site-wide bands describe (planning.yaml site_scaling) ----------------------


def site_equivalents(revenue: float, rule: SiteScaling | None, own_reference: float | None = None) -> int:
    """How many plants of the size the site-wide bands describe a firm counts: revenue ÷ the rule's reference,
    rounded; 1 below 1.5 references (a firm priced by its band as before). Above that, a firm whose size class is
    below large (few people, much revenue) is priced by its own class's band, written for a plant of up to
    ``own_reference`` (planning.yaml size_scaling.reference_revenue): it counts revenue ÷ that reference, not
    ÷ the large band's 20 亿元 (a 40 亿元 medium firm is ten medium plants, not two)."""
    if rule is None or revenue <= rule.reference_revenue:
        return 1
    k = max(1, round(revenue / rule.reference_revenue))
    if k > 1 and own_reference is not None and 0 < own_reference < rule.reference_revenue:
        return max(k, round(revenue / own_reference))
    return k


def site_split(k: int, rule: SiteScaling) -> tuple[float, float]:
    """(a, b): covering n of k site equivalents costs band × (a + n × b), with a + b = 1 (one costs the band) and
    a + k × b = min(max_factor, k ** exponent) (all of them cost the band times the cost-capacity factor). a is
    what is built once (platform, models, data governance), b what each further site adds."""
    if k <= 1:
        return 1.0, 0.0
    factor = min(rule.max_factor, float(k**rule.exponent))
    b = (factor - 1.0) / (k - 1)
    return round(1.0 - b, 6), round(b, 6)


def rollout_units(rest: int, share: float | None) -> int:
    """Units a roll-out covers within the plan: all ``rest`` units after the pilot, or a group's stated share of
    them (at least one)."""
    if share is None or rest <= 0:
        return rest
    return max(1, min(rest, math.ceil(round(rest * share, 9))))
