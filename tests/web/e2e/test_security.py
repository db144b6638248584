"""Security in a real browser: a hostile name put into the knowledge base through the admin shows as text in
every member's plan page, and the pages run under the Content-Security-Policy without a blocked script."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.web.conftest import make_enterprise, make_user
from wendao.web.accounts.models import AuditEvent, Role, User
from wendao.web.catalog.models import ScenarioEntry
from wendao.web.catalog.services import seed_catalog
from wendao.web.enterprises import services
from wendao.web.enterprises.models import PlanRecord

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOSTILE = '<img src=x onerror="window.__xss=(window.__xss||0)+1">'
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber);
});
"""
GANTT_TOOLTIP = """() => {
  const el = document.getElementById("gantt");
  const tip = el && el.children.length > 1 ? el.children[el.children.length - 1] : null;
  return tip && getComputedStyle(tip).display !== "none"
    ? {html: tip.innerHTML, text: tip.textContent, imgs: tip.querySelectorAll("img").length} : null;
}"""


def sign_in(page: Any, live_server: Any, user: User) -> None:
    """The session of a signed-in user, handed to the browser (the sign-in form has its own tests)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def _staff(username: str, role: str) -> User:
    user = make_user(username, role)
    user.is_staff = True
    user.save()
    return user


def _console_csp_errors(page: Any) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    return errors


def test_a_hostile_scenario_name_from_the_catalog_admin_shows_as_text_in_the_gantt_tooltip(
    live_server: Any, page: Any, shot: Any
) -> None:
    seed_catalog()
    alice = make_user("alice")
    enterprise = make_enterprise(alice)
    first = services.create_plan(alice, enterprise, services.plan_options({}))
    target = first.plan["items"][0]["scenario"]
    page.add_init_script(WATCH)
    csp_errors = _console_csp_errors(page)

    # a catalog editor renames the scenario in the admin, the knowledge base's one write path
    cathy = _staff("cathy", Role.CATALOG_EDITOR)
    entry = ScenarioEntry.objects.get(key=target)
    sign_in(page, live_server, cathy)
    page.goto(f"{live_server.url}/admin/catalog/scenarioentry/{entry.pk}/change/")
    data = json.loads(page.input_value("#id_data"))
    data["name_zh"] = data["name_en"] = HOSTILE
    page.fill("#id_data", json.dumps(data, ensure_ascii=False, indent=2))
    page.fill("#id_name_zh", HOSTILE)
    page.fill("#id_source", "e2e：恶意名称测试")
    page.click("input[name=_save]")
    expect(page).to_have_url(re.compile(r"/admin/catalog/scenarioentry/$"))
    assert AuditEvent.objects.filter(actor=cathy, action="catalog.change").count() == 1

    # the member makes a new plan with it and hovers every bar of the Gantt chart
    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/e/{enterprise.pk}/")
    page.click(f"form[action='/e/{enterprise.pk}/plans/new/'] button[type=submit]")
    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
    record = PlanRecord.objects.exclude(pk=first.pk).get()
    assert next(i for i in record.plan["items"] if i["scenario"] == target)["name_zh"] == HOSTILE
    bars = page.locator("#gantt svg path[fill='#b4232a']")
    expect(bars.first).to_be_visible()
    # the chart in view (the plan page has grown above it), then the boxes: a hovered bar changes colour
    # (emphasis), so the selector would lose it
    page.locator("#gantt").scroll_into_view_if_needed()
    boxes = [bars.nth(i).bounding_box() for i in range(bars.count())]
    tips: list[dict[str, Any]] = []
    for box in boxes:
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        before = tips[-1]["html"] if tips else ""
        # polled from Python: wait_for_function evaluates a string, which the page's CSP (no unsafe-eval) refuses
        tip = None
        for _ in range(100):
            tip = page.evaluate(GANTT_TOOLTIP)
            if tip is not None and tip["html"] != before:
                break
            page.wait_for_timeout(50)
        assert tip is not None
        tips.append(tip)
    hostile = [t for t in tips if "onerror" in t["html"]]
    assert len(hostile) == 1, tips
    assert hostile[0]["imgs"] == 0, hostile[0]["html"]
    assert HOSTILE in hostile[0]["text"]
    # and the plan page's own text (the roadmap table) shows it literally too
    expect(page.get_by_text(HOSTILE).first).to_be_visible()
    shot("security-hostile-scenario-name")
    assert page.locator("img[src=x]").count() == 0
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("window.__violations") == []
    assert csp_errors == []


def test_the_pages_run_under_the_content_security_policy(live_server: Any, page: Any) -> None:
    seed_catalog()
    alice = make_user("alice")
    enterprise = make_enterprise(alice)
    plan = services.create_plan(alice, enterprise, services.plan_options({}))
    page.add_init_script(WATCH)
    csp_errors = _console_csp_errors(page)

    def clean(where: str) -> None:
        assert page.evaluate("window.__violations") == [], where

    sign_in(page, live_server, alice)
    response = page.goto(f"{live_server.url}/e/{enterprise.pk}/rounds/0/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("#radar svg")).to_be_visible()
    clean("results")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    expect(page.locator("#gantt svg")).to_be_visible()
    clean("plan")
    # the what-if form re-plans through htmx, and the swapped fragment brings its own chart
    first = page.locator("#plan-id").inner_text()
    page.fill("#id_budget", "60")
    page.click("#what-if button[type=submit]")
    expect(page.locator("#plan-id")).not_to_have_text(first)
    expect(page.locator("#gantt svg, #no-items").first).to_be_visible()
    clean("what-if")
    # the marketplace filter submits itself on change (was an inline onchange handler)
    page.goto(f"{live_server.url}/marketplace/challenges/")
    page.select_option("select[name=state]", index=1)
    expect(page).to_have_url(re.compile(r"state=\w+"))
    clean("marketplace filter")
    # Swagger UI (django-ninja's bundled page: JSON settings + static scripts, no inline code)
    page.goto(f"{live_server.url}/api/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    clean("api docs")

    sign_in(page, live_server, _staff("cathy", Role.CATALOG_EDITOR))
    entry = ScenarioEntry.objects.order_by("key").first()
    assert entry is not None
    page.goto(f"{live_server.url}/admin/catalog/scenarioentry/{entry.pk}/change/")
    expect(page.locator("#id_data")).to_be_visible()
    page.goto(f"{live_server.url}/admin/catalog/scenarioentry/?q=a")
    expect(page.locator("#result_list")).to_be_visible()
    clean("admin")
    assert csp_errors == []
