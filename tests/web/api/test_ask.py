from __future__ import annotations

from typing import Any

import pytest

from tests.web.api.conftest import ApiClient
from wendao.engine.ask import number_text
from wendao.web.enterprises import services
from wendao.web.enterprises.models import PlanRecord

pytestmark = pytest.mark.django_db


def test_a_member_asks_with_her_plan_and_gets_the_kind_the_figures_and_the_sources(
    alice_token: str, alice_plan: PlanRecord
) -> None:
    response = ApiClient(alice_token).post("/api/ask", {"question": "要花多少钱，谁来出钱？", "plan": alice_plan.pk})
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["kind"] == "funding"
    money = services.plan_of(alice_plan).money
    text = number_text(money.one_off)
    shown = {"value": round(money.one_off, 2), "unit": "万元", "origin": "plan", "text": text, "shown": f"{text} 万元"}
    assert {"name": "一次性投资", **shown, "unit_code": "wan_cny"} in answer["figures"]
    assert any(s["kind"] == "plan" for s in answer["sources"])


def test_a_figures_unit_code_is_the_same_in_every_language_beside_the_readers_label(
    alice_token: str, alice_plan: PlanRecord
) -> None:
    """The API's units read 万元 (or, in English, 10k CNY): a program had to know both; unit_code is one code."""
    units = {}
    for question in ("要花多少钱，谁来出钱？", "How much will it cost and who pays?"):
        answer = ApiClient(alice_token).post("/api/ask", {"question": question, "plan": alice_plan.pk}).json()
        units[answer["language"]] = {f["unit_code"]: f["unit"] for f in answer["figures"] if f["unit_code"]}
    assert units["zh"] == {"wan_cny": "万元", "wan_cny_per_year": "万元/年"}
    assert units["en"] == {"wan_cny": "10k CNY", "wan_cny_per_year": "10k CNY/year"}


def test_a_question_without_an_enterprise_uses_catalog_facts_only(alice_token: str) -> None:
    response = ApiClient(alice_token).post("/api/ask", {"question": "How much will it cost and who pays?"})
    assert response.status_code == 200
    answer = response.json()
    assert answer["language"] == "en"
    assert answer["enterprise"] is None
    assert answer["figures"] == []


def test_another_firms_plan_or_enterprise_is_a_404(bob_token: str, alice_plan: PlanRecord) -> None:
    client = ApiClient(bob_token)
    assert client.post("/api/ask", {"question": "要花多少钱？", "plan": alice_plan.pk}).status_code == 404
    assert (
        client.post("/api/ask", {"question": "要花多少钱？", "enterprise": alice_plan.enterprise_id}).status_code == 404
    )


def test_an_empty_question_is_a_422_naming_the_field(alice_token: str) -> None:
    response = ApiClient(alice_token).post("/api/ask", {"question": " "})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "question"


def test_asking_needs_a_token(db: Any) -> None:
    assert ApiClient(None).post("/api/ask", {"question": "要花多少钱？"}).status_code == 401
