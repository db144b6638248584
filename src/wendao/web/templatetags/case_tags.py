"""The plan's "what firms of the same industry and size did" section: nearest real cases per plan item, from the
case library (wendao.engine.cases), nearest by scenario (family), then division, then size."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from wendao.engine.cases import RELIABILITY_NAMES, cases_for, nearest_cases
from wendao.engine.plan import Plan
from wendao.web.catalog.services import active_catalog

register = template.Library()

CASES_PER_ITEM = 2


@register.inclusion_tag("enterprises/_plan_cases.html")
def plan_cases(plan: Plan) -> dict[str, Any]:
    en = (get_language() or "").startswith("en")
    loaded = active_catalog()
    library = cases_for(loaded)
    rows = []
    for item in plan.items:
        near = nearest_cases(
            library, loaded, [item.scenario], plan.enterprise.industry, plan.enterprise.size_class, CASES_PER_ITEM
        )
        if not near:
            continue
        cases = []
        for n in near:
            c = n.case
            cases.append(
                {
                    "enterprise": c.enterprise_en if en else c.enterprise_zh,
                    "place": "".join(x for x in (c.province_zh, c.city_zh or "") if x),
                    "done": c.done_en if en else c.done_zh,
                    "outcomes": c.outcomes_en if en else c.outcomes_zh,
                    "why": n.why_en if en else n.why_zh,
                    "reliability": RELIABILITY_NAMES[c.reliability][1 if en else 0],
                    "source": c.source,
                    "as_of": c.as_of.isoformat(),
                }
            )
        rows.append({"item": item.name_en if en else item.name_zh, "cases": cases})
    return {"rows": rows, "items": len(plan.items)}
