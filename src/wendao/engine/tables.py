"""Spreadsheets in and out: the one place that knows what is safe to write into a CSV/XLSX cell, and the one
bounded reader of an uploaded participant list (.xlsx or .csv).

Writing (OWASP "CSV injection"): a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is read by Excel, WPS or LibreOffice as a formula (``=HYPERLINK(...)``, ``=cmd|...``), also in an .xlsx
where openpyxl would store such a string as a formula. ``safe_cell`` prefixes such text with a single quote
(shown as text, never evaluated); numbers, dates and booleans are written as they are, so a negative number
stays a number. Every CSV and XLSX writer (the engine's groups workbook, the web's exports) passes its rows
through ``safe_row``.

Reading: ``read_table`` stops as soon as it has seen one non-empty row more than allowed, reads at most
``max_columns`` columns, ignores the sheet's own (possibly false) dimension, and refuses a workbook whose
unpacked XML could hold far more cells than the limits allow before openpyxl parses any of it (a 24 kB
.xlsx can unpack to millions of cells). Nothing here imports Django.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

# OWASP: = + - @ TAB CR; the full-width forms too, which Chinese spreadsheet programs may take for the ASCII ones
FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")
# characters an .xlsx cannot hold (openpyxl refuses them); they are dropped rather than failing the export
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")

MAX_COLUMNS = 32  # columns read per row; the participant templates have 9 (web) and 5-6 (cohort)
SHEET_MAX_ROWS = 1_048_576  # Excel's last row: a row number past it is a crafted file
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # the whole .xlsx, unpacked (what the zip says, which zipfile enforces)
MARKUP_PER_CELL = 8  # XML tags of one cell at most in an ordinary file (<c><v></v></c> + <si><t></t></si>)
MARKUP_SLACK = 100_000  # styles, theme, column widths and the like

Cell = str | int | float | bool | Decimal | dt.date | dt.datetime | dt.time | dt.timedelta | None


def safe_cell(value: object) -> Cell:
    """The value to write into a CSV or XLSX cell: numbers, dates, booleans and None unchanged; anything else
    as text, prefixed with ``'`` when it would start a formula (after leading spaces too)."""
    if value is None or isinstance(value, int | float | Decimal | dt.date | dt.time | dt.timedelta):
        return value  # bool is an int; datetime is a date
    text = _ILLEGAL.sub("", value if isinstance(value, str) else str(value))
    if text[:1] in FORMULA_STARTS or text.lstrip(" \u3000\n")[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def safe_row(values: Iterable[object]) -> list[Cell]:
    return [safe_cell(v) for v in values]


def sheet_title(text: str, fallback: str) -> str:
    """A worksheet name made from user text (a session title): without the characters Excel forbids in
    one (\\ / ? * [ ] :, which openpyxl refuses), no leading or trailing quote, at most 31 characters."""
    cleaned = _SHEET_FORBIDDEN.sub(" ", _ILLEGAL.sub("", text)).strip().strip("'").strip()[:31]
    return cleaned or fallback


def number(value: float | int | None) -> int | float | None:
    """A figure to write as a number cell: whole floats as ints (8.0 -> 8, as ``{:g}`` showed them)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# --- reading ----------------------------------------------------------------------------------------------------


class TableError(Exception):
    """The file cannot be read as a table; ``expected`` says what it should have been."""

    def __init__(self, expected: str, detail: str = "") -> None:
        super().__init__(expected + (f" ({detail})" if detail else ""))
        self.expected = expected
        self.detail = detail


@dataclass
class Table:
    """The non-empty rows of a file, with their 1-based row numbers (row 1 is the header, if not empty).

    ``overflow`` is why reading stopped early: "rows" — more than ``max_rows`` non-empty rows (``rows`` then
    holds ``max_rows + 1`` of them) or a row number past the last one a sheet can have; "cells" — the
    workbook's XML holds more cells than ``max_rows`` full rows of ``max_columns`` could (nothing was read).
    ``rows_read`` counts the rows looked at, blank ones included."""

    rows: list[tuple[int, list[object]]] = field(default_factory=list)
    overflow: Literal["", "rows", "cells"] = ""
    rows_read: int = 0

    def as_list(self) -> list[list[object]]:
        """Every row from row 1 to the last non-empty one, blank rows as ``[]`` (one shared empty list)."""
        out: list[list[object]] = []
        blank: list[object] = []
        for number_, cells in self.rows:
            out.extend([blank] * (number_ - 1 - len(out)))
            out.append(cells)
        return out


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _collect(rows: Iterator[Sequence[object]], max_rows: int, max_columns: int) -> Table:
    table = Table()
    for number_, cells in enumerate(rows, 1):
        table.rows_read = number_
        if number_ > SHEET_MAX_ROWS:
            table.overflow = "rows"
            break
        kept = list(cells[:max_columns])
        # all None: counted in C, so a million blank rows (a crafted row number) cost about a second
        if kept.count(None) == len(kept) or all(_blank(c) for c in kept):
            continue
        table.rows.append((number_, kept))
        if len(table.rows) > max_rows:
            table.overflow = "rows"
            break
    return table


def decode_text(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), else GB18030 as saved by Chinese Excel; None if neither."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _read_csv(data: bytes, max_rows: int, max_columns: int) -> Table:
    text = decode_text(data)
    if text is None:
        raise TableError("UTF-8 or GB18030 text")
    try:
        return _collect(csv.reader(io.StringIO(text, newline="")), max_rows, max_columns)
    except csv.Error as exc:  # e.g. a field longer than csv.field_size_limit()
        raise TableError("a readable .csv file", str(exc)) from None


def _markup(archive: zipfile.ZipFile) -> int:
    """XML tags in the whole package, counted at C speed: every cell is at least one."""
    total = 0
    for info in archive.infolist():
        if not info.is_dir():
            total += archive.read(info).count(b"<")
    return total


def _open_workbook(data: bytes) -> Any:
    """``openpyxl.load_workbook(read_only=True, data_only=True)``, less one step: openpyxl reads each sheet's
    declared <dimension> when it opens the workbook and, when a sheet has none (openpyxl's own write-only
    files, many generators), parses the whole sheet looking for it. The reader never uses the declared size
    (it can be false), so the sheets are opened without it."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class Sheet(ReadOnlyWorksheet):
        def _get_size(self) -> None:
            pass  # rows and columns unknown: iter_rows reads what is there, bounded by max_col

    class Reader(ExcelReader):
        def read_worksheets(self) -> None:  # openpyxl's read-only branch, with Sheet
            for sheet, rel in self.parser.find_sheets():
                if rel.target not in self.valid_files:
                    continue
                if "chartsheet" in rel.Type:
                    self.read_chartsheet(sheet, rel)  # type: ignore[arg-type]
                    continue
                ws = Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
                ws.sheet_state = sheet.state  # type: ignore[assignment]
                self.wb._sheets.append(ws)  # type: ignore[attr-defined]

    reader = Reader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read()
    return reader.wb


def _read_xlsx(data: bytes, max_rows: int, max_columns: int) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED_BYTES:
                return Table(overflow="cells")
            if _markup(archive) > max_rows * max_columns * MARKUP_PER_CELL + MARKUP_SLACK:
                return Table(overflow="cells")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise TableError("a readable .xlsx workbook", str(exc)) from None
    try:
        wb = _open_workbook(data)
    except Exception as exc:  # openpyxl raises several kinds for a damaged or foreign file
        raise TableError("a readable .xlsx workbook", str(exc)) from None
    try:
        if not wb.worksheets:
            raise TableError("a readable .xlsx workbook", "no worksheet")
        rows = wb.worksheets[0].iter_rows(max_col=max_columns, values_only=True)
        return _collect(rows, max_rows, max_columns)
    except TableError:
        raise
    except Exception as exc:
        raise TableError("a readable .xlsx workbook", str(exc)) from None
    finally:
        wb.close()


def read_table(data: bytes, suffix: str, max_rows: int, max_columns: int = MAX_COLUMNS) -> Table:
    """The first sheet of an .xlsx, or a .csv (``suffix`` "xlsx" or "csv", with or without the dot), read up
    to ``max_rows + 1`` non-empty rows (header included) of at most ``max_columns`` cells. Raises
    ``TableError`` for a file that is not one of these; the caller checks the byte size first."""
    kind = suffix.lower().lstrip(".")
    if kind == "csv":
        return _read_csv(data, max_rows, max_columns)
    if kind == "xlsx":
        return _read_xlsx(data, max_rows, max_columns)
    raise TableError("a .xlsx or .csv file")
