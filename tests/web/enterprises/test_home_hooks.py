"""Other apps decide where the home page sends a user through registered home steps; enterprises' views import
nothing from programmes (an organiser's overview and a contact's open invitations come from programmes)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.web.conftest import client_for, make_enterprise, make_user
from tests.web.programmes.conftest import workbook
from wendao.web.accounts.models import User
from wendao.web.enterprises import home_hooks
from wendao.web.programmes.home import invitations_first, organiser_overview
from wendao.web.programmes.models import Participant, Programme

VIEWS = Path(home_hooks.__file__).with_name("views.py")


def test_the_programmes_app_registers_its_home_steps_once_in_order() -> None:
    assert home_hooks._steps.count(organiser_overview) == home_hooks._steps.count(invitations_first) == 1
    home_hooks.register_home_step(invitations_first)  # ready() again, as in some test runners
    assert home_hooks._steps.count(invitations_first) == 1
    assert home_hooks._steps.index(organiser_overview) < home_hooks._steps.index(invitations_first)


def test_the_enterprise_views_import_nothing_from_programmes() -> None:
    tree = ast.parse(VIEWS.read_text(encoding="utf-8"))
    imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert imported
    assert not [m for m in imported if m.startswith("wendao.web.programmes")]


def _invite(organiser: User, programme: Programme, phone: str) -> Participant:
    """An organiser imports a row naming the contact's phone: an invitation to that contact's account."""
    row = ["山东某某机械有限公司", "", "潍坊", "C34", 180, 12000, "张三", phone, ""]
    url = reverse("programmes:import", kwargs={"pk": programme.pk})
    response = client_for(organiser).post(url, {"file": SimpleUploadedFile("名单.xlsx", workbook([row]))})
    assert response.status_code == 302
    return Participant.objects.get(programme=programme, phone=phone)


@pytest.mark.django_db
def test_an_invited_member_answers_first_or_later_and_their_enterprise_page_says_what_waits(
    olivia: User, programme: Programme
) -> None:
    member = make_user("13900000009")
    firm = make_enterprise(member)
    invitation = _invite(olivia, programme, "13900000009")
    assert invitation.account == member
    client = client_for(member)
    home = client.get(reverse("enterprises:home"))
    assert home["Location"] == reverse("programmes:my_invitations")
    later = client.get(reverse("enterprises:home") + "?later=1")
    assert later["Location"] == reverse("enterprises:detail", kwargs={"pk": firm.pk})
    page = client.get(later["Location"]).content.decode()
    assert "您有 1 份项目邀请待答复。" in page
    assert reverse("programmes:my_invitations") in page
    answer = reverse("programmes:invitation_answer", kwargs={"participant": invitation.pk})
    assert client.post(answer, {"answer": "decline", "enterprise": ""}).status_code == 302
    assert client.get(reverse("enterprises:home"))["Location"] == later["Location"]
    assert "份项目邀请待答复" not in client.get(later["Location"]).content.decode()


@pytest.mark.django_db
def test_without_registered_steps_the_home_page_knows_nothing_of_programmes(
    monkeypatch: pytest.MonkeyPatch, olivia: User, programme: Programme
) -> None:
    member = make_user("13900000008")
    firm = make_enterprise(member)
    _invite(olivia, programme, "13900000008")
    monkeypatch.setattr(home_hooks, "_steps", [])
    home = client_for(member).get(reverse("enterprises:home"))
    assert home["Location"] == reverse("enterprises:detail", kwargs={"pk": firm.pk})
    organiser_home = client_for(olivia).get(reverse("enterprises:home"))
    assert organiser_home.status_code == 200
    assert "项目总览" not in organiser_home.content.decode()
