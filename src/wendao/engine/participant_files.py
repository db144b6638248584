"""Participant lists in and groups out: the one reader of an uploaded participant spreadsheet (the cohort
file of ``wendao groups`` and the programme import of the web both read through ``read_sheet``) and the
groups workbook.

Participant files (``load_participants``): .xlsx or .csv with the columns name, city, industry, chain
(optional), maturity (0–100 or a level label of one of the questionnaire's official scales) — or the
Chinese headers 企业名称, 城市, 行业代码, 产业链, 成熟度. Every row is checked; all problems are reported
together (row, column, value, what was expected). ``write_grouping_xlsx`` writes one sheet per group plus
a summary sheet that says what the grouping balanced in words (no solver internals), with the contact person
and mobile of each firm when the caller knows them.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
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


# what a person reads in the groups workbook, per language (the engine has no gettext)
WORKBOOK_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "summary": "汇总",
        "group": "第{n}组",
        "balanced": (
            "分组兼顾三点：同一产业链、同一行业的企业尽量同组，便于讨论共同的问题；每组既有数字化水平较高的企业，"
            "也有刚起步的企业；同一城市的企业尽量分到不同组。每组 {lo}–{hi} 家。"
        ),
        "unassessed_note": "尚未完成评估的企业，分组时按全班成熟度中位数计，表中写“未评估”。",
        "number": "组",
        "firms": "家数",
        "cities": "城市数",
        "largest_city": "同城最多",
        "industries": "行业",
        "maturity_range": "成熟度（分）",
        "total": "合计",
        "name": "企业名称",
        "contact": "联系人",
        "phone": "手机",
        "city": "城市",
        "industry_code": "行业代码",
        "industry": "行业",
        "chain": "产业链",
        "maturity": "成熟度（0–100 分）",
        "unassessed": "未评估",
        "count": "{name} {n} 家",
        "sep": "；",
    },
    "en": {
        "summary": "Summary",
        "group": "Group {n}",
        "balanced": (
            "The grouping balances three things: firms of the same industrial chain or industry sit together, so "
            "they can discuss shared problems; each group mixes firms further along in digitalisation with "
            "beginners; firms of the same city are spread across groups. Each group has {lo}–{hi} firms."
        ),
        "unassessed_note": "Firms not yet assessed count at the class's median maturity; the table says “not assessed”.",
        "number": "Group",
        "firms": "Firms",
        "cities": "Cities",
        "largest_city": "Most from one city",
        "industries": "Industries",
        "maturity_range": "Maturity (points)",
        "total": "Total",
        "name": "Enterprise",
        "contact": "Contact",
        "phone": "Mobile",
        "city": "City",
        "industry_code": "Industry code",
        "industry": "Industry",
        "chain": "Industrial chain",
        "maturity": "Maturity (0–100)",
        "unassessed": "not assessed",
        "count": "{name}: {n}",
        "sep": "; ",
    },
}


def write_grouping_xlsx(
    grouping: Grouping,
    participants: Sequence[Participant],
    path: Path,
    loaded: LoadedCatalog | None = None,
    contacts: Mapping[str, tuple[str, str]] | None = None,
    unassessed: Collection[str] = (),
    lang: Literal["zh", "en"] = "zh",
) -> None:
    """A summary sheet (what the grouping balanced, in a sentence; per group its firms, cities, largest city,
    industries and maturity range) and one sheet per group with each firm's city, industry and chain by
    name. ``contacts``: participant name -> (contact person, mobile), given when the writer knows them (the
    web's programme). ``unassessed``: participants whose maturity is a stand-in (shown as not assessed). No
    solver internals: the objective and its terms are the CLI's to print. Written to a temporary file and
    renamed, so a failure never leaves half a workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    text = WORKBOOK_TEXT[lang]
    en = lang == "en"
    cat = loaded or default_catalog()
    city_name = {c.id: c.name_en if en else c.name_zh for c in cat.catalog.cities}
    industry_name = {i.code: i.name_en if en else i.name_zh for i in cat.catalog.industries}
    chain_name = {c.id: c.name_en if en else c.name_zh for c in cat.catalog.chains}
    by_name = {p.name: p for p in participants}
    bold = Font(bold=True)

    def counted(keys: Sequence[str], names: Mapping[str, str], most: int) -> str:
        common = Counter(keys).most_common(most)
        return text["sep"].join(text["count"].format(name=names.get(k, k), n=n) for k, n in common)

    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = text["summary"]
    _append(summary, [text["balanced"].format(lo=grouping.size - 1, hi=grouping.size + 1)])
    if unassessed:
        _append(summary, [text["unassessed_note"]])
    _append(summary, [])
    _append(summary, [text[k] for k in ("number", "firms", "cities", "largest_city", "industries", "maturity_range")])
    for cell in summary[summary.max_row]:
        cell.font = bold
    for g in grouping.groups:
        members = [by_name[name] for name in g.members]
        scores = [p.maturity for p in members if p.name not in unassessed]
        _append(
            summary,
            [
                text["group"].format(n=g.number),
                g.size,
                g.cities,
                counted([p.city for p in members], city_name, 1),
                counted([p.industry for p in members], industry_name, 3),
                f"{min(scores)}–{max(scores)}" if scores else text["unassessed"],
            ],
        )
    _append(summary, [text["total"], sum(g.size for g in grouping.groups)])
    for cell in summary[summary.max_row]:
        cell.font = bold
    for letter, width in zip("ABCDEF", (10, 8, 8, 16, 60, 14), strict=True):
        summary.column_dimensions[letter].width = width
    head = ["name", *(["contact", "phone"] if contacts is not None else []), "city", "industry_code", "industry"]
    head += ["chain", "maturity"]
    for g in grouping.groups:
        sheet = wb.create_sheet(text["group"].format(n=g.number))
        _append(sheet, [text[k] for k in head])
        for cell in sheet[1]:
            cell.font = bold
        for name in g.members:
            p = by_name[name]
            chain = chain_name.get(p.chain, p.chain) if p.chain else ""
            person = list(contacts.get(name, ("", ""))) if contacts is not None else []
            maturity: object = text["unassessed"] if name in unassessed else p.maturity
            _append(sheet, [p.name, *person, city_name.get(p.city, p.city), p.industry,
                            industry_name.get(p.industry, ""), chain, maturity])  # fmt: skip
        sheet.column_dimensions["A"].width = 36
        for key, letter in zip(head[1:], "BCDEFGH", strict=False):
            sheet.column_dimensions[letter].width = 30 if key in ("industry", "chain") else 14
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    wb.save(tmp)
    os.replace(tmp, path)
