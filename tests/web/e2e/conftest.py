"""Headless Debian Chromium through Playwright's sync API, against pytest-django's live_server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[3] / "artifacts" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing in CI (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed")
    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls there without this.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def shot(page: Any) -> Any:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def sign_in(page: Any, base: str, username: str) -> None:
    """Sign ``username`` in through the login form (every persona's password is tests.web.conftest.PASSWORD) and
    wait until the header names them."""
    from playwright.sync_api import expect

    from tests.web.conftest import PASSWORD

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    expect(page.locator("header .who")).to_contain_text(username)


def demo_organiser(chromium: Any, base: str, firms: int, viewport: dict[str, int]) -> tuple[Any, Any]:
    """The demo's programme of ``firms`` synthetic firms (grouped, with plans) and a page signed in as
    demo-organiser at ``viewport``: the set-up of the phone-layout tests of the organiser's pages."""
    from tests.web.conftest import PASSWORD
    from wendao.web.enterprises.demo import create_demo_accounts, generate_demo_programme
    from wendao.web.programmes.demo import create_demo_cohort

    generate_demo_programme(count=firms)
    create_demo_accounts(password=PASSWORD)
    programme = create_demo_cohort()
    assert programme is not None
    page = chromium.new_context(locale="zh-CN", viewport=viewport).new_page()
    page.set_default_timeout(30_000)
    sign_in(page, base, "demo-organiser")
    return page, programme
