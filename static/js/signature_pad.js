/* The owner signs on the technician's phone: strokes on a canvas become a PNG
   data URL in the form's hidden field, and "业主已签字" is chosen. Nothing is
   sent unless the owner drew something; refusing to sign stays possible. */
(function () {
  "use strict";
  document.querySelectorAll(".signature-block").forEach(function (block) {
    var canvas = block.querySelector("canvas");
    var target = document.getElementById(block.dataset.target);
    var choice = document.getElementById(block.dataset.choice);
    var ctx = canvas.getContext("2d");
    var drawing = false, drawn = false;
    function size() {
      var ratio = window.devicePixelRatio || 1;
      canvas.width = canvas.clientWidth * ratio;
      canvas.height = 160 * ratio;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.scale(ratio, ratio);
      ctx.lineWidth = 2.5; ctx.lineCap = "round"; ctx.strokeStyle = "#111";
    }
    function point(e) {
      var r = canvas.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    }
    function save() {
      if (!drawn || !target || !canvas.width) { return; }
      target.value = canvas.toDataURL("image/png");
      if (choice && !choice.value) { choice.value = "signed"; }
    }
    canvas.style.touchAction = "none";
    canvas.addEventListener("pointerdown", function (e) {
      // A canvas sized while its form was folded shut is 0 wide: size it now.
      var ratio = window.devicePixelRatio || 1;
      if (!drawn && canvas.width !== Math.round(canvas.clientWidth * ratio)) { size(); }
      drawing = true; var p = point(e); ctx.beginPath(); ctx.moveTo(p.x, p.y); canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener("pointermove", function (e) {
      if (!drawing) { return; } var p = point(e); ctx.lineTo(p.x, p.y); ctx.stroke(); drawn = true;
    });
    ["pointerup", "pointercancel", "pointerleave"].forEach(function (name) {
      canvas.addEventListener(name, function () { if (drawing) { drawing = false; save(); } });
    });
    block.querySelector(".signature-clear").addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height); drawn = false; if (target) { target.value = ""; }
    });
    var folded = block.closest(".collapse");
    if (folded) { folded.addEventListener("shown.bs.collapse", function () { if (!drawn) { size(); } }); }
    size();
  });
})();
