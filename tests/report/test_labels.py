from __future__ import annotations

import pytest

from wendao.engine.modelroute import MoneyRange
from wendao.report.labels import NIL, Labels
from wendao.report.routes import running_per_year


@pytest.mark.parametrize(
    ("amount", "digits", "shown"),
    [(1234.56, 1, "1,234.6"), (1234.567, 2, "1,234.57"), (0.0, 1, "0.0"), (0.04, 1, "0.04"), (0.004, 2, "0.00"), (-12.25, 2, "-12.25")],
)
def test_money_prints_thousands_separators_at_the_asked_precision_and_keeps_a_small_amount_visible(amount: float, digits: int, shown: str) -> None:
    assert Labels.money(amount, digits) == shown


@pytest.mark.parametrize(
    ("amount", "digits", "shown"),
    [
        (0.0, 1, NIL),
        (0.04, 1, NIL),  # rounds to 0.0 at one decimal
        (-0.04, 1, NIL),
        (0.04, 2, "0.04"),  # the who-pays tables keep two decimals: a small tax line is money there
        (0.004, 2, NIL),
        (3.0, 1, "3.0"),
        (1500.0, 2, "1,500.00"),
    ],
)
def test_money_with_nil_at_zero_prints_a_dash_only_where_the_amount_rounds_to_nothing(
    amount: float, digits: int, shown: str
) -> None:
    assert Labels.money(amount, digits, nil_at_zero=True) == shown


@pytest.mark.parametrize("amount", [0.0, 0.04, 0.06, 3.0, 1234.5])
def test_a_counted_subsidy_is_the_one_decimal_money_with_a_dash_at_zero(amount: float) -> None:
    assert Labels.subsidy(amount) == Labels.money(amount, 1, nil_at_zero=True)
    assert Labels.subsidy(amount) == ("—" if round(amount, 1) == 0 else f"{amount:,.1f}")


def test_a_route_with_no_recurring_price_runs_for_a_dash_and_a_priced_one_for_its_yearly_range() -> None:
    assert running_per_year(MoneyRange(low=0, high=0)) == NIL
    # 500–1 000 元 a month is 0.6–1.2 万元 a year: two decimals below 1 万元
    assert running_per_year(MoneyRange(low=500, high=1000)) == "0.60–1.2"
