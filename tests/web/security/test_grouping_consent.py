"""Only firms that joined a programme are grouped, allocated to site visits and shown there: a pending
invitee, a firm that declined and a firm that joined and left appear on no groups or visits page or workbook,
cannot be moved or ranked by hand, and a firm that left shows the organisers neither its current city nor its
industry (services.groupable, services.organiser_reads_enterprise)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.web.api.conftest import ApiClient, token_for
from tests.web.conftest import client_for
from tests.web.programmes.conftest import good_row, workbook
from wendao.web.accounts.models import User
from wendao.web.catalog.services import active_catalog
from wendao.web.programmes import services
from wendao.web.programmes.models import GroupMembership, Participant, Programme, Session

pytestmark = pytest.mark.django_db
CITIES = ["济南", "青岛", "淄博", "烟台", "潍坊", "临沂"]


@pytest.fixture
def cohort(olivia: User, programme: Programme) -> dict[str, Any]:
    """Twelve imported firms: nine accept, one stays pending, one declines, one accepts and then leaves after
    ranking its site visits and moving to Qingdao."""
    rows = [good_row(i, city=CITIES[i % 6]) for i in range(1, 13)]
    url = reverse("programmes:import", kwargs={"pk": programme.pk})
    assert client_for(olivia).post(url, {"file": SimpleUploadedFile("a.xlsx", workbook(rows))}).status_code == 302
    everyone = list(Participant.objects.filter(programme=programme).order_by("pk"))
    *joined, pending, declined, departed = everyone
    for p in [*joined, departed]:
        assert p.account is not None
        services.accept_invitation(p.account, p, None)
    assert declined.account is not None
    services.decline_invitation(declined.account, declined)
    client = client_for(olivia)
    visits = reverse("programmes:visits", kwargs={"pk": programme.pk})
    for title in ("参观点A", "参观点B"):
        assert client.post(visits, {"title": title, "capacity": "12"}).status_code == 302
    a = Session.objects.get(programme=programme, title="参观点A")
    rank = reverse("programmes:participant_preferences", kwargs={"pk": programme.pk, "participant": departed.pk})
    assert client.post(rank, {"choice_1": str(a.pk)}).status_code == 302
    assert client.post(reverse("programmes:groups", kwargs={"pk": programme.pk}), {"size": "4"}).status_code == 302
    assert client.post(reverse("programmes:visits_allocate", kwargs={"pk": programme.pk})).status_code == 302
    assert departed.account is not None
    departed.refresh_from_db()
    departed.enterprise.city, departed.enterprise.industry = "qingdao", "C26"  # the firm's own later edit
    departed.enterprise.save(update_fields=["city", "industry"])
    services.leave_programme(departed.account, departed)
    return {"joined": joined, "pending": pending, "declined": declined, "departed": departed}


def _texts(content: bytes) -> str:
    wb = load_workbook(io.BytesIO(content))
    return "\n".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c)


def test_groups_and_visits_hold_only_the_firms_that_joined(
    olivia: User, programme: Programme, cohort: dict[str, Any]
) -> None:
    client = client_for(olivia)
    outsiders = [cohort["pending"], cohort["declined"], cohort["departed"]]
    grouped = set(GroupMembership.objects.filter(group__programme=programme).values_list("participant", flat=True))
    assert cohort["pending"].pk not in grouped
    assert cohort["declined"].pk not in grouped
    view = services.programme_groups(programme, active_catalog())
    shown = {r.participant.pk for g in view.groups for r in g.members} | {p.pk for p in view.ungrouped}
    assert shown == {p.pk for p in cohort["joined"]}
    pages = [
        client.get(reverse("programmes:groups", kwargs={"pk": programme.pk})).content.decode(),
        client.get(reverse("programmes:visits", kwargs={"pk": programme.pk})).content.decode(),
        _texts(client.get(reverse("programmes:groups_export", kwargs={"pk": programme.pk})).content),
        _texts(client.get(reverse("programmes:visits_export", kwargs={"pk": programme.pk})).content),
    ]
    for text in pages:
        for p in outsiders:
            assert p.phone not in text, (p.consent, text[:200])
            assert p.contact_name not in text
    assert all(p.phone in pages[3] for p in cohort["joined"])  # the nine joined firms are all allocated


def test_an_organiser_cannot_move_or_rank_a_firm_that_has_not_joined(
    olivia: User, programme: Programme, cohort: dict[str, Any]
) -> None:
    client = client_for(olivia)
    group = programme.groups.first()
    assert group is not None
    visit = Session.objects.filter(programme=programme).first()
    assert visit is not None
    for p in (cohort["pending"], cohort["declined"], cohort["departed"]):
        move = reverse("programmes:group_move", kwargs={"pk": programme.pk})
        assert client.post(move, {"participant": p.pk, "group": group.pk}).status_code == 404
        rank = reverse("programmes:participant_preferences", kwargs={"pk": programme.pk, "participant": p.pk})
        assert client.post(rank, {"choice_1": str(visit.pk)}).status_code == 404
    assert not GroupMembership.objects.filter(participant__in=[cohort["pending"], cohort["declined"]]).exists()


def test_a_firm_that_left_shows_neither_its_current_city_nor_its_industry(
    olivia: User, programme: Programme, cohort: dict[str, Any]
) -> None:
    client = client_for(olivia)
    departed = cohort["departed"]
    page = client.get(
        reverse("programmes:participant", kwargs={"pk": programme.pk, "participant": departed.pk})
    ).content.decode()
    assert "青岛" not in page
    assert "化学原料" not in page
    assert departed.phone in page  # the contact the organiser imported stays
    table = reverse("programmes:detail", kwargs={"pk": programme.pk})
    assert departed.enterprise.name not in client.get(table, {"city": "qingdao"}).content.decode()
    assert departed.enterprise.name not in client.get(table, {"division": "C26"}).content.decode()
    listed = client.get(table, {"status": "declined"}).content.decode()
    assert departed.enterprise.name in listed
    assert "化学原料" not in listed
    # a pending invitee keeps the city the organiser itself imported
    pending = cohort["pending"]
    page = client.get(
        reverse("programmes:participant", kwargs={"pk": programme.pk, "participant": pending.pk})
    ).content.decode()
    assert "潍坊" in page


def test_the_api_follows_the_same_rule(olivia: User, programme: Programme, cohort: dict[str, Any]) -> None:
    api = ApiClient(token_for(olivia))
    joined = {p.pk for p in cohort["joined"]}
    grouped = {pk for g in api.get(f"/api/programmes/{programme.pk}/groups").json() for pk in g["participants"]}
    assert grouped == joined
    rows = {r["id"]: r for r in api.get(f"/api/programmes/{programme.pk}/participants").json()}
    departed = rows[cohort["departed"].pk]
    assert (departed["city"], departed["industry"], departed["group"]) == ("", "", None)
    assert rows[cohort["pending"].pk]["city"] == "weifang"  # what the organiser imported
