"""Security re-audit (2026-12, finding 4): a sign-in link is a credential for the contact's account, so it follows
the set-password link's rule (``Participant.account_created``). An organiser may hold one only for an account their
own import created; never for an account that existed before the import (any organiser can import another firm's
or another programme's contact by their mobile number), nor for a contact who declined, nor for a non-enterprise
account."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.web.conftest import client_for, make_enterprise, make_user
from wendao.web.accounts.models import Role, User
from wendao.web.api.models import ApiToken
from wendao.web.programmes import services, signin
from wendao.web.programmes.importing import ImportRow
from wendao.web.programmes.models import Participant, Programme, SignInLink

pytestmark = pytest.mark.django_db

BOB_PHONE = "13900000009"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def qingdao(oscar: User) -> Programme:
    p = Programme.objects.create(name="2026 青岛班", ends_on=timezone.localdate() + dt.timedelta(days=3))
    p.organisers.add(oscar)
    return p


def _import(actor: User, programme: Programme, phone: str) -> Participant:
    row = ImportRow(2, "青岛某某电子有限公司", "", "qingdao", "C39", 90, 7000.0, "赵六", phone, "")
    result = services.import_participants(actor, programme, [row])
    return (result.invited + result.asked)[0]


def _planted_link(participant: Participant, by: User) -> SignInLink:
    """A link as the platform made it before this fix (signin.issue now refuses to make it)."""
    return SignInLink.objects.create(
        participant=participant,
        nonce=secrets.token_hex(16),
        created_by=by,
        expires_at=timezone.now() + dt.timedelta(days=1),
    )


def test_an_organiser_cannot_sign_in_as_a_contact_whose_account_existed_before_the_import(
    oscar: User, qingdao: Programme
) -> None:
    bob = make_user(BOB_PHONE)
    bobs_firm = make_enterprise(bob, "zibo_chemical")
    invited = _import(oscar, qingdao, BOB_PHONE)
    assert invited.account == bob
    assert not invited.account_created
    organiser = client_for(oscar)
    organiser.post(reverse("programmes:signin_issue", kwargs={"pk": qingdao.pk}))
    organiser.post(reverse("programmes:signin_issue", kwargs={"pk": qingdao.pk}), {"participant": invited.pk})
    # the row gets a link like any other (no account enumeration: test_no_account_enumeration), but it never
    # signs bob in: tapping it asks for bob's own password
    link = SignInLink.objects.get(participant=invited, revoked_at__isnull=True)
    assert not signin.signs_in(link)
    path = signin.link_path(link)
    assert organiser.get(path).status_code == 200
    stranger = client_for(None)
    tapped = stranger.post(path)
    assert tapped.status_code == 200
    assert 'id="signin-confirm"' not in tapped.content.decode()
    assert "_auth_user_id" not in stranger.session
    # a link made before the fix does not sign anyone in either, and bob's firm stays out of oscar's reach
    planted = _planted_link(invited, oscar)
    stranger.post(signin.link_path(planted))
    assert "_auth_user_id" not in stranger.session
    assert client_for(oscar).get(reverse("enterprises:detail", kwargs={"pk": bobs_firm.pk})).status_code == 404


def test_no_link_for_a_contact_who_declined_or_is_not_an_enterprise_account_or_is_invited_elsewhere(
    oscar: User, qingdao: Programme
) -> None:
    declined = _import(oscar, qingdao, "13900000011")
    assert declined.account is not None
    assert declined.account_created
    services.decline_invitation(declined.account, declined)
    declined.refresh_from_db()
    promoted = _import(oscar, qingdao, "13900000012")
    assert promoted.account is not None
    promoted.account.role = Role.ORGANISER  # the admin made the contact an organiser later
    promoted.account.save()
    # an account oscar's import made, which olivia's programme then invited too: a link would answer for both
    shared = _import(oscar, qingdao, "13900000014")
    olivias = Programme.objects.create(name="2026 济南班")
    olivias.organisers.add(make_user("olivia", Role.ORGANISER))
    _import(olivias.organisers.get(), olivias, "13900000014")
    with pytest.raises(signin.SignInError):  # the organiser knows who declined: no link
        signin.issue(oscar, declined)
    for p in (declined, promoted, shared):
        planted = _planted_link(p, oscar)
        assert not signin.signs_in(planted)
        phone = client_for(None)
        phone.post(signin.link_path(planted))
        assert "_auth_user_id" not in phone.session
    # the others get links like every contact, which never sign them in
    for p in (promoted, shared):
        assert not signin.signs_in(signin.issue(oscar, p))


def test_a_contact_the_import_created_still_signs_in_with_one_tap(oscar: User, qingdao: Programme) -> None:
    invited = _import(oscar, qingdao, "13900000013")
    client_for(oscar).post(reverse("programmes:signin_issue", kwargs={"pk": qingdao.pk}))
    link = SignInLink.objects.get(participant=invited)
    phone = client_for(None)
    done = phone.post(signin.link_path(link))
    assert done["Location"] == reverse("programmes:my_invitations")
    assert phone.session["_auth_user_id"] == str(invited.account_id)


def _set_own_password(participant: Participant, password: str = "一个只有联系人知道的密码-2026") -> User:
    """The contact opens the set-password link of the invitation and chooses a password (the real page)."""
    account = participant.account
    assert account is not None
    path = services.invitation_path(account)
    phone = client_for(None)
    form_url = phone.get(path, follow=True).redirect_chain[-1][0]
    response = phone.post(form_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302, response.content.decode()[:500]
    account.refresh_from_db()
    assert account.has_usable_password()
    return account


def test_a_link_stops_signing_in_once_the_contact_has_set_their_own_password(oscar: User, qingdao: Programme) -> None:
    """The organiser's set-password link dies when the contact sets a password (Django's token hashes it); the
    organiser's sign-in link must die too, or the organiser keeps a way into an account its owner has claimed."""
    invited = _import(oscar, qingdao, "13900000015")
    link = signin.issue(oscar, invited)
    _set_own_password(invited)

    organiser = client_for(None)
    tapped = organiser.post(signin.link_path(link))
    assert 'id="signin-confirm"' not in tapped.content.decode()
    assert "_auth_user_id" not in organiser.session
    assert not signin.signs_in(signin.issue(oscar, invited))  # a new link would not either
    assert not signin.linkable(qingdao).filter(pk=invited.pk).exists()


def test_a_session_opened_with_a_link_ends_when_the_link_would(oscar: User, qingdao: Programme) -> None:
    """Django keeps a session two weeks by default: a link used on the programme's last day would otherwise
    keep its holder signed in as the contact long after the link itself expired."""
    invited = _import(oscar, qingdao, "13900000016")
    link = signin.issue(oscar, invited)
    phone = client_for(None)
    phone.post(signin.link_path(link))
    assert phone.session["_auth_user_id"] == str(invited.account_id)
    assert phone.session.get_expiry_date() <= link.expires_at


def test_a_link_session_cannot_mint_an_api_token_that_outlives_the_link(oscar: User, qingdao: Programme) -> None:
    invited = _import(oscar, qingdao, "13900000017")
    link = signin.issue(oscar, invited)
    phone = client_for(None)
    phone.post(signin.link_path(link))

    response = phone.post(reverse("api_tokens"), {"name": "ERP 同步"})

    assert response.status_code == 422
    assert not ApiToken.objects.filter(user=invited.account).exists()
