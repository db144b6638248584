from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.conftest import PASSWORD, make_user
from wendao.web.accounts.audit import record
from wendao.web.accounts.models import AuditEvent, LoginFailure

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str, ip: str = "10.0.0.1") -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_it_signs_in_with_the_right_password() -> None:
    make_user("alice")
    response = _login(Client(), "alice", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:home")


def test_it_refuses_a_wrong_password_and_counts_it() -> None:
    make_user("alice")
    response = _login(Client(), "alice", "wrong")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert LoginFailure.objects.filter(username="alice").count() == 1


def test_five_failures_hold_up_browsers_without_a_device_cookie_even_with_the_right_password() -> None:
    make_user("alice")
    client = Client()
    for _ in range(5):
        _login(client, "alice", "wrong")
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 200
    assert "登录尝试过于频繁" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # from any address: the hold is on the username's untrusted browsers (a browser that signed in as alice
    # before is not held up, see test_throttling.py), so spreading guesses over addresses gains nothing
    assert _login(Client(), "alice", PASSWORD, ip="10.0.0.2").status_code == 200


def test_four_failures_then_success_clears_the_count() -> None:
    make_user("alice")
    client = Client()
    for _ in range(4):
        _login(client, "alice", "wrong")
    assert _login(client, "alice", PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(username="alice").exists()


def test_logout_needs_post() -> None:
    user = make_user("alice")
    client = Client()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_record_writes_an_audit_event_with_actor_and_object() -> None:
    user = make_user("alice")
    event = record(user, "profile.update", user, {"name": {"from": "a", "to": "b"}})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == user
    assert stored.object_type == "accounts.user"
    assert stored.object_id == str(user.pk)
    assert stored.changes == {"name": {"from": "a", "to": "b"}}


def test_login_page_is_chinese_by_default_and_english_on_request() -> None:
    zh = Client().get(reverse("accounts:login"))
    assert "登录" in zh.content.decode()
    en = Client(headers={"accept-language": "en"}).get(reverse("accounts:login"))
    assert "Sign in" in en.content.decode()
