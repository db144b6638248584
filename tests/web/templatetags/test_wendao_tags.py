from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from tests.web.conftest import client_for
from wendao.engine.modelroute import MoneyRange
from wendao.report.labels import Labels
from wendao.report.routes import running_per_year
from wendao.web.enterprises import services
from wendao.web.templatetags.wendao_tags import kpi_money, wan, wan_or_nil, yuan_as_wan


def test_the_web_plan_prints_a_routes_yearly_running_cost_as_the_documents_do() -> None:
    for monthly in (MoneyRange(low=0, high=0), MoneyRange(low=500, high=1000), MoneyRange(low=2e4, high=2e4)):
        assert yuan_as_wan(monthly, True) == running_per_year(monthly)
    assert yuan_as_wan(MoneyRange(low=0, high=0), True) == "—"


def test_a_one_off_route_cost_of_nothing_prints_zero_not_a_dash() -> None:
    assert yuan_as_wan(MoneyRange(low=0, high=0)) == "0"
    assert yuan_as_wan(MoneyRange(low=3e4, high=5e4)) == "3.0–5.0"


@pytest.mark.parametrize(
    ("amount", "shown"), [(0.0, "—"), (0.04, "—"), (0.06, "0.1"), (12.34, "12.3"), (1234.5, "1,234"), (None, "—")]
)
def test_a_counted_subsidy_on_the_web_plan_is_a_dash_where_it_rounds_to_nothing(
    amount: float | None, shown: str
) -> None:
    assert wan_or_nil(amount) == shown
    if amount is not None and shown != "—":
        assert wan_or_nil(amount) == wan(amount)


@pytest.mark.parametrize("amount", [0.0, 0.04, 0.06, 3.0, 99.94, 100.0, 1234.5])
def test_the_web_prints_wan_with_the_documents_money_formatter(amount: float) -> None:
    assert wan(amount) == Labels.money(amount, 1 if amount < 100 else 0)
    if round(amount, 1) == 0:
        assert wan_or_nil(amount) == Labels.subsidy(amount) == "—"


@pytest.mark.django_db
def test_the_plan_pages_subsidy_figure_is_zero_with_the_reason_where_nothing_is_counted(
    alice: Any, alice_plan: Any
) -> None:
    # "—" there read as "unknown" to an owner (session 7); an amount is the amount in 万元
    text = client_for(alice).get(reverse("enterprises:plan", kwargs={"pk": alice_plan.pk})).content.decode()
    (kpi,) = re.findall(r"<span>可计入补贴</span>(.*?)</div>", text)
    shown = wan_or_nil(services.plan_of(alice_plan).money.subsidy)
    if shown == "—":
        assert kpi.startswith('<strong id="money-subsidy">0</strong> 万元<small class="muted" id="subsidy-none">')
        assert "暂无可计入的补贴" in kpi
    else:
        assert kpi == f'<strong id="money-subsidy">{shown}</strong> 万元'


def test_a_key_figure_tile_writes_its_unit_as_running_text_does_in_each_language() -> None:
    """The English tiles read “20.0 10k CNY”: the tile's unit is the reader's money rule (money_en), not the
    translated table header."""
    with translation.override("en"):
        assert kpi_money(20.0, "money-one-off") == '<strong id="money-one-off">CNY 200,000</strong>'
        assert kpi_money(1234.4) == "<strong>CNY 12,340,000</strong>"  # to 10k CNY, as the Chinese tile’s 1,234
        assert kpi_money(0) == "<strong>CNY 0</strong>"
    with translation.override("zh-hans"):
        assert kpi_money(20.0, "money-one-off") == '<strong id="money-one-off">20.0</strong> 万元'
        assert kpi_money(0, "money-subsidy") == '<strong id="money-subsidy">0</strong> 万元'
