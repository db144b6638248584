"""A worker that dies mid-job (kill -9, out of memory, machine lost) costs a lease, not the job.

What a killed worker leaves behind is set up through the real code, then aged: its queue task taken
(RUNNING), the job running, one item claimed by it whose lease ran out because nobody renews it any more
(``died_mid_item``). Leases last an hour in these tests (conftest), so "ran out" means a timestamp in the past;
test_worker_process.py kills a real worker process instead.
"""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from typer.testing import CliRunner

from tests.web.conftest import client_for
from tests.web.jobs.conftest import run_worker
from wendao.cli import app
from wendao.web.accounts.models import User
from wendao.web.enterprises.models import Enterprise
from wendao.web.jobs import services
from wendao.web.jobs.models import BatchItem, BatchJob
from wendao.web.programmes.models import Programme

pytestmark = pytest.mark.django_db(transaction=True)
runner = CliRunner()


def died_mid_item(job: BatchJob, ago: timedelta = timedelta(seconds=5)) -> BatchItem:
    """The state `kill -9` of the worker leaves: the job's queue task taken and never finished, the job
    running, one item claimed by the dead worker whose lease ran out `ago` ago, nothing touched since."""
    lease_end = timezone.now() - ago
    began = lease_end - services.lease()
    DBTaskResult.objects.filter(id__in=job.task_ids).update(status=TaskResultStatus.RUNNING, started_at=began)
    BatchJob.objects.filter(pk=job.pk).update(status=BatchJob.Status.RUNNING, started_at=began)
    item = services.claim_item(job.pk, "dead-worker")
    assert item is not None
    BatchItem.objects.filter(job=job).update(updated_at=began)
    BatchItem.objects.filter(pk=item.pk).update(claimed_at=began, lease_expires_at=lease_end)
    item.refresh_from_db()
    job.refresh_from_db()
    return item


def expire(item: BatchItem) -> None:
    BatchItem.objects.filter(pk=item.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))


def due(task_id: str) -> None:
    """Make a queued task due now, as time passing would."""
    DBTaskResult.objects.filter(id=task_id).update(run_after=timezone.now() - timedelta(seconds=1))


def status_json(job: BatchJob) -> dict[str, Any]:
    result = runner.invoke(app, ["jobs", "status", str(job.pk), "--format", "json"])
    return json.loads(result.stdout)  # type: ignore[no-any-return]


# --- (a) a dead worker's item is taken over and the job completes, without anyone asking ------------------------


def test_the_next_worker_takes_over_a_dead_workers_job_by_itself_and_completes_it(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    job, _ = services.start_job(olivia, programme, "regenerate")
    dead_task = job.task_ids[0]
    orphan = died_mid_item(job)
    assert job.watch_task_id  # every job has a watch queued for later
    due(job.watch_task_id)

    run_worker("new-worker")  # a new worker (or `wendao demo` restarted): nobody re-runs anything

    job.refresh_from_db()
    assert job.status == BatchJob.Status.COMPLETED
    orphan.refresh_from_db()
    assert orphan.status in (BatchItem.Status.DONE, BatchItem.Status.SKIPPED)
    assert orphan.attempts == 2
    assert orphan.interruptions == 1
    assert orphan.claimed_by != "dead-worker"
    assert BatchItem.objects.filter(job=job, attempts=1).count() == 2  # the others were processed once
    dead = DBTaskResult.objects.get(id=dead_task)
    assert dead.status == TaskResultStatus.FAILED  # django-tasks-db leaves it RUNNING forever; the watch closes it
    assert dead.exception_class_path.endswith("WorkerLost")

    # the chain ends with the job: the last watch, once due, finds it finished and queues nothing more
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
    due(job.watch_task_id)
    run_worker()
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


def test_a_live_co_worker_takes_over_the_expired_item_after_the_fresh_ones(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    job, _ = services.start_job(olivia, programme, "export")
    orphan = died_mid_item(job)
    taken = [services.claim_item(job.pk, "w2") for _ in range(3)]
    assert [t.pk for t in taken if t is not None][-1] == orphan.pk  # retries go after the fresh items
    orphan.refresh_from_db()
    assert orphan.claimed_by == "w2"
    assert orphan.attempts == 2
    assert orphan.lease_expires_at is not None
    assert orphan.lease_expires_at > timezone.now()
    assert "无响应" in orphan.error  # what happened to the attempt before, until this one ends
    assert services.claim_item(job.pk, "w3") is None


def test_a_live_lease_is_never_taken_over(olivia: User, programme: Programme, cohort: list[Enterprise]) -> None:
    job, _ = services.start_job(olivia, programme, "export")
    held = services.claim_item(job.pk, "busy-worker")
    assert held is not None
    others = [services.claim_item(job.pk, "w2") for _ in range(3)]
    assert held.pk not in [o.pk for o in others if o is not None]
    assert services.stalled_since(job) is None


def test_the_heartbeat_renews_only_its_own_claim_and_stops_on_a_hung_one(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    job, _ = services.start_job(olivia, programme, "export")
    item = services.claim_item(job.pk, "w1")
    assert item is not None
    expire(item)
    beat = services.Heartbeat("w1")
    assert not beat.renew()  # holds nothing
    with beat.holding_item(item):
        assert beat.renew()
        item.refresh_from_db()
        assert item.lease_expires_at is not None
        assert item.lease_expires_at > timezone.now() + services.lease() - timedelta(minutes=1)
    assert not services.Heartbeat("someone-else").renew()
    impostor = services.Heartbeat("someone-else")
    with impostor.holding_item(item):
        assert not impostor.renew()  # not its claim
    hung = services.Heartbeat("w1")
    with hung.holding_item(item):
        hung._held = ("item", item.pk, item.attempts, timezone.now() - services.HOLD_LIMIT - timedelta(seconds=1))
        assert not hung.renew()  # held too long: taken for hung, left to expire


def test_a_worker_whose_item_was_taken_over_drops_its_late_result(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    job, _ = services.start_job(olivia, programme, "export")
    BatchJob.objects.filter(pk=job.pk).update(status=BatchJob.Status.RUNNING)
    unplanned = BatchItem.objects.get(job=job, enterprise=cohort[2])  # processing it is quick: skipped
    assert services.take(unplanned, "slow-worker")
    slow_claim = BatchItem.objects.get(pk=unplanned.pk)
    expire(slow_claim)
    assert services.take(BatchItem.objects.get(pk=unplanned.pk), "w2")

    services.process_item(job, slow_claim)  # the slow worker wakes up and finishes its attempt

    unplanned.refresh_from_db()
    assert unplanned.status == BatchItem.Status.RUNNING
    assert unplanned.claimed_by == "w2"
    assert unplanned.attempts == 2


# --- (b) two takeovers of the same expired item: exactly one wins ---------------------------------------------


def test_of_two_takeovers_of_the_same_expired_item_only_one_wins(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    job, _ = services.start_job(olivia, programme, "export")
    orphan = died_mid_item(job)
    seen_by_w2 = BatchItem.objects.get(pk=orphan.pk)  # both read the item while its lease is over
    seen_by_w3 = BatchItem.objects.get(pk=orphan.pk)

    assert services.take(seen_by_w2, "w2")
    assert not services.take(seen_by_w3, "w3")

    orphan.refresh_from_db()
    assert orphan.claimed_by == "w2"
    assert orphan.attempts == 2


def test_a_renewal_between_the_read_and_the_takeover_keeps_the_item(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    job, _ = services.start_job(olivia, programme, "export")
    slow = services.claim_item(job.pk, "slow-worker")
    assert slow is not None
    expire(slow)
    seen = BatchItem.objects.get(pk=slow.pk)  # looks dead to w2 ...
    beat = services.Heartbeat("slow-worker")
    with beat.holding_item(slow):
        assert beat.renew()  # ... but its heartbeat lands first
    assert not services.take(seen, "w2")
    slow.refresh_from_db()
    assert slow.claimed_by == "slow-worker"
    assert slow.attempts == 1


def test_concurrent_takeovers_on_postgresql_block_then_lose(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    """Two connections at once (PostgreSQL only: the in-memory SQLite test database has one writer anyway).
    The first takeover holds its row lock in an open transaction; the second UPDATE waits for it, re-checks
    its WHERE on the committed row and updates nothing."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections: PostgreSQL")
    job, _ = services.start_job(olivia, programme, "export")
    orphan = died_mid_item(job)
    seen = BatchItem.objects.get(pk=orphan.pk)
    first_in = threading.Event()
    results: dict[str, bool] = {}

    def first() -> None:
        with transaction.atomic():
            results["w2"] = services.take(seen, "w2")
            first_in.set()
            threading.Event().wait(1.0)  # hold the row lock while w3 tries
        connection.close()

    def second() -> None:
        first_in.wait(10)
        results["w3"] = services.take(seen, "w3")
        connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == {"w2": True, "w3": False}
    orphan.refresh_from_db()
    assert (orphan.claimed_by, orphan.attempts) == ("w2", 2)


# --- (c) an item that keeps killing its worker is failed with the reason ---------------------------------------


def test_an_item_interrupted_on_every_attempt_is_failed_with_the_reason_and_the_job_ends(
    settings: Any, olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    assert settings.WENDAO_JOB_ATTEMPTS == 3
    job, _ = services.start_job(olivia, programme, "export")
    BatchJob.objects.filter(pk=job.pk).update(status=BatchJob.Status.RUNNING)
    deadly = BatchItem.objects.get(job=job, enterprise=cohort[0])
    for n in range(3):  # three workers die on it in turn
        assert services.take(BatchItem.objects.get(pk=deadly.pk), f"dead-{n}")
        expire(deadly)
    # the rest of the job is done already; what is left is the item nobody survives
    BatchItem.objects.filter(job=job).exclude(pk=deadly.pk).update(status=BatchItem.Status.SKIPPED, error="—")

    assert services.claim_item(job.pk, "w4") is None  # not a fourth time
    deadly.refresh_from_db()
    assert deadly.status == BatchItem.Status.FAILED
    assert deadly.attempts == 3
    assert deadly.interruptions == 3
    assert "处理该项的进程多次中断（3 次" in deadly.error
    assert services.finish_job(job.pk)
    job.refresh_from_db()
    assert job.status == BatchJob.Status.COMPLETED_WITH_FAILURES
    failed = next(p for p in status_json(job)["problems"] if p["status"] == "failed")
    assert "多次中断" in failed["error"]
    assert failed["attempts"] == 3


def test_an_item_that_failed_before_and_is_interrupted_on_its_last_attempt_says_both(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    job, _ = services.start_job(olivia, programme, "export")
    item = BatchItem.objects.get(job=job, enterprise=cohort[0])
    for _n in range(2):  # two attempts end in an error and go back to pending, as process_item leaves them
        assert services.take(BatchItem.objects.get(pk=item.pk), "w1")
        BatchItem.objects.filter(pk=item.pk).update(status=BatchItem.Status.PENDING, error="ValueError: bad data")
    assert services.take(BatchItem.objects.get(pk=item.pk), "dies")  # the third one's worker dies
    expire(item)
    BatchItem.objects.filter(job=job).exclude(pk=item.pk).update(status=BatchItem.Status.SKIPPED, error="—")

    assert services.claim_item(job.pk, "w2") is None
    item.refresh_from_db()
    assert item.status == BatchItem.Status.FAILED
    assert item.interruptions == 1
    assert "进程中断，尝试次数已用完（共 3 次）" in item.error
    assert "ValueError: bad data" in item.error


def test_a_worker_that_dies_while_building_the_archive_is_taken_over_and_not_forever(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    job, _ = services.start_job(olivia, programme, "export")
    BatchItem.objects.filter(job=job).update(status=BatchItem.Status.SKIPPED, error="—")
    past = timezone.now() - timedelta(seconds=1)
    BatchJob.objects.filter(pk=job.pk).update(
        status=BatchJob.Status.FINISHING, lease_expires_at=past, finish_attempts=1
    )
    job.refresh_from_db()
    assert services.stalled_since(job) == past
    assert services.finish_job(job.pk)
    job.refresh_from_db()
    assert job.status == BatchJob.Status.COMPLETED
    assert job.finish_attempts == 2
    assert job.archive

    again, _ = services.start_job(olivia, programme, "export")
    BatchItem.objects.filter(job=again).update(status=BatchItem.Status.SKIPPED, error="—")
    BatchJob.objects.filter(pk=again.pk).update(
        status=BatchJob.Status.FINISHING, lease_expires_at=past, finish_attempts=3
    )
    assert services.finish_job(again.pk)
    again.refresh_from_db()
    assert again.status == BatchJob.Status.FAILED
    assert "打包的进程多次中断" in again.error


# --- (d) a stalled job says so, is resumed at once when asked again, and fails by itself ------------------------


def test_a_stalled_job_is_shown_as_stalled_in_the_page_the_cli_and_its_json(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    job, _ = services.start_job(olivia, programme, "export")
    died_mid_item(job, ago=timedelta(seconds=30))

    report = status_json(job)
    assert report["status"] == "stalled"
    assert report["stalled_since"] is not None
    text = runner.invoke(app, ["jobs", "status", str(job.pk)])
    assert "stalled since" in text.output
    assert "waiting for another worker" in text.output
    page = client_for(olivia).get(f"/jobs/{job.pk}/progress/", headers={"HX-Request": "true"}).content.decode()
    assert 'data-status="stalled"' in page
    assert "已停滞" in page
    assert "无响应" in page
    assert "等待其他后台进程接手" in page
    assert "every 2s" in page  # still watched: a worker may take it up any moment


def test_a_running_job_with_a_live_lease_is_not_stalled(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    job, _ = services.start_job(olivia, programme, "export")
    BatchJob.objects.filter(pk=job.pk).update(status=BatchJob.Status.RUNNING, started_at=timezone.now())
    assert services.claim_item(job.pk, "busy-worker") is not None
    assert status_json(job)["status"] == "running"
    assert status_json(job)["stalled_since"] is None
    page = client_for(olivia).get(f"/jobs/{job.pk}/").content.decode()
    assert "已停滞" not in page
    again, created = services.start_job(olivia, programme, "export")
    assert (again.pk, created) == (job.pk, False)
    again.refresh_from_db()
    assert len(again.task_ids) == 1  # nothing queued again


def test_asking_again_for_a_stalled_job_resumes_it_at_once(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    """No ten-minute wait: the lease ran out seconds ago, and the request hands the job to a fresh task."""
    job, _ = services.start_job(olivia, programme, "export")
    orphan = died_mid_item(job, ago=timedelta(seconds=2))

    result = runner.invoke(app, ["jobs", "export", str(programme.pk)])

    assert result.exit_code == 0, result.output
    assert "stalled, resumed" in result.output
    assert "already running" not in result.output
    assert BatchJob.objects.count() == 1
    job.refresh_from_db()
    assert len(job.task_ids) == 2
    assert job.resumed_at is not None
    fresh = DBTaskResult.objects.get(id=job.task_ids[1])
    assert fresh.status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(id=job.task_ids[0]).status == TaskResultStatus.FAILED
    # asking once more queues nothing more: the fresh task still waits for a worker
    page = client_for(olivia).post(f"/jobs/programmes/{programme.pk}/start/", {"kind": "export"}, follow=True)
    assert "已停滞" in page.content.decode()
    job.refresh_from_db()
    assert len(job.task_ids) == 2
    taken = [services.claim_item(job.pk, "w2") for _ in range(3)]
    assert orphan.pk in [t.pk for t in taken if t is not None]


def test_a_stalled_job_that_no_worker_takes_up_fails_by_itself(
    settings: Any, olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    job, _ = services.start_job(olivia, programme, "export")
    orphan = died_mid_item(job, ago=services.abandon_after() + timedelta(minutes=1))

    report = status_json(job)  # whoever looks: the job page polling, `wendao jobs status`

    assert report["status"] == "failed"
    assert "没有其他后台进程接手" in report["error"]
    orphan.refresh_from_db()
    assert orphan.status == BatchItem.Status.FAILED
    assert "进程中断" in orphan.error
    assert BatchItem.objects.filter(job=job, status=BatchItem.Status.SKIPPED, error__contains="未处理").count() == 2
    page = client_for(olivia).get(f"/jobs/{job.pk}/").content.decode()
    assert "没有其他后台进程接手" in page
    assert "every 2s" not in page
    fresh, created = services.start_job(olivia, programme, "export")  # a new request starts over
    assert created
    assert fresh.pk != job.pk


def test_a_stalled_job_waiting_behind_a_busy_worker_is_not_failed(
    olivia: User, programme: Programme, cohort: list[Enterprise]
) -> None:
    job, _ = services.start_job(olivia, programme, "export")
    died_mid_item(job, ago=services.abandon_after() + timedelta(minutes=1))
    busy, _ = services.start_job(olivia, programme, "regenerate")  # a live worker is busy with another job
    assert services.claim_item(busy.pk, "busy-worker") is not None

    assert status_json(job)["status"] == "stalled"  # that worker takes it up when it is done
