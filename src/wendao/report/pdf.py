"""Plan -> PDF through WeasyPrint (CSS paged media: running header, page numbers, vector charts)."""

from __future__ import annotations

from wendao.engine.plan import Plan
from wendao.report.html import render_html
from wendao.report.pdf_fonts import compact_fonts
from wendao.report.peers import PeerComparison


def render_pdf(plan: Plan, lang: str = "zh", comparison: PeerComparison | None = None) -> bytes:
    from weasyprint import HTML

    # compact_fonts: the CJK faces without their empty glyph slots (625 KB of fonts -> 202 KB, pdf_fonts)
    pdf = HTML(string=render_html(plan, lang, comparison), base_url=None).write_pdf(finisher=compact_fonts)
    assert pdf is not None
    return bytes(pdf)
