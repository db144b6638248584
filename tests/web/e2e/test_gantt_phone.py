"""The plan's roadmap chart (Gantt) in a real browser at phone (390 px) and desktop (1280 px) width: one row per
roadmap item tall enough to read, axis labels at a readable size, and on a phone the chart scrolls sideways
inside its own box, never the page. Screenshots of the chart go to artifacts/screenshots/gantt-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import make_enterprise, make_user
from tests.web.e2e.conftest import SCREENSHOTS, sign_in
from wendao.web.enterprises import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_roadmap_chart_gives_each_item_a_readable_row_and_scrolls_in_its_own_box(
    live_server: Any, chromium: Any, viewport: str
) -> None:
    user = make_user("alice")
    enterprise = make_enterprise(user, "weifang_machinery")
    record = services.create_plan(user, enterprise, services.plan_options({}))
    items = len(record.plan["items"])
    assert items >= 3
    page = chromium.new_context(locale="zh-CN", viewport=VIEWPORTS[viewport]).new_page()
    page.set_default_timeout(30_000)
    sign_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/plans/{record.pk}/")
    chart = page.locator("#gantt")
    expect(chart.locator("svg")).to_be_visible()
    chart.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#gantt-box").screenshot(path=str(SCREENSHOTS / f"gantt-{viewport}.png"))
    box = page.evaluate(
        """() => {
        const box = document.getElementById('gantt-box'), chart = document.getElementById('gantt');
        const labels = [...chart.querySelectorAll('svg text')];
        return {
          boxWidth: box.clientWidth, chartWidth: chart.clientWidth, chartHeight: chart.clientHeight,
          scrollable: getComputedStyle(box).overflowX,
          pageWidth: document.documentElement.scrollWidth,
          fontSizes: labels.map(t => parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize)),
          texts: labels.map(t => t.textContent),
        };
      }"""
    )
    width = VIEWPORTS[viewport]["width"]
    assert box["pageWidth"] <= width + 10, box  # the page never scrolls sideways
    assert box["chartHeight"] >= items * 32, box  # a row per item, tall enough for two lines of a long name
    assert min(box["fontSizes"]) >= 12, box
    names = [i["name_zh"] for i in record.plan["items"]]
    shown = "".join(box["texts"])
    assert all(name[:4] in shown for name in names), (names, box["texts"])  # every item named, not cut to "…"
    if viewport == "phone":
        assert box["scrollable"] == "auto", box
        assert box["chartWidth"] >= box["boxWidth"], box  # wider than the box when the quarters need it
    else:
        assert box["chartWidth"] == box["boxWidth"], box  # fits, no scrolling at desktop width
    page.context.close()
