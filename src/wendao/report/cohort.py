"""The report on a cohort for an official's superiors: one document model rendered as HTML (and PDF through
WeasyPrint) and as Word, so both carry the same sections, tables and charts.

The caller (``wendao.web.insights.report``) writes every text in the reader's language; this module only lays
it out. It holds no rule and reads no database: a section is a title and blocks (paragraphs, bullet lists,
tables, charts). Texts are escaped by Jinja2 in HTML and are plain runs in Word; chart labels are text in
matplotlib's SVG (escaped by its writer, TeX parsing off in ``charts._setup``).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wendao.report.charts import Chart, _render, _setup
from wendao.report.templating import template_env

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Paragraph:
    text: str
    note: bool = False  # a smaller explanatory line


@dataclass(frozen=True)
class Bullets:
    items: list[str]


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()  # right-aligned columns
    widths: list[float] = field(default_factory=list)  # relative widths; empty = equal


@dataclass(frozen=True)
class Figure:
    chart: Chart


Block = Paragraph | Bullets | Table | Figure


@dataclass(frozen=True)
class Section:
    title: str
    blocks: list[Block]


@dataclass(frozen=True)
class Kpi:
    label: str
    value: str


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    meta: list[str]  # cover lines: who prepared it, as of when, what the data are
    kpis: list[Kpi]
    sections: list[Section]
    running_header: str
    page_label: str  # "第 {page} 页" / "Page {page}"
    lang: str = "zh"


# --- charts --------------------------------------------------------------------------------------------------


def bar_chart(
    key: str, title: str, labels: list[str], values: list[float], axis: str, limit: float | None = None
) -> Chart:
    """Horizontal bars, largest first from the top (long Chinese names stay readable)."""
    from matplotlib import pyplot as plt

    _setup()
    height = max(1.6, 0.32 * len(labels) + 0.8)
    fig, ax = plt.subplots(figsize=(6.6, height))
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, values, color="#1f5fa8", height=0.6)
    ax.set_yticks(positions, labels)
    ax.set_xlabel(axis)
    if limit is not None:
        ax.set_xlim(0, limit)
    for y, v in zip(positions, values, strict=True):
        ax.text(v, y, f" {v:g}", va="center", fontsize=8)
    return _scoped(_render(fig, key, title, 16.0))


def _scoped(chart: Chart) -> Chart:
    return Chart(chart.key, chart.title, scoped_svg(chart.svg, chart.key), chart.png_source, chart.width_cm)


def stacked_bar_chart(key: str, title: str, labels: list[str], series: list[tuple[str, list[int]]], axis: str) -> Chart:
    """Horizontal stacked bars (e.g. planned / started / deployed per scenario), largest first from the top."""
    from matplotlib import pyplot as plt
    from matplotlib.ticker import MaxNLocator

    _setup()
    colours = ("#9db8d9", "#e07b39", "#3a9b5c")
    height = max(1.8, 0.32 * len(labels) + 1.0)
    fig, ax = plt.subplots(figsize=(6.6, height))
    positions = list(range(len(labels)))[::-1]
    left = [0] * len(labels)
    for (name, values), colour in zip(series, colours, strict=False):
        ax.barh(positions, values, left=left, color=colour, height=0.6, label=name)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(positions, labels)
    ax.set_xlabel(axis)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts of items
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(series), fontsize=8, frameon=False)
    return _scoped(_render(fig, key, title, 16.0))


# --- HTML and PDF --------------------------------------------------------------------------------------------


def render_html(doc: Document) -> str:
    before, after = doc.page_label.split("{page}")
    page = f'"{_css_text(before)}" counter(page) "{_css_text(after)}"'
    css = (TEMPLATES / "plan.css").read_text(encoding="utf-8").replace("PAGE_LABEL", page)
    return template_env().get_template("cohort.html.j2").render(doc=doc, css=css, kind=_kind)


def _css_text(text: str) -> str:
    """Text inside a CSS string (the page label comes from a translation: no quote or backslash breaks out)."""
    return text.replace("\\", "").replace('"', "").replace("<", "").replace("\n", " ")


def scoped_svg(svg: str, prefix: str) -> str:
    """An SVG whose ids (and references to them) carry ``prefix``: matplotlib numbers the ids of every chart
    the same way, and two charts inlined in one HTML page would otherwise draw with each other's definitions."""
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    return re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', svg)


def _kind(block: Block) -> str:
    return type(block).__name__.lower()


def render_pdf(doc: Document) -> bytes:
    from wendao.report.pdf import html_to_pdf

    return html_to_pdf(render_html(doc))


# --- Word ----------------------------------------------------------------------------------------------------


def render_docx(doc: Document) -> bytes:
    from docx import Document as WordDocument
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt

    from wendao.report.docx import _page, _styles, _table

    word: Any = WordDocument()
    _styles(word)
    _page(word, doc.running_header, doc.page_label)

    word.add_paragraph(doc.subtitle)
    word.add_paragraph(doc.title, style="Title")
    for line in doc.meta:
        word.add_paragraph(line)
    if doc.kpis:
        _table(word, [k.label for k in doc.kpis], [[k.value for k in doc.kpis]], [17 / len(doc.kpis)] * len(doc.kpis))
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for s in doc.sections:
        word.add_heading(s.title, level=1)
        for block in s.blocks:
            if isinstance(block, Paragraph):
                p = word.add_paragraph(block.text)
                if block.note:
                    for run in p.runs:
                        run.font.size = Pt(8.5)
            elif isinstance(block, Bullets):
                for item in block.items:
                    word.add_paragraph(item, style="List Bullet")
            elif isinstance(block, Table):
                total = sum(block.widths) or len(block.headers)
                widths = block.widths or [1.0] * len(block.headers)
                _table(
                    word,
                    block.headers,
                    block.rows,
                    [17.4 * w / total for w in widths],
                    numeric=set(block.numeric),
                )
            else:
                word.add_picture(io.BytesIO(block.chart.png), width=Cm(block.chart.width_cm))
                word.add_paragraph(block.chart.title, style="Caption")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
