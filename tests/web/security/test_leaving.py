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


def _built_report(user: User, programme: Programme | None, city: str = "") -> Any:
    from wendao.web.insights.models import CohortReport
    from wendao.web.insights.report import build_report, start_report

    report = start_report(user, programme, "zh", city=city)
    build_report(report.pk)
    report.refresh_from_db()
    assert report.status == CohortReport.Status.DONE, report.error
    return report


def test_leaving_deletes_the_programmes_and_its_citys_reports_made_since_the_firm_joined(
    olivia: User, programme: Programme, alice: User, alice_plan: PlanRecord, alice_participant: Participant
) -> None:
    """Before: the reports for superiors made while the firm was in the programme stayed downloadable after it
    left, with the firm counted in every aggregate (and named where it was a pilot candidate)."""
    from tests.web.conftest import make_user
    from wendao.web.accounts.models import Role
    from wendao.web.insights.models import CityShare, CohortReport
    from wendao.web.insights.report import clear_reports_holding

    firm: Enterprise = alice_plan.enterprise
    CityShare.objects.create(enterprise=firm, given_by=alice)
    official = make_user("jinan-official", Role.CITY_OFFICIAL)
    User.objects.filter(pk=official.pk).update(city=firm.city)
    official.refresh_from_db()
    made = _built_report(olivia, programme)
    city_made = _built_report(official, None, firm.city)
    download = reverse("insights:report_download", kwargs={"pk": programme.pk, "report_pk": made.pk, "fmt": "pdf"})
    city_download = reverse("insights:city_report_download", kwargs={"report_pk": city_made.pk, "fmt": "pdf"})
    assert client_for(olivia).get(download).status_code == 200
    assert client_for(official).get(city_download).status_code == 200

    assert _leave(alice, alice_participant).status_code == 302

    assert client_for(olivia).get(download).status_code == 404
    assert client_for(official).get(city_download).status_code == 404
    assert not CohortReport.objects.exists()
    assert clear_reports_holding(firm, alice_participant.created_at, programme) == 0


def test_withdrawing_the_city_share_deletes_the_citys_reports_made_since(
    programme: Programme, alice: User, alice_plan: PlanRecord, alice_participant: Participant
) -> None:
    from tests.web.conftest import make_user
    from wendao.web.accounts.models import Role
    from wendao.web.insights.models import CityShare, CohortReport

    firm: Enterprise = alice_plan.enterprise
    CityShare.objects.create(enterprise=firm, given_by=alice)
    official = make_user("jinan-official", Role.CITY_OFFICIAL)
    User.objects.filter(pk=official.pk).update(city=firm.city)
    official.refresh_from_db()
    _built_report(official, None, firm.city)

    url = reverse("insights:city_share", kwargs={"pk": firm.pk})
    assert client_for(alice).post(url, {"share": "0"}).status_code == 302

    assert not CityShare.objects.exists()
    assert not CohortReport.objects.filter(programme=None).exists()


def test_a_report_being_built_when_a_firm_leaves_is_not_kept(
    olivia: User, programme: Programme, alice: User, alice_plan: PlanRecord, alice_participant: Participant
) -> None:
    from django.utils import timezone

    from wendao.web.insights.models import CohortReport
    from wendao.web.insights.report import _left_while_built

    report = CohortReport.objects.create(
        programme=programme, lang="zh", status=CohortReport.Status.RUNNING, started_at=timezone.now()
    )
    assert not _left_while_built(report)
    _leave(alice, alice_participant)
    assert _left_while_built(report)


def test_leaving_withdraws_the_programmes_unanswered_joint_challenge_invitations(
    olivia: User, programme: Programme, alice: User, alice_plan: PlanRecord, alice_participant: Participant
) -> None:
    """Before: the organiser's joint challenge kept inviting the departed firm, with its plan's estimate copied
    into the invitation and counted in "invited"."""
    from tests.web.marketplace.test_joint import terms
    from wendao.web.marketplace import joint
    from wendao.web.marketplace.models import JointMember

    scenario = alice_plan.plan["items"][0]["scenario"]
    challenge = joint.draft_joint_challenge(
        olivia, programme, scenario, alice_plan.enterprise.city, terms(), min_firms=1
    )
    assert joint.summary(challenge).invited == 1

    _leave(alice, alice_participant)

    assert joint.summary(challenge).invited == 0
    assert not JointMember.objects.filter(enterprise=alice_plan.enterprise).exists()
