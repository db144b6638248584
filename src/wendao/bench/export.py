"""`wendao bench export`: the organiser's cohort export, every participant's plan PDF in one zip (issue 19).

The documents are rendered the way an export job renders them (``report.render`` of each stored plan, one
worker process per core, as with ``WENDAO_JOB_TASKS`` workers on the queue) and zipped with the archive's own
settings (``jobs.services.build_archive``: deflate, level 1). The queue, the database and the summary workbook are
left out: they cost milliseconds per item against seconds per PDF.

Same run, same plans: ``before`` renders as before issue 19 (charts drawn with their PNG for every document,
fonts with every glyph id retained, ``bench.report._before``), ``current`` as now. Minutes and MB for ``n`` PDFs;
``projected_300``: the same per-document figures scaled to a 300-firm programme when ``n`` is smaller (a busy
machine cannot afford 2 × 300 typeset documents in a benchmark run; the projection is said to be one).
"""

from __future__ import annotations

import io
import os
import platform
import random
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from typing import Any

from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan, PlanOptions, build_plan
from wendao.engine.profile import parse_profile
from wendao.synthetic import synthetic_profile

PROGRAMME = 300
TARGET_MINUTES = 5.0


def _render(job: tuple[str, str]) -> bytes:
    plan_json, variant = job
    plan = Plan.model_validate_json(plan_json)
    if variant == "before":
        from wendao.bench.report import _before

        return _before(plan, "pdf", "zh")
    from wendao.report import render

    return render(plan, "pdf", "zh")


def _export(plans: list[str], variant: str, workers: int) -> dict[str, Any]:
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        documents = list(pool.map(_render, [(p, variant) for p in plans]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for i, body in enumerate(documents, start=1):
            zf.writestr(f"{i:03d}_enterprise.pdf", body)
    seconds = time.perf_counter() - start
    zipped = len(out.getvalue())
    n = len(plans)
    return {
        "pdfs": n,
        "minutes": round(seconds / 60, 2),
        "zip_mb": round(zipped / 1e6, 2),
        "pdf_kb_mean": round(sum(map(len, documents)) / n / 1024, 1),
        "seconds_per_pdf_per_worker": round(seconds * workers / n, 2),
        "projected_300": {
            "minutes": round(seconds / n * PROGRAMME / 60, 1),
            "zip_mb": round(zipped / n * PROGRAMME / 1e6, 1),
        },
    }


def run_export_bench(n: int = PROGRAMME, workers: int | None = None, seed: int = 19) -> dict[str, Any]:
    loaded = default_catalog()
    options = PlanOptions(as_of=date(2026, 11, 24))
    rng = random.Random(seed)
    plans = [
        build_plan(parse_profile(synthetic_profile(loaded, rng, k), loaded), loaded, options).model_dump_json()
        for k in range(n)
    ]
    workers = workers or os.cpu_count() or 1
    load_start = os.getloadavg()
    before = _export(plans, "before", workers)
    current = _export(plans, "current", workers)
    return {
        "benchmark": "export",
        "pdfs": n,
        "workers": workers,
        "before": before,
        "current": current,
        "target": f"{PROGRAMME} PDFs in <= {TARGET_MINUTES:g} min on 2 cores",
        "meets_target": current["projected_300"]["minutes"] <= TARGET_MINUTES,
        "projected": n < PROGRAMME,
        "load_average": {"start": [round(x, 2) for x in load_start], "end": [round(x, 2) for x in os.getloadavg()]},
        "machine": {"python": platform.python_version(), "cpu": platform.machine(), "cores": os.cpu_count()},
    }
