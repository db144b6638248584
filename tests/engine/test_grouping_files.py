"""The cohort participant list in and the groups workbook out, against hostile content: a row bomb is refused
after reading one row past the limit, and names that would be formulas are written as text."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.engine.spreadsheets import counting_parsed_rows, row_bomb
from wendao.engine.grouping import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    Participant,
    ParticipantFileError,
    form_groups,
    load_participants,
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
