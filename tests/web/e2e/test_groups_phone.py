"""The organiser's discussion groups in a real browser at phone (390 px) and desktop (1280 px) width, on the demo's
data. Each firm's row had stacked into a card of six labelled cells: the demo's 300 firms in 38 groups stood
68 882 px tall at 390 px (session 8, before). Now each group folds under its heading on a phone, a firm's row is its
name with city, industry and chain under it, its score and the "move to" list, and the summary table's link opens
its group. Screenshots go to artifacts/screenshots/groups-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.e2e.conftest import SCREENSHOTS, demo_organiser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
# 40 firms in 5 groups (load ~9, session 8): before 10 168 px on a phone (3 731 px desktop), after 1 982 (3 578)
MAX_HEIGHT = {"desktop": 4000, "phone": 2600}


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_groups_fold_on_a_phone_and_a_firm_is_moved_from_an_opened_group(
    live_server: Any, chromium: Any, viewport: str
) -> None:
    page, programme = demo_organiser(chromium, live_server.url, 40, VIEWPORTS[viewport])
    page.goto(f"{live_server.url}/programmes/{programme.pk}/groups/")
    groups = page.locator("#groups details.group")
    count = groups.count()
    assert count >= 4
    height = page.evaluate("document.documentElement.scrollHeight")
    width = page.evaluate("document.documentElement.scrollWidth")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"groups-{viewport}.png"), full_page=True)
    assert width <= VIEWPORTS[viewport]["width"] + 10, width
    assert height <= MAX_HEIGHT[viewport], height
    first_row = page.locator("#group-2 tbody tr").first
    if viewport == "phone":
        assert page.locator("#groups details.group[open]").count() == 0
        page.click("#group-summary a[href='#group-2']")
        expect(page.locator("#group-2")).to_have_attribute("open", "")
        expect(first_row.locator("td.wide-only").first).to_be_hidden()
        expect(first_row.locator(".phone-only")).to_contain_text(" · ")  # city · industry under the name
        box = first_row.locator("select").bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= VIEWPORTS[viewport]["width"], box
    else:
        assert page.locator("#groups details.group[open]").count() == count
        expect(first_row.locator("td.wide-only").first).to_be_visible()
    firm = first_row.get_attribute("data-participant")
    first_row.locator("select").select_option(label="第3组")
    expect(page.locator(f"#group-3 tr[data-participant='{firm}']")).to_have_count(1)
    if viewport == "phone":  # the group opened by hand is still open after the swap; the others stay folded
        expect(page.locator("#group-2")).to_have_attribute("open", "")
        expect(page.locator("#groups details.group[open]")).to_have_count(1)
    page.context.close()
