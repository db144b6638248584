from __future__ import annotations

import pytest

from wendao.web.enterprises.demo import create_demo_accounts, generate_demo_programme
from wendao.web.programmes.demo import create_demo_cohort
from wendao.web.programmes.models import DiscussionGroup, GroupMembership, Participant, Programme

pytestmark = pytest.mark.django_db


def test_the_demo_programme_is_owned_by_the_demo_organiser_grouped_and_idempotent() -> None:
    generate_demo_programme(count=32)
    create_demo_accounts()
    create_demo_cohort()
    create_demo_cohort()
    programme = Programme.objects.get()
    assert [u.username for u in programme.organisers.all()] == ["demo-organiser"]
    assert Participant.objects.filter(programme=programme).count() == 32
    assert DiscussionGroup.objects.filter(programme=programme).count() == 4
    assert GroupMembership.objects.count() == 32
    assert programme.sessions.filter(kind="site_visit").count() == 4


def test_the_demo_week_has_five_days_a_facilitator_per_group_timed_visits_and_group_one_mid_discussion() -> None:
    import datetime as dt

    from wendao.web.programmes import week
    from wendao.web.programmes.demo import TIMETABLE, week_start
    from wendao.web.programmes.models import GroupComment, StatedProblem

    generate_demo_programme(count=32)
    create_demo_accounts()
    create_demo_cohort()
    programme = Programme.objects.get()
    assert programme.sessions.count() == len(TIMETABLE)
    assert programme.sessions.filter(starts_at__isnull=True).count() == 0
    assert (programme.ends_on - programme.starts_on).days == 4
    assert programme.starts_on.weekday() == 0
    assert week_start(dt.date(2026, 12, 6)) == dt.date(2026, 12, 7)  # a Sunday: the coming Monday
    visits = programme.sessions.filter(kind="site_visit")
    assert all(v.location and "虚构" in v.host for v in visits)
    groups = DiscussionGroup.objects.filter(programme=programme)
    assert all("虚构" in g.facilitator_name for g in groups)
    one = groups.get(number=1)
    assert one.round == DiscussionGroup.Round.STEPS
    assert StatedProblem.objects.filter(participant__group_membership__group=one).count() == one.memberships.count()
    assert GroupComment.objects.filter(group=one).count() == 2
    me = Participant.objects.get(account__username="demo-participant")
    assert me.enterprise.memberships.get().user.username == "demo-participant"
    assert week.my_week(me).group == one


def test_the_demo_participant_committed_three_steps_in_round_three_and_their_plan_pins_the_consented_one() -> None:
    from wendao.web.enterprises.services import plan_of
    from wendao.web.programmes.models import Commitment

    generate_demo_programme(count=16)
    create_demo_accounts()
    create_demo_cohort()
    create_demo_cohort()  # a re-run commits and plans nothing more
    me = Participant.objects.get(account__username="demo-participant")
    steps = list(Commitment.objects.filter(participant=me).order_by("position"))
    assert len(steps) == 3
    assert all(s.text for s in steps)
    pinned = [s for s in steps if s.pinned_at is not None]
    assert len(pinned) == 1
    assert pinned[0].pinned_by.username == "demo-participant"
    scenario = pinned[0].scenario
    assert me.enterprise.plans.count() == 1  # made after the commitment
    latest = me.enterprise.plans.get()
    assert latest.options["committed"] == [scenario]
    assert scenario in latest.options["pin"]
    plan = plan_of(latest)
    assert plan.choices is not None
    assert any(c.scenario == scenario and c.action == "pin" and c.honoured for c in plan.choices.items)
    assert scenario in [i.scenario for i in plan.items]
