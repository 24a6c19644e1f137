/* Repair intake: house number type-ahead, and the household's residents as the
   reporter choices (names only; numbers stay in the archive). */
(function () {
  "use strict";
  var urls = document.getElementById("intake-urls");
  if (!urls) { return; }
  var timer = null;
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : {}; });
  }
  var house = document.getElementById("id_house_number");
  var options = document.getElementById("repair-house-options");
  var reporter = document.getElementById("id_reporter");
  if (!house) { return; }
  house.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = house.value.trim();
      if (!q || !options) { return; }
      getJSON(urls.dataset.houses + "?q=" + encodeURIComponent(q)).then(function (data) {
        options.innerHTML = "";
        (data.houses || []).forEach(function (n) { var o = document.createElement("option"); o.value = n; options.appendChild(o); });
      }).catch(function () {});
    }, 150);
  });
  function loadResidents() {
    var number = house.value.trim();
    if (!reporter || !number) { return; }
    getJSON(urls.dataset.houses + "?residents=" + encodeURIComponent(number)).then(function (data) {
      var chosen = reporter.value;
      reporter.innerHTML = "";
      var blank = document.createElement("option"); blank.value = ""; blank.textContent = "—"; reporter.appendChild(blank);
      (data.residents || []).forEach(function (r) {
        var o = document.createElement("option"); o.value = r.id; o.textContent = r.name;
        if (String(r.id) === chosen) { o.selected = true; }
        reporter.appendChild(o);
      });
      if (!chosen && data.residents && data.residents.length) { reporter.selectedIndex = 1; }
    }).catch(function () {});
  }
  house.addEventListener("change", loadResidents);
  house.addEventListener("blur", loadResidents);
})();
