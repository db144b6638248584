"""A chain leader (链主企业) pools its chain's demand into a joint challenge in the browser: it sees counts per
scenario, drafts the challenge, and the challenge page lists no firm until one opts in. Screenshots under
artifacts/screenshots/chain-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import join, make_enterprise, make_user
from tests.web.e2e.conftest import sign_in
from tests.web.marketplace.conftest import in_days
from wendao.web.enterprises import services as enterprise_services
from wendao.web.enterprises.models import Enterprise
from wendao.web.marketplace.models import Challenge, JointMember

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_chain_leader_drafts_a_joint_challenge_for_its_chain(
    live_server: Any, page: Any, chromium: Any, shot: Any, programme: Any, olivia: Any
) -> None:
    leader_user = make_user("leader")
    leader = make_enterprise(leader_user, name="weifang_machinery", qualifications=["链主"])
    Enterprise.objects.filter(pk=leader.pk).update(name="潍坊某机床集团（虚构）")
    participant = join(programme, leader)
    for i in range(3):
        user = make_user(f"supplier{i}")
        firm = make_enterprise(user, name="weifang_machinery")
        Enterprise.objects.filter(pk=firm.pk).update(name=f"配套厂{i}（虚构）")
        enterprise_services.create_plan(user, firm, enterprise_services.plan_options({}))
    sign_in(page, live_server.url, "leader")
    page.goto(f"{live_server.url}/marketplace/")
    page.click("#chain-demand")
    # stated in the profile, not yet confirmed: no counts of the chain, and why
    expect(page.locator(".chain-unconfirmed")).to_contain_text("组织方确认")
    expect(page.locator("a.draft-chain")).to_have_count(0)
    shot("chain-unconfirmed")

    # the programme's organiser confirms it on the participant page
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    organiser = context.new_page()
    organiser.set_default_timeout(15_000)
    sign_in(organiser, live_server.url, olivia.username)
    organiser.goto(f"{live_server.url}/programmes/{programme.pk}/participants/{participant.pk}/")
    expect(organiser.locator("#chain-leader")).to_contain_text("自称链主企业")
    organiser.click("#chain-leader-confirm")
    expect(organiser.locator(".messages")).to_contain_text("已确认链主身份")
    context.close()

    page.reload()
    expect(page.locator("section.chain-demand")).to_contain_text("潍坊某机床集团（虚构）")
    expect(page.locator("section.chain-demand")).not_to_contain_text("配套厂")
    shot("chain-demand")
    page.locator("a.draft-chain").first.click()
    expect(page.locator("#cell-firms")).to_have_text("3")
    page.fill("#id_deadline", in_days(30).isoformat())
    shot("chain-form")
    page.click("#save-joint")
    expect(page.locator("#joint-summary")).to_contain_text("共邀请 3 家")
    expect(page.locator("#joint h2")).to_contain_text("工业母机")
    expect(page.locator("#joint")).not_to_contain_text("配套厂")
    shot("chain-challenge")
    challenge = Challenge.objects.get(joint=True)
    assert challenge.chain == leader.chain
    assert JointMember.objects.filter(challenge=challenge).count() == 3
