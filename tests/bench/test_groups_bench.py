from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import run_cli
from wendao.bench.groups import CURRENT_SRC, run_groups_bench


def test_bench_groups_times_a_cohort_and_compares_its_objective_with_drawing_lots(wendao: str, tmp_path: Path) -> None:
    out = tmp_path / "groups.json"
    result = subprocess.run(
        [wendao, "bench", "groups", "--repeat", "2", "--cohort", "40,6,1", "--seed", "7", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    (row,) = data["variants"]["current"]["rows"]
    assert (row["n"], row["size"], row["seed"]) == (40, 6, 7)
    assert len(row["seconds"]) == 2
    assert row["terms"]["objective"] > row["lots_objective"]
    assert data["meets_target"] is None  # no 300-participant cohort in this run


def test_a_baseline_tree_is_measured_in_the_same_run_on_the_same_cohort() -> None:
    data = run_groups_bench(repeat=1, baseline_src=CURRENT_SRC, cohorts=[(30, 6, 2)], seeds=[3])
    now, before = data["variants"]["current"]["rows"][0], data["variants"]["baseline"]["rows"][0]
    assert now["terms"] == before["terms"]  # the same source: the same groups
    assert data["against_baseline"]["30@6"]["objective_change"] == 0
    assert data["against_baseline"]["30@6"]["same_groups"] == "1 of 1"
    assert data["against_baseline"]["30@6"]["speedup"] > 0


def test_a_malformed_cohort_is_refused() -> None:
    result = run_cli("bench", "groups", "--cohort", "300,10")
    assert result.returncode == 2
    assert "three whole numbers" in result.stderr
