from __future__ import annotations

import pytest

from wendao.web.accounts.models import Role, User
from wendao.web.enterprises.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo_accounts, generate_demo_programme
from wendao.web.enterprises.models import AssessmentRound, Enterprise, Membership

pytestmark = pytest.mark.django_db


def test_the_demo_programme_is_synthetic_labelled_spread_over_the_cities_and_idempotent() -> None:
    assert generate_demo_programme(count=32) == 32
    assert generate_demo_programme(count=32) == 0
    enterprises = Enterprise.objects.all()
    assert enterprises.count() == 32
    assert all(e.synthetic and "虚构" in e.name for e in enterprises)
    assert enterprises.values("city").distinct().count() == 16
    assert AssessmentRound.objects.filter(current=True, completed_at__isnull=False).count() == 32


def test_demo_accounts_exist_once_with_the_printed_password() -> None:
    create_demo_accounts()
    create_demo_accounts()
    assert User.objects.count() == len(DEMO_ACCOUNTS)
    member = User.objects.get(username="demo-enterprise")
    assert member.check_password(DEMO_PASSWORD)
    assert Membership.objects.filter(user=member).count() == 1
    assert User.objects.get(username="demo-admin").is_superuser
    # the knowledge base's editor reaches the admin (staff) without being a superuser
    editor = User.objects.get(username="demo-editor")
    assert (editor.role, editor.is_staff, editor.is_superuser) == (Role.CATALOG_EDITOR, True, False)
    assert editor.check_password(DEMO_PASSWORD)


def test_building_the_demo_twice_creates_everything_once() -> None:
    from wendao.web.demo import build_demo
    from wendao.web.enterprises.models import PlanRecord
    from wendao.web.marketplace.models import Challenge
    from wendao.web.programmes.models import Participant, Programme

    first = build_demo(enterprises=16)
    counts = (Programme.objects.count(), Participant.objects.count(), PlanRecord.objects.count())
    assert first.enterprises_added == 16
    assert counts == (1, 16, 16)  # every participant gets a first plan (fewer than DEMO_PLANS)
    challenges = Challenge.objects.count()
    assert challenges > 0
    again = build_demo(enterprises=16)
    assert again.enterprises_added == 0
    assert (Programme.objects.count(), Participant.objects.count(), PlanRecord.objects.count()) == counts
    assert Challenge.objects.count() == challenges
