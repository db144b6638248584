"""The programme's timetable as organisers keep it: one Excel sheet out and back in.

Columns: 日期, 开始, 结束, 类型, 名称, 地点, 主讲人或接待企业, 容量, 参加小组. A row is a session, found again by its
name (a session's name is unique in its programme): importing updates the sessions it names and adds the new
ones; it never deletes (a session with visit preferences or assignments must not vanish through a spreadsheet).
All or nothing: one problem anywhere and nothing is written, every problem is listed with its row and column.
Participants see a change at once: their pages read the sessions when shown.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wendao.engine import tables
from wendao.engine.text import control_character
from wendao.web.accounts.audit import record
from wendao.web.programmes.models import DiscussionGroup, Programme, Session

HEADERS = ("日期", "开始", "结束", "类型", "名称", "地点", "主讲人或接待企业", "容量", "参加小组")
EVERYONE = "全体"
MAX_ROWS = 500
MAX_BYTES = 2 * 1024 * 1024
KIND_NAMES = {
    "讲座": Session.Kind.LECTURE,
    "现场参观": Session.Kind.SITE_VISIT,
    "参观": Session.Kind.SITE_VISIT,
    "分组讨论": Session.Kind.DISCUSSION,
    "讨论": Session.Kind.DISCUSSION,
    "全体会议": Session.Kind.PLENARY,
} | {k.value: k for k in Session.Kind}
KIND_LABEL_ZH = {
    Session.Kind.LECTURE: "讲座",
    Session.Kind.SITE_VISIT: "现场参观",
    Session.Kind.DISCUSSION: "分组讨论",
    Session.Kind.PLENARY: "全体会议",
}


def sessions(programme: Programme) -> list[Session]:
    return list(Session.objects.filter(programme=programme).prefetch_related("groups").order_by("starts_at", "pk"))


def groups_text(session: Session) -> str:
    numbers = sorted(g.number for g in session.groups.all())
    return "、".join(str(n) for n in numbers) if numbers else EVERYONE


def timetable_workbook(programme: Programme) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = "日程"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for s in sessions(programme):
        start = timezone.localtime(s.starts_at) if s.starts_at else None
        end = timezone.localtime(s.ends_at) if s.ends_at else None
        sheet.append(
            tables.safe_row(
                [
                    start.strftime("%Y-%m-%d") if start else "",
                    start.strftime("%H:%M") if start else "",
                    end.strftime("%H:%M") if end else "",
                    KIND_LABEL_ZH[Session.Kind(s.kind)],
                    s.title,
                    s.location,
                    s.host,
                    s.capacity if s.capacity is not None else "",
                    groups_text(s),
                ]
            )
        )
    for column, width in zip("ABCDEFGHI", (12, 8, 8, 10, 40, 24, 24, 8, 12), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading it back ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimetableRow:
    row: int
    title: str
    kind: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    location: str
    host: str
    capacity: int | None
    groups: list[int]  # group numbers; empty: everyone


@dataclass
class CheckedTimetable:
    rows: list[TimetableRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _number(text: str) -> int | None:
    """A whole number as a cell writes it (full-width digits too), or None. At most nine digits: ``int()`` refuses
    a text of more than 4,300 digits with an error, and no capacity or group number is near that long."""
    return int(text) if text.isdecimal() and len(text) <= 9 else None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    # the inverse of tables.safe_cell on export: "'=…" comes back as "=…", so a title round-trips
    return text[1:] if len(text) > 1 and text[0] == "'" and text[1] in "=+-@＝＋－＠" else text


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _cell_text(value).replace("/", "-").replace(".", "-")
    if not text:
        return None
    return dt.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))


def _time(value: object) -> dt.time | None:
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    text = _cell_text(value).replace("：", ":")
    if not text:
        return None
    hour, _sep, minute = text.partition(":")
    return dt.time(int(hour), int(minute or 0))


def check_timetable_file(programme: Programme, filename: str, content: bytes) -> CheckedTimetable:
    """Every problem of every row (translated, with row and column), or the clean rows. Writes nothing."""
    checked = CheckedTimetable()
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else ""
    if len(content) > MAX_BYTES:
        checked.problems.append(_("文件超过 2 MB。"))
        return checked
    try:
        table = tables.read_table(content, suffix, max_rows=MAX_ROWS + 1)
    except tables.TableError:
        checked.problems.append(_("请上传 .xlsx 或 .csv 文件（可先导出当前日程作为模板）。"))
        return checked
    if table.overflow:
        checked.problems.append(_("一个文件最多 %(n)s 行。") % {"n": MAX_ROWS})
        return checked
    rows = table.rows
    if not rows:
        checked.problems.append(_("文件是空的。"))
        return checked
    header_row, header = rows[0]
    names = [_cell_text(h) for h in header]
    missing = [h for h in HEADERS if h not in names]
    if missing:
        checked.problems.append(_("表头缺少：%(cols)s（请用导出的日程作模板）。") % {"cols": "、".join(missing)})
        return checked
    at = {h: names.index(h) for h in HEADERS}
    numbers = set(DiscussionGroup.objects.filter(programme=programme).values_list("number", flat=True))
    seen: dict[str, int] = {}
    for number, cells in rows[1:]:
        cells = list(cells) + [None] * (len(names) - len(cells))

        def cell(name: str, cells: list[object] = cells) -> object:
            return cells[at[name]]

        problems: list[str] = []

        def bad(column: str, why: str, number: int = number, problems: list[str] = problems) -> None:
            problems.append(_("第 %(row)s 行「%(col)s」：%(why)s") % {"row": number, "col": column, "why": why})

        title = _cell_text(cell("名称"))
        texts = {h: _cell_text(cell(h)) for h in ("名称", "地点", "主讲人或接待企业")}
        for h, text in texts.items():
            if control_character(text) is not None:
                bad(h, _("含有不可见的控制字符"))
            elif len(text) > 200:
                bad(h, _("最多 200 个字"))
        if not title:
            bad("名称", _("不能为空"))
        elif title in seen:
            bad("名称", _("与第 %(row)s 行重名") % {"row": seen[title]})
        else:
            seen[title] = number
        kind = KIND_NAMES.get(_cell_text(cell("类型")))
        if kind is None:
            bad("类型", _("应为 讲座、现场参观、分组讨论 或 全体会议"))
        day = start = end = None
        try:
            day = _date(cell("日期"))
        except ValueError:
            bad("日期", _("应为日期，如 2026-06-01"))
        try:
            start, end = _time(cell("开始")), _time(cell("结束"))
        except ValueError:
            bad("开始", _("时间应为 时:分，如 09:00"))
        if (start or end) and day is None:
            bad("日期", _("有时间就要有日期"))
        if start and end and end <= start:
            bad("结束", _("应晚于开始时间"))
        capacity_text = _cell_text(cell("容量"))
        capacity = _number(capacity_text)
        if capacity_text and (capacity is None or not 0 < capacity <= 100_000):
            bad("容量", _("应为正整数"))
        if kind == Session.Kind.SITE_VISIT and not capacity:
            bad("容量", _("现场参观要填名额"))
        groups_raw = _cell_text(cell("参加小组"))
        groups: list[int] = []
        if groups_raw and groups_raw != EVERYONE:
            parts = [p for p in groups_raw.replace("，", "、").replace(",", "、").split("、") if p.strip()]
            numbers_given = [_number(p.strip()) for p in parts]
            if None in numbers_given:
                bad("参加小组", _("应为组号，用顿号分隔，如 1、2；或“全体”"))
            else:
                groups = sorted({n for n in numbers_given if n is not None})
                unknown = [str(n) for n in groups if n not in numbers]
                if unknown:
                    bad("参加小组", _("没有这些组：%(n)s") % {"n": "、".join(unknown)})
        if problems:
            checked.problems.extend(problems)
            continue
        assert kind is not None

        def aware(t: dt.time | None, day: dt.date | None = day) -> dt.datetime | None:
            return timezone.make_aware(dt.datetime.combine(day, t)) if (t and day) else None

        checked.rows.append(
            TimetableRow(
                row=number,
                title=title,
                kind=kind,
                starts_at=aware(start),
                ends_at=aware(end),
                location=texts["地点"],
                host=texts["主讲人或接待企业"],
                capacity=capacity,
                groups=groups,
            )
        )
    del header_row
    return checked


@dataclass(frozen=True)
class TimetableImport:
    created: int
    updated: int


@transaction.atomic
def import_timetable(actor: Any, programme: Programme, rows: list[TimetableRow]) -> TimetableImport:
    by_number = {g.number: g for g in DiscussionGroup.objects.filter(programme=programme)}
    created = updated = 0
    for r in rows:
        session, made = Session.objects.update_or_create(
            programme=programme,
            title=r.title,
            defaults={
                "kind": r.kind,
                "starts_at": r.starts_at,
                "ends_at": r.ends_at,
                "location": r.location,
                "host": r.host,
                "capacity": r.capacity,
            },
        )
        session.groups.set([by_number[n] for n in r.groups])
        created, updated = created + made, updated + (not made)
    record(actor, "programme.timetable_import", programme, {"created": created, "updated": updated})
    return TimetableImport(created, updated)
