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
  function wrapWords(name) {
    var lines = [], line = "";
    String(name).split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > 12) { lines.push(line); line = word; } else { line = line ? line + " " + word : word; }
    });
    if (line) lines.push(line);
    return lines.join("\n");
  }
  function radar() {
    var d = data("radar-data");
    var c = d && chart("radar");
    if (!c) return;
    // on a phone the dimension names at the left and right edges ran off the chart ("ifrastructure"): a smaller
    // radar, and English names broken into lines of about 12 letters (Chinese names are short enough)
    var narrow = c.getWidth() < 500;
    var series = [{ value: d.own, name: d.own_label, areaStyle: { opacity: 0.25 } }];
    if (d.peers) series.push({ value: d.peers.map(function (v) { return v === null ? 0 : v; }), name: d.peer_label, lineStyle: { type: "dashed" } });
    c.setOption({
      animation: false,
      legend: { bottom: 0 },
      tooltip: {},
      radar: {
        indicator: d.indicators,
        radius: narrow ? "44%" : "52%",
        axisName: { color: "#444", fontSize: narrow ? 11 : 12, formatter: narrow ? wrapWords : undefined },
      },
      series: [{ type: "radar", data: series }],
    });
  }
  // HTML of the Gantt tooltip: the scenario name escaped, its quarters
  function ganttTooltip(name, start, end) {
    return escapeHtml(name) + ": Q" + (Number(start) + 1) + "–Q" + (Number(end) + 1);
  }
  // The roadmap: a row per item, tall enough to read. On a phone (its box under 600 px) each name is written
  // above its bar across the whole width instead of in a narrow column beside it, and the chart is as wide as
  // the box unless the quarters need more (24 px each): then it scrolls sideways inside #gantt-box, not the page.
  function gantt() {
    var d = data("gantt-data");
    var el = document.getElementById("gantt");
    if (!d || !el || !window.echarts || !d.names.length) return;
    var box = el.parentElement;
    var phone = box.clientWidth < 600;
    var rows = d.names.length;
    el.style.height = Math.max(200, rows * (phone ? 52 : 36) + 64) + "px";
    el.style.width = phone ? Math.max(box.clientWidth, 24 + d.horizon * 24) + "px" : "";
    var c = chart("gantt");
    if (!c) return;
    var perQuarter = (el.clientWidth - (phone ? 24 : 300)) / d.horizon;
    var step = Math.max(1, Math.ceil(30 / Math.max(perQuarter, 1)));
    var names = d.names.slice().reverse(), start = d.start.slice().reverse(), end = d.end.slice().reverse();
    var label = phone
      ? { fontSize: 13, color: "#222", inside: true, verticalAlign: "bottom", padding: [0, 0, 11, 2], width: el.clientWidth - 30, overflow: "truncate" }
      : { fontSize: 13, color: "#222", width: 260, overflow: "break", lineHeight: 16 };
    c.setOption({
      animation: false,
      textStyle: { fontSize: 13 },
      grid: phone ? { left: 8, right: 16, top: 16, bottom: 40 } : { left: 8, right: 24, top: 16, bottom: 40, containLabel: true },
      tooltip: { confine: true, formatter: function (p) { return ganttTooltip(names[p.dataIndex], start[p.dataIndex], end[p.dataIndex]); } },
      xAxis: { type: "value", min: 0, max: d.horizon, interval: step, name: d.quarter, nameLocation: "middle", nameGap: 24,
               nameTextStyle: { fontSize: 13 },
               axisLabel: { fontSize: 13, formatter: function (v) { return v < d.horizon ? "Q" + (v + 1) : ""; } } },
      yAxis: { type: "category", data: names, axisTick: { show: !phone }, axisLabel: label, z: 10 },
      series: [
        { type: "bar", stack: "g", data: start, itemStyle: { color: "transparent" }, silent: true, barWidth: phone ? 12 : "55%" },
        { type: "bar", stack: "g", data: end.map(function (e, i) { return e - start[i] + 1; }), itemStyle: { color: "#b4232a" }, barWidth: phone ? 12 : "55%" },
      ],
    });
  }
  function render() { radar(); gantt(); }
  window.wendaoCharts = { render: render, escapeHtml: escapeHtml, ganttTooltip: ganttTooltip };
  document.addEventListener("DOMContentLoaded", render);
  document.addEventListener("htmx:afterSettle", render);
  window.addEventListener("resize", function () {
    var el = document.getElementById("radar");
    var inst = el && window.echarts && window.echarts.getInstanceByDom(el);
    if (inst) inst.resize();
    gantt(); // its rows, width and label placement depend on the width
  });
})();
