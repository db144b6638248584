"""``{% scenario_progress record %}``: the progress table under a plan (members set each item's status).
``{% city_share_switch enterprise %}``: the member's consent to be counted in their city officials' views."""

from __future__ import annotations

from typing import Any

from django import template

from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.insights.labels import labels
from wendao.web.insights.models import CityShare, ProgressStatus
from wendao.web.insights.progress import progress_of

register = template.Library()


@register.inclusion_tag("insights/_plan_progress.html", takes_context=True)
def scenario_progress(context: dict[str, Any], record: PlanRecord) -> dict[str, Any]:
    rows = progress_of(record.enterprise)
    items = [i for i in record.plan.get("items", []) if isinstance(i, dict)]
    return {
        "record": record,
        "items": [(i, rows.get(str(i.get("scenario")))) for i in items],
        "statuses": ProgressStatus.choices,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("insights/_city_share.html", takes_context=True)
def city_share_switch(context: dict[str, Any], enterprise: Enterprise) -> dict[str, Any]:
    """Shown once the enterprise joined a programme: only then is there anything for its city to count."""
    request = context.get("request")
    return {
        "enterprise": enterprise,
        "joined": enterprise.participations.filter(joined_at__isnull=False).exists(),
        "shared": CityShare.objects.filter(enterprise=enterprise).exists(),
        "city": labels().of("city", enterprise.city),
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }
