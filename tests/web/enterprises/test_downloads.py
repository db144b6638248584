"""One use case hands a stored plan out (enterprises/downloads.py): the enterprise's web page, the API and the
programme organiser each record the ``plan.download`` that sets the participant's "document downloaded" status."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.api.conftest import ApiClient, token_for
from tests.web.conftest import client_for, join
from wendao.web.accounts.models import AuditEvent, User
from wendao.web.enterprises.models import PlanRecord
from wendao.web.programmes.models import Programme
from wendao.web.programmes.services import statuses

pytestmark = pytest.mark.django_db


def _downloads(plan: PlanRecord) -> list[dict[str, str]]:
    events = AuditEvent.objects.filter(action="plan.download", object_id=str(plan.pk)).order_by("pk")
    return [{**e.changes, "actor": e.actor.username if e.actor else ""} for e in events]


def _downloaded(programme: Programme) -> bool:
    (row,) = statuses(programme)
    return row.document_downloaded


def test_the_enterprise_web_download_is_recorded_and_sets_the_participant_status(
    alice: User, alice_plan: PlanRecord, programme: Programme
) -> None:
    join(programme, alice_plan.enterprise)
    assert not _downloaded(programme)
    url = reverse("enterprises:plan_download", kwargs={"pk": alice_plan.pk, "fmt": "docx"})
    response = client_for(alice).get(url)
    assert response.status_code == 200
    assert f'attachment; filename="wendao-plan-{alice_plan.pk}-zh.docx"' == response["Content-Disposition"]
    assert _downloads(alice_plan) == [{"format": "docx", "lang": "zh", "via": "web", "actor": "alice"}]
    assert _downloaded(programme)


def test_the_api_download_is_recorded_and_sets_the_participant_status(
    alice: User, alice_plan: PlanRecord, programme: Programme
) -> None:
    join(programme, alice_plan.enterprise)
    response = ApiClient(token_for(alice)).get(f"/api/plans/{alice_plan.pk}/document", format="json", lang="en")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="wendao-plan-{alice_plan.pk}-en.json"'
    assert _downloads(alice_plan) == [{"format": "json", "lang": "en", "via": "api", "actor": "alice"}]
    assert _downloaded(programme)


def test_the_organisers_download_is_recorded_but_is_not_the_firm_taking_its_plan_home(
    olivia: User, alice_plan: PlanRecord, programme: Programme
) -> None:
    p = join(programme, alice_plan.enterprise)
    url = reverse(
        "programmes:participant_plan", kwargs={"pk": programme.pk, "participant": p.pk, "plan": alice_plan.pk}
    )
    response = client_for(olivia).get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert _downloads(alice_plan) == [{"format": "pdf", "lang": "zh", "via": "organiser", "actor": "olivia"}]
    assert not _downloaded(programme)  # the status says the enterprise took its plan home


def test_a_download_recorded_before_the_way_was_kept_still_counts(
    alice: User, alice_plan: PlanRecord, programme: Programme
) -> None:
    join(programme, alice_plan.enterprise)
    AuditEvent.objects.create(
        actor=alice,
        action="plan.download",
        object_type="enterprises.planrecord",
        object_id=str(alice_plan.pk),
        changes={"format": "pdf"},
    )
    assert _downloaded(programme)


def test_a_refused_download_records_nothing(bob: User, alice_plan: PlanRecord) -> None:
    url = reverse("enterprises:plan_download", kwargs={"pk": alice_plan.pk, "fmt": "pdf"})
    assert client_for(bob).get(url).status_code == 404
    assert _downloads(alice_plan) == []
