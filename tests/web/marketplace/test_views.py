"""The marketplace pages through the test client: forms name the field at fault and keep the input; illegal
transitions come back as a message (never a 500); the whole provider ↔ publisher loop works over HTTP."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tests.web.conftest import client_for
from tests.web.marketplace.conftest import challenge_data, in_days
from wendao.web.accounts.models import AuditEvent, User
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.marketplace.models import Challenge, Proposal, Provider, SharedItem
from wendao.web.programmes.models import Programme


def provider_form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "鲁视智能（测试）",
        "kind": "ai_firm",
        "description": "工业视觉缺陷检测",
        "scenario_ids": ["online_inspection", "ai_visual_inspection_small_model"],
        "industries": ["C34"],
        "regions": ["weifang"],
        "price_low": "30",
        "price_high": "120",
        "listed": "on",
        "cases-TOTAL_FORMS": "2",
        "cases-INITIAL_FORMS": "0",
        "cases-MIN_NUM_FORMS": "0",
        "cases-MAX_NUM_FORMS": "20",
        "cases-0-title": "齿轮外观检测",
        "cases-0-client_type": "民营企业",
        "cases-0-industry": "c34",
        "cases-0-result": "漏检率下降 80%",
        "cases-1-title": "",
    }
    return data | changes


def test_a_provider_without_a_profile_is_sent_to_create_one(pete: User) -> None:
    response = client_for(pete).get(reverse("marketplace:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("marketplace:provider_new")


def test_a_provider_creates_its_profile_with_reference_cases(pete: User) -> None:
    response = client_for(pete).post(reverse("marketplace:provider_new"), provider_form())
    provider = Provider.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("marketplace:provider", args=[provider.pk])
    assert list(provider.members.all()) == [pete]
    assert provider.scenario_ids == ["online_inspection", "ai_visual_inspection_small_model"]
    assert [(c.title, c.industry) for c in provider.cases.all()] == [("齿轮外观检测", "C34")]
    assert AuditEvent.objects.filter(action="provider.create", object_id=str(provider.pk)).exists()
    page = client_for(pete).get(reverse("marketplace:provider", args=[provider.pk])).content.decode()
    assert "在线智能检测" in page
    assert "齿轮外观检测" in page


def test_a_price_range_upside_down_is_an_error_on_the_field_and_keeps_the_input(pete: User) -> None:
    response = client_for(pete).post(reverse("marketplace:provider_new"), provider_form(price_low="200"))
    assert response.status_code == 422
    assert "报价下限不能高于上限" in response.content.decode()
    assert response.context["form"].errors["price_high"]
    assert response.context["form"]["name"].value() == "鲁视智能（测试）"
    assert not Provider.objects.exists()


def test_editing_replaces_cases_and_is_audited(pete: User, pete_co: Provider) -> None:
    client = client_for(pete)
    form = client.get(reverse("marketplace:provider_edit", args=[pete_co.pk]))
    assert form.status_code == 200
    assert "某汽车零部件厂外观检测" in form.content.decode()
    response = client.post(
        reverse("marketplace:provider_edit", args=[pete_co.pk]),
        provider_form(name=pete_co.name, **{"cases-0-title": "新案例"}),
    )
    assert response.status_code == 302
    assert [c.title for c in pete_co.cases.all()] == ["新案例"]
    event = AuditEvent.objects.filter(action="provider.update").get()
    assert event.changes["cases"] == ["新案例"]


def test_an_enterprise_member_publishes_a_challenge_through_the_pages(alice: User, alice_co: Enterprise) -> None:
    client = client_for(alice)
    assert client.get(reverse("marketplace:challenge_new")).status_code == 200
    data = challenge_data() | {"publisher": f"enterprise:{alice_co.pk}", "deadline": in_days(20).isoformat()}
    response = client.post(reverse("marketplace:challenge_new"), data)
    challenge = Challenge.objects.get()
    assert response["Location"] == reverse("marketplace:challenge", args=[challenge.pk])
    assert challenge.enterprise == alice_co
    assert challenge.state == Challenge.State.DRAFT
    client.post(reverse("marketplace:challenge_transition", args=[challenge.pk, "publish"]))
    challenge.refresh_from_db()
    assert challenge.state == Challenge.State.PUBLISHED


def test_a_deadline_in_the_past_is_a_field_error(alice: User, alice_co: Enterprise) -> None:
    data = challenge_data() | {"publisher": f"enterprise:{alice_co.pk}", "deadline": in_days(-3).isoformat()}
    response = client_for(alice).post(reverse("marketplace:challenge_new"), data)
    assert response.status_code == 422
    assert "截止日期必须晚于今天" in response.content.decode()
    assert response.context["form"]["title"].value() == data["title"]
    assert not Challenge.objects.exists()


def test_publishing_for_someone_elses_enterprise_is_not_possible(
    alice: User, alice_co: Enterprise, bob: User, bob_co: Enterprise
) -> None:
    data = challenge_data() | {"publisher": f"enterprise:{alice_co.pk}", "deadline": in_days(20).isoformat()}
    response = client_for(bob).post(reverse("marketplace:challenge_new"), data)
    assert response.status_code == 422
    assert response.context["form"].errors["publisher"]
    assert not Challenge.objects.exists()


def test_an_organiser_publishes_for_their_programme(olivia: User, programme: Programme) -> None:
    data = challenge_data() | {"publisher": f"programme:{programme.pk}", "deadline": in_days(20).isoformat()}
    client_for(olivia).post(reverse("marketplace:challenge_new"), data)
    assert Challenge.objects.get().programme == programme


def test_an_illegal_transition_is_a_message_not_an_error_page(alice: User, published: Challenge) -> None:
    client = client_for(alice)
    response = client.post(reverse("marketplace:challenge_transition", args=[published.pk, "publish"]), follow=True)
    assert response.status_code == 200
    assert "不允许" in response.content.decode()
    unknown = client.post(reverse("marketplace:challenge_transition", args=[published.pk, "explode"]), follow=True)
    assert unknown.status_code == 200
    assert "未知操作" in unknown.content.decode()


def test_provider_proposes_and_the_publisher_shortlists_and_awards(
    alice: User, pete: User, pete_co: Provider, published: Challenge
) -> None:
    provider_client, publisher = client_for(pete), client_for(alice)
    bad = provider_client.post(
        reverse("marketplace:proposal_submit", args=[published.pk]), {"approach": "方案", "price": "-1"}
    )
    assert bad.status_code == 422
    assert bad.context["proposal_form"].errors["price"]
    assert "方案" in bad.content.decode()
    provider_client.post(
        reverse("marketplace:proposal_submit", args=[published.pk]),
        {"approach": "工业相机 + 小样本模型", "price": "60", "duration_months": "4", "team": "5 人"},
    )
    proposal = Proposal.objects.get()
    page = publisher.get(reverse("marketplace:challenge", args=[published.pk])).content.decode()
    assert "工业相机 + 小样本模型" in page
    # shortlisting before the review stage: a message, nothing changes
    publisher.post(reverse("marketplace:proposal_shortlist", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.SUBMITTED
    publisher.post(reverse("marketplace:challenge_transition", args=[published.pk, "shortlist"]))
    publisher.post(reverse("marketplace:proposal_shortlist", args=[proposal.pk]))
    publisher.post(reverse("marketplace:proposal_award", args=[proposal.pk]))
    proposal.refresh_from_db()
    published.refresh_from_db()
    assert (proposal.state, published.state) == (Proposal.State.AWARDED, Challenge.State.AWARDED)
    mine = provider_client.get(reverse("marketplace:home")).content.decode()
    assert "中选" in mine


def test_a_provider_withdraws_its_proposal(pete: User, pete_proposal: Proposal) -> None:
    client_for(pete).post(reverse("marketplace:proposal_withdraw", args=[pete_proposal.pk]))
    pete_proposal.refresh_from_db()
    assert pete_proposal.state == Proposal.State.WITHDRAWN


def test_a_challenge_from_a_plan_item_is_prefilled(alice: User, alice_plan: PlanRecord) -> None:
    item = alice_plan.plan["items"][0]
    url = reverse("marketplace:challenge_new") + f"?plan={alice_plan.pk}&scenario={item['scenario']}"
    form = client_for(alice).get(url).context["form"]
    assert form.initial["scenario"] == item["scenario"]
    assert form.initial["budget"] == round(item["one_off"], 1)
    assert form.initial["publisher"] == f"enterprise:{alice_plan.enterprise_id}"


def test_a_member_shares_a_plan_item_and_withdraws_it(alice: User, alice_plan: PlanRecord, pete_co: Provider) -> None:
    scenario = alice_plan.plan["items"][0]["scenario"]
    client = client_for(alice)
    page = client.get(reverse("marketplace:plan_item", args=[alice_plan.pk, scenario]))
    assert page.status_code == 200
    bad = client.post(reverse("marketplace:plan_item_share", args=[alice_plan.pk, scenario]), {"audience": "9999"})
    assert bad.status_code == 422
    assert bad.context["form"].errors["audience"]
    client.post(reverse("marketplace:plan_item_share", args=[alice_plan.pk, scenario]), {"audience": str(pete_co.pk)})
    share = SharedItem.objects.get()
    assert share.provider == pete_co
    assert share.cost == round(alice_plan.plan["items"][0]["one_off"], 1)
    assert share.industry == alice_plan.enterprise.industry[:3]
    client.post(reverse("marketplace:share_withdraw", args=[share.pk]))
    share.refresh_from_db()
    assert not share.active
    assert [e.action for e in AuditEvent.objects.filter(object_type="marketplace.shareditem")] == [
        "share.withdraw",
        "share.create",
    ]


def test_an_item_not_on_the_roadmap_is_404(alice: User, alice_plan: PlanRecord) -> None:
    assert client_for(alice).get(reverse("marketplace:plan_item", args=[alice_plan.pk, "no_such"])).status_code == 404


def test_the_provider_directory_filters_by_scenario_and_region(
    alice: User, pete_co: Provider, paula_co: Provider
) -> None:
    client = client_for(alice)
    everyone = client.get(reverse("marketplace:providers")).context["providers"]
    assert {p.pk for p in everyone} == {pete_co.pk, paula_co.pk}
    vision = client.get(reverse("marketplace:providers"), {"scenario": "online_inspection"}).context["providers"]
    assert [p.pk for p in vision] == [pete_co.pk]
    zibo = client.get(reverse("marketplace:providers"), {"region": "zibo"}).context["providers"]
    assert [p.pk for p in zibo] == [paula_co.pk]


def test_scenario_names_follow_the_language(pete: User, pete_co: Provider) -> None:
    name_en = next(s.name_en for s in active_catalog().catalog.scenarios if s.id == "online_inspection")
    client = client_for(pete)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("marketplace:provider", args=[pete_co.pk])).content.decode()
    assert name_en in page


def test_the_plan_page_links_every_roadmap_item_to_the_marketplace(alice: User, alice_plan: PlanRecord) -> None:
    page = client_for(alice).get(reverse("enterprises:plan", args=[alice_plan.pk])).content.decode()
    for item in alice_plan.plan["items"]:
        assert reverse("marketplace:plan_item", args=[alice_plan.pk, item["scenario"]]) in page


def test_the_navigation_links_to_the_marketplace(pete: User, pete_co: Provider) -> None:
    page = client_for(pete).get(reverse("marketplace:provider", args=[pete_co.pk])).content.decode()
    assert 'id="nav-marketplace"' in page


def test_a_provider_page_names_its_industries_without_gb_codes(alice: User, pete: User, pete_co: Provider) -> None:
    client = client_for(alice)
    page = client.get(reverse("marketplace:provider", args=[pete_co.pk])).content.decode()
    assert "通用设备制造业、电气机械和器材制造业" in page  # the industries served (C34, C38)
    assert "<td>汽车制造业</td>" in page  # the reference case's industry (C36)
    for code in ("C34", "C36", "C38"):
        assert code not in page
    directory = client.get(reverse("marketplace:providers")).content.decode()
    assert '<option value="C34" >通用设备制造业</option>' in directory
    assert "C34 通用设备制造业" not in directory
    form = client_for(pete).get(reverse("marketplace:provider_edit", args=[pete_co.pk])).content.decode()
    assert "C34 通用设备制造业" not in form
    assert "通用设备制造业" in form
