"""Plan -> PDF. Typst typesets the plan's HTML (report/pdf_typst.py): 0.2-0.4 s of CPU for the Weifang plan against
4-7 s through WeasyPrint, the renderer before issue 19 (kept here for ``wendao bench report``, which measures both
side by side in one run; the cohort and week documents still use it)."""

from __future__ import annotations

from wendao.engine.plan import Plan
from wendao.report.html import render_html
from wendao.report.pdf_fonts import compact_fonts
from wendao.report.peers import PeerComparison


def render_pdf(plan: Plan, lang: str = "zh", comparison: PeerComparison | None = None) -> bytes:
    from wendao.report.pdf_typst import typst_pdf

    return typst_pdf(render_html(plan, lang, comparison))


def render_pdf_weasyprint(plan: Plan, lang: str = "zh", comparison: PeerComparison | None = None) -> bytes:
    """The same HTML through WeasyPrint (CSS paged media), with its CJK fonts compacted (pdf_fonts)."""
    from weasyprint import HTML

    # compact_fonts: the CJK faces without their empty glyph slots (625 KB of fonts -> 202 KB, pdf_fonts)
    pdf = HTML(string=render_html(plan, lang, comparison), base_url=None).write_pdf(finisher=compact_fonts)
    assert pdf is not None
    return bytes(pdf)
