"""The text a reader reads in a rendered plan document (Markdown, HTML without its style and charts, Word with its
tables): what the language tests of the documents search."""

from __future__ import annotations

import html
import io
import re

import docx

from wendao.engine.plan import Plan
from wendao.report import render


def document_text(plan: Plan, fmt: str, lang: str) -> str:
    out = render(plan, fmt, lang)
    if fmt == "docx":
        document = docx.Document(io.BytesIO(out))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    text = out.decode("utf-8")
    if fmt == "html":
        text = re.sub(r"<style.*?</style>|<svg.*?</svg>", "", text, flags=re.S)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return text
