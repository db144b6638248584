from __future__ import annotations

from datetime import date

import pytest

from wendao.engine.catalog import default_catalog
from wendao.engine.tax import STANDARD_RATE, tax_rate_for, tax_worth

LOADED = default_catalog()
TODAY = date(2026, 12, 6)
POLICY = {p.id: p for p in LOADED.policies}


def test_a_high_tech_enterprise_values_tax_measures_at_the_15_percent_rate_of_the_law() -> None:
    rate = tax_rate_for("high_tech", [], LOADED.policies, TODAY)
    assert rate.rate == 0.15
    assert rate.stated
    assert rate.verified_terms
    assert rate.policy == "national_high_tech_tax_rate"


def test_without_a_stated_status_the_rate_follows_the_qualifications_and_is_not_stated() -> None:
    assert tax_rate_for(None, ["high_tech"], LOADED.policies, TODAY).rate == 0.15
    unstated = tax_rate_for(None, [], LOADED.policies, TODAY)
    assert unstated.rate == STANDARD_RATE
    assert not unstated.stated


def test_the_small_low_profit_rate_rests_on_an_unverified_source_and_says_so() -> None:
    rate = tax_rate_for("small_low_profit", [], LOADED.policies, TODAY)
    assert rate.rate == 0.05
    assert not rate.verified_terms


def test_the_r_and_d_super_deduction_saves_the_cost_times_the_tax_rate_a_year_later() -> None:
    worth, cash, zh, _ = tax_worth(POLICY["national_rd_super_deduction"], 100.0, 0.25, 0.08)
    assert cash == [0.0, pytest.approx(25.0)]
    assert worth == pytest.approx(25.0 / 1.08)
    assert "25%" in zh


def test_the_one_time_equipment_deduction_only_moves_tax_forward() -> None:
    worth, cash, _, _ = tax_worth(POLICY["national_equipment_one_time_deduction"], 90.0, 0.25, 0.08)
    assert sum(cash) == pytest.approx(0.0)  # the same tax in the end
    assert cash[1] == pytest.approx(15.0)  # 2/3 of the tax on the equipment a year after the purchase
    assert worth == pytest.approx(15 / 1.08 - 7.5 / 1.08**2 - 7.5 / 1.08**3)  # only the time value of money


def test_the_special_equipment_credit_is_ten_percent_of_the_investment_whatever_the_rate() -> None:
    p = POLICY["national_special_equipment_tax_credit"]
    assert tax_worth(p, 50.0, 0.15, 0.08)[1] == tax_worth(p, 50.0, 0.25, 0.08)[1] == [0.0, pytest.approx(5.0)]
