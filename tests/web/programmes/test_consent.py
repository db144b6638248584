"""An enterprise joins a programme only by its own consent. An import is an invitation: until the invited
contact accepts, the organisers see the imported row and nothing else, and no import hands an organiser the
credentials of an account it did not create (security issue, findings 1, 2 and 10a)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.web.api.conftest import ApiClient, token_for
from tests.web.conftest import PASSWORD, client_for, make_user
from tests.web.programmes.conftest import good_row, workbook
from wendao.web.accounts.models import AuditEvent, User
from wendao.web.enterprises.models import Enterprise, Membership, PlanRecord
from wendao.web.programmes.models import Participant, Programme
from wendao.web.programmes.services import invitation_path

pytestmark = pytest.mark.django_db


def _import(organiser: User, programme: Programme, rows: list[list[Any]]) -> Any:
    url = reverse("programmes:import", kwargs={"pk": programme.pk})
    return client_for(organiser).post(url, {"file": SimpleUploadedFile("名单.xlsx", workbook(rows))})


def _row(name: str, phone: str, credit_code: str = "") -> list[Any]:
    return [name, credit_code, "潍坊", "C34", 180, 12000, "张三", phone, ""]


def _participant_page(organiser: User, participant: Participant) -> Any:
    url = reverse("programmes:participant", kwargs={"pk": participant.programme_id, "participant": participant.pk})
    return client_for(organiser).get(url)


def _answer(user: User, participant: Participant, answer: str, enterprise: Enterprise | None = None) -> Any:
    url = reverse("programmes:invitation_answer", kwargs={"participant": participant.pk})
    data = {"answer": answer, "enterprise": str(enterprise.pk) if enterprise else ""}
    return client_for(user).post(url, data)


def test_importing_a_known_firms_name_does_not_reach_its_data(
    oscar: User, other_programme: Programme, alice_co: Enterprise, alice_plan: PlanRecord
) -> None:
    """Finding 1: the name (and a credit code) of a real enterprise of another user, imported by an organiser
    of an empty programme, once linked the row to that enterprise and entitled the organiser to its plans."""
    response = _import(oscar, other_programme, [_row(alice_co.name, "13800000077", "91370700MA3C5L1X2Q")])
    assert response.status_code == 302
    p = Participant.objects.get(programme=other_programme)
    assert p.enterprise_id != alice_co.pk
    assert p.consent == "pending"
    page = _participant_page(oscar, p).content.decode()
    assert "尚未接受邀请" in page
    assert str(alice_co.employees) not in page  # the row said 180; alice's firm has its own figure
    pdf = reverse(
        "programmes:participant_plan",
        kwargs={"pk": other_programme.pk, "participant": p.pk, "plan": alice_plan.pk},
    )
    assert client_for(oscar).get(pdf).status_code == 404
    assert client_for(oscar).get(reverse("enterprises:plan", kwargs={"pk": alice_plan.pk})).status_code == 404
    assert not Membership.objects.filter(enterprise=alice_co).exclude(user__username="alice").exists()


def test_an_import_never_hands_out_a_link_for_an_account_it_did_not_create(
    olivia: User, programme: Programme, oscar: User, other_programme: Programme
) -> None:
    """Finding 2: organiser B imported a decoy row with the phone of an account organiser A had invited, got
    its set-password link, signed in and edited A's enterprise."""
    _import(olivia, programme, [good_row(1)])
    account = User.objects.get(username="13800000001")
    olivias_link = invitation_path(account)
    _import(oscar, other_programme, [_row("诱饵有限公司", "13800000001")])
    page = client_for(oscar).get(reverse("programmes:invitations", kwargs={"pk": other_programme.pk}))
    assert "/programmes/invitation/" not in page.content.decode()  # no set-password link of the account's
    assert "诱饵有限公司" in page.content.decode()  # listed with its invitation link, like any row
    export = client_for(oscar).get(reverse("programmes:invitations_export", kwargs={"pk": other_programme.pk}))
    (row,) = load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(min_row=2, values_only=True)
    # the invitation link sets no password of an account the import did not create
    path = "/programmes/invite/" + str(row[5]).split("/programmes/invite/", 1)[1]
    secret = {"new_password1": "oscars own secret 42", "new_password2": "oscars own secret 42"}
    assert 'id="has-password"' in client_for(None).post(path, secret).content.decode()
    account.refresh_from_db()
    assert not account.has_usable_password()
    decoy = Participant.objects.get(programme=other_programme)
    assert decoy.account == account
    assert not decoy.account_created
    still = client_for(None).get(olivias_link, follow=True).content.decode()
    assert "新密码" in still  # A's link still works: nothing touched the account


def test_a_new_contact_sets_a_password_then_accepts_and_only_then_the_organiser_sees_the_firm(
    olivia: User, programme: Programme
) -> None:
    _import(olivia, programme, [good_row(1)])
    p = Participant.objects.get(programme=programme)
    account = p.account
    assert account is not None
    assert not Membership.objects.filter(enterprise=p.enterprise).exists()
    client = client_for(None)
    form_url = client.get(invitation_path(account), follow=True).redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": "a new long secret 42", "new_password2": "a new long secret 42"})
    assert done["Location"] == reverse("programmes:my_invitations")  # signed in at once: the link is a way in
    account.refresh_from_db()
    assert p.__class__.objects.get(pk=p.pk).consent == "pending"  # a password alone is not consent
    home = client.get(reverse("enterprises:home"))
    assert home.status_code == 302
    assert home["Location"] == reverse("programmes:my_invitations")
    inbox = client.get(reverse("programmes:my_invitations")).content.decode()
    assert programme.name in inbox
    assert "只读查看" in inbox  # says what joining lets the organisers see
    assert _answer(account, p, "accept").status_code == 302
    p.refresh_from_db()
    assert p.consent == "joined"
    assert Membership.objects.filter(user=account, enterprise=p.enterprise).exists()
    assert AuditEvent.objects.filter(action="programme.join", object_id=str(p.pk)).exists()
    assert "尚未接受邀请" not in _participant_page(olivia, p).content.decode()


def test_an_existing_member_joins_with_their_own_enterprise_and_the_imported_record_goes(
    olivia: User, programme: Programme, alice_plan: PlanRecord
) -> None:
    member = make_user("13900000009")
    firm = alice_plan.enterprise
    Membership.objects.create(user=member, enterprise=firm)
    _import(olivia, programme, [_row("山东某某机械有限公司", "13900000009")])
    p = Participant.objects.get(programme=programme)
    imported = p.enterprise
    pdf = reverse(
        "programmes:participant_plan", kwargs={"pk": programme.pk, "participant": p.pk, "plan": alice_plan.pk}
    )
    assert client_for(olivia).get(pdf).status_code == 404  # before consent
    assert _answer(member, p, "accept", firm).status_code == 302
    p.refresh_from_db()
    assert p.enterprise == firm
    assert not Enterprise.objects.filter(pk=imported.pk).exists()
    assert client_for(olivia).get(pdf).status_code == 200  # after consent


def test_a_declined_invitation_leaves_the_organiser_with_the_row_only(
    olivia: User, programme: Programme, alice: User, alice_co: Enterprise
) -> None:
    member = make_user("13900000008")
    Membership.objects.create(user=member, enterprise=alice_co)
    _import(olivia, programme, [_row("山东某某机械有限公司", "13900000008")])
    p = Participant.objects.get(programme=programme)
    assert _answer(member, p, "decline").status_code == 302
    p.refresh_from_db()
    assert p.consent == "declined"
    assert p.enterprise_id != alice_co.pk
    assert "谢绝了邀请" in _participant_page(olivia, p).content.decode()
    assert _answer(member, p, "accept", alice_co).status_code == 404  # answered: no second answer


def test_nobody_else_can_answer_an_invitation(
    olivia: User, programme: Programme, alice: User, alice_co: Enterprise, bob: User
) -> None:
    _import(olivia, programme, [good_row(1)])
    p = Participant.objects.get(programme=programme)
    for intruder in (alice, bob, olivia):
        assert _answer(intruder, p, "accept", alice_co).status_code == 404
    p.refresh_from_db()
    assert p.consent == "pending"


def test_a_member_cannot_join_with_an_enterprise_that_is_not_theirs(
    olivia: User, programme: Programme, bob: User, alice_co: Enterprise
) -> None:
    member = make_user("13900000007")
    _import(olivia, programme, [_row("山东某某机械有限公司", "13900000007")])
    p = Participant.objects.get(programme=programme)
    assert _answer(member, p, "accept", alice_co).status_code == 404
    p.refresh_from_db()
    assert p.consent == "pending"


def test_a_firm_already_in_the_programme_cannot_join_twice(olivia: User, programme: Programme) -> None:
    member = make_user("13900000006")
    _import(olivia, programme, [_row("甲有限公司", "13900000006"), _row("乙有限公司", "13900000005")])
    first = Participant.objects.get(programme=programme, phone="13900000006")
    other = User.objects.get(username="13900000005")  # created by the import
    assert _answer(member, first, "accept").status_code == 302
    first.refresh_from_db()
    Membership.objects.create(user=other, enterprise=first.enterprise)
    second = Participant.objects.get(programme=programme, phone="13900000005")
    response = _answer(other, second, "accept", first.enterprise)
    assert response.status_code == 409
    assert "已经参加了这个项目" in response.content.decode()


def test_one_phone_twice_in_a_file_is_refused(olivia: User, programme: Programme) -> None:
    """Finding 10a: two firms under one contact's number would join both under one sign-in."""
    response = _import(olivia, programme, [_row("甲有限公司", "13900000004"), _row("乙有限公司", "13900000004")])
    assert response.status_code == 422
    assert [(p.row, p.column) for p in response.context["problems"]] == [(3, "手机")]
    assert not Participant.objects.filter(programme=programme).exists()


def test_progress_of_a_firm_that_has_not_joined_is_not_shown(
    olivia: User, programme: Programme, alice_co: Enterprise, alice_plan: PlanRecord
) -> None:
    """Rows from before consent existed may point at a real enterprise: its progress stays hidden until it
    accepts (the migration leaves such rows pending)."""
    p = Participant.objects.create(programme=programme, enterprise=alice_co)
    page = client_for(olivia).get(reverse("programmes:detail", kwargs={"pk": programme.pk})).content.decode()
    assert "待接受邀请" in page
    api = ApiClient(token_for(olivia)).get(f"/api/programmes/{programme.pk}/participants")
    row = next(r for r in api.json() if r["id"] == p.pk)
    assert row["consent"] == "pending"
    assert not row["plan_made"]
    assert not row["assessment_done"]


def test_password_sign_in_still_works_for_the_contact(olivia: User, programme: Programme) -> None:
    member = make_user("13900000003")
    _import(olivia, programme, [_row("甲有限公司", "13900000003")])
    member.refresh_from_db()
    assert member.check_password(PASSWORD)  # the import changed nothing about an existing account
