"""`wendao bench export`: the organiser's cohort export, every participant's plan PDF in one zip (issue 19).

The documents are rendered the way an export job renders them (``report.render`` of each stored plan, one
worker process per core, as with ``WENDAO_JOB_TASKS`` workers on the queue) and zipped with the archive's own
settings (``jobs.services.build_archive``: deflate, level 1). The queue, the database and the summary workbook are
left out: they cost milliseconds per item against seconds per PDF.

Same run, same plans: ``current`` renders as now (Typst), on all ``n`` plans; ``weasyprint`` through WeasyPrint
as the PDF was made until Typst replaced it (fonts compacted, ``report.pdf.render_pdf_weasyprint``) and ``before``
as before issue 19 (charts drawn with their PNG for every document, fonts with every glyph id retained,
``bench.report._before``), each on the first ``before_n`` plans. Minutes and MB for the PDFs rendered, the CPU
seconds each document took in its worker (what a loaded machine does not distort), and ``projected_300``: the
same per-document figures scaled to a 300-firm programme when fewer were rendered (said to be a projection).
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
from importlib.metadata import version
from typing import Any

from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan, PlanOptions, build_plan
from wendao.engine.profile import parse_profile
from wendao.synthetic import synthetic_profile

PROGRAMME = 300
TARGET_MINUTES = 5.0


def _render(job: tuple[str, str]) -> tuple[bytes, float]:
    plan_json, variant = job
    start = time.process_time()
    plan = Plan.model_validate_json(plan_json)
    if variant == "before":
        from wendao.bench.report import _before

        document = _before(plan, "pdf", "zh")
    elif variant == "weasyprint":
        from wendao.report.pdf import render_pdf_weasyprint

        document = render_pdf_weasyprint(plan, "zh")
    else:
        from wendao.report import render

        document = render(plan, "pdf", "zh")
    return document, time.process_time() - start


def _export(plans: list[str], variant: str, workers: int) -> dict[str, Any]:
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        rendered = list(pool.map(_render, [(p, variant) for p in plans]))
    documents = [d for d, _ in rendered]
    cpu = sorted(c for _, c in rendered)
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
        "cpu_seconds_per_pdf": {"p50": round(cpu[n // 2], 2), "max": round(cpu[-1], 2), "sum": round(sum(cpu), 1)},
        "projected_300": {
            "minutes": round(seconds / n * PROGRAMME / 60, 1),
            "zip_mb": round(zipped / n * PROGRAMME / 1e6, 1),
        },
    }


def run_export_bench(
    n: int = PROGRAMME, workers: int | None = None, seed: int = 19, before_n: int | None = None
) -> dict[str, Any]:
    loaded = default_catalog()
    options = PlanOptions(as_of=date(2026, 11, 24))
    rng = random.Random(seed)
    plans = [
        build_plan(parse_profile(synthetic_profile(loaded, rng, k), loaded), loaded, options).model_dump_json()
        for k in range(n)
    ]
    workers = workers or os.cpu_count() or 1
    load_start = os.getloadavg()
    current = _export(plans, "current", workers)
    compared = plans[: n if before_n is None else max(1, min(n, before_n))]
    weasyprint = _export(compared, "weasyprint", workers)
    before = _export(compared, "before", workers)
    return {
        "benchmark": "export",
        "pdfs": n,
        "workers": workers,
        "current": current,
        "weasyprint": weasyprint,
        "before": before,
        "target": f"{PROGRAMME} PDFs in <= {TARGET_MINUTES:g} min on 2 cores",
        "meets_target": current["projected_300"]["minutes"] <= TARGET_MINUTES,
        "projected": n < PROGRAMME,
        "renderer": "typst " + version("typst"),
        "load_average": {"start": [round(x, 2) for x in load_start], "end": [round(x, 2) for x in os.getloadavg()]},
        "machine": {"python": platform.python_version(), "cpu": platform.machine(), "cores": os.cpu_count()},
    }
