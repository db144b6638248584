"""Joint challenges: an organiser pools one scenario's demand of a city's firms into one challenge; each firm
opts in before it counts; providers see how many firms joined and their industries, never a name."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.web.conftest import client_for, join, make_enterprise, make_user
from tests.web.marketplace.conftest import in_days
from wendao.web.accounts.models import AuditEvent, User
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises import services as enterprise_services
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.marketplace import joint, services
from wendao.web.marketplace.models import Challenge, JointMember, Provider
from wendao.web.programmes.models import Programme


@pytest.fixture
def cohort(olivia: User) -> dict[str, Any]:
    """Three Weifang machinery firms with plans in olivia's programme; a fourth firm that did not join."""
    programme = Programme.objects.create(name="2026 潍坊班")
    programme.organisers.add(olivia)
    members, firms = [], []
    for i in range(4):
        user = make_user(f"firm{i}")
        firm = make_enterprise(user, name="weifang_machinery")
        Enterprise.objects.filter(pk=firm.pk).update(name=f"潍坊某机械厂{i}（测试）")
        enterprise_services.create_plan(user, firm, enterprise_services.plan_options({}))
        if i < 3:
            join(programme, firm)
        members.append(user)
        firms.append(firm)
    scenario = PlanRecord.objects.filter(enterprise=firms[0]).first().plan["items"][0]["scenario"]  # type: ignore[union-attr]
    return {"programme": programme, "members": members, "firms": firms, "scenario": scenario}


def terms() -> dict[str, Any]:
    return {
        "title": "潍坊联合揭榜",
        "description": "三家企业共同的需求。",
        "requirements": "",
        "budget": 90.0,
        "deadline": in_days(30),
        "visibility": "public",
    }


def test_the_organiser_sees_city_by_scenario_demand_over_joined_firms_only(
    olivia: User, cohort: dict[str, Any]
) -> None:
    cells = joint.demand_cells(cohort["programme"])
    cell = next(c for c in cells if c.scenario == cohort["scenario"])
    assert (cell.city, cell.firms) == ("weifang", 3)  # the firm that did not join is not counted
    page = client_for(olivia).get(reverse("marketplace:joint_demand")).content.decode()
    assert "潍坊" in page
    assert "起草联合榜单" in page


def test_the_demand_cells_read_only_the_items_of_each_firms_newest_plan(olivia: User, cohort: dict[str, Any]) -> None:
    """A demo plan's JSON is about 700 KB: decoding every whole plan of 300 firms made the joint demand page take
    15 s. The cells read each firm's newest plan only, and of it only ``items``, in the database."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user, firm = cohort["members"][0], cohort["firms"][0]
    enterprise_services.create_plan(user, firm, enterprise_services.plan_options({"budget": 1.0}))  # a newer plan
    with CaptureQueriesContext(connection) as queries:
        cells = joint.demand_cells(cohort["programme"])
    # the column read whole; a key is read inside a function (SQLite: JSON_EXTRACT("…"."plan", …)) or with ->
    whole_plan = re.compile(r'(?<!\()"enterprises_planrecord"\."plan"(?!\s*->)')
    reads = [q["sql"] for q in queries.captured_queries if "planrecord" in q["sql"]]
    assert reads
    assert [q for q in reads if whole_plan.search(q)] == []
    newest = PlanRecord.objects.filter(enterprise=firm).order_by("-created_at", "-id").first()
    assert newest is not None
    scenarios = {item["scenario"] for item in newest.plan["items"]}
    assert {c.scenario for c in cells if c.firms == 3} <= scenarios  # the first firm counts by its newest plan


def test_a_joint_challenge_invites_the_cells_firms_and_is_published_only_after_two_opt_in(
    olivia: User, cohort: dict[str, Any]
) -> None:
    programme, scenario = cohort["programme"], cohort["scenario"]
    query = f"?programme={programme.pk}&scenario={scenario}&city=weifang"
    form = client_for(olivia).get(reverse("marketplace:joint_new") + query)
    assert form.status_code == 200
    assert "3 家企业" in form.content.decode()
    data = {
        "programme": programme.pk,
        "scenario": scenario,
        "city": "weifang",
        "title": "潍坊联合揭榜",
        "description": "三家企业共同的需求。",
        "budget": "90",
        "deadline": in_days(30).isoformat(),
    }
    response = client_for(olivia).post(reverse("marketplace:joint_new"), data)
    challenge = Challenge.objects.get(joint=True)
    assert response["Location"] == reverse("marketplace:challenge", args=[challenge.pk])
    assert (challenge.programme, challenge.city, challenge.scenario) == (programme, "weifang", scenario)
    assert set(challenge.joint_members.values_list("enterprise", flat=True)) == {f.pk for f in cohort["firms"][:3]}
    with pytest.raises(services.MarketplaceError, match="至少需要 2 家企业确认参与"):
        services.transition_challenge(olivia, challenge, "publish")
    first, second = cohort["members"][:2]
    for user in (first, second):
        member = JointMember.objects.get(challenge=challenge, enterprise__memberships__user=user)
        assert client_for(user).post(reverse("marketplace:joint_decide", args=[member.pk, "join"])).status_code == 302
    assert services.transition_challenge(olivia, challenge, "publish").state == "published"
    assert AuditEvent.objects.filter(action="joint.join").count() == 2


def test_a_provider_sees_how_many_firms_joined_by_industry_and_no_name(
    olivia: User, cohort: dict[str, Any], pete: User, pete_co: Provider
) -> None:
    challenge = joint.draft_joint_challenge(olivia, cohort["programme"], cohort["scenario"], "weifang", terms())
    for member in challenge.joint_members.all()[:2]:
        joint.decide(cohort["members"][0], member, True)
    services.transition_challenge(olivia, challenge, "publish")
    page = client_for(pete).get(reverse("marketplace:challenge", args=[challenge.pk])).content.decode()
    assert "已有 2 家企业确认参与（共邀请 3 家）" in page
    assert "通用设备制造业" in page
    assert "潍坊某机械厂" not in page


def test_an_invited_firm_sees_the_draft_and_its_choice_and_another_firm_does_not(
    olivia: User, cohort: dict[str, Any]
) -> None:
    challenge = joint.draft_joint_challenge(olivia, cohort["programme"], cohort["scenario"], "weifang", terms())
    invited, outsider = cohort["members"][0], cohort["members"][3]
    page = client_for(invited).get(reverse("marketplace:challenge", args=[challenge.pk])).content.decode()
    assert "确认参与" in page
    assert "潍坊某机械厂0（测试）" in page  # its own name, for its own choice
    assert "潍坊某机械厂1（测试）" not in page  # never the other invited firms
    assert client_for(outsider).get(reverse("marketplace:challenge", args=[challenge.pk])).status_code == 404
    member = challenge.joint_members.get(enterprise=cohort["firms"][0])
    url = reverse("marketplace:joint_decide", args=[member.pk, "join"])
    assert client_for(outsider).post(url).status_code == 404


def test_a_cell_with_too_few_firms_cannot_be_pooled(olivia: User, cohort: dict[str, Any]) -> None:
    with pytest.raises(services.MarketplaceError, match="不足 3 家"):
        joint.draft_joint_challenge(olivia, cohort["programme"], cohort["scenario"], "zibo", terms())


def test_another_organiser_cannot_draft_from_this_programmes_demand(oscar: User, cohort: dict[str, Any]) -> None:
    query = f"?programme={cohort['programme'].pk}&scenario={cohort['scenario']}&city=weifang"
    assert client_for(oscar).get(reverse("marketplace:joint_new") + query).status_code == 404


def test_a_joint_drafts_scenario_cannot_be_changed_after_the_firms_were_invited(
    olivia: User, cohort: dict[str, Any]
) -> None:
    challenge = joint.draft_joint_challenge(olivia, cohort["programme"], cohort["scenario"], "weifang", terms())
    other = "smart_warehousing" if cohort["scenario"] != "smart_warehousing" else "energy_management"
    with pytest.raises(services.MarketplaceError, match="不能修改"):
        services.update_challenge(olivia, challenge, {"scenario": other})
    assert services.update_challenge(olivia, challenge, {"title": "改名"}).title == "改名"


def test_the_joint_pages_read_in_english(olivia: User, cohort: dict[str, Any]) -> None:
    client = client_for(olivia)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("marketplace:joint_demand")).content.decode()
    assert "Draft a joint challenge" in page
    assert "起草联合榜单" not in page
    challenge = joint.draft_joint_challenge(olivia, cohort["programme"], cohort["scenario"], "weifang", terms())
    detail = client.get(reverse("marketplace:challenge", args=[challenge.pk])).content.decode()
    assert "0 firms have joined (3 invited)." in detail
    assert "Awaiting reply" in detail


def test_the_drafted_joint_challenge_names_city_and_scenario_in_the_readers_language(
    olivia: User, cohort: dict[str, Any]
) -> None:
    scenario = next(s for s in active_catalog().catalog.scenarios if s.id == cohort["scenario"])
    query = f"?programme={cohort['programme'].pk}&scenario={scenario.id}&city=weifang"
    client = client_for(olivia)
    client.cookies["django_language"] = "en"
    english = client.get(reverse("marketplace:joint_new") + query).context["form"].initial
    assert english["title"] == f"Weifang: joint challenge for {scenario.name_en} (3 firms)"
    assert f"3 firms of this programme in Weifang need “{scenario.name_en}”" in english["description"]
    chinese = client_for(olivia).get(reverse("marketplace:joint_new") + query).context["form"].initial
    assert chinese["title"] == f"潍坊{scenario.name_zh}联合揭榜（3 家企业）"
