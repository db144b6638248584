"""Text an enterprise typed (its name, its pain points quoted in the reasons) reaches the plan documents as text,
never as markup (security finding 10: the Markdown plan kept raw HTML from enterprise names)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import docx
import pytest

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan, PlanOptions, build_plan
from wendao.engine.profile import parse_profile, read_profile_file
from wendao.report import render
from wendao.report.markdown import text

NAME = "<script>alert(1)</script><img src=x onerror=alert(1)> & Co | 公司"
PAIN = "停机多 <img src=x onerror=alert(2)> | [点我](javascript:alert(3)) <!-- x -->"


@dataclass
class Hit:
    id: str
    score: float


class EveryNeedMatches:
    """A need matcher under which every stated need answers the first scenarios: their reasons quote it."""

    def __init__(self, ids: list[str]) -> None:
        self.ids = ids

    def match_many(self, texts: Any, top: int = 5, taxonomy: Any = "all") -> list[list[Any]]:
        return [[Hit(i, 0.9) for i in self.ids[:top]] for _ in texts]


@pytest.fixture(scope="module")
def plan() -> Plan:
    loaded = default_catalog()
    data = read_profile_file(EXAMPLES / "weifang_machinery.yaml") | {"name": NAME, "pain_points": [PAIN]}
    matcher = EveryNeedMatches([s.id for s in loaded.catalog.scenarios])
    built = build_plan(parse_profile(data), loaded, PlanOptions(as_of=date(2026, 11, 24)), matcher)
    assert built.enterprise.name == NAME
    assert any(PAIN in r.zh for s in built.scenarios for r in s.reasons), "a reason quotes the pain point"
    return built


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_markdown_plan_shows_html_from_the_enterprise_as_text(plan: Plan, lang: str) -> None:
    md = render(plan, "md", lang).decode("utf-8")
    assert not re.search(r"<script|<img|<!--", md)
    assert md.startswith("# &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; & Co \\| 公司 — ")
    assert "&lt;img src=x onerror=alert(2)&gt; \\| \\[点我\\](javascript:alert(3)) &lt;!-- x --&gt;" in md


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_markdown_viewer_shows_the_plan_without_the_enterprises_markup(plan: Plan, lang: str) -> None:
    """Rendered by a CommonMark renderer that passes raw HTML through (as many viewers do)."""
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(render(plan, "md", lang).decode("utf-8"))
    assert not re.search(r"<script|<img|<a |<!--", html)
    assert html.startswith(
        "<h1>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; Co | 公司"
    )
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    assert {len(re.findall(r"<t[dh]", row)) for row in rows} <= {
        2,
        5,
        6,
        8,
        10,
        11,
        12,
    }  # the maturity, needs (5, quoting the pain point), roadmap and who-pays (by item: 6, by year: 10, plus one
    # or two tax-timing columns when the plan has the one-time deduction) tables keep their columns


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_html_plan_carries_no_tag_from_the_enterprises_text(plan: Plan, lang: str) -> None:
    html = render(plan, "html", lang).decode("utf-8")
    assert not re.search(r"<script|<img|<!-- x", html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_word_plan_keeps_the_enterprises_text_as_typed(plan: Plan) -> None:
    document = docx.Document(io.BytesIO(render(plan, "docx", "zh")))
    assert any(NAME in p.text for p in document.paragraphs)


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("Q&A 与 R&D", "Q&A 与 R&D"),  # & starts no entity: left as it is
        ("&lt;b&gt; &#60;", "&amp;lt;b&amp;gt; &amp;#60;"),  # typed entities stay literal
        ("# 不是标题", "\\# 不是标题"),
        ("- 不是列表", "\\- 不是列表"),
        ("1. 不是编号", "1\\. 不是编号"),
        ("第一行\n第二行\r\n第三行", "第一行 第二行 第三行"),  # a table cell or heading stays one line
        ("a|b `c` \\d", "a\\|b \\`c\\` \\\\d"),
        ("2.5D 测量，-11%", "2.5D 测量，-11%"),
    ],
)
def test_text_is_escaped_only_where_markdown_or_html_would_read_it(given: str, shown: str) -> None:
    assert text(given) == shown
