"""Importing a list tells the organiser nothing of which mobile numbers are already accounts, or whose
(account enumeration): a row with a number that is a firm's existing account, a staff (organiser) account or
no account at all is checked, announced, listed and exported the same way, each with one invitation link
whose page reads the same. Only submitting a password through it differs, and only a contact whose account
the import created sets one there; anyone else is told to sign in with their own password, nothing changed."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.web.api.conftest import ApiClient, token_for
from tests.web.conftest import PASSWORD, client_for, make_user
from tests.web.programmes.conftest import good_row, workbook
from wendao.web.accounts.models import Role, User
from wendao.web.programmes.models import Participant, Programme

pytestmark = pytest.mark.django_db

NEW, FIRM, STAFF = "13800000001", "13800000002", "13800000003"


@pytest.fixture
def imported(olivia: User, programme: Programme) -> dict[str, object]:
    make_user(FIRM)  # another firm's contact, registered before
    make_user(STAFF, role=Role.ORGANISER)  # another programme's organiser
    rows = [good_row(i) for i in (1, 2, 3)]
    url = reverse("programmes:import", kwargs={"pk": programme.pk})
    response = client_for(olivia).post(url, {"file": SimpleUploadedFile("名单.xlsx", workbook(rows))}, follow=True)
    return {"response": response}


def _link_rows(page: str) -> dict[str, str]:
    """The invitations page's rows: user name -> the row with the link's token blanked."""
    rows = re.findall(r"<tr><td>.*?</tr>", page)
    return {p: re.sub(r"/invite/\d+/[^/\"]+/", "/invite/…/", r) for r in rows for p in (NEW, FIRM, STAFF) if p in r}


def test_the_import_shows_new_registered_and_staff_numbers_alike(
    olivia: User, programme: Programme, imported: dict[str, object]
) -> None:
    response = imported["response"]
    assert response.status_code == 200  # followed to the invitations page: no row was refused
    page = response.content.decode()
    assert "已邀请 3 家企业" in page
    assert "已有账号" not in page
    rows = _link_rows(page)
    assert set(rows) == {NEW, FIRM, STAFF}
    shapes = {re.sub(r"测试企业00\d|联系人\d|1380000000\d", "X", r) for r in rows.values()}
    assert len(shapes) == 1  # each row reads the same but for its own name, contact and number
    export = client_for(olivia).get(reverse("programmes:invitations_export", kwargs={"pk": programme.pk}))
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    links = {r[4]: r[5] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(links) == {NEW, FIRM, STAFF}
    assert all("/programmes/invite/" in str(link) for link in links.values())


def test_every_invitation_link_opens_the_same_page_and_only_a_new_account_sets_a_password(
    olivia: User, programme: Programme, imported: dict[str, object]
) -> None:
    page = client_for(olivia).get(reverse("programmes:invitations", kwargs={"pk": programme.pk})).content.decode()
    links = dict(
        re.findall(r"<td>(1380000000\d)</td><td><input[^>]*value=\"[^\"]*?(/programmes/invite/[^\"]+)\"", page)
    )
    # the same page but for the firm's name, the number and the per-request CSRF token
    varying = r"测试企业00\d|1380000000\d|value=\"[^\"]+\"|\"X-CSRFToken\": \"[^\"]+\""
    opened = {re.sub(varying, "X", client_for(None).get(link).content.decode()) for link in links.values()}
    assert len(links) == 3
    assert len(opened) == 1
    new_password = {"new_password1": "a new long secret 42", "new_password2": "a new long secret 42"}
    for phone in (FIRM, STAFF):
        answer = client_for(None).post(links[phone], new_password)
        assert answer.status_code == 200
        assert 'id="has-password"' in answer.content.decode()
        account = User.objects.get(username=phone)
        assert account.check_password(PASSWORD)  # untouched
    done = client_for(None).post(links[NEW], new_password)
    assert done["Location"] == reverse("programmes:my_invitations")
    assert User.objects.get(username=NEW).check_password("a new long secret 42")
    again = client_for(None).post(links[NEW], new_password)  # the password is set: the link sets no other
    assert 'id="has-password"' in again.content.decode()
    assert Participant.objects.get(phone=STAFF).account is None  # a staff account is invited to nobody


def test_neither_the_api_nor_the_sign_in_links_page_single_out_a_staff_number(
    olivia: User, programme: Programme, imported: dict[str, object]
) -> None:
    rows = ApiClient(token_for(olivia)).get(f"/api/programmes/{programme.pk}/participants").json()
    assert {r["has_account"] for r in rows} == {True}
    page = client_for(olivia).get(reverse("programmes:signin_links", kwargs={"pk": programme.pk}))
    assert page.context["without_account"] == 0


def test_the_sign_in_links_page_lists_and_links_new_registered_and_staff_numbers_alike(
    olivia: User, programme: Programme, imported: dict[str, object]
) -> None:
    """Before: the page listed only the rows whose account the import created (a link is a credential), and
    counted the others apart ("导入前已有账号"), so it told the organiser which numbers were already accounts.
    Now every row gets a link that reads and opens the same; only a tap differs, and only the new account is
    signed in by it."""
    organiser = client_for(olivia)
    url = reverse("programmes:signin_links", kwargs={"pk": programme.pk})
    assert organiser.get(url).context["missing"] == 3
    organiser.post(reverse("programmes:signin_issue", kwargs={"pk": programme.pk}))
    page = organiser.get(url)

    rows = {r["participant"].phone: r for r in page.context["rows"]}
    assert set(rows) == {NEW, FIRM, STAFF}
    assert all(r["link"] is not None for r in rows.values())
    html = page.content.decode()
    assert "导入前已有账号" not in html
    cells = re.findall(r'<tr><td data-label="[^"]*">.*?</tr>', html, re.S)
    varying = r"测试企业00\d|联系人\d|value=\"[^\"]+\""
    assert len(cells) == 3
    assert len({re.sub(varying, "X", c) for c in cells}) == 1
    # opening each link (what a link preview or the organiser does) reads the same but for the names
    varying_opened = r"测试企业00\d|联系人\d|value=\"[^\"]+\"|\"X-CSRFToken\": \"[^\"]+\""
    opened = {re.sub(varying_opened, "X", client_for(None).get(str(r["url"])).content.decode()) for r in rows.values()}
    assert len(opened) == 1, _diff(opened)
    for phone, row in rows.items():
        tapper = client_for(None)
        tapper.post(str(row["url"]))
        assert ("_auth_user_id" in tapper.session) is (phone == NEW)


def _diff(pages: set[str]) -> str:
    import difflib

    a, b, *_rest = sorted(pages)
    return "\n".join(difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0))
