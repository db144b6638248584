"""The demo marketplace: synthetic providers labelled 虚构, the demo provider login's organisation, challenges in
several states from the demo enterprise and the demo programme — and a re-run creates nothing."""

from __future__ import annotations

import pytest

from wendao.web.accounts.models import AuditEvent, User
from wendao.web.enterprises.demo import DEMO_PASSWORD, create_demo_accounts, generate_demo_programme
from wendao.web.marketplace import access
from wendao.web.marketplace.demo import DEMO_CHALLENGES, DEMO_PROVIDERS, create_demo_marketplace
from wendao.web.marketplace.models import Challenge, Proposal, Provider

pytestmark = pytest.mark.django_db


def test_the_demo_marketplace_is_synthetic_varied_and_idempotent() -> None:
    generate_demo_programme(count=16)
    create_demo_accounts()  # also forms the demo programme
    assert create_demo_marketplace() == {"providers": len(DEMO_PROVIDERS), "challenges": len(DEMO_CHALLENGES)}
    counts = (Provider.objects.count(), Challenge.objects.count(), Proposal.objects.count(), AuditEvent.objects.count())
    assert create_demo_marketplace() == {"providers": 0, "challenges": 0}
    again = (Provider.objects.count(), Challenge.objects.count(), Proposal.objects.count(), AuditEvent.objects.count())
    assert again == counts
    assert all(p.synthetic and "虚构" in p.name for p in Provider.objects.all())
    states = set(Challenge.objects.values_list("state", flat=True))
    assert {"draft", "published", "shortlisting", "awarded"} <= states
    assert Challenge.objects.filter(programme__isnull=False).exists()
    assert Challenge.objects.filter(enterprise__isnull=False).exists()
    assert Proposal.objects.filter(state="awarded").count() == 1


def test_the_demo_provider_login_sees_its_organisation_and_matched_demand() -> None:
    generate_demo_programme(count=16)
    create_demo_accounts()
    create_demo_marketplace()
    login = User.objects.get(username="demo-provider")
    assert login.check_password(DEMO_PASSWORD)
    (mine,) = access.providers_of_member(login)
    visible = access.challenges_for_user(login)
    assert not visible.filter(state="draft").exists()
    assert visible.filter(state="published").count() >= 2
    from wendao.web.marketplace import services

    demand = services.matched_demand(mine, visible, access.shares_for_user(login))
    assert demand
    assert demand[0].obj.scenario == "online_inspection"
