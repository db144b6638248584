"""`wendao jobs …` against the test database: start, run the real worker, report progress and failures."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.web.jobs.conftest import run_worker
from wendao.cli import app
from wendao.web.accounts.models import User
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.jobs import services
from wendao.web.jobs.models import BatchJob
from wendao.web.programmes.models import Programme

pytestmark = pytest.mark.django_db(transaction=True)
runner = CliRunner()


def test_export_then_status_of_the_finished_job_with_a_failure(
    programme: Programme, cohort: list[Enterprise], tmp_path: Path
) -> None:
    PlanRecord.objects.filter(enterprise=cohort[1]).update(plan={"broken": True})
    started = runner.invoke(app, ["jobs", "export", str(programme.pk), "--lang", "zh"])
    assert started.exit_code == 0, started.output
    job = BatchJob.objects.get()
    assert job.created_by is None
    assert job.status == BatchJob.Status.QUEUED

    run_worker()

    text = runner.invoke(app, ["jobs", "status", str(job.pk), "--wait", "-o", str(tmp_path / "plans.zip")])
    assert text.exit_code == 1, text.output  # ended with a failure: scripts notice
    assert "completed with 1 failure(s)" in text.output
    assert "淄博示例" in text.output
    assert "ValidationError" in text.output
    assert "3/3" in text.output  # the progress bar, finished
    names = zipfile.ZipFile(tmp_path / "plans.zip").namelist()
    assert "summary.xlsx" in names
    assert len([n for n in names if n.endswith(".pdf")]) == 1

    as_json = runner.invoke(app, ["jobs", "status", str(job.pk), "--format", "json"])
    report = json.loads(as_json.stdout)
    assert report["status"] == "completed_with_failures"
    assert report["done"] == 1
    assert report["failed"] == 1
    failed = next(p for p in report["problems"] if p["status"] == "failed")
    assert failed["attempts"] == 3
    assert "ValidationError" in failed["error"]


def test_regenerate_reports_the_running_job_instead_of_a_second_one(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    job, _ = services.start_job(olivia, programme, "regenerate")
    result = runner.invoke(app, ["jobs", "regenerate", str(programme.pk), "--format", "json"])
    assert result.exit_code == 0
    assert "already running" in result.output
    assert BatchJob.objects.count() == 1
    run_worker()
    done = json.loads(runner.invoke(app, ["jobs", "status", str(job.pk), "--format", "json"]).stdout)
    assert done["status"] == "completed"
    assert done["unchanged"] == 2  # nothing changed since the cohort's plans: no duplicates
    assert done["done"] == 0
    assert done["skipped"] == 1


def test_unknown_programme_and_job_are_user_errors(db: None) -> None:
    assert "no programme with id 999" in runner.invoke(app, ["jobs", "export", "999"]).output
    assert runner.invoke(app, ["jobs", "status", "999"]).exit_code == 1
    assert runner.invoke(app, ["jobs", "export", "1", "-o", "x.zip"]).exit_code == 2


def test_the_worker_command_runs_queued_jobs_in_batch_mode(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    job, _ = services.start_job(olivia, programme, "export")
    result = runner.invoke(app, ["jobs", "worker", "--batch", "--interval", "0"])
    assert result.exit_code == 0, result.output
    job.refresh_from_db()
    assert job.status == BatchJob.Status.COMPLETED
