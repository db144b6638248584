"""The demand heat map's colours in a real browser: one group far above the others (the firms in no provincial
chain) must not wash every other cell out to the same pale colour. Served without a server, as in
test_chart_escaping."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.e2e.test_chart_escaping import ORIGIN, _json_script, _page_html, _serve

pytestmark = pytest.mark.e2e

COLOURS = """() => {
  const chart = echarts.getInstanceByDom(document.getElementById('chart-heat'));
  const data = chart.getModel().getSeriesByIndex(0).getData();
  const out = {};
  for (let i = 0; i < data.count(); i++) out[data.get('value', i)] = data.getItemVisual(i, 'style').fill;
  return {colours: out, pieces: chart.getOption().visualMap[0].pieces.map(p => p.label)};
}"""


def test_small_counts_keep_distinct_colours_beside_one_large_group(page: Any) -> None:
    rows = ["工业母机", "现代食品", "不属于省级重点产业链"]
    columns = ["设备预测性维护", "小样本视觉质检", "能源管控"]
    data = [[0, 0, 1], [1, 0, 2], [2, 0, 3], [0, 1, 0], [1, 1, 5], [2, 1, 1], [0, 2, 90], [1, 2, 60], [2, 2, 40]]
    charts = {"city": {"keys": [], "means": []}, "heat": {"rows": rows, "columns": columns, "data": data}}
    body = '<div id="chart-heat" style="width:800px;height:400px"></div>' + _json_script("insights-data", charts)
    _serve(page, _page_html(body, ["/static/vendor/echarts.min.js", "/static/insights/insights.js"]))
    page.goto(f"{ORIGIN}/")
    page.wait_for_function("window.echarts && echarts.getInstanceByDom(document.getElementById('chart-heat'))")
    seen = page.evaluate(COLOURS)
    assert seen["pieces"] == ["0", "1", "2–3", "4–7", "8–15", "16–31", "32–63", "64–90"]
    colours = seen["colours"]
    assert len({colours["1"], colours["2"], colours["5"], colours["90"]}) == 4  # 1, 2 and 5 firms read apart
    assert colours["2"] == colours["3"]  # one band
    assert colours["0"] != colours["1"]
