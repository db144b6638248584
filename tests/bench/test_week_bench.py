from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from wendao.bench.week import POLLS, STEPS


def test_bench_web_week_signs_a_class_in_by_link_and_loses_no_problem_or_comment(wendao: str, tmp_path: Path) -> None:
    # a light run in two groups (the CLI default: 300 participants, 5 workers, hashed static files): still a real
    # server, every write checked in the database; the class arrives within 2 s (the load: within 60 s)
    out = tmp_path / "week.json"
    result = subprocess.run(
        [wendao, "bench", "web", "--scenario", "week", "--participants", "10", "--noop-requests", "3",
         "--arrival-seconds", "2", "--plain-static", "--json", str(out)],
        env={**os.environ, "WENDAO_WORKERS": "2"},
        capture_output=True,
        text=True,
        timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["errors"] == 0, data["error_samples"]
    assert data["participants_finished"] == 10
    assert data["client"]["arrival_seconds"] == 2
    assert "within 2 s" in data["client"]["arrival"]
    assert data["writes"] == {"planned": 20, "sent": 20, "stored": 20, "lost": 0, "lost_after_200": 0}
    assert set(data["steps"]) == set(STEPS)
    assert data["steps"]["poll"]["requests"] == 10 * (POLLS + 1)
    for step, figures in data["steps"].items():
        assert figures["errors"] == 0, step
        assert figures["p95_over_noop_p95"] is not None, step
        assert figures["p95_over_interleaved_p95"] is not None, step
    assert data["noop_baseline"]["requests"] == 10 * 3
    assert data["noop_baseline"]["errors"] == 0
    interleaved = data["interleaved_baseline"]
    assert interleaved["errors"] == 0
    assert interleaved["requests"] == data["requests"]  # one right after each participant request


def test_bench_week_cpu_measures_every_participant_view_of_the_demo_in_process() -> None:
    # a light run (the CLI's: 24 firms, 40 requests per view): the demo's data, every view answered as a phone's
    from wendao.bench.week_cpu import VIEWS, run_week_cpu_bench

    data = run_week_cpu_bench(cohort=8, iterations=2, warmup=1)
    assert data["data"]["members"] == 8
    assert data["data"]["sessions"] == 17  # the demo's five-day timetable
    assert set(data["views"]) == set(VIEWS)
    for view, row in data["views"].items():
        assert row["cpu_ms_median"] > 0, view
    assert data["views"]["healthz"]["queries"] == 0
    assert data["views"]["poll_unchanged"]["bytes"] == 0  # 204: answered from the board's stamp
    # the unchanged poll reads the stamp, not the board
    assert data["views"]["poll_unchanged"]["queries"] < data["views"]["poll_changed"]["queries"]
