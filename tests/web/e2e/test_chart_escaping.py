"""The chart scripts in a real browser, without a server: every string from data that reaches ECharts' HTML
(tooltips) is shown as text. The page is served by Playwright from the project's static files, under the
platform's own Content-Security-Policy, with hostile names in the json_script data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from wendao.web import csp

pytestmark = pytest.mark.e2e

WEB = Path(__file__).resolve().parents[3] / "src" / "wendao" / "web"
STATIC = {
    "/static/vendor/echarts.min.js": WEB / "static" / "vendor" / "echarts.min.js",
    "/static/wendao/charts.js": WEB / "static" / "wendao" / "charts.js",
    "/static/insights/insights.js": WEB / "insights" / "static" / "insights" / "insights.js",
}
ORIGIN = "http://charts.wendao.test"
HOSTILE = '<img src=x onerror="window.__xss=(window.__xss||0)+1">'
# records what the Content-Security-Policy blocked, before any page script runs
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""
TOOLTIP = """id => {
  const el = document.getElementById(id);
  const tip = el.children.length > 1 ? el.children[el.children.length - 1] : null;
  return tip ? {html: tip.innerHTML, text: tip.textContent, imgs: tip.querySelectorAll("img").length} : null;
}"""


def _page_html(body: str, scripts: list[str]) -> str:
    tags = "".join(f'<script src="{src}" defer></script>' for src in scripts)
    return f'<!doctype html><html><head><meta charset="utf-8">{tags}</head><body>{body}</body></html>'


def _json_script(element_id: str, value: Any) -> str:
    # what Django's json_script writes: <, > and & escaped inside the script element
    text = json.dumps(value).replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return f'<script id="{element_id}" type="application/json">{text}</script>'


def _serve(page: Any, html: str) -> None:
    def handle(route: Any) -> None:
        path = route.request.url[len(ORIGIN) :].split("?")[0]
        if path in STATIC:
            route.fulfill(path=str(STATIC[path]), content_type="text/javascript")
        elif path == "/":
            route.fulfill(
                body=html, content_type="text/html; charset=utf-8", headers={csp.HEADER: csp.render(csp.POLICY)}
            )
        else:
            route.fulfill(status=404, body="")

    page.route(f"{ORIGIN}/**", handle)
    page.add_init_script(WATCH)


def _show_tip(page: Any, element_id: str, data_index: int, series_index: int = 0) -> dict[str, Any]:
    page.evaluate(
        "([id, s, d]) => echarts.getInstanceByDom(document.getElementById(id))"
        ".dispatchAction({type: 'showTip', seriesIndex: s, dataIndex: d})",
        [element_id, series_index, data_index],
    )
    page.wait_for_function(f"({TOOLTIP})('{element_id}') && ({TOOLTIP})('{element_id}').text.length > 0")
    return page.evaluate(TOOLTIP, element_id)  # type: ignore[no-any-return]


def test_the_gantt_and_radar_tooltips_show_hostile_names_as_text(page: Any) -> None:
    gantt = {"names": [HOSTILE, "设备预测性维护"], "start": [0, 1], "end": [2, 3], "horizon": 8, "quarter": "季度"}
    radar = {
        "indicators": [{"name": HOSTILE, "max": 100}, {"name": "数据", "max": 100}, {"name": "人才", "max": 100}],
        "own": [50, 60, 70],
        "peers": [40, None, 55],
        "own_label": HOSTILE,
        "peer_label": "同行",
    }
    body = (
        '<div id="gantt" style="width:800px;height:300px"></div><div id="radar" style="width:600px;height:400px"></div>'
        + _json_script("gantt-data", gantt)
        + _json_script("radar-data", radar)
    )
    _serve(page, _page_html(body, ["/static/vendor/echarts.min.js", "/static/wendao/charts.js"]))
    page.goto(f"{ORIGIN}/")
    page.wait_for_function("window.echarts && echarts.getInstanceByDom(document.getElementById('gantt'))")

    # the Gantt rows are drawn bottom-up: the hostile first item is the last bar of the visible series
    tip = _show_tip(page, "gantt", data_index=1, series_index=1)
    assert tip["imgs"] == 0, tip["html"]
    assert HOSTILE in tip["text"]
    assert "Q1–Q3" in tip["text"]
    tip = _show_tip(page, "radar", data_index=0)
    assert tip["imgs"] == 0, tip["html"]
    assert HOSTILE in tip["text"]

    assert page.evaluate("window.wendaoCharts.escapeHtml(\"<a href='x'>&</a>\")") == (
        "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"
    )
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("window.__violations") == []


def test_the_dashboard_tooltips_show_hostile_names_as_text(page: Any) -> None:
    charts = {
        "city": {"keys": [HOSTILE, "济南"], "means": [55.5, 61.0]},
        "heat": {"rows": [HOSTILE, "化工"], "columns": [HOSTILE, "质量检测"], "data": [[0, 0, 3], [1, 1, 2]]},
    }
    body = (
        '<div id="chart-city" style="width:600px;height:300px"></div>'
        '<div id="chart-heat" style="width:800px;height:400px"></div>' + _json_script("insights-data", charts)
    )
    _serve(page, _page_html(body, ["/static/vendor/echarts.min.js", "/static/insights/insights.js"]))
    page.goto(f"{ORIGIN}/")
    page.wait_for_function("window.echarts && echarts.getInstanceByDom(document.getElementById('chart-heat'))")
    for element_id in ("chart-city", "chart-heat"):
        tip = _show_tip(page, element_id, data_index=0)
        assert tip["imgs"] == 0, tip["html"]
        assert HOSTILE in tip["text"]
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("window.__violations") == []
