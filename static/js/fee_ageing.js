/* Fee reports: open amounts by ageing band, as a bar chart. */
(function () {
  "use strict";
  var node = document.getElementById("fee-ageing-data");
  if (!node || typeof Chart === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  new Chart(document.getElementById("chart-ageing"), {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [{ label: "欠费金额", data: data.totals.map(Number) }]
    },
    options: { maintainAspectRatio: false, plugins: { legend: { display: false } } }
  });
})();
