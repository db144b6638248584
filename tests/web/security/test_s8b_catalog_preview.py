"""A catalog editor's preview re-plans the bundled examples and plans it may read, not the platform's latest plans.

Before the fix the preview of a knowledge-base change showed a catalog editor the latest stored plans of the eight
firms that planned most recently, whoever they were: their one-off investment, yearly benefit, counted and likely
support and number of items, named by industry, size and city (a rare label is one firm), and each new plan as it
was made. An editor keeps the knowledge base, not the firms.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import make_user
from wendao.web.accounts.models import Role, User
from wendao.web.catalog import editor
from wendao.web.catalog.models import PolicyEntry
from wendao.web.catalog.services import seed_catalog
from wendao.web.enterprises import services
from wendao.web.enterprises.models import Enterprise, Membership, PlanRecord

pytestmark = pytest.mark.django_db

RD = "national_rd_super_deduction"  # counted in the Weifang example's plan (R&D items)


@pytest.fixture(autouse=True)
def _seeded(db: Any) -> None:
    if not PolicyEntry.objects.exists():
        seed_catalog()


def _labels(user: User) -> list[str]:
    data = dict(PolicyEntry.objects.get(key=RD).data)
    data["award"] = dict(data["award"], rate=0.5)
    return [d.label for d in editor.preview([editor.Change("policy", RD, data)], user)]


def test_a_catalog_editors_preview_replans_no_other_firms_plan(
    alice_plan: PlanRecord, bob: User, bob_co: Enterprise
) -> None:
    services.create_plan(bob, bob_co, services.plan_options({}))

    labels = _labels(make_user("erin", Role.CATALOG_EDITOR))

    assert labels  # the bundled example profiles are still previewed
    assert all(label.startswith("示例") for label in labels)


def test_a_catalog_editor_who_is_a_member_of_a_firm_previews_that_firms_plan(
    alice_plan: PlanRecord, bob: User, bob_co: Enterprise
) -> None:
    services.create_plan(bob, bob_co, services.plan_options({}))
    erin = make_user("erin", Role.CATALOG_EDITOR)
    Membership.objects.create(user=erin, enterprise=bob_co)

    stored = [label for label in _labels(erin) if not label.startswith("示例")]

    assert len(stored) == 1  # bob's firm, of which erin is a member; not alice's
