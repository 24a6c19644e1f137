/* Charts of the weekly complaint statistics (vendored Chart.js). */
(function () {
  "use strict";
  var source = document.getElementById("complaint-chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#0d6efd", "#198754", "#ffc107", "#dc3545", "#6f42c1", "#20c997", "#fd7e14", "#6c757d", "#0dcaf0", "#d63384", "#adb5bd", "#495057", "#198754"];
  function bar(id, rows, horizontal) {
    var el = document.getElementById(id);
    if (!el) { return; }
    new Chart(el, {
      type: "bar",
      data: { labels: rows.map(function (r) { return r[0]; }), datasets: [{ data: rows.map(function (r) { return r[1]; }), backgroundColor: "#0d6efd" }] },
      options: { indexAxis: horizontal ? "y" : "x", maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { x: { ticks: { precision: 0 } }, y: { ticks: { precision: 0 } } } }
    });
  }
  bar("chart-category", data.category.filter(function (r) { return r[1] > 0; }), true);
  bar("chart-channel", data.channel, false);
  var satisfaction = document.getElementById("chart-satisfaction");
  if (satisfaction) {
    new Chart(satisfaction, {
      type: "doughnut",
      data: { labels: data.satisfaction.map(function (r) { return r[0]; }), datasets: [{ data: data.satisfaction.map(function (r) { return r[1]; }), backgroundColor: ["#198754", "#ffc107", "#dc3545"] }] },
      options: { maintainAspectRatio: false }
    });
  }
  var trend = document.getElementById("chart-trend");
  if (trend) {
    new Chart(trend, {
      type: "line",
      data: {
        labels: data.trend.map(function (r) { return r[0]; }),
        datasets: [
          { label: "受理", data: data.trend.map(function (r) { return r[1]; }), borderColor: palette[0] },
          { label: "按时答复", data: data.trend.map(function (r) { return r[2]; }), borderColor: palette[1] }
        ]
      },
      options: { maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
})();
