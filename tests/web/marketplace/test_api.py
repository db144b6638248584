"""The marketplace API with tokens: the same access helpers as the web (404, never 403), the same use cases
(audited), 409 for a transition the state does not allow, 422 naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.api.conftest import ApiClient, token_for
from tests.web.marketplace.conftest import in_days
from wendao.web.accounts.models import AuditEvent, User
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.marketplace.models import Challenge, Proposal, Provider
from wendao.web.programmes.models import Programme

pytestmark = pytest.mark.django_db


def api(user: User) -> ApiClient:
    return ApiClient(token_for(user))


def new_challenge(enterprise: Enterprise, **changes: Any) -> dict[str, Any]:
    return {
        "enterprise_id": enterprise.pk,
        "title": "冲压件表面缺陷在线检测",
        "scenario": "online_inspection",
        "description": "冲压件表面划伤靠人工目检。",
        "budget": 80,
        "deadline": in_days(30).isoformat(),
    } | changes


def test_a_member_creates_publishes_and_reviews_a_challenge(
    alice: User, alice_co: Enterprise, pete: User, pete_co: Provider
) -> None:
    created = api(alice).post("/api/marketplace/challenges", new_challenge(alice_co))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "draft"
    assert body["enterprise_id"] == alice_co.pk
    pk = body["id"]
    assert api(pete).get(f"/api/marketplace/challenges/{pk}").status_code == 404  # drafts are private
    published = api(alice).post(f"/api/marketplace/challenges/{pk}/transitions", {"action": "publish"})
    assert published.json()["state"] == "published"
    again = api(alice).post(f"/api/marketplace/challenges/{pk}/transitions", {"action": "publish"})
    assert again.status_code == 409
    assert "不允许" in again.json()["detail"]
    proposal = api(pete).post(
        f"/api/marketplace/challenges/{pk}/proposals", {"approach": "视觉检测", "price": 60, "duration_months": 4}
    )
    assert proposal.status_code == 201, proposal.content
    assert [p["provider_id"] for p in api(alice).get(f"/api/marketplace/challenges/{pk}/proposals").json()] == [
        pete_co.pk
    ]
    matches = api(alice).get(f"/api/marketplace/challenges/{pk}/matches", top=3).json()
    assert matches[0]["provider"]["id"] == pete_co.pk
    assert matches[0]["reasons_zh"]
    assert matches[0]["reasons_en"]
    assert AuditEvent.objects.filter(action="challenge.publish").count() == 1


def test_bad_input_is_422_naming_the_field(alice: User, alice_co: Enterprise) -> None:
    unknown = api(alice).post("/api/marketplace/challenges", new_challenge(alice_co, scenario="nope"))
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "scenario"]
    negative = api(alice).post("/api/marketplace/challenges", new_challenge(alice_co, budget=-1))
    assert negative.status_code == 422
    assert "budget" in negative.json()["detail"][0]["loc"]
    nul = api(alice).post("/api/marketplace/challenges", new_challenge(alice_co, title="a\x00b"))
    assert nul.status_code == 422
    neither = api(alice).post("/api/marketplace/challenges", new_challenge(alice_co, enterprise_id=None))
    assert neither.status_code == 422
    past = api(alice).post("/api/marketplace/challenges", new_challenge(alice_co, deadline=in_days(0).isoformat()))
    pk = past.json()["id"]
    publish = api(alice).post(f"/api/marketplace/challenges/{pk}/transitions", {"action": "publish"})
    assert publish.status_code == 422
    assert publish.json()["detail"][0]["loc"] == ["body", "deadline"]
    assert Challenge.objects.get(pk=pk).state == "draft"


def test_other_users_get_404(
    alice: User, bob: User, bob_co: Enterprise, draft: Challenge, oscar: User, pete: User, pete_co: Provider
) -> None:
    for user in (bob, oscar, pete):
        assert api(user).get(f"/api/marketplace/challenges/{draft.pk}").status_code == 404
        assert (
            api(user).post(f"/api/marketplace/challenges/{draft.pk}/transitions", {"action": "cancel"}).status_code
            == 404
        )
        assert api(user).get(f"/api/marketplace/challenges/{draft.pk}/matches").status_code == 404
    assert api(bob).get("/api/marketplace/challenges").json() == []
    # publishing for someone else's enterprise
    assert api(bob).post("/api/marketplace/challenges", new_challenge(draft.enterprise)).status_code == 404
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_a_provider_sees_only_its_own_proposals(
    alice: User, published: Challenge, pete: User, pete_proposal: Proposal, paula: User, paula_co: Provider
) -> None:
    assert api(paula).get(f"/api/marketplace/challenges/{published.pk}/proposals").json() == []
    assert len(api(pete).get(f"/api/marketplace/challenges/{published.pk}/proposals").json()) == 1
    assert api(pete).get(f"/api/marketplace/challenges/{published.pk}/matches").status_code == 404


def test_an_organiser_publishes_for_their_programme_only(
    olivia: User, programme: Programme, other_programme: Programme, alice_co: Enterprise
) -> None:
    body = new_challenge(alice_co, enterprise_id=None, programme_id=programme.pk)
    assert api(olivia).post("/api/marketplace/challenges", body).status_code == 201
    body["programme_id"] = other_programme.pk
    assert api(olivia).post("/api/marketplace/challenges", body).status_code == 404
    # an organiser is not a member of an enterprise
    assert api(olivia).post("/api/marketplace/challenges", new_challenge(alice_co)).status_code == 404


def test_plan_item_matches_are_for_members_only(
    alice: User, alice_plan: PlanRecord, pete: User, pete_co: Provider, bob: User
) -> None:
    scenario = alice_plan.plan["items"][0]["scenario"]
    url = f"/api/marketplace/plans/{alice_plan.pk}/items/{scenario}/matches"
    assert api(alice).get(url).status_code == 200
    assert api(pete).get(url).status_code == 404
    assert api(bob).get(url).status_code == 404
    assert api(alice).get(f"/api/marketplace/plans/{alice_plan.pk}/items/nope/matches").status_code == 404


def test_the_provider_directory_lists_listed_providers(alice: User, pete: User, pete_co: Provider) -> None:
    rows = api(alice).get("/api/marketplace/providers").json()
    assert [r["id"] for r in rows] == [pete_co.pk]
    assert rows[0]["scenario_ids"] == pete_co.scenario_ids
    assert api(alice).get(f"/api/marketplace/providers/{pete_co.pk}").status_code == 200
    assert ApiClient(None).get("/api/marketplace/providers").status_code == 401
