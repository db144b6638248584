"""Export of a programme's plan documents on the real queue: enqueue, run the worker, open the zip."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.web.conftest import client_for
from tests.web.jobs.conftest import run_worker
from wendao.web.accounts.models import AuditEvent, User
from wendao.web.enterprises.models import Enterprise
from wendao.web.jobs import services
from wendao.web.jobs.models import BatchItem, BatchJob
from wendao.web.programmes.models import Programme

pytestmark = pytest.mark.django_db(transaction=True)


def _zip(job: BatchJob) -> zipfile.ZipFile:
    job.refresh_from_db()
    return zipfile.ZipFile(io.BytesIO(bytes(job.archive)))


def test_export_puts_one_pdf_per_planned_enterprise_and_a_summary_in_the_zip(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    job, created = services.start_job(olivia, programme, "export", "zh")
    assert created
    assert job.status == BatchJob.Status.QUEUED
    assert len(job.task_ids) == 1

    run_worker()

    job.refresh_from_db()
    assert job.status == BatchJob.Status.COMPLETED
    zf = _zip(job)
    pdfs = sorted(n for n in zf.namelist() if n.endswith(".pdf"))
    assert len(pdfs) == 2
    for name in pdfs:
        assert zf.read(name).startswith(b"%PDF")
    assert any("潍坊示例精密机械" in n for n in pdfs)
    assert any("淄博示例新材料化工" in n for n in pdfs)
    sheet = load_workbook(io.BytesIO(zf.read("summary.xlsx"))).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:5] == ("序号", "企业名称", "城市", "行业", "状态")
    assert len(body) == 3  # every participant, the one without a plan included
    by_name = {r[1]: dict(zip(header, r, strict=True)) for r in body}
    planned = by_name[cohort[0].name]
    assert planned["状态"] == "完成"
    assert planned["投资（万元）"] > 0
    assert planned["文档文件名"] in pdfs
    assert planned["补贴（万元）"] >= 0
    assert planned["净投入（万元）"] <= planned["投资（万元）"]
    unplanned = by_name[cohort[2].name]
    assert unplanned["状态"] == "跳过"
    assert "尚未完成评估" in unplanned["错误或说明"]
    assert not BatchItem.objects.exclude(document=None).exists()  # the archive holds the documents now


def test_export_in_english_renders_english_documents_and_headers(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    job, _ = services.start_job(olivia, programme, "export", "en")
    run_worker()
    zf = _zip(job)
    assert len([n for n in zf.namelist() if n.endswith(".pdf")]) == 2
    sheet = load_workbook(io.BytesIO(zf.read("summary.xlsx"))).active
    assert sheet is not None
    header = next(sheet.iter_rows(values_only=True))
    assert header is not None
    assert header[0] in ("序号", "No.")


def test_a_second_request_while_one_runs_returns_the_running_job(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    first, created = services.start_job(olivia, programme, "export")
    again, created_again = services.start_job(olivia, programme, "export")
    assert created
    assert not created_again
    assert again.pk == first.pk
    other, created_other = services.start_job(olivia, programme, "regenerate")
    assert created_other
    assert other.pk != first.pk
    run_worker()
    later, created_later = services.start_job(olivia, programme, "export")
    assert created_later
    assert later.pk != first.pk


def test_the_organiser_starts_watches_and_downloads_an_export_in_the_page(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    client = client_for(olivia)
    page = client.get(f"/programmes/{programme.pk}/")
    assert "导出全部规划文档" in page.content.decode()
    assert "重新生成全部规划" in page.content.decode()

    response = client.post(f"/jobs/programmes/{programme.pk}/start/", {"kind": "export", "lang": "zh"})
    job = BatchJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"
    queued = client.get(f"/jobs/{job.pk}/progress/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in queued
    assert "0 / 3" in queued
    assert "<html" not in queued
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404  # not ready yet

    run_worker()

    done = client.get(f"/jobs/{job.pk}/progress/", headers={"HX-Request": "true"}).content.decode()
    assert "every 2s" not in done
    assert "3 / 3" in done
    assert 'id="download"' in done
    assert "尚未完成评估" in done  # the skipped enterprise is listed with its reason
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None
    assert AuditEvent.objects.filter(action="jobs.download", object_id=str(job.pk), actor=olivia).exists()
    summary = client.get(f"/jobs/{job.pk}/summary.xlsx")
    assert summary.status_code == 200
    assert summary.content.startswith(b"PK")


def test_a_programme_without_participants_gets_a_clear_message(olivia: User, programme: Programme) -> None:
    client = client_for(olivia)
    response = client.post(f"/jobs/programmes/{programme.pk}/start/", {"kind": "export"}, follow=True)
    assert "还没有参训企业" in response.content.decode()
    assert not BatchJob.objects.exists()


def test_an_unknown_language_is_refused_and_nothing_is_queued(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    client = client_for(olivia)
    response = client.post(f"/jobs/programmes/{programme.pk}/start/", {"kind": "export", "lang": "fr"}, follow=True)
    assert "zh 或 en" in response.content.decode()
    assert not BatchJob.objects.exists()


def test_file_names_are_safe_in_a_zip(settings: Any) -> None:
    assert services.document_name(7, 'a/b\\c:d*e?"f<g>h|i\x00', "pdf") == "007_a_b_c_d_e_f_g_h_i.pdf"
    assert services.document_name(1, "...", "pdf") == "001_enterprise.pdf"


def test_several_queue_tasks_share_one_job_and_it_finishes_once(
    settings: Any, olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    settings.WENDAO_JOB_TASKS = 3  # as with three workers
    job, _ = services.start_job(olivia, programme, "export")
    assert len(job.task_ids) == 3
    run_worker("w1")
    job.refresh_from_db()
    assert job.status == BatchJob.Status.COMPLETED
    assert BatchItem.objects.filter(job=job, attempts=1).count() == 3  # each item processed once
    assert AuditEvent.objects.filter(action="jobs.export.finish", object_id=str(job.pk)).count() == 1
