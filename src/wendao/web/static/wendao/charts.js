// Radar (results) and Gantt (plan) charts from the JSON the server embeds with json_script.
// Re-rendered after every htmx swap, so the what-if fragment brings its own chart.
//
// ECharts puts a tooltip formatter's return value into the page as HTML. Every string that comes from data
// (scenario and dimension names are edited in the knowledge base) goes through escapeHtml before it reaches
// a formatter's output; the default formatters (no `formatter`) escape by themselves. Axis labels, legends
// and rich labels are drawn as SVG/canvas text, never parsed as HTML.
(function () {
  "use strict";
  var HTML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function escapeHtml(value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g, function (ch) {
      return HTML_ESCAPES[ch];
    });
  }
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function chart(id) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return null;
    var old = window.echarts.getInstanceByDom(el);
    if (old) old.dispose();
    return window.echarts.init(el, null, { renderer: "svg" });
  }
  function radar() {
    var d = data("radar-data");
    var c = d && chart("radar");
    if (!c) return;
    var series = [{ value: d.own, name: d.own_label, areaStyle: { opacity: 0.25 } }];
    if (d.peers) series.push({ value: d.peers.map(function (v) { return v === null ? 0 : v; }), name: d.peer_label, lineStyle: { type: "dashed" } });
    c.setOption({
      animation: false,
      legend: { bottom: 0 },
      tooltip: {},
      radar: { indicator: d.indicators, radius: "52%", axisName: { color: "#444" } },
      series: [{ type: "radar", data: series }],
    });
  }
  // HTML of the Gantt tooltip: the scenario name escaped, its quarters
  function ganttTooltip(name, start, end) {
    return escapeHtml(name) + ": Q" + (Number(start) + 1) + "–Q" + (Number(end) + 1);
  }
  function gantt() {
    var d = data("gantt-data");
    var c = d && chart("gantt");
    if (!c || !d.names.length) return;
    var names = d.names.slice().reverse(), start = d.start.slice().reverse(), end = d.end.slice().reverse();
    c.setOption({
      animation: false,
      grid: { left: 8, right: 24, top: 16, bottom: 32, containLabel: true },
      tooltip: { formatter: function (p) { return ganttTooltip(names[p.dataIndex], start[p.dataIndex], end[p.dataIndex]); } },
      xAxis: { type: "value", min: 0, max: d.horizon, interval: 1, name: d.quarter,
               axisLabel: { formatter: function (v) { return v < d.horizon ? "Q" + (v + 1) : ""; } } },
      yAxis: { type: "category", data: names },
      series: [
        { type: "bar", stack: "g", data: start, itemStyle: { color: "transparent" }, silent: true },
        { type: "bar", stack: "g", data: end.map(function (e, i) { return e - start[i] + 1; }), itemStyle: { color: "#b4232a" } },
      ],
    });
  }
  function render() { radar(); gantt(); }
  window.wendaoCharts = { render: render, escapeHtml: escapeHtml, ganttTooltip: ganttTooltip };
  document.addEventListener("DOMContentLoaded", render);
  document.addEventListener("htmx:afterSettle", render);
  window.addEventListener("resize", function () {
    ["radar", "gantt"].forEach(function (id) {
      var el = document.getElementById(id);
      var inst = el && window.echarts && window.echarts.getInstanceByDom(el);
      if (inst) inst.resize();
    });
  });
})();
