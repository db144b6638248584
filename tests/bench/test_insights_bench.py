"""`wendao bench insights` on a real PostgreSQL server with a tiny N (skipped without WENDAO_TEST_DATABASE_URL;
CI sets it to postgres://wendao:wendao@127.0.0.1:5432/wendao)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli

URL = os.environ.get("WENDAO_TEST_DATABASE_URL", "")
needs_postgres = pytest.mark.skipif(not URL, reason="WENDAO_TEST_DATABASE_URL is not set (a PostgreSQL server)")


def _databases() -> set[str]:
    import psycopg

    from wendao.bench.insights import _connect

    with _connect(URL) as conn:
        rows = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'wendao_bench_insights_%'").fetchall()
    assert isinstance(conn, psycopg.Connection)
    return {r[0] for r in rows}


@needs_postgres
def test_bench_insights_times_every_dashboard_and_drops_its_database(wendao: str, tmp_path: Path) -> None:
    before = _databases()
    out = tmp_path / "insights.json"
    args = ["bench", "insights", "--enterprises", "300", "--templates", "6", "--repeat", "2"]
    result = subprocess.run(
        [wendao, *args, "--database-url", URL, "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["enterprises"] == data["counts"]["enterprises"] == data["counts"]["participants"] == 300
    assert 0 < data["counts"]["plans"] <= 330
    assert data["counts"]["plan_summaries"] == data["counts"]["plans"]
    assert data["counts"]["targets"] > 0
    assert set(data["pages"]) == {"dashboard", "pilots", "targets", "demand", "participants", "city"}
    for name, page in data["pages"].items():
        for part in ("view", "queries"):
            assert page[part]["n"] == 2, name
            assert 0 < page[part]["p50_s"] <= page[part]["p95_s"] <= page[part]["max_s"], name
            assert page[part]["p50_vs_baseline"] > 0, name
        assert page["meets_target"] is (page["view"]["p95_s"] < 1.0)
    assert data["baseline"]["noop_view"]["n"] == data["baseline"]["select_1"]["n"] == 2
    assert all(v is not None for v in data["explain_ms"].values())
    report = data["report"]  # the report for superiors, made once as the worker would
    assert (report["status"], report["participants"]) == ("done", 300)
    assert report["pdf_kb"] > 0
    assert report["docx_kb"] > 0
    assert report["meets_target"] is (report["wall_s"] < 60)
    assert data["database"]["dropped"] is True
    assert _databases() == before  # the throwaway database is gone


def test_bench_insights_refuses_a_sqlite_url() -> None:
    result = run_cli("bench", "insights", "--enterprises", "10", "--database-url", "sqlite:///x.db")
    assert result.returncode == 1
    assert "PostgreSQL" in result.stderr
