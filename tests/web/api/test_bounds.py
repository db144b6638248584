"""Input the API must refuse with a 4xx naming the field, never a 500, and without changing anything (security
finding 8: huge numbers, infinity, deep nesting; finding 10: names too long for their column, control
characters)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.web.api.conftest import ApiClient
from wendao.web.api.parser import MAX_DEPTH
from wendao.web.enterprises.models import AssessmentRound, Enterprise, PlanRecord

pytestmark = pytest.mark.django_db


def _send(token: str, method: str, url: str, body: bytes) -> Any:
    client = ApiClient(token).client
    send = client.put if method == "put" else client.post
    return send(url, body, content_type="application/json", headers={"authorization": f"Bearer {token}"})


def _profile_body(client: ApiClient, enterprise: Enterprise, raw: dict[str, str]) -> bytes:
    """The enterprise's profile as JSON with some values written as raw JSON text (1e400 has no Python float)."""
    profile = client.get(f"/api/enterprises/{enterprise.pk}/profile").json()
    for path in raw:
        *parents, key = path.split(".")
        node = profile
        for p in parents:
            node = node[p]
        node[key] = f"@{path}@"
    body = json.dumps(profile, ensure_ascii=False)
    for path, text in raw.items():
        body = body.replace(f'"@{path}@"', text)
    return body.encode()


@pytest.mark.parametrize(
    ("raw", "loc"),
    [
        ({"employees": "1e30"}, ["body", "employees"]),
        ({"employees": "1" + "0" * 30}, ["body", "employees"]),
        ({"revenue": "1e400"}, ["body", "revenue"]),  # Python reads it as infinity
        ({"revenue": "1e308"}, ["body", "revenue"]),  # was stored, then every plan of the enterprise failed
        ({"budget": "-1e400"}, ["body", "budget"]),
        ({"baseline.annual_energy_cost": "1e400"}, ["body", "baseline", "annual_energy_cost"]),
        ({"baseline.production_staff": "1e30"}, ["body", "baseline", "production_staff"]),
    ],
)
def test_a_profile_figure_out_of_range_is_422_naming_it_and_nothing_changes(
    alice_co: Enterprise, alice_token: str, raw: dict[str, str], loc: list[str]
) -> None:
    client = ApiClient(alice_token)
    before = dict(alice_co.profile)
    body = _profile_body(client, alice_co, raw)
    response = _send(alice_token, "put", f"/api/enterprises/{alice_co.pk}/profile", body)
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [loc]
    alice_co.refresh_from_db()
    assert alice_co.profile == before


@pytest.mark.parametrize(
    ("changes", "loc"),
    [
        ({"name": "名" * 100_000}, ["body", "name"]),  # the column holds 200 characters
        ({"name": "某某\x00公司"}, ["body", "name"]),  # accepted on SQLite, refused by PostgreSQL
        ({"name": "某某\x1b[2J公司"}, ["body", "name"]),
        ({"pain_points": ["停机多", "漏检\x00多"]}, ["body", "pain_points", 1]),
        ({"goals": ["一行\n又一行"]}, ["body", "goals", 0]),
        ({"pain_points": ["x" * 501]}, ["body", "pain_points", 0]),
        ({"pain_points": ["停机"] * 51}, ["body", "pain_points"]),
        ({"data_assets": ["\x07"]}, ["body", "data_assets", 0]),
        ({"constraints": {"on_premise_only": False, "notes": ["\x00"]}}, ["body", "constraints", "notes", 0]),
    ],
)
def test_text_too_long_or_with_control_characters_is_422_naming_the_field(
    alice_co: Enterprise, alice_token: str, changes: dict[str, Any], loc: list[str | int]
) -> None:
    client = ApiClient(alice_token)
    profile = client.get(f"/api/enterprises/{alice_co.pk}/profile").json() | changes
    response = client.put(f"/api/enterprises/{alice_co.pk}/profile", profile)
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [loc]
    assert len(response.content) < 2000  # what was given is not echoed whole
    alice_co.refresh_from_db()
    assert alice_co.name == "潍坊示例精密机械有限公司（虚构）"


def _nested(depth: int) -> bytes:
    return b'{"budget": ' + b"[" * depth + b"]" * depth + b"}"


def test_a_profile_body_nested_5000_deep_is_422_on_the_body(alice_co: Enterprise, alice_token: str) -> None:
    response = _send(alice_token, "put", f"/api/enterprises/{alice_co.pk}/profile", _nested(5000))
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body"]
    assert f"nested deeper than {MAX_DEPTH}" in error["msg"]


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000])
def test_any_body_nested_too_deep_is_400_saying_so(alice_co: Enterprise, alice_token: str, depth: int) -> None:
    for url in (f"/api/enterprises/{alice_co.pk}/plans", "/api/scenarios/match"):
        response = _send(alice_token, "post", url, _nested(depth))
        assert response.status_code == 400
        assert f"nested deeper than {MAX_DEPTH}" in response.json()["detail"]
    assert not PlanRecord.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"budget": 1e400}', "budget"),
        (b'{"budget": 1e10}', "budget"),
        (b'{"horizon_quarters": 1e30}', "horizon_quarters"),
        (b'{"horizon_quarters": 100000000000000000000000000000}', "horizon_quarters"),
    ],
)
def test_plan_options_out_of_range_are_422_naming_the_option(
    alice_co: Enterprise, alice_token: str, body: bytes, field: str
) -> None:
    response = _send(alice_token, "post", f"/api/enterprises/{alice_co.pk}/plans", body)
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == [field]
    assert not PlanRecord.objects.exists()


@pytest.mark.parametrize("evidence", ["《规划》\x00", "x" * 2001])
def test_evidence_with_a_control_character_or_too_long_is_422(
    alice_open_round: AssessmentRound, alice_token: str, evidence: str
) -> None:
    response = ApiClient(alice_token).put(
        f"/api/assessments/{alice_open_round.pk}/answers/STR1", {"value": "full", "evidence": evidence}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "evidence"
    alice_open_round.refresh_from_db()
    assert "STR1" not in alice_open_round.evidence


def test_a_profile_stored_before_the_bounds_makes_plan_creation_422_not_500(
    alice_co: Enterprise, alice_token: str
) -> None:
    Enterprise.objects.filter(pk=alice_co.pk).update(profile=alice_co.profile | {"revenue": 1e308})
    response = ApiClient(alice_token).post(f"/api/enterprises/{alice_co.pk}/plans", {})
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "profile", "revenue"]]
