"""The plan page's headline where nothing is counted: "可计入补贴 0 万元（暂无可计入的补贴，可能适用的政策见
“谁来出钱”）", not "—", which an owner reads as unknown. (No example profile counts a subsidy today: the three
give 0.0, so the amount's branch is checked in the documents' tests, tests/report/test_subsidy_headline.py.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.urls import reverse

from tests.web.conftest import client_for, make_enterprise
from wendao.engine.profile import read_profile_file
from wendao.web.accounts.models import User
from wendao.web.catalog.services import active_catalog
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
    assert "10k CNY" not in en  # the tiles read “20.0 10k CNY”
    assert '<strong id="money-subsidy">CNY 0</strong>' in en


def _answered(rnd: Any, answers: dict[str, Any]) -> Any:
    rnd.answers = answers
    rnd.save()
    return rnd


def test_a_plan_that_spends_and_never_pays_back_says_so_as_its_documents_do(alice: User) -> None:
    """The demo participant's plan (NPV −10.9 万元) showed "回收期 —", which reads as unknown; the PDF and Word
    already said “规划期内不回本”."""
    tiny = read_profile_file(Path(__file__).resolve().parents[2] / "data" / "profiles" / "tiny_budget_workshop.yaml")
    enterprise = services.save_profile(alice, tiny)
    loaded = active_catalog()
    services.complete_round(alice, _answered(services.open_round(enterprise, loaded), tiny["answers"]), loaded)
    record = services.create_plan(alice, enterprise, services.plan_options({}))
    money = record.plan["money"]
    assert money["one_off"] > 0
    assert money["payback_months"] is None
    client = client_for(alice)
    zh = _kpis(client.get(reverse("enterprises:plan", args=[record.pk])).content.decode())
    assert '<span id="no-payback">规划期内不回本</span>' in zh
    client.cookies["django_language"] = "en"
    en = _kpis(client.get(reverse("enterprises:plan", args=[record.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Does not pay back within the planning horizon" in en


def test_the_who_pays_tables_name_their_unit(alice: User) -> None:
    """On a phone the year table stacks into cards of bare figures ("一次性投资 7.50"): the heading names 万元."""
    record = services.create_plan(alice, make_enterprise(alice, "zibo_chemical"), services.plan_options({}))
    body = client_for(alice).get(reverse("enterprises:plan", args=[record.pk])).content.decode()
    assert '<h3>按年度 <small class="muted unit">单位：万元</small></h3>' in body
