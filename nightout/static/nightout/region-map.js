// The roll-up's map: one marker per town, labelled with its approved events.
(function () {
  "use strict";
  var box = document.getElementById("region-map");
  var data = document.getElementById("region-markers");
  if (!box || !data || typeof L === "undefined") return;
  var config = JSON.parse(data.textContent);
  var markers = config.markers;
  if (!markers.length) return;
  box.hidden = false;
  var map = L.map(box);
  L.tileLayer(config.tiles, { maxZoom: 18, attribution: config.attribution }).addTo(map);
  var bounds = [];
  markers.forEach(function (m) {
    L.circleMarker([m.lat, m.lng], { radius: 9, color: "#0f2a4a", fillColor: "#1d5fa8",
                                     fillOpacity: 0.85 }).addTo(map)
      .bindPopup(m.name + ": " + m.events + " approved event" + (m.events === 1 ? "" : "s"));
    bounds.push([m.lat, m.lng]);
  });
  map.fitBounds(bounds, { padding: [30, 30], maxZoom: 12 });
})();
