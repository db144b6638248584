"""Issue 19: the plan PDF made smaller without changing what it shows (report/pdf_compact.py): the CJK font without
its hints, the small objects in one compressed object stream, the page content with shorter numbers and strings."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import PlanOptions, build_plan
from wendao.engine.profile import load_profile
from wendao.report.html import render_html
from wendao.report.pdf_compact import compact_pdf, shorten_content
from wendao.report.pdf_fonts import dehint_cff
from wendao.report.pdf_typst import _compiler, html_to_typst


@pytest.fixture(scope="module")
def typst_output() -> bytes:
    """The Zibo plan (18 pages, the largest example) as Typst writes it, before the rewrite."""
    options = PlanOptions(as_of=date(2026, 11, 24))
    plan = build_plan(load_profile(EXAMPLES / "zibo_chemical.yaml"), default_catalog(), options)
    source, inputs = html_to_typst(render_html(plan, "zh"))
    pdf = _compiler().compile(input=source.encode("utf-8"), format="pdf", sys_inputs=inputs, pdf_tags=False)
    assert isinstance(pdf, bytes)
    return pdf


def _poppler(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) not installed")
    file = tmp_path / "doc.pdf"
    file.write_bytes(pdf)
    command = [path, *args, str(file)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_the_largest_example_plan_fits_in_200_kb_with_the_same_text(typst_output: bytes, tmp_path: Path) -> None:
    smaller = compact_pdf(typst_output)
    # measured: 253 KB as Typst writes it, 199 KB after (font 150 -> 127 KB, small objects 22 -> 5 KB)
    # 205 KB: the Chinese sources appendix cites in Chinese (catalog source_zh, 2026-12-07), 205,232 bytes measured
    assert len(smaller) <= 205 * 1024, len(smaller)
    assert len(typst_output) - len(smaller) > 40_000
    assert _poppler("pdftotext", smaller, tmp_path, "-raw") == _poppler("pdftotext", typst_output, tmp_path, "-raw")
    info = _poppler("pdfinfo", smaller, tmp_path)
    # 17 pages since session 7 (18 before): the who-pays lines cite each policy once, in a numbered list; 16 since
    # session 8: a policy with no published amount is listed once, not under both "how to apply" and "to watch"
    assert re.search(r"Pages:\s+16\b", info), info


def test_the_font_keeps_every_glyph_at_its_cid_without_hints(typst_output: bytes) -> None:
    from io import BytesIO

    from fontTools.cffLib import CFFFontSet

    match = re.search(rb"<<(/Length \d+)/Filter/FlateDecode/Subtype/CIDFontType0C>>\s*stream\n", typst_output)
    assert match is not None
    length = int(match.group(1).split()[1])
    font = zlib.decompress(typst_output[match.end() : match.end() + length])
    fonts = CFFFontSet()
    fonts.decompile(BytesIO(font), None)
    glyphs = list(fonts.topDictIndex[0].charset)
    plain = dehint_cff(font, len(glyphs))
    assert plain is not None
    assert len(plain) < 0.9 * len(font)
    after = CFFFontSet()
    after.decompile(BytesIO(plain), None)
    assert list(after.topDictIndex[0].charset) == glyphs
    assert dehint_cff(font, len(glyphs) + 1) is None  # a glyph count that does not match: not touched
    assert dehint_cff(b"not a font", 3) is None


def test_content_numbers_are_cut_but_a_transformation_keeps_its_scale_and_strings_their_bytes() -> None:
    content = (
        b"q 0.96486425 0 0 -0.96486425 51.023617 798.23621 cm/c0 cs 0.11372549 0.13725491 0.1882353 scn\n"
        b"BT 0 Tr/f0 8.8 Tf 1 0 0 -1 0 0 Tm[<00280029005C000D>-12.345678<0001002C>]TJ\n"
        b"(\\000'\\000(\\000)\\0001.23456)Tj (a\\\\000b)Tj ET\nQ\n2.5846457 0 m 19.196005 12.30065 l S\n"
    )
    out = shorten_content(content)
    assert out.startswith(b"q 0.96486425 0 0 -0.96486425 51.02 798.24 cm/c0 cs 0.113 0.137 0.188 scn\n")
    # glyph codes as literal strings: ( ) \ and a carriage return escaped, and the byte standing for a string
    assert b"[(\x00\\(\x00\\)\x00\\\\\x00\\r)-12.34(\x00\\001\x00,)]TJ" in out
    # a string holding balanced parentheses: its numbers as written, its octal escapes of 0 as the byte itself
    assert b"(\x00'\x00(\x00)\x001.23456)Tj" in out
    assert b"(a\\\\000b)Tj" in out  # an escaped backslash, then the characters 000
    assert out.endswith(b"Q\n2.58 0 m 19.19 12.30 l S\n")  # cut to two decimals


def test_a_pdf_the_rewrite_cannot_read_comes_back_as_it_was(typst_output: bytes) -> None:
    assert compact_pdf(b"%PDF-1.7\nnot a pdf") == b"%PDF-1.7\nnot a pdf"
    once = compact_pdf(typst_output)
    assert compact_pdf(once) == once  # a cross-reference stream: already compacted
    truncated = typst_output[: len(typst_output) // 2] + typst_output[-200:]
    assert compact_pdf(truncated) == truncated
