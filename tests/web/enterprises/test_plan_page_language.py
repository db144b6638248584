"""The plan page reads in one language: an English reader meets money as "CNY 200,000" (or a "10k CNY" column
header), never 万元 or 元; a Chinese reader never meets "CNY". The enterprise's own words are quoted as written."""

from __future__ import annotations

import re

from django.urls import reverse

from tests.web.conftest import client_for, make_enterprise
from wendao.web.accounts.models import User
from wendao.web.enterprises import services


def _body(html: str) -> str:
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r"<script.*?</script>|<svg.*?</svg>", "", main, flags=re.S)
    return re.sub(r"<[^>]+>", " ", main)


def test_the_plan_page_writes_money_in_the_readers_language(alice: User) -> None:
    enterprise = make_enterprise(alice, "weifang_machinery")
    record = services.create_plan(alice, enterprise, services.plan_options({}))
    plan = services.plan_of(record)
    own = sorted(filter(None, [plan.enterprise.name, *plan.enterprise.pain_points, *plan.enterprise.goals]), key=len)
    client = client_for(alice)
    url = reverse("enterprises:plan", args=[record.pk])
    zh = _body(client.get(url).content.decode())
    client.cookies["django_language"] = "en"
    en = _body(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    for words in reversed(own):
        en = en.replace(words, " ")
    assert "万元" in zh
    assert "CNY" not in zh
    assert "CNY" in en
    left = re.findall(r".{0,40}[万元].{0,10}", en)
    assert not left, left[:8]
