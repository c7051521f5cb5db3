// An event page's map and share button. Without it the page shows the place in words and the
// share link opens an email.
(function () {
  "use strict";
  var share = document.getElementById("share");
  if (share && navigator.share) {
    share.addEventListener("click", function (e) {
      e.preventDefault();
      navigator.share({ title: share.dataset.title, url: share.dataset.url }).catch(function () {});
    });
  }
  var box = document.getElementById("event-map");
  var node = document.getElementById("event-map-config");
  if (!box || !node || typeof L === "undefined") return;
  var config = JSON.parse(node.textContent);
  box.hidden = false;
  var map = L.map(box, { scrollWheelZoom: false }).setView([config.lat, config.lng], config.block ? 16 : 17);
  L.tileLayer(config.tiles, { maxZoom: 19, attribution: config.attribution }).addTo(map);
  if (config.block) {
    L.circle([config.lat, config.lng], { radius: 150, color: "#1d5fa8", fillOpacity: 0.15 }).addTo(map);
  } else {
    L.circleMarker([config.lat, config.lng], { radius: 9, color: "#0f2a4a", fillColor: "#1d5fa8", fillOpacity: 0.9 }).addTo(map);
  }
})();
