"""Documents printed through WeasyPrint load nothing from the server's files or the network (session 8 audit).

WeasyPrint's default fetcher opens every URL the HTML names, file:// included, and embeds what it reads in the
PDF. Every text that reaches wendao's document HTML is escaped today, so no user can name such a URL; this is
the second line: should markup ever slip through (a filter marked safe, a new template), an <img
src="file:///…"> or a stylesheet on an internal address reads nothing (no local file read, no SSRF)."""

from __future__ import annotations

import ast
import base64
import io
from pathlib import Path

from PIL import Image

import wendao
from wendao.report.pdf import html_to_pdf


def _png(path: Path) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 0, 0)).save(out, format="PNG")
    path.write_bytes(out.getvalue())
    return out.getvalue()


def test_a_pdf_embeds_no_file_the_html_names_by_a_file_url(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    _png(secret)

    pdf = html_to_pdf(f'<html><body><p>封面</p><img src="{secret.as_uri()}"></body></html>')

    assert pdf.startswith(b"%PDF")
    assert b"/Image" not in pdf  # WeasyPrint's own fetcher embedded it: b"/Subtype /Image"


def test_a_pdf_still_shows_an_image_given_inline_as_a_data_url(tmp_path: Path) -> None:
    inline = base64.b64encode(_png(tmp_path / "chart.png")).decode()

    pdf = html_to_pdf(f'<html><body><img src="data:image/png;base64,{inline}"></body></html>')

    assert b"/Image" in pdf


def test_no_module_calls_weasyprint_but_the_one_safe_function() -> None:
    """report/pdf.py html_to_pdf is the only caller in the product; bench/report.py times the old rendering of
    wendao's own plan template as a baseline and is no request path."""
    root = Path(wendao.__file__).parent
    allowed = {root / "report" / "pdf.py", root / "bench" / "report.py"}
    callers = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            if any(name.split(".")[0] == "weasyprint" for name in names):
                callers.add(path)
    assert callers <= allowed, sorted(str(p.relative_to(root)) for p in callers - allowed)
