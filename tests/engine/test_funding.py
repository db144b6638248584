from __future__ import annotations

from datetime import date

import pytest

from wendao.engine.catalog import default_catalog
from wendao.engine.funding import counted_by_policy, counted_subsidies_many, fund_item
from wendao.engine.profile import parse_profile

LOADED = default_catalog()
TODAY = date(2026, 11, 24)


def _profile(city: str = "济南", **extra: object):  # type: ignore[no-untyped-def]
    return parse_profile(
        {"name": "测试企业", "city": city, "industry": "C34", "employees": 200, "revenue": 9000, **extra}
    )


def _scenario(buys: str):  # type: ignore[no-untyped-def]
    return next(s for s in LOADED.catalog.scenarios if buys in s.cost.buys)


def test_a_shandong_firm_buying_compute_gets_the_compute_voucher_at_its_rate() -> None:
    scenario = _scenario("compute")
    result = fund_item(_profile(), scenario, 100.0, LOADED.policies, 0.03, TODAY)
    voucher = next(o for o in result.eligible if o.policy.startswith("sd_") and "compute" in o.policy)
    policy = next(p for p in LOADED.policies if p.id == voucher.policy)
    share = sum(1 for b in scenario.cost.buys if b in policy.award.base) / len(scenario.cost.buys)
    assert voucher.amount == pytest.approx(100.0 * share * (policy.award.rate or 0), abs=0.01)
    assert voucher.apply.where_zh


def test_another_provinces_voucher_never_applies_to_a_shandong_firm() -> None:
    for scenario in LOADED.catalog.scenarios[:20]:
        result = fund_item(_profile(), scenario, 50.0, LOADED.policies, 0.03, TODAY)
        assert all(o.status != "reference" for o in result.eligible)


def test_expired_policies_are_ineligible_and_say_so() -> None:
    expired = [p for p in LOADED.policies if p.status == "expired"]
    assert expired
    result = fund_item(_profile(), _scenario("equipment"), 80.0, LOADED.policies, 0.03, TODAY)
    for p in expired:
        outcome = next(o for o in result.ineligible if o.policy == p.id)
        assert any("not in force" in f for f in outcome.failed) or outcome.failed


def test_interest_subsidies_are_reported_but_never_reduce_the_investment() -> None:
    for scenario in LOADED.catalog.scenarios:
        result = fund_item(_profile(), scenario, 300.0, LOADED.policies, 0.03, TODAY)
        assert all(not o.counted for o in result.eligible if o.kind == "interest_subsidy")
        assert result.net_one_off == pytest.approx(300.0 - result.counted_subsidy)
        assert 0 <= result.counted_subsidy <= 300.0


def test_subsidies_never_exceed_the_item_cost_or_a_per_item_cap() -> None:
    for scenario in LOADED.catalog.scenarios:
        result = fund_item(_profile(), scenario, 10.0, LOADED.policies, 0.03, TODAY)
        assert sum(counted_by_policy(result).values()) <= 10.0 + 1e-9
        for o in result.eligible:
            policy = next(p for p in LOADED.policies if p.id == o.policy)
            if policy.award.cap_per_item is not None:
                assert o.amount <= policy.award.cap_per_item


@pytest.mark.parametrize("city", ["济南", "青岛", "省外"])
def test_the_optimisers_memoised_subsidies_agree_with_full_funding_for_every_scenario(city: str) -> None:
    profile = _profile(city, qualifications=["专精特新中小企业"])
    items = [(s, 40.0 + i) for i, s in enumerate(LOADED.catalog.scenarios)]
    for _ in range(2):  # the second round is answered from the memo
        counted = counted_subsidies_many(profile, items, LOADED.policies, 0.03, TODAY)
        for scenario, one_off in items:
            full = counted_by_policy(fund_item(profile, scenario, one_off, LOADED.policies, 0.03, TODAY))
            # the same policies counted; amounts equal up to the outcome's rounding to 0.01 万元
            assert counted[scenario.id] == pytest.approx(full, abs=0.006)


def test_funding_answered_from_the_memo_equals_funding_worked_out_afresh() -> None:
    first = _profile("青岛", qualifications=["专精特新中小企业"])
    same_facts = _profile("青岛", qualifications=["专精特新中小企业"], name="另一家企业")
    other_city = _profile("济南", qualifications=["专精特新中小企业"])
    policies = list(LOADED.policies)  # a new list object: a memo of its own, empty
    for scenario in LOADED.catalog.scenarios[:12]:
        fresh = [fund_item(p, scenario, 55.0, policies, 0.03, TODAY).model_dump() for p in (first, other_city)]
        again = fund_item(same_facts, scenario, 55.0, policies, 0.03, TODAY).model_dump()  # a memo hit
        assert again == fresh[0]
        # an enterprise whose rule facts differ is not answered with another's verdicts
        assert fund_item(other_city, scenario, 55.0, policies, 0.03, TODAY).model_dump() == fresh[1]
        assert fund_item(other_city, scenario, 55.0, LOADED.policies, 0.03, TODAY).model_dump() == fresh[1]
