"""The knowledge base's preview shows an organiser no plan of a firm outside its programmes (session 8 audit).

An organiser may preview a change it proposes: the preview re-plans the example firms and the latest stored plans
of the firms that planned most recently. Before the fix those were any firms of the platform: an organiser read
the plan figures (one-off investment, yearly benefit, counted and likely support, number of items) of firms that
never joined its programme, named by industry, size and city, and saw each new plan appear as firms made them.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.web.conftest import client_for
from wendao.web.accounts.models import User
from wendao.web.catalog import editor
from wendao.web.catalog.fields import as_text, get
from wendao.web.catalog.models import PolicyEntry
from wendao.web.catalog.services import seed_catalog
from wendao.web.enterprises import services
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.programmes.models import Participant

pytestmark = pytest.mark.django_db

RD = "national_rd_super_deduction"


@pytest.fixture(autouse=True)
def _seeded(db: Any) -> None:
    if not PolicyEntry.objects.exists():
        seed_catalog()


def _preview(user: User) -> list[editor.PlanDiff]:
    """The diffs an ``action=preview`` of the R&D deduction at half its rate shows ``user``."""
    entry = PolicyEntry.objects.get(key=RD)
    form: dict[str, Any] = {}
    for f in editor.flat_fields(entry) or []:
        value = get(entry.data, f.path)
        if f.path == "award.rate":
            form[f.name] = "0.5"
        elif f.kind == "bool":
            if value:
                form[f.name] = "on"
        elif f.kind == "choices":
            form[f.name] = list(value or [])
        else:
            form[f.name] = as_text(f, value)
    form |= {"action": "preview", "change_source": "测试", "change_as_of": "2026-12-01"}
    response = client_for(user).post(reverse("catalog:entry", args=["policies", entry.pk]), form)
    assert response.status_code == 200
    return list(response.context["diffs"])


def _stored(diffs: list[editor.PlanDiff]) -> list[editor.PlanDiff]:
    return [d for d in diffs if not d.label.startswith("示例")]


def test_an_organisers_preview_replans_no_firm_outside_its_programmes(
    olivia: User, alice_plan: PlanRecord, bob: User, bob_co: Enterprise
) -> None:
    services.create_plan(bob, bob_co, services.plan_options({}))  # bob's firm joined no programme of olivia's

    assert _stored(_preview(olivia)) == []


def test_an_organiser_previews_the_stored_plans_of_firms_that_joined_its_programme(
    olivia: User, alice_plan: PlanRecord, alice_participant: Participant, bob: User, bob_co: Enterprise
) -> None:
    services.create_plan(bob, bob_co, services.plan_options({}))

    stored = _stored(_preview(olivia))

    assert len(stored) == 1  # alice's firm, which joined; not bob's
    assert stored[0].before is not None
    assert stored[0].before.one_off == pytest.approx(alice_plan.plan["money"]["one_off"], abs=0.01)
