"""Sign-in links and QR codes: one per participant, valid for the programme's dates, revocable, rate-limited,
one tap to sign in; only the programme's organisers issue, revoke and print them."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.web.conftest import client_for, make_user
from wendao.web.accounts.models import AuditEvent, Role, User
from wendao.web.programmes import signin
from wendao.web.programmes.models import DiscussionGroup, GroupMembership, Participant, Programme, SignInLink

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def contact(programme: Programme, link_contact: Participant) -> Participant:
    group = DiscussionGroup.objects.create(programme=programme, number=1)
    GroupMembership.objects.create(group=group, participant=link_contact)
    return link_contact


def test_a_link_lasts_until_the_end_of_the_last_day_and_its_token_is_not_stored(
    olivia: User, contact: Participant
) -> None:
    link = signin.issue(olivia, contact)
    local = timezone.localtime(link.expires_at)
    assert (local.date(), local.hour, local.minute) == (contact.programme.ends_on, 23, 59)
    token = signin.token_for(link)
    assert len(token) == 32
    assert token not in link.nonce
    assert signin.check(link.pk, token, "10.0.0.1") == link
    assert signin.check(link.pk, token[:-1] + ("A" if token[-1] != "A" else "B"), "10.0.0.1") is None


def test_reissuing_kills_the_old_link_and_revoking_or_expiry_kills_a_link(olivia: User, contact: Participant) -> None:
    first = signin.issue(olivia, contact)
    second = signin.issue(olivia, contact)
    assert signin.check(first.pk, signin.token_for(first), None) is None
    assert signin.check(second.pk, signin.token_for(second), None) == second
    after_the_end = second.expires_at + dt.timedelta(seconds=1)
    assert signin.check(second.pk, signin.token_for(second), None, now=after_the_end) is None
    signin.revoke(olivia, second)
    assert signin.check(second.pk, signin.token_for(second), None) is None


def test_no_link_for_a_contact_without_an_account_or_a_programme_that_ended(
    olivia: User, programme: Programme, contact: Participant, bob_co: Any
) -> None:
    no_account = Participant.objects.create(programme=programme, enterprise=bob_co, joined_at=timezone.now())
    with pytest.raises(signin.SignInError):
        signin.issue(olivia, no_account)
    programme.ends_on = timezone.localdate() - dt.timedelta(days=1)
    programme.save()
    contact.refresh_from_db()
    with pytest.raises(signin.SignInError):
        signin.issue(olivia, contact)


def test_opening_a_link_asks_first_and_one_tap_signs_the_participant_in_to_their_week(
    olivia: User, contact: Participant
) -> None:
    link = signin.issue(olivia, contact)
    client = client_for(None)
    path = signin.link_path(link)
    shown = client.get(path)
    assert shown.status_code == 200
    assert "王丽" in shown.content.decode()
    assert "_auth_user_id" not in client.session  # a preview or scanner fetching the URL signs nobody in
    done = client.post(path)
    assert done["Location"] == reverse("programmes:my_week", kwargs={"participant": contact.pk})
    assert client.get(done["Location"]).status_code == 200
    link.refresh_from_db()
    assert link.uses == 1
    assert AuditEvent.objects.filter(action="programme.signin_link_use").count() == 1


def test_wrong_tokens_are_held_up_per_address_after_twenty(olivia: User, contact: Participant) -> None:
    link = signin.issue(olivia, contact)
    client = client_for(None)
    for _ in range(signin.MAX_FAILURES):
        assert client.get(reverse("programmes:signin", kwargs={"link": link.pk, "token": "x" * 32})).status_code == 404
    right = client.get(signin.link_path(link))
    assert right.status_code == 429  # even the right link waits: the address has been guessing
    assert "用密码登录" in right.content.decode()


def test_the_organiser_issues_revokes_and_prints_cards_per_group(olivia: User, contact: Participant) -> None:
    client = client_for(olivia)
    pk = contact.programme_id
    assert client.post(reverse("programmes:signin_issue", kwargs={"pk": pk})).status_code == 302
    link = SignInLink.objects.get(participant=contact)
    page = client.get(reverse("programmes:signin_links", kwargs={"pk": pk})).content.decode()
    assert re.search(rf"http://testserver/programmes/signin/{link.pk}/[A-Za-z0-9_-]{{32}}/", page)
    pdf = client.get(reverse("programmes:signin_cards", kwargs={"pk": pk}) + "?group=1")
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout
    assert "王丽" in text.decode()
    client.post(reverse("programmes:signin_revoke", kwargs={"pk": pk}), {"participant": contact.pk})
    link.refresh_from_db()
    assert link.revoked_at is not None


@pytest.mark.parametrize("who", ["oscar", "alice", "provider", "anonymous"])
def test_only_the_programmes_organisers_handle_its_links(
    who: str, olivia: User, oscar: User, alice: User, contact: Participant
) -> None:
    link = signin.issue(olivia, contact)
    user = {"oscar": oscar, "alice": alice, "provider": make_user("pete", Role.PROVIDER), "anonymous": None}[who]
    client = client_for(user)
    pk = contact.programme_id
    for method, url, data in [
        ("get", reverse("programmes:signin_links", kwargs={"pk": pk}), {}),
        ("get", reverse("programmes:signin_cards", kwargs={"pk": pk}), {}),
        ("post", reverse("programmes:signin_issue", kwargs={"pk": pk}), {"participant": contact.pk}),
        ("post", reverse("programmes:signin_revoke", kwargs={"pk": pk}), {"participant": contact.pk}),
    ]:
        response = getattr(client, method)(url, data)
        assert response.status_code == (302 if user is None else 404), url
    link.refresh_from_db()
    assert link.revoked_at is None


# --- read-only share links to the one-page summary ----------------------------------------------------------------


def test_a_participant_shares_a_read_only_summary_link_that_expires_and_can_be_revoked(
    alice: User, alice_participant: Participant
) -> None:
    from wendao.web.enterprises import services as enterprise_services

    enterprise_services.create_plan(alice, alice_participant.enterprise, enterprise_services.plan_options({}))
    me = client_for(alice)
    me.post(reverse("programmes:my_share", kwargs={"participant": alice_participant.pk}), {"action": "make"})
    share = signin.active_share(alice_participant)
    assert share is not None
    assert (share.expires_at - timezone.now()).days in (29, 30)
    week_page = me.get(reverse("programmes:my_week", kwargs={"participant": alice_participant.pk})).content.decode()
    assert signin.share_path(share) in week_page
    boss = client_for(None)
    shown = boss.get(signin.share_path(share))
    assert shown.status_code == 200
    assert alice_participant.enterprise.name in shown.content.decode()
    assert shown["X-Robots-Tag"] == "noindex, nofollow"
    assert "_auth_user_id" not in boss.session  # read-only: nobody is signed in
    wrong = reverse("programmes:shared_summary", kwargs={"share": share.pk, "token": "x" * 32})
    assert boss.get(wrong).status_code == 404
    me.post(reverse("programmes:my_share", kwargs={"participant": alice_participant.pk}), {"action": "revoke"})
    assert boss.get(signin.share_path(share)).status_code == 404


def test_only_the_participants_own_members_make_share_links(
    bob: User, olivia: User, alice_participant: Participant
) -> None:
    url = reverse("programmes:my_share", kwargs={"participant": alice_participant.pk})
    for user in (bob, olivia):
        assert client_for(user).post(url, {"action": "make"}).status_code == 404
    assert signin.active_share(alice_participant) is None
