"""Regeneration of every plan of a programme after a catalog change, on the real queue."""

from __future__ import annotations

import pytest

from tests.web.conftest import client_for
from tests.web.jobs.conftest import run_worker
from wendao.web.accounts.models import AuditEvent, User
from wendao.web.catalog.models import ScenarioEntry
from wendao.web.catalog.services import active_catalog, bump_revision
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.jobs.models import BatchItem, BatchJob
from wendao.web.programmes.models import Programme

pytestmark = pytest.mark.django_db(transaction=True)


def _edit_catalog() -> None:
    """What an organiser's edit in the knowledge base does: change an entry, bump the revision."""
    entry = ScenarioEntry.objects.order_by("id").first()
    assert entry is not None
    entry.data = entry.data | {"description_zh": entry.data.get("description_zh", "") + "（修订）"}
    entry.save()
    bump_revision()


def test_regeneration_gives_every_assessed_participant_a_new_plan_with_its_own_options(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    seed_catalog_if_empty()
    _edit_catalog()
    new_version = active_catalog().version
    client = client_for(olivia)
    page = client.get(f"/jobs/programmes/{programme.pk}/").content.decode()
    assert 'id="stale-plans"' in page
    assert "2 家企业" in page

    response = client.post(f"/jobs/programmes/{programme.pk}/start/", {"kind": "regenerate"})
    job = BatchJob.objects.get()
    assert response.status_code == 302
    assert job.kind == "regenerate"

    run_worker()

    job.refresh_from_db()
    assert job.status == BatchJob.Status.COMPLETED
    first, second, third = cohort
    latest = PlanRecord.objects.filter(enterprise=first).first()
    assert latest is not None
    assert latest.options["budget"] == 120
    assert latest.catalog_version == new_version
    assert latest.created_by == olivia
    assert PlanRecord.objects.filter(enterprise=first).count() == 2
    assert PlanRecord.objects.filter(enterprise=second).count() == 2
    skipped = BatchItem.objects.get(job=job, enterprise=third)
    assert skipped.status == BatchItem.Status.SKIPPED
    assert "尚未完成评估" in skipped.error
    assert AuditEvent.objects.filter(action="plan.create", actor=olivia, object_id=str(latest.pk)).exists()
    assert AuditEvent.objects.filter(action="jobs.regenerate.finish", object_id=str(job.pk)).exists()
    assert 'id="stale-plans"' not in client.get(f"/jobs/programmes/{programme.pk}/").content.decode()
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404  # a regeneration has no archive
    assert client.get(f"/jobs/{job.pk}/summary.xlsx").status_code == 200


def seed_catalog_if_empty() -> None:
    from wendao.web.catalog.services import seed_catalog

    if not ScenarioEntry.objects.exists():
        seed_catalog()


def test_regeneration_stores_no_duplicate_of_a_plan_whose_inputs_have_not_changed(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    first, second, _third = cohort
    second.profile = second.profile | {"employees": int(second.profile["employees"]) + 40}
    second.save()
    client = client_for(olivia)
    client.post(f"/jobs/programmes/{programme.pk}/start/", {"kind": "regenerate"})
    job = BatchJob.objects.get()

    run_worker()

    job.refresh_from_db()
    assert job.status == BatchJob.Status.COMPLETED
    assert PlanRecord.objects.filter(enterprise=first).count() == 1
    assert PlanRecord.objects.filter(enterprise=second).count() == 2
    unchanged = BatchItem.objects.get(job=job, enterprise=first)
    assert unchanged.status == BatchItem.Status.UNCHANGED
    assert unchanged.plan == PlanRecord.objects.get(enterprise=first)
    assert unchanged.figures["items"] >= 1
    assert "未重新生成" in unchanged.error
    assert BatchItem.objects.get(job=job, enterprise=second).status == BatchItem.Status.DONE
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert '<strong class="unchanged" id="unchanged">1</strong>' in page
    assert "3 / 3" in page  # the unchanged firm counts as processed
    assert "失败、跳过和未变化的企业" in page
