"""The Content-Security-Policy: on every response, strict for scripts, and nothing in the templates or our
scripts that it would block (inline script, on* handlers, javascript: URLs, eval). The browser side (no
violation on the real pages, Swagger UI and the admin included) is in tests/web/e2e/test_security.py."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.web.conftest import client_for, make_user
from wendao.web import csp
from wendao.web.accounts.models import Role, User
from wendao.web.catalog.models import ScenarioEntry
from wendao.web.catalog.services import seed_catalog
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.programmes.models import Programme

WEB = Path(__file__).resolve().parents[2] / "src" / "wendao" / "web"
TEMPLATES = sorted(p for p in WEB.rglob("*.html") if "templates" in p.parts)
OUR_SCRIPTS = sorted(p for p in WEB.rglob("*.js") if "vendor" not in p.parts)


def directives(header: str) -> dict[str, list[str]]:
    parts = [d.split() for d in header.split(";") if d.strip()]
    return {p[0]: p[1:] for p in parts}


def test_the_policy_allows_scripts_from_our_origin_only() -> None:
    policy = directives(csp.default_policy())
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no host
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert "'unsafe-eval'" not in csp.default_policy()
    assert [d for d, sources in policy.items() if "'unsafe-inline'" in sources] == ["style-src"]


def _plain_urls(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    urls = []
    for p in (resolver or get_resolver()).url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            urls += _plain_urls(p, route)
        elif isinstance(p, URLPattern) and "<" not in route and "(?P" not in route and "^" not in route:
            urls.append("/" + route)
    return urls


@pytest.mark.django_db
def test_every_response_carries_the_policy(alice_plan: PlanRecord, alice_co: Enterprise, programme: Programme) -> None:
    seed_catalog()
    editor = make_user("cathy", Role.CATALOG_EDITOR)
    editor.is_staff = True
    editor.save()
    organiser = User.objects.get(username="olivia")
    entry = ScenarioEntry.objects.order_by("key").first()
    assert entry is not None
    pages = [
        *_plain_urls(),
        f"/e/{alice_co.pk}/",
        f"/e/{alice_co.pk}/rounds/0/",
        f"/plans/{alice_plan.pk}/",
        f"/programmes/{programme.pk}/",
        f"/insights/programmes/{programme.pk}/",
        "/admin/",
        "/admin/catalog/scenarioentry/",
        f"/admin/catalog/scenarioentry/{entry.pk}/change/",
        "/no/such/page/",
        "/static/wendao/charts.js",
    ]
    users: list[Any] = [None, User.objects.get(username="alice"), organiser, make_user("pete", Role.PROVIDER), editor]
    missing, html = [], 0
    for user in users:
        client = client_for(user) if user is not None else Client()
        for url in pages:
            response = client.get(url)
            html += response.get("Content-Type", "").startswith("text/html")
            if response.get(csp.HEADER) != csp.default_policy():
                missing.append(f"{url} as {user}: {response.status_code}")
    assert not missing, missing
    assert html > 40  # the walk did reach pages, not only redirects


class _Markup(HTMLParser):
    """Collects what the policy would block: inline <script> code, on* and hx-on attributes, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name.lower(): value or "" for name, value in attrs}
        for name, value in names.items():
            if name.startswith(("on", "hx-on")):
                self.problems.append(f"<{tag} {name}=…> (line {self.getpos()[0]})")
            if value.strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…> (line {self.getpos()[0]})")
            if name in ("hx-vals", "hx-vars") and value.strip().startswith("js:"):
                self.problems.append(f"<{tag} {name}=js:…> (line {self.getpos()[0]})")
        if tag == "script":
            self._in_script = "src" not in names and names.get("type") != "application/json"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append(f"inline <script> (line {self.getpos()[0]})")


def _markup_problems(source: str) -> list[str]:
    # template tags and variables stand in for attribute values or text; drop them before parsing
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)
    source = re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", "", source, flags=re.S)
    source = re.sub(r"\{%.*?%\}", " ", source, flags=re.S)
    source = re.sub(r"\{\{.*?\}\}", "x", source, flags=re.S)
    parser = _Markup()
    parser.feed(source)
    parser.close()
    return parser.problems


def test_the_checker_finds_what_the_policy_blocks() -> None:
    assert _markup_problems('<select onchange="this.form.submit()"></select>')
    assert _markup_problems("<script>alert(1)</script>")
    assert _markup_problems('<a href="javascript:void(0)">x</a>')
    assert _markup_problems('<button hx-on:click="go()">x</button>')
    assert not _markup_problems('<script src="{% static \'a.js\' %}" defer></script>{{ d|json_script:"d" }}')


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(WEB)))
def test_no_template_has_inline_script_or_event_handlers(template: Path) -> None:
    assert not _markup_problems(template.read_text(encoding="utf-8"))


@pytest.mark.parametrize("script", OUR_SCRIPTS, ids=lambda p: str(p.relative_to(WEB)))
def test_our_scripts_need_no_eval(script: Path) -> None:
    code = script.read_text(encoding="utf-8")
    assert not re.search(r"\beval\s*\(|new\s+Function\s*\(|set(Timeout|Interval)\s*\(\s*['\"]", code)
