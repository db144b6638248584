"""`wendao bench report`: seconds per PDF and per Word document, for the example profiles and for generated
(synthetic) enterprises. Same-run baseline: the Markdown rendering of the same plans (no layout, no charts),
so the ratio shows what typesetting and charts cost."""

from __future__ import annotations

import platform
import random
import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan, PlanOptions, build_plan
from wendao.engine.profile import load_profile, parse_profile
from wendao.report import render
from wendao.synthetic import synthetic_profile


def _timed(plans: list[Plan], fmt: str, lang: str) -> list[float]:
    out = []
    for plan in plans:
        start = time.perf_counter()
        render(plan, fmt, lang)  # type: ignore[arg-type]
        out.append(time.perf_counter() - start)
    return out


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
        result[label] = {
            "pdf_zh_seconds": _summary(_timed(plans, "pdf", "zh")),
            "docx_zh_seconds": _summary(_timed(plans, "docx", "zh")),
            "baseline_markdown_seconds": _summary(_timed(plans, "md", "zh")),
        }
    result["examples"]["pdf_en_seconds"] = _summary(_timed(example_plans, "pdf", "en"))
    result["target"] = "<= 2 s per PDF on 2 cores"
    result["machine"] = {"python": platform.python_version(), "cpu": platform.machine()}
    return result
