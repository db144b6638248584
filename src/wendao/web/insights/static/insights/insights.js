// Organiser dashboard charts: mean maturity by city (bar) and demand heat map (chain × scenario).
// City, chain and scenario names come from data: the tooltips use ECharts' default formatters, which escape
// them (a custom formatter returns HTML and must escape every name, see wendao/charts.js escapeHtml);
// axis labels are drawn as canvas text. tests/web/e2e/test_chart_escaping.py checks both.
document.addEventListener("DOMContentLoaded", function () {
  if (typeof echarts === "undefined") return;
  var data = JSON.parse(document.getElementById("insights-data").textContent);
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
  if (heat && data.heat.rows.length) {
    var max = Math.max.apply(null, data.heat.data.map(function (d) { return d[2]; }).concat([1]));
    echarts.init(heat).setOption({
      animation: false,
      grid: { left: 140, right: 10, top: 10, bottom: 120 },
      tooltip: {},
      xAxis: { type: "category", data: data.heat.columns, axisLabel: { rotate: 40 } },
      yAxis: { type: "category", data: data.heat.rows },
      visualMap: { min: 0, max: max, calculable: true, orient: "horizontal", left: "center", bottom: 0 },
      series: [{ type: "heatmap", data: data.heat.data, label: { show: true } }],
    });
  }
});
