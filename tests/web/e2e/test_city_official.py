"""A member agrees to share with their city, and Weifang's official reads the city's dashboard, firm list,
demand views and report, in Chromium at desktop and phone width (screenshots under
artifacts/screenshots/city-*.png). The report's queue task is run by the test itself, as a worker would."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import join, make_enterprise, make_user
from tests.web.e2e.conftest import SCREENSHOTS, sign_in
from wendao.web.accounts.models import Role
from wendao.web.enterprises import services
from wendao.web.insights.models import CityShare, CohortReport
from wendao.web.insights.report import build_report
from wendao.web.programmes.models import Programme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_city_official_reads_their_citys_shared_enterprises(live_server: Any, page: Any, shot: Any) -> None:
    programme = Programme.objects.create(name="第10期 人工智能赋能专题班")
    alice = make_user("alice-member")
    firms = [make_enterprise(alice)] + [make_enterprise(None) for _ in range(5)]
    holdout = make_enterprise(None)  # joined, never agreed: not in any of the city's figures
    for i, firm in enumerate([*firms, holdout]):
        if i:
            firm.name = f"潍坊某装备制造有限公司{i:02d}（测试）"
            firm.save(update_fields=["name"])
        join(programme, firm)
        services.create_plan(None, firm, services.plan_options({}))
    for firm in firms[1:]:
        CityShare.objects.create(enterprise=firm)
    official = make_user("wf-official", Role.CITY_OFFICIAL)
    official.city = firms[0].city
    official.save()

    # the member agrees on their enterprise page
    sign_in(page, live_server.url, "alice-member")
    page.goto(f"{live_server.url}/e/{firms[0].pk}/")
    expect(page.locator("#city-share")).to_contain_text("潍坊")
    shot("city-01-member-consent")
    page.click("#city-share button[type=submit]")
    expect(page.locator("#city-share")).to_contain_text("本企业已同意")
    page.context.clear_cookies()

    # the official's home is the city's dashboard: six firms, by name; the holdout is not there
    sign_in(page, live_server.url, "wf-official")
    expect(page).to_have_url(f"{live_server.url}/insights/city/")
    expect(page.locator("h1")).to_contain_text("潍坊")
    expect(page.locator("#firms tbody tr")).to_have_count(6)
    expect(page.locator("#firms")).to_contain_text(firms[0].name)
    expect(page.locator("#firms")).not_to_contain_text(holdout.name)
    expect(page.locator("#totals")).to_contain_text("6")
    expect(page.locator("#maturity-division")).to_contain_text("通用设备制造业")
    expect(page.locator("#maturity-division")).not_to_contain_text("C34")
    expect(page.locator("#chart-city canvas").first).to_be_visible()
    shot("city-02-dashboard")
    page.fill("#firm-q", "01")
    page.click("#city-firms button[type=submit]")
    expect(page.locator("#firms tbody tr")).to_have_count(1)

    # demand by division, size and chain; the city's own CSV
    page.goto(f"{live_server.url}/insights/city/demand/")
    expect(page.locator("#demand-matrix tbody tr")).to_have_count(1)
    expect(page.locator("#demand-matrix")).to_contain_text("通用设备制造业")
    expect(page.locator("#demand-matrix")).not_to_contain_text("C34")
    expect(page.locator("#demand-tabs")).not_to_contain_text("按城市")
    shot("city-03-demand-division")

    # the city report: asked for, made, downloaded
    page.goto(f"{live_server.url}/insights/city/report/")
    page.click("#report-form button[type=submit]")
    expect(page.locator(".report-row[data-status=queued]")).to_have_count(1)
    build_report(CohortReport.objects.get(city=official.city).pk)
    expect(page.locator(".report-row[data-status=done]")).to_have_count(1, timeout=20_000)
    shot("city-04-report-ready")
    with page.expect_download() as download:
        page.click("a:has-text('下载 Word')")
    assert download.value.suggested_filename.endswith(".docx")

    # nothing of the programme's own pages
    response = page.goto(f"{live_server.url}/insights/programmes/{programme.pk}/")
    assert response is not None
    assert response.status == 404

    # at phone width the firm list and the dashboard scroll inside their cards, not the page
    phone = page.context.browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    mobile = phone.new_page()
    mobile.context.add_cookies(page.context.cookies())
    mobile.goto(f"{live_server.url}/insights/city/")
    expect(mobile.locator("#firms")).to_be_visible()
    width = mobile.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, width
    # a table stacked into cards fits its card: none is cut off at the card's right edge
    cut = mobile.evaluate(
        """() => [...document.querySelectorAll('.card table.stacked')].filter(t => {
          const card = t.closest('.card');
          return t.getBoundingClientRect().right > card.getBoundingClientRect().right + 1;
        }).map(t => t.id || t.className)"""
    )
    assert cut == [], cut
    mobile.screenshot(path=str(SCREENSHOTS / "city-05-dashboard-phone.png"), full_page=True)
    phone.close()
