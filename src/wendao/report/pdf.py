"""Plan -> PDF. Typst typesets the plan's HTML (report/pdf_typst.py): 0.2-0.4 s of CPU for the Weifang plan against
4-7 s through WeasyPrint, the renderer before issue 19 (kept here for ``wendao bench report``, which measures both
side by side in one run; the cohort and week documents still use it)."""

from __future__ import annotations

from typing import Any

from wendao.engine.plan import Plan
from wendao.report.html import render_html
from wendao.report.pdf_fonts import compact_fonts
from wendao.report.peers import PeerComparison


def render_pdf(plan: Plan, lang: str = "zh", comparison: PeerComparison | None = None) -> bytes:
    from wendao.report.pdf_typst import typst_pdf

    return typst_pdf(render_html(plan, lang, comparison))


# Every HTML document wendao prints through WeasyPrint is self-contained: its styles inline, its charts inline
# SVG, its fonts found by fontconfig. WeasyPrint's own fetcher would otherwise open any URL the HTML names
# (file://, http://, ftp://) and embed what it reads in the PDF: text that reached the markup unescaped would
# be a local file read or a request from the server (SSRF). Only data: URLs (inline images) are read.
FETCHABLE = frozenset({"data"})


def html_to_pdf(html: str, **options: Any) -> bytes:
    """HTML -> PDF through WeasyPrint, loading no resource from a file or the network (``FETCHABLE``): the one
    way wendao calls WeasyPrint (plan, cohort report, group summary, sign-in cards). ``options`` go to
    ``write_pdf``."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=FETCHABLE, allow_redirects=False)
    pdf = HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(**options)
    assert pdf is not None
    return bytes(pdf)


def render_pdf_weasyprint(plan: Plan, lang: str = "zh", comparison: PeerComparison | None = None) -> bytes:
    """The same HTML through WeasyPrint (CSS paged media), with its CJK fonts compacted (pdf_fonts)."""
    # compact_fonts: the CJK faces without their empty glyph slots (625 KB of fonts -> 202 KB, pdf_fonts)
    return html_to_pdf(render_html(plan, lang, comparison), finisher=compact_fonts)
