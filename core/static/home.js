// The home page's charts (templates/core/index.html): each <div class="jiguan-chart"
// data-chart="{…}"> holds its figures as JSON; Apache ECharts (static/vendor/echarts) draws it.
(function () {
  "use strict";
  if (!window.echarts) { return; }

  function option(data) {
    var unit = data.unit ? " " + data.unit : "";
    if (data.kind === "pie") {
      var values = data.series.length ? data.series[0].values : [];
      return {
        tooltip: { trigger: "item", valueFormatter: function (v) { return v + unit; } },
        legend: { bottom: 0 },
        series: [{ type: "pie", radius: ["35%", "65%"],
                   data: data.categories.map(function (name, i) { return { name: name, value: values[i] }; }) }]
      };
    }
    var series = data.series.map(function (s) { return { name: s.name, type: "bar", data: s.values }; });
    if (data.target !== null && data.target !== undefined && series.length) {
      series[0].markLine = { symbol: "none", data: [{ yAxis: data.target, name: data.target_label }],
                             label: { formatter: data.target_label || String(data.target) } };
    }
    return {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + unit; } },
      grid: { left: 60, right: 70, bottom: 70, top: 36 },
      xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value", name: data.unit },
      series: series
    };
  }

  document.querySelectorAll(".jiguan-chart[data-chart]").forEach(function (el) {
    var data = JSON.parse(el.getAttribute("data-chart"));
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option(data));
    el.setAttribute("data-drawn", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  });
}());
