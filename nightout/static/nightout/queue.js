// The queue: a box in the list's heading ticks (or unticks) every registration on the page.
// Without this script the box stays hidden; each row's own box and "every registration the
// filters find" still work.
(function () {
  "use strict";

  function boxes() {
    return document.querySelectorAll('#results input[name="events"]');
  }

  function show() {
    var all = document.getElementById("pick-all");
    if (!all) return;
    document.getElementById("pick-all-line").hidden = false;
    var list = boxes();
    var ticked = Array.prototype.filter.call(list, function (b) { return b.checked; }).length;
    all.checked = list.length > 0 && ticked === list.length;
    all.indeterminate = ticked > 0 && ticked < list.length;
  }

  document.addEventListener("change", function (e) {
    if (e.target.id === "pick-all") {
      Array.prototype.forEach.call(boxes(), function (b) { b.checked = e.target.checked; });
    }
    if (e.target.id === "pick-all" || e.target.name === "events") show();
  });
  document.addEventListener("htmx:afterSettle", show);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", show);
  else show();
})();
