"""Keep ``PlanSummary`` rows and ``PilotComponents`` in step with what they are made from (see
``insights.models`` for why they exist)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from wendao.web.enterprises.models import AssessmentRound, Enterprise, PlanRecord
from wendao.web.insights.models import PlanItemSummary, PlanSummary


def _float(value: Any) -> float:
    try:
        return float(value or 0.0)
    except (TypeError, ValueError):
        return 0.0


def summary_rows(plan_pk: int, enterprise_pk: int, plan: dict[str, Any]) -> tuple[PlanSummary, list[PlanItemSummary]]:
    """The summary of one stored plan and its item rows (unsaved; one row per scenario)."""
    money = plan.get("money") or {}
    items: dict[str, PlanItemSummary] = {}
    for item in plan.get("items") or []:
        if not isinstance(item, dict) or not item.get("scenario") or str(item["scenario"]) in items:
            continue
        sid = str(item["scenario"])
        items[sid] = PlanItemSummary(
            summary_id=plan_pk,
            scenario_id=sid,
            name_zh=str(item.get("name_zh", sid))[:200],
            name_en=str(item.get("name_en", sid))[:200],
            npv=_float(item.get("npv")),
            one_off=_float(item.get("one_off")),
        )
    summary = PlanSummary(
        plan_id=plan_pk,
        enterprise_id=enterprise_pk,
        latest=True,
        items=len(items),
        one_off=_float(money.get("one_off")),
        subsidy=_float(money.get("subsidy")),
        annual_benefit_median=_float((money.get("annual_benefit") or {}).get("median")),
    )
    return summary, list(items.values())


def _promote_newest(enterprise_pk: int) -> None:
    newest = PlanRecord.objects.filter(enterprise_id=enterprise_pk).order_by("-created_at", "-id").first()
    PlanSummary.objects.filter(enterprise_id=enterprise_pk).exclude(plan_id=getattr(newest, "pk", None)).update(
        latest=False
    )
    if newest is not None:
        PlanSummary.objects.filter(plan_id=newest.pk).update(latest=True)


def _refresh_pilot(enterprise_pk: int) -> None:
    from wendao.web.insights.queries import refresh_pilot_components

    refresh_pilot_components(Enterprise.objects.filter(pk=enterprise_pk))


def plan_saved(sender: Any, instance: PlanRecord, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loaddata: fixtures carry their own rows
        return
    with transaction.atomic():
        PlanSummary.objects.filter(plan_id=instance.pk).delete()
        summary, items = summary_rows(instance.pk, instance.enterprise_id, instance.plan or {})
        summary.save()
        PlanItemSummary.objects.bulk_create(items)
        _promote_newest(instance.enterprise_id)
        _refresh_pilot(instance.enterprise_id)


def plan_deleted(sender: Any, instance: PlanRecord, **kwargs: Any) -> None:
    if Enterprise.objects.filter(pk=instance.enterprise_id).exists():  # not while the enterprise goes
        _promote_newest(instance.enterprise_id)
        _refresh_pilot(instance.enterprise_id)


def enterprise_saved(sender: Any, instance: Enterprise, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _refresh_pilot(instance.pk)


def round_saved(sender: Any, instance: AssessmentRound, raw: bool = False, **kwargs: Any) -> None:
    # only a completed round that became current changes the score (autosaves of open rounds do not)
    if not raw and instance.current:
        _refresh_pilot(instance.enterprise_id)
