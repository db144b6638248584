"""Plan documents: Markdown, HTML, PDF and Word render the versioned Plan object and recompute nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from wendao.engine.plan import Plan

if TYPE_CHECKING:
    from wendao.report.peers import PeerComparison

DocumentFormat = Literal["md", "html", "pdf", "docx", "json"]
CONTENT_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
}


def render(plan: Plan, fmt: DocumentFormat, lang: str = "zh", comparison: PeerComparison | None = None) -> bytes:
    """The plan as a document in the given format and language (zh or en). ``comparison``: the peers the
    maturity section compares with (the web passes the platform's; default: the synthetic demo peers)."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be zh or en, got {lang!r}")
    if fmt == "json":
        return plan.model_dump_json(indent=2).encode("utf-8")
    if fmt == "md":
        from wendao.report.markdown import render_markdown

        return render_markdown(plan, lang).encode("utf-8")
    if fmt == "html":
        from wendao.report.html import render_html

        return render_html(plan, lang, comparison).encode("utf-8")
    if fmt == "pdf":
        from wendao.report.pdf import render_pdf

        return render_pdf(plan, lang, comparison)
    if fmt == "docx":
        from wendao.report.docx import render_docx

        return render_docx(plan, lang, comparison)
    raise ValueError(f"unknown format {fmt!r}")
