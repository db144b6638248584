from __future__ import annotations

from wendao.bench.engine import sample_plans


def test_the_bench_sample_plans_are_the_same_each_time_and_carry_no_timing() -> None:
    # scripts/engine_same_plans.py compares two runs of these: they must differ only when the code changes a plan
    first, again = sample_plans(4), sample_plans(4)
    assert first == again
    assert len(first) == 4
    assert all("roadmap_solve_seconds" not in p for p in first)
    assert all("solve_seconds" not in str(p) for p in first)
