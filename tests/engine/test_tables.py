"""engine.tables: what is written into a spreadsheet cell (no formula from user text, numbers stay numbers)
and the bounded reader (stops one row past the limit, bounded columns, a false dimension or a crafted row
number or width cannot make it read more)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from tests.engine.spreadsheets import counting_parsed_rows, numbered_rows, patched_xlsx, row_bomb
from wendao.engine.tables import MAX_COLUMNS, SHEET_MAX_ROWS, TableError, read_table, safe_cell, safe_row

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "＝1+1", " =1+1"]


@pytest.mark.parametrize("text", PAYLOADS)
def test_text_that_would_start_a_formula_is_quoted(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value", [0, -2, 3.5, -0.25, Decimal("-1.5"), True, None, dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 9)]
)
def test_numbers_dates_and_empty_cells_are_unchanged(value: Any) -> None:
    assert safe_cell(value) is value


@pytest.mark.parametrize("text", ["潍坊示例精密机械有限公司", "C34 通用设备", "a=b", "1-2", "—", "", "'quoted"])
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert safe_cell(text) == text


def test_other_values_become_text_and_control_characters_are_dropped() -> None:
    class Label:
        def __str__(self) -> str:
            return "=1+1"

    assert safe_cell(Label()) == "'=1+1"
    assert safe_cell("A\x01B\x1f") == "AB"  # openpyxl refuses these in an .xlsx


def test_an_xlsx_stores_quoted_text_as_text_and_numbers_as_numbers() -> None:
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append(safe_row([*PAYLOADS, -2, 3.5]))
    out = io.BytesIO()
    wb.save(out)
    cells = list(load_workbook(io.BytesIO(out.getvalue())).active[1])  # type: ignore[index]
    assert [c.data_type for c in cells] == ["s"] * len(PAYLOADS) + ["n", "n"]
    assert [c.value for c in cells] == ["'" + p for p in PAYLOADS] + [-2, 3.5]


def test_a_csv_keeps_negative_numbers_as_numbers() -> None:
    out = io.StringIO()
    csv.writer(out).writerow(safe_row(["-2+3", -2, -0.5]))
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'-2+3", "-2", "-0.5"]


# --- reading ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("rows", "overflow"), [(200_000, "rows"), (300_000, "cells")])
def test_a_row_bomb_workbook_is_refused_after_reading_few_rows(rows: int, overflow: str) -> None:
    """200 000 rows: read up to row 5 002, then stopped; 300 000: more XML than 5 001 rows of 32 columns could
    need, refused before openpyxl parses a row."""
    data = row_bomb(["企业名称"], rows)
    assert len(data) < 5 * 1024 * 1024  # under the upload limit
    start = time.perf_counter()
    with counting_parsed_rows() as parsed:
        table = read_table(data, "xlsx", max_rows=5001)
    assert table.overflow == overflow
    assert parsed[0] <= 5002
    assert table.rows_read <= 5002
    assert time.perf_counter() - start < 20  # generous; a full read took 54 s


def test_the_reader_stops_one_non_empty_row_past_the_limit() -> None:
    data = patched_xlsx(["企业名称"], numbered_rows(20_000))
    with counting_parsed_rows() as parsed:
        table = read_table(data, "xlsx", max_rows=101)
    assert table.overflow == "rows"
    assert len(table.rows) == 102
    assert parsed[0] == 102
    assert table.rows[-1][0] == 102


def test_blank_rows_keep_their_numbers_and_do_not_count() -> None:
    rows = '<row r="5"><c r="A5"><v>5</v></c></row><row r="9"><c r="B9" t="inlineStr"><is><t> </t></is></c></row>'
    table = read_table(patched_xlsx(["企业名称", "城市"], rows), "xlsx", max_rows=2)
    assert table.overflow == ""
    assert [n for n, _ in table.rows] == [1, 5]
    listed = table.as_list()
    assert len(listed) == 5
    assert listed[1] == listed[2] == listed[3] == []


def test_a_false_dimension_neither_hides_rows_nor_pads_them() -> None:
    small = patched_xlsx(["企业名称"], numbered_rows(300), dimension="A1:A2")
    assert len(read_table(small, "xlsx", max_rows=1000).rows) == 301  # all rows, not the 2 it claims
    start = time.perf_counter()
    huge = patched_xlsx(["企业名称"], numbered_rows(3), dimension="A1:XFD1048576")
    table = read_table(huge, "xlsx", max_rows=1000)
    assert time.perf_counter() - start < 5
    assert table.rows_read == 4
    assert all(len(cells) <= MAX_COLUMNS for _, cells in table.rows)


def test_a_row_number_past_the_last_sheet_row_stops_the_reader() -> None:
    rows = f'<row r="{SHEET_MAX_ROWS * 1000}"><c r="A{SHEET_MAX_ROWS * 1000}"><v>1</v></c></row>'
    start = time.perf_counter()
    table = read_table(patched_xlsx(["企业名称"], rows), "xlsx", max_rows=10)
    assert table.overflow == "rows"
    assert table.rows_read == SHEET_MAX_ROWS + 1
    assert time.perf_counter() - start < 10


def test_a_very_wide_row_is_refused_before_openpyxl_parses_it() -> None:
    data = patched_xlsx(["企业名称"], '<row r="2">' + "<c/>" * 5_000_000 + "</row>")
    assert len(data) < 100_000
    start = time.perf_counter()
    with counting_parsed_rows() as parsed:
        table = read_table(data, "xlsx", max_rows=5001)
    assert table.overflow == "cells"
    assert parsed[0] == 0
    assert time.perf_counter() - start < 5  # openpyxl alone needs about 30 s for this row


def test_columns_past_the_limit_are_not_read() -> None:
    wide = [f"c{i}" for i in range(100)]
    table = read_table(patched_xlsx(wide, ""), "xlsx", max_rows=10)
    assert table.rows[0][1] == wide[:MAX_COLUMNS]
    text = ",".join(wide) + "\n"
    assert read_table(text.encode(), "csv", max_rows=10).rows[0][1] == wide[:MAX_COLUMNS]


def test_a_csv_row_bomb_stops_at_the_limit() -> None:
    text = "企业名称\n" + "\n".join(f"firm {i}" for i in range(300_000))
    table = read_table(text.encode("utf-8"), ".csv", max_rows=5001)
    assert table.overflow == "rows"
    assert table.rows_read == 5002


def test_a_csv_in_gb18030_with_quoted_newlines_reads() -> None:
    text = '企业名称,城市\r\n"潍坊\r\n示例",潍坊\r\n\r\n淄博,淄博\r\n'
    table = read_table(text.encode("gb18030"), "csv", max_rows=10)
    assert table.rows == [(1, ["企业名称", "城市"]), (2, ["潍坊\r\n示例", "潍坊"]), (4, ["淄博", "淄博"])]


@pytest.mark.parametrize(
    ("data", "suffix", "expected"),
    [
        (b"PK\x03\x04 not a zip", "xlsx", "a readable .xlsx workbook"),
        (b"\xff\xfe\x00\xd8 not text", "csv", "UTF-8 or GB18030 text"),
        (("a," + "x" * 200_000 + "\n").encode(), "csv", "a readable .csv file"),
        (b"a,b\n", "xls", "a .xlsx or .csv file"),
    ],
)
def test_unreadable_files_raise_table_error(data: bytes, suffix: str, expected: str) -> None:
    with pytest.raises(TableError) as exc:
        read_table(data, suffix, max_rows=10)
    assert exc.value.expected == expected
