from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from wendao.bench.plausibility import _summary


def _row(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": "x",
        "division": "C26",
        "group": "raw_materials",
        "size": "small",
        "budget": 50.0,
        "items": 2,
        "benefit_share": 0.01,
        "net_over_one_off": 1.0,
        "payback_months": 18.0,
        "own_figures_carry": False,
        "needs": 2,
        "needs_acted_on": 1,
        "needs_answered": 2,
        "sales_need": False,
        "uplift_top3_ranking": [],
        "uplift_top3_roadmap": [],
        "sales_top3_ranking": [],
        "sales_top3_roadmap": [],
    }
    row.update(changes)
    return row


def test_an_empty_roadmap_with_a_positive_budget_fails_its_target() -> None:
    summary = _summary([_row(), _row(items=0, benefit_share=None, net_over_one_off=None, payback_months=None)])
    assert summary["empty_roadmaps_with_positive_budget"]["count"] == 1
    assert summary["targets"]["no_empty_roadmap_with_positive_budget"] == {"pass": False, "figure": 1}
    assert summary["benefit_over_revenue"]["n"] == 1  # a plan without items has no ratio


def test_needs_are_counted_per_need_acted_on_and_answered() -> None:
    summary = _summary([_row(), _row(needs=3, needs_acted_on=3, needs_answered=3)])
    assert summary["needs"] == {"stated": 5, "acted_on_share": 0.8, "answered_share": 1.0}
    assert summary["targets"]["all_stated_needs_answered"]["pass"]


def test_marketing_in_a_b2b_process_roadmap_fails_unless_sales_is_a_stated_need() -> None:
    missed = _summary([_row(sales_top3_roadmap=["precision_marketing"])])
    asked = _summary([_row(sales_top3_roadmap=["precision_marketing"], sales_need=True)])
    target = "no_marketing_in_top3_for_b2b_process_without_sales_need"
    assert not missed["targets"][target]["pass"]
    assert missed["targets"][target]["roadmap_figure"] == 1
    assert asked["targets"][target]["pass"]


def test_a_benefit_above_five_percent_of_revenue_fails_unless_own_figures_carry_it() -> None:
    over = _summary([_row(benefit_share=0.08)])
    carried = _summary([_row(benefit_share=0.08, own_figures_carry=True)])
    target = "benefit_at_most_5pct_of_revenue_unless_own_figures"
    assert not over["targets"][target]["pass"]
    assert carried["targets"][target]["pass"]


def test_bench_plausibility_writes_the_distributions_and_targets(wendao: str, tmp_path: Path) -> None:
    out = tmp_path / "plausibility.json"
    result = subprocess.run(
        [wendao, "bench", "plausibility", "--n", "6", "--json", str(out)], capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["all"]["plans"] == 6 + len(data["examples"])
    assert set(data["all"]["targets"]) >= {"no_empty_roadmap_with_positive_budget", "all_stated_needs_answered"}
    assert {r["example"] for r in data["rows"]} == set(data["examples"])
