"""The demo marketplace: synthetic providers labelled 虚构, the demo provider login's organisation, challenges in
several states from the demo enterprise and the demo programme — and a re-run creates nothing."""

from __future__ import annotations

import pytest

from wendao.web.accounts.models import AuditEvent, User
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises.demo import DEMO_PASSWORD, create_demo_accounts, generate_demo_programme
from wendao.web.marketplace import access
from wendao.web.marketplace.demo import DEMO_CHALLENGES, all_demo_providers, create_demo_marketplace
from wendao.web.marketplace.models import Challenge, Proposal, Provider
from wendao.web.programmes.demo import create_demo_cohort

pytestmark = pytest.mark.django_db


def test_the_demo_marketplace_is_synthetic_varied_and_idempotent() -> None:
    generate_demo_programme(count=16)
    create_demo_accounts()
    create_demo_cohort()
    made = {"providers": len(all_demo_providers()), "challenges": len(DEMO_CHALLENGES)}
    assert create_demo_marketplace() == made
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
    create_demo_cohort()
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


def test_the_demo_directory_spans_every_scenario_family_and_city_and_prices_from_the_catalog() -> None:
    providers = all_demo_providers()
    catalog = active_catalog().catalog
    assert len(providers) >= 40
    assert all(p.name.endswith("（虚构）") for p in providers)
    assert len({p.name for p in providers}) == len(providers)
    stages = {catalog.scenario(s).stage for p in providers for s in p.scenario_ids}
    assert stages == {s.stage for s in catalog.scenarios}
    served = {r for p in providers for r in p.regions}
    assert {c.id for c in catalog.cities} <= served
    erp = next(p for p in providers if p.scenario_ids[0] == "cloud_erp_saas")  # serves micro firms
    band = catalog.scenario("cloud_erp_saas").cost
    assert erp.price == (band.micro.one_off.low, band.small.one_off.high)
