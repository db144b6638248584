"""An enterprise joins a programme only by its own consent, and its "no" stands: a contact who declined a
programme's invitation cannot be invited to it again by a second import (under another firm name), and a
contact already on the programme's list cannot be given a second invitation (which would let one sign-in
join the programme with two firms)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.web.conftest import client_for, make_user
from tests.web.programmes.conftest import workbook
from wendao.web.accounts.models import User
from wendao.web.programmes.importing import ImportRow
from wendao.web.programmes.models import Participant, Programme
from wendao.web.programmes.services import InvitationError, import_participants, open_invitations

pytestmark = pytest.mark.django_db


def _import(organiser: User, programme: Programme, rows: list[list[Any]]) -> Any:
    url = reverse("programmes:import", kwargs={"pk": programme.pk})
    return client_for(organiser).post(url, {"file": SimpleUploadedFile("名单.xlsx", workbook(rows))})


def _row(name: str, phone: str) -> list[Any]:
    return [name, "", "潍坊", "C34", 180, 12000, "张三", phone, ""]


def _decline(user: User, participant: Participant) -> None:
    url = reverse("programmes:invitation_answer", kwargs={"participant": participant.pk})
    assert client_for(user).post(url, {"answer": "decline", "enterprise": ""}).status_code == 302


def test_a_contact_who_declined_cannot_be_invited_to_the_same_programme_again(
    olivia: User, programme: Programme
) -> None:
    contact = make_user("13900000031")
    _import(olivia, programme, [_row("山东甲机械有限公司", "13900000031")])
    _decline(contact, Participant.objects.get(programme=programme))

    response = _import(olivia, programme, [_row("山东甲机械制造有限公司", "13900000031")])

    assert response.status_code == 422
    assert [(p.row, p.column) for p in response.context["problems"]] == [(2, "手机")]
    assert "谢绝" in response.content.decode()
    assert Participant.objects.filter(programme=programme).count() == 1
    assert not open_invitations(contact).exists()


def test_a_contact_already_invited_is_not_invited_twice_by_a_second_file(olivia: User, programme: Programme) -> None:
    _import(olivia, programme, [_row("山东乙机械有限公司", "13900000032")])

    response = _import(olivia, programme, [_row("山东丙机械有限公司", "13900000032")])

    assert response.status_code == 422
    assert [(p.row, p.column) for p in response.context["problems"]] == [(2, "手机")]
    assert Participant.objects.filter(programme=programme).count() == 1


def test_another_programme_may_still_invite_a_contact_who_declined_this_one(
    olivia: User, programme: Programme, oscar: User, other_programme: Programme
) -> None:
    contact = make_user("13900000033")
    _import(olivia, programme, [_row("山东丁机械有限公司", "13900000033")])
    _decline(contact, Participant.objects.get(programme=programme))

    assert _import(oscar, other_programme, [_row("山东丁机械有限公司", "13900000033")]).status_code == 302
    assert open_invitations(contact).get().programme == other_programme


def test_the_import_service_itself_refuses_a_contact_already_on_the_list(olivia: User, programme: Programme) -> None:
    """The rule holds below the file check too (two imports of one list racing past the check)."""
    contact = make_user("13900000034")
    _import(olivia, programme, [_row("山东戊机械有限公司", "13900000034")])
    _decline(contact, Participant.objects.get(programme=programme))
    row = ImportRow(2, "山东戊机械制造有限公司", "", "weifang", "C34", 180, 12000.0, "张三", "13900000034", "")

    with pytest.raises(InvitationError):
        import_participants(olivia, programme, [row])
    assert Participant.objects.filter(programme=programme).count() == 1
