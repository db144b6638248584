"""The participant import: every problem of a broken file is reported at once and nothing is written; a
clean file creates enterprises, invited accounts and participants."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.web.conftest import client_for
from tests.web.programmes.conftest import good_row, workbook
from wendao.web.accounts.models import AuditEvent, User
from wendao.web.enterprises.models import Enterprise, Membership
from wendao.web.programmes.models import Participant, Programme
from wendao.web.programmes.services import invitation_path

pytestmark = pytest.mark.django_db


def _upload(user: Any, programme: Programme, content: bytes, name: str = "名单.xlsx") -> Any:
    url = reverse("programmes:import", kwargs={"pk": programme.pk})
    return client_for(user).post(url, {"file": SimpleUploadedFile(name, content)})


def test_the_template_has_the_chinese_headers(olivia: Any, programme: Programme) -> None:
    response = client_for(olivia).get(reverse("programmes:import_template", kwargs={"pk": programme.pk}))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == [
        "企业名称", "统一社会信用代码", "城市", "行业代码", "从业人员", "营业收入（万元）", "联系人", "手机", "邮箱",
    ]  # fmt: skip


def test_every_broken_row_is_reported_and_nothing_is_written(
    olivia: Any, programme: Programme, alice_participant: Participant
) -> None:
    enterprises, users = Enterprise.objects.count(), User.objects.count()
    rows = [
        good_row(1),
        good_row(2, city="火星市"),  # row 3: unknown city
        [*good_row(3)[:5], "", *good_row(3)[6:]],  # row 4: missing revenue
        good_row(1),  # row 5: duplicate of row 2
        [*good_row(5)[:4], "一百人", "很多", *good_row(5)[6:]],  # row 6: text in both number columns
        good_row(6, industry="C12"),  # row 7: not manufacturing C13–C43
        [*good_row(7)[:8], "not-an-email"],  # row 8: bad e-mail
        [alice_participant.enterprise.name, *good_row(8)[1:]],  # row 9: already in the programme
    ]
    response = _upload(olivia, programme, workbook(rows))
    assert response.status_code == 422
    problems = {(p.row, p.column) for p in response.context["problems"]}
    assert problems == {
        (3, "城市"), (4, "营业收入（万元）"), (5, "企业名称"), (5, "手机"), (6, "从业人员"), (6, "营业收入（万元）"),
        (7, "行业代码"), (8, "邮箱"), (9, "企业名称"),
    }  # fmt: skip
    text = response.content.decode()
    assert "火星市" in text
    assert "一百人" in text
    assert Enterprise.objects.count() == enterprises
    assert User.objects.count() == users
    assert Participant.objects.filter(programme=programme).count() == 1
    assert not AuditEvent.objects.filter(action="programme.import").exists()


def test_a_file_without_the_required_headers_is_refused(olivia: Any, programme: Programme) -> None:
    response = _upload(olivia, programme, workbook([["x"]], header=["企业名称"]))
    assert response.status_code == 422
    assert {p.column for p in response.context["problems"]} >= {"城市", "行业代码", "从业人员", "手机"}


def test_a_clean_file_creates_enterprises_accounts_and_participants(olivia: Any, programme: Programme) -> None:
    response = _upload(olivia, programme, workbook([good_row(i) for i in range(1, 6)]))
    assert response.status_code == 302
    assert Participant.objects.filter(programme=programme).count() == 5
    p = Participant.objects.get(programme=programme, enterprise__name="测试企业001有限公司")
    assert p.account is not None
    assert p.account.username == "13800000001"
    assert not p.account.has_usable_password()
    assert p.account_created
    assert p.consent == "pending"  # the contact accepts after signing in (test_consent.py)
    assert not Membership.objects.filter(user=p.account, enterprise=p.enterprise).exists()
    assert p.enterprise.city == "jinan"
    assert p.enterprise.employees == 101
    assert AuditEvent.objects.filter(action="programme.import", object_id=str(programme.pk)).exists()
    page = client_for(olivia).get(reverse("programmes:invitations", kwargs={"pk": programme.pk}))
    assert page.content.decode().count("/programmes/invite/") == 5  # one invitation link per row
    export = client_for(olivia).get(reverse("programmes:invitations_export", kwargs={"pk": programme.pk}))
    assert load_workbook(io.BytesIO(export.content)).worksheets[0].max_row == 6


def test_a_csv_file_works_too(olivia: Any, programme: Programme) -> None:
    header = "企业名称,统一社会信用代码,城市,行业代码,从业人员,营业收入（万元）,联系人,手机,邮箱\n"
    body = '淄博测试化工有限公司,,淄博,C26,300,"20,000",李四,13700000000,li@example.com\n'
    response = _upload(olivia, programme, (header + body).encode("gb18030"), "名单.csv")
    assert response.status_code == 302
    assert Enterprise.objects.get(name="淄博测试化工有限公司").revenue == 20000


def test_the_invitation_link_sets_a_password_once(olivia: Any, programme: Programme) -> None:
    _upload(olivia, programme, workbook([good_row(1)]))
    account = User.objects.get(username="13800000001")
    link = invitation_path(account)
    client = client_for(None)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "a new long secret 42", "new_password2": "a new long secret 42"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.check_password("a new long secret 42")
    again = client_for(None).get(link, follow=True)
    assert "失效" in again.content.decode()  # one-time: the token hashed the old (unusable) password
