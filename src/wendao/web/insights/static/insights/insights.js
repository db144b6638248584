// Organiser dashboard charts: mean maturity by city (bar) and demand heat map (chain × scenario); the demand
// page's heat map (city, division, chain or size × scenario).
// City, chain and scenario names come from data: the tooltips use ECharts' default formatters, which escape
// them (a custom formatter returns HTML and must escape every name, see wendao/charts.js escapeHtml);
// axis labels are drawn as canvas text. tests/web/e2e/test_chart_escaping.py checks both.
// One heat map for both (group × scenario): one band per group, the scenario names rotated under it with room
// for the colour scale below them; on a phone the names are cut short (the table below has them whole).
function drawHeatmap(el, d) {
  var top = Math.max.apply(null, d.data.map(function (x) { return x[2]; }).concat([1]));
  // Colour bands that double (0, 1, 2–3, 4–7 …): on one linear scale the firms in no provincial chain (90 in the
  // demo) washed every chain's 1–5 out to the same pale blue; doubling bands keep both readable.
  var pieces = [{ value: 0, label: "0" }];
  for (var lo = 1; lo <= top; lo *= 2) {
    var hi = Math.min(lo * 2 - 1, top);
    pieces.push(lo === hi ? { value: lo, label: String(lo) } : { min: lo, max: hi, label: lo + "–" + hi });
  }
  var narrow = el.clientWidth < 600;
  el.style.height = Math.max(300, 34 * d.rows.length + 235) + "px";
  echarts.init(el).setOption({
    animation: false,
    grid: { left: narrow ? 70 : 150, right: 10, top: 10, bottom: narrow ? 150 : 185 },
    tooltip: {},
    xAxis: {
      type: "category",
      data: d.columns,
      axisLabel: { rotate: narrow ? 90 : 40, interval: 0, fontSize: narrow ? 9 : 12, width: narrow ? 90 : 160, overflow: "truncate" },
    },
    yAxis: {
      type: "category",
      data: d.rows,
      inverse: true,
      axisLabel: { width: narrow ? 64 : 140, overflow: "truncate" },
    },
    visualMap: {
      type: "piecewise",
      pieces: pieces,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      itemWidth: narrow ? 10 : 18,
      itemGap: narrow ? 3 : 8,
      textGap: narrow ? 2 : 5,
      textStyle: { fontSize: narrow ? 9 : 12 },
      inRange: { color: ["#f4f5f9", "#dfe4f7", "#b9c4ef", "#8c9de3", "#5f75d3", "#3a52bb", "#223796", "#122269"] },
    },
    series: [{ type: "heatmap", data: d.data, label: { show: !narrow } }],
  });
}

document.addEventListener("DOMContentLoaded", function () {
  if (typeof echarts === "undefined") return;
  var demand = document.getElementById("chart-demand");
  var demandData = document.getElementById("demand-data");
  if (demand && demandData) {
    var d = JSON.parse(demandData.textContent);
    if (d.rows.length) drawHeatmap(demand, d);
  }
  var source = document.getElementById("insights-data");
  if (!source) return;
  var data = JSON.parse(source.textContent);
  var bar = document.getElementById("chart-city");
  if (bar && data.city.keys.length) {
    echarts.init(bar).setOption({
      animation: false,
      grid: { left: 40, right: 10, top: 20, bottom: 40 },
      tooltip: {},
      xAxis: { type: "category", data: data.city.keys },
      yAxis: { type: "value", min: 0, max: 100 },
      series: [{ type: "bar", data: data.city.means }],
    });
  }
  var heat = document.getElementById("chart-heat");
  if (heat && data.heat.rows.length) drawHeatmap(heat, data.heat);
});
