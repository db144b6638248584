"""Real worker processes on a file database: `wendao jobs worker` is killed with SIGKILL mid-export, and a second
worker, started later and told nothing, finishes the job (what `wendao demo` restarted does).

The database is a SQLite file in tmp_path (WAL, as in the embedded default) with two-second leases, so the
heartbeat thread really renews them and the dead worker's item really expires. The test reads the database
with sqlite3 directly: it watches, the workers work."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import wendao
from tests.conftest import REPO, wendao_executable

SETTINGS = """
from wendao.web.settings import *  # noqa: F403

WENDAO_JOB_LEASE_SECONDS = 2  # heartbeat every 1/3 s, a watch every second
WENDAO_PLAN_MATCHER = False
"""

SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.web.conftest import join, make_enterprise, make_user
from wendao.web.accounts.models import Role
from wendao.web.enterprises import services as enterprise_services
from wendao.web.jobs import services
from wendao.web.programmes.models import Programme

olivia = make_user("olivia", Role.ORGANISER)
programme = Programme.objects.create(name="2026 济南班")
programme.organisers.add(olivia)
for name, planned in (("linyi_food", False), ("zibo_chemical", True)):  # positions 1 and 2 (by name)
    enterprise = make_enterprise(make_user(name), name=name, complete=planned)
    if planned:
        enterprise_services.create_plan(None, enterprise, enterprise_services.plan_options({}))
    join(programme, enterprise)
job, _ = services.start_job(olivia, programme, "export")
print(job.pk)
"""


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Any]:
    (tmp_path / "lease_settings.py").write_text(SETTINGS)
    # a file database of its own, also when the suite runs on PostgreSQL (make test's second run)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "DJANGO_SETTINGS_MODULE": "lease_settings",
        # the settings above, the tests' helpers, and the same wendao as this process
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO), str(Path(wendao.__file__).parents[1])]),
        "WENDAO_VAR_DIR": str(tmp_path),
    }
    made = subprocess.run([sys.executable, "-c", SETUP], env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    return {"env": env, "db": tmp_path / "wendao.sqlite3", "job": int(made.stdout.split()[-1]), "logs": tmp_path}


@pytest.fixture
def workers(world: dict[str, Any]) -> Iterator[Callable[[str], subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(name: str) -> subprocess.Popen[bytes]:
        log = (world["logs"] / f"{name}.log").open("wb")
        proc = subprocess.Popen(
            [wendao_executable(), "jobs", "worker", "--interval", "0.2"],
            env=world["env"],
            cwd=world["logs"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def wait_for(db: Path, query: str, args: tuple[Any, ...], timeout: float, what: str) -> tuple[Any, ...]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sqlite3.connect(db, timeout=20) as conn:
            row = conn.execute(query, args).fetchone()
        if row is not None:
            return tuple(row)
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_worker_killed_mid_export_is_replaced_by_the_next_worker_without_help(
    world: dict[str, Any], workers: Callable[[str], subprocess.Popen[bytes]]
) -> None:
    db, job = world["db"], world["job"]
    first = workers("first")
    # the first worker has processed an item and is rendering the next document: kill it there
    killed_item, killed_by = wait_for(
        db,
        "SELECT id, claimed_by FROM jobs_batchitem WHERE job_id = ? AND status = 'running' AND EXISTS"
        " (SELECT 1 FROM jobs_batchitem d WHERE d.job_id = ? AND d.status IN ('done', 'skipped'))",
        (job, job),
        90,
        "the first worker to start on its second item",
    )
    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)

    workers("second")  # nobody re-runs the export, nobody touches the job

    status, error = wait_for(
        db,
        "SELECT status, error FROM jobs_batchjob WHERE id = ? AND status IN"
        " ('completed', 'completed_with_failures', 'failed')",
        (job,),
        90,
        "the second worker to finish the job",
    )
    assert (status, error) == ("completed", ""), (world["logs"] / "second.log").read_text()
    with sqlite3.connect(db) as conn:
        item = conn.execute(
            "SELECT status, attempts, claimed_by FROM jobs_batchitem WHERE id = ?", (killed_item,)
        ).fetchone()
        archive = conn.execute("SELECT length(archive) FROM jobs_batchjob WHERE id = ?", (job,)).fetchone()[0]
    assert item[0] == "done"  # its document is in the archive
    assert item[1] == 2
    assert item[2] != killed_by
    assert archive > 0
    # the dead worker's queue task is closed (django-tasks-db alone would leave it RUNNING forever); the second
    # worker's own task ends just after the job
    failed, running = wait_for(
        db,
        "SELECT sum(status = 'FAILED'), sum(status = 'RUNNING') FROM django_tasks_database_dbtaskresult"
        " HAVING sum(status = 'RUNNING') = 0",
        (),
        20,
        "the queue tasks to end",
    )
    assert (failed, running) == (1, 0)
