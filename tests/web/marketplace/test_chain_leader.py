"""A chain leader (链主企业) pools one scenario's demand of the other firms of its industrial chain into one joint
challenge: it sees counts, never names, until a firm opts in; only a chain leader may; firms of another chain are
not invited."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.web.conftest import client_for, join, make_enterprise, make_user
from tests.web.marketplace.conftest import in_days
from wendao.web.accounts.models import AuditEvent
from wendao.web.enterprises import services as enterprise_services
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.marketplace import joint, services
from wendao.web.marketplace.models import ChainLeaderConfirmation, Challenge, JointMember
from wendao.web.programmes.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def stated(programme: Programme) -> dict[str, Any]:
    """A machine-tool firm that states it leads its chain and joined a programme, three planned machine-tool firms,
    one planned firm of another chain; nobody has confirmed the leadership yet."""
    leader_user = make_user("leader")
    leader = make_enterprise(leader_user, name="weifang_machinery", qualifications=["链主", "专精特新"])
    Enterprise.objects.filter(pk=leader.pk).update(name="潍坊某机床集团（测试）")
    leader.refresh_from_db()
    participant = join(programme, leader)
    users, firms = [], []
    for i in range(4):
        user = make_user(f"supplier{i}")
        firm = make_enterprise(user, name="weifang_machinery", **({"chain": "automotive"} if i == 3 else {}))
        Enterprise.objects.filter(pk=firm.pk).update(name=f"配套厂{i}（测试）")
        enterprise_services.create_plan(user, firm, enterprise_services.plan_options({}))
        users.append(user)
        firms.append(firm)
    scenario = PlanRecord.objects.filter(enterprise=firms[0]).first().plan["items"][0]["scenario"]  # type: ignore[union-attr]
    return {
        "leader_user": leader_user,
        "leader": leader,
        "users": users,
        "firms": firms,
        "scenario": scenario,
        "participant": participant,
        "programme": programme,
    }


@pytest.fixture
def chain(stated: dict[str, Any], olivia: Any) -> dict[str, Any]:
    """The same, with the programme's organiser having confirmed the leadership."""
    joint.confirm_chain_leader(olivia, stated["participant"])
    return stated


def test_the_chain_leader_sees_its_chains_demand_as_counts_only(chain: dict[str, Any]) -> None:
    leader = chain["leader"]
    assert joint.is_chain_leader(leader)
    cell = next(c for c in joint.chain_cells(leader) if c.scenario == chain["scenario"])
    assert cell.firms == 3  # the firm of another chain and the leader itself are not counted
    page = client_for(chain["leader_user"]).get(reverse("marketplace:chain_demand")).content.decode()
    assert "起草联合榜单" in page
    assert "配套厂" not in page


def test_a_chain_leader_drafts_a_joint_challenge_and_learns_a_name_only_after_opt_in(chain: dict[str, Any]) -> None:
    leader, scenario = chain["leader"], chain["scenario"]
    client = client_for(chain["leader_user"])
    form = client.get(reverse("marketplace:chain_new"), {"enterprise": leader.pk, "scenario": scenario})
    assert form.status_code == 200
    assert "3 家配套企业" in form.content.decode()
    data = {
        "enterprise": leader.pk,
        "scenario": scenario,
        "title": "机床产业链联合揭榜",
        "description": "链上三家配套企业共同的需求。",
        "budget": "90",
        "deadline": in_days(30).isoformat(),
    }
    response = client.post(reverse("marketplace:chain_new"), data)
    challenge = Challenge.objects.get(joint=True)
    assert response.status_code == 302
    assert (challenge.enterprise, challenge.chain, challenge.city) == (leader, leader.chain, "")
    invited = set(JointMember.objects.filter(challenge=challenge).values_list("enterprise", flat=True))
    assert invited == {f.pk for f in chain["firms"][:3]}
    assert AuditEvent.objects.filter(action="challenge.joint", object_id=str(challenge.pk)).exists()
    url = reverse("marketplace:challenge", args=[challenge.pk])
    assert "配套厂0" not in client.get(url).content.decode()
    member = JointMember.objects.get(challenge=challenge, enterprise=chain["firms"][0])
    joint.decide(chain["users"][0], member, join=True)
    page = client.get(url).content.decode()
    assert "配套厂0" in page
    assert "配套厂1" not in page
    # an invited firm sees the challenge and its own choice
    assert client_for(chain["users"][1]).get(url).status_code == 200
    assert client_for(chain["users"][3]).get(url).status_code == 404  # another chain: not invited


def test_only_a_chain_leader_may_pool_a_chain(chain: dict[str, Any]) -> None:
    supplier, firm = chain["users"][0], chain["firms"][0]
    assert client_for(supplier).get(reverse("marketplace:chain_demand")).status_code == 404
    query = {"enterprise": firm.pk, "scenario": chain["scenario"]}
    assert client_for(supplier).get(reverse("marketplace:chain_new"), query).status_code == 404
    # another user's chain-leader enterprise is not theirs to publish for
    query = {"enterprise": chain["leader"].pk, "scenario": chain["scenario"]}
    assert client_for(supplier).get(reverse("marketplace:chain_new"), query).status_code == 404
    with pytest.raises(services.MarketplaceError):
        joint.draft_chain_challenge(supplier, firm, chain["scenario"], {"title": "x", "description": "y"})


# --- the organiser confirms a stated chain leadership ---------------------------------------------------------


def _confirm(user: Any, stated: dict[str, Any], action: str = "confirm") -> Any:
    url = reverse("marketplace:chain_leader_confirmation", args=[stated["programme"].pk, stated["participant"].pk])
    return client_for(user).post(url, {"action": action})


def test_a_stated_chain_leader_sees_why_it_cannot_pool_and_no_counts(stated: dict[str, Any]) -> None:
    leader, client = stated["leader"], client_for(stated["leader_user"])
    assert joint.declares_chain_leader(leader)
    assert not joint.is_chain_leader(leader)
    page = client.get(reverse("marketplace:chain_demand")).content.decode()
    assert "须由您参加的培训项目的组织方确认" in page
    assert "起草联合榜单" not in page
    query = {"enterprise": leader.pk, "scenario": stated["scenario"]}
    assert client.get(reverse("marketplace:chain_new"), query).status_code == 404
    with pytest.raises(services.MarketplaceError):
        joint.draft_chain_challenge(
            stated["leader_user"], leader, stated["scenario"], {"title": "x", "description": "y"}
        )


def test_the_programmes_organiser_confirms_on_the_participant_page(stated: dict[str, Any], olivia: Any) -> None:
    url = reverse("programmes:participant", args=[stated["programme"].pk, stated["participant"].pk])
    page = client_for(olivia).get(url).content.decode()
    assert "该企业在档案中自称链主企业" in page
    assert 'id="chain-leader-confirm"' in page
    response = _confirm(olivia, stated)
    assert response.status_code == 302
    assert joint.is_chain_leader(stated["leader"])
    confirmation = ChainLeaderConfirmation.objects.get(enterprise=stated["leader"])
    assert (confirmation.confirmed_by, confirmation.programme) == (olivia, stated["programme"])
    assert AuditEvent.objects.filter(actor=olivia, action="chain_leader.confirm").exists()
    assert "已确认" in client_for(olivia).get(url).content.decode()
    page = client_for(stated["leader_user"]).get(reverse("marketplace:chain_demand")).content.decode()
    assert "起草联合榜单" in page
    _confirm(olivia, stated, "revoke")
    assert not joint.is_chain_leader(stated["leader"])
    assert AuditEvent.objects.filter(actor=olivia, action="chain_leader.revoke").exists()


def test_only_an_organiser_of_the_firms_programme_confirms(stated: dict[str, Any], oscar: Any) -> None:
    assert _confirm(oscar, stated).status_code == 404  # another programme's organiser
    assert _confirm(stated["leader_user"], stated).status_code == 404  # the firm itself
    assert not ChainLeaderConfirmation.objects.exists()


def test_a_firm_that_has_not_joined_or_does_not_state_it_is_not_confirmed(stated: dict[str, Any], olivia: Any) -> None:
    participant = stated["participant"]
    type(participant).objects.filter(pk=participant.pk).update(joined_at=None)
    participant.refresh_from_db()
    with pytest.raises(services.MarketplaceError, match="尚未接受项目邀请"):
        joint.confirm_chain_leader(olivia, participant)
    supplier = join(stated["programme"], stated["firms"][0])
    with pytest.raises(services.MarketplaceError, match="没有写明链主身份"):
        joint.confirm_chain_leader(olivia, supplier)
    assert not ChainLeaderConfirmation.objects.exists()


def test_a_confirmation_lapses_when_the_profile_names_another_chain(chain: dict[str, Any]) -> None:
    leader = chain["leader"]
    assert joint.is_chain_leader(leader)
    Enterprise.objects.filter(pk=leader.pk).update(chain="automotive")
    leader.refresh_from_db()
    assert not joint.is_chain_leader(leader)
