"""A new enterprise user goes the whole way: sign in, profile, wizard (with a resume), results, plan,
what-if, PDF download, language switch."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import PASSWORD, make_user
from tests.web.jobs.conftest import run_worker
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises.models import Enterprise, PlanRecord

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _answer_step(page: Any, questions: list[Any], pick: int) -> None:
    for q in questions:
        form = page.locator(f"#q-{q.id}")
        if q.type == "single":
            options = form.locator("input[type=radio][value]:not([value=na])")
            options.nth(min(pick, options.count() - 1)).check()
        else:
            plain = [o.id for o in q.options if not o.exclusive]
            form.locator(f"input[type=checkbox][value='{plain[0]}']").check()
        expect(page.locator(f"#saved-{q.id}")).to_contain_text("已保存")


def test_a_new_enterprise_user_completes_the_journey(live_server: Any, page: Any, shot: Any, tmp_path: Any) -> None:
    make_user("nina")
    loaded = active_catalog()
    steps = [
        [q for q in loaded.questionnaire.questions if q.dimension == d.id] for d in loaded.questionnaire.dimensions
    ]

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("#id_username", "nina")
    page.fill("#id_password", PASSWORD)
    shot("01-login")
    page.click("button[type=submit].primary")

    expect(page).to_have_url(re.compile(r"/e/new/$"))
    page.fill("#id_name", "青岛示例智能装备有限公司（虚构）")
    page.select_option("#id_city", "qingdao")
    page.fill("#id_industry", "C34")
    page.fill("#id_employees", "180")
    page.fill("#id_revenue", "12000")
    page.fill("#id_budget", "120")
    page.check("input[name=systems][value=ERP]")
    page.fill("#id_pain_points", "关键设备经常突然停机\n零件外观缺陷靠人工目检，漏检多")
    page.fill("#id_annual_energy_cost", "300")
    shot("02-profile")
    page.click("form.profile button[type=submit]")

    expect(page).to_have_url(re.compile(r"/rounds/0/step/1/$"))
    expect(page.locator("#progress")).to_contain_text("0 / 53")
    _answer_step(page, steps[0], pick=2)
    shot("03-wizard-step1")
    page.click("#next-step")
    expect(page.locator("#step-title")).to_contain_text("第 2 步")
    _answer_step(page, steps[1], pick=2)

    # leave and come back: the wizard resumes at the first unanswered step
    enterprise = Enterprise.objects.get()
    page.goto(f"{live_server.url}/e/{enterprise.pk}/assessment/")
    expect(page).to_have_url(re.compile(r"/step/3/$"))
    for number, questions in enumerate(steps[2:], start=3):
        expect(page.locator("#step-title")).to_contain_text(f"第 {number} 步")
        _answer_step(page, questions, pick=2)
        if number < len(steps):
            page.click("#next-step")
    expect(page.locator("#progress")).to_contain_text("53 / 53")
    shot("04-wizard-last-step")
    page.click("#complete")

    expect(page).to_have_url(re.compile(r"/rounds/0/$"))
    expect(page.locator("#radar svg")).to_be_visible()
    shot("05-results")
    page.click("#make-plan")

    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
    expect(page.locator("#gantt svg")).to_be_visible()
    first_plan = page.locator("#plan-id").inner_text()
    shot("06-plan")

    page.fill("#id_budget", "40")
    page.select_option("#id_objective", "quick_wins")
    page.click("#what-if button[type=submit]")
    expect(page.locator("#plan-id")).not_to_have_text(first_plan)
    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
    new_plan = PlanRecord.objects.get(pk=int(page.locator("#plan-id").inner_text()))
    assert new_plan.options["budget"] == 40.0
    assert new_plan.options["objective"] == "quick_wins"
    expect(page.locator("#gantt svg, #no-items").first).to_be_visible()
    shot("07-plan-what-if")

    downloads: list[Any] = []
    page.on("download", lambda d: downloads.append(d))  # a builtin is not accepted as a handler
    page.click("#download-pdf")
    # prepared on the task queue while the page shows progress, then downloaded by itself at the next poll
    expect(page.locator("#progress-pdf progress")).to_be_visible()
    run_worker()
    for _ in range(100):
        if downloads:
            break
        page.wait_for_timeout(200)
    assert downloads, "the prepared PDF was not downloaded"
    pdf = tmp_path / "plan.pdf"
    downloads[0].save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    page.click("#language-switch button[data-lang=en]")
    expect(page.locator("h1").first).to_contain_text("AI transformation plan")
    expect(page.locator("#plan-id")).to_have_text(str(new_plan.pk))  # back on the what-if plan, not the first
    expect(page.locator("html")).to_have_attribute("lang", "en")
    shot("08-plan-english")
