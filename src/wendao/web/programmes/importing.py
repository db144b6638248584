"""The participant import: the template workbook, reading an uploaded .xlsx/.csv, and checking every row.

Nothing is written here. ``check_participant_file`` returns either the clean rows or every problem at once
(row, column, value, what was expected) — the organiser fixes the whole file in one go. Writing is
``services.import_participants``, in one transaction, only for a file without problems.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wendao.engine.catalog import LoadedCatalog
from wendao.engine.participant_files import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    ParticipantFileError,
    RowProblem,
    cell_text,
    match_headers,
    read_sheet,
)
from wendao.engine.profile import ProfileError, parse_profile
from wendao.engine.tables import MAX_COLUMNS
from wendao.web.enterprises.profile_errors import profile_lines
from wendao.web.programmes.models import Participant, Programme

# (key, header in the template, required, aliases accepted on upload)
COLUMNS: tuple[tuple[str, str, bool, tuple[str, ...]], ...] = (
    ("name", "企业名称", True, ("name", "企业")),
    ("credit_code", "统一社会信用代码", False, ("credit_code", "信用代码")),
    ("city", "城市", True, ("city", "所在城市")),
    ("industry", "行业代码", True, ("industry", "行业")),
    ("employees", "从业人员", True, ("employees", "从业人数", "员工人数")),
    ("revenue", "营业收入（万元）", True, ("revenue", "营业收入(万元)", "营业收入")),
    ("contact", "联系人", True, ("contact", "contact_name")),
    ("phone", "手机", True, ("phone", "mobile", "手机号")),
    ("email", "邮箱", False, ("email", "电子邮箱")),
)
HEADERS = {key: header for key, header, _, _ in COLUMNS}
MAX_BYTES = MAX_FILE_BYTES  # the limits are the engine reader's (engine.participant_files)
# GB 32100-2015: 18 characters from the code's alphabet (no I, O, S, V, Z)
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
INDUSTRY = re.compile(r"^C(1[3-9]|[23]\d|4[0-3])(\d\d)?$")


@dataclass
class ImportRow:
    row: int
    name: str
    credit_code: str
    city: str
    industry: str
    employees: int
    revenue: float
    contact: str
    phone: str
    email: str


@dataclass
class CheckedFile:
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def template_workbook() -> bytes:
    """The empty template with the Chinese headers and one example row (marked as an example)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = "参训企业"
    sheet.append([header for _, header, _, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(["（示例，请删除）潍坊示例机械有限公司", "", "潍坊", "C34", 180, 12000, "张三", "13800000000", ""])
    for letter, width in zip("ABCDEFGHI", (40, 22, 10, 10, 10, 16, 10, 14, 26), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _file_problem(name: str, code: str) -> CheckedFile:
    return CheckedFile(problems=[translated(RowProblem(row=0, column="(file)", value=name, expected="", code=code))])


def too_big(name: str) -> CheckedFile:
    """An upload refused on its size alone, before it is read."""
    return _file_problem(name, "file_size")


def translated(p: RowProblem) -> RowProblem:
    """A file-level problem of the engine's reader (``code``) said in the reader's language; a cell's problem
    as it is (the checks below word their own)."""
    column = {"(file)": _("（文件）"), "(header)": _("（表头）")}.get(p.column, p.column)
    expected = {
        "file_type": _("一个 .xlsx 或 .csv 文件（请用模板）"),
        "file_size": _("小于 %(mb)s MB 的文件") % {"mb": MAX_FILE_BYTES // 1024 // 1024},
        "file_missing": _("一个已上传的文件"),
        "encoding": _("UTF-8 或 GB18030 编码的文本（Excel 另存为 CSV 即可）"),
        "unreadable": _("能打开的 .xlsx 工作簿或 .csv 文件（请用模板）"),
        "rows": _("每个文件最多 %(n)s 行") % {"n": MAX_ROWS},
        "cells": _("每个文件最多 %(n)s 行、每行最多 %(columns)s 列") % {"n": MAX_ROWS, "columns": MAX_COLUMNS},
        "header": _("第一行是表头（请用模板）"),
        "column": _("表头中有“%(column)s”这一列（请用模板）") % {"column": column},
    }.get(p.code, p.expected)
    return p.model_copy(update={"column": column, "expected": expected})


def read_table(filename: str, content: bytes) -> list[list[object]] | CheckedFile:
    """Cells of the first sheet of a .xlsx, or of a .csv (UTF-8, or GB18030 as saved by Chinese Excel): rows
    from row 1 (blank ones as ``[]``), read only up to one non-empty row past the limit by the engine's one
    participant-list reader (``participant_files.read_sheet``)."""
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else ""
    try:
        return read_sheet(content, suffix, filename).as_list()
    except ParticipantFileError as exc:
        return CheckedFile(problems=[translated(p) for p in exc.problems])


def _header_keys(header: list[object]) -> tuple[dict[int, str], list[RowProblem]]:
    aliases = {key: (h, *more) for key, h, _, more in COLUMNS}
    return match_headers(header, aliases, {key: (h, h) for key, h, required, _ in COLUMNS if required})


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "").replace("，", ""))
    except ValueError:
        return None


def listed_contacts(programme: Programme) -> dict[str, bool]:
    """Each mobile number already on the programme's list (the row's, and its account's) -> whether that contact
    declined. One number is one invitation per programme: a second would let one sign-in join with two firms,
    and a contact's "no" stands (they are not asked again under another firm name)."""
    listed: dict[str, bool] = {}
    for phone, username, declined_at in Participant.objects.filter(programme=programme).values_list(
        "phone", "account__username", "declined_at"
    ):
        for number in {phone, username} - {"", None}:
            listed[number] = listed.get(number, False) or declined_at is not None
    return listed


def check_participant_file(programme: Programme, filename: str, content: bytes, loaded: LoadedCatalog) -> CheckedFile:
    """Every problem of every row, or the clean rows. Reads the database (who is already in the programme,
    never whether a phone number is an account, or whose: that would tell any organiser who is registered);
    writes nothing."""
    table = read_table(filename, content)
    if isinstance(table, CheckedFile):
        return table
    if not table:
        return _file_problem(filename, "header")
    keys, missing = _header_keys(table[0])
    if missing:
        return CheckedFile(problems=[translated(p) for p in missing])
    body = [(n, cells) for n, cells in enumerate(table[1:], 2) if any(cell_text(c) for c in cells)]
    if len(body) > MAX_ROWS:
        return _file_problem(filename, "rows")
    cities = {
        alias: c.id
        for c in loaded.catalog.cities
        if c.in_shandong
        for alias in (c.id, c.name_zh, c.name_zh + "市", c.name_en.lower())
    }
    en = (get_language() or "").startswith("en")  # the "expected" column is read in the reader's language
    city_names = (", " if en else "、").join(
        (c.name_en if en else c.name_zh) for c in loaded.catalog.cities if c.in_shandong
    )
    joined = Participant.objects.filter(programme=programme)
    joined_names = set(joined.values_list("enterprise__name", flat=True))
    joined_codes = set(joined.exclude(credit_code="").values_list("credit_code", flat=True))
    listed = listed_contacts(programme)
    checked = CheckedFile()
    seen_names: dict[str, int] = {}
    seen_codes: dict[str, int] = {}
    seen_phones: dict[str, int] = {}
    for number, cells in body:
        values = {key: cell_text(cells[pos]) if pos < len(cells) else "" for pos, key in keys.items()}
        for key in HEADERS:
            values.setdefault(key, "")
        before = len(checked.problems)

        def problem(key: str, expected: str, number: int = number, values: dict[str, str] = values) -> None:
            checked.problems.append(RowProblem(row=number, column=HEADERS[key], value=values[key], expected=expected))

        name = values["name"]
        if not name:
            problem("name", _("企业名称"))
        elif name in seen_names:
            problem("name", _("每家企业只列一次（已在第 %(row)s 行）") % {"row": seen_names[name]})
        elif name in joined_names:
            problem("name", _("尚未参加本项目的企业（该企业已是参训企业）"))
        else:
            seen_names[name] = number
        code = values["credit_code"].upper()
        if code:
            if not CREDIT_CODE.match(code):
                problem("credit_code", _("18 位统一社会信用代码，或留空"))
            elif code in seen_codes:
                problem("credit_code", _("每家企业只列一次（该代码已在第 %(row)s 行）") % {"row": seen_codes[code]})
            elif code in joined_codes:
                problem("credit_code", _("尚未参加本项目的企业（该企业已是参训企业）"))
            else:
                seen_codes[code] = number
        city = cities.get(values["city"]) or cities.get(values["city"].lower())
        if city is None:
            problem("city", _("山东省 16 个市之一（%(names)s）") % {"names": city_names})
        industry = values["industry"].upper()
        if not INDUSTRY.match(industry):
            problem("industry", _("GB/T 4754-2017 制造业大类代码 C13–C43（也可填到小类，如 C3670）"))
        employees = _number(values["employees"])
        if not values["employees"]:
            problem("employees", _("从业人员数（整数）"))
        elif employees is None or employees < 0 or not employees.is_integer():
            problem("employees", _("从业人员数，只填数字（整数）"))
        revenue = _number(values["revenue"])
        if not values["revenue"]:
            problem("revenue", _("年营业收入，单位万元（数字）"))
        elif revenue is None or revenue < 0:
            problem("revenue", _("以万元计的数字，只填数字"))
        if not values["contact"]:
            problem("contact", _("联系人姓名"))
        phone = values["phone"].replace(" ", "").replace("-", "")
        if not MOBILE.match(phone):
            problem("phone", _("11 位手机号码（以 1 开头）"))
        elif phone in seen_phones:
            # one phone is one account: two firms under one contact would join both under one sign-in
            problem("phone", _("每个联系人手机号只用一次（已在第 %(row)s 行）") % {"row": seen_phones[phone]})
        elif listed.get(phone):
            problem("phone", _("未谢绝过本项目邀请的联系人（该联系人已谢绝，不再邀请）"))
        elif phone in listed:
            problem("phone", _("尚未列入本项目名单的手机号（该联系人已收到本项目的邀请）"))
        else:
            seen_phones[phone] = number
        email = values["email"]
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problem("email", _("电子邮箱（如 name@example.com），或留空"))
        if len(checked.problems) > before:
            continue
        assert city is not None
        assert employees is not None
        assert revenue is not None
        row = ImportRow(number, name, code, city, industry, int(employees), revenue, values["contact"], phone, email)
        try:  # anything else the engine's profile rules reject (the same rules as the web form)
            parse_profile(profile_data(row), loaded)
        except ProfileError as exc:
            for text in profile_lines(exc):  # in the organiser's language, naming the field, never its id
                checked.problems.append(RowProblem(row=number, column=_("（企业档案）"), value=name, expected=text))
            continue
        checked.rows.append(row)
    return checked


def profile_data(row: ImportRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "city": row.city,
        "industry": row.industry,
        "employees": row.employees,
        "revenue": row.revenue,
    }
