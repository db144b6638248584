"""A batch job reads a firm only while it is in the programme (session 8 audit).

A job fixes its list of firms when it starts; a firm may leave the programme while the job runs (a 300-firm export
takes minutes). Before the fix the worker exported the departed firm's latest plan into the organisers' zip and
its figures into the summary, and a regeneration made it a new plan in the organiser's name; the summary workbook,
rebuilt on every download, also showed the departed firm's own, later-edited city and industry.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.web.conftest import client_for, join, make_enterprise, make_user
from tests.web.jobs.conftest import run_worker
from wendao.web.accounts.models import User
from wendao.web.enterprises import services as enterprise_services
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.jobs import services
from wendao.web.jobs.models import BatchItem, BatchJob
from wendao.web.programmes.models import Participant, Programme

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _quiet_heartbeat(settings: Any) -> None:
    settings.WENDAO_JOB_LEASE_SECONDS = 3600  # as tests/web/jobs/conftest.py: no heartbeat write mid-test


@pytest.fixture
def cohort(programme: Programme, alice: User) -> list[Enterprise]:
    """Two firms of olivia's programme with a plan each: alice's, and carol's that stays."""
    firms = [make_enterprise(alice, name="weifang_machinery"), make_enterprise(make_user("carol"), "zibo_chemical")]
    for i, firm in enumerate(firms):
        enterprise_services.create_plan(None, firm, enterprise_services.plan_options({}))
        join(programme, firm, contact_name=f"联系人{i}")
    return firms


def _leave(user: User, enterprise: Enterprise, programme: Programme) -> None:
    participant = Participant.objects.get(programme=programme, enterprise=enterprise)
    url = reverse("programmes:my_leave", kwargs={"participant": participant.pk})
    assert client_for(user).post(url, {"confirm": "on"}).status_code == 302


def _summary(olivia: User, job: BatchJob) -> dict[str, dict[str, Any]]:
    response = client_for(olivia).get(reverse("jobs:summary", kwargs={"pk": job.pk}))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    header, *body = list(sheet.iter_rows(values_only=True))
    return {str(r[1]): dict(zip(header, r, strict=True)) for r in body}


def test_a_firm_that_leaves_while_an_export_runs_is_not_in_the_organisers_zip(
    olivia: User, programme: Programme, alice: User, cohort: list[Enterprise]
) -> None:
    alice_firm = cohort[0]
    job, _created = services.start_job(olivia, programme, "export", "zh")
    _leave(alice, alice_firm, programme)  # after the job took its list, before a worker reached the firm

    run_worker()

    job.refresh_from_db()
    names = zipfile.ZipFile(io.BytesIO(bytes(job.archive))).namelist()
    assert not any("潍坊示例精密机械" in n for n in names)
    assert any("淄博示例新材料化工" in n for n in names)  # the firm that stayed is exported as before
    item = job.items.get(enterprise=alice_firm)
    assert item.status == BatchItem.Status.SKIPPED
    assert item.document is None
    assert item.figures == {}
    row = _summary(olivia, job)[alice_firm.name]
    assert row["投资（万元）"] is None


def test_a_regeneration_makes_no_plan_for_a_firm_that_left_while_it_ran(
    olivia: User, programme: Programme, alice: User, cohort: list[Enterprise]
) -> None:
    alice_firm = cohort[0]
    before = PlanRecord.objects.filter(enterprise=alice_firm).count()
    job, _created = services.start_job(olivia, programme, "regenerate")
    _leave(alice, alice_firm, programme)

    run_worker()

    assert PlanRecord.objects.filter(enterprise=alice_firm).count() == before
    assert job.items.get(enterprise=alice_firm).status == BatchItem.Status.SKIPPED
    # the firm that stayed is processed: its inputs have not changed, so it keeps its plan (no duplicate)
    assert job.items.get(enterprise=cohort[1]).status == BatchItem.Status.UNCHANGED


def test_the_summary_of_an_old_job_shows_no_city_or_industry_the_firm_set_after_it_left(
    olivia: User, programme: Programme, alice: User, cohort: list[Enterprise]
) -> None:
    alice_firm = cohort[0]
    job, _created = services.start_job(olivia, programme, "export", "zh")
    run_worker()
    assert _summary(olivia, job)[alice_firm.name]["城市"]  # while it takes part, the organisers read its city

    _leave(alice, alice_firm, programme)
    Enterprise.objects.filter(pk=alice_firm.pk).update(city="qingdao", industry="C2614")  # its own record now

    row = _summary(olivia, job)[alice_firm.name]
    assert row["城市"] is None
    assert row["行业"] is None
