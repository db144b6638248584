"""A provider goes from profile to award: sign in, add capabilities to the profile, find a matching public
challenge in the matched demand (with reasons), submit a proposal; the publishing enterprise then reviews,
shortlists and awards it. Screenshots under artifacts/screenshots/provider-*.png."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import make_enterprise, make_user
from tests.web.e2e.conftest import sign_in
from tests.web.marketplace.conftest import challenge_data
from wendao.web.accounts.models import Role
from wendao.web.marketplace import services
from wendao.web.marketplace.models import Challenge, Proposal, Provider

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_provider_answers_a_challenge_and_is_awarded(live_server: Any, page: Any, shot: Any) -> None:
    alice = make_user("alice")
    enterprise = make_enterprise(alice)
    challenge = services.create_challenge(alice, enterprise, challenge_data(title="齿轮箱壳体外观缺陷在线检测"))
    services.transition_challenge(alice, challenge, "publish")
    pete = make_user("pete", Role.PROVIDER)
    provider = services.save_provider(
        pete, {"name": "鲁视智能科技（虚构）", "kind": "ai_firm", "description": "工业视觉与质量追溯。"}
    )
    base = live_server.url

    sign_in(page, base, "pete")
    page.click("#nav-marketplace")
    expect(page.locator("#my-providers")).to_contain_text("鲁视智能科技（虚构）")
    expect(page.locator("table.challenges")).to_contain_text("齿轮箱壳体外观缺陷在线检测")
    shot("provider-01-home")

    page.click("#my-providers a:has-text('编辑档案')")
    expect(page).to_have_url(re.compile(rf"/marketplace/providers/{provider.pk}/edit/$"))
    page.check("input[name=scenario_ids][value=online_inspection]")
    page.check("input[name=scenario_ids][value=ai_visual_inspection_small_model]")
    page.check("input[name=industries][value=C34]")
    page.check("input[name=regions][value=weifang]")
    page.fill("#id_price_low", "30")
    page.fill("#id_price_high", "120")
    page.fill("#id_cases-0-title", "某齿轮厂齿面缺陷在线检测（虚构）")
    page.fill("#id_cases-0-industry", "C34")
    page.fill("#id_cases-0-result", "漏检率由 3% 降到 0.5%")
    shot("provider-02-profile-form")
    page.click("form.provider button[type=submit]")

    expect(page).to_have_url(re.compile(rf"/marketplace/providers/{provider.pk}/$"))
    expect(page.locator("#capabilities")).to_contain_text("在线智能检测")
    expect(page.locator("#cases")).to_contain_text("某齿轮厂齿面缺陷在线检测（虚构）")
    shot("provider-03-profile")

    page.click("a:has-text('为我匹配的需求')")
    expect(page.locator("#demand li").first).to_contain_text("齿轮箱壳体外观缺陷在线检测")
    expect(page.locator("#demand .reasons li").first).to_be_visible()
    shot("provider-04-matched-demand")

    page.click("#demand a:has-text('齿轮箱壳体外观缺陷在线检测')")
    expect(page.locator("h1")).to_contain_text("齿轮箱壳体外观缺陷在线检测")
    page.fill("#id_approach", "工业相机 + 小样本缺陷检测模型，边缘部署，结果写入质量追溯系统。")
    page.fill("#id_price", "-5")
    page.fill("#id_duration_months", "4")
    page.click("#submit-proposal")
    expect(page.locator("#proposal .errors")).to_be_visible()  # a negative price: the field says why
    expect(page.locator("#id_approach")).to_have_value(re.compile("工业相机"))  # nothing typed is lost
    shot("provider-05-proposal-error")
    page.fill("#id_price", "60")
    page.fill("#id_team", "算法 2 人，实施 3 人")
    page.click("#submit-proposal")
    expect(page.locator(".messages")).to_contain_text("方案已提交")
    expect(page.locator("#proposal")).to_contain_text("已提交")
    shot("provider-06-proposal-submitted")

    page.click("header button:has-text('退出')")
    sign_in(page, base, "alice")
    page.goto(f"{base}/marketplace/challenges/{challenge.pk}/")
    expect(page.locator("#proposals")).to_contain_text("鲁视智能科技（虚构）")
    expect(page.locator("#matches")).to_contain_text("鲁视智能科技（虚构）")
    shot("provider-07-publisher-sees-proposal")
    page.click("#action-shortlist")
    expect(page.locator("#challenge-state")).to_contain_text("评审中")
    page.click("#proposals button.shortlist")
    expect(page.locator("#proposals")).to_contain_text("入围")
    page.click("#proposals button.award")
    expect(page.locator("#challenge-state")).to_contain_text("已揭榜")
    expect(page.locator("#proposals")).to_contain_text("中选")
    shot("provider-08-awarded")

    challenge.refresh_from_db()
    assert challenge.state == Challenge.State.AWARDED
    assert Proposal.objects.get().state == Proposal.State.AWARDED
    assert Provider.objects.get().scenario_ids == ["online_inspection", "ai_visual_inspection_small_model"]


def test_an_enterprise_shares_one_plan_item_and_a_provider_finds_it(live_server: Any, page: Any, shot: Any) -> None:
    from wendao.web.enterprises import services as enterprise_services

    alice = make_user("alice")
    plan = enterprise_services.create_plan(alice, make_enterprise(alice), enterprise_services.plan_options({}))
    item = plan.plan["items"][0]
    pete = make_user("pete", Role.PROVIDER)
    provider = services.save_provider(
        pete, {"name": "鲁视智能科技（虚构）", "kind": "ai_firm", "scenario_ids": [item["scenario"]]}
    )
    base = live_server.url

    sign_in(page, base, "alice")
    page.goto(f"{base}/plans/{plan.pk}/")
    expect(page.locator("#plan-marketplace")).to_contain_text(item["name_zh"])
    shot("provider-09-plan-marketplace-links")
    page.locator("#plan-marketplace a.find-providers").first.click()
    expect(page.locator("h1")).to_contain_text(item["name_zh"])
    expect(page.locator("#matches")).to_contain_text("鲁视智能科技（虚构）")
    page.fill("#id_note", "联系人：王工 138xxxx（虚构）")
    page.click("#share-item")
    expect(page.locator("#shares")).to_contain_text("所有服务商")
    shot("provider-10-plan-item-shared")

    page.click("header button:has-text('退出')")
    sign_in(page, base, "pete")
    page.goto(f"{base}/marketplace/providers/{provider.pk}/demand/")
    expect(page.locator("#demand")).to_contain_text(item["name_zh"])
    page.click(f"#demand a:has-text('{item['name_zh']}')")
    expect(page.locator("#share-facts")).to_contain_text("联系人：王工")
    expect(page.locator("body")).not_to_contain_text(plan.enterprise.name)  # only the item, never who or the plan
    shot("provider-11-shared-item")
