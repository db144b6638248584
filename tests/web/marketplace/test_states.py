"""The challenge and proposal state machines: every allowed path works and is audited; every other transition
is refused with a TransitionError (a clear message, the state unchanged)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.marketplace.conftest import challenge_data, in_days, proposal_data
from wendao.web.accounts.models import AuditEvent, User
from wendao.web.enterprises.models import Enterprise
from wendao.web.marketplace import services
from wendao.web.marketplace.models import Challenge, Proposal, Provider

S = Challenge.State
P = Proposal.State


def audit(obj: Any) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def force_state(challenge: Challenge, state: str) -> Challenge:
    # test setup only: reach every state directly to try every action from it
    Challenge.objects.filter(pk=challenge.pk).update(state=state)
    challenge.refresh_from_db()
    return challenge


def test_a_challenge_goes_from_draft_to_awarded_and_every_step_is_audited(
    alice: User, draft: Challenge, pete: User, pete_co: Provider, paula: User, paula_co: Provider
) -> None:
    assert draft.state == S.DRAFT
    services.transition_challenge(alice, draft, "publish")
    win = services.submit_proposal(pete, draft, pete_co, proposal_data())
    lose = services.submit_proposal(paula, draft, paula_co, proposal_data(price=90))
    services.transition_challenge(alice, draft, "shortlist")
    services.shortlist_proposal(alice, win)
    services.shortlist_proposal(alice, lose)
    services.award_proposal(alice, win)
    draft.refresh_from_db()
    win.refresh_from_db()
    lose.refresh_from_db()
    assert (draft.state, win.state, lose.state) == (S.AWARDED, P.AWARDED, P.NOT_SELECTED)
    assert audit(draft) == [
        "challenge.create",
        "challenge.publish",
        "challenge.shortlist",
        "challenge.award",
    ]
    assert audit(win) == ["proposal.submit", "proposal.shortlist", "proposal.award"]
    assert audit(lose) == ["proposal.submit", "proposal.shortlist", "proposal.not_selected"]
    assert AuditEvent.objects.filter(action="challenge.publish").get().actor == alice


ALLOWED = {(a, s) for a, (sources, _to) in services.CHALLENGE_TRANSITIONS.items() for s in sources}


@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("action", sorted(services.CHALLENGE_TRANSITIONS))
def test_only_the_listed_challenge_transitions_are_allowed(
    alice: User, draft: Challenge, state: str, action: str
) -> None:
    challenge = force_state(draft, state)
    before = AuditEvent.objects.count()
    if (action, state) in ALLOWED:
        services.transition_challenge(alice, challenge, action)
        challenge.refresh_from_db()
        assert challenge.state == services.CHALLENGE_TRANSITIONS[action][1]
        assert AuditEvent.objects.count() == before + 1
    else:
        with pytest.raises(services.TransitionError) as refused:
            services.transition_challenge(alice, challenge, action)
        assert "不允许" in refused.value.message
        assert refused.value.field == "state"
        challenge.refresh_from_db()
        assert challenge.state == state
        assert AuditEvent.objects.count() == before


def test_an_unknown_action_is_refused(alice: User, draft: Challenge) -> None:
    with pytest.raises(services.TransitionError):
        services.transition_challenge(alice, draft, "award")


def test_publishing_needs_a_deadline_in_the_future(alice: User, alice_co: Enterprise) -> None:
    past = services.create_challenge(alice, alice_co, challenge_data(deadline=in_days(0)))
    with pytest.raises(services.MarketplaceError) as refused:
        services.transition_challenge(alice, past, "publish")
    assert refused.value.field == "deadline"
    none = services.create_challenge(alice, alice_co, challenge_data(deadline=None))
    with pytest.raises(services.MarketplaceError):
        services.transition_challenge(alice, none, "publish")
    past.refresh_from_db()
    assert past.state == S.DRAFT


def test_a_challenge_needs_a_catalog_scenario_and_a_title(alice: User, alice_co: Enterprise) -> None:
    with pytest.raises(services.MarketplaceError) as bad:
        services.create_challenge(alice, alice_co, challenge_data(scenario="no_such_scenario"))
    assert bad.value.field == "scenario"
    with pytest.raises(services.MarketplaceError) as bad:
        services.create_challenge(alice, alice_co, challenge_data(title="  "))
    assert bad.value.field == "title"
    with pytest.raises(services.MarketplaceError) as bad:
        services.create_challenge(alice, alice_co, challenge_data(budget=-1))
    assert bad.value.field == "budget"
    assert not Challenge.objects.exists()


def test_only_drafts_can_be_edited(alice: User, published: Challenge) -> None:
    with pytest.raises(services.TransitionError):
        services.update_challenge(alice, published, {"budget": 1.0})
    published.refresh_from_db()
    assert published.budget == 80.0


def test_proposals_are_taken_only_while_the_challenge_is_published(
    alice: User, pete: User, pete_co: Provider, draft: Challenge
) -> None:
    with pytest.raises(services.TransitionError):
        services.submit_proposal(pete, draft, pete_co, proposal_data())
    services.transition_challenge(alice, draft, "publish")
    services.transition_challenge(alice, draft, "shortlist")
    with pytest.raises(services.TransitionError):
        services.submit_proposal(pete, draft, pete_co, proposal_data())
    assert not Proposal.objects.exists()


def test_a_proposal_after_the_deadline_is_refused(pete: User, pete_co: Provider, published: Challenge) -> None:
    Challenge.objects.filter(pk=published.pk).update(deadline=in_days(-1))
    published.refresh_from_db()
    with pytest.raises(services.MarketplaceError) as late:
        services.submit_proposal(pete, published, pete_co, proposal_data())
    assert late.value.field == "deadline"


def test_a_provider_submits_once_and_submitting_again_revises(
    pete: User, pete_co: Provider, published: Challenge
) -> None:
    first = services.submit_proposal(pete, published, pete_co, proposal_data())
    again = services.submit_proposal(pete, published, pete_co, proposal_data(price=55))
    assert first.pk == again.pk
    assert again.price == 55
    assert Proposal.objects.count() == 1
    assert audit(first) == ["proposal.submit", "proposal.revise"]


@pytest.mark.parametrize(
    ("field", "value"), [("approach", " "), ("price", -5), ("duration_months", 0), ("duration_months", 200)]
)
def test_a_proposal_with_bad_input_names_the_field(
    pete: User, pete_co: Provider, published: Challenge, field: str, value: Any
) -> None:
    with pytest.raises(services.MarketplaceError) as bad:
        services.submit_proposal(pete, published, pete_co, proposal_data(**{field: value}))
    assert bad.value.field == field


def test_a_withdrawn_proposal_can_be_resubmitted_while_published(
    pete: User, pete_proposal: Proposal, published: Challenge, pete_co: Provider
) -> None:
    services.withdraw_proposal(pete, pete_proposal)
    pete_proposal.refresh_from_db()
    assert pete_proposal.state == P.WITHDRAWN
    with pytest.raises(services.TransitionError):
        services.withdraw_proposal(pete, pete_proposal)
    again = services.submit_proposal(pete, published, pete_co, proposal_data())
    assert again.state == P.SUBMITTED


def test_shortlisting_needs_the_review_stage_and_a_submitted_proposal(
    alice: User, pete: User, pete_proposal: Proposal, published: Challenge
) -> None:
    with pytest.raises(services.TransitionError):
        services.shortlist_proposal(alice, pete_proposal)
    services.transition_challenge(alice, published, "shortlist")
    services.withdraw_proposal(pete, pete_proposal)
    with pytest.raises(services.TransitionError):
        services.shortlist_proposal(alice, pete_proposal)


def test_only_a_shortlisted_proposal_can_be_awarded_and_only_once(
    alice: User, pete_proposal: Proposal, published: Challenge, paula: User, paula_co: Provider
) -> None:
    other = services.submit_proposal(paula, published, paula_co, proposal_data())
    services.transition_challenge(alice, published, "shortlist")
    with pytest.raises(services.TransitionError):
        services.award_proposal(alice, pete_proposal)  # submitted, not shortlisted
    services.shortlist_proposal(alice, pete_proposal)
    services.shortlist_proposal(alice, other)
    services.award_proposal(alice, pete_proposal)
    with pytest.raises(services.TransitionError):
        services.award_proposal(alice, other)
    assert Proposal.objects.filter(state=P.AWARDED).count() == 1
    with pytest.raises(services.TransitionError):
        services.withdraw_proposal(paula, other)  # decided


def test_closing_or_cancelling_decides_every_open_proposal(
    alice: User, pete_proposal: Proposal, published: Challenge
) -> None:
    services.transition_challenge(alice, published, "close")
    pete_proposal.refresh_from_db()
    assert pete_proposal.state == P.NOT_SELECTED
    with pytest.raises(services.TransitionError):
        services.transition_challenge(alice, published, "cancel")


def test_invitations_are_refused_once_the_challenge_is_decided(
    alice: User, published: Challenge, pete_co: Provider
) -> None:
    assert services.invite_provider(alice, published, pete_co) is True
    assert services.invite_provider(alice, published, pete_co) is False
    services.transition_challenge(alice, published, "cancel")
    with pytest.raises(services.TransitionError):
        services.invite_provider(alice, published, pete_co)


def test_provider_profiles_are_validated(pete: User) -> None:
    from tests.web.marketplace.conftest import VISION

    for changes, field in [
        ({"price_low": 100.0, "price_high": 10.0}, "price_high"),
        ({"scenario_ids": ["nope"]}, "scenario_ids"),
        ({"industries": ["C99"]}, "industries"),
        ({"regions": ["atlantis"]}, "regions"),
        ({"name": ""}, "name"),
        ({"price_low": -1.0}, "price_low"),
    ]:
        with pytest.raises(services.MarketplaceError) as bad:
            services.save_provider(pete, VISION | changes)
        assert bad.value.field == field
    assert not Provider.objects.exists()
