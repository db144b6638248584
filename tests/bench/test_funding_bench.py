from __future__ import annotations

from pathlib import Path

from wendao.bench.funding import run_funding_bench

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "src" / "wendao" / "data" / "examples").glob("*.yaml"))


def test_the_funding_bench_measures_the_cohort_and_the_examples_with_and_without_a_stated_tax_status() -> None:
    result = run_funding_bench(EXAMPLES, n=6, seed=3)
    assert result["examples"] == [p.stem for p in EXAMPLES]
    generated, answered = result["generated"], result["generated_tax_status_answered"]
    assert generated["plans"] == answered["plans"] == 6
    # no generated enterprise answers the funding questions: nothing is counted. Stating the tax status alone
    # still counts nothing: what it unlocks (the one-time equipment deduction) is tax timing, shown on its own
    # row, not support; the R&D and special-equipment measures also need their own questions answered
    assert generated["counted_share"]["max"] == answered["counted_share"]["max"] == 0.0
    assert answered["likely_share"]["max"] > 0.0
    assert generated["zero_amount_lines"] == 0
    assert generated["filler_cells"] == 0
    weifang = next(r for r in result["rows"] if r["example"] == "weifang_machinery")
    assert 0 < weifang["counted"] < weifang["investment"]
    # no table cell prints 0.00 (a column of zeros reads as money), and city coverage is measured
    assert generated["zero_cells"] == 0
    assert result["examples_summary"]["zero_cells"] == 0
    assert isinstance(result["examples_summary"]["plans_naming_a_city_policy"], int)
    assert all(isinstance(p, str) for p in result["examples_summary"]["city_policies_named"])
