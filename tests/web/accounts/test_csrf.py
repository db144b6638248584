from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from wendao.web.enterprises.models import AssessmentRound

pytestmark = pytest.mark.django_db


def test_an_autosave_without_csrf_token_is_refused(alice: Any, alice_open_round: AssessmentRound) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    url = reverse("enterprises:answer", kwargs={"pk": alice_open_round.enterprise_id, "number": 0, "question": "STR1"})
    assert client.post(url, {"value": "full"}).status_code == 403
    alice_open_round.refresh_from_db()
    assert "STR1" not in alice_open_round.answers


def test_an_autosave_with_the_token_from_the_page_is_accepted(alice: Any, alice_open_round: AssessmentRound) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    step = reverse("enterprises:step", kwargs={"pk": alice_open_round.enterprise_id, "number": 0, "step": 1})
    page = client.get(step)
    assert page.status_code == 200
    token = page.cookies["csrftoken"].value
    url = reverse("enterprises:answer", kwargs={"pk": alice_open_round.enterprise_id, "number": 0, "question": "STR1"})
    assert client.post(url, {"value": "full"}, headers={"x-csrftoken": token}).status_code == 200
    alice_open_round.refresh_from_db()
    assert alice_open_round.answers["STR1"] == "full"
