"""Keep ``PlanSummary`` rows and ``PilotComponents`` in step with what they are made from (see
``insights.models`` for why they exist)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from wendao.engine.plan import PAIN_MATCH_THRESHOLD, STAGE_LABELS
from wendao.web.enterprises.models import AssessmentRound, Enterprise, PlanRecord
from wendao.web.insights.models import PlanItemSummary, PlanNeedSummary, PlanSummary


def _float(value: Any) -> float:
    try:
        return float(value or 0.0)
    except (TypeError, ValueError):
        return 0.0


def scenario_names(item: dict[str, Any], sid: str) -> tuple[str, str]:
    """The scenario's names without the stage a pilot or roll-out item's name carries (STAGE_LABELS)."""
    zh, en = str(item.get("name_zh", sid)), str(item.get("name_en", sid))
    stage_zh, stage_en = STAGE_LABELS.get(str(item.get("stage") or ""), ("", ""))
    if stage_zh:
        zh, en = zh.removesuffix(f"（{stage_zh}）"), en.removesuffix(f" ({stage_en})")
    return zh[:200], en[:200]


def summary_rows(plan_pk: int, enterprise_pk: int, plan: dict[str, Any]) -> tuple[PlanSummary, list[PlanItemSummary]]:
    """The summary of one stored plan and its item rows (unsaved; one row per scenario)."""
    money = plan.get("money") or {}
    items: dict[str, PlanItemSummary] = {}
    for item in plan.get("items") or []:
        if not isinstance(item, dict) or not item.get("scenario"):
            continue
        sid = str(item["scenario"])
        if sid in items:  # a pilot and its roll-out (wendao.plan/3) are one scenario: their money adds up
            items[sid].npv += _float(item.get("npv"))
            items[sid].one_off += _float(item.get("one_off"))
            continue
        name_zh, name_en = scenario_names(item, sid)
        items[sid] = PlanItemSummary(
            summary_id=plan_pk,
            scenario_id=sid,
            name_zh=name_zh,
            name_en=name_en,
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


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def likely_subsidy(item: dict[str, Any]) -> float:
    """What one roadmap item may receive: the counted subsidy, or the largest amount of one policy it is
    eligible for (also one whose conditions the firm must still confirm) when that is more. Policies are not
    added up, since most exclude each other for one project."""
    funding = item.get("funding") if isinstance(item.get("funding"), dict) else {}
    best = max((_float(e.get("amount")) for e in _dicts(funding.get("eligible")) if e.get("eligible")), default=0.0)
    return max(_float(item.get("subsidy")), _float(funding.get("counted_subsidy")), best)


def extra_fields(plan: dict[str, Any]) -> dict[str, float]:
    """The summary figures added after the first version (a migration fills them for stored plans)."""
    money = plan.get("money") if isinstance(plan.get("money"), dict) else {}
    benefit = money.get("annual_benefit") if isinstance(money.get("annual_benefit"), dict) else {}
    return {
        "annual_benefit_low": _float(benefit.get("low")),
        "annual_benefit_high": _float(benefit.get("high")),
        "annual_running": _float(money.get("annual_running")),
        "subsidy_likely": round(sum(likely_subsidy(i) for i in _dicts(plan.get("items"))), 4),
    }


def need_rows(plan_pk: int, plan: dict[str, Any]) -> list[PlanNeedSummary]:
    """The scenarios this plan's stated needs point to (unsaved rows)."""
    out: dict[str, PlanNeedSummary] = {}
    for s in _dicts(plan.get("scenarios")):
        fit = s.get("fit") if isinstance(s.get("fit"), dict) else {}
        sid = str(s.get("id") or "")
        if sid and sid not in out and _float(fit.get("pain")) >= PAIN_MATCH_THRESHOLD:
            out[sid] = PlanNeedSummary(
                summary_id=plan_pk,
                scenario_id=sid,
                name_zh=str(s.get("name_zh", sid))[:200],
                name_en=str(s.get("name_en", sid))[:200],
            )
    return list(out.values())


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
        plan = instance.plan or {}
        summary, items = summary_rows(instance.pk, instance.enterprise_id, plan)
        for field, value in extra_fields(plan).items():
            setattr(summary, field, value)
        summary.save()
        PlanItemSummary.objects.bulk_create(items)
        PlanNeedSummary.objects.bulk_create(need_rows(instance.pk, plan))
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
