from __future__ import annotations

import json
import subprocess
from pathlib import Path

from wendao.bench.week import POLLS, STEPS


def test_bench_web_week_signs_a_class_in_by_link_and_loses_no_problem_or_comment(wendao: str, tmp_path: Path) -> None:
    out = tmp_path / "week.json"
    result = subprocess.run(
        [wendao, "bench", "web", "--scenario", "week", "--participants", "12", "--noop-requests", "5",
         "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["errors"] == 0, data["error_samples"]
    assert data["participants_finished"] == 12
    assert data["writes"] == {"planned": 24, "sent": 24, "stored": 24, "lost": 0, "lost_after_200": 0}
    assert set(data["steps"]) == set(STEPS)
    assert data["steps"]["poll"]["requests"] == 12 * (POLLS + 1)
    for step, figures in data["steps"].items():
        assert figures["errors"] == 0, step
        assert figures["p95_over_noop_p95"] is not None, step
