from __future__ import annotations

import json
import subprocess
from pathlib import Path

from wendao.bench.match import generate
from wendao.engine.catalog import default_catalog


def test_bench_match_writes_speed_and_quality_with_same_run_baselines(wendao: str, tmp_path: Path) -> None:
    out = tmp_path / "match.json"
    result = subprocess.run(
        [wendao, "bench", "match", "--providers", "300", "--needs", "40", "--no-embeddings", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert (data["providers"], data["needs"]) == (300, 40)
    assert data["method"]["needs_per_second"] > 0
    assert data["method"]["per_need_ms_p95"] >= data["method"]["per_need_ms_p50"]
    assert data["method"]["hit_at_10"] >= data["baselines"]["lexical"]["hit_at_10"]
    assert set(data["baselines"]) == {"lexical", "filter_scan"}
    assert data["embeddings"] == {"skipped": "--no-embeddings"}


def test_bench_match_embedding_sample_reports_the_embedding_rate(wendao: str, tmp_path: Path) -> None:
    out = tmp_path / "match.json"
    args = ["--providers", "60", "--needs", "10", "--embed-providers", "20", "--embed-needs", "5"]
    result = subprocess.run(
        [wendao, "bench", "match", *args, "--json", str(out)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    sample = json.loads(out.read_text(encoding="utf-8"))["embeddings"]
    assert (sample["providers"], sample["needs"]) == (20, 5)
    assert sample["providers_embedded_per_second"] > 0
    assert "hit_at_10" in sample["hybrid_with_embeddings"]


def test_generated_data_is_deterministic_and_every_need_has_a_right_answer() -> None:
    loaded = default_catalog()
    providers, cases = generate(loaded, providers=200, needs=50, seed=11)
    again = generate(loaded, providers=200, needs=50, seed=11)
    assert (providers, cases) == again
    assert all(case.relevant for case in cases)
    assert all(p.name.startswith("合成供应商") for p in providers)
