"""An organiser reads the demand views and makes the report for superiors, in Chromium, at desktop and phone
width (screenshots under artifacts/screenshots/report-*.png). The queue task is run by the test itself, as a
worker would (the same function)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import PASSWORD, join, make_enterprise, make_user
from tests.web.e2e.conftest import SCREENSHOTS
from wendao.web.accounts.models import Role
from wendao.web.enterprises import services
from wendao.web.insights.models import CohortReport, ProgressStatus
from wendao.web.insights.progress import set_progress
from wendao.web.insights.report import build_report
from wendao.web.programmes.models import Programme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _cohort(programme: Programme) -> None:
    """Six 潍坊 and five 淄博 firms with plans (two shown cities); two items started or deployed."""
    firms = [make_enterprise(None, "weifang_machinery") for _ in range(6)]
    firms += [make_enterprise(None, "zibo_chemical") for _ in range(5)]
    for i, firm in enumerate(firms):
        join(programme, firm)
        rec = services.create_plan(None, firm, services.plan_options({}))
        if i in (0, 7) and rec.plan["items"]:
            status = ProgressStatus.DEPLOYED if i == 0 else ProgressStatus.STARTED
            set_progress(None, rec, rec.plan["items"][0]["scenario"], status)


def test_an_organiser_reads_demand_and_downloads_the_report(live_server: Any, page: Any, shot: Any) -> None:
    programme = Programme.objects.create(name="第10期 人工智能赋能专题班")
    programme.organisers.add(make_user("olga", Role.ORGANISER))
    _cohort(programme)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "olga")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")

    # the dashboard's money totals say how they were formed
    page.goto(f"{live_server.url}/insights/programmes/{programme.pk}/")
    expect(page.locator("#money-method")).to_contain_text("可信区间")
    shot("report-01-dashboard-money")

    # demand by city × scenario: names, not keys; the chart is drawn
    page.goto(f"{live_server.url}/insights/programmes/{programme.pk}/demand/")
    expect(page.locator("#demand-matrix tbody tr")).to_have_count(2)
    expect(page.locator("#demand-matrix")).to_contain_text("潍坊")
    expect(page.locator("#demand-matrix")).not_to_contain_text("weifang")
    expect(page.locator("#chart-demand canvas").first).to_be_visible()
    shot("report-02-demand-city")
    page.click("#demand-tabs a:has-text('按行业大类')")
    expect(page).to_have_url(re.compile(r"by=division"))
    expect(page.locator("#demand-matrix")).to_contain_text("通用设备制造业")
    expect(page.locator("#demand-matrix")).not_to_contain_text("C34")
    shot("report-03-demand-division")
    phone = page.context.browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    mobile = phone.new_page()
    mobile.context.add_cookies(page.context.cookies())
    mobile.goto(f"{live_server.url}/insights/programmes/{programme.pk}/demand/")
    expect(mobile.locator("#demand-scenarios")).to_be_visible()
    width = mobile.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, width  # the wide matrix scrolls inside its card, the page does not
    mobile.screenshot(path=str(SCREENSHOTS / "report-04-demand-phone.png"), full_page=True)

    # the report: asked for, made by the worker, downloaded
    page.goto(f"{live_server.url}/insights/programmes/{programme.pk}/report/")
    page.click("#report-form button[type=submit]")
    expect(page.locator(".report-row[data-status=queued]")).to_have_count(1)
    build_report(CohortReport.objects.get(programme=programme).pk)
    expect(page.locator(".report-row[data-status=done]")).to_have_count(1, timeout=20_000)
    shot("report-05-ready")
    with page.expect_download() as download:
        page.click("a:has-text('下载 Word')")
    assert download.value.suggested_filename.endswith(".docx")
    with page.expect_download() as download:
        page.click("a:has-text('下载 PDF')")
    assert download.value.suggested_filename.endswith(".pdf")
    mobile.goto(f"{live_server.url}/insights/programmes/{programme.pk}/report/")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 400
    mobile.screenshot(path=str(SCREENSHOTS / "report-06-report-phone.png"), full_page=True)
    phone.close()
