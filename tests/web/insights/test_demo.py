"""The demo programme shows targets with progress, and a re-run adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from wendao.web.enterprises.demo import create_demo_accounts, create_demo_cohort, generate_demo_programme
from wendao.web.enterprises.models import PlanRecord
from wendao.web.insights import targets
from wendao.web.insights.models import ScenarioProgress, Target
from wendao.web.programmes.models import Programme

pytestmark = pytest.mark.django_db


def test_demo_targets_show_progress_and_are_idempotent() -> None:
    generate_demo_programme(count=16)
    create_demo_accounts()
    programme = Programme.objects.get()
    plans, progress, goals = PlanRecord.objects.count(), ScenarioProgress.objects.count(), Target.objects.count()
    assert plans == 16  # fewer participants than DEMO_PLANS: every one gets a plan
    assert progress > 0
    assert goals == len(targets.PRESETS) + 1
    rows = {p.target.metric: p for p in targets.programme_progress(programme, dt.date(2026, 11, 24))}
    assert rows["enterprises_with_plan"].current == 16
    assert any("李梦瑶" in p.target.source for p in rows.values())
    create_demo_cohort()
    assert (PlanRecord.objects.count(), ScenarioProgress.objects.count(), Target.objects.count()) == (
        plans,
        progress,
        goals,
    )
