"""`wendao cohort group` (in this process, through the app the console script runs): JSON contract, the workbook,
exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from openpyxl import load_workbook

from tests.conftest import EXAMPLES, run_cli

PARTICIPANTS = EXAMPLES / "cohort" / "participants.csv"


def test_cohort_group_writes_a_workbook_and_json(tmp_path: Path) -> None:
    out = tmp_path / "groups.xlsx"
    result = run_cli("cohort", "group", str(PARTICIPANTS), "--size", "6", "-o", str(out), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["ok"] is True
    assert all(5 <= g["size"] <= 7 for g in data["groups"])
    assert set(data["terms"]) == {
        "industry_affinity",
        "maturity_spread",
        "same_city_pairs",
        "size_deviation",
        "objective",
    }
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "汇总"
    assert len(wb.sheetnames) == 1 + len(data["groups"])


def test_cohort_group_is_the_same_for_the_same_seed() -> None:
    args = ("cohort", "group", str(PARTICIPANTS), "--size", "5", "--seed", "11", "--format", "json")
    first, second = run_cli(*args), run_cli(*args)
    assert json.loads(first.stdout)["groups"] == json.loads(second.stdout)["groups"]


def test_broken_list_names_every_bad_row_and_writes_nothing(tmp_path: Path) -> None:
    rows = list(csv.reader(PARTICIPANTS.read_text(encoding="utf-8").splitlines()))
    rows[2][1] = "火星"  # row 3
    rows[5][2] = "C99"  # row 6
    rows[9][4] = "高"  # row 10
    bad = tmp_path / "bad.csv"
    with bad.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    out = tmp_path / "groups.xlsx"
    result = run_cli("cohort", "group", str(bad), "--size", "6", "-o", str(out))
    assert result.returncode == 1
    for needle in ("row 3, column city", "row 6, column industry", "row 10, column maturity"):
        assert needle in result.stderr
    assert not out.exists()
    as_json = run_cli("cohort", "group", str(bad), "--size", "6", "--format", "json")
    assert as_json.returncode == 1
    assert [(p["row"], p["column"]) for p in json.loads(as_json.stdout)["problems"]] == [
        (3, "city"),
        (6, "industry"),
        (10, "maturity"),
    ]


def test_missing_size_is_a_usage_error() -> None:
    assert run_cli("cohort", "group", str(PARTICIPANTS)).returncode == 2
    assert run_cli("cohort", "group", str(PARTICIPANTS), "--size", "1").returncode == 2
