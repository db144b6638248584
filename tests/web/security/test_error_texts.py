"""Bad input gets a clear error in the user's language (re-audit 2026-12): a roadmap item's progress posted with a
scenario that is not in the plan, or a status that does not exist, answered "scenario: …" / "status: …" with the
form fields' names, and the scenario field had no label of its own (Django's English "Scenario")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.conftest import client_for
from wendao.web.accounts.models import User
from wendao.web.enterprises.models import PlanRecord

pytestmark = pytest.mark.django_db


def test_a_wrong_progress_update_names_the_fields_in_the_readers_language(alice: User, alice_plan: PlanRecord) -> None:
    url = reverse("insights:scenario_progress", kwargs={"plan_pk": alice_plan.pk})
    response = client_for(alice).post(url, {"scenario": "no_such_scenario", "status": "nonsense"})
    assert response.status_code == 422
    text = response.content.decode()
    assert "场景：该场景不在这份规划的路线图中。" in text
    assert "实施进度：" in text
    assert "scenario" not in text.lower()
    assert "status" not in text.lower()
