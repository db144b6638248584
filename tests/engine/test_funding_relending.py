"""The PBoC technology-innovation relending tool (data/policies.yaml: national_pboc_tech_relending) follows its two
routes: a loan to a technology-based SME on the firms' list, or a loan to a renovation or equipment-renewal project
of at least 500 万元 on the project list (MIIT's second call, 工信厅规函〔2024〕348号). A small subscription of an
ordinary firm is not such a project, so the tool is not listed for it."""

from __future__ import annotations

from datetime import date

import pytest

from wendao.engine.catalog import default_catalog
from wendao.engine.funding import PolicyOutcome, _waiting_on, fund_item
from wendao.engine.profile import parse_profile
from wendao.engine.rules import check

LOADED = default_catalog()
TODAY = date(2026, 12, 6)
RELENDING = "national_pboc_tech_relending"
SCENARIO = next(s for s in LOADED.catalog.scenarios if s.kind == "ai" and "equipment" not in s.cost.buys)


def _relending(one_off: float, qualifications: list[str] | None = None, **funding: object) -> PolicyOutcome:
    profile = parse_profile(
        {
            "name": "测试企业",
            "city": "临沂",
            "industry": "C13",
            "employees": 120,
            "revenue": 8000,
            "qualifications": qualifications or [],
            "funding": funding,
        }
    )
    result = fund_item(profile, SCENARIO, one_off, LOADED.policies, 0.03, TODAY)
    return next(o for o in result.eligible + result.ineligible if o.policy == RELENDING)


def test_a_small_subscription_of_an_ordinary_firm_is_not_offered_the_relending_tool() -> None:
    small = _relending(3.0)
    assert small.verdict == "no"
    assert not small.eligible
    assert any("item.one_off gte 500" in f for f in small.failed)


def test_a_project_of_500_wan_or_more_may_apply_once_the_loan_and_the_listing_are_confirmed() -> None:
    large = _relending(500.0)
    assert large.verdict == "possible"  # awarded by the bank, no amount for the firm: never counted
    assert (large.amount, large.counted, large.likely) == (0.0, False, False)
    assert large.confirm == [
        "enterprise.loan_financing",
        "enterprise.techreno_listed",
        "enterprise.equipment_renewal_listed",
    ]


def test_a_technology_based_sme_may_apply_for_a_loan_whatever_the_size_of_one_project() -> None:
    tech = _relending(3.0, ["科技型中小企业"])
    assert tech.verdict == "possible"
    assert tech.confirm == ["enterprise.loan_financing"]


@pytest.mark.parametrize("qualifications", [[], ["科技型中小企业"]])
def test_a_firm_that_borrows_nothing_is_never_offered_the_relending_tool(qualifications: list[str]) -> None:
    assert _relending(800.0, qualifications, loan_share=0).verdict == "no"


def test_a_listed_project_paid_partly_by_a_loan_may_apply_with_nothing_left_to_confirm() -> None:
    listed = _relending(800.0, loan_share=0.5, techreno_listed=True)
    assert (listed.verdict, listed.confirm) == ("possible", [])


def test_an_any_rule_waits_on_the_open_branch_when_the_other_fails_on_a_known_fact() -> None:
    rule = {
        "any": [
            {"field": "item.one_off", "gte": 500},
            {"field": "enterprise.loan_financing", "is_true": True},
        ]
    }
    assert _waiting_on(check(rule, {"item.one_off": 3.0, "enterprise.loan_financing": None})) == (
        "enterprise.loan_financing",
    )
    assert _waiting_on(check(rule, {"item.one_off": 3.0, "enterprise.loan_financing": False})) is None
    assert _waiting_on(check(rule, {"item.one_off": 600.0, "enterprise.loan_financing": None})) == ()
    both = {"all": [{"field": "item.one_off", "gte": 500}, {"field": "enterprise.loan_financing", "is_true": True}]}
    assert _waiting_on(check(both, {"item.one_off": 3.0, "enterprise.loan_financing": None})) is None
