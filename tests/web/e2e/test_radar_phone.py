"""The assessment radar at phone width in a real browser: every dimension's name stays inside the chart, in
English too (the longest names ran off both edges: "ifrastructure", "nd process design"). Served without a server,
as in test_chart_escaping."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.e2e.test_chart_escaping import ORIGIN, _json_script, _page_html, _serve
from wendao.web.catalog.services import active_catalog

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

OUTSIDE = """() => {
  const box = document.getElementById('radar').getBoundingClientRect();
  return [...document.querySelectorAll('#radar svg text')].filter(t => {
    const r = t.getBoundingClientRect();
    return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1);
  }).map(t => t.textContent);
}"""


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_dimension_name_of_the_radar_fits_a_phone(chromium: Any, language: str) -> None:
    dimensions = active_catalog().questionnaire.dimensions
    names = [d.name_en if language == "en" else d.name_zh for d in dimensions]
    radar = {
        "indicators": [{"name": n, "max": 100} for n in names],
        "own": [40 + i for i in range(len(names))],
        "peers": None,
        "own_label": "Your company" if language == "en" else "本企业",
        "peer_label": "",
    }
    body = '<div id="radar" style="width:358px;height:380px"></div>' + _json_script("radar-data", radar)
    page = chromium.new_context(viewport={"width": 390, "height": 844}).new_page()
    _serve(page, _page_html(body, ["/static/vendor/echarts.min.js", "/static/wendao/charts.js"]))
    page.goto(f"{ORIGIN}/")
    page.wait_for_function("window.echarts && echarts.getInstanceByDom(document.getElementById('radar'))")
    assert page.evaluate(OUTSIDE) == []
    page.context.close()
