"""Security re-audit (2026-12, finding 6, low): ids read from forms and query strings were checked with
``str.isdigit()``, which is true of "²" and other digit-like characters that ``int()`` refuses, so a crafted value
answered 500 (a crash, logged as a server error) instead of the page's own answer. Every view now reads such an id
with ``wendao.web.ids``: a value that is no id (a word, "²", full-width digits, a number past a 64-bit key) is
"not found", and an empty one is either "not chosen" (where the form may choose nothing) or "not found"."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from tests.web.conftest import client_for, make_user
from tests.web.marketplace.conftest import challenge_data
from tests.web.programmes.conftest import workbook
from wendao.web.accounts.models import User
from wendao.web.enterprises.models import Enterprise
from wendao.web.marketplace import services as marketplace
from wendao.web.programmes.models import Participant, Programme

pytestmark = pytest.mark.django_db

ODD = "²"
NOT_IDS = ["abc", ODD, "１２", "-1", "1.0", "9" * 30, str(2**63), "1" * 5000]

# A view that reads an id from a form or query string, asked with ``value`` as that id.
Ask = Callable[[str], HttpResponse]


@pytest.fixture
def id_readers(
    alice: User, olivia: User, alice_co: Enterprise, programme: Programme, alice_participant: Participant
) -> tuple[dict[str, Ask], dict[str, Ask]]:
    """(views whose id is required, views where an empty id means "none chosen"), each as the member or organiser
    who may use it."""
    member, organiser = client_for(alice), client_for(olivia)
    challenge = marketplace.create_challenge(alice, alice_co, challenge_data())
    invitee = make_user("13900000009")
    row = ["山东某某机械有限公司", "", "潍坊", "C34", 180, 12000, "张三", invitee.username, ""]
    imported = SimpleUploadedFile("名单.xlsx", workbook([row]))
    organiser.post(reverse("programmes:import", kwargs={"pk": programme.pk}), {"file": imported})
    invitation = Participant.objects.get(programme=programme, account=invitee, joined_at__isnull=True)

    def post(client: Client, name: str, field: str, **kwargs: int) -> Ask:
        return lambda value: client.post(reverse(name, kwargs=kwargs or None), {field: value})

    def get(client: Client, name: str, query: dict[str, str], field: str, **kwargs: int) -> Ask:
        return lambda value: client.get(reverse(name, kwargs=kwargs or None), query | {field: value})

    required = {
        "invite a provider": post(member, "marketplace:challenge_invite", "provider", pk=challenge.pk),
        "pooled demand": get(organiser, "marketplace:joint_new", {"scenario": "x", "city": "x"}, "programme"),
        "chain demand": get(member, "marketplace:chain_new", {"scenario": "x"}, "enterprise"),
        "revoke a sign-in link": post(organiser, "programmes:signin_revoke", "participant", pk=programme.pk),
    }
    optional = {
        "mark final": post(member, "programmes:my_final", "plan", participant=alice_participant.pk),
        "accept an invitation": post(
            client_for(invitee), "programmes:invitation_answer", "enterprise", participant=invitation.pk
        ),
        "issue a sign-in link": post(organiser, "programmes:signin_issue", "participant", pk=programme.pk),
        "table cards": get(organiser, "programmes:signin_cards", {}, "group", pk=programme.pk),
        "challenge from a plan": get(member, "marketplace:challenge_new", {"scenario": "x"}, "plan"),
        "ask about an enterprise": get(member, "enterprises:ask", {"question": "预算"}, "enterprise"),
        "ask about a plan": get(member, "enterprises:ask", {"question": "预算"}, "plan"),
    }
    return required, optional


@pytest.mark.parametrize("value", NOT_IDS)
def test_a_value_that_is_no_id_is_not_found_in_every_view_that_reads_one(
    value: str, id_readers: tuple[dict[str, Ask], dict[str, Ask]]
) -> None:
    required, optional = id_readers
    answers = {what: ask(value).status_code for what, ask in (required | optional).items()}
    assert answers == dict.fromkeys(answers, 404)


def test_an_empty_id_is_not_found_where_one_is_required(
    id_readers: tuple[dict[str, Ask], dict[str, Ask]],
) -> None:
    required, _optional = id_readers
    answers = {what: ask("").status_code for what, ask in required.items()}
    assert answers == dict.fromkeys(answers, 404)


@pytest.mark.parametrize("value", NOT_IDS)
def test_a_number_that_is_no_group_gets_the_pages_own_answer_not_a_crash(
    value: str, olivia: User, programme: Programme
) -> None:
    organiser = client_for(olivia)
    table = organiser.get(reverse("programmes:detail", kwargs={"pk": programme.pk}), {"group": value})
    assert table.status_code == 200
