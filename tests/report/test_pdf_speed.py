"""Issue 19: documents that are quick to make and small to send. The charts of a plan are drawn once and reused by
the next format (the PNG only when Word asks for it); the PDF embeds its CJK fonts without the empty glyph slots
WeasyPrint keeps (report/pdf_fonts.py)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan, PlanOptions, build_plan
from wendao.engine.profile import load_profile
from wendao.report import charts, render
from wendao.report.pdf_fonts import subset_cid_font


@pytest.fixture(scope="module")
def plan() -> Plan:
    options = PlanOptions(as_of=date(2026, 11, 24))
    return build_plan(load_profile(EXAMPLES / "weifang_machinery.yaml"), default_catalog(), options)


def test_word_after_the_pdf_reuses_the_charts_and_only_word_draws_the_pngs(plan: Plan, tmp_path: Path) -> None:
    charts._DRAWN.clear()
    pdf = render(plan, "pdf", "zh")
    (drawn,) = charts._DRAWN.values()
    assert all("png" not in vars(c) for c in drawn.values())  # a PDF never needs the PNG
    render(plan, "docx", "zh")
    assert list(charts._DRAWN.values()) == [drawn]  # not drawn again
    assert all(vars(c)["png"].startswith(b"\x89PNG") for c in drawn.values())
    render(plan, "docx", "en")
    assert len(charts._DRAWN) == 2  # another language is another drawing
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = [r for r in fonts.splitlines()[2:] if "CJK" in r]
        assert rows, fonts
        assert all("CID Type 0C " in r and "(OT)" not in r for r in rows), fonts


def test_the_pdf_embeds_its_cjk_fonts_compactly(plan: Plan) -> None:
    pdf = render(plan, "pdf", "zh")
    # before issue 19 this plan's PDF was 727 KB, 625 KB of it fonts; compacted it measured 296 KB
    assert len(pdf) < 400_000
    assert pdf.count(b"/Subtype /CIDFontType0C") >= 2
    assert b"/Subtype /OpenType" not in pdf


NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def test_a_cid_font_keeps_the_cids_asked_for_and_a_font_it_cannot_keep_them_in_is_left_alone() -> None:
    if not NOTO.exists():
        pytest.skip("fonts-noto-cjk not installed")
    font = NOTO.read_bytes()
    kept = subset_cid_font(font, {1, 6, 63282})
    assert kept is not None
    assert len(kept) < 100_000
    assert subset_cid_font(font, {70_000}) is None  # a CID the font does not hold
    assert subset_cid_font(b"not a font", {1, 2}) is None
