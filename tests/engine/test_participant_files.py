"""The cohort participant list in and the groups workbook out: every bad row reported at once; against hostile
content, a row bomb is refused after reading one row past the limit, and names that would be formulas are
written as text."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tests.engine.spreadsheets import counting_parsed_rows, row_bomb
from tests.engine.test_grouping import cohort, synthetic_rows
from wendao.engine.catalog import default_catalog
from wendao.engine.grouping import Participant, form_groups
from wendao.engine.participant_files import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    ParticipantFileError,
    load_participants,
    maturity_levels,
    write_grouping_xlsx,
)

HEADER = ["企业名称", "城市", "行业代码", "产业链", "成熟度"]
PAYLOADS = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)"]


def test_a_row_bomb_participant_list_is_refused_after_reading_few_rows(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(row_bomb(HEADER, 200_000))
    start = time.perf_counter()
    with counting_parsed_rows() as parsed, pytest.raises(ParticipantFileError) as exc:
        load_participants(path)
    assert [p.expected for p in exc.value.problems] == [f"at most {MAX_ROWS} rows per file"]
    assert parsed[0] <= MAX_ROWS + 2
    assert time.perf_counter() - start < 20


def test_a_csv_row_bomb_and_an_oversized_file_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.csv"
    path.write_text(",".join(HEADER) + "\n" + "甲（虚构）,济南,C34,,50\n" * 100_000, encoding="utf-8")
    with pytest.raises(ParticipantFileError) as exc:
        load_participants(path)
    assert [p.expected for p in exc.value.problems] == [f"at most {MAX_ROWS} rows per file"]
    path.write_bytes(b"," * (MAX_FILE_BYTES + 1))
    with pytest.raises(ParticipantFileError) as exc:
        load_participants(path)
    assert [p.expected for p in exc.value.problems] == ["a file under 5 MB"]


def test_names_and_chain_labels_that_would_be_formulas_are_written_as_text(tmp_path: Path) -> None:
    cities = ["jinan", "qingdao", "zibo", "yantai"]
    people = [
        Participant(
            name=name, city=cities[i], industry="C34", industry_group="equipment", chain="=1+1", maturity=40 + i
        )
        for i, name in enumerate(PAYLOADS)
    ]
    path = tmp_path / "groups.xlsx"
    write_grouping_xlsx(form_groups(people, 2, rounds=1), people, path)
    wb = load_workbook(path)
    cells = [c for sheet in wb.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if c.data_type == "s"}
    assert {"'" + p for p in PAYLOADS} | {"'=1+1"} <= texts
    maturities = [r[5] for s in wb.worksheets[1:] for r in s.iter_rows(min_row=2, values_only=True)]
    assert sorted(maturities) == [40, 41, 42, 43]  # numbers, not text


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> None:
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    wb.save(path)


def test_levels_become_the_centre_of_their_score_band() -> None:
    levels = maturity_levels(default_catalog())
    assert levels["二级"] == 50
    assert levels["未达一级"] == 10
    assert levels["1级"] == levels["1级 规划级"] == 30


def test_broken_file_reports_every_bad_row_at_once(tmp_path: Path) -> None:
    rows = [
        [r[1]["name"], r[1]["city"], r[1]["industry"], r[1]["chain"], r[1]["maturity"]] for r in synthetic_rows(6, 3)
    ]
    rows[1][1] = "北京"  # row 3: unknown city
    rows[2][2] = "C12"  # row 4: not a manufacturing division
    rows[3][4] = "很高"  # row 5: non-numeric maturity
    rows[5][0] = rows[0][0]  # row 7: duplicate name
    path = tmp_path / "bad.xlsx"
    write_xlsx(path, ["企业名称", "城市", "行业代码", "产业链", "成熟度"], rows)
    with pytest.raises(ParticipantFileError) as exc:
        load_participants(path)
    found = {(p.row, p.column) for p in exc.value.problems}
    assert found == {(3, "city"), (4, "industry"), (5, "maturity"), (7, "name")}
    assert "row 7" in str(exc.value.problems[-1])


def test_missing_header_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("name,city,industry\nA（虚构）,济南,C26\n", encoding="utf-8")
    with pytest.raises(ParticipantFileError) as exc:
        load_participants(path)
    assert [(p.row, p.column) for p in exc.value.problems] == [(1, "maturity")]


def test_example_list_reads_with_chinese_headers_and_levels() -> None:
    ps = load_participants(Path(__file__).resolve().parents[2] / "examples" / "cohort" / "participants.csv")
    assert len(ps) >= 20
    assert all("虚构" in p.name for p in ps)
    assert Counter(p.city for p in ps).most_common(1)[0][1] < len(ps)


def test_written_workbook_reads_back(tmp_path: Path) -> None:
    ps = cohort(30)
    result = form_groups(ps, 6, rounds=3)
    path = tmp_path / "out" / "groups.xlsx"
    write_grouping_xlsx(result, ps, path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["汇总", *(f"第{g.number}组" for g in result.groups)]
    summary = [row for row in wb["汇总"].iter_rows(values_only=True) if row and row[0] == "合计"]
    assert summary[0][1] == len(ps)
    names = [r[0] for s in wb.sheetnames[1:] for r in wb[s].iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(p.name for p in ps)
    assert not list(path.parent.glob("*.tmp"))


def test_the_workbook_says_what_the_grouping_balanced_and_names_cities_not_ids(tmp_path: Path) -> None:
    ps = cohort(30)
    result = form_groups(ps, 6, rounds=3)
    path = tmp_path / "groups.xlsx"
    contacts = {p.name: (f"联系人{k}", f"1380000{k:04d}") for k, p in enumerate(ps)}
    write_grouping_xlsx(result, ps, path, contacts=contacts, unassessed={ps[0].name})
    wb = load_workbook(path)
    cells = [str(c) for s in wb.worksheets for row in s.iter_rows(values_only=True) for c in row if c is not None]
    assert cells[0].startswith("分组兼顾三点")
    for internal in ("local_search", "LOCAL_OPTIMUM", "分组方法", "目标值", "行业亲近度", "jinan"):
        assert not [c for c in cells if internal in c], internal
    first = next(s for s in wb.worksheets[1:] if any(r[0] == ps[0].name for r in s.iter_rows(values_only=True)))
    header = [c.value for c in first[1]]
    assert header[:3] == ["企业名称", "联系人", "手机"]
    row = next(r for r in first.iter_rows(min_row=2, values_only=True) if r[0] == ps[0].name)
    assert row[1:3] == contacts[ps[0].name]
    assert row[-1] == "未评估"
    assert row[3] in {c.name_zh for c in default_catalog().catalog.cities}


def test_the_workbook_reads_in_english(tmp_path: Path) -> None:
    ps = cohort(30)
    path = tmp_path / "groups.xlsx"
    write_grouping_xlsx(form_groups(ps, 6, rounds=3), ps, path, lang="en")
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == ["Summary", "Group 1"]
    assert str(wb["Summary"]["A1"].value).startswith("The grouping balances three things")
    assert [c.value for c in wb["Group 1"][1]][:2] == ["Enterprise", "City"]
