"""Every operation, every persona: the owner's token gets through; another enterprise's token gets 404 (never
403); no token, an unknown token or a revoked one gets 401."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.web.api.conftest import ApiClient
from wendao.web.api.tokens import issue_token, revoke_token
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises import services
from wendao.web.enterprises.models import AssessmentRound, Enterprise, PlanRecord

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class World:
    enterprise: Enterprise
    completed: AssessmentRound
    open: AssessmentRound
    plan: PlanRecord


@dataclass(frozen=True)
class Case:
    method: str
    url: Callable[[World], str]
    body: Callable[[World], Any] | None
    owner_status: int


CASES = {
    "profile get": Case("get", lambda w: f"/api/enterprises/{w.enterprise.pk}/profile", None, 200),
    "profile put": Case(
        "put", lambda w: f"/api/enterprises/{w.enterprise.pk}/profile", lambda w: w.enterprise.profile, 200
    ),
    "assessments": Case("get", lambda w: f"/api/enterprises/{w.enterprise.pk}/assessments", None, 200),
    "assessment": Case("get", lambda w: f"/api/assessments/{w.completed.pk}", None, 200),
    "answer put": Case(
        "put", lambda w: f"/api/assessments/{w.open.pk}/answers/STR1", lambda w: {"value": "partial"}, 200
    ),
    "plan create": Case("post", lambda w: f"/api/enterprises/{w.enterprise.pk}/plans", lambda w: {}, 201),
    "plan get": Case("get", lambda w: f"/api/plans/{w.plan.pk}", None, 200),
    "plan document": Case("get", lambda w: f"/api/plans/{w.plan.pk}/document?format=json", None, 200),
}
OPEN_TO_ANY_USER = ["/api/me", "/api/enterprises", "/api/catalog", "/api/catalog/scenarios", "/api/catalog/policies"]


@pytest.fixture
def world(alice: Any, alice_co: Enterprise, alice_plan: PlanRecord) -> World:
    completed = alice_co.rounds.get(number=0)
    reopened = services.start_reassessment(alice, alice_co, active_catalog())
    return World(alice_co, completed, reopened, alice_plan)


def _call(token: str | None, case: Case, w: World) -> Any:
    client = ApiClient(token)
    if case.method == "get":
        return client.get(case.url(w))
    assert case.body is not None
    return getattr(client, case.method)(case.url(w), case.body(w))


@pytest.mark.parametrize("name", CASES)
def test_the_owner_gets_through(name: str, world: World, alice_token: str) -> None:
    response = _call(alice_token, CASES[name], world)
    assert response.status_code == CASES[name].owner_status, response.content[:500]


@pytest.mark.parametrize("name", CASES)
def test_another_enterprises_token_gets_404(name: str, world: World, bob_co: Enterprise, bob_token: str) -> None:
    response = _call(bob_token, CASES[name], world)
    assert response.status_code == 404
    assert world.enterprise.name not in response.content.decode()


@pytest.mark.parametrize("name", CASES)
def test_no_unknown_or_revoked_token_gets_401(name: str, world: World, alice: Any) -> None:
    token, raw = issue_token(alice, "revoked")
    revoke_token(alice, token)
    for presented in (None, "wdo_unknown", raw):
        assert _call(presented, CASES[name], world).status_code == 401


@pytest.mark.parametrize("url", OPEN_TO_ANY_USER)
def test_read_only_operations_are_open_to_any_token_and_closed_without_one(
    url: str, alice_co: Enterprise, bob_token: str
) -> None:
    assert ApiClient(bob_token).get(url).status_code == 200
    assert ApiClient(None).get(url).status_code == 401


def test_a_round_of_another_enterprise_is_404_even_by_id(world: World, bob: Any, bob_co: Enterprise) -> None:
    bob_round = bob_co.rounds.get()
    alice_token = issue_token(world.enterprise.memberships.get().user, "t")[1]
    assert ApiClient(alice_token).get(f"/api/assessments/{bob_round.pk}").status_code == 404
    assert ApiClient(alice_token).get("/api/assessments/999999").status_code == 404
