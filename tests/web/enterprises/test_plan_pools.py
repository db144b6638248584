from __future__ import annotations

import html
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from tests.web.conftest import client_for
from wendao.web.enterprises import services
from wendao.web.enterprises.models import PlanRecord

pytestmark = pytest.mark.django_db


def test_the_plan_page_shows_each_money_pool_beside_what_the_plan_takes_out_of_it(
    alice: Any, alice_plan: PlanRecord
) -> None:
    plan = services.plan_of(alice_plan)
    assert plan.pools
    text = client_for(alice).get(reverse("enterprises:plan", kwargs={"pk": alice_plan.pk})).content.decode()
    assert 'id="pools"' in text
    assert "资金池：收益从哪里来" in text
    for pool in plan.pools:
        assert pool.name_zh in text


def test_the_pools_section_is_in_english_on_the_english_ui(alice: Any, alice_plan: PlanRecord) -> None:
    plan = services.plan_of(alice_plan)
    with translation.override("en"):
        client = client_for(alice)
        client.cookies["django_language"] = "en"
        text = client.get(reverse("enterprises:plan", kwargs={"pk": alice_plan.pk}), HTTP_ACCEPT_LANGUAGE="en").content
    page = text.decode()
    assert "Money pools: where the benefit comes from" in page
    assert all(html.escape(p.name_en) in page for p in plan.pools)
