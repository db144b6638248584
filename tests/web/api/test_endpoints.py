"""What each operation returns, and that writes go through the same use cases (and audit) as the web."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.web.api.conftest import ApiClient
from tests.web.conftest import make_enterprise
from wendao.engine.search import ScenarioSearch
from wendao.web.accounts.models import AuditEvent
from wendao.web.api import views
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises import services
from wendao.web.enterprises.models import Enterprise, PlanRecord

pytestmark = pytest.mark.django_db


def test_me_lists_only_the_callers_enterprises(alice_co: Enterprise, bob_co: Enterprise, alice_token: str) -> None:
    body = ApiClient(alice_token).get("/api/me").json()
    assert body["enterprises"] == [alice_co.pk]
    listed = ApiClient(alice_token).get("/api/enterprises").json()
    assert [e["id"] for e in listed] == [alice_co.pk]
    assert listed[0]["size_class"] == alice_co.size_class


def test_profile_round_trips_and_the_update_is_audited(alice_co: Enterprise, alice_token: str) -> None:
    client = ApiClient(alice_token)
    profile = client.get(f"/api/enterprises/{alice_co.pk}/profile").json()
    assert profile["name"] == alice_co.name
    profile["employees"] = 2000
    response = client.put(f"/api/enterprises/{alice_co.pk}/profile", profile)
    assert response.status_code == 200
    alice_co.refresh_from_db()
    assert alice_co.employees == 2000
    event = AuditEvent.objects.get(action="profile.update", object_id=str(alice_co.pk))
    assert event.changes["employees"] == {"from": 260, "to": 2000}


def test_a_bad_profile_is_422_naming_every_field(alice_co: Enterprise, alice_token: str) -> None:
    client = ApiClient(alice_token)
    profile = client.get(f"/api/enterprises/{alice_co.pk}/profile").json()
    profile |= {"city": "atlantis", "industry": "X99", "employees": -1, "colour": "blue"}
    profile["baseline"]["inventory_carrying_rate"] = 3
    response = client.put(f"/api/enterprises/{alice_co.pk}/profile", profile)
    assert response.status_code == 422
    locs = {tuple(e["loc"]) for e in response.json()["detail"]}
    assert locs >= {
        ("body", "city"),
        ("body", "industry"),
        ("body", "employees"),
        ("body", "colour"),
        ("body", "baseline", "inventory_carrying_rate"),
    }
    alice_co.refresh_from_db()
    assert alice_co.city == "weifang"


def test_a_bad_profile_entry_carries_its_kind_and_figures_and_is_told_in_the_requests_language(
    alice_co: Enterprise, alice_token: str
) -> None:
    client = ApiClient(alice_token)
    profile = client.get(f"/api/enterprises/{alice_co.pk}/profile").json() | {"city": "atlantis", "employees": -1}
    detail = client.put(f"/api/enterprises/{alice_co.pk}/profile", profile).json()["detail"]
    by_field = {e["loc"][-1]: e for e in detail}
    assert by_field["city"]["type"] == "unknown_city"
    assert by_field["city"]["ctx"] == {"given": "atlantis"}
    assert by_field["employees"] | {"msg": ""} == {
        "loc": ["body", "employees"],
        "msg": "",
        "type": "greater_than_equal",
        "ctx": {"limit": 0, "given": "-1"},
    }
    assert by_field["employees"]["msg"].startswith("“从业人员（人）”不能小于 0")  # Chinese by default
    english = client.client.put(
        f"/api/enterprises/{alice_co.pk}/profile",
        profile,
        content_type="application/json",
        headers=client.headers | {"accept-language": "en"},
    )
    messages = {e["loc"][-1]: e["msg"] for e in english.json()["detail"]}
    assert "Shandong" in messages["city"]
    assert messages["employees"].startswith("“Employees")


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"name": NaN}'])
def test_a_profile_body_that_is_not_a_json_object_is_422(alice_co: Enterprise, alice_token: str, body: bytes) -> None:
    response = ApiClient(alice_token).client.put(
        f"/api/enterprises/{alice_co.pk}/profile",
        body,
        content_type="application/json",
        headers={"authorization": f"Bearer {alice_token}"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"]


def test_assessments_list_and_detail_carry_answers_scores_and_levels(alice_co: Enterprise, alice_token: str) -> None:
    client = ApiClient(alice_token)
    rounds = client.get(f"/api/enterprises/{alice_co.pk}/assessments").json()
    assert [(r["label"], r["current"]) for r in rounds] == [("T0", True)]
    detail = client.get(f"/api/assessments/{rounds[0]['id']}").json()
    assert detail["answers"]["STR1"] == "partial"
    assert detail["result"]["overall"] == detail["overall"]
    assert {d["id"] for d in detail["result"]["dimensions"]}
    assert detail["result"]["levels"]


def test_autosaving_an_answer_uses_the_wizards_use_case_and_is_audited(alice: Any, alice_token: str) -> None:
    enterprise = make_enterprise(alice, complete=False)
    rnd = enterprise.rounds.get()
    client = ApiClient(alice_token)
    response = client.put(f"/api/assessments/{rnd.pk}/answers/STR1", {"value": "partial", "evidence": "board minutes"})
    assert response.status_code == 200
    body = response.json()
    assert body["value"] == "partial"
    assert body["evidence"] == "board minutes"
    assert body["answered"] == 1
    rnd.refresh_from_db()
    assert rnd.answers == {"STR1": "partial"}
    assert AuditEvent.objects.filter(action="answer.save", object_id=str(rnd.pk)).count() == 1
    bad = client.put(f"/api/assessments/{rnd.pk}/answers/STR1", {"value": "no-such-option"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "value"]
    assert client.put(f"/api/assessments/{rnd.pk}/answers/NOPE", {"value": "x"}).status_code == 404
    cleared = client.put(f"/api/assessments/{rnd.pk}/answers/STR1", {"value": None})
    assert cleared.json()["value"] is None


def test_a_completed_round_refuses_new_answers_with_409(alice_co: Enterprise, alice_token: str) -> None:
    rnd = alice_co.rounds.get()
    response = ApiClient(alice_token).put(f"/api/assessments/{rnd.pk}/answers/STR1", {"value": "full"})
    assert response.status_code == 409


def test_plan_creation_returns_the_plan_with_its_catalog_version(alice_co: Enterprise, alice_token: str) -> None:
    response = ApiClient(alice_token).post(
        f"/api/enterprises/{alice_co.pk}/plans", {"budget": 30, "horizon_quarters": 8, "objective": "quick_wins"}
    )
    assert response.status_code == 201, response.content[:500]
    body = response.json()
    assert body["catalog_version"] == active_catalog().version == body["plan"]["catalog_version"]
    rec = PlanRecord.objects.get(pk=body["id"])
    assert rec.options == {"budget": 30.0, "horizon_quarters": 8, "objective": "quick_wins"}
    assert body["plan"]["settings"]["horizon_quarters"] == 8
    assert AuditEvent.objects.filter(action="plan.create", object_id=str(rec.pk)).exists()
    again = ApiClient(alice_token).get(f"/api/plans/{rec.pk}").json()
    assert again["plan"] == body["plan"]


def test_plan_creation_honours_pins_and_drops_and_states_their_cost(alice_co: Enterprise, alice_token: str) -> None:
    options = {"pin": ["ai_quotation_configurator"], "drop": ["online_inspection"]}
    response = ApiClient(alice_token).post(f"/api/enterprises/{alice_co.pk}/plans", options)
    assert response.status_code == 201, response.content[:500]
    plan = response.json()["plan"]
    assert "ai_quotation_configurator" in {i["scenario"] for i in plan["items"]}
    assert {e["scenario"]: e["reason"] for e in plan["excluded"]}["online_inspection"] == "dropped"
    assert plan["choices"]["npv_cost"] > 0
    assert PlanRecord.objects.get().options["pin"] == ["ai_quotation_configurator"]


def test_an_unknown_pin_is_422_at_the_option_in_the_users_language(alice_co: Enterprise, alice_token: str) -> None:
    response = ApiClient(alice_token).post(f"/api/enterprises/{alice_co.pk}/plans", {"pin": ["maintenance_bot"]})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "pin"]
    assert error["msg"].startswith("固定纳入的场景“maintenance_bot”不在场景库中")
    assert not PlanRecord.objects.exists()


@pytest.mark.parametrize(
    "options", [{"horizon_quarters": 2}, {"budget": -5}, {"budget": 1.3e230}, {"objective": "fastest"}]
)
def test_plan_options_out_of_range_are_422_naming_the_field(
    alice_co: Enterprise, alice_token: str, options: dict[str, Any]
) -> None:
    response = ApiClient(alice_token).post(f"/api/enterprises/{alice_co.pk}/plans", options)
    assert response.status_code == 422
    assert any(e["loc"][-1] in options for e in response.json()["detail"])
    assert not PlanRecord.objects.exists()


def test_a_plan_needs_a_completed_assessment(alice: Any, alice_token: str) -> None:
    enterprise = make_enterprise(alice, complete=False)
    assert ApiClient(alice_token).post(f"/api/enterprises/{enterprise.pk}/plans", {}).status_code == 409


def test_a_plan_without_a_budget_is_422_naming_budget(alice: Any, alice_token: str) -> None:
    enterprise = make_enterprise(alice, budget=None)
    response = ApiClient(alice_token).post(f"/api/enterprises/{enterprise.pk}/plans", {})
    assert response.status_code == 422
    assert ["body", "budget"] in [e["loc"] for e in response.json()["detail"]]


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("pdf", "application/pdf", b"%PDF"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
        ("md", "text/markdown; charset=utf-8", b"#"),
        ("json", "application/json", b"{"),
    ],
)
def test_documents_download_with_their_content_type(
    alice_plan: PlanRecord, alice_token: str, fmt: str, content_type: str, magic: bytes
) -> None:
    response = ApiClient(alice_token).get(f"/api/plans/{alice_plan.pk}/document", format=fmt, lang="en")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response.content.lstrip().startswith(magic)
    assert f"wendao-plan-{alice_plan.pk}-en.{fmt}" in response["Content-Disposition"]
    if fmt == "json":
        assert json.loads(response.content)["catalog_version"] == alice_plan.catalog_version


def test_an_unknown_document_format_is_422(alice_plan: PlanRecord, alice_token: str) -> None:
    response = ApiClient(alice_token).get(f"/api/plans/{alice_plan.pk}/document", format="exe")
    assert response.status_code == 422


def test_the_catalog_is_read_only_and_complete(alice_token: str) -> None:
    client = ApiClient(alice_token)
    loaded = active_catalog()
    summary = client.get("/api/catalog").json()
    assert summary["version"] == loaded.version
    assert summary["counts"]["scenarios"] == len(loaded.catalog.scenarios)
    scenarios = client.get("/api/catalog/scenarios").json()
    assert len(scenarios) == len(loaded.catalog.scenarios)
    first = client.get(f"/api/catalog/scenarios/{scenarios[0]['id']}").json()
    assert first["keywords_zh"] == loaded.catalog.scenarios[0].keywords_zh
    assert client.get("/api/catalog/scenarios/no_such_scenario").status_code == 404
    assert len(client.get("/api/catalog/policies").json()) == len(loaded.policies)
    assert client.post("/api/catalog/scenarios", {}).status_code == 405


@pytest.fixture
def lexical_matcher(monkeypatch: pytest.MonkeyPatch) -> ScenarioSearch:
    """The web's matcher without the embedding model (seconds to load; the engine tests cover it)."""
    matcher = ScenarioSearch(active_catalog(), embeddings=False)
    monkeypatch.setattr(views, "scenario_matcher", lambda loaded: matcher)
    return matcher


def test_matching_ranks_scenarios_for_a_need(alice_token: str, lexical_matcher: ScenarioSearch) -> None:
    text = "产品表面有瑕疵，人工挑拣漏检多"
    response = ApiClient(alice_token).post("/api/scenarios/match", {"text": text, "top": 3})
    assert response.status_code == 200
    ranked = response.json()
    assert [m["id"] for m in ranked] == [m.id for m in lexical_matcher.match(text, top=3)]
    assert ranked[0]["score"] >= ranked[-1]["score"]


def test_matching_is_503_where_the_matcher_is_switched_off(alice_token: str) -> None:
    response = ApiClient(alice_token).post("/api/scenarios/match", {"text": "质检"})
    assert response.status_code == 503


def test_matching_needs_text(alice_token: str, lexical_matcher: ScenarioSearch) -> None:
    response = ApiClient(alice_token).post("/api/scenarios/match", {"text": "", "top": 0})
    assert response.status_code == 422
    assert {e["loc"][-1] for e in response.json()["detail"]} == {"text", "top"}


def test_the_openapi_schema_and_docs_are_served(alice_token: str) -> None:
    from django.test import Client

    schema = Client().get("/api/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    assert "/api/enterprises/{id}/plans" in schema.json()["paths"]
    assert Client().get("/api/docs").status_code == 200


def test_services_progress_counts_answered_questions(alice_co: Enterprise) -> None:
    answered, total = services.progress(alice_co.rounds.get(), active_catalog())
    assert 0 < answered <= total == len(active_catalog().questionnaire.questions)
