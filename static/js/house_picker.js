/* House number type-ahead for the front desk's house-bound forms. */
(function () {
  "use strict";
  var input = document.getElementById("house-picker-input");
  if (!input) { return; }
  var list = document.getElementById("house-picker-options");
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (!q) { return; }
    timer = setTimeout(function () {
      fetch(input.dataset.housesUrl + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { houses: [] }; })
        .then(function (data) {
          list.innerHTML = "";
          data.houses.forEach(function (n) { var o = document.createElement("option"); o.value = n; list.appendChild(o); });
        })
        .catch(function () {});
    }, 150);
  });
})();
