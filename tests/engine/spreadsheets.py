"""Hostile spreadsheets for the reader tests: a real openpyxl workbook whose sheet XML is then given many rows,
a false <dimension>, a huge row number or a very wide row — in well under a second, where openpyxl's own
writer needs about 5 s for 300 000 rows. And a counter of the rows openpyxl actually parses."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"


def _base(header: list[Any]) -> bytes:
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet()
    sheet.append(header)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def patched_xlsx(header: list[Any], sheet_rows: str, dimension: str | None = None) -> bytes:
    """A workbook whose first sheet has ``header`` in row 1 followed by the raw ``<row>`` XML given; with
    ``dimension``, the sheet declares that range (true or not)."""
    source = zipfile.ZipFile(io.BytesIO(_base(header)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == SHEET:
                text = data.decode("utf-8").replace("</sheetData>", sheet_rows + "</sheetData>")
                if dimension is not None:
                    text = re.sub(r"<dimension [^>]*/>", "", text)
                    text = text.replace("<sheetViews>", f'<dimension ref="{dimension}"/><sheetViews>', 1)
                data = text.encode("utf-8")
            target.writestr(info, data)
    return out.getvalue()


def numbered_rows(count: int, first: int = 2) -> str:
    """``count`` rows of one number each (column A), from row ``first`` on."""
    return "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(first, first + count))


def row_bomb(header: list[Any], rows: int) -> bytes:
    return patched_xlsx(header, numbered_rows(rows))


@contextmanager
def counting_parsed_rows() -> Iterator[list[int]]:
    """Counts the rows openpyxl parses from sheet XML (``WorkSheetParser.parse_row``), whoever reads."""
    from openpyxl.worksheet import _reader

    original = _reader.WorkSheetParser.parse_row
    count = [0]

    def parse_row(self: Any, row: Any) -> Any:
        count[0] += 1
        return original(self, row)

    _reader.WorkSheetParser.parse_row = parse_row  # type: ignore[method-assign]
    try:
        yield count
    finally:
        _reader.WorkSheetParser.parse_row = original  # type: ignore[method-assign]
