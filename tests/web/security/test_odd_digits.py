"""Security re-audit (2026-12, finding 6, low): ids read from forms and query strings were checked with
``str.isdigit()``, which is true of "²" and other digit-like characters that ``int()`` refuses, so a crafted value
answered 500 (a crash, logged as a server error) instead of the page's own answer. ``isdecimal()`` is what ``int()``
accepts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.conftest import client_for
from wendao.web.accounts.models import User
from wendao.web.enterprises.models import Enterprise
from wendao.web.programmes.models import Participant, Programme

pytestmark = pytest.mark.django_db

ODD = "²"


def test_a_digit_like_id_gets_the_pages_own_answer_not_a_crash(
    alice: User, olivia: User, alice_co: Enterprise, programme: Programme, alice_participant: Participant
) -> None:
    member, organiser = client_for(alice), client_for(olivia)
    answers = {
        "mark final": member.post(
            reverse("programmes:my_final", kwargs={"participant": alice_participant.pk}), {"plan": ODD}
        ),
        "ask": member.get(reverse("enterprises:ask"), {"enterprise": ODD, "question": "预算"}),
        "challenge from a plan": member.get(reverse("marketplace:challenge_new"), {"plan": ODD, "scenario": "x"}),
        "participant table": organiser.get(reverse("programmes:detail", kwargs={"pk": programme.pk}), {"group": ODD}),
        "pooled demand": organiser.get(reverse("marketplace:joint_new"), {"programme": ODD}),
        "table cards": organiser.get(reverse("programmes:signin_cards", kwargs={"pk": programme.pk}), {"group": ODD}),
    }
    crashed = {what: r.status_code for what, r in answers.items() if r.status_code >= 500}
    assert not crashed, crashed
