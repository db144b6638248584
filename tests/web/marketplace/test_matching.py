"""Matching through the pages: a challenge's publisher sees ranked providers with reasons and can invite them;
an enterprise member sees providers for a plan item; a provider sees the demand ranked for it. Only listed
providers are matched, and the cached matcher follows profile edits."""

from __future__ import annotations

from django.urls import reverse

from tests.web.conftest import client_for
from tests.web.marketplace.conftest import ENERGY, VISION, challenge_data
from wendao.web.accounts.models import User
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.marketplace import services
from wendao.web.marketplace.models import Challenge, Provider


def test_the_publisher_sees_the_fitting_provider_first_with_reasons(
    alice: User, published: Challenge, pete_co: Provider, paula_co: Provider
) -> None:
    response = client_for(alice).get(reverse("marketplace:challenge", args=[published.pk]))
    matches = response.context["matches"]
    assert matches[0].provider == pete_co
    assert matches[0].match.reasons_zh
    body = response.content.decode()
    assert matches[0].match.reasons_zh[0] in body


def test_reasons_follow_the_language(alice: User, published: Challenge, pete_co: Provider) -> None:
    client = client_for(alice)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("marketplace:challenge", args=[published.pk]))
    assert response.context["matches"][0].match.reasons_en[0] in response.content.decode()


def test_inviting_from_the_matches_swaps_the_fragment(
    alice: User, private: Challenge, pete: User, pete_co: Provider
) -> None:
    response = client_for(alice).post(
        reverse("marketplace:challenge_invite", args=[private.pk]),
        {"provider": pete_co.pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="matches">')
    assert "已邀请" in body
    assert list(private.invited.all()) == [pete_co]
    assert client_for(pete).get(reverse("marketplace:challenge", args=[private.pk])).status_code == 200


def test_an_unlisted_provider_is_never_matched(
    alice: User, published: Challenge, pete: User, pete_co: Provider
) -> None:
    services.save_provider(pete, {"name": pete_co.name, "listed": False}, provider=pete_co)
    matches = client_for(alice).get(reverse("marketplace:challenge", args=[published.pk])).context["matches"]
    assert pete_co not in [m.provider for m in matches]


def test_the_cached_matcher_follows_a_profile_edit(
    alice: User, alice_co: Enterprise, paula: User, paula_co: Provider
) -> None:
    energy = services.create_challenge(
        alice,
        alice_co,
        challenge_data(title="空压站能耗优化", scenario="energy_management", description="空压机能耗高"),
    )
    assert [m.provider for m in services.match_providers(services.need_for_challenge(energy))][:1] == [paula_co]
    services.save_provider(
        paula, ENERGY | {"scenario_ids": ["ai_customer_service"], "description": "智能客服"}, provider=paula_co
    )
    after = services.match_providers(services.need_for_challenge(energy))
    assert all(m.match.parts.get("scenario", 0) == 0 for m in after)


def test_an_enterprise_member_sees_providers_for_a_plan_item(
    alice: User, alice_plan: PlanRecord, pete_co: Provider, paula_co: Provider
) -> None:
    items = alice_plan.plan["items"]
    for item in items[:3]:
        response = client_for(alice).get(reverse("marketplace:plan_item", args=[alice_plan.pk, item["scenario"]]))
        assert response.status_code == 200
        for row in response.context["matches"]:
            assert row.match.reasons_zh
            assert row.provider.listed


def test_a_provider_sees_matched_demand_ranked_for_it(
    alice: User, alice_plan: PlanRecord, pete: User, pete_co: Provider, published: Challenge, paula_co: Provider
) -> None:
    scenario = alice_plan.plan["items"][0]["scenario"]
    share = services.share_plan_item(alice, alice_plan, scenario, None)
    unrelated = client_for(pete).get(reverse("marketplace:provider_demand", args=[pete_co.pk])).context["demand"]
    assert [d.obj for d in unrelated] == [published]  # zero relevance is not demand
    tags = [*VISION["scenario_ids"], scenario]
    services.save_provider(pete, VISION | {"scenario_ids": tags}, provider=pete_co)
    response = client_for(pete).get(reverse("marketplace:provider_demand", args=[pete_co.pk]))
    demand = response.context["demand"]
    assert {d.obj for d in demand} == {published, share}
    assert [d.match.score for d in demand] == sorted((d.match.score for d in demand), reverse=True)
    assert demand[0].match.reasons_zh[0] in response.content.decode()


def test_demand_never_includes_drafts_private_or_withdrawn_items(
    alice: User,
    alice_co: Enterprise,
    alice_plan: PlanRecord,
    pete: User,
    pete_co: Provider,
    draft: Challenge,
    private: Challenge,
) -> None:
    share = services.share_plan_item(alice, alice_plan, alice_plan.plan["items"][0]["scenario"], None)
    services.withdraw_share(alice, share)
    response = client_for(pete).get(reverse("marketplace:provider_demand", args=[pete_co.pk]))
    assert response.context["demand"] == []
    assert "暂时没有" in response.content.decode()


def test_an_unlisted_provider_still_sees_its_demand(pete: User, pete_co: Provider, published: Challenge) -> None:
    services.save_provider(pete, {"name": pete_co.name, "listed": False}, provider=pete_co)
    demand = client_for(pete).get(reverse("marketplace:provider_demand", args=[pete_co.pk])).context["demand"]
    assert [d.obj for d in demand] == [published]
