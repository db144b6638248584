"""A session opened with a sign-in link ends when the link stops working: revoked (a lost badge), reissued, or
the contact set their own password. Before, such a session lasted until the link's expiry whatever happened to
the link. A session the contact opened with their own password is no link's and stays."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.web.conftest import PASSWORD
from wendao.web.accounts.models import User
from wendao.web.programmes import signin
from wendao.web.programmes.models import Participant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def contact(link_contact: Participant) -> Participant:
    return link_contact


def _signed_in_by_link(olivia: User, contact: Participant) -> tuple[Client, str]:
    link = signin.issue(olivia, contact)
    client = Client()
    assert client.post(signin.link_path(link)).status_code == 302
    week = reverse("programmes:my_week", kwargs={"participant": contact.pk})
    assert client.get(week).status_code == 200
    return client, week


def test_revoking_a_link_ends_the_sessions_opened_with_it(olivia: User, contact: Participant) -> None:
    client, week = _signed_in_by_link(olivia, contact)
    link = contact.signin_links.get()
    client_for_organiser = Client()
    client_for_organiser.force_login(olivia)
    revoke = reverse("programmes:signin_revoke", kwargs={"pk": contact.programme_id})
    assert client_for_organiser.post(revoke, {"participant": contact.pk}).status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert client.get(week).status_code == 302  # to the sign-in page
    assert "_auth_user_id" not in client.session


def test_reissuing_a_link_ends_the_sessions_opened_with_the_old_one(olivia: User, contact: Participant) -> None:
    client, week = _signed_in_by_link(olivia, contact)
    signin.issue(olivia, contact)
    assert client.get(week).status_code == 302


def test_setting_a_password_of_ones_own_ends_the_link_sessions(olivia: User, contact: Participant, alice: User) -> None:
    client, week = _signed_in_by_link(olivia, contact)
    alice.refresh_from_db()
    alice.set_password(PASSWORD)
    alice.save()
    assert client.get(week).status_code == 302
    own = Client()
    assert own.post(reverse("accounts:login"), {"username": alice.username, "password": PASSWORD}).status_code == 302
    assert own.get(week).status_code == 200  # her own password session is no link's


def test_a_password_sign_in_in_a_link_session_is_the_persons_own(
    olivia: User, contact: Participant, alice: User
) -> None:
    client, week = _signed_in_by_link(olivia, contact)
    alice.refresh_from_db()
    alice.set_password(PASSWORD)
    alice.save()
    assert client.post(reverse("accounts:login"), {"username": alice.username, "password": PASSWORD}).status_code == 302
    signin.revoke(olivia, contact.signin_links.get())
    assert client.get(week).status_code == 200
