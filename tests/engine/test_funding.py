from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from wendao.engine.catalog import default_catalog
from wendao.engine.funding import (
    _waiting_on,
    counted_amounts,
    counted_by_policy,
    counted_subsidies_many,
    facts,
    fund_item,
    question_for,
    waiting_on,
)
from wendao.engine.plan import PlanOptions, build_plan
from wendao.engine.profile import load_profile, parse_profile
from wendao.engine.rules import check
from wendao.engine.search import ScenarioSearch

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


@pytest.mark.parametrize("start", [None, date(2028, 3, 1)])
def test_a_few_policies_judged_alone_count_what_they_count_among_all(start: date | None) -> None:
    # policy_windows asks for the windowed policies of every candidate; each policy's verdict depends on no other's
    listed = {"tax_status": "standard", "techreno_listed": True, "equipment_renewal_listed": True, "loan_share": 0.5}
    profiles = [_profile("青岛", qualifications=["专精特新中小企业"]), _profile(funding=listed), _profile("省外")]
    # every other policy, and the two a listed, tax-paying firm is counted (the equipment deduction ends in 2027)
    counted_ids = {"national_equipment_one_time_deduction", "national_equipment_update_loan_interest_2026"}
    few = [p for i, p in enumerate(LOADED.policies) if i % 2 == 1 or p.id in counted_ids]
    counted = 0
    for profile in profiles:
        for scenario in LOADED.catalog.scenarios[::3]:
            every = counted_amounts(profile, scenario, 80.0, LOADED.policies, 0.03, TODAY, 0.08, start)
            alone = counted_amounts(profile, scenario, 80.0, LOADED.policies, 0.03, TODAY, 0.08, start, only=few)
            assert alone == {p.id: every[p.id] for p in few if p.id in every}
            counted += len(alone)
    assert counted > 0  # some of them count, so the comparison says something


def test_the_memoised_facts_a_policy_waits_on_equal_its_rule_read_afresh() -> None:
    profiles = [_profile(), _profile("青岛", funding={"tax_status": "standard", "rd_project": True}), _profile("省外")]
    for _ in range(2):  # the second round is answered from the memo
        for profile in profiles:
            for scenario in LOADED.catalog.scenarios[::5]:
                f = facts(profile, scenario, 60.0)
                for policy in LOADED.policies:
                    assert waiting_on(policy, f) == _waiting_on(check(policy.eligibility, f))


def _outcome(result, policy: str):  # type: ignore[no-untyped-def]
    return next(o for o in result.eligible + result.ineligible if o.policy == policy)


def test_an_unanswered_fact_makes_a_policy_to_confirm_with_the_question_that_settles_it() -> None:
    scenario = next(s for s in LOADED.catalog.scenarios if s.kind == "ai" and "equipment" not in s.cost.buys)
    result = fund_item(_profile(), scenario, 40.0, LOADED.policies, 0.03, TODAY)
    rd = _outcome(result, "national_rd_super_deduction")
    assert rd.verdict == "to_confirm"
    assert not rd.counted
    assert set(rd.confirm) == {"enterprise.tax_status", "enterprise.rd_project"}
    assert rd.amount > 0


def test_a_confirmed_r_and_d_project_counts_its_tax_saving_but_never_lowers_the_investment() -> None:
    scenario = next(s for s in LOADED.catalog.scenarios if s.kind == "ai" and "equipment" not in s.cost.buys)
    profile = _profile(funding={"tax_status": "standard", "rd_project": True})
    result = fund_item(profile, scenario, 40.0, LOADED.policies, 0.03, TODAY)
    rd = _outcome(result, "national_rd_super_deduction")
    assert rd.verdict == "counted"
    assert not rd.counted
    assert rd.amount == pytest.approx(40.0 * 0.25 / 1.08, abs=0.01)
    assert result.net_one_off == result.one_off


def test_a_known_fact_that_fails_says_no_and_names_the_condition() -> None:
    scenario = next(s for s in LOADED.catalog.scenarios if s.kind == "ai" and "equipment" not in s.cost.buys)
    profile = _profile(funding={"tax_status": "standard", "rd_project": False})
    rd = _outcome(fund_item(profile, scenario, 40.0, LOADED.policies, 0.03, TODAY), "national_rd_super_deduction")
    assert rd.verdict == "no"
    assert any("rd_project" in f for f in rd.failed)


def test_the_model_voucher_is_offered_only_to_an_enterprise_building_a_model_product() -> None:
    """The voucher rewards the developer of a vertical-industry model product that passed a national evaluation
    (Qingdao's restatement of the provincial rule; 人民网 2025-09-15): a manufacturer deploying a knowledge base is a
    buyer. Zibo's plan had shown 32.5 万元 of it on its knowledge-base item, 100 % of the item, as "may apply"."""
    knowledge_base = next(s for s in LOADED.catalog.scenarios if s.id == "ai_enterprise_knowledge_qa")
    for said in (None, False, True):  # not asked, a buyer, and even a firm that also builds a model product elsewhere
        buyer = _profile(funding={"model_product": said})
        voucher = _outcome(fund_item(buyer, knowledge_base, 80.0, LOADED.policies, 0.03, TODAY), "sd_model_voucher_2025")
        assert voucher.verdict == "no", said
        assert voucher.amount == 0
        assert not voucher.confirm
    own_model = knowledge_base.model_copy(update={"model_route": "lora"})  # the item trains the firm's own model
    assert (
        _outcome(
            fund_item(_profile(funding={"model_product": False}), own_model, 80.0, LOADED.policies, 0.03, TODAY),
            "sd_model_voucher_2025",
        ).verdict
        == "no"
    )
    builder = _profile(funding={"model_product": True})
    voucher = _outcome(fund_item(builder, own_model, 80.0, LOADED.policies, 0.03, TODAY), "sd_model_voucher_2025")
    assert voucher.verdict == "possible"  # selected by review: shown, never counted
    assert not voucher.counted
    unasked = _outcome(fund_item(_profile(), own_model, 80.0, LOADED.policies, 0.03, TODAY), "sd_model_voucher_2025")
    assert unasked.confirm == ["enterprise.model_product"]


def test_no_example_plan_offers_the_model_voucher_to_a_buyer() -> None:
    examples = Path(__file__).resolve().parents[2] / "src" / "wendao" / "data" / "examples"
    options = PlanOptions(as_of=date(2026, 12, 6), with_routes=False, time_limit_seconds=5)
    plan = build_plan(load_profile(examples / "zibo_chemical.yaml"), LOADED, options, ScenarioSearch())  # as the CLI
    assert any(i.scenario == "ai_enterprise_knowledge_qa" for i in plan.items)  # the item the voucher was put on
    offered = [o for i in plan.items for o in i.funding.eligible if o.policy == "sd_model_voucher_2025"]
    assert offered == []


def test_the_announced_2026_provincial_package_is_shown_but_never_counted() -> None:
    for scenario in LOADED.catalog.scenarios[:10]:
        result = fund_item(_profile(), scenario, 60.0, LOADED.policies, 0.03, TODAY)
        package = _outcome(result, "sd_ai_manufacturing_package_2026")
        assert package.verdict == "announced"
        assert package.amount == 0
        assert not package.counted


def test_no_policy_pays_a_zero_amount_line() -> None:
    for scenario in LOADED.catalog.scenarios:
        result = fund_item(_profile(funding={"tax_status": "standard"}), scenario, 30.0, LOADED.policies, 0.03, TODAY)
        for o in result.eligible:
            policy = next(p for p in LOADED.policies if p.id == o.policy)
            assert o.amount > 0 or policy.award.kind == "pending" or o.verdict == "announced", o.policy


def test_an_interest_subsidy_below_its_minimum_loan_does_not_apply() -> None:
    scenario = next(s for s in LOADED.catalog.scenarios if "equipment" in s.cost.buys)
    profile = _profile(funding={"techreno_listed": True, "loan_share": 0.5})
    techreno = _outcome(
        fund_item(profile, scenario, 200.0, LOADED.policies, 0.03, TODAY), "sd_major_techreno_interest_subsidy"
    )
    assert techreno.verdict == "no"
    assert any("minimum" in f for f in techreno.failed)


def test_a_policy_with_its_own_question_is_at_most_to_confirm_and_asks_it() -> None:
    scenario = next(s for s in LOADED.catalog.scenarios if "equipment" in s.cost.buys)
    profile = _profile(funding={"private": True, "loan_share": 0.5})  # C34, small: the rule holds
    loan = _outcome(
        fund_item(profile, scenario, 100.0, LOADED.policies, 0.03, TODAY), "national_sme_loan_interest_2026"
    )
    assert loan.verdict == "to_confirm"
    assert loan.likely
    assert loan.confirm == ["policy:national_sme_loan_interest_2026"]
    assert "财金〔2026〕4号" in question_for(loan.confirm[0], LOADED.policies)[0]


def test_the_2025_provincial_renovation_award_needs_a_50_million_project_and_never_shows_an_amount() -> None:
    # the 2025 call under 鲁财工〔2024〕10号 took projects of at least 5000 万元; its award rate was not read
    scenario = next(s for s in LOADED.catalog.scenarios if "equipment" in s.cost.buys)
    small = _outcome(
        fund_item(_profile(), scenario, 200.0, LOADED.policies, 0.03, TODAY), "sd_equipment_techreno_award_2025"
    )
    assert small.verdict == "no"
    assert any("item.one_off" in f for f in small.failed)
    large = _outcome(
        fund_item(_profile(), scenario, 6000.0, LOADED.policies, 0.03, TODAY), "sd_equipment_techreno_award_2025"
    )
    assert large.verdict == "possible"
    assert large.amount == 0
    assert not large.counted
    assert not large.likely
    # Qingdao organises its own call: the provincial notice is addressed to the other cities
    qingdao = _outcome(
        fund_item(_profile("青岛"), scenario, 6000.0, LOADED.policies, 0.03, TODAY), "sd_equipment_techreno_award_2025"
    )
    assert qingdao.verdict == "no"


def test_whether_a_firm_is_in_shandong_is_read_from_the_catalogs_cities() -> None:
    """One home for the rule (catalog.schema.City.in_shandong): the 16 cities of cities.yaml, never 省外."""
    shandong = [c for c in LOADED.catalog.cities if c.in_shandong]
    assert len(shandong) == 16
    assert all(c.province == "山东" for c in shandong)
    assert _profile("潍坊市").in_shandong
    assert not _profile("other").in_shandong
    scenario = _scenario("compute")
    home = fund_item(_profile(), scenario, 100.0, LOADED.policies, 0.03, TODAY)
    away = fund_item(_profile("other"), scenario, 100.0, LOADED.policies, 0.03, TODAY)
    assert any(o.policy.startswith("sd_") for o in home.eligible)
    assert not any(o.policy.startswith("sd_") and o.amount for o in away.eligible)


def test_the_corpus_voucher_is_for_a_corpus_built_for_training_not_a_knowledge_base_a_model_retrieves_from() -> None:
    knowledge_base = next(s for s in LOADED.catalog.scenarios if s.id == "ai_enterprise_knowledge_qa")
    buys = [*knowledge_base.cost.buys, "data"]
    retrieved = knowledge_base.model_copy(update={"cost": knowledge_base.cost.model_copy(update={"buys": buys})})
    trained = retrieved.model_copy(update={"model_route": "lora"})
    verdict = {
        s.model_route: _outcome(fund_item(_profile(), s, 80.0, LOADED.policies, 0.03, TODAY), "sd_corpus_voucher_2025")
        for s in (retrieved, trained)
    }
    assert verdict["private_llm"].verdict == "no"
    assert verdict["lora"].verdict == "possible"  # selected by review: shown, never counted
    assert not verdict["lora"].counted
