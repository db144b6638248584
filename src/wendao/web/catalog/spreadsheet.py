"""The policy spreadsheet: every policy as one row of an Excel workbook (download), and the same workbook back
(upload), validated row by row.

One column per field of the engine's Policy model (``fields.fields_of``), headed by its label in Chinese or English
(either is read back). The upload loses nothing:
- every error of every row is reported at once, by row number and column label, and nothing is saved while
  any row is wrong;
- a column the sheet does not have keeps the stored value (a sheet may hold only the columns that change);
  a column the platform does not know is an error, never silently dropped;
- a row whose 编号 exists changes that policy; a new 编号 adds one; a policy missing from the sheet is kept.
"""

from __future__ import annotations

import copy
import io
import itertools
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from wendao.engine.catalog.schema import Policy
from wendao.engine.tables import MAX_UNPACKED_BYTES
from wendao.web.catalog.fields import CellError, Field, as_text, error_messages, fields_of, get, read_into
from wendao.web.catalog.models import PolicyEntry

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 500
POLICY_FIELDS = fields_of(Policy)
SHEET = "policies"


def _labels(f: Field) -> set[str]:
    out = set()
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            out.add(f.label.strip())
    return out | {f.path}


def workbook(entries: list[PolicyEntry]) -> bytes:
    """All policies as an .xlsx, headed by the field labels in the current language."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    ws.append([f.label for f in POLICY_FIELDS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for e in entries:
        ws.append([as_text(f, get(e.data, f.path)) for f in POLICY_FIELDS])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":  # a text starting with "=" is text, never a formula Excel would run
                cell.data_type = "s"
    for i, _f in enumerate(POLICY_FIELDS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = 18
    ws.freeze_panes = "B2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's own row number (the header is row 1); 0 = the file as a whole
    column: str  # the column's label, "" for the row as a whole
    message: str


@dataclass
class RowResult:
    row: int
    key: str
    name_zh: str
    data: dict[str, Any]
    new: bool
    changed: list[str] = field(default_factory=list)  # labels of the changed columns


@dataclass
class Upload:
    rows: list[RowResult] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def changes(self) -> list[RowResult]:
        return [r for r in self.rows if r.new or r.changed]


def read(content: bytes, stored: dict[str, dict[str, Any]]) -> Upload:
    """Validate an uploaded workbook against the stored policies (key -> data). Never raises on bad input."""
    result = Upload()
    if len(content) > MAX_BYTES:
        result.errors.append(RowError(0, "", _("文件太大：最多 2 MB")))
        return result
    try:
        # a 2 MB workbook can unpack to gigabytes (a zip bomb): refused on the sizes the zip declares, which zipfile
        # enforces while reading, as the participant and timetable readers do (engine/tables.py)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            result.errors.append(
                RowError(
                    0, "", _("文件解压后超过 %(mb)s MB：请只保留政策表") % {"mb": MAX_UNPACKED_BYTES // 1024 // 1024}
                )
            )
            return result
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a file that is not a workbook
        result.errors.append(RowError(0, "", _("无法读取：请上传 Excel 工作簿（.xlsx）")))
        return result
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    # the heading, MAX_ROWS rows and one more, enough to say the sheet is too long without reading all of it
    rows = list(itertools.islice(ws.iter_rows(values_only=True), MAX_ROWS + 2))
    wb.close()
    if not rows:
        result.errors.append(RowError(0, "", _("工作表是空的")))
        return result
    by_label = {label: f for f in POLICY_FIELDS for label in _labels(f)}
    columns: list[tuple[int, Field]] = []
    seen: dict[str, int] = {}
    for i, head in enumerate(rows[0]):
        text = str(head).strip() if head is not None else ""
        if not text:
            continue
        f = by_label.get(text)
        letter = get_column_letter(i + 1)
        if f is None:
            result.errors.append(
                RowError(
                    1, text, _("第 %(col)s 列的表头不认识：请用下载的表格的表头，这一列不会被忽略") % {"col": letter}
                )
            )
        elif f.path in seen:
            result.errors.append(RowError(1, text, _("这一列出现了两次（第 %(col)s 列）") % {"col": letter}))
        else:
            seen[f.path] = i
            columns.append((i, f))
    if "id" not in seen:
        result.errors.append(RowError(1, "", _("缺少“编号”这一列：每行要用编号对应一条政策")))
        return result
    # an unknown heading is an error, and the rows are still checked: every problem of the sheet at once
    body = rows[1:]
    if len(body) > MAX_ROWS:
        result.errors.append(RowError(0, "", _("行数太多：一次最多 %(n)s 行") % {"n": MAX_ROWS}))
        return result
    keys: dict[str, int] = {}
    for n, values in enumerate(body, start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        _row(n, values, columns, stored, keys, result)
    if not result.rows and not result.errors:
        result.errors.append(RowError(0, "", _("表格里没有政策行")))
    return result


def _row(
    n: int,
    values: tuple[Any, ...],
    columns: list[tuple[int, Field]],
    stored: dict[str, dict[str, Any]],
    keys: dict[str, int],
    result: Upload,
) -> None:
    cells = {f.path: (values[i] if i < len(values) else None) for i, f in columns}
    key = str(cells.get("id") or "").strip()
    if not key:
        result.errors.append(RowError(n, str(_label("id")), _("必须填写")))
        return
    if key in keys:
        result.errors.append(RowError(n, str(_label("id")), _("编号与第 %(row)s 行重复") % {"row": keys[key]}))
        return
    keys[key] = n
    new = key not in stored
    data = copy.deepcopy(stored.get(key, {}))
    bad = False
    for _i, f in columns:
        try:
            read_into(data, f, cells[f.path])
        except CellError as exc:
            result.errors.append(RowError(n, f.label, str(exc)))
            bad = True
    _drop_empty(data)
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:  # every problem of the row at once, not only the unreadable cells
        known = {f.path for f in POLICY_FIELDS} | {"award", "apply"}
        unread = {e.column for e in result.errors if e.row == n}
        for e in error_messages(exc, known):
            if e.label not in unread:
                result.errors.append(RowError(n, e.label if e.path else "", e.message))
        return
    if bad:
        return
    clean = policy.model_dump(mode="json")
    before = stored.get(key, {})
    changed = [f.label for f in POLICY_FIELDS if get(before, f.path) != get(clean, f.path)] if not new else []
    result.rows.append(RowResult(n, key, policy.name_zh, clean, new, changed))


def _label(path: str) -> str:
    return next(f.label for f in POLICY_FIELDS if f.path == path)


def _drop_empty(data: dict[str, Any]) -> None:
    for k in [k for k, v in data.items() if isinstance(v, dict) and not v and k in ("award", "apply")]:
        del data[k]
