"""Names from the knowledge base reach the document charts as text: the SVG inlined into the HTML and PDF
documents carries them escaped (no element, no script) and shown as written (no TeX from a pair of "$")."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

import pytest

from tests.conftest import EXAMPLES
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan, PlanOptions, build_plan
from wendao.engine.profile import load_profile
from wendao.report import charts, render
from wendao.report.labels import Labels

HOSTILE = '<img src=x onerror="alert(1)"></text><script>alert(2)</script>'
DOLLARS = "节省$2$万元 & 更多"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def plan() -> Plan:
    built = build_plan(
        load_profile(EXAMPLES / "weifang_machinery.yaml"), default_catalog(), PlanOptions(as_of=date(2026, 11, 24))
    )
    assert len(built.items) >= 2
    items = [
        # whole-scope items: a pilot's label would add its stage (试点) to the name the charts show
        built.items[0].model_copy(update={"name_zh": HOSTILE, "name_en": HOSTILE, "stage": "full"}),
        built.items[1].model_copy(update={"name_zh": DOLLARS, "name_en": DOLLARS, "stage": "full"}),
        *built.items[2:],
    ]
    return built.model_copy(update={"items": items})


def _texts(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg)  # well-formed: nothing in a name closed an element early
    assert not [e.tag for e in root.iter() if e.tag in (f"{SVG}script", "script", "img", f"{SVG}foreignObject")]
    return ["".join(e.itertext()) for e in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("chart", [charts.gantt, charts.value_cost])
def test_a_scenario_name_is_text_in_the_chart_svg(plan: Plan, chart, lang: str) -> None:  # type: ignore[no-untyped-def]
    svg = chart(plan, Labels(lang)).svg
    assert "<img" not in svg
    assert "<script" not in svg
    texts = _texts(svg)
    assert HOSTILE in texts
    assert DOLLARS in texts  # literally, "$" included: not set as TeX


def test_the_html_document_shows_the_names_literally(plan: Plan) -> None:
    page = render(plan, "html", "zh").decode()
    assert "<img src=x" not in page
    assert "<script>alert" not in page
    assert "&lt;img src=x" in page
