from __future__ import annotations

from typing import Any

import pytest

from tests.web.api.conftest import ApiClient, token_for
from wendao.web.programmes.models import DiscussionGroup, GroupMembership

pytestmark = pytest.mark.django_db


def test_an_organiser_lists_their_programmes_with_participants_and_progress(
    olivia: Any, programme: Any, alice_participant: Any
) -> None:
    api = ApiClient(token_for(olivia))
    assert [p["name"] for p in api.get("/api/programmes").json()] == ["2026 济南班"]
    detail = api.get(f"/api/programmes/{programme.pk}").json()
    assert detail["participants"] == 1
    assert detail["progress"]["assessment_done"] == 1
    rows = api.get(f"/api/programmes/{programme.pk}/participants").json()
    assert rows[0]["enterprise_id"] == alice_participant.enterprise_id
    assert rows[0]["assessment_done"] is True
    assert rows[0]["plan_made"] is False
    assert rows[0]["group"] is None


def test_groups_are_listed_by_number(olivia: Any, programme: Any, alice_participant: Any) -> None:
    group = DiscussionGroup.objects.create(programme=programme, number=1)
    GroupMembership.objects.create(group=group, participant=alice_participant)
    api = ApiClient(token_for(olivia))
    assert api.get(f"/api/programmes/{programme.pk}/groups").json() == [
        {"number": 1, "participants": [alice_participant.pk]}
    ]
    assert api.get(f"/api/programmes/{programme.pk}/participants").json()[0]["group"] == 1


def test_nobody_but_its_organisers_sees_a_programme(
    alice: Any, oscar: Any, programme: Any, other_programme: Any, alice_participant: Any
) -> None:
    for user in (alice, oscar):
        api = ApiClient(token_for(user))
        assert programme.name not in api.get("/api/programmes").content.decode()
        for path in ("", "/participants", "/groups"):
            assert api.get(f"/api/programmes/{programme.pk}{path}").status_code == 404
    assert ApiClient(None).get("/api/programmes").status_code == 401
