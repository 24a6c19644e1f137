/* After a visit is saved, forget its local draft. */
(function () {
  "use strict";
  var marker = document.getElementById("saved-house");
  if (!marker || !marker.dataset.key) return;
  try { localStorage.removeItem(marker.dataset.key); } catch (e) {}
})();
