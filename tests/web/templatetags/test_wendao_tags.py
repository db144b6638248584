from __future__ import annotations

from wendao.engine.modelroute import MoneyRange
from wendao.report.routes import running_per_year
from wendao.web.templatetags.wendao_tags import yuan_as_wan


def test_the_web_plan_prints_a_routes_yearly_running_cost_as_the_documents_do() -> None:
    for monthly in (MoneyRange(low=0, high=0), MoneyRange(low=500, high=1000), MoneyRange(low=2e4, high=2e4)):
        assert yuan_as_wan(monthly, True) == running_per_year(monthly)
    assert yuan_as_wan(MoneyRange(low=0, high=0), True) == "—"


def test_a_one_off_route_cost_of_nothing_prints_zero_not_a_dash() -> None:
    assert yuan_as_wan(MoneyRange(low=0, high=0)) == "0"
    assert yuan_as_wan(MoneyRange(low=3e4, high=5e4)) == "3.0–5.0"
