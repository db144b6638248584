from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.web.api.conftest import ApiClient
from tests.web.conftest import PASSWORD
from wendao.web.api.models import ApiToken

pytestmark = pytest.mark.django_db


def _signed_in(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_user_creates_a_token_in_the_page_sees_it_once_and_it_works(alice: Any) -> None:
    client = _signed_in(alice)
    page = client.post("/settings/api-tokens/", {"name": "ERP 同步"})
    assert page.status_code == 200
    raw = re.search(r"wdo_[A-Za-z0-9_-]+", page.content.decode())
    assert raw is not None
    assert ApiToken.objects.get(user=alice).name == "ERP 同步"
    assert ApiClient(raw.group(0)).get("/api/me").json()["username"] == "alice"
    # shown once: the list shows only the prefix
    again = client.get("/settings/api-tokens/").content.decode()
    assert raw.group(0) not in again
    assert "ERP 同步" in again


def test_a_blank_purpose_is_refused_with_the_field_named(alice: Any) -> None:
    page = _signed_in(alice).post("/settings/api-tokens/", {"name": "   "})
    assert page.status_code == 422
    assert "id_name" in page.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_in_the_page_stops_the_token(alice: Any) -> None:
    client = _signed_in(alice)
    raw = re.search(r"wdo_[A-Za-z0-9_-]+", client.post("/settings/api-tokens/", {"name": "x"}).content.decode())
    assert raw is not None
    token = ApiToken.objects.get(user=alice)
    assert client.post(f"/settings/api-tokens/{token.pk}/revoke/").status_code == 302
    assert ApiClient(raw.group(0)).get("/api/me").status_code == 401


def test_nobody_can_revoke_or_see_another_users_tokens(alice: Any, bob: Any) -> None:
    _signed_in(alice).post("/settings/api-tokens/", {"name": "alice's"})
    token = ApiToken.objects.get(user=alice)
    bobs = _signed_in(bob)
    assert bobs.post(f"/settings/api-tokens/{token.pk}/revoke/").status_code == 404
    assert "alice's" not in bobs.get("/settings/api-tokens/").content.decode()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_the_page_needs_a_sign_in() -> None:
    response = Client().get("/settings/api-tokens/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_in_english_a_token_is_revoked_while_a_challenge_is_cancelled(alice: Any) -> None:
    from django.utils import translation

    from wendao.web.marketplace.services import action_label

    client = _signed_in(alice)
    client.post("/settings/api-tokens/", {"name": "x"})
    page = client.get("/settings/api-tokens/", headers={"accept-language": "en"}).content.decode()
    assert ">Revoke</button>" in page
    with translation.override("en"):
        assert str(action_label("cancel")) == "Cancel"
