"""The plan's "what firms of the same industry and size did" section: nearest real cases per roadmap scenario, the
rows of report/cases.py (the same rows the PDF, Word and Markdown plans print), with the active catalog's scenario
families."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from wendao.engine.plan import Plan
from wendao.report.cases import plan_cases_context
from wendao.report.labels import Labels
from wendao.web.catalog.services import active_catalog

register = template.Library()


@register.inclusion_tag("enterprises/_plan_cases.html")
def plan_cases(plan: Plan) -> dict[str, Any]:
    lang = "en" if (get_language() or "").startswith("en") else "zh"
    ctx = plan_cases_context(plan, Labels(lang), active_catalog())
    labels = Labels(lang)
    # punctuation of the reader's language (full-width in Chinese), as the documents print it
    punct = {
        "colon": labels.colon,
        "semi": labels.semi,
        "open": "（" if labels.zh else " (",
        "close": "）" if labels.zh else ")",
    }
    return {"rows": ctx["rows"], "items": ctx["scenarios"], "p": punct}
