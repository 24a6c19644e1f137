/* Front-desk statistics charts (Chart.js, vendored). */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var stats = JSON.parse(document.getElementById("data-stats").textContent);
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation = false;
  var y = { y: { beginAtZero: true, ticks: { precision: 0 } } };
  new Chart(document.getElementById("chart-days"), {
    type: "bar",
    data: {
      labels: stats.days.map(function (d) { return d.label; }),
      datasets: [
        { label: "批次", data: stats.days.map(function (d) { return d.entries; }), backgroundColor: "#0d6efd" },
        { label: "人数", data: stats.days.map(function (d) { return d.people; }), backgroundColor: "#adb5bd" }
      ]
    },
    options: { scales: y }
  });
  new Chart(document.getElementById("chart-purposes"), {
    type: "doughnut",
    data: { labels: stats.purposes.map(function (p) { return p.label; }), datasets: [{ data: stats.purposes.map(function (p) { return p.n; }),
      backgroundColor: ["#0d6efd", "#fd7e14", "#6f42c1", "#20c997", "#dc3545", "#ffc107", "#6c757d", "#adb5bd"] }] },
    options: { plugins: { legend: { position: "right" } } }
  });
  new Chart(document.getElementById("chart-hours"), {
    type: "bar",
    data: { labels: stats.hours.map(function (h) { return h.label; }), datasets: [{ label: "到达批次", data: stats.hours.map(function (h) { return h.n; }), backgroundColor: "#fd7e14" }] },
    options: { plugins: { legend: { display: false } }, scales: y }
  });
})();
