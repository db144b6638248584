from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from wendao.engine.catalog import default_catalog
from wendao.engine.financing import quarter_start
from wendao.engine.plan import PlanOptions, build_plan
from wendao.engine.profile import load_profile
from wendao.engine.search import ScenarioSearch

LOADED = default_catalog()
EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "wendao" / "data" / "examples"
OPTIONS = PlanOptions(as_of=date(2026, 12, 6), with_routes=False, time_limit_seconds=5)


@pytest.fixture(scope="module")
def weifang():  # type: ignore[no-untyped-def]
    return build_plan(load_profile(EXAMPLES / "weifang_machinery.yaml"), LOADED, OPTIONS)


def test_each_year_own_money_is_what_is_left_after_grants_tax_and_the_loan(weifang) -> None:  # type: ignore[no-untyped-def]
    wp = weifang.who_pays
    assert wp is not None
    assert wp.years
    for y in wp.years:
        rest = (
            y.investment
            + y.running
            - y.grants
            - y.tax
            - y.tax_timing
            - y.loan_drawdown
            + y.loan_repayment
            + y.loan_interest
            - y.interest_subsidy
        )
        assert y.own == pytest.approx(rest, abs=0.05)


def test_the_one_time_deduction_is_tax_timing_never_negative_support(weifang) -> None:  # type: ignore[no-untyped-def]
    wp = weifang.who_pays
    expensing = [ln for i in wp.items for ln in i.lines if ln.policy == "national_equipment_one_time_deduction"]
    assert any(ln.verdict == "counted" for ln in expensing)
    assert any(ln.verdict == "possible" for ln in expensing)
    # brought forward in one year, paid back in later ones: its own rows, summing to zero with what falls later
    assert any(y.tax_timing > 0 for y in wp.years)
    assert any(y.tax_timing < 0 for y in wp.years) or wp.beyond_horizon.get("tax_timing", 0) < 0
    for row in ("tax_timing", "tax_timing_likely"):
        total = sum(getattr(y, row) for y in wp.years) + wp.beyond_horizon.get(row, 0.0)
        assert total == pytest.approx(0, abs=0.05)
    # support columns never go negative, within the horizon or after it
    for y in wp.years:
        assert min(y.grants, y.tax, y.interest_subsidy, y.likely) >= 0
    assert all(v >= 0 for k, v in wp.beyond_horizon.items() if k in ("grants", "tax", "interest_subsidy", "likely"))


def test_the_tax_timing_enters_the_tax_npv_only_by_its_time_value(weifang) -> None:  # type: ignore[no-untyped-def]
    wp = weifang.who_pays
    counted = [
        ln.amount
        for i in wp.items
        for ln in i.lines
        if ln.policy == "national_equipment_one_time_deduction" and ln.verdict == "counted"
    ]
    others = sum(y.tax / (1.08 ** (y.year - 0.5)) for y in wp.years)
    # the time value of bringing tax forward is small: a few per cent of the tax moved, not the tax itself
    timing = wp.tax_npv - others
    moved = max(y.tax_timing for y in wp.years)
    assert 0 < timing < 0.25 * moved
    assert timing == pytest.approx(sum(counted), abs=0.1)


def test_the_year_table_adds_up_to_the_items_investment(weifang) -> None:  # type: ignore[no-untyped-def]
    wp = weifang.who_pays
    assert sum(y.investment for y in wp.years) == pytest.approx(sum(i.one_off for i in weifang.items), abs=0.1)
    assert wp.loan_share == 0.5
    assert sum(y.loan_drawdown for y in wp.years) == pytest.approx(0.5 * sum(i.one_off for i in weifang.items), abs=0.1)


def test_counted_tax_follows_the_stated_high_tech_rate_and_enters_the_npv(weifang) -> None:  # type: ignore[no-untyped-def]
    wp = weifang.who_pays
    assert wp.tax_rate == 0.15
    assert wp.tax_rate_stated
    counted_tax = [ln for i in wp.items for ln in i.lines if ln.group == "tax" and ln.verdict == "counted"]
    assert counted_tax
    assert all(ln.document_no for ln in counted_tax)
    assert wp.tax_npv > 0


def test_every_line_names_its_issuer_and_a_link_or_why_there_is_none(weifang) -> None:  # type: ignore[no-untyped-def]
    for item in weifang.who_pays.items:
        for ln in item.lines:
            assert ln.issuer_zh
            assert ln.amount > 0
            assert ln.link or ln.link_note


def test_a_policy_ending_before_the_project_starts_is_not_counted(weifang) -> None:  # type: ignore[no-untyped-def]
    for item in weifang.who_pays.items:
        for ln in item.lines:
            if ln.verdict == "counted" and ln.valid_to is not None:
                assert ln.valid_to >= date(2027, 1, 1) or item.start_quarter == 0


def test_the_2026_provincial_package_appears_once_as_announced(weifang) -> None:  # type: ignore[no-untyped-def]
    announced = [n.policy for n in weifang.who_pays.announced]
    assert announced == ["sd_ai_manufacturing_package_2026"]


def test_how_to_apply_is_ordered_by_deadline_and_falls_back_to_the_city_office() -> None:
    plan = build_plan(load_profile(EXAMPLES / "linyi_food.yaml"), LOADED, OPTIONS)
    steps = plan.who_pays.apply if plan.who_pays else []
    dated = [s.deadline for s in steps if s.deadline is not None]
    assert dated == sorted(dated)
    assert all(s.where_zh for s in steps)
    assert plan.who_pays is not None
    # a firm that states no tax status is asked it when a tax measure could apply (Linyi's only item, a 3 万元
    # SaaS subscription, carries none; the Weifang profile without its tax status does)
    weifang = load_profile(EXAMPLES / "weifang_machinery.yaml")
    unknown = weifang.model_copy(update={"funding": weifang.funding.model_copy(update={"tax_status": None})})
    asked = build_plan(unknown, LOADED, OPTIONS).who_pays
    assert asked is not None
    assert any(q.fact == "enterprise.tax_status" for q in asked.questions)


def test_a_counted_grant_with_no_published_office_gets_a_clean_next_step() -> None:
    from dataclasses import replace

    voucher = next(p for p in LOADED.policies if p.id == "sd_compute_voucher_2025")
    active = voucher.model_copy(
        update={
            "status": "active",
            "valid_to": date(2028, 12, 31),
            "apply": voucher.apply.model_copy(update={"where_zh": "", "deadline_zh": "", "where_en": ""}),
        }
    )
    loaded = replace(LOADED, policies=tuple(active if p.id == active.id else p for p in LOADED.policies))
    plan = build_plan(load_profile(EXAMPLES / "weifang_machinery.yaml"), loaded, OPTIONS)
    steps = [s for s in plan.next_steps if "准备申报" in s.text_zh]
    assert steps  # the voucher is counted on a compute item that starts at once
    assert all(s.text_zh.endswith("”") for s in steps)
    assert all(s.text_en.endswith("”") for s in steps)


def test_a_policys_own_question_is_settled_by_the_enterprises_answer() -> None:
    """财金〔2026〕4号 asks whether the firm's field is among those it lists, which no profile fact answers: the
    answer given in the profile form settles it (yes: no longer asked; no: the policy drops out, with the reason)."""
    weifang = load_profile(EXAMPLES / "weifang_machinery.yaml")
    pid = "national_sme_loan_interest_2026"

    def answered(value: bool | None):  # type: ignore[no-untyped-def]
        answers = {} if value is None else {pid: value}
        profile = weifang.model_copy(update={"funding": weifang.funding.model_copy(update={"policy_answers": answers})})
        return build_plan(profile, LOADED, OPTIONS)

    def lines(plan):  # type: ignore[no-untyped-def]
        return [ln for i in plan.who_pays.items for ln in i.lines if ln.policy == pid]

    asked = answered(None)
    assert any(q.fact == "policy:" + pid for q in asked.who_pays.questions)
    assert lines(asked)
    yes = answered(True)
    assert not any(q.fact == "policy:" + pid for q in yes.who_pays.questions)
    assert lines(yes)
    assert all("财金〔2026〕4号所列" not in " ".join(ln.confirm_zh) for ln in lines(yes))
    no = answered(False)
    assert not any(q.fact == "policy:" + pid for q in no.who_pays.questions)
    assert not lines(no)
    failed = [o for i in no.items for o in i.funding.ineligible if o.policy == pid]
    assert failed
    assert all(any("answered no" in why for why in o.failed) for o in failed)


@pytest.mark.parametrize("example", ["weifang_machinery", "zibo_chemical"])
def test_every_line_of_a_policy_that_ends_before_its_project_starts_says_so(example: str) -> None:
    """Only counted and to-confirm lines said "需确认届时是否延续": Zibo's compute-voucher lines (unverified, to
    2026-12-31) on projects starting in 2027 did not."""
    plan = build_plan(load_profile(EXAMPLES / f"{example}.yaml"), LOADED, OPTIONS, ScenarioSearch())
    assert plan.who_pays is not None
    ending = [
        ln
        for i in plan.who_pays.items
        for ln in i.lines
        if ln.valid_to is not None and ln.valid_to < quarter_start(plan.generated_for, i.start_quarter)
    ]
    assert ending
    assert all("需确认届时是否延续" in ln.basis_zh and "confirm it is extended" in ln.basis_en for ln in ending)
    assert all(ln.verdict != "counted" for ln in ending)
