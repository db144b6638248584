"""The participant import refuses an oversized list after reading at most one row past the limit: a
300 000-row workbook of 2 MB used to be read whole (54 s) before "at most 5000 rows" was reported."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.engine.spreadsheets import counting_parsed_rows, patched_xlsx, row_bomb
from tests.web.conftest import client_for
from tests.web.programmes.conftest import good_row, workbook
from wendao.web.programmes.importing import COLUMNS, MAX_ROWS, read_table
from wendao.web.programmes.models import Participant, Programme

pytestmark = pytest.mark.django_db
HEADER = [h for _, h, _, _ in COLUMNS]


def _upload(user: Any, programme: Programme, content: bytes, name: str = "名单.xlsx") -> Any:
    url = reverse("programmes:import", kwargs={"pk": programme.pk})
    return client_for(user).post(url, {"file": SimpleUploadedFile(name, content)})


def _expected(response: Any) -> list[str]:
    assert response.status_code == 422
    return [p.expected for p in response.context["problems"]]


def _codes(response: Any) -> list[str]:
    """Which file-level problems the engine's reader found (the page words them in the reader's language)."""
    assert response.status_code == 422
    return [p.code for p in response.context["problems"]]


@pytest.mark.parametrize("rows", [200_000, 300_000])
def test_a_row_bomb_is_refused_after_reading_few_rows(olivia: Any, programme: Programme, rows: int) -> None:
    content = row_bomb(HEADER, rows)
    start = time.perf_counter()
    with counting_parsed_rows() as parsed:
        response = _upload(olivia, programme, content)
    # refused on its rows, or (the larger bomb) on its cells before any row is parsed
    assert _codes(response) in (["rows"], ["cells"])
    assert _expected(response)[0].startswith(f"每个文件最多 {MAX_ROWS} 行")
    assert parsed[0] <= MAX_ROWS + 2  # the header, MAX_ROWS rows and the one too many
    assert time.perf_counter() - start < 30  # generous: the whole file took 54 s
    assert not Participant.objects.filter(programme=programme).exists()


def test_a_csv_row_bomb_is_refused_too(olivia: Any, programme: Programme) -> None:
    text = ",".join(HEADER) + "\n" + "\n".join(",".join(str(c) for c in good_row(i)) for i in range(40_000))
    assert _codes(_upload(olivia, programme, text.encode("utf-8"), "名单.csv")) == ["rows"]


def test_one_row_too_many_is_refused_and_blank_rows_do_not_count() -> None:
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(3, 3 + 2 * MAX_ROWS, 2))
    table = read_table("名单.xlsx", patched_xlsx(HEADER, rows))  # MAX_ROWS rows, with blank rows between
    assert isinstance(table, list)
    assert len(table) == 2 * MAX_ROWS + 1  # every row number kept
    assert sum(1 for cells in table[1:] if cells) == MAX_ROWS
    rows += f'<row r="{3 + 2 * MAX_ROWS}"><c r="A{3 + 2 * MAX_ROWS}"><v>1</v></c></row>'
    refused = read_table("名单.xlsx", patched_xlsx(HEADER, rows))
    assert not isinstance(refused, list)
    assert [p.code for p in refused.problems] == ["rows"]


def test_a_false_dimension_hides_no_row(olivia: Any, programme: Programme) -> None:
    # the sheet claims A1:I1 (the header only); the three rows after it are read all the same
    content = workbook([good_row(i) for i in range(1, 4)])
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:I4"/>', b'<dimension ref="A1:I1"/>')
                assert b'ref="A1:I1"' in data
            target.writestr(info, data)
    assert _upload(olivia, programme, out.getvalue()).status_code == 302
    assert Participant.objects.filter(programme=programme).count() == 3


def test_a_very_wide_row_is_refused_before_it_is_parsed(olivia: Any, programme: Programme) -> None:
    content = patched_xlsx(HEADER, '<row r="2">' + "<c/>" * 5_000_000 + "</row>")
    start = time.perf_counter()
    with counting_parsed_rows() as parsed:
        expected = _expected(_upload(olivia, programme, content))
    assert expected == [f"每个文件最多 {MAX_ROWS} 行、每行最多 32 列"]
    assert parsed[0] == 0
    assert time.perf_counter() - start < 10  # openpyxl alone: about 30 s


def test_a_damaged_workbook_and_a_foreign_file_name_their_problem(olivia: Any, programme: Programme) -> None:
    assert _codes(_upload(olivia, programme, b"PK\x03\x04broken")) == ["unreadable"]
    assert _codes(_upload(olivia, programme, b"a,b\n", "名单.xls")) == ["file_type"]
    assert _codes(_upload(olivia, programme, "企业名称\n".encode("utf-16"), "名单.csv")) == ["encoding"]


def test_file_problems_are_worded_in_the_readers_language(olivia: Any, programme: Programme) -> None:
    response = _upload(olivia, programme, b"a,b\n", "名单.xls")
    page = response.content.decode()
    assert "一个 .xlsx 或 .csv 文件（请用模板）" in page
    assert "（文件）" in page
    assert "(file)" not in page
    url = reverse("programmes:import", kwargs={"pk": programme.pk})
    english = client_for(olivia).post(
        url, {"file": SimpleUploadedFile("名单.xls", b"a,b\n")}, headers={"Accept-Language": "en"}
    )
    assert english.status_code == 422
    assert [p.expected for p in english.context["problems"]] == ["a .xlsx or .csv file (use the template)"]
    missing = _upload(olivia, programme, workbook([["x"]], header=["企业名称"]))
    assert "表头中有“城市”这一列（请用模板）" in [p.expected for p in missing.context["problems"]]
