"""The organiser's timetable: built in the web, exported and imported as Excel, seen by participants at once."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from tests.web.conftest import client_for, make_user
from wendao.web.accounts.models import Role, User
from wendao.web.programmes import timetable
from wendao.web.programmes.models import DiscussionGroup, GroupMembership, Participant, Programme, Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(programme: Programme, alice_participant: Participant) -> list[DiscussionGroup]:
    one, two = (DiscussionGroup.objects.create(programme=programme, number=n) for n in (1, 2))
    GroupMembership.objects.create(group=one, participant=alice_participant)
    return [one, two]


def _post(user: User, programme: Programme, **data: Any) -> Any:
    base = {"kind": "lecture", "title": "讲座", "starts_at": "2026-06-01T09:00", "ends_at": "2026-06-01T12:00"}
    return client_for(user).post(reverse("programmes:timetable", kwargs={"pk": programme.pk}), base | data)


def test_an_organiser_adds_a_session_for_one_group_and_its_members_see_it_at_once(
    olivia: User, alice: User, programme: Programme, alice_participant: Participant, groups: list[DiscussionGroup]
) -> None:
    response = _post(olivia, programme, kind="discussion", title="晚间研讨", location="301室", groups=[groups[0].pk])
    assert response.status_code == 302
    _post(olivia, programme, kind="discussion", title="第二组研讨", groups=[groups[1].pk])
    session = Session.objects.get(title="晚间研讨")
    assert list(session.groups.all()) == [groups[0]]
    assert timezone.localtime(session.starts_at).hour == 9
    page = client_for(alice).get(reverse("programmes:my_week", kwargs={"participant": alice_participant.pk}))
    body = page.content.decode()
    assert "晚间研讨" in body
    assert "301室" in body
    assert "第二组研讨" not in body


@pytest.mark.parametrize(
    ("data", "field", "why"),
    [
        ({"ends_at": "2026-06-01T08:00"}, "ends_at", "结束时间应晚于开始时间"),
        ({"kind": "site_visit", "capacity": ""}, "capacity", "现场参观要填名额"),
        ({"title": ""}, "title", ""),
    ],
)
def test_a_bad_session_is_refused_with_the_fields_reason_and_keeps_the_input(
    olivia: User, programme: Programme, data: dict[str, str], field: str, why: str
) -> None:
    response = _post(olivia, programme, location="保留的地点", **data)
    assert response.status_code == 422
    body = response.content.decode()
    assert why in body
    assert "保留的地点" in body
    assert not Session.objects.filter(programme=programme).exists()


def test_a_session_is_edited_and_a_visit_with_preferences_cannot_be_deleted(
    olivia: User, programme: Programme, alice_participant: Participant
) -> None:
    visit = Session.objects.create(programme=programme, kind="site_visit", title="参观A", capacity=10)
    edit = reverse("programmes:session_edit", kwargs={"pk": programme.pk, "session": visit.pk})
    form = {
        "kind": "site_visit",
        "title": "参观A",
        "capacity": "12",
        "location": "济南",
        "starts_at": "2026-06-02T13:30",
    }
    assert client_for(olivia).post(edit, form).status_code == 302
    visit.refresh_from_db()
    assert (visit.capacity, visit.location) == (12, "济南")
    alice_participant.visit_preferences.create(session=visit, rank=1)
    delete = reverse("programmes:session_delete", kwargs={"pk": programme.pk, "session": visit.pk})
    client_for(olivia).post(delete)
    assert Session.objects.filter(pk=visit.pk).exists()


def test_the_timetable_goes_out_to_excel_and_comes_back_updating_by_name(
    olivia: User, programme: Programme, groups: list[DiscussionGroup]
) -> None:
    _post(olivia, programme, kind="discussion", title="=晚间研讨", groups=[groups[0].pk, groups[1].pk])
    _post(olivia, programme, kind="site_visit", title="参观A", capacity="30", starts_at="2026-06-02T13:30", ends_at="")
    out = client_for(olivia).get(reverse("programmes:timetable_export", kwargs={"pk": programme.pk}))
    sheet = load_workbook(io.BytesIO(out.content)).worksheets[0]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0] == list(timetable.HEADERS)
    assert rows[1] == ["2026-06-01", "09:00", "12:00", "分组讨论", "'=晚间研讨", None, None, None, "1、2"]
    assert rows[2][3:5] == ["现场参观", "参观A"]
    # change the visit's place and capacity, add a plenary for everyone, keep the quoted title as it came out
    sheet.cell(row=3, column=6, value="济南高新区")
    sheet.cell(row=3, column=8, value=40)
    sheet.append(["2026-06-05", "9:00", "11:30", "全体会议", "成果展示", "主会场", "", "", "全体"])
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    upload = SimpleUploadedFile("日程.xlsx", buffer.getvalue())
    response = client_for(olivia).post(
        reverse("programmes:timetable_import", kwargs={"pk": programme.pk}), {"file": upload}
    )
    assert response.status_code == 302
    visit = Session.objects.get(programme=programme, title="参观A")
    assert (visit.location, visit.capacity) == ("济南高新区", 40)
    show = Session.objects.get(programme=programme, title="成果展示")
    assert show.kind == "plenary"
    assert not show.groups.exists()
    assert timezone.localtime(show.starts_at) == timezone.make_aware(dt.datetime(2026, 6, 5, 9, 0))
    assert Session.objects.filter(programme=programme).count() == 3  # the quoted title found its session again


def _workbook(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append(list(timetable.HEADERS))
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_bad_timetable_file_lists_every_problem_by_row_and_writes_nothing(
    programme: Programme, groups: list[DiscussionGroup]
) -> None:
    content = _workbook(
        [
            ["2026-06-01", "09:00", "12:00", "讲座", "好的一行", "", "", "", ""],
            ["2026-06-01", "12:00", "09:00", "讲座", "倒过来", "", "", "", ""],
            ["", "09:00", "", "报告", "", "", "", "", "7"],
            ["2026-06-02", "", "", "现场参观", "没有名额", "", "", "", ""],
            ["2026-06-01", "", "", "讲座", "好的一行", "", "", "", "1,x"],
        ]
    )
    checked = timetable.check_timetable_file(programme, "t.xlsx", content)
    text = "\n".join(checked.problems)
    assert "第 3 行「结束」" in text
    assert "第 4 行「名称」" in text
    assert "第 4 行「类型」" in text
    assert "第 4 行「日期」" in text
    assert "第 4 行「参加小组」：没有这些组：7" in text
    assert "第 5 行「容量」" in text
    assert "第 6 行「名称」：与第 2 行重名" in text
    assert "第 6 行「参加小组」" in text
    assert timetable.check_timetable_file(programme, "t.pdf", b"%PDF").problems
    assert timetable.check_timetable_file(programme, "t.xlsx", _workbook([])).rows == []


def test_a_number_too_long_to_read_is_a_problem_of_its_row_not_a_crash(
    programme: Programme, groups: list[DiscussionGroup]
) -> None:
    # int() refuses a text of more than 4,300 digits with an error: the check read such a cell with it
    huge = "9" * 5000
    content = _workbook(
        [
            ["2026-06-02", "09:00", "12:00", "现场参观", "名额太长", "", "", huge, ""],
            ["2026-06-01", "09:00", "12:00", "讲座", "组号太长", "", "", "", f"1、{huge}"],
            ["2026-06-03", "09:00", "12:00", "现场参观", "全角名额", "", "", "２０", ""],
        ]
    )
    checked = timetable.check_timetable_file(programme, "t.xlsx", content)
    text = "\n".join(checked.problems)
    assert "第 2 行「容量」：应为正整数" in text
    assert "第 3 行「参加小组」：应为组号" in text
    assert "第 4 行" not in text  # full-width digits are still read


def test_an_import_with_problems_shows_them_and_changes_nothing(olivia: User, programme: Programme) -> None:
    upload = SimpleUploadedFile("t.xlsx", _workbook([["2026-06-01", "25:00", "", "讲座", "x", "", "", "", ""]]))
    response = client_for(olivia).post(
        reverse("programmes:timetable_import", kwargs={"pk": programme.pk}), {"file": upload}
    )
    assert response.status_code == 422
    assert "第 2 行「开始」" in response.content.decode()
    assert not Session.objects.filter(programme=programme).exists()


@pytest.mark.parametrize("who", ["oscar", "alice", "provider", "anonymous"])
def test_only_the_programmes_organisers_reach_its_timetable(
    who: str, oscar: User, alice: User, programme: Programme
) -> None:
    session = Session.objects.create(programme=programme, kind="lecture", title="讲座")
    user = {"oscar": oscar, "alice": alice, "provider": make_user("pete", Role.PROVIDER), "anonymous": None}[who]
    client = client_for(user)
    urls = [
        ("get", reverse("programmes:timetable", kwargs={"pk": programme.pk})),
        ("get", reverse("programmes:timetable_export", kwargs={"pk": programme.pk})),
        ("get", reverse("programmes:session_edit", kwargs={"pk": programme.pk, "session": session.pk})),
        ("post", reverse("programmes:session_delete", kwargs={"pk": programme.pk, "session": session.pk})),
        ("post", reverse("programmes:timetable_import", kwargs={"pk": programme.pk})),
    ]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == (302 if user is None else 404), url
    assert Session.objects.filter(pk=session.pk).exists()
