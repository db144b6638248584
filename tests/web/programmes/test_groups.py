"""Discussion groups through the engine, moved by hand over HTMX, exported through the engine's writer; and
site visits allocated from ranked preferences."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.web.conftest import client_for
from tests.web.programmes.conftest import good_row, workbook
from wendao.web.accounts.models import AuditEvent
from wendao.web.programmes import services
from wendao.web.programmes.models import DiscussionGroup, GroupMembership, Participant, Programme, Session

pytestmark = pytest.mark.django_db
CITIES = ["济南", "青岛", "淄博", "烟台", "潍坊", "临沂"]


@pytest.fixture
def cohort(olivia: Any, programme: Programme) -> Programme:
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = [good_row(i, city=CITIES[i % 6], industry=["C34", "C26", "C39"][i % 3]) for i in range(1, 25)]
    url = reverse("programmes:import", kwargs={"pk": programme.pk})
    assert client_for(olivia).post(url, {"file": SimpleUploadedFile("a.xlsx", workbook(rows))}).status_code == 302
    for p in Participant.objects.filter(programme=programme):  # only firms that joined are grouped and allocated
        assert p.account is not None
        services.accept_invitation(p.account, p, None)
    return programme


def test_groups_are_formed_shown_by_name_and_moved_by_hand(olivia: Any, cohort: Programme) -> None:
    client = client_for(olivia)
    url = reverse("programmes:groups", kwargs={"pk": cohort.pk})
    assert client.post(url, {"size": "6"}).status_code == 302
    groups = list(DiscussionGroup.objects.filter(programme=cohort))
    assert len(groups) == 4
    assert GroupMembership.objects.filter(group__programme=cohort).count() == 24
    page = client.get(url).content.decode()
    assert "分组兼顾三点" in page  # what the grouping balanced, in a sentence
    for internal in ("目标值", "行业亲近度", "同城对数", "规模偏差", "local_search", "objective"):
        assert internal not in page, internal
    assert "济南" in page
    assert "通用设备制造业" in page
    assert ">jinan<" not in page
    assert ">C34<" not in page
    assert 'id="group-summary"' in page

    moved = GroupMembership.objects.filter(group=groups[0]).first()
    assert moved is not None
    response = client.post(
        reverse("programmes:group_move", kwargs={"pk": cohort.pk}),
        {"participant": moved.participant_id, "group": groups[1].pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="groups">')  # the fragment, not the page
    assert GroupMembership.objects.get(participant_id=moved.participant_id).group == groups[1]
    assert AuditEvent.objects.filter(action="programme.group_move").exists()


def test_a_group_of_another_programme_cannot_be_the_target(
    olivia: Any, cohort: Programme, other_programme: Programme
) -> None:
    client_for(olivia).post(reverse("programmes:groups", kwargs={"pk": cohort.pk}), {"size": "6"})
    foreign = DiscussionGroup.objects.create(programme=other_programme, number=1)
    p = Participant.objects.filter(programme=cohort).first()
    assert p is not None
    response = client_for(olivia).post(
        reverse("programmes:group_move", kwargs={"pk": cohort.pk}), {"participant": p.pk, "group": foreign.pk}
    )
    assert response.status_code == 404


def test_the_groups_export_has_each_firms_contact_and_mobile_and_no_solver_internals(
    olivia: Any, cohort: Programme
) -> None:
    client = client_for(olivia)
    client.post(reverse("programmes:groups", kwargs={"pk": cohort.pk}), {"size": "6"})
    response = client.get(reverse("programmes:groups_export", kwargs={"pk": cohort.pk}))
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["汇总", "第1组", "第2组", "第3组", "第4组"]
    assert sum(wb[f"第{n}组"].max_row - 1 for n in range(1, 5)) == 24
    cells = [str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    for internal in ("分组方法", "local_search", "LOCAL_OPTIMUM", "目标值", "随机种子", "jinan", "qingdao"):
        assert not [c for c in cells if internal in c], internal
    sheet = wb["第1组"]
    assert [c.value for c in sheet[1]][:4] == ["企业名称", "联系人", "手机", "城市"]
    by_name = {p.enterprise.name: p for p in Participant.objects.filter(programme=cohort).select_related("enterprise")}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        p = by_name[row[0]]
        assert row[1:3] == (p.contact_name, p.phone)
        assert row[3] in CITIES
        assert row[-1] == "未评估"  # nobody has been assessed yet


def test_the_groups_page_and_export_read_in_english(olivia: Any, cohort: Programme) -> None:
    client = client_for(olivia)
    url = reverse("programmes:groups", kwargs={"pk": cohort.pk})
    client.post(url, {"size": "6"})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The grouping balances three things" in page
    assert "Jinan" in page
    response = client.get(reverse("programmes:groups_export", kwargs={"pk": cohort.pk}), HTTP_ACCEPT_LANGUAGE="en")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[0] == "Summary"
    assert [c.value for c in wb["Group 1"][1]][:3] == ["Enterprise", "Contact", "Mobile"]


def test_the_programme_header_shows_its_dates_without_a_dangling_dash(olivia: Any, cohort: Programme) -> None:
    import datetime as dt

    cohort.starts_on, cohort.ends_on = dt.date(2026, 12, 7), None
    cohort.description = "第一期"
    cohort.save()
    page = client_for(olivia).get(reverse("programmes:detail", kwargs={"pk": cohort.pk})).content.decode()
    assert "2026-12-07 起 · 第一期" in page
    assert "2026-12-07 –" not in page
    cohort.starts_on, cohort.ends_on = None, None
    cohort.save()
    listing = client_for(olivia).get(reverse("programmes:list")).content.decode()
    assert "— –" not in listing
    assert " – <" not in listing


def test_site_visits_are_allocated_from_ranked_preferences_and_exported(olivia: Any, cohort: Programme) -> None:
    client = client_for(olivia)
    visits_url = reverse("programmes:visits", kwargs={"pk": cohort.pk})
    for title in ("参观点A", "参观点B"):
        assert client.post(visits_url, {"title": title, "capacity": "12"}).status_code == 302
    a, b = Session.objects.filter(programme=cohort).order_by("title")
    participants = list(Participant.objects.filter(programme=cohort))
    for p in participants:
        url = reverse("programmes:participant_preferences", kwargs={"pk": cohort.pk, "participant": p.pk})
        assert client.post(url, {"choice_1": str(a.pk), "choice_2": str(b.pk)}).status_code == 302
    bad = reverse("programmes:participant_preferences", kwargs={"pk": cohort.pk, "participant": participants[0].pk})
    assert client.post(bad, {"choice_1": str(a.pk), "choice_2": str(a.pk)}).status_code == 422
    assert client.post(reverse("programmes:visits_allocate", kwargs={"pk": cohort.pk})).status_code == 302
    assert a.assignments.count() == 12
    assert b.assignments.count() == 12
    assert a.assignments.filter(rank=1).count() == 12
    page = client.get(visits_url).content.decode()
    assert 'id="assignments"' in page
    assert "site visits: places" not in page  # the model's help text is for developers
    assert "可参观的企业数（名额）" in page
    wb = load_workbook(io.BytesIO(client.get(reverse("programmes:visits_export", kwargs={"pk": cohort.pk})).content))
    assert wb.worksheets[0].max_row == 25


def test_detail_and_reminders_count_progress(olivia: Any, cohort: Programme) -> None:
    response = client_for(olivia).get(reverse("programmes:detail", kwargs={"pk": cohort.pk}))
    assert response.context["counts"]["total"] == 24
    assert response.context["counts"]["assessment_done"] == 0
    reminders = client_for(olivia).get(reverse("programmes:reminders", kwargs={"pk": cohort.pk}))
    assert len(reminders.context["rows"]) == 24
