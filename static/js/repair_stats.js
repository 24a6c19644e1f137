/* Repair statistics: on-time rates by category and the owners' ratings. */
(function () {
  "use strict";
  var node = document.getElementById("repair-chart-data");
  if (!node || typeof Chart === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  var percent = { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } };
  new Chart(document.getElementById("chart-category"), {
    type: "bar",
    data: {
      labels: data.categories,
      datasets: [
        { label: "派工", data: data.dispatch },
        { label: "到场", data: data.arrival },
        { label: "完工", data: data.completion }
      ]
    },
    options: { maintainAspectRatio: false, scales: { y: percent } }
  });
  new Chart(document.getElementById("chart-rating"), {
    type: "doughnut",
    data: { labels: data.ratings, datasets: [{ data: data.rating_counts }] },
    options: { maintainAspectRatio: false }
  });
})();
