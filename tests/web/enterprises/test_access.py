"""Every view, every persona: the member gets through; another enterprise's member and the organiser get 404
(never 403, which would confirm the object exists); anonymous visitors are sent to the login page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.http import Http404
from django.urls import reverse

from tests.web.conftest import client_for, make_enterprise
from wendao.web.enterprises.access import get_enterprise_for_user, get_plan_for_user, get_round_for_user
from wendao.web.enterprises.models import Enterprise, PlanRecord


@dataclass(frozen=True)
class ViewCase:
    name: str
    method: str
    kwargs: Callable[[Enterprise, PlanRecord], dict[str, Any]]
    data: dict[str, Any]
    member_status: tuple[int, ...]


def _e(e: Enterprise, p: PlanRecord) -> dict[str, Any]:
    return {"pk": e.pk}


def _r(e: Enterprise, p: PlanRecord) -> dict[str, Any]:
    return {"pk": e.pk, "number": 0}


VIEWS = [
    ViewCase("enterprises:detail", "get", _e, {}, (200,)),
    ViewCase("enterprises:profile", "get", _e, {}, (200,)),
    ViewCase("enterprises:assessment", "get", _e, {}, (302,)),
    ViewCase("enterprises:reassess", "post", _e, {}, (302,)),
    ViewCase("enterprises:results", "get", _r, {}, (200,)),
    ViewCase("enterprises:step", "get", lambda e, p: {"pk": e.pk, "number": 0, "step": 1}, {}, (302,)),
    ViewCase(
        "enterprises:answer",
        "post",
        lambda e, p: {"pk": e.pk, "number": 0, "question": "STR1"},
        {"value": "full"},
        (200, 422),
    ),
    ViewCase("enterprises:complete", "post", _r, {}, (302,)),
    ViewCase("enterprises:plan_new", "post", _e, {}, (302,)),
    ViewCase("enterprises:plan", "get", lambda e, p: {"pk": p.pk}, {}, (200,)),
    ViewCase(
        "enterprises:plan_whatif", "post", lambda e, p: {"pk": p.pk}, {"budget": "80", "objective": "npv"}, (200,)
    ),
    ViewCase("enterprises:plan_download", "get", lambda e, p: {"pk": p.pk, "fmt": "json"}, {}, (200,)),
]


def _request(user: Any, case: ViewCase, enterprise: Enterprise, plan: PlanRecord) -> Any:
    url = reverse(case.name, kwargs=case.kwargs(enterprise, plan))
    client = client_for(user)
    return client.get(url) if case.method == "get" else client.post(url, case.data)


@pytest.mark.django_db
@pytest.mark.parametrize("case", VIEWS, ids=lambda c: c.name)
def test_member_reaches_the_view(case: ViewCase, alice: Any, alice_co: Enterprise, alice_plan: PlanRecord) -> None:
    response = _request(alice, case, alice_co, alice_plan)
    assert response.status_code in case.member_status


@pytest.mark.django_db
@pytest.mark.parametrize("case", VIEWS, ids=lambda c: c.name)
def test_other_enterprise_member_gets_404(
    case: ViewCase, bob: Any, bob_co: Enterprise, alice_co: Enterprise, alice_plan: PlanRecord
) -> None:
    assert _request(bob, case, alice_co, alice_plan).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("case", VIEWS, ids=lambda c: c.name)
def test_organiser_gets_404_for_an_enterprise_view(
    case: ViewCase, olivia: Any, alice_co: Enterprise, alice_plan: PlanRecord
) -> None:
    assert _request(olivia, case, alice_co, alice_plan).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("case", VIEWS, ids=lambda c: c.name)
def test_anonymous_is_sent_to_login(case: ViewCase, alice_co: Enterprise, alice_plan: PlanRecord) -> None:
    response = _request(None, case, alice_co, alice_plan)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_anonymous_home_and_new_go_to_login() -> None:
    for name in ("enterprises:home", "enterprises:new"):
        response = client_for(None).get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_home_sends_a_member_to_their_enterprise(alice: Any, alice_co: Enterprise) -> None:
    response = client_for(alice).get(reverse("enterprises:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:detail", kwargs={"pk": alice_co.pk})


@pytest.mark.django_db
def test_organiser_home_shows_only_aggregates(olivia: Any, alice_co: Enterprise, bob_co: Enterprise) -> None:
    response = client_for(olivia).get(reverse("enterprises:home"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "项目总览" in text
    assert alice_co.name not in text
    assert bob_co.name not in text


def test_access_helpers_raise_404_not_403(alice: Any, bob: Any, alice_co: Enterprise, alice_plan: PlanRecord) -> None:
    assert get_enterprise_for_user(alice, alice_co.pk) == alice_co
    assert get_plan_for_user(alice, alice_plan.pk) == alice_plan
    assert get_round_for_user(alice, alice_co.pk, 0).enterprise == alice_co
    for fetch in (
        lambda: get_enterprise_for_user(bob, alice_co.pk),
        lambda: get_plan_for_user(bob, alice_plan.pk),
        lambda: get_round_for_user(bob, alice_co.pk, 0),
        lambda: get_enterprise_for_user(alice, 999_999),
    ):
        with pytest.raises(Http404):
            fetch()


def test_inactive_member_loses_access(alice: Any, alice_co: Enterprise) -> None:
    alice.is_active = False
    alice.save()
    with pytest.raises(Http404):
        get_enterprise_for_user(alice, alice_co.pk)


def test_a_second_member_of_the_same_enterprise_sees_it(alice_co: Enterprise, bob: Any) -> None:
    from wendao.web.enterprises.models import Membership

    Membership.objects.create(user=bob, enterprise=alice_co)
    assert get_enterprise_for_user(bob, alice_co.pk) == alice_co
    assert make_enterprise(None, complete=False) not in set(Enterprise.objects.filter(memberships__user=bob))


@pytest.mark.django_db
def test_organiser_home_counts_only_their_joined_firms_and_hides_a_mean_of_one(
    oscar: Any, olivia: Any, alice_participant: Any, bob_co: Enterprise
) -> None:
    """An organiser of another (empty) programme once saw every city's mean score over the whole platform: a
    city with one assessed firm showed that firm's score."""
    stranger = client_for(oscar).get(reverse("enterprises:home")).content.decode()
    assert f"{alice_participant.enterprise.rounds.get(current=True).overall:.1f}" not in stranger
    assert "共 0 家企业参加" in stranger
    own = client_for(olivia).get(reverse("enterprises:home"))
    assert own.context["total"] == 1  # alice's joined firm; bob's firm joined no programme of olivia's
    assert [r["mean"] for r in own.context["rows"]] == [None]  # one firm: below the smallest cell shown
