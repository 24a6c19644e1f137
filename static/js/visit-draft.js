/* 物业管家 · visit draft keeper.
 * A half-typed visit record survives a reload and a lost connection: every change
 * is kept in localStorage at once, and posted to the server draft when online.
 * No build step, no dependencies. */
(function () {
  "use strict";
  var form = document.getElementById("visit-form");
  if (!form) return;
  var key = form.dataset.draftKey;
  var status = document.getElementById("draft-status");
  var serverDraft = {};
  try { serverDraft = JSON.parse(document.getElementById("server-draft").textContent || "{}"); } catch (e) {}

  function fields() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "hidden" || el.type === "submit") return;
      if (el.type === "checkbox") data[el.name] = el.checked ? "on" : "";
      else if (el.type === "radio") { if (el.checked) data[el.name] = el.value; }
      else data[el.name] = el.value;
    });
    return data;
  }

  function restore(data) {
    Object.keys(data).forEach(function (name) {
      var els = form.querySelectorAll('[name="' + name + '"]');
      Array.prototype.forEach.call(els, function (el) {
        if (el.type === "checkbox") el.checked = data[name] === "on";
        else if (el.type === "radio") el.checked = el.value === data[name];
        else el.value = data[name];
      });
    });
  }

  function say(text) { if (status) status.textContent = text; }

  var pending = null;
  function pushToServer() {
    var house = form.dataset.house;
    if (!house || !navigator.onLine) { say("草稿已保存在本机（离线）"); return; }
    var csrf = form.querySelector('[name="csrfmiddlewaretoken"]').value;
    fetch(form.dataset.draftUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ house: house, fields: fields() }),
      credentials: "same-origin"
    }).then(function (r) { return r.json(); })
      .then(function (r) { say(r.ok ? "草稿已同步 " + r.saved_at : "草稿已保存在本机"); })
      .catch(function () { say("草稿已保存在本机（网络中断，恢复后自动同步）"); });
  }

  function save() {
    try { localStorage.setItem(key, JSON.stringify({ savedAt: Date.now(), fields: fields() })); } catch (e) {}
    say("草稿已保存在本机");
    clearTimeout(pending);
    pending = setTimeout(pushToServer, 800);
  }

  // A bound form (after a validation error) already shows what was typed: keep it.
  if (!form.dataset.bound) {
    var local = null;
    try { local = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) {}
    if (local && local.fields) { restore(local.fields); say("已恢复未提交的草稿"); }
    else if (Object.keys(serverDraft).length) { restore(serverDraft); say("已恢复服务器上的草稿"); }
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  window.addEventListener("online", pushToServer);
  form.addEventListener("submit", function () { clearTimeout(pending); });
})();
