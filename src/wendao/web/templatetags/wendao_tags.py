"""Template helpers: pick the zh/en variant of engine fields, format money."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from wendao.engine.scenarios import money_en, money_range_en
from wendao.report.labels import NIL, Labels

register = template.Library()


def _en() -> bool:
    return (get_language() or "").startswith("en")


@register.filter
def loc(obj: Any, field: str) -> Any:
    """{{ scenario|loc:"name" }} -> name_en in English, name_zh otherwise (also for dicts). A field whose
    Chinese text has no suffix (``hardware`` beside ``hardware_en``) falls back to the bare name."""
    key = f"{field}_en" if _en() else f"{field}_zh"
    fallbacks = (f"{field}_zh", field)
    if isinstance(obj, dict):
        return obj.get(key) or next((obj[f] for f in fallbacks if obj.get(f)), "")
    return getattr(obj, key, None) or next((v for f in fallbacks if (v := getattr(obj, f, None))), "")


@register.filter
def lang_pick(obj: Any) -> Any:
    """A Reason-like object with .zh/.en attributes."""
    return getattr(obj, "en" if _en() else "zh", "")


@register.filter
def wan(value: Any) -> str:
    """万元 with thousands separators; one decimal below 100."""
    if value is None or value == "":
        return NIL
    number = float(value)
    return Labels.money(number, 1 if abs(number) < 100 else 0)


@register.filter
def money(value: Any) -> str:
    """An amount given in 万元 with its unit, in running text: “20.0 万元” (``wan``'s precision) in Chinese, “CNY
    200,000” in English (``engine.scenarios.money_en``, the documents' rule). Table headers and KPI tiles keep
    the unit in their label (“10k CNY”)."""
    if value is None or value == "":
        return NIL
    number = float(value)
    digits = 1 if abs(number) < 100 else 0
    return money_en(number, digits) if _en() else f"{Labels.money(number, digits)} 万元"


@register.simple_tag
def kpi_money(value: Any, element_id: str = "") -> SafeString:
    """A key figure tile's amount (given in 万元): “<strong>20.0</strong> 万元” in Chinese, “<strong>CNY
    200,000</strong>” in English, the unit read as in running text (``money_en``); the English tiles had read
    “20.0 10k CNY”. Nothing counted is “0”, not “0.0”."""
    number = 0.0 if value is None or value == "" else float(value)
    attrs = format_html(' id="{}"', element_id) if element_id else ""
    if _en():
        return format_html("<strong{}>{}</strong>", attrs, money_en(number, 1 if abs(number) < 100 else 0))
    shown = "0" if number == 0 else wan(number)
    return format_html("<strong{}>{}</strong> 万元", attrs, shown)


@register.filter
def match_word(score: Any) -> str:
    """A match score as 高/中/低 (high/medium/low): the figure (0.67) meant nothing to a provider or an owner."""
    from wendao.engine.matching import MATCH_LEVELS, match_level  # numpy and the search stack: only where used

    zh, en = MATCH_LEVELS[match_level(float(score or 0))]
    return en if _en() else zh


@register.filter
def yearly_money(value: Any, high: Any = None) -> str:
    """A yearly amount in 万元, or with ``high`` a range: “20.0 万元/年”, “CNY 200,000 a year”."""
    if value is None or value == "":
        return NIL
    low = float(value)
    top = low if high is None or high == "" else float(high)
    if _en():
        return f"{money_range_en(low, top)} a year"
    return (f"{wan(low)} 万元/年" if top == low else f"{wan(low)}–{wan(top)} 万元/年")


@register.filter
def yearly_money_range(value: Any) -> str:
    """A yearly range (an object with ``low`` and ``high`` in 万元): “0.1–0.6 万元/年”, “CNY 1,000–6,000 a year”."""
    low, high = float(value.low), float(value.high)
    if _en():
        return f"{money_range_en(low, high)} a year"
    return f"{wan(low)}–{wan(high)} 万元/年"


@register.filter
def wan_or_nil(value: Any) -> str:
    """A counted subsidy as ``wan`` prints it, or "—" where it rounds to nothing: the documents' rule
    (``Labels.money(..., nil_at_zero=True)``), so a column of 0.0 does not read as a policy that pays nothing."""
    if value is None or value == "":
        return NIL
    number = float(value)
    return Labels.money(number, 1 if abs(number) < 100 else 0, nil_at_zero=True)


@register.filter
def objective_name(key: Any) -> str:
    """A plan option's objective by its name ("净现值最大"), never its key ("npv")."""
    from wendao.web.enterprises.forms import OBJECTIVE_LABELS

    return str(OBJECTIVE_LABELS.get(str(key), key or "—"))


@register.filter
def yuan_as_wan(money: Any, per_year: bool = False) -> str:
    """A model-route amount (a MoneyRange in 元) as a 万元 range; ``per_year`` turns a monthly amount into a
    yearly one. "—" for a recurring cost that is not priced (0)."""
    from wendao.report.routes import running_per_year, wan_range

    return running_per_year(money) if per_year else wan_range(money.low, money.high)


@register.filter
def reason_text(obj: Any) -> str:
    """A left-out item's (or any holder's) reason: rendered from its structured value in the page's language;
    plans stored before reasons were values carry only the texts."""
    from wendao.engine.reasons import render_reason

    why = getattr(obj, "why", None)
    if why is None:
        return str(loc(obj, "detail"))
    return render_reason(why, "en" if _en() else "zh")


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def signed(value: Any) -> str:
    if value is None:
        return "—"
    return f"{float(value):+.1f}"
