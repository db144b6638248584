"""A failing enterprise is retried and then reported (page, summary sheet, CLI): never silently dropped.

The failures are genuine: the stored JSON is corrupted in the database, as a bad migration or a hand edit
would leave it, and the real code paths fail on it."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from tests.web.conftest import client_for
from tests.web.jobs.conftest import run_worker
from wendao.web.accounts.models import User
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.jobs import services
from wendao.web.jobs.models import BatchItem, BatchJob
from wendao.web.programmes.models import Programme

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_corrupted_plan_is_retried_three_times_then_reported_and_the_others_still_export(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    broken = cohort[1]
    PlanRecord.objects.filter(enterprise=broken).update(plan={"schema_version": "wendao.plan/1", "items": "oops"})
    job, _ = services.start_job(olivia, programme, "export")

    run_worker()

    job.refresh_from_db()
    assert job.status == BatchJob.Status.COMPLETED_WITH_FAILURES
    item = BatchItem.objects.get(job=job, enterprise=broken)
    assert item.status == BatchItem.Status.FAILED
    assert item.attempts == 3
    assert "ValidationError" in item.error
    zf = zipfile.ZipFile(io.BytesIO(bytes(job.archive)))
    assert len([n for n in zf.namelist() if n.endswith(".pdf")]) == 1  # the healthy one is there
    sheet = load_workbook(io.BytesIO(zf.read("summary.xlsx"))).active
    assert sheet is not None
    row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == broken.name)
    assert row[4] == "失败"
    assert "ValidationError" in str(row[-1])
    assert row[-2] == 3

    page = client_for(olivia).get(f"/jobs/{job.pk}/").content.decode()
    assert "已完成，1 项失败" in page
    assert broken.name in page
    assert "ValidationError" in page


def test_a_corrupted_profile_fails_regeneration_of_that_enterprise_only(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    broken = cohort[0]
    Enterprise.objects.filter(pk=broken.pk).update(profile={"name": broken.name, "employees": "many"})
    before = PlanRecord.objects.count()
    job, _ = services.start_job(olivia, programme, "regenerate")

    run_worker()

    job.refresh_from_db()
    assert job.status == BatchJob.Status.COMPLETED_WITH_FAILURES
    items = {i.enterprise_id: i for i in BatchItem.objects.filter(job=job)}
    assert items[broken.pk].status == BatchItem.Status.FAILED
    assert items[broken.pk].attempts == 3
    assert items[cohort[1].pk].status == BatchItem.Status.UNCHANGED  # its inputs did not change: no duplicate
    assert items[cohort[2].pk].status == BatchItem.Status.SKIPPED
    assert PlanRecord.objects.count() == before


def test_a_passing_failure_is_retried_and_then_succeeds(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    """The first attempt meets a corrupted plan; it is repaired before the retry, which then succeeds."""
    target = cohort[1]
    good = PlanRecord.objects.get(enterprise=target).plan
    PlanRecord.objects.filter(enterprise=target).update(plan={"broken": True})
    job, _ = services.start_job(olivia, programme, "export")
    services.BatchJob.objects.filter(pk=job.pk).update(status=BatchJob.Status.RUNNING)
    item = BatchItem.objects.get(job=job, enterprise=target)
    # the worker's own steps, one at a time: claim, fail, repair, claim again, succeed
    claimed = services.claim_item(job.pk, "w1")
    while claimed is not None and claimed.pk != item.pk:
        services.process_item(job, claimed)
        claimed = services.claim_item(job.pk, "w1")
    assert claimed is not None
    services.process_item(job, claimed)
    item.refresh_from_db()
    assert item.status == BatchItem.Status.PENDING
    assert item.attempts == 1
    assert item.error
    PlanRecord.objects.filter(enterprise=target).update(plan=good)
    again = services.claim_item(job.pk, "w1")
    while again is not None and again.pk != item.pk:  # fresh items come before retries
        services.process_item(job, again)
        again = services.claim_item(job.pk, "w1")
    assert again is not None
    services.process_item(job, again)
    item.refresh_from_db()
    assert item.status == BatchItem.Status.DONE
    assert item.attempts == 2
    assert item.error == ""
    assert services.finish_job(job.pk)
    job.refresh_from_db()
    assert job.status == BatchJob.Status.COMPLETED


def test_two_workers_never_claim_the_same_item(olivia: User, programme: Programme, cohort: list[Enterprise]) -> None:
    job, _ = services.start_job(olivia, programme, "export")
    claims = [services.claim_item(job.pk, f"w{i}") for i in range(5)]
    taken = [c.pk for c in claims if c is not None]
    assert len(taken) == 3
    assert len(set(taken)) == 3
    assert claims[3] is None
    assert claims[4] is None
