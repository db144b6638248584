"""The plan page's headline where nothing is counted: "可计入补贴 0 万元（暂无可计入的补贴，可能适用的政策见
“谁来出钱”）", not "—", which an owner reads as unknown. (No example profile counts a subsidy today: the three
give 0.0, so the amount's branch is checked in the documents' tests, tests/report/test_subsidy_headline.py.)"""

from __future__ import annotations

from django.urls import reverse

from tests.web.conftest import client_for, make_enterprise
from wendao.web.accounts.models import User
from wendao.web.enterprises import services


def _kpis(body: str) -> str:
    start = body.index('<div class="kpis">')
    return body[start : body.index('<p class="downloads">', start)]


def test_a_plan_that_counts_no_subsidy_says_zero_and_where_the_policies_are(alice: User) -> None:
    record = services.create_plan(alice, make_enterprise(alice, "zibo_chemical"), services.plan_options({}))
    assert round(record.plan["money"]["subsidy"], 1) == 0
    client = client_for(alice)
    zh = _kpis(client.get(reverse("enterprises:plan", args=[record.pk])).content.decode())
    assert '<strong id="money-subsidy">0</strong> 万元' in zh
    assert '<a href="#who-pays">（暂无可计入的补贴，可能适用的政策见“谁来出钱”）</a>' in zh
    assert "<strong>—</strong>" not in zh
    client.cookies["django_language"] = "en"
    en = _kpis(client.get(reverse("enterprises:plan", args=[record.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "(no subsidy counted yet; the policies that may apply are under “Who pays”)" in en
