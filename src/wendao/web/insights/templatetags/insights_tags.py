"""``{% scenario_progress record %}``: the progress table under a plan (members set each item's status)."""

from __future__ import annotations

from typing import Any

from django import template

from wendao.web.enterprises.models import PlanRecord
from wendao.web.insights.models import ProgressStatus
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
