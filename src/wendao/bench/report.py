"""`wendao bench report`: seconds per PDF and per Word document, for the example profiles and for generated
(synthetic) enterprises. Same-run baseline: the Markdown rendering of the same plans (no layout, no charts),
so the ratio shows what typesetting and charts cost. Bytes per document beside the seconds. Every PDF and Word
figure is given in wall seconds and in CPU seconds of this process (``*_cpu_seconds``): on a shared machine the
wall time says more about the other processes than about the renderer.

``weasyprint``: the same plans' PDF through WeasyPrint, the renderer the PDF had until Typst replaced it
(``report.pdf.render_pdf_weasyprint``: fonts compacted, charts drawn once), measured side by side in the same run.

``before``: the same plans rendered the way they were before issue 19, in the same run: every format draws its
charts again (SVG and the 200 dpi PNG), the PDF keeps WeasyPrint's own font subsets (every glyph id of the
CJK faces retained) and Word's chart PNGs are 8-bit RGBA rather than 256 colours. Each PDF and Word document of the current path starts from a fresh chart memo too, except
``docx_after_pdf``: Word right after the PDF of the same plan, the order the web and CLI produce them in."""

from __future__ import annotations

import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan, PlanOptions, build_plan
from wendao.engine.profile import load_profile, parse_profile
from wendao.report import charts, render
from wendao.report.html import render_html
from wendao.report.pdf import render_pdf_weasyprint
from wendao.synthetic import synthetic_profile


def _fresh() -> None:
    """Forget the charts drawn so far: each timing below pays for its own drawing."""
    charts._DRAWN.clear()


def _timed(
    plans: list[Plan],
    fmt: str,
    lang: str,
    sizes: list[int] | None = None,
    fresh: bool = True,
    cpu: list[float] | None = None,
    renderer: Callable[[Plan, str], bytes] | None = None,
) -> list[float]:
    out = []
    for plan in plans:
        if fresh:
            _fresh()
        start, start_cpu = time.perf_counter(), time.process_time()
        document = renderer(plan, lang) if renderer else render(plan, fmt, lang)  # type: ignore[arg-type]
        out.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - start_cpu)
        if sizes is not None:
            sizes.append(len(document))
    return out


def _before(plan: Plan, fmt: str, lang: str) -> bytes:
    """The rendering before issue 19: charts drawn with their PNG for every format, fonts as WeasyPrint wrote them."""
    from weasyprint import HTML

    _fresh()
    if fmt == "docx":
        paletted = charts._paletted
        charts._paletted = lambda png: png  # the 8-bit RGBA PNGs Word had before they were quantised
        try:
            document = render(plan, "docx", lang)
        finally:
            charts._paletted = paletted
    else:
        html = render_html(plan, lang)
        document = bytes(HTML(string=html, base_url=None).write_pdf() or b"")
    for drawn in charts._DRAWN.values():
        for chart in drawn.values():
            _ = chart.png  # drawn eagerly before, whether or not the format used it
    return document


def _timed_before(plans: list[Plan], fmt: str, lang: str, sizes: list[int]) -> list[float]:
    out = []
    for plan in plans:
        start = time.perf_counter()
        sizes.append(len(_before(plan, fmt, lang)))
        out.append(time.perf_counter() - start)
    return out


def _after_pdf(plans: list[Plan], lang: str) -> list[float]:
    out = []
    for plan in plans:
        _fresh()
        render(plan, "pdf", lang)
        start = time.perf_counter()
        render(plan, "docx", lang)
        out.append(time.perf_counter() - start)
    return out


def _typst_version() -> str:
    from importlib.metadata import version

    return version("typst")


def _kb(sizes: list[int]) -> dict[str, float]:
    ordered = sorted(sizes)
    return {"p50": round(ordered[len(ordered) // 2] / 1024, 1), "max": round(ordered[-1] / 1024, 1)}


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "mean": round(statistics.mean(values), 5),
        "p50": round(ordered[len(ordered) // 2], 5),
        "p95": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 5),
        "max": round(ordered[-1], 5),
    }


def run_report_bench(examples: list[Path], generated: int = 100, seed: int = 11) -> dict[str, Any]:
    loaded = default_catalog()
    options = PlanOptions(as_of=date(2026, 11, 24))
    example_plans = [build_plan(load_profile(p), loaded, options) for p in examples]
    rng = random.Random(seed)
    generated_plans = [
        build_plan(parse_profile(synthetic_profile(loaded, rng, k), loaded), loaded, options) for k in range(generated)
    ]
    render(example_plans[0], "pdf", "zh")  # warm-up: font loading and the synthetic peer table happen once
    result: dict[str, Any] = {
        "benchmark": "report",
        "example_profiles": [p.stem for p in examples],
        "generated_count": generated,
    }
    for label, plans in (("examples", example_plans), ("generated", generated_plans)):
        pdf_kb: list[int] = []
        pdf_cpu: list[float] = []
        weasy_kb: list[int] = []
        weasy_cpu: list[float] = []
        docx_kb: list[int] = []
        docx_cpu: list[float] = []
        md_kb: list[int] = []
        before_pdf_kb: list[int] = []
        before_docx_kb: list[int] = []
        result[label] = {
            "pdf_zh_seconds": _summary(_timed(plans, "pdf", "zh", pdf_kb, cpu=pdf_cpu)),
            "pdf_zh_cpu_seconds": _summary(pdf_cpu),
            "pdf_zh_kb": _kb(pdf_kb),
            "docx_zh_seconds": _summary(_timed(plans, "docx", "zh", docx_kb, cpu=docx_cpu)),
            "docx_zh_cpu_seconds": _summary(docx_cpu),
            "docx_zh_kb": _kb(docx_kb),
            "docx_after_pdf_seconds": _summary(_after_pdf(plans, "zh")),
            "baseline_markdown_seconds": _summary(_timed(plans, "md", "zh", md_kb)),
            "baseline_markdown_kb": _kb(md_kb),
            "weasyprint": {
                "pdf_zh_seconds": _summary(
                    _timed(plans, "pdf", "zh", weasy_kb, cpu=weasy_cpu, renderer=render_pdf_weasyprint)
                ),
                "pdf_zh_cpu_seconds": _summary(weasy_cpu),
                "pdf_zh_kb": _kb(weasy_kb),
            },
            "before": {
                "pdf_zh_seconds": _summary(_timed_before(plans, "pdf", "zh", before_pdf_kb)),
                "pdf_zh_kb": _kb(before_pdf_kb),
                "docx_zh_seconds": _summary(_timed_before(plans, "docx", "zh", before_docx_kb)),
                "docx_zh_kb": _kb(before_docx_kb),
            },
        }
    en_cpu: list[float] = []
    en_kb: list[int] = []
    result["examples"]["pdf_en_seconds"] = _summary(_timed(example_plans, "pdf", "en", en_kb, cpu=en_cpu))
    result["examples"]["pdf_en_cpu_seconds"] = _summary(en_cpu)
    result["examples"]["pdf_en_kb"] = _kb(en_kb)
    result["renderer"] = "typst " + _typst_version()
    result["target"] = "<= 2 s and <= 200 KB per PDF on 2 cores"
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    result["machine"] = {"python": platform.python_version(), "cpu": platform.machine()}
    return result
