"""Use case: a member of an enterprise records how far one roadmap item of its plan has got.

The status belongs to the enterprise and the scenario (one row each), not to one plan: a re-plan keeps what
was already started or deployed. The item's NPV and investment are copied from the plan the member looked
at, so the "high-value deployed" target counts with a plain SQL filter.
"""

from __future__ import annotations

from typing import Any

from wendao.web.accounts.audit import record
from wendao.web.accounts.types import Actor
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.insights.models import ScenarioProgress
from wendao.web.insights.signals import scenario_names


def plan_item(plan: dict[str, Any], scenario_id: str) -> dict[str, Any] | None:
    return next((i for i in plan.get("items", []) if isinstance(i, dict) and i.get("scenario") == scenario_id), None)


def set_progress(user: Actor, rec: PlanRecord, scenario_id: str, status: str) -> ScenarioProgress:
    item = plan_item(rec.plan, scenario_id)
    if item is None:
        raise ValueError(f"scenario {scenario_id!r} is not an item of plan {rec.pk}")
    row = ScenarioProgress.objects.filter(enterprise=rec.enterprise, scenario_id=scenario_id).first()
    before = row.status if row is not None else None
    row = row or ScenarioProgress(enterprise=rec.enterprise, scenario_id=scenario_id)
    row.plan = rec
    # a pilot and its roll-out (wendao.plan/3) are one scenario: its name without the stage, their money added
    stages = [i for i in rec.plan.get("items", []) if isinstance(i, dict) and i.get("scenario") == scenario_id]
    row.name_zh = scenario_names(item, scenario_id)[0]
    row.npv = sum(float(i.get("npv", 0.0)) for i in stages)
    row.one_off = sum(float(i.get("one_off", 0.0)) for i in stages)
    row.status = status
    row.updated_by = user if getattr(user, "is_authenticated", False) else None
    row.save()
    record(user, "scenario_progress.set", row, {"scenario": scenario_id, "status": [before, status], "plan": rec.pk})
    return row


def progress_of(enterprise: Enterprise) -> dict[str, ScenarioProgress]:
    return {p.scenario_id: p for p in ScenarioProgress.objects.filter(enterprise=enterprise)}
