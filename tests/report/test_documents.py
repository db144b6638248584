"""The plan documents, rendered for every example in both languages and checked the way a reader would:
text extracted from the PDF, fonts embedded, pages rendered to PNG (kept under artifacts/documents/ for CI),
Word opened with python-docx, HTML links and assets checked."""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest

from tests.conftest import EXAMPLES, REPO
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import PlanOptions, build_plan
from wendao.engine.profile import load_profile
from wendao.report import render
from wendao.report.labels import Labels

ARTIFACTS = REPO / "artifacts" / "documents"
CASES = [(p, lang) for p in sorted(EXAMPLES.glob("*.yaml")) for lang in ("zh", "en")]


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} (poppler-utils) is required in CI")
        pytest.skip(f"{name} not installed")
    return found


@pytest.fixture(scope="module")
def plans():  # type: ignore[no-untyped-def]
    loaded = default_catalog()
    options = PlanOptions(as_of=date(2026, 11, 24))
    return {p: build_plan(load_profile(p), loaded, options) for p in sorted(EXAMPLES.glob("*.yaml"))}


@pytest.mark.parametrize(("profile", "lang"), CASES, ids=lambda v: v.stem if isinstance(v, Path) else v)
def test_the_pdf_says_who_what_and_how_much_in_an_embedded_cjk_font(
    plans,
    profile: Path,
    lang: str,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    plan = plans[profile]
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(render(plan, "pdf", lang))
    text = subprocess.run(
        [_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", plan.enterprise.name) in flat
    assert Labels.money(plan.money.net_one_off).replace(" ", "") in flat
    labels = Labels(lang)
    for item in plan.items:
        assert re.sub(r"\s+", "", labels.scenario(item.name_zh, item.name_en)) in flat, item.scenario
    fonts = subprocess.run([_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert any("CJK" in row for row in rows), fonts
    assert all(" yes " in row for row in rows), f"a font is not embedded:\n{fonts}"
    target = ARTIFACTS / f"{profile.stem}_{lang}"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(pdf, target / "plan.pdf")
    for stale in target.glob("page-*.png"):  # a shorter document than the last run's leaves no extra pages
        stale.unlink()
    subprocess.run([_tool("pdftoppm"), "-r", "60", "-png", str(pdf), str(target / "page")], check=True)
    pages = sorted(target.glob("page-*.png"))
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    assert len(pages) == int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.anchors: list[str] = []
        self.remote: list[str] = []
        self.h2: list[str] = []
        self._in_h2 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for key in ("href", "src"):
            value = values.get(key) or ""
            if value.startswith("#"):
                self.anchors.append(value[1:])
            elif value:
                self.remote.append(value)
        if tag in ("script", "link", "img", "iframe"):
            self.remote.append(f"<{tag}>")
        self._in_h2 = tag == "h2"

    def handle_data(self, data: str) -> None:
        if self._in_h2 and data.strip():
            self.h2.append(data.strip())
            self._in_h2 = False


@pytest.mark.parametrize(("profile", "lang"), CASES, ids=lambda v: v.stem if isinstance(v, Path) else v)
def test_the_html_has_no_broken_links_and_no_remote_assets(plans, profile: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    html = render(plans[profile], "html", lang).decode("utf-8")
    parser = _Links()
    parser.feed(html)
    assert parser.anchors
    assert [a for a in parser.anchors if a not in parser.ids] == []
    assert parser.remote == []
    assert "<svg" in html


@pytest.mark.parametrize(("profile", "lang"), CASES, ids=lambda v: v.stem if isinstance(v, Path) else v)
def test_the_word_document_has_the_same_sections_real_styles_and_chinese_fonts(
    plans,
    profile: Path,  # type: ignore[no-untyped-def]
    lang: str,
) -> None:
    plan = plans[profile]
    document = docx.Document(io.BytesIO(render(plan, "docx", lang)))
    parser = _Links()
    parser.feed(render(plan, "html", lang).decode("utf-8"))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings[1:] == parser.h2
    assert any(
        'TOC \\o "1-2"' in (node.text or "") for node in document.element.body.iter() if node.tag.endswith("instrText")
    )
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "Noto Sans CJK SC"
    assert len(document.inline_shapes) == 4
    assert any(plan.enterprise.name in p.text for p in document.paragraphs)


# Chinese characters and full-width punctuation; allowed in English: the money units 万元 and 元, which every
# document uses, and the product's name 问道
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")
_ALLOWED = {"万元", "元", "问道"}


def _document_text(plan, fmt: str) -> str:  # type: ignore[no-untyped-def]
    out = render(plan, fmt, "en")
    if fmt == "docx":
        document = docx.Document(io.BytesIO(out))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    text = out.decode("utf-8") if isinstance(out, bytes) else out
    if fmt == "html":
        text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", "", text, flags=re.S)))
    return text


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
@pytest.mark.parametrize("profile", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_an_english_document_is_in_english_except_the_enterprises_own_words_and_cited_sources(
    plans,
    profile: Path,
    fmt: str,  # type: ignore[no-untyped-def]
) -> None:
    plan = plans[profile]
    text = _document_text(plan, fmt)
    quoted = [plan.enterprise.name, *plan.enterprise.pain_points, *plan.enterprise.goals]
    quoted += [s.source or "" for s in plan.sources] + [s.estimate or "" for s in plan.sources]
    for words in sorted(filter(None, quoted), key=len, reverse=True):
        text = text.replace(words, "")
    left = sorted({m for m in _CJK.findall(text) if m not in _ALLOWED})
    assert not left, f"Chinese text in the English {fmt}: {left}"
