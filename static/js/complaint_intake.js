/* Complaint intake: house number type-ahead, and the answer book searched from
   what the clerk types, so a question is answered in the one approved wording. */
(function () {
  "use strict";
  var urls = document.getElementById("intake-urls");
  if (!urls) { return; }
  function debounce(fn, ms) {
    var timer = null;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : {}; });
  }
  var house = document.getElementById("id_house_number");
  var options = document.getElementById("complaint-house-options");
  if (house && options) {
    house.addEventListener("input", debounce(function () {
      var q = house.value.trim();
      if (!q) { return; }
      getJSON(urls.dataset.houses + "?q=" + encodeURIComponent(q)).then(function (data) {
        options.innerHTML = "";
        (data.houses || []).forEach(function (n) { var o = document.createElement("option"); o.value = n; options.appendChild(o); });
      }).catch(function () {});
    }, 150));
  }
  // The household's residents as one-tap choices for 反映人 (names only).
  var reporter = document.getElementById("id_reporter_name");
  if (house && reporter) {
    var choices = document.createElement("div");
    choices.id = "reporter-choices";
    choices.className = "d-flex flex-wrap gap-1 mt-1";
    reporter.parentNode.appendChild(choices);
    var showResidents = function () {
      var number = house.value.trim();
      choices.innerHTML = "";
      if (!number) { return; }
      getJSON(urls.dataset.houses + "?residents=" + encodeURIComponent(number)).then(function (data) {
        choices.innerHTML = "";
        (data.residents || []).forEach(function (r) {
          var b = document.createElement("button");
          b.type = "button";
          b.className = "btn btn-outline-secondary btn-sm";
          b.textContent = r.name + (r.relation ? "（" + r.relation + "）" : "");
          b.addEventListener("click", function () { reporter.value = r.name; });
          choices.appendChild(b);
        });
      }).catch(function () {});
    };
    house.addEventListener("change", showResidents);
    if (house.value.trim()) { showResidents(); }
  }
  var description = document.getElementById("id_description");
  var box = document.getElementById("book-matches");
  var list = document.getElementById("book-match-list");
  var answer = document.getElementById("id_answer_now");
  var entry = document.getElementById("id_answer_entry");
  if (!description || !box) { return; }
  description.addEventListener("input", debounce(function () {
    var q = description.value.trim().slice(0, 30);
    if (q.length < 2) { box.classList.add("d-none"); return; }
    getJSON(urls.dataset.book + "?q=" + encodeURIComponent(q)).then(function (data) {
      var entries = data.entries || [];
      list.innerHTML = "";
      box.classList.toggle("d-none", entries.length === 0);
      entries.forEach(function (e) {
        var row = document.createElement("div");
        row.className = "border-top pt-1 mt-1 small";
        var q = document.createElement("div"); q.className = "fw-semibold"; q.textContent = e.question;
        var a = document.createElement("div"); a.textContent = e.answer;
        var b = document.createElement("button");
        b.type = "button"; b.className = "btn btn-outline-primary btn-sm mt-1"; b.textContent = "按此口径当场答复";
        b.addEventListener("click", function () {
          if (answer) { answer.value = e.answer; }
          if (entry) { entry.value = e.id; }
          var kind = document.getElementById("id_kind");
          if (kind && kind.value === "complaint") { kind.value = "consultation"; }
        });
        row.appendChild(q); row.appendChild(a); row.appendChild(b);
        list.appendChild(row);
      });
    }).catch(function () {});
  }, 250));
})();
