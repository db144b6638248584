from __future__ import annotations

import pytest

from wendao.web.enterprises.demo import create_demo_accounts, create_demo_cohort, generate_demo_programme
from wendao.web.programmes.models import DiscussionGroup, GroupMembership, Participant, Programme

pytestmark = pytest.mark.django_db


def test_the_demo_programme_is_owned_by_the_demo_organiser_grouped_and_idempotent() -> None:
    generate_demo_programme(count=32)
    create_demo_accounts()
    create_demo_accounts()
    create_demo_cohort()
    programme = Programme.objects.get()
    assert [u.username for u in programme.organisers.all()] == ["demo-organiser"]
    assert Participant.objects.filter(programme=programme).count() == 32
    assert DiscussionGroup.objects.filter(programme=programme).count() == 4
    assert GroupMembership.objects.count() == 32
    assert programme.sessions.filter(kind="site_visit").count() == 4
