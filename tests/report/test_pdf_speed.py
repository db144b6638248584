"""Issue 19: documents that are quick to make and small to send. The charts of a plan are drawn once and reused by
the next format (the PNG only when Word asks for it); the PDF is the plan's HTML typeset by Typst with one embedded
CJK face (report/pdf_typst.py); WeasyPrint's renderer, kept for the side-by-side benchmark, embeds its CJK fonts
without the empty glyph slots it keeps (report/pdf_fonts.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from html import escape as html_escape
from pathlib import Path

import lxml.html
import pytest

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan, PlanOptions, build_plan
from wendao.engine.profile import load_profile
from wendao.report import charts, render
from wendao.report.html import render_html
from wendao.report.pdf import render_pdf_weasyprint
from wendao.report.pdf_fonts import subset_cid_font
from wendao.report.pdf_typst import escape, html_to_typst, typst_pdf


@pytest.fixture(scope="module")
def plan() -> Plan:
    options = PlanOptions(as_of=date(2026, 11, 24))
    return build_plan(load_profile(EXAMPLES / "weifang_machinery.yaml"), default_catalog(), options)


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) not installed")
    return path


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [_poppler("pdftotext"), "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


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
    fonts = subprocess.run([_poppler("pdffonts"), str(path)], capture_output=True, text=True, check=True).stdout
    rows = [r for r in fonts.splitlines()[2:] if "CJK" in r]
    assert len(rows) == 1, fonts  # one face: bold is drawn by outlining, not by embedding a second CJK face
    assert "CID Type 0C " in rows[0], fonts
    assert " yes yes yes " in rows[0], fonts  # embedded, subset, with a ToUnicode map


def test_the_pdf_of_a_twenty_page_plan_is_well_under_the_weasyprint_one(plan: Plan) -> None:
    pdf = render(plan, "pdf", "zh")
    # WeasyPrint made 296 KB of this plan (its fonts compacted), 727 KB before issue 19; Typst 233 KB, and 181 KB
    # once its font lost its hints and its small objects went into an object stream (pdf_compact)
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) <= 200 * 1024


def test_every_heading_cell_item_and_paragraph_of_the_html_is_in_the_pdf_in_both_languages(
    plan: Plan, tmp_path: Path
) -> None:
    for lang in ("zh", "en"):
        html = render_html(plan, lang)
        text = _text(typst_pdf(html), tmp_path)
        root = lxml.html.document_fromstring(html)
        enterprise, title = (root.find_class(c)[0].text_content() for c in ("running-enterprise", "running-title"))
        # the running header and the page number interrupt a paragraph that runs over a page
        furniture = re.compile(rf"{re.escape(enterprise)} {re.escape(title)}|第 \d+ 页|Page \d+")
        lines = [line for line in text.splitlines() if not furniture.fullmatch(line.strip())]
        flat = re.sub(r"\s+", "", "".join(lines))
        for svg in list(root.iter("svg")):
            svg.getparent().remove(svg)
        texts = [re.sub(r"\s+", "", el.text_content()) for el in root.iter("td", "th", "li", "h1", "h2", "h3", "p")]
        missing = [t for t in texts if t and t not in flat]
        assert len(texts) > 300
        assert not missing, (lang, missing[:5])


def test_typst_markup_in_a_name_prints_as_written(tmp_path: Path) -> None:
    tricky = "A*b_c #let x = 1 [x] $y$ @ref <lbl> // not a comment \\ `code` ~ - + = 1. 'q' \"d\" 丰&德"
    assert escape("a  \n b") == "a b"
    html = (
        '<html lang="en"><head><title>t</title></head><body><section id="s"><h2>'
        + html_escape(tricky)
        + "</h2><table><thead><tr><th>"
        + html_escape(tricky)
        + "</th></tr></thead><tbody><tr><td>x</td></tr>"
        "</tbody></table></section></body></html>"
    )
    _source, inputs = html_to_typst(html)
    assert inputs == {}
    text = _text(typst_pdf(html), tmp_path)
    # (pdftotext puts a space where a heading wraps and where Typst spaces CJK from Latin)
    assert re.sub(r"\s+", "", text).count(re.sub(r"\s+", "", tricky)) == 2, text


def test_the_charts_travel_as_inputs_not_as_markup(plan: Plan) -> None:
    source, inputs = html_to_typst(render_html(plan, "zh"))
    assert len(inputs) == 4
    assert all(v.startswith("<svg") for v in inputs.values())
    assert "<svg" not in source


def test_weasyprint_still_renders_the_plan_with_its_cjk_fonts_compacted(plan: Plan) -> None:
    pdf = render_pdf_weasyprint(plan, "zh")
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
