"""Plan -> PDF through Typst (issue 19): the same HTML document, typeset by Typst's compiler instead of WeasyPrint.

WeasyPrint took 3.9-4.4 s of CPU for the 20-page Weifang plan with its charts already drawn (cascade 1 s, layout
2 s, drawing 1 s; charts 1 s more), against the ≤ 2 s target. Typst (its Rust compiler, bundled in the ``typst``
wheel) lays out the same content in a fraction of that (figures in docs/bench/report.json, measured side by side
by ``wendao bench report``).

There is one template: ``plan.html.j2`` renders the HTML (the web page and the document source), and this module
translates that HTML, element by element, into Typst markup. So a section, a label or a row added to the HTML
appears in the PDF without a second template to keep in step. The translation knows the small set of elements
and classes the plan templates use (sections, headings, paragraphs, lists, tables with column widths, the cover,
the key-figure boxes, tags, notes and the inline SVG charts); an element it does not know is typeset as its text,
so nothing is lost. Every text is escaped for Typst markup; the charts travel as ``sys.inputs`` strings, never
as markup.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from wendao.engine.plan import Plan
from wendao.report.html import render_html
from wendao.report.pdf_compact import compact_pdf
from wendao.report.peers import PeerComparison

FONT_DIRS = ("/usr/share/fonts/opentype/noto",)  # Debian fonts-noto-cjk: Noto Sans/Serif CJK
TEXT_WIDTH_PT = (210 - 36) / 25.4 * 72  # A4 less the 18 mm side margins, as in plan.css
ACCENT = "#1f5fa8"
INK = "#14365f"
_MARKUP = re.compile(r"([\\#$*_`<>@\[\]~/'\"=+\-.:;,!?%&^{}()|])")
_SPACE = re.compile(r"\s+")
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)

PREAMBLE = """
#let accent = rgb("{accent}")
// one embedded face (Noto Sans CJK SC Regular): bold is the regular glyph outlined in its own colour. A second
// CJK face (bold, or the serif of the headings) embeds every character it sets again: 44-58 KB per face on the
// Weifang plan (issue 19: <= 200 KB per PDF)
#let bold(body, width: 0.3pt) = context text(weight: "regular", stroke: width + text.fill, body)
#show strong: it => bold(it.body)
#let ink = rgb("{ink}")
#let muted = rgb("#555566")
#let rule = rgb("#cfd7e3")
#set document(title: "{title}")
#set text(font: "Noto Sans CJK SC", size: 10pt, lang: "{lang}", region: "{region}", fill: rgb("#1d2330"))
#set par(leading: 0.62em, spacing: 0.9em, justify: false)
#set page(paper: "a4", margin: (top: 22mm, bottom: 20mm, left: 18mm, right: 18mm),
  header: context {{ if counter(page).get().first() > 1 {{
    set text(size: 8pt, fill: rgb("#666677"))
    [{enterprise}] ; h(1fr) ; [{doctitle}] }} }},
  footer: context {{ if counter(page).get().first() > 1 {{
    set text(size: 8pt, fill: rgb("#666677"))
    align(center)[{page_label}] }} }})
#show heading: it => text(fill: ink, it)
#show heading.where(level: 1): it => block(above: 9mm, below: 3mm, sticky: true, width: 100%,
  stroke: (bottom: 1.5pt + accent), inset: (bottom: 1.5mm), bold(text(size: 15pt, it.body), width: 0.45pt))
#show heading.where(level: 2): it => block(above: 5mm, below: 2mm, sticky: true, bold(text(size: 11.5pt, it.body)))
#set heading(numbering: none)
#set table(stroke: (x, y) => (bottom: 0.5pt + rule), inset: (x: 1.8mm, y: 1.4mm),
  fill: (x, y) => if y == 0 {{ rgb("#e8eef7") }})
#show table: set text(size: 8.8pt)
#set table.cell(breakable: false)
#show table.cell.where(y: 0): it => text(fill: ink, bold(it))
#set list(indent: 1mm)
#set enum(indent: 1mm)
#let note(body) = text(size: 8.5pt, fill: muted, body)
#let tag(body) = h(1.5mm) + box(stroke: 0.5pt + rgb("#99aabb"), radius: 1mm, inset: (x: 1.2mm, y: 0.6mm), outset: (y: 0.6mm),
  text(size: 7.5pt, fill: rgb("#334455"), body))
#let chart(key, width, caption) = block(breakable: false, above: 2mm, below: 4mm, width: 100%, align(center,
  [#image(bytes(sys.inputs.at(key)), format: "svg", width: width) #v(1mm, weak: true) #note(caption)]))
#let kpi(value, label) = block(width: 100%, stroke: 0.8pt + rgb("#c9d4e3"), radius: 2mm,
  inset: (x: 3mm, y: 2.5mm), fill: rgb("#f5f8fc"),
  [#text(size: 14pt, fill: ink, bold(value, width: 0.4pt)) \\ #text(size: 8.5pt, fill: rgb("#555566"), label)])
"""


def escape(text: str) -> str:
    """Text as Typst markup that prints exactly this text: every markup character backslash-escaped, runs of white
    space one space (as HTML shows them)."""
    return _MARKUP.sub(r"\\\1", _SPACE.sub(" ", text))


def _string(text: str) -> str:
    """A Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _classes(el: Any) -> set[str]:
    return set((el.get("class") or "").split())


class _Converter:
    """HTML tree (lxml) -> Typst markup, with the charts collected as sys.inputs."""

    def __init__(self, svgs: list[str]) -> None:
        self.svgs = svgs
        self.inputs: dict[str, str] = {}
        self.labels: set[str] = set()
        self.enterprise = ""
        self.doctitle = ""

    # inline content: text, strong, spans, links, line breaks
    def inline(self, el: Any) -> str:
        out = [escape(el.text or "")]
        for child in el:
            out.append(self.inline_element(child))
            out.append(escape(child.tail or ""))
        return "".join(out)

    def inline_element(self, el: Any) -> str:
        tag = el.tag if isinstance(el.tag, str) else ""
        classes = _classes(el)
        if tag == "br":
            return " #linebreak() "
        if tag in ("strong", "b"):
            return f"#strong[{self.inline(el)}]"
        if tag in ("em", "i"):
            return f"#emph[{self.inline(el)}]"
        if tag == "svg":
            return self.chart(el, "")
        if "tag" in classes:
            return f"#tag[{self.inline(el)}]"
        if "nowrap" in classes:  # a heading's line as it was broken for the reader (who_pays.HEAD_LINES_*)
            return self.inline(el).replace(" ", "~")  # Typst's non-breaking space
        if "note" in classes:
            return f"#note[{self.inline(el)}]"
        if tag in ("ul", "ol", "table", "div", "p", "section", "h2", "h3"):
            return "\n" + self.block(el) + "\n"
        return self.inline(el)

    def chart(self, svg: Any, caption: str) -> str:
        index = len(self.inputs)
        key = f"chart{index}"
        source = self.svgs[index]
        self.inputs[key] = source
        width = TEXT_WIDTH_PT
        match = re.search(r'width="([\d.]+)pt"', source[:400])
        if match:
            width = min(width, float(match.group(1)))
        return f"#chart({_string(key)}, {width:.1f}pt, [{caption}])"

    def children(self, el: Any) -> str:
        """Block children of a container; loose text between them as paragraphs."""
        parts = []
        if (el.text or "").strip():
            parts.append(escape(el.text.strip()))
        for child in el:
            if not isinstance(child.tag, str):
                continue
            parts.append(self.block(child))
            if (child.tail or "").strip():
                parts.append(escape(child.tail.strip()))
        return "\n\n".join(p for p in parts if p)

    def label(self, section: Any) -> str:
        """The label a section's first heading carries (the contents list links to it)."""
        ident = section.get("id") or ""
        return f" <{ident}>" if ident in self.labels else ""

    def block(self, el: Any) -> str:  # one branch per element the templates use
        tag = el.tag if isinstance(el.tag, str) else ""
        classes = _classes(el)
        if tag in ("head", "style", "script", "title", "meta", "colgroup"):
            return ""
        if "running-enterprise" in classes:
            self.enterprise = escape(el.text_content())
            return ""
        if "running-title" in classes:
            self.doctitle = escape(el.text_content())
            return ""
        if tag == "section" and "cover" in classes:
            return self.cover(el)
        if tag == "section":
            body = self.children(el)
            if "summary" in classes:
                body += "\n\n#pagebreak(weak: true)"
            return body
        if tag in ("html", "body", "main", "article"):
            return self.children(el)
        if tag == "h1":
            return f"#heading(level: 1)[{self.inline(el)}]"
        if tag == "h2":
            parent = el.getparent()
            first = parent is not None and parent.tag == "section" and parent.find("h2") is el
            return f"#heading(level: 1)[{self.inline(el)}]" + (self.label(parent) if first else "")
        if tag in ("h3", "h4"):
            return f"#heading(level: 2)[{self.inline(el)}]"
        if tag == "p":
            text = self.inline(el)
            return f"#note[{text}]" if "note" in classes else f"#par[{text}]"
        if tag in ("ul", "ol"):
            items = [f"[{self.flow(li)}]" for li in el if getattr(li, "tag", None) == "li"]
            if not items:
                return ""
            func = "enum" if tag == "ol" else "list"
            listed = f"#{func}({', '.join(items)})"
            # the who-pays section's cited policies: small print under the table they serve
            return f"#note[{listed}]" if "who-pays-sources" in classes else listed
        if tag == "table":
            return self.table(el)
        if tag == "nav":
            return self.toc(el)
        if tag == "div" and "kpis" in classes:
            return self.kpis(el)
        if tag == "div" and "chart" in classes:
            svg = next((c for c in el.iter() if c.tag == "svg"), None)
            caption = next((c for c in el if "caption" in _classes(c)), None)
            if svg is None:
                return self.children(el)
            return self.chart(svg, self.inline(caption) if caption is not None else "")
        if tag == "div" and "scenario" in classes:
            return (
                f"#block(breakable: false, stroke: (left: 2pt + accent), inset: (left: 3mm, y: 0.5mm),"
                f" above: 3mm, below: 3mm)[{self.children(el)}]"
            )
        if tag == "div":
            return self.children(el) if any(isinstance(c.tag, str) and c.tag != "br" for c in el) else self.inline(el)
        if tag == "svg":
            return self.chart(el, "")
        return f"#par[{self.inline(el)}]"

    def flow(self, el: Any) -> str:
        """A list item or cell: inline text, with any block children (a nested list) after it."""
        return self.inline(el)

    def cover(self, el: Any) -> str:
        parts = []
        for child in el:
            classes = _classes(child)
            if "kicker" in classes:
                parts.append(f"#text(size: 12pt, fill: accent, tracking: 0.1em)[{self.inline(child)}]")
            elif child.tag == "h1":
                parts.append(
                    f"#block(above: 4mm, below: 6mm, text(size: 24pt, fill: ink, bold(width: 0.6pt)[{self.inline(child)}]))"
                )
            elif "meta" in classes:
                lines = [f"#block(above: 1.5mm, below: 1.5mm)[{self.inline(d)}]" for d in child if d.tag == "div"]
                parts.append('#v(14mm)\n#text(fill: rgb("#444455"))[' + "\n".join(lines) + "]")
            else:
                parts.append(self.block(child))
        return "#page(header: none, footer: none)[#v(1fr)\n" + "\n".join(parts) + "\n#v(1.2fr)]"

    def kpis(self, el: Any) -> str:
        boxes = []
        for kpi in el:
            value = next((c for c in kpi if "v" in _classes(c)), None)
            # every label line: the subsidy's "暂无可计入的补贴，…" stands under its name where nothing is counted
            label = " \\ ".join(self.inline(c) for c in kpi if "l" in _classes(c))
            boxes.append(f"kpi([{self.inline(value) if value is not None else ''}], [{label}])")
        return f"#block(above: 3mm, below: 4mm, grid(columns: (1fr, 1fr, 1fr), gutter: 3mm, {', '.join(boxes)}))"

    def toc(self, el: Any) -> str:
        out = []
        for child in el:
            if child.tag in ("h2", "h3"):
                out.append(f"#heading(level: 2, outlined: false)[{self.inline(child)}]")
            elif child.tag == "ol":
                items = []
                for li in child:
                    link = next((a for a in li if a.tag == "a"), None)
                    target = (link.get("href") or "").lstrip("#") if link is not None else ""
                    text = self.inline(li)
                    items.append(f"link(<{target}>)[{text}]" if target in self.labels else f"[{text}]")
                out.append("#columns(2, text(size: 9.5pt, enum(" + ", ".join(items) + ")))")
        return "\n\n".join(out)

    def table(self, el: Any) -> str:
        widths = []
        for col in el.iter("col"):
            match = re.search(r"width:\s*([\d.]+)%", col.get("style") or "")
            widths.append(f"{float(match.group(1)):g}fr" if match else "1fr")
        head_rows = [tr for part in el if part.tag == "thead" for tr in part if tr.tag == "tr"]
        body_rows = [tr for part in el if part.tag == "tbody" for tr in part if tr.tag == "tr"]
        body_rows += [tr for tr in el if tr.tag == "tr"]
        spans = [sum(int(c.get("colspan") or 1) for c in tr if c.tag in ("td", "th")) for tr in head_rows + body_rows]
        count = max([len(widths), *spans])
        if len(widths) != count:
            widths = ["1fr"] * count
        small = bool({"who-pays-years", "sources"} & _classes(el)) or count > 8
        cells_out = []

        def cells(tr: Any) -> list[str]:
            out = []
            for cell in tr:
                if cell.tag not in ("td", "th"):
                    continue
                body = self.flow(cell)
                args = []
                span = int(cell.get("colspan") or 1)
                if span > 1:
                    args.append(f"colspan: {span}")
                if "num" in _classes(cell):
                    args.append("align: right")
                out.append(f"table.cell({', '.join(args)})[{body}]" if args else f"[{body}]")
            return out

        if head_rows:
            header = [c for tr in head_rows for c in cells(tr)]
            cells_out.append("table.header(" + ", ".join(header) + ")")
        for tr in body_rows:
            cells_out.extend(cells(tr))
        size = "#set text(size: 8pt)\n" if small else ""
        fill = "" if head_rows else "fill: none, "
        if "who-pays-years" in _classes(el):  # up to 12 columns: smaller headings, two lines each (who_pays.HEAD_LINES)
            size += "#show table.cell.where(y: 0): set text(size: 7.5pt)\n"
        return (
            f"#block(above: 2mm, below: 4mm)[{size}#table(columns: ({', '.join(widths)},), {fill}"
            + ", ".join(cells_out)
            + ")]"
        )


def html_to_typst(html: str) -> tuple[str, dict[str, str]]:
    """The plan HTML as a Typst document and its sys.inputs (the SVG charts)."""
    import lxml.html

    svgs = _SVG.findall(html)
    root = lxml.html.document_fromstring(html)
    lang = (root.get("lang") or "zh-CN").lower()
    zh = lang.startswith("zh")
    converter = _Converter(svgs)
    # sections a contents entry can link to: those with an id Typst accepts as a label and a heading to carry it
    converter.labels = {
        s.get("id")
        for s in root.iter("section")
        if re.fullmatch(r"[A-Za-z][\w-]*", s.get("id") or "") and s.find("h2") is not None
    }
    body = root.find("body")
    content = converter.children(body if body is not None else root)
    title = root.findtext(".//title") or ""
    preamble = PREAMBLE.format(
        accent=ACCENT,
        ink=INK,
        title=_string(title)[1:-1],
        lang="zh" if zh else "en",
        region="cn" if zh else "gb",
        enterprise=converter.enterprise,
        doctitle=converter.doctitle,
        page_label=("第 #counter(page).display() 页" if zh else "Page #counter(page).display()"),
    )
    return preamble + "\n" + content + "\n", converter.inputs


_COMPILER_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _compiler() -> Any:
    """One compiler per process: Typst reads the font files once (the CJK faces) and keeps them."""
    import typst

    return typst.Compiler(font_paths=[d for d in FONT_DIRS if Path(d).is_dir()])


def typst_pdf(html: str) -> bytes:
    source, inputs = html_to_typst(html)
    with _COMPILER_LOCK:
        pdf = _compiler().compile(input=source.encode("utf-8"), format="pdf", sys_inputs=inputs, pdf_tags=False)
    assert isinstance(pdf, bytes)
    return compact_pdf(pdf)  # the font's hints dropped, small objects packed: 253 -> about 200 KB (Zibo)


def render_pdf_typst(plan: Plan, lang: str = "zh", comparison: PeerComparison | None = None) -> bytes:
    return typst_pdf(render_html(plan, lang, comparison))
