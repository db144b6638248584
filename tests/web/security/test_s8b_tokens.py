"""API tokens expire, and a password change or reset revokes them (session 8, second wave).

Before: a token worked until its owner revoked it, however old, and survived a password change: someone who had
learnt the old password and made a token kept the account's API after the owner shut them out of the web. There
was no page for a signed-in user to change their password.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.web.api.conftest import ApiClient
from tests.web.conftest import PASSWORD, client_for
from wendao.web.accounts.models import AuditEvent, User
from wendao.web.api.models import TOKEN_LIFETIME, ApiToken
from wendao.web.api.tokens import issue_token

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-long-passphrase-2026"


def _age(token: ApiToken, by: dt.timedelta) -> None:
    token.refresh_from_db()
    ApiToken.objects.filter(pk=token.pk).update(created_at=token.created_at - by)


def test_a_token_stops_working_ninety_days_after_it_was_made(alice: User) -> None:
    token, raw = issue_token(alice, "erp sync")
    _age(token, TOKEN_LIFETIME - dt.timedelta(minutes=1))
    assert ApiClient(raw).get("/api/me").status_code == 200

    _age(token, dt.timedelta(minutes=2))

    assert ApiClient(raw).get("/api/me").status_code == 401
    assert dt.timedelta(days=90) == TOKEN_LIFETIME


def test_the_token_page_states_the_lifetime_and_each_tokens_expiry(alice: User) -> None:
    token, _raw = issue_token(alice, "erp sync")
    page = client_for(alice).get(reverse("api_tokens")).content.decode()
    assert "令牌自创建起 90 天后失效" in page
    assert (token.created_at + TOKEN_LIFETIME).strftime("%Y-%m-%d") in page
    _age(token, TOKEN_LIFETIME)
    assert "已过期" in client_for(alice).get(reverse("api_tokens")).content.decode()


def test_changing_the_password_on_its_page_revokes_every_token(alice: User) -> None:
    _token, raw = issue_token(alice, "erp sync")
    client = client_for(alice)
    url = reverse("accounts:password_change")
    assert "修改密码" in client.get(url).content.decode()

    response = client.post(
        url, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert ApiClient(raw).get("/api/me").status_code == 401
    assert client.get(reverse("api_tokens")).status_code == 200  # this session stays signed in
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="account.password_change", object_id=str(alice.pk)).exists()
    revoked = AuditEvent.objects.get(action="api_token.revoke")
    assert revoked.changes["reason"] == "password_changed"


def test_a_wrong_old_password_changes_nothing(alice: User) -> None:
    _token, raw = issue_token(alice, "erp sync")
    response = client_for(alice).post(
        reverse("accounts:password_change"),
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert ApiClient(raw).get("/api/me").status_code == 200


def test_a_password_set_any_other_way_revokes_the_tokens_too(alice: User, bob: User) -> None:
    """The admin's form, the invitation link's set-password form and a reset all end in ``set_password`` and a
    save: that save revokes, and only the owner's tokens."""
    _token, raw = issue_token(alice, "erp sync")
    _bob_token, bob_raw = issue_token(bob, "bob's script")

    alice.set_password(NEW_PASSWORD)
    alice.save()

    assert ApiClient(raw).get("/api/me").status_code == 401
    assert ApiClient(bob_raw).get("/api/me").status_code == 200
    alice.last_login = None  # a save that sets no password revokes nothing new
    alice.save()
    _again, fresh = issue_token(alice, "new script")
    alice.save()
    assert ApiClient(fresh).get("/api/me").status_code == 200


def test_the_password_change_page_is_for_signed_in_users_only() -> None:
    response = client_for(None).get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert "login" in response["Location"]
