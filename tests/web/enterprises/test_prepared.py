"""PDF and Word documents of the plan page are prepared on the task queue while the page shows progress
(enterprises/prepared.py): asked for once, polled, then downloaded; a failure is shown with a retry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.web.conftest import client_for
from tests.web.jobs.conftest import run_worker
from wendao.web.accounts.models import AuditEvent, User
from wendao.web.enterprises import prepared
from wendao.web.enterprises.models import PlanRecord

pytestmark = pytest.mark.django_db(transaction=True)
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def documents_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


def _prepare(user: User, plan: PlanRecord, fmt: str = "pdf", method: str = "get") -> Any:
    url = reverse("enterprises:plan_prepare", kwargs={"pk": plan.pk, "fmt": fmt})
    return getattr(client_for(user), method)(url, headers=HTMX)


def test_asking_for_a_pdf_queues_it_once_and_shows_progress_that_polls(alice: User, alice_plan: PlanRecord) -> None:
    first = _prepare(alice, alice_plan).content.decode()
    assert "正在生成 PDF 文档" in first
    assert 'hx-trigger="load delay:1s"' in first
    assert "<progress" in first
    _prepare(alice, alice_plan)  # the page polls: nothing queued twice
    assert DBTaskResult.objects.count() == 1


def test_a_prepared_document_sends_the_browser_to_its_download(alice: User, alice_plan: PlanRecord) -> None:
    _prepare(alice, alice_plan, "docx")
    run_worker()
    ready = _prepare(alice, alice_plan, "docx")
    download = reverse("enterprises:plan_download", kwargs={"pk": alice_plan.pk, "fmt": "docx"}) + "?lang=zh"
    assert ready["HX-Redirect"] == download
    response = client_for(alice).get(download)
    assert response.status_code == 200
    assert response.content == prepared.prepared_document(alice_plan, "docx", "zh")
    assert response.content.startswith(b"PK")
    assert AuditEvent.objects.filter(action="plan.download", object_id=str(alice_plan.pk), actor=alice).exists()


def test_a_failure_is_shown_with_a_retry_that_queues_again(
    alice: User, alice_plan: PlanRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: Any) -> bytes:
        raise RuntimeError("字体缺失")

    monkeypatch.setattr(prepared, "plan_document", broken)
    _prepare(alice, alice_plan)
    run_worker()
    failed = _prepare(alice, alice_plan).content.decode()
    assert "PDF 文档生成失败" in failed
    assert "字体缺失" in failed
    assert "hx-trigger" not in failed  # no polling of a failure
    retried = _prepare(alice, alice_plan, method="post").content.decode()
    assert "正在生成 PDF 文档" in retried
    assert DBTaskResult.objects.count() == 2


def test_the_page_offers_the_prepared_downloads(alice: User, alice_plan: PlanRecord) -> None:
    page = client_for(alice).get(reverse("enterprises:plan", kwargs={"pk": alice_plan.pk})).content.decode()
    assert reverse("enterprises:plan_prepare", kwargs={"pk": alice_plan.pk, "fmt": "pdf"}) in page
    assert reverse("enterprises:plan_prepare", kwargs={"pk": alice_plan.pk, "fmt": "docx"}) in page


def test_another_user_and_an_unprepared_format_get_404(bob: User, alice: User, alice_plan: PlanRecord) -> None:
    assert _prepare(bob, alice_plan).status_code == 404
    assert _prepare(alice, alice_plan, "json").status_code == 404
    assert not DBTaskResult.objects.exists()
