/* Charts of the monthly visit summary (Chart.js, vendored). Every bar opens the
   records behind it: the same list the figure in the tables links to. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  function data(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; }
  var recordsUrl = data("data-records-url");
  var summaryListUrl = data("data-summary-list-url");
  var palette = ["#0d6efd", "#adb5bd", "#dc3545", "#198754", "#fd7e14"];
  Chart.defaults.font.family = "system-ui, -apple-system, 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation = false;  // figures, not a show; also draws at once for print

  function openOnClick(queries) {
    return function (event, elements) {
      if (!elements.length) { return; }
      var q = queries[elements[0].index];
      if (q) { window.location.href = recordsUrl + "?" + q; }
    };
  }

  var coverage = data("data-coverage");
  if (coverage && document.getElementById("chart-coverage")) {
    new Chart(document.getElementById("chart-coverage"), {
      type: "bar",
      data: {
        labels: coverage.map(function (r) { return r.name; }),
        datasets: [
          { label: "已访", data: coverage.map(function (r) { return r.done; }), backgroundColor: palette[0] },
          { label: "应访", data: coverage.map(function (r) { return r.required; }), backgroundColor: palette[1] }
        ]
      },
      options: { onClick: openOnClick(coverage.map(function (r) { return r.q; })), scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }

  var opinions = data("data-opinions");
  if (opinions && document.getElementById("chart-opinions")) {
    new Chart(document.getElementById("chart-opinions"), {
      type: "bar",
      data: {
        labels: opinions.map(function (o) { return o.label; }),
        datasets: [{ label: "意见条数", data: opinions.map(function (o) { return o.n; }), backgroundColor: palette[4] }]
      },
      options: { indexAxis: "y", onClick: openOnClick(opinions.map(function (o) { return o.q; })), plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }

  var ageing = data("data-ageing");
  if (ageing && document.getElementById("chart-ageing")) {
    new Chart(document.getElementById("chart-ageing"), {
      type: "bar",
      data: {
        labels: ageing.map(function (a) { return a.label; }),
        datasets: [{ label: "未完成跟进", data: ageing.map(function (a) { return a.n; }), backgroundColor: palette[2] }]
      },
      options: { onClick: openOnClick(ageing.map(function (a) { return a.q; })), plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }

  var trend = data("data-trend");
  if (trend && document.getElementById("chart-trend")) {
    new Chart(document.getElementById("chart-trend"), {
      type: "line",
      data: {
        labels: trend.map(function (p) { return p.label; }),
        datasets: [
          { label: "访问记录", data: trend.map(function (p) { return p.visits; }), borderColor: palette[0], backgroundColor: palette[0] },
          { label: "访问住户", data: trend.map(function (p) { return p.households; }), borderColor: palette[3], backgroundColor: palette[3] },
          { label: "业主意见", data: trend.map(function (p) { return p.opinions; }), borderColor: palette[4], backgroundColor: palette[4] },
          { label: "逾期记录", data: trend.map(function (p) { return p.late; }), borderColor: palette[2], backgroundColor: palette[2] }
        ]
      },
      options: {
        // A point opens that month's summary (the list page redirects to it).
        onClick: function (event, elements) {
          if (elements.length) { window.location.href = summaryListUrl + "?month=" + trend[elements[0].index].period; }
        },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }
})();
