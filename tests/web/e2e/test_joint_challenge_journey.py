"""A joint challenge end to end, at desktop and phone width: the organiser drafts it from the city × scenario
demand, two firms opt in, the organiser publishes it; a provider signs in, lands on its dashboard, finds the
joint challenge, answers with a proposal, a PDF attachment and a question; the organiser answers the question.
Screenshots under artifacts/screenshots/joint-*.png."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import join, make_enterprise, make_user
from tests.web.e2e.conftest import sign_in
from tests.web.marketplace.conftest import in_days
from wendao.web.accounts.models import Role
from wendao.web.enterprises import services as enterprise_services
from wendao.web.enterprises.models import Enterprise
from wendao.web.marketplace import joint, services
from wendao.web.marketplace.models import Attachment, Challenge, JointMember, Question
from wendao.web.programmes.models import Programme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits(page: Any) -> None:
    """Nothing wider than the screen: the page does not scroll sideways."""
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id)"""
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), wide


def test_an_organiser_pools_demand_and_a_provider_answers_the_joint_challenge(
    live_server: Any, page: Any, shot: Any, tmp_path: Path
) -> None:
    olivia = make_user("olivia", Role.ORGANISER)
    programme = Programme.objects.create(name="2026 潍坊班")
    programme.organisers.add(olivia)
    members = []
    for i in range(3):
        user = make_user(f"firm{i}")
        firm = make_enterprise(user, name="weifang_machinery")
        Enterprise.objects.filter(pk=firm.pk).update(name=f"潍坊某机械厂{i}（虚构）")
        plan = enterprise_services.create_plan(user, firm, enterprise_services.plan_options({}))
        join(programme, firm)
        members.append(user)
    scenario = plan.plan["items"][0]["scenario"]
    pete = make_user("pete", Role.PROVIDER)
    services.save_provider(
        pete,
        {
            "name": "鲁智联科技（虚构）",
            "kind": "ai_firm",
            "description": "面向中小制造企业的成套方案。",
            "scenario_ids": [scenario],
            "regions": ["weifang"],
        },
    )
    base = live_server.url

    # the organiser: demand by city and scenario -> a joint challenge for the Weifang cell
    sign_in(page, base, "olivia")
    page.click("#nav-marketplace")
    page.click("#joint-demand")
    expect(page.locator(".joint-demand table.cells")).to_contain_text("潍坊")
    shot("joint-01-demand")
    page.locator(f".joint-demand a.draft-joint[href*='scenario={scenario}']").first.click()
    expect(page.locator("#cell-firms")).to_have_text("3")
    page.fill("#id_deadline", in_days(30).isoformat())
    shot("joint-02-draft-form")
    page.click("#save-joint")
    expect(page.locator("#joint-members")).to_contain_text("潍坊某机械厂0（虚构）")
    challenge = Challenge.objects.get(joint=True)

    # two firms opt in (the second through the page), then the organiser publishes
    joint.decide(
        members[0], JointMember.objects.get(challenge=challenge, enterprise__memberships__user=members[0]), True
    )
    page.click("header button:has-text('退出')")
    sign_in(page, base, "firm1")
    page.goto(f"{base}/marketplace/challenges/{challenge.pk}/")
    page.click("#joint button.join-joint")
    expect(page.locator("#joint")).to_contain_text("已确认参与")
    expect(page.locator("#joint")).not_to_contain_text("潍坊某机械厂0")  # never the other firms
    shot("joint-03-firm-joins")
    page.click("header button:has-text('退出')")
    sign_in(page, base, "olivia")
    page.goto(f"{base}/marketplace/challenges/{challenge.pk}/")
    page.click("#action-publish")
    expect(page.locator("#challenge-state")).to_contain_text("征集中")

    # the provider lands on its dashboard and answers
    page.click("header button:has-text('退出')")
    sign_in(page, base, "pete")
    expect(page).to_have_url(re.compile(r"/marketplace/$"))
    expect(page.locator("#my-providers")).to_contain_text("档案完整度")
    expect(page.locator("[id^=dashboard-demand] #demand")).to_contain_text(challenge.title)  # loaded by HTMX
    shot("joint-04-provider-dashboard")
    page.locator(f"[id^=dashboard-demand] #demand a:has-text('{challenge.title}')").click()
    expect(page.locator("#joint-summary")).to_contain_text("已有 2 家企业确认参与（共邀请 3 家）")
    expect(page.locator("body")).not_to_contain_text("潍坊某机械厂")
    page.fill("#id_approach", "成套视觉检测方案，三家共用模型平台，按企业分别部署。")
    page.fill("#id_price", "45")
    page.fill("#id_duration_months", "4")
    page.click("#submit-proposal")
    expect(page.locator(".messages")).to_contain_text("方案已提交")
    pdf = tmp_path / "联合方案.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    page.set_input_files("form.attach input[type=file]", str(pdf))
    page.click("#upload-attachment")
    expect(page.locator("#attachments")).to_contain_text("联合方案.pdf")
    page.fill("#id_text", "三家企业的产线节拍是否一致？")
    page.click("#ask-question")
    expect(page.locator("#questions")).to_contain_text("三家企业的产线节拍是否一致？")
    shot("joint-05-provider-answered")
    phone = page.context.browser.new_context(locale="zh-CN", viewport=PHONE)
    mobile = phone.new_page()
    mobile.set_default_timeout(15_000)
    sign_in(mobile, base, "pete")
    expect(mobile.locator("[id^=dashboard-demand] #demand")).to_contain_text(challenge.title)
    _fits(mobile)
    mobile.screenshot(
        path=str(Path(shot("joint-05-provider-answered")).with_name("joint-06-phone-dashboard.png")), full_page=True
    )
    mobile.goto(f"{base}/marketplace/challenges/{challenge.pk}/")
    expect(mobile.locator("#joint-summary")).to_be_visible()
    _fits(mobile)
    mobile.screenshot(
        path=str(Path(shot("joint-05-provider-answered")).with_name("joint-07-phone-challenge.png")), full_page=True
    )
    phone.close()

    # the organiser sees the attachment and answers the question
    page.click("header button:has-text('退出')")
    sign_in(page, base, "olivia")
    page.goto(f"{base}/marketplace/challenges/{challenge.pk}/")
    expect(page.locator("#proposals")).to_contain_text("联合方案.pdf")
    page.locator("#questions textarea").first.fill("节拍不同，请分别给出配置。")
    page.locator("#questions button.answer-question").first.click()
    expect(page.locator("#questions .answer")).to_contain_text("节拍不同")
    shot("joint-08-organiser-answers")
    _fits(page)

    assert Attachment.objects.get().name == "联合方案.pdf"
    assert Question.objects.get().answer == "节拍不同，请分别给出配置。"
