"""Tax measures: what a policy of kind tax_deduction, tax_credit or tax_expensing is worth to one enterprise.

The worth of a deduction depends on the enterprise's income-tax rate, which the enterprise states in its
profile (``funding.tax_status``). The rate itself is a policy (data/policies.yaml, kind ``tax_rate``: 15 % for
high-tech enterprises under 企业所得税法 第二十八条; 5 % effective for small low-profit enterprises); the
standard rate is the law's 25 % (企业所得税法 第四条, cited in the same policy entry). When the status is not
stated the rate is the one the profile's qualifications suggest and every tax line is only "to confirm".

Timing (stated in the plan): a deduction or credit lowers the tax settled for the year of the spend, i.e. it
is cash in the following plan year (汇算清缴 by 31 May). The one-time equipment deduction (公告2023年第37号) is
a timing benefit: compared with straight-line depreciation over 3 years, the shortest life of any equipment
(电子设备, 实施条例 第六十条, so the smallest benefit), it brings 2/3 of the tax on the equipment forward and
gives back 1/3 in each of the two years after.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from wendao.engine.catalog.schema import Policy
from wendao.engine.scenarios import money_en

STANDARD_RATE = 0.25  # 企业所得税法 第四条 (source: policy national_high_tech_tax_rate)
EXPENSING_COMPARED_YEARS = 3  # 实施条例 第六十条: 电子设备 3 years, the shortest minimum life of equipment
TAX_KINDS = frozenset({"tax_deduction", "tax_credit", "tax_expensing"})


@dataclass(frozen=True, slots=True)
class TaxRate:
    """The income-tax rate the plan values tax measures at, and how sure it is."""

    rate: float
    policy: str | None  # the tax_rate policy that sets it (None: the standard rate of the law)
    stated: bool  # the enterprise stated its tax status in the profile
    verified_terms: bool  # the rate comes from an active policy (an unverified one makes tax lines "likely")
    no_taxable_income: bool = False


def tax_rate_for(
    tax_status: str | None, qualifications: Sequence[str], policies: Sequence[Policy], today: date
) -> TaxRate:
    """The rate for a stated status; without one, the rate the qualifications suggest (not stated)."""
    status = tax_status or ("high_tech" if "high_tech" in qualifications else "standard")
    if status == "no_taxable_income":
        return TaxRate(0.0, None, tax_status is not None, True, no_taxable_income=True)
    for p in policies:
        if p.award.kind != "tax_rate" or p.award.rate is None:
            continue
        rule = p.eligibility
        if rule.get("field") == "enterprise.tax_status" and rule.get("eq") == status:
            in_force = (p.valid_from is None or p.valid_from <= today) and (p.valid_to is None or p.valid_to >= today)
            return TaxRate(p.award.rate, p.id, tax_status is not None, p.status == "active" and in_force)
    return TaxRate(STANDARD_RATE, None, tax_status is not None, True)


def tax_worth(policy: Policy, base: float, rate: float, discount_rate: float) -> tuple[float, list[float], str, str]:
    """(present worth 万元, cash by plan year counted from the spend year, basis zh, basis en) of one tax measure
    on ``base`` 万元 of qualifying spend. Cash by year: index 0 is the spend year (always 0: settled a year later)."""
    a = policy.award
    if a.kind == "tax_deduction":
        extra = base * (a.rate or 0.0)
        saved = extra * rate
        return (
            saved / (1 + discount_rate),
            [0.0, saved],
            f"加计扣除 {(a.rate or 0) * 100:g}% × 研发费用 {base:,.1f} 万元 × 所得税率 {rate * 100:g}%，次年汇算清缴时少缴",
            f"extra deduction {(a.rate or 0) * 100:g}% × R&D cost {money_en(base)} × income-tax rate {rate * 100:g}%, "
            "settled the following year",
        )
    if a.kind == "tax_credit":
        credit = base * (a.rate or 0.0)
        return (
            credit / (1 + discount_rate),
            [0.0, credit],
            f"抵免 {(a.rate or 0) * 100:g}% × 设备投资 {base:,.1f} 万元（不超过当年应纳税额，不足可结转5年）",
            f"credit {(a.rate or 0) * 100:g}% × equipment investment {money_en(base)} (up to the year's tax; the rest "
            "carries forward 5 years)",
        )
    # tax_expensing: the whole base deducted at once instead of over EXPENSING_COMPARED_YEARS years
    n = EXPENSING_COMPARED_YEARS
    tax = base * rate
    cash = [0.0, tax * (n - 1) / n] + [-tax / n] * (n - 1)
    worth = sum(c / (1 + discount_rate) ** y for y, c in enumerate(cash))
    return (
        worth,
        cash,
        f"一次性扣除设备 {base:,.1f} 万元（对比按{n}年折旧）：次年少缴 {cash[1]:,.1f} 万元，其后{n - 1}年各多缴 "
        f"{tax / n:,.1f} 万元；按折现率 {discount_rate * 100:g}% 计的时间价值",
        f"equipment of {money_en(base)} deducted at once (against {n}-year depreciation): {money_en(cash[1])} less tax "
        f"the next year, {money_en(tax / n)} more in each of the {n - 1} years after; the time value at "
        f"{discount_rate * 100:g}%",
    )
