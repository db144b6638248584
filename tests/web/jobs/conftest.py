"""Batch-job personas on top of tests/web/conftest.py and the programme ones: olivia organises a programme of
three enterprises built through the real use cases (two with a plan, one assessed without a plan); oscar
organises another programme; alice is a member of one of the enterprises.

The queue is the real django-tasks database backend, and the worker is django-tasks-db's own ``Worker`` run
in-process in batch mode (``run_worker``). The worker closes "old" connections between tasks, which would end
the test's wrapping transaction: tests that run it use ``transactional_db``.

Leases last an hour here (``_quiet_heartbeat``): the in-memory test database is shared-cache SQLite, where a
write from a second thread fails at once instead of waiting its turn, so the heartbeat thread must not write
while a test's worker runs. Tests that need an expired lease set it in the past; test_worker_process.py runs
real worker processes on a file database with two-second leases and live heartbeats.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.db import OperationalError
from django_tasks_db.management.commands.db_worker import Worker

from tests.web.conftest import join, make_enterprise, make_user
from wendao.web.accounts.models import User
from wendao.web.enterprises import services as enterprise_services
from wendao.web.enterprises.models import Enterprise
from wendao.web.programmes.models import Programme


def run_worker(worker_id: str = "test-worker") -> None:
    """Run every queued task on the database backend, then return (the `db_worker --batch` loop).

    Beside a live server (the e2e tests), the page's progress poll may hold the shared-cache in-memory database's
    table lock at the moment the worker begins its exclusive claim: SQLite then fails at once ("database table is
    locked") where a file database would wait. The claim is retried a moment later, as a real worker's next poll
    would (seen once in a loaded full run, test_journey.py)."""
    for attempt in range(50):
        try:
            Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id,
                excluded_queue_names=[],
            ).run()
            return
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.1)


@pytest.fixture(autouse=True)
def _quiet_heartbeat(settings: Any) -> None:
    settings.WENDAO_JOB_LEASE_SECONDS = 3600


@pytest.fixture
def cohort(programme: Programme, alice: User) -> list[Enterprise]:
    """Three participants: alice's (plan with a budget of 120 万元), a chemical firm (plan), and a firm whose
    assessment is still open (no plan)."""
    first = make_enterprise(alice, name="weifang_machinery")
    second = make_enterprise(make_user("carol"), name="zibo_chemical")
    third = make_enterprise(make_user("dave"), name="linyi_food", complete=False)
    enterprise_services.create_plan(alice, first, enterprise_services.plan_options({"budget": 120}))
    enterprise_services.create_plan(None, second, enterprise_services.plan_options({}))
    for i, e in enumerate((first, second, third)):
        join(programme, e, contact_name=f"联系人{i}")
    return [first, second, third]
