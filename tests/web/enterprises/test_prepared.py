"""PDF and Word documents of the plan page are prepared on the task queue while the page shows progress
(enterprises/prepared.py): asked for once, polled, then downloaded; a failure is shown with a retry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.web.api.conftest import ApiClient, token_for
from tests.web.conftest import client_for, join
from tests.web.jobs.conftest import run_worker
from wendao.web.accounts.models import AuditEvent, User
from wendao.web.enterprises import prepared, services
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.programmes.models import Programme

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


# --- the API and the organiser take the same path (issue 19) ----------------------------------------------------


def test_an_api_client_asking_to_prepare_gets_202_with_retry_after_then_the_document(
    alice: User, alice_plan: PlanRecord
) -> None:
    api = ApiClient(token_for(alice))
    url = f"/api/plans/{alice_plan.pk}/document"
    waiting = api.get(url, format="pdf", lang="zh", prepare="true")
    assert waiting.status_code == 202
    assert waiting["Retry-After"] == "1"
    assert waiting.json() == {"state": "preparing", "retry_after": 1}
    assert api.get(url, format="pdf", lang="zh", prepare="true").status_code == 202  # polled: queued once
    assert DBTaskResult.objects.count() == 1
    assert not AuditEvent.objects.filter(action="plan.download").exists()  # nothing handed out yet
    run_worker()
    ready = api.get(url, format="pdf", lang="zh", prepare="true")
    assert ready.status_code == 200
    assert ready.content == prepared.prepared_document(alice_plan, "pdf", "zh")
    assert ready.content.startswith(b"%PDF")
    assert AuditEvent.objects.get(action="plan.download").changes == {"format": "pdf", "lang": "zh", "via": "api"}


def test_an_api_client_hears_of_a_failure_once_and_the_next_request_queues_again(
    alice: User, alice_plan: PlanRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: Any) -> bytes:
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(prepared, "plan_document", broken)
    api = ApiClient(token_for(alice))
    url = f"/api/plans/{alice_plan.pk}/document"
    api.get(url, format="docx", prepare="true")
    run_worker()
    failed = api.get(url, format="docx", prepare="true")
    assert failed.status_code == 503
    assert "fonts missing" in failed.json()["detail"]
    assert DBTaskResult.objects.count() == 2  # queued again
    assert api.get(url, format="docx", prepare="true").status_code == 202


def test_a_document_rendered_in_the_request_is_kept_for_the_next_download(
    alice: User, alice_plan: PlanRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = ApiClient(token_for(alice))
    url = f"/api/plans/{alice_plan.pk}/document"
    first = api.get(url, format="pdf", lang="en")
    assert first.status_code == 200
    assert prepared.prepared_document(alice_plan, "pdf", "en") == first.content

    def not_again(*_: Any) -> bytes:
        raise AssertionError("rendered twice")

    monkeypatch.setattr("wendao.web.enterprises.downloads.plan_document", not_again)
    assert api.get(url, format="pdf", lang="en").content == first.content
    assert api.get(url, format="pdf", lang="en", prepare="true").status_code == 200  # ready at once


def test_the_organisers_copy_is_prepared_with_progress_then_downloaded(
    olivia: User, alice_plan: PlanRecord, programme: Programme
) -> None:
    p = join(programme, alice_plan.enterprise)
    keys = {"pk": programme.pk, "participant": p.pk, "plan": alice_plan.pk}
    page = client_for(olivia).get(reverse("programmes:participant", kwargs={"pk": programme.pk, "participant": p.pk}))
    prepare = reverse("programmes:participant_plan_prepare", kwargs=keys)
    assert prepare in page.content.decode()
    waiting = client_for(olivia).get(prepare, headers=HTMX).content.decode()
    assert "正在生成 PDF 文档" in waiting
    run_worker()
    ready = client_for(olivia).get(prepare, headers=HTMX)
    download = reverse("programmes:participant_plan", kwargs=keys)
    assert ready["HX-Redirect"] == download
    response = client_for(olivia).get(download)
    assert response.content == prepared.prepared_document(alice_plan, "pdf", "zh")
    assert AuditEvent.objects.get(action="plan.download").changes == {"format": "pdf", "lang": "zh", "via": "organiser"}


def test_the_organisers_prepare_link_is_refused_for_a_plan_of_another_enterprise(
    olivia: User, alice_plan: PlanRecord, bob: User, bob_co: Enterprise, programme: Programme
) -> None:
    p = join(programme, alice_plan.enterprise)
    join(programme, bob_co)
    bob_plan = services.create_plan(bob, bob_co, services.plan_options({}))
    keys = {"pk": programme.pk, "participant": p.pk, "plan": bob_plan.pk}  # bob's plan under alice's participation
    url = reverse("programmes:participant_plan_prepare", kwargs=keys)
    assert client_for(olivia).get(url, headers=HTMX).status_code == 404
    assert not DBTaskResult.objects.exists()
