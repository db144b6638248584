from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import lxml.html
import pytest

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan, PlanOptions, build_plan
from wendao.engine.profile import load_profile
from wendao.report.html import render_html
from wendao.report.pdf_typst import typst_pdf


@pytest.fixture(scope="module")
def plan() -> Plan:
    options = PlanOptions(as_of=date(2026, 12, 6), with_routes=False, time_limit_seconds=5)
    return build_plan(load_profile(EXAMPLES / "weifang_machinery.yaml"), default_catalog(), options)


def _summary_text(page: str) -> str:
    (where,) = lxml.html.fromstring(page).xpath("//section[@id='summary']/h3[1]/following-sibling::p[1]")
    return re.sub(r"\s+", " ", where.text_content())


def test_the_english_summary_puts_a_space_after_the_full_stop_before_the_main_gaps(plan: Plan) -> None:
    text = _summary_text(render_html(plan, "en"))
    assert "Level 1 Planned. Main gaps: " in text
    assert not re.search(r"[a-z]\.[A-Z]", text)


def test_the_chinese_summary_runs_on_after_the_full_stop_with_no_space(plan: Plan) -> None:
    text = _summary_text(render_html(plan, "zh"))
    assert "。主要短板：" in text
    assert "。 " not in text


def test_the_english_pdf_reads_the_two_sentences_apart(plan: Plan, tmp_path: Path) -> None:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    path = tmp_path / "plan.pdf"
    path.write_bytes(typst_pdf(render_html(plan, "en")))
    text = subprocess.run([pdftotext, "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Planned. Main gaps" in re.sub(r"\s+", " ", text)
    assert "Planned.Main" not in text
