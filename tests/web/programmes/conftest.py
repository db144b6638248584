"""Programme personas on top of tests/web/conftest.py: olivia organises the programme alice's enterprise
joined; oscar organises another programme; pete is a provider."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from wendao.web.programmes.importing import COLUMNS


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
