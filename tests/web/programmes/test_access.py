"""Every programme view, every persona: the programme's organiser gets through; the organiser of another
programme, enterprise members and providers get 404; anonymous visitors go to the login page. And the
organiser rule in enterprises.access: read-only visibility of the enterprises of one's own programmes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.http import Http404
from django.urls import reverse

from tests.web.conftest import client_for, join
from wendao.web.enterprises import services as enterprise_services
from wendao.web.enterprises.access import (
    enterprises_for_user,
    get_enterprise_for_user,
    get_enterprise_for_viewer,
    get_plan_for_viewer,
    get_round_for_viewer,
)
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.programmes.access import get_programme_for_user
from wendao.web.programmes.models import DiscussionGroup, GroupMembership, Participant, Programme, Session

pytestmark = pytest.mark.django_db


@dataclass
class World:
    programme: Programme
    participant: Participant
    group: DiscussionGroup
    plan: PlanRecord


@dataclass(frozen=True)
class ViewCase:
    name: str
    method: str
    kwargs: Callable[[World], dict[str, Any]]
    data: Callable[[World], dict[str, Any]]
    organiser_status: int


def _p(w: World) -> dict[str, Any]:
    return {"pk": w.programme.pk}


def _pp(w: World) -> dict[str, Any]:
    return {"pk": w.programme.pk, "participant": w.participant.pk}


def _none(w: World) -> dict[str, Any]:
    return {}


VIEWS = [
    ViewCase("programmes:detail", "get", _p, _none, 200),
    ViewCase("programmes:reminders", "get", _p, _none, 200),
    ViewCase("programmes:participant", "get", _pp, _none, 200),
    ViewCase("programmes:participant_preferences", "post", _pp, _none, 302),
    ViewCase("programmes:import", "get", _p, _none, 200),
    ViewCase("programmes:import_template", "get", _p, _none, 200),
    ViewCase("programmes:invitations", "get", _p, _none, 200),
    ViewCase("programmes:invitations_export", "get", _p, _none, 200),
    ViewCase("programmes:groups", "get", _p, _none, 200),
    ViewCase("programmes:groups", "post", _p, lambda w: {"size": "50"}, 422),  # 1 participant: cannot group
    ViewCase(
        "programmes:group_move", "post", _p, lambda w: {"participant": w.participant.pk, "group": w.group.pk}, 200
    ),
    ViewCase("programmes:groups_export", "get", _p, _none, 200),
    ViewCase("programmes:visits", "get", _p, _none, 200),
    ViewCase("programmes:visits_allocate", "post", _p, _none, 302),
    ViewCase("programmes:visits_export", "get", _p, _none, 200),
]


@pytest.fixture
def world(alice: Any, alice_participant: Participant, programme: Programme) -> World:
    group = DiscussionGroup.objects.create(programme=programme, number=1)
    GroupMembership.objects.create(group=group, participant=alice_participant)
    Session.objects.create(programme=programme, kind=Session.Kind.SITE_VISIT, title="参观点A", capacity=10)
    plan = enterprise_services.create_plan(alice, alice_participant.enterprise, enterprise_services.plan_options({}))
    return World(programme, alice_participant, group, plan)


def _request(user: Any, case: ViewCase, w: World) -> Any:
    url = reverse(case.name, kwargs=case.kwargs(w))
    client = client_for(user)
    return client.get(url) if case.method == "get" else client.post(url, case.data(w))


@pytest.mark.parametrize("case", VIEWS, ids=lambda c: f"{c.method}-{c.name}")
def test_the_programmes_organiser_reaches_the_view(case: ViewCase, olivia: Any, world: World) -> None:
    assert _request(olivia, case, world).status_code == case.organiser_status


@pytest.mark.parametrize("case", VIEWS, ids=lambda c: f"{c.method}-{c.name}")
@pytest.mark.parametrize("persona", ["oscar", "alice", "bob", "pete"])
def test_everyone_else_gets_404(case: ViewCase, persona: str, request: Any, world: World, other_programme: Any) -> None:
    user = request.getfixturevalue(persona)
    assert _request(user, case, world).status_code == 404


@pytest.mark.parametrize("case", VIEWS, ids=lambda c: f"{c.method}-{c.name}")
def test_anonymous_is_sent_to_login(case: ViewCase, world: World) -> None:
    response = _request(None, case, world)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_programme_list_shows_only_ones_own_programmes(
    olivia: Any, oscar: Any, programme: Programme, other_programme: Programme
) -> None:
    text = client_for(olivia).get(reverse("programmes:list")).content.decode()
    assert programme.name in text
    assert other_programme.name not in text
    assert client_for(oscar).get(reverse("programmes:list")).status_code == 200


@pytest.mark.parametrize("persona", ["alice", "pete"])
def test_the_programme_list_is_404_for_non_organisers(persona: str, request: Any) -> None:
    assert client_for(request.getfixturevalue(persona)).get(reverse("programmes:list")).status_code == 404


def test_a_participant_of_another_programme_is_404_even_for_an_organiser(
    olivia: Any, world: World, other_programme: Programme, bob_co: Enterprise
) -> None:
    stranger = join(other_programme, bob_co)
    url = reverse("programmes:participant", kwargs={"pk": world.programme.pk, "participant": stranger.pk})
    assert client_for(olivia).get(url).status_code == 404
    url = reverse(
        "programmes:participant_plan",
        kwargs={"pk": world.programme.pk, "participant": world.participant.pk, "plan": world.plan.pk},
    )
    assert client_for(olivia).get(url).status_code == 200


# --- the organiser rule in enterprises.access ------------------------------------------------------------------


def test_member_views_and_edits_their_enterprise(alice: Any, world: World) -> None:
    enterprise = world.participant.enterprise
    assert get_enterprise_for_viewer(alice, enterprise.pk) == enterprise
    assert get_enterprise_for_user(alice, enterprise.pk) == enterprise
    assert get_plan_for_viewer(alice, world.plan.pk) == world.plan


def test_organiser_of_the_programme_may_view_but_not_edit(olivia: Any, world: World) -> None:
    enterprise = world.participant.enterprise
    assert get_enterprise_for_viewer(olivia, enterprise.pk) == enterprise
    assert get_round_for_viewer(olivia, enterprise.pk, 0).enterprise == enterprise
    assert get_plan_for_viewer(olivia, world.plan.pk) == world.plan
    assert enterprise not in enterprises_for_user(olivia)  # the write helpers stay member-only
    with pytest.raises(Http404):
        get_enterprise_for_user(olivia, enterprise.pk)
    assert get_programme_for_user(olivia, world.programme.pk) == world.programme


def test_the_enterprise_views_stay_closed_to_the_organiser(olivia: Any, world: World) -> None:
    pk = world.participant.enterprise.pk
    for name in ("enterprises:profile", "enterprises:detail"):
        assert client_for(olivia).get(reverse(name, kwargs={"pk": pk})).status_code == 404
    assert client_for(olivia).post(reverse("enterprises:plan_new", kwargs={"pk": pk})).status_code == 404


@pytest.mark.parametrize("persona", ["oscar", "bob", "pete"])
def test_others_cannot_view(persona: str, request: Any, world: World, other_programme: Programme) -> None:
    user = request.getfixturevalue(persona)
    enterprise = world.participant.enterprise
    for fetch in (
        lambda: get_enterprise_for_viewer(user, enterprise.pk),
        lambda: get_round_for_viewer(user, enterprise.pk, 0),
        lambda: get_plan_for_viewer(user, world.plan.pk),
        lambda: get_programme_for_user(user, world.programme.pk),
    ):
        with pytest.raises(Http404):
            fetch()


def test_anonymous_and_inactive_organisers_cannot_view(olivia: Any, world: World) -> None:
    from django.contrib.auth.models import AnonymousUser

    enterprise = world.participant.enterprise
    with pytest.raises(Http404):
        get_enterprise_for_viewer(AnonymousUser(), enterprise.pk)
    olivia.is_active = False
    olivia.save()
    with pytest.raises(Http404):
        get_enterprise_for_viewer(olivia, enterprise.pk)
    with pytest.raises(Http404):
        get_programme_for_user(olivia, world.programme.pk)
