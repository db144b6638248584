"""A Chinese plan document reads as Chinese: no English word a factory owner would stumble on, and no raw id
anywhere — for every example and for generated enterprises of several sizes and divisions. What may stay:
the enterprise's own words, cited titles and URLs, proper names of products and models, system acronyms
(ERP, MES, PLC…) and units. The English twin of this test is in test_documents.py."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.report.document_text import document_text
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan, PlanOptions, build_plan
from wendao.engine.profile import load_profile, parse_profile
from wendao.report import render
from wendao.report.cases import plan_cases_context
from wendao.report.labels import Labels
from wendao.synthetic import synthetic_profile

LOADED = default_catalog()
GENERATED = 6  # generated enterprises, one seed: micro to large, four industry groups


# words a Chinese reader meets in Chinese technical text: system and method acronyms, units, proper names
def _words(text: str) -> set[str]:
    return set(text.split())


ALLOWED = {
    # systems, standards and methods known by their acronyms in Chinese factories
    *_words(
        "AI API APS BI BIM BOM CAD CAE CAM CAPA CAPP CBAM CDC CEMS CMMM CMMS CNC CP CPU CRM CSV DCS DTU EAM EMS ERP "
        "ESG FEA GB GPU HMI IE IoT ISO IT KPI LCA LLM LoRA LPR LSTM MES MIIT MPC MRP NPV OA OCR OEE OPC OTA PDF PDM PID "
        "PLC PLM QLoRA QMS RAG RFID RPA RTO SaaS SCADA SMED SN SOP SPC SQL SRM TSN UA UWB VR AR WMS AGV AMR OT SKU S OP "
        "MOM DNC PCB SMT AOI CCD SCM TMS PMS 5G 8D C2M VRP LIMS BMS IIoT IIOT PLM/PDM EAM/CMMS GB/T Why"
    ),
    # proper names of models, products and organisations
    *_words("Qwen Qwen2.5 Instruct DeepSeek NVIDIA RTX Xeon W YOLO HY90 Excel Word WPS Modbus Python wendao"),
    # units and quarter labels
    *_words("GB TB kWh kW MW Q1 Q2 Q3 Q4 h m t kg T/T"),
}
# raw ids: snake_case tokens or dotted keys
DIVISION = re.compile(r"\bC\d{2,4}\b")  # GB/T 4754 industry codes, as the standard writes them
RAW_ID = re.compile(r"\b[a-z][a-z0-9]*(?:[_.][a-z0-9]+)+\b")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9.+/-]*[A-Za-z0-9+]|[A-Za-z]")
URL = re.compile(r"(?:https?://|www\.)\S+")


@cache
def _plans() -> dict[str, Plan]:
    options = PlanOptions(as_of=date(2026, 11, 24))
    plans = {p.stem: build_plan(load_profile(p), LOADED, options) for p in sorted(EXAMPLES.glob("*.yaml"))}
    rng = random.Random(20261206)
    for k in range(GENERATED):
        profile = parse_profile(synthetic_profile(LOADED, rng, k), LOADED)
        plans[f"generated_{k}"] = build_plan(profile, LOADED, options)
    return plans


def _text(plan: Plan, fmt: str) -> str:
    return document_text(plan, fmt, "zh")


def _quoted(plan: Plan) -> list[str]:
    """What the document quotes rather than writes: the enterprise's own words, cited sources and titles."""
    e = plan.enterprise
    # a citation keeps authors, titles and publishers as published (test_document_language.py checks it reads as
    # Chinese around them)
    cited = [s.source_zh or s.source or "" for s in plan.sources]
    quoted = [e.name, *e.pain_points, *e.goals, *cited, plan.catalog_version]
    for i in plan.items:
        quoted += [o.name_zh for o in i.funding.eligible]  # policy titles, as issued
        quoted += [o.apply.where_zh for o in i.funding.eligible]
    quoted += [m.advice.routes[0].model or "" for m in plan.model_routes]
    # the published cases beside the roadmap (report/cases.py): enterprises' proper names, sources and their
    # addresses (a PDF line break can split an address so that the URL pattern misses its tail)
    cases = plan_cases_context(plan, Labels("zh"))["rows"]
    quoted += [c[k] for row in cases for c in row["cases"] for k in ("enterprise", "source_name", "source")]
    return sorted(filter(None, quoted), key=len, reverse=True)


def _leftovers(plan: Plan, text: str, wrapped: bool = False) -> tuple[list[str], list[str]]:
    """``wrapped``: the text comes from a PDF, where a quoted title or URL may be broken across lines and pages
    (a page header lands inside it): there, a word or id found inside the quoted material is allowed (the
    HTML, the same page before layout, is checked exactly)."""
    quoted = _quoted(plan)
    for words in quoted:
        text = text.replace(words, " ")
    text = DIVISION.sub(" ", URL.sub(" ", text))
    ids = set(RAW_ID.findall(text))
    english = {w for w in WORD.findall(text) if w not in ALLOWED and w.rstrip(".") not in ALLOWED}
    if wrapped:  # a fragment of a broken citation is part of the citation
        joined = " ".join(quoted).replace("-", "")  # a line break at a hyphen loses the hyphen
        ids = {i for i in ids if i.replace("-", "") not in joined}
        english = {w for w in english if w.replace("-", "") not in joined and not re.fullmatch(r"Q\d?", w)}
    return sorted(english), sorted(ids)


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
@pytest.mark.parametrize(
    "name", [p.stem for p in sorted(EXAMPLES.glob("*.yaml"))] + [f"generated_{k}" for k in range(GENERATED)]
)
def test_a_chinese_document_has_no_english_words_and_no_raw_ids(name: str, fmt: str) -> None:
    plan = _plans()[name]
    english, ids = _leftovers(plan, _text(plan, fmt))
    assert not ids, f"raw ids in the Chinese {fmt} of {name}: {ids}"
    assert not english, f"English in the Chinese {fmt} of {name}: {english}"


@pytest.mark.parametrize("name", [p.stem for p in sorted(EXAMPLES.glob("*.yaml"))])
def test_a_chinese_pdf_has_no_english_words_and_no_raw_ids(name: str, tmp_path: Path) -> None:
    tool = shutil.which("pdftotext")
    if tool is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext (poppler-utils) is required in CI")
        pytest.skip("pdftotext not installed")
    plan = _plans()[name]
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(render(plan, "pdf", "zh"))
    text = subprocess.run([tool, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # an address wrapped at a dot or a slash, "https://" itself included
    text = re.sub(r"((?:https?://|www\.)(?:\S*[./])?)\n(?=[\w./])", r"\1", text)
    english, ids = _leftovers(plan, text, wrapped=True)
    assert not ids, f"raw ids in the Chinese PDF of {name}: {ids}"
    assert not english, f"English in the Chinese PDF of {name}: {english}"
