"""The enterprise page's list of plans tells each plan apart: who made it, the budget it used, what it pins,
its NPV, and the second it was made where two share a minute (the demo participant's page listed two plans
"2026-12-07 18:56 · 预算 — · 净现值最大", nothing else between them)."""

from __future__ import annotations

from django.urls import reverse

from tests.web.conftest import client_for, make_enterprise
from wendao.web.accounts.models import User
from wendao.web.enterprises import services
from wendao.web.enterprises.models import PlanRecord
from wendao.web.enterprises.views import plan_list


def test_two_plans_of_one_minute_read_apart_by_their_maker_and_second(alice: User) -> None:
    enterprise = make_enterprise(alice)
    own = services.create_plan(alice, enterprise, services.plan_options({}))
    by_job = services.create_plan(None, enterprise, services.plan_options({}))
    minute = own.created_at.replace(second=5, microsecond=0)
    PlanRecord.objects.filter(pk=own.pk).update(created_at=minute)
    PlanRecord.objects.filter(pk=by_job.pk).update(created_at=minute.replace(second=41))
    body = client_for(alice).get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    listed = body[body.index('id="plan-list"') :]
    listed = listed[: listed.index("</ul>")]
    assert ":41</a>" in listed
    assert ":05</a>" in listed
    assert "由 alice 生成" in listed
    assert "由系统生成" in listed
    assert "预算 —" not in listed
    assert listed.count(" 万元/年") == 2  # the profile's budget the plans used, not "—"
    assert listed.count("净现值 ") == 2


def test_a_plan_alone_in_its_minute_shows_no_seconds_and_a_pinned_scenario_is_named_once(alice: User) -> None:
    enterprise = make_enterprise(alice)
    first = services.create_plan(alice, enterprise, services.plan_options({}))
    scenario = first.plan["items"][0]["scenario"]
    pinned = services.create_plan(alice, enterprise, services.plan_options({"pin": [scenario]}))
    earlier = first.created_at.replace(minute=(first.created_at.minute + 30) % 60)
    PlanRecord.objects.filter(pk=first.pk).update(created_at=earlier)
    lines = plan_list(list(enterprise.plans.all()))
    assert [line.same_minute for line in lines] == [False, False]
    by_pk = {line.record.pk: line for line in lines}
    assert [i["scenario"] for i in by_pk[pinned.pk].pinned] == [scenario]
    assert by_pk[first.pk].pinned == []
