"""A step committed in the evening group workspace that names a scenario pins it in the enterprise's next plan,
with the consent of a member of that enterprise, and the plan's choices say where the pin came from."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.web.conftest import client_for, make_user
from wendao.engine.needs import ChoiceError
from wendao.web.accounts.models import User
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises import services as enterprise_services
from wendao.web.programmes import pins, workspace
from wendao.web.programmes.models import Commitment, DiscussionGroup, GroupMembership, Participant, Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(programme: Programme, alice_participant: Participant) -> DiscussionGroup:
    g = DiscussionGroup.objects.create(programme=programme, number=1, round=3, facilitator=make_user("fay"))
    GroupMembership.objects.create(group=g, participant=alice_participant)
    return g


def _first_item(alice: User, alice_participant: Participant) -> str:
    plan = enterprise_services.create_plan(alice, alice_participant.enterprise, enterprise_services.plan_options({}))
    return str(plan.plan["items"][0]["scenario"])


def test_a_step_naming_a_scenario_that_a_member_pins_is_in_the_next_plans_choices(
    alice: User, alice_participant: Participant, group: DiscussionGroup
) -> None:
    sid = _first_item(alice, alice_participant)
    client = client_for(alice)
    saved = client.post(
        reverse("programmes:workspace_steps", kwargs={"group": group.pk}),
        {"step_1": "先试点", "scenario_1": sid, "pin_1": "on", "step_2": "再推广"},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200
    row = Commitment.objects.get(participant=alice_participant, position=1)
    assert (row.scenario, row.pinned_by) == (sid, alice)
    assert Commitment.objects.get(participant=alice_participant, position=2).pinned_at is None
    board = client.get(reverse("programmes:workspace_board", kwargs={"group": group.pk})).content.decode()
    assert "同意在下一份规划中固定纳入" in board
    assert active_catalog().catalog.scenario(sid).name_zh in board

    plan = enterprise_services.create_plan(alice, alice_participant.enterprise, enterprise_services.plan_options({}))
    assert sid in plan.options["pin"]
    assert plan.options["committed"] == [sid]
    assert [c["scenario"] for c in plan.plan["choices"]["items"] if c["action"] == "pin"][:1] == [sid]
    page = client.get(reverse("enterprises:plan", kwargs={"pk": plan.pk})).content.decode()
    assert "小组讨论中承诺的前三步，经本企业成员同意" in page


def test_a_pin_keeps_its_first_consent_when_the_steps_are_saved_again(
    alice: User, alice_participant: Participant, group: DiscussionGroup
) -> None:
    sid = active_catalog().catalog.scenarios[0].id
    loaded = active_catalog()
    workspace.commit_steps(alice, alice_participant, ["试点"], [sid], [True], loaded)
    first = Commitment.objects.get(participant=alice_participant).pinned_at
    workspace.commit_steps(alice, alice_participant, ["试点（改写）"], [sid], [True], loaded)
    assert Commitment.objects.get(participant=alice_participant).pinned_at == first
    workspace.commit_steps(alice, alice_participant, ["试点（改写）"], [sid], [False], loaded)
    assert pins.committed_pins(alice_participant.enterprise) == []


def test_only_a_member_of_the_enterprise_can_consent_and_a_pin_needs_a_known_scenario(
    alice_participant: Participant, group: DiscussionGroup
) -> None:
    loaded = active_catalog()
    sid = loaded.catalog.scenarios[0].id
    with pytest.raises(workspace.WorkspaceError):
        workspace.commit_steps(group.facilitator, alice_participant, ["试点"], [sid], [True], loaded)
    with pytest.raises(workspace.WorkspaceError):
        workspace.commit_steps(alice_participant.enterprise.memberships.get().user, alice_participant,
                               ["试点"], ["no_such_scenario"], [False], loaded)  # fmt: skip
    with pytest.raises(workspace.WorkspaceError):
        workspace.commit_steps(alice_participant.enterprise.memberships.get().user, alice_participant,
                               ["试点"], [""], [True], loaded)  # fmt: skip
    assert not Commitment.objects.filter(participant=alice_participant).exists()


def test_the_enterprises_own_drop_wins_over_a_commitment(
    alice: User, alice_participant: Participant, group: DiscussionGroup
) -> None:
    sid = _first_item(alice, alice_participant)
    workspace.commit_steps(alice, alice_participant, ["试点"], [sid], [True], active_catalog())
    plan = enterprise_services.create_plan(
        alice, alice_participant.enterprise, enterprise_services.plan_options({"drop": [sid]})
    )
    assert sid not in plan.options.get("pin", [])
    assert sid not in [i["scenario"] for i in plan.plan["items"]]


def test_a_commitment_the_roadmap_cannot_hold_never_blocks_the_plan_and_the_plan_says_why(
    alice: User, alice_participant: Participant, group: DiscussionGroup
) -> None:
    loaded = active_catalog()
    refused = None
    for s in loaded.catalog.scenarios:
        try:
            enterprise_services.create_plan(
                alice, alice_participant.enterprise, enterprise_services.plan_options({"pin": [s.id]})
            )
        except ChoiceError:
            refused = s.id
            break
    assert refused is not None, "some scenario cannot be pinned for this firm"
    workspace.commit_steps(alice, alice_participant, ["试点"], [refused], [True], loaded)
    plan = enterprise_services.create_plan(alice, alice_participant.enterprise, enterprise_services.plan_options({}))
    assert plan.options["committed_refused"] == [refused]
    assert plan.options["committed_why_zh"]
    assert refused not in plan.options.get("pin", [])
    page: Any = client_for(alice).get(reverse("enterprises:plan", kwargs={"pk": plan.pk})).content.decode()
    assert 'id="committed-refused"' in page
