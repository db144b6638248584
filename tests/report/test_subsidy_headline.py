"""Where a plan counts no subsidy, its headline says so ("0（暂无可计入的补贴，…）") in the PDF's key figures and
the Word key-figures table, as the Markdown summary does; "—" there read as "unknown" to an owner."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import PlanOptions, build_plan
from wendao.engine.profile import load_profile
from wendao.report import render
from wendao.report.labels import Labels
from wendao.report.pdf_typst import escape, html_to_typst

ZIBO = build_plan(
    load_profile(EXAMPLES / "zibo_chemical.yaml"),
    default_catalog(),
    PlanOptions(as_of=date(2026, 11, 24), with_routes=False),
)
NONE = {
    "zh": "暂无可计入的补贴，可能适用的政策见“资金支持”",
    "en": "No subsidy counted yet; the policies that may apply are under Funding",
}


def test_the_fixture_counts_no_subsidy() -> None:
    assert round(ZIBO.money.subsidy, 1) == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pdf_key_figures_show_zero_and_say_why(lang: str) -> None:
    html = render(ZIBO, "html", lang).decode("utf-8")
    tile = html[html.index('<div class="kpis">') :]
    tile = tile[: tile.index("</div>\n  </div>")]
    subsidy = tile.split('<div class="kpi">')[2]
    assert subsidy.startswith('<div class="v">0</div>')
    assert NONE[lang] in subsidy


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_word_key_figures_show_zero_and_say_why(lang: str) -> None:
    document = docx.Document(io.BytesIO(render(ZIBO, "docx", lang)))
    label = Labels(lang).t("subsidy")
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    headline = next(r for r in rows if r[0] == label and len(r) == 2)
    paren = f"（{NONE[lang]}）" if lang == "zh" else f" ({NONE[lang]})"
    assert headline[1] == "0" + paren


def test_a_counted_subsidy_stays_the_amount_in_the_headline() -> None:
    assert Labels("zh").subsidy_headline(12.34) == "12.3"
    assert Labels("zh").subsidy_headline(0.04) == "0（暂无可计入的补贴，可能适用的政策见“资金支持”）"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pdf_key_figure_keeps_the_reason_under_the_subsidy_s_name(lang: str) -> None:
    # the Typst converter took only a key figure's first label line: the reason never reached the PDF
    markup, _assets = html_to_typst(render(ZIBO, "html", lang).decode("utf-8"))
    boxes = markup[markup.index("grid(columns: (1fr, 1fr, 1fr)") :]
    subsidy = boxes.split("kpi([")[2]
    assert subsidy.startswith("0],")
    assert escape(NONE[lang]) in subsidy
