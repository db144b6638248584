"""Programme personas on top of tests/web/conftest.py: olivia organises the programme alice's enterprise
joined; oscar organises another programme; pete is a provider."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook

from tests.web.conftest import make_user
from wendao.web.accounts.models import Role, User
from wendao.web.enterprises.models import Enterprise
from wendao.web.programmes.importing import COLUMNS
from wendao.web.programmes.models import Participant, Programme


@pytest.fixture
def oscar(db: Any) -> User:
    return make_user("oscar", Role.ORGANISER)


@pytest.fixture
def pete(db: Any) -> User:
    return make_user("pete", Role.PROVIDER)


@pytest.fixture
def programme(olivia: User) -> Programme:
    p = Programme.objects.create(name="2026 济南班")
    p.organisers.add(olivia)
    return p


@pytest.fixture
def other_programme(oscar: User) -> Programme:
    p = Programme.objects.create(name="2026 青岛班")
    p.organisers.add(oscar)
    return p


@pytest.fixture
def alice_participant(programme: Programme, alice_co: Enterprise) -> Participant:
    return Participant.objects.create(
        programme=programme, enterprise=alice_co, contact_name="王丽", phone="13900000001"
    )


def workbook(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append(header or [h for _, h, _, _ in COLUMNS])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def good_row(i: int, city: str = "济南", industry: str = "C34") -> list[Any]:
    return [f"测试企业{i:03d}有限公司", "", city, industry, 100 + i, 5000 + 10 * i, f"联系人{i}", f"1380000{i:04d}", ""]
