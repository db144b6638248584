"""The programme's participant filters at desktop (1366 px) and phone (390 px) width. On a desktop the four lists
had stretched across the whole card (about 1 000 px each) under a search box too narrow for its hint
("企业名称、联系人或手" cut); the form stood 384 px tall. Now it is one bar of label + field pairs there, and
each field under its label on a phone.

The participants below them: on a phone each firm had stacked into ten labelled cells, 326 px a firm (16 firms: the
page 6 899 px tall); now one block a firm, 132 px (3 745 px). Measured at load ~3, session 8."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.e2e.conftest import SCREENSHOTS, demo_organiser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_participant_filters_are_one_bar_on_a_desktop_and_a_column_on_a_phone(
    live_server: Any, chromium: Any, width: int
) -> None:
    page, programme = demo_organiser(chromium, live_server.url, 16, {"width": width, "height": 900})
    page.goto(f"{live_server.url}/programmes/{programme.pk}/")
    form = page.locator("#participant-filters")
    box = form.bounding_box()
    search = page.locator("#pf-q").bounding_box()
    city = page.locator("#pf-city").bounding_box()
    assert box is not None
    assert search is not None
    assert city is not None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    form.screenshot(path=str(SCREENSHOTS / f"participant-filters-{width}.png"))
    # the hint fits its box
    assert page.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1", page.locator("#pf-q").element_handle())
    first = page.locator("#participants tbody tr").first
    row = first.bounding_box()
    assert row is not None
    if width > 600:
        assert first.locator("td.wide-only").first.is_visible()
        assert box["height"] < 120, box
        assert city["width"] < 300, city  # a list as wide as its longest option, not the card
        assert abs(city["y"] - search["y"]) < 5  # on the search box's line
    else:
        # one block a firm: name; city · industry · group; contact · mobile; the four steps on one line
        assert not first.locator("td.wide-only").first.is_visible()
        assert "档案 ✓" in first.locator(".progress").inner_text()
        assert row["height"] < 150, row
        assert box["x"] + box["width"] <= width
        assert city["y"] > search["y"] + search["height"]  # under it
        assert abs(city["x"] - search["x"]) < 2  # and aligned with it
    page.context.close()
