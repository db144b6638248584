"""A page or API answer made for a signed-in user is stored by no cache (session 8 audit).

Before: no response of the site had a Cache-Control header, so a browser kept a firm's plan page, the page
showing a new API token once and the organiser's sign-in links in its history for the next person at a shared
computer. Now every answer to a signed-in user says no-store; anonymous pages, static files and the health check
are left alone."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.conftest import client_for
from wendao.web.accounts.models import User
from wendao.web.api.tokens import issue_token
from wendao.web.enterprises.models import PlanRecord
from wendao.web.programmes.models import Programme

pytestmark = pytest.mark.django_db


def _stored_by_no_cache(response: object) -> bool:
    header = str(response["Cache-Control"]) if response.has_header("Cache-Control") else ""  # type: ignore[attr-defined]
    return "no-store" in header and "private" in header


def test_a_members_plan_page_and_download_are_stored_by_no_cache(alice: User, alice_plan: PlanRecord) -> None:
    client = client_for(alice)
    assert _stored_by_no_cache(client.get(reverse("enterprises:plan", args=[alice_plan.pk])))
    document = client.get(reverse("enterprises:plan_download", args=[alice_plan.pk, "json"]))
    assert document.status_code == 200
    assert _stored_by_no_cache(document)


def test_the_page_that_shows_a_new_api_token_once_is_stored_by_no_cache(alice: User) -> None:
    response = client_for(alice).post(reverse("api_tokens"), {"name": "ERP"})
    assert response.status_code == 200
    assert "wdo_" in response.content.decode()
    assert _stored_by_no_cache(response)


def test_an_organisers_sign_in_links_page_is_stored_by_no_cache(olivia: User, programme: Programme) -> None:
    response = client_for(olivia).get(reverse("programmes:signin_links", args=[programme.pk]))
    assert response.status_code == 200
    assert _stored_by_no_cache(response)


def test_an_api_answer_to_a_token_is_stored_by_no_cache(alice: User, alice_plan: PlanRecord) -> None:
    _record, raw = issue_token(alice, "test")
    response = Client().get(f"/api/plans/{alice_plan.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert _stored_by_no_cache(response)


def test_the_health_check_is_left_to_caches_and_reads_no_session(alice: User, django_assert_num_queries: Any) -> None:
    client = client_for(alice)  # a signed-in browser: the session cookie goes with it
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert not response.has_header("Cache-Control")
