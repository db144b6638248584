"""Participant lists in and groups out: the one reader of an uploaded participant spreadsheet (the cohort
file of ``wendao groups`` and the programme import of the web both read through ``read_sheet``) and the
groups workbook.

Participant files (``load_participants``): .xlsx or .csv with the columns name, city, industry, chain
(optional), maturity (0–100 or a level label of one of the questionnaire's official scales) — or the
Chinese headers 企业名称, 城市, 行业代码, 产业链, 成熟度. Every row is checked; all problems are reported
together (row, column, value, what was expected). ``write_grouping_xlsx`` writes one sheet per group plus
a summary sheet.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from wendao.engine import tables
from wendao.engine.catalog import LoadedCatalog, default_catalog
from wendao.engine.grouping import MATURITY_MAX, Grouping, Participant

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "企业名称", "名称", "企业"),
    "city": ("city", "城市", "所在城市"),
    "industry": ("industry", "行业代码", "行业"),
    "chain": ("chain", "产业链"),
    "maturity": ("maturity", "成熟度", "成熟度得分", "成熟度等级"),
}
REQUIRED = ("name", "city", "industry", "maturity")


FileProblem = Literal[
    "", "file_type", "file_size", "file_missing", "encoding", "unreadable", "rows", "cells", "header", "column"
]


class RowProblem(BaseModel):
    """One problem of a participant list. ``expected`` is English (the CLI's reader); ``code`` says which
    kind of file-level problem it is, so the web can say the same in the reader's language ("" for a cell)."""

    row: int = Field(description="spreadsheet row number (the header is row 1; 0: the file as a whole)")
    column: str
    value: str
    expected: str
    code: FileProblem = ""

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.value!r} — expected {self.expected}"


class ParticipantFileError(Exception):
    """The participant list cannot be used; ``problems`` lists every bad row and column at once."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def maturity_levels(loaded: LoadedCatalog) -> dict[str, int]:
    """Level label -> score: the centre of the level's band of the overall score on its scale (the
    questionnaire's ``min_overall`` thresholds), e.g. MIIT SME 二级 (40–60) -> 50, CMMM 4级 (75–90) -> 82."""
    out: dict[str, int] = {}
    for scale in loaded.questionnaire.scales:
        bounds = [lv.min_overall for lv in scale.levels] + [float(MATURITY_MAX)]
        out[scale.below_zh] = round(bounds[0] / 2)
        for lv, upper in zip(scale.levels, bounds[1:], strict=True):
            centre = round((lv.min_overall + upper) / 2)
            out[lv.label_zh] = centre
            out[lv.label_zh.split()[0]] = centre  # "1级 规划级" may be written "1级"
    return out


def cell_text(value: object) -> str:
    """A cell as typed: whole floats without their .0, stripped; an empty cell as the empty string."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_participants(
    rows: Sequence[tuple[int, Mapping[str, object]]], loaded: LoadedCatalog | None = None
) -> list[Participant]:
    """Validate (row number, {column: value}) rows with canonical column keys; raise with every problem."""
    cat = loaded or default_catalog()
    cities = cat.catalog.cities
    city_names = "、".join(c.name_zh for c in cities)
    industries = {i.code: i for i in cat.catalog.industries}
    chains = {key: c.id for c in cat.catalog.chains for key in (c.id, c.name_zh)}
    levels = maturity_levels(cat)
    problems: list[RowProblem] = []
    out: list[Participant] = []
    first_row: dict[str, int] = {}
    for row, raw in rows:
        values = {k: cell_text(raw.get(k)) for k in COLUMNS}
        bad = len(problems)

        def problem(column: str, expected: str, row: int = row, values: dict[str, str] = values) -> None:
            problems.append(RowProblem(row=row, column=column, value=values[column], expected=expected))

        name = values["name"]
        if not name:
            problem("name", "the enterprise name (企业名称)")
        elif name in first_row:
            problem("name", f"a unique name (already on row {first_row[name]})")
        else:
            first_row[name] = row
        city = next((c.id for c in cities if values["city"] in (c.id, c.name_zh, c.name_zh + "市", c.name_en)), None)
        if city is None:
            problem("city", f"one of the 16 Shandong cities ({city_names}) or its id")
        code = values["industry"].upper()
        code = code if code.startswith("C") else "C" + code
        if code[:3] not in industries or len(code) not in (3, 5) or not code[1:].isdigit():
            problem(
                "industry", "a GB/T 4754-2017 manufacturing division C13–C43 (optionally with its class, e.g. C3670)"
            )
        chain = chains.get(values["chain"], values["chain"]) or None  # an organiser's own chain label is kept
        maturity: int | None = levels.get(values["maturity"])
        if maturity is None:
            try:
                number = float(values["maturity"])
            except ValueError:
                number = -1.0
            if 0 <= number <= MATURITY_MAX:
                maturity = round(number)
            else:
                problem("maturity", "a score 0–100 or a level (一级…四级, 1级…5级, 未达一级)")
        if len(problems) == bad and city is not None and maturity is not None:
            division = industries[code[:3]]
            out.append(
                Participant(
                    name=name, city=city, industry=division.code, industry_group=division.group, chain=chain,
                    maturity=maturity,
                )
            )  # fmt: skip
    if problems:
        raise ParticipantFileError(problems)
    return out


def match_headers(
    header: Sequence[object], aliases: Mapping[str, Sequence[str]], required: Mapping[str, tuple[str, str]]
) -> tuple[dict[int, str], list[RowProblem]]:
    """Map a spreadsheet's header cells to column keys by any of their aliases (case-insensitive); every
    required key that no cell names is a problem, reported as ``required[key] = (column, description)``.
    Shared by every participant-list reader (cohort grouping here, programme import in the web)."""
    lookup = {alias.lower(): key for key, names in aliases.items() for alias in names}
    keys: dict[int, str] = {}
    for pos, cell in enumerate(header):
        key = lookup.get(cell_text(cell).lower())
        if key is not None and key not in keys.values():
            keys[pos] = key
    missing = [
        RowProblem(row=1, column=column, value="", expected=f"a header column {description}", code="column")
        for key, (column, description) in required.items()
        if key not in keys.values()
    ]
    return keys, missing


def _header_keys(header: Sequence[object]) -> tuple[dict[int, str], list[RowProblem]]:
    return match_headers(header, COLUMNS, {key: (key, " / ".join(COLUMNS[key][:2])) for key in REQUIRED})


MAX_FILE_BYTES = 5 * 1024 * 1024  # a participant list of MAX_ROWS rows is well under 1 MB
MAX_ROWS = 5000  # participants per file (a provincial programme has a few hundred)


def _refuse(name: str, code: FileProblem, expected: str) -> ParticipantFileError:
    return ParticipantFileError([RowProblem(row=0, column="(file)", value=name, expected=expected, code=code)])


def read_sheet(data: bytes, suffix: str, name: str) -> tables.Table:
    """The rows of a participant list (.xlsx first sheet, or .csv in UTF-8 or GB18030 as saved by Chinese
    Excel), read with ``tables.read_table``: a file of more than ``MAX_ROWS`` rows is refused after reading
    one row too many, a workbook that unpacks to too many cells before any is parsed. Raises
    ``ParticipantFileError`` (one file-level problem, ``code`` saying which) for a file that cannot be used.
    The one reader of both participant lists: the cohort file here and the programme import of the web."""
    kind = suffix.lower().lstrip(".")
    if kind not in ("csv", "xlsx"):
        raise _refuse(name, "file_type", "a .xlsx or .csv file")
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(name, "file_size", f"a file under {MAX_FILE_BYTES // 1024 // 1024} MB")
    try:
        table = tables.read_table(data, kind, max_rows=MAX_ROWS + 1)  # the header and MAX_ROWS rows
    except tables.TableError as exc:
        code: FileProblem = "encoding" if kind == "csv" and not exc.detail else "unreadable"
        raise _refuse(name, code, exc.expected) from None
    if table.overflow == "cells":
        raise _refuse(name, "cells", f"at most {MAX_ROWS} rows per file, of at most {tables.MAX_COLUMNS} columns")
    if table.overflow:
        raise _refuse(name, "rows", f"at most {MAX_ROWS} rows per file")
    return table


def read_participant_rows(path: Path) -> list[tuple[int, dict[str, object]]]:
    """Rows of a .xlsx or .csv participant list (``read_sheet``), keyed by canonical column; blank lines
    are skipped but keep their row numbers."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise _refuse(str(path), "file_type", "a .xlsx or .csv file")
    try:
        if path.stat().st_size > MAX_FILE_BYTES:  # refused before it is read into memory
            raise _refuse(str(path), "file_size", f"a file under {MAX_FILE_BYTES // 1024 // 1024} MB")
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise _refuse(str(path), "file_missing", "an existing file") from None
    table = read_sheet(data, suffix, str(path))
    if not table.rows or table.rows[0][0] != 1:
        raise ParticipantFileError(
            [RowProblem(row=1, column="(header)", value="", expected="a header row", code="header")]
        )
    keys, missing = _header_keys(table.rows[0][1])
    if missing:
        raise ParticipantFileError(missing)
    return [
        (number, {key: cells[pos] if pos < len(cells) else None for pos, key in keys.items()})
        for number, cells in table.rows[1:]
    ]


def load_participants(path: Path, loaded: LoadedCatalog | None = None) -> list[Participant]:
    return parse_participants(read_participant_rows(path), loaded)


def _append(sheet: Any, values: Sequence[object]) -> None:
    """One row, each cell through ``tables.safe_cell`` (a name starting with = is text, not a formula)."""
    sheet.append(tables.safe_row(values))


def write_grouping_xlsx(
    grouping: Grouping, participants: Sequence[Participant], path: Path, loaded: LoadedCatalog | None = None
) -> None:
    """汇总 (summary: objective terms, total and per group) + one sheet per group. Written to a temporary
    file and renamed, so a failure never leaves half a workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    cat = loaded or default_catalog()
    city_zh = {c.id: c.name_zh for c in cat.catalog.cities}
    industry_zh = {i.code: i.name_zh for i in cat.catalog.industries}
    chain_zh = {c.id: c.name_zh for c in cat.catalog.chains}
    by_name = {p.name: p for p in participants}
    bold = Font(bold=True)

    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "汇总"
    _append(summary, ["分组方法", grouping.method, "状态", grouping.status, "随机种子", grouping.seed])
    _append(summary, ["目标组规模", grouping.size, "组数", len(grouping.groups), "求解秒数", grouping.solve_seconds])
    w = grouping.weights
    _append(summary, ["权重", f"行业{w.industry}", f"成熟度{w.maturity}", f"同城{w.city}", f"规模{w.size}"])
    _append(summary, [])
    head = ["组", "人数", "行业亲近度", "成熟度跨度", "同城对数", "规模偏差", "目标值", "城市数", "最大同城占比"]
    _append(summary, head)
    for cell in summary[summary.max_row]:
        cell.font = bold
    for g in grouping.groups:
        t = g.terms
        _append(
            summary,
            [f"第{g.number}组", g.size, t.industry_affinity, t.maturity_spread, t.same_city_pairs, t.size_deviation,
             t.objective, g.cities, g.largest_city_share],
        )  # fmt: skip
    t = grouping.terms
    _append(summary, ["合计", sum(g.size for g in grouping.groups), t.industry_affinity, t.maturity_spread,
                      t.same_city_pairs, t.size_deviation, t.objective])  # fmt: skip
    for cell in summary[summary.max_row]:
        cell.font = bold
    for g in grouping.groups:
        sheet = wb.create_sheet(f"第{g.number}组")
        _append(sheet, ["企业名称", "城市", "行业代码", "行业", "产业链", "成熟度"])
        for cell in sheet[1]:
            cell.font = bold
        for name in g.members:
            p = by_name[name]
            chain = chain_zh.get(p.chain, p.chain) if p.chain else ""
            _append(sheet, [p.name, city_zh.get(p.city, p.city), p.industry, industry_zh.get(p.industry, ""),
                            chain, p.maturity])  # fmt: skip
        sheet.column_dimensions["A"].width = 36
        sheet.column_dimensions["D"].width = 30
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    wb.save(tmp)
    os.replace(tmp, path)
