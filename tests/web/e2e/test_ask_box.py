"""The ask box on a phone (390×844): the three questions participants ask after every lecture (issue 15), asked
as written there on the plan page of each example enterprise (Weifang machinery, Zibo chemicals); each answer
is swapped in place, direct (its kind), with the plan's own figures, and the box with its answer stays within
the phone's width (the plan page's roadmap table is wider by itself; that is the plan page's own matter).
Screenshots go to artifacts/screenshots/ask-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import PASSWORD, make_enterprise, make_user
from tests.web.e2e.conftest import SCREENSHOTS
from wendao.engine.ask import number_text
from wendao.web.enterprises import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
QUESTIONS = {
    "cost_down": "我们的生产线自动化程度已经不低，下一步怎么用人工智能真正提效、降本？",
    "model_route": "如何用最小的成本定制合适的大模型？",
    "funding": "要花多少钱，谁来出钱？",
}


@pytest.mark.parametrize("example", ["weifang_machinery", "zibo_chemical"])
def test_the_three_lecture_questions_get_direct_answers_on_a_phone(
    live_server: Any, chromium: Any, example: str
) -> None:
    user = make_user("alice")
    enterprise = make_enterprise(user, example)
    record = services.create_plan(user, enterprise, services.plan_options({}))
    plan = services.plan_of(record)
    page = chromium.new_context(locale="zh-CN", viewport=PHONE).new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.goto(f"{live_server.url}/plans/{record.pk}/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    expected_text = {
        "cost_down": max(
            (p for p in plan.pools if p.pool != "annual_contribution_margin"), key=lambda p: p.annual
        ).name_zh,
        "model_route": "36 个月合计",
        "funding": f"一次性投资 {number_text(plan.money.one_off)} 万元",
    }
    for kind, question in QUESTIONS.items():
        page.fill("#ask-question", question)
        page.click(".ask-box button[type=submit]")
        answer = page.locator(f'#ask-answer article[data-kind="{kind}"]')
        expect(answer).to_be_visible()
        expect(answer).to_contain_text(expected_text[kind])
        right = page.evaluate(
            "Math.max(...[...document.querySelectorAll('.ask-box, .ask-box *')]"
            ".map(e => e.getBoundingClientRect().right))"
        )
        assert right <= PHONE["width"], f"{kind}: the ask box reaches {right} px"
        answer.screenshot(path=str(SCREENSHOTS / f"ask-{example}-{kind}.png"))
    page.context.close()


def test_a_what_if_in_the_browser_brings_new_cases_and_the_ask_box_answers_from_the_new_plan(
    live_server: Any, chromium: Any
) -> None:
    from wendao.web.enterprises.models import PlanRecord

    user = make_user("alice")
    enterprise = make_enterprise(user, "weifang_machinery")
    record = services.create_plan(user, enterprise, services.plan_options({}))
    page = chromium.new_context(locale="zh-CN", viewport=PHONE).new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.goto(f"{live_server.url}/plans/{record.pk}/")
    page.fill("#ask-question", QUESTIONS["funding"])
    page.click(".ask-box button[type=submit]")
    expect(page.locator('#ask-answer article[data-kind="funding"]')).to_be_visible()
    page.fill("#id_budget", "30")
    page.click("#what-if button[type=submit]")
    expect(page.locator("#plan-id")).not_to_have_text(str(record.pk))
    new = PlanRecord.objects.exclude(pk=record.pk).get()
    assert page.locator("#ask-plan").get_attribute("value") == str(new.pk)
    expect(page.locator("#ask-answer article")).to_have_count(0)  # the old plan's answer is gone
    expect(page.locator("#plan-cases")).to_have_count(1)
    page.fill("#ask-question", QUESTIONS["funding"])
    page.click(".ask-box button[type=submit]")
    answer = page.locator('#ask-answer article[data-kind="funding"]')
    expect(answer).to_contain_text(f"一次性投资 {number_text(services.plan_of(new).money.one_off)} 万元")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#plan-cases").screenshot(path=str(SCREENSHOTS / "ask-whatif-cases.png"))
    page.context.close()
