"""An enterprise joins a programme only by its own consent, and may withdraw it: after a member leaves, the
programme's organisers reach none of the firm's data (404, as for any firm that never joined), its dashboards
and exports no longer count it, and the organisers cannot invite its contact to the programme again."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.web.conftest import client_for
from tests.web.programmes.conftest import workbook
from wendao.web.accounts.models import AuditEvent, User
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.insights.queries import enterprises_of
from wendao.web.jobs.models import BatchItem, BatchJob
from wendao.web.programmes.models import Participant, Programme

pytestmark = pytest.mark.django_db


def _leave(user: User, participant: Participant, confirm: bool = True) -> Any:
    url = reverse("programmes:my_leave", kwargs={"participant": participant.pk})
    return client_for(user).post(url, {"confirm": "on"} if confirm else {})


def test_after_a_member_leaves_the_organiser_reaches_nothing_of_the_firm(
    olivia: User, programme: Programme, alice: User, alice_plan: PlanRecord, alice_participant: Participant
) -> None:
    organiser = client_for(olivia)
    firm: Enterprise = alice_plan.enterprise
    keys = {"pk": programme.pk, "participant": alice_participant.pk, "plan": alice_plan.pk}
    plan_state = reverse("programmes:participant_plan_prepare", kwargs=keys)  # the organiser's copy of the plan
    participant_page = reverse(
        "programmes:participant", kwargs={"pk": programme.pk, "participant": alice_participant.pk}
    )
    assert organiser.get(plan_state).status_code == 200  # joined: the organiser may view it
    assert list(organiser.get(participant_page).context["plans"]) == [alice_plan]
    assert firm in enterprises_of(Programme.objects.filter(pk=programme.pk))

    assert _leave(alice, alice_participant).status_code == 302

    alice_participant.refresh_from_db()
    assert alice_participant.consent == "declined"
    assert organiser.get(plan_state).status_code == 404
    assert organiser.get(participant_page).context["plans"] == []
    assert firm not in enterprises_of(Programme.objects.filter(pk=programme.pk))
    assert AuditEvent.objects.filter(action="programme.leave", actor=alice).exists()
    # and the contact is not invited to this programme again under another name
    row = ["山东另一家机械有限公司", "", "潍坊", "C34", 180, 12000, "王丽", alice_participant.phone, ""]
    url = reverse("programmes:import", kwargs={"pk": programme.pk})
    again = organiser.post(url, {"file": SimpleUploadedFile("名单.xlsx", workbook([row]))})
    assert again.status_code == 422


def test_leaving_needs_the_box_ticked_and_a_member_of_the_firm(
    olivia: User, bob: User, alice: User, alice_participant: Participant
) -> None:
    assert _leave(alice, alice_participant, confirm=False).status_code == 302
    alice_participant.refresh_from_db()
    assert alice_participant.consent == "joined"
    for outsider in (bob, olivia):
        assert _leave(outsider, alice_participant).status_code == 404
    alice_participant.refresh_from_db()
    assert alice_participant.consent == "joined"


def test_leaving_drops_the_programmes_stored_export_archives_that_hold_the_firms_plans(
    olivia: User, programme: Programme, alice: User, alice_plan: PlanRecord, alice_participant: Participant
) -> None:
    job = BatchJob.objects.create(
        programme=programme,
        kind=BatchJob.Kind.EXPORT,
        status=BatchJob.Status.COMPLETED,
        archive=b"PK\x05\x06" + b"\0" * 18,
        archive_name="export.zip",
    )
    BatchItem.objects.create(
        job=job, enterprise=alice_plan.enterprise, position=1, label="潍坊", plan=alice_plan, document=b"%PDF-1.4"
    )
    download = reverse("jobs:download", kwargs={"pk": job.pk})
    assert client_for(olivia).get(download).status_code == 200

    _leave(alice, alice_participant)

    assert client_for(olivia).get(download).status_code == 404
    assert BatchItem.objects.get(job=job).document is None
