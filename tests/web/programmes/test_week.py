"""My week: a participant sees their own timetable, group, visits and plan status, and nobody else's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tests.web.conftest import client_for, join, make_enterprise, make_user
from wendao.web.accounts.models import User
from wendao.web.enterprises import services as enterprise_services
from wendao.web.enterprises.models import Enterprise
from wendao.web.programmes import week
from wendao.web.programmes.models import (
    DiscussionGroup,
    GroupMembership,
    Participant,
    Programme,
    Session,
    VisitAssignment,
    VisitPreference,
)

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 6, 1)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(hour, minute)))


@pytest.fixture
def cohort(programme: Programme, alice_participant: Participant, bob: User, bob_co: Enterprise) -> dict[str, Any]:
    bob_p = join(programme, bob_co, contact_name="李强", phone="13900000002", share_phone=True)
    carol_co = make_enterprise(make_user("carol"), "zibo_chemical")
    carol_p = Participant.objects.create(programme=programme, enterprise=carol_co, contact_name="未接受")  # pending
    one, two = (DiscussionGroup.objects.create(programme=programme, number=n) for n in (1, 2))
    for p, g in ((alice_participant, one), (bob_p, one), (carol_p, one)):
        GroupMembership.objects.create(group=g, participant=p)
    sessions = {
        "opening": Session.objects.create(programme=programme, kind="plenary", title="开班式", starts_at=at(0, 9)),
        "lecture": Session.objects.create(
            programme=programme, kind="lecture", title="AI 赋能制造", starts_at=at(0, 10), ends_at=at(0, 12),
            location="报告厅", host="某教授",
        ),
        "evening1": Session.objects.create(programme=programme, kind="discussion", title="第一组研讨", starts_at=at(0, 19)),
        "evening2": Session.objects.create(programme=programme, kind="discussion", title="第二组研讨", starts_at=at(0, 19)),
        "visit_a": Session.objects.create(
            programme=programme, kind="site_visit", title="参观A", starts_at=at(1, 9), location="济南", capacity=10
        ),
        "visit_b": Session.objects.create(programme=programme, kind="site_visit", title="参观B", starts_at=at(1, 9), capacity=10),
    }  # fmt: skip
    sessions["evening1"].groups.add(one)
    sessions["evening2"].groups.add(two)
    VisitAssignment.objects.create(participant=alice_participant, session=sessions["visit_a"], rank=1)
    return {"bob": bob_p, "carol": carol_p, "group": one, "other_group": two, **sessions}


def test_a_participants_week_holds_the_sessions_for_all_their_groups_evening_and_their_own_visit_only(
    alice_participant: Participant, cohort: dict[str, Any]
) -> None:
    titles = [s.title for s in week.sessions_for(alice_participant)]
    assert titles == ["开班式", "AI 赋能制造", "第一组研讨", "参观A"]


def test_my_week_names_today_and_the_next_session_and_groups_sessions_by_day(
    alice_participant: Participant, cohort: dict[str, Any]
) -> None:
    w = week.my_week(alice_participant, now=at(0, 11))
    assert [s.title for s in w.today] == ["开班式", "AI 赋能制造", "第一组研讨"]
    assert w.next == cohort["lecture"]  # under way until 12:00
    assert [d.date for d in w.days] == [MONDAY, MONDAY + dt.timedelta(days=1)]
    assert w.group == cohort["group"]


def test_a_session_under_way_is_marked_as_running_and_a_later_one_as_next(
    alice_participant: Participant, cohort: dict[str, Any]
) -> None:
    """At 20:40 the demo's 19:00–21:00 evening discussion was badged 下一项 ("next") while the room was in it."""
    during = week.my_week(alice_participant, now=at(0, 11))  # the lecture runs 10:00–12:00
    before = week.my_week(alice_participant, now=at(0, 9, 30))

    def badge(w: week.Week) -> str:
        html = render_to_string("programmes/_session.html", {"s": w.next, "week": w})
        return html.split('class="badge">', 1)[1].split("<", 1)[0]

    assert (during.next, during.under_way, badge(during)) == (cohort["lecture"], True, "正在进行")
    assert (before.next, before.under_way, badge(before)) == (cohort["lecture"], False, "下一项")


def test_group_members_show_only_joined_members_and_only_the_phones_they_chose_to_share(
    alice_participant: Participant, cohort: dict[str, Any]
) -> None:
    members = week.my_week(alice_participant, now=at(0, 8)).members
    assert [m.firm for m in members] == sorted(m.firm for m in members)
    by_name = {m.name: m for m in members}
    assert set(by_name) == {"王丽", "李强"}  # the firm that has not accepted is not shown to the group
    assert by_name["李强"].phone == "13900000002"
    assert by_name["王丽"].phone == ""  # alice did not agree to share hers
    assert by_name["王丽"].me
    assert not by_name["李强"].me


def test_the_next_thing_to_do_follows_the_plan_and_a_final_plan_counts_once_marked(
    alice: User, alice_participant: Participant, cohort: dict[str, Any]
) -> None:
    assert week.plan_status(alice_participant).action == "plan"
    plan = enterprise_services.create_plan(alice, alice_participant.enterprise, enterprise_services.plan_options({}))
    assert week.plan_status(alice_participant).action == "group"
    alice_participant.commitments.create(position=1, text="先上设备联网")
    assert week.plan_status(alice_participant).action == "final"
    week.mark_final(alice, alice_participant, plan)
    alice_participant.refresh_from_db()
    assert (alice_participant.final_plan, week.plan_status(alice_participant).action) == (plan, "done")


def test_a_plan_of_another_enterprise_cannot_be_marked_final(
    alice: User, bob: User, alice_participant: Participant, cohort: dict[str, Any]
) -> None:
    bobs = enterprise_services.create_plan(bob, cohort["bob"].enterprise, enterprise_services.plan_options({}))
    with pytest.raises(week.FinalError):
        week.mark_final(alice, alice_participant, bobs)


# --- pages ------------------------------------------------------------------------------------------------------


def test_my_week_page_shows_the_group_visits_and_timetable_escaped(
    alice: User, alice_participant: Participant, cohort: dict[str, Any]
) -> None:
    cohort["lecture"].title = "<script>alert(1)</script>"
    cohort["lecture"].save()
    page = client_for(alice).get(reverse("programmes:my_week", kwargs={"participant": alice_participant.pk}))
    body = page.content.decode()
    assert page.status_code == 200
    assert "李强" in body
    assert "13900000002" in body
    assert "未接受" not in body
    assert "参观A" in body
    assert "参观B" in body
    assert "第二组研讨" not in body
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_the_only_participation_opens_at_once_and_accepting_an_invitation_lands_on_my_week(
    alice: User, alice_participant: Participant
) -> None:
    response = client_for(alice).get(reverse("programmes:my_programmes"))
    assert response["Location"] == reverse("programmes:my_week", kwargs={"participant": alice_participant.pk})
    detail = client_for(alice).get(reverse("enterprises:detail", kwargs={"pk": alice_participant.enterprise_id}))
    assert reverse("programmes:my_week", kwargs={"participant": alice_participant.pk}) in detail.content.decode()


def test_a_participant_sets_visit_preferences_the_allocation_reads(
    alice: User, alice_participant: Participant, cohort: dict[str, Any]
) -> None:
    url = reverse("programmes:my_preferences", kwargs={"participant": alice_participant.pk})
    a, b = cohort["visit_a"], cohort["visit_b"]
    assert client_for(alice).post(url, {"choice_1": str(b.pk), "choice_2": str(a.pk)}).status_code == 302
    ranked = list(VisitPreference.objects.filter(participant=alice_participant).values_list("session__title", "rank"))
    assert ranked == [("参观B", 1), ("参观A", 2)]
    twice = client_for(alice).post(url, {"choice_1": str(a.pk), "choice_2": str(a.pk)})
    assert twice.status_code == 422
    assert "每个参观点只能选一次" in twice.content.decode()
    assert VisitPreference.objects.filter(participant=alice_participant).count() == 2  # nothing lost


def test_sharing_and_final_are_saved_from_my_week(
    alice: User, alice_participant: Participant, cohort: dict[str, Any]
) -> None:
    plan = enterprise_services.create_plan(alice, alice_participant.enterprise, enterprise_services.plan_options({}))
    client = client_for(alice)
    client.post(reverse("programmes:my_sharing", kwargs={"participant": alice_participant.pk}), {"share_phone": "on"})
    client.post(reverse("programmes:my_final", kwargs={"participant": alice_participant.pk}), {"plan": str(plan.pk)})
    alice_participant.refresh_from_db()
    assert alice_participant.share_phone
    assert not alice_participant.share_plan
    assert alice_participant.final_plan == plan


@pytest.mark.parametrize("who", ["bob_other_programme", "olivia", "pending_contact", "anonymous"])
def test_nobody_else_reaches_a_participants_week(
    who: str, alice_participant: Participant, olivia: User, other_programme: Programme
) -> None:
    users = {
        "bob_other_programme": make_user("dan"),
        "olivia": olivia,  # the organiser reads the firm's data on the organiser pages, never acts as it
        "pending_contact": make_user("erin"),
        "anonymous": None,
    }
    user = users[who]
    if who == "bob_other_programme":
        join(other_programme, make_enterprise(user))
    if who == "pending_contact":
        Participant.objects.create(programme=alice_participant.programme, enterprise=make_enterprise(user))
    client = client_for(user)
    for name in ("my_week", "my_preferences", "my_sharing", "my_final"):
        url = reverse(f"programmes:{name}", kwargs={"participant": alice_participant.pk})
        response = client.get(url) if name == "my_week" else client.post(url, {"plan": ""})
        expected = 302 if user is None else 404
        assert response.status_code == expected, name


# --- the last day -------------------------------------------------------------------------------------------------


def test_the_one_page_summary_holds_the_problem_the_final_plan_and_the_steps(
    alice: User, alice_participant: Participant, cohort: dict[str, Any]
) -> None:
    plan = enterprise_services.create_plan(alice, alice_participant.enterprise, enterprise_services.plan_options({}))
    alice_participant.commitments.create(position=1, text="盘点设备")
    week.mark_final(alice, alice_participant, plan)
    page = week.one_page(alice_participant)
    assert page.problem == alice_participant.enterprise.profile["pain_points"][0]  # not stated yet: the profile's
    assert page.summary.plan_id == plan.pk
    assert page.steps == ["盘点设备"]
    assert page.final
    body = client_for(alice).get(reverse("programmes:my_one_page", kwargs={"participant": alice_participant.pk}))
    assert "盘点设备" in body.content.decode()
    assert "通用设备制造业" in body.content.decode()  # the division's name, not its code
    client = client_for(alice)
    client.cookies["django_language"] = "en"
    english = client.get(
        reverse("programmes:my_one_page", kwargs={"participant": alice_participant.pk}), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "10k CNY" not in english  # the tiles read “20.0 10k CNY”
    assert "<strong>CNY " in english


def test_the_organiser_sees_finals_per_group_and_city_and_shows_a_summary_only_with_consent(
    alice: User, olivia: User, alice_participant: Participant, cohort: dict[str, Any]
) -> None:
    plan = enterprise_services.create_plan(alice, alice_participant.enterprise, enterprise_services.plan_options({}))
    week.mark_final(alice, alice_participant, plan)
    rows = week.finals(alice_participant.programme)
    one = next(r for r in rows["groups"] if r.label == "第 1 组")
    assert (one.joined, [p.pk for p in one.final]) == (2, [alice_participant.pk])  # the pending firm not counted
    assert sum(r.joined for r in rows["cities"]) == 2
    url = reverse(
        "programmes:projector", kwargs={"pk": alice_participant.programme_id, "participant": alice_participant.pk}
    )
    assert client_for(olivia).get(url).status_code == 404  # no consent yet
    sharing = reverse("programmes:my_sharing", kwargs={"participant": alice_participant.pk})
    client_for(alice).post(sharing, {"share_projector": "on"})
    shown = client_for(olivia).get(url)
    assert shown.status_code == 200
    assert alice_participant.enterprise.name in shown.content.decode()
    page = client_for(olivia).get(reverse("programmes:finals", kwargs={"pk": alice_participant.programme_id}))
    assert url in page.content.decode()
    assert '<thead><tr><th>小组</th>' in page.content.decode()  # the first column was headed by nothing
    assert '<thead><tr><th>城市</th>' in page.content.decode()


def test_my_week_and_the_workspace_read_in_english(
    alice: User, alice_participant: Participant, cohort: dict[str, Any]
) -> None:
    client = client_for(alice)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("programmes:my_week", kwargs={"participant": alice_participant.pk})).content.decode()
    assert "My group: group 1" in body
    assert "My visit preferences" in body
    assert "我的小组" not in body
    board = client.get(reverse("programmes:workspace", kwargs={"group": cohort["group"].pk})).content.decode()
    assert "Round 1: my firm’s top problem" in board
    assert "第一轮" not in board
