"""The demo programme shows targets with progress, and a re-run adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from wendao.web.demo import build_demo
from wendao.web.enterprises.demo import create_demo_accounts, generate_demo_programme
from wendao.web.enterprises.models import PlanRecord
from wendao.web.insights import targets
from wendao.web.insights.demo import create_demo_targets
from wendao.web.insights.models import ScenarioProgress, Target
from wendao.web.programmes.demo import create_demo_cohort
from wendao.web.programmes.models import Programme

pytestmark = pytest.mark.django_db


def test_demo_targets_show_progress_and_are_idempotent() -> None:
    generate_demo_programme(count=16)
    create_demo_accounts()
    programme = create_demo_cohort()
    assert programme is not None
    create_demo_targets(programme)
    plans, progress, goals = PlanRecord.objects.count(), ScenarioProgress.objects.count(), Target.objects.count()
    assert plans == 16  # fewer participants than DEMO_PLANS: every one gets a plan
    assert progress > 0
    assert goals == len(targets.PRESETS) + 1
    rows = {p.target.metric: p for p in targets.programme_progress(programme, dt.date(2026, 11, 24))}
    assert rows["enterprises_with_plan"].current == 16
    assert any("李梦瑶" in p.target.source for p in rows.values())
    create_demo_targets(programme)
    assert (PlanRecord.objects.count(), ScenarioProgress.objects.count(), Target.objects.count()) == (
        plans,
        progress,
        goals,
    )


def test_the_demo_queues_plans_for_the_participants_without_one_and_not_again() -> None:
    from wendao.web.insights.demo import queue_demo_plans
    from wendao.web.jobs.services import process_job

    build_demo(enterprises=16)  # the demo programme, its participants and their first plans
    assert Programme.objects.count() == 1
    assert queue_demo_plans() is None  # every participant has a plan (fewer than DEMO_PLANS)
    PlanRecord.objects.filter(pk=PlanRecord.objects.order_by("pk").first().pk).delete()
    queued = queue_demo_plans()
    assert queued is not None
    job, missing, total = queued
    assert (missing, total) == (1, 16)
    process_job(job)  # what the worker started beside the demo does
    assert PlanRecord.objects.values("enterprise").distinct().count() == 16
    assert queue_demo_plans() is None


def test_the_demo_city_official_sees_jinans_consenting_participants_only() -> None:
    from wendao.web.accounts.models import User
    from wendao.web.enterprises.access import city_enterprises_for_user
    from wendao.web.enterprises.models import Enterprise
    from wendao.web.insights.demo import DEMO_CITY, create_demo_city_official

    generate_demo_programme(count=64)  # 4 firms per city
    create_demo_accounts()
    create_demo_cohort()  # they join the demo programme
    assert create_demo_city_official() == 3
    official = User.objects.get(username="demo-city")
    jinan = Enterprise.objects.filter(city=DEMO_CITY)
    assert official.city == DEMO_CITY
    assert jinan.count() == 4
    assert city_enterprises_for_user(official).count() == 3  # the fourth did not agree
    assert create_demo_city_official() == 0  # a re-run adds nothing
