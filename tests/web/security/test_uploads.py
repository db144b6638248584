"""Security re-audit (2026-12, finding 5, low: only catalog editors upload it): the policy workbook was unpacked
and read whole, so a 2 MB file that unpacks to gigabytes, or holds a million rows, tied up a worker's memory. It is
now held to the limits of the participant and timetable readers (engine/tables.py)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from tests.web.conftest import client_for, make_user
from wendao.engine.tables import MAX_UNPACKED_BYTES
from wendao.web.accounts.models import Role
from wendao.web.catalog import spreadsheet
from wendao.web.catalog.models import PolicyEntry
from wendao.web.catalog.services import seed_catalog

pytestmark = pytest.mark.django_db


def _bomb() -> bytes:
    """The downloaded policy workbook with one more member that unpacks past the limit (zeros pack to ~0.1 %)."""
    seed_catalog()
    body = spreadsheet.workbook(list(PolicyEntry.objects.order_by("key")))
    out = io.BytesIO(body)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (MAX_UNPACKED_BYTES + 1))
    assert len(out.getvalue()) < spreadsheet.MAX_BYTES
    return out.getvalue()


def test_a_policy_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_read() -> None:
    upload = io.BytesIO(_bomb())
    upload.name = "policies.xlsx"
    data = {"sheet": upload, "change_source": "省工信厅通知（测试）", "change_as_of": "2026-12-01"}
    response = client_for(make_user("erin", Role.CATALOG_EDITOR)).post(reverse("catalog:policy_upload"), data)
    assert response.status_code == 422
    assert "解压后超过 64 MB" in response.content.decode()
    assert not response.context["result"].rows
