"""A provider's own dashboard: where a provider lands after signing in, how complete its profile is, and the
matched demand loaded into the page (HTMX) without noise."""

from __future__ import annotations

import re

from django.urls import reverse

from tests.web.conftest import client_for
from tests.web.marketplace.conftest import challenge_data
from wendao.web.accounts.models import User
from wendao.web.enterprises.models import Enterprise
from wendao.web.marketplace import access, services
from wendao.web.marketplace.models import Challenge, Provider


def test_a_provider_signing_in_lands_on_its_marketplace_dashboard(pete: User, pete_co: Provider) -> None:
    response = client_for(pete).get(reverse("enterprises:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("marketplace:home")
    page = client_for(pete).get(reverse("marketplace:home")).content.decode()
    assert "您的账号还没有关联任何企业" not in page
    assert "鲁视智能（测试）" in page
    assert reverse("marketplace:provider_demand", args=[pete_co.pk]) in page  # the matched demand loads in


def test_the_dashboard_says_how_complete_the_profile_is_and_what_is_missing(pete: User, pete_co: Provider) -> None:
    percent, checks = services.profile_completeness(pete_co)
    missing = [c.field for c in checks if not c.done]
    assert missing == ["contact"]  # the fixture gives everything but a phone or e-mail
    assert percent == 86
    page = client_for(pete).get(reverse("marketplace:home")).content.decode()
    assert 'value="86"' in page
    assert "联系方式" in page


def test_matched_demand_comes_as_a_fragment_for_the_dashboard(
    pete: User, pete_co: Provider, published: Challenge
) -> None:
    url = reverse("marketplace:provider_demand", args=[pete_co.pk])
    fragment = client_for(pete).get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="demand-list">')
    assert "冲压件表面缺陷在线检测" in fragment
    assert "<html" not in fragment
    # the match as a level in words, the figure only on hover: "匹配度 0.67" meant nothing to a provider
    (level,) = re.findall(r'需求匹配度 <span class="score" title="[0-9.]+">(.*?)</span>', fragment)
    assert level in ("高", "中", "低")


def test_a_need_the_provider_has_nothing_to_do_with_is_not_listed_as_its_demand(
    pete: User, pete_co: Provider, alice: User, alice_co: Enterprise
) -> None:
    unrelated = services.create_challenge(
        alice,
        alice_co,
        challenge_data(
            title="园区污水在线监测",
            scenario="pollution_monitoring",
            description="化工园区排口水质在线监测与超标预警。",
            requirements="",
        ),
    )
    services.transition_challenge(alice, unrelated, "publish")  # shares the word 在线 with pete's profile
    demand = services.matched_demand(pete_co, access.challenges_for_user(pete), access.shares_for_user(pete))
    assert all(d.obj.pk != unrelated.pk for d in demand), [(d.match.score, d.match.reasons_zh) for d in demand]


def test_another_providers_member_cannot_load_this_providers_demand(paula: User, pete_co: Provider) -> None:
    url = reverse("marketplace:provider_demand", args=[pete_co.pk])
    assert client_for(paula).get(url, headers={"HX-Request": "true"}).status_code == 404


def test_the_dashboard_reads_in_english(pete: User, pete_co: Provider) -> None:
    client = client_for(pete)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("marketplace:home")).content.decode()
    assert "Profile completeness" in page
    assert "Still missing" in page
    assert "档案完整度" not in page
