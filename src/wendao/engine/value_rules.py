"""The value model's rules in one table: how an effect on a figure becomes money.

Two steps, each a table a reader can check line by line:

1. ``POOL_RULES``: each money pool a KPI acts on (the ``baseline`` of a metric in metrics.yaml) and how it is
   worked out from the profile: the enterprise's own figure when given, else the named default
   (baseline_defaults.yaml) applied to revenue or staff. engine/scenarios.py ``_Resolver`` computes them.
2. ``EFFECT_RULES``: how a KPI effect e on a pool of value v becomes yearly money: a lower-is-better figure
   saves v × e ("scale"); a productivity gain p makes the same output with fewer hours, saving v × p/(1 + p)
   ("productivity"); extra output counts v × e only when demand exceeds capacity ("throughput").

The catalog loader checks the tables against metrics.yaml and baseline_defaults.yaml (``value_rule_problems``):
a metric whose pool has no rule, or a rule naming a figure nobody defines, fails ``wendao catalog check``.
Tests: tests/engine/test_value_rules.py, one per rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

PoolKind = Literal[
    "share_of_revenue", "hours_times_rate", "stock_times_rate", "staff_cost", "margin_on_revenue", "own_figure"
]
EffectRule = Literal["scale", "productivity", "throughput"]


@dataclass(frozen=True, slots=True)
class PoolRule:
    """One money pool. ``own``: the profile figures (Baseline fields) that give it directly; ``defaults``: the
    baseline_defaults.yaml figures used when the own figures are missing; ``formula``: as the plan prints it.
    For a staff cost, ``staff_share`` is the default share of employees (None: no default headcount) and
    ``factor`` a default multiplier (the share of their time the effect acts on)."""

    kind: PoolKind
    own: tuple[str, ...]
    defaults: tuple[str, ...]
    formula: str
    staff_share: str | None = None
    factor: str | None = None


def _share(own: str, default: str) -> PoolRule:
    return PoolRule("share_of_revenue", (own,), (default,), f"revenue × {default}")


def _staff(staff: str, share: str | None, factor: str | None = None) -> PoolRule:
    defaults = tuple(f for f in (share, "labour_cost_per_person", factor) if f is not None)
    formula = f"{staff} × labour_cost_per_person" + (f" × {factor}" if factor else "")
    return PoolRule("staff_cost", (staff, "labour_cost_per_person"), defaults, formula, share, factor)


POOL_RULES: dict[str, PoolRule] = {
    "annual_energy_cost": _share("annual_energy_cost", "energy_cost_share_of_revenue"),
    "annual_quality_loss": _share("annual_quality_loss", "quality_loss_share_of_revenue"),
    "annual_maintenance_cost": _share("annual_maintenance_cost", "maintenance_cost_share_of_revenue"),
    "annual_rd_cost": _share("annual_rd_cost", "rd_cost_share_of_revenue"),
    "annual_logistics_cost": _share("annual_logistics_cost", "logistics_cost_share_of_revenue"),
    # no sourced industry default exists for downtime: the pool stays empty until both figures are given
    "annual_downtime_cost": PoolRule(
        "hours_times_rate",
        ("unplanned_downtime_hours", "downtime_cost_per_hour"),
        (),
        "unplanned_downtime_hours × downtime_cost_per_hour",
    ),
    "annual_inventory_carrying_cost": PoolRule(
        "stock_times_rate",
        ("inventory_value", "inventory_carrying_rate"),
        ("inventory_share_of_revenue", "inventory_carrying_rate"),
        "inventory_value × inventory_carrying_rate",
    ),
    # no statistic of sheet-material cost by division was found: the pool is the enterprise's own figure or empty
    "annual_sheet_material_cost": PoolRule(
        "own_figure", ("annual_sheet_material_cost",), (), "annual_sheet_material_cost"
    ),
    "annual_inspection_labour_cost": _staff("inspection_staff", "inspection_staff_share"),
    "annual_production_labour_cost": _staff("production_staff", "production_staff_share"),
    "annual_service_labour_cost": _staff("service_staff", None),
    "annual_engineering_information_cost": _staff(
        "engineering_staff", "engineering_staff_share", factor="engineering_time_share_on_information"
    ),
    "annual_contribution_margin": PoolRule(
        "margin_on_revenue",
        ("contribution_margin_rate",),
        ("contribution_margin_rate",),
        "revenue × contribution_margin_rate",
    ),
}



def is_gain_pool(pool: str) -> bool:
    """A pool the plan adds to (the contribution margin on extra sales or output) rather than cuts: its line
    reads "可增加", a cost pool's "可减少"."""
    rule = POOL_RULES.get(pool)
    return rule is not None and rule.kind == "margin_on_revenue"


# metrics whose effect is not a plain scale of the pool (every other metric: "scale")
EFFECT_RULES: dict[str, EffectRule] = {"labour_productivity": "productivity", "throughput": "throughput"}


def effect_rule(metric: str, better: str) -> EffectRule:
    """How an effect on ``metric`` becomes money. A lower-is-better figure always scales its pool."""
    return "scale" if better == "lower" else EFFECT_RULES.get(metric, "scale")


def effect_money(rule: EffectRule, pool: float, effect: float, capacity_constrained: bool) -> float:
    """Yearly money (万元) from ``effect`` (a share) on a pool of ``pool`` 万元 under ``rule``."""
    if rule == "scale" or (rule == "throughput" and capacity_constrained):
        return pool * effect
    if rule == "productivity":
        return pool * effect / (1 + effect)
    return 0.0


def value_rule_problems(
    metrics: Iterable[tuple[str, str | None]], default_figures: Iterable[str], profile_figures: Iterable[str]
) -> list[str]:
    """The tables against the catalog: every metric's pool (``(metric id, baseline)`` pairs from metrics.yaml)
    has a rule, every rule's own figures are profile fields and its defaults are in baseline_defaults.yaml."""
    defaults, fields = set(default_figures), set(profile_figures)
    problems = [
        f"metrics.yaml {metric}: no value rule for the pool {pool!r} (engine/value_rules.py POOL_RULES)"
        for metric, pool in metrics
        if pool is not None and pool not in POOL_RULES
    ]
    for pool, rule in POOL_RULES.items():
        problems += [f"value rule {pool}: {f!r} is no profile baseline figure" for f in rule.own if f not in fields]
        problems += [
            f"value rule {pool}: default {f!r} is not in baseline_defaults.yaml"
            for f in rule.defaults
            if f not in defaults
        ]
    return problems
