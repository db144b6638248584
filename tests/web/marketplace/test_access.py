"""Who sees what. Providers: public non-draft challenges, invitations, their own proposals, shares addressed
to them or to everyone — never a plan. Enterprise members: their own challenges (drafts too) and the proposals
made to them. Organisers: their programmes' challenges. Anyone else: 404, never 403."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404
from django.urls import reverse

from tests.web.conftest import client_for
from tests.web.marketplace.conftest import challenge_data, proposal_data
from wendao.web.accounts.models import User
from wendao.web.enterprises.models import PlanRecord
from wendao.web.marketplace import access, services
from wendao.web.marketplace.models import Challenge, Proposal, Provider
from wendao.web.programmes.models import Programme


def first_item(plan: PlanRecord) -> str:
    return str(plan.plan["items"][0]["scenario"])


def test_anonymous_visitors_see_nothing(published: Challenge, pete_co: Provider) -> None:
    from django.contrib.auth.models import AnonymousUser

    nobody = AnonymousUser()
    assert not access.challenges_for_user(nobody).exists()
    assert not access.providers_visible_to_user(nobody).exists()
    assert not access.proposals_for_user(nobody).exists()
    assert not access.shares_for_user(nobody).exists()
    response = client_for(None).get(reverse("marketplace:challenge", args=[published.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_provider_sees_a_public_challenge_but_not_a_draft(
    pete: User, pete_co: Provider, published: Challenge, alice: User, alice_co: Any
) -> None:
    draft = services.create_challenge(alice, alice_co, challenge_data(title="草稿"))
    client = client_for(pete)
    assert client.get(reverse("marketplace:challenge", args=[published.pk])).status_code == 200
    assert client.get(reverse("marketplace:challenge", args=[draft.pk])).status_code == 404
    with pytest.raises(Http404):
        access.get_challenge_for_user(pete, draft.pk)


def test_a_provider_sees_a_private_challenge_only_once_invited(
    alice: User, pete: User, pete_co: Provider, paula: User, paula_co: Provider, private: Challenge
) -> None:
    url = reverse("marketplace:challenge", args=[private.pk])
    assert client_for(pete).get(url).status_code == 404
    services.invite_provider(alice, private, pete_co)
    assert client_for(pete).get(url).status_code == 200
    assert client_for(paula).get(url).status_code == 404
    assert list(access.challenges_for_user(paula)) == []


def test_a_provider_can_never_open_a_plan(pete: User, pete_co: Provider, alice_plan: PlanRecord) -> None:
    client = client_for(pete)
    assert client.get(reverse("enterprises:plan", args=[alice_plan.pk])).status_code == 404
    item = reverse("marketplace:plan_item", args=[alice_plan.pk, first_item(alice_plan)])
    assert client.get(item).status_code == 404


def test_a_shared_item_shows_only_that_item_and_only_to_its_audience(
    alice: User, alice_plan: PlanRecord, pete: User, pete_co: Provider, paula: User, paula_co: Provider
) -> None:
    scenario = first_item(alice_plan)
    share = services.share_plan_item(alice, alice_plan, scenario, pete_co, "联系人：王工")
    url = reverse("marketplace:share", args=[share.pk])
    page = client_for(pete).get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "联系人：王工" in body
    enterprise = alice_plan.enterprise
    assert enterprise.name not in body  # never the enterprise unless it writes it in the note
    other_items = [i["name_zh"] for i in alice_plan.plan["items"][1:]]
    assert not any(name in body for name in other_items)
    assert client_for(paula).get(url).status_code == 404
    services.withdraw_share(alice, share)
    assert client_for(pete).get(url).status_code == 404


def test_a_public_share_reaches_every_provider(
    alice: User, alice_plan: PlanRecord, pete: User, pete_co: Provider, paula: User, paula_co: Provider
) -> None:
    share = services.share_plan_item(alice, alice_plan, first_item(alice_plan), None)
    assert access.get_share_for_user(paula, share.pk) == share
    assert access.get_share_for_user(pete, share.pk) == share


def test_another_enterprise_cannot_see_a_draft_or_a_published_challenge(
    bob: User, bob_co: Any, draft: Challenge, private: Challenge
) -> None:
    client = client_for(bob)
    for c in (draft, private):
        assert client.get(reverse("marketplace:challenge", args=[c.pk])).status_code == 404
        assert client.post(reverse("marketplace:challenge_transition", args=[c.pk, "cancel"])).status_code == 404
    assert not access.challenges_for_user(bob).exists()


def test_an_organiser_manages_only_their_programmes_challenges(
    olivia: User, oscar: User, programme: Programme, other_programme: Programme
) -> None:
    mine = services.create_challenge(olivia, programme, challenge_data(title="项目榜单"))
    assert client_for(olivia).get(reverse("marketplace:challenge", args=[mine.pk])).status_code == 200
    assert client_for(oscar).get(reverse("marketplace:challenge", args=[mine.pk])).status_code == 404
    assert (
        client_for(oscar).post(reverse("marketplace:challenge_transition", args=[mine.pk, "publish"])).status_code
        == 404
    )
    mine.refresh_from_db()
    assert mine.state == Challenge.State.DRAFT


def test_proposals_are_seen_by_their_provider_and_the_publisher_only(
    alice: User, bob: User, bob_co: Any, pete: User, pete_proposal: Proposal, paula: User, paula_co: Provider
) -> None:
    assert list(access.proposals_for_user(pete)) == [pete_proposal]
    assert list(access.proposals_for_user(alice)) == [pete_proposal]
    assert not access.proposals_for_user(paula).exists()
    assert not access.proposals_for_user(bob).exists()
    # another provider cannot withdraw it, another enterprise cannot shortlist it
    assert client_for(paula).post(reverse("marketplace:proposal_withdraw", args=[pete_proposal.pk])).status_code == 404
    assert client_for(bob).post(reverse("marketplace:proposal_shortlist", args=[pete_proposal.pk])).status_code == 404
    # the provider cannot act as the publisher
    assert client_for(pete).post(reverse("marketplace:proposal_award", args=[pete_proposal.pk])).status_code == 404


def test_a_provider_sees_the_challenges_it_proposed_to_after_visibility_narrows(
    alice: User, pete: User, pete_co: Provider, private: Challenge
) -> None:
    services.invite_provider(alice, private, pete_co)
    services.submit_proposal(pete, private, pete_co, proposal_data())
    private.invited.clear()
    assert access.get_challenge_for_user(pete, private.pk) == private


def test_an_unlisted_provider_is_visible_to_its_members_only(pete: User, pete_co: Provider, alice: User) -> None:
    services.save_provider(pete, {"listed": False} | {"name": pete_co.name}, provider=pete_co)
    assert client_for(alice).get(reverse("marketplace:provider", args=[pete_co.pk])).status_code == 404
    assert client_for(pete).get(reverse("marketplace:provider", args=[pete_co.pk])).status_code == 200


def test_a_provider_edits_only_its_own_profile(pete: User, paula: User, pete_co: Provider, alice: User) -> None:
    assert client_for(paula).get(reverse("marketplace:provider_edit", args=[pete_co.pk])).status_code == 404
    assert client_for(alice).get(reverse("marketplace:provider_edit", args=[pete_co.pk])).status_code == 404
    assert client_for(paula).get(reverse("marketplace:provider_demand", args=[pete_co.pk])).status_code == 404
    assert client_for(alice).get(reverse("marketplace:provider_new")).status_code == 404


def test_only_members_of_the_plans_enterprise_can_share_its_items(
    bob: User, bob_co: Any, alice_plan: PlanRecord, olivia: User
) -> None:
    url = reverse("marketplace:plan_item_share", args=[alice_plan.pk, first_item(alice_plan)])
    for user in (bob, olivia):
        assert client_for(user).post(url, {"audience": "public"}).status_code == 404
    assert not alice_plan.shared_items.exists()
