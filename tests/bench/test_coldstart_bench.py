from __future__ import annotations

import json
import subprocess
from pathlib import Path


def test_bench_coldstart_times_a_plan_with_the_cache_empty_and_written_against_assess(
    wendao: str, tmp_path: Path
) -> None:
    out = tmp_path / "coldstart.json"
    result = subprocess.run(
        [wendao, "bench", "coldstart", "--repeat", "1", "--no-web", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    current = data["variants"]["current"]
    for key in ("assess", "plan_cold_cache", "plan_warm_cache"):
        assert current[key]["n"] == 1
        assert current[key]["wall_p50"] > 0
    # the warm process reads the passage embeddings the cold one had to compute
    assert current["plan_warm_cache"]["cpu_p50"] < current["plan_cold_cache"]["cpu_p50"]
    assert data["meets_targets"]["web_worker_ready"] is None
    assert "compiled once" in data["bytecode"]  # measured as a deployment runs, not recompiling every module
