/* Visitor registration at the counter: keyboard only. Leaving the ID number or
   mobile field looks the visitor up (repeat visitor → pre-fill empty fields;
   watchlist → loud warning); the house field suggests numbers as you type. */
(function () {
  "use strict";
  var form = document.getElementById("register-form");
  if (!form) { return; }
  var idField = form.querySelector("[name=id_number]");
  var idType = form.querySelector("[name=id_type]");
  var mobile = form.querySelector("[name=mobile]");
  var house = form.querySelector("[name=house_number]");
  var options = document.getElementById("house-options");
  var warning = document.getElementById("watchlist-live");
  var repeat = document.getElementById("repeat-visitor");

  function fill(name, value) {
    var field = form.querySelector("[name=" + name + "]");
    if (field && !field.value && value) { field.value = value; }
  }

  function lookup() {
    var params = new URLSearchParams({ id_type: idType.value, id_number: idField.value.trim(), mobile: mobile.value.trim() });
    if (!idField.value.trim() && !mobile.value.trim()) { return; }
    fetch(form.dataset.lookupUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (data.restricted) {
          warning.textContent = "⚠ 限制来访人员（" + data.restricted.reason + "，至 " + data.restricted.until + "）：须主管放行。";
          warning.classList.remove("d-none");
        } else {
          warning.classList.add("d-none");
        }
        if (data.found) {
          fill("name", data.found.name); fill("mobile", data.found.mobile); fill("plate", data.found.plate);
          fill("house_number", data.found.house);
          repeat.textContent = "老访客：上次来访 " + data.found.last + (data.found.house ? "，到访 " + data.found.house : "") + "，已带出上次信息。";
          repeat.classList.remove("d-none");
        }
      })
      .catch(function () { /* offline or server busy: the server checks again on save */ });
  }
  idField.addEventListener("change", lookup);
  mobile.addEventListener("change", lookup);

  // Closed communities: who may answer for the household (residents, authorised helpers).
  var consenters = document.getElementById("consenter-options");
  function loadConsenters() {
    if (!consenters || !house.value.trim()) { return; }
    fetch(form.dataset.housesUrl + "?consent=" + encodeURIComponent(house.value.trim()), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { consenters: [] }; })
      .then(function (data) {
        consenters.innerHTML = "";
        data.consenters.forEach(function (name) {
          var option = document.createElement("option");
          option.value = name;
          consenters.appendChild(option);
        });
      })
      .catch(function () {});
  }
  house.addEventListener("change", loadConsenters);

  var timer = null;
  house.addEventListener("input", function () {
    clearTimeout(timer);
    var q = house.value.trim();
    if (!q) { return; }
    timer = setTimeout(function () {
      fetch(form.dataset.housesUrl + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { houses: [] }; })
        .then(function (data) {
          options.innerHTML = "";
          data.houses.forEach(function (number) {
            var option = document.createElement("option");
            option.value = number;
            options.appendChild(option);
          });
        })
        .catch(function () {});
    }, 150);
  });
})();
