from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from wendao.bench.web import STEPS


def test_bench_web_class_completes_the_assessment_with_no_error_and_no_lost_answer(wendao: str, tmp_path: Path) -> None:
    # a light run (the CLI default: 300 participants, 5 workers, hashed static files): still a real server, every
    # answer checked in the database
    out = tmp_path / "web.json"
    result = subprocess.run(
        [wendao, "bench", "web", "--participants", "6", "--noop-requests", "3", "--plain-static", "--json", str(out)],
        env={**os.environ, "WENDAO_WORKERS": "2"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data == json.loads(result.stdout)
    assert data["errors"] == 0, data["error_samples"]
    assert data["participants_finished"] == 6
    answers = data["answers"]
    assert answers["expected"] == 6 * data["questions_per_participant"] > 0
    assert data["lost_answers"] == answers["lost"] == 0
    assert answers["rounds_completed"] == 6
    assert set(data["steps"]) == set(STEPS)
    for step, figures in data["steps"].items():
        assert figures["requests"] > 0, step
        assert figures["errors"] == 0, step
        assert set(figures["seconds"]) == {"p50", "p95", "p99", "max", "mean"}, step
        assert figures["p95_over_noop_p95"] is not None, step
        assert figures["p95_over_interleaved_p95"] is not None, step
    assert data["steps"]["answer"]["requests"] == answers["expected"]
    assert data["noop_baseline"]["requests"] == 6 * 3
    assert data["noop_baseline"]["errors"] == 0
    interleaved = data["interleaved_baseline"]
    assert interleaved["errors"] == 0
    assert interleaved["requests"] == data["requests"] - 6  # one after each timed request (the wizard's is two)
    assert interleaved["seconds"]["p95"] is not None
    assert data["server"]["bind"].startswith("127.0.0.1:")
    assert data["server"]["workers_booted"] >= data["server"]["workers"]
