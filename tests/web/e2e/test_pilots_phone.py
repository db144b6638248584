"""The pilot ranking in a real browser at phone (390 px) and desktop (1280 px) width, on the demo's data: the
page is the filters, a ranking of 25 rows a page and a pager, each row's city, chain, size and component scores
folded under its name on a phone. 100 stacked rows stood 24 511 px tall at 390 px (the demo's 300 firms, session
7, before); the same page measured 2 838 px after (3 313 px in English), 1 576 px at desktop width. Screenshots go to
artifacts/screenshots/pilots-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.e2e.conftest import SCREENSHOTS, demo_organiser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
MAX_HEIGHT = {"desktop": 2000, "phone": 3600}  # 1 576 and 2 838 px measured on the demo (load ~4, session 7)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_pilot_ranking_fits_a_phone_by_pages_with_the_details_folded(
    live_server: Any, chromium: Any, viewport: str
) -> None:
    page, programme = demo_organiser(chromium, live_server.url, 40, VIEWPORTS[viewport])
    page.goto(f"{live_server.url}/insights/programmes/{programme.pk}/pilots/")
    expect(page.locator("#pilots tbody tr")).to_have_count(25)
    expect(page.locator(".pager")).to_contain_text("第 1 / 2 页，共 40 家")
    height = page.evaluate("document.documentElement.scrollHeight")
    width = page.evaluate("document.documentElement.scrollWidth")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"pilots-{viewport}.png"), full_page=True)
    assert height <= MAX_HEIGHT[viewport], height
    assert width <= VIEWPORTS[viewport]["width"] + 10, width
    first = page.locator("#pilots tbody tr").first
    if viewport == "phone":
        expect(first.locator("td.wide-only").first).to_be_hidden()
        first.locator("details summary").click()
        expect(first.locator("details")).to_contain_text("基础扎实")
    else:
        expect(first.locator("details")).to_be_hidden()
        expect(first.locator("td.wide-only").first).to_be_visible()
    # the second page goes on counting: its first row is 26th
    page.click(".pager a")
    expect(page.locator("#pilots tbody tr").first.locator("td").first).to_have_text("26")
    page.select_option("#id_size", index=1)
    page.click("#pilot-filters button")
    expect(page.locator("#pilots-shown")).to_contain_text("筛选后共")
    page.context.close()
