from __future__ import annotations

import hashlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from tests.web.api.conftest import ApiClient
from wendao.web.accounts.models import AuditEvent
from wendao.web.api.models import ApiToken
from wendao.web.api.tokens import issue_token, revoke_token

pytestmark = pytest.mark.django_db


def test_only_the_sha256_of_a_token_is_stored(alice: Any) -> None:
    token, raw = issue_token(alice, "erp sync")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {stored.digest, stored.prefix, stored.name}
    assert AuditEvent.objects.filter(action="api_token.create", object_id=str(token.pk)).exists()


def test_a_valid_token_is_accepted_and_its_use_recorded(alice: Any, alice_token: str) -> None:
    response = ApiClient(alice_token).get("/api/me")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"
    assert ApiToken.objects.get(user=alice).last_used_at is not None


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer wdo_not-a-token", "Token whatever", "Basic YTpi"])
def test_a_missing_or_unknown_token_is_401(alice_token: str, header: str | None) -> None:
    client = ApiClient(None)
    if header is not None:
        client.headers = {"authorization": header}
    assert client.get("/api/me").status_code == 401


def test_a_revoked_token_is_401(alice: Any) -> None:
    token, raw = issue_token(alice, "old script")
    revoke_token(alice, token)
    assert ApiClient(raw).get("/api/me").status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoke", object_id=str(token.pk)).exists()


def test_an_inactive_users_token_is_401(alice: Any, alice_token: str) -> None:
    alice.is_active = False
    alice.save()
    assert ApiClient(alice_token).get("/api/me").status_code == 401


def test_a_browser_session_does_not_open_the_api(alice: Any) -> None:
    from tests.web.conftest import client_for

    assert client_for(alice).get("/api/me").status_code == 401


def test_the_command_creates_a_token_shown_once_lists_and_revokes_it(alice: Any) -> None:
    out = StringIO()
    call_command("api_token", "create", "alice", "--name", "ci", stdout=out)
    raw = out.getvalue().strip().splitlines()[-1]
    assert ApiClient(raw).get("/api/me").status_code == 200
    token = ApiToken.objects.get(user=alice)
    listing = StringIO()
    call_command("api_token", "list", "alice", stdout=listing)
    assert token.prefix in listing.getvalue()
    assert raw not in listing.getvalue()
    call_command("api_token", "revoke", "alice", str(token.pk), stdout=StringIO())
    assert ApiClient(raw).get("/api/me").status_code == 401
